export interface Poller {
  /** Polls at once (after the person did something that changes what is shown). */
  now(): void;
}

/**
 * Runs `tick` now and then every `intervalMs` until the signal aborts or tick
 * returns 'stop'. A hidden tab does not poll (it catches up when shown), and
 * a failed tick is reported and retried at the next interval.
 */
export function poll(
  tick: () => Promise<'stop' | void>,
  intervalMs: number,
  signal: AbortSignal,
  onError: (error: unknown) => void = () => undefined,
): Poller {
  let timer: number | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  const schedule = (): void => {
    if (!signal.aborted && !stopped) timer = window.setTimeout(run, intervalMs);
  };
  const run = (): void => {
    if (signal.aborted || stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (document.hidden) {
      document.addEventListener('visibilitychange', run, { once: true });
      return;
    }
    window.clearTimeout(timer);
    running = true;
    tick()
      .then((result) => {
        if (result === 'stop') stopped = true;
      })
      .catch((error: unknown) => {
        if (!signal.aborted) onError(error);
      })
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        } else schedule();
      });
  };
  signal.addEventListener('abort', () => window.clearTimeout(timer), { once: true });
  run();
  return {
    now() {
      stopped = false;
      run();
    },
  };
}
