import { type Document, type LineCounter, type Node, isMap, isNode, isScalar, isSeq } from 'yaml';

export type PathSegment = PropertyKey;

/**
 * The position of the YAML node at a validation issue's path: the deepest node
 * that exists along it (a missing key points at its parent map). With
 * `atKey`, the position of the key itself, for "unrecognized key" issues.
 */
export const positionOfPath = (
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  atKey = false,
): { line: number; column: number } => {
  let node: unknown = doc.contents;
  let found: Node | null = isNode(node) ? node : null;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      if (last && atKey && isNode(pair.key)) {
        found = pair.key;
        break;
      }
      node = pair.value;
      // `key:` with no value has no value node: the key is the place to show.
      if (isNode(pair.value)) found = pair.value;
      else if (isNode(pair.key)) found = pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!isNode(item)) break;
      node = item;
      found = item;
    } else {
      break;
    }
  }
  const offset = found?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
};

/** `categories.permissive.licenses[3]`, `aliases["Apache License, Version 2.0"]`. */
export const formatPath = (path: readonly PathSegment[]): string =>
  path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment);
      if (/^[A-Za-z0-9_-]+$/.test(text)) return index === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
