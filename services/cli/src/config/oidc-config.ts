import { readFile } from 'node:fs/promises';
import type { OidcSettings } from '@clearance/api';
import { claimRoleMapSchema } from '@clearance/core';
import { parse as parseYaml } from 'yaml';
import { EnvironmentError, type ServerEnvironment } from './environment.js';

const MAX_ROLE_MAP_BYTES = 256 * 1024;

/**
 * The claim → role map file, validated at start: a wrong field stops the
 * process with the file and the field named (e.g. `map.engineers.0`).
 */
export async function loadClaimRoleMap(path: string): Promise<OidcSettings['roleMap']> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EnvironmentError(`CLEARANCE_OIDC_ROLE_MAP: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (Buffer.byteLength(text) > MAX_ROLE_MAP_BYTES) throw new EnvironmentError(`CLEARANCE_OIDC_ROLE_MAP: ${path} is larger than ${MAX_ROLE_MAP_BYTES} bytes`);
  let document: unknown;
  try {
    // JSON is YAML too; no custom tags, so a file cannot build objects.
    document = parseYaml(text, { schema: 'core', maxAliasCount: 0 });
  } catch (error) {
    throw new EnvironmentError(`CLEARANCE_OIDC_ROLE_MAP: ${path} is not YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : 'parse error'}`);
  }
  const result = claimRoleMapSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(file)'}: ${issue.message}`);
  throw new EnvironmentError(`CLEARANCE_OIDC_ROLE_MAP: ${path} is invalid:\n  ${problems.join('\n  ')}`);
}

/** Single sign-on settings from the environment; null when CLEARANCE_OIDC_ISSUER is unset (tokens only). */
export async function oidcSettingsOf(env: ServerEnvironment): Promise<OidcSettings | null> {
  if (env.CLEARANCE_OIDC_ISSUER === undefined || env.CLEARANCE_OIDC_CLIENT_ID === undefined || env.CLEARANCE_OIDC_ROLE_MAP === undefined) return null;
  const issuer = new URL(env.CLEARANCE_OIDC_ISSUER);
  return {
    issuer,
    clientId: env.CLEARANCE_OIDC_CLIENT_ID,
    clientSecret: env.CLEARANCE_OIDC_CLIENT_SECRET ?? null,
    scopes: env.CLEARANCE_OIDC_SCOPES,
    providerName: env.CLEARANCE_OIDC_PROVIDER_NAME ?? issuer.host,
    roleMap: await loadClaimRoleMap(env.CLEARANCE_OIDC_ROLE_MAP),
    sessionTtlSeconds: env.CLEARANCE_SESSION_TTL_SECONDS,
  };
}
