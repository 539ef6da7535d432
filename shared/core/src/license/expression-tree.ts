/**
 * A normalized license expression. AND and OR are n-ary (the parser's binary
 * chains are flattened) so that OR can pick its best branch in one pass.
 */
export interface LicenseLeaf {
  type: 'license';
  /** An SPDX id, a LicenseRef, or the text as written when nothing matched. */
  license: string;
  /** `X+`: "this version or any later one" for ids that have no `-or-later` form. */
  plus: boolean;
  exception: string | null;
}

export interface Conjunction {
  type: 'and' | 'or';
  children: ExpressionNode[];
}

export type ExpressionNode = LicenseLeaf | Conjunction;

export const leaf = (license: string, plus = false, exception: string | null = null): LicenseLeaf => ({
  type: 'license',
  license,
  plus,
  exception,
});

/** Joins nodes with one operator, flattening nested nodes of the same operator. */
export const conjoin = (type: 'and' | 'or', nodes: readonly ExpressionNode[]): ExpressionNode => {
  const children: ExpressionNode[] = [];
  for (const node of nodes) {
    if (node.type === type) children.push(...node.children);
    else children.push(node);
  }
  const [only] = children;
  return children.length === 1 && only ? only : { type, children };
};

// Text that is not an SPDX idstring (an unrecognized name with spaces) is
// quoted so the rendered expression still shows where one leaf ends.
const plainToken = /^[A-Za-z0-9.\-+:]+$/;
const renderText = (text: string): string => (plainToken.test(text) ? text : JSON.stringify(text));

export const renderLeaf = (node: LicenseLeaf): string =>
  `${renderText(node.license)}${node.plus ? '+' : ''}${node.exception === null ? '' : ` WITH ${renderText(node.exception)}`}`;

/**
 * The canonical text of an expression: upper-case operators, single spaces,
 * parentheses only around a conjunction inside another one. It is the memo key
 * of the evaluator, so two spellings of one expression share one evaluation.
 */
export const renderExpression = (node: ExpressionNode): string => {
  if (node.type === 'license') return renderLeaf(node);
  const separator = node.type === 'and' ? ' AND ' : ' OR ';
  return node.children
    .map((child) => (child.type === 'license' ? renderLeaf(child) : `(${renderExpression(child)})`))
    .join(separator);
};

export const countLeaves = (node: ExpressionNode): number =>
  node.type === 'license' ? 1 : node.children.reduce((sum, child) => sum + countLeaves(child), 0);
