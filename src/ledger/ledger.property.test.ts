import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { systemActor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { migrateToLatest } from '../db/database.ts';
import type { AccountKind } from '../db/schema.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { createAccount, getAccount } from './accounts.ts';
import { createEntry, createHold, postHold, reverseEntry, voidHold, type EntryResult } from './entries.ts';
import { verifyLedger } from './verify.ts';

/**
 * Model-based property test: random sequences of entries, holds, posts, voids, reversals,
 * replays and conflicting replays run against the real ledger and a plain in-memory model.
 * After every step the outcome (success or the exact error) and every balance must agree
 * with the model; flagged accounts never go beyond their limits; at the end `verifyLedger`
 * recomputes everything from the postings.
 */

interface AccountSpec {
  name: string;
  kind: AccountKind;
  currency: CurrencyCode;
  noDebitOverdraft?: boolean;
  noCreditOverdraft?: boolean;
}

const ACCOUNTS: AccountSpec[] = [
  { name: 'capital', kind: 'equity', currency: 'IDR' },
  { name: 'bank', kind: 'asset', currency: 'IDR', noCreditOverdraft: true },
  { name: 'wallet-a', kind: 'liability', currency: 'IDR', noDebitOverdraft: true },
  { name: 'wallet-b', kind: 'liability', currency: 'IDR', noDebitOverdraft: true },
  { name: 'fx-idr', kind: 'position', currency: 'IDR' },
  { name: 'capital-cny', kind: 'equity', currency: 'CNY' },
  { name: 'float', kind: 'asset', currency: 'CNY', noCreditOverdraft: true },
  { name: 'payable', kind: 'liability', currency: 'CNY', noDebitOverdraft: true },
];

/** Same-currency (debit, credit) pairs a leg can use. */
const PAIRS: [number, number][] = [];
ACCOUNTS.forEach((a, i) => ACCOUNTS.forEach((b, j) => i !== j && a.currency === b.currency && PAIRS.push([i, j])));

type Leg = { pair: number; amount: bigint };
type Op =
  | { t: 'entry'; pending: boolean; legs: Leg[] }
  | { t: 'post'; hold: number; portions: (0 | 1 | 2)[] }
  | { t: 'void'; hold: number }
  | { t: 'reverse'; entry: number }
  | { t: 'replay'; of: number }
  | { t: 'conflict'; of: number };

const legArb = fc.record({ pair: fc.nat({ max: PAIRS.length - 1 }), amount: fc.bigInt({ min: 1n, max: 5_000n }) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('entry' as const), pending: fc.boolean(), legs: fc.array(legArb, { minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('post' as const), hold: fc.nat(), portions: fc.array(fc.constantFrom(0 as const, 1 as const, 2 as const), { minLength: 3, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('void' as const), hold: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reverse' as const), entry: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('replay' as const), of: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('conflict' as const), of: fc.nat() }) },
);

interface Balances {
  dp: bigint;
  cp: bigint;
  dpe: bigint;
  cpe: bigint;
}
interface ModelPosting {
  d: number;
  c: number;
  amount: bigint;
}
interface ModelEntry {
  id: string;
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'reversal';
  postings: ModelPosting[];
  resolved: boolean;
  reversed: boolean;
}
interface Write {
  call: () => Promise<EntryResult>;
  /** The same key with different content. */
  conflicting: () => Promise<EntryResult>;
  entryId: string;
}

function violates(spec: AccountSpec, b: Balances): boolean {
  return Boolean((spec.noDebitOverdraft && b.dp + b.dpe > b.cp) || (spec.noCreditOverdraft && b.cp + b.cpe > b.dp));
}

describe.each(databaseTargets)('ledger invariants under random operations on $name', (target) => {
  let database: TestDatabase;
  let run = 0;

  beforeAll(async () => {
    database = await target.open();
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('agrees with the model after every step and verifies at the end', async () => {
    let checkedOps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 40 }), async (ops) => {
        run += 1;
        const db = database.db;
        const ids: string[] = [];
        for (const spec of ACCOUNTS) {
          const a = await createAccount(db, systemActor, {
            code: `prop:${run}:${spec.name}`,
            name: spec.name,
            kind: spec.kind,
            currency: spec.currency,
            debitsMustNotExceedCredits: spec.noDebitOverdraft ?? false,
            creditsMustNotExceedDebits: spec.noCreditOverdraft ?? false,
          });
          ids.push(a.id);
        }
        const model: Balances[] = ACCOUNTS.map(() => ({ dp: 0n, cp: 0n, dpe: 0n, cpe: 0n }));
        const entries: ModelEntry[] = [];
        const writes: Write[] = [];
        const money = (pair: number, amount: bigint) => Money.of(amount, ACCOUNTS[PAIRS[pair]![0]]!.currency);

        /** Applies a change to a copy of the model; returns it if no flag is violated. */
        function tryApply(change: (m: Balances[]) => void): Balances[] | null {
          const next = model.map((b) => ({ ...b }));
          change(next);
          return next.some((b, i) => violates(ACCOUNTS[i]!, b)) ? null : next;
        }

        async function expectOutcome(expected: string | null, call: () => Promise<EntryResult>): Promise<EntryResult | null> {
          try {
            const result = await call();
            expect(expected, 'the model expected an error').toBeNull();
            return result;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            expect(err.code).toBe(expected);
            return null;
          }
        }

        for (const [step, op] of ops.entries()) {
          const key = `prop-${run}-${step}`;
          const holds = entries.filter((e) => e.kind === 'pending');
          if (op.t === 'entry') {
            const postings = op.legs.map((l) => ({ d: PAIRS[l.pair]![0], c: PAIRS[l.pair]![1], amount: l.amount }));
            const next = tryApply((m) => {
              for (const p of postings) {
                if (op.pending) {
                  m[p.d]!.dpe += p.amount;
                  m[p.c]!.cpe += p.amount;
                } else {
                  m[p.d]!.dp += p.amount;
                  m[p.c]!.cp += p.amount;
                }
              }
            });
            const input = { idempotencyKey: key, reason: 'test', postings: op.legs.map((l) => ({ debitAccountId: ids[PAIRS[l.pair]![0]]!, creditAccountId: ids[PAIRS[l.pair]![1]]!, amount: money(l.pair, l.amount) })) };
            const write = () => (op.pending ? createHold(db, systemActor, input) : createEntry(db, systemActor, input));
            const result = await expectOutcome(next ? null : 'insufficient_funds', write);
            if (result && next) {
              model.splice(0, model.length, ...next);
              entries.push({ id: result.entry.id, kind: op.pending ? 'pending' : 'posted', postings, resolved: false, reversed: false });
              const changed = { ...input, postings: input.postings.map((p, i) => (i === 0 ? { ...p, amount: Money.of(p.amount.minor + 1n, p.amount.currency) } : p)) };
              writes.push({ call: write, conflicting: () => (op.pending ? createHold(db, systemActor, changed) : createEntry(db, systemActor, changed)), entryId: result.entry.id });
            }
          } else if (op.t === 'post' || op.t === 'void') {
            if (holds.length === 0) continue;
            const hold = holds[op.hold % holds.length]!;
            const amounts = hold.postings.map((p, i) => (op.t === 'void' ? 0n : [0n, p.amount / 2n, p.amount][op.portions[i % 3]!]!));
            let expected: string | null = null;
            if (hold.resolved) expected = 'hold_already_resolved';
            else if (op.t === 'post' && amounts.every((a) => a === 0n)) expected = 'validation_failed';
            const next = expected
              ? null
              : tryApply((m) => {
                  hold.postings.forEach((p, i) => {
                    m[p.d]!.dpe -= p.amount;
                    m[p.c]!.cpe -= p.amount;
                    m[p.d]!.dp += amounts[i]!;
                    m[p.c]!.cp += amounts[i]!;
                  });
                });
            if (!expected && !next) expected = 'insufficient_funds';
            const holdRow = await db.selectFrom('journal_entries').selectAll().where('id', '=', hold.id).executeTakeFirstOrThrow();
            const call =
              op.t === 'void'
                ? () => voidHold(db, systemActor, { idempotencyKey: key, holdId: holdRow.id })
                : () => postHold(db, systemActor, { idempotencyKey: key, holdId: holdRow.id, amounts: hold.postings.map((p, i) => Money.of(amounts[i]!, ACCOUNTS[p.d]!.currency)) });
            const result = await expectOutcome(expected, call);
            if (result && next) {
              model.splice(0, model.length, ...next);
              hold.resolved = true;
              const posted = hold.postings.map((p, i) => ({ ...p, amount: amounts[i]! })).filter((p) => p.amount > 0n);
              entries.push({ id: result.entry.id, kind: op.t === 'void' ? 'void_pending' : 'post_pending', postings: posted, resolved: false, reversed: false });
              writes.push({ call, conflicting: () => voidHold(db, systemActor, { idempotencyKey: key, holdId: holdRow.id, reason: 'other' }), entryId: result.entry.id });
            }
          } else if (op.t === 'reverse') {
            if (entries.length === 0) continue;
            const original = entries[op.entry % entries.length]!;
            let expected: string | null = null;
            if (original.kind !== 'posted' && original.kind !== 'post_pending') expected = 'entry_not_reversible';
            else if (original.reversed) expected = 'entry_already_reversed';
            const next = expected
              ? null
              : tryApply((m) => {
                  for (const p of original.postings) {
                    m[p.c]!.dp += p.amount;
                    m[p.d]!.cp += p.amount;
                  }
                });
            if (!expected && !next) expected = 'insufficient_funds';
            const call = () => reverseEntry(db, systemActor, { idempotencyKey: key, entryId: original.id });
            const result = await expectOutcome(expected, call);
            if (result && next) {
              model.splice(0, model.length, ...next);
              original.reversed = true;
              entries.push({ id: result.entry.id, kind: 'reversal', postings: original.postings.map((p) => ({ d: p.c, c: p.d, amount: p.amount })), resolved: false, reversed: false });
              writes.push({ call, conflicting: () => reverseEntry(db, systemActor, { idempotencyKey: key, entryId: original.id, reason: 'other' }), entryId: result.entry.id });
            }
          } else if (op.t === 'replay') {
            if (writes.length === 0) continue;
            const w = writes[op.of % writes.length]!;
            const again = await w.call();
            expect(again.replayed).toBe(true);
            expect(again.entry.id).toBe(w.entryId);
          } else {
            if (writes.length === 0) continue;
            await expectOutcome('idempotency_conflict', writes[op.of % writes.length]!.conflicting);
          }
          checkedOps += 1;

          for (const [i, id] of ids.entries()) {
            const a = await getAccount(db, id);
            expect({ dp: a.debits_posted, cp: a.credits_posted, dpe: a.debits_pending, cpe: a.credits_pending }, `${ACCOUNTS[i]!.name} after step ${step} (${op.t})`).toEqual(model[i]);
            expect(violates(ACCOUNTS[i]!, model[i]!)).toBe(false);
          }
        }
        const sums = new Map<string, bigint>();
        model.forEach((b, i) => sums.set(ACCOUNTS[i]!.currency, (sums.get(ACCOUNTS[i]!.currency) ?? 0n) + b.dp - b.cp));
        for (const total of sums.values()) expect(total).toBe(0n);
      }),
      { numRuns: 50 },
    );
    const report = await verifyLedger(database.db);
    expect(report.problems).toEqual([]);
    console.info(`[ledger property] ${target.name}: ${run} runs, ${checkedOps} operations checked, ${report.entries} entries and ${report.postings} postings verified`);
  }, 240_000);
});
