import type { HandlerRegistration } from '@clearance/queue';
import { heartbeatHandler } from './handlers/heartbeat-handler.js';
import type { WorkerDependencies } from './worker-dependencies.js';

/** One registration per job of the catalog; the worker host refuses to start otherwise. */
export const handlerRegistrations = (deps: WorkerDependencies): HandlerRegistration[] => [heartbeatHandler(deps.redisPrefix)];
