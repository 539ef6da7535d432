interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs concurrent calls in batches, one batch at a time: calls that arrive
 * while a batch is being worked on wait and go together in the next one. A
 * lone call starts at once; under load, batches grow with the backlog (the
 * "group commit" of databases), so per-batch costs (round trips, a commit, a
 * lock) are paid once for many calls.
 *
 * `work` answers each input of a batch in order: a value, or the error that
 * call alone gets.
 */
export class BatchRunner<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private running = false;

  constructor(
    private readonly work: (inputs: readonly In[]) => Promise<Array<PromiseSettledResult<Out>>>,
    private readonly maxBatch: number,
  ) {}

  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      let results: Array<PromiseSettledResult<Out>>;
      try {
        results = await this.work(batch.map((call) => call.input));
      } catch (error) {
        results = batch.map(() => ({ status: 'rejected', reason: error }));
      }
      batch.forEach((call, i) => {
        const result = results[i] ?? { status: 'rejected', reason: new Error('the batch gave no answer for this call') };
        if (result.status === 'fulfilled') call.resolve(result.value);
        else call.reject(result.reason);
      });
    }
    this.running = false;
  }
}
