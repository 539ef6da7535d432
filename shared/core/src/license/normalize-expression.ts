import parseSpdx from 'spdx-expression-parse';
import type { IdMapping } from './finding.js';
import { type ExpressionNode, conjoin, leaf, renderExpression } from './expression-tree.js';
import { type AliasLookup, ambiguityNote, isIdstring, normalizeException, normalizePhrase } from './normalize-phrase.js';
import { tokenizeExpression } from './tokenize-expression.js';

export type NormalizeResult =
  | {
      ok: true;
      tree: ExpressionNode;
      /** Canonical text of `tree`. */
      expression: string;
      mappings: IdMapping[];
      /** The text used AND, OR or WITH. */
      hasOperator: boolean;
      /** Some license in it matched no id, alias or name. */
      hasUnknown: boolean;
      notes: string[];
    }
  | { ok: false; outcome: 'unparsable' | 'too-large'; message: string };

/**
 * `expression`: an SPDX expression as written in an SBOM; an unknown idstring
 * stays an unknown license, other unknown text makes the expression unparsable.
 * `name`: trying to read a license *name* as an expression ("MPL 2.0 or EPL
 * 1.0"); every part must be recognized, or the name is not an expression.
 */
export type NormalizeMode = 'expression' | 'name';

interface Atom {
  phrase: string;
  exception: string | null;
}
type Item = '(' | ')' | 'AND' | 'OR' | Atom;

type Failure = Extract<NormalizeResult, { ok: false }>;
const unparsable = (message: string): Failure => ({ ok: false, outcome: 'unparsable', message });

/** Groups words into atoms (a license phrase and its optional `WITH` exception) and checks the grammar's order. */
const toItems = (text: string): Item[] | Failure => {
  const scanned = tokenizeExpression(text);
  if (!scanned.ok) return scanned;
  const { tokens } = scanned;
  const items: Item[] = [];
  let expectOperand = true;
  let index = 0;
  const readPhrase = (): string => {
    const words: string[] = [];
    for (let token = tokens[index]; token?.type === 'word'; token = tokens[index]) {
      words.push(token.text);
      index += 1;
    }
    return words.join(' ');
  };
  while (index < tokens.length) {
    const token = tokens[index];
    if (token === undefined) break;
    if (expectOperand) {
      if (token.type === 'open') {
        items.push('(');
        index += 1;
      } else if (token.type === 'word') {
        const phrase = readPhrase();
        let exception: string | null = null;
        const next = tokens[index];
        if (next?.type === 'operator' && next.operator === 'WITH') {
          index += 1;
          exception = readPhrase();
          if (exception === '') return unparsable('WITH must be followed by an exception');
        }
        items.push({ phrase, exception });
        expectOperand = false;
      } else {
        return unparsable(`expected a license, found ${token.type === 'operator' ? token.operator : "')'"}`);
      }
    } else if (token.type === 'close') {
      items.push(')');
      index += 1;
    } else if (token.type === 'operator' && token.operator !== 'WITH') {
      items.push(token.operator);
      expectOperand = true;
      index += 1;
    } else {
      return unparsable(`expected AND or OR, found ${token.type === 'operator' ? token.operator : "'('"}`);
    }
  }
  if (items.length === 0) return unparsable('empty expression');
  if (expectOperand) return unparsable('expression ends with an operator');
  return items;
};

type SpdxNode = parseSpdx.Info;

export const normalizeExpressionText = (
  text: string,
  aliases: AliasLookup | null,
  mode: NormalizeMode,
): NormalizeResult => {
  const items = toItems(text);
  if (!Array.isArray(items)) return items;

  const mappings: IdMapping[] = [];
  const notes: string[] = [];
  const atomTrees: ExpressionNode[] = [];
  let hasUnknown = false;
  let hasOperator = false;
  for (const item of items) {
    if (typeof item === 'string') {
      if (item === 'AND' || item === 'OR') hasOperator = true;
      continue;
    }
    let tree: ExpressionNode;
    const found = normalizePhrase(item.phrase, aliases);
    if (found !== null) {
      tree = found.tree;
      mappings.push(...found.mappings);
      if (found.ambiguous !== undefined) {
        hasUnknown = true;
        notes.push(ambiguityNote(item.phrase, found.ambiguous));
      }
    } else if (mode === 'expression' && isIdstring(item.phrase)) {
      tree = leaf(item.phrase);
      hasUnknown = true;
    } else {
      return unparsable(`not a license id, alias or SPDX name: ${JSON.stringify(item.phrase)}`);
    }
    if (item.exception !== null) {
      hasOperator = true;
      if (tree.type !== 'license' || tree.exception !== null) {
        return unparsable(`WITH applies to one license, not to ${JSON.stringify(item.phrase)}`);
      }
      const exception = normalizeException(item.exception);
      if (exception !== null) {
        mappings.push(exception.mapping);
        tree = { ...tree, exception: exception.id };
      } else if (mode === 'expression' && isIdstring(item.exception)) {
        // Kept as written; the evaluator judges it as unknown and says so.
        tree = { ...tree, exception: item.exception };
      } else {
        return unparsable(`not an SPDX exception: ${JSON.stringify(item.exception)}`);
      }
    }
    atomTrees.push(tree);
  }

  // spdx-expression-parse decides the structure (AND binds tighter than OR,
  // parentheses); each atom stands in as a LicenseRef placeholder because the
  // atoms were normalized above and may be names or unknown ids it rejects.
  let atomIndex = 0;
  const placeholderText = items
    .map((item) => (typeof item === 'string' ? item : `LicenseRef-${atomIndex++}`))
    .join(' ');
  let parsed: SpdxNode;
  try {
    parsed = parseSpdx(placeholderText);
  } catch (error) {
    return unparsable(error instanceof Error ? error.message : 'syntax error');
  }
  const convert = (node: SpdxNode): ExpressionNode => {
    if ('conjunction' in node) return conjoin(node.conjunction, [convert(node.left), convert(node.right)]);
    const atom = atomTrees[Number(node.license.slice('LicenseRef-'.length))];
    if (atom === undefined) throw new Error(`placeholder ${node.license} has no atom`);
    return atom;
  };
  const tree = convert(parsed);
  return { ok: true, tree, expression: renderExpression(tree), mappings, hasOperator, hasUnknown, notes };
};
