import { createServer, type Socket } from 'node:net';

/** A server that accepts TCP connections and never answers: a GitHub behind a black-holing proxy or firewall. */
export interface SilentTcpServer {
  baseUrl: string;
  /**
   * Connections that sent a request so far. (Connections alone are not
   * counted: after an aborted request, Node's HTTP client may open a spare
   * one that carries nothing.)
   */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startSilentTcpServer(): Promise<SilentTcpServer> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      requests += 1;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
