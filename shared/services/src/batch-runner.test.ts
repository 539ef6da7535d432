import { describe, expect, it } from 'vitest';
import { BatchRunner } from './batch-runner.js';

/** A batch worker whose batches finish when the test says so. */
const controlledWork = () => {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const work = (inputs: readonly number[]): Promise<Array<PromiseSettledResult<number>>> => {
    batches.push([...inputs]);
    return new Promise((resolve) => {
      releases.push(() =>
        resolve(inputs.map((n) => (n < 0 ? { status: 'rejected', reason: new Error(`negative ${n}`) } : { status: 'fulfilled', value: n * 10 }))),
      );
    });
  };
  const release = async (): Promise<void> => {
    // Let the runner reach its next call to `work` before releasing it.
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  };
  return { work, batches, release };
};

describe('BatchRunner', () => {
  it('runs a lone call at once, and the calls that arrive meanwhile together in the next batch', async () => {
    const { work, batches, release } = controlledWork();
    const runner = new BatchRunner(work, 10);
    const first = runner.run(1);
    const rest = [2, 3, 4].map((n) => runner.run(n));
    expect(batches).toEqual([[1]]);
    await release();
    expect(await first).toBe(10);
    await release();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts more than the maximum in one batch', async () => {
    const { work, batches, release } = controlledWork();
    const runner = new BatchRunner(work, 2);
    const all = [1, 2, 3, 4, 5].map((n) => runner.run(n));
    for (let i = 0; i < 3; i++) await release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('gives each call its own answer: one failure rejects that call only', async () => {
    const { work, release } = controlledWork();
    const runner = new BatchRunner(work, 10);
    const results = Promise.allSettled([5, -1, 6].map((n) => runner.run(n)));
    await release();
    await release();
    expect((await results).map((result) => (result.status === 'fulfilled' ? result.value : String(result.reason)))).toEqual([50, 'Error: negative -1', 60]);
  });

  it('rejects every call of a batch whose work throws, and goes on with the next batch', async () => {
    let calls = 0;
    const runner = new BatchRunner<number, number>((inputs) => {
      calls += 1;
      if (calls === 2) return Promise.reject(new Error('database gone'));
      return Promise.resolve(inputs.map((n) => ({ status: 'fulfilled', value: n })));
    }, 10);
    const first = runner.run(1);
    const second = [runner.run(2), runner.run(3)];
    await first;
    const third = runner.run(4);
    expect((await Promise.allSettled(second)).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await third).toBe(4);
  });
});
