-- Notices to platform owners (packages/notices). The outbox: a notice is stored here before any
-- delivery is tried. Its items are written first (under the notice's id), the `notices` row
-- last: that row is the commit point, items of an id without it are an unfinished composition
-- and are ignored. Read with FINAL and optimize_move_to_prewhere=0 (see 010_alerts.sql).

-- One row per notice; `notice` is the whole document as JSON (read back through noticeSchema).
-- number_year/number_seq: the number, unique and gap-free per year (one writer: the notifier's
-- composer, which takes max(number_seq) + 1 of the year).
CREATE TABLE IF NOT EXISTS {db}.notices (
  id String,
  number String,
  number_year UInt16,
  number_seq UInt32,
  owner_id String,
  kind String,
  platform_ids Array(String),
  org_ids Array(String),
  asked String,
  created_at DateTime('UTC'),
  created_ms UInt64,
  answer_deadline_ms UInt64,
  notice String
) ENGINE = ReplacingMergeTree()
ORDER BY id;

-- Each alert a notice reports, with the alert's state as notified: what the next notice to the
-- same owner compares against (a change after a notice went out is reported by the next one).
CREATE TABLE IF NOT EXISTS {db}.notice_items (
  owner_id String,
  fingerprint String,
  alert_version UInt32,
  notice_id String,
  alert_state String,
  severity String,
  period_start Date,
  period_end Date,
  change String,
  platform_id String,
  org_id String,
  created_ms UInt64
) ENGINE = ReplacingMergeTree()
ORDER BY (owner_id, fingerprint, alert_version, notice_id);

-- The notifier's inbox: every alert change read (read_committed) from the alerts topic,
-- written before the offsets are committed; a replay collapses on (fingerprint, version).
CREATE TABLE IF NOT EXISTS {db}.notifier_alert_changes (
  fingerprint String,
  version UInt32,
  platform_id String,
  org_id String,
  severity String,
  state String,
  silenced UInt8,
  at_ms UInt64,
  alert String
) ENGINE = ReplacingMergeTree()
ORDER BY (fingerprint, version);
