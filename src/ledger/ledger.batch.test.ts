import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { systemActor } from '../audit/audit.ts';
import { migrateToLatest } from '../db/database.ts';
import { Money } from '../money/money.ts';
import { sql } from 'kysely';
import { balanceOf, createCompanyAccount, ensureCustomerWallet, ensureCustomerWallets, getAccount, SYSTEM_ACCOUNTS, type LedgerAccount } from './accounts.ts';
import { createEntries, createEntry, type EntryInput } from './entries.ts';
import { accountStatement } from './statement.ts';
import { verifyLedger } from './verify.ts';

const idr = (minor: number | bigint) => Money.of(BigInt(minor), 'IDR');

describe.each(databaseTargets)('batch ledger writes on $name', (target) => {
  let database: TestDatabase;
  let bank: LedgerAccount;
  let counter = 0;

  beforeAll(async () => {
    database = await target.open();
    await migrateToLatest(database.db);
    bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'bca-batch', name: 'BCA batch', currency: 'IDR' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('writes what one-by-one entries would: same balances, running balances on every statement line', async () => {
    const db = database.db;
    const wallets = await ensureCustomerWallets(db, ['cus_b1', 'cus_b2', 'cus_b3'], 'IDR');
    expect(wallets.size).toBe(3);
    const ids = [...wallets.values()];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 5_000_000 })), { minLength: 1, maxLength: 40 }), async (moves) => {
        const before = await Promise.all(ids.map(async (id) => balanceOf(await getAccount(db, id)).posted.minor));
        const inputs: EntryInput[] = moves.map(([w, amount]) => ({ idempotencyKey: `batch-${++counter}`, reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: ids[w]!, amount: idr(amount) }] }));
        const written = await db.transaction().execute((tx) => createEntries(tx, systemActor, inputs));
        expect(written).toHaveLength(inputs.length);
        for (const [i, id] of ids.entries()) {
          const expected = before[i]! + moves.filter(([w]) => w === i).reduce((s, [, a]) => s + BigInt(a), 0n);
          expect(balanceOf(await getAccount(db, id)).posted.minor).toBe(expected);
          // The statement's running balance of each line equals the balance after it.
          const st = await accountStatement(db, await getAccount(db, id), { limit: 500 });
          let running = expected;
          for (const line of st.lines) {
            expect(line.balance.minor).toBe(running);
            running -= line.amount.minor;
          }
        }
      }),
      { numRuns: 25 },
    );
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  it('entries of several postings, an account on both sides of one batch: balances and running balances as if written one by one', async () => {
    const db = database.db;
    const accounts = [SYSTEM_ACCOUNTS.capitalIdr, SYSTEM_ACCOUNTS.fxPositionIdr, SYSTEM_ACCOUNTS.revenueFee, SYSTEM_ACCOUNTS.revenueSpread];
    const posting = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9_000_000 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(posting, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 30 }), async (entries) => {
        const before = await Promise.all(accounts.map(async (id) => (await getAccount(db, id)).debits_posted - (await getAccount(db, id)).credits_posted));
        const net = [...before];
        const inputs: EntryInput[] = entries.map((postings) => ({
          idempotencyKey: `multi-${++counter}`,
          reason: 'adjustment',
          postings: postings.map(([d, step, amount]) => {
            const c = (d + step) % 4;
            net[d]! += BigInt(amount);
            net[c]! -= BigInt(amount);
            return { debitAccountId: accounts[d]!, creditAccountId: accounts[c]!, amount: idr(amount) };
          }),
        }));
        await db.transaction().execute((tx) => createEntries(tx, systemActor, inputs));
        for (const [i, id] of accounts.entries()) {
          const account = await getAccount(db, id);
          expect(account.debits_posted - account.credits_posted).toBe(net[i]);
          const st = await accountStatement(db, account, { limit: 500 });
          let running = balanceOf(account).posted.minor;
          for (const line of st.lines) {
            expect(line.balance.minor).toBe(running);
            running -= line.amount.minor;
          }
        }
      }),
      { numRuns: 20 },
    );
    expect((await verifyLedger(db)).ok).toBe(true);
  });

  it('the batch function refuses accounts arrays that do not match the postings, and writes nothing', async () => {
    const db = database.db;
    const entriesBefore = (await verifyLedger(db)).entries;
    // One posting of 100 from capital to fees, but the balance changes claim 99.
    const call = (dp: string) =>
      sql`select ledger_write_entries('{je_x}', '{bad-batch}', '{h}', '{adjustment}', '{NULL}', '{NULL}', '{NULL}', '{NULL}',
        '{je_x}', '{0}', ${`{${SYSTEM_ACCOUNTS.capitalIdr}}`}::text[], ${`{${SYSTEM_ACCOUNTS.revenueFee}}`}::text[], '{1}', '{2}', '{100}', '{IDR}',
        ${`{${SYSTEM_ACCOUNTS.capitalIdr},${SYSTEM_ACCOUNTS.revenueFee}}`}::text[], '{IDR,IDR}', ${dp}::bigint[], '{0,100}', 'system', null, null)`.execute(db);
    await expect(call('{99,0}')).rejects.toThrow(/do not match the postings/);
    expect((await verifyLedger(db)).entries).toBe(entriesBefore);
  });

  it('refuses the whole batch when one entry would overdraw, or a key exists; nothing is written', async () => {
    const db = database.db;
    const w = await ensureCustomerWallet(db, 'cus_b9', 'IDR');
    await createEntry(db, systemActor, { idempotencyKey: 'b9-in', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: w.id, amount: idr(1000) }] });
    const entriesBefore = (await verifyLedger(db)).entries;
    const overdraw: EntryInput[] = [
      { idempotencyKey: 'b9-a', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: w.id, amount: idr(500) }] },
      { idempotencyKey: 'b9-b', reason: 'refund', postings: [{ debitAccountId: w.id, creditAccountId: bank.id, amount: idr(1600) }] },
    ];
    await expect(db.transaction().execute((tx) => createEntries(tx, systemActor, overdraw))).rejects.toMatchObject({ code: 'insufficient_funds' });
    await expect(db.transaction().execute((tx) => createEntries(tx, systemActor, [{ ...overdraw[0]!, idempotencyKey: 'b9-in' }]))).rejects.toMatchObject({ code: 'idempotency_conflict' });
    await expect(createEntries(db, systemActor, [overdraw[0]!, overdraw[0]!])).rejects.toMatchObject({ code: 'validation_failed' });
    const cnyWallet = await ensureCustomerWallet(db, 'cus_b9', 'CNY');
    await expect(createEntries(db, systemActor, [{ idempotencyKey: 'b9-c', reason: 'x_y', postings: [{ debitAccountId: bank.id, creditAccountId: cnyWallet.id, amount: idr(1) }] }])).rejects.toMatchObject({ code: 'currency_mismatch' });
    expect((await verifyLedger(db)).entries).toBe(entriesBefore);
    expect(balanceOf(await getAccount(db, w.id)).posted.minor).toBe(1000n);
  });
});
