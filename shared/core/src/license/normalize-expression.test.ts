import { describe, expect, it } from 'vitest';
import deprecatedLicenseIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import { deprecatedIdReplacements, deprecatedWithoutSuccessor } from './deprecated-ids.js';
import { type ExpressionNode, leaf } from './expression-tree.js';
import { normalizeExpressionText } from './normalize-expression.js';
import type { AliasLookup } from './normalize-phrase.js';
import { currentExceptionIds, currentLicenseIds } from './spdx-data.js';

const aliasTable = new Map<string, ExpressionNode>([
  ['apache license, version 2.0', leaf('Apache-2.0')],
  ['gplv2', leaf('GPL-2.0-only')],
]);
const aliases: AliasLookup = (key) => aliasTable.get(key);

const normalize = (text: string, mode: 'expression' | 'name' = 'expression') => normalizeExpressionText(text, aliases, mode);

const expressionOf = (text: string): string => {
  const result = normalize(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.expression;
};

const methodsOf = (text: string) => {
  const result = normalize(text);
  return result.ok ? result.mappings.map((m) => [m.from, m.to, m.method]) : result.outcome;
};

describe('normalization of license ids', () => {
  it('keeps exact ids and records them as exact', () => {
    expect(methodsOf('Apache-2.0')).toEqual([['Apache-2.0', 'Apache-2.0', 'exact']]);
  });

  it('corrects the case of ids and exceptions, and says so', () => {
    expect(methodsOf('apache-2.0')).toEqual([['apache-2.0', 'Apache-2.0', 'case']]);
    expect(methodsOf('gpl-2.0-only with classpath-exception-2.0')).toEqual([
      ['gpl-2.0-only', 'GPL-2.0-only', 'case'],
      ['classpath-exception-2.0', 'Classpath-exception-2.0', 'case'],
    ]);
  });

  it('maps deprecated ids to current ones', () => {
    expect(methodsOf('GPL-2.0')).toEqual([['GPL-2.0', 'GPL-2.0-only', 'deprecated']]);
    expect(methodsOf('GPL-2.0+')).toEqual([['GPL-2.0+', 'GPL-2.0-or-later', 'deprecated']]);
    expect(methodsOf('LGPL-2.1+')).toEqual([['LGPL-2.1+', 'LGPL-2.1-or-later', 'deprecated']]);
    expect(methodsOf('GPL-3.0-only+')).toEqual([['GPL-3.0-only+', 'GPL-3.0-or-later', 'deprecated']]);
    expect(methodsOf('GFDL-1.3-invariants-only+')).toEqual([
      ['GFDL-1.3-invariants-only+', 'GFDL-1.3-invariants-or-later', 'deprecated'],
    ]);
    expect(expressionOf('GPL-2.0-with-classpath-exception')).toBe('GPL-2.0-only WITH Classpath-exception-2.0');
    expect(expressionOf('gpl-3.0-with-gcc-exception')).toBe('GPL-3.0-only WITH GCC-exception-3.1');
    expect(expressionOf('StandardML-NJ')).toBe('SMLNJ');
  });

  it('keeps `+` on ids that have no -or-later form', () => {
    const result = normalize('Apache-2.0+');
    expect(result.ok && result.tree).toEqual({ type: 'license', license: 'Apache-2.0', plus: true, exception: null });
  });

  it('maps SPDX full names and curated aliases, and says which', () => {
    expect(methodsOf('GNU General Public License v2.0 only')).toEqual([
      ['GNU General Public License v2.0 only', 'GPL-2.0-only', 'name'],
    ]);
    expect(methodsOf('mit license')).toEqual([['mit license', 'MIT', 'name']]);
    // Aliases ignore case and runs of spaces; `from` shows the words as read.
    expect(methodsOf('apache license,  Version 2.0')).toEqual([['apache license, Version 2.0', 'Apache-2.0', 'alias']]);
    expect(methodsOf('GPLv2')).toEqual([['GPLv2', 'GPL-2.0-only', 'alias']]);
  });

  it('keeps unknown ids and LicenseRefs unknown, guessing nothing', () => {
    // Apache-3 is no license at all (Apache-2 is in the name table now).
    const result = normalize('Apache-3 OR LicenseRef-acme');
    expect(result.ok && result.expression).toBe('Apache-3 OR LicenseRef-acme');
    expect(result.ok && result.hasUnknown).toBe(true);
    expect(result.ok && result.mappings).toEqual([{ from: 'LicenseRef-acme', to: 'LicenseRef-acme', method: 'exact' }]);
    expect(expressionOf('licenseref-acme')).toBe('LicenseRef-acme');
  });

  it('covers every deprecated SPDX id: a successor or a deliberate "none"', () => {
    const uncovered = deprecatedLicenseIds.filter(
      (id) => deprecatedIdReplacements[id] === undefined && !deprecatedWithoutSuccessor.has(id),
    );
    expect(uncovered).toEqual([]);
    for (const replacement of Object.values(deprecatedIdReplacements)) {
      const [license = '', exception] = replacement.split(' WITH ');
      expect(currentLicenseIds.has(license), license).toBe(true);
      if (exception !== undefined) expect(currentExceptionIds.has(exception), exception).toBe(true);
    }
  });
});

describe('normalization of expressions', () => {
  it('accepts operators in any case and renders them canonically', () => {
    expect(expressionOf('mit or (apache-2.0 and bsd-3-clause)')).toBe('MIT OR (Apache-2.0 AND BSD-3-Clause)');
    expect(expressionOf('MIT Or Apache-2.0')).toBe('MIT OR Apache-2.0');
    expect(expressionOf('((MIT))')).toBe('MIT');
  });

  it('binds AND tighter than OR and flattens chains', () => {
    const result = normalize('MIT OR Apache-2.0 AND ISC OR 0BSD');
    expect(result.ok && result.expression).toBe('MIT OR (Apache-2.0 AND ISC) OR 0BSD');
    expect(result.ok && result.tree.type === 'or' && result.tree.children.length).toBe(3);
  });

  it('does not take operator words inside ids for operators', () => {
    expect(expressionOf('ORACLE-thing AND MIT')).toBe('ORACLE-thing AND MIT');
  });

  it('reads curated names inside an expression', () => {
    expect(expressionOf('Apache License, Version 2.0 OR MIT')).toBe('Apache-2.0 OR MIT');
  });

  it('reports broken syntax as unparsable, never throwing', () => {
    for (const text of ['MIT AND', 'OR MIT', '(MIT', 'MIT)', 'MIT AND AND ISC', 'MIT WITH', '()', 'MIT (ISC)', 'WITH Classpath-exception-2.0', '(MIT OR ISC) WITH LLVM-exception', 'Some Thing OR MIT']) {
      const result = normalize(text);
      expect(result.ok ? result.expression : result.outcome, text).toBe('unparsable');
    }
  });

  it('in name mode, accepts an expression only when every part is recognized', () => {
    const known = normalize('GPLv2 or apache license, version 2.0', 'name');
    expect(known.ok && known.expression).toBe('GPL-2.0-only OR Apache-2.0');
    expect(normalize('Foo or MIT', 'name').ok).toBe(false);
  });

  it('rejects hostile input as too-large before parsing', () => {
    const cases = [
      `${'('.repeat(5000)}MIT${')'.repeat(5000)}`,
      `${'MIT OR '.repeat(10_000)}MIT`,
      `${'('.repeat(40)}MIT${')'.repeat(40)}`, // short, but nested past the depth limit
      `${'MIT OR '.repeat(300)}MIT`, // short, but past the token limit
    ];
    for (const text of cases) {
      const result = normalize(text);
      expect(result.ok ? result.expression : result.outcome).toBe('too-large');
    }
  });
});
