import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers add column pricing_tier text not null default 'standard';

    -- Reference mid-market rates: history kept forever.
    create table fx_rates (
      id text primary key,
      base text not null,
      quote text not null,
      rate numeric(30, 12) not null check (rate > 0),
      source text not null,
      observed_at timestamptz not null,
      recorded_by text,
      created_at timestamptz not null default now(),
      check (base <> quote),
      -- the same observation imported twice is one row
      unique (base, quote, source, observed_at)
    );
    create index fx_rates_pair_time_idx on fx_rates (base, quote, observed_at desc);

    create table fx_spreads (
      id text primary key,
      base text not null,
      quote text not null,
      tier text not null default 'standard',
      kind text not null check (kind in ('percent', 'per_unit')),
      value numeric(20, 8) not null check (value >= 0),
      effective_from timestamptz not null,
      created_by text,
      created_at timestamptz not null default now()
    );
    create index fx_spreads_lookup_idx on fx_spreads (base, quote, tier, effective_from desc);

    -- Service fee: tiers by the USD equivalent of the payment, a minimum fee, from a date.
    create table fee_schedules (
      id text primary key,
      effective_from timestamptz not null,
      currency text not null default 'IDR',
      minimum_fee bigint not null check (minimum_fee >= 0),
      tiers jsonb not null,
      note text,
      created_by text,
      created_at timestamptz not null default now()
    );
    create index fee_schedules_effective_idx on fee_schedules (effective_from desc);

    create table pricing_settings (
      key text primary key,
      value jsonb not null,
      updated_by text,
      updated_at timestamptz not null default now()
    );
    insert into pricing_settings (key, value) values
      ('quote_lock_minutes', '15'),
      ('max_rate_age_minutes', '1440'),
      ('bank_wire_fee_usd', '"25"'),
      ('bank_fx_margin_percent', '"2.5"');

    -- Standard spread and fee schedule; admins change them from the console.
    insert into fx_spreads (id, base, quote, tier, kind, value, effective_from) values
      ('fxs_default_cny_idr', 'CNY', 'IDR', 'standard', 'percent', 1.2, '2020-01-01T00:00:00Z'),
      ('fxs_default_cny_idr_priority', 'CNY', 'IDR', 'priority', 'percent', 0.7, '2020-01-01T00:00:00Z');
    insert into fee_schedules (id, effective_from, minimum_fee, tiers, note) values
      ('fee_default', '2020-01-01T00:00:00Z', 2500000,
       '[{"fromUsd": "0", "percent": "1.0"}, {"fromUsd": "1000", "percent": "0.6"}, {"fromUsd": "10000", "percent": "0.4"}]',
       'Default schedule: 1 % below USD 1,000, 0.6 % from USD 1,000, 0.4 % from USD 10,000; minimum Rp 25.000');

    -- An accepted quote: written when the importer accepts it, used at most once.
    create table quotes (
      id text primary key,
      customer_id text not null references customers(id),
      direction text not null check (direction in ('cny_to_idr', 'idr_to_cny')),
      cny_amount bigint not null check (cny_amount > 0),
      idr_total bigint not null check (idr_total > 0),
      breakdown jsonb not null,
      expires_at timestamptz not null,
      accepted_by text not null,
      accepted_at timestamptz not null default now(),
      used_at timestamptz,
      used_by_type text,
      used_by_id text,
      check ((used_at is null) = (used_by_id is null))
    );
    create index quotes_customer_idx on quotes (customer_id, accepted_at desc);

    -- Duty and tax rates for the landed-cost calculator: data with effective dates.
    create table tax_rules (
      id text primary key,
      key text not null,
      value numeric(20, 10) not null,
      effective_from date not null,
      legal_basis text,
      created_by text,
      created_at timestamptz not null default now(),
      unique (key, effective_from)
    );
    insert into tax_rules (id, key, value, effective_from, legal_basis) values
      ('tax_ppn_rate_2025', 'ppn_rate_percent', 12, '2025-01-01', 'UU 7/2021 (HPP) art. 7: PPN 12 % from 1 January 2025'),
      ('tax_ppn_dpp_num_2025', 'ppn_base_numerator', 11, '2025-01-01', 'PMK 131/2024: for goods other than luxury goods the base is 11/12 of the import value'),
      ('tax_ppn_dpp_den_2025', 'ppn_base_denominator', 12, '2025-01-01', 'PMK 131/2024'),
      ('tax_ppn_rate_2022', 'ppn_rate_percent', 11, '2022-04-01', 'UU 7/2021 (HPP) art. 7: PPN 11 % from 1 April 2022'),
      ('tax_ppn_dpp_num_2022', 'ppn_base_numerator', 1, '2022-04-01', 'Base = import value'),
      ('tax_ppn_dpp_den_2022', 'ppn_base_denominator', 1, '2022-04-01', 'Base = import value'),
      ('tax_pph22_api', 'pph22_with_api_percent', 2.5, '2017-01-01', 'PMK 34/2017 art. 2: 2.5 % for importers with an API (importer identification number)'),
      ('tax_pph22_noapi', 'pph22_without_api_percent', 7.5, '2017-01-01', 'PMK 34/2017 art. 2: 7.5 % without an API'),
      ('tax_pph22_listed', 'pph22_listed_goods_percent', 10, '2017-01-01', 'PMK 34/2017 (as amended): 10 % for certain listed goods'),
      ('tax_consign_deminimis', 'consignment_duty_free_usd', 3, '2023-10-17', 'PMK 96/2023: consignments up to FOB USD 3 are free of import duty'),
      ('tax_consign_max', 'consignment_max_usd', 1500, '2023-10-17', 'PMK 96/2023: the consignment regime applies up to FOB USD 1,500'),
      ('tax_consign_duty', 'consignment_duty_percent', 7.5, '2023-10-17', 'PMK 96/2023: 7.5 % import duty for consignments above FOB USD 3'),
      ('tax_rounding', 'customs_rounding_idr', 1000, '2017-01-01', 'Duties and import taxes are paid rounded up to the thousand rupiah');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table tax_rules, quotes, pricing_settings, fee_schedules, fx_spreads, fx_rates;
    alter table customers drop column pricing_tier;
  `.execute(db);
}
