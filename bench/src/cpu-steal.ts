import { readFileSync } from 'node:fs';

interface CpuTimes {
  steal: number;
  total: number;
}

/** The machine's CPU time so far (all CPUs, from /proc/stat); undefined where there is no /proc. */
const readCpuTimes = (): CpuTimes | undefined => {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is counted inside user already)
    const counted = fields.slice(0, 8);
    if (counted.length < 8 || counted.some((n) => !Number.isFinite(n))) return undefined;
    return { steal: counted[7] ?? 0, total: counted.reduce((sum, n) => sum + n, 0) };
  } catch {
    return undefined;
  }
};

/**
 * Runs `measure` and says what share of the machine's CPU time the hypervisor
 * gave to other guests meanwhile ("steal" in /proc/stat). On a shared virtual
 * machine that share moves between identical runs (0–25% within minutes
 * here) and with it every latency figure; printed beside each row, it tells a
 * slow run of ours from a busy neighbour. NaN where /proc is not there.
 */
export async function withStealShare<T>(measure: () => Promise<T>): Promise<{ result: T; stealShare: number }> {
  const before = readCpuTimes();
  const result = await measure();
  const after = readCpuTimes();
  const stealShare = before && after && after.total > before.total ? (after.steal - before.steal) / (after.total - before.total) : Number.NaN;
  return { result, stealShare };
}
