import type { NoticeDocument, NoticeText } from './notice-model.js';
import { ambiguousTexts, componentHeading, summaryLines } from './notice-summary.js';

const title = 'THIRD-PARTY SOFTWARE NOTICES';
const rule = '='.repeat(72);

/** Plain text, for a NOTICE file shipped beside the product. */
export const renderNoticeText = (doc: NoticeDocument): string => {
  const out: string[] = [title, '='.repeat(title.length), '', ...summaryLines(doc), '', ...section('COMPONENTS')];
  for (const component of doc.components) {
    out.push(componentHeading(component));
    if (component.purl !== null) out.push(`  purl: ${component.purl}`);
    out.push(`  license: ${component.license}`);
    if (component.copyright !== null) out.push(...indented('  copyright: ', component.copyright));
    const texts = ambiguousTexts(component, doc);
    if (texts.length > 0) out.push(`  license texts: ${texts.join(', ')}`);
    out.push('');
  }
  if (doc.unavailable.length > 0) {
    out.push(...section('LICENSE TEXTS NOT PRODUCED'));
    for (const gap of doc.unavailable) {
      out.push(gap.title);
      for (const item of gap.items) out.push(`  - ${item.component}${item.license === null ? '' : `: ${item.license}`}`);
      out.push('');
    }
  }
  out.push(...section('LICENSE TEXTS'));
  for (const text of doc.texts) out.push(...licenseText(text));
  return `${out.join('\n').trimEnd()}\n`;
};

const section = (name: string): string[] => [name, '-'.repeat(name.length), ''];

/** Later lines of a multi-line value line up under the first. */
const indented = (label: string, value: string): string[] =>
  value.split(/\r?\n/).map((line, index) => `${index === 0 ? label : ' '.repeat(label.length)}${line}`.trimEnd());

const licenseText = (text: NoticeText): string[] => [
  rule,
  text.source === 'sbom' ? `${text.label} (text from the SBOM)` : `${text.label}: ${text.title}`,
  ...(text.url === null ? [] : [text.url]),
  rule,
  '',
  text.text.trimEnd(),
  '',
];
