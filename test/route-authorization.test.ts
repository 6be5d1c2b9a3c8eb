/**
 * A sweep over every route the OpenAPI document lists, so a route added without a guard is
 * caught: without a session everything outside the public, sign-in and gateway routes answers
 * 401 (closed by default, before validation); an importer never gets 2xx from a staff route;
 * a staff member without 2FA gets nothing.
 * (The routes' own tests check the right roles; this checks that none was forgotten.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from './support/databases.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';
import type { HttpClient } from './support/http.ts';

/** Routes anyone may call: public pages and calculators, signing in, password reset, gateway callbacks (authenticated by their token). */
const OPEN = [/^\/api\/public\//, /^\/api\/auth\/(login|register|password-reset\/request|password-reset\/confirm|session)$/, /^\/api\/gateway\//, /^\/api\/quotes$/, /^\/api\/costing\/landed-cost$/];

interface Route {
  method: string;
  path: string;
}

describe.each(databaseTargets.filter((t) => t.name === 'pglite'))('every route is guarded ($name)', (target) => {
  let tp: TestPlatform;
  let importer: HttpClient;
  let noTwoFactor: HttpClient;
  let routes: Route[];

  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x_unknown0000');
  const call = (client: HttpClient, r: Route) => client.request(r.method, concrete(r.path), r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });

  beforeAll(async () => {
    tp = await startTestPlatform(target);
    const doc = await tp.client().get('/docs/json');
    routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    const a = await createImporterAccount(tp, 'PT Sweep');
    importer = tp.client();
    await signIn(importer, a.user.email);
    const s = await createStaffUser(tp, 'admin', { totp: false });
    noTwoFactor = tp.client();
    await signIn(noTwoFactor, s.user.email);
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('lists the forwarding routes among many others', () => {
    expect(routes.length).toBeGreaterThan(120);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/staff/parcels' });
    expect(routes).toContainEqual({ method: 'POST', path: '/api/shipments' });
  });

  it('without a session, only the open routes answer 2xx', async () => {
    const leaks: string[] = [];
    for (const r of routes.filter((x) => x.path.startsWith('/api/') && !OPEN.some((o) => o.test(x.path)))) {
      const res = await call(tp.client(), r);
      // Closed by default: refused before the body or query string is even validated.
      if (res.status !== 401) leaks.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });

  it('an importer gets no 2xx from any staff route', async () => {
    const leaks: string[] = [];
    for (const r of routes.filter((x) => x.path.startsWith('/api/staff/'))) {
      const res = await call(importer, r);
      if (res.status < 400 || res.status >= 500) leaks.push(`${r.method} ${r.path} → ${res.status}`);
      if (r.method === 'GET' && res.status !== 403) leaks.push(`${r.method} ${r.path} → ${res.status} (expected 403)`);
    }
    expect(leaks).toEqual([]);
  });

  it('a staff member who has not set up 2FA gets no 2xx from any staff route', async () => {
    const leaks: string[] = [];
    for (const r of routes.filter((x) => x.path.startsWith('/api/staff/'))) {
      const res = await call(noTwoFactor, r);
      if (res.status < 400 || res.status >= 500) leaks.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });
});
