import { api } from './api-client.js';

export interface LiveView {
  /** Reads again at once (after the person did something that changes what is shown). */
  now(): void;
}

/** Which changes a page follows; the server sends only those the signed-in person may see anyway. */
export interface LiveFilter {
  subjectType?: string;
  subjectId?: string;
}

const SESSION_MARGIN_MS = 60_000;
const RECONNECT_MS = 2_000;

let sessionUntil = 0;
let sessionRequest: Promise<void> | null = null;

/**
 * EventSource cannot send the bearer token, so the stream opens with the UI
 * session cookie (HttpOnly, path /events) that POST /events/session sets;
 * it is renewed before it runs out and whenever the stream is refused.
 */
function ensureSession(): Promise<void> {
  if (Date.now() < sessionUntil - SESSION_MARGIN_MS) return Promise.resolve();
  sessionRequest ??= api<{ expiresAt: string }>('POST', '/events/session')
    .then((session) => {
      sessionUntil = Date.parse(session.expiresAt);
    })
    .finally(() => {
      sessionRequest = null;
    });
  return sessionRequest;
}

/**
 * Runs `tick` now, and again whenever the server's event stream (GET
 * /events) says something the page shows has changed, until the signal
 * aborts. Changes that arrive while a tick runs fold into one more tick; a
 * hidden tab ticks when it is shown again. The browser reconnects a dropped
 * stream by itself with Last-Event-ID; a refused one (an expired cookie) is
 * opened again with a fresh cookie and `?after=` the last id seen.
 */
export function live(tick: () => Promise<unknown>, filter: LiveFilter, signal: AbortSignal, onError: (error: unknown) => void = () => undefined): LiveView {
  let running = false;
  let again = false;
  let source: EventSource | null = null;
  let lastId: string | null = null;
  let retry: number | undefined;

  const run = (): void => {
    if (signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    if (document.hidden) {
      document.addEventListener('visibilitychange', run, { once: true });
      return;
    }
    running = true;
    tick()
      .catch((error: unknown) => {
        if (!signal.aborted) onError(error);
      })
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };

  const reconnectLater = (): void => {
    window.clearTimeout(retry);
    if (!signal.aborted) retry = window.setTimeout(() => void connect(), RECONNECT_MS);
  };

  const connect = async (): Promise<void> => {
    try {
      await ensureSession();
    } catch (error) {
      if (!signal.aborted) onError(error);
      reconnectLater();
      return;
    }
    if (signal.aborted) return;
    const params = new URLSearchParams();
    if (filter.subjectType) params.set('subjectType', filter.subjectType);
    if (filter.subjectId) params.set('subjectId', filter.subjectId);
    if (lastId !== null) params.set('after', lastId);
    const query = params.toString();
    const opened = new EventSource(`/events${query ? `?${query}` : ''}`);
    source = opened;
    const changed = (event: MessageEvent): void => {
      if (event.lastEventId) lastId = event.lastEventId;
      run();
    };
    // ready: live from here on, so read once more (closes the gap between the first read and the stream).
    for (const name of ['ready', 'change', 'reset']) opened.addEventListener(name, changed);
    opened.addEventListener('error', () => {
      if (opened.readyState !== EventSource.CLOSED) return;
      opened.close();
      sessionUntil = 0;
      reconnectLater();
    });
  };

  signal.addEventListener(
    'abort',
    () => {
      window.clearTimeout(retry);
      source?.close();
    },
    { once: true },
  );
  run();
  void connect();
  return { now: run };
}
