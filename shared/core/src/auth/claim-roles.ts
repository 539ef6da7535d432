import { z } from 'zod';
import { roles, roleSchema, type Role } from './roles.js';

/**
 * How an identity provider's claim becomes Clearance roles: the claim to read
 * (a string or a list of strings, e.g. `groups`) and, per claim value, the
 * roles it grants. A value that is not listed grants nothing.
 */
export const claimRoleMapSchema = z.strictObject({
  claim: z.string().trim().min(1).max(200),
  map: z.record(z.string().min(1).max(500), z.array(roleSchema).min(1)).refine((map) => Object.keys(map).length > 0, 'maps no claim value to a role'),
});

export type ClaimRoleMap = z.infer<typeof claimRoleMapSchema>;

/** The claim's values: a string, or the strings of a list; anything else counts as none. */
const claimValues = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((entry): entry is string => typeof entry === 'string');
  return [];
};

/** The roles the claims grant, each once, in the order of the one role list (so equal sets compare equal). */
export function rolesFromClaims(claims: Readonly<Record<string, unknown>>, roleMap: ClaimRoleMap): Role[] {
  const granted = new Set<Role>();
  for (const value of claimValues(claims[roleMap.claim])) {
    // An own property only: a claim value such as "constructor" must not reach Object's prototype.
    if (!Object.hasOwn(roleMap.map, value)) continue;
    for (const role of roleMap.map[value] ?? []) granted.add(role);
  }
  return roles.filter((role) => granted.has(role));
}

export const sameRoles = (a: readonly Role[], b: readonly Role[]): boolean => a.length === b.length && a.every((role) => b.includes(role));
