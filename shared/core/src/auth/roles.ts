import { z } from 'zod';

export const roles = [
  'requester',
  'manager',
  'ospo',
  'legal',
  'security',
  'executive',
  'compliance',
  'auditor',
  'admin',
] as const;

export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** The roles that can sign a stage of a contribution request. */
export const reviewerRoles = ['manager', 'ospo', 'legal', 'security', 'executive'] as const satisfies readonly Role[];

export interface Principal {
  user: string;
  roles: readonly Role[];
  tokenId: string;
}

export const hasAnyRole = (principal: Pick<Principal, 'roles'>, allowed: readonly Role[]): boolean =>
  principal.roles.some((role) => allowed.includes(role));
