import { z } from 'zod';
import { currentLicenseIds } from '../license/spdx-data.js';

/** A key of the catalogue: kebab-case, so it reads well in a URL and a CLI argument. */
export const obligationKeySchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'a kebab-case key, e.g. include-license-text');

const text = z.string().trim().min(1);

/** What an obligation asks for in general; the license entries say where each license asks for it. */
const obligationKindSchema = z.strictObject({
  title: text.max(120),
  description: text.max(1_000),
});

/**
 * One obligation a license (or a license category) imposes, with the section
 * of the license text that imposes it: a reviewer can look it up.
 */
const obligationEntrySchema = z.strictObject({
  obligation: obligationKeySchema,
  /** The section cited, e.g. "Apache-2.0 §4(d)", "GPL-3.0 §6(b)". */
  source: text.max(200),
  description: text.max(1_000),
});

const entriesSchema = z.array(obligationEntrySchema).min(1);

const isLicenseId = (id: string): boolean => currentLicenseIds.has(id) || /^LicenseRef-[A-Za-z0-9.-]+$/.test(id);

/**
 * `obligations.yaml`: what shipping a component under a license obliges the
 * company to do. A license listed under `licenses` gets exactly its entries;
 * any other license gets the entries of its category in licenses.yaml
 * (checked against that file when the folder loads).
 */
export const obligationPolicySchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    description: text.optional(),
    obligations: z.record(obligationKeySchema, obligationKindSchema),
    licenses: z.record(z.string(), entriesSchema).default({}),
    categories: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case category name'), entriesSchema).default({}),
  })
  .superRefine((policy, ctx) => {
    const known = new Set(Object.keys(policy.obligations));
    const check = (section: 'licenses' | 'categories', entries: Record<string, Array<{ obligation: string }>>): void => {
      for (const [name, list] of Object.entries(entries)) {
        const seen = new Set<string>();
        list.forEach((entry, index) => {
          if (!known.has(entry.obligation)) {
            ctx.addIssue({ code: 'custom', path: [section, name, index, 'obligation'], message: `no obligation ${entry.obligation} under obligations (known: ${[...known].join(', ')})` });
          }
          if (seen.has(entry.obligation)) {
            ctx.addIssue({ code: 'custom', path: [section, name, index, 'obligation'], message: `${entry.obligation} is listed twice for ${name}` });
          }
          seen.add(entry.obligation);
        });
      }
    };
    // Checked here rather than as the record's key schema, whose message would not say what is wrong.
    for (const id of Object.keys(policy.licenses)) {
      if (!isLicenseId(id)) ctx.addIssue({ code: 'custom', path: ['licenses', id], message: 'not a current SPDX license id or a LicenseRef-…' });
    }
    check('licenses', policy.licenses);
    check('categories', policy.categories);
  });

export type ObligationPolicy = z.infer<typeof obligationPolicySchema>;
export type ObligationEntry = z.infer<typeof obligationEntrySchema>;
