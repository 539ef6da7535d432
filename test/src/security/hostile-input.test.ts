import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { issueToken } from '@clearance/services';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Hostile input through the real HTTP API (the parser's own unit tests are in
 * shared/core/src/sbom/*.test.ts). Each input must get its 4xx, the process
 * must keep answering, and nothing may leave the machine.
 */

const uploadLimit = 4 * 1024 * 1024;
const jsonLimit = 64 * 1024;

const cdxJson = (components: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, ...extra, components });
const cdxXml = (body: string, prolog = '<?xml version="1.0"?>', bomAttributes = ''): string =>
  `${prolog}<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"${bomAttributes}><components>${body}</components></bom>`;

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

interface SbomBody {
  id: string;
  status: string;
  findings: { items: Array<{ name: string; outcome: string; verdict: string; notes: string[]; expression: string | null }> };
}

/** A loopback HTTP server that only counts what reaches it: a stand-in for "the internet". */
interface Canary {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

const startCanary = async (): Promise<Canary> => {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method ?? '?'} ${req.url ?? '?'}`);
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/**
 * Sends a request head, then body bytes until the server answers (or `maxBytes`
 * are sent), and reads until the server closes. Times out if the server
 * neither answers nor closes: that is the failure it looks for.
 */
const rawExchange = (port: number, head: string, chunk: Buffer, maxBytes: number): Promise<{ response: string; sentBytes: number }> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let sentBytes = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server neither answered nor closed; sent ${sentBytes} bytes, got ${JSON.stringify(response.slice(0, 200))}`));
    }, 15_000);
    socket.on('data', (data: Buffer) => {
      response += data.toString('latin1');
    });
    // The server closing while we still write is the point: EPIPE/ECONNRESET are expected.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, sentBytes });
    });
    socket.on('connect', () => {
      socket.write(head);
      const pump = (): void => {
        while (response === '' && !socket.destroyed && sentBytes < maxBytes) {
          sentBytes += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });

/** Streams `totalBytes` with chunked transfer encoding (no Content-Length), honouring backpressure. */
const chunkedUpload = (
  url: string,
  headers: Record<string, string>,
  chunk: Buffer,
  totalBytes: number,
): Promise<{ status: number; body: string; sentBytes: number }> =>
  new Promise((resolve, reject) => {
    let sentBytes = 0;
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes }));
    });
    req.on('error', reject);
    const pump = (): void => {
      while (sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });

/** gzip of `size` zero bytes, made as a stream: the bomb is small, its payload never exists here. */
const gzipOfZeros = async (size: number): Promise<Buffer> => {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise<void>((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(parts);
};

const reasonOf = (response: ApiResponse): string | undefined => (response.body as ErrorBody | null)?.error?.details?.reason;

describe('hostile input through the HTTP API (real server, small limits)', () => {
  let srv: TestServer;
  let canary: Canary;
  let token = '';
  const logLines: string[] = [];
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  const upload = (body: string | Buffer, headers: Record<string, string> = {}): Promise<ApiResponse<ErrorBody & SbomBody>> =>
    call<ErrorBody & SbomBody>(srv.baseUrl, 'POST', '/sboms', { token, rawBody: body, headers });

  const port = (): number => Number(new URL(srv.baseUrl).port);

  const expectAlive = async (): Promise<void> => {
    expect((await call(srv.baseUrl, 'GET', '/healthz')).status).toBe(200);
  };

  const evaluated = (id: string): Promise<SbomBody> =>
    waitFor(
      async () => {
        const response = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${id}`, { token });
        return response.body.status !== 'queued' ? response.body : undefined;
      },
      { what: `SBOM ${id} evaluated` },
    );

  beforeAll(async () => {
    canary = await startCanary();
    // Every log line the server writes, as written.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
        done();
      },
    });
    srv = await startTestServer(
      {
        CLEARANCE_MAX_UPLOAD_BYTES: String(uploadLimit),
        CLEARANCE_MAX_JSON_BYTES: String(jsonLimit),
        // Hundreds of uploads from one token: the limits have their own test (authorization matrix).
        CLEARANCE_RATE_LIMIT_FACTOR: '0',
        // Anything that would call GitHub goes to the canary, which must stay silent.
        GITHUB_API_URL: canary.url,
      },
      undefined,
      pino({ level: 'info' }, sink),
    );
    token = (await issueToken(srv.server.db, { user: 'mallory', roles: ['compliance'], actor: 'test', policyVersion: null })).token;
  });
  afterAll(async () => {
    await srv?.close();
    await canary?.close();
  });

  describe('XML', () => {
    it('refuses XXE, billion laughs and repeated DOCTYPEs with 422 (a hang would fail the test by its timeout)', async () => {
      const xxeFile = cdxXml('<component type="library"><name>&xxe;</name></component>', '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
      const xxeUrl = cdxXml('<component type="library"><name>&xxe;</name></component>', `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "${canary.url}/xxe">]>`);
      const entities = Array.from({ length: 10 }, (_, i) => (i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`)).join('');
      const laughs = cdxXml('<component type="library"><name>&lol9;</name></component>', `<?xml version="1.0"?><!DOCTYPE bom [${entities}]>`);
      const repeated = `${'<!DOCTYPE bom>'.repeat(10_000)}${cdxXml('')}`;
      for (const [name, body] of Object.entries({ xxeFile, xxeUrl, laughs, repeated })) {
        const response = await upload(body, { 'content-type': 'application/xml' });
        expect(response.status, name).toBe(422);
        expect(reasonOf(response), name).toBe('forbidden-xml-construct');
        expect(JSON.stringify(response.body)).not.toContain('root:');
      }
      await expectAlive();
    });

    it('decodes a numeric character reference flood under the limit, and refuses one over it with 413', async () => {
      const flood = (count: number): string => cdxXml(`<component type="library"><name>${'&#x41;'.repeat(count)}</name></component>`);
      const accepted = await upload(flood(500_000)); // 3 MB of references
      expect(accepted.status).toBe(202);
      const refused = await upload(flood(800_000)); // 4.8 MB
      expect(refused.status).toBe(413);
      expect(refused.body.error.code).toBe('payload_too_large');
      await expectAlive();
    });
  });

  describe('JSON', () => {
    it('refuses an SBOM nested 100k deep with 422 (too-deep) and an API body nested 30k deep with 400', async () => {
      const deep = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const sbom = await upload(deep);
      expect(sbom.status).toBe(422);
      expect(reasonOf(sbom)).toBe('too-deep');
      const body = await call<ErrorBody>(srv.baseUrl, 'POST', '/waivers', {
        token,
        rawBody: `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(body.status).toBe(400);
      expect(body.body.error.message).toMatch(/deeper/);
      const tooBig = await call(srv.baseUrl, 'POST', '/waivers', { token, rawBody: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, headers: { 'content-type': 'application/json' } });
      expect(tooBig.status).toBe(413);
      await expectAlive();
    });

    it('leaves Object.prototype alone whatever __proto__ and constructor keys arrive', async () => {
      // JSON.stringify leaves an inherited __proto__ out, so the hostile keys are written as text.
      const proto = '"__proto__":{"polluted":"yes","roles":["admin"]}';
      const constructorKey = '"constructor":{"prototype":{"polluted":"yes"}}';
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const bodies: Array<[string, string]> = [
        ['/waivers', `{${proto},"scope":{"purl":"pkg:npm/a@1","match":"exact",${proto}},"verdict":"allow","justification":"x","expiresAt":"${expiresAt}"}`],
        ['/waivers', `{${constructorKey},"scope":{"purl":"pkg:npm/a@1","match":"exact"},"verdict":"allow","justification":"x","expiresAt":"${expiresAt}"}`],
        ['/tokens', `{"user":"x","roles":["auditor"],${proto}}`],
      ];
      for (const [path, text] of bodies) {
        const response = await call(srv.baseUrl, 'POST', path, { token: path === '/tokens' ? srv.adminToken : token, rawBody: text, headers: { 'content-type': 'application/json' } });
        expect(response.status, text).toBe(422);
      }
      const sbomText = `{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,${proto},${constructorKey},"components":[{"type":"library","name":"proto",${proto}}]}`;
      const sbom = await upload(sbomText);
      expect(sbom.status).toBe(422);
      expect(sbom.body.error.message).toContain('unknown property "__proto__"');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      await expectAlive();
    });

    it('refuses duplicate keys in SBOMs (422) and in API bodies (400)', async () => {
      const sbom = await upload('{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[],"components":[{"type":"library","name":"x"}]}');
      expect(sbom.status).toBe(422);
      expect(sbom.body.error.message).toMatch(/duplicate key "components"/);
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const waiver = await call<ErrorBody>(srv.baseUrl, 'POST', '/waivers', {
        token,
        rawBody: `{"scope":{"purl":"pkg:npm/dup@1","match":"exact"},"verdict":"deny","verdict":"allow","justification":"x","expiresAt":"${expiresAt}"}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(waiver.status).toBe(400);
      expect(waiver.body.error.message).toMatch(/"verdict" twice/);
      await expectAlive();
    });

    it('refuses invalid UTF-8, NUL bytes and UTF-16 in uploads (422) and in API bodies (400)', async () => {
      const valid = Buffer.from(cdxJson([{ type: 'library', name: 'caf-X' }]));
      const invalidUtf8 = Buffer.from(valid);
      invalidUtf8.set([0xc3, 0x28], valid.indexOf('X'));
      const nul = Buffer.from(valid);
      nul[valid.indexOf('X')] = 0;
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid.toString('utf8'), 'utf16le')]);
      for (const [name, body] of Object.entries({ invalidUtf8, nul, utf16 })) {
        const response = await upload(body);
        expect(response.status, name).toBe(422);
        expect(reasonOf(response), name).toBe('invalid-encoding');
      }
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const waiverBytes = (justification: Buffer): Buffer =>
        Buffer.concat([Buffer.from(`{"scope":{"purl":"pkg:npm/enc@1","match":"exact"},"verdict":"allow","expiresAt":"${expiresAt}","justification":"`), justification, Buffer.from('"}')]);
      const badBytes = await call<ErrorBody>(srv.baseUrl, 'POST', '/waivers', { token, rawBody: waiverBytes(Buffer.from([0x61, 0xc3, 0x28])), headers: { 'content-type': 'application/json' } });
      expect(badBytes.status).toBe(400);
      expect(badBytes.body.error.message).toMatch(/UTF-8/);
      const escapedNul = await call<ErrorBody>(srv.baseUrl, 'POST', '/waivers', { token, rawBody: waiverBytes(Buffer.from('a\\u0000b')), headers: { 'content-type': 'application/json' } });
      expect(escapedNul.status).toBe(400);
      expect(escapedNul.body.error.message).toMatch(/NUL/);
      const rawNul = await call<ErrorBody>(srv.baseUrl, 'POST', '/waivers', { token, rawBody: waiverBytes(Buffer.from([0x61, 0x00, 0x62])), headers: { 'content-type': 'application/json' } });
      expect(rawNul.status).toBe(400);
      // A backslash before "u0000" is text, not a NUL.
      const notNul = await call(srv.baseUrl, 'POST', '/waivers', { token, rawBody: waiverBytes(Buffer.from('a\\\\u0000b')), headers: { 'content-type': 'application/json' } });
      expect(notNul.status).toBe(201);
      await expectAlive();
    });
  });

  describe('sizes and encodings', () => {
    const head = (path: string, headers: Record<string, string>): string =>
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}\r\n`;
    const chunk = Buffer.alloc(64 * 1024, 0x20);

    it('answers 413 to a declared Content-Length over the limit before the body is sent, and closes', async () => {
      const declared = 100 * 1024 * 1024;
      for (const [path, limit] of [
        ['/sboms', uploadLimit],
        ['/waivers', jsonLimit],
      ] as const) {
        const { response, sentBytes } = await rawExchange(
          port(),
          head(path, { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(declared) }),
          chunk,
          declared,
        );
        expect(response, path).toMatch(/^HTTP\/1\.1 413 /);
        expect(response.toLowerCase(), path).toContain('connection: close');
        expect(response, path).toContain(`limit is ${limit}`);
        // Answered long before the declared body could have arrived (the client stops sending once it has an answer).
        expect(sentBytes, path).toBeLessThan(declared / 4);
      }
      await expectAlive();
    });

    it('answers 401 to a stranger\'s large upload without reading it, and closes', async () => {
      const { response, sentBytes } = await rawExchange(
        port(),
        head('/sboms', { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) }),
        chunk,
        100 * 1024 * 1024,
      );
      expect(response).toMatch(/^HTTP\/1\.1 401 /);
      expect(response.toLowerCase()).toContain('connection: close');
      expect(sentBytes).toBeLessThan(25 * 1024 * 1024);
      await expectAlive();
    });

    it('answers 413 to a chunked body (no Content-Length) over the limit', async () => {
      const sboms = await chunkedUpload(`${srv.baseUrl}/sboms`, { authorization: `Bearer ${token}` }, chunk, 3 * uploadLimit);
      expect(sboms.status).toBe(413);
      expect(sboms.body).toContain('payload_too_large');
      const json = await chunkedUpload(`${srv.baseUrl}/waivers`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, chunk, 8 * jsonLimit);
      expect(json.status).toBe(413);
      await expectAlive();
    });

    it('answers 413 to a gzip bomb and 415 to an unknown Content-Encoding', async () => {
      const bomb = await gzipOfZeros(64 * 1024 * 1024);
      expect(bomb.length).toBeLessThan(uploadLimit / 10);
      const sbom = await upload(bomb, { 'content-encoding': 'gzip' });
      expect(sbom.status).toBe(413);
      const json = await call(srv.baseUrl, 'POST', '/waivers', { token, rawBody: bomb, headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } });
      expect(json.status).toBe(413);
      const unknown = await upload(Buffer.from('x'), { 'content-encoding': 'compress' });
      expect(unknown.status).toBe(415);
      await expectAlive();
    });
  });

  describe('SBOM content', () => {
    it('evaluates a license expression of 5,000 parentheses without hanging: the finding says too-large', async () => {
      const expression = `${'('.repeat(5_000)}MIT${')'.repeat(5_000)}`;
      const accepted = await upload(cdxJson([{ type: 'library', name: 'parens', purl: 'pkg:npm/parens@1.0.0', licenses: [{ expression }] }]));
      expect(accepted.status).toBe(202);
      const result = await evaluated(accepted.body.id);
      expect(result.status).toBe('evaluated');
      expect(result.findings.items[0]).toMatchObject({ name: 'parens', outcome: 'too-large' });
      await expectAlive();
    });

    it('never fetches a $schema, xsi:schemaLocation or GitHub URL: the canary hears nothing', async () => {
      const json = await upload(cdxJson([{ type: 'library', name: 'schema-json' }], { $schema: `${canary.url}/bom-1.6.schema.json` }));
      expect(json.status).toBe(202);
      const xml = await upload(
        cdxXml(
          '<component type="library"><name>schema-xml</name></component>',
          '<?xml version="1.0"?>',
          ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://cyclonedx.org/schema/bom/1.6 ${canary.url}/bom.xsd"`,
        ),
        { 'content-type': 'application/xml' },
      );
      expect(xml.status).toBe(202);
      // Evaluated by the worker too, so both halves of the pipeline had their chance to reach out.
      expect((await evaluated(json.body.id)).status).toBe('evaluated');
      expect((await evaluated(xml.body.id)).status).toBe('evaluated');
      expect(canary.hits).toEqual([]);
    });

    it('refuses every invalid file of the CycloneDX spec suite with 422', async () => {
      const root = new URL('../../fixtures/cyclonedx-spec/', import.meta.url);
      const files = readdirSync(root)
        .sort()
        .flatMap((version) =>
          readdirSync(new URL(`${version}/`, root))
            .filter((file) => file.includes('invalid'))
            .map((file) => `${version}/${file}`),
        );
      expect(files.length).toBeGreaterThan(280);
      const outcomes: string[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < files.length) {
          const file = files[next++];
          if (file === undefined) return;
          const response = await upload(readFileSync(new URL(file, root)));
          if (response.status !== 422) outcomes.push(`${file}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      expect(outcomes).toEqual([]);
      await expectAlive();
    });

    it('refuses files that are not SBOMs with a 4xx that names what was found', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const cases: Array<{ name: string; body: string | Buffer; status: number; says: RegExp }> = [
        { name: 'png', body: png, status: 415, says: /^binary data \(not a text SBOM\) is not supported; accepted: CycloneDX/ },
        { name: 'html', body: '<!doctype html><html><body>hi</body></html>', status: 422, says: /DOCTYPE|HTML/ },
        { name: 'html without doctype', body: '<html><body>hi</body></html>', status: 422, says: /HTML/ },
        { name: 'spdx tag-value without SPDXID', body: 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n', status: 422, says: /tag-value failed validation: \/SPDXID/ },
        { name: 'spdx yaml', body: 'spdxVersion: SPDX-2.3\nname: x\n', status: 415, says: /^SPDX YAML is not supported; accepted: / },
        { name: 'spdx rdf', body: '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', status: 415, says: /^SPDX RDF\/XML is not supported/ },
        { name: 'cyclonedx 1.1', body: '<bom xmlns="http://cyclonedx.org/schema/bom/1.1" version="1"/>', status: 415, says: /^CycloneDX 1\.1 XML is not supported/ },
        { name: 'package.json', body: '{"name":"x","version":"1.0.0","dependencies":{}}', status: 422, says: /"name", "version", "dependencies"/ },
        { name: 'license list', body: '{"licenseListVersion":"3.24","licenses":[]}', status: 422, says: /license list/ },
        { name: 'plain text', body: 'hello world', status: 422, says: /neither JSON nor XML/ },
        { name: 'svg', body: '<svg xmlns="http://www.w3.org/2000/svg"/>', status: 422, says: /<svg>/ },
        { name: 'empty', body: '', status: 400, says: /empty/ },
      ];
      for (const { name, body, status, says } of cases) {
        const response = await upload(body);
        expect(response.status, name).toBe(status);
        expect(response.body.error.message, name).toMatch(says);
      }
      await expectAlive();
    });
  });

  describe('encoding of what comes back out', () => {
    it('returns a component name with <script> and a newline JSON-escaped, as JSON that is never sniffed as HTML', async () => {
      const name = '<script>alert(1)</script>\nInjected: yes';
      const accepted = await upload(cdxJson([{ type: 'library', name, purl: 'pkg:npm/xss@1.0.0', licenses: [{ license: { id: 'MIT' } }] }]));
      expect(accepted.status).toBe(202);
      await evaluated(accepted.body.id);
      const response = await fetch(`${srv.baseUrl}/sboms/${accepted.body.id}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(text).not.toContain('<script>');
      expect(text).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\nInjected: yes');
      expect((JSON.parse(text) as SbomBody).findings.items[0]?.name).toBe(name);
    });

    it('names the caller on each request line and never writes a token or a header set', async () => {
      const before = logLines.length;
      expect((await call(srv.baseUrl, 'GET', '/me', { token, headers: { cookie: 'clearance_ui=secret-cookie' } })).status).toBe(200);
      expect((await call(srv.baseUrl, 'GET', '/audit/events', { token })).status).toBe(403);
      const written = logLines.slice(before).map((line) => JSON.parse(line) as { msg?: string; user?: string; req?: { url?: string; headers?: unknown } });
      const lineOf = (url: string) => written.find((entry) => entry.msg === 'request completed' && entry.req?.url === url);
      expect(lineOf('/me')?.user).toBe('mallory');
      expect(lineOf('/audit/events')?.user).toBe('mallory');
      expect(written.every((entry) => entry.req?.headers === undefined)).toBe(true);
      expect(logLines.slice(before).some((line) => line.includes(token) || line.includes('secret-cookie'))).toBe(false);
    });

    it('keeps a sane X-Request-Id, replaces any other, and logs a caller that hangs up mid-body as aborted', async () => {
      interface RequestLine {
        msg?: string;
        level?: number;
        responseTime?: number;
        req?: { id?: string; url?: string };
        res?: { statusCode?: number };
      }
      const before = logLines.length;
      const kept = await call(srv.baseUrl, 'GET', '/me?kept', { token, headers: { 'x-request-id': 'trace-42.a_b' } });
      const replaced = await call(srv.baseUrl, 'GET', '/me?replaced', { token, headers: { 'x-request-id': 'no spaces, no commas' } });
      expect(kept.headers.get('x-request-id')).toBe('trace-42.a_b');
      const replacedId = replaced.headers.get('x-request-id') ?? '';
      expect(replacedId).toMatch(/^[0-9a-f-]{36}$/);

      // Half a declared body, then the socket closes: no answer can be written.
      const socket = connect(port(), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      await new Promise((resolve) =>
        socket.write(`POST /sboms?aborted HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Length: 1000\r\n\r\n${'{'.repeat(10)}`, resolve),
      );
      socket.destroy();
      const aborted = await waitFor(
        () => logLines.slice(before).map((line) => JSON.parse(line) as RequestLine).find((entry) => entry.req?.url === '/sboms?aborted'),
        { what: 'the aborted request in the log' },
      );
      const written = logLines.slice(before).map((line) => JSON.parse(line) as RequestLine);
      const lineOf = (url: string) => written.find((entry) => entry.req?.url === url);
      expect(lineOf('/me?kept')).toMatchObject({ msg: 'request completed', level: 30, req: { id: 'trace-42.a_b' }, res: { statusCode: 200 } });
      expect(lineOf('/me?replaced')).toMatchObject({ msg: 'request completed', req: { id: replacedId } });
      expect(typeof lineOf('/me?kept')?.responseTime).toBe('number');
      expect(aborted).toMatchObject({ msg: 'request aborted', level: 40 });
      await expectAlive();
    });

    it('keeps one log line per event when a user-supplied path or header carries CR/LF or JSON', async () => {
      const forged = '{"level":60,"msg":"forged"}';
      const before = logLines.length;
      // Percent-encoded CR/LF in the path: logged as sent, inside a JSON string.
      expect((await call(srv.baseUrl, 'GET', `/nope%0D%0A${encodeURIComponent(forged)}`, { token })).status).toBe(404);
      // A header value may carry quotes and braces: pino escapes them.
      const userAgent = `agent" } ${forged} {"a":"`;
      expect((await call(srv.baseUrl, 'GET', '/nope', { token, headers: { 'user-agent': userAgent } })).status).toBe(404);
      // A raw CR or LF inside a header line never reaches a route or the log: Node's parser answers 400.
      const attempts = [`x-request-id: a\r\n${forged}\r\n`, `user-agent: agent\rX${forged}\r\n`, `x-filename: a\n${forged}\r\n`];
      const statuses: string[] = [];
      for (const header of attempts) {
        const { response } = await rawExchange(port(), `GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${header}\r\n`, Buffer.alloc(0), 0);
        statuses.push(response.slice(0, 12));
      }
      expect(statuses).toEqual(['HTTP/1.1 400', 'HTTP/1.1 400', 'HTTP/1.1 400']);
      await expectAlive();

      const written = logLines.slice(before).map((line) => JSON.parse(line) as { msg?: string; level?: number; req?: { url?: string; userAgent?: string } });
      expect(written.length).toBeGreaterThanOrEqual(3);
      expect(written.filter((entry) => entry.msg === 'forged' || entry.level === 60)).toEqual([]);
      expect(written.some((entry) => entry.req?.url === `/nope%0D%0A${encodeURIComponent(forged)}`)).toBe(true);
      expect(written.some((entry) => entry.req?.userAgent === userAgent)).toBe(true);
      expect(logLines.slice(before).every((line) => !line.includes('\r'))).toBe(true);
    });
  });
});
