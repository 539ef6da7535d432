-- An appender takes the chain's lock and then reads its head: two statements,
-- because one statement reads on the snapshot it started with, which may
-- predate the commit of the lock's previous holder. A VOLATILE function takes
-- a fresh snapshot for each statement it runs, so this gives both in one
-- round trip. The lock is held until the caller's transaction ends.
CREATE FUNCTION audit_chain_lock_head(OUT head_seq bigint, OUT head_hash text) RETURNS SETOF record
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(current_schema() || '.clearance.audit'));
  RETURN QUERY SELECT e.seq, e.hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
END
$$;
