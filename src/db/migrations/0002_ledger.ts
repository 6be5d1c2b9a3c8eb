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
    );
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
      -- post_pending / void_pending point at the hold they resolve: at most once (unique).
      pending_id text unique references journal_entries(id),
      -- a reversal points at what it reverses: at most once (unique).
      reverses_id text unique references journal_entries(id),
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
    create index journal_entries_reference_idx on journal_entries (reference_type, reference_id);
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
    drop table postings, journal_entries, ledger_accounts;
    drop function ledger_append_only();
  `.execute(db);
}
