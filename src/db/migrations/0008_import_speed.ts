import { sql, type Kysely } from 'kysely';

/**
 * Bank statement imports at volume (docs/performance.md, "Bank statement import"):
 * the batch ledger write takes its rows as arrays, and a statement line is its own record
 * of the money it applied to a deposit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Many posted entries in one call, the rows as arrays (one per column, unnested
    -- together) instead of JSON records: the same locks and checks as before, set-wise.
    -- Postings name their accounts twice: by id, and by position in the accounts arrays
    -- (for the running balances: an integer partition, and the account's balance before
    -- the batch by subscript). Every key must be new; a known key refuses the whole batch.
    create or replace function ledger_write_entries(
      p_ids text[], p_keys text[], p_hashes text[], p_reasons text[], p_reference_types text[], p_reference_ids text[],
      p_descriptions text[], p_metadata text[],
      p_posting_entries text[], p_posting_seqs integer[], p_posting_debits text[], p_posting_credits text[],
      p_posting_debit_refs integer[], p_posting_credit_refs integer[], p_posting_amounts bigint[], p_posting_currencies text[],
      p_account_ids text[], p_account_currencies text[], p_account_dp bigint[], p_account_cp bigint[],
      p_actor_type text, p_actor_id text, p_request_id text) returns jsonb
    language plpgsql
    -- The running balances sort and group two rows per posting: in memory, not on disk.
    set work_mem = '64MB'
    as $fn$
    declare
      v_account record;
      v_locked integer := 0;
      v_currency_error record;
      v_funds_error record;
      v_existing text;
      v_start bigint[];
      v_consistent boolean;
      v_entries integer := coalesce(cardinality(p_ids), 0);
      v_postings integer := coalesce(cardinality(p_posting_entries), 0);
      v_accounts integer := coalesce(cardinality(p_account_ids), 0);
    begin
      if coalesce(cardinality(p_keys), 0) <> v_entries or coalesce(cardinality(p_hashes), 0) <> v_entries
          or coalesce(cardinality(p_reasons), 0) <> v_entries or coalesce(cardinality(p_reference_types), 0) <> v_entries
          or coalesce(cardinality(p_reference_ids), 0) <> v_entries or coalesce(cardinality(p_descriptions), 0) <> v_entries
          or coalesce(cardinality(p_metadata), 0) <> v_entries
          or coalesce(cardinality(p_posting_seqs), 0) <> v_postings or coalesce(cardinality(p_posting_debits), 0) <> v_postings
          or coalesce(cardinality(p_posting_credits), 0) <> v_postings or coalesce(cardinality(p_posting_debit_refs), 0) <> v_postings
          or coalesce(cardinality(p_posting_credit_refs), 0) <> v_postings or coalesce(cardinality(p_posting_amounts), 0) <> v_postings
          or coalesce(cardinality(p_posting_currencies), 0) <> v_postings
          or coalesce(cardinality(p_account_currencies), 0) <> v_accounts or coalesce(cardinality(p_account_dp), 0) <> v_accounts
          or coalesce(cardinality(p_account_cp), 0) <> v_accounts then
        raise exception 'ledger_write_entries: arrays of one kind must have the same length';
      end if;
      -- The accounts arrays must be exactly what the postings say, posting by posting: each
      -- position one account id and currency, and the balance changes their sums. (The
      -- running balances below rely on the positions; the overdraft checks on the sums.)
      -- Checked set-wise: subscripting a text array is a walk from its start.
      with x as (
        select u.r, u.id, u.cur, u.amount as dp, 0::bigint as cp
        from unnest(p_posting_debit_refs, p_posting_debits, p_posting_currencies, p_posting_amounts) u(r, id, cur, amount)
        union all
        select u.r, u.id, u.cur, 0::bigint, u.amount
        from unnest(p_posting_credit_refs, p_posting_credits, p_posting_currencies, p_posting_amounts) u(r, id, cur, amount)
      ),
      s as (select r, id, cur, sum(dp)::bigint as dp, sum(cp)::bigint as cp from x group by r, id, cur)
      select count(*) = v_accounts
        and coalesce(array_agg(id order by r) = p_account_ids, v_accounts = 0)
        and coalesce(array_agg(cur order by r) = p_account_currencies, v_accounts = 0)
        and coalesce(array_agg(dp order by r) = p_account_dp, v_accounts = 0)
        and coalesce(array_agg(cp order by r) = p_account_cp, v_accounts = 0)
      into v_consistent from s;
      if not v_consistent then
        raise exception 'ledger_write_entries: the accounts given do not match the postings';
      end if;

      for v_account in
        select a.id, a.code, a.currency, a.status, d.cur,
          (a.debits_must_not_exceed_credits and a.debits_posted + d.dp + a.debits_pending > a.credits_posted + d.cp)
            or (a.credits_must_not_exceed_debits and a.credits_posted + d.cp + a.credits_pending > a.debits_posted + d.dp) as overdrawn,
          case when a.debits_must_not_exceed_credits then a.credits_posted - a.debits_posted - a.debits_pending
               else a.debits_posted - a.credits_posted - a.credits_pending end as available
        from ledger_accounts a
        join unnest(p_account_ids, p_account_currencies, p_account_dp, p_account_cp) d(id, cur, dp, cp) on d.id = a.id
        order by a.id
        for update of a
      loop
        v_locked := v_locked + 1;
        if v_currency_error is null and (v_account.currency <> v_account.cur or v_account.status <> 'active') then
          v_currency_error := v_account;
        elsif v_funds_error is null and v_account.overdrawn then
          v_funds_error := v_account;
        end if;
      end loop;
      if v_locked < v_accounts then
        return jsonb_build_object('error', 'account_not_found', 'accountId',
          (select min(x.id) from unnest(p_account_ids) x(id) where not exists (select 1 from ledger_accounts a where a.id = x.id)));
      end if;
      if v_currency_error is not null then
        return jsonb_build_object('error', case when v_currency_error.status <> 'active' then 'account_closed' else 'currency_mismatch' end,
          'accountId', v_currency_error.id, 'accountCode', v_currency_error.code, 'accountCurrency', v_currency_error.currency, 'currency', v_currency_error.cur);
      end if;
      if v_funds_error is not null then
        return jsonb_build_object('error', 'insufficient_funds', 'accountId', v_funds_error.id, 'accountCode', v_funds_error.code,
          'currency', v_funds_error.currency, 'available', v_funds_error.available::text);
      end if;

      -- A known key refuses the batch: the unique index finds it while inserting (no lookup
      -- of every key beforehand); the block's subtransaction takes back what was inserted.
      begin
        insert into journal_entries (id, idempotency_key, content_hash, kind, reason, reference_type, reference_id, description,
          metadata, actor_type, actor_id, request_id)
        select e.id, e.key, e.hash, 'posted', e.reason, e.rt, e.rid, e.description, coalesce(e.metadata::jsonb, '{}'::jsonb),
          p_actor_type, p_actor_id, p_request_id
        from unnest(p_ids, p_keys, p_hashes, p_reasons, p_reference_types, p_reference_ids, p_descriptions, p_metadata)
          as e(id, key, hash, reason, rt, rid, description, metadata);
      exception when unique_violation then
        select j.idempotency_key into v_existing from journal_entries j where j.idempotency_key = any(p_keys) limit 1;
        if v_existing is null then
          raise;
        end if;
        return jsonb_build_object('error', 'key_exists', 'key', v_existing);
      end;

      -- Each account's posted net balance before the batch, by position (the rows are locked).
      select array_agg(a.debits_posted - a.credits_posted order by d.ord) into v_start
      from unnest(p_account_ids) with ordinality d(id, ord) join ledger_accounts a on a.id = d.id;

      -- One pass, no join: each posting is its debit move and its credit move, the window
      -- gives every move its account's running balance, grouping by posting puts the two
      -- back together.
      with p as (
        select x.*
        from unnest(p_posting_entries, p_posting_seqs, p_posting_debits, p_posting_credits, p_posting_debit_refs,
          p_posting_credit_refs, p_posting_amounts, p_posting_currencies) with ordinality
          as x(entry, seq, debit, credit, dref, cref, amount, currency, ord)
      ),
      moves as (
        select p.*, 0 as side, p.dref as ref, p.amount as delta from p
        union all
        select p.*, 1, p.cref, -p.amount from p
      ),
      running as (
        select m.ord, m.entry, m.seq, m.debit, m.credit, m.amount, m.currency, m.side,
          v_start[m.ref] + sum(m.delta) over (partition by m.ref order by m.ord, m.side rows unbounded preceding) as net_after
        from moves m
      )
      insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
      select entry, seq, debit, credit, amount, currency, false,
        max(net_after) filter (where side = 0), max(net_after) filter (where side = 1)
      from running
      group by ord, entry, seq, debit, credit, amount, currency
      order by ord;

      update ledger_accounts as a set
        debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp
      from unnest(p_account_ids, p_account_dp, p_account_cp) d(id, dp, cp)
      where a.id = d.id and (d.dp <> 0 or d.cp <> 0);

      return jsonb_build_object('count', v_entries, 'createdAt', now());
    end;
    $fn$;
    -- (The JSON version of 0004 stays for anything that still calls it; the code no longer does.)

    -- A statement line is the record of what it credited: deposit, amount, entry, and now
    -- whether it was late. Imports no longer copy matched lines into deposit_credits, which
    -- keeps the credits that have no line of their own (gateway payments, suspense assignments).
    alter table bank_statement_lines add column late boolean not null default false;
    update bank_statement_lines l set late = c.late
      from deposit_credits c where c.source_type = 'statement_line' and c.source_id = l.id and c.late;
    delete from deposit_credits where source_type = 'statement_line';
    alter table deposit_credits drop constraint deposit_credits_source_type_check;
    alter table deposit_credits add constraint deposit_credits_source_type_check check (source_type in ('gateway', 'assignment'));

    -- Foreign keys of statement lines, five checks a line (a trigger each, ~3–9 µs on the
    -- machines here, the largest single cost of an import), down to three that say more:
    -- a line's bank account is its import's (one composite key instead of two), and a
    -- line's customer is its deposit's (the same). A line assigned from suspense to a
    -- customer without a deposit takes the customer from its suspense decision, whose own
    -- key checks it.
    alter table bank_statement_imports add constraint bank_statement_imports_id_bank_account_key unique (id, bank_account_id);
    alter table deposit_intents add constraint deposit_intents_id_customer_key unique (id, customer_id);
    alter table bank_statement_lines
      drop constraint bank_statement_lines_bank_account_id_fkey,
      drop constraint bank_statement_lines_import_id_fkey,
      drop constraint bank_statement_lines_deposit_id_fkey,
      drop constraint bank_statement_lines_customer_id_fkey,
      add constraint bank_statement_lines_import_fkey foreign key (import_id, bank_account_id) references bank_statement_imports (id, bank_account_id),
      add constraint bank_statement_lines_deposit_fkey foreign key (deposit_id, customer_id) references deposit_intents (id, customer_id);

    -- Only gateway intents have an external id: the others need no entry in its unique index
    -- (an import updates tens of thousands of intents, and an update writes every index).
    alter table deposit_intents drop constraint deposit_intents_gateway_external_id_key;
    create unique index deposit_intents_gateway_external_id_key on deposit_intents (gateway_external_id) where gateway_external_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index deposit_intents_gateway_external_id_key;
    alter table deposit_intents add constraint deposit_intents_gateway_external_id_key unique (gateway_external_id);
    alter table bank_statement_lines
      drop constraint bank_statement_lines_import_fkey,
      drop constraint bank_statement_lines_deposit_fkey,
      add constraint bank_statement_lines_bank_account_id_fkey foreign key (bank_account_id) references company_bank_accounts (ledger_account_id),
      add constraint bank_statement_lines_import_id_fkey foreign key (import_id) references bank_statement_imports (id),
      add constraint bank_statement_lines_deposit_id_fkey foreign key (deposit_id) references deposit_intents (id),
      add constraint bank_statement_lines_customer_id_fkey foreign key (customer_id) references customers (id);
    alter table deposit_intents drop constraint deposit_intents_id_customer_key;
    alter table bank_statement_imports drop constraint bank_statement_imports_id_bank_account_key;
    alter table deposit_credits drop constraint deposit_credits_source_type_check;
    alter table deposit_credits add constraint deposit_credits_source_type_check check (source_type in ('statement_line', 'gateway', 'assignment'));
    insert into deposit_credits (id, deposit_id, source_type, source_id, amount, late, entry_id, created_at)
      select 'dcr_' || lower(l.id), l.deposit_id, 'statement_line', l.id, l.amount, l.late, l.entry_id, l.created_at
      from bank_statement_lines l where l.status = 'matched' and l.deposit_id is not null and l.entry_id is not null;
    alter table bank_statement_lines drop column late;
    drop function ledger_write_entries(text[], text[], text[], text[], text[], text[], text[], text[], text[], integer[], text[], text[],
      integer[], integer[], bigint[], text[], text[], text[], bigint[], bigint[], text, text, text);
  `.execute(db);
}
