import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, signIn, startTestPlatform, uniqueEmail, type TestPlatform } from './support/platform.ts';

describe.each(databaseTargets)('bad input gets a problem+json 4xx and changes nothing on $name', (target) => {
  let tp: TestPlatform;
  let client: HttpClient;

  beforeAll(async () => {
    tp = await startTestPlatform(target, { bodyLimitBytes: 4096 });
    const { user } = await createImporterAccount(tp);
    client = tp.client();
    await signIn(client, user.email);
  });
  afterAll(async () => {
    await tp?.stop();
  });

  async function counts() {
    const db = tp.platform.ctx.database.db;
    const [users, customers, audit] = await Promise.all([
      db.selectFrom('users').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('customers').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('audit_log').select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { users: users.n, customers: customers.n, audit: audit.n };
  }

  function expectProblem(res: { status: number; contentType: string; body: any }, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code, type: `urn:jembatan:problem:${code}` });
    expect(typeof res.body.title).toBe('string');
    expect(res.body.requestId).toMatch(/^req_/);
  }

  const validRegistration = () => ({ email: uniqueEmail('bad'), password: 'a long enough password', name: 'N', customerKind: 'company', customerName: 'C' });

  it('malformed JSON', async () => {
    const before = await counts();
    const res = await tp.client().post('/api/auth/register', undefined, { rawBody: '{"email": "a@b.c", ', headers: { 'content-type': 'application/json' } });
    expectProblem(res, 400, 'malformed_json');
    expect(await counts()).toEqual(before);
  });

  it('an empty JSON body', async () => {
    const res = await tp.client().post('/api/auth/login', undefined, { rawBody: '', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(['malformed_json', 'validation_failed']).toContain(res.body.code);
  });

  it('unknown fields are refused, not ignored', async () => {
    const before = await counts();
    const res = await tp.client().post('/api/auth/register', { ...validRegistration(), role: 'admin' });
    expectProblem(res, 400, 'unknown_field');
    expect(res.body.errors).toContainEqual({ path: '/role', message: 'is not an allowed field' });
    expect(await counts()).toEqual(before);
  });

  it('wrong types are refused, never coerced', async () => {
    const before = await counts();
    const res = await tp.client().post('/api/auth/register', { ...validRegistration(), customerName: 12345 });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].path).toBe('/customerName');
    const bool = await client.patch('/api/account', { name: true });
    expectProblem(bool, 400, 'validation_failed');
    const arr = await tp.client().post('/api/auth/login', ['not', 'an', 'object']);
    expectProblem(arr, 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('missing required fields and bad formats', async () => {
    const res = await tp.client().post('/api/auth/register', { email: 'not-an-email', password: 'a long enough password' });
    expectProblem(res, 400, 'validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/email', '/name', '/customerKind', '/customerName']));
  });

  it('an oversize body', async () => {
    const before = await counts();
    const res = await tp.client().post('/api/auth/register', { ...validRegistration(), name: 'x'.repeat(10_000) });
    expectProblem(res, 413, 'payload_too_large');
    expect(await counts()).toEqual(before);
  });

  it('an unsupported content type', async () => {
    const res = await tp.client().post('/api/auth/login', undefined, { rawBody: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('an out-of-range query parameter, after authorisation', async () => {
    // Who may call is decided before the request is even validated.
    expectProblem(await tp.client().get('/api/staff/customers?limit=100000'), 401, 'unauthenticated');
    expectProblem(await client.get('/api/staff/customers?limit=100000'), 403, 'forbidden');
    const { createStaffUser } = await import('./support/platform.ts');
    const admin = await createStaffUser(tp, 'admin', { totp: true });
    const adminClient = tp.client();
    await signIn(adminClient, admin.user.email, { totpSecret: admin.secret! });
    const res = await adminClient.get('/api/staff/customers?limit=100000');
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].path).toBe('/limit');
    expectProblem(await adminClient.get('/api/staff/customers?limit=abc'), 400, 'validation_failed');
  });

  it('an unknown API route', async () => {
    const res = await client.get('/api/no-such-thing');
    expectProblem(res, 404, 'not_found');
  });

  it('answers in English when asked', async () => {
    const res = await tp.client({ 'accept-language': 'en-US,en;q=0.9' }).post('/api/auth/register', { ...validRegistration(), extra: 1 });
    expect(res.body.title).toBe('The request contains a field that is not allowed.');
  });
});
