/**
 * Line numbers of components in the SBOM text, so SARIF results point at the
 * component rather than at line 1. One linear regex pass collects the first
 * occurrence of every bom-ref / SPDXID; lookups are then O(log n). Refs that
 * were derived from a path (no bom-ref in the file) simply have no line.
 */
const refPatterns = [
  /"(?:bom-ref|SPDXID)"\s*:\s*"((?:[^"\\]|\\.)*)"/gu,
  /\sbom-ref\s*=\s*"([^"]*)"/gu,
  /\sbom-ref\s*=\s*'([^']*)'/gu,
];

const xmlDecode = (value: string): string =>
  value.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#[0-9]+);/giu, (entity: string, name: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return named[name] ?? entity;
  });

const jsonDecode = (value: string): string => {
  if (!value.includes('\\')) return value;
  try {
    const decoded: unknown = JSON.parse(`"${value}"`);
    return typeof decoded === 'string' ? decoded : value;
  } catch {
    return value;
  }
};

export type RefLineLookup = (ref: string) => number | undefined;

export const refLineLookup = (text: string): RefLineLookup => {
  const offsets = new Map<string, number>();
  refPatterns.forEach((pattern, index) => {
    for (const match of text.matchAll(pattern)) {
      const raw = match[1] ?? '';
      const ref = index === 0 ? jsonDecode(raw) : xmlDecode(raw);
      if (!offsets.has(ref)) offsets.set(ref, match.index);
    }
  });
  let lineStarts: number[] | undefined;
  return (ref) => {
    const offset = offsets.get(ref);
    if (offset === undefined) return undefined;
    lineStarts ??= computeLineStarts(text);
    return lineOf(lineStarts, offset);
  };
};

const computeLineStarts = (text: string): number[] => {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
};

/** 1-based line of `offset`: the last line start at or before it. */
const lineOf = (starts: readonly number[], offset: number): number => {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
};
