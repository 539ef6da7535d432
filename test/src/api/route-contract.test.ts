import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { RouteTable } from '@clearance/api';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandler } from '../../../services/api/src/http/error-handler.js';
import { checkRouteResponses, parseRouteInput } from '../../../services/api/src/http/route-contract.js';

/** The route table's schemas at work: requests parsed from them, answers checked against them (test mode). */
describe('route contract: requests parsed and answers checked from the route table', () => {
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const table = new RouteTable();
    const open = { kind: 'public' } as const;
    const item = z.strictObject({ id: z.string(), size: z.number().int() });
    table.add({
      method: 'post',
      path: '/items/:id',
      access: open,
      summary: 'echo',
      params: z.strictObject({ id: z.string().regex(/^it_\d+$/, 'not an item id') }),
      query: z.strictObject({ size: z.coerce.number().int().default(1) }),
      body: z.strictObject({ note: z.string() }),
      responses: { 200: item },
      handlers: [(_req, res) => void res.json({ id: res.locals.input.params.id, size: res.locals.input.query.size })],
    });
    table.add({ method: 'get', path: '/drifted', access: open, summary: 'wrong shape', responses: { 200: item }, handlers: [(_req, res) => void res.json({ id: 7 })] });
    table.add({ method: 'get', path: '/undeclared', access: open, summary: 'no 201 declared', responses: { 200: item }, handlers: [(_req, res) => void res.status(201).json({ id: 'a', size: 1 })] });
    const app = express();
    const log = pino({ level: 'silent' });
    app.use(
      table.handler({
        access: () => [],
        body: () => [express.json()],
        rateLimit: () => [],
        input: parseRouteInput,
        responses: (route) => checkRouteResponses(route, log),
      }),
    );
    app.use(errorHandler(log));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));

  it('hands the handler the parsed params and query (defaults and coercion applied)', async () => {
    expect(await post('/items/it_1?size=3', { note: 'x' })).toEqual({ status: 200, body: { id: 'it_1', size: 3 } });
    expect(await post('/items/it_1', { note: 'x' })).toEqual({ status: 200, body: { id: 'it_1', size: 1 } });
  });

  it('refuses unknown fields and bad values in body, query and params with 422 naming each', async () => {
    const unknownField = await post('/items/it_1', { note: 'x', admin: true });
    expect(unknownField.status).toBe(422);
    expect(JSON.stringify(unknownField.body)).toContain('admin');
    const unknownQuery = await post('/items/it_1?sort=name', { note: 'x' });
    expect(unknownQuery.status).toBe(422);
    expect(JSON.stringify(unknownQuery.body)).toContain('sort');
    const badParam = await post('/items/nope', { note: 'x' });
    expect(badParam).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', details: [{ path: 'id', message: 'not an item id' }] } } });
  });

  it('turns an answer that breaks the contract into a 500 naming the route and the field', async () => {
    const drifted = await fetch(`${base}/drifted`);
    expect(drifted.status).toBe(500);
    expect(((await drifted.json()) as { error: { message: string } }).error.message).toMatch(/^GET \/drifted broke its contract: id: .*; size: /);
    const undeclared = await fetch(`${base}/undeclared`);
    expect(undeclared.status).toBe(500);
    expect(((await undeclared.json()) as { error: { message: string } }).error.message).toContain('answered 201, which its contract does not declare');
  });
});
