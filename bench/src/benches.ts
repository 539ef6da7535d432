import { runApiBench } from './api-bench.js';
import { runAuditBench } from './audit-bench.js';
import { runIntakeBench } from './intake-bench.js';
import { runPgliteBench } from './pglite-bench.js';
import { runSbomBench } from './sbom-bench.js';

/** `npm run bench -- <name> [args]`: each benchmark prints its own figures. */
export type Bench = (args: readonly string[]) => Promise<void>;

export const benches: Record<string, Bench> = {
  sbom: runSbomBench,
  audit: runAuditBench,
  api: runApiBench,
  intake: runIntakeBench,
  pglite: runPgliteBench,
};
