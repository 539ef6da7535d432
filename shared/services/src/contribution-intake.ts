import type { ContributionRecord } from '@clearance/db';
import { BatchRunner } from './batch-runner.js';
import { submitContribution, submitContributions, type Submission } from './contribution-submission.js';
import type { ContributionServiceDeps } from './contribution-transition.js';

/** Enough to amortize a commit; small enough that one batch's statements stay short. */
const MAX_SUBMISSIONS_PER_BATCH = 100;

/**
 * The database refused a statement (it carries a SQLSTATE): the transaction
 * certainly rolled back. A lost connection says nothing of whether a COMMIT
 * landed, so those are never retried here.
 */
const refusedByDatabase = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { severity?: unknown }).severity === 'string' &&
  /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown }).code));

/**
 * A new request's only unique keys are made of its new id, so the database
 * refusing one as a duplicate means two ids drawn in one millisecond clashed
 * (newContributionIds); the next try draws new ones.
 */
const idClash = (error: unknown): boolean => refusedByDatabase(error) && (error as { code: string }).code === '23505';

/**
 * Takes submissions arriving together in one transaction (see BatchRunner):
 * under load, the API pays one commit, one audit-chain lock and one statement
 * per table for many requests instead of for each. Each caller still waits
 * for the commit that holds its request. When the database refuses a batch,
 * its submissions are retried one by one, so a request that cannot be stored
 * fails alone; a submission alone whose id clashed is tried once more.
 */
export class ContributionIntake {
  private readonly batches: BatchRunner<Submission, ContributionRecord>;

  constructor(deps: ContributionServiceDeps) {
    const submitAlone = async (submission: Submission): Promise<ContributionRecord> => {
      try {
        return await submitContribution(deps, submission);
      } catch (error) {
        if (!idClash(error)) throw error;
        return submitContribution(deps, submission);
      }
    };
    this.batches = new BatchRunner(async (submissions) => {
      try {
        return (await submitContributions(deps, submissions)).map((value) => ({ status: 'fulfilled', value }));
      } catch (error) {
        if (!refusedByDatabase(error)) throw error;
        if (submissions.length > 1) return Promise.allSettled(submissions.map(submitAlone));
        if (!idClash(error)) throw error;
        return Promise.allSettled(submissions.map((submission) => submitContribution(deps, submission)));
      }
    }, MAX_SUBMISSIONS_PER_BATCH);
  }

  submit(submission: Submission): Promise<ContributionRecord> {
    return this.batches.run(submission);
  }
}
