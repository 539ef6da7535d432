import { handlerFor } from '@clearance/queue';
import { evaluateStoredSbom } from '@clearance/services';
import type { WorkerDependencies } from '../worker-dependencies.js';

/**
 * Parsing and evaluating are synchronous and bounded by the upload limits
 * (the benchmark measures the worst case, well under the 60 s lock); the
 * findings are written in batches with the lock renewed between them.
 */
export const sbomEvaluateHandler = (deps: WorkerDependencies) =>
  handlerFor('sbom.evaluate', async (payload, context) => {
    const outcome = await evaluateStoredSbom(deps, { ...payload, keepAlive: context.extendLock });
    context.log.info({ sbomId: payload.sbomId, evaluation: payload.evaluation, outcome }, 'sbom evaluation');
  });
