import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { logFieldsOf } from './auth.js';

const requestIdPattern = /^[\w.-]{1,100}$/;

/** The request id of an answer: the caller's when it was sane, ours otherwise (see requestLog). */
export const requestIdOf = (res: Response): string => String(res.getHeader('x-request-id') ?? '');

/**
 * One short line per request, written when the answer has gone out (or the
 * client gave up): what was asked, by whom, with what result and how long it
 * took. Never headers: whole header sets made each line ≈1.5 KB and carried
 * tokens and cookies that then needed redacting.
 *
 * Written here rather than with pino-http, which makes a child logger per
 * request and so serializes every request twice: with the same line, intake
 * throughput rose by a fifth (README, "API load").
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    // A caller's request id is kept when it is sane, so logs join up across services.
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    const started = performance.now();
    res.once('close', () => {
      const status = res.statusCode;
      const level = !res.writableFinished || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      log[level](
        {
          req: { id, method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
          ...logFieldsOf(res),
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
