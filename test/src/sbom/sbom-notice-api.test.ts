import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isAppError } from '@clearance/core';
import { findSbom } from '@clearance/db';
import { noticeOfStoredSbom } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixturePath = (path: string): string => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

/**
 * The built CLI's NOTICE of the same file: what the API must match byte for
 * byte. Run asynchronously: the server under test shares this event loop.
 */
const cliNotice = async (path: string, format: string): Promise<string> => {
  const { stdout } = await promisify(execFile)(process.execPath, [`${root}services/cli/dist/main.js`, 'notice', fixturePath(path), '--format', format], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
};

describe('GET /sboms/:id/notice (real PostgreSQL, Redis, workers)', () => {
  let srv: TestServer;
  let compliance: string;
  let engineer: string;
  const ids = new Map<string, string>();

  const tokenFor = async (user: string, roles: string[]): Promise<string> =>
    (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;

  const upload = async (content: Buffer | string, token = compliance): Promise<string> => {
    const response = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', { token, rawBody: content, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(202);
    const id = response.body.id;
    await waitFor(async () => ((await findSbom(srv.server.db, id))?.status === 'evaluated' ? true : undefined), { what: `SBOM ${id} evaluated` });
    return id;
  };

  const get = async (path: string, token = compliance): Promise<{ status: number; type: string | null; text: string }> => {
    const response = await fetch(srv.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    srv = await startTestServer();
    compliance = await tokenFor('carla', ['compliance']);
    engineer = await tokenFor('erin', ['requester']);
    for (const path of ['real-sboms/juice-shop/bom.1.4.json', 'real-sboms/dropwizard/bom.json']) ids.set(path, await upload(await readFile(fixturePath(path))));
  });
  afterAll(async () => {
    await srv.close();
  });

  it.each([
    ['real-sboms/juice-shop/bom.1.4.json', 'text', 'text/plain; charset=utf-8'],
    ['real-sboms/juice-shop/bom.1.4.json', 'json', 'application/json; charset=utf-8'],
    ['real-sboms/dropwizard/bom.json', 'html', 'text/html; charset=utf-8'],
    ['real-sboms/dropwizard/bom.json', 'md', 'text/markdown; charset=utf-8'],
  ])('%s as %s: the same bytes as `clearance notice` offline', async (path, format, type) => {
    const response = await get(`/sboms/${ids.get(path)}/notice?format=${format}`);
    expect(response.status).toBe(200);
    expect(response.type).toBe(type);
    expect(response.text).toBe(await cliNotice(path, format));
  });

  it('defaults to text, and says what is wrong with an unknown format or query field (400 bad_request)', async () => {
    const id = ids.get('real-sboms/dropwizard/bom.json') ?? '';
    expect((await get(`/sboms/${id}/notice`)).text).toBe(await cliNotice('real-sboms/dropwizard/bom.json', 'text'));
    const pdf = await call<{ error: { code: string; message: string; details: { allowedFormats: string[] } } }>(srv.baseUrl, 'GET', `/sboms/${id}/notice?format=pdf`, { token: compliance });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.code).toBe('bad_request');
    expect(pdf.body.error.message).toMatch(/^query format: /u);
    expect(pdf.body.error.details.allowedFormats).toEqual(['text', 'html', 'md', 'json']);
    const extra = await call<{ error: { code: string; message: string } }>(srv.baseUrl, 'GET', `/sboms/${id}/notice?format=text&lang=de`, { token: compliance });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('lang');
  });

  it('escapes a component name with <script> in the HTML it serves', async () => {
    const id = await upload(
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: '<script>alert(1)</script>', licenses: [{ license: { id: 'MIT' } }] }] }),
      engineer,
    );
    const html = await get(`/sboms/${id}/notice?format=html`, engineer);
    expect(html.status).toBe(200);
    expect(html.text).not.toContain('<script');
    expect(html.text).toContain('<dt>&lt;script&gt;alert(1)&lt;/script&gt;</dt>');
  });

  it("is read under the SBOM's rules: another engineer gets 404, an SBOM not yet evaluated a conflict", async () => {
    const other = await tokenFor('omar', ['requester']);
    expect((await get(`/sboms/${ids.get('real-sboms/dropwizard/bom.json')}/notice`, other)).status).toBe(404);
    const row = await findSbom(srv.server.db, ids.get('real-sboms/dropwizard/bom.json') ?? '');
    if (!row) throw new Error('stored SBOM missing');
    const error = await noticeOfStoredSbom(srv.server.db, { ...row, status: 'queued' }).then(() => null, (caught: unknown) => caught);
    expect(isAppError(error) && error.code).toBe('conflict');
  });
});
