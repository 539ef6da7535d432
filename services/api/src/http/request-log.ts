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
 * request and so serializes every request twice: its line cost about a
 * fifth of the API's CPU per submission (README, "API load").
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    // A caller's request id is kept when it is sane, so logs join up across services.
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    const started = performance.now();
    // 'finish' comes once the answer is handed to the socket. Not `writableFinished`, which also
    // holds for an answer written after the caller hung up, whichever of the two the close noticed first.
    let answered = false;
    res.once('finish', () => {
      answered = true;
    });
    res.once('close', () => {
      const status = res.statusCode;
      // A caller that hangs up is the caller's business, not an error of ours.
      const level = !answered ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      log[level](
        {
          req: { id, method: req.method, url: req.originalUrl, remoteAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
          ...logFieldsOf(res),
        },
        answered ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}
