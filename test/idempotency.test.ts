import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { recordRates } from '../src/fx/pricing.ts';
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

  async function updates() {
    const rows = await tp.platform.ctx.database.db.selectFrom('audit_log').select('id').where('object_id', '=', customerId).where('action', '=', 'customer.updated').execute();
    return rows.length;
  }
  const update = (name: string, key: string) => client.patch(`/api/customers/${customerId}`, { name }, { headers: { 'idempotency-key': key } });

  it('replays the first answer for a retry and changes nothing twice', async () => {
    const before = await updates();
    const first = await update('PT Satu', 'k-1');
    const retry = await update('PT Satu', 'k-1');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await updates()).toBe(before + 1);
  });

  it('refuses the same key with a different request', async () => {
    await update('PT Dua', 'k-2');
    const other = await update('PT Tiga', 'k-2');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');
  });

  it('runs concurrent retries once', async () => {
    const before = await updates();
    const results = await Promise.all(Array.from({ length: 6 }, () => update('PT Empat', 'k-3')));
    expect(await updates()).toBe(before + 1);
    for (const r of results) {
      if (r.status === 200) expect(r.body.customer.name).toBe('PT Empat');
      else expect(r.body.code).toBe('idempotency_in_progress');
    }
  });

  it('scopes keys to the session: another session may reuse the same key', async () => {
    const { user, customer } = await createImporterAccount(tp, 'PT Lain');
    const other = tp.client();
    await signIn(other, user.email);
    const res = await other.patch(`/api/customers/${customer.id}`, { name: 'PT Lain Lagi' }, { headers: { 'idempotency-key': 'k-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('never stores answers that carry secrets (API keys, 2FA, sessions)', async () => {
    const a = await client.post('/api/api-keys', { name: 'k', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-secret' } });
    const b = await client.post('/api/api-keys', { name: 'k', scopes: ['account:read'] }, { headers: { 'idempotency-key': 'k-secret' } });
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.apiKey.id).not.toBe(a.body.apiKey.id);
    const stored = await tp.platform.ctx.database.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'k-secret').execute();
    expect(stored).toEqual([]);
  });

  it('holds on public routes: an anonymous quote with a key is answered once, a new key or none prices afresh', async () => {
    const observedAt = new Date();
    await recordRates(tp.platform.ctx.database.db, systemActor, [{ base: 'CNY', quote: 'IDR', rate: '2300', source: 'jisdor', observedAt }, { base: 'USD', quote: 'IDR', rate: '16000', source: 'jisdor', observedAt }], 'manual');
    tp.platform.ctx.pricing.invalidate();
    const anonymous = tp.client();
    const body = { cny: { amount: '100000', currency: 'CNY' } };
    const first = await anonymous.post('/api/quotes', body, { headers: { 'idempotency-key': 'quote-1' } });
    const retry = await anonymous.post('/api/quotes', body, { headers: { 'idempotency-key': 'quote-1' } });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const changed = await anonymous.post('/api/quotes', { cny: { amount: '100001', currency: 'CNY' } }, { headers: { 'idempotency-key': 'quote-1' } });
    expect(changed.body.code).toBe('idempotency_conflict');
    const fresh = await anonymous.post('/api/quotes', body, { headers: { 'idempotency-key': 'quote-2' } });
    const unkeyed = await anonymous.post('/api/quotes', body);
    expect(new Set([first.body.id, fresh.body.id, unkeyed.body.id]).size).toBe(3);
    expect(unkeyed.headers.get('idempotent-replayed')).toBeNull();
    expect(unkeyed.body.total).toEqual(first.body.total);
  });

  it('rejects a malformed key', async () => {
    const res = await update('PT Lima', 'x'.repeat(300));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
