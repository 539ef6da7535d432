-- Findings store the deciding rule as data ({ kind, category | id | index |
-- outcome, license }) instead of the text `categories.permissive: MIT`.
-- Findings written before this migration are rewritten in place, so every
-- reader sees one shape. The old text cannot tell a license no category
-- lists from one listed under `unknown`; both read as the `unknown` category.
CREATE OR REPLACE FUNCTION pg_temp.clearance_deciding_rule(rule text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN rule ~ '^categories\.[a-z][a-z0-9-]*: ' THEN jsonb_build_object(
      'kind', 'category',
      'category', substring(rule FROM '^categories\.([a-z][a-z0-9-]*): '),
      'license', substring(rule FROM '^categories\.[a-z][a-z0-9-]*: (.*)$'))
    WHEN rule ~ '^licenses\.[^:]+: ' THEN jsonb_build_object(
      'kind', 'license',
      'id', substring(rule FROM '^licenses\.([^:]+): '),
      'license', substring(rule FROM '^licenses\.[^:]+: (.*)$'))
    WHEN rule ~ '^exceptions\[[0-9]+\]: ' THEN jsonb_build_object(
      'kind', 'exception',
      'index', substring(rule FROM '^exceptions\[([0-9]+)\]: ')::int,
      'license', substring(rule FROM '^exceptions\[[0-9]+\]: (.*)$'))
    WHEN rule ~ '^outcomes\.[A-Za-z]+$' THEN jsonb_build_object('kind', 'outcome', 'outcome', substring(rule FROM '^outcomes\.([A-Za-z]+)$'))
    ELSE jsonb_build_object('kind', 'unknown-license', 'license', rule)
  END
$$;

UPDATE sbom_findings
SET finding = jsonb_set(finding, '{decidedBy,rule}', pg_temp.clearance_deciding_rule(finding #>> '{decidedBy,rule}'))
WHERE jsonb_typeof(finding #> '{decidedBy,rule}') = 'string';

-- Findings about the document itself (an SBOM that lists no components):
-- they decide the verdict with the component findings, so they are kept too.
ALTER TABLE sboms ADD COLUMN IF NOT EXISTS document_findings jsonb NOT NULL DEFAULT '[]'::jsonb;
