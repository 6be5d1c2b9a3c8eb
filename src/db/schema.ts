import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A timestamptz column: read as Date, written as Date or an SQL default. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;

export const ROLES = ['importer', 'ops', 'finance', 'compliance', 'warehouse', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ROLES.filter((r) => r !== 'importer') as Exclude<Role, 'importer'>[];

export interface CustomersTable {
  id: string;
  kind: 'company' | 'person';
  name: string;
  phone: string | null;
  status: Generated<'active' | 'suspended'>;
  pricing_tier: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  customer_id: string | null;
  locale: Generated<'id' | 'en'>;
  status: Generated<'active' | 'disabled'>;
  failed_login_count: Generated<number>;
  locked_until: NullableTimestamp;
  totp_secret_enc: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: bigint | null;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type MfaState = 'complete' | 'pending' | 'enrolment_required';

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  mfa_state: MfaState;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: string;
  customer_id: string;
  created_by_user_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: Json<string[]>;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PasswordResetTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface LoginAttemptsTable {
  id: Generated<bigint>;
  email: string;
  ip: string | null;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface AuditLogTable {
  id: string;
  at: Generated<Date>;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  data: Json<Record<string, unknown>>;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: string;
  name: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Generated<Date>;
  locked_at: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: NullableTimestamp;
}

export interface JobSchedulesTable {
  name: string;
  job_name: string;
  interval_seconds: number;
  next_run_at: Timestamp;
  last_run_at: NullableTimestamp;
}

export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: Json<unknown> | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export type AccountKind = 'asset' | 'liability' | 'equity' | 'income' | 'expense' | 'position';
export type EntryKind = 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'reversal';

export interface LedgerAccountsTable {
  id: string;
  code: string;
  name: string;
  kind: AccountKind;
  currency: string;
  owner_type: string | null;
  owner_id: string | null;
  debits_must_not_exceed_credits: Generated<boolean>;
  credits_must_not_exceed_debits: Generated<boolean>;
  debits_posted: Generated<bigint>;
  credits_posted: Generated<bigint>;
  debits_pending: Generated<bigint>;
  credits_pending: Generated<bigint>;
  status: Generated<'active' | 'closed'>;
  created_at: Generated<Date>;
}

export interface JournalEntriesTable {
  id: string;
  idempotency_key: string;
  content_hash: string;
  kind: EntryKind;
  reason: string;
  reference_type: string | null;
  reference_id: string | null;
  description: string | null;
  pending_id: string | null;
  reverses_id: string | null;
  expires_at: NullableTimestamp;
  metadata: Json<Record<string, unknown>>;
  actor_type: Generated<'user' | 'api_key' | 'system'>;
  actor_id: string | null;
  request_id: string | null;
  created_at: Generated<Date>;
}

export interface PostingsTable {
  id: Generated<bigint>;
  entry_id: string;
  seq: number;
  debit_account_id: string;
  credit_account_id: string;
  amount: bigint;
  currency: string;
  pending: boolean;
  debit_net_after: bigint;
  credit_net_after: bigint;
}

export interface FxRatesTable {
  id: string;
  base: string;
  quote: string;
  rate: string;
  source: string;
  observed_at: Timestamp;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

export interface FxSpreadsTable {
  id: string;
  base: string;
  quote: string;
  tier: string;
  kind: 'percent' | 'per_unit';
  value: string;
  effective_from: Timestamp;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface FeeTier {
  fromUsd: string;
  percent: string;
}

export interface FeeSchedulesTable {
  id: string;
  effective_from: Timestamp;
  currency: Generated<string>;
  minimum_fee: bigint;
  tiers: Json<FeeTier[]>;
  note: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface PricingSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface QuotesTable {
  id: string;
  customer_id: string;
  direction: 'cny_to_idr' | 'idr_to_cny';
  cny_amount: bigint;
  idr_total: bigint;
  breakdown: Json<Record<string, unknown>>;
  expires_at: Timestamp;
  accepted_by: string;
  accepted_at: Generated<Date>;
  used_at: NullableTimestamp;
  used_by_type: string | null;
  used_by_id: string | null;
}

export interface TaxRulesTable {
  id: string;
  key: string;
  value: string;
  effective_from: ColumnType<Date, string, string>;
  legal_basis: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface DB {
  fx_rates: FxRatesTable;
  fx_spreads: FxSpreadsTable;
  fee_schedules: FeeSchedulesTable;
  pricing_settings: PricingSettingsTable;
  quotes: QuotesTable;
  tax_rules: TaxRulesTable;
  ledger_accounts: LedgerAccountsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  customers: CustomersTable;
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  api_keys: ApiKeysTable;
  password_reset_tokens: PasswordResetTokensTable;
  login_attempts: LoginAttemptsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type User = Selectable<UsersTable>;
export type Customer = Selectable<CustomersTable>;
export type Session = Selectable<SessionsTable>;
export type NewUser = Insertable<UsersTable>;
