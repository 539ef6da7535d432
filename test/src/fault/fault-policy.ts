import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultPolicyDir } from '@clearance/policy';

/**
 * The default policies plus a blanket approval for one GitHub org, so that
 * requests reach a final state with no reviewer in the loop: bug fixes to the
 * org auto-approve, requests to its AGPL repositories auto-reject.
 */
export async function writeFaultPolicy(dir: string, org: string): Promise<void> {
  await cp(defaultPolicyDir(), dir, { recursive: true, filter: (source) => !source.endsWith('.md') });
  const file = join(dir, 'contributions.yaml');
  const text = await readFile(file, 'utf8');
  if (!text.includes('blanketApprovals: []')) throw new Error('the default policy changed: update the fault-test policy');
  await writeFile(
    file,
    text.replace(
      'blanketApprovals: []',
      `blanketApprovals:\n  - name: fault-test\n    scope: org\n    host: github.com\n    owner: ${org}\n    tiers: [bug-fix]`,
    ),
  );
}
