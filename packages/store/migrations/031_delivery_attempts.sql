-- Every try to deliver a notice, one row per channel and attempt number. A try re-recorded
-- (the writer retried its insert) is the same (owner, notice, channel, attempt): readers use
-- FINAL and see it once. Never updated by the application.
CREATE TABLE IF NOT EXISTS {db}.delivery_attempts (
  notice_id String,
  message_id String,
  owner_id String,
  channel String,
  attempt UInt32,
  outcome String,
  response_code Nullable(UInt16),
  error Nullable(String),
  duration_ms UInt32,
  at DateTime('UTC'),
  at_ms UInt16,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(at)
ORDER BY (owner_id, notice_id, channel, attempt);
