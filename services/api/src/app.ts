import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { authorize } from './http/auth.js';
import { authenticateRequest } from './http/authenticate-request.js';
import { refuseDeclaredOversize, verifyJsonBody } from './http/body-guards.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { rateLimitFor } from './http/rate-limit.js';
import { requestLog } from './http/request-log.js';
import { checkRouteResponses, parseRouteInput } from './http/route-contract.js';
import { RouteTable, type Access, type BodyKind } from './http/route-table.js';
import type { ApiDependencies } from './api-dependencies.js';
import { AuditFeed } from './live/audit-feed.js';
import { addAuditRoutes } from './routes/audit-routes.js';
import { addEventStreamRoutes } from './routes/event-stream-routes.js';
import { addHealthRoutes } from './routes/health-routes.js';
import { addNotificationRoutes } from './routes/notification-routes.js';
import { addPolicyRoutes } from './routes/policy-routes.js';
import { addQueueDashboardRoutes } from './routes/queue-dashboard-routes.js';
import { addContributionRoutes } from './routes/contribution-routes.js';
import { addReviewRoutes } from './routes/review-routes.js';
import { addReleaseRoutes } from './routes/release-routes.js';
import { addSignInRoutes } from './routes/sign-in-routes.js';
import { OidcClient } from './sign-in/oidc-client.js';
import { addSbomNoticeRoute } from './routes/sbom-notice-route.js';
import { addSbomObligationsRoute } from './routes/sbom-obligations-route.js';
import { addSbomRoutes } from './routes/sbom-routes.js';
import { addTokenRoutes } from './routes/token-routes.js';
import { addUiRoutes } from './routes/ui-routes.js';
import { addWaiverRoutes } from './routes/waiver-routes.js';

export interface Api {
  app: Express;
  routes: RouteTable;
  /** The audit log's live feed behind GET /events: start it before listening, stop it before closing the server. */
  feed: AuditFeed;
}

export function createApi(deps: ApiDependencies): Api {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  // <, > and & leave as \u003c…: text from SBOMs and requests stays inert even if a response is mis-sniffed or embedded in HTML.
  app.set('json escape', true);
  // Answers are per-caller JSON that nobody revalidates: hashing each body for an ETag was CPU for
  // nothing. The UI's files still revalidate, by their Last-Modified.
  app.set('etag', false);
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] } } }));
  app.use(requestLog(deps.log));

  const routes = new RouteTable();
  const policyVersion = (): string => deps.policy.version;
  addHealthRoutes(routes, deps.readiness);
  addUiRoutes(routes, deps.db);
  addQueueDashboardRoutes(routes, deps.queues);
  addTokenRoutes(routes, deps.db, policyVersion);
  addSignInRoutes(routes, { ...deps, oidc: deps.oidc ? new OidcClient(deps.oidc) : null });
  addSbomRoutes(routes, deps);
  addSbomNoticeRoute(routes, deps);
  addSbomObligationsRoute(routes, deps);
  addContributionRoutes(routes, deps);
  addReviewRoutes(routes, deps);
  addWaiverRoutes(routes, deps);
  addReleaseRoutes(routes, deps);
  addAuditRoutes(routes, deps);
  addNotificationRoutes(routes, deps);
  addPolicyRoutes(routes, deps.policy);
  const feed = new AuditFeed(deps.db, deps.log);
  addEventStreamRoutes(routes, deps, feed);

  const authn = authenticateRequest(deps.db, deps.now);
  const parsers: Record<BodyKind, RequestHandler[]> = {
    json: [refuseDeclaredOversize(deps.limits.jsonBodyBytes), express.json({ limit: deps.limits.jsonBodyBytes, strict: true, verify: verifyJsonBody })],
    // Any content type: the format is detected from the bytes, not from headers.
    raw: [refuseDeclaredOversize(deps.limits.uploadBytes), express.raw({ type: () => true, limit: deps.limits.uploadBytes })],
    none: [],
  };
  app.use(
    routes.handler({
      access: (access: Access, route) =>
        access.kind === 'public' ? [] : [authn(route), authorize(deps.db, access, policyVersion)],
      body: (kind) => parsers[kind],
      rateLimit: (route) => rateLimitFor(route, deps.limits.rateLimitFactor),
      input: parseRouteInput,
      responses: (route) => (deps.checkResponses ? checkRouteResponses(route, deps.log) : []),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return { app, routes, feed };
}
