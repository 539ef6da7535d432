import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex (64 characters)');

/**
 * What shows an obligation is fulfilled, as the caller gives it: a link (the
 * published source offer, the page that shows the notices), the hash of a file
 * that ships, or the release's own generated NOTICE (its hash is filled in).
 */
export const obligationEvidenceInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }).max(2_000) }),
  z.strictObject({ kind: z.literal('file'), sha256, name: z.string().trim().min(1).max(200).optional() }),
  z.strictObject({ kind: z.literal('notice') }),
]);

/** The evidence as recorded: the NOTICE's hash is the one the release was created with. */
export const obligationEvidenceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('url'), url: z.string() }),
  z.strictObject({ kind: z.literal('file'), sha256, name: z.string().optional() }),
  z.strictObject({ kind: z.literal('notice'), sha256 }),
]);

export type ObligationEvidenceInput = z.infer<typeof obligationEvidenceInputSchema>;
export type ObligationEvidence = z.infer<typeof obligationEvidenceSchema>;

export const obligationStates = ['open', 'fulfilled', 'waived'] as const;
export type ObligationState = (typeof obligationStates)[number];

/** A checklist is done when nothing is left open; an empty one is done at once. */
export const checklistCleared = (items: ReadonlyArray<{ state: ObligationState }>): boolean => items.every((item) => item.state !== 'open');
