import { z } from 'zod';

/** A page of a list; `nextCursor` is passed back to get the next one (null: no more). */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({ items: z.array(item), nextCursor: z.union([z.string(), z.number()]).nullable() });

/** A whole list, no paging. */
export const listOf = <Item extends z.ZodType>(item: Item) => z.strictObject({ items: z.array(item) });

/** Every 4xx and 5xx answer. */
export const errorResponseSchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown().optional(), errorId: z.string().optional() }),
});

/** A JSON answer whose shape this contract leaves open (operator tools, streams described elsewhere). */
export const openObject = z.looseObject({});
