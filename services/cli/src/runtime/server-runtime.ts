import type { Server } from 'node:http';
import { checkReadiness, createApi, type ReadinessReport, type RouteSpec } from '@clearance/api';
import { keyFingerprintOf } from '@clearance/core';
import { oldestPendingOutboxAgeMs, type Database } from '@clearance/db';
import { QueueRegistry, createRedis, heartbeatAgeMs } from '@clearance/queue';
import type { LoadedPolicy } from '@clearance/policy';
import { activatePolicy, checkpointIfDue, ensureBootstrapToken, firstChainKeyPem, listKeyRotations, type PolicyContext } from '@clearance/services';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerEnvironment } from '../config/environment.js';
import { oidcSettingsOf } from '../config/oidc-config.js';
import { loadAuditSigner } from './audit-signing-key.js';
import { resolveRedis, type ResolvedRedis } from './private-redis.js';
import { startWorkers } from './start-workers.js';
import { openStorage } from './storage.js';

export interface RunningServer {
  port: number;
  db: Database;
  /** Every route the API serves, as declared (the authorization matrix test reads it). */
  routes: readonly RouteSpec[];
  /** Stops taking requests and jobs, waits for running ones up to the grace period, closes everything. */
  stop(): Promise<void>;
}

export interface ServerRuntimeOptions {
  env: ServerEnvironment;
  log: Logger;
  policy: LoadedPolicy;
  /** false for `serve --api-only`: workers run in their own processes. */
  withWorkers: boolean;
  /** Where the one-time bootstrap token is shown (never the log). */
  announce: (line: string) => void;
  /** Tests: every answer is checked against its route's response schema (a mismatch answers 500). */
  checkResponses?: boolean;
  /** Tests: the clock sessions expire by, so a test moves time instead of waiting. */
  now?: () => Date;
}

/**
 * Composes the all-in-one (or API-only) process: storage, Redis, the outbox
 * relay, the workers and the HTTP server, started in dependency order and
 * stopped in reverse.
 */
export async function startServer(options: ServerRuntimeOptions): Promise<RunningServer> {
  const { env, log } = options;
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.warn({ err: error }, 'error while stopping');
      }
    }
  };

  try {
    // Before anything starts: a wrong claim → role map stops the process with the field named.
    const oidc = await oidcSettingsOf(env);
    const { db, applied } = await openStorage({ databaseUrl: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.CLEARANCE_DATA_DIR });
    cleanups.push(() => db.close());
    log.info({ database: db.kind, migrationsApplied: applied }, 'database ready');
    const policy: PolicyContext = options.policy;
    if (await activatePolicy(db, options.policy)) log.info({ policyVersion: policy.version }, 'policy change recorded');

    const bootstrap = await ensureBootstrapToken(db, { token: env.CLEARANCE_BOOTSTRAP_TOKEN, policyVersion: policy.version });
    if (bootstrap) {
      options.announce(
        env.CLEARANCE_BOOTSTRAP_TOKEN
          ? `Created the admin token from CLEARANCE_BOOTSTRAP_TOKEN (user "admin", id ${bootstrap.row.id}).`
          : `Admin token (shown once, keep it safe): ${bootstrap.token}`,
      );
    }

    const signer = await loadAuditSigner({ keyPem: env.CLEARANCE_AUDIT_SIGNING_KEY, dataDir: env.CLEARANCE_DATA_DIR, checkpointDir: env.CLEARANCE_CHECKPOINT_DIR });
    // Signs the head every CLEARANCE_CHECKPOINT_EVERY events, or once an unsigned event is
    // CLEARANCE_CHECKPOINT_MAX_AGE_MS old (checked on an interval), so rows
    // removed from the end of the log leave a signed checkpoint pointing past it.
    const checkpointTimer = setInterval(() => {
      checkpointIfDue(db, signer, policy.version, { everyEvents: env.CLEARANCE_CHECKPOINT_EVERY, maxAgeMs: env.CLEARANCE_CHECKPOINT_MAX_AGE_MS }).catch((error: unknown) =>
        log.warn({ err: error }, 'could not sign an audit checkpoint'),
      );
    }, env.CLEARANCE_CHECKPOINT_INTERVAL_MS);
    cleanups.push(() => {
      clearInterval(checkpointTimer);
      return Promise.resolve();
    });
    const fingerprint = keyFingerprintOf(signer.publicKeyPem);
    log.info({ keyId: signer.keyId, fingerprint, checkpointDir: signer.checkpointDir }, 'audit signing key ready');
    // What a dossier's reader pins with `clearance audit verify-bundle --expect-key`; also served at GET /audit/public-key.
    options.announce(`Audit signing key SHA-256 fingerprint: ${fingerprint}`);
    const firstFingerprint = keyFingerprintOf(firstChainKeyPem(await listKeyRotations(db), signer.publicKeyPem));
    // After a rotation, dossier readers pin the first key of the chain, not the one signing now.
    if (firstFingerprint !== fingerprint) options.announce(`Audit key chain starts at SHA-256 fingerprint: ${firstFingerprint} (what verify-bundle --expect-key pins)`);

    const redis: ResolvedRedis = await resolveRedis({ url: env.REDIS_URL, dataDir: env.CLEARANCE_DATA_DIR });
    if (redis.privateServer) {
      const server = redis.privateServer;
      cleanups.push(() => server.stop());
      log.info({ redis: redis.url }, 'started a private redis-server with its data in the data folder');
    }
    const redisSettings = { url: redis.url, prefix: env.CLEARANCE_REDIS_PREFIX };
    const producer: Redis = createRedis(redisSettings, 'producer');
    cleanups.push(() => {
      producer.disconnect();
      return Promise.resolve();
    });
    const queues = new QueueRegistry(producer, redisSettings.prefix);
    cleanups.push(() => queues.close());

    // The all-in-one relays its own outbox. An API-only process leaves that to
    // the worker processes' relays (each polls the outbox, and relays at once
    // after its own commits), so its CPU goes to answering requests: relaying
    // here cost about a fifth of intake throughput (README, "API load").
    const workers = options.withWorkers ? await startWorkers({ db, log, policy: options.policy, redis: redisSettings, queues, env, channelEnv: process.env }) : null;
    if (workers) cleanups.push(() => workers.stop(env.SHUTDOWN_GRACE_MS));
    const nudgeRelay = (): void => workers?.nudgeRelay();

    const readiness = (): Promise<ReadinessReport> =>
      checkReadiness({
        database: async () => {
          await db.query('SELECT 1');
          return { ok: true, detail: db.kind };
        },
        redis: async () => {
          const pong = await producer.ping();
          return { ok: pong === 'PONG', detail: pong };
        },
        workers: async () => {
          const age = await heartbeatAgeMs(producer, redisSettings.prefix);
          if (age === null) return { ok: false, detail: 'no worker has taken a heartbeat job yet' };
          return age <= env.CLEARANCE_WORKER_STALE_MS
            ? { ok: true, detail: `last heartbeat ${age} ms ago` }
            : { ok: false, detail: `last heartbeat ${age} ms ago (stale after ${env.CLEARANCE_WORKER_STALE_MS} ms)` };
        },
        outbox: async () => {
          if (workers) {
            const error = workers.relayError();
            return error ? { ok: false, detail: `relay cannot deliver: ${error}` } : { ok: true, detail: 'delivering' };
          }
          // Relayed by the workers: ready while nothing waits longer than a worker may be silent.
          const ageMs = await oldestPendingOutboxAgeMs(db);
          if (ageMs === null) return { ok: true, detail: 'empty' };
          const detail = `oldest undelivered row ${Math.round(ageMs)} ms old`;
          return ageMs <= env.CLEARANCE_WORKER_STALE_MS ? { ok: true, detail } : { ok: false, detail: `${detail} (stale after ${env.CLEARANCE_WORKER_STALE_MS} ms)` };
        },
      });

    let publicUrl = env.CLEARANCE_PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
    const { app, routes, feed } = createApi({
      db,
      oidc,
      publicUrl: () => publicUrl,
      now: options.now ?? (() => new Date()),
      log,
      readiness,
      policy,
      signer,
      nudgeRelay,
      queues,
      checkResponses: options.checkResponses ?? false,
      limits: {
        jsonBodyBytes: env.CLEARANCE_MAX_JSON_BYTES,
        uploadBytes: env.CLEARANCE_MAX_UPLOAD_BYTES,
        rateLimitFactor: env.CLEARANCE_RATE_LIMIT_FACTOR,
      },
      liveStream: { heartbeatMs: env.CLEARANCE_SSE_HEARTBEAT_MS, lifetimeMs: env.CLEARANCE_SSE_LIFETIME_MS },
    });
    await feed.start();
    // Also here, for a start that fails before the server listens; stopping twice is once.
    cleanups.push(() => feed.stop());
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(env.PORT, env.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    // Keep-alive sockets would hold close() open until the grace period ends.
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    // Open event streams would hold close() open: they end first (cleanups run in reverse).
    cleanups.push(() => feed.stop());
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    // Port 0 asked the OS for one: the default public URL is where we really listen.
    if (env.CLEARANCE_PUBLIC_URL === undefined) publicUrl = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`;
    log.info({ port, host: env.HOST, workers: options.withWorkers, signIn: oidc ? { issuer: oidc.issuer.href, clientId: oidc.clientId } : 'tokens' }, 'clearance is listening');
    return { port, db, routes: routes.routes, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
