/**
 * The requirements of ISO/IEC 5230:2020 (functionally identical to the
 * OpenChain Specification 2.1), by clause number and short title only, as the
 * OpenChain Project publishes them (CC-BY-4.0):
 * https://github.com/OpenChain-Project/License-Compliance-Specification/blob/d2c13cda2c52dc8e380c124bf71c8fc7ff0e500a/Official/en/ISO-5230-2020/ISO-5230-2020.md
 *
 * Each requirement says which audit events count as its evidence
 * (`evidencedBy`, matched in evidence-rules.ts) and which of its verification
 * materials no audit event can show (`outsideLog`), so a reader never takes
 * the map for a conformance claim.
 */
export const CONFORMANCE_STANDARD = 'ISO/IEC 5230:2020 (OpenChain Specification 2.1)';
export const CONFORMANCE_SOURCE =
  'https://github.com/OpenChain-Project/License-Compliance-Specification/blob/d2c13cda2c52dc8e380c124bf71c8fc7ff0e500a/Official/en/ISO-5230-2020/ISO-5230-2020.md';

/**
 * Raised whenever the mapping below or the rules change what a bundle's
 * conformance.json holds: a verifier recomputes only a map of its own version.
 */
export const CONFORMANCE_MAPPING_VERSION = 1;

export type RequirementId = '3.1.1' | '3.1.2' | '3.1.3' | '3.1.4' | '3.1.5' | '3.2.1' | '3.2.2' | '3.3.1' | '3.3.2' | '3.4.1' | '3.5.1' | '3.6.1' | '3.6.2';

export interface RequirementDefinition {
  clause: RequirementId;
  title: string;
  /** What in the audit log counts as evidence; null when no event can. */
  evidencedBy: string | null;
  /** The verification materials the auditor must obtain outside the log. */
  outsideLog: string;
}

export interface ClauseDefinition {
  clause: string;
  title: string;
  requirements: readonly RequirementDefinition[];
}

export const CLAUSES: readonly ClauseDefinition[] = [
  {
    clause: '3.1',
    title: 'Program foundation',
    requirements: [
      {
        clause: '3.1.1',
        title: 'Policy',
        evidencedBy: 'policy.activated: each policy version that came into force, who activated it, its files',
        outsideLog: 'How the policy is communicated to program participants.',
      },
      {
        clause: '3.1.2',
        title: 'Competence',
        evidencedBy: 'token.created / token.revoked: the roles each person held',
        outsideLog: 'The responsibilities and competences of each role, and evidence of assessed competence.',
      },
      { clause: '3.1.3', title: 'Awareness', evidencedBy: null, outsideLog: 'Evidence of assessed awareness of program participants.' },
      { clause: '3.1.4', title: 'Program scope', evidencedBy: null, outsideLog: 'A written statement of the scope and limits of the program.' },
      {
        clause: '3.1.5',
        title: 'License obligations',
        evidencedBy: 'policy.activated of a version holding a license policy (licenses.yaml, obligations.yaml)',
        outsideLog: 'The documented procedure for reviewing each identified license.',
      },
    ],
  },
  {
    clause: '3.2',
    title: 'Relevant tasks defined and supported',
    requirements: [
      { clause: '3.2.1', title: 'Access', evidencedBy: null, outsideLog: 'A public way to make a compliance inquiry, and the procedure for answering it.' },
      {
        clause: '3.2.2',
        title: 'Effectively resourced',
        evidencedBy: 'token.created of ospo, legal or compliance roles (named people in program roles); waiver.granted / revoked / expired (non-compliant cases resolved)',
        outsideLog: 'Staffing and funding of the program roles.',
      },
    ],
  },
  {
    clause: '3.3',
    title: 'Open source content review and approval',
    requirements: [
      {
        clause: '3.3.1',
        title: 'Bill of materials',
        evidencedBy: 'sbom.uploaded: each bill of materials received, its format, size and SHA-256',
        outsideLog: 'The documented procedure for managing bills of materials.',
      },
      {
        clause: '3.3.2',
        title: 'License compliance',
        evidencedBy: 'sbom.evaluated / sbom.rejected: each license check and its verdict under the policy in force',
        outsideLog: 'The documented procedure for the common license use cases.',
      },
    ],
  },
  {
    clause: '3.4',
    title: 'Compliance artifact creation and delivery',
    requirements: [
      {
        clause: '3.4.1',
        title: 'Compliance artifacts',
        evidencedBy: 'release.cleared with the SHA-256 of its NOTICE (noticeSha256)',
        outsideLog: 'The procedure for delivering and archiving compliance artifacts.',
      },
    ],
  },
  {
    clause: '3.5',
    title: 'Understanding open source community engagements',
    requirements: [
      {
        clause: '3.5.1',
        title: 'Contributions',
        evidencedBy: 'contribution.decided / auto-approved / auto-rejected: each decision on a contribution request, by whom and why',
        outsideLog: 'How the contribution policy is communicated to program participants.',
      },
    ],
  },
  {
    clause: '3.6',
    title: 'Adherence to the specification requirements',
    requirements: [
      { clause: '3.6.1', title: 'Conformance', evidencedBy: null, outsideLog: "The organization's affirmation that the program satisfies the requirements." },
      { clause: '3.6.2', title: 'Duration', evidencedBy: null, outsideLog: 'That affirmation, made within the past 18 months.' },
    ],
  },
];
