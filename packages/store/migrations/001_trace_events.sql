-- Raw trace events. ReplacingMergeTree collapses a replayed event (same sorting key, which
-- includes event_id) on merge; every query still counts with uniqExact(event_id) or FINAL,
-- because merges happen whenever ClickHouse likes.
CREATE TABLE IF NOT EXISTS {db}.trace_events (
  event_id String,
  source String,
  platform_id String,
  org_id String,
  actor_id String,
  actor_role String,
  action String,
  occurred_at DateTime('UTC'),
  occurred_ms UInt16,
  recorded_at DateTime('UTC'),
  recorded_ms UInt16,
  task_id String,
  assigned_at Nullable(DateTime('UTC')),
  deadline Nullable(DateTime('UTC')),
  value Nullable(Float64),
  value_denominator Nullable(Float64),
  duration_ms Nullable(UInt32),
  content_hash String,
  simhash String,
  session_hash String,
  device_hash String,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (platform_id, org_id, occurred_at, event_id);
