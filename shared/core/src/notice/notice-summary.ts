import type { NoticeComponent, NoticeDocument } from './notice-model.js';

/** The lines every format opens with: what the document covers and where its texts come from. */
export const summaryLines = (doc: NoticeDocument): string[] => {
  const missing = new Set(doc.unavailable.flatMap((gap) => gap.items.map((item) => item.component))).size;
  return [
    `This notice lists the ${doc.components.length} components of ${doc.sbom.documentId ?? 'an SBOM'} (${doc.sbom.format}) with their licenses and copyright lines, and the text of every license they use.`,
    `License texts: ${doc.licenseList.package} ${doc.licenseList.version} (the SPDX License List), and texts the SBOM carries itself.`,
    ...(missing > 0 ? [`No full license text could be produced for ${missing} of them: they are listed under the reason why.`] : []),
  ];
};

/**
 * Which texts a component uses is plain from its expression, except where an
 * SBOM gave one name several texts: only then is it spelled out.
 */
export const ambiguousTexts = (component: NoticeComponent, doc: NoticeDocument): string[] => {
  const variants = new Set(doc.texts.filter((text) => text.source === 'sbom' && text.label !== text.title).map((text) => text.label));
  return component.texts.filter((label) => variants.has(label));
};

export const componentHeading = (component: Pick<NoticeComponent, 'name' | 'version'>): string =>
  component.version ? `${component.name} ${component.version}` : component.name;
