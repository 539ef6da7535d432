import type { Database } from '@clearance/db';
import type { QueueRegistry } from '@clearance/queue';
import type { AuditSigner, PolicyContext } from '@clearance/services';
import type { Logger } from 'pino';
import type { ReadinessReport } from './readiness.js';
import type { OidcSettings } from './sign-in/oidc-settings.js';

export interface EventStreamSettings {
  /** How often a comment line goes out, so proxies and load balancers keep an idle stream open. */
  heartbeatMs: number;
  /**
   * How long one stream stays open. The client reconnects at once with its
   * Last-Event-ID, and the reconnect is authenticated again: a revoked token
   * or an expired UI session stops streaming within this time.
   */
  lifetimeMs: number;
}

/** What the API needs from its runtime; its own module so the routes need not import the app that mounts them. */
export interface ApiDependencies {
  db: Database;
  log: Logger;
  readiness: () => Promise<ReadinessReport>;
  /** The policy in force; its version is recorded with every audit event. */
  policy: PolicyContext;
  /** Signs checkpoints and dossier manifests. */
  signer: AuditSigner;
  /** Tells the outbox relay that a request committed work. */
  nudgeRelay: () => void;
  /** The BullMQ queues of the job catalog, shown to operators by the queue dashboard. */
  queues: QueueRegistry;
  /** Tests: check every answer against its route's response schemas (a mismatch answers 500). */
  checkResponses?: boolean;
  limits: { jsonBodyBytes: number; uploadBytes: number; rateLimitFactor: number };
  /** Single sign-on through an OpenID Connect provider; null: tokens only (the default). */
  oidc: OidcSettings | null;
  /** The URL people open Clearance at (the provider redirects back under it); known once the server listens. */
  publicUrl: () => string;
  /** The clock sessions expire by (tests move it instead of waiting). */
  now: () => Date;
  /** The live event stream (GET /events): heartbeat and how long one stream stays open. */
  liveStream: EventStreamSettings;
}
