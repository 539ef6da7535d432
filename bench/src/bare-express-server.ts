import express from 'express';

/**
 * The ceiling for `npm run bench -- api`: Express 5 answering a small JSON
 * body, nothing else. Run as its own process, like the API, on a free
 * loopback port that it prints as `port <n>`.
 */
const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.json({ hello: 'world' });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
