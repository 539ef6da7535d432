import { contributionRequestInputSchema } from '@clearance/core';
import { migrate, openPostgres } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { submitContributions, type ContributionServiceDeps, type Submission } from '@clearance/services';
import { newProjectRequest } from './new-project-request.js';

/**
 * `npm run bench -- intake [--rounds 200]`
 *
 * What one intake transaction costs this process, by group size: groups of 1
 * (every submission its own transaction, the baseline), 5, 25 and 100
 * submissions through `submitContributions` against the local PostgreSQL (a
 * fresh schema, dropped at the end). Prints wall time and this process's CPU
 * time (`process.cpuUsage`) per group and per submission: the API's intake
 * groups concurrent submissions, so this is the cost its batching amortizes.
 */
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function runIntakeBench(args: readonly string[]): Promise<void> {
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg === -1 ? 200 : Math.max(10, Number(args[roundsArg + 1]) || 200);
  const schema = `bench_intake_${process.pid}_${Date.now().toString(36)}`;
  const db = await openPostgres({ connectionString: databaseUrl, schema });
  try {
    await migrate(db);
    const loaded = await loadDefaultPolicy();
    const deps: ContributionServiceDeps = { db, policy: { version: loaded.version, licenses: loaded.licenses, contributions: loaded.contributions, obligations: loaded.obligations } };
    let sequence = 0;
    const submission = (): Submission => {
      sequence += 1;
      return {
        principal: { user: `bench-engineer-${sequence % 20}`, roles: ['requester'], tokenId: 'bench' },
        request: contributionRequestInputSchema.parse(newProjectRequest(`bench-${sequence}`)),
      };
    };
    const group = (size: number): Submission[] => Array.from({ length: size }, submission);

    process.stdout.write(`Intake transactions: ${rounds} groups per size (after 20 to warm up), PostgreSQL schema ${schema}\n`);
    process.stdout.write('| group size | wall per group (ms) | CPU per group (ms) | CPU per submission (µs) | vs groups of 1 |\n|---|---|---|---|---|\n');
    let baseline = 0;
    for (const size of [1, 5, 25, 100]) {
      for (let i = 0; i < 20; i++) await submitContributions(deps, group(size));
      const groups = Array.from({ length: rounds }, () => group(size));
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      for (const submissions of groups) await submitContributions(deps, submissions);
      const wallMs = (performance.now() - wallStart) / rounds;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1_000 / rounds;
      const perSubmissionUs = (cpuMs * 1_000) / size;
      if (size === 1) baseline = perSubmissionUs;
      process.stdout.write(
        `| ${size} | ${wallMs.toFixed(2)} | ${cpuMs.toFixed(2)} | ${perSubmissionUs.toFixed(0)} | ${size === 1 ? 'baseline' : `${(baseline / perSubmissionUs).toFixed(1)}× less CPU`} |\n`,
      );
    }
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  }
}
