import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface VerifyProblem {
  kind: 'balance_mismatch' | 'unbalanced_currency' | 'currency_mismatch' | 'flag_violated' | 'empty_entry' | 'running_balance_mismatch';
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  accounts: number;
  entries: number;
  postings: number;
  problems: VerifyProblem[];
}

/**
 * Recomputes every balance from the postings and checks the ledger's invariants:
 * balances equal the sum of postings (posted; and pending for holds not yet resolved),
 * debits equal credits per currency, every posting's currency is its accounts', flagged
 * accounts are within their limits, every entry but a void has postings, and each
 * posting's stored running balances (what statements show) are the sums of its accounts'
 * posted postings up to it.
 */
export async function verifyLedger(db: Kysely<DB>): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];

  const mismatches = await sql<{ id: string; code: string; currency: string; field: string; stored: bigint; computed: bigint }>`
    with open_holds as (
      select e.id from journal_entries e
      where e.kind = 'pending' and not exists (select 1 from journal_entries r where r.pending_id = e.id)
    ),
    sums as (
      select account_id,
        sum(case when side = 'd' and not pending then amount else 0 end) as dp,
        sum(case when side = 'c' and not pending then amount else 0 end) as cp,
        sum(case when side = 'd' and pending and open then amount else 0 end) as dpe,
        sum(case when side = 'c' and pending and open then amount else 0 end) as cpe
      from (
        select p.debit_account_id as account_id, 'd' as side, p.amount, p.pending, (oh.id is not null) as open
          from postings p left join open_holds oh on oh.id = p.entry_id
        union all
        select p.credit_account_id, 'c', p.amount, p.pending, (oh.id is not null)
          from postings p left join open_holds oh on oh.id = p.entry_id
      ) x
      group by account_id
    ),
    compared as (
      select a.id, a.code, a.currency,
        a.debits_posted, coalesce(s.dp, 0)::bigint as dp,
        a.credits_posted, coalesce(s.cp, 0)::bigint as cp,
        a.debits_pending, coalesce(s.dpe, 0)::bigint as dpe,
        a.credits_pending, coalesce(s.cpe, 0)::bigint as cpe
      from ledger_accounts a left join sums s on s.account_id = a.id
    )
    select id, code, currency, 'debits_posted' as field, debits_posted as stored, dp as computed from compared where debits_posted <> dp
    union all select id, code, currency, 'credits_posted', credits_posted, cp from compared where credits_posted <> cp
    union all select id, code, currency, 'debits_pending', debits_pending, dpe from compared where debits_pending <> dpe
    union all select id, code, currency, 'credits_pending', credits_pending, cpe from compared where credits_pending <> cpe
    order by 1, 4`.execute(db);
  for (const m of mismatches.rows) {
    problems.push({ kind: 'balance_mismatch', detail: `${m.code} ${m.currency} (${m.id}): ${m.field} is ${m.stored}, postings say ${m.computed}` });
  }

  const unbalanced = await sql<{ currency: string; debits: bigint; credits: bigint; pending_debits: bigint; pending_credits: bigint }>`
    select currency, sum(debits_posted)::bigint as debits, sum(credits_posted)::bigint as credits,
      sum(debits_pending)::bigint as pending_debits, sum(credits_pending)::bigint as pending_credits
    from ledger_accounts group by currency
    having sum(debits_posted) <> sum(credits_posted) or sum(debits_pending) <> sum(credits_pending)`.execute(db);
  for (const u of unbalanced.rows) {
    problems.push({ kind: 'unbalanced_currency', detail: `${u.currency}: debits ${u.debits} vs credits ${u.credits} posted; ${u.pending_debits} vs ${u.pending_credits} pending` });
  }

  const wrongCurrency = await sql<{ entry_id: string; seq: number; currency: string; debit: string; credit: string }>`
    select p.entry_id, p.seq, p.currency, d.currency as debit, c.currency as credit
    from postings p join ledger_accounts d on d.id = p.debit_account_id join ledger_accounts c on c.id = p.credit_account_id
    where p.currency <> d.currency or p.currency <> c.currency`.execute(db);
  for (const w of wrongCurrency.rows) {
    problems.push({ kind: 'currency_mismatch', detail: `${w.entry_id} posting ${w.seq} in ${w.currency} between ${w.debit} and ${w.credit} accounts` });
  }

  const flags = await sql<{ id: string; code: string; currency: string }>`
    select id, code, currency from ledger_accounts
    where (debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted)
       or (credits_must_not_exceed_debits and credits_posted + credits_pending > debits_posted)`.execute(db);
  for (const f of flags.rows) problems.push({ kind: 'flag_violated', detail: `${f.code} ${f.currency} (${f.id}) is beyond its overdraft flag` });

  const empty = await sql<{ id: string }>`
    select e.id from journal_entries e
    where e.kind <> 'void_pending' and not exists (select 1 from postings p where p.entry_id = e.id)`.execute(db);
  for (const e of empty.rows) problems.push({ kind: 'empty_entry', detail: `${e.id} has no postings` });

  // Postings of one account are written under its row lock, so their ids follow the order
  // in which they moved its balance: the running sum in id order is the balance after each.
  const running = await sql<{ id: bigint; entry_id: string; account_id: string; stored: bigint; computed: bigint }>`
    select id, entry_id, account_id, stored, computed from (
      select id, entry_id, account_id, stored, sum(delta) over (partition by account_id order by id)::bigint as computed
      from (
        select id, entry_id, debit_account_id as account_id, debit_net_after as stored, case when pending then 0 else amount end as delta from postings
        union all
        select id, entry_id, credit_account_id, credit_net_after, case when pending then 0 else -amount end from postings
      ) moves
    ) r
    where stored <> computed
    order by account_id, id
    limit 100`.execute(db);
  for (const r of running.rows) {
    problems.push({ kind: 'running_balance_mismatch', detail: `posting ${r.id} of ${r.entry_id} on ${r.account_id}: running balance ${r.stored} stored, postings say ${r.computed}` });
  }

  const counts = await sql<{ accounts: bigint; entries: bigint; postings: bigint }>`
    select (select count(*) from ledger_accounts) as accounts, (select count(*) from journal_entries) as entries, (select count(*) from postings) as postings`.execute(db);
  const c = counts.rows[0]!;
  return { ok: problems.length === 0, accounts: Number(c.accounts), entries: Number(c.entries), postings: Number(c.postings), problems };
}

export function formatVerifyReport(report: VerifyReport): string {
  const head = `Ledger ${report.ok ? 'OK' : 'NOT OK'}: ${report.accounts} accounts, ${report.entries} entries, ${report.postings} postings checked.`;
  if (report.ok) return head;
  return [head, `${report.problems.length} problem(s):`, ...report.problems.map((p) => `  [${p.kind}] ${p.detail}`)].join('\n');
}
