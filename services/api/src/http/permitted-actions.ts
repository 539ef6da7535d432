import { hasAnyRole, type Principal } from '@clearance/core';
import type { RouteTable } from './route-table.js';

/**
 * The routes the principal's roles open, as `METHOD /path`, read from the
 * same table the authorization middleware enforces: clients show the actions
 * a user may take from this list instead of keeping role lists of their own.
 * (Rules on the object itself, such as "not your own request", still answer
 * per request.)
 */
export const permittedActions = (table: RouteTable, principal: Pick<Principal, 'roles'>): string[] =>
  table.routes
    .filter((route) => route.access.kind === 'authenticated' || (route.access.kind === 'roles' && hasAnyRole(principal, route.access.roles)))
    .map((route) => `${route.method.toUpperCase()} ${route.path}`);
