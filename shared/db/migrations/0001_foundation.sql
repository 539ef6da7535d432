-- The audit log: append-only and hash-chained. seq is assigned by the writer
-- under an advisory lock (not a sequence) so that it has no gaps.
CREATE TABLE audit_events (
  seq            bigint PRIMARY KEY,
  occurred_at    timestamptz NOT NULL,
  actor          text NOT NULL,
  action         text NOT NULL,
  subject_type   text NOT NULL,
  subject_id     text NOT NULL,
  payload        jsonb NOT NULL,
  policy_version text,
  prev_hash      text NOT NULL,
  hash           text NOT NULL UNIQUE
);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_time ON audit_events (occurred_at);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER audit_events_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- API tokens: only the SHA-256 of a token is kept (tokens are 256-bit random,
-- so a fast hash is enough; nothing to brute-force).
CREATE TABLE api_tokens (
  id          text PRIMARY KEY,
  user_name   text NOT NULL,
  roles       text[] NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  revoked_at  timestamptz,
  last_used_at timestamptz
);

-- The transactional outbox: written in the same transaction as the domain
-- row it belongs to; the relay moves it to BullMQ with its id as the job id.
CREATE TABLE outbox (
  id           text PRIMARY KEY,
  job_name     text NOT NULL,
  payload      jsonb NOT NULL,
  run_at       timestamptz NOT NULL DEFAULT now(),
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE delivered_at IS NULL;
