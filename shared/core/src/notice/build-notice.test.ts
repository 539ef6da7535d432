import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/app-error.js';
import { evaluateSbom } from '../license/evaluate-sbom.js';
import { licensePolicySchema } from '../license/policy-schema.js';
import { parseSbom } from '../sbom/parse-sbom.js';
import { buildNotice } from './build-notice.js';
import { renderNotice } from './notice-formats.js';

const fixture = (path: string): Buffer => readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/${path}`, import.meta.url)));
/** The license list's own file, read without our loader: what "the SPDX list's text" means. */
const spdxFull = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../node_modules/spdx-license-list/spdx-full.json', import.meta.url)), 'utf8')) as Record<
  string,
  { licenseText: string }
>;

const category = (verdict: 'allow' | 'review' | 'deny', licenses: string[]) => ({ description: 'test', verdict, licenses });
const policy = licensePolicySchema.parse({
  schemaVersion: 1,
  outcomes: { missing: 'review', noassertion: 'review', none: 'review', unparsable: 'review', tooLarge: 'deny' },
  categories: {
    permissive: category('allow', ['MIT', 'Apache-2.0']),
    'public-domain': category('allow', []),
    'weak-copyleft': category('review', []),
    'strong-copyleft': category('deny', []),
    'network-copyleft': category('deny', []),
    'non-commercial': category('deny', []),
    proprietary: category('review', []),
    unknown: category('review', []),
  },
  waivers: { maxDays: 90, allowedVerdicts: ['allow', 'review'] },
});

const noticeOf = (bytes: Buffer | string) => {
  const sbom = parseSbom(Buffer.from(bytes));
  const { findings } = evaluateSbom(sbom.components, policy, { waivers: [], now: new Date('2026-01-01T00:00:00Z'), policyVersion: 'test' });
  return buildNotice({ sbom, findings });
};

const cyclonedx = (components: unknown[]): string => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components });
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('buildNotice', () => {
  it('takes LicenseRef texts and copyright lines from an SPDX document (the SPDX 2.3 spec example)', () => {
    const raw = JSON.parse(fixture('spdx/SPDXJSONExample-v2.3.spdx.json').toString('utf8')) as {
      packages: Array<{ name: string; copyrightText?: string }>;
      hasExtractedLicensingInfos: Array<{ licenseId: string; extractedText: string }>;
    };
    const notice = noticeOf(fixture('spdx/SPDXJSONExample-v2.3.spdx.json'));
    const glibc = notice.components.find((component) => component.name === 'glibc');
    expect(glibc).toMatchObject({ license: 'LGPL-2.0-only OR LicenseRef-3', copyright: raw.packages.find((p) => p.name === 'glibc')?.copyrightText });
    const ref3 = notice.texts.find((text) => text.label === 'LicenseRef-3');
    expect(ref3).toMatchObject({ source: 'sbom', text: raw.hasExtractedLicensingInfos.find((info) => info.licenseId === 'LicenseRef-3')?.extractedText });
    // Only the licenses the packages use get a text; the file-level LicenseRefs do not.
    expect(notice.texts.map((text) => text.label)).toEqual(['LGPL-2.0-only', 'LicenseRef-3', 'MPL-1.0']);
    expect(notice.unavailable.map((gap) => [gap.reason, gap.items.map((item) => item.component)])).toEqual([
      ['no-license', ['Jena 3.12.0']],
      ['noassertion', ['Apache Commons Lang']],
    ]);
  });

  it('reads the CycloneDX spec BOM the same from JSON and XML: copyright, an exception without text, an unknown name', () => {
    const json = noticeOf(fixture('cyclonedx-spec/1.6/valid-bom-1.6.json'));
    const xml = noticeOf(fixture('cyclonedx-spec/1.6/valid-bom-1.6.xml'));
    expect(renderNotice({ ...xml, sbom: json.sbom }, 'text')).toBe(renderNotice(json, 'text'));
    expect(json.components.find((component) => component.name === 'mylibrary')).toMatchObject({
      license: 'EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0',
      copyright: 'Copyright Example Inc. All rights reserved.',
    });
    expect(json.unavailable).toEqual([
      { reason: 'unknown-license', title: expect.stringContaining('not an SPDX id'), items: [{ component: 'myframework 1.0.0', license: 'Some random license' }] },
      { reason: 'exception-text-unavailable', title: expect.stringContaining('spdx-license-list 6.12.0'), items: [{ component: 'mylibrary 1.0.0', license: 'Classpath-exception-2.0' }] },
    ]);
    // An SPDX id's text is the list's, not the (base64) copy the BOM embeds.
    expect(json.texts.find((text) => text.label === 'Apache-2.0')?.text).toBe(spdxFull['Apache-2.0']?.licenseText);
  });

  it('gives each license text once, and tells apart two texts an SBOM gives under one name', () => {
    const notice = noticeOf(
      cyclonedx([
        { type: 'library', name: 'b', version: '1', licenses: [{ license: { id: 'MIT' } }] },
        { type: 'library', name: 'a', version: '1', licenses: [{ expression: 'MIT OR Apache-2.0' }] },
        { type: 'library', name: 'c', licenses: [{ license: { name: 'LicenseRef-acme', text: { content: 'Acme terms, version one.' } } }] },
        {
          type: 'library',
          name: 'd',
          licenses: [{ license: { name: 'LicenseRef-acme', text: { content: Buffer.from('Acme terms, version two.').toString('base64'), encoding: 'base64' } } }],
        },
        { type: 'library', name: 'e', licenses: [{ license: { name: 'LicenseRef-acme', text: { content: 'Acme terms, version one.' } } }] },
        { type: 'library', name: 'f', licenses: [{ license: { name: 'LicenseRef-nothing' } }] },
      ]),
    );
    expect(notice.components.map((component) => component.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(notice.texts.map((text) => [text.label, text.text])).toEqual([
      ['Apache-2.0', spdxFull['Apache-2.0']?.licenseText],
      ['LicenseRef-acme (text 1 of 2)', 'Acme terms, version one.'],
      ['LicenseRef-acme (text 2 of 2)', 'Acme terms, version two.'],
      ['MIT', spdxFull.MIT?.licenseText],
    ]);
    expect(notice.components.map((component) => component.texts)).toEqual([
      ['Apache-2.0', 'MIT'],
      ['MIT'],
      ['LicenseRef-acme (text 1 of 2)'],
      ['LicenseRef-acme (text 2 of 2)'],
      ['LicenseRef-acme (text 1 of 2)'],
      [],
    ]);
    expect(notice.unavailable).toEqual([
      { reason: 'license-ref-without-text', title: expect.any(String), items: [{ component: 'f', license: 'LicenseRef-nothing' }] },
    ]);
    const text = renderNotice(notice, 'text');
    expect(occurrences(text, spdxFull.MIT?.licenseText.trimEnd() ?? '?')).toBe(1);
    expect(text).toContain('  license texts: LicenseRef-acme (text 2 of 2)');
  });

  it('renders the same bytes whatever order the SBOM lists its components in', () => {
    const components = [
      { type: 'library', name: 'zeta', version: '2', licenses: [{ license: { id: 'MIT' } }], copyright: '(c) Zeta' },
      { type: 'library', name: 'alpha', version: '1', purl: 'pkg:npm/alpha@1' },
      { type: 'library', name: 'Alpha', version: '1', licenses: [{ expression: 'NOASSERTION' }] },
    ];
    for (const format of ['text', 'html', 'md', 'json'] as const) {
      expect(renderNotice(noticeOf(cyclonedx([...components].reverse())), format)).toBe(renderNotice(noticeOf(cyclonedx(components)), format));
    }
  });

  it('escapes what the SBOM says in HTML and Markdown: a name cannot open a <script>', () => {
    const hostile = '<script>alert("x")</script>';
    const notice = noticeOf(
      cyclonedx([
        { type: 'library', name: hostile, version: '1<b>', purl: 'pkg:npm/x@1?<i>', copyright: `(c) ${hostile}`, licenses: [{ license: { name: `LicenseRef-${'x'}`, text: { content: `${hostile} & terms` } } }] },
        { type: 'library', name: 'plain', licenses: [{ license: { name: hostile } }] },
      ]),
    );
    const html = renderNotice(notice, 'html');
    expect(html).not.toMatch(/<script|<b>|<i>/i);
    expect(occurrences(html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')).toBeGreaterThanOrEqual(4);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; terms');
    const markdown = renderNotice(notice, 'md');
    // Outside code (fenced texts, code spans) every '<' from the SBOM is backslash-escaped, so it stays text.
    const prose = markdown.replace(/^`{3,}[\s\S]*?^`{3,}$/gm, '').replace(/`[^`\n]*`/g, '');
    expect(prose).toContain('\\<script\\>');
    expect(prose).not.toMatch(/(^|[^\\])<(script|b|i)\b/im);
  });

  it('refuses findings that do not belong to the SBOM', () => {
    const sbom = parseSbom(Buffer.from(cyclonedx([{ type: 'library', name: 'a', 'bom-ref': 'a' }])));
    const error = (() => {
      try {
        buildNotice({ sbom, findings: [{ ref: 'other', outcome: 'missing', expression: null }] });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(isAppError(error) && error.code).toBe('conflict');
  });
});
