import type { Role } from '@clearance/core';
import { Router, type RequestHandler } from 'express';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `public` is for health checks and the static UI shell
 * only; everything else needs a token, and most routes a role.
 */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

/** How the body is read: JSON (small, parsed), raw bytes (uploads, larger limit), or no body. */
export type BodyKind = 'json' | 'raw' | 'none';

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  access: Access;
  summary: string;
  /** Defaults to json for post/put/patch, none otherwise. */
  body?: BodyKind;
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
  handlers: RequestHandler[];
}

export interface RouteGuards {
  access(access: Access, route: RouteSpec): RequestHandler[];
  body(kind: BodyKind): RequestHandler[];
  rateLimit(spec: RouteSpec): RequestHandler[];
}

/**
 * Every route is declared here with its access rule, so the authorization
 * middleware and the authorization test matrix read the same list: a route
 * that is not in the table cannot be mounted.
 */
export class RouteTable {
  readonly routes: RouteSpec[] = [];

  add(spec: RouteSpec): void {
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
      const body = route.body ?? (['post', 'put', 'patch'].includes(route.method) ? 'json' : 'none');
      const chain = [...guards.access(route.access, route), ...guards.rateLimit(route), ...guards.body(body), ...route.handlers];
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
