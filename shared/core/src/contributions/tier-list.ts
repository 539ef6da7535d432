/**
 * The kinds of outbound contribution, from least to most exposure, and what
 * each sends out: code to an existing upstream, or a new project of ours.
 * This object is the one list of tiers: the request schema, the policy
 * schema, the audit filters, the CLI's help and the web form are built from
 * it, and their labels come from the policy. The order matters: escalating a
 * request moves it one step down the list.
 */
export const tierTargets = {
  /** Code that fixes. */
  'bug-fix': 'upstream',
  /** Code that improves. */
  enhancement: 'upstream',
  /** Code that adds. */
  'new-feature': 'upstream',
  /** Code that seeds a new project. */
  'new-project': 'project',
} as const satisfies Record<string, 'upstream' | 'project'>;
