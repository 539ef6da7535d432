import { describe, expect, it } from 'vitest';
import { claimRoleMapSchema, rolesFromClaims, sameRoles } from './claim-roles.js';

const roleMap = claimRoleMapSchema.parse({ claim: 'groups', map: { 'ospo-team': ['ospo', 'requester'], engineers: ['requester'], auditors: ['auditor'] } });

describe('rolesFromClaims', () => {
  it('grants the union of the mapped values, each role once, in the role list order', () => {
    expect(rolesFromClaims({ groups: ['engineers', 'ospo-team', 'unmapped'] }, roleMap)).toEqual(['requester', 'ospo']);
  });

  it('reads a single string claim', () => {
    expect(rolesFromClaims({ groups: 'auditors' }, roleMap)).toEqual(['auditor']);
  });

  it('grants nothing for a missing claim, a non-string claim or prototype names', () => {
    expect(rolesFromClaims({}, roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: [42, { a: 1 }] }, roleMap)).toEqual([]);
    expect(rolesFromClaims({ groups: ['constructor', '__proto__', 'toString'] }, roleMap)).toEqual([]);
  });

  it('compares role sets regardless of order', () => {
    expect(sameRoles(['ospo', 'requester'], ['requester', 'ospo'])).toBe(true);
    expect(sameRoles(['ospo'], ['ospo', 'requester'])).toBe(false);
  });
});

describe('claimRoleMapSchema', () => {
  it('names the field of an unknown role', () => {
    const result = claimRoleMapSchema.safeParse({ claim: 'groups', map: { engineers: ['wizard'] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['map', 'engineers', 0]);
  });

  it('refuses unknown fields and an empty map', () => {
    expect(claimRoleMapSchema.safeParse({ claim: 'groups', map: { a: ['admin'] }, extra: 1 }).success).toBe(false);
    expect(claimRoleMapSchema.safeParse({ claim: 'groups', map: {} }).success).toBe(false);
  });
});
