-- A release of a product built from one evaluated SBOM, and its obligations
-- checklist. The checklist is fixed when the release is created (the
-- obligations of that SBOM evaluation under that policy version), so what was
-- cleared can always be read back as it was; each mark is also an audit event.
CREATE TABLE releases (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  version         text NOT NULL,
  sbom_id         text NOT NULL REFERENCES sboms (id),
  sbom_evaluation integer NOT NULL,
  -- SHA-256 of the SBOM's NOTICE (text format) when the release was created: the artifact that ships.
  notice_sha256   text NOT NULL,
  status          text NOT NULL CHECK (status IN ('open', 'cleared')),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  cleared_at      timestamptz,
  policy_version  text NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX releases_created ON releases (created_at DESC, id);

CREATE TABLE release_obligations (
  release_id  text NOT NULL REFERENCES releases (id),
  -- <obligation>:<license>, e.g. attribution:Apache-2.0
  key         text NOT NULL,
  position    integer NOT NULL,
  obligation  text NOT NULL,
  title       text NOT NULL,
  license     text NOT NULL,
  source      text NOT NULL,
  description text NOT NULL,
  components  jsonb NOT NULL,
  state       text NOT NULL CHECK (state IN ('open', 'fulfilled', 'waived')),
  evidence    jsonb,
  reason      text,
  updated_by  text,
  updated_at  timestamptz,
  PRIMARY KEY (release_id, key)
);

-- What an approved contribution must still do (sign the CLA, sign off commits),
-- from its tier's policy; a row exists once someone marked the obligation.
CREATE TABLE contribution_obligations (
  contribution_id text NOT NULL REFERENCES contribution_requests (id),
  key             text NOT NULL,
  state           text NOT NULL CHECK (state IN ('fulfilled', 'waived')),
  evidence        jsonb,
  reason          text,
  updated_by      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contribution_id, key)
);
