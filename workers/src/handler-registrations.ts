import type { HandlerRegistration } from '@clearance/queue';
import { heartbeatHandler } from './handlers/heartbeat-handler.js';
import { sbomEvaluateHandler } from './handlers/sbom-evaluate-handler.js';
import { waiverExpiryHandler } from './handlers/waiver-expiry-handler.js';
import type { WorkerDependencies } from './worker-dependencies.js';

/** One registration per job of the catalog; the worker host refuses to start otherwise. */
export const handlerRegistrations = (deps: WorkerDependencies): HandlerRegistration[] => [
  heartbeatHandler(deps.redisPrefix),
  sbomEvaluateHandler(deps),
  waiverExpiryHandler(deps),
];
