import type { FindingKeyset, FindingSort } from '@clearance/db';
import { z } from 'zod';

/**
 * Findings cursors. In component order the cursor stays what it always was,
 * the last index seen (a number); in another order it is the keyset (sort
 * key, index) as opaque base64url JSON, so clients pass it back untouched.
 */
export const encodeFindingCursor = (cursor: number | FindingKeyset | null): number | string | null =>
  cursor === null || typeof cursor === 'number' ? cursor : Buffer.from(JSON.stringify([cursor.key, cursor.index])).toString('base64url');

const keysetSchema = z.tuple([z.union([z.string().max(1_000), z.number().int()]), z.number().int().min(0)]);

export function decodeFindingCursor(sort: FindingSort, cursor: string): number | FindingKeyset | null {
  if (sort === 'index') return /^-?\d{1,9}$/.test(cursor) && Number(cursor) >= -1 ? Number(cursor) : null;
  try {
    const parsed = keysetSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { key: parsed.data[0], index: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
