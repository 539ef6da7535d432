/**
 * SBOM text shown on a terminal or in a log: control characters (ANSI escapes
 * that could rewrite the screen, carriage returns that hide a line, newlines
 * that forge one) become visible `\xNN`/`\uNNNN` sequences.
 */
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

export const terminalSafe = (text: string): string =>
  text.replace(controls, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });

/** Cut to `width` characters, marking the cut. */
export const truncate = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
