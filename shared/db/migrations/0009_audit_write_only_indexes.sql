-- Two indexes of the audit log that every event paid for and no query read.
--
-- audit_events_payload (GIN, jsonb_path_ops) serves `@>`, `@?` and `@@`.
-- The audit filters read payload fields with `->>` and `jsonb_path_exists`
-- (audit-repository.ts), which it cannot serve: with seq scans disabled,
-- EXPLAIN of each filter still scans rather than use it. Each event added
-- an entry per payload value, and whenever the pending list filled up
-- (gin_pending_list_limit) the inserting backend, holding the chain's lock,
-- merged it into the index (GIN's fast update).
--
-- The UNIQUE constraint on hash: nothing looks an event up by its hash, and
-- it guards nothing the chain does not. seq is the primary key, events are
-- appended under the chain's lock, and each hash covers its seq and the hash
-- before it, so two equal hashes would need a SHA-256 collision. A hash is
-- random, so each event wrote to a random leaf of that index, and after a
-- checkpoint the first write to a leaf logs the whole page.
DROP INDEX audit_events_payload;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_key;
