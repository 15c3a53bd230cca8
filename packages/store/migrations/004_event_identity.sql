-- One row per (event id, content) as first stored: the id's first version stands. trace_events
-- is sorted by more than the id (platform, org, time), so a re-used id with other content
-- would be a second row there and in every rollup; ingest looks ids up here first (by the
-- sort key, event_id) and dead-letters such a message instead. A replay of the same content
-- adds a duplicate row here, collapsed on merge; readers take argMin(fingerprint, first_ingested_at).
CREATE TABLE IF NOT EXISTS {db}.trace_event_ids (
  event_id String,
  fingerprint String,
  first_ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(first_ingested_at)
ORDER BY (event_id, fingerprint);

-- Every message refused because its id was already stored with other content: rewriting a
-- trace after the fact is itself worth an inspector's attention (count per org with
-- uniqExact((event_id, fingerprint)): a replay of the refused message lands here again).
CREATE TABLE IF NOT EXISTS {db}.trace_id_reuse (
  detected_at DateTime('UTC'),
  platform_id String,
  org_id String,
  event_id String,
  first_fingerprint String,
  fingerprint String,
  source_topic String,
  source_partition UInt32,
  source_offset UInt64
) ENGINE = MergeTree()
PARTITION BY toYYYYMM(detected_at)
ORDER BY (platform_id, org_id, detected_at);
