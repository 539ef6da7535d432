-- Live updates: every commit that appends audit events wakes the API
-- replicas that stream them (Server-Sent Events). One notification per
-- statement, not per row, so a batch of 100 intake events is one; PostgreSQL
-- delivers it at commit and folds duplicates of one transaction into one.
-- The payload is the schema, so a server listening in one schema (tests give
-- each its own) can ignore commits in another. NOTIFY serialises the commits
-- of notifying transactions, which the audit chain's advisory lock
-- (migration 0007) already does.
CREATE FUNCTION audit_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('clearance_audit', current_schema());
  RETURN NULL;
END
$$;
CREATE TRIGGER audit_events_notify AFTER INSERT ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_notify();
