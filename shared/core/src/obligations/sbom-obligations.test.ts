import { describe, expect, it } from 'vitest';
import type { LicensePolicy } from '../license/policy-schema.js';
import type { ObligationPolicy } from './obligation-policy-schema.js';
import { obligationsOf, type ObligationFinding } from './sbom-obligations.js';

const catalogue: ObligationPolicy = {
  schemaVersion: 1,
  obligations: {
    attribution: { title: 'Keep the notices', description: 'notices' },
    'source-offer': { title: 'Offer the source', description: 'source' },
    'network-use': { title: 'Network users', description: 'network' },
  },
  licenses: {
    'Apache-2.0': [{ obligation: 'attribution', source: 'Apache-2.0 §4(c), §4(d)', description: 'keep notices' }],
    'AGPL-3.0-only': [
      { obligation: 'network-use', source: 'AGPL-3.0 §13', description: 'offer to network users' },
      { obligation: 'source-offer', source: 'AGPL-3.0 §6', description: 'three years' },
    ],
    'GPL-2.0-only': [{ obligation: 'source-offer', source: 'GPL-2.0 §3(b)', description: 'three years' }],
  },
  categories: { permissive: [{ obligation: 'attribution', source: 'licenses.yaml category permissive', description: 'keep notices' }] },
};

const licenses = {
  categories: { permissive: { description: 'p', verdict: 'allow', licenses: ['MIT', 'Apache-2.0'] }, unknown: { description: 'u', verdict: 'review', licenses: [] } },
} as unknown as LicensePolicy;

const finding = (name: string, expression: string | null, chosenBranch: string | null = null): ObligationFinding => ({
  name,
  version: '1.0.0',
  purl: `pkg:npm/${name}@1.0.0`,
  expression,
  chosenBranch,
});

describe('obligationsOf', () => {
  it('groups by obligation in catalogue order, each license with its components, its own entries before its category', () => {
    const groups = obligationsOf(
      [finding('zeta', 'MIT'), finding('alpha', 'Apache-2.0 AND MIT'), finding('server', 'AGPL-3.0-only'), finding('alpha', 'Apache-2.0')],
      catalogue,
      licenses,
    );
    expect(groups.map((group) => [group.obligation, group.items.map((item) => item.key)])).toEqual([
      ['attribution', ['attribution:Apache-2.0', 'attribution:MIT']],
      ['source-offer', ['source-offer:AGPL-3.0-only']],
      ['network-use', ['network-use:AGPL-3.0-only']],
    ]);
    const [apache, mit] = groups[0]?.items ?? [];
    expect(apache).toMatchObject({ basis: { kind: 'license' }, source: 'Apache-2.0 §4(c), §4(d)', components: [{ name: 'alpha', version: '1.0.0', purl: 'pkg:npm/alpha@1.0.0' }] });
    expect(mit).toMatchObject({ basis: { kind: 'category', category: 'permissive' } });
    expect(mit?.components.map((c) => c.name)).toEqual(['alpha', 'zeta']);
  });

  it('follows the branch the evaluator chose, reads the base license of a WITH pair, and skips components without a license', () => {
    const groups = obligationsOf(
      [finding('dual', 'GPL-2.0-only OR MIT', 'MIT'), finding('classpath', 'GPL-2.0-only WITH Classpath-exception-2.0'), finding('none', null), finding('odd', 'LicenseRef-odd')],
      catalogue,
      licenses,
    );
    expect(groups.flatMap((group) => group.items.map((item) => [item.key, item.components.map((c) => c.name)]))).toEqual([
      ['attribution:MIT', ['dual']],
      ['source-offer:GPL-2.0-only', ['classpath']],
    ]);
  });

  it('lists nothing for an SBOM without components', () => {
    expect(obligationsOf([], catalogue, licenses)).toEqual([]);
  });
});
