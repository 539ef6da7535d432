import { AppError } from '../errors/app-error.js';

/**
 * Why an input was refused, stable for API clients and tests; the message is
 * for people and may change.
 */
export type IntakeFailure =
  | 'empty'
  | 'too-large'
  | 'too-many-components'
  | 'too-deep'
  | 'invalid-encoding'
  | 'invalid-json'
  | 'invalid-xml'
  | 'forbidden-xml-construct'
  | 'not-an-sbom'
  | 'unsupported-version'
  | 'schema'
  | 'duplicate-ref';

export interface IntakeErrorDetails {
  reason: IntakeFailure;
  [key: string]: unknown;
}

const tooLarge: ReadonlySet<IntakeFailure> = new Set(['too-large', 'too-many-components']);

/** Size limits are 413s at the edge; everything else about the content is a 422. */
export const intakeError = (
  reason: IntakeFailure,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError =>
  new AppError(
    tooLarge.has(reason) ? 'payload_too_large' : 'unprocessable',
    message,
    { reason, ...details } satisfies IntakeErrorDetails,
    cause === undefined ? undefined : { cause },
  );
