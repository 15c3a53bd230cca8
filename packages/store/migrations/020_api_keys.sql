-- API keys: the secret is never stored, only HMAC-SHA256(salt, secret) with a per-key salt.
-- A revocation is a newer version of the same key_id (ReplacingMergeTree keeps the latest);
-- readers use FINAL so a revoked key is refused at once, merged or not.
CREATE TABLE IF NOT EXISTS {db}.api_keys (
  key_id String,
  name String,
  role String,
  platform_ids Array(String),
  salt String,
  secret_hash String,
  created_at DateTime('UTC'),
  revoked_at Nullable(DateTime('UTC')),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY key_id;
