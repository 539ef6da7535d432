import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat or ticketing webhook, played on loopback: records each JSON body it is sent. */
export interface FakeWebhook {
  url: string;
  received: Array<Record<string, unknown>>;
  /** The status the next `times` POSTs get instead of 200. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startFakeWebhook(): Promise<FakeWebhook> {
  const received: Array<Record<string, unknown>> = [];
  let failures: { status: number; left: number } | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures !== null && failures.left > 0) {
        failures.left -= 1;
        res.writeHead(failures.status).end();
        return;
      }
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T0/secret-part`,
    received,
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
