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

export const API_KEY_SCOPES = ['account:read', 'payments:read', 'payments:write', 'wallet:read', 'parcels:read'] as const;
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

// ---- errors --------------------------------------------------------------------------------

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

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
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Short text for any thrown value, for places that cannot show a full problem. */
export function errorMessage(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.problem.title;
  return translate(lang, 'error.unexpected');
}
