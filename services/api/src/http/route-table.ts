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
  handlers: RequestHandler[];
}

export interface RouteGuards {
  access(access: Access): RequestHandler[];
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
      router[route.method](route.path, ...guards.access(route.access), ...guards.rateLimit(route), ...guards.body(body), ...route.handlers);
    }
  }
}
