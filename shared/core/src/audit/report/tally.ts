import type { Tally } from './report-model.js';

/** Counts by key. Output order is fixed (count, then key) so the same events always render the same report. */
export class Counter {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Largest first; ties by key. With `order`, those keys first in that order (zeros kept), others after. */
  tallies(order?: readonly string[]): Tally[] {
    const byCount = [...this.counts.entries()]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || compareKeys(a.key, b.key));
    if (order === undefined) return byCount;
    const fixed = order.map((key) => ({ key, count: this.counts.get(key) ?? 0 }));
    return [...fixed, ...byCount.filter((tally) => !order.includes(tally.key))];
  }
}

// Code-point order, not localeCompare: the report must not depend on the locale of the machine.
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
};

/** Hours rounded to one decimal: enough for review times, stable across platforms. */
export const toHours = (ms: number): number => Math.round(ms / 360_000) / 10;
