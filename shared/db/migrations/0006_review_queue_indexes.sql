-- The review queue reads the oldest pending stages first and stops at a page.
-- With the GIN index on roles the planner collected every pending stage of the
-- role and sorted them all (≈60 ms with 15,000 waiting: EXPLAIN ANALYZE on
-- the schema `npm run bench -- api` fills); walking pending stages in
-- started_at order and filtering roles reads one page (≈0.5 ms). A role with few pending items
-- still reads at most the pending stages, which the GIN path read too.
DROP INDEX contribution_stages_queue_roles;
CREATE INDEX contribution_stages_queue_oldest ON contribution_stages (started_at)
  WHERE status = 'pending';

-- Past outcomes per requester (shown next to each queue item) count final
-- statuses only; without this the count read every open request as well.
CREATE INDEX contribution_requests_requester_outcomes ON contribution_requests (requester, status)
  WHERE status NOT IN ('submitted', 'enriching', 'in-review');
