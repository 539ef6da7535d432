import { describe, expect, it } from 'vitest';
import { terminalProgress } from './progress.js';

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
};

describe('terminalProgress', () => {
  it('draws one self-rewriting line on a TTY and clears it', () => {
    const tty = stream(true);
    const progress = terminalProgress(tty, 0);
    progress.phase('parsing bom.json…');
    progress.update(500, 1000);
    progress.update(1000, 1000);
    progress.clear();
    expect(tty.written).toEqual([
      '\r\u001b[Kparsing bom.json…',
      '\r\u001b[Kevaluating 500/1000 components (50%)',
      '\r\u001b[Kevaluating 1000/1000 components (100%)',
      '\r\u001b[K',
    ]);
  });

  it('throttles updates but always shows the last one', () => {
    const tty = stream(true);
    const progress = terminalProgress(tty, 60_000);
    for (let done = 1000; done <= 100_000; done += 1000) progress.update(done, 100_000);
    expect(tty.written).toEqual(['\r\u001b[Kevaluating 1000/100000 components (1%)', '\r\u001b[Kevaluating 100000/100000 components (100%)']);
  });

  it('writes nothing when stderr is not a terminal (CI logs, pipes)', () => {
    const pipe = stream(false);
    const progress = terminalProgress(pipe, 0);
    progress.phase('x');
    progress.update(1, 1);
    progress.clear();
    expect(pipe.written).toEqual([]);
  });
});
