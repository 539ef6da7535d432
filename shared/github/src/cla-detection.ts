import type { ClaHints } from '@clearance/core';

/**
 * Agreements recognizable from the link a project puts in its contributing
 * guide or bot configuration. The ids are the ones the policy's
 * `cla.preApproved` list uses.
 */
const knownAgreements: ReadonlyArray<{ id: string; pattern: RegExp }> = [
  { id: 'google-cla', pattern: /cla\.developers\.google\.com/i },
  { id: 'apache-icla', pattern: /apache\.org\/licenses\/(?:icla|contributor-agreements)/i },
  { id: 'microsoft-cla', pattern: /cla\.opensource\.microsoft\.com/i },
  { id: 'linux-foundation-easycla', pattern: /\beasycla\b|easycla\.lfx\.linuxfoundation\.org/i },
  { id: 'meta-cla', pattern: /code\.facebook\.com\/cla|code\.fb\.com\/cla/i },
  { id: 'eclipse-eca', pattern: /eclipse\.org\/legal\/eca|eclipse contributor agreement/i },
  { id: 'cla-assistant', pattern: /cla-assistant\.io/i },
];

const CLA = /contributor license agreement|\bCLA\b|eclipse contributor agreement/i;
const DCO = /developer certificate of origin|\bDCO\b|signed-off-by:|git commit -s\b|--signoff/i;
// "We do not require a CLA" must not count as requiring one.
const NEGATION = /\b(?:no|not|don't|doesn't|without|never|neither|nor)\b/i;

const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-*#])/);

const mentioned = (text: string, pattern: RegExp): boolean =>
  sentences(text).some((sentence) => pattern.test(sentence) && !NEGATION.test(sentence));

/** What a contributing guide says about agreements. */
export const detectAgreementsInText = (text: string): { cla: boolean; dco: boolean; claName: string | null } => {
  const claName = knownAgreements.find((agreement) => agreement.pattern.test(text))?.id ?? null;
  return { cla: claName !== null || mentioned(text, CLA), dco: mentioned(text, DCO), claName };
};

/** Files whose mere presence at the repository root says a CLA or DCO is in use. */
export const agreementFiles: Readonly<Record<string, { cla: boolean; dco: boolean }>> = {
  '.clabot': { cla: true, dco: false },
  'cla.json': { cla: true, dco: false },
  '.cla.json': { cla: true, dco: false },
  'cla.md': { cla: true, dco: false },
  'cla.txt': { cla: true, dco: false },
  dco: { cla: false, dco: true },
  'dco.md': { cla: false, dco: true },
  'dco.txt': { cla: false, dco: true },
};

/** Combines the hints of several sources: any source is enough. */
export const mergeHints = (parts: ReadonlyArray<ClaHints>): ClaHints => ({
  cla: parts.some((part) => part.cla),
  dco: parts.some((part) => part.dco),
  claName: parts.find((part) => part.claName !== null)?.claName ?? null,
  sources: parts.flatMap((part) => part.sources),
});
