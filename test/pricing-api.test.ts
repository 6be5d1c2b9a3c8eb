import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { loadPricing } from '../src/fx/pricing.ts';
import { makeQuote, readQuoteToken, useQuote } from '../src/fx/quotes.ts';
import { Money } from '../src/money/money.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

const yuan = (v: string) => ({ amount: Money.fromDecimal(v, 'CNY').minor.toString(), currency: 'CNY' });

describe.each(databaseTargets)('rates, fees and quotes over HTTP on $name', (target) => {
  let tp: TestPlatform;
  let feed: http.Server;
  let feedUrl: string;
  let admin: HttpClient;
  let finance: HttpClient;
  let importer: HttpClient;
  let importerCustomer: string;
  let other: HttpClient;

  beforeAll(async () => {
    feed = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          source: 'fixture-market',
          rates: [
            { pair: 'CNY/IDR', rate: '2301.5', observedAt: new Date().toISOString() },
            { pair: 'USD/IDR', rate: '16250', observedAt: new Date().toISOString() },
            { pair: 'CNY/USD', rate: '0.1416', observedAt: new Date().toISOString() },
          ],
        }),
      );
    });
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
    feedUrl = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/rates.json`;
    // No in-process worker: the scheduled feed fetch would otherwise run at start, before the first test.
    tp = await startTestPlatform(target, { fxFeedUrl: feedUrl, inlineWorker: false });
    const a = await createStaffUser(tp, 'admin', { totp: true });
    const f = await createStaffUser(tp, 'finance', { totp: true });
    const imp = await createImporterAccount(tp, 'PT Pembeli');
    importerCustomer = imp.customer.id;
    const bob = await createImporterAccount(tp, 'PT Lain');
    admin = tp.client();
    finance = tp.client();
    importer = tp.client();
    other = tp.client();
    await signIn(admin, a.user.email, { totpSecret: a.secret! });
    await signIn(finance, f.user.email, { totpSecret: f.secret! });
    await signIn(importer, imp.user.email);
    await signIn(other, bob.user.email);
  });
  afterAll(async () => {
    await tp?.stop();
    await new Promise((r) => feed?.close(r));
  });

  it('refuses to quote before any reference rate exists', async () => {
    const res = await tp.client({ 'accept-language': 'en' }).post('/api/quotes', { cny: yuan('100') });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('rate_missing');
    expect(res.body.title).toMatch(/No reference rate/);
  });

  it('records rates by hand (finance), audited, and then quotes anyone, with every rupiah shown', async () => {
    expect((await finance.post('/api/staff/fx/rates', { pair: 'CNY/IDR', rate: '2300', source: 'jisdor' })).status).toBe(201);
    expect((await finance.post('/api/staff/fx/rates', { pair: 'USD/IDR', rate: '16000', source: 'jisdor' })).status).toBe(201);
    expect((await finance.post('/api/staff/fx/rates', { pair: 'CNY/USD', rate: '0.14', source: 'market' })).status).toBe(201);
    const audit = await admin.get('/api/staff/audit?objectType=fx_rates');
    expect(audit.body.entries).toHaveLength(3);

    const q = await tp.client().post('/api/quotes', { cny: yuan('1000') });
    expect(q.status).toBe(200);
    // The default schedule: 1.2 % spread, 1 % fee with a Rp 25.000 minimum (see the engine's hand-worked test).
    expect(q.body.total).toEqual({ amount: '235260000', currency: 'IDR' });
    expect(q.body.reference).toMatchObject({ rate: '2300', source: 'jisdor' });
    expect(q.body.platformRate).toBe('2327.6');
    expect(q.body.lines.map((l: { code: string }) => l.code)).toEqual(['reference_cost', 'spread', 'service_fee', 'rounding']);
    expect(q.body.bankWire.saving).toEqual({ amount: '40490000', currency: 'IDR' });
    expect(q.body.token).toMatch(/\./);
    const budget = await tp.client().post('/api/quotes', { idrBudget: { amount: '235260000', currency: 'IDR' } });
    expect(budget.body.cny).toEqual({ amount: '100000', currency: 'CNY' });
  });

  it('refuses bad quote requests clearly', async () => {
    expect((await tp.client().post('/api/quotes', { cny: { amount: '100', currency: 'IDR' } })).body.code).toBe('currency_mismatch');
    expect((await tp.client().post('/api/quotes', { cny: { amount: '0', currency: 'CNY' } })).body.code).toBe('validation_failed');
    expect((await tp.client().post('/api/quotes', { cny: { amount: '1.5', currency: 'CNY' } })).body.code).toBe('validation_failed');
    expect((await tp.client().post('/api/quotes', { cny: yuan('1'), idrBudget: { amount: '1', currency: 'IDR' } })).status).toBe(400);
    expect((await tp.client().post('/api/quotes', { idrBudget: { amount: '100000', currency: 'IDR' } })).body.code).toBe('budget_too_small');
  });

  it('prices a customer on a cheaper tier with that tier', async () => {
    expect((await admin.patch(`/api/staff/customers/${importerCustomer}/pricing-tier`, { pricingTier: 'priority' })).status).toBe(200);
    const q = await importer.post('/api/quotes', { cny: yuan('1000') });
    expect(q.body.spread).toMatchObject({ tier: 'priority', percent: '0.7' });
    expect(q.body.customerId).toBe(importerCustomer);
    const anon = await tp.client().post('/api/quotes', { cny: yuan('1000') });
    expect(anon.body.spread.tier).toBe('standard');
  });

  it('answers with the whole quote over HTTP: every field the signed token stands for, none dropped or retyped', async () => {
    const asked = [
      [tp.client(), { cny: yuan('1000') }],
      [tp.client(), { cny: yuan('250000.55') }],
      [importer, { cny: yuan('7142.86') }],
      [tp.client(), { idrBudget: { amount: '235260000', currency: 'IDR' } }],
    ] as const;
    for (const [client, body] of asked) {
      const q = await client.post('/api/quotes', body);
      expect(q.status).toBe(200);
      // What the quote engine and view make of the signed terms, as JSON.stringify would send it.
      const expected = JSON.parse(JSON.stringify({ ...readQuoteToken(tp.platform.ctx.secrets, q.body.token), token: q.body.token }));
      expect(q.body).toStrictEqual(expected);
      expect(Object.keys(q.body)).toEqual(Object.keys(expected));
    }
  });

  it('keeps pricing loaded for quotes without waiting, and drops it when pricing changes', async () => {
    const cache = tp.platform.ctx.pricing;
    expect((await tp.client().post('/api/quotes', { cny: yuan('10') })).status).toBe(200);
    expect(cache.peek('standard')).toBe(await cache.get('standard'));
    cache.invalidate();
    expect(cache.peek('standard')).toBeUndefined();
    const loading = cache.get('standard');
    expect(cache.peek('standard')).toBeUndefined();
    await loading;
    expect(cache.peek('standard')).toBe(await loading);
  });

  it('accepts a quote once per customer, binds it, and refuses another customer', async () => {
    const q = await tp.client().post('/api/quotes', { cny: yuan('500') });
    expect((await tp.client().post('/api/quotes/accept', { token: q.body.token })).status).toBe(401);
    const first = await importer.post('/api/quotes/accept', { token: q.body.token });
    expect(first.status).toBe(201);
    expect(first.body.quote).toMatchObject({ id: q.body.id, customerId: importerCustomer, total: q.body.total });
    const again = await importer.post('/api/quotes/accept', { token: q.body.token });
    expect(again.body.quote.id).toBe(q.body.id);
    expect((await other.post('/api/quotes/accept', { token: q.body.token })).body.code).toBe('quote_invalid');
    expect((await other.get(`/api/quotes/${q.body.id}`)).status).toBe(404);
    expect((await importer.get(`/api/quotes/${q.body.id}`)).body.quote.total).toEqual(q.body.total);
  });

  it('refuses a tampered or expired quote, and a quote used twice', async () => {
    const q = await tp.client().post('/api/quotes', { cny: yuan('300') });
    const [payload, sig] = q.body.token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), total: { amount: '1', currency: 'IDR' } })).toString('base64url');
    expect((await importer.post('/api/quotes/accept', { token: `${tampered}.${sig}` })).body.code).toBe('quote_invalid');

    const ctx = tp.platform.ctx;
    const pricing = await loadPricing(ctx.database.db, 'standard');
    const old = makeQuote(ctx.secrets, pricing, { direction: 'cny_to_idr', cny: Money.fromDecimal('10', 'CNY') }, null, new Date(Date.now() - 16 * 60_000));
    const expired = await importer.post('/api/quotes/accept', { token: old.token });
    expect(expired.status).toBe(409);
    expect(expired.body.code).toBe('quote_expired');

    const accepted = (await importer.post('/api/quotes/accept', { token: q.body.token })).body.quote;
    const db = ctx.database.db;
    await db.transaction().execute((tx) => useQuote(tx, systemActor, accepted.id, importerCustomer, { type: 'payment_order', id: 'po_1' }));
    await expect(db.transaction().execute((tx) => useQuote(tx, systemActor, accepted.id, importerCustomer, { type: 'payment_order', id: 'po_2' }))).rejects.toMatchObject({ code: 'quote_already_used' });

    const late = (await importer.post('/api/quotes/accept', { token: (await tp.client().post('/api/quotes', { cny: yuan('301') })).body.token })).body.quote;
    await db.updateTable('quotes').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', late.id).execute();
    await expect(db.transaction().execute((tx) => useQuote(tx, systemActor, late.id, importerCustomer, { type: 'payment_order', id: 'po_3' }))).rejects.toMatchObject({ code: 'quote_expired' });
  });

  it('imports a CSV of historical rates all or nothing, and re-imports nothing twice', async () => {
    const good = 'date,pair,rate\n2026-01-05,CNY/IDR,2210.5\n2026-01-06,CNY/IDR,2212.25\n2026-01-06,USD/IDR,15990\n';
    const first = await finance.post('/api/staff/fx/rates/import', { csv: good, source: 'jisdor' });
    expect(first.body).toEqual({ received: 3, inserted: 3, skipped: 0 });
    expect((await finance.post('/api/staff/fx/rates/import', { csv: good, source: 'jisdor' })).body).toMatchObject({ inserted: 0, skipped: 3 });
    const bad = 'date,pair,rate\n2026-01-07,CNY/IDR,2215\n2026-01-08,CNY/IDR,22,15\n';
    const refused = await finance.post('/api/staff/fx/rates/import', { csv: bad, source: 'jisdor' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/^Line 3: /);
    const history = await tp.client().get('/api/public/rates?pair=CNY/IDR&days=3650');
    expect(history.body.points.map((p: { rate: string }) => p.rate)).not.toContain('2215');
    expect(history.body.points.map((p: { rate: string }) => p.rate)).toEqual(expect.arrayContaining(['2210.5', '2212.25']));
  });

  it('fetches rates from the configured feed (a local fixture server)', async () => {
    const res = await finance.post('/api/staff/fx/rates/fetch');
    expect(res.body).toEqual({ inserted: 3, skipped: 0 });
    const q = await tp.client().post('/api/quotes', { cny: yuan('100') });
    expect(q.body.reference).toMatchObject({ rate: '2301.5', source: 'fixture-market' });
    expect(tp.platform.ctx.jobs.handlers.has('fx.fetch_rates')).toBe(true);
  });

  it('blocks quotes on a stale rate with a clear message', async () => {
    expect((await admin.patch('/api/staff/fx/settings', { maxRateAgeMinutes: 5 })).status).toBe(200);
    await tp.platform.ctx.database.db.deleteFrom('fx_rates').where('observed_at', '>', new Date(Date.now() - 10 * 60_000)).execute();
    tp.platform.ctx.pricing.invalidate();
    const res = await tp.client({ 'accept-language': 'en' }).post('/api/quotes', { cny: yuan('100') });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('rate_stale');
    expect(res.body.detail).toMatch(/more than 5 minutes ago/);
    expect((await admin.patch('/api/staff/fx/settings', { maxRateAgeMinutes: 1440 })).status).toBe(200);
    await finance.post('/api/staff/fx/rates', { pair: 'CNY/IDR', rate: '2300', source: 'jisdor' });
    await finance.post('/api/staff/fx/rates', { pair: 'USD/IDR', rate: '16000', source: 'jisdor' });
  });

  it('lets admins change spreads and fees from a date, audited; finance cannot; bad schedules are refused', async () => {
    expect((await finance.post('/api/staff/fx/spreads', { pair: 'CNY/IDR', tier: 'standard', kind: 'percent', value: '0.1' })).status).toBe(403);
    const spread = await admin.post('/api/staff/fx/spreads', { pair: 'CNY/IDR', tier: 'standard', kind: 'percent', value: '1.5' });
    expect(spread.status).toBe(201);
    expect((await tp.client().post('/api/quotes', { cny: yuan('100') })).body.spread.percent).toBe('1.5');
    expect((await admin.post('/api/staff/fx/spreads', { pair: 'CNY/IDR', tier: 'standard', kind: 'percent', value: '35' })).body.code).toBe('validation_failed');

    const noZero = await admin.post('/api/staff/fx/fee-schedules', { effectiveFrom: new Date().toISOString(), minimumFee: { amount: '1000000', currency: 'IDR' }, tiers: [{ fromUsd: '100', percent: '1' }] });
    expect(noZero.body.code).toBe('validation_failed');
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const added = await admin.post('/api/staff/fx/fee-schedules', { effectiveFrom: future, minimumFee: { amount: '1000000', currency: 'IDR' }, tiers: [{ fromUsd: '0', percent: '0.9' }] });
    expect(added.status).toBe(201);
    const pub = await tp.client().get('/api/public/pricing');
    expect(pub.body.feeSchedule.id).not.toBe(added.body.id); // not in force yet
    expect(pub.body.upcomingFeeSchedules.map((s: { id: string }) => s.id)).toContain(added.body.id);
    const audit = await admin.get(`/api/staff/audit?objectId=${added.body.id}`);
    expect(audit.body.entries[0].action).toBe('fx.fee_schedule_added');
  });

  it('computes a landed cost with the tax rules in force', async () => {
    const res = await tp.client().post('/api/costing/landed-cost', {
      goodsCny: yuan('10000'),
      chinaShippingCny: yuan('200'),
      freight: { amount: '150000000', currency: 'IDR' },
      insurance: { amount: '5000000', currency: 'IDR' },
      quantity: 100,
      dutyPercent: '10',
      hasApi: true,
      ndpbmCnyIdr: '2280',
    });
    expect(res.status).toBe(200);
    expect(res.body.customs.cif).toEqual({ amount: '2480600000', currency: 'IDR' });
    expect(res.body.duty.amount).toEqual({ amount: '248100000', currency: 'IDR' });
    expect(res.body.ppn).toMatchObject({ ratePercent: '12', baseFraction: '11/12', effectivePercent: '11', amount: { amount: '300200000', currency: 'IDR' } });
    expect(res.body.pph22.amount).toEqual({ amount: '68300000', currency: 'IDR' });
    expect(res.body.rules.find((r: { key: string }) => r.key === 'ppn_rate_percent').legalBasis).toMatch(/HPP/);
    const bad = await tp.client().post('/api/costing/landed-cost', { goodsCny: yuan('1'), chinaShippingCny: yuan('0'), freight: { amount: '0', currency: 'IDR' }, insurance: { amount: '0', currency: 'IDR' }, quantity: 0, dutyPercent: '5', hasApi: true, ndpbmCnyIdr: '2280' });
    expect(bad.status).toBe(400);
  });
});
