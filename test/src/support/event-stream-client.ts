import { liveEventSchemas, type LiveEventName } from '@clearance/contract';
import { createParser } from 'eventsource-parser';
import { waitFor } from './wait-for.js';

export interface StreamEvent {
  event: string;
  id: string | undefined;
  data: unknown;
}

export interface EventStreamClient {
  status: number;
  contentType: string | null;
  events: StreamEvent[];
  /** The id the client would resume from (also moved by id-only frames). */
  lastId: () => string | undefined;
  comments: () => number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  next(name: LiveEventName, match?: (data: Record<string, unknown>) => boolean, what?: string): Promise<StreamEvent>;
  close(): void;
}

/**
 * A Server-Sent Events reader over fetch, parsed by eventsource-parser (what
 * the EventSource implementations use), so tests can send a cookie or a
 * bearer header and Last-Event-ID. Every event's data is checked against its
 * contract schema.
 */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: StreamEvent[] = [];
  let lastId: string | undefined;
  let comments = 0;
  const parser = createParser({
    onId: (id) => {
      lastId = id;
    },
    onComment: () => {
      comments += 1;
    },
    onEvent: (message) => {
      const name = (message.event ?? 'message') as LiveEventName;
      const schema = liveEventSchemas[name];
      if (!schema) throw new Error(`an event the contract does not name: ${name}`);
      events.push({ event: name, id: message.id, data: schema.parse(JSON.parse(message.data)) });
    },
  });
  const ended = (async () => {
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  ended.catch(() => undefined);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    lastId: () => lastId,
    comments: () => comments,
    ended,
    next: (name, match = () => true, what = name) =>
      waitFor(() => events.find((event) => event.event === name && match(event.data as Record<string, unknown>)), { what: `a ${what} event` }),
    close: () => abort.abort(),
  };
}
