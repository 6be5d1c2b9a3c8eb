import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Bank details of the company's Indonesian accounts (the ledger account is 'bank:<slug>').
    create table company_bank_accounts (
      ledger_account_id text primary key references ledger_accounts(id),
      bank_code text not null,
      account_number text not null,
      holder_name text not null,
      -- A shipped statement format (src/funding/formats/bank-formats.json) or 'mt940'.
      statement_format text not null,
      accepts_deposits boolean not null default true,
      updated_by text,
      updated_at timestamptz not null default now()
    );

    create table funding_settings (
      key text primary key,
      value jsonb not null,
      updated_by text,
      updated_at timestamptz not null default now()
    );
    insert into funding_settings (key, value) values
      ('deposit_expiry_hours', '24'),
      -- A payment that arrives after its intent expired is still matched (and credited to
      -- the wallet) up to this many days later.
      ('late_match_days', '14'),
      -- Assigning or returning suspense money above this (minor units) needs a second person.
      ('assignment_approval_threshold', '"5000000000"'),
      -- Gateway callbacks older than this are refused as stale.
      ('gateway_callback_max_age_hours', '72');

    create table deposit_intents (
      id text primary key,
      customer_id text not null references customers(id),
      bank_account_id text not null references company_bank_accounts(ledger_account_id),
      purpose text not null check (purpose in ('wallet_topup', 'payment_order')),
      reference_type text,
      reference_id text,
      -- Short code the importer may write in the transfer news (berita), e.g. JBT7K3Q9MX.
      reference_code text not null unique,
      currency text not null default 'IDR' check (currency = 'IDR'),
      requested_amount bigint not null check (requested_amount > 0),
      -- Whole rupiah added to make the amount recognisable (0 with a virtual account).
      unique_code integer not null check (unique_code between 0 and 999),
      amount_due bigint not null check (amount_due > 0),
      received_amount bigint not null default 0 check (received_amount >= 0),
      status text not null default 'open' check (status in ('open', 'partially_paid', 'paid', 'expired', 'cancelled')),
      gateway text,
      virtual_account_bank text,
      virtual_account_number text,
      gateway_external_id text unique,
      expires_at timestamptz not null,
      created_by text,
      created_at timestamptz not null default now(),
      paid_at timestamptz,
      closed_at timestamptz
    );
    -- Two open unique-code intents on one bank account never expect the same amount
    -- (virtual-account intents are paid through the gateway, not recognised by amount).
    create unique index deposit_intents_open_amount_key on deposit_intents (bank_account_id, amount_due)
      where status in ('open', 'partially_paid') and virtual_account_number is null;
    create index deposit_intents_customer_idx on deposit_intents (customer_id, created_at desc);
    create index deposit_intents_status_idx on deposit_intents (bank_account_id, status, expires_at);
    create unique index deposit_intents_va_key on deposit_intents (virtual_account_number)
      where virtual_account_number is not null and status in ('open', 'partially_paid');

    create table bank_statement_imports (
      id text primary key,
      bank_account_id text not null references company_bank_accounts(ledger_account_id),
      format text not null,
      file_name text not null,
      file_sha256 text not null,
      period_from date,
      period_to date,
      lines_total integer not null,
      lines_new integer not null,
      lines_duplicate integer not null,
      lines_skipped integer not null,
      credits_matched integer not null,
      credits_review integer not null,
      debits integer not null,
      credits_total bigint not null default 0,
      debits_total bigint not null default 0,
      skipped jsonb not null default '[]',
      statement_balance bigint,
      ledger_balance bigint not null,
      balance_breaks jsonb not null default '[]',
      imported_by text,
      created_at timestamptz not null default now()
    );
    create index bank_statement_imports_account_idx on bank_statement_imports (bank_account_id, created_at desc);

    create table bank_statement_lines (
      id text primary key,
      bank_account_id text not null references company_bank_accounts(ledger_account_id),
      import_id text not null references bank_statement_imports(id),
      -- Same transaction in two exports (or twice the same file) = same fingerprint.
      fingerprint text not null,
      line_no integer not null,
      value_date date not null,
      description text not null,
      direction text not null check (direction in ('credit', 'debit')),
      amount bigint not null check (amount > 0),
      balance_after bigint,
      status text not null check (status in ('matched', 'review', 'pending_approval', 'assigned', 'returned', 'debit')),
      match_kind text,
      match_reason text,
      review_reason text check (review_reason in ('unmatched', 'ambiguous')),
      candidates jsonb not null default '[]',
      deposit_id text references deposit_intents(id),
      customer_id text references customers(id),
      entry_id text references journal_entries(id),
      created_at timestamptz not null default now(),
      unique (bank_account_id, fingerprint)
    );
    create index bank_statement_lines_import_idx on bank_statement_lines (import_id, line_no);
    create index bank_statement_lines_review_idx on bank_statement_lines (status, value_date) where status in ('review', 'pending_approval');
    create index bank_statement_lines_deposit_idx on bank_statement_lines (deposit_id) where deposit_id is not null;

    -- Payments reported by a gateway callback: one row per gateway payment id, ever.
    create table gateway_payments (
      id text primary key,
      gateway text not null,
      payment_id text not null,
      external_id text,
      deposit_id text references deposit_intents(id),
      amount bigint not null check (amount > 0),
      paid_at timestamptz not null,
      status text not null check (status in ('credited', 'suspense')),
      entry_id text not null references journal_entries(id),
      payload jsonb not null,
      created_at timestamptz not null default now(),
      unique (gateway, payment_id)
    );

    -- Every rupiah applied to a deposit intent, whatever brought it.
    create table deposit_credits (
      id text primary key,
      deposit_id text not null references deposit_intents(id),
      source_type text not null check (source_type in ('statement_line', 'gateway', 'assignment')),
      source_id text not null,
      amount bigint not null check (amount > 0),
      late boolean not null default false,
      entry_id text not null references journal_entries(id),
      created_at timestamptz not null default now(),
      unique (source_type, source_id)
    );
    create index deposit_credits_deposit_idx on deposit_credits (deposit_id);

    -- Finance decisions on money in suspense: assign to a customer, or return to the sender.
    create table suspense_decisions (
      id text primary key,
      line_id text not null references bank_statement_lines(id),
      action text not null check (action in ('assign', 'return')),
      customer_id text references customers(id),
      deposit_id text references deposit_intents(id),
      amount bigint not null check (amount > 0),
      note text not null,
      return_reference text,
      status text not null check (status in ('pending_approval', 'done', 'rejected')),
      requested_by text not null,
      decided_by text,
      decided_at timestamptz,
      rejection_reason text,
      entry_id text references journal_entries(id),
      created_at timestamptz not null default now(),
      check ((action = 'assign') = (customer_id is not null))
    );
    -- One live decision per line.
    create unique index suspense_decisions_line_key on suspense_decisions (line_id) where status in ('pending_approval', 'done');

    create table documents (
      id text primary key,
      kind text not null,
      owner_customer_id text references customers(id),
      file_name text not null,
      content_type text not null,
      size_bytes integer not null,
      sha256 text not null,
      storage_key text not null,
      uploaded_by text,
      created_at timestamptz not null default now()
    );

    create table withdrawals (
      id text primary key,
      customer_id text not null references customers(id),
      currency text not null default 'IDR' check (currency = 'IDR'),
      amount bigint not null check (amount > 0),
      bank_name text not null,
      account_number text not null,
      holder_name text not null,
      status text not null default 'requested' check (status in ('requested', 'approved', 'paid', 'rejected', 'cancelled')),
      hold_entry_id text not null references journal_entries(id),
      resolve_entry_id text references journal_entries(id),
      payout_entry_id text references journal_entries(id),
      paid_from_account_id text references ledger_accounts(id),
      payout_reference text,
      proof_document_id text references documents(id),
      reason text,
      requested_by text,
      decided_by text,
      decided_at timestamptz,
      paid_by text,
      paid_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index withdrawals_customer_idx on withdrawals (customer_id, created_at desc);
    create index withdrawals_status_idx on withdrawals (status, created_at);

    -- Many posted entries in one call (a bank statement import credits thousands of
    -- lines): the same locks and checks as ledger_write_entry, applied set-wise. Every key
    -- must be new (callers use keys derived from freshly inserted rows); a known key
    -- refuses the whole batch.
    create function ledger_write_entries(p_entries jsonb, p_postings jsonb, p_accounts jsonb, p_actor jsonb) returns jsonb
    language plpgsql as $fn$
    declare
      v_account record;
      v_locked integer := 0;
      v_currency_error record;
      v_funds_error record;
      v_existing text;
    begin
      for v_account in
        select a.id, a.code, a.currency, a.status, d.cur,
          (a.debits_must_not_exceed_credits and a.debits_posted + d.dp + a.debits_pending > a.credits_posted + d.cp)
            or (a.credits_must_not_exceed_debits and a.credits_posted + d.cp + a.credits_pending > a.debits_posted + d.dp) as overdrawn,
          case when a.debits_must_not_exceed_credits then a.credits_posted - a.debits_posted - a.debits_pending
               else a.debits_posted - a.credits_posted - a.credits_pending end as available
        from ledger_accounts a
        join jsonb_to_recordset(p_accounts) d(id text, cur text, dp bigint, cp bigint) on d.id = a.id
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
      if v_currency_error is not null then
        return jsonb_build_object('error', case when v_currency_error.status <> 'active' then 'account_closed' else 'currency_mismatch' end,
          'accountId', v_currency_error.id, 'accountCode', v_currency_error.code, 'accountCurrency', v_currency_error.currency, 'currency', v_currency_error.cur);
      end if;
      if v_funds_error is not null then
        return jsonb_build_object('error', 'insufficient_funds', 'accountId', v_funds_error.id, 'accountCode', v_funds_error.code,
          'currency', v_funds_error.currency, 'available', v_funds_error.available::text);
      end if;

      select j.idempotency_key into v_existing from journal_entries j
        join jsonb_to_recordset(p_entries) e(key text) on e.key = j.idempotency_key limit 1;
      if v_existing is not null then
        return jsonb_build_object('error', 'key_exists', 'key', v_existing);
      end if;

      insert into journal_entries (id, idempotency_key, content_hash, kind, reason, reference_type, reference_id, description,
        metadata, actor_type, actor_id, request_id)
      select e.id, e.key, e.hash, 'posted', e.reason, e.rt, e.rid, e.description, coalesce(e.metadata, '{}'::jsonb),
        p_actor->>'type', p_actor->>'id', p_actor->>'request_id'
      from jsonb_to_recordset(p_entries) e(id text, key text, hash text, reason text, rt text, rid text, description text, metadata jsonb);

      -- One pass, no self-join: each posting appears as its debit and its credit move, the
      -- window gives every move its account's running balance, and grouping by posting puts
      -- the two back together. (A join back on the posting number was planned as a nested
      -- loop over the JSON rows: quadratic in the batch size.)
      with p as (
        select x.ord, x.entry, x.debit, x.credit, x.amount, x.currency
        from rows from (jsonb_to_recordset(p_postings) as (entry text, debit text, credit text, amount bigint, currency text))
          with ordinality as x(entry, debit, credit, amount, currency, ord)
      ),
      moves as (
        select p.*, 'd' as side, p.debit as account_id, p.amount as delta from p
        union all
        select p.*, 'c', p.credit, -p.amount from p
      ),
      running as (
        select m.ord, m.entry, m.debit, m.credit, m.amount, m.currency, m.side, a.debits_posted - a.credits_posted
          + sum(m.delta) over (partition by m.account_id order by m.ord, m.side rows unbounded preceding) as net_after
        from moves m join ledger_accounts a on a.id = m.account_id
      )
      insert into postings (entry_id, seq, debit_account_id, credit_account_id, amount, currency, pending, debit_net_after, credit_net_after)
      select entry, (row_number() over (partition by entry order by ord) - 1)::int, debit, credit, amount, currency, false,
        max(net_after) filter (where side = 'd'), max(net_after) filter (where side = 'c')
      from running
      group by ord, entry, debit, credit, amount, currency
      order by ord;

      update ledger_accounts as a set
        debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp
      from jsonb_to_recordset(p_accounts) d(id text, dp bigint, cp bigint)
      where a.id = d.id and (d.dp <> 0 or d.cp <> 0);

      return jsonb_build_object('count', jsonb_array_length(p_entries), 'createdAt', now());
    end;
    $fn$;

    -- The clearing account between a customer's wallet and the bank for withdrawals.
    insert into ledger_accounts (id, code, name, kind, currency, debits_must_not_exceed_credits) values
      ('acc_sys_withdrawals_payable_idr', 'payable:withdrawals', 'Withdrawals to pay out', 'liability', 'IDR', true);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function ledger_write_entries(jsonb, jsonb, jsonb, jsonb);
    drop table withdrawals, documents, suspense_decisions, deposit_credits, gateway_payments,
      bank_statement_lines, bank_statement_imports, deposit_intents, funding_settings, company_bank_accounts;
  `.execute(db);
}
