import type { HandlerRegistration } from '@clearance/queue';
import { contributionAfterDecisionHandler } from './handlers/contribution-after-decision-handler.js';
import { contributionDriftHandler } from './handlers/contribution-drift-handler.js';
import { contributionEnrichHandler } from './handlers/contribution-enrich-handler.js';
import { contributionSlaHandler } from './handlers/contribution-sla-handler.js';
import { heartbeatHandler } from './handlers/heartbeat-handler.js';
import { notificationDeliverHandler, notificationDigestHandler, notificationDispatchHandler } from './handlers/notification-handlers.js';
import { sbomEvaluateHandler } from './handlers/sbom-evaluate-handler.js';
import { waiverExpiryHandler } from './handlers/waiver-expiry-handler.js';
import type { WorkerDependencies } from './worker-dependencies.js';

/** One registration per job of the catalog; the worker host refuses to start otherwise. */
export const handlerRegistrations = (deps: WorkerDependencies): HandlerRegistration[] => [
  heartbeatHandler(deps.redisPrefix),
  sbomEvaluateHandler(deps),
  waiverExpiryHandler(deps),
  contributionEnrichHandler(deps),
  contributionSlaHandler(deps),
  contributionAfterDecisionHandler(deps),
  contributionDriftHandler(deps),
  notificationDispatchHandler(deps),
  notificationDeliverHandler(deps),
  notificationDigestHandler(deps),
];
