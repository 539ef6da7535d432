import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Authorization headers and token fields are
 * redacted wherever they appear, as a second line of defence.
 */
export const createLogger = (level: string, name: string): Logger =>
  pino({
    name,
    level,
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
  });
