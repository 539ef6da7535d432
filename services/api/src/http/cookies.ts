import type { Request } from 'express';

/** One cookie's value from the Cookie header, or null (no cookie-parser: two cookies are all we read). */
export const cookieValue = (req: Request, name: string): string | null => {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
};
