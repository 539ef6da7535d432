-- Notifications (issue 22 §2). A delivery is one notice to one recipient on
-- one channel; (event_key, recipient, channel) is unique, so planning the same
-- event again, or a retried job, never makes a second message to a channel
-- that already took it.
CREATE TABLE notification_deliveries (
  id           text PRIMARY KEY,
  event_key    text NOT NULL,
  event_kind   text NOT NULL,
  recipient    text NOT NULL,
  channel      text NOT NULL,
  -- The email address for email deliveries (from the routing file); null otherwise.
  address      text,
  -- The rendered notice, so every try sends what the first would have.
  notice       jsonb NOT NULL,
  -- pending: to send; held: waiting for the recipient's daily digest; digested: sent in one;
  -- sent: the channel acknowledged it; failed: every try failed (admins see it, and may retry).
  state        text NOT NULL CHECK (state IN ('pending', 'held', 'digested', 'sent', 'failed')),
  -- Grows with each admin retry: the job id includes it, so a retry is a new job.
  round        integer NOT NULL DEFAULT 1,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  digest_id    text REFERENCES notification_deliveries (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  UNIQUE (event_key, recipient, channel)
);
CREATE INDEX notification_deliveries_open ON notification_deliveries (state, updated_at DESC)
  WHERE state IN ('held', 'failed');

-- How far the dispatcher has read the audit log. Starts at the head, so an
-- existing log's history is not announced when notifications are turned on.
CREATE TABLE notification_cursor (
  id       integer PRIMARY KEY CHECK (id = 1),
  last_seq bigint NOT NULL
);
INSERT INTO notification_cursor (id, last_seq) SELECT 1, COALESCE(max(seq), 0) FROM audit_events;

-- A person's own choices (the API's /me/notifications).
CREATE TABLE notification_preferences (
  user_name     text PRIMARY KEY,
  email_opt_out boolean NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
