import type { LicensePolicy } from './policy-schema.js';
import { normalizeLicenseExpression } from './license-engine.js';
import type { Waiver } from './waiver.js';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * What is wrong with a waiver someone asks to grant, under the policy's
 * waiver limits; empty when it may be granted. The API answers these as a
 * validation error; evaluation never needs them.
 */
export const waiverGrantProblems = (
  waiver: Pick<Waiver, 'scope' | 'verdict' | 'justification' | 'expiresAt'>,
  policy: LicensePolicy,
  now: Date,
): string[] => {
  const problems: string[] = [];
  if (!policy.waivers.allowedVerdicts.includes(waiver.verdict)) {
    problems.push(`a waiver may set ${policy.waivers.allowedVerdicts.join(' or ')}, not ${waiver.verdict}`);
  }
  if (waiver.justification.trim() === '') problems.push('a justification is required');
  const expiresAt = Date.parse(waiver.expiresAt);
  if (Number.isNaN(expiresAt)) problems.push('expiresAt is not a date');
  else if (expiresAt <= now.getTime()) problems.push('expiresAt must be in the future');
  else if (expiresAt - now.getTime() > policy.waivers.maxDays * dayMs) {
    problems.push(`expiresAt is more than ${policy.waivers.maxDays} days away (waivers.maxDays)`);
  }
  if (waiver.scope.licenseExpression !== undefined && normalizeLicenseExpression(waiver.scope.licenseExpression, policy) === null) {
    problems.push(`scope.licenseExpression cannot be read: ${waiver.scope.licenseExpression}`);
  }
  if (waiver.scope.match !== 'prefix' && !/^pkg:[A-Za-z.+-]+\/.+/.test(waiver.scope.purl)) {
    problems.push('scope.purl is not a package URL (pkg:type/name)');
  }
  return problems;
};
