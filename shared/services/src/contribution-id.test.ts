import { describe, expect, it } from 'vitest';
import { contributionIdPattern, newContributionId, newContributionIds } from './contribution-submission.js';

describe('newContributionId', () => {
  it('makes ids that sort in the order they were made', () => {
    const times = [0, 1, 255, 256, 1_764_000_000_000, 1_764_000_000_001, 1_764_000_060_000, 16 ** 11 - 1];
    const ids = times.map((time) => newContributionId(time));
    for (const id of ids) expect(id).toMatch(contributionIdPattern);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the millisecond it was made in, and random digits after it', () => {
    const id = newContributionId(1_764_000_000_123);
    expect(Number.parseInt(id.slice(4, 15), 16)).toBe(1_764_000_000_123);
    const sameMillisecond = new Set(Array.from({ length: 1_000 }, () => newContributionId(1_764_000_000_123)));
    expect(sameMillisecond.size).toBe(1_000);
  });

  it('makes a batch of distinct ids of one millisecond', () => {
    const ids = newContributionIds(500, 1_764_000_000_123);
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) {
      expect(id).toMatch(contributionIdPattern);
      expect(id.slice(0, 15)).toBe(newContributionId(1_764_000_000_123).slice(0, 15));
    }
  });
});
