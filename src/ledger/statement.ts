import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { normalSide, type LedgerAccount } from './accounts.ts';

export interface StatementLine {
  postingId: string;
  entryId: string;
  at: string;
  reason: string;
  reference: { type: string; id: string | null } | null;
  description: string | null;
  direction: 'debit' | 'credit';
  /** Signed on the account's normal side: positive increases the balance. */
  amount: Money;
  /** Posted balance right after this line. */
  balance: Money;
  counterpartyAccountId: string;
}

export interface Statement {
  lines: StatementLine[];
  /** Pass as `before` for the next (older) page; null at the start of history. */
  nextCursor: string | null;
}

/**
 * Posted lines of an account, newest first, with the running balance stored at write
 * time, so a page costs the same whatever the size of the history. Cursor = posting id.
 */
export async function accountStatement(db: Kysely<DB>, account: LedgerAccount, options: { limit: number; before?: bigint }): Promise<Statement> {
  const before = options.before ?? 2n ** 62n;
  const limit = options.limit;
  const { rows } = await sql<{
    id: bigint;
    entry_id: string;
    amount: bigint;
    side: 'debit' | 'credit';
    net_after: bigint;
    counterparty: string;
    created_at: Date;
    reason: string;
    reference_type: string | null;
    reference_id: string | null;
    description: string | null;
  }>`
    select p.id, p.entry_id, p.amount, p.side, p.net_after, p.counterparty,
           e.created_at, e.reason, e.reference_type, e.reference_id, e.description
    from (
      (select id, entry_id, amount, 'debit' as side, debit_net_after as net_after, credit_account_id as counterparty
         from postings where debit_account_id = ${account.id} and not pending and id < ${before}
         order by id desc limit ${limit})
      union all
      (select id, entry_id, amount, 'credit' as side, credit_net_after as net_after, debit_account_id as counterparty
         from postings where credit_account_id = ${account.id} and not pending and id < ${before}
         order by id desc limit ${limit})
    ) p
    join journal_entries e on e.id = p.entry_id
    order by p.id desc
    limit ${limit}`.execute(db);

  const cur = account.currency as CurrencyCode;
  const credit = normalSide(account.kind) === 'credit';
  const lines = rows.map((r) => {
    const signed = (r.side === 'credit') === credit ? r.amount : -r.amount;
    return {
      postingId: r.id.toString(),
      entryId: r.entry_id,
      at: r.created_at.toISOString(),
      reason: r.reason,
      reference: r.reference_type ? { type: r.reference_type, id: r.reference_id } : null,
      description: r.description,
      direction: r.side,
      amount: Money.of(signed, cur),
      balance: Money.of(credit ? -r.net_after : r.net_after, cur),
      counterpartyAccountId: r.counterparty,
    };
  });
  return { lines, nextCursor: rows.length === limit ? rows[rows.length - 1]!.id.toString() : null };
}

export interface ActiveHold {
  holdId: string;
  reason: string;
  reference: { type: string; id: string | null } | null;
  amount: Money;
  direction: 'debit' | 'credit';
  expiresAt: string | null;
  createdAt: string;
}

/** Holds touching the account that are neither posted nor voided yet. */
export async function activeHolds(db: Kysely<DB>, account: LedgerAccount): Promise<ActiveHold[]> {
  const { rows } = await sql<{ entry_id: string; amount: bigint; debit_account_id: string; reason: string; reference_type: string | null; reference_id: string | null; expires_at: Date | null; created_at: Date }>`
    select p.entry_id, p.amount, p.debit_account_id, e.reason, e.reference_type, e.reference_id, e.expires_at, e.created_at
    from postings p join journal_entries e on e.id = p.entry_id
    where p.pending and (p.debit_account_id = ${account.id} or p.credit_account_id = ${account.id})
      and not exists (select 1 from journal_entries r where r.pending_id = e.id)
    order by p.id desc`.execute(db);
  return rows.map((r) => ({
    holdId: r.entry_id,
    reason: r.reason,
    reference: r.reference_type ? { type: r.reference_type, id: r.reference_id } : null,
    amount: Money.of(r.amount, account.currency as CurrencyCode),
    direction: r.debit_account_id === account.id ? 'debit' : 'credit',
    expiresAt: r.expires_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  }));
}
