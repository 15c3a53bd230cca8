-- Who asked what of the API: one row per answered request on a data route (inspectors' queries
-- among them), never updated or deleted by the application.
CREATE TABLE IF NOT EXISTS {db}.audit_log (
  at DateTime('UTC'),
  at_ms UInt16,
  request_id String,
  key_id String,
  key_name String,
  role String,
  method String,
  route String,
  parameters String,
  status UInt16,
  rows_returned UInt32
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (at, key_id);
