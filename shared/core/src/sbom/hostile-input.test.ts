import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppError} from '../errors/app-error.js';
import { isAppError } from '../errors/app-error.js';
import type { IntakeErrorDetails } from './intake-error.js';
import { parseSbom } from './parse-sbom.js';

/** Runs parseSbom and returns the AppError it must throw (any other outcome fails the test). */
const refusal = (input: Buffer | string, limits?: Parameters<typeof parseSbom>[1]): AppError => {
  try {
    parseSbom(input, limits);
  } catch (error) {
    if (isAppError(error)) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected parseSbom to refuse the input');
};

const reason = (error: AppError): string => (error.details as IntakeErrorDetails).reason;

const cdxXml = (body: string, prolog = '<?xml version="1.0"?>') =>
  `${prolog}<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><components>${body}</components></bom>`;

const cdxJson = (components: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, ...extra, components });

describe('hostile XML', () => {
  it('refuses XXE before parsing', () => {
    const xxe = cdxXml(
      '<component type="library"><name>&xxe;</name></component>',
      '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    );
    const error = refusal(xxe);
    expect(reason(error)).toBe('forbidden-xml-construct');
    expect(error.code).toBe('unprocessable');
    expect(error.message).toContain('DOCTYPE');
  });

  it('refuses billion laughs before expanding anything', () => {
    const entities = Array.from({ length: 10 }, (_, i) =>
      i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
    ).join('');
    const bomb = cdxXml('<component type="library"><name>&lol9;</name></component>', `<!DOCTYPE bom [${entities}]>`);
    const value = refusal(bomb);
    expect(reason(value)).toBe('forbidden-xml-construct');
  });

  it('refuses repeated and lower-case DOCTYPEs and a bare ENTITY', () => {
    expect(reason(refusal(`${'<!DOCTYPE bom>'.repeat(10_000)}${cdxXml('')}`))).toBe('forbidden-xml-construct');
    expect(reason(refusal(`<!doctype bom>${cdxXml('')}`))).toBe('forbidden-xml-construct');
    expect(reason(refusal(cdxXml('<!ENTITY a "b">')))).toBe('forbidden-xml-construct');
  });

  it('decodes a numeric character reference flood', () => {
    const name = '&#x41;'.repeat(500_000); // 3 MB of references
    const value = parseSbom(cdxXml(`<component type="library"><name>${name}</name></component>`));
    expect(value.components[0]?.name).toHaveLength(500_000);
  });

  it('refuses references to NUL, surrogates and undefined entities', () => {
    for (const ref of ['&#0;', '&#xD800;', '&#x110000;', '&nbsp;', '&#xZZ;', '& ']) {
      expect(reason(refusal(cdxXml(`<component type="library"><name>a${ref}b</name></component>`)))).toBe('invalid-xml');
    }
  });

  it('decodes the predefined entities and keeps CDATA verbatim', () => {
    const parsed = parseSbom(
      cdxXml(
        '<component type="library"><name>a &amp; b &lt;c&gt;</name><purl><![CDATA[pkg:npm/x@1?a=1&b=&amp;]]></purl></component>',
      ),
    );
    expect(parsed.components[0]).toMatchObject({ name: 'a & b <c>', purl: 'pkg:npm/x@1?a=1&b=&amp;' });
  });

  it('refuses XML nested 100k deep without recursion trouble', () => {
    const deep = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</bom>`;
    const value = refusal(deep);
    expect(reason(value)).toBe('too-deep');
  });

  it('refuses malformed XML, text after the root and a __proto__ element', () => {
    expect(reason(refusal(cdxXml('<component type="library"><name>x</component>')))).toBe('invalid-xml');
    expect(reason(refusal(`${cdxXml('')}trailing`))).toBe('invalid-xml');
    expect(reason(refusal(`${cdxXml('')}<bom/>`))).toBe('invalid-xml');
    expect(isAppError(refusal(cdxXml('<__proto__><polluted>yes</polluted></__proto__>')))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('hostile JSON', () => {
  it('refuses JSON nested 100k deep before JSON.parse', () => {
    for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const value = refusal(deep);
      expect(reason(value)).toBe('too-deep');
      expect(value.code).toBe('unprocessable');
    }
  });

  it('leaves Object.prototype untouched by __proto__ keys', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const poison = { polluted: 'yes' };
    // Hand-written: JSON.stringify drops a __proto__ set through an object literal.
    const inputs = [
      `{"__proto__": ${JSON.stringify(poison)}, "bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}`,
      '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","licenses":[{"license":{"id":"MIT","__proto__":{"polluted":"yes"}}}]}]}',
      `{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","__proto__":{"polluted":"yes"},"packages":[{"SPDXID":"SPDXRef-a","name":"a","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}]}`,
    ];
    inputs.push(
      '{"bomFormat":"CycloneDX","specVersion":"1.2","version":1,"components":[{"type":"library","name":"a","version":"1","__proto__":{"polluted":"yes"}}]}',
    );
    for (const input of inputs) {
      try {
        parseSbom(input);
      } catch (error) {
        expect(isAppError(error)).toBe(true);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it('refuses duplicate keys instead of silently keeping the last one', () => {
    const twice = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","licenses":[{"license":{"id":"MIT"}}],"licenses":[{"license":{"id":"GPL-3.0-only"}}]}]}`;
    const error = refusal(twice);
    expect(reason(error)).toBe('invalid-json');
    expect(error.message).toContain('duplicate key "licenses"');
    // Escapes do not hide a duplicate.
    expect(refusal('{"bomFormat":"CycloneDX","bomForma\\u0074":"x"}').message).toContain('duplicate key');
    // The same key in sibling objects is fine.
    expect(parseSbom(cdxJson([{ type: 'library', name: 'a' }, { type: 'library', name: 'b' }])).components).toHaveLength(2);
  });

  it('refuses invalid UTF-8, NUL bytes and UTF-16', () => {
    const valid = Buffer.from(cdxJson([{ type: 'library', name: 'a' }]));
    const broken = Buffer.concat([valid.subarray(0, 40), Buffer.from([0xc3, 0x28]), valid.subarray(40)]);
    expect(reason(refusal(broken))).toBe('invalid-encoding');
    expect(refusal(broken).message).toContain('UTF-8');
    const withNul = Buffer.concat([valid.subarray(0, 40), Buffer.from([0]), valid.subarray(40)]);
    expect(refusal(withNul).message).toContain('NUL');
    expect(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid.toString(), 'utf16le')])).message).toContain('UTF-16');
    expect(reason(refusal('{"a":"\ud800"}'))).toBe('invalid-encoding');
  });

  it('accepts a UTF-8 byte order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cdxJson([{ type: 'library', name: 'a' }]))]);
    expect(parseSbom(withBom).components).toHaveLength(1);
  });

  it('refuses trailing garbage', () => {
    const error = refusal(`${cdxJson([])} trailing`);
    expect(reason(error)).toBe('invalid-json');
    expect(error.message).toMatch(/^invalid JSON: /);
  });

  it('passes a 5,000-parenthesis license expression through untouched (the evaluator judges it)', () => {
    const expression = `${'('.repeat(5_000)}MIT${')'.repeat(5_000)}`;
    const parsed = parseSbom(cdxJson([{ type: 'library', name: 'a', licenses: [{ expression }] }]));
    expect(parsed.components[0]?.license.choices).toEqual([{ kind: 'expression', expression }]);
  });
});

describe('hostile gzip, tag-value and JSON-LD', () => {
  it('refuses a gzip bomb (1 GiB of zeros in 1 MB) after inflating no more than the size limit', () => {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    const error = refusal(bomb);
    expect(error.code).toBe('payload_too_large');
    expect(reason(error)).toBe('decompressed-too-large');
    expect(error.message).toMatch(/inflates to more than the limit of 52428800 bytes \(a gzip bomb\?\)/u);
  });

  it('refuses gzip inside gzip and a truncated gzip stream', () => {
    const inner = gzipSync(cdxJson([{ type: 'library', name: 'a' }]));
    expect(refusal(gzipSync(inner)).message).toContain('gzip inside gzip');
    const truncated = refusal(inner.subarray(0, inner.byteLength - 8));
    expect(reason(truncated)).toBe('invalid-encoding');
    expect(truncated.message).toMatch(/^SBOM is gzip-compressed but cannot be inflated/u);
  });

  const tagValueHead = 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentNamespace: https://example.com/x\n';

  it('refuses a 40 MB <text> block that is never closed, naming its line', () => {
    const open = `${tagValueHead}PackageName: a\nSPDXID: SPDXRef-a\nPackageCopyrightText: <text>${'x'.repeat(40 * 1024 * 1024)}`;
    const error = refusal(open);
    expect(reason(error)).toBe('schema');
    expect(error.message).toBe('SPDX tag-value failed validation at line 7: PackageCopyrightText opens <text> that is never closed by </text>');
  });

  it('reads a 40 MB closed <text> block over 1M lines, and counts lines after it', () => {
    const block = 'line of text\n'.repeat(3_000_000);
    const text = `${tagValueHead}PackageName: a\nSPDXID: SPDXRef-a\nPackageComment: <text>${block}</text>\nPackageName: b\nSPDXID: SPDXRef-a\n`;
    expect(refusal(text).message).toBe('SPDX tag-value failed validation: /packages/1 repeats SPDXID "SPDXRef-a"'.replace('SPDX tag-value', 'SPDX 2.3 tag-value'));
    const ok = text.replace('SPDXID: SPDXRef-a\n', 'SPDXID: SPDXRef-z\n');
    expect(parseSbom(ok).components.map((c) => c.ref)).toEqual(['SPDXRef-z', 'SPDXRef-a']);
    expect(refusal(`${ok}not a tag\n`).message).toContain(`at line ${3_000_000 + 10}:`);
  });

  it('refuses tag-value packages over maxComponents as they are read', () => {
    const packages = Array.from({ length: 4 }, (_, i) => `PackageName: p${i}\nSPDXID: SPDXRef-${i}\n`).join('');
    expect(reason(refusal(`${tagValueHead}${packages}`, { maxComponents: 3 }))).toBe('too-many-components');
  });

  const spdx3 = (graph: unknown[]) =>
    JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [{ type: 'software_Package', spdxId: 'urn:p', name: 'p' }, ...graph] });
  const concluded = (to: string) => ({ type: 'Relationship', spdxId: `urn:r-${to}`, relationshipType: 'hasConcludedLicense', from: 'urn:p', to: [to] });

  it('refuses a JSON-LD license set that contains itself (a loop) as too deep', () => {
    const loop = spdx3([concluded('urn:set'), { type: 'expandedlicensing_ConjunctiveLicenseSet', spdxId: 'urn:set', expandedlicensing_member: ['urn:set', 'https://spdx.org/licenses/MIT'] }]);
    expect(reason(refusal(loop))).toBe('too-deep');
  });

  it('refuses a JSON-LD license tree that shares subtrees into 2^40 leaves, in bounded time', () => {
    const levels = Array.from({ length: 40 }, (_, i) => ({
      type: 'expandedlicensing_DisjunctiveLicenseSet',
      spdxId: `urn:l${i}`,
      expandedlicensing_member: i === 39 ? ['https://spdx.org/licenses/MIT', 'https://spdx.org/licenses/MIT'] : [`urn:l${i + 1}`, `urn:l${i + 1}`],
    }));
    const error = refusal(spdx3([concluded('urn:l0'), ...levels]));
    expect(reason(error)).toBe('too-large');
    expect(error.message).toContain('more than 10000 nodes');
  });

  it('refuses a JSON-LD graph over the element limit, and one nested past maxDepth', () => {
    const many = Array.from({ length: 31 }, (_, i) => ({ type: 'Person', spdxId: `urn:x${i}`, name: 'x' }));
    expect(reason(refusal(spdx3(many), { maxComponents: 3 }))).toBe('too-many-components');
    const deep = `{"@context":"https://spdx.org/rdf/3.0.1/spdx-context.jsonld","@graph":[${'{"a":'.repeat(100)}1${'}'.repeat(100)}]}`;
    expect(reason(refusal(deep))).toBe('too-deep');
  });
});

describe('no network', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never follows a $schema URL or xsi:schemaLocation', () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    parseSbom(cdxJson([{ type: 'library', name: 'a' }], { $schema: 'http://127.0.0.1:9/evil.schema.json' }));
    parseSbom(
      cdxXml('<component type="library"><name>a</name></component>').replace(
        '<bom ',
        '<bom xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://cyclonedx.org/schema/bom/1.6 http://127.0.0.1:9/bom.xsd" ',
      ),
    );
    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('limits', () => {
  it('refuses input over maxBytes as payload_too_large', () => {
    const error = refusal(cdxJson([{ type: 'library', name: 'a' }]), { maxBytes: 20 });
    expect(error.code).toBe('payload_too_large');
    expect(reason(error)).toBe('too-large');
  });

  it('counts nested components against maxComponents', () => {
    const nested = [{ type: 'library', name: 'a', components: [{ type: 'library', name: 'b' }, { type: 'library', name: 'c' }] }];
    expect(parseSbom(cdxJson(nested), { maxComponents: 3 }).components).toHaveLength(3);
    const error = refusal(cdxJson(nested), { maxComponents: 2 });
    expect(error.code).toBe('payload_too_large');
    expect(reason(error)).toBe('too-many-components');
  });

  it('counts SPDX packages against maxComponents', () => {
    const spdx = JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      packages: [1, 2, 3].map((i) => ({ SPDXID: `SPDXRef-${i}`, name: `p${i}` })),
    });
    expect(reason(refusal(spdx, { maxComponents: 2 }))).toBe('too-many-components');
  });

  it('applies maxDepth to JSON and XML alike', () => {
    const nested = [{ type: 'library', name: 'a', components: [{ type: 'library', name: 'b' }] }];
    expect(reason(refusal(cdxJson(nested), { maxDepth: 4 }))).toBe('too-deep');
    expect(reason(refusal(cdxXml('<component type="library"><name>a</name></component>'), { maxDepth: 2 }))).toBe('too-deep');
  });
});

describe('never another exception', () => {
  it('answers every truncation and byte flip of a real-looking SBOM with a result or an AppError', () => {
    const json = cdxJson([
      { type: 'library', 'bom-ref': 'a', name: 'a', version: '1', licenses: [{ license: { id: 'MIT' } }] },
      { type: 'library', 'bom-ref': 'b', name: 'b', licenses: [{ expression: 'MIT OR Apache-2.0' }] },
    ]);
    const xml = cdxXml('<component type="library" bom-ref="a"><name>a</name><licenses><license><id>MIT</id></license></licenses></component>');
    for (const text of [json, xml]) {
      for (let cut = 0; cut < text.length; cut += 3) {
        for (const variant of [text.slice(0, cut), `${text.slice(0, cut)}"${text.slice(cut + 1)}`, `${text.slice(0, cut)}<${text.slice(cut + 1)}`]) {
          try {
            parseSbom(variant);
          } catch (error) {
            expect(isAppError(error), `${String(error)} for ${JSON.stringify(variant)}`).toBe(true);
          }
        }
      }
    }
  });
});
