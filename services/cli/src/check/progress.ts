/** Where progress goes: stderr, so stdout stays clean for the report. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  phase(text: string): void;
  update(done: number, total: number): void;
  clear(): void;
}

const silent: Progress = { phase: () => undefined, update: () => undefined, clear: () => undefined };

/**
 * One self-rewriting status line on a terminal; nothing at all when stderr is
 * a pipe or a CI log, where `\r` updates would only add noise. Updates are
 * throttled so a 100k-component run does not spend its time drawing.
 */
export const terminalProgress = (stream: ProgressStream, intervalMs = 100): Progress => {
  if (stream.isTTY !== true) return silent;
  let last = 0;
  let shown = false;
  const show = (text: string) => {
    stream.write(`\r\u001b[K${text}`);
    shown = true;
  };
  return {
    phase: show,
    update(done, total) {
      const now = Date.now();
      if (now - last < intervalMs && done < total) return;
      last = now;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      show(`evaluating ${done}/${total} components (${percent}%)`);
    },
    clear() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
};
