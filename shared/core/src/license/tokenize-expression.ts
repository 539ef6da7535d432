import { expressionLimits } from './expression-limits.js';

export type Token =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'operator'; operator: 'AND' | 'OR' | 'WITH' }
  | { type: 'word'; text: string };

export type TokenizeResult =
  | { ok: true; tokens: Token[] }
  | { ok: false; outcome: 'too-large' | 'unparsable'; message: string };

const operatorOf = (word: string): 'AND' | 'OR' | 'WITH' | null => {
  if (word.length > 4) return null;
  const upper = word.toUpperCase();
  return upper === 'AND' || upper === 'OR' || upper === 'WITH' ? upper : null;
};

const isSpace = (char: string): boolean => char === ' ' || char === '\t' || char === '\n' || char === '\r';

/**
 * Splits a license text into words, operators and parentheses in one linear
 * scan, enforcing the size limits as it goes so hostile input stops early.
 * Operators are recognized in any case, but only as whole words: `or` inside
 * `Orange-License` is not an operator.
 */
export const tokenizeExpression = (text: string): TokenizeResult => {
  if (text.length > expressionLimits.maxLength) {
    return { ok: false, outcome: 'too-large', message: `longer than ${expressionLimits.maxLength} characters` };
  }
  const tokens: Token[] = [];
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (isSpace(char)) {
      index += 1;
      continue;
    }
    if (tokens.length >= expressionLimits.maxTokens) {
      return { ok: false, outcome: 'too-large', message: `more than ${expressionLimits.maxTokens} tokens` };
    }
    if (char === '(') {
      depth += 1;
      if (depth > expressionLimits.maxDepth) {
        return { ok: false, outcome: 'too-large', message: `parentheses nested deeper than ${expressionLimits.maxDepth}` };
      }
      tokens.push({ type: 'open' });
      index += 1;
      continue;
    }
    if (char === ')') {
      depth -= 1;
      if (depth < 0) return { ok: false, outcome: 'unparsable', message: `unbalanced ')' at offset ${index}` };
      tokens.push({ type: 'close' });
      index += 1;
      continue;
    }
    const start = index;
    while (index < text.length) {
      const next = text.charAt(index);
      if (isSpace(next) || next === '(' || next === ')') break;
      index += 1;
    }
    const word = text.slice(start, index);
    const operator = operatorOf(word);
    tokens.push(operator === null ? { type: 'word', text: word } : { type: 'operator', operator });
  }
  if (depth !== 0) return { ok: false, outcome: 'unparsable', message: "unbalanced '('" };
  return { ok: true, tokens };
};
