-- Uploaded SBOM files, content-addressed: the same bytes are stored once, and
-- a verdict can always be reproduced from the exact file it judged.
CREATE TABLE sbom_blobs (
  sha256     text PRIMARY KEY,
  content    bytea NOT NULL,
  size_bytes integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sboms (
  id               text PRIMARY KEY,
  sha256           text NOT NULL REFERENCES sbom_blobs (sha256),
  filename         text,
  format           jsonb NOT NULL,
  component_count  integer NOT NULL,
  uploaded_by      text NOT NULL,
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  -- queued -> evaluated | failed; a re-evaluation puts it back to queued.
  status           text NOT NULL CHECK (status IN ('queued', 'evaluated', 'failed')),
  evaluation       integer NOT NULL DEFAULT 1,
  verdict          text CHECK (verdict IN ('pass', 'review', 'fail')),
  counts           jsonb,
  policy_version   text,
  error            jsonb,
  evaluated_at     timestamptz
);
CREATE INDEX sboms_uploaded ON sboms (uploaded_at DESC, id);
CREATE INDEX sboms_uploader ON sboms (uploaded_by, uploaded_at DESC);

-- One row per component finding of the latest evaluation; idx keeps the
-- SBOM's own order and is the paging cursor.
CREATE TABLE sbom_findings (
  sbom_id  text NOT NULL REFERENCES sboms (id) ON DELETE CASCADE,
  idx      integer NOT NULL,
  name     text NOT NULL,
  purl     text,
  verdict  text NOT NULL CHECK (verdict IN ('allow', 'review', 'deny')),
  finding  jsonb NOT NULL,
  PRIMARY KEY (sbom_id, idx)
);
CREATE INDEX sbom_findings_verdict ON sbom_findings (sbom_id, verdict, idx);

CREATE TABLE waivers (
  id                 text PRIMARY KEY,
  purl               text NOT NULL,
  match              text NOT NULL CHECK (match IN ('exact', 'any-version', 'prefix')),
  license_expression text,
  verdict            text NOT NULL CHECK (verdict IN ('allow', 'review', 'deny')),
  justification      text NOT NULL,
  granted_by         text NOT NULL,
  granted_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  revoked_at         timestamptz,
  revoked_by         text,
  revoke_reason      text,
  -- Set once the expiry sweep has written the waiver.expired audit event.
  expiry_recorded_at timestamptz
);
CREATE INDEX waivers_active ON waivers (expires_at) WHERE revoked_at IS NULL;
