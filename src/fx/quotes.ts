import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { Money, type MoneyJson } from '../money/money.ts';
import { Fixed } from '../money/fixed.ts';
import type { FeeTier } from '../db/schema.ts';
import type { PricingState } from './pricing.ts';
import { priceCny, priceIdrBudget, type QuoteFigures, type ReferenceRate, type SpreadRule } from './quote-engine.ts';

export type QuoteRequest = { direction: 'cny_to_idr'; cny: Money } | { direction: 'idr_to_cny'; idrBudget: Money };

/** What the importer sees, and what a signed token carries until the quote is accepted. */
export interface QuoteView {
  id: string;
  direction: 'cny_to_idr' | 'idr_to_cny';
  customerId: string | null;
  createdAt: string;
  expiresAt: string;
  lockMinutes: number;
  cny: MoneyJson;
  idrBudget: MoneyJson | null;
  reference: { pair: 'CNY/IDR'; rate: string; source: string; observedAt: string };
  platformRate: string;
  spread: { kind: string; value: string; percent: string; amount: MoneyJson; tier: string };
  fee: { percent: string; minimum: MoneyJson; amount: MoneyJson; minimumApplied: boolean; usdEquivalent: string; usdRate: { pair: 'CNY/USD'; rate: string; source: string }; band: { fromUsd: string; toUsd: string | null; percent: string } };
  lines: { code: string; amount: MoneyJson }[];
  total: MoneyJson;
  bankWire: { assumptions: { wireFeeUsd: string; fxMarginPercent: string; usdIdrRate: string }; rate: string; goods: MoneyJson; wireFee: MoneyJson; total: MoneyJson; saving: MoneyJson };
}

const QUOTE_PURPOSE = 'quote';

function fixed(d: { toFixed(dp?: number): string }, dp?: number): string {
  return dp === undefined ? d.toFixed() : d.toFixed(dp);
}

/**
 * What every quote of one pricing state shows and signs whatever the amount: the reference
 * and CNY/USD rates, the platform and bank rates, the wire assumptions, the minimum fee, the
 * pricing part of the signed terms as JSON. Made once per state (PricingCache hands out a new
 * state whenever pricing changes; states are never changed in place) and frozen, since
 * every quote of that state shares these objects.
 */
interface PricingParts {
  lockMs: number;
  reference: QuoteView['reference'];
  platformRate: string;
  spread: { kind: string; value: string; percent: string; tier: string };
  minimum: MoneyJson;
  usdRate: QuoteView['fee']['usdRate'];
  assumptions: QuoteView['bankWire']['assumptions'];
  bankRate: string;
  wireFee: MoneyJson;
  /** `,"rates":…,"lockMinutes":…}`: the signed terms after the request, exactly as JSON.stringify writes them. */
  termsTail: string;
}
const partsCache = new WeakMap<PricingState, PricingParts>();

function partsOf(pricing: PricingState): PricingParts {
  let parts = partsCache.get(pricing);
  if (parts) return parts;
  const { snapshot, settings } = pricing;
  // Any amount gives the same pricing-only figures; 1 fen keeps it cheap.
  const sample = priceCny(Money.of(1n, 'CNY'), snapshot);
  const tail = JSON.stringify(pricingTerms(pricing));
  parts = {
    lockMs: settings.quoteLockMinutes * 60_000,
    reference: Object.freeze({ pair: 'CNY/IDR', rate: fixed(snapshot.cnyIdr.rate), source: snapshot.cnyIdr.source, observedAt: snapshot.cnyIdr.observedAt.toISOString() }),
    platformRate: fixed(sample.platformRate),
    spread: { kind: sample.spread.kind, value: fixed(sample.spread.value), percent: fixed(sample.spread.percent.round(4)), tier: sample.spread.tier },
    minimum: Object.freeze(sample.fee.minimum.toJSON()),
    usdRate: Object.freeze({ pair: 'CNY/USD', rate: fixed(snapshot.cnyUsd.rate.round(8)), source: snapshot.cnyUsd.source }),
    assumptions: Object.freeze({ wireFeeUsd: settings.bankWireFeeUsd, fxMarginPercent: settings.bankFxMarginPercent, usdIdrRate: fixed(snapshot.usdIdr.rate) }),
    bankRate: fixed(sample.bankWire.rate),
    wireFee: Object.freeze(sample.bankWire.wireFee.toJSON()),
    termsTail: `,${tail.slice(1)}`,
  };
  partsCache.set(pricing, parts);
  return parts;
}

function idrJson(m: Money): MoneyJson {
  return { amount: m.minor.toString(), currency: 'IDR' };
}

function view(id: string, request: QuoteRequest, figures: QuoteFigures, pricing: PricingState, customerId: string | null, now: Date, token: string): QuoteView & { token: string };
function view(id: string, request: QuoteRequest, figures: QuoteFigures, pricing: PricingState, customerId: string | null, now: Date): QuoteView;
function view(id: string, request: QuoteRequest, figures: QuoteFigures, pricing: PricingState, customerId: string | null, now: Date, token?: string): QuoteView | (QuoteView & { token: string }) {
  const parts = partsOf(pricing);
  const spread = idrJson(figures.spread.idr);
  const fee = idrJson(figures.fee.idr);
  const total = idrJson(figures.total);
  const quote: QuoteView = {
    id,
    direction: request.direction,
    customerId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + parts.lockMs).toISOString(),
    lockMinutes: pricing.settings.quoteLockMinutes,
    cny: figures.cny.toJSON(),
    idrBudget: request.direction === 'idr_to_cny' ? request.idrBudget.toJSON() : null,
    reference: parts.reference,
    platformRate: parts.platformRate,
    spread: { kind: parts.spread.kind, value: parts.spread.value, percent: parts.spread.percent, amount: spread, tier: parts.spread.tier },
    fee: {
      percent: fixed(figures.fee.percent),
      minimum: parts.minimum,
      amount: fee,
      minimumApplied: figures.fee.minimumApplied,
      usdEquivalent: fixed(figures.fee.usdEquivalent, 2),
      usdRate: parts.usdRate,
      band: figures.fee.tier,
    },
    lines: [
      { code: 'reference_cost', amount: idrJson(figures.lines[0]!.amount) },
      { code: 'spread', amount: spread },
      { code: 'service_fee', amount: fee },
      { code: 'rounding', amount: idrJson(figures.lines[3]!.amount) },
    ],
    total,
    bankWire: {
      assumptions: parts.assumptions,
      rate: parts.bankRate,
      goods: idrJson(figures.bankWire.goods),
      wireFee: parts.wireFee,
      total: idrJson(figures.bankWire.total),
      saving: idrJson(figures.bankWire.saving),
    },
  };
  if (token === undefined) return quote;
  const shown: QuoteView & { token?: string } = quote;
  shown.token = token;
  return shown as QuoteView & { token: string };
}
/**
 * What a token signs: the request and every pricing input, not the computed figures. The
 * figures are a pure function of these (quote-engine.ts), so accepting a token recomputes
 * exactly the quote that was shown, and the token stays small.
 */
interface QuoteTerms {
  v: 1;
  id: string;
  customerId: string | null;
  createdAt: number;
  request: ['cny_to_idr' | 'idr_to_cny', string];
  rates: [string, string, string, number][];
  spread: [SpreadRule['kind'], string, string];
  fees: [string, number, string, FeeTier[]];
  wire: [string, string];
  lockMinutes: number;
}

type PricingTerms = Omit<QuoteTerms, 'v' | 'id' | 'customerId' | 'createdAt' | 'request'>;

/** The part of the terms that comes from the pricing state (the same for every quote made from it). */
function pricingTerms(pricing: PricingState): PricingTerms {
  const { snapshot: p, settings } = pricing;
  return {
    rates: [p.cnyIdr, p.usdIdr, p.cnyUsd].map((r) => [`${r.base}/${r.quote}`, r.rate.toFixed(), r.source, r.observedAt.getTime()]),
    spread: [p.spread.kind, p.spread.value.toFixed(), p.spread.tier],
    fees: [p.fees.id, p.fees.effectiveFrom.getTime(), p.fees.minimumFee.toString(), p.fees.tiers],
    wire: [settings.bankWireFeeUsd, settings.bankFxMarginPercent],
    lockMinutes: settings.quoteLockMinutes,
  };
}

/**
 * The signed terms as JSON: the request's part serialised now, the pricing's part once per
 * pricing state; the two join into exactly JSON.stringify of the whole QuoteTerms object
 * (same keys, same order; the quote tests compare the text).
 */
function termsJson(id: string, pricing: PricingState, request: QuoteRequest, customerId: string | null, now: Date): string {
  const head: Pick<QuoteTerms, 'v' | 'id' | 'customerId' | 'createdAt' | 'request'> = {
    v: 1,
    id,
    customerId,
    createdAt: now.getTime(),
    request: request.direction === 'cny_to_idr' ? ['cny_to_idr', request.cny.minor.toString()] : ['idr_to_cny', request.idrBudget.minor.toString()],
  };
  const json = JSON.stringify(head);
  return json.slice(0, -1) + partsOf(pricing).termsTail;
}

function pricingOf(t: QuoteTerms): PricingState {
  const rate = (i: number): ReferenceRate => {
    const [pair, value, source, observedAt] = t.rates[i]!;
    const [base, quote] = pair.split('/') as [string, string];
    return { base, quote, rate: Fixed.parse(value), source, observedAt: new Date(observedAt) };
  };
  return {
    snapshot: {
      cnyIdr: rate(0),
      usdIdr: rate(1),
      cnyUsd: rate(2),
      spread: { kind: t.spread[0], value: Fixed.parse(t.spread[1]), tier: t.spread[2] },
      fees: { id: t.fees[0], effectiveFrom: new Date(t.fees[1]), minimumFee: BigInt(t.fees[2]), tiers: t.fees[3] },
      wire: { wireFeeUsd: Fixed.parse(t.wire[0]), fxMarginPercent: Fixed.parse(t.wire[1]) },
    },
    settings: { quoteLockMinutes: t.lockMinutes, maxRateAgeMinutes: 0, bankWireFeeUsd: t.wire[0], bankFxMarginPercent: t.wire[1] },
  };
}

function requestOf(t: QuoteTerms): QuoteRequest {
  return t.request[0] === 'cny_to_idr' ? { direction: 'cny_to_idr', cny: Money.of(BigInt(t.request[1]), 'CNY') } : { direction: 'idr_to_cny', idrBudget: Money.of(BigInt(t.request[1]), 'IDR') };
}

function price(request: QuoteRequest, pricing: PricingState): QuoteFigures {
  return request.direction === 'cny_to_idr' ? priceCny(request.cny, pricing.snapshot) : priceIdrBudget(request.idrBudget, pricing.snapshot);
}

/** The quote a set of signed terms stands for: the same figures as when it was shown. */
function viewOf(t: QuoteTerms): QuoteView {
  const pricing = pricingOf(t);
  const request = requestOf(t);
  return view(t.id, request, price(request, pricing), pricing, t.customerId, new Date(t.createdAt));
}

/** Prices a request; no database write. The token carries the signed terms, to accept later. */
export function makeQuote(secrets: SecretBox, pricing: PricingState, request: QuoteRequest, customerId: string | null, now = new Date()): QuoteView & { token: string } {
  const id = newId('quote');
  // The terms serialise the pricing exactly, so pricing from them (as accepting does) gives these figures.
  const payload = Buffer.from(termsJson(id, pricing, request, customerId, now)).toString('base64url');
  return view(id, request, price(request, pricing), pricing, customerId, now, `${payload}.${secrets.sign(QUOTE_PURPOSE, payload)}`);
}

/** Reads a token back into the quote it stands for; refuses anything not signed by this platform. */
export function readQuoteToken(secrets: SecretBox, token: string): QuoteView {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !secrets.verify(QUOTE_PURPOSE, payload, signature)) throw new AppError('quote_invalid', 'The quote token is not one this platform issued.');
  const terms = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as QuoteTerms;
  if (terms.v !== 1) throw new AppError('quote_invalid', 'Unknown quote version.');
  return viewOf(terms);
}

export interface AcceptedQuote {
  quote: QuoteView;
  acceptedAt: Date;
  usedAt: Date | null;
  usedBy: { type: string; id: string } | null;
}

/**
 * The importer accepts a quote inside its lock: it is written now, for this customer, and
 * can later be used once. Accepting the same quote again returns it.
 */
export async function acceptQuote(db: Kysely<DB>, secrets: SecretBox, actor: Actor, customerId: string, token: string, now = new Date()): Promise<AcceptedQuote> {
  const quote = readQuoteToken(secrets, token);
  if (quote.customerId !== null && quote.customerId !== customerId) throw new AppError('quote_invalid', 'This quote was made for another customer.');
  if (new Date(quote.expiresAt).getTime() <= now.getTime()) throw new AppError('quote_expired', undefined, { expiredAt: quote.expiresAt });
  const bound: QuoteView = { ...quote, customerId };
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('quotes')
      .values({
        id: quote.id,
        customer_id: customerId,
        direction: quote.direction,
        cny_amount: BigInt(quote.cny.amount),
        idr_total: BigInt(quote.total.amount),
        breakdown: JSON.stringify(bound),
        expires_at: new Date(quote.expiresAt),
        accepted_by: actor.id ?? 'system',
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) await recordAudit(tx, actor, { action: 'quote.accepted', objectType: 'quote', objectId: quote.id, data: { cny: quote.cny, total: quote.total, expiresAt: quote.expiresAt } });
    const stored = await getQuote(tx, quote.id);
    if (stored.quote.customerId !== customerId) throw new AppError('quote_invalid', 'This quote belongs to another customer.');
    return stored;
  });
}

export async function getQuote(db: Kysely<DB>, id: string): Promise<AcceptedQuote> {
  const row = await db.selectFrom('quotes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No accepted quote with this id.');
  return {
    quote: row.breakdown as unknown as QuoteView,
    acceptedAt: row.accepted_at,
    usedAt: row.used_at,
    usedBy: row.used_by_id ? { type: row.used_by_type!, id: row.used_by_id } : null,
  };
}

/**
 * Uses an accepted quote for a business object (a payment order), exactly once and only
 * within its lock. Call inside the transaction that creates the object.
 */
export async function useQuote(db: Kysely<DB>, actor: Actor, quoteId: string, customerId: string, usedBy: { type: string; id: string }): Promise<AcceptedQuote> {
  const r = await db
    .updateTable('quotes')
    .set({ used_at: sql<Date>`now()`, used_by_type: usedBy.type, used_by_id: usedBy.id })
    .where('id', '=', quoteId)
    .where('customer_id', '=', customerId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) {
    const row = await db.selectFrom('quotes').select(['customer_id', 'used_at', 'expires_at']).where('id', '=', quoteId).executeTakeFirst();
    if (!row || row.customer_id !== customerId) throw new AppError('not_found', 'No accepted quote with this id.');
    if (row.used_at) throw new AppError('quote_already_used');
    throw new AppError('quote_expired', undefined, { expiredAt: row.expires_at.toISOString() });
  }
  await recordAudit(db, actor, { action: 'quote.used', objectType: 'quote', objectId: quoteId, data: { usedBy } });
  return getQuote(db, quoteId);
}
