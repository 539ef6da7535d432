import { serverEnvironmentSchema, startServer, type RunningServer } from '@clearance/cli';
import { loadDefaultPolicy, type LoadedPolicy } from '@clearance/policy';
import { pino, type Logger } from 'pino';
import { testDatabaseUrl, uniqueName } from './test-database.js';
import { deleteRedisPrefix, testRedisUrl } from './test-redis.js';

export interface TestServer {
  baseUrl: string;
  server: RunningServer;
  adminToken: string;
  schema: string;
  redisPrefix: string;
  close(): Promise<void>;
}

/** A fixed admin token so tests can sign in without reading the announcement. */
export const testAdminToken = `clr_${'A'.repeat(43)}`;

/**
 * The real all-in-one runtime in this process (API, relay, workers) on the
 * real PostgreSQL (own schema) and Redis (own prefix), on a free port.
 */
export async function startTestServer(
  overrides: Record<string, string> = {},
  policy?: LoadedPolicy,
  /** A logger of the test's own, e.g. one writing to a stream the test reads. */
  log?: Logger,
  /** The clock sessions expire by: a test moves it instead of waiting. */
  now?: () => Date,
): Promise<TestServer> {
  const schema = uniqueName('srv');
  const redisPrefix = uniqueName('srv');
  const env = serverEnvironmentSchema.parse({
    DATABASE_URL: testDatabaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: testRedisUrl,
    CLEARANCE_REDIS_PREFIX: redisPrefix,
    PORT: '0',
    CLEARANCE_BOOTSTRAP_TOKEN: testAdminToken,
    CLEARANCE_HEARTBEAT_MS: '200',
    SHUTDOWN_GRACE_MS: '3000',
    ...overrides,
  });
  const server = await startServer({
    env,
    log: log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    policy: policy ?? (await loadDefaultPolicy()),
    withWorkers: true,
    announce: () => undefined,
    // Every integration test through this server checks each answer against the route contract.
    checkResponses: true,
    ...(now ? { now } : {}),
  });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    server,
    adminToken: testAdminToken,
    schema,
    redisPrefix,
    async close() {
      await server.stop();
      const { openPostgres } = await import('@clearance/db');
      const db = await openPostgres({ connectionString: testDatabaseUrl });
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
      await deleteRedisPrefix(redisPrefix);
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small fetch wrapper: JSON in, JSON out, the status kept. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.rawBody !== undefined) body = options.rawBody;
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
