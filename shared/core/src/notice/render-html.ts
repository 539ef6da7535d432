import type { NoticeDocument, NoticeText } from './notice-model.js';
import { ambiguousTexts, componentHeading, summaryLines } from './notice-summary.js';

/**
 * A standalone HTML page. Everything from the SBOM or the license list is
 * escaped; anchors are numbered, so no name ever lands in an attribute.
 */
export const renderNoticeHtml = (doc: NoticeDocument): string => {
  const anchor = new Map(doc.texts.map((text, index) => [text.label, `text-${index + 1}`]));
  const link = (label: string): string => {
    const id = anchor.get(label);
    return id === undefined ? escapeHtml(label) : `<a href="#${id}">${escapeHtml(label)}</a>`;
  };
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<title>Third-party software notices</title>',
    '<style>body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}dt{font-weight:bold;margin-top:.75rem}</style>',
    '</head>',
    '<body>',
    '<h1>Third-party software notices</h1>',
    ...summaryLines(doc).map((line) => `<p>${escapeHtml(line)}</p>`),
    '<h2>Components</h2>',
    '<dl>',
  ];
  for (const component of doc.components) {
    out.push(`<dt>${escapeHtml(componentHeading(component))}</dt>`);
    if (component.purl !== null) out.push(`<dd>purl: <code>${escapeHtml(component.purl)}</code></dd>`);
    out.push(`<dd>license: <code>${escapeHtml(component.license)}</code>${component.texts.length > 0 ? ` (${component.texts.map(link).join(', ')})` : ''}</dd>`);
    if (component.copyright !== null) out.push(`<dd>copyright: ${escapeHtml(component.copyright).replace(/\r?\n/g, '<br>')}</dd>`);
    const texts = ambiguousTexts(component, doc);
    if (texts.length > 0) out.push(`<dd>license texts: ${texts.map(link).join(', ')}</dd>`);
  }
  out.push('</dl>');
  if (doc.unavailable.length > 0) {
    out.push('<h2>License texts not produced</h2>');
    for (const gap of doc.unavailable) {
      out.push(`<h3>${escapeHtml(gap.title)}</h3>`, '<ul>');
      for (const item of gap.items) {
        out.push(`<li>${escapeHtml(item.component)}${item.license === null ? '' : `: <code>${escapeHtml(item.license)}</code>`}</li>`);
      }
      out.push('</ul>');
    }
  }
  out.push('<h2>License texts</h2>');
  doc.texts.forEach((text, index) => out.push(...licenseText(text, `text-${index + 1}`)));
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
};

const licenseText = (text: NoticeText, id: string): string[] => [
  `<h3 id="${id}">${escapeHtml(text.source === 'sbom' ? `${text.label} (text from the SBOM)` : `${text.label}: ${text.title}`)}</h3>`,
  ...(text.url === null ? [] : [`<p>${escapeHtml(text.url)}</p>`]),
  `<pre>${escapeHtml(text.text.trimEnd())}</pre>`,
];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
