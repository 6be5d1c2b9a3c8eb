import { sql, type Kysely } from 'kysely';

/**
 * Forwarding: China warehouses, marking codes, parcels received and stored, freight tariffs,
 * shipments to Indonesia. Weights are whole grams and lengths whole millimetres, so every
 * chargeable-weight and volume computation is exact integer arithmetic.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table warehouses (
      id text primary key,
      code text not null unique check (code ~ '^[A-Z0-9]{2,10}$'),
      name text not null,
      city text not null,
      address_zh text not null,
      address_latin text not null,
      contact_name text not null,
      contact_phone text not null,
      opening_days text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    -- One marking code per importer (JBT-1001…): what suppliers write on every box (唛头).
    create sequence marking_code_seq start 1001;
    create table marking_codes (
      customer_id text primary key references customers(id),
      code text not null unique,
      created_at timestamptz not null default now()
    );

    create table forwarding_settings (
      key text primary key,
      value jsonb not null,
      updated_by text,
      updated_at timestamptz not null default now()
    );
    insert into forwarding_settings (key, value) values
      ('free_storage_days', '30'),
      ('free_storage_warning_days', '3'),
      ('storage_fee_basis', '"parcel"'),
      -- Rupiah minor units per day: Rp 5.000 a parcel, or Rp 25.000 a cubic metre.
      ('storage_fee_per_parcel_day', '"500000"'),
      ('storage_fee_per_cbm_day', '"2500000"'),
      ('abandon_after_days', '90'),
      ('abandon_notice_days', '7'),
      -- An invoice this many percent above the held estimate waits for the importer to pay it.
      ('auto_settle_excess_percent', '10'),
      -- An invoice unpaid this many days is cancelled: the estimate back, the parcels back to storage.
      ('invoice_payment_days', '7');

    create table parcels (
      id text primary key,
      warehouse_id text not null references warehouses(id),
      -- Null while nobody could tell whose it is (unidentified queue).
      customer_id text references customers(id),
      status text not null check (status in ('unidentified', 'received', 'in_shipment', 'shipped', 'abandoned')),
      tracking_number text not null,
      courier text,
      marking_read text,
      cartons integer not null check (cartons between 1 and 10000),
      weight_g bigint not null check (weight_g > 0),
      length_mm integer not null check (length_mm > 0),
      width_mm integer not null check (width_mm > 0),
      height_mm integer not null check (height_mm > 0),
      condition text not null default 'good' check (condition in ('good', 'damaged', 'wet', 'opened')),
      condition_note text,
      supplier_name text,
      order_numbers jsonb not null default '[]',
      payment_order_id text references payment_orders(id),
      match_reason text,
      shipment_id text,
      received_by text,
      received_at timestamptz not null default now(),
      -- The last China calendar day that is free, and the last one already charged.
      free_through date not null,
      storage_charged_through date,
      storage_charged bigint not null default 0 check (storage_charged >= 0),
      -- Storage the wallet could not pay when due: added to the parcel's shipment invoice.
      storage_owed bigint not null default 0 check (storage_owed >= 0),
      free_warning_sent_at timestamptz,
      -- The China day from which it counts as abandoned (after a notice); moved on when reinstated.
      abandon_after date not null,
      abandon_notice_sent_at timestamptz,
      abandoned_at timestamptz,
      updated_at timestamptz not null default now()
    );
    -- A tracking number is received once per warehouse: a second scan is a clear error.
    create unique index parcels_tracking_idx on parcels (warehouse_id, tracking_number);
    create index parcels_customer_idx on parcels (customer_id, status, received_at desc);
    create index parcels_status_idx on parcels (status, received_at);

    create table parcel_photos (
      parcel_id text not null references parcels(id),
      document_id text not null references documents(id),
      seq integer not null,
      primary key (parcel_id, seq)
    );

    create table parcel_transitions (
      id text primary key,
      parcel_id text not null references parcels(id),
      from_status text,
      to_status text not null,
      actor_type text not null,
      actor_id text,
      reason text,
      at timestamptz not null default now()
    );
    create index parcel_transitions_parcel_idx on parcel_transitions (parcel_id, at);

    -- Tracking numbers an importer announced before the parcel arrived.
    create table parcel_announcements (
      id text primary key,
      customer_id text not null references customers(id),
      tracking_number text not null,
      courier text,
      order_numbers jsonb not null default '[]',
      payment_order_id text references payment_orders(id),
      note text,
      parcel_id text references parcels(id),
      created_by text,
      created_at timestamptz not null default now(),
      unique (customer_id, tracking_number)
    );
    create index parcel_announcements_tracking_idx on parcel_announcements (tracking_number);

    -- "That box is mine": an importer's claim on an unidentified parcel, decided by staff.
    create table parcel_claims (
      id text primary key,
      parcel_id text not null references parcels(id),
      customer_id text not null references customers(id),
      evidence text not null,
      document_id text references documents(id),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      decided_by text,
      decision_note text,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index parcel_claims_pending_idx on parcel_claims (parcel_id, customer_id) where status = 'pending';

    -- Freight prices as data, versioned by date: the row in force is the latest effective_from
    -- on or before today for its route, mode and goods category.
    create table freight_tariffs (
      id text primary key,
      warehouse_id text not null references warehouses(id),
      destination text not null,
      mode text not null check (mode in ('air', 'sea', 'land')),
      category text not null check (category ~ '^[a-z_]{2,30}$'),
      -- kg: price per chargeable kilogram; cbm: price per chargeable cubic metre.
      basis text not null check (basis in ('kg', 'cbm')),
      rate bigint not null check (rate >= 0),
      -- kg basis: cm³ per volumetric kilogram (6000 for air); null = actual weight only.
      volumetric_divisor integer check (volumetric_divisor > 0),
      -- cbm basis, weight/measure rule: kilograms that count as one cubic metre; null = volume only.
      kg_per_cbm integer check (kg_per_cbm > 0),
      -- In grams (kg basis) or cm³ (cbm basis): chargeable units are rounded up to the step and at least the minimum.
      rounding_step bigint not null check (rounding_step > 0),
      min_chargeable bigint not null default 0 check (min_chargeable >= 0),
      minimum_charge bigint not null default 0 check (minimum_charge >= 0),
      insurance_percent numeric(6, 3) not null default 0 check (insurance_percent >= 0 and insurance_percent < 100),
      insurance_minimum bigint not null default 0 check (insurance_minimum >= 0),
      lead_days_min integer not null check (lead_days_min >= 0),
      lead_days_max integer not null check (lead_days_max >= lead_days_min),
      -- False = not offered from this date (e.g. batteries by air).
      available boolean not null default true,
      effective_from date not null,
      created_by text,
      created_at timestamptz not null default now(),
      check ((basis = 'kg' and kg_per_cbm is null) or (basis = 'cbm' and volumetric_divisor is null))
    );
    create index freight_tariffs_lookup_idx on freight_tariffs (warehouse_id, destination, mode, category, effective_from desc);

    create table shipments (
      id text primary key,
      customer_id text not null references customers(id),
      warehouse_id text not null references warehouses(id),
      destination text not null,
      delivery_address text not null,
      mode text not null check (mode in ('air', 'sea', 'land')),
      category text not null,
      tariff_id text not null references freight_tariffs(id),
      status text not null check (status in ('requested', 'packed', 'invoiced', 'paid', 'departed', 'arrived_port', 'held_customs',
        'customs_cleared', 'out_for_delivery', 'delivered', 'lost', 'damaged', 'cancelled')),
      insured boolean not null default false,
      declared_value bigint not null default 0 check (declared_value >= 0),
      estimate jsonb not null,
      estimate_total bigint not null check (estimate_total >= 0),
      hold_entry_id text references journal_entries(id),
      packages jsonb,
      extra_charges jsonb not null default '[]',
      invoice jsonb,
      invoice_total bigint check (invoice_total >= 0),
      paid_entry_id text references journal_entries(id),
      -- Credit notes after payment (an overcharge corrected): rupiah returned to the wallet.
      credited bigint not null default 0 check (credited >= 0),
      credits jsonb not null default '[]',
      carrier_reference text,
      eta_from date,
      eta_to date,
      packed_at timestamptz,
      invoiced_at timestamptz,
      paid_at timestamptz,
      departed_at timestamptz,
      delivered_at timestamptz,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index shipments_customer_idx on shipments (customer_id, created_at desc);
    create index shipments_status_idx on shipments (status, created_at);
    alter table parcels add constraint parcels_shipment_fk foreign key (shipment_id) references shipments(id);

    create table shipment_transitions (
      id text primary key,
      shipment_id text not null references shipments(id),
      from_status text,
      to_status text not null,
      actor_type text not null,
      actor_id text,
      reason text,
      document_id text references documents(id),
      at timestamptz not null default now()
    );
    create index shipment_transitions_shipment_idx on shipment_transitions (shipment_id, at);

    -- Lost or damaged cargo that was insured: the importer claims, finance decides.
    create table insurance_claims (
      id text primary key,
      shipment_id text not null references shipments(id),
      customer_id text not null references customers(id),
      claimed_amount bigint not null check (claimed_amount > 0),
      description text not null,
      document_id text references documents(id),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      approved_amount bigint check (approved_amount > 0),
      entry_id text references journal_entries(id),
      decided_by text,
      decision_note text,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index insurance_claims_open_idx on insurance_claims (shipment_id) where status <> 'rejected';

    insert into ledger_accounts (id, code, name, kind, currency, debits_must_not_exceed_credits) values
      ('acc_sys_payable_cargo_idr', 'payable:cargo', 'Cargo estimates held and invoices being settled', 'liability', 'IDR', true),
      ('acc_sys_revenue_cargo_idr', 'revenue:cargo', 'Freight and handling charged to importers', 'income', 'IDR', false),
      ('acc_sys_revenue_storage_idr', 'revenue:storage', 'Warehouse storage after the free period', 'income', 'IDR', false),
      ('acc_sys_payable_insurance_idr', 'payable:cargo-insurance', 'Cargo insurance premiums collected for the insurer', 'liability', 'IDR', false);
    insert into ledger_accounts (id, code, name, kind, currency) values
      ('acc_sys_expense_cargo_claims_idr', 'expense:cargo-claims', 'Insurance claims paid to importers for lost or damaged cargo', 'expense', 'IDR');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table parcels drop constraint parcels_shipment_fk;
    drop table insurance_claims, shipment_transitions, shipments, freight_tariffs, parcel_claims, parcel_announcements, parcel_transitions,
      parcel_photos, parcels, forwarding_settings, marking_codes, warehouses;
    drop sequence marking_code_seq;
  `.execute(db);
}
