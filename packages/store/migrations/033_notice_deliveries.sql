-- Delivery state per notice and channel (packages/notices): pending while retrying (a new row per
-- attempt, the highest updated_ms wins), then ONE terminal row: delivered (marked once) or
-- failed (refused for good, or past the retry horizon). Every attempt itself is recorded by
-- packages/delivery (delivery_attempts). No row yet: not tried yet (the notifier derives that
-- from the notices and the owners' channels).
CREATE TABLE IF NOT EXISTS {db}.notice_deliveries (
  notice_id String,
  channel String,
  message_id String,
  state String,
  attempts UInt32,
  first_attempt_ms UInt64,
  last_error String,
  next_attempt_ms UInt64,
  updated_ms UInt64
) ENGINE = ReplacingMergeTree(updated_ms)
ORDER BY (notice_id, channel);
