import { pino, type Logger } from 'pino';

/** How long a log line may wait in the buffer when traffic is low. */
const FLUSH_EVERY_MS = 1_000;

/**
 * Structured JSON logs on stdout. Authorization headers and token fields are
 * redacted wherever they appear, as a second line of defence.
 *
 * Lines are buffered and written 4 KiB at a time (and at least every second,
 * and on exit): a write per line was a system call per request. A `kill -9`
 * can lose the last second of log lines; nothing else depends on them
 * (decisions are in the audit log).
 */
export const createLogger = (level: string, name: string): Logger => {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4_096 });
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  return pino(
    {
      name,
      level,
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
};
