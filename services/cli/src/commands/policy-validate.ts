import { type LoadedPolicy, defaultPolicyDir, formatPolicyProblem, loadPolicyDir, policyProblemsOf } from '@clearance/policy';
import type { Command } from 'commander';

/** What `policy validate` touches outside itself; tests pass their own. */
export interface PolicyIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  setExitCode(code: number): void;
}

const processIo = (): PolicyIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
});

/**
 * `clearance policy validate [dir]`: loads a policy folder as the server
 * would (the repository's `policies/` by default). Prints the version on
 * success; otherwise each problem as `file:line:column path: message` on
 * stderr and exit code 1. A folder that cannot be read is not a policy
 * problem: that error is thrown for main.ts to report (exit 2, like `check`).
 */
export function registerPolicyCommands(program: Command, io: PolicyIo = processIo()): Command {
  const policy = program.command('policy').description('validate the policy files (licenses, contributions)');
  policy
    .command('validate')
    .description('check every *.yaml file of a policy folder against its schema')
    .argument('[dir]', 'the policy folder', defaultPolicyDir())
    .action(async (dir: string) => {
      let loaded: LoadedPolicy;
      try {
        loaded = await loadPolicyDir(dir);
      } catch (error) {
        const problems = policyProblemsOf(error);
        if (problems === null) throw error;
        for (const problem of problems) io.stderr.write(`${formatPolicyProblem(problem)}\n`);
        io.stderr.write(`policy invalid: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}\n`);
        io.setExitCode(1);
        return;
      }
      const count = loaded.files.length;
      io.stdout.write(`policy OK: version ${loaded.version}, ${count} file${count === 1 ? '' : 's'}\n`);
    });
  return policy;
}
