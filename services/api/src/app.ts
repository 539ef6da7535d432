import { randomUUID } from 'node:crypto';
import type { Database } from '@clearance/db';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { authenticate, authorize } from './http/auth.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { RouteTable, type Access } from './http/route-table.js';
import type { ReadinessReport } from './readiness.js';
import { addHealthRoutes } from './routes/health-routes.js';
import { addTokenRoutes } from './routes/token-routes.js';
import { addUiRoutes } from './routes/ui-routes.js';

export interface ApiDependencies {
  db: Database;
  log: Logger;
  readiness: () => Promise<ReadinessReport>;
  /** The version of the policy in force, recorded with every audit event. */
  policyVersion: () => string | null;
  limits?: { jsonBodyBytes?: number };
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
  app.use(express.json({ limit: deps.limits?.jsonBodyBytes ?? 256 * 1024, strict: true }));

  const routes = new RouteTable();
  addHealthRoutes(routes, deps.readiness);
  addUiRoutes(routes);
  addTokenRoutes(routes, deps.db, deps.policyVersion);

  const authn = authenticate(deps.db);
  const guard = (access: Access): RequestHandler[] =>
    access.kind === 'public' ? [] : [authn, authorize(deps.db, access, deps.policyVersion)];
  const router = express.Router();
  routes.mount(router, guard);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, routes };
}
