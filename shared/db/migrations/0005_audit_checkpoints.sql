-- Signed checkpoints of the audit chain: (seq, head hash, time) signed with
-- Ed25519. They are also written as files outside the database, since what a
-- superuser can change here they could change in this table too.
CREATE TABLE audit_checkpoints (
  seq        bigint PRIMARY KEY,
  head_hash  text NOT NULL,
  created_at text NOT NULL,
  key_id     text NOT NULL,
  signature  text NOT NULL
);
CREATE INDEX audit_events_payload ON audit_events USING gin (payload jsonb_path_ops);
