import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_accounts (
      id text primary key,
      code text not null,
      name text not null,
      kind text not null check (kind in ('asset', 'liability', 'equity', 'income', 'expense', 'position')),
      currency text not null check (currency in ('IDR', 'CNY', 'CNH', 'USD')),
      owner_type text,
      owner_id text,
      -- TigerBeetle's flags: debits_posted + debits_pending <= credits_posted, and its mirror.
      debits_must_not_exceed_credits boolean not null default false,
      credits_must_not_exceed_debits boolean not null default false,
      debits_posted bigint not null default 0 check (debits_posted >= 0),
      credits_posted bigint not null default 0 check (credits_posted >= 0),
      debits_pending bigint not null default 0 check (debits_pending >= 0),
      credits_pending bigint not null default 0 check (credits_pending >= 0),
      status text not null default 'active' check (status in ('active', 'closed')),
      created_at timestamptz not null default now(),
      unique (code, currency),
      check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)),
      -- The flags hold in the row itself, so even a bug in the code cannot overdraw.
      check (not debits_must_not_exceed_credits or debits_posted + debits_pending <= credits_posted),
      check (not credits_must_not_exceed_debits or credits_posted + credits_pending <= debits_posted)
    ) with (fillfactor = 50);
    -- Every write updates balance columns that no index covers: with room on the page the
    -- update is HOT (no index maintenance), which matters for hot accounts.
    create index ledger_accounts_owner_idx on ledger_accounts (owner_type, owner_id);

    create table journal_entries (
      id text primary key,
      idempotency_key text not null unique,
      content_hash text not null,
      kind text not null check (kind in ('posted', 'pending', 'post_pending', 'void_pending', 'reversal')),
      reason text not null,
      reference_type text,
      reference_id text,
      description text,
      -- post_pending / void_pending point at the hold they resolve: at most once (unique index below).
      pending_id text references journal_entries(id),
      -- a reversal points at what it reverses: at most once (unique index below).
      reverses_id text references journal_entries(id),
      expires_at timestamptz,
      metadata jsonb not null default '{}',
      actor_type text not null default 'system',
      actor_id text,
      request_id text,
      created_at timestamptz not null default now(),
      check ((kind in ('post_pending', 'void_pending')) = (pending_id is not null)),
      check ((kind = 'reversal') = (reverses_id is not null)),
      check (expires_at is null or kind = 'pending')
    );
    create unique index journal_entries_pending_id_key on journal_entries (pending_id) where pending_id is not null;
    create unique index journal_entries_reverses_id_key on journal_entries (reverses_id) where reverses_id is not null;
    create index journal_entries_reference_idx on journal_entries (reference_type, reference_id) where reference_type is not null;
    create index journal_entries_expiry_idx on journal_entries (expires_at) where expires_at is not null;

    create table postings (
      id bigserial primary key,
      entry_id text not null references journal_entries(id),
      seq integer not null,
      debit_account_id text not null references ledger_accounts(id),
      credit_account_id text not null references ledger_accounts(id),
      amount bigint not null check (amount > 0),
      currency text not null,
      pending boolean not null,
      -- Posted net balance (debits - credits) of each side right after this posting: a
      -- statement's running balance without summing history.
      debit_net_after bigint not null,
      credit_net_after bigint not null,
      unique (entry_id, seq),
      check (debit_account_id <> credit_account_id)
    );
    create index postings_debit_idx on postings (debit_account_id, id);
    create index postings_credit_idx on postings (credit_account_id, id);

    create function ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only', tg_table_name using errcode = 'P0001';
    end;
    $$;
    create trigger journal_entries_append_only before update or delete on journal_entries
      for each row execute function ledger_append_only();
    create trigger postings_append_only before update or delete on postings
      for each row execute function ledger_append_only();

    -- One entry, written in one round trip: lock the accounts in id order, answer a replay
    -- if the key exists, check currencies and overdraft flags, then insert the entry and
    -- its postings (with each side's running net balance) and update the balances. The
    -- caller (src/ledger/entries.ts) plans the entry; this function only applies it.
    -- Refusals come back as {"error": code, ...}; nothing is written then.
    create function ledger_write_entry(p_entry jsonb, p_postings jsonb, p_accounts jsonb) returns jsonb
    language plpgsql as $fn$
    declare
      v_account record;
      v_locked integer := 0;
      v_currency_error record;
      v_funds_error record;
      v_existing text;
      v_id text;
      v_postings jsonb;
    begin
      -- Lock every account the entry touches, in id order, and check each one as it is
      -- locked (the values are the latest committed ones): the postings' currency must be
      -- the account's, the account open, and the balance change (dp, cp, dpe, cpe) must keep
      -- it within its overdraft flag.
      for v_account in
        select a.id, a.code, a.currency, a.status, d.cur,
          (a.debits_must_not_exceed_credits and a.debits_posted + d.dp + a.debits_pending + d.dpe > a.credits_posted + d.cp)
            or (a.credits_must_not_exceed_debits and a.credits_posted + d.cp + a.credits_pending + d.cpe > a.debits_posted + d.dp) as overdrawn,
          case when a.debits_must_not_exceed_credits then a.credits_posted - a.debits_posted - a.debits_pending
               else a.debits_posted - a.credits_posted - a.credits_pending end as available
        from ledger_accounts a
        join jsonb_to_recordset(p_accounts) d(id text, cur text, dp bigint, cp bigint, dpe bigint, cpe bigint) on d.id = a.id
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
      if v_locked < jsonb_array_length(p_accounts) then
        return jsonb_build_object('error', 'account_not_found', 'accountId',
          (select min(x.id) from jsonb_to_recordset(p_accounts) x(id text) where not exists (select 1 from ledger_accounts a where a.id = x.id)));
      end if;

      -- A fresh snapshot, taken after the locks: a concurrent writer of the same key has committed by now.
      select id into v_existing from journal_entries where idempotency_key = p_entry->>'idempotency_key';
      if v_existing is not null then
        return jsonb_build_object('replay', v_existing);
      end if;

      if v_currency_error is not null then
        return jsonb_build_object('error', case when v_currency_error.status <> 'active' then 'account_closed' else 'currency_mismatch' end,
          'accountId', v_currency_error.id, 'accountCode', v_currency_error.code, 'accountCurrency', v_currency_error.currency, 'currency', v_currency_error.cur);
      end if;
      if v_funds_error is not null then
        return jsonb_build_object('error', 'insufficient_funds', 'accountId', v_funds_error.id, 'accountCode', v_funds_error.code,
          'currency', v_funds_error.currency, 'available', v_funds_error.available::text);
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
        return jsonb_build_object('replay', (select id from journal_entries where idempotency_key = p_entry->>'idempotency_key'));
      end if;

      if jsonb_array_length(p_postings) = 1 then
        -- The common case, one posting: its running balances without the general query's window.
        insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
        select v_id, 0, x.debit, x.credit, x.amount, x.currency, x.pending,
          d.debits_posted - d.credits_posted + case when x.pending then 0 else x.amount end,
          c.debits_posted - c.credits_posted - case when x.pending then 0 else x.amount end
        from (select p_postings->0->>'debit' as debit, p_postings->0->>'credit' as credit, (p_postings->0->>'amount')::bigint as amount,
                     p_postings->0->>'currency' as currency, (p_postings->0->>'pending')::boolean as pending) x
        join ledger_accounts d on d.id = x.debit
        join ledger_accounts c on c.id = x.credit
        returning jsonb_build_array(jsonb_build_array(id::text, debit_net_after::text, credit_net_after::text)) into v_postings;
      elsif jsonb_array_length(p_postings) > 1 then
        with p as (
          select (x.seq - 1)::int as seq, x.j->>'debit' as debit, x.j->>'credit' as credit, (x.j->>'amount')::bigint as amount,
            x.j->>'currency' as currency, (x.j->>'pending')::boolean as pending
          from jsonb_array_elements(p_postings) with ordinality as x(j, seq)
        ),
        moves as (
          select seq, debit as account_id, 'd' as side, case when pending then 0 else amount end as delta from p
          union all
          select seq, credit, 'c', case when pending then 0 else -amount end from p
        ),
        running as (
          select m.seq, m.side, a.debits_posted - a.credits_posted
            + sum(m.delta) over (partition by m.account_id order by m.seq, m.side rows unbounded preceding) as net_after
          from moves m join ledger_accounts a on a.id = m.account_id
        ),
        inserted as (
          insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
          select v_id, p.seq, p.debit, p.credit, p.amount, p.currency, p.pending, rd.net_after, rc.net_after
          from p
          join running rd on rd.seq = p.seq and rd.side = 'd'
          join running rc on rc.seq = p.seq and rc.side = 'c'
          returning id, seq, debit_net_after, credit_net_after
        )
        select coalesce(jsonb_agg(jsonb_build_array(id::text, debit_net_after::text, credit_net_after::text) order by seq), '[]'::jsonb)
        into v_postings from inserted;
      else
        v_postings := '[]'::jsonb;
      end if;

      update ledger_accounts as a set
        debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp,
        debits_pending = a.debits_pending + d.dpe, credits_pending = a.credits_pending + d.cpe
      from jsonb_to_recordset(p_accounts) d(id text, dp bigint, cp bigint, dpe bigint, cpe bigint)
      where a.id = d.id and (d.dp <> 0 or d.cp <> 0 or d.dpe <> 0 or d.cpe <> 0);

      return jsonb_build_object('id', v_id, 'createdAt', now(), 'postings', v_postings);
    end;
    $fn$;

    -- The system part of the chart of accounts (DESIGN.md). Company bank accounts and
    -- CNY float accounts are added by an admin; customer wallets when first needed.
    insert into ledger_accounts (id, code, name, kind, currency, debits_must_not_exceed_credits) values
      ('acc_sys_fx_position_idr', 'fx:position', 'FX position (rupiah side)', 'position', 'IDR', false),
      ('acc_sys_fx_position_cny', 'fx:position', 'FX position (yuan side)', 'position', 'CNY', false),
      ('acc_sys_revenue_fee_idr', 'revenue:fee', 'Service fee revenue', 'income', 'IDR', false),
      ('acc_sys_revenue_spread_idr', 'revenue:fx-spread', 'FX spread revenue', 'income', 'IDR', false),
      ('acc_sys_suspense_idr', 'suspense:unmatched', 'Unmatched deposits', 'liability', 'IDR', true),
      ('acc_sys_payable_supplier_cny', 'payable:supplier', 'Payable to suppliers', 'liability', 'CNY', true),
      ('acc_sys_equity_capital_idr', 'equity:capital', 'Owners'' capital (rupiah)', 'equity', 'IDR', false),
      ('acc_sys_equity_capital_cny', 'equity:capital', 'Owners'' capital (yuan)', 'equity', 'CNY', false);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function ledger_write_entry(jsonb, jsonb, jsonb);
    drop table postings, journal_entries, ledger_accounts;
    drop function ledger_append_only();
  `.execute(db);
}
