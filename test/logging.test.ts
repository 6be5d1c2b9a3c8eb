import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/app/logger.ts';
import { databaseTargets } from './support/databases.ts';
import { createImporterAccount, signIn, startTestPlatform, TEST_PASSWORD, type TestPlatform } from './support/platform.ts';

describe('logs never hold secrets', () => {
  let tp: TestPlatform;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino(loggerOptions({ logLevel: 'trace' }), sink);
    tp = await startTestPlatform(databaseTargets[0]!, { logLevel: 'trace' }, { logger });
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('redacts passwords, cookies, CSRF tokens and API keys in request logs', async () => {
    const { user } = await createImporterAccount(tp);
    const client = tp.client();
    const login = await signIn(client, user.email);
    const cookie = [...client.cookies.values()][0]!;
    const { key } = (await client.post('/api/api-keys', { name: 'k', scopes: ['account:read'] })).body;
    await tp.client({ authorization: `Bearer ${key}` }).get('/api/v1/account');
    await tp.client().post('/api/auth/login', { email: user.email, password: 'wrong but secret password' });
    const all = lines.join('');
    expect(all).toContain('/api/auth/login'); // the requests were logged…
    for (const secret of [TEST_PASSWORD, 'wrong but secret password', cookie, login.body.csrfToken, key]) {
      expect(all).not.toContain(secret); // …without their secrets
    }
  });
});
