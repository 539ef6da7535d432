-- The review queue keeps the pending stages whose `roles || escalated_roles`
-- overlap the reviewer's roles. With no statistics on that expression the
-- planner guessed that 0.2% of pending stages match, so it collected and
-- sorted every pending stage rather than walking them in start order and
-- stopping after a page: 950 ms against 2.9 ms (EXPLAIN ANALYZE, 75,000
-- stages waiting for managers, a schema seeded for it; GET /reviews took
-- 11.8 s before and 10-13 ms after). This gives ANALYZE the expression's
-- common elements.
CREATE STATISTICS contribution_stages_reviewer_roles ON ((roles || escalated_roles)) FROM contribution_stages;
