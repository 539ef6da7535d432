import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/app-error.js';
import { scanJsonStructure } from './json-structure-scan.js';

const failure = (text: string, maxDepth = 64): string | null => {
  try {
    scanJsonStructure(text, maxDepth);
    return null;
  } catch (error) {
    expect(isAppError(error)).toBe(true);
    return (error as Error).message;
  }
};

describe('scanJsonStructure', () => {
  it('counts only structural brackets, not those inside strings', () => {
    expect(failure('{"a":"[[[[{{{{","b":["\\"[[["]}', 3)).toBeNull();
    expect(failure('[[[1]]]', 3)).toBeNull();
    expect(failure('[[[[1]]]]', 3)).toMatch(/nests deeper than 3 levels \(at line 1 column 4\)/u);
  });

  it('handles escaped backslashes before a closing quote', () => {
    expect(failure('{"a\\\\":1,"b":"x\\\\\\\\","c":[{"d":1}]}', 3)).toBeNull();
  });

  it('finds duplicate keys per object, with escapes resolved, and not across objects or in values', () => {
    expect(failure('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}],"d":"a"}')).toBeNull();
    expect(failure('{"a":1,\n  "a":2}')).toBe('invalid JSON: duplicate key "a" at line 2 column 3');
    expect(failure('{"x":{"k":1,"\\u006b":2}}')).toContain('duplicate key "k"');
    expect(failure('[{"a":1},{"b":1,"b":2}]')).toContain('duplicate key "b"');
  });

  it('leaves malformed text to JSON.parse instead of failing on it', () => {
    for (const text of ['{"a', '{"a":1,"b"', ']]]', '{"a":"\\u00"}', '"']) expect(failure(text)).toBeNull();
  });
});
