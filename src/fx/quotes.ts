import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Money, MoneyJson } from '../money/money.ts';
import type { PricingState } from './pricing.ts';
import { priceCny, priceIdrBudget, type QuoteFigures } from './quote-engine.ts';

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

function view(id: string, request: QuoteRequest, figures: QuoteFigures, pricing: PricingState, customerId: string | null, now: Date): QuoteView {
  const { snapshot, settings } = pricing;
  const expires = new Date(now.getTime() + settings.quoteLockMinutes * 60_000);
  return {
    id,
    direction: request.direction,
    customerId,
    createdAt: now.toISOString(),
    expiresAt: expires.toISOString(),
    lockMinutes: settings.quoteLockMinutes,
    cny: figures.cny.toJSON(),
    idrBudget: request.direction === 'idr_to_cny' ? request.idrBudget.toJSON() : null,
    reference: { pair: 'CNY/IDR', rate: fixed(snapshot.cnyIdr.rate), source: snapshot.cnyIdr.source, observedAt: snapshot.cnyIdr.observedAt.toISOString() },
    platformRate: fixed(figures.platformRate),
    spread: { kind: figures.spread.kind, value: fixed(figures.spread.value), percent: fixed(figures.spread.percent.toDecimalPlaces(4)), amount: figures.spread.idr.toJSON(), tier: figures.spread.tier },
    fee: {
      percent: fixed(figures.fee.percent),
      minimum: figures.fee.minimum.toJSON(),
      amount: figures.fee.idr.toJSON(),
      minimumApplied: figures.fee.minimumApplied,
      usdEquivalent: fixed(figures.fee.usdEquivalent, 2),
      usdRate: { pair: 'CNY/USD', rate: fixed(snapshot.cnyUsd.rate.toDecimalPlaces(8)), source: snapshot.cnyUsd.source },
      band: figures.fee.tier,
    },
    lines: figures.lines.map((l) => ({ code: l.code, amount: l.amount.toJSON() })),
    total: figures.total.toJSON(),
    bankWire: {
      assumptions: { wireFeeUsd: settings.bankWireFeeUsd, fxMarginPercent: settings.bankFxMarginPercent, usdIdrRate: fixed(snapshot.usdIdr.rate) },
      rate: fixed(figures.bankWire.rate),
      goods: figures.bankWire.goods.toJSON(),
      wireFee: figures.bankWire.wireFee.toJSON(),
      total: figures.bankWire.total.toJSON(),
      saving: figures.bankWire.saving.toJSON(),
    },
  };
}

/** Prices a request; no database write. The token is the quote, signed, to accept later. */
export function makeQuote(secrets: SecretBox, pricing: PricingState, request: QuoteRequest, customerId: string | null, now = new Date()): QuoteView & { token: string } {
  const figures = request.direction === 'cny_to_idr' ? priceCny(request.cny, pricing.snapshot) : priceIdrBudget(request.idrBudget, pricing.snapshot);
  const quote = view(newId('quote'), request, figures, pricing, customerId, now);
  const payload = Buffer.from(JSON.stringify(quote)).toString('base64url');
  return { ...quote, token: `${payload}.${secrets.sign(QUOTE_PURPOSE, payload)}` };
}

/** Reads a token back; refuses anything not signed by this platform. */
export function readQuoteToken(secrets: SecretBox, token: string): QuoteView {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !secrets.verify(QUOTE_PURPOSE, payload, signature)) throw new AppError('quote_invalid', 'The quote token is not one this platform issued.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as QuoteView;
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
