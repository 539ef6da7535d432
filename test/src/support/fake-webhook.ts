import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat or ticketing webhook, played on loopback: records each JSON body it is sent. */
export interface FakeWebhook {
  url: string;
  received: Array<Record<string, unknown>>;
  /** Every acknowledged POST as it came: headers and the raw body (for signature checks). */
  requests: Array<{ headers: IncomingHttpHeaders; raw: string }>;
  /** How many POSTs arrived, acknowledged or not. */
  arrivals(): number;
  /** The next POST gets no answer until `release` is called (a receiver that hangs while the sender dies). */
  holdNext(): { arrived: Promise<void>; release(): void };
  /** The status the next `times` POSTs get instead of 200. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const received: Array<Record<string, unknown>> = [];
  const requests: Array<{ headers: IncomingHttpHeaders; raw: string }> = [];
  let failures: { status: number; left: number } | null = null;
  let arrivals = 0;
  let hold: { arrivedResolve: () => void; released: Promise<void> } | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      arrivals += 1;
      if (hold !== null) {
        const held = hold;
        hold = null;
        held.arrivedResolve();
        // Answered only after release, on a socket the sender may have dropped by then.
        void held.released.then(() => res.writeHead(503).end());
        return;
      }
      if (failures !== null && failures.left > 0) {
        failures.left -= 1;
        res.writeHead(failures.status).end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, raw });
      received.push(JSON.parse(raw) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T0/secret-part`,
    received,
    requests,
    arrivals: () => arrivals,
    holdNext() {
      let arrivedResolve: () => void = () => undefined;
      let release: () => void = () => undefined;
      const arrived = new Promise<void>((resolve) => (arrivedResolve = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      hold = { arrivedResolve, released };
      return { arrived, release };
    },
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
