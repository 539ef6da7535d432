import { describe, expect, it } from 'vitest';
import { addWorkingDays } from './working-days.js';

describe('addWorkingDays', () => {
  // 2025-03-03 is a Monday.
  it.each([
    ['2025-03-03T09:30:00Z', 0, '2025-03-03T09:30:00.000Z'],
    ['2025-03-03T09:30:00Z', 1, '2025-03-04T09:30:00.000Z'],
    ['2025-03-03T09:30:00Z', 4, '2025-03-07T09:30:00.000Z'],
    ['2025-03-03T09:30:00Z', 5, '2025-03-10T09:30:00.000Z'],
    ['2025-03-07T17:00:00Z', 1, '2025-03-10T17:00:00.000Z'],
    ['2025-03-07T17:00:00Z', 6, '2025-03-17T17:00:00.000Z'],
    ['2025-03-08T12:00:00Z', 1, '2025-03-11T12:00:00.000Z'],
    ['2025-03-09T12:00:00Z', 0, '2025-03-10T12:00:00.000Z'],
    ['2025-03-03T00:00:00Z', 10, '2025-03-17T00:00:00.000Z'],
  ])('%s + %i working days = %s', (start, days, expected) => {
    expect(addWorkingDays(new Date(start), days).toISOString()).toBe(expected);
  });

  it('does not change its argument', () => {
    const start = new Date('2025-03-07T17:00:00Z');
    addWorkingDays(start, 3);
    expect(start.toISOString()).toBe('2025-03-07T17:00:00.000Z');
  });

  it('refuses negative or fractional days', () => {
    expect(() => addWorkingDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });
});
