import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { RouteTable, type RouteSpec } from '@clearance/api';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const answering = (name: string): RouteSpec['handlers'] => [(req, res) => void res.json({ route: name, params: req.params })];

/** The routes as Express would serve them from one router: the dispatch by first segment must not change which one answers. */
describe('RouteTable dispatch by first segment', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const table = new RouteTable();
    const open = { kind: 'public' } as const;
    table.add({ method: 'get', path: '/', access: open, summary: 'root', handlers: answering('root') });
    table.add({ method: 'get', path: '/items', access: open, summary: 'list', handlers: answering('list') });
    table.add({ method: 'get', path: '/items/:id', access: open, summary: 'one', handlers: answering('one') });
    table.add({ method: 'post', path: '/items/:id/close', access: open, summary: 'close', bodyKind: 'none', handlers: answering('close') });
    table.add({ method: 'get', path: '/itemsets', access: open, summary: 'sets', handlers: answering('sets') });
    table.add({ method: 'get', path: '/admin/board', access: open, summary: 'board', subtree: true, handlers: [express.Router().get('/deep/:x', answering('deep')[0]!)] });
    const app = express();
    app.use(table.handler({ access: () => [], body: () => [], rateLimit: () => [], input: () => [], responses: () => [] }));
    app.use((_req, res) => void res.status(404).json({ route: null }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const routeOf = async (method: string, path: string): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, { method });
    return ((await response.json()) as { route: unknown }).route;
  };

  it('finds each route by its whole path, as one router would', async () => {
    expect(await routeOf('GET', '/')).toBe('root');
    expect(await routeOf('GET', '/items')).toBe('list');
    expect(await routeOf('GET', '/items/7')).toBe('one');
    expect(await routeOf('POST', '/items/7/close')).toBe('close');
    expect(await routeOf('GET', '/itemsets')).toBe('sets');
    expect(await routeOf('GET', '/admin/board/deep/1')).toBe('deep');
  });

  it('keeps Express matching: upper case, a trailing slash, a query string', async () => {
    expect(await routeOf('GET', '/ITEMS/7')).toBe('one');
    expect(await routeOf('GET', '/items/')).toBe('list');
    expect(await routeOf('GET', '/items?limit=1')).toBe('list');
  });

  it('passes what no route takes on to the next handler', async () => {
    expect(await routeOf('GET', '/nothing')).toBeNull();
    expect(await routeOf('DELETE', '/items/7')).toBeNull();
    expect(await routeOf('GET', '/items/7/close/more')).toBeNull();
    expect(await routeOf('GET', '/admin')).toBeNull();
  });

  it('refuses a route that begins with a parameter: it has no first segment to be found by', () => {
    const table = new RouteTable();
    table.add({ method: 'get', path: '/:anything', access: { kind: 'public' }, summary: 'x', handlers: answering('x') });
    expect(() => table.handler({ access: () => [], body: () => [], rateLimit: () => [], input: () => [], responses: () => [] })).toThrow(/begins with a parameter/);
  });
});
