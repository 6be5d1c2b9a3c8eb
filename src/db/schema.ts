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

// ---- funding -------------------------------------------------------------------------

/** A calendar date, always the string YYYY-MM-DD (see src/db/database.ts). */
type CalendarDate = ColumnType<string, string, string>;

export interface CompanyBankAccountsTable {
  ledger_account_id: string;
  bank_code: string;
  account_number: string;
  holder_name: string;
  statement_format: string;
  accepts_deposits: Generated<boolean>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface FundingSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export type DepositStatus = 'open' | 'partially_paid' | 'paid' | 'expired' | 'cancelled';
export type DepositPurpose = 'wallet_topup' | 'payment_order';

export interface DepositIntentsTable {
  id: string;
  customer_id: string;
  bank_account_id: string;
  purpose: DepositPurpose;
  reference_type: string | null;
  reference_id: string | null;
  reference_code: string;
  currency: Generated<string>;
  requested_amount: bigint;
  unique_code: number;
  amount_due: bigint;
  received_amount: Generated<bigint>;
  status: Generated<DepositStatus>;
  gateway: string | null;
  virtual_account_bank: string | null;
  virtual_account_number: string | null;
  gateway_external_id: string | null;
  expires_at: Timestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  paid_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export interface BankStatementImportsTable {
  id: string;
  bank_account_id: string;
  format: string;
  file_name: string;
  file_sha256: string;
  period_from: CalendarDate | null;
  period_to: CalendarDate | null;
  lines_total: number;
  lines_new: number;
  lines_duplicate: number;
  lines_skipped: number;
  credits_matched: number;
  credits_review: number;
  debits: number;
  credits_total: Generated<bigint>;
  debits_total: Generated<bigint>;
  skipped: Json<unknown[]>;
  statement_balance: bigint | null;
  ledger_balance: bigint;
  balance_breaks: Json<unknown[]>;
  imported_by: string | null;
  created_at: Generated<Date>;
}

export type StatementLineStatus = 'matched' | 'review' | 'pending_approval' | 'assigned' | 'returned' | 'debit';

export interface BankStatementLinesTable {
  id: string;
  bank_account_id: string;
  import_id: string;
  fingerprint: string;
  line_no: number;
  value_date: CalendarDate;
  description: string;
  direction: 'credit' | 'debit';
  amount: bigint;
  balance_after: bigint | null;
  status: StatementLineStatus;
  match_kind: string | null;
  match_reason: string | null;
  review_reason: 'unmatched' | 'ambiguous' | null;
  candidates: Json<unknown[]>;
  deposit_id: string | null;
  customer_id: string | null;
  entry_id: string | null;
  /** A matched credit that arrived after its deposit's last day (or after it closed). */
  late: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface GatewayPaymentsTable {
  id: string;
  gateway: string;
  payment_id: string;
  external_id: string | null;
  deposit_id: string | null;
  amount: bigint;
  paid_at: Timestamp;
  status: 'credited' | 'suspense';
  entry_id: string;
  payload: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface DepositCreditsTable {
  id: string;
  deposit_id: string;
  /** Statement lines record their own credits (bank_statement_lines.deposit_id). */
  source_type: 'gateway' | 'assignment';
  source_id: string;
  amount: bigint;
  late: Generated<boolean>;
  entry_id: string;
  created_at: Generated<Date>;
}

export interface SuspenseDecisionsTable {
  id: string;
  line_id: string;
  action: 'assign' | 'return';
  customer_id: string | null;
  deposit_id: string | null;
  amount: bigint;
  note: string;
  return_reference: string | null;
  status: 'pending_approval' | 'done' | 'rejected';
  requested_by: string;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  rejection_reason: string | null;
  entry_id: string | null;
  created_at: Generated<Date>;
}

export interface DocumentsTable {
  id: string;
  kind: string;
  owner_customer_id: string | null;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: Generated<Date>;
}

export type WithdrawalStatus = 'requested' | 'approved' | 'paid' | 'rejected' | 'cancelled';

export interface WithdrawalsTable {
  id: string;
  customer_id: string;
  currency: Generated<string>;
  amount: bigint;
  bank_name: string;
  account_number: string;
  holder_name: string;
  status: Generated<WithdrawalStatus>;
  hold_entry_id: string;
  resolve_entry_id: string | null;
  payout_entry_id: string | null;
  paid_from_account_id: string | null;
  payout_reference: string | null;
  proof_document_id: string | null;
  reason: string | null;
  requested_by: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  paid_by: string | null;
  paid_at: NullableTimestamp;
  created_at: Generated<Date>;
}

// ---- payments --------------------------------------------------------------------------

export interface SuppliersTable {
  id: string;
  customer_id: string;
  store_name: string;
  company_name: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type PayeeKind = 'alipay' | 'wechat' | 'bank';

export interface PayeesTable {
  id: string;
  customer_id: string;
  supplier_id: string;
  kind: PayeeKind;
  account: string;
  holder_name: string;
  bank_name: string | null;
  bank_branch: string | null;
  cnaps_code: string | null;
  status: Generated<'active' | 'archived'>;
  details_changed_at: NullableTimestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PayeeBlocklistTable {
  id: string;
  kind: 'account' | 'holder_name';
  value: string;
  reason: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface PaymentsSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export type OrderMode = 'direct' | 'escrow' | 'installments';
export type OrderStatus = 'draft' | 'awaiting_funds' | 'funded' | 'held' | 'queued' | 'in_payout' | 'paid' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'disputed';

export interface OrderBatchesTable {
  id: string;
  customer_id: string;
  file_name: string;
  order_count: number;
  cny_total: bigint;
  quote_id: string | null;
  idr_total: bigint | null;
  deposit_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface PaymentOrdersTable {
  id: string;
  batch_id: Generated<string | null>;
  customer_id: string;
  supplier_id: string;
  payee_id: string;
  order_numbers: Json<string[]>;
  cny_amount: bigint;
  note_to_supplier: string | null;
  mode: OrderMode;
  status: Generated<OrderStatus>;
  quote_id: string | null;
  idr_total: bigint | null;
  invoice_document_id: string | null;
  deposit_id: string | null;
  escrow_release_at: NullableTimestamp;
  funded_at: NullableTimestamp;
  paid_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentOrderTransitionsTable {
  id: string;
  order_id: string;
  from_status: string | null;
  to_status: string;
  actor_type: string;
  actor_id: string | null;
  reason: string | null;
  at: Generated<Date>;
}

export type InstallmentStatus = 'pending' | 'held' | 'queued' | 'in_payout' | 'awaiting_approval' | 'paid' | 'refunded';

export interface OrderInstallmentsTable {
  id: string;
  order_id: string;
  seq: number;
  percent: string;
  cny_amount: bigint;
  idr_amount: bigint | null;
  idr_lines: Json<Record<string, string>> | null;
  status: Generated<InstallmentStatus>;
  hold_entry_id: string | null;
  queued_at: NullableTimestamp;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  paid_at: NullableTimestamp;
}

export interface PayoutsTable {
  id: string;
  installment_id: string;
  order_id: string;
  rail: Generated<string>;
  float_account_id: string;
  cny_amount: bigint;
  provider_reference: string;
  proof_document_id: string | null;
  status: 'submitted' | 'awaiting_approval' | 'paid' | 'failed' | 'rejected';
  recorded_by: string;
  approved_by: string | null;
  failure_reason: string | null;
  post_entry_id: string | null;
  conversion_entry_id: string | null;
  verification_code: string;
  created_at: Generated<Date>;
  decided_at: NullableTimestamp;
}

export interface RiskFlagsTable {
  id: string;
  order_id: string;
  payee_id: string | null;
  code: string;
  severity: 'info' | 'high';
  reason: string;
  status: Generated<'open' | 'cleared' | 'confirmed'>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
  created_at: Generated<Date>;
}

export interface DisputesTable {
  id: string;
  order_id: string;
  opened_by: string;
  reason: string;
  status: Generated<'open' | 'resolved'>;
  resolution: 'release' | 'refund' | 'partial_refund' | null;
  refund_cny: bigint | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface DisputeMessagesTable {
  id: string;
  dispute_id: string;
  author_type: 'importer' | 'staff';
  author_id: string;
  body: string;
  document_id: string | null;
  created_at: Generated<Date>;
}

export interface NotificationsTable {
  id: string;
  customer_id: string;
  kind: string;
  title_id: string;
  title_en: string;
  object_type: string | null;
  object_id: string | null;
  dedupe_key: string | null;
  read_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface FxConversionsTable {
  id: string;
  float_account_id: string;
  bank_account_id: string;
  cny_amount: bigint;
  idr_amount: bigint;
  rate: string;
  reference: string;
  entry_id: string;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

// ---- forwarding ----------------------------------------------------------------------

export interface WarehousesTable {
  id: string;
  code: string;
  name: string;
  city: string;
  address_zh: string;
  address_latin: string;
  contact_name: string;
  contact_phone: string;
  opening_days: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface MarkingCodesTable {
  customer_id: string;
  code: string;
  created_at: Generated<Date>;
}

export interface ForwardingSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export type ParcelStatus = 'unidentified' | 'received' | 'in_shipment' | 'shipped' | 'abandoned';
export type ParcelCondition = 'good' | 'damaged' | 'wet' | 'opened';

export interface ParcelsTable {
  id: string;
  warehouse_id: string;
  customer_id: string | null;
  status: ParcelStatus;
  tracking_number: string;
  courier: string | null;
  marking_read: string | null;
  cartons: number;
  weight_g: bigint;
  length_mm: number;
  width_mm: number;
  height_mm: number;
  condition: Generated<ParcelCondition>;
  condition_note: string | null;
  supplier_name: string | null;
  order_numbers: Json<string[]>;
  payment_order_id: string | null;
  match_reason: string | null;
  shipment_id: string | null;
  received_by: string | null;
  received_at: Generated<Date>;
  free_through: CalendarDate;
  storage_charged_through: ColumnType<string | null, string | null | undefined, string | null>;
  storage_charged: Generated<bigint>;
  storage_owed: Generated<bigint>;
  free_warning_sent_at: NullableTimestamp;
  abandon_after: CalendarDate;
  abandon_notice_sent_at: NullableTimestamp;
  abandoned_at: NullableTimestamp;
  updated_at: Generated<Date>;
}

export interface ParcelPhotosTable {
  parcel_id: string;
  document_id: string;
  seq: number;
}

export interface ParcelTransitionsTable {
  id: string;
  parcel_id: string;
  from_status: string | null;
  to_status: string;
  actor_type: string;
  actor_id: string | null;
  reason: string | null;
  at: Generated<Date>;
}

export interface ParcelAnnouncementsTable {
  id: string;
  customer_id: string;
  tracking_number: string;
  courier: string | null;
  order_numbers: Json<string[]>;
  payment_order_id: string | null;
  note: string | null;
  parcel_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type ClaimStatus = 'pending' | 'approved' | 'rejected';

export interface ParcelClaimsTable {
  id: string;
  parcel_id: string;
  customer_id: string;
  evidence: string;
  document_id: string | null;
  status: Generated<ClaimStatus>;
  decided_by: string | null;
  decision_note: string | null;
  decided_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export type FreightMode = 'air' | 'sea' | 'land';
export type TariffBasis = 'kg' | 'cbm';

export interface FreightTariffsTable {
  id: string;
  warehouse_id: string;
  destination: string;
  mode: FreightMode;
  category: string;
  basis: TariffBasis;
  rate: bigint;
  volumetric_divisor: number | null;
  kg_per_cbm: number | null;
  rounding_step: bigint;
  min_chargeable: bigint;
  minimum_charge: bigint;
  insurance_percent: string;
  insurance_minimum: bigint;
  lead_days_min: number;
  lead_days_max: number;
  available: Generated<boolean>;
  effective_from: CalendarDate;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type ShipmentStatus =
  | 'requested'
  | 'packed'
  | 'invoiced'
  | 'paid'
  | 'departed'
  | 'arrived_port'
  | 'held_customs'
  | 'customs_cleared'
  | 'out_for_delivery'
  | 'delivered'
  | 'lost'
  | 'damaged'
  | 'cancelled';

export interface ShipmentsTable {
  id: string;
  customer_id: string;
  warehouse_id: string;
  destination: string;
  delivery_address: string;
  mode: FreightMode;
  category: string;
  tariff_id: string;
  status: ShipmentStatus;
  insured: Generated<boolean>;
  declared_value: Generated<bigint>;
  estimate: Json<Record<string, unknown>>;
  estimate_total: bigint;
  hold_entry_id: string | null;
  packages: Json<unknown[]> | null;
  extra_charges: Json<{ description: string; amount: string }[]>;
  invoice: Json<Record<string, unknown>> | null;
  invoice_total: bigint | null;
  paid_entry_id: string | null;
  credited: Generated<bigint>;
  credits: ColumnType<{ amount: string; reason: string; at: string; by: string | null; entryId: string }[], string | undefined, string>;
  carrier_reference: string | null;
  eta_from: ColumnType<string | null, string | null | undefined, string | null>;
  eta_to: ColumnType<string | null, string | null | undefined, string | null>;
  packed_at: NullableTimestamp;
  invoiced_at: NullableTimestamp;
  paid_at: NullableTimestamp;
  departed_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ShipmentTransitionsTable {
  id: string;
  shipment_id: string;
  from_status: string | null;
  to_status: string;
  actor_type: string;
  actor_id: string | null;
  reason: string | null;
  document_id: string | null;
  at: Generated<Date>;
}

export interface InsuranceClaimsTable {
  id: string;
  shipment_id: string;
  customer_id: string;
  claimed_amount: bigint;
  description: string;
  document_id: string | null;
  status: Generated<ClaimStatus>;
  approved_amount: bigint | null;
  entry_id: string | null;
  decided_by: string | null;
  decision_note: string | null;
  decided_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface DB {
  warehouses: WarehousesTable;
  marking_codes: MarkingCodesTable;
  forwarding_settings: ForwardingSettingsTable;
  parcels: ParcelsTable;
  parcel_photos: ParcelPhotosTable;
  parcel_transitions: ParcelTransitionsTable;
  parcel_announcements: ParcelAnnouncementsTable;
  parcel_claims: ParcelClaimsTable;
  freight_tariffs: FreightTariffsTable;
  shipments: ShipmentsTable;
  shipment_transitions: ShipmentTransitionsTable;
  insurance_claims: InsuranceClaimsTable;
  suppliers: SuppliersTable;
  payees: PayeesTable;
  payee_blocklist: PayeeBlocklistTable;
  payments_settings: PaymentsSettingsTable;
  payment_orders: PaymentOrdersTable;
  order_batches: OrderBatchesTable;
  payment_order_transitions: PaymentOrderTransitionsTable;
  order_installments: OrderInstallmentsTable;
  payouts: PayoutsTable;
  risk_flags: RiskFlagsTable;
  fx_conversions: FxConversionsTable;
  disputes: DisputesTable;
  notifications: NotificationsTable;
  dispute_messages: DisputeMessagesTable;
  company_bank_accounts: CompanyBankAccountsTable;
  funding_settings: FundingSettingsTable;
  deposit_intents: DepositIntentsTable;
  bank_statement_imports: BankStatementImportsTable;
  bank_statement_lines: BankStatementLinesTable;
  gateway_payments: GatewayPaymentsTable;
  deposit_credits: DepositCreditsTable;
  suspense_decisions: SuspenseDecisionsTable;
  documents: DocumentsTable;
  withdrawals: WithdrawalsTable;
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
