/**
 * The one error type of Clearance. Domain, db, queue and worker code throw it
 * with a stable `code`; only the HTTP edge maps a code to a status, and only
 * the CLI maps it to an exit code. Nothing below the edge knows about HTTP.
 */
export const errorCodes = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  // A state-changing call authenticated by the session cookie without its CSRF token.
  'csrf_failed',
  'not_found',
  'validation_failed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
