import { describe, expect, it } from 'vitest';
import { EnvironmentError, parseEnvironment, serverEnvironmentSchema, workerEnvironmentSchema } from './environment.js';

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
