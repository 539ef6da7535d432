import { AppError } from '../errors/app-error.js';
import type { ContributionState } from './state.js';

/** Why a transition was refused; stable, so the UI and tests can rely on it. */
export type ContributionRefusalReason =
  | 'own-request'
  | 'signed-other-stage'
  | 'already-signed'
  | 'role-not-held'
  | 'stage-not-current'
  | 'reason-required'
  | 'reason-too-long'
  | 'not-in-review'
  | 'final'
  | 'not-requester'
  | 'not-resubmittable'
  | 'not-latest-revision'
  | 'already-routed';

export interface ContributionRefusal {
  code: 'forbidden' | 'validation_failed' | 'conflict';
  reason: ContributionRefusalReason;
  message: string;
}

export type ContributionTransition<Extra = object> = ({ ok: true; state: ContributionState } & Extra) | { ok: false; refusal: ContributionRefusal };

export const refuse = (code: ContributionRefusal['code'], reason: ContributionRefusalReason, message: string): { ok: false; refusal: ContributionRefusal } => ({
  ok: false,
  refusal: { code, reason, message },
});

/** The refusal as the one error type, for callers that throw (the HTTP edge maps the code). */
export const contributionRefusalError = (refusal: ContributionRefusal): AppError =>
  new AppError(refusal.code, refusal.message, { reason: refusal.reason });
