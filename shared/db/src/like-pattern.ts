/** A LIKE/ILIKE pattern that matches `text` anywhere, with its own % and _ taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
