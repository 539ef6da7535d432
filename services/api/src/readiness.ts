export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

export type ReadinessProbe = () => Promise<ReadinessCheck>;

/** Runs every probe with a time bound, so a hung dependency reads as "not ready", not as a hung probe. */
export async function checkReadiness(probes: Record<string, ReadinessProbe>, timeoutMs = 2_000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, ReadinessCheck]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ReadinessCheck>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        return [name, await Promise.race([probe(), timeout])];
      } catch (error) {
        return [name, { ok: false, detail: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return { ready: entries.every(([, check]) => check.ok), checks };
}
