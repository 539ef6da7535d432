-- Outbound contribution requests. One row per revision: a resubmission is a
-- new row linked to the one before, so an earlier "no" is never overwritten.
CREATE TABLE contribution_requests (
  id                   text PRIMARY KEY,
  -- The first revision's id; every revision of one request shares it.
  chain_id             text NOT NULL,
  revision             integer NOT NULL CHECK (revision >= 1),
  previous_revision_id text REFERENCES contribution_requests (id),
  requester            text NOT NULL,
  tier                 text NOT NULL CHECK (tier IN ('bug-fix', 'enhancement', 'new-feature', 'new-project')),
  title                text NOT NULL,
  -- The validated request in its input form (parsing it again gives the same request).
  input                jsonb NOT NULL,
  -- host/owner/repo in lower case (GitHub names are case-insensitive); null for a new project.
  upstream_key         text,
  -- The first linked pull request { host, owner, repo, number }, read by enrichment and drift checks.
  pull_request         jsonb,
  status               text NOT NULL CHECK (status IN (
                         'submitted', 'enriching', 'in-review', 'approved', 'rejected',
                         'changes-requested', 'withdrawn', 'auto-approved', 'auto-rejected')),
  current_stage        integer,
  -- Set by routing: the tier after size escalation, the plan with its explanation, what GitHub said.
  effective_tier       text CHECK (effective_tier IN ('bug-fix', 'enhancement', 'new-feature', 'new-project')),
  plan                 jsonb,
  enrichment           jsonb,
  auto_outcome         jsonb,
  -- The policy version the request was routed under (null until routed).
  policy_version       text,
  -- Grows by one on every transition: writers check it, so two racing writers cannot both win.
  version              integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  routed_at            timestamptz,
  decided_at           timestamptz,
  -- What Clearance did on GitHub after the decision (comment, repository), so a retried job does it once.
  github_actions       jsonb NOT NULL DEFAULT '{}',
  -- Drift checks: last look at the merged pull request, and when a drift was flagged.
  drift_checked_at     timestamptz,
  drift_done_at        timestamptz,
  drift_flagged_at     timestamptz,
  UNIQUE (chain_id, revision)
);
-- A chain never forks: only the latest revision can be resubmitted.
CREATE UNIQUE INDEX contribution_requests_next_revision ON contribution_requests (previous_revision_id)
  WHERE previous_revision_id IS NOT NULL;
CREATE INDEX contribution_requests_requester ON contribution_requests (requester, created_at DESC, id);
CREATE INDEX contribution_requests_upstream ON contribution_requests (upstream_key, status)
  WHERE upstream_key IS NOT NULL;
CREATE INDEX contribution_requests_status ON contribution_requests (status, created_at DESC, id);
CREATE INDEX contribution_requests_drift ON contribution_requests (drift_checked_at NULLS FIRST)
  WHERE pull_request IS NOT NULL AND drift_done_at IS NULL AND status IN ('approved', 'auto-approved');

-- The sign-off stages of a routed request, in order.
CREATE TABLE contribution_stages (
  request_id          text NOT NULL REFERENCES contribution_requests (id),
  idx                 integer NOT NULL CHECK (idx >= 0),
  roles               text[] NOT NULL,
  -- Roles that may also decide once the stage is overdue (policy sla.escalateTo).
  escalated_roles     text[] NOT NULL DEFAULT '{}',
  approvals           integer NOT NULL CHECK (approvals >= 1),
  due_in_working_days integer NOT NULL,
  rule                text NOT NULL,
  reason              text NOT NULL,
  status              text NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'rejected', 'changes-requested', 'skipped')),
  started_at          timestamptz,
  due_at              timestamptz,
  escalated_at        timestamptz,
  PRIMARY KEY (request_id, idx)
);
-- The review queue: pending stages by the roles that may decide them, and by due time.
CREATE INDEX contribution_stages_queue_roles ON contribution_stages USING gin ((roles || escalated_roles))
  WHERE status = 'pending';
CREATE INDEX contribution_stages_queue_due ON contribution_stages (due_at, started_at)
  WHERE status = 'pending';

-- Every decision ever made, append-only: a decision is never edited or removed.
CREATE TABLE contribution_decisions (
  request_id  text NOT NULL,
  -- Position in the request's list of decisions (0, 1, ...).
  ordinal     integer NOT NULL CHECK (ordinal >= 0),
  stage_index integer NOT NULL,
  decision    text NOT NULL CHECK (decision IN ('approve', 'reject', 'request-changes')),
  decided_by  text NOT NULL,
  -- The decider's roles that matched the stage: evidence of their authority.
  as_roles    text[] NOT NULL,
  reason      text,
  decided_at  timestamptz NOT NULL,
  PRIMARY KEY (request_id, ordinal),
  -- One person decides a stage once; the last guard if two requests of one reviewer race.
  UNIQUE (request_id, stage_index, decided_by),
  FOREIGN KEY (request_id, stage_index) REFERENCES contribution_stages (request_id, idx)
);
CREATE INDEX contribution_decisions_by ON contribution_decisions (decided_by, decided_at);

CREATE FUNCTION contribution_decisions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'contribution_decisions is append-only: % refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER contribution_decisions_no_update_delete
  BEFORE UPDATE OR DELETE ON contribution_decisions
  FOR EACH ROW EXECUTE FUNCTION contribution_decisions_refuse_change();

CREATE TRIGGER contribution_decisions_no_truncate
  BEFORE TRUNCATE ON contribution_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION contribution_decisions_refuse_change();
