-- Every policy version that was ever in force, with its files, so a dossier
-- can include the exact rules each recorded decision was made under.
CREATE TABLE policy_versions (
  version        text PRIMARY KEY,
  files          jsonb NOT NULL,
  first_active_at timestamptz NOT NULL DEFAULT now()
);
