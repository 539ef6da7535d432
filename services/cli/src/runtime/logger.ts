import { pino, type Logger } from 'pino';

/** How long a log line may wait in the buffer when traffic is low. */
const FLUSH_EVERY_MS = 1_000;

type Destination = ReturnType<typeof pino.destination>;
const destinations = new WeakMap<Logger, Destination>();

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
  const log = pino(
    {
      name,
      level,
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
  destinations.set(log, destination);
  return log;
};

/**
 * Exits once the buffered log lines are written, or after `timeoutMs`
 * without that. Not `process.exit` alone: it leaves the buffer to the
 * destination's synchronous flush on exit, which retries a failed write
 * forever, so a process whose log reader had gone (EPIPE) or stopped reading
 * never exited. Lines still unwritten at the deadline are dropped.
 */
export function exitAfterLogs(log: Logger, code: number, timeoutMs = 1_000): void {
  const exit = (): void => {
    const destination = destinations.get(log);
    if (destination) destination.flushSync = () => undefined;
    process.exit(code);
  };
  setTimeout(exit, timeoutMs);
  log.flush(exit);
}
