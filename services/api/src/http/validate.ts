import type { Request } from 'express';
import type { z } from 'zod';

/** Parses the JSON body with a strict zod schema: unknown fields are refused (no mass assignment). */
export const parseBody = <Schema extends z.ZodType>(req: Request, schema: Schema): z.infer<Schema> =>
  schema.parse(req.body ?? {});
