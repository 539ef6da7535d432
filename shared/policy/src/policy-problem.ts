import { AppError, isAppError } from '@clearance/core';

/** One thing wrong in a policy folder, at a 1-based line and column (0 and 0: the whole file). */
export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, e.g. `categories.permissive.licenses[3]`; empty for the document itself. */
  path: string;
  message: string;
}

export const policyValidationError = (problems: PolicyProblem[]): AppError =>
  new AppError(
    'validation_failed',
    `policy is invalid: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
    problems,
  );

const isProblem = (value: unknown): value is PolicyProblem =>
  typeof value === 'object' &&
  value !== null &&
  'file' in value &&
  'line' in value &&
  'column' in value &&
  'path' in value &&
  'message' in value;

/** The problems of a policy validation error, or null for any other error. */
export const policyProblemsOf = (error: unknown): PolicyProblem[] | null => {
  if (!isAppError(error) || error.code !== 'validation_failed' || !Array.isArray(error.details)) return null;
  const details: unknown[] = error.details;
  return details.every(isProblem) ? details : null;
};

/** `file:line:column path: message`, the way compilers print, so editors can jump to it. */
export const formatPolicyProblem = (problem: PolicyProblem): string => {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return `${where} ${problem.path === '' ? '(document)' : problem.path}: ${problem.message}`;
};
