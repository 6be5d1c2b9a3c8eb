import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

describe.each(databaseTargets)('Idempotency-Key on $name', (target) => {
  let tp: TestPlatform;
  let client: HttpClient;
  let customerId: string;

  beforeAll(async () => {
    tp = await startTestPlatform(target);
    const { user, customer } = await createImporterAccount(tp);
    customerId = customer.id;
    client = tp.client();
    await signIn(client, user.email);
  });
  afterAll(async () => {
    await tp?.stop();
  });

  async function keyCount() {
    const rows = await tp.platform.ctx.database.db.selectFrom('api_keys').select('id').where('customer_id', '=', customerId).execute();
    return rows.length;
  }

  it('replays the first answer for a retry and creates nothing twice', async () => {
    const before = await keyCount();
    const first = await client.post('/api/api-keys', { name: 'retry-me', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-1' } });
    const retry = await client.post('/api/api-keys', { name: 'retry-me', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-1' } });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await keyCount()).toBe(before + 1);
  });

  it('refuses the same key with a different request', async () => {
    await client.post('/api/api-keys', { name: 'a', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-2' } });
    const other = await client.post('/api/api-keys', { name: 'b', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-2' } });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('runs concurrent retries once', async () => {
    const before = await keyCount();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => client.post('/api/api-keys', { name: 'burst', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-3' } })),
    );
    expect(await keyCount()).toBe(before + 1);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.code).toBe('idempotency_in_progress');
    const ids = new Set(created.map((r) => r.body.apiKey.id));
    expect(ids.size).toBe(1);
  });

  it('scopes keys to the caller: another user may reuse the same key', async () => {
    const { user } = await createImporterAccount(tp, 'PT Lain');
    const other = tp.client();
    await signIn(other, user.email);
    const res = await other.post('/api/api-keys', { name: 'mine', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-1' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('rejects a malformed key', async () => {
    const res = await client.post('/api/api-keys', { name: 'x', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
