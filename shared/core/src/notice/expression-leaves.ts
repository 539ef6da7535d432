/** One license of a normalized expression, with the exception it is paired with. */
export interface ExpressionLeaf {
  license: string;
  /** `X+`: this version or a later one; the text is X's. */
  plus: boolean;
  exception: string | null;
}

/**
 * The licenses of an expression as the evaluator renders it (renderExpression:
 * operators in upper case, single spaces, names that are not idstrings in JSON
 * quotes), in order. Structure is not needed here: a NOTICE carries the text
 * of every license an expression names, OR branches included, because the
 * choice between them is the licensee's, not the NOTICE's.
 */
export const expressionLeaves = (expression: string): ExpressionLeaf[] => {
  const leaves: ExpressionLeaf[] = [];
  let pendingException = false;
  for (const word of words(expression)) {
    if (!word.quoted && (word.text === 'AND' || word.text === 'OR')) continue;
    if (!word.quoted && word.text === 'WITH') {
      pendingException = true;
      continue;
    }
    const last = leaves[leaves.length - 1];
    if (pendingException && last !== undefined) {
      last.exception = word.text;
      pendingException = false;
      continue;
    }
    const plus = !word.quoted && word.text.length > 1 && word.text.endsWith('+');
    leaves.push({ license: plus ? word.text.slice(0, -1) : word.text, plus, exception: null });
  }
  return leaves;
};

interface Word {
  text: string;
  quoted: boolean;
}

function* words(expression: string): Generator<Word> {
  let index = 0;
  while (index < expression.length) {
    const char = expression[index];
    if (char === ' ' || char === '(' || char === ')') {
      index += 1;
    } else if (char === '"') {
      const end = closingQuote(expression, index + 1);
      const quoted = expression.slice(index, end + 1);
      yield { text: end < expression.length ? (JSON.parse(quoted) as string) : quoted.slice(1), quoted: true };
      index = end + 1;
    } else {
      let end = index;
      while (end < expression.length && !' ()'.includes(expression[end] ?? ' ')) end += 1;
      yield { text: expression.slice(index, end), quoted: false };
      index = end;
    }
  }
}

/** The index of the quote that ends a JSON string; the text's length when none does (then the rest is the name). */
const closingQuote = (text: string, from: number): number => {
  for (let index = from; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '"') return index;
  }
  return text.length;
};
