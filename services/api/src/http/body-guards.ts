import { AppError, scanJsonStructure } from '@clearance/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

/**
 * Refuses a body whose declared Content-Length is over the limit before a
 * byte of it is read, and closes the connection after the 413: body-parser
 * would otherwise read (and throw away) the whole declared body before
 * answering. A body without a length (chunked) is counted as it arrives and
 * refused at the limit by the parser; what follows is discarded, never held.
 */
export function refuseDeclaredOversize(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      res.setHeader('connection', 'close');
      throw new AppError('payload_too_large', `the body is ${declared} bytes; the limit is ${limit}`);
    }
    next();
  };
}

/** JSON bodies of the API are small forms; 32 levels leave room for any of them. */
export const maxJsonBodyDepth = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// `\u0000` that is an escape, not text after an escaped backslash (`\\u0000`).
const escapedNul = /(?<!\\)(?:\\\\)*\\u0000/i;

/**
 * body-parser's `verify` hook for JSON bodies: runs on the raw bytes before
 * JSON.parse and refuses, with a 400 that says why, what JSON.parse would
 * silently accept or mangle: bytes that are not UTF-8 (they would become
 * U+FFFD), NUL characters (no text column stores them), a key given twice in
 * one object (JSON.parse keeps the last; a proxy or a reviewer's tool may
 * read the first), and nesting deeper than any form needs.
 */
export function verifyJsonBody(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new AppError('bad_request', 'the body is not valid UTF-8');
  }
  const nul = text.indexOf('\u0000');
  const escaped = nul === -1 ? escapedNul.exec(text) : null;
  if (nul !== -1 || escaped) {
    throw new AppError('bad_request', `the body contains a NUL character (offset ${nul !== -1 ? nul : (escaped?.index ?? 0)}), which no field accepts`);
  }
  try {
    scanJsonStructure(text, maxJsonBodyDepth);
  } catch (error) {
    const details = (error as { details?: { reason?: string; key?: string } }).details;
    if (details?.reason === 'too-deep') throw new AppError('bad_request', `the body nests deeper than ${maxJsonBodyDepth} levels`);
    if (details?.key !== undefined) throw new AppError('bad_request', `the body has the key ${JSON.stringify(details.key)} twice in one object`);
    throw error;
  }
}
