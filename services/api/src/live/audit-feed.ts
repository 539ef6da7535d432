import { auditChangesAfter, auditHeadSeq, type AuditChange, type Database } from '@clearance/db';
import type { Logger } from 'pino';

/** The channel migration 0015's trigger notifies on every commit that appends audit events. */
export const AUDIT_CHANNEL = 'clearance_audit';

const PAGE = 500;

export interface FeedSubscriber {
  /** Changes after the previous call's, in order, visible or not to this subscriber. */
  deliver(changes: readonly AuditChange[]): void;
  /** The feed stops (server shutdown): end the stream. */
  close(): void;
}

/**
 * One reader of the audit log per API process, shared by every open stream:
 * a notification (any replica's commit, through PostgreSQL LISTEN/NOTIFY, or
 * PGlite's own) wakes it, it reads the events after the last one it saw in
 * one query and hands them to every subscriber, which keeps what its
 * caller may see. Wake-ups that arrive while it reads fold into one more read.
 */
export class AuditFeed {
  private head = 0;
  private readonly subscribers = new Set<FeedSubscriber>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const { rows } = await this.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const schema = rows[0]?.schema ?? 'public';
    this.head = await auditHeadSeq(this.db);
    // null: the listening connection was lost and is back, so read whatever was missed.
    this.unlisten = await this.db.listen(AUDIT_CHANNEL, (payload) => {
      if (payload === null || payload === schema) this.wake();
    });
  }

  /** The newest sequence number handed to subscribers. */
  get headSeq(): number {
    return this.head;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Subscribes from the current head on (read `headSeq` in the same tick); returns the unsubscribe. */
  subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => this.log.warn({ err: error }, 'could not read new audit events for the live streams'))
      .finally(() => {
        this.reading = null;
        if (this.readAgain) {
          this.readAgain = false;
          this.wake();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const changes = await auditChangesAfter(this.db, this.head, PAGE);
      const last = changes.at(-1);
      if (!last || this.stopped) return;
      // Head and delivery move together, in one tick: a subscriber added between reads sees neither twice nor a gap.
      this.head = last.seq;
      for (const subscriber of this.subscribers) subscriber.deliver(changes);
      if (changes.length < PAGE) return;
    }
  }

  /** Ends every stream and stops listening; called before the HTTP server closes, which open streams would hold. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const subscriber of this.subscribers) subscriber.close();
    this.subscribers.clear();
    await this.unlisten?.();
    await this.reading;
  }
}
