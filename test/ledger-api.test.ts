import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { Money } from '../src/money/money.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

describe.each(databaseTargets)('ledger over HTTP on $name', (target) => {
  let tp: TestPlatform;
  let finance: HttpClient;
  let admin: HttpClient;
  let importer: HttpClient;
  let other: HttpClient;
  let walletId: string;
  let bankId: string;

  beforeAll(async () => {
    tp = await startTestPlatform(target);
    const db = tp.platform.ctx.database.db;
    const alice = await createImporterAccount(tp, 'PT Alice');
    const bob = await createImporterAccount(tp, 'PT Bob');
    const bank = await createCompanyAccount(db, systemActor, { type: 'bank', slug: 'bca', name: 'BCA', currency: 'IDR' });
    bankId = bank.id;
    walletId = (await ensureCustomerWallet(db, alice.customer.id, 'IDR')).id;
    for (const n of [1, 2, 3]) {
      await createEntry(db, systemActor, { idempotencyKey: `seed-${n}`, reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: walletId, amount: Money.fromDecimal(`${n}000000`, 'IDR') }] });
    }
    const f = await createStaffUser(tp, 'finance', { totp: true });
    const a = await createStaffUser(tp, 'admin', { totp: true });
    finance = tp.client();
    admin = tp.client();
    importer = tp.client();
    other = tp.client();
    await signIn(finance, f.user.email, { totpSecret: f.secret! });
    await signIn(admin, a.user.email, { totpSecret: a.secret! });
    await signIn(importer, alice.user.email);
    await signIn(other, bob.user.email);
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('an importer sees their own wallet with amounts as strings of minor units', async () => {
    const res = await importer.get('/api/wallet');
    expect(res.status).toBe(200);
    expect(res.body.wallets).toHaveLength(1);
    expect(res.body.wallets[0].balance.available).toEqual({ amount: '600000000', currency: 'IDR' });
    const stmt = await importer.get('/api/wallet/statement?limit=2');
    expect(stmt.body.lines.map((l: { balance: { amount: string } }) => l.balance.amount)).toEqual(['600000000', '300000000']);
    const next = await importer.get(`/api/wallet/statement?limit=2&before=${stmt.body.nextCursor}`);
    expect(next.body.lines.map((l: { amount: { amount: string } }) => l.amount.amount)).toEqual(['100000000']);
  });

  it("another importer sees only their own (empty) wallet, and no staff ledger", async () => {
    expect((await other.get('/api/wallet')).body.wallets).toEqual([]);
    expect((await other.get(`/api/staff/ledger/accounts/${walletId}`)).status).toBe(403);
    expect((await importer.get('/api/staff/ledger/verify')).status).toBe(403);
  });

  it('finance reads accounts, statements and entries; the ledger verifies', async () => {
    const list = await finance.get('/api/staff/ledger/accounts?owner=company');
    expect(list.body.accounts.map((a: { code: string }) => a.code)).toEqual(expect.arrayContaining(['bank:bca', 'fx:position', 'payable:supplier']));
    const one = await finance.get(`/api/staff/ledger/accounts/${walletId}`);
    expect(one.body.account.balance.posted).toEqual({ amount: '600000000', currency: 'IDR' });
    const verify = await finance.get('/api/staff/ledger/verify');
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
  });

  it('an admin adds company bank and float accounts; finance cannot', async () => {
    const created = await admin.post('/api/staff/ledger/accounts', { type: 'float', slug: 'alipay-02', name: 'Alipay 2', currency: 'CNY' });
    expect(created.status).toBe(201);
    expect(created.body.account).toMatchObject({ code: 'float:alipay-02', currency: 'CNY', kind: 'asset', flags: { creditsMustNotExceedDebits: true } });
    expect((await admin.post('/api/staff/ledger/accounts', { type: 'float', slug: 'alipay-02', name: 'again', currency: 'CNY' })).body.code).toBe('conflict');
    expect((await admin.post('/api/staff/ledger/accounts', { type: 'bank', slug: 'bni', name: 'BNI', currency: 'CNY' })).body.code).toBe('validation_failed');
    expect((await finance.post('/api/staff/ledger/accounts', { type: 'bank', slug: 'bni', name: 'BNI', currency: 'IDR' })).status).toBe(403);
  });

  it('finance funds a float from capital with a manual entry, idempotently, and it is audited', async () => {
    const float = (await admin.post('/api/staff/ledger/accounts', { type: 'float', slug: 'wechat-09', name: 'WeChat', currency: 'CNY' })).body.account;
    const body = { reason: 'float_funding', description: 'Top up WeChat float', postings: [{ debitAccountId: float.id, creditAccountId: SYSTEM_ACCOUNTS.capitalCny, amount: { amount: '5000000', currency: 'CNY' } }] };
    const first = await finance.post('/api/staff/ledger/entries', body, { headers: { 'idempotency-key': 'fund-wechat-1' } });
    expect(first.status).toBe(201);
    const again = await finance.post('/api/staff/ledger/entries', body, { headers: { 'idempotency-key': 'fund-wechat-1' } });
    expect(again.body.entry.id).toBe(first.body.entry.id);
    const acct = await finance.get(`/api/staff/ledger/accounts/${float.id}`);
    expect(acct.body.account.balance.posted).toEqual({ amount: '5000000', currency: 'CNY' });
    const audit = await admin.get(`/api/staff/audit?objectId=${first.body.entry.id}`);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['ledger.manual_entry']);
  });

  it('refuses bad amounts and unbalanceable entries with clear errors, changing nothing', async () => {
    const before = (await finance.get(`/api/staff/ledger/accounts/${walletId}`)).body.account.balance.posted;
    const cases = [
      [{ amount: '12.50', currency: 'IDR' }, 'validation_failed'],
      [{ amount: 12, currency: 'IDR' }, 'validation_failed'],
      [{ amount: '-5', currency: 'IDR' }, 'validation_failed'],
      [{ amount: '100', currency: 'XXX' }, 'validation_failed'],
      [{ amount: '100', currency: 'CNY' }, 'currency_mismatch'],
      [{ amount: '99999999999999', currency: 'IDR' }, 'insufficient_funds'],
    ] as const;
    for (const [amount, code] of cases) {
      const res = await finance.post('/api/staff/ledger/entries', { reason: 'adjustment', description: 'bad input test', postings: [{ debitAccountId: walletId, creditAccountId: bankId, amount }] });
      expect(res.status, JSON.stringify(amount)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.code, JSON.stringify(amount)).toBe(code);
    }
    const after = (await finance.get(`/api/staff/ledger/accounts/${walletId}`)).body.account.balance.posted;
    expect(after).toEqual(before);
  });

  it('finance reverses an entry once', async () => {
    const stmt = await finance.get(`/api/staff/ledger/accounts/${walletId}/statement?limit=1`);
    const entryId = stmt.body.lines[0].entryId;
    const rev = await finance.post(`/api/staff/ledger/entries/${entryId}/reverse`, { description: 'duplicate deposit' });
    expect(rev.status).toBe(201);
    expect(rev.body.entry.reversesId).toBe(entryId);
    const twice = await finance.post(`/api/staff/ledger/entries/${entryId}/reverse`, { description: 'again please' }, { headers: { 'idempotency-key': 'other' } });
    expect(twice.body.code).toBe('entry_already_reversed');
    const entry = await finance.get(`/api/staff/ledger/entries/${entryId}`);
    expect(entry.body.resolvedBy).toEqual([{ id: rev.body.entry.id, kind: 'reversal' }]);
  });
});
