import { canonicalJson } from '@clearance/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFORMANCE_FILE, EVENTS_FILE } from '../bundle-layout.js';
import type { BundleManifest } from '../manifest.js';
import { CONFORMANCE_MAPPING_VERSION } from './clauses.js';
import type { Conformance } from './conformance-map.js';

const MAX_CONFORMANCE_BYTES = 16 * 1024 * 1024;

export interface ConformanceCheck {
  problems: string[];
  warnings: string[];
}

/**
 * conformance.json must be what the events give: its canonical JSON equals
 * that of the map recomputed from events.ndjson. The manifest's file hash
 * already catches an edit; this catches a writer (or a key holder) whose map
 * does not follow from the events it signed.
 */
export async function checkConformance(dir: string, manifest: BundleManifest, recomputed: Conformance, present: ReadonlySet<string>): Promise<ConformanceCheck> {
  const result: ConformanceCheck = { problems: [], warnings: [] };
  if (!Object.hasOwn(manifest.files, CONFORMANCE_FILE)) {
    result.warnings.push(`The bundle has no ${CONFORMANCE_FILE} (it was written before the ISO/IEC 5230 map); the report computes the map from the events.`);
    return result;
  }
  // A listed file that is missing was reported already.
  if (!present.has(CONFORMANCE_FILE)) return result;
  let stored: unknown;
  try {
    const bytes = await readFile(join(dir, CONFORMANCE_FILE));
    if (bytes.length > MAX_CONFORMANCE_BYTES) throw new Error(`larger than ${MAX_CONFORMANCE_BYTES} bytes`);
    stored = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    result.problems.push(`${CONFORMANCE_FILE} cannot be read as JSON: ${(error as Error).message}`);
    return result;
  }
  const version = (stored as { mappingVersion?: unknown } | null)?.mappingVersion;
  if (typeof version === 'number' && version !== CONFORMANCE_MAPPING_VERSION) {
    result.warnings.push(`${CONFORMANCE_FILE} uses mapping version ${version}; this verifier recomputes version ${CONFORMANCE_MAPPING_VERSION} only, so it was not checked against the events.`);
    return result;
  }
  if (canonicalJson(stored) !== canonicalJson(recomputed)) {
    result.problems.push(`${CONFORMANCE_FILE} differs from the map recomputed from ${EVENTS_FILE} (${firstDifference(stored, recomputed)})`);
  }
  return result;
}

/** Where the stored map first departs from the recomputed one, so the reader knows which clause was changed. */
function firstDifference(stored: unknown, recomputed: Conformance): string {
  const s = (stored ?? {}) as Partial<Record<keyof Conformance, unknown>>;
  for (const key of ['standard', 'source', 'mappingVersion', 'events', 'summary'] as const) {
    if (canonicalJson(s[key] ?? null) !== canonicalJson(recomputed[key])) return `at ${key}`;
  }
  const storedRequirements = new Map<unknown, unknown>();
  if (Array.isArray(s.clauses)) {
    for (const clause of s.clauses as { requirements?: unknown }[]) {
      if (Array.isArray(clause?.requirements)) for (const requirement of clause.requirements as { clause?: unknown }[]) storedRequirements.set(requirement?.clause, requirement);
    }
  }
  for (const clause of recomputed.clauses) {
    for (const requirement of clause.requirements) {
      if (canonicalJson(storedRequirements.get(requirement.clause) ?? null) !== canonicalJson(requirement)) return `at clause ${requirement.clause} ${requirement.title}`;
    }
  }
  return 'in the clause list';
}
