-- What owners did with a notice (packages/notices): answers (explanation | rectification, links
-- to attachments) and the acknowledgement (the first one counts; later ones are not stored).
CREATE TABLE IF NOT EXISTS {db}.notice_answers (
  notice_id String,
  id String,
  kind String,
  by String,
  at_ms UInt64,
  answer String
) ENGINE = ReplacingMergeTree()
ORDER BY (notice_id, id);

CREATE TABLE IF NOT EXISTS {db}.notice_acknowledgements (
  notice_id String,
  by String,
  at_ms UInt64
) ENGINE = ReplacingMergeTree()
ORDER BY notice_id;
