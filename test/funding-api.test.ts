/**
 * Funding over real HTTP on both databases: deposit intents, bank statement imports with
 * matching (same amounts on one day, missing codes, debits, duplicates, overlapping files,
 * concurrent imports), under/over/late payment, suspense decisions with two-person
 * approval, Xendit virtual-account callbacks (forged, stale, replayed, concurrent) against
 * a local stand-in for Xendit's API, and withdrawals with a proof checked by content.
 * The ledger is verified after every scenario.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/audit/audit.ts';
import { configureBankAccount } from '../src/funding/bank-accounts.ts';
import { expireDeposits } from '../src/funding/deposits.ts';
import { createCompanyAccount, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { verifyLedger } from '../src/ledger/verify.ts';
import { jakartaToday } from '../src/costing/tax-rules.ts';
import { databaseTargets } from './support/databases.ts';
import type { HttpClient } from './support/http.ts';
import { createImporterAccount, createStaffUser, signIn, startTestPlatform, type TestPlatform } from './support/platform.ts';

type Money = { amount: string; currency: string };
const idr = (rupiah: number | bigint) => ({ amount: (BigInt(rupiah) * 100n).toString(), currency: 'IDR' });
const CALLBACK_TOKEN = 'test-callback-token-0123456789';

/** The amount column of a KlikBCA export: "12,345,417.00 CR". */
function bcaAmount(minor: bigint, mark: 'CR' | 'DB'): string {
  const rupiah = (minor / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `"${rupiah}.${(minor % 100n).toString().padStart(2, '0')} ${mark}"`;
}

/** A KlikBCA statement for the given lines (date YYYY-MM-DD), with running balance. */
function bcaStatement(lines: { date: string; text: string; amount: bigint; mark: 'CR' | 'DB' }[], opening = 0n): string {
  const year = (lines[0]?.date ?? jakartaToday()).slice(0, 4);
  let balance = opening;
  const rows = lines.map((l) => {
    balance += l.mark === 'CR' ? l.amount : -l.amount;
    const [, m, d] = l.date.split('-');
    return `'${d}/${m},${l.text},0000,${bcaAmount(l.amount, l.mark)},${bcaAmount(balance, 'CR').replace(' CR', '')}`;
  });
  return ['No. rekening : 1234567890', 'Nama : PT JEMBATAN TEST', `Periode : 01/01/${year} - 31/12/${year}`, 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', ...rows].join('\n');
}

/** A stand-in for Xendit's API: creates closed virtual accounts and remembers them. */
async function startFakeXendit() {
  const created: Record<string, unknown>[] = [];
  let next = 8808_0000_0000_0001n;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      if (req.url !== '/callback_virtual_accounts' || auth !== `Basic ${Buffer.from('xnd_test_secret:').toString('base64')}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'INVALID_API_KEY' }));
        return;
      }
      const b = JSON.parse(body) as Record<string, unknown>;
      const va = { id: `va_${created.length + 1}`, external_id: b.external_id, bank_code: b.bank_code, account_number: (next++).toString(), expected_amount: b.expected_amount, is_closed: b.is_closed, status: 'PENDING' };
      created.push(va);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(va));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, created, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A 1×1 PNG: a real image, recognised by its bytes. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe.each(databaseTargets)('funding over HTTP on $name', (target) => {
  let tp: TestPlatform;
  let xendit: Awaited<ReturnType<typeof startFakeXendit>>;
  let finance: HttpClient;
  let finance2: HttpClient;
  let admin: HttpClient;
  let ops: HttpClient;
  let alice: HttpClient;
  let bob: HttpClient;
  let aliceId: string;
  let bobId: string;
  let bankId: string;
  const today = jakartaToday();

  const db = () => tp.platform.ctx.database.db;

  async function expectLedgerClean() {
    const report = await verifyLedger(db());
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  }

  async function walletAvailable(client: HttpClient): Promise<bigint> {
    const res = await client.get('/api/wallet');
    const w = (res.body.wallets as { currency: string; balance: { available: Money } }[]).find((x) => x.currency === 'IDR');
    return w ? BigInt(w.balance.available.amount) : 0n;
  }

  async function deposit(client: HttpClient, rupiah: number) {
    const res = await client.post('/api/deposits', { amount: idr(rupiah) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.deposit as { id: string; amountDue: Money; uniqueCode: Money; referenceCode: string; status: string; outstanding: Money; received: Money; overpaid: Money };
  }

  async function importStatement(content: string, extra: Record<string, unknown> = {}, client = finance) {
    return client.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'mutasi.csv', content, ...extra });
  }

  async function suspenseBalance(): Promise<bigint> {
    const r = await db().selectFrom('ledger_accounts').select(['credits_posted', 'debits_posted']).where('id', '=', SYSTEM_ACCOUNTS.suspense).executeTakeFirstOrThrow();
    return r.credits_posted - r.debits_posted;
  }

  beforeAll(async () => {
    xendit = await startFakeXendit();
    tp = await startTestPlatform(target, { xendit: { secretKey: 'xnd_test_secret', callbackToken: CALLBACK_TOKEN, apiUrl: xendit.url } });
    const bank = await createCompanyAccount(db(), systemActor, { type: 'bank', slug: 'bca-test', name: 'BCA test', currency: 'IDR' });
    bankId = bank.id;
    await configureBankAccount(db(), systemActor, bankId, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Jembatan Test', statementFormat: 'bca-csv', acceptsDeposits: true });
    const a = await createImporterAccount(tp, 'PT Alice Import');
    const b = await createImporterAccount(tp, 'CV Bob Dagang');
    aliceId = a.customer.id;
    bobId = b.customer.id;
    const [f1, f2, ad, op] = [await createStaffUser(tp, 'finance', { totp: true }), await createStaffUser(tp, 'finance', { totp: true }), await createStaffUser(tp, 'admin', { totp: true }), await createStaffUser(tp, 'ops', { totp: true })];
    [finance, finance2, admin, ops, alice, bob] = [tp.client(), tp.client(), tp.client(), tp.client(), tp.client(), tp.client()];
    await signIn(finance, f1.user.email, { totpSecret: f1.secret! });
    await signIn(finance2, f2.user.email, { totpSecret: f2.secret!, stepOffset: 0 });
    await signIn(admin, ad.user.email, { totpSecret: ad.secret! });
    await signIn(ops, op.user.email, { totpSecret: op.secret! });
    await signIn(alice, a.user.email);
    await signIn(bob, b.user.email);
  });
  afterAll(async () => {
    await tp?.stop();
    await xendit?.close();
  });

  it('a deposit intent adds a unique code of 1–999 rupiah and says where to pay; nobody else can see it', async () => {
    const d = await deposit(alice, 12_345_000);
    const code = BigInt(d.uniqueCode.amount);
    expect(code % 100n).toBe(0n);
    expect(code / 100n).toBeGreaterThanOrEqual(1n);
    expect(code / 100n).toBeLessThanOrEqual(999n);
    expect(BigInt(d.amountDue.amount)).toBe(1_234_500_000n + code);
    expect(d.referenceCode).toMatch(/^JBT[0-9A-HJKMNP-TV-Z]{7}$/);
    const res = await alice.get(`/api/deposits/${d.id}`);
    expect(res.body.deposit.bank).toEqual({ id: bankId, bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Jembatan Test' });
    expect((await bob.get(`/api/deposits/${d.id}`)).status).toBe(404);
    expect((await bob.post(`/api/deposits/${d.id}/cancel`)).status).toBe(404);
    expect((await bob.get('/api/deposits')).body.deposits).toEqual([]);
    // Many intents for the same amount never share an amount due.
    const more = await Promise.all(Array.from({ length: 20 }, () => deposit(bob, 12_345_000)));
    const dues = new Set([d, ...more].map((x) => x.amountDue.amount));
    expect(dues.size).toBe(21);
    for (const x of more) expect((await bob.post(`/api/deposits/${x.id}/cancel`)).status).toBe(200);
    expect((await alice.post(`/api/deposits/${d.id}/cancel`)).body.deposit.status).toBe('cancelled');
  });

  it('a retried deposit request with the same Idempotency-Key opens one intent', async () => {
    const headers = { 'idempotency-key': `dep-retry-${target.name}` };
    const [a, b] = await Promise.all([alice.post('/api/deposits', { amount: idr(777_000) }, { headers }), alice.post('/api/deposits', { amount: idr(777_000) }, { headers })]);
    const ok = [a, b].filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of [a, b]) if (r.status !== 201) expect(r.body.code).toBe('idempotency_in_progress');
    const again = await alice.post('/api/deposits', { amount: idr(777_000) }, { headers });
    expect(again.status).toBe(201);
    expect(again.body.deposit.id).toBe(ok[0]!.body.deposit.id);
    const n = await db().selectFrom('deposit_intents').select(sql<string>`count(*)`.as('n')).where('customer_id', '=', aliceId).where('requested_amount', '=', 77_700_000n).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('bad deposit input is refused and changes nothing', async () => {
    const before = await db().selectFrom('deposit_intents').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    for (const body of [{ amount: { amount: '99999999999999999900', currency: 'IDR' } }, { amount: { amount: '1234550', currency: 'IDR' } }, { amount: idr(0) }, { amount: { amount: '100', currency: 'CNY' } }, { amount: idr(1000), extra: 1 }, { amount: 5 }]) {
      const res = await alice.post('/api/deposits', body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const after = await db().selectFrom('deposit_intents').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    const nul = await finance.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'a\u0000b.csv', content: 'x' });
    expect(nul.status).toBe(400);
  });

  it('imports a realistic statement: same amounts on one day to two customers, a missing code, a debit; balances follow', async () => {
    const a = await deposit(alice, 5_000_000);
    const b = await deposit(bob, 5_000_000);
    const aliceBefore = await walletAvailable(alice);
    const bobBefore = await walletAvailable(bob);
    const suspenseBefore = await suspenseBalance();
    const content = bcaStatement([
      { date: today, text: 'TRSF E-BANKING CR 2311/FTSCY/WS95031 CV BOB DAGANG', amount: BigInt(b.amountDue.amount), mark: 'CR' },
      { date: today, text: 'TRSF E-BANKING CR 2311/FTSCY/WS95032 PT ALICE IMPORT', amount: BigInt(a.amountDue.amount), mark: 'CR' },
      { date: today, text: 'SETORAN TUNAI TANPA KETERANGAN', amount: 500_000_000n, mark: 'CR' },
      { date: today, text: 'BIAYA ADM', amount: 1_500_000n, mark: 'DB' },
    ]);
    const preview = await finance.post('/api/staff/funding/statements/preview', { bankAccountId: bankId, fileName: 'mutasi.csv', content });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.summary).toMatchObject({ linesTotal: 4, linesNew: 4, creditsMatched: 2, creditsReview: 1, debits: 1 });
    expect(preview.body.lines[0].match).toMatchObject({ kind: 'unique_amount', depositId: b.id, customerId: bobId });
    expect(preview.body.lines[0].match.reason).toContain(b.id);
    // A preview writes nothing.
    expect(await walletAvailable(bob)).toBe(bobBefore);

    const res = await importStatement(content);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.import).toMatchObject({ linesNew: 4, creditsMatched: 2, creditsReview: 1, debits: 1 });
    expect(await walletAvailable(alice)).toBe(aliceBefore + BigInt(a.amountDue.amount));
    expect(await walletAvailable(bob)).toBe(bobBefore + BigInt(b.amountDue.amount));
    expect(await suspenseBalance()).toBe(suspenseBefore + 500_000_000n);
    expect((await alice.get(`/api/deposits/${a.id}`)).body.deposit.status).toBe('paid');
    const detail = await alice.get(`/api/deposits/${b.id}`);
    expect(detail.status).toBe(404);
    expect((await bob.get(`/api/deposits/${b.id}`)).body.credits).toHaveLength(1);
    // The statement's balance is compared with the ledger's bank account: the fee is not booked.
    const rec = res.body.import.reconciliation;
    expect(rec.statementBalance.amount).toBe((BigInt(a.amountDue.amount) + BigInt(b.amountDue.amount) + 500_000_000n - 1_500_000n).toString());
    expect(rec.balanced).toBe(false);
    expect(rec.balanceBreaks).toEqual([]);
    const review = await finance.get('/api/staff/funding/review');
    expect(review.body.lines.some((l: { description: string; review: { reason: string } }) => l.description === 'SETORAN TUNAI TANPA KETERANGAN' && l.review.reason === 'unmatched')).toBe(true);
    await expectLedgerClean();

    // The same file again, and a file overlapping it: only what is new counts.
    const again = await importStatement(content);
    expect(again.body.import).toMatchObject({ linesNew: 0, linesDuplicate: 4, creditsMatched: 0 });
    const c = await deposit(alice, 750_000);
    const overlapping = bcaStatement([
      { date: today, text: 'TRSF E-BANKING CR 2311/FTSCY/WS95032 PT ALICE IMPORT', amount: BigInt(a.amountDue.amount), mark: 'CR' },
      { date: today, text: 'SETORAN TUNAI TANPA KETERANGAN', amount: 500_000_000n, mark: 'CR' },
      { date: today, text: 'BIAYA ADM', amount: 1_500_000n, mark: 'DB' },
      { date: today, text: 'TRSF E-BANKING CR PT ALICE', amount: BigInt(c.amountDue.amount), mark: 'CR' },
    ], BigInt(b.amountDue.amount));
    const third = await importStatement(overlapping);
    expect(third.body.import).toMatchObject({ linesNew: 1, linesDuplicate: 3, creditsMatched: 1, creditsReview: 0 });
    expect(await walletAvailable(bob)).toBe(bobBefore + BigInt(b.amountDue.amount));
    expect((await alice.get(`/api/deposits/${c.id}`)).body.deposit.status).toBe('paid');
    await expectLedgerClean();
  });

  it('two identical transfers on one day are two lines; a second payment of a paid amount goes to review', async () => {
    const d = await deposit(bob, 2_000_000);
    const due = BigInt(d.amountDue.amount);
    const content = bcaStatement([
      { date: today, text: 'TRSF CR BOB', amount: due, mark: 'CR' },
      { date: today, text: 'TRSF CR BOB', amount: due, mark: 'CR' },
    ]);
    const res = await importStatement(content);
    expect(res.body.import).toMatchObject({ linesNew: 2, creditsMatched: 1, creditsReview: 1 });
    expect((await bob.get(`/api/deposits/${d.id}`)).body.deposit).toMatchObject({ status: 'paid', overpaid: { amount: '0' } });
    expect((await importStatement(content)).body.import.linesNew).toBe(0);
    await expectLedgerClean();
  });

  it('under-payment by reference keeps the deposit open for the rest; over-payment goes to the wallet in full', async () => {
    const d = await deposit(alice, 10_000_000);
    const due = BigInt(d.amountDue.amount);
    const before = await walletAvailable(alice);
    await importStatement(bcaStatement([{ date: today, text: `TRSF CR ${d.referenceCode} ALICE`, amount: 400_000_000n, mark: 'CR' }]));
    let now = (await alice.get(`/api/deposits/${d.id}`)).body.deposit;
    expect(now.status).toBe('partially_paid');
    expect(BigInt(now.outstanding.amount)).toBe(due - 400_000_000n);
    // The rest, by exact amount (no reference), and then more by reference: over-paid.
    await importStatement(bcaStatement([{ date: today, text: 'TRSF CR SISA ALICE', amount: due - 400_000_000n, mark: 'CR' }]));
    now = (await alice.get(`/api/deposits/${d.id}`)).body.deposit;
    expect(now.status).toBe('paid');
    await importStatement(bcaStatement([{ date: today, text: `TRSF CR ${d.referenceCode} LAGI`, amount: 100_000_000n, mark: 'CR' }]));
    now = (await alice.get(`/api/deposits/${d.id}`)).body.deposit;
    expect(now).toMatchObject({ status: 'paid', overpaid: { amount: '100000000' } });
    expect(await walletAvailable(alice)).toBe(before + due + 100_000_000n);
    await expectLedgerClean();
  });

  it('a payment after the deposit expired is credited to the wallet, never lost', async () => {
    const d = await deposit(bob, 3_000_000);
    await db().updateTable('deposit_intents').set({ expires_at: new Date(Date.now() - 60_000) }).where('id', '=', d.id).execute();
    expect(await db().transaction().execute((tx) => expireDeposits(tx, systemActor))).toBeGreaterThanOrEqual(1);
    const before = await walletAvailable(bob);
    const late = new Date(Date.now() + 2 * 86400_000);
    const res = await importStatement(bcaStatement([{ date: jakartaToday(late), text: 'TRSF CR BOB TELAT', amount: BigInt(d.amountDue.amount), mark: 'CR' }]));
    expect(res.body.import).toMatchObject({ creditsMatched: 1 });
    const detail = await db().selectFrom('bank_statement_lines').select(['match_kind', 'match_reason']).where('deposit_id', '=', d.id).executeTakeFirstOrThrow();
    expect(detail.match_kind).toBe('late_unique_amount');
    expect(detail.match_reason).toMatch(/late payment/);
    expect(await walletAvailable(bob)).toBe(before + BigInt(d.amountDue.amount));
    expect((await bob.get(`/api/deposits/${d.id}`)).body).toMatchObject({ deposit: { status: 'expired' }, credits: [{ late: true }] });
    await expectLedgerClean();
  });

  it('two finance users importing the same file at once credit it once', async () => {
    const d = await deposit(alice, 1_111_000);
    const before = await walletAvailable(alice);
    const content = bcaStatement([
      { date: today, text: 'TRSF CR ALICE SAMA', amount: BigInt(d.amountDue.amount), mark: 'CR' },
      { date: today, text: 'TRSF CR ENTAH SIAPA', amount: 77_700n, mark: 'CR' },
    ]);
    const suspenseBefore = await suspenseBalance();
    const results = await Promise.all([importStatement(content), importStatement(content, {}, finance2)]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.import.linesNew).sort()).toEqual([0, 2]);
    expect(await walletAvailable(alice)).toBe(before + BigInt(d.amountDue.amount));
    expect(await suspenseBalance()).toBe(suspenseBefore + 77_700n);
    await expectLedgerClean();
  });

  it('a wrong-bank or partly bad file imports nothing and names the line and column; skipping bad lines is explicit', async () => {
    const count = async () => (await db().selectFrom('bank_statement_lines').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const mandiri = 'Tanggal,Keterangan,Referensi,Debit,Kredit,Saldo\n02/11/2026,SETORAN,REF1,,"1.500.000,00","11.500.000,00"\n';
    const wrong = await importStatement(mandiri);
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('statement_rejected');
    expect(wrong.body.problems[0]).toMatchObject({ line: 1 });
    const good = bcaStatement([{ date: today, text: 'TRSF CR BAIK', amount: 123_400n, mark: 'CR' }]);
    const partly = `${good}\n'${today.slice(8, 10)}/${today.slice(5, 7)},TRSF CR RUSAK,0000,"12,34x.00 CR","1.00"`;
    const bad = await importStatement(partly);
    expect(bad.status).toBe(422);
    expect(bad.body.problems).toEqual([{ line: 6, column: 'Jumlah', message: expect.stringMatching(/not an amount/) }]);
    expect(await count()).toBe(before);
    const preview = await finance.post('/api/staff/funding/statements/preview', { bankAccountId: bankId, fileName: 'x.csv', content: partly, skipBadLines: true });
    expect(preview.body.problems).toHaveLength(1);
    const skipped = await importStatement(partly, { skipBadLines: true });
    expect(skipped.status).toBe(201);
    expect(skipped.body.import).toMatchObject({ linesNew: 1, linesSkipped: 1, skipped: [{ line: 6, column: 'Jumlah' }] });
    expect(Number(await count())).toBe(Number(before) + 1);
    await expectLedgerClean();
  });

  it('suspense money is assigned or returned by finance; above the threshold a second finance user must approve', async () => {
    const content = bcaStatement([
      { date: today, text: 'TRSF CR KECIL TANPA KODE', amount: 250_000_00n, mark: 'CR' },
      { date: today, text: 'TRSF CR BESAR TANPA KODE', amount: 90_000_000_00n, mark: 'CR' },
      { date: today, text: 'TRSF CR SALAH TRANSFER', amount: 99_900n, mark: 'CR' },
    ]);
    await importStatement(content);
    const review = (await finance.get('/api/staff/funding/review')).body.lines as { id: string; description: string }[];
    const small = review.find((l) => l.description === 'TRSF CR KECIL TANPA KODE')!;
    const big = review.find((l) => l.description === 'TRSF CR BESAR TANPA KODE')!;
    const wrong = review.find((l) => l.description === 'TRSF CR SALAH TRANSFER')!;
    const aliceBefore = await walletAvailable(alice);
    const suspenseBefore = await suspenseBalance();

    expect((await ops.post(`/api/staff/funding/lines/${small.id}/decision`, { action: 'assign', customerId: aliceId, note: 'Alice confirmed by WhatsApp' })).status).toBe(403);
    const assigned = await finance.post(`/api/staff/funding/lines/${small.id}/decision`, { action: 'assign', customerId: aliceId, note: 'Alice confirmed by WhatsApp' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.decision.status).toBe('done');
    expect(await walletAvailable(alice)).toBe(aliceBefore + 250_000_00n);
    expect((await finance.post(`/api/staff/funding/lines/${small.id}/decision`, { action: 'return', returnReference: 'X123', note: 'second time' })).body.code).toBe('line_not_in_review');

    const pending = await finance.post(`/api/staff/funding/lines/${big.id}/decision`, { action: 'assign', customerId: bobId, note: 'Bob sent the transfer slip' });
    expect(pending.status).toBe(202);
    expect(pending.body.decision.status).toBe('pending_approval');
    const self = await finance.post(`/api/staff/funding/decisions/${pending.body.decision.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('second_person_required');
    const bobBefore = await walletAvailable(bob);
    const approved = await finance2.post(`/api/staff/funding/decisions/${pending.body.decision.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.decision).toMatchObject({ status: 'done', decidedBy: expect.any(String) });
    expect(await walletAvailable(bob)).toBe(bobBefore + 90_000_000_00n);

    const returned = await finance.post(`/api/staff/funding/lines/${wrong.id}/decision`, { action: 'return', returnReference: 'RTR-2311-01', note: 'Wrong recipient, sent back' });
    expect(returned.body.decision.status).toBe('done');
    expect(await suspenseBalance()).toBe(suspenseBefore - 250_000_00n - 90_000_000_00n - 99_900n);
    const audit = await db().selectFrom('audit_log').select('action').where('object_id', 'in', [small.id, big.id, wrong.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['funding.suspense_assigned', 'funding.suspense_returned', 'funding.suspense_decision_requested']));
    await expectLedgerClean();
  });

  it('Xendit callbacks: forged token refused, payment credited once under replays and concurrency, stale refused', async () => {
    const res = await alice.post('/api/deposits', { amount: idr(4_000_000), method: 'virtual_account', virtualAccountBank: 'BNI' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const d = res.body.deposit;
    expect(d.virtualAccount).toMatchObject({ gateway: 'xendit', bankCode: 'BNI' });
    expect(d.amountDue).toEqual(idr(4_000_000));
    expect(xendit.created.at(-1)).toMatchObject({ external_id: d.id, expected_amount: 4_000_000, is_closed: true });
    const before = await walletAvailable(alice);
    const callback = {
      id: 'cb_1', payment_id: `pay_${d.id}`, callback_virtual_account_id: 'va_x', external_id: d.id, account_number: d.virtualAccount.number,
      bank_code: 'BNI', amount: 4_000_000, transaction_timestamp: new Date().toISOString(), merchant_code: '88608', owner_id: 'owner',
    };
    const anon = tp.client();
    const forged = await anon.post('/api/gateway/xendit/va-callback', callback, { headers: { 'x-callback-token': 'test-callback-token-0123456780' } });
    expect(forged.status).toBe(401);
    expect((await anon.post('/api/gateway/xendit/va-callback', callback)).status).toBe(401);
    expect(await walletAvailable(alice)).toBe(before);

    const results = await Promise.all(Array.from({ length: 8 }, () => anon.post('/api/gateway/xendit/va-callback', callback, { headers: { 'x-callback-token': CALLBACK_TOKEN } })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.filter((r) => !r.body.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.entryId)).size).toBe(1);
    expect(await walletAvailable(alice)).toBe(before + 400_000_000n);
    expect((await alice.get(`/api/deposits/${d.id}`)).body.deposit.status).toBe('paid');

    const stale = await anon.post('/api/gateway/xendit/va-callback', { ...callback, payment_id: 'pay_old', transaction_timestamp: new Date(Date.now() - 30 * 86400_000).toISOString() }, { headers: { 'x-callback-token': CALLBACK_TOKEN } });
    expect(stale.status).toBe(400);
    expect(stale.body.code).toBe('gateway_callback_stale');
    const trace = await db().selectFrom('audit_log').select(['data']).where('action', '=', 'funding.gateway_callback_refused').execute();
    expect(trace.map((t) => (t.data as { paymentId: string }).paymentId)).toContain('pay_old');

    // A virtual-account deposit is paid through the gateway only: a statement line of the
    // same round amount is somebody else's money, and two VAs may expect the same amount.
    const [va1, va2] = await Promise.all([alice.post('/api/deposits', { amount: idr(6_000_000), method: 'virtual_account' }), bob.post('/api/deposits', { amount: idr(6_000_000), method: 'virtual_account' })]);
    expect([va1.status, va2.status]).toEqual([201, 201]);
    const plain = await importStatement(bcaStatement([{ date: today, text: `SETORAN TUNAI TOKO LAIN ${va1.body.deposit.virtualAccount.number}`, amount: 600_000_000n, mark: 'CR' }]));
    expect(plain.body.import).toMatchObject({ creditsMatched: 0, creditsReview: 1 });
    expect((await alice.get(`/api/deposits/${va1.body.deposit.id}`)).body.deposit.status).toBe('open');
    const changed = await anon.post('/api/gateway/xendit/va-callback', { ...callback, amount: 5_000_000 }, { headers: { 'x-callback-token': CALLBACK_TOKEN } });
    expect(changed.status).toBe(409);
    expect(await walletAvailable(alice)).toBe(before + 400_000_000n);
    await expectLedgerClean();
  });

  it('withdrawals hold the money from request to payout; proof is checked by content; nobody else sees them', async () => {
    const available = await walletAvailable(bob);
    const tooMuch = await bob.post('/api/withdrawals', { amount: { amount: (available + 100n).toString(), currency: 'IDR' }, bankName: 'BCA', accountNumber: '5550001111', holderName: 'Bob' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('insufficient_funds');

    const first = await bob.post('/api/withdrawals', { amount: idr(1_000_000), bankName: 'BCA', accountNumber: '555-000-1111', holderName: 'Bob Santoso' });
    expect(first.status).toBe(201);
    expect(await walletAvailable(bob)).toBe(available - 100_000_000n);
    expect((await alice.post(`/api/withdrawals/${first.body.withdrawal.id}/cancel`)).status).toBe(404);
    expect((await bob.post(`/api/withdrawals/${first.body.withdrawal.id}/cancel`)).body.withdrawal.status).toBe('cancelled');
    expect(await walletAvailable(bob)).toBe(available);

    const w = (await bob.post('/api/withdrawals', { amount: idr(2_000_000), bankName: 'BCA', accountNumber: '5550001111', holderName: 'Bob Santoso' })).body.withdrawal;
    expect((await bob.post(`/api/staff/funding/withdrawals/${w.id}/approve`)).status).toBe(403);
    const proofJson = { fileName: '付款凭证.png', contentBase64: PNG.toString('base64') };
    expect((await finance.post(`/api/staff/funding/withdrawals/${w.id}/paid`, { bankAccountId: bankId, reference: 'TRF-1', proof: proofJson })).body.code).toBe('invalid_state');
    expect((await finance.post(`/api/staff/funding/withdrawals/${w.id}/approve`)).body.withdrawal.status).toBe('approved');
    expect((await bob.post(`/api/withdrawals/${w.id}/cancel`)).body.code).toBe('invalid_state');

    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
    const renamed = await finance.post(`/api/staff/funding/withdrawals/${w.id}/paid`, { bankAccountId: bankId, reference: 'TRF-2', proof: { fileName: 'bukti.png', contentBase64: exe.toString('base64') } });
    expect(renamed.status).toBe(422);
    expect(renamed.body.code).toBe('file_rejected');
    expect((await finance.get(`/api/staff/funding/withdrawals?status=approved`)).body.withdrawals.map((x: { id: string }) => x.id)).toContain(w.id);

    const bankBefore = await db().selectFrom('ledger_accounts').select(['debits_posted', 'credits_posted']).where('id', '=', bankId).executeTakeFirstOrThrow();
    const noProof = await finance.post(`/api/staff/funding/withdrawals/${w.id}/paid`, { bankAccountId: bankId, reference: 'TRF-2' });
    expect(noProof.status).toBe(400);
    const paid = await finance.post(`/api/staff/funding/withdrawals/${w.id}/paid`, { bankAccountId: bankId, reference: 'TRF-2', proof: proofJson });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.withdrawal).toMatchObject({ status: 'paid', payoutReference: 'TRF-2' });
    expect(paid.body.proof).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length });
    const bankAfter = await db().selectFrom('ledger_accounts').select(['debits_posted', 'credits_posted']).where('id', '=', bankId).executeTakeFirstOrThrow();
    expect(bankAfter.credits_posted - bankBefore.credits_posted).toBe(200_000_000n);
    expect(await walletAvailable(bob)).toBe(available - 200_000_000n);
    const proof = await bob.get(`/api/documents/${paid.body.proof.id}`);
    expect(proof.status).toBe(200);
    expect(proof.headers.get('content-type')).toBe('image/png');
    // An image opens in the browser; the Chinese name survives (RFC 5987) with an ASCII fallback.
    expect(proof.headers.get('content-disposition')).toBe(`inline; filename="____.png"; filename*=UTF-8''${encodeURIComponent('付款凭证.png')}`);
    const warehouseUser = await createStaffUser(tp, 'warehouse', { totp: true });
    const warehouse = tp.client();
    await signIn(warehouse, warehouseUser.user.email, { totpSecret: warehouseUser.secret! });
    expect((await warehouse.get(`/api/documents/${paid.body.proof.id}`)).status).toBe(403);
    expect((await finance.get(`/api/documents/${paid.body.proof.id}`)).status).toBe(200);
    expect((await alice.get(`/api/documents/${paid.body.proof.id}`)).status).toBe(404);
    expect((await bob.get('/api/withdrawals')).body.withdrawals[0]).toMatchObject({ id: w.id, status: 'paid' });
    await expectLedgerClean();
  });

  it('staff routes need the right role: importers none, ops read-only, admin configures banks', async () => {
    expect((await alice.get('/api/staff/funding/review')).status).toBe(403);
    expect((await alice.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'x', content: 'x' })).status).toBe(403);
    expect((await ops.get('/api/staff/funding/review')).status).toBe(200);
    expect((await ops.post('/api/staff/funding/statements', { bankAccountId: bankId, fileName: 'x', content: 'x' })).status).toBe(403);
    expect((await finance.put(`/api/staff/funding/bank-accounts/${bankId}`, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'X', statementFormat: 'bca-csv', acceptsDeposits: true })).status).toBe(403);
    const bad = await admin.put(`/api/staff/funding/bank-accounts/${bankId}`, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Jembatan Test', statementFormat: 'nope', acceptsDeposits: true });
    expect(bad.status).toBe(400);
    const ok = await admin.put(`/api/staff/funding/bank-accounts/${bankId}`, { bankCode: 'BCA', accountNumber: '123-456-7890', holderName: 'PT Jembatan Test', statementFormat: 'bca-csv', acceptsDeposits: true });
    expect(ok.status).toBe(200);
    expect(ok.body.bankAccount).toMatchObject({ accountNumber: '1234567890', statementFormat: 'bca-csv' });
    const imports = await ops.get('/api/staff/funding/statements');
    expect(imports.body.imports.length).toBeGreaterThan(3);
    const one = await ops.get(`/api/staff/funding/statements/${imports.body.imports[0].id}`);
    expect(one.body.lines.length).toBeGreaterThan(0);
  });
});
