/**
 * Paying 1688 suppliers over real HTTP on both databases: payees and their validation,
 * payment orders in each mode (direct, escrow, 30/70 installments), funding from the
 * wallet or by bank transfer, the payout desk (claim races, proof, maker-checker,
 * failures), risk flags that stop a payout until compliance clears them, and the ledger
 * after every scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { jakartaToday } from '../src/costing/tax-rules.ts';
import { configureBankAccount } from '../src/funding/bank-accounts.ts';
import { seedDemoRates } from '../src/fx/demo-rates.ts';
import { createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { Money } from '../src/money/money.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

type MoneyJson = { amount: string; currency: string };
const cny = (fen: bigint | number) => ({ amount: BigInt(fen).toString(), currency: 'CNY' });
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const proof = { fileName: '付款凭证.png', contentBase64: PNG.toString('base64') };
const COMPANY = '义乌市星辰贸易有限公司';

describe.each(databaseTargets)('payment orders over HTTP on $name', (target) => {
  let tp: TestPlatform;
  let alice: HttpClient;
  let bob: HttpClient;
  let ops: HttpClient;
  let ops2: HttpClient;
  let finance: HttpClient;
  let compliance: HttpClient;
  let aliceId: string;
  let floatId: string;
  let bankId: string;
  let walletId: string;
  const db = () => tp.platform.ctx.database.db;

  async function expectLedgerClean() {
    const report = await verifyLedger(db());
    expect(report.problems).toEqual([]);
  }
  async function available(client: HttpClient): Promise<bigint> {
    const w = (await client.get('/api/wallet')).body.wallets.find((x: { currency: string }) => x.currency === 'IDR');
    return w ? BigInt(w.balance.available.amount) : 0n;
  }
  async function balance(accountId: string): Promise<bigint> {
    const a = await db().selectFrom('ledger_accounts').select(['debits_posted', 'credits_posted']).where('id', '=', accountId).executeTakeFirstOrThrow();
    return a.debits_posted - a.credits_posted;
  }
  async function supplierWithPayee(client: HttpClient, payee: Record<string, unknown> = {}) {
    const s = await client.post('/api/suppliers', { storeName: 'Xingchen Official Store', companyName: COMPANY });
    expect(s.status).toBe(201);
    const p = await client.post('/api/payees', { supplierId: s.body.supplier.id, kind: 'bank', account: '6222 0210 0112 3456 789', holderName: COMPANY, bankName: '中国工商银行', cnapsCode: '102338000012', ...payee });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    return { supplierId: s.body.supplier.id as string, payeeId: p.body.payee.id as string };
  }
  async function acceptedQuote(client: HttpClient, fen: bigint): Promise<{ id: string; total: bigint; lines: { code: string; amount: MoneyJson }[] }> {
    const q = await client.post('/api/quotes', { cny: cny(fen) });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const a = await client.post('/api/quotes/accept', { token: q.body.token });
    expect(a.status).toBe(201);
    return { id: a.body.quote.id, total: BigInt(a.body.quote.total.amount), lines: a.body.quote.lines };
  }
  async function newOrder(client: HttpClient, ids: { supplierId: string; payeeId: string }, fen: bigint, mode: 'direct' | 'escrow' | 'installments', extra: Record<string, unknown> = {}) {
    const r = await client.post('/api/payment-orders', { ...ids, orderNumbers: ['3312456789012345'], cny: cny(fen), mode, noteToSupplier: '付款：订单 3312456789012345', ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.order.id as string;
  }
  async function fundFromWallet(client: HttpClient, orderId: string, fen: bigint) {
    const q = await acceptedQuote(client, fen);
    const r = await client.post(`/api/payment-orders/${orderId}/fund`, { quoteId: q.id, method: 'wallet' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { detail: r.body, quote: q };
  }
  async function pay(installmentId: string, fen: bigint, operator = ops) {
    const claim = await operator.post(`/api/staff/payouts/${installmentId}/claim`);
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    const rec = await operator.post(`/api/staff/payouts/${installmentId}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: `ALIPAY-${installmentId.slice(-8)}`, proof });
    expect([200, 202], JSON.stringify(rec.body)).toContain(rec.status);
    return rec;
  }

  beforeAll(async () => {
    tp = await startTestPlatform(target, { payoutTestRail: true });
    await seedDemoRates(db());
    const bank = await createCompanyAccount(db(), systemActor, { type: 'bank', slug: 'bca-pay', name: 'BCA', currency: 'IDR' });
    bankId = bank.id;
    await configureBankAccount(db(), systemActor, bankId, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Test', statementFormat: 'bca-csv', acceptsDeposits: true });
    const float = await createCompanyAccount(db(), systemActor, { type: 'float', slug: 'icbc-pay', name: 'ICBC float', currency: 'CNY' });
    floatId = float.id;
    await createEntry(db(), systemActor, { idempotencyKey: 'float-seed', reason: 'float_funding', postings: [{ debitAccountId: floatId, creditAccountId: SYSTEM_ACCOUNTS.capitalCny, amount: Money.fromDecimal('1000000', 'CNY') }] });
    const a = await createImporterAccount(tp, 'PT Alice Import');
    const b = await createImporterAccount(tp, 'CV Bob');
    aliceId = a.customer.id;
    walletId = (await ensureCustomerWallet(db(), aliceId, 'IDR')).id;
    await createEntry(db(), systemActor, { idempotencyKey: 'alice-topup', reason: 'deposit', postings: [{ debitAccountId: bankId, creditAccountId: walletId, amount: Money.fromDecimal('500000000', 'IDR') }] });
    const [o1, o2, f, c] = [await createStaffUser(tp, 'ops', { totp: true }), await createStaffUser(tp, 'ops', { totp: true }), await createStaffUser(tp, 'finance', { totp: true }), await createStaffUser(tp, 'compliance', { totp: true })];
    [alice, bob, ops, ops2, finance, compliance] = [tp.client(), tp.client(), tp.client(), tp.client(), tp.client(), tp.client()];
    await signIn(alice, a.user.email);
    await signIn(bob, b.user.email);
    await signIn(ops, o1.user.email, { totpSecret: o1.secret! });
    await signIn(ops2, o2.user.email, { totpSecret: o2.secret! });
    await signIn(finance, f.user.email, { totpSecret: f.secret! });
    await signIn(compliance, c.user.email, { totpSecret: c.secret! });
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('validates payees: UnionPay check digit, CNAPS, Chinese holder names for banks, mobile numbers normalised', async () => {
    const s = (await alice.post('/api/suppliers', { storeName: 'Store', companyName: COMPANY })).body.supplier;
    const bad = await alice.post('/api/payees', { supplierId: s.id, kind: 'bank', account: '6222021001123456784', holderName: COMPANY, bankName: 'ICBC' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/check digit/);
    expect(bad.body.field).toBe('account');
    expect((await alice.post('/api/payees', { supplierId: s.id, kind: 'bank', account: '6222021001123456789', holderName: 'Zhang Wei', bankName: 'ICBC' })).body.field).toBe('holderName');
    expect((await alice.post('/api/payees', { supplierId: s.id, kind: 'bank', account: '6222021001123456789', holderName: COMPANY, bankName: 'ICBC', cnapsCode: '1023' })).body.field).toBe('cnapsCode');
    const alipay = await alice.post('/api/payees', { supplierId: s.id, kind: 'alipay', account: '+86 138-0013-8000', holderName: '张伟' });
    expect(alipay.body.payee.account).toBe('13800138000');
    // Full-width digits and letters, as copied from a Chinese page, are read as plain ones.
    const wide = await alice.post('/api/payees', { supplierId: s.id, kind: 'bank', account: '６２２２０２１００１１２３４５６７８９', holderName: COMPANY, bankName: 'ＩＣＢＣ' });
    expect(wide.body.payee).toMatchObject({ account: '6222021001123456789', bankName: 'ICBC' });
    expect((await bob.post('/api/payees', { supplierId: s.id, kind: 'alipay', account: '13800138000', holderName: '张伟' })).status).toBe(404);
  });

  it('direct: funded from the wallet, claimed once under a race, paid with proof, completed; every rupiah booked', async () => {
    const ids = await supplierWithPayee(alice);
    const fen = 1_234_567n; // ¥12,345.67: below the approval threshold (¥50,000)
    const orderId = await newOrder(alice, ids, fen, 'direct');
    const before = await available(alice);
    const feeBefore = await balance(SYSTEM_ACCOUNTS.revenueFee);
    const spreadBefore = await balance(SYSTEM_ACCOUNTS.revenueSpread);
    const floatBefore = await balance(floatId);
    const { detail, quote } = await fundFromWallet(alice, orderId, fen);
    expect(detail.order.status).toBe('queued');
    expect(detail.order.idrTotal).toEqual({ amount: quote.total.toString(), currency: 'IDR' });
    expect(await available(alice)).toBe(before - quote.total);
    expect((await bob.get(`/api/payment-orders/${orderId}`)).status).toBe(404);
    expect((await alice.get('/api/staff/payouts/queue')).status).toBe(403);

    const queue = (await ops.get('/api/staff/payouts/queue')).body;
    const item = queue.items.find((i: { orderId: string }) => i.orderId === orderId);
    expect(item).toMatchObject({ status: 'queued', sla: 'ok', blocked: false, payee: { holderName: COMPANY } });
    expect(item.flags.map((f: { code: string }) => f.code)).toContain('new_payee');
    const claims = await Promise.all([ops.post(`/api/staff/payouts/${item.installmentId}/claim`), ops2.post(`/api/staff/payouts/${item.installmentId}/claim`)]);
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409]);
    expect(claims.find((c) => c.status === 409)!.body.code).toBe('payout_already_claimed');
    const winner = claims[0]!.status === 200 ? ops : ops2;
    const loser = winner === ops ? ops2 : ops;
    expect((await loser.post(`/api/staff/payouts/${item.installmentId}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: 'X-1234', proof })).status).toBe(403);
    expect((await winner.post(`/api/staff/payouts/${item.installmentId}/record`, { floatAccountId: floatId, cny: cny(fen - 1n), providerReference: 'X-1234', proof })).status).toBe(400);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 7)]).toString('base64');
    expect((await winner.post(`/api/staff/payouts/${item.installmentId}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: 'X-1234', proof: { fileName: 'bukti.png', contentBase64: exe } })).body.code).toBe('file_rejected');
    const rec = await winner.post(`/api/staff/payouts/${item.installmentId}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: '2026112322001480931', proof });
    expect(rec.status).toBe(200);
    expect(rec.body.payout.status).toBe('paid');

    const paid = (await alice.get(`/api/payment-orders/${orderId}`)).body;
    expect(paid.order.status).toBe('paid');
    expect(paid.payouts[0]).toMatchObject({ providerReference: '2026112322001480931', status: 'paid' });
    // Fee, spread and the yuan: exactly the quote's lines.
    const line = (code: string) => BigInt(quote.lines.find((l) => l.code === code)?.amount.amount ?? '0');
    expect(feeBefore - (await balance(SYSTEM_ACCOUNTS.revenueFee))).toBe(line('service_fee') + line('rounding'));
    expect(spreadBefore - (await balance(SYSTEM_ACCOUNTS.revenueSpread))).toBe(line('spread'));
    expect(floatBefore - (await balance(floatId))).toBe(fen);
    expect(await available(alice)).toBe(before - quote.total);
    // The importer's receipt and the supplier's proof, and the page the proof's QR code opens.
    const receipt = await fetch(`${tp.url}/api/payment-orders/${orderId}/receipt?lang=en`, { headers: { cookie: [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await receipt.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await bob.get(`/api/payment-orders/${orderId}/receipt`)).status).toBe(404);
    const payoutId = paid.payouts[0].id as string;
    const proofPdf = await fetch(`${tp.url}/api/payment-orders/${orderId}/payouts/${payoutId}/proof`, { headers: { cookie: [...alice.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(proofPdf.status).toBe(200);
    const proofBytes = Buffer.from(await proofPdf.arrayBuffer());
    expect(proofBytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(proofBytes.includes('付款凭证')).toBe(false); // text is embedded as font glyphs, not plain bytes
    // The proof links (and its QR code points) to the public verification page of this payout.
    const code = (await db().selectFrom('payouts').select('verification_code').where('id', '=', payoutId).executeTakeFirstOrThrow()).verification_code;
    expect(proofBytes.toString('latin1')).toContain(`/verify/${code})`);
    const anon = tp.client();
    const verified = await anon.get(`/api/public/verify/${code}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ genuine: true, amount: { amount: fen.toString(), currency: 'CNY' } });
    expect(JSON.stringify(verified.body)).not.toContain('6222021001123456789');
    expect(JSON.stringify(verified.body)).not.toContain(COMPANY);
    const page = await fetch(`${tp.url}/verify/${code}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('凭证真实有效');
    expect((await fetch(`${tp.url}/verify/${code.slice(0, -2)}xx`)).status).toBe(404);
    expect((await anon.get(`/api/public/verify/${code.slice(0, -2)}xx`)).status).toBe(404);

    const done = await alice.post(`/api/payment-orders/${orderId}/complete`);
    expect(done.body.order.status).toBe('completed');
    expect(done.body.transitions.map((t: { to: string }) => t.to)).toEqual(['draft', 'funded', 'queued', 'in_payout', 'paid', 'completed']);
    expect((await alice.post(`/api/payment-orders/${orderId}/cancel`)).body.code).toBe('invalid_state');
    await expectLedgerClean();
  });

  it('escrow: held until the importer releases it; 30/70 installments: each part held, released and paid separately', async () => {
    const ids = await supplierWithPayee(alice);
    const escrowId = await newOrder(alice, ids, 40_000_00n, 'escrow');
    const { detail } = await fundFromWallet(alice, escrowId, 40_000_00n);
    expect(detail.order.status).toBe('held');
    expect(detail.order.escrowReleaseAt).not.toBeNull();
    expect((await ops.get('/api/staff/payouts/queue')).body.items.some((i: { orderId: string }) => i.orderId === escrowId)).toBe(false);
    const released = await alice.post(`/api/payment-orders/${escrowId}/release`);
    expect(released.body.order.status).toBe('queued');
    await pay(released.body.installments[0].id, 40_000_00n);
    expect((await alice.get(`/api/payment-orders/${escrowId}`)).body.order.status).toBe('paid');

    const fen = 45_000_01n; // ¥45,000.01, below the approval threshold (which applies to the order, not its parts)
    const instId = await newOrder(alice, ids, fen, 'installments', { installments: [30, 70] });
    const before = await available(alice);
    const funded = (await fundFromWallet(alice, instId, fen)).detail;
    const parts = funded.installments as { id: string; cny: MoneyJson; idr: MoneyJson; idrLines: Record<string, MoneyJson>; status: string }[];
    expect(parts.map((p) => p.status)).toEqual(['queued', 'held']);
    expect(parts.map((p) => BigInt(p.cny.amount))).toEqual([13_500_00n, fen - 13_500_00n]);
    // The parts' rupiah add up to the quote exactly, line by line.
    expect(parts.reduce((s, p) => s + BigInt(p.idr.amount), 0n)).toBe(BigInt(funded.order.idrTotal.amount));
    for (const p of parts) expect(Object.values(p.idrLines).reduce((s, l) => s + BigInt(l.amount), 0n)).toBe(BigInt(p.idr.amount));
    expect(await available(alice)).toBe(before - BigInt(funded.order.idrTotal.amount));
    await pay(parts[0]!.id, 13_500_00n);
    const afterFirst = (await alice.get(`/api/payment-orders/${instId}`)).body;
    expect(afterFirst.order.status).toBe('held');
    expect(afterFirst.installments.map((p: { status: string }) => p.status)).toEqual(['paid', 'held']);
    expect((await alice.post(`/api/payment-orders/${instId}/cancel`)).body.code).toBe('invalid_state');
    await alice.post(`/api/payment-orders/${instId}/release`);
    await pay(parts[1]!.id, fen - 13_500_00n);
    const end = (await alice.get(`/api/payment-orders/${instId}`)).body;
    expect(end.order.status).toBe('paid');
    expect(end.transitions.map((t: { to: string }) => t.to)).toEqual(['draft', 'funded', 'queued', 'in_payout', 'held', 'queued', 'in_payout', 'paid']);
    await expectLedgerClean();
  });

  it('cancel before payout returns every rupiah; a failed payout goes back to the queue or is refunded', async () => {
    const ids = await supplierWithPayee(alice);
    const before = await available(alice);
    const a = await newOrder(alice, ids, 10_000_00n, 'direct');
    await fundFromWallet(alice, a, 10_000_00n);
    const cancelled = await alice.post(`/api/payment-orders/${a}/cancel`, { reason: 'supplier out of stock' });
    expect(cancelled.body.order.status).toBe('cancelled');
    expect(cancelled.body.installments[0].status).toBe('refunded');
    expect(await available(alice)).toBe(before);

    const b = await newOrder(alice, ids, 20_000_00n, 'direct');
    const funded = (await fundFromWallet(alice, b, 20_000_00n)).detail;
    const part = funded.installments[0].id;
    expect((await ops.post(`/api/staff/payouts/${part}/claim`)).status).toBe(200);
    expect((await alice.post(`/api/payment-orders/${b}/cancel`)).body.code).toBe('invalid_state');
    const requeued = await ops.post(`/api/staff/payouts/${part}/fail`, { reason: 'Alipay account frozen, asking supplier', refund: false });
    expect(requeued.body.status).toBe('queued');
    expect((await alice.get(`/api/payment-orders/${b}`)).body.order.status).toBe('queued');
    await ops.post(`/api/staff/payouts/${part}/claim`);
    const refunded = await ops.post(`/api/staff/payouts/${part}/fail`, { reason: 'Wrong account number, supplier unreachable', refund: true });
    expect(refunded.body.status).toBe('refunded');
    expect((await alice.get(`/api/payment-orders/${b}`)).body.order.status).toBe('refunded');
    expect(await available(alice)).toBe(before);
    await expectLedgerClean();
  });

  it('above the threshold a finance user approves the payout; never the operator who recorded it', async () => {
    const ids = await supplierWithPayee(alice);
    const admin = await createStaffUser(tp, 'admin', { totp: true });
    const adminClient = tp.client();
    await signIn(adminClient, admin.user.email, { totpSecret: admin.secret! });
    expect((await adminClient.patch('/api/staff/payments/settings', { approvalThreshold: { amount: '100000', currency: 'CNY' } })).status).toBe(200);
    const id = await newOrder(alice, ids, 2_000_00n, 'direct');
    const part = (await fundFromWallet(alice, id, 2_000_00n)).detail.installments[0].id;
    const rec = await pay(part, 2_000_00n);
    expect(rec.status).toBe(202);
    expect(rec.body.payout.status).toBe('awaiting_approval');
    expect((await alice.get(`/api/payment-orders/${id}`)).body.order.status).toBe('in_payout');
    expect((await ops.post(`/api/staff/payouts/records/${rec.body.payout.id}/approve`)).status).toBe(403);
    const rejected = await finance.post(`/api/staff/payouts/records/${rec.body.payout.id}/reject`, { reason: 'The proof shows another amount' });
    expect(rejected.body.payout.status).toBe('rejected');
    const again = await ops.post(`/api/staff/payouts/${part}/record`, { floatAccountId: floatId, cny: cny(2_000_00n), providerReference: 'ALIPAY-SECOND', proof });
    expect(again.status).toBe(202);
    const approved = await finance.post(`/api/staff/payouts/records/${again.body.payout.id}/approve`);
    expect(approved.body.payout).toMatchObject({ status: 'paid', approvedBy: expect.any(String) });
    expect((await alice.get(`/api/payment-orders/${id}`)).body.order.status).toBe('paid');
    await adminClient.patch('/api/staff/payments/settings', { approvalThreshold: { amount: '5000000', currency: 'CNY' } });
    await expectLedgerClean();
  });

  it('a personal account for a company store stops the payout until compliance clears it; blocklist and changed details are flagged', async () => {
    const ids = await supplierWithPayee(alice, { holderName: '王小明', account: '6212261001000000007' });
    const id = await newOrder(alice, ids, 3_000_00n, 'direct');
    const part = (await fundFromWallet(alice, id, 3_000_00n)).detail.installments[0].id;
    const claim = await ops.post(`/api/staff/payouts/${part}/claim`);
    expect(claim.status).toBe(409);
    expect(claim.body.code).toBe('risk_review_pending');
    expect((await alice.get(`/api/payment-orders/${id}`)).body.riskFlags).toEqual([{ status: 'under_review' }]);
    const flags = (await compliance.get('/api/staff/risk/flags?status=open')).body.flags.filter((f: { orderId: string }) => f.orderId === id);
    const mismatch = flags.find((f: { code: string }) => f.code === 'name_mismatch');
    expect(mismatch.reason).toMatch(/personal account/);
    expect((await ops.post(`/api/staff/risk/flags/${mismatch.id}/decide`, { decision: 'cleared', note: 'Called the supplier' })).status).toBe(403);
    expect((await compliance.post(`/api/staff/risk/flags/${mismatch.id}/decide`, { decision: 'cleared', note: 'Owner of a sole proprietorship; confirmed by video call' })).body.flag.status).toBe('cleared');
    expect((await ops.post(`/api/staff/payouts/${part}/claim`)).status).toBe(200);

    // Blocked account, and details changed just now: both high.
    expect((await compliance.post('/api/staff/risk/blocklist', { kind: 'account', value: '13900139000', reason: 'Reported scam account' })).status).toBe(201);
    const s = (await alice.post('/api/suppliers', { storeName: 'Other', companyName: COMPANY })).body.supplier;
    const p = (await alice.post('/api/payees', { supplierId: s.id, kind: 'alipay', account: '13800138001', holderName: COMPANY })).body.payee;
    expect((await alice.put(`/api/payees/${p.id}`, { kind: 'alipay', account: '139 0013 9000', holderName: COMPANY })).body.payee.detailsChangedAt).not.toBeNull();
    const o2 = await newOrder(alice, { supplierId: s.id, payeeId: p.id }, 1_000_00n, 'direct');
    await fundFromWallet(alice, o2, 1_000_00n);
    const codes = (await compliance.get(`/api/staff/payments/orders/${o2}`)).body.riskFlags.map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual(['blocklisted', 'details_changed', 'new_payee']);
    await expectLedgerClean();
  });

  it('escrow disputes: a partial refund pays the supplier the rest and returns its rupiah; a full refund returns everything', async () => {
    const ids = await supplierWithPayee(alice);
    const before = await available(alice);
    const id = await newOrder(alice, ids, 1_000_00n, 'escrow');
    const total = BigInt((await fundFromWallet(alice, id, 1_000_00n)).detail.order.idrTotal.amount);
    const opened = await alice.post(`/api/payment-orders/${id}/disputes`, { body: 'Received 90 of 100 pieces; 10 are missing.' });
    expect(opened.status).toBe(201);
    expect(opened.body.order.status).toBe('disputed');
    const disputeId = opened.body.disputes[0].id;
    expect((await bob.post(`/api/payment-orders/${id}/disputes/${disputeId}/messages`, { body: 'not mine' })).status).toBe(404);
    expect((await ops.post(`/api/staff/disputes/${disputeId}/messages`, { body: 'Supplier confirms 10 pieces short.' })).status).toBe(201);
    const kinds = async () => (await db().selectFrom('notifications').select('kind').where('object_id', '=', id).execute()).map((n) => n.kind);
    expect(await kinds()).toContain('dispute.message');
    // Staff see the dispute with its customer and order; the importer sees who wrote by kind only.
    const listed = (await ops.get('/api/staff/disputes?status=open')).body.disputes.find((d: { id: string }) => d.id === disputeId);
    expect(listed).toMatchObject({ orderId: id, customer: { id: aliceId, name: 'PT Alice Import' }, order: { cny: cny(1_000_00n), status: 'disputed' } });
    expect(listed.lastMessageAt).not.toBeNull();
    expect((await ops.get(`/api/staff/disputes/${disputeId}`)).body.dispute.messages).toHaveLength(2);
    const seenByImporter = (await alice.get(`/api/payment-orders/${id}`)).body.disputes[0].messages;
    expect(seenByImporter.find((m: { author: string }) => m.author === 'staff')).not.toHaveProperty('authorId');
    expect((await ops.post(`/api/staff/disputes/${disputeId}/resolve`, { resolution: 'release', note: 'ops cannot decide' })).status).toBe(403);
    const resolved = await finance.post(`/api/staff/disputes/${disputeId}/resolve`, { resolution: 'partial_refund', refund: cny(100_00n), note: 'Refund 10 pieces of 100' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.order.status).toBe('queued');
    const part = resolved.body.installments[0];
    expect(part.cny).toEqual(cny(900_00n));
    // What comes back is whole rupiah (rounded down); the sen stay with what the supplier is paid.
    expect((total - BigInt(part.idr.amount)) % 100n).toBe(0n);
    expect(await kinds()).toContain('dispute.resolved');
    await pay(part.id, 900_00n);
    const after = (await alice.get(`/api/payment-orders/${id}`)).body;
    expect(after.order.status).toBe('paid');
    expect(after.disputes[0]).toMatchObject({ status: 'resolved', resolution: 'partial_refund', refund: cny(100_00n) });
    expect(after.disputes[0].messages.map((m: { author: string }) => m.author)).toEqual(['importer', 'staff']);
    // The importer paid only the rupiah of the 900 yuan the supplier got.
    expect(await available(alice)).toBe(before - BigInt(part.idr.amount));
    expect(BigInt(part.idr.amount)).toBeLessThan(total);

    const id2 = await newOrder(alice, ids, 500_00n, 'escrow');
    await fundFromWallet(alice, id2, 500_00n);
    const d2 = (await alice.post(`/api/payment-orders/${id2}/disputes`, { body: 'The supplier never shipped.' })).body.disputes[0].id;
    const refunded = await finance.post(`/api/staff/disputes/${d2}/resolve`, { resolution: 'refund', note: 'Supplier did not ship; full refund' });
    expect(refunded.body.order.status).toBe('refunded');
    expect(await available(alice)).toBe(before - BigInt(part.idr.amount));
    await expectLedgerClean();
  });

  it('a CSV of orders: checked line by line, created all or nothing, paid with one quote and one deposit', async () => {
    const a = await supplierWithPayee(alice);
    const b = await supplierWithPayee(alice, { kind: 'alipay', account: '13800138000', holderName: COMPANY, bankName: undefined, cnapsCode: undefined });
    const bad = ['order_numbers,payee_id,amount_cny,mode,note', `3312;3313,${a.payeeId},1200.50,direct,`, `,${b.payeeId},12x,escrow,`, `3314,pye_nobody,10,later,`].join('\n');
    const preview = await alice.post('/api/payment-orders/batch/preview', { fileName: 'orders.csv', csv: bad });
    expect(preview.status).toBe(200);
    expect(preview.body.valid).toBe(false);
    expect(preview.body.lines.map((l: { line: number; ok: boolean }) => [l.line, l.ok])).toEqual([[2, true], [3, false], [4, false]]);
    expect(preview.body.lines[1].errors.map((e: { column: string }) => e.column)).toEqual(['order_numbers', 'amount_cny']);
    expect(preview.body.lines[2].errors.map((e: { column: string }) => e.column)).toEqual(['payee_id', 'mode']);
    const before = await db().selectFrom('payment_orders').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const refused = await alice.post('/api/payment-orders/batch', { fileName: 'orders.csv', csv: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.lines).toHaveLength(2);
    expect((await db().selectFrom('payment_orders').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n).toBe(before.n);

    const good = ['order_numbers,payee_id,amount_cny,mode,note', `3312;3313,${a.payeeId},1200.50,direct,付款`, `3320,${b.payeeId},333.33,escrow,`, `3321,${a.payeeId},"1,000.17",,`].join('\n');
    const created = await alice.post('/api/payment-orders/batch', { fileName: 'orders.csv', csv: good });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.cnyTotal).toEqual(cny(253_400n));
    expect(created.body.orders.map((o: { mode: string }) => o.mode)).toEqual(['direct', 'escrow', 'direct']);
    const q = await acceptedQuote(alice, 253_400n);
    const funded = await alice.post(`/api/payment-orders/batches/${created.body.batchId}/fund`, { quoteId: q.id, method: 'bank_transfer' });
    expect(funded.status, JSON.stringify(funded.body)).toBe(200);
    expect(funded.body.orders.map((o: { status: string }) => o.status)).toEqual(['awaiting_funds', 'awaiting_funds', 'awaiting_funds']);
    // The orders' rupiah add up to the one quote's total exactly.
    expect(funded.body.orders.reduce((s: bigint, o: { idrTotal: MoneyJson }) => s + BigInt(o.idrTotal.amount), 0n)).toBe(q.total);
    expect(BigInt(funded.body.deposit.requested.amount)).toBe(q.total);
    const due = BigInt(funded.body.deposit.amountDue.amount);
    const [y, m, d] = jakartaToday().split('-');
    const rupiah = (due / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const csv = [`Periode : 01/${m}/${y} - ${d}/${m}/${y}`, 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', `'${d}/${m},TRSF BATCH ALICE,0000,"${rupiah}.00 CR","${rupiah}.00"`].join('\n');
    expect((await finance.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'mutasi-batch.csv', content: csv })).body.import.creditsMatched).toBe(1);
    let statuses: string[] = [];
    for (let i = 0; i < 100; i++) {
      statuses = await Promise.all(created.body.orders.map(async (o: { id: string }) => (await alice.get(`/api/payment-orders/${o.id}`)).body.order.status as string));
      if (statuses.every((s) => s !== 'awaiting_funds')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses).toEqual(['queued', 'held', 'queued']);
    await expectLedgerClean();
  });

  it('an automatic rail settles asynchronously when the provider confirms, and a refusal puts the part back in the queue', async () => {
    expect((await ops.get('/api/staff/payouts/rails')).body.rails.map((r: { name: string }) => r.name)).toEqual(['manual', 'test']);
    const waitFor = async (orderId: string, status: string) => {
      let now = '';
      for (let i = 0; i < 100 && now !== status; i++) {
        now = (await alice.get(`/api/payment-orders/${orderId}`)).body.order.status;
        if (now !== status) await new Promise((r) => setTimeout(r, 100));
      }
      return now;
    };
    const ok = await supplierWithPayee(alice, { kind: 'alipay', account: '13800138111', holderName: COMPANY, bankName: undefined, cnapsCode: undefined });
    const id = await newOrder(alice, ok, 800_00n, 'direct');
    const part = (await fundFromWallet(alice, id, 800_00n)).detail.installments[0].id;
    expect((await ops.post(`/api/staff/payouts/${part}/send`, { rail: 'test', floatAccountId: floatId })).body.code).toBe('invalid_state');
    await ops.post(`/api/staff/payouts/${part}/claim`);
    expect((await ops2.post(`/api/staff/payouts/${part}/send`, { rail: 'test', floatAccountId: floatId })).status).toBe(403);
    const sent = await ops.post(`/api/staff/payouts/${part}/send`, { rail: 'test', floatAccountId: floatId });
    expect(sent.status).toBe(202);
    expect(sent.body.payout).toMatchObject({ status: 'submitted', rail: 'test' });
    expect(await waitFor(id, 'paid')).toBe('paid');
    expect(sent.body.payout.providerReference).toBe(`pending:${sent.body.payout.id}`);
    expect((await alice.get(`/api/payment-orders/${id}`)).body.payouts[0]).toMatchObject({ rail: 'test', status: 'paid', providerReference: expect.stringMatching(/^TR[0-9A-F]{16}$/) });
    // A second send of the same part is refused: the provider is asked once.
    expect((await ops.post(`/api/staff/payouts/${part}/send`, { rail: 'test', floatAccountId: floatId })).body.code).toBe('invalid_state');

    const frozen = await supplierWithPayee(alice, { kind: 'alipay', account: '13800130000', holderName: COMPANY, bankName: undefined, cnapsCode: undefined });
    const id2 = await newOrder(alice, frozen, 700_00n, 'direct');
    const part2 = (await fundFromWallet(alice, id2, 700_00n)).detail.installments[0].id;
    await ops.post(`/api/staff/payouts/${part2}/claim`);
    await ops.post(`/api/staff/payouts/${part2}/send`, { rail: 'test', floatAccountId: floatId });
    expect(await waitFor(id2, 'queued')).toBe('queued');
    const payouts = (await ops.get(`/api/staff/payments/orders/${id2}`)).body.payouts;
    expect(payouts[0]).toMatchObject({ status: 'failed', failureReason: 'the receiving account is frozen' });
    await expectLedgerClean();
  });

  it('controls: approval by order total, only the claimer fails a payout, changed payees and confirmed risks stop the money', async () => {
    const ids = await supplierWithPayee(alice);
    const before = await available(alice);
    // ¥60,000 in four parts of ¥15,000: each part is below the threshold, the order is not.
    const big = await newOrder(alice, ids, 60_000_00n, 'installments', { installments: [25, 25, 25, 25] });
    const parts = (await fundFromWallet(alice, big, 60_000_00n)).detail.installments;
    const rec = await pay(parts[0].id, 15_000_00n);
    expect(rec.status).toBe(202);
    expect(rec.body.payout.status).toBe('awaiting_approval');
    expect((await finance.post(`/api/staff/payouts/records/${rec.body.payout.id}/approve`)).body.payout.status).toBe('paid');
    // Thirds are fine (hundredths of a percent).
    expect((await alice.post('/api/payment-orders', { ...ids, orderNumbers: ['3312999'], cny: cny(100_00n), mode: 'installments', installments: [33.33, 33.33, 33.34] })).status).toBe(201);

    const id = await newOrder(alice, ids, 1_500_00n, 'direct');
    const part = (await fundFromWallet(alice, id, 1_500_00n)).detail.installments[0].id;
    expect((await ops.post(`/api/staff/payouts/${part}/claim`)).status).toBe(200);
    expect((await ops2.post(`/api/staff/payouts/${part}/fail`, { reason: 'not mine to fail', refund: true })).status).toBe(403);
    expect((await ops.post(`/api/staff/payouts/${part}/send`, { rail: 'test', floatAccountId: floatId })).status).toBe(202);
    expect((await ops.post(`/api/staff/payouts/${part}/fail`, { reason: 'changed my mind', refund: true })).body.code).toBe('invalid_state');

    // The payee's account changes after funding: the claim is refused until compliance clears it.
    const id2 = await newOrder(alice, ids, 1_200_00n, 'direct');
    const part2 = (await fundFromWallet(alice, id2, 1_200_00n)).detail.installments[0].id;
    await alice.put(`/api/payees/${ids.payeeId}`, { kind: 'bank', account: '6212261001000000007', holderName: COMPANY, bankName: '中国工商银行' });
    const refused = await ops.post(`/api/staff/payouts/${part2}/claim`);
    expect(refused.body.code).toBe('risk_review_pending');
    const flag = (await compliance.get(`/api/staff/payments/orders/${id2}`)).body.riskFlags.find((f: { code: string }) => f.code === 'details_changed');
    const walletBefore = await available(alice);
    const confirmed = await compliance.post(`/api/staff/risk/flags/${flag.id}/decide`, { decision: 'confirmed', note: 'Supplier says the account was never theirs' });
    expect(confirmed.status).toBe(200);
    const seen = (await alice.get(`/api/payment-orders/${id2}`)).body;
    expect(seen.order.status).toBe('refunded');
    // The importer learns the order was refunded by staff, not compliance's note or which check.
    expect(seen.transitions.at(-1)).toMatchObject({ to: 'refunded', actor: { type: 'staff' }, reason: 'stopped by a security check: the money is back in your wallet' });
    expect(JSON.stringify(seen)).not.toContain('never theirs');
    expect(seen.riskFlags).toEqual([]);
    expect(await available(alice)).toBeGreaterThan(walletBefore);
    expect((await ops.post(`/api/staff/payouts/${part2}/claim`)).body.code).toBe('invalid_state');
    expect(before).toBeGreaterThan(0n);
    await expectLedgerClean();
  });

  it('refuses to fund with too little in the wallet, a quote for another amount, or a used quote; nothing changes', async () => {
    const ids = await supplierWithPayee(bob);
    const id = await newOrder(bob, ids, 1_000_00n, 'direct');
    const q = await acceptedQuote(bob, 1_000_00n);
    const poor = await bob.post(`/api/payment-orders/${id}/fund`, { quoteId: q.id, method: 'wallet' });
    expect(poor.status).toBe(422);
    expect(poor.body.code).toBe('insufficient_funds');
    expect((await bob.get(`/api/payment-orders/${id}`)).body.order.status).toBe('draft');
    const other = await acceptedQuote(bob, 2_000_00n);
    expect((await bob.post(`/api/payment-orders/${id}/fund`, { quoteId: other.id, method: 'wallet' })).body.code).toBe('quote_invalid');
    expect((await alice.post(`/api/payment-orders/${id}/fund`, { quoteId: q.id, method: 'wallet' })).status).toBe(404);
  });

  it('by bank transfer: the rate holds for the transfer window; when the statement shows it, the order funds itself', async () => {
    const ids = await supplierWithPayee(alice);
    const id = await newOrder(alice, ids, 5_000_00n, 'direct');
    const q = await acceptedQuote(alice, 5_000_00n);
    const res = await alice.post(`/api/payment-orders/${id}/fund`, { quoteId: q.id, method: 'bank_transfer' }, { headers: { 'idempotency-key': `order-deposit-${target.name}` } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.order.status).toBe('awaiting_funds');
    const due = BigInt(res.body.deposit.amountDue.amount);
    expect(BigInt(res.body.deposit.requested.amount)).toBe(q.total);
    // A bank transfer gets longer than the quote's screen lock: the rate holds for two hours.
    const deadline = new Date(res.body.deposit.expiresAt).getTime();
    expect(deadline).toBeGreaterThan(new Date((await alice.get(`/api/quotes/${q.id}`)).body.quote.expiresAt).getTime());
    expect(Math.abs(deadline - Date.now() - 120 * 60_000)).toBeLessThan(60_000);
    // A retry with the same key answers the same; the quote is not used twice.
    const retry = await alice.post(`/api/payment-orders/${id}/fund`, { quoteId: q.id, method: 'bank_transfer' }, { headers: { 'idempotency-key': `order-deposit-${target.name}` } });
    expect(retry.body.deposit.id).toBe(res.body.deposit.id);

    const [y, m, d] = jakartaToday().split('-');
    const rupiah = (due / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const csv = [`Periode : 01/${m}/${y} - 28/${m}/${y}`.replace('28/', `${d}/`), 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', `'${d}/${m},TRSF E-BANKING CR PT ALICE,0000,"${rupiah}.00 CR","${rupiah}.00"`].join('\n');
    const imp = await finance.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'mutasi.csv', content: csv });
    expect(imp.status, JSON.stringify(imp.body)).toBe(201);
    expect(imp.body.import.creditsMatched).toBe(1);
    let status = '';
    for (let i = 0; i < 100 && status !== 'queued'; i++) {
      status = (await alice.get(`/api/payment-orders/${id}`)).body.order.status;
      if (status !== 'queued') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('queued');
    await expectLedgerClean();
  });
  it('finance tops up a float by a recorded conversion: yuan in, rupiah out through the FX position; others cannot', async () => {
    const [floatBefore, bankBefore] = [await balance(floatId), await balance(bankId)];
    const body = { floatAccountId: floatId, bankAccountId: bankId, cny: cny(10_000_00n), idr: { amount: '2315000000', currency: 'IDR' }, reference: 'BCA-TT-20261201-01' };
    expect((await ops.post('/api/staff/fx/conversions', body)).status).toBe(403);
    expect((await alice.post('/api/staff/fx/conversions', body)).status).toBe(403);
    // Float and bank swapped, or a zero amount: refused, nothing written.
    const swapped = await finance.post('/api/staff/fx/conversions', { ...body, floatAccountId: bankId, bankAccountId: floatId });
    expect([swapped.status, swapped.body.code]).toEqual([400, 'validation_failed']);
    expect((await finance.post('/api/staff/fx/conversions', { ...body, cny: cny(0n) })).body.code).toBe('validation_failed');
    expect([await balance(floatId), await balance(bankId)]).toEqual([floatBefore, bankBefore]);

    const res = await finance.post('/api/staff/fx/conversions', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.conversion).toMatchObject({ rate: expect.stringMatching(/^2315(\.0+)?$/), cny: cny(10_000_00n), idr: { amount: '2315000000', currency: 'IDR' } });
    expect(await balance(floatId)).toBe(floatBefore + 10_000_00n);
    const bankNow = await balance(bankId);
    if (bankNow !== bankBefore - 2_315_000_000n) {
      // Seen once on PostgreSQL (Rp 1.500 more out of the bank): say which postings moved it.
      const moved = await db().selectFrom('postings as p').innerJoin('journal_entries as e', 'e.id', 'p.entry_id').select(['e.id', 'e.reason', 'e.created_at', 'p.debit_account_id', 'p.credit_account_id', 'p.amount']).where((eb) => eb.or([eb('p.debit_account_id', '=', bankId), eb('p.credit_account_id', '=', bankId)])).orderBy('p.id', 'desc').limit(8).execute();
      expect.fail(`bank moved by ${bankNow - bankBefore}, expected -2315000000: ${JSON.stringify(moved, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    }
    const entry = await db().selectFrom('postings').selectAll().where('entry_id', '=', res.body.conversion.entryId).execute();
    expect(entry.map((p) => [p.debit_account_id, p.credit_account_id, p.currency, p.amount]).sort()).toEqual(
      [
        [floatId, SYSTEM_ACCOUNTS.fxPositionCny, 'CNY', 10_000_00n],
        [SYSTEM_ACCOUNTS.fxPositionIdr, bankId, 'IDR', 2_315_000_000n],
      ].sort(),
    );

    const list = await ops.get('/api/staff/fx/conversions?limit=5');
    expect(list.status).toBe(200);
    expect(list.body.conversions[0]).toMatchObject({ id: res.body.conversion.id, reference: 'BCA-TT-20261201-01', floatAccountId: floatId, bankAccountId: bankId });
    expect((await alice.get('/api/staff/fx/conversions')).status).toBe(403);
    const audit = await db().selectFrom('audit_log').select('action').where('object_id', '=', res.body.conversion.id).execute();
    expect(audit.map((a) => a.action)).toContain('payments.fx_conversion_recorded');
    await expectLedgerClean();
  });

  it('the staff directory names staff for the console, without e-mail, and is closed to importers', async () => {
    const dir = await ops.get('/api/staff/directory');
    expect(dir.status).toBe(200);
    expect(dir.body.staff.length).toBeGreaterThanOrEqual(4);
    expect(dir.body.staff.every((u: { role: string }) => u.role !== 'importer')).toBe(true);
    expect(JSON.stringify(dir.body)).not.toContain('@');
    expect((await alice.get('/api/staff/directory')).status).toBe(403);
  });
  it('retries with the same Idempotency-Key create one order, fund it once and record one payout; proofs are refused by content and size', async () => {
    const ids = await supplierWithPayee(alice);
    const fen = 2_000_00n;
    const key = (step: string) => ({ headers: { 'idempotency-key': `retry-${step}-${target.name}` } });
    const body = { ...ids, orderNumbers: ['3312456789099999'], cny: cny(fen), mode: 'direct' };
    const [c1, c2] = await Promise.all([alice.post('/api/payment-orders', body, key('create')), alice.post('/api/payment-orders', body, key('create'))]);
    const created = [c1, c2].filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // A concurrent duplicate either replays the answer or is told the first is still running; never a second order.
    expect([c1, c2].every((r) => r.status === 201 || r.body.code === 'idempotency_in_progress')).toBe(true);
    const replay = await alice.post('/api/payment-orders', body, key('create'));
    expect(replay.body.order.id).toBe(created[0]!.body.order.id);
    const orderId = replay.body.order.id as string;
    expect(await db().selectFrom('payment_orders').select('id').where('order_numbers', '@>', JSON.stringify(['3312456789099999']) as never).execute()).toHaveLength(1);
    expect((await alice.post('/api/payment-orders', { ...body, cny: cny(fen + 1n) }, key('create'))).body.code).toBe('idempotency_conflict');

    const before = await available(alice);
    const q = await acceptedQuote(alice, fen);
    const f1 = await alice.post(`/api/payment-orders/${orderId}/fund`, { quoteId: q.id, method: 'wallet' }, key('fund'));
    const f2 = await alice.post(`/api/payment-orders/${orderId}/fund`, { quoteId: q.id, method: 'wallet' }, key('fund'));
    expect([f1.status, f2.status]).toEqual([200, 200]);
    expect(f2.body.order.status).toBe(f1.body.order.status);
    expect(await available(alice)).toBe(before - q.total);
    const holds = await db().selectFrom('journal_entries').select('id').where('reference_id', '=', orderId).where('kind', '=', 'pending').execute();
    expect(holds).toHaveLength(1);

    const part = f1.body.installments[0].id as string;
    expect((await ops.post(`/api/staff/payouts/${part}/claim`)).status).toBe(200);
    // Proofs: a GIF is not an accepted type, a renamed executable is not an image, more than 5 MB is too large.
    const record = (proofFile: { fileName: string; contentBase64: string }) => ops.post(`/api/staff/payouts/${part}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: 'ALIPAY-RETRY-1', proof: proofFile });
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
    for (const bad of [
      { fileName: 'bukti.gif', contentBase64: gif.toString('base64') },
      { fileName: 'bukti.png', contentBase64: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]).toString('base64') },
      { fileName: 'bukti.png', contentBase64: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024, 0)]).toString('base64') },
    ]) {
      const r = await record(bad);
      expect([r.status, r.body.code], bad.fileName).toEqual([422, 'file_rejected']);
    }
    expect(await db().selectFrom('payouts').select('id').where('installment_id', '=', part).execute()).toEqual([]);
    const r1 = await ops.post(`/api/staff/payouts/${part}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: 'ALIPAY-RETRY-1', proof }, key('record'));
    const r2 = await ops.post(`/api/staff/payouts/${part}/record`, { floatAccountId: floatId, cny: cny(fen), providerReference: 'ALIPAY-RETRY-1', proof }, key('record'));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect(r2.body.payout.id).toBe(r1.body.payout.id);
    expect(await db().selectFrom('payouts').select('id').where('installment_id', '=', part).execute()).toHaveLength(1);
    expect((await alice.get(`/api/payment-orders/${orderId}`)).body.order.status).toBe('paid');
    await expectLedgerClean();
  });
});
