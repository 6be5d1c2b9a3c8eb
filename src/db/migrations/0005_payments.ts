import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A 1688 supplier as the importer knows it: the store and the company behind it.
    create table suppliers (
      id text primary key,
      customer_id text not null references customers(id),
      store_name text not null,
      company_name text not null,
      created_by text,
      created_at timestamptz not null default now()
    );
    create index suppliers_customer_idx on suppliers (customer_id, created_at desc);

    -- Where a supplier receives yuan: Alipay, WeChat Pay or a Chinese bank account.
    create table payees (
      id text primary key,
      customer_id text not null references customers(id),
      supplier_id text not null references suppliers(id),
      kind text not null check (kind in ('alipay', 'wechat', 'bank')),
      account text not null,
      holder_name text not null,
      bank_name text,
      bank_branch text,
      cnaps_code text,
      status text not null default 'active' check (status in ('active', 'archived')),
      -- "Our bank account changed" is the classic fraud: when the details last changed.
      details_changed_at timestamptz,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index payees_customer_idx on payees (customer_id, created_at desc);
    create index payees_account_idx on payees (kind, account);

    -- Accounts and names compliance refuses to pay.
    create table payee_blocklist (
      id text primary key,
      kind text not null check (kind in ('account', 'holder_name')),
      value text not null,
      reason text not null,
      created_by text,
      created_at timestamptz not null default now(),
      unique (kind, value)
    );

    create table payments_settings (
      key text primary key,
      value jsonb not null,
      updated_by text,
      updated_at timestamptz not null default now()
    );
    insert into payments_settings (key, value) values
      ('sla_target_minutes', '60'),
      ('sla_warning_minutes', '15'),
      -- Payouts from this many fen up need a second person (finance) to approve.
      ('approval_threshold_cny', '"5000000"'),
      ('escrow_auto_release_days', '14'),
      ('deposit_expiry_hours', '24'),
      -- An amount above this multiple of the customer's largest paid order is flagged.
      ('amount_history_multiple', '"5"'),
      -- A quote's rate holds this long for an order paid by bank transfer.
      ('bank_transfer_lock_minutes', '120');

    -- Many orders created from one CSV and paid together (one quote, one deposit).
    create table order_batches (
      id text primary key,
      customer_id text not null references customers(id),
      file_name text not null,
      order_count integer not null,
      cny_total bigint not null,
      quote_id text references quotes(id),
      idr_total bigint,
      deposit_id text references deposit_intents(id),
      created_by text,
      created_at timestamptz not null default now()
    );

    create table payment_orders (
      id text primary key,
      batch_id text references order_batches(id),
      customer_id text not null references customers(id),
      supplier_id text not null references suppliers(id),
      payee_id text not null references payees(id),
      order_numbers jsonb not null,
      cny_amount bigint not null check (cny_amount > 0),
      note_to_supplier text,
      mode text not null check (mode in ('direct', 'escrow', 'installments')),
      status text not null default 'draft',
      quote_id text references quotes(id),
      idr_total bigint,
      invoice_document_id text references documents(id),
      deposit_id text references deposit_intents(id),
      escrow_release_at timestamptz,
      funded_at timestamptz,
      paid_at timestamptz,
      completed_at timestamptz,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index payment_orders_customer_idx on payment_orders (customer_id, created_at desc);
    create index payment_orders_status_idx on payment_orders (status);

    -- Every status change of an order: who, when, from, to, why.
    create table payment_order_transitions (
      id text primary key,
      order_id text not null references payment_orders(id),
      from_status text,
      to_status text not null,
      actor_type text not null,
      actor_id text,
      reason text,
      at timestamptz not null default now()
    );
    create index payment_order_transitions_order_idx on payment_order_transitions (order_id, at);

    -- What is paid to the supplier, in one part (direct, escrow) or several (30/70).
    create table order_installments (
      id text primary key,
      order_id text not null references payment_orders(id),
      seq integer not null,
      percent numeric(5, 2) not null,
      cny_amount bigint not null check (cny_amount > 0),
      idr_amount bigint,
      -- The quote's lines (reference cost, spread, fee, rounding) for this part, in IDR minor units.
      idr_lines jsonb,
      status text not null default 'pending' check (status in ('pending', 'held', 'queued', 'in_payout', 'awaiting_approval', 'paid', 'refunded')),
      hold_entry_id text references journal_entries(id),
      queued_at timestamptz,
      claimed_by text,
      claimed_at timestamptz,
      paid_at timestamptz,
      unique (order_id, seq)
    );
    create index order_installments_queue_idx on order_installments (status, queued_at) where status in ('queued', 'in_payout', 'awaiting_approval');

    -- A payout attempt by an operator: recorded, maybe approved, paid or failed.
    create table payouts (
      id text primary key,
      installment_id text not null references order_installments(id),
      order_id text not null references payment_orders(id),
      rail text not null default 'manual',
      float_account_id text not null references ledger_accounts(id),
      cny_amount bigint not null check (cny_amount > 0),
      provider_reference text not null,
      proof_document_id text references documents(id),
      status text not null check (status in ('submitted', 'awaiting_approval', 'paid', 'failed', 'rejected')),
      recorded_by text not null,
      approved_by text,
      failure_reason text,
      post_entry_id text references journal_entries(id),
      conversion_entry_id text references journal_entries(id),
      -- Printed as a QR code on the supplier's payment proof: the public page that confirms it.
      verification_code text not null unique,
      created_at timestamptz not null default now(),
      decided_at timestamptz
    );
    create index payouts_installment_idx on payouts (installment_id);
    -- At most one live payout per installment.
    create unique index payouts_live_key on payouts (installment_id) where status in ('submitted', 'awaiting_approval', 'paid');

    create table risk_flags (
      id text primary key,
      order_id text not null references payment_orders(id),
      payee_id text references payees(id),
      code text not null,
      severity text not null check (severity in ('info', 'high')),
      reason text not null,
      status text not null default 'open' check (status in ('open', 'cleared', 'confirmed')),
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      created_at timestamptz not null default now(),
      unique (order_id, code)
    );
    create index risk_flags_open_idx on risk_flags (status, created_at) where status = 'open';

    -- An importer disputes an escrow payment: staff talk it through and decide.
    create table disputes (
      id text primary key,
      order_id text not null references payment_orders(id),
      opened_by text not null,
      reason text not null,
      status text not null default 'open' check (status in ('open', 'resolved')),
      resolution text check (resolution in ('release', 'refund', 'partial_refund')),
      refund_cny bigint check (refund_cny > 0),
      resolution_note text,
      resolved_by text,
      resolved_at timestamptz,
      created_at timestamptz not null default now()
    );
    -- One open dispute per order.
    create unique index disputes_open_key on disputes (order_id) where status = 'open';

    create table dispute_messages (
      id text primary key,
      dispute_id text not null references disputes(id),
      author_type text not null check (author_type in ('importer', 'staff')),
      author_id text not null,
      body text not null,
      document_id text references documents(id),
      created_at timestamptz not null default now()
    );
    create index dispute_messages_dispute_idx on dispute_messages (dispute_id, created_at);

    -- In-app notifications: what the importer's portal lists (the same events as the e-mails).
    create table notifications (
      id text primary key,
      customer_id text not null references customers(id),
      kind text not null,
      title_id text not null,
      title_en text not null,
      object_type text,
      object_id text,
      dedupe_key text unique,
      read_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index notifications_customer_idx on notifications (customer_id, created_at desc);

    -- Yuan bought for the China-side float: how many CNY for how many IDR.
    create table fx_conversions (
      id text primary key,
      float_account_id text not null references ledger_accounts(id),
      bank_account_id text not null references ledger_accounts(id),
      cny_amount bigint not null check (cny_amount > 0),
      idr_amount bigint not null check (idr_amount > 0),
      rate numeric(20, 8) not null,
      reference text not null,
      entry_id text not null references journal_entries(id),
      recorded_by text,
      created_at timestamptz not null default now()
    );

    insert into ledger_accounts (id, code, name, kind, currency, debits_must_not_exceed_credits) values
      ('acc_sys_orders_payable_idr', 'payable:orders', 'Payment orders paid out, before conversion', 'liability', 'IDR', true);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table notifications, dispute_messages, disputes, fx_conversions, risk_flags, payouts, order_installments, payment_order_transitions, payment_orders,
      order_batches, payments_settings, payee_blocklist, payees, suppliers;
  `.execute(db);
}
