/**
 * What importers are told, through the outbox and a real SMTP server process: money
 * received for a deposit, an order funded, held, paid and cancelled, a withdrawal paid.
 * Each mail goes out only after the change that causes it committed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { jakartaToday } from '../src/costing/tax-rules.ts';
import { configureBankAccount } from '../src/funding/bank-accounts.ts';
import { seedDemoRates } from '../src/fx/demo-rates.ts';
import { createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { Money } from '../src/money/money.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';
import { SmtpSink } from './support/smtp.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64').toString('base64');
const COMPANY = '广州市明亮服装有限公司';

describe.each(databaseTargets)('notifications by e-mail on $name', (target) => {
  let tp: TestPlatform;
  let smtp: SmtpSink;
  let importer: HttpClient;
  let ops: HttpClient;
  let finance: HttpClient;
  let email: string;
  let bankId: string;
  let floatId: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    tp = await startTestPlatform(target, { smtpUrl: smtp.url });
    const db = tp.platform.ctx.database.db;
    await seedDemoRates(db);
    bankId = (await createCompanyAccount(db, systemActor, { type: 'bank', slug: 'bca-mail', name: 'BCA', currency: 'IDR' })).id;
    await configureBankAccount(db, systemActor, bankId, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Test', statementFormat: 'bca-csv', acceptsDeposits: true });
    floatId = (await createCompanyAccount(db, systemActor, { type: 'float', slug: 'alipay-mail', name: 'Alipay', currency: 'CNY' })).id;
    await createEntry(db, systemActor, { idempotencyKey: 'mail-float', reason: 'float_funding', postings: [{ debitAccountId: floatId, creditAccountId: SYSTEM_ACCOUNTS.capitalCny, amount: Money.fromDecimal('100000', 'CNY') }] });
    const a = await createImporterAccount(tp, 'PT Mail');
    email = a.user.email;
    const wallet = await ensureCustomerWallet(db, a.customer.id, 'IDR');
    await createEntry(db, systemActor, { idempotencyKey: 'mail-topup', reason: 'deposit', postings: [{ debitAccountId: bankId, creditAccountId: wallet.id, amount: Money.fromDecimal('50000000', 'IDR') }] });
    const o = await createStaffUser(tp, 'ops', { totp: true });
    const f = await createStaffUser(tp, 'finance', { totp: true });
    [importer, ops, finance] = [tp.client(), tp.client(), tp.client()];
    await signIn(importer, email);
    await signIn(ops, o.user.email, { totpSecret: o.secret! });
    await signIn(finance, f.user.email, { totpSecret: f.secret! });
  });
  afterAll(async () => {
    await tp?.stop();
    await smtp?.stop();
  });

  it('tells the importer that a transfer arrived', async () => {
    const d = (await importer.post('/api/deposits', { amount: { amount: '100000000', currency: 'IDR' } })).body.deposit;
    const due = BigInt(d.amountDue.amount);
    const [y, m, day] = jakartaToday().split('-');
    const rupiah = (due / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const csv = [`Periode : 01/${m}/${y} - ${day}/${m}/${y}`, 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', `'${day}/${m},TRSF CR PT MAIL,0000,"${rupiah}.00 CR","${rupiah}.00"`].join('\n');
    expect((await finance.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'm.csv', content: csv })).body.import.creditsMatched).toBe(1);
    const mail = await smtp.waitFor(email, (x) => x.subject.includes(d.id));
    expect(mail.subject).toBe(`Dana diterima: setoran ${d.id} lunas`);
    expect(mail.body).toContain(`Rp ${rupiah.replace(/,/g, '.')}`);
  });

  it('tells the importer when an order is funded, paid, held and cancelled', async () => {
    const s = (await importer.post('/api/suppliers', { storeName: 'Mingliang', companyName: COMPANY })).body.supplier;
    const p = (await importer.post('/api/payees', { supplierId: s.id, kind: 'alipay', account: '13800138000', holderName: COMPANY })).body.payee;
    const order = async (mode: 'direct' | 'escrow') => {
      const id = (await importer.post('/api/payment-orders', { supplierId: s.id, payeeId: p.id, orderNumbers: ['3399001122'], cny: { amount: '50000', currency: 'CNY' }, mode })).body.order.id as string;
      const q = await importer.post('/api/quotes', { cny: { amount: '50000', currency: 'CNY' } });
      const accepted = await importer.post('/api/quotes/accept', { token: q.body.token });
      const funded = await importer.post(`/api/payment-orders/${id}/fund`, { quoteId: accepted.body.quote.id, method: 'wallet' });
      expect(funded.status, JSON.stringify(funded.body)).toBe(200);
      return funded.body;
    };
    const direct = await order('direct');
    await smtp.waitFor(email, (x) => x.subject === `${direct.order.id}: Dana diterima; pembayaran ke pemasok sedang diproses`);
    const part = direct.installments[0].id;
    expect((await ops.post(`/api/staff/payouts/${part}/claim`)).status).toBe(200);
    expect((await ops.post(`/api/staff/payouts/${part}/record`, { floatAccountId: floatId, cny: { amount: '50000', currency: 'CNY' }, providerReference: '2026112300001', proof: { fileName: 'p.png', contentBase64: PNG } })).status).toBe(200);
    const paid = await smtp.waitFor(email, (x) => x.subject === `${direct.order.id}: Pemasok sudah dibayar`);
    expect(paid.body).toContain('¥500.00');

    const escrow = await order('escrow');
    await smtp.waitFor(email, (x) => x.subject === `${escrow.order.id}: Dana ditahan (escrow) sampai Anda melepasnya`);
    expect((await importer.post(`/api/payment-orders/${escrow.order.id}/cancel`, { reason: 'changed my mind' })).status).toBe(200);
    await smtp.waitFor(email, (x) => x.subject === `${escrow.order.id}: Pesanan dibatalkan; dana kembali ke dompet`);

    // The same events in the portal's notification list, once each, newest first.
    const list = (await importer.get('/api/notifications')).body;
    const titles = list.notifications.map((n: { title: { en: string } }) => n.title.en);
    expect(titles).toEqual(expect.arrayContaining([`${direct.order.id}: The supplier has been paid`, `${escrow.order.id}: Order cancelled; the money is back in your wallet`]));
    expect(new Set(titles).size).toBe(titles.length);
    expect(list.unread).toBeGreaterThanOrEqual(4);
    expect((await importer.post('/api/notifications/read', {})).body.marked).toBe(list.unread);
    expect((await importer.get('/api/notifications')).body.unread).toBe(0);
  });

  it('tells the importer a withdrawal was paid, with the bank reference', async () => {
    const w = (await importer.post('/api/withdrawals', { amount: { amount: '10000000', currency: 'IDR' }, bankName: 'BCA', accountNumber: '5550001111', holderName: 'PT Mail' })).body.withdrawal;
    await finance.post(`/api/staff/funding/withdrawals/${w.id}/approve`);
    expect((await finance.post(`/api/staff/funding/withdrawals/${w.id}/paid`, { bankAccountId: bankId, reference: 'BCA-TRF-777', proof: { fileName: 'p.png', contentBase64: PNG } })).status).toBe(200);
    const mail = await smtp.waitFor(email, (x) => x.subject === 'Penarikan Rp 100.000 sudah ditransfer');
    expect(mail.body).toContain('BCA-TRF-777');
    // The approval said "approved", not the state the withdrawal had reached when the mail was sent.
    await smtp.waitFor(email, (x) => x.subject === 'Penarikan Rp 100.000 disetujui');
  });
});
