const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML and SVG content and attribute values: every reason and name in the log is untrusted input. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => htmlEntities[char] ?? char);

/**
 * Text for a Markdown table cell: no line breaks or pipes (they would end the
 * cell), no inline HTML (renderers pass it through), no emphasis or links.
 */
export const escapeMarkdown = (value: string): string =>
  value
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]|#]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
