import type { NoticeDocument, NoticeText } from './notice-model.js';
import { ambiguousTexts, componentHeading, summaryLines } from './notice-summary.js';

/** Markdown, for a NOTICE.md in a repository or a release page. */
export const renderNoticeMarkdown = (doc: NoticeDocument): string => {
  const out: string[] = ['# Third-party software notices', '', ...summaryLines(doc).map(inline), '', '## Components', ''];
  for (const component of doc.components) {
    out.push(`- **${inline(componentHeading(component))}**`);
    if (component.purl !== null) out.push(`  - purl: ${code(component.purl)}`);
    out.push(`  - license: ${code(component.license)}`);
    if (component.copyright !== null) out.push(`  - copyright: ${inline(component.copyright.replace(/\s*\r?\n\s*/g, ' '))}`);
    const texts = ambiguousTexts(component, doc);
    if (texts.length > 0) out.push(`  - license texts: ${texts.map(inline).join(', ')}`);
  }
  out.push('');
  if (doc.unavailable.length > 0) {
    out.push('## License texts not produced', '');
    for (const gap of doc.unavailable) {
      out.push(`### ${inline(gap.title)}`, '');
      for (const item of gap.items) out.push(`- ${inline(item.component)}${item.license === null ? '' : `: ${code(item.license)}`}`);
      out.push('');
    }
  }
  out.push('## License texts', '');
  for (const text of doc.texts) out.push(...licenseText(text));
  return `${out.join('\n').trimEnd()}\n`;
};

const licenseText = (text: NoticeText): string[] => {
  const fence = fenceFor(text.text);
  return [
    `### ${inline(text.source === 'sbom' ? `${text.label} (text from the SBOM)` : `${text.label}: ${text.title}`)}`,
    '',
    ...(text.url === null ? [] : [`<${text.url.replace(/[<>\s]/g, encodeURIComponent)}>`, '']),
    fence,
    text.text.trimEnd(),
    fence,
    '',
  ];
};

/** A fence longer than any run of backticks in the text, so no text can close it early. */
const fenceFor = (text: string): string => {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
};

/**
 * Inline text from the SBOM, never at the start of a line: the characters that
 * make emphasis, links, code, tables or HTML there are escaped, so a name
 * cannot become markup.
 */
const inline = (text: string): string => text.replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ');

/** A code span long enough for the backticks inside it. */
const code = (text: string): string => {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${flat} ${ticks}` : `${ticks}${flat}${ticks}`;
};
