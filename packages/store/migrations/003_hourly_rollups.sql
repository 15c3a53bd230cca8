-- Hourly counts per platform/org/action/role, by claimed time (occurred_at) and by recording
-- time. A materialized view sees every inserted block, replays included, so the rollups keep
-- uniqExactState(event_id) rather than a sum: a replayed event never counts twice.
CREATE TABLE IF NOT EXISTS {db}.trace_hourly (
  hour DateTime('UTC'),
  platform_id String,
  org_id String,
  action String,
  actor_role String,
  events AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (platform_id, org_id, action, actor_role, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.trace_hourly_mv TO {db}.trace_hourly AS
SELECT
  toStartOfHour(occurred_at) AS hour,
  platform_id,
  org_id,
  action,
  actor_role,
  uniqExactState(event_id) AS events
FROM {db}.trace_events
GROUP BY hour, platform_id, org_id, action, actor_role;

-- By recording time, split by whether the trace was backfilled (recorded > 24 h after it
-- claims to have happened): what the backfill detector and inspectors read.
CREATE TABLE IF NOT EXISTS {db}.trace_hourly_recorded (
  hour DateTime('UTC'),
  platform_id String,
  org_id String,
  backfilled UInt8,
  events AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (platform_id, org_id, backfilled, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.trace_hourly_recorded_mv TO {db}.trace_hourly_recorded AS
SELECT
  toStartOfHour(recorded_at) AS hour,
  platform_id,
  org_id,
  toUInt8(recorded_at > occurred_at + 86400) AS backfilled,
  uniqExactState(event_id) AS events
FROM {db}.trace_events
GROUP BY hour, platform_id, org_id, backfilled;
