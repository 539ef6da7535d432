/**
 * The parts of a package URL that waiver scopes compare. Only what matching
 * needs: the type is case-insensitive and `%40` is the encoded `@` of npm
 * scopes, so `pkg:NPM/%40angular/core` and `pkg:npm/@angular/core` are one
 * package. The version is what follows the last `@` after the last `/`.
 */
export interface PurlMatchKey {
  /** `pkg:type/namespace/name`, normalized. */
  base: string;
  version: string | null;
  qualifiers: ReadonlyMap<string, string>;
  /** base and `@version`: what prefixes are compared with. */
  full: string;
}

export const purlMatchKey = (purl: string): PurlMatchKey => {
  let rest = purl.trim();
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question !== -1) {
    for (const pair of rest.slice(question + 1).split('&')) {
      const equals = pair.indexOf('=');
      if (equals > 0) qualifiers.set(pair.slice(0, equals).toLowerCase(), pair.slice(equals + 1));
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash !== -1) rest = rest.slice(0, slash).toLowerCase() + rest.slice(slash).replace(/%40/gi, '@');
  else rest = rest.toLowerCase();
  const at = rest.lastIndexOf('@');
  const hasVersion = at > rest.lastIndexOf('/') && at !== -1;
  const base = hasVersion ? rest.slice(0, at) : rest;
  const version = hasVersion ? rest.slice(at + 1) : null;
  return { base, version, qualifiers, full: rest };
};

/** A prefix keeps its trailing characters (`pkg:npm/@angular/`) but is normalized like a purl. */
export const purlPrefixKey = (prefix: string): string => {
  const trimmed = prefix.trim();
  const slash = trimmed.indexOf('/');
  return slash === -1 ? trimmed.toLowerCase() : trimmed.slice(0, slash).toLowerCase() + trimmed.slice(slash).replace(/%40/gi, '@');
};
