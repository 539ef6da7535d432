import { generateToken } from '@clearance/db';
import { issueToken, revokeApiToken, TokenAuthenticator } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, type TestDatabase } from '../support/test-database.js';

describe.each(databaseKinds)('token authenticator on $name', ({ open }) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers lookups that arrive together with one principal each, and a revoked token fails on its next call', async () => {
    const issue = (user: string, roles: Array<'requester' | 'ospo'>) => issueToken(test.db, { user, roles, actor: 'admin', policyVersion: null });
    const erin = await issue('erin', ['requester']);
    const olga = await issue('olga', ['ospo']);
    const gone = await issue('gone', ['requester']);
    await revokeApiToken(test.db, { id: gone.row.id, actor: 'admin', policyVersion: null });
    const authenticator = new TokenAuthenticator(test.db);

    const asked = [erin.token, olga.token, gone.token, generateToken(), 'not-a-token', erin.token, olga.token];
    const principals = await Promise.all(asked.map((token) => authenticator.authenticate(token)));
    expect(principals.map((principal) => principal?.user ?? null)).toEqual(['erin', 'olga', null, null, null, 'erin', 'olga']);
    expect(principals[1]).toEqual({ user: 'olga', roles: ['ospo'], tokenId: olga.row.id });

    await revokeApiToken(test.db, { id: erin.row.id, actor: 'admin', policyVersion: null });
    expect(await authenticator.authenticate(erin.token)).toBeNull();
    expect((await authenticator.authenticate(olga.token))?.user).toBe('olga');
  });
});
