import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { RouteSpec } from './route-table.js';

/**
 * Parses params, query and body with the route's schemas before its handlers
 * run; a ZodError becomes the usual 422 with one entry per field.
 */
export const parseRouteInput = (spec: RouteSpec): RequestHandler[] => {
  if (spec.params === undefined && spec.query === undefined && spec.body === undefined) return [];
  return [
    (req, res, next) => {
      res.locals.input = {
        params: spec.params === undefined ? {} : spec.params.parse({ ...req.params }),
        query: spec.query === undefined ? {} : spec.query.parse({ ...req.query }),
        body: spec.body === undefined ? undefined : spec.body.parse(req.body ?? {}),
      };
      next();
    },
  ];
};

/**
 * Test mode: every JSON answer of a route is checked against the schema its
 * contract gives for that status, so a handler that drifts from the contract
 * fails the integration tests (a 500 naming the route and the problem)
 * instead of silently breaking the clients built from it. Error answers
 * (4xx/5xx) all share the error body and are checked by the error handler's
 * own tests.
 */
const contractProblem = (spec: RouteSpec, status: number, body: unknown): string | null => {
  const schema = spec.responses?.[status];
  if (schema === undefined) return `answered ${status}, which its contract does not declare`;
  // What the client receives: Dates become strings on the way out.
  const checked = schema.safeParse(JSON.parse(JSON.stringify(body ?? null)));
  return checked.success ? null : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
};

export const checkRouteResponses = (spec: RouteSpec, log: Logger): RequestHandler[] => {
  // A sub-application (the queue dashboard) answers for paths of its own: its contract is its own.
  if (spec.subtree) return [];
  const route = `${spec.method.toUpperCase()} ${spec.path}`;
  return [
    (_req, res, next) => {
      const send = res.json.bind(res);
      res.json = (body: unknown) => {
        const problem = res.statusCode >= 400 ? null : contractProblem(spec, res.statusCode, body);
        if (problem === null) return send(body);
        log.error({ route, problem }, 'response does not match the route contract');
        return res.status(500).type('json').send(JSON.stringify({ error: { code: 'internal', message: `${route} broke its contract: ${problem}` } }));
      };
      next();
    },
  ];
};
