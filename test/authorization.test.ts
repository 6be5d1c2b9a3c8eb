import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from './support/databases.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';
import type { HttpClient } from './support/http.ts';

describe.each(databaseTargets)('authorisation on $name', (target) => {
  let tp: TestPlatform;
  let alice: Awaited<ReturnType<typeof createImporterAccount>>;
  let bob: Awaited<ReturnType<typeof createImporterAccount>>;
  let aliceClient: HttpClient;

  beforeAll(async () => {
    tp = await startTestPlatform(target);
    alice = await createImporterAccount(tp, 'PT Alice');
    bob = await createImporterAccount(tp, 'PT Bob');
    aliceClient = tp.client();
    await signIn(aliceClient, alice.user.email);
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('an importer reads their own customer account', async () => {
    const res = await aliceClient.get(`/api/customers/${alice.customer.id}`);
    expect(res.status).toBe(200);
    expect(res.body.customer.name).toBe('PT Alice');
    expect(res.body.users.map((u: { email: string }) => u.email)).toEqual([alice.user.email]);
  });

  it("an importer cannot read another customer's account: it looks like it does not exist", async () => {
    const res = await aliceClient.get(`/api/customers/${bob.customer.id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    const missing = await aliceClient.get('/api/customers/cus_doesnotexist');
    expect(missing.status).toBe(404);
  });

  it("an importer cannot change another customer's account, and nothing changes", async () => {
    const res = await aliceClient.patch(`/api/customers/${bob.customer.id}`, { name: 'Taken over' });
    expect(res.status).toBe(404);
    const row = await tp.platform.ctx.database.db.selectFrom('customers').select('name').where('id', '=', bob.customer.id).executeTakeFirstOrThrow();
    expect(row.name).toBe('PT Bob');
    const own = await aliceClient.patch(`/api/customers/${alice.customer.id}`, { phone: '+62 812 0000 0001' });
    expect(own.status).toBe(200);
  });

  it("an API key of one customer cannot read another's account", async () => {
    const { key } = (await aliceClient.post('/api/api-keys', { name: 'k', scopes: ['account:read'] })).body;
    const api = tp.client({ authorization: `Bearer ${key}` });
    expect((await api.get(`/api/customers/${alice.customer.id}`)).status).toBe(200);
    expect((await api.get(`/api/customers/${bob.customer.id}`)).status).toBe(404);
  });

  it("an importer cannot revoke another customer's API key", async () => {
    const bobClient = tp.client();
    await signIn(bobClient, bob.user.email);
    const { apiKey } = (await bobClient.post('/api/api-keys', { name: 'bob', scopes: ['account:read'] })).body;
    expect((await aliceClient.delete(`/api/api-keys/${apiKey.id}`)).status).toBe(404);
    const listed = await bobClient.get('/api/api-keys');
    expect(listed.body.apiKeys[0].revokedAt).toBeNull();
  });

  it('staff routes refuse an importer', async () => {
    for (const path of ['/api/staff/customers', '/api/staff/users', '/api/staff/audit', '/api/staff/jobs']) {
      const res = await aliceClient.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.code, path).toBe('forbidden');
    }
  });

  it('anonymous callers get 401 on every protected route', async () => {
    const anon = tp.client();
    for (const path of ['/api/auth/session', `/api/customers/${alice.customer.id}`, '/api/staff/customers', '/api/api-keys', '/api/account/sessions']) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.code, path).toBe('unauthenticated');
    }
  });

  it('a staff login without 2FA cannot reach the console', async () => {
    const { user } = await createStaffUser(tp, 'ops');
    const client = tp.client();
    await client.post('/api/auth/login', { email: user.email, password: 'correct horse battery' });
    const res = await client.get('/api/staff/customers');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('mfa_enrolment_required');
  });

  it('a staff login with 2FA pending cannot reach the console', async () => {
    const { user } = await createStaffUser(tp, 'ops', { totp: true });
    const client = tp.client();
    const step1 = await client.post('/api/auth/login', { email: user.email, password: 'correct horse battery' });
    expect(step1.body.mfa).toBe('pending');
    expect((await client.get('/api/staff/customers')).body.code).toBe('mfa_required');
    expect((await client.post('/api/account/2fa/enrol')).body.code).toBe('mfa_required');
  });

  it('each staff route needs the right role', async () => {
    const ops = await createStaffUser(tp, 'ops', { totp: true });
    const compliance = await createStaffUser(tp, 'compliance', { totp: true });
    const warehouse = await createStaffUser(tp, 'warehouse', { totp: true });
    const opsClient = tp.client();
    const complianceClient = tp.client();
    const warehouseClient = tp.client();
    await signIn(opsClient, ops.user.email, { totpSecret: ops.secret! });
    await signIn(complianceClient, compliance.user.email, { totpSecret: compliance.secret! });
    await signIn(warehouseClient, warehouse.user.email, { totpSecret: warehouse.secret! });

    expect((await opsClient.get('/api/staff/customers')).status).toBe(200);
    expect((await opsClient.get(`/api/customers/${bob.customer.id}`)).status).toBe(200);
    expect((await opsClient.get('/api/staff/users')).status).toBe(403);
    expect((await opsClient.get('/api/staff/audit')).status).toBe(403);
    expect((await complianceClient.get('/api/staff/audit')).status).toBe(200);
    expect((await warehouseClient.get('/api/staff/customers')).status).toBe(403);
    // Only admins create staff.
    const create = await opsClient.post('/api/staff/users', { email: 'x@example.test', name: 'X', password: 'a long password!', role: 'admin' });
    expect(create.status).toBe(403);
    const count = await tp.platform.ctx.database.db.selectFrom('users').select('id').where('email', '=', 'x@example.test').execute();
    expect(count).toHaveLength(0);
  });

  it('an admin creates staff, changes a role (ending their sessions) and reads the audit trail', async () => {
    const admin = await createStaffUser(tp, 'admin', { totp: true });
    const adminClient = tp.client();
    await signIn(adminClient, admin.user.email, { totpSecret: admin.secret! });
    const created = await adminClient.post('/api/staff/users', { email: 'new.ops@example.test', name: 'New Ops', password: 'a long password!', role: 'ops' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ role: 'ops', twoFactorEnabled: false, customerId: null });

    const staffClient = tp.client();
    await staffClient.post('/api/auth/login', { email: 'new.ops@example.test', password: 'a long password!' });
    expect((await staffClient.get('/api/auth/session')).status).toBe(200);
    const changed = await adminClient.patch(`/api/staff/users/${created.body.user.id}`, { role: 'finance' });
    expect(changed.body.user.role).toBe('finance');
    expect((await staffClient.get('/api/auth/session')).status).toBe(401);

    const audit = await adminClient.get(`/api/staff/audit?objectId=${created.body.user.id}`);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['user.admin_updated', 'user.created']);
    expect(audit.body.entries[0]).toMatchObject({ actorType: 'user', actorId: admin.user.id, data: { role: 'finance', previousRole: 'ops' } });
    expect(audit.body.entries[0].requestId).toMatch(/^req_/);
  });
});
