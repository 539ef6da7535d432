/**
 * SBOM text placed in a Markdown table cell of a PR comment. It must not
 * break the table (`|`, newlines), inject HTML (`<`, `>`, `&`), format
 * (`*`, `_`, `` ` ``, `[`, `]`, `~`), or reach people and issues: an npm scope
 * like `@babel/core` would otherwise mention @babel, and `#12` link an issue.
 */
const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '@': '&#64;',
  '#': '&#35;',
};

export const markdownCell = (text: string): string =>
  text
    .replace(/[\r\n\u2028\u2029]+/gu, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/[&<>"|@#]/gu, (c) => entities[c] ?? c)
    .replace(/[\\`*_[\]~]/gu, (c) => `\\${c}`);
