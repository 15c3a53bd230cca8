-- Alerts (packages/alerts). The `alerts` Kafka topic is the record of every change; these tables
-- are what the keeper wrote from it, idempotently: a change written twice (a replay after a
-- crash) collapses on the same sorting key. Read them with FINAL and with
-- optimize_move_to_prewhere=0 (18.16 moves WHERE conditions before FINAL's merge otherwise).
-- Each table is defined here only, so a cluster can run them as Replicated*MergeTree.

-- Current state, one row per fingerprint (the highest version wins); columns to filter on,
-- and the whole alert as JSON (read back through alertSchema).
CREATE TABLE IF NOT EXISTS {db}.alerts (
  fingerprint String,
  topic_partition UInt16,
  state String,
  severity String,
  detector String,
  rule String,
  platform_id String,
  org_id String,
  actor_id String,
  period_start Date,
  period_end Date,
  first_seen_at DateTime('UTC'),
  last_seen_at DateTime('UTC'),
  updated_at DateTime('UTC'),
  updated_by String,
  silenced UInt8,
  version UInt32,
  alert String
) ENGINE = ReplacingMergeTree(version)
ORDER BY fingerprint;

-- Every accepted change: who, when, from → to, note. from_state is '' for `created`.
CREATE TABLE IF NOT EXISTS {db}.alert_history (
  fingerprint String,
  version UInt32,
  change_id String,
  command_id String,
  kind String,
  from_state String,
  to_state String,
  at DateTime('UTC'),
  by String,
  note String,
  topic_partition UInt16,
  topic_offset UInt64
) ENGINE = ReplacingMergeTree()
ORDER BY (fingerprint, version);

-- Silences; expiring one writes a new row of the same id (the highest updated_ms wins).
CREATE TABLE IF NOT EXISTS {db}.silences (
  id String,
  detector Nullable(String),
  platform_id Nullable(String),
  org_id Nullable(String),
  actor_id Nullable(String),
  created_by String,
  reason String,
  created_at DateTime('UTC'),
  expires_at DateTime('UTC'),
  expired_by String,
  updated_ms UInt64,
  silence String
) ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY id;

-- What became of each command (what the CLI waits for): accepted | conflict | invalid |
-- unknown-alert, why, and the alert's version after it (0: there is no alert).
CREATE TABLE IF NOT EXISTS {db}.alert_command_results (
  command_id String,
  fingerprint String,
  kind String,
  outcome String,
  message String,
  version UInt32,
  change_id String,
  recorded_ms UInt64
) ENGINE = ReplacingMergeTree(recorded_ms)
ORDER BY command_id;

-- The keeper's progress: per alerts-topic partition, the offset after the last change it
-- wrote to the tables above. On start it reads the topic from here to the end.
CREATE TABLE IF NOT EXISTS {db}.alert_keeper_progress (
  topic String,
  topic_partition UInt16,
  next_offset UInt64,
  updated_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(next_offset)
ORDER BY (topic, topic_partition);
