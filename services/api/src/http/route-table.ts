import type { Role } from '@clearance/core';
import type { RequestHandler, Router } from 'express';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `public` is for health checks and the static UI shell
 * only; everything else needs a token, and most routes a role.
 */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  access: Access;
  summary: string;
  handlers: RequestHandler[];
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

  mount(router: Router, guard: (access: Access) => RequestHandler[]): void {
    for (const route of this.routes) router[route.method](route.path, ...guard(route.access), ...route.handlers);
  }
}
