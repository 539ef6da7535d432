import { readFile } from 'node:fs/promises';
import { findingCategory } from '@clearance/services';
import { listFindings, putSbomBlob, insertSbom } from '@clearance/db';
import type { ComponentFinding, LicensePolicy } from '@clearance/core';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/test-database.js';

const migration = new URL('../../../shared/db/migrations/0010_finding_deciding_rule.sql', import.meta.url);

/** Findings as evaluations before migration 0010 stored them: the deciding rule as one string. */
const legacyRules = [
  ['categories.strong-copyleft: GPL-3.0-only', { kind: 'category', category: 'strong-copyleft', license: 'GPL-3.0-only' }],
  ['licenses.EPL-1.0: EPL-1.0 WITH Foo-exception', { kind: 'license', id: 'EPL-1.0', license: 'EPL-1.0 WITH Foo-exception' }],
  ['exceptions[3]: GPL-2.0-only WITH Classpath-exception-2.0', { kind: 'exception', index: 3, license: 'GPL-2.0-only WITH Classpath-exception-2.0' }],
  ['outcomes.tooLarge', { kind: 'outcome', outcome: 'tooLarge' }],
  ['categories.unknown: "Some License"', { kind: 'category', category: 'unknown', license: '"Some License"' }],
] as const;

describe.each(databaseKinds)('migration 0010 rewrites stored deciding rules as data ($name)', (kind) => {
  it('turns each legacy rule string into the structured rule, and leaves structured ones alone', async () => {
    const test = await kind.open();
    const { db } = test;
    try {
      await putSbomBlob(db, 'a'.repeat(64), Buffer.from('{}'));
      await insertSbom(db, { id: 'sbom-1', sha256: 'a'.repeat(64), filename: null, format: { kind: 'cyclonedx', encoding: 'json', specVersion: '1.6' }, componentCount: 6, uploadedBy: 'carla' });
      const rows = [
        ...legacyRules.map(([text], index) => ({ name: `c${index}`, decidedBy: { kind: 'rule', rule: text } })),
        { name: 'expired', decidedBy: { kind: 'expired-waiver-ignored', waiverId: 'w1', rule: 'categories.permissive: MIT' } },
        { name: 'waived', decidedBy: { kind: 'waiver', waiverId: 'w2' } },
        { name: 'new', decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'ISC' } } },
      ];
      for (const [index, row] of rows.entries()) {
        const finding = { ...row, outcome: 'evaluated', expression: 'MIT', verdict: 'allow' };
        await db.query("INSERT INTO sbom_findings (sbom_id, idx, name, verdict, finding) VALUES ('sbom-1', $1, $2, 'allow', $3)", [index, row.name, JSON.stringify(finding)]);
      }
      await db.exec(await readFile(migration, 'utf8'));
      const page = await listFindings(db, { sbomId: 'sbom-1', limit: 100 });
      const decided = page.items.map((item) => item.decidedBy);
      expect(decided).toEqual([
        ...legacyRules.map(([, rule]) => ({ kind: 'rule', rule })),
        { kind: 'expired-waiver-ignored', waiverId: 'w1', rule: { kind: 'category', category: 'permissive', license: 'MIT' } },
        { kind: 'waiver', waiverId: 'w2' },
        { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'ISC' } },
      ]);
      // Reports read the category from the data now.
      const policy = { categories: {} } as unknown as LicensePolicy;
      expect(findingCategory(page.items[0] as ComponentFinding, policy)).toBe('strong-copyleft');
    } finally {
      await test.close();
    }
  });
});
