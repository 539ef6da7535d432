/** The request both intake benchmarks submit: a new project, so no GitHub call is ever needed. */
export const newProjectRequest = (name: string) => ({
  tier: 'new-project' as const,
  project: { name, outboundLicense: 'Apache-2.0', owningTeam: 'platform', maintenanceCommitment: 'two engineers for two years' },
  title: `Release ${name}`,
  justification: 'Load benchmark request',
  estimatedLinesChanged: 500,
});
