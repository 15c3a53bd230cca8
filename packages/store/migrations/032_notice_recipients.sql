-- Owners' recipient configurations (packages/schema recipientConfigSchema), one per owner_id.
-- The configuration is kept as its JSON so that readers validate it with the schema (a row
-- that no longer parses is reported for that owner alone); platform_ids is copied out for
-- lookups. A change or a deletion is a newer version of the same owner_id
-- (ReplacingMergeTree keeps the latest; readers use FINAL). The webhook secret is stored as
-- given: the notifier needs it to sign.
CREATE TABLE IF NOT EXISTS {db}.notice_recipients (
  owner_id String,
  config String,
  platform_ids Array(String),
  deleted UInt8,
  updated_at DateTime('UTC'),
  updated_by String,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY owner_id;
