import type { Role } from '@clearance/core';
import type { RequestHandler, Router } from 'express';

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

  /** Authentication and authorization come before the body is read, so strangers cannot make us buffer uploads. */
  mount(router: Router, guards: RouteGuards): void {
    for (const route of this.routes) {
      const body = route.body ?? (['post', 'put', 'patch'].includes(route.method) ? 'json' : 'none');
      const chain = [...guards.access(route.access, route), ...guards.rateLimit(route), ...guards.body(body), ...route.handlers];
      if (route.subtree) router.use(route.path, ...chain);
      else router[route.method](route.path, ...chain);
    }
  }
}
