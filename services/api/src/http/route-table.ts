import type { Role } from '@clearance/core';
import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { ParamsDictionary } from 'express-serve-static-core';
import type { ParsedQs } from 'qs';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `public` is for health checks and the static UI shell
 * only; everything else needs a token, and most routes a role.
 */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

/** How the body is read: JSON (small, parsed), raw bytes (uploads, larger limit), or no body. */
export type BodyKind = 'json' | 'raw' | 'none';

/** The request parts a route reads, parsed from its schemas before its handlers run. */
export interface RouteInput<Params extends z.ZodType, Query extends z.ZodType, Body extends z.ZodType> {
  params: z.output<Params>;
  query: z.output<Query>;
  body: z.output<Body>;
}

/** What the handlers of a route see in `res.locals`: the principal (set by auth) and the parsed input. */
export interface RouteLocals<Params extends z.ZodType, Query extends z.ZodType, Body extends z.ZodType> extends Record<string, unknown> {
  input: RouteInput<Params, Query, Body>;
}

/**
 * The route's contract: the zod schemas of what it takes and what it answers.
 * Requests are parsed from `params`, `query` and `body` (strict objects, so
 * unknown fields are refused) before the handlers run; `responses` names the
 * schema of each status it answers with, which tests check every answer
 * against (`checkResponses`), and from which clients take their types.
 */
export interface RouteContract<Params extends z.ZodType = z.ZodType, Query extends z.ZodType = z.ZodType, Body extends z.ZodType = z.ZodType> {
  params?: Params;
  query?: Query;
  /** A JSON body's schema; routes with a raw body (uploads) read the bytes themselves. */
  body?: Body;
  responses?: Partial<Record<number, z.ZodType>>;
  /** A Server-Sent Events stream: each event name and the schema of its data. */
  events?: Readonly<Record<string, z.ZodType>>;
}

export interface RouteSpec<Params extends z.ZodType = z.ZodType, Query extends z.ZodType = z.ZodType, Body extends z.ZodType = z.ZodType>
  extends RouteContract<Params, Query, Body> {
  method: HttpMethod;
  path: string;
  access: Access;
  summary: string;
  /** How the body is read; defaults to json for post/put/patch, none otherwise. */
  bodyKind?: BodyKind;
  /** Requests per minute per token; over it answers 429 with Retry-After. */
  ratePerMinute?: number;
  /**
   * The handlers are a sub-application (a router) mounted at `path`: every
   * method and every path below it, behind the same access rule. `method` is
   * then the one that loads it, which the authorization matrix probes.
   */
  subtree?: boolean;
  /**
   * Also accepts the web UI's session cookie instead of a bearer token: for
   * pages a browser navigates to (it cannot add an Authorization header).
   */
  acceptsUiSession?: boolean;
  // Handlers read their parsed input from res.locals; the raw request keeps Express's own shapes.
  handlers: Array<RequestHandler<ParamsDictionary, unknown, unknown, ParsedQs, RouteLocals<Params, Query, Body>>>;
}

export interface RouteGuards {
  access(access: Access, route: RouteSpec): RequestHandler[];
  body(kind: BodyKind): RequestHandler[];
  rateLimit(spec: RouteSpec): RequestHandler[];
  /** Parses the request from the route's schemas into `res.locals.input`. */
  input(spec: RouteSpec): RequestHandler[];
  /** In tests: checks every answer against the route's response schemas. */
  responses(spec: RouteSpec): RequestHandler[];
}

/**
 * Every route is declared here with its access rule, so the authorization
 * middleware and the authorization test matrix read the same list: a route
 * that is not in the table cannot be mounted.
 */
export class RouteTable {
  readonly routes: RouteSpec[] = [];

  add<Params extends z.ZodType, Query extends z.ZodType, Body extends z.ZodType>(typed: RouteSpec<Params, Query, Body>): void {
    // Stored without the schema types: each route's handlers were checked against its own above.
    const spec = typed as unknown as RouteSpec;
    if (this.routes.some((route) => route.method === spec.method && route.path === spec.path)) {
      throw new Error(`route ${spec.method.toUpperCase()} ${spec.path} is declared twice`);
    }
    this.routes.push(spec);
  }

  /**
   * The routes as one handler. Authentication and authorization come before
   * the body is read, so strangers cannot make us buffer uploads.
   *
   * A request goes straight to a router holding only the routes whose paths
   * begin with its first segment: one router would test every route's pattern
   * in turn, on every request.
   */
  handler(guards: RouteGuards): RequestHandler {
    const routers = new Map<string, Router>();
    for (const route of this.routes) {
      const segment = firstSegmentOf(route.path);
      if (segment.startsWith(':')) throw new Error(`route ${route.path} begins with a parameter: it cannot be dispatched by its first segment`);
      const router = routers.get(segment) ?? Router();
      routers.set(segment, router);
      const body = route.bodyKind ?? (['post', 'put', 'patch'].includes(route.method) ? 'json' : 'none');
      const chain = [
        ...guards.access(route.access, route),
        ...guards.rateLimit(route),
        ...guards.body(body),
        ...guards.responses(route),
        ...guards.input(route),
        ...(route.handlers as RequestHandler[]),
      ];
      if (route.subtree) router.use(route.path, ...chain);
      else router[route.method](route.path, ...chain);
    }
    return (req, res, next) => {
      const router = routers.get(firstSegmentOf(req.path));
      if (router) router(req, res, next);
      else next();
    };
  }
}

/** `/contributions/:id` → `contributions`; lower case, as Express matches paths regardless of case. */
const firstSegmentOf = (path: string): string => {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
};
