import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '@clearance/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { logFieldsOf } from './auth.js';
import { statusOfCode, type ErrorBody } from './error-response.js';
import { requestIdOf } from './request-log.js';

/** Errors thrown by body-parser carry a `type` naming what went wrong with the body. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';

function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) {
    return new AppError(
      'validation_failed',
      'the request does not match the expected shape',
      error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message, code: issue.code })),
    );
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return new AppError('bad_request', 'the body is not valid JSON');
      case 'entity.too.large':
        return new AppError('payload_too_large', `the body is larger than the limit of ${error.limit ?? '?'} bytes`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new AppError('unsupported_media_type', 'unsupported body encoding or charset');
      case 'request.aborted':
        return new AppError('bad_request', 'the client aborted the request');
      case 'request.size.invalid':
        return new AppError('bad_request', 'the body length does not match Content-Length');
      default:
        return null;
    }
  }
  return null;
}

/**
 * Maps every error to `{ error: { code, message, details? } }`. Unknown
 * errors become a 500 with an error id; the stack goes to the log only.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    // A refusal that arrives while the body is still coming in (a stranger's upload, a body over
    // the limit): close the connection after answering instead of reading the rest.
    if (!req.complete) res.setHeader('connection', 'close');
    const context = { reqId: requestIdOf(res), ...logFieldsOf(res) };
    const known = toAppError(error);
    if (known) {
      const body: ErrorBody = { error: { code: known.code, message: known.message } };
      if (known.details !== undefined) body.error.details = known.details;
      if (known.code === 'internal' || known.code === 'unavailable') log.warn({ err: error, ...context }, known.message);
      res.status(statusOfCode[known.code]).json(body);
      return;
    }
    const errorId = randomUUID();
    log.error({ err: error, errorId, ...context }, 'unhandled error');
    const body: ErrorBody = { error: { code: 'internal', message: 'internal error; quote the error id when reporting it', errorId } };
    res.status(500).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};
