import { randomUUID } from 'node:crypto';
import type { Database } from '@clearance/db';
import type { PolicyContext } from '@clearance/services';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { authenticate, authorize } from './http/auth.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { rateLimitFor } from './http/rate-limit.js';
import { RouteTable, type Access, type BodyKind } from './http/route-table.js';
import type { ReadinessReport } from './readiness.js';
import { addHealthRoutes } from './routes/health-routes.js';
import { addSbomRoutes } from './routes/sbom-routes.js';
import { addTokenRoutes } from './routes/token-routes.js';
import { addUiRoutes } from './routes/ui-routes.js';
import { addWaiverRoutes } from './routes/waiver-routes.js';

export interface ApiDependencies {
  db: Database;
  log: Logger;
  readiness: () => Promise<ReadinessReport>;
  /** The policy in force; its version is recorded with every audit event. */
  policy: PolicyContext;
  /** Tells the outbox relay that a request committed work. */
  nudgeRelay: () => void;
  limits: { jsonBodyBytes: number; uploadBytes: number };
}

export interface Api {
  app: Express;
  routes: RouteTable;
}

const requestIdPattern = /^[\w.-]{1,100}$/;

export function createApi(deps: ApiDependencies): Api {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('query parser', 'simple');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] } } }));
  app.use(
    pinoHttp({
      logger: deps.log,
      // A caller's request id is kept when it is sane, so logs join up across services.
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  const routes = new RouteTable();
  const policyVersion = (): string => deps.policy.version;
  addHealthRoutes(routes, deps.readiness);
  addUiRoutes(routes);
  addTokenRoutes(routes, deps.db, policyVersion);
  addSbomRoutes(routes, deps);
  addWaiverRoutes(routes, deps);

  const authn = authenticate(deps.db);
  const parsers: Record<BodyKind, RequestHandler[]> = {
    json: [express.json({ limit: deps.limits.jsonBodyBytes, strict: true })],
    // Any content type: the format is detected from the bytes, not from headers.
    raw: [express.raw({ type: () => true, limit: deps.limits.uploadBytes })],
    none: [],
  };
  const router = express.Router();
  routes.mount(router, {
    access: (access: Access) => (access.kind === 'public' ? [] : [authn, authorize(deps.db, access, policyVersion)]),
    body: (kind) => parsers[kind],
    rateLimit: rateLimitFor,
  });
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, routes };
}
