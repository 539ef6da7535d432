import { describe, expect, it } from 'vitest';
import { expressionLeaves } from './expression-leaves.js';
import { renderExpression, leaf } from '../license/expression-tree.js';

describe('expressionLeaves', () => {
  it('reads the licenses, exceptions and "or later" marks of a rendered expression in order', () => {
    expect(expressionLeaves('(MIT OR GPL-2.0-only WITH Classpath-exception-2.0) AND LGPL-2.1+')).toEqual([
      { license: 'MIT', plus: false, exception: null },
      { license: 'GPL-2.0-only', plus: false, exception: 'Classpath-exception-2.0' },
      { license: 'LGPL-2.1', plus: true, exception: null },
    ]);
  });

  it('reads back names the renderer had to quote, quotes and operators inside them included', () => {
    const tree = { type: 'and' as const, children: [leaf('Some "odd" AND (weird) license'), leaf('LicenseRef-x', false, 'my exception')] };
    expect(expressionLeaves(renderExpression(tree))).toEqual([
      { license: 'Some "odd" AND (weird) license', plus: false, exception: null },
      { license: 'LicenseRef-x', plus: false, exception: 'my exception' },
    ]);
  });

  it('takes an unterminated name as running to the end instead of failing', () => {
    expect(expressionLeaves('MIT AND "broken')).toEqual([
      { license: 'MIT', plus: false, exception: null },
      { license: 'broken', plus: false, exception: null },
    ]);
  });
});
