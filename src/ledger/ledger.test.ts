import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { systemActor } from '../audit/audit.ts';
import { migrateToLatest } from '../db/database.ts';
import { Money } from '../money/money.ts';
import { balanceOf, createCompanyAccount, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS, type LedgerAccount } from './accounts.ts';
import { createEntry, createHold, getEntry, holdStatus, postHold, reverseEntry, voidHold } from './entries.ts';
import { activeHolds, accountStatement } from './statement.ts';
import { verifyLedger } from './verify.ts';

const idr = (rupiah: number) => Money.of(BigInt(rupiah) * 100n, 'IDR');
const cny = (yuan: number) => Money.of(BigInt(yuan) * 100n, 'CNY');

describe.each(databaseTargets)('ledger on $name', (target) => {
  let database: TestDatabase;
  let bank: LedgerAccount;
  let float: LedgerAccount;
  let counter = 0;
  const key = (tag: string) => `${tag}-${++counter}`;

  beforeAll(async () => {
    database = await target.open();
    await migrateToLatest(database.db);
    bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'bca-ops', name: 'BCA operasional', currency: 'IDR' });
    float = await createCompanyAccount(database.db, systemActor, { type: 'float', slug: 'alipay-1', name: 'Alipay float', currency: 'CNY' });
  });
  afterAll(async () => {
    await database?.close();
  });

  async function wallet(customer: string) {
    return ensureCustomerWallet(database.db, customer, 'IDR');
  }
  async function balance(id: string) {
    return balanceOf(await getAccount(database.db, id));
  }
  async function deposit(walletId: string, rupiah: number) {
    return createEntry(database.db, systemActor, { idempotencyKey: key('dep'), reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: walletId, amount: idr(rupiah) }] });
  }

  it('has the chart of accounts of DESIGN.md', async () => {
    const rows = await database.db.selectFrom('ledger_accounts').select(['code', 'currency']).where('owner_type', 'is', null).orderBy('code').orderBy('currency').execute();
    expect(rows.map((r) => `${r.code} ${r.currency}`)).toEqual(
      expect.arrayContaining(['fx:position CNY', 'fx:position IDR', 'payable:supplier CNY', 'revenue:fee IDR', 'revenue:fx-spread IDR', 'suspense:unmatched IDR', 'bank:bca-ops IDR', 'float:alipay-1 CNY']),
    );
  });

  it('posts a deposit and keeps balances in the account row', async () => {
    const w = await wallet('cus_a');
    const { entry, postings, replayed } = await deposit(w.id, 1_000_000);
    expect(replayed).toBe(false);
    expect(entry.kind).toBe('posted');
    expect(postings).toHaveLength(1);
    expect((await balance(w.id)).posted.minor).toBe(100_000_000n);
    expect((await balance(bank.id)).posted.minor).toBeGreaterThanOrEqual(100_000_000n);
  });

  it('is idempotent: same key and content returns the original; different content is a conflict', async () => {
    const w = await wallet('cus_idem');
    const input = { idempotencyKey: 'dep-fixed-1', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: w.id, amount: idr(500) }] };
    const first = await createEntry(database.db, systemActor, input);
    const again = await createEntry(database.db, systemActor, input);
    expect(again.replayed).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect((await balance(w.id)).posted.minor).toBe(50_000n);
    await expect(createEntry(database.db, systemActor, { ...input, postings: [{ ...input.postings[0]!, amount: idr(501) }] })).rejects.toMatchObject({ code: 'idempotency_conflict' });
  });

  it('refuses to overdraw a no-overdraft account, and changes nothing', async () => {
    const w = await wallet('cus_poor');
    await deposit(w.id, 100);
    const before = await verifyLedger(database.db);
    await expect(
      createEntry(database.db, systemActor, { idempotencyKey: key('spend'), reason: 'payout', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(101) }] }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect((await balance(w.id)).posted.minor).toBe(10_000n);
    const after = await verifyLedger(database.db);
    expect(after.entries).toBe(before.entries);
    expect(after.ok).toBe(true);
  });

  it('refuses mixed currencies and unknown accounts', async () => {
    const w = await wallet('cus_mix');
    await expect(
      createEntry(database.db, systemActor, { idempotencyKey: key('mix'), reason: 'deposit', postings: [{ debitAccountId: float.id, creditAccountId: w.id, amount: cny(1) }] }),
    ).rejects.toMatchObject({ code: 'currency_mismatch' });
    await expect(
      createEntry(database.db, systemActor, { idempotencyKey: key('ghost'), reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: 'acc_nope', amount: idr(1) }] }),
    ).rejects.toMatchObject({ code: 'account_not_found' });
    await expect(
      createEntry(database.db, systemActor, { idempotencyKey: key('zero'), reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: w.id, amount: idr(0) }] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('converts IDR to CNY in one atomic entry through the FX position accounts', async () => {
    const w = await wallet('cus_fx');
    await deposit(w.id, 2_400_000);
    const { postings } = await createEntry(database.db, systemActor, {
      idempotencyKey: key('conv'),
      reason: 'conversion',
      reference: { type: 'payment_order', id: 'po_test' },
      postings: [
        { debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(2_350_000) },
        { debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.revenueFee, amount: idr(50_000) },
        { debitAccountId: SYSTEM_ACCOUNTS.fxPositionCny, creditAccountId: SYSTEM_ACCOUNTS.payableSupplier, amount: cny(1_000) },
      ],
    });
    expect(postings.map((p) => p.currency)).toEqual(['IDR', 'IDR', 'CNY']);
    expect((await balance(w.id)).posted.minor).toBe(0n);
    expect((await balance(SYSTEM_ACCOUNTS.payableSupplier)).posted.minor).toBeGreaterThanOrEqual(100_000n);
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it('holds funds, then posts part of the hold exactly once and releases the rest', async () => {
    const w = await wallet('cus_hold');
    await deposit(w.id, 1_000);
    const hold = await createHold(database.db, systemActor, { idempotencyKey: key('hold'), reason: 'escrow', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(800) }] });
    let b = await balance(w.id);
    expect(b.posted.minor).toBe(100_000n);
    expect(b.pendingOut.minor).toBe(80_000n);
    expect(b.available.minor).toBe(20_000n);
    // The held money cannot be spent twice.
    await expect(
      createEntry(database.db, systemActor, { idempotencyKey: key('spend'), reason: 'payout', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(300) }] }),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await activeHolds(database.db, await getAccount(database.db, w.id))).toHaveLength(1);

    const posted = await postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id, amounts: [idr(300)] });
    expect(posted.entry.kind).toBe('post_pending');
    b = await balance(w.id);
    expect(b.posted.minor).toBe(70_000n);
    expect(b.pendingOut.minor).toBe(0n);
    expect(await holdStatus(database.db, hold.entry)).toBe('posted');
    await expect(postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id })).rejects.toMatchObject({ code: 'hold_already_resolved' });
    await expect(voidHold(database.db, systemActor, { idempotencyKey: key('void'), holdId: hold.entry.id })).rejects.toMatchObject({ code: 'hold_already_resolved' });
    await expect(postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id, amounts: [idr(900)] })).rejects.toMatchObject({ code: 'hold_already_resolved' });
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it('refuses to post more than was held', async () => {
    const w = await wallet('cus_over');
    await deposit(w.id, 1_000);
    const hold = await createHold(database.db, systemActor, { idempotencyKey: key('hold'), reason: 'escrow', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(500) }] });
    await expect(postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id, amounts: [idr(501)] })).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await balance(w.id)).pendingOut.minor).toBe(50_000n);
  });

  it('voids a hold and gives the money back to available', async () => {
    const w = await wallet('cus_void');
    await deposit(w.id, 1_000);
    const hold = await createHold(database.db, systemActor, { idempotencyKey: key('hold'), reason: 'payout_reserve', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(1_000) }] });
    expect((await balance(w.id)).available.minor).toBe(0n);
    const voided = await voidHold(database.db, systemActor, { idempotencyKey: key('void'), holdId: hold.entry.id, reason: 'cancelled' });
    expect(voided.postings).toHaveLength(0);
    expect((await balance(w.id)).available.minor).toBe(100_000n);
    expect(await holdStatus(database.db, hold.entry)).toBe('voided');
  });

  it('expires a hold: it can no longer be posted and the job voids it', async () => {
    const w = await wallet('cus_exp');
    await deposit(w.id, 1_000);
    const hold = await createHold(database.db, systemActor, {
      idempotencyKey: key('hold'),
      reason: 'escrow',
      expiresAt: new Date(Date.now() + 60_000),
      postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(400) }],
    });
    // Time passes (the stored expiry moves into the past; triggers forbid updates, so bypass them for the test).
    await sql`alter table journal_entries disable trigger journal_entries_append_only`.execute(database.db);
    await sql`update journal_entries set expires_at = now() - interval '1 second' where id = ${hold.entry.id}`.execute(database.db);
    await sql`alter table journal_entries enable trigger journal_entries_append_only`.execute(database.db);
    await expect(postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id })).rejects.toMatchObject({ code: 'hold_expired' });

    const { buildJobRegistry } = await import('../app/jobs.ts');
    const { ConsoleMailer } = await import('../notify/mailer.ts');
    const registry = buildJobRegistry({ mailer: new ConsoleMailer('x', () => {}) });
    const pino = (await import('pino')).default;
    const handler = registry.handlers.get('ledger.expire_holds')!;
    await handler({}, { db: database.db, logger: pino({ level: 'silent' }), job: { id: 'job_x', name: 'ledger.expire_holds', payload: {}, attempts: 1, max_attempts: 1 } });
    expect(await holdStatus(database.db, (await getEntry(database.db, hold.entry.id)).entry)).toBe('expired');
    expect((await balance(w.id)).available.minor).toBe(100_000n);
  });

  it('reverses an entry once, pointing at the original', async () => {
    const w = await wallet('cus_rev');
    const dep = await deposit(w.id, 700);
    const rev = await reverseEntry(database.db, systemActor, { idempotencyKey: key('rev'), entryId: dep.entry.id, reason: 'deposit_reversed' });
    expect(rev.entry.reverses_id).toBe(dep.entry.id);
    expect(rev.postings[0]).toMatchObject({ debit_account_id: w.id, credit_account_id: bank.id, amount: 70_000n });
    expect((await balance(w.id)).posted.minor).toBe(0n);
    await expect(reverseEntry(database.db, systemActor, { idempotencyKey: key('rev'), entryId: dep.entry.id })).rejects.toMatchObject({ code: 'entry_already_reversed' });
    await expect(reverseEntry(database.db, systemActor, { idempotencyKey: key('rev'), entryId: rev.entry.id })).rejects.toMatchObject({ code: 'entry_not_reversible' });
  });

  it('refuses a reversal that would overdraw (the money was spent)', async () => {
    const w = await wallet('cus_spent');
    const dep = await deposit(w.id, 100);
    await createEntry(database.db, systemActor, { idempotencyKey: key('spend'), reason: 'payout', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(60) }] });
    await expect(reverseEntry(database.db, systemActor, { idempotencyKey: key('rev'), entryId: dep.entry.id })).rejects.toMatchObject({ code: 'insufficient_funds' });
  });

  it('keeps the journal append-only in the database itself', async () => {
    const w = await wallet('cus_immutable');
    const dep = await deposit(w.id, 5);
    await expect(sql`update postings set amount = 1 where entry_id = ${dep.entry.id}`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from journal_entries where id = ${dep.entry.id}`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('gives a statement with running balance and cursor pagination', async () => {
    const w = await wallet('cus_stmt');
    for (let i = 1; i <= 7; i++) await deposit(w.id, i * 10);
    await createEntry(database.db, systemActor, { idempotencyKey: key('spend'), reason: 'payout', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(25) }] });
    const account = await getAccount(database.db, w.id);
    const page1 = await accountStatement(database.db, account, { limit: 3 });
    expect(page1.lines.map((l) => l.amount.minor)).toEqual([-2_500n, 7_000n, 6_000n]);
    expect(page1.lines.map((l) => l.balance.minor)).toEqual([25_500n, 28_000n, 21_000n]);
    const page2 = await accountStatement(database.db, account, { limit: 3, before: BigInt(page1.nextCursor!) });
    expect(page2.lines.map((l) => l.balance.minor)).toEqual([15_000n, 10_000n, 6_000n]);
    const page3 = await accountStatement(database.db, account, { limit: 3, before: BigInt(page2.nextCursor!) });
    expect(page3.lines.map((l) => l.balance.minor)).toEqual([3_000n, 1_000n]);
    expect(page3.nextCursor).toBeNull();
    expect(page1.lines[0]!.balance.minor).toBe((await balance(w.id)).posted.minor);
  });

  it('verify finds a tampered balance', async () => {
    expect((await verifyLedger(database.db)).ok).toBe(true);
    const w = await wallet('cus_tamper');
    await deposit(w.id, 10);
    await sql`update ledger_accounts set credits_posted = credits_posted + 1 where id = ${w.id}`.execute(database.db);
    const report = await verifyLedger(database.db);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['balance_mismatch', 'unbalanced_currency']));
    await sql`update ledger_accounts set credits_posted = credits_posted - 1 where id = ${w.id}`.execute(database.db);
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });

  it('keeps running balances through multi-posting entries and holds, and verify finds a tampered one', async () => {
    const w = await wallet('cus_running');
    await deposit(w.id, 100);
    // The wallet twice in one entry, a hold (pending: no move of the posted balance), its partial post.
    const two = await createEntry(database.db, systemActor, {
      idempotencyKey: key('two'),
      reason: 'payout',
      postings: [
        { debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(30) },
        { debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.revenueFee, amount: idr(5) },
      ],
    });
    const hold = await createHold(database.db, systemActor, { idempotencyKey: key('hold'), reason: 'escrow', postings: [{ debitAccountId: w.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(40) }] });
    await postHold(database.db, systemActor, { idempotencyKey: key('post'), holdId: hold.entry.id, amounts: [idr(15)] });
    const lines = (await accountStatement(database.db, await getAccount(database.db, w.id), { limit: 10 })).lines;
    expect(lines.map((l) => l.balance.minor)).toEqual([5_000n, 6_500n, 7_000n, 10_000n]);
    expect(two.postings.map((p) => p.debit_net_after)).toEqual([-7_000n, -6_500n]);
    expect((await verifyLedger(database.db)).problems).toEqual([]);

    // Postings are append-only; only a test switches the guard off to tamper with one.
    await database.db.transaction().execute(async (tx) => {
      await sql`alter table postings disable trigger postings_append_only`.execute(tx);
      await sql`update postings set credit_net_after = credit_net_after + 1 where id = ${two.postings[1]!.id}`.execute(tx);
      await sql`alter table postings enable trigger postings_append_only`.execute(tx);
    });
    const report = await verifyLedger(database.db);
    expect(report.problems.map((p) => p.kind)).toEqual(['running_balance_mismatch']);
    await database.db.transaction().execute(async (tx) => {
      await sql`alter table postings disable trigger postings_append_only`.execute(tx);
      await sql`update postings set credit_net_after = credit_net_after - 1 where id = ${two.postings[1]!.id}`.execute(tx);
      await sql`alter table postings enable trigger postings_append_only`.execute(tx);
    });
    expect((await verifyLedger(database.db)).ok).toBe(true);
  });
});
