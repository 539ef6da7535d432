import { z } from 'zod';

// 0 asks the OS for a free port (tests use it).
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().min(1);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://');
const redisUrl = z
  .string()
  .trim()
  .refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://');

/** Variables every long-running process reads. */
const commonEnvironment = {
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier').optional(),
  CLEARANCE_DATA_DIR: z.string().min(1).default('.clearance-data'),
  REDIS_URL: redisUrl.optional(),
  CLEARANCE_REDIS_PREFIX: z.string().regex(/^[\w-]{1,64}$/, 'letters, digits, _ and - only').default('clearance'),
  CLEARANCE_POLICY_DIR: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  CLEARANCE_HEARTBEAT_MS: positiveInt.default(5_000),
  // The live event stream (GET /events): a comment line this often keeps proxies from closing an idle stream,
  CLEARANCE_SSE_HEARTBEAT_MS: positiveInt.default(15_000),
  // and a stream ends after this long, so its reconnect is authenticated again (a revoked token stops streaming).
  CLEARANCE_SSE_LIFETIME_MS: positiveInt.default(300_000),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  GITHUB_TOKEN: optionalText,
  // The web host whose repositories GITHUB_API_URL serves; derived from it when unset (api.github.com -> github.com).
  CLEARANCE_GITHUB_HOST: optionalText.refine(
    (value) => value === undefined || /^[a-z0-9.-]+(:[0-9]+)?$/i.test(value),
    'a host name such as github.com or ghe.example.com',
  ),
  // The GitHub organization where approved new projects get their repository.
  CLEARANCE_GITHUB_ORG: optionalText.refine(
    (value) => value === undefined || /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(value),
    'a GitHub organization name',
  ),
  // Where overdue-stage notices are POSTed as JSON (a chat or ticketing webhook).
  CLEARANCE_NOTIFY_WEBHOOK_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), 'an http:// or https:// URL'),
  // The SMTP server of the email channel of notifications.yaml; it may carry a user and password.
  CLEARANCE_SMTP_URL: optionalText.refine((value) => value === undefined || /^smtps?:\/\/[^\s]+$/.test(value), 'an smtp:// or smtps:// URL'),
  CLEARANCE_MAIL_FROM: z.string().trim().min(3).default('Clearance <clearance@localhost>'),
};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** An identity provider's issuer: https, or plain http on this machine's loopback (a local test provider). */
const issuerUrl = z
  .url()
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
  }, 'an https:// URL (plain http only on 127.0.0.1, localhost or [::1])')
  .optional();

/** Single sign-on; all optional: without CLEARANCE_OIDC_ISSUER the web UI signs in with tokens only. */
const oidcEnvironment = {
  CLEARANCE_OIDC_ISSUER: issuerUrl,
  CLEARANCE_OIDC_CLIENT_ID: optionalText,
  CLEARANCE_OIDC_CLIENT_SECRET: optionalText,
  CLEARANCE_OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'scopes separated by single spaces')
    .refine((value) => value.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  CLEARANCE_OIDC_PROVIDER_NAME: optionalText,
  // A YAML or JSON file: which claim carries the groups, and the roles each value grants.
  CLEARANCE_OIDC_ROLE_MAP: optionalText,
  CLEARANCE_SESSION_TTL_SECONDS: positiveInt.max(7 * 24 * 3600).default(3600),
  // Where people open Clearance (behind a proxy: its https URL); the provider redirects back under it.
  CLEARANCE_PUBLIC_URL: optionalText.refine((value) => value === undefined || /^https?:\/\/[^\s/?#]+$/.test(value), 'an http:// or https:// origin without a path, e.g. https://clearance.example.com'),
};

const requiredWithIssuer = ['CLEARANCE_OIDC_CLIENT_ID', 'CLEARANCE_OIDC_ROLE_MAP'] as const;

export const serverEnvironmentSchema = z.object({
  ...commonEnvironment,
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  CLEARANCE_BOOTSTRAP_TOKEN: optionalText,
  CLEARANCE_WORKER_STALE_MS: positiveInt.default(30_000),
  CLEARANCE_MAX_JSON_BYTES: positiveInt.default(256 * 1024),
  CLEARANCE_MAX_UPLOAD_BYTES: positiveInt.default(50 * 1024 * 1024),
  CLEARANCE_RATE_LIMIT_FACTOR: z.coerce.number().min(0).max(1_000).default(1),
  CLEARANCE_AUDIT_SIGNING_KEY: optionalText,
  CLEARANCE_CHECKPOINT_DIR: optionalText,
  CLEARANCE_CHECKPOINT_EVERY: positiveInt.default(1_000),
  CLEARANCE_CHECKPOINT_INTERVAL_MS: positiveInt.default(30_000),
  CLEARANCE_CHECKPOINT_MAX_AGE_MS: positiveInt.default(3_600_000),
  ...oidcEnvironment,
}).superRefine((env, ctx) => {
  if (env.CLEARANCE_OIDC_ISSUER === undefined) return;
  for (const variable of requiredWithIssuer) {
    if (env[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required when CLEARANCE_OIDC_ISSUER is set' });
  }
});

export const workerEnvironmentSchema = z.object({
  ...commonEnvironment,
  DATABASE_URL: postgresUrl,
});

export type ServerEnvironment = z.infer<typeof serverEnvironmentSchema>;
export type WorkerEnvironment = z.infer<typeof workerEnvironmentSchema>;

export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/**
 * Parses the environment once at start. An invalid value stops the process
 * with a message that names the variable (never its value: it may be a secret).
 */
export function parseEnvironment<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    return issue.code === 'invalid_type' && env[variable] === undefined ? `${variable}: is required` : `${variable}: ${issue.message}`;
  });
  throw new EnvironmentError(`invalid environment:\n  ${problems.join('\n  ')}`);
}
