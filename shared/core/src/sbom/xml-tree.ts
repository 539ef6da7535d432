import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { intakeError } from './intake-error.js';

/** An XML element with namespaces resolved and references decoded. */
export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI, null when none is in scope. */
  namespace: string | null;
  /** Attributes as written (prefixed names keep their prefix); values decoded. */
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** Direct character data, references decoded, CDATA verbatim, trimmed. */
  text: string;
}

/**
 * DTDs are where XXE, billion laughs and their variants live, and no SBOM
 * needs one: any DOCTYPE or ENTITY declaration is refused before a parser
 * sees the text. The parser runs with entity processing off; the five
 * predefined entities and numeric references are decoded here, linearly, and
 * can never expand into more than they are.
 */
const forbidden = /<!(DOCTYPE|ENTITY)/iu;

type OrderedNode = Record<string, unknown>;

const parserFor = (maxDepth: number) =>
  new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
  });

export const parseXmlTree = (text: string, maxDepth: number): XmlElement => {
  const match = forbidden.exec(text);
  if (match) {
    throw intakeError(
      'forbidden-xml-construct',
      `XML with a <!${match[1]?.toUpperCase()}> declaration is refused (DTDs and entities are not allowed in SBOMs)`,
      { construct: match[1]?.toUpperCase() },
    );
  }
  // The parser is lenient (mismatched tags, text after the root); the validator is not.
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw intakeError('invalid-xml', `invalid XML at line ${line} column ${col}: ${msg}`, { line, column: col });
  }
  let nodes: unknown;
  try {
    nodes = parserFor(maxDepth).parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/nested/iu.test(message)) {
      throw intakeError('too-deep', `SBOM nests deeper than ${maxDepth} levels`, { limit: maxDepth }, error);
    }
    throw intakeError('invalid-xml', `invalid XML: ${message}`, {}, error);
  }
  const roots = (Array.isArray(nodes) ? (nodes as OrderedNode[]) : []).filter((node) => tagOf(node) !== null);
  if (roots.length !== 1 || !roots[0]) {
    throw intakeError('invalid-xml', `invalid XML: expected one root element, found ${roots.length}`);
  }
  return toElement(roots[0], new Map());
};

const tagOf = (node: OrderedNode): string | null => {
  for (const key of Object.keys(node)) {
    if (key !== ':@' && key !== '#text' && key !== '#cdata') return key;
  }
  return null;
};

const toElement = (node: OrderedNode, inherited: ReadonlyMap<string, string>): XmlElement => {
  const tag = tagOf(node) ?? '';
  const rawAttributes = node[':@'];
  const attributes = new Map<string, string>();
  let scope = inherited;
  if (rawAttributes !== null && typeof rawAttributes === 'object') {
    for (const [name, value] of Object.entries(rawAttributes)) {
      if (typeof value !== 'string') continue;
      const decoded = decodeReferences(value);
      attributes.set(name, decoded);
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (scope === inherited) scope = new Map(inherited);
        (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice('xmlns:'.length), decoded);
      }
    }
  }
  const colon = tag.indexOf(':');
  const prefix = colon === -1 ? '' : tag.slice(0, colon);
  const children: XmlElement[] = [];
  let text = '';
  const content = node[tag];
  // Depth is bounded by the parser's maxNestedTags, so this recursion is too.
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    if (typeof child['#text'] === 'string') text += decodeReferences(child['#text']);
    else if (Array.isArray(child['#cdata'])) text += cdataText(child['#cdata'] as OrderedNode[]);
    else if (tagOf(child) !== null) children.push(toElement(child, scope));
  }
  return {
    name: colon === -1 ? tag : tag.slice(colon + 1),
    namespace: scope.get(prefix) ?? null,
    attributes,
    children,
    text: text.trim(),
  };
};

const cdataText = (parts: OrderedNode[]): string =>
  parts.map((part) => (typeof part['#text'] === 'string' ? part['#text'] : '')).join('');

const predefined: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and numeric references; anything else is an error. */
export const decodeReferences = (raw: string): string => {
  let at = raw.indexOf('&');
  if (at === -1) return raw;
  let out = '';
  let from = 0;
  while (at !== -1) {
    const end = raw.indexOf(';', at);
    const name = end === -1 || end - at > 12 ? null : raw.slice(at + 1, end);
    const decoded = name === null ? null : referenceValue(name);
    if (decoded === null) {
      throw intakeError('invalid-xml', `invalid XML: undefined or malformed reference ${JSON.stringify(raw.slice(at, at + 14))}`);
    }
    out += raw.slice(from, at) + decoded;
    from = end + 1;
    at = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
};

const referenceValue = (name: string): string | null => {
  if (name.startsWith('#')) {
    const code = /^#x[0-9a-f]{1,6}$/iu.test(name)
      ? Number.parseInt(name.slice(2), 16)
      : /^#[0-9]{1,7}$/u.test(name)
        ? Number.parseInt(name.slice(1), 10)
        : Number.NaN;
    return isXmlChar(code) ? String.fromCodePoint(code) : null;
  }
  return Object.hasOwn(predefined, name) ? (predefined[name] ?? null) : null;
};

/** XML 1.0 Char production: a reference may not smuggle in NUL, other controls or surrogates. */
const isXmlChar = (code: number): boolean =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff);
