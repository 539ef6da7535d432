/** `1 time`, `2 times`, `0 lines`: a count with its noun in the right number, for text people read. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
