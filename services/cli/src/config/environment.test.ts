import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, parseEnvironment, serverEnvironmentSchema, workerEnvironmentSchema } from './environment.js';
import { oidcSettingsOf } from './oidc-config.js';

describe('environment parsing', () => {
  it('fills the documented defaults', () => {
    const env = parseEnvironment(serverEnvironmentSchema, {});
    expect(env).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', CLEARANCE_DATA_DIR: '.clearance-data', LOG_LEVEL: 'info' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT:'],
    [{ PORT: '70000' }, 'PORT:'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must start with postgres://'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: must start with redis://'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL:'],
    [{ CLEARANCE_REDIS_PREFIX: 'a:b' }, 'CLEARANCE_REDIS_PREFIX:'],
    [{ CLEARANCE_NOTIFY_WEBHOOK_URL: 'hooks.example.com/T0' }, 'CLEARANCE_NOTIFY_WEBHOOK_URL: an http:// or https:// URL'],
  ])('names the variable that is wrong: %o', (env, expected) => {
    expect(() => parseEnvironment(serverEnvironmentSchema, env)).toThrow(EnvironmentError);
    expect(() => parseEnvironment(serverEnvironmentSchema, env)).toThrow(expected);
  });

  it('never repeats a secret value in the message', () => {
    const secret = 'postgres-but-not://user:hunter2@db';
    expect(() => parseEnvironment(serverEnvironmentSchema, { DATABASE_URL: secret })).toThrow(/^(?!.*hunter2)/s);
  });

  it('requires DATABASE_URL for a worker process', () => {
    expect(() => parseEnvironment(workerEnvironmentSchema, {})).toThrow('DATABASE_URL: is required');
  });
});

describe('single sign-on settings', () => {
  it('names what is missing when an issuer is set', () => {
    expect(() => parseEnvironment(serverEnvironmentSchema, { CLEARANCE_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(
      /CLEARANCE_OIDC_CLIENT_ID: is required when CLEARANCE_OIDC_ISSUER is set[\s\S]*CLEARANCE_OIDC_ROLE_MAP: is required/,
    );
  });

  it.each([
    [{ CLEARANCE_OIDC_ISSUER: 'http://idp.example.com' }, 'CLEARANCE_OIDC_ISSUER: an https:// URL'],
    [{ CLEARANCE_OIDC_SCOPES: 'email profile' }, 'CLEARANCE_OIDC_SCOPES: must include openid'],
    [{ CLEARANCE_SESSION_TTL_SECONDS: '0' }, 'CLEARANCE_SESSION_TTL_SECONDS:'],
    [{ CLEARANCE_PUBLIC_URL: 'https://clearance.example.com/app' }, 'CLEARANCE_PUBLIC_URL:'],
  ])('refuses %o', (env, expected) => {
    expect(() => parseEnvironment(serverEnvironmentSchema, env)).toThrow(expected);
  });

  it('names the role map field that is wrong, never the client secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'role-map-'));
    const file = join(dir, 'map.yaml');
    await writeFile(file, 'claim: groups\nmap:\n  engineers: [wizard]\n');
    const env = parseEnvironment(serverEnvironmentSchema, {
      CLEARANCE_OIDC_ISSUER: 'http://127.0.0.1:9999',
      CLEARANCE_OIDC_CLIENT_ID: 'clearance',
      CLEARANCE_OIDC_CLIENT_SECRET: 'hunter2-secret',
      CLEARANCE_OIDC_ROLE_MAP: file,
    });
    const failure = oidcSettingsOf(env).catch((error: unknown) => error);
    await expect(failure).resolves.toBeInstanceOf(EnvironmentError);
    const message = String(((await failure) as Error).message);
    expect(message).toContain('map.engineers.0');
    expect(message).not.toContain('hunter2');
    await rm(dir, { recursive: true, force: true });
  });
});
