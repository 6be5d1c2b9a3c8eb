import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { systemActor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { Money } from '../money/money.ts';
import { balanceOf, createCompanyAccount, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from './accounts.ts';
import { createEntry, createHold, postHold, voidHold } from './entries.ts';
import { verifyLedger } from './verify.ts';

const idr = (rupiah: bigint) => Money.of(rupiah * 100n, 'IDR');

async function settle<T>(calls: (() => Promise<T>)[]) {
  const results = await Promise.allSettled(calls.map((c) => c()));
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  return { ok, errors };
}

describe.each(databaseTargets)('ledger under concurrent writers on $name', (target) => {
  let database: TestDatabase;
  /** For PostgreSQL, a second pool: writers on separate connections, as several API processes would be. */
  let secondPool: TestDatabase | undefined;

  beforeAll(async () => {
    database = await target.open();
    await migrateToLatest(database.db);
    if (database.url) secondPool = await openDatabase({ databaseUrl: database.url, poolSize: 8 });
  });
  afterAll(async () => {
    await secondPool?.close();
    await database?.close();
  });

  const dbFor = (i: number) => (secondPool && i % 2 === 1 ? secondPool.db : database.db);

  it('200 concurrent spends against a wallet that affords only some: exactly those succeed', async () => {
    const bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'conc-bank', name: 'Bank', currency: 'IDR' });
    const wallet = await ensureCustomerWallet(database.db, 'cus_concurrent', 'IDR');
    const price = 1_000n;
    const affordable = 73n;
    await createEntry(database.db, systemActor, { idempotencyKey: 'conc-fund', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amount: idr(price * affordable + 999n) }] });

    const { ok, errors } = await settle(
      Array.from({ length: 200 }, (_, i) => () =>
        createEntry(dbFor(i), systemActor, { idempotencyKey: `conc-spend-${i}`, reason: 'payout', postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(price) }] }),
      ),
    );
    expect(ok).toHaveLength(Number(affordable));
    expect(errors).toHaveLength(200 - Number(affordable));
    // A retryable conflict is never reported as insufficient funds, nor leaks out as a 500.
    for (const e of errors) expect((e as AppError).code).toBe('insufficient_funds');
    const b = balanceOf(await getAccount(database.db, wallet.id));
    expect(b.posted.minor).toBe(idr(999n).minor);
    expect((await verifyLedger(database.db)).problems).toEqual([]);
  });

  it('concurrent duplicate submissions of one key create exactly one entry', async () => {
    const bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'dup-bank', name: 'Bank', currency: 'IDR' });
    const wallet = await ensureCustomerWallet(database.db, 'cus_dup', 'IDR');
    const input = { idempotencyKey: 'dup-deposit', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amount: idr(5_000n) }] };
    const { ok, errors } = await settle(Array.from({ length: 50 }, (_, i) => () => createEntry(dbFor(i), systemActor, input)));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((r) => r.entry.id)).size).toBe(1);
    expect(ok.filter((r) => !r.replayed)).toHaveLength(1);
    expect(balanceOf(await getAccount(database.db, wallet.id)).posted.minor).toBe(idr(5_000n).minor);
  });

  it('a hold raced by posts and voids is resolved exactly once', async () => {
    const bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'race-bank', name: 'Bank', currency: 'IDR' });
    const wallet = await ensureCustomerWallet(database.db, 'cus_race', 'IDR');
    await createEntry(database.db, systemActor, { idempotencyKey: 'race-fund', reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amount: idr(10_000n) }] });
    const hold = await createHold(database.db, systemActor, { idempotencyKey: 'race-hold', reason: 'escrow', postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, amount: idr(10_000n) }] });
    const { ok, errors } = await settle(
      Array.from({ length: 30 }, (_, i) => () =>
        i % 2 === 0
          ? postHold(dbFor(i), systemActor, { idempotencyKey: `race-post-${i}`, holdId: hold.entry.id })
          : voidHold(dbFor(i), systemActor, { idempotencyKey: `race-void-${i}`, holdId: hold.entry.id }),
      ),
    );
    expect(ok).toHaveLength(1);
    for (const e of errors) expect((e as AppError).code).toBe('hold_already_resolved');
    const b = balanceOf(await getAccount(database.db, wallet.id));
    expect(b.pendingOut.minor).toBe(0n);
    expect(b.posted.minor).toBe(ok[0]!.entry.kind === 'post_pending' ? 0n : idr(10_000n).minor);
  });

  it('transfers in both directions between two wallets never deadlock or lose money', async () => {
    const bank = await createCompanyAccount(database.db, systemActor, { type: 'bank', slug: 'xfer-bank', name: 'Bank', currency: 'IDR' });
    const a = await ensureCustomerWallet(database.db, 'cus_xa', 'IDR');
    const b = await ensureCustomerWallet(database.db, 'cus_xb', 'IDR');
    for (const w of [a, b]) await createEntry(database.db, systemActor, { idempotencyKey: `xfer-fund-${w.id}`, reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: w.id, amount: idr(1_000n) }] });
    const { errors } = await settle(
      Array.from({ length: 100 }, (_, i) => () =>
        createEntry(dbFor(i), systemActor, {
          idempotencyKey: `xfer-${i}`,
          reason: 'transfer',
          // Multi-posting entries touching both accounts in opposite orders.
          postings:
            i % 2 === 0
              ? [{ debitAccountId: a.id, creditAccountId: b.id, amount: idr(7n) }, { debitAccountId: b.id, creditAccountId: a.id, amount: idr(2n) }]
              : [{ debitAccountId: b.id, creditAccountId: a.id, amount: idr(7n) }, { debitAccountId: a.id, creditAccountId: b.id, amount: idr(2n) }],
        }),
      ),
    );
    expect(errors).toEqual([]);
    const total = balanceOf(await getAccount(database.db, a.id)).posted.minor + balanceOf(await getAccount(database.db, b.id)).posted.minor;
    expect(total).toBe(idr(2_000n).minor);
    expect((await verifyLedger(database.db)).problems).toEqual([]);
  });
});
