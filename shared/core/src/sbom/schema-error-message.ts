import type { ErrorObject } from 'ajv';

/**
 * ajv's first error is often the least useful one: a failed `oneOf` reports
 * the errors of every branch and then "must match exactly one schema". Prefer
 * the most specific error (deepest instance path, not a combinator), and say
 * what was allowed when the schema lists it.
 */
export const describeSchemaErrors = (errors: readonly ErrorObject[]): string => {
  const best = mostSpecific(errors);
  return best ? describe(best) : 'unknown schema error';
};

const combinators = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not']);

const mostSpecific = (errors: readonly ErrorObject[]): ErrorObject | undefined => {
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (!best) {
      best = error;
      continue;
    }
    const bestIsCombinator = combinators.has(best.keyword);
    const isCombinator = combinators.has(error.keyword);
    if (bestIsCombinator && !isCombinator) best = error;
    else if (bestIsCombinator === isCombinator && error.instancePath.length > best.instancePath.length) best = error;
  }
  return best;
};

const describe = (error: ErrorObject): string => {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      const shown = allowed.slice(0, 12).map((value) => JSON.stringify(value)).join(', ');
      return `${where} must be one of ${shown}${allowed.length > 12 ? `, … (${allowed.length} values)` : ''}`;
    }
    case 'additionalProperties':
      return `${where} has unknown property ${JSON.stringify(params.additionalProperty)}`;
    case 'required':
      return `${where} is missing required property ${JSON.stringify(params.missingProperty)}`;
    default:
      return `${where} ${error.message ?? `fails ${error.keyword}`}`;
  }
};

/** A bounded, serializable copy of the errors for `AppError.details`. */
export const schemaErrorDetails = (errors: readonly ErrorObject[]) =>
  errors.slice(0, 10).map((error) => ({
    path: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? null,
  }));
