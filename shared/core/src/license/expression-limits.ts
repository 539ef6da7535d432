/**
 * Bounds on one license text, checked while scanning and before any parser
 * runs. spdx-expression-parse recurses once per operator and per parenthesis,
 * so an unbounded input could overflow the stack or take quadratic time; real
 * expressions stay far below these (the longest OR chains in npm have a few
 * dozen ids).
 */
export const expressionLimits = {
  /** Characters in one license text. */
  maxLength: 4096,
  /** Words, operators and parentheses in one license text. */
  maxTokens: 512,
  /** Nesting of parentheses. */
  maxDepth: 32,
  /** License entries of one component (each one a text within the limits above). */
  maxEntries: 64,
  /** Leaves after all entries of one component are combined. */
  maxLeaves: 512,
} as const;
