import { sql, type Kysely } from 'kysely';

/**
 * A faster `ledger_write_entry`, same checks and answers as 0002's (docs/performance.md,
 * "Ledger", says what each change gave):
 *
 * - Accounts and postings come as arrays, and every statement finds accounts through the
 *   primary key (`id = any(...)`). 0002's joined `jsonb_to_recordset` (estimated at 100
 *   rows) to `ledger_accounts` and the planner chose a hash join over a sequential scan of
 *   the whole table, twice per entry: O(accounts) per write.
 * - `plan_cache_mode = force_generic_plan`: with array parameters PL/pgSQL's plan cache kept
 *   choosing custom plans, i.e. planned every statement on every call (a quarter of the
 *   function's time). Each statement below is written so that its generic plan is right
 *   whatever the number of accounts or postings.
 * - Entries with at most one posting between two accounts (almost all of them) take a
 *   straight path: two primary-key lookups lock the accounts in id order, the checks run
 *   on the locked rows, and the posting's running balances come from those rows.
 * - The key is looked up only when the entry is refused (a retry of a write that succeeded
 *   is answered with the original entry, not with the refusal); otherwise the insert's
 *   `on conflict (idempotency_key) do nothing` decides, as it already did under races.
 *
 * 0002's `ledger_write_entry(jsonb, jsonb, jsonb)` stays, unused, so that processes of the
 * previous release keep working during a rolling deploy; a later migration can drop it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- p_entry: the journal entry's columns (as in 0002). Accounts: one element per account
    -- the entry touches, with the currency its postings are in and its balance change
    -- (debits/credits posted, debits/credits pending). Postings: one element per posting,
    -- in order. Answers as 0002: {"id", "createdAt", "postings": [[id, debit net after,
    -- credit net after], ...]}, {"replay": entry id} or {"error": code, ...}; nothing is
    -- written on a replay or a refusal.
    create function ledger_write_entry(p_entry jsonb,
      p_accounts text[], p_currencies text[], p_dp bigint[], p_cp bigint[], p_dpe bigint[], p_cpe bigint[],
      p_debits text[], p_credits text[], p_amounts bigint[], p_posting_currencies text[], p_pending boolean[]) returns jsonb
    language plpgsql
    set plan_cache_mode = force_generic_plan
    as $fn$
    declare
      v_n integer := cardinality(p_accounts);
      v_straight boolean := v_n = 2 and cardinality(p_debits) <= 1;
      -- Straight path: the two accounts, lower id first, and their places in p_accounts.
      v_lo ledger_accounts;
      v_hi ledger_accounts;
      v_i integer;
      v_j integer;
      v_bad ledger_accounts;
      v_bad_cur text;
      v_refusal text;
      -- General path.
      v_account record;
      v_locked integer := 0;
      v_currency_error record;
      v_funds_error record;
      v_net bigint[];
      -- Both.
      v_id text;
      v_posting_id bigint;
      v_debit_net bigint;
      v_credit_net bigint;
      v_postings jsonb;
    begin
      if v_straight then
        if p_accounts[1] < p_accounts[2] then v_i := 1; v_j := 2; else v_i := 2; v_j := 1; end if;
        select * into v_lo from ledger_accounts where id = p_accounts[v_i] for update;
        select * into v_hi from ledger_accounts where id = p_accounts[v_j] for update;
        if v_lo.id is null or v_hi.id is null then
          return jsonb_build_object('error', 'account_not_found', 'accountId', case when v_lo.id is null then p_accounts[v_i] else p_accounts[v_j] end);
        end if;
        -- As the general path: a currency or closed account first (in id order), then funds.
        if v_lo.currency <> p_currencies[v_i] or v_lo.status <> 'active' then
          v_bad := v_lo; v_bad_cur := p_currencies[v_i]; v_refusal := case when v_lo.status <> 'active' then 'account_closed' else 'currency_mismatch' end;
        elsif v_hi.currency <> p_currencies[v_j] or v_hi.status <> 'active' then
          v_bad := v_hi; v_bad_cur := p_currencies[v_j]; v_refusal := case when v_hi.status <> 'active' then 'account_closed' else 'currency_mismatch' end;
        elsif (v_lo.debits_must_not_exceed_credits and v_lo.debits_posted + p_dp[v_i] + v_lo.debits_pending + p_dpe[v_i] > v_lo.credits_posted + p_cp[v_i])
           or (v_lo.credits_must_not_exceed_debits and v_lo.credits_posted + p_cp[v_i] + v_lo.credits_pending + p_cpe[v_i] > v_lo.debits_posted + p_dp[v_i]) then
          v_bad := v_lo; v_refusal := 'insufficient_funds';
        elsif (v_hi.debits_must_not_exceed_credits and v_hi.debits_posted + p_dp[v_j] + v_hi.debits_pending + p_dpe[v_j] > v_hi.credits_posted + p_cp[v_j])
           or (v_hi.credits_must_not_exceed_debits and v_hi.credits_posted + p_cp[v_j] + v_hi.credits_pending + p_cpe[v_j] > v_hi.debits_posted + p_dp[v_j]) then
          v_bad := v_hi; v_refusal := 'insufficient_funds';
        end if;
        if v_refusal is not null then
          -- A fresh snapshot, taken after the locks: a concurrent writer of the same key has committed by now.
          select id into v_id from journal_entries where idempotency_key = p_entry->>'idempotency_key';
          if v_id is not null then
            return jsonb_build_object('replay', v_id);
          end if;
          if v_refusal = 'insufficient_funds' then
            return jsonb_build_object('error', v_refusal, 'accountId', v_bad.id, 'accountCode', v_bad.code, 'currency', v_bad.currency,
              'available', (case when v_bad.debits_must_not_exceed_credits then v_bad.credits_posted - v_bad.debits_posted - v_bad.debits_pending
                                 else v_bad.debits_posted - v_bad.credits_posted - v_bad.credits_pending end)::text);
          end if;
          return jsonb_build_object('error', v_refusal, 'accountId', v_bad.id, 'accountCode', v_bad.code, 'accountCurrency', v_bad.currency, 'currency', v_bad_cur);
        end if;
      else
        -- Lock every account in id order and check each one as it is locked (the values are
        -- the latest committed ones); remember each one's posted net balance for the postings.
        v_net := array_fill(null::bigint, array[v_n]);
        for v_account in
          select a.id, a.code, a.currency, a.status, d.cur, d.ord::integer as ord, a.debits_posted - a.credits_posted as net,
            (a.debits_must_not_exceed_credits and a.debits_posted + d.dp + a.debits_pending + d.dpe > a.credits_posted + d.cp)
              or (a.credits_must_not_exceed_debits and a.credits_posted + d.cp + a.credits_pending + d.cpe > a.debits_posted + d.dp) as overdrawn,
            case when a.debits_must_not_exceed_credits then a.credits_posted - a.debits_posted - a.debits_pending
                 else a.debits_posted - a.credits_posted - a.credits_pending end as available
          from ledger_accounts a
          join unnest(p_accounts, p_currencies, p_dp, p_cp, p_dpe, p_cpe) with ordinality d(id, cur, dp, cp, dpe, cpe, ord) on d.id = a.id
          where a.id = any(p_accounts)
          order by a.id
          for update of a
        loop
          v_locked := v_locked + 1;
          v_net[v_account.ord] := v_account.net;
          if v_currency_error is null and (v_account.currency <> v_account.cur or v_account.status <> 'active') then
            v_currency_error := v_account;
          elsif v_funds_error is null and v_account.overdrawn then
            v_funds_error := v_account;
          end if;
        end loop;
        if v_locked < v_n then
          return jsonb_build_object('error', 'account_not_found', 'accountId',
            (select min(x.id) from unnest(p_accounts) x(id) where not exists (select 1 from ledger_accounts a where a.id = x.id)));
        end if;
        if v_currency_error is not null or v_funds_error is not null then
          select id into v_id from journal_entries where idempotency_key = p_entry->>'idempotency_key';
          if v_id is not null then
            return jsonb_build_object('replay', v_id);
          end if;
          if v_currency_error is not null then
            return jsonb_build_object('error', case when v_currency_error.status <> 'active' then 'account_closed' else 'currency_mismatch' end,
              'accountId', v_currency_error.id, 'accountCode', v_currency_error.code, 'accountCurrency', v_currency_error.currency, 'currency', v_currency_error.cur);
          end if;
          return jsonb_build_object('error', 'insufficient_funds', 'accountId', v_funds_error.id, 'accountCode', v_funds_error.code,
            'currency', v_funds_error.currency, 'available', v_funds_error.available::text);
        end if;
      end if;

      insert into journal_entries (id, idempotency_key, content_hash, kind, reason, reference_type, reference_id, description,
        pending_id, reverses_id, expires_at, metadata, actor_type, actor_id, request_id)
      values (p_entry->>'id', p_entry->>'idempotency_key', p_entry->>'content_hash', p_entry->>'kind', p_entry->>'reason',
        p_entry->>'reference_type', p_entry->>'reference_id', p_entry->>'description', p_entry->>'pending_id',
        p_entry->>'reverses_id', (p_entry->>'expires_at')::timestamptz, coalesce(p_entry->'metadata', '{}'::jsonb),
        p_entry->>'actor_type', p_entry->>'actor_id', p_entry->>'request_id')
      on conflict (idempotency_key) do nothing
      returning id into v_id;
      if v_id is null then
        -- The key exists (written before, or by a concurrent call that has committed meanwhile).
        return jsonb_build_object('replay', (select id from journal_entries where idempotency_key = p_entry->>'idempotency_key'));
      end if;

      if v_straight then
        if cardinality(p_debits) = 1 then
          -- Running balances from the locked rows: nobody else can have changed them.
          if p_debits[1] = v_lo.id then
            v_debit_net := v_lo.debits_posted - v_lo.credits_posted; v_credit_net := v_hi.debits_posted - v_hi.credits_posted;
          else
            v_debit_net := v_hi.debits_posted - v_hi.credits_posted; v_credit_net := v_lo.debits_posted - v_lo.credits_posted;
          end if;
          if not p_pending[1] then
            v_debit_net := v_debit_net + p_amounts[1];
            v_credit_net := v_credit_net - p_amounts[1];
          end if;
          insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
          values (v_id, 0, p_debits[1], p_credits[1], p_amounts[1], p_posting_currencies[1], p_pending[1], v_debit_net, v_credit_net)
          returning id into v_posting_id;
          v_postings := jsonb_build_array(jsonb_build_array(v_posting_id::text, v_debit_net::text, v_credit_net::text));
        else
          v_postings := '[]'::jsonb;
        end if;
        update ledger_accounts set
          debits_posted = debits_posted + case when id = v_lo.id then p_dp[v_i] else p_dp[v_j] end,
          credits_posted = credits_posted + case when id = v_lo.id then p_cp[v_i] else p_cp[v_j] end,
          debits_pending = debits_pending + case when id = v_lo.id then p_dpe[v_i] else p_dpe[v_j] end,
          credits_pending = credits_pending + case when id = v_lo.id then p_cpe[v_i] else p_cpe[v_j] end
        where id in (v_lo.id, v_hi.id);
        return jsonb_build_object('id', v_id, 'createdAt', now(), 'postings', v_postings);
      end if;

      if cardinality(p_debits) > 0 then
        -- Each posting is two moves (its debit and its credit); the window gives every move
        -- its account's running balance, and grouping by posting puts the two back together.
        with p as (
          select x.ord, x.debit, x.credit, x.amount, x.currency, x.pending
          from unnest(p_debits, p_credits, p_amounts, p_posting_currencies, p_pending) with ordinality x(debit, credit, amount, currency, pending, ord)
        ),
        moves as (
          select p.*, 'd' as side, p.debit as account_id, case when p.pending then 0 else p.amount end as delta from p
          union all
          select p.*, 'c', p.credit, case when p.pending then 0 else -p.amount end from p
        ),
        running as (
          select m.*, a.net + sum(m.delta) over (partition by m.account_id order by m.ord, m.side rows unbounded preceding) as net_after
          from moves m join unnest(p_accounts, v_net) a(id, net) on a.id = m.account_id
        ),
        inserted as (
          insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
          select v_id, (ord - 1)::int, debit, credit, amount, currency, pending,
            max(net_after) filter (where side = 'd'), max(net_after) filter (where side = 'c')
          from running
          group by ord, debit, credit, amount, currency, pending
          order by ord
          returning id, seq, debit_net_after, credit_net_after
        )
        select jsonb_agg(jsonb_build_array(id::text, debit_net_after::text, credit_net_after::text) order by seq)
        into v_postings from inserted;
      else
        v_postings := '[]'::jsonb;
      end if;

      update ledger_accounts as a set
        debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp,
        debits_pending = a.debits_pending + d.dpe, credits_pending = a.credits_pending + d.cpe
      from unnest(p_accounts, p_dp, p_cp, p_dpe, p_cpe) d(id, dp, cp, dpe, cpe)
      where a.id = d.id and a.id = any(p_accounts) and (d.dp <> 0 or d.cp <> 0 or d.dpe <> 0 or d.cpe <> 0);

      return jsonb_build_object('id', v_id, 'createdAt', now(), 'postings', v_postings);
    end;
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function ledger_write_entry(jsonb, text[], text[], bigint[], bigint[], bigint[], bigint[], text[], text[], bigint[], text[], boolean[]);
  `.execute(db);
}
