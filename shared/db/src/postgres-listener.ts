import pg from 'pg';

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * LISTEN on a connection of its own (a pooled one goes back to the pool and
 * stops hearing). A lost connection (server restart, terminated backend,
 * failover) is opened again with backoff; `onNotify(null)` then tells the
 * caller that notifications may have been missed, so it reads what it has
 * not seen. pg-listen does the same but has not been released since 2020;
 * this is the part of it Clearance needs, on the pg it already uses.
 */
export async function listenOnPostgres(
  connection: { connectionString: string; applicationName?: string },
  channel: string,
  onNotify: (payload: string | null) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = RECONNECT_FIRST_MS;

  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: connection.connectionString, application_name: `${connection.applicationName ?? 'clearance'} listener` });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    // Unheard, an 'error' would crash the process; 'end' follows it.
    next.on('error', () => undefined);
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    next.on('end', () => {
      if (client === next) client = null;
      if (!stopped) schedule();
    });
    return next;
  };

  const schedule = (): void => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect()
        .then((next) => {
          if (stopped) return next.end();
          client = next;
          delay = RECONNECT_FIRST_MS;
          onNotify(null);
        })
        .catch(() => {
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          schedule();
        });
    }, delay);
  };

  client = await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const last = client;
    client = null;
    await last?.end();
  };
}
