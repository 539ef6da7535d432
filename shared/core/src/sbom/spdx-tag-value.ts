import type { ParsedSbom } from './component.js';
import { intakeError } from './intake-error.js';
import type { SbomLimits } from './limits.js';
import { checkSpdxVersion, spdx2Sbom, type Spdx2Document } from './spdx-json.js';

/**
 * SPDX 2.2/2.3 tag-value (`.spdx`), read by our own parser: no npm package
 * parses it (the npm `spdx*` packages parse license expressions only; the
 * maintained tag-value parsers are tools-java and tools-python), and the
 * grammar is small. It is read into the SPDX JSON model and then checked by
 * the same validation as SPDX JSON, so both serializations mean one thing.
 *
 * Grammar as the spec (annex "tag-value") has it: one `Tag: value` per line;
 * `#` lines are comments; a value may be `<text>…</text>` spanning lines.
 * Which element a tag belongs to follows from the section opened last:
 * `PackageName` opens a package, `FileName` a file, `SnippetSPDXID` a
 * snippet, `LicenseID` an extracted license; before any of them the tags
 * describe the document. One linear pass with indexOf, no regex over the
 * whole text, so a huge `<text>` block costs its length and no more.
 */
type Section = 'document' | 'package' | 'file' | 'snippet' | 'license';

interface ExtractedInfo {
  licenseId: string;
  name?: string;
  extractedText?: string;
}

interface TagValuePackage {
  line: number;
  fields: Record<string, string>;
  externalRefs: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}

/** Tags that open a new section, and the section they open. */
const sectionTags: Readonly<Record<string, Section>> = {
  PackageName: 'package',
  FileName: 'file',
  SnippetSPDXID: 'snippet',
  LicenseID: 'license',
};

/** Single-valued package tags we read: a second one is refused, as a JSON duplicate key is. */
const packageTags = new Set(['SPDXID', 'PackageVersion', 'PackageLicenseConcluded', 'PackageLicenseDeclared', 'PackageCopyrightText']);
const documentTags = new Set(['SPDXVersion', 'SPDXID', 'DocumentNamespace']);
const licenseTags = new Set(['LicenseName', 'ExtractedText']);

export const parseSpdxTagValue = (text: string, limits: SbomLimits): ParsedSbom => {
  const document: Record<string, string> = {};
  const packages: TagValuePackage[] = [];
  const licenses: ExtractedInfo[] = [];
  let section: Section = 'document';
  for (const { tag, value, line } of tagValueLines(text)) {
    const opens = sectionTags[tag];
    if (opens !== undefined) section = opens;
    if (opens === 'package') {
      if (packages.length >= limits.maxComponents) {
        throw intakeError('too-many-components', `SBOM has more than ${limits.maxComponents} packages; the limit is ${limits.maxComponents}`, {
          limit: limits.maxComponents,
        });
      }
      packages.push({ line, fields: { PackageName: value }, externalRefs: [] });
      continue;
    }
    if (opens === 'license') {
      licenses.push({ licenseId: value });
      continue;
    }
    if (section === 'document' && documentTags.has(tag)) setOnce(document, tag, value, line);
    else if (section === 'package') readPackageTag(packages[packages.length - 1], tag, value, line);
    else if (section === 'license' && licenseTags.has(tag)) {
      const license = licenses[licenses.length - 1];
      if (license) license[tag === 'LicenseName' ? 'name' : 'extractedText'] = value;
    }
  }
  if (document.SPDXVersion === undefined) {
    throw intakeError('schema', 'SPDX tag-value failed validation: the document has no SPDXVersion tag', { format: 'spdx', encoding: 'tag-value' });
  }
  const label = checkSpdxVersion(document.SPDXVersion, 'tag-value');
  if (document.SPDXID === undefined) {
    throw intakeError('schema', `${label} failed validation: /SPDXID is missing (the document's SPDXID tag)`, { format: 'spdx', encoding: 'tag-value' });
  }
  return spdx2Sbom(toJsonModel(document.SPDXVersion, document.SPDXID, document.DocumentNamespace, packages, licenses), 'tag-value');
};

const readPackageTag = (pkg: TagValuePackage | undefined, tag: string, value: string, line: number): void => {
  if (!pkg) return;
  if (packageTags.has(tag)) setOnce(pkg.fields, tag, value, line);
  else if (tag === 'ExternalRef') {
    // "ExternalRef: PACKAGE-MANAGER purl pkg:npm/x@1"; the locator is one token, never containing spaces.
    const [referenceCategory = '', referenceType = '', referenceLocator = ''] = value.split(/\s+/u);
    if (referenceLocator === '') throw lineError(line, `ExternalRef needs "category type locator", got ${JSON.stringify(value.slice(0, 80))}`);
    pkg.externalRefs.push({ referenceCategory, referenceType, referenceLocator });
  }
};

const setOnce = (fields: Record<string, string>, tag: string, value: string, line: number): void => {
  if (Object.hasOwn(fields, tag)) throw lineError(line, `${tag} is given twice for the same element`);
  fields[tag] = value;
};

/** The SPDX JSON model, typed as the JSON reader validates it; keys are fixed names, never taken from the input. */
const toJsonModel = (
  spdxVersion: string,
  SPDXID: string,
  documentNamespace: string | undefined,
  packages: TagValuePackage[],
  licenses: ExtractedInfo[],
): Spdx2Document => ({
  spdxVersion,
  SPDXID,
  ...(documentNamespace !== undefined ? { documentNamespace } : {}),
  packages: packages.map(({ fields, externalRefs, line }) => {
    if (fields.SPDXID === undefined) throw lineError(line, `package ${JSON.stringify(fields.PackageName?.slice(0, 80))} has no SPDXID`);
    return {
      SPDXID: fields.SPDXID,
      name: fields.PackageName ?? '',
      ...(fields.PackageVersion !== undefined ? { versionInfo: fields.PackageVersion } : {}),
      ...(fields.PackageLicenseConcluded !== undefined ? { licenseConcluded: fields.PackageLicenseConcluded } : {}),
      ...(fields.PackageLicenseDeclared !== undefined ? { licenseDeclared: fields.PackageLicenseDeclared } : {}),
      ...(fields.PackageCopyrightText !== undefined ? { copyrightText: fields.PackageCopyrightText } : {}),
      externalRefs,
    };
  }),
  hasExtractedLicensingInfos: licenses,
});

const lineError = (line: number, message: string) =>
  intakeError('schema', `SPDX tag-value failed validation at line ${line}: ${message}`, { format: 'spdx', encoding: 'tag-value', line });

interface TagValueLine {
  tag: string;
  value: string;
  line: number;
}

const textOpen = '<text>';
const textClose = '</text>';

/**
 * Line ends as found in real files: LF, CRLF, and bare CR (the Dart `sbom`
 * package writes CR only). The next LF and CR are cached so finding line ends
 * stays linear even when one of them never occurs.
 */
class LineEnds {
  private lf = -2;
  private cr = -2;
  constructor(private readonly text: string) {}

  /** [end of the line starting at or before `from`, start of the next line]. */
  after(from: number): [number, number] {
    if (this.lf !== -1 && this.lf < from) this.lf = this.text.indexOf('\n', from);
    if (this.cr !== -1 && this.cr < from) this.cr = this.text.indexOf('\r', from);
    const lf = this.lf === -1 ? this.text.length : this.lf;
    const cr = this.cr === -1 ? this.text.length : this.cr;
    if (cr < lf) return [cr, cr + 1 === lf ? lf + 1 : cr + 1];
    return [lf, lf + 1];
  }
}

/** Yields every `Tag: value`, `<text>` values joined across lines; refuses a line that is neither. */
export function* tagValueLines(text: string): Generator<TagValueLine> {
  const ends = new LineEnds(text);
  let at = 0;
  let line = 0;
  while (at < text.length) {
    line++;
    const lineStart = at;
    const [end, next] = ends.after(at);
    const raw = text.slice(at, end);
    const startLine = line;
    at = next;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = raw.indexOf(':');
    const tag = colon === -1 ? '' : raw.slice(0, colon).trim();
    if (!/^[A-Za-z][A-Za-z0-9]*$/u.test(tag)) {
      throw lineError(startLine, `expected "Tag: value", got ${JSON.stringify(trimmed.slice(0, 80))}`);
    }
    let value = raw.slice(colon + 1).trim();
    if (value.startsWith(textOpen)) {
      const valueStart = text.indexOf(textOpen, lineStart + colon + 1) + textOpen.length;
      const close = text.indexOf(textClose, valueStart);
      if (close === -1) throw lineError(startLine, `${tag} opens <text> that is never closed by </text>`);
      value = text.slice(valueStart, close).trim();
      // Count the lines the value spans, then continue after the line holding </text>
      // (whatever follows </text> on it is ignored, as tools-java does).
      for (let from = end; from < close; ) {
        const [lineEnd, nextStart] = ends.after(from);
        if (lineEnd >= close) break;
        line++;
        from = nextStart;
      }
      at = ends.after(close)[1];
    }
    yield { tag, value, line: startLine };
  }
}
