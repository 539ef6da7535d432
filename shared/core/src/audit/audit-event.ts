/** The fields of an audit event that its hash covers (everything but the hashes). */
export interface AuditEventBody {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  payload: unknown;
  policyVersion: string | null;
}

export interface AuditEventRecord extends AuditEventBody {
  prevHash: string;
  hash: string;
}
