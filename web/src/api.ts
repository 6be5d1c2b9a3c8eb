/**
 * The one way the UI talks to the server: JSON in and out, the session cookie, the CSRF
 * token of the newest session response on every write, Accept-Language, and errors as a
 * typed `ApiError` carrying the server's problem+json.
 */
import { translate, type Lang } from './i18n.ts';
import type { MoneyJson } from './money.ts';

// ---- shapes of the API -------------------------------------------------------------------

export type Role = 'importer' | 'ops' | 'finance' | 'compliance' | 'warehouse' | 'admin';
export const STAFF_ROLES: readonly Exclude<Role, 'importer'>[] = ['ops', 'finance', 'compliance', 'warehouse', 'admin'];
export type MfaState = 'complete' | 'pending' | 'enrolment_required';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  customerId: string | null;
  locale: Lang;
  status: 'active' | 'disabled';
  twoFactorEnabled: boolean;
  createdAt: string;
}

export interface Customer {
  id: string;
  kind: 'company' | 'person';
  name: string;
  phone: string | null;
  status: 'active' | 'suspended';
  createdAt: string;
}

export interface SessionView {
  user: User;
  customer: Customer | null;
  mfa: MfaState;
  csrfToken: string;
  expiresAt: string;
  recoveryCodesLeft: number | null;
}

export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

export interface Activation {
  recoveryCodes: string[];
  session: SessionView;
}

export interface SessionInfo {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export const API_KEY_SCOPES = ['account:read', 'payments:read', 'payments:write', 'wallet:read', 'parcels:read', 'parcels:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface StaffUser extends User {
  lockedUntil: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  ip: string | null;
  requestId: string | null;
  data: unknown;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';
export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'done', 'dead'];

export interface Job {
  id: string;
  name: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
}

// ---- pricing: quotes, rates, spreads, fees ----------------------------------------------------

export type Pair = 'CNY/IDR' | 'USD/IDR' | 'CNY/USD';
export const PAIRS: readonly Pair[] = ['CNY/IDR', 'USD/IDR', 'CNY/USD'];

export interface RatePoint {
  rate: string;
  source: string;
  observedAt: string;
}

export interface ReferenceRate extends RatePoint {
  pair: Pair;
}

export interface RateHistory {
  pair: Pair;
  points: RatePoint[];
}

export interface FeeTier {
  fromUsd: string;
  percent: string;
}

export interface FeeSchedule {
  id: string;
  effectiveFrom: string;
  minimumFee: MoneyJson;
  tiers: FeeTier[];
  note?: string | null;
  createdBy?: string | null;
}

export interface PublicSpread {
  pair: Pair;
  tier: string;
  kind: 'percent' | 'per_unit';
  value: string;
  effectiveFrom: string;
}

export interface Spread extends PublicSpread {
  id: string;
  createdBy: string | null;
  createdAt: string;
}

export interface PublicPricing {
  rates: ReferenceRate[];
  feeSchedule: FeeSchedule | null;
  upcomingFeeSchedules: FeeSchedule[];
  spreads: PublicSpread[];
  quoteLockMinutes: number;
  bankWire: { wireFeeUsd: string; fxMarginPercent: string };
}

export interface PricingSettings {
  quoteLockMinutes: number;
  maxRateAgeMinutes: number;
  bankWireFeeUsd: string;
  bankFxMarginPercent: string;
}

export type QuoteLineCode = 'reference_cost' | 'spread' | 'service_fee' | 'rounding';

export interface Quote {
  id: string;
  direction: 'cny_to_idr' | 'idr_to_cny';
  customerId: string | null;
  createdAt?: string;
  expiresAt: string;
  lockMinutes: number;
  cny: MoneyJson;
  idrBudget: MoneyJson | null;
  reference: { pair: 'CNY/IDR'; rate: string; source: string; observedAt: string };
  platformRate: string;
  spread: { kind: 'percent' | 'per_unit'; value: string; percent: string; amount: MoneyJson; tier: string };
  fee: {
    percent: string;
    minimum: MoneyJson;
    amount: MoneyJson;
    minimumApplied: boolean;
    usdEquivalent: string;
    usdRate: { pair: 'CNY/USD'; rate: string; source: string };
    band: { fromUsd: string; toUsd: string | null; percent: string };
  };
  lines: { code: QuoteLineCode; amount: MoneyJson }[];
  total: MoneyJson;
  bankWire: { assumptions: { wireFeeUsd: string; fxMarginPercent: string; usdIdrRate: string }; rate: string; goods: MoneyJson; wireFee: MoneyJson; total: MoneyJson; saving: MoneyJson };
  token: string;
}

export interface AcceptedQuote {
  quote: Omit<Quote, 'token'>;
  acceptedAt: string;
  usedAt: string | null;
  usedBy: { type: string; id: string } | null;
}

// ---- costing: landed cost -------------------------------------------------------------------

export interface LandedCostRequest {
  goodsCny: MoneyJson;
  chinaShippingCny: MoneyJson;
  freight: MoneyJson;
  insurance: MoneyJson;
  quantity: number;
  dutyPercent: string;
  hasApi: boolean;
  listedGoods: boolean;
  ndpbmCnyIdr: string;
  regime: 'general' | 'consignment';
}

export interface TaxRuleView {
  key: string;
  value: string;
  effectiveFrom: string;
  legalBasis: string | null;
}

export interface LandedCost {
  date?: string;
  regime: 'general' | 'consignment';
  regimeNote?: string | null;
  fobUsd: string;
  customs: { goodsIdr: MoneyJson; freight: MoneyJson; insurance: MoneyJson; cif: MoneyJson };
  duty: { percent: string; amount: MoneyJson; note: string | null };
  importValue: MoneyJson;
  ppn: { ratePercent: string; baseFraction: string; effectivePercent: string; amount: MoneyJson };
  pph22: { percent: string; amount: MoneyJson; note: string | null };
  taxesAndDuties: MoneyJson;
  payment: { cny: MoneyJson; total: MoneyJson; spread: MoneyJson; fee: MoneyJson; quoteId?: string; platformRate?: string; referenceRate?: string };
  total: MoneyJson;
  perUnit: MoneyJson;
  rules: TaxRuleView[];
}

// ---- funding: wallet, deposits, withdrawals, bank statements -------------------------------------

export interface WalletBalance {
  posted: MoneyJson;
  pendingOut: MoneyJson;
  pendingIn: MoneyJson;
  available: MoneyJson;
}

export interface WalletHold {
  holdId: string;
  reason: string;
  reference: { type: string; id: string | null } | null;
  amount: MoneyJson;
  direction: 'debit' | 'credit';
  expiresAt: string | null;
  createdAt: string;
}

export interface Wallet {
  accountId: string;
  currency: string;
  balance: WalletBalance;
  holds: WalletHold[];
}

export interface WalletStatementLine {
  postingId: string;
  entryId: string;
  at: string;
  reason: string;
  reference: { type: string; id: string | null } | null;
  description: string | null;
  direction: 'debit' | 'credit';
  /** Signed: positive adds to the balance. */
  amount: MoneyJson;
  balance: MoneyJson;
  counterpartyAccountId: string;
}

export interface WalletStatement {
  lines: WalletStatementLine[];
  nextCursor: string | null;
}

export interface PublicBankAccount {
  id: string;
  bankCode: string;
  accountNumber: string;
  holderName: string;
}

export type DepositStatus = 'open' | 'partially_paid' | 'paid' | 'expired' | 'cancelled';
export const DEPOSIT_STATUSES: readonly DepositStatus[] = ['open', 'partially_paid', 'paid', 'expired', 'cancelled'];

export interface Deposit {
  id: string;
  customerId: string;
  status: DepositStatus;
  purpose: string;
  reference: { type: string; id: string | null } | null;
  referenceCode: string;
  requested: MoneyJson;
  uniqueCode: MoneyJson;
  amountDue: MoneyJson;
  received: MoneyJson;
  outstanding: MoneyJson;
  overpaid: MoneyJson;
  bank: PublicBankAccount;
  virtualAccount: { gateway: string | null; bankCode: string | null; number: string } | null;
  expiresAt: string;
  createdAt: string;
  paidAt: string | null;
}

export interface DepositCredit {
  id: string;
  source: { type: 'statement_line' | 'gateway' | 'assignment'; id: string };
  amount: MoneyJson;
  late: boolean;
  entryId: string;
  at: string;
}

export interface DepositList {
  deposits: Deposit[];
  nextCursor: string | null;
}

export type WithdrawalStatus = 'requested' | 'approved' | 'paid' | 'rejected' | 'cancelled';
export const WITHDRAWAL_STATUSES: readonly WithdrawalStatus[] = ['requested', 'approved', 'paid', 'rejected', 'cancelled'];

export interface Withdrawal {
  id: string;
  customerId: string;
  status: WithdrawalStatus;
  amount: MoneyJson;
  destination: { bankName: string; accountNumber: string; holderName: string };
  reason: string | null;
  payoutReference: string | null;
  paidFromAccountId: string | null;
  proofDocumentId: string | null;
  holdEntryId: string;
  createdAt: string;
  decidedAt: string | null;
  paidAt: string | null;
}

export interface WithdrawalList {
  withdrawals: Withdrawal[];
  nextCursor: string | null;
}

export interface StaffBankAccount extends PublicBankAccount {
  name: string;
  code: string;
  statementFormat: string;
  acceptsDeposits: boolean;
  ledgerBalance: MoneyJson;
  lastImport: { id: string; at: string; periodTo: string | null; statementBalance: MoneyJson | null } | null;
}

export interface StatementFormatInfo {
  id: string;
  bank: string;
  label: string;
  kind: 'csv' | 'mt940';
}

export interface StatementProblem {
  line: number;
  column: string | null;
  message: string;
}

export interface Reconciliation {
  statementBalance: MoneyJson | null;
  ledgerBalance: MoneyJson;
  difference: MoneyJson | null;
  balanced: boolean | null;
  /** Amounts are IDR minor units. */
  balanceBreaks: { line: number; expected: MoneyJson; found: MoneyJson }[];
  /** Debit lines of the file, which no import books. */
  debitsNotBooked: MoneyJson;
  /** The difference is exactly those debits. */
  explainedByDebits: boolean | null;
  basis: 'preview' | 'import';
}

export interface StatementSummary {
  linesTotal: number;
  linesNew: number;
  linesDuplicate: number;
  linesSkipped: number;
  creditsMatched: number;
  creditsReview: number;
  debits: number;
  creditsTotal: MoneyJson;
}

export type MatchKind = 'virtual_account' | 'reference_code' | 'unique_amount' | 'late_unique_amount';

export interface MatchCandidate {
  depositId: string;
  customerId: string;
  why: string;
}

export interface PreviewLine {
  lineNo: number;
  date: string;
  description: string;
  direction: 'credit' | 'debit';
  amount: MoneyJson;
  balance: MoneyJson | null;
  duplicate: boolean;
  match:
    | { kind: MatchKind; depositId: string; customerId: string; late: boolean; reason: string }
    | { review: 'unmatched' | 'ambiguous'; candidates: MatchCandidate[]; reason: string }
    | null;
}

export interface StatementPreview {
  format: string;
  summary: StatementSummary;
  problems: StatementProblem[];
  lines: PreviewLine[];
  reconciliation: Reconciliation;
}

/** `creditsTotal` comes only in the answer to the import itself (GET list/detail leave it out). */
export interface StatementImport extends Omit<StatementSummary, 'creditsTotal'> {
  creditsTotal?: MoneyJson;
  id: string;
  bankAccountId: string;
  format: string;
  fileName: string;
  periodFrom: string | null;
  periodTo: string | null;
  skipped: StatementProblem[];
  reconciliation: Reconciliation;
  importedBy?: string | null;
  createdAt?: string;
}

export type StatementLineStatus = 'matched' | 'review' | 'pending_approval' | 'assigned' | 'returned' | 'debit';

export interface StatementLine {
  id: string;
  bankAccountId: string;
  importId: string;
  lineNo: number;
  date: string;
  description: string;
  direction: 'credit' | 'debit';
  amount: MoneyJson;
  balance: MoneyJson | null;
  status: StatementLineStatus;
  match: { kind: MatchKind; reason: string | null } | null;
  review: { reason: 'unmatched' | 'ambiguous'; explanation: string | null; candidates: MatchCandidate[] } | null;
  depositId: string | null;
  customerId: string | null;
  entryId: string | null;
}

export interface SuspenseDecision {
  id: string;
  lineId: string;
  action: 'assign' | 'return';
  customerId: string | null;
  depositId: string | null;
  amount: MoneyJson;
  note: string;
  returnReference: string | null;
  status: 'pending_approval' | 'done' | 'rejected';
  requestedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  entryId: string | null;
  createdAt: string;
}

export interface ReviewLine extends StatementLine {
  pendingDecision: SuspenseDecision | null;
}

export interface ReviewQueue {
  suspenseBalance: MoneyJson;
  lines: ReviewLine[];
}

export interface FundingSettings {
  depositExpiryHours: number;
  lateMatchDays: number;
  assignmentApprovalThreshold: MoneyJson;
  gatewayCallbackMaxAgeHours: number;
}

// ---- payments: suppliers, payees, payment orders, payout desk, risk --------------------------

export type PayeeKind = 'alipay' | 'wechat' | 'bank';
export const PAYEE_KINDS: readonly PayeeKind[] = ['alipay', 'wechat', 'bank'];

export interface Payee {
  id: string;
  customerId: string;
  supplierId: string;
  kind: PayeeKind;
  account: string;
  holderName: string;
  bankName: string | null;
  bankBranch: string | null;
  cnapsCode: string | null;
  status: 'active' | 'archived';
  detailsChangedAt: string | null;
  createdAt: string;
}

export interface Supplier {
  id: string;
  customerId: string;
  storeName: string;
  companyName: string;
  createdAt: string;
}

export interface SupplierWithPayees extends Supplier {
  payees: Payee[];
}

export type OrderMode = 'direct' | 'escrow' | 'installments';
export const ORDER_MODES: readonly OrderMode[] = ['direct', 'escrow', 'installments'];
export type OrderStatus = 'draft' | 'awaiting_funds' | 'funded' | 'held' | 'queued' | 'in_payout' | 'paid' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'disputed';
export const ORDER_STATUSES: readonly OrderStatus[] = ['draft', 'awaiting_funds', 'funded', 'held', 'queued', 'in_payout', 'paid', 'completed', 'cancelled', 'refunded', 'failed', 'disputed'];
export type InstallmentStatus = 'pending' | 'held' | 'queued' | 'in_payout' | 'awaiting_approval' | 'paid' | 'refunded';

export interface PaymentOrder {
  id: string;
  customerId: string;
  supplierId: string;
  payeeId: string;
  orderNumbers: string[];
  cny: MoneyJson;
  noteToSupplier: string | null;
  mode: OrderMode;
  status: OrderStatus;
  quoteId: string | null;
  idrTotal: MoneyJson | null;
  invoiceDocumentId: string | null;
  depositId: string | null;
  escrowReleaseAt: string | null;
  fundedAt: string | null;
  paidAt: string | null;
  completedAt: string | null;
  createdAt: string;
}

export interface Installment {
  id: string;
  seq: number;
  /** "30.00" */
  percent: string;
  cny: MoneyJson;
  idr: MoneyJson | null;
  idrLines: Record<string, MoneyJson> | null;
  status: InstallmentStatus;
  queuedAt: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  paidAt: string | null;
}

export interface OrderTransition {
  from: OrderStatus | null;
  to: OrderStatus;
  /** Importers may get only the kind of actor, without the id. */
  actor: { type: 'user' | 'api_key' | 'system'; id?: string | null };
  reason: string | null;
  at: string;
}

export type FlagCode = 'new_payee' | 'name_mismatch' | 'blocklisted' | 'details_changed' | 'amount_unusual';
export type FlagStatus = 'open' | 'cleared' | 'confirmed';

/**
 * What an importer learns about risk checks: that one holds the payout. Depending on the
 * server version the check is named (`code`, `severity`) or only `status: 'under_review'`.
 */
export interface ImporterRiskFlag {
  code?: FlagCode;
  severity?: 'info' | 'high';
  status: FlagStatus | 'under_review';
}

export interface RiskFlag {
  code: FlagCode;
  severity: 'info' | 'high';
  status: FlagStatus;
  id: string;
  orderId: string;
  payeeId: string | null;
  reason: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

export type PayoutStatus = 'submitted' | 'awaiting_approval' | 'paid' | 'failed' | 'rejected';

export interface Payout {
  id: string;
  installmentId: string;
  orderId: string;
  rail: string;
  floatAccountId: string;
  cny: MoneyJson;
  providerReference: string;
  proofDocumentId: string | null;
  status: PayoutStatus;
  recordedBy: string;
  approvedBy: string | null;
  failureReason: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** A paid payout as an importer sees it (staff get the full `Payout`). */
export interface ImporterPayout {
  id: string;
  installmentId: string;
  cny: MoneyJson;
  providerReference: string;
  rail?: string;
  status: PayoutStatus;
  paidAt?: string;
  orderId?: string;
  proofDocumentId?: string | null;
  createdAt?: string;
  decidedAt?: string | null;
}

export interface OrderDetail<F = ImporterRiskFlag, P = ImporterPayout> {
  order: PaymentOrder;
  supplier: Supplier;
  payee: Payee;
  installments: Installment[];
  transitions: OrderTransition[];
  riskFlags: F[];
  payouts: P[];
  /** Disputes of the order, oldest first, each with its messages. */
  disputes: Dispute[];
  /** Only in the answer to funding by bank transfer. */
  deposit?: Deposit;
}

export type DisputeStatus = 'open' | 'resolved';
export type DisputeResolution = 'release' | 'refund' | 'partial_refund';

export interface DisputeMessage {
  id: string;
  author: 'importer' | 'staff';
  authorId: string | null;
  body: string;
  /** Evidence attached to the message (GET /api/documents/:id). */
  documentId: string | null;
  at: string;
}

export interface Dispute {
  id: string;
  status: DisputeStatus;
  reason: string;
  resolution: DisputeResolution | null;
  /** The yuan refunded by a partial refund. */
  refund: MoneyJson | null;
  resolutionNote: string | null;
  resolvedAt: string | null;
  createdAt: string;
  messages: DisputeMessage[];
}

/** A row of GET /api/staff/disputes (open ones first). */
export interface StaffDisputeRow {
  id: string;
  orderId: string;
  status: DisputeStatus;
  reason: string;
  createdAt: string;
}

export interface StaffDirectoryEntry {
  id: string;
  name: string;
  role: Role;
  active: boolean;
}

export type StaffOrderDetail = OrderDetail<RiskFlag, Payout>;

export interface OrderList {
  orders: PaymentOrder[];
  nextCursor: string | null;
}

export interface FloatBalance {
  id: string;
  code: string;
  name: string;
  currency: string;
  available: MoneyJson;
}

export type SlaState = 'ok' | 'warning' | 'breached';

export interface QueueItem {
  installmentId: string;
  orderId: string;
  seq: number;
  status: 'queued' | 'in_payout' | 'awaiting_approval';
  cny: MoneyJson;
  mode: OrderMode;
  orderNumbers: string[];
  noteToSupplier: string | null;
  customerName: string;
  supplier: { storeName: string; companyName: string };
  payee: { kind: PayeeKind; account: string; holderName: string; bankName: string | null; bankBranch: string | null; cnapsCode: string | null };
  queuedAt: string;
  minutesWaiting: number;
  sla: SlaState;
  claimedBy: string | null;
  claimedAt: string | null;
  flags: { id: string; code: FlagCode; severity: 'info' | 'high'; reason: string }[];
  blocked: boolean;
  suggestedFloatId: string | null;
}

export interface PayoutQueue {
  sla: { targetMinutes: number; warningMinutes: number };
  floats: FloatBalance[];
  items: QueueItem[];
}

export interface PaymentsSettings {
  slaTargetMinutes: number;
  slaWarningMinutes: number;
  approvalThreshold: MoneyJson;
  escrowAutoReleaseDays: number;
  amountHistoryMultiple: string;
  /** How long a quoted rate holds for a bank transfer (newer servers). */
  bankTransferLockMinutes?: number;
}

export interface BlocklistEntry {
  id: string;
  kind: 'account' | 'holder_name';
  value: string;
  reason: string;
  createdAt: string;
}

export interface FxConversion {
  id: string;
  cny: MoneyJson;
  idr: MoneyJson;
  rate: string;
  reference: string;
  entryId: string;
}

export interface LedgerAccount {
  id: string;
  code: string;
  name: string;
  kind: string;
  currency: string;
  status: string;
  balance: WalletBalance;
}

export interface UploadedDocument {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

// ---- forwarding: warehouses, parcels, shipments, tariffs -----------------------------------------

export interface Warehouse {
  id: string;
  code: string;
  name: string;
  city: string;
  addressZh: string;
  addressLatin: string;
  contactName: string;
  contactPhone: string;
  openingDays: string;
  active: boolean;
}

export interface AddressCard {
  warehouse: Warehouse;
  markingCode: string;
  zh: { consignee: string; phone: string; address: string; copyText: string };
  latin: { consignee: string; address: string };
  customerName: string;
  instructions: { id: string[]; en: string[] };
}

export type ParcelStatus = 'unidentified' | 'received' | 'in_shipment' | 'shipped' | 'abandoned';
export const PARCEL_STATUSES: readonly ParcelStatus[] = ['unidentified', 'received', 'in_shipment', 'shipped', 'abandoned'];
export type ParcelCondition = 'good' | 'damaged' | 'wet' | 'opened';
export const PARCEL_CONDITIONS: readonly ParcelCondition[] = ['good', 'damaged', 'wet', 'opened'];

export interface Parcel {
  id: string;
  warehouseId: string;
  customerId: string | null;
  status: ParcelStatus;
  trackingNumber: string;
  courier: string | null;
  markingRead: string | null;
  cartons: number;
  /** "18.4" */
  weightKg: string;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  condition: ParcelCondition;
  conditionNote: string | null;
  volumeCbm: string;
  supplierName: string | null;
  orderNumbers: string[];
  paymentOrderId: string | null;
  matchReason: string | null;
  shipmentId: string | null;
  receivedAt: string;
  freeThrough: string;
  freeDaysLeft: number | null;
  storageCharged: MoneyJson;
  storageOwed: MoneyJson;
  /** The China day from which it counts as abandoned, while in storage ("2026-04-01"); null otherwise. */
  abandonAfter: string | null;
  abandonedAt: string | null;
  photoIds: string[];
}

export interface StaffParcel extends Parcel {
  customer: { id: string; name: string; markingCode: string | null } | null;
}

export interface ParcelTransition {
  from: ParcelStatus | null;
  to: ParcelStatus;
  actor: { type: string; id?: string | null };
  reason: string | null;
  at: string;
}

export interface ParcelDetail {
  parcel: Parcel;
  warehouse: Warehouse;
  transitions: ParcelTransition[];
}

export type ClaimStatus = 'pending' | 'approved' | 'rejected';

export interface ParcelClaim {
  id: string;
  parcelId: string;
  customerId: string;
  evidence: string;
  documentId: string | null;
  status: ClaimStatus;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
  customer?: { id: string; name: string; markingCode: string | null } | null;
}

export interface StaffParcelDetail extends ParcelDetail {
  customer: { id: string; name: string; markingCode: string | null } | null;
  claims: ParcelClaim[];
}

export interface ParcelAnnouncement {
  id: string;
  trackingNumber: string;
  courier: string | null;
  orderNumbers: string[];
  paymentOrderId: string | null;
  note: string | null;
  parcelId: string | null;
  createdAt: string;
}

export interface UnidentifiedParcel {
  id: string;
  warehouseId: string;
  trackingNumber: string;
  courier: string | null;
  cartons: number;
  weightKg: string;
  receivedAt: string;
}

export type FreightMode = 'air' | 'sea' | 'land';
export const FREIGHT_MODES: readonly FreightMode[] = ['air', 'sea', 'land'];
export type TariffBasis = 'kg' | 'cbm';

export interface FreightTariff {
  id: string;
  warehouseId: string;
  destination: string;
  mode: FreightMode;
  category: string;
  basis: TariffBasis;
  rate: MoneyJson;
  volumetricDivisor: number | null;
  kgPerCbm: number | null;
  roundingStep: string;
  minChargeable: string;
  minimumCharge: MoneyJson;
  insurancePercent: string;
  insuranceMinimum: MoneyJson;
  leadDays: { min: number; max: number };
  available: boolean;
  effectiveFrom: string;
  createdAt: string;
}

export interface PublicFreightTariffs {
  warehouses: { id: string; code: string; name: string; city: string; openingDays: string }[];
  tariffs: FreightTariff[];
  storage: { freeStorageDays: number; freeStorageWarningDays: number; storageFeeBasis: 'parcel' | 'cbm'; storageFeePerParcelDay: MoneyJson; storageFeePerCbmDay: MoneyJson; abandonAfterDays: number };
}

export type ChargeCode = 'freight' | 'insurance' | 'storage' | 'extra';

export interface FreightQuote {
  tariffId: string;
  mode: FreightMode;
  category: string;
  basis: TariffBasis;
  pieces: number;
  actualKg: string;
  volumeCbm: string;
  volumetricKg: string | null;
  volumetricDivisor: number | null;
  weightAsCbm: string | null;
  kgPerCbm: number | null;
  chargeable: string;
  chargeableUnit: 'kg' | 'cbm';
  decidedBy: 'weight' | 'volume' | 'minimum';
  rate: MoneyJson;
  byRate: MoneyJson;
  minimumCharge: MoneyJson;
  minimumApplied: boolean;
  lines: { code: ChargeCode; description: string; amount: MoneyJson }[];
  total: MoneyJson;
  leadDays: { min: number; max: number };
  eta: { from: string; to: string };
}

export interface ShipmentInvoice extends FreightQuote {
  estimateTotal: MoneyJson;
  difference: MoneyJson;
}

export interface ShipmentEstimate {
  warehouseId: string;
  destination: string;
  category: string;
  parcels: number;
  options: FreightQuote[];
  unavailable: FreightMode[];
}

export type ShipmentStatus = 'requested' | 'packed' | 'invoiced' | 'paid' | 'departed' | 'arrived_port' | 'held_customs' | 'customs_cleared' | 'out_for_delivery' | 'delivered' | 'lost' | 'damaged' | 'cancelled';
export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = ['requested', 'packed', 'invoiced', 'paid', 'departed', 'arrived_port', 'held_customs', 'customs_cleared', 'out_for_delivery', 'delivered', 'lost', 'damaged', 'cancelled'];
export type TrackingStatus = 'departed' | 'arrived_port' | 'held_customs' | 'customs_cleared' | 'out_for_delivery' | 'delivered' | 'lost' | 'damaged';

export interface Shipment {
  id: string;
  customerId: string;
  warehouseId: string;
  destination: string;
  deliveryAddress: string;
  mode: FreightMode;
  category: string;
  tariffId: string;
  status: ShipmentStatus;
  insured: boolean;
  declaredValue: MoneyJson;
  estimate: FreightQuote;
  estimateTotal: MoneyJson;
  packages: { count: number; lengthCm: string; widthCm: string; heightCm: string; weightKg: string }[];
  extraCharges: { description: string; amount: MoneyJson }[];
  invoice: ShipmentInvoice | null;
  invoiceTotal: MoneyJson | null;
  amountDue: MoneyJson;
  /** Credit notes after payment: rupiah returned to the wallet. */
  credited: MoneyJson;
  carrierReference: string | null;
  eta: { from: string; to: string } | null;
  packedAt: string | null;
  invoicedAt: string | null;
  paidAt: string | null;
  departedAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface StaffShipment extends Shipment {
  customer: { id: string; name: string; markingCode: string | null } | null;
  parcelCount: number;
}

export interface ShipmentTransition {
  from: ShipmentStatus | null;
  to: ShipmentStatus;
  actor: { type: string; id?: string | null };
  reason: string | null;
  documentId: string | null;
  at: string;
}

export interface InsuranceClaim {
  id: string;
  shipmentId: string;
  customerId: string;
  claimed: MoneyJson;
  description: string;
  documentId: string | null;
  status: ClaimStatus;
  approved: MoneyJson | null;
  decisionNote: string | null;
  decidedAt: string | null;
  createdAt: string;
  /** Staff answers name the customer. */
  customer?: { id: string; name: string; markingCode: string | null } | null;
}

export interface ShipmentDetail {
  shipment: Shipment;
  parcels: Parcel[];
  transitions: ShipmentTransition[];
  insuranceClaims: InsuranceClaim[];
  customer?: { id: string; name: string; markingCode: string | null } | null;
}

export interface LandedCostInputs {
  shipmentId: string;
  basis: 'invoice' | 'estimate';
  freight: MoneyJson;
  insurance: MoneyJson;
  goodsCny: MoneyJson;
  paymentOrderIds: string[];
  warehouse: string;
  tariff: FreightTariff;
}

export interface ForwardingSettings {
  freeStorageDays: number;
  freeStorageWarningDays: number;
  storageFeeBasis: 'parcel' | 'cbm';
  storageFeePerParcelDay: MoneyJson;
  storageFeePerCbmDay: MoneyJson;
  abandonAfterDays: number;
  abandonNoticeDays: number;
  /** An invoice this many percent above the held estimate waits for the importer. */
  autoSettleExcessPercent: number;
  /** An invoice unpaid this many days is cancelled. */
  invoicePaymentDays: number;
}

// ---- errors --------------------------------------------------------------------------------

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
  /** Lines of a refused statement file (statement_rejected). */
  problems?: StatementProblem[];
  /** statement_rejected: true when leaving the bad lines out would let the file in. */
  skippable?: boolean;
  /** validation_failed of one field (payees): the field at fault. */
  field?: string;
  /** payout_already_claimed: who holds it. */
  claimedBy?: string | null;
  /** risk_review_pending: the open high flags. */
  flags?: string[];
  /** parcel_already_received: the parcel that has this tracking number. */
  parcelId?: string;
  /** insufficient_funds: how much is missing. */
  needed?: MoneyJson;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.problem.code;
  }
  get status(): number {
    return this.problem.status;
  }
}

// ---- client state ----------------------------------------------------------------------------

let csrfToken: string | null = null;
let language: Lang = 'id';
let onSessionLost: ((code: string) => void) | null = null;

/** Keep the newest token: it changes after the 2FA step and after 2FA activation. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setApiLanguage(lang: Lang): void {
  language = lang;
}

/** Called when the server says the session is gone (401) or needs a 2FA step (403). */
export function setSessionLostHandler(handler: ((code: string) => void) | null): void {
  onSessionLost = handler;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function localProblem(code: string, status: number, title: string): Problem {
  return { type: `urn:jembatan:problem:${code}`, title, status, code };
}

/** Auth endpoints whose 401 is an answer about credentials, not a lost session. */
const CREDENTIAL_PATHS = ['/auth/login', '/auth/login/mfa', '/auth/session', '/auth/register'];

export interface RequestOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key never acts twice. */
  idempotencyKey?: string;
}

async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;

  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(localProblem('network_error', 0, translate(language, 'error.network')));
  }

  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  const payload: unknown = isJson ? await res.json().catch(() => undefined) : undefined;

  if (!res.ok) {
    const problem =
      payload && typeof payload === 'object' && 'code' in payload && 'title' in payload
        ? (payload as Problem)
        : localProblem(res.status >= 500 ? 'internal_error' : 'http_error', res.status, translate(language, res.status >= 500 ? 'error.network' : 'error.unexpected'));
    const bare = path.split('?')[0] ?? path;
    if (onSessionLost && !CREDENTIAL_PATHS.includes(bare) && ['unauthenticated', 'mfa_required', 'mfa_enrolment_required'].includes(problem.code)) {
      onSessionLost(problem.code);
    }
    throw new ApiError(problem);
  }
  if (!isJson) throw new ApiError(localProblem('bad_response', res.status, translate(language, 'error.unexpected')));
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A fresh Idempotency-Key for one logical write (kept across retries of that write). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

/** Short text for any thrown value, for places that cannot show a full problem. */
export function errorMessage(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.problem.title;
  return translate(lang, 'error.unexpected');
}
