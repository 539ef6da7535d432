-- The tier list lives in one place, @clearance/core's tier.ts: every request
-- is parsed with the schema built from it before it is stored. The CHECKs of
-- migration 0004 were a second copy of that list, so adding a tier meant a
-- migration too; they go. (Statuses and decisions stay checked: they are the
-- lifecycle's own states, not a list the policy grows.)
ALTER TABLE contribution_requests DROP CONSTRAINT contribution_requests_tier_check;
ALTER TABLE contribution_requests DROP CONSTRAINT contribution_requests_effective_tier_check;
