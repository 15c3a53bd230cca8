-- The evaluation calendar and what units reported. Latest version of an id wins.
CREATE TABLE IF NOT EXISTS {db}.evaluations (
  evaluation_id String,
  name String,
  kind String,
  platform_id String,
  org_id String,
  start_at DateTime('UTC'),
  end_at DateTime('UTC'),
  announced_at Nullable(DateTime('UTC')),
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY evaluation_id;

CREATE TABLE IF NOT EXISTS {db}.reported_metrics (
  metric_id String,
  platform_id String,
  org_id String,
  metric String,
  period_start Date,
  period_end Date,
  value Float64,
  reported_at DateTime('UTC'),
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (platform_id, org_id, metric, period_start, metric_id);
