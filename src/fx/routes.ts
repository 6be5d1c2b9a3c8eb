import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, assertCustomerAccess, authorize, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { Money } from '../money/money.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { fetchAndRecordRates } from './fetcher.ts';
import { addFeeSchedule, currentFeeSchedule, latestRate, listFeeSchedules, listSpreads, loadSettings, parsePair, rateHistory, recordRates, setSpread, updateSettings, PAIRS } from './pricing.ts';
import { parseRatesCsv } from './rate-import.ts';
import { acceptQuote, getQuote, makeQuote, type QuoteRequest } from './quotes.ts';

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$', description: 'Exact decimal, e.g. "2301.125"' });
const Pair = Type.Union(PAIRS.map(([b, q]) => Type.Literal(`${b}/${q}`)));
const QuoteBody = Type.Union([
  Type.Object({ cny: MoneySchema }, { additionalProperties: false }),
  Type.Object({ idrBudget: MoneySchema }, { additionalProperties: false }),
]);
/**
 * The answer of POST /quotes, field by field (QuoteView plus the token). Fastify compiles it
 * with fast-json-stringify, which writes only these fields: a field added to the view must
 * be added here (the quote tests compare the whole answer). Choices are `enum` strings and
 * nullable values `nullable: true`, never `anyOf`, so the serializer needs no validator.
 */
const text = (description?: string) => Type.String(description ? { description } : {});
const choice = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: values });
const nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
const AmountOut = Type.Object({ amount: text('Minor units as a string (sen, fen); negative when a saving is a loss'), currency: text() });
const QuoteAnswer = Type.Object({
  id: text(),
  direction: choice(['cny_to_idr', 'idr_to_cny'] as const),
  customerId: nullable(Type.String()),
  createdAt: text('ISO 8601'),
  expiresAt: text('ISO 8601; pay before this to keep the quote'),
  lockMinutes: Type.Integer(),
  cny: AmountOut,
  idrBudget: nullable(AmountOut),
  reference: Type.Object({ pair: choice(['CNY/IDR'] as const), rate: text('Exact decimal'), source: text(), observedAt: text('ISO 8601') }),
  platformRate: text('Exact decimal, IDR per CNY'),
  spread: Type.Object({ kind: choice(['percent', 'per_unit'] as const), value: text(), percent: text(), amount: AmountOut, tier: text() }),
  fee: Type.Object({
    percent: text(),
    minimum: AmountOut,
    amount: AmountOut,
    minimumApplied: Type.Boolean(),
    usdEquivalent: text(),
    usdRate: Type.Object({ pair: choice(['CNY/USD'] as const), rate: text(), source: text() }),
    band: Type.Object({ fromUsd: text(), toUsd: nullable(Type.String()), percent: text() }),
  }),
  lines: Type.Array(Type.Object({ code: choice(['reference_cost', 'spread', 'service_fee', 'rounding'] as const), amount: AmountOut })),
  total: AmountOut,
  bankWire: Type.Object({
    assumptions: Type.Object({ wireFeeUsd: text(), fxMarginPercent: text(), usdIdrRate: text() }),
    rate: text(),
    goods: AmountOut,
    wireFee: AmountOut,
    total: AmountOut,
    saving: AmountOut,
  }),
  token: text('Signed terms of this quote, to accept it within the lock'),
});
const AcceptBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 20_000 }) }, { additionalProperties: false });
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const RatesQuery = Type.Object({ pair: Pair, days: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }) }, { additionalProperties: false });
const RecordRateBody = Type.Object(
  { pair: Pair, rate: Decimal, source: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.:-]{1,63}$' }), observedAt: Type.Optional(Type.String({ format: 'date-time' })) },
  { additionalProperties: false },
);
const ImportRatesBody = Type.Object({ csv: Type.String({ minLength: 1, maxLength: 2_000_000 }), source: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.:-]{1,63}$' }) }, { additionalProperties: false });
const SpreadBody = Type.Object(
  {
    pair: Pair,
    tier: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,31}$', default: 'standard' }),
    kind: Type.Union([Type.Literal('percent'), Type.Literal('per_unit')]),
    value: Decimal,
    effectiveFrom: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
const FeeScheduleBody = Type.Object(
  {
    effectiveFrom: Type.String({ format: 'date-time' }),
    minimumFee: MoneySchema,
    tiers: Type.Array(Type.Object({ fromUsd: Decimal, percent: Decimal }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const SettingsBody = Type.Object(
  {
    quoteLockMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
    maxRateAgeMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 60 * 24 * 14 })),
    bankWireFeeUsd: Type.Optional(Decimal),
    bankFxMarginPercent: Type.Optional(Decimal),
  },
  { additionalProperties: false, minProperties: 1 },
);
const TierBody = Type.Object({ pricingTier: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,31}$' }) }, { additionalProperties: false });

const PRICING_EDITORS = ['admin', 'finance'] as const;

function dateOrNow(value: string | undefined): Date {
  return value ? new Date(value) : new Date();
}

export async function registerFxRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  /** The customer a quote is priced for: the importer's own account, or nobody (public page, staff). */
  async function pricingTarget(request: FastifyRequest): Promise<{ customerId: string | null; tier: string }> {
    const p = request.principal;
    if (!p) return { customerId: null, tier: 'standard' };
    if (p.kind === 'session' && p.session.mfa_state !== 'complete') return { customerId: null, tier: 'standard' };
    const customerId = customerScope(request);
    if (!customerId) return { customerId: null, tier: 'standard' };
    const c = await db.selectFrom('customers').select('pricing_tier').where('id', '=', customerId).executeTakeFirstOrThrow();
    return { customerId, tier: c.pricing_tier };
  }

  function quoteRequestOf(body: Static<typeof QuoteBody>): QuoteRequest {
    let req: QuoteRequest;
    if ('cny' in body) {
      if (body.cny.currency !== 'CNY') throw new AppError('currency_mismatch', 'cny must be in CNY.');
      req = { direction: 'cny_to_idr', cny: Money.fromJson(body.cny) };
    } else {
      if (body.idrBudget.currency !== 'IDR') throw new AppError('currency_mismatch', 'idrBudget must be in IDR.');
      req = { direction: 'idr_to_cny', idrBudget: Money.fromJson(body.idrBudget) };
    }
    if (req.direction === 'cny_to_idr' ? req.cny.minor <= 0n : req.idrBudget.minor <= 0n) throw new AppError('validation_failed', 'The amount must be positive.');
    return req;
  }

  async function quoteFor(request: FastifyRequest, req: QuoteRequest) {
    const target = await pricingTarget(request);
    const pricing = await ctx.pricing.get(target.tier);
    return makeQuote(ctx.secrets, pricing, req, target.customerId);
  }

  app.post('/quotes', { schema: { tags: ['quotes'], summary: 'Price a yuan amount (or what an IDR budget buys), every rupiah shown. Nothing is stored.', body: QuoteBody, response: { 200: QuoteAnswer } } }, (request) => {
    const req = quoteRequestOf(request.body as Static<typeof QuoteBody>);
    // Nobody signed in and pricing loaded: answered at once (standard tier, no customer), no promise.
    const pricing = request.principal === null ? ctx.pricing.peek('standard') : undefined;
    if (pricing) return makeQuote(ctx.secrets, pricing, req, null);
    return quoteFor(request, req);
  });

  app.post('/quotes/accept', { schema: { tags: ['quotes'], summary: 'Accept a quote inside its lock: it is stored for this customer and can be used once', body: AcceptBody } }, async (request, reply) => {
    assertAuthorized(request, { roles: ['importer'], apiKeyScope: 'payments:write' });
    const customerId = customerScope(request)!;
    const { token } = request.body as Static<typeof AcceptBody>;
    const accepted = await acceptQuote(db, ctx.secrets, actorFrom(request), customerId, token);
    return reply.status(201).send(accepted);
  });

  app.get('/quotes/:id', { schema: { tags: ['quotes'], summary: 'An accepted quote', params: IdParam } }, async (request) => {
    assertAuthorized(request, { roles: ['importer', 'ops', 'finance', 'compliance', 'admin'], apiKeyScope: 'payments:read' });
    const { id } = request.params as Static<typeof IdParam>;
    const accepted = await getQuote(db, id).catch(() => {
      throw new AppError('not_found');
    });
    assertCustomerAccess(request, accepted.quote.customerId);
    return accepted;
  });

  // ---- public transparency -------------------------------------------------------------

  app.get('/public/pricing', { schema: { tags: ['public'], summary: 'Rates, spreads, fee schedule and assumptions in force' } }, async () => {
    const [settings, fees, schedules, spreads, ...rates] = await Promise.all([
      loadSettings(db),
      currentFeeSchedule(db),
      listFeeSchedules(db),
      listSpreads(db),
      ...PAIRS.map(([b, q]) => latestRate(db, b, q)),
    ]);
    const now = Date.now();
    return {
      rates: rates.filter((r) => r !== undefined).map((r) => ({ pair: `${r!.base}/${r!.quote}`, rate: r!.rate.toFixed(), source: r!.source, observedAt: r!.observedAt.toISOString() })),
      feeSchedule: fees ? { id: fees.id, effectiveFrom: fees.effectiveFrom.toISOString(), minimumFee: { amount: fees.minimumFee.toString(), currency: 'IDR' }, tiers: fees.tiers } : null,
      upcomingFeeSchedules: schedules.filter((s) => new Date(s.effectiveFrom).getTime() > now).map(({ createdBy: _c, ...s }) => s),
      spreads: spreads
        .filter((s) => new Date(s.effectiveFrom).getTime() <= now)
        .filter((s, i, all) => all.findIndex((o) => o.pair === s.pair && o.tier === s.tier) === i)
        .map(({ createdBy: _c, id: _i, createdAt: _a, ...s }) => s),
      quoteLockMinutes: settings.quoteLockMinutes,
      bankWire: { wireFeeUsd: settings.bankWireFeeUsd, fxMarginPercent: settings.bankFxMarginPercent },
    };
  });

  app.get('/public/rates', { schema: { tags: ['public'], summary: 'Reference rate history for a pair (chart)', querystring: RatesQuery } }, async (request) => {
    const q = request.query as Static<typeof RatesQuery>;
    const [base, quote] = parsePair(q.pair);
    return { pair: q.pair, points: await rateHistory(db, base, quote, new Date(Date.now() - q.days * 86_400_000)) };
  });

  // ---- staff: rates, spreads, fees, settings ---------------------------------------------------

  const changed = () => ctx.pricing.invalidate();

  app.post('/staff/fx/rates', { schema: { tags: ['pricing'], summary: 'Record a reference rate (admin, finance)', body: RecordRateBody }, onRequest: authorize({ roles: PRICING_EDITORS }) }, async (request, reply) => {
    const body = request.body as Static<typeof RecordRateBody>;
    const [base, quote] = parsePair(body.pair);
    const result = await db.transaction().execute((tx) => recordRates(tx, actorFrom(request), [{ base, quote, rate: body.rate, source: body.source, observedAt: dateOrNow(body.observedAt) }], 'manual'));
    changed();
    return reply.status(201).send(result);
  });

  app.post('/staff/fx/rates/import', { schema: { tags: ['pricing'], summary: 'Import historical rates from CSV (all or nothing)', body: ImportRatesBody }, onRequest: authorize({ roles: PRICING_EDITORS }) }, async (request, reply) => {
    const body = request.body as Static<typeof ImportRatesBody>;
    const rates = parseRatesCsv(body.csv, body.source);
    const result = await db.transaction().execute((tx) => recordRates(tx, actorFrom(request), rates, 'csv'));
    changed();
    return reply.status(201).send({ received: rates.length, ...result });
  });

  app.post('/staff/fx/rates/fetch', { schema: { tags: ['pricing'], summary: 'Fetch rates from the configured feed now' }, onRequest: authorize({ roles: PRICING_EDITORS }) }, async () => {
    if (!ctx.rateFetcher) throw new AppError('conflict', 'No rate feed is configured (FX_FEED_URL).');
    const result = await fetchAndRecordRates(db, ctx.rateFetcher, ctx.logger);
    changed();
    return result;
  });

  app.get('/staff/fx/rates', { schema: { tags: ['pricing'], summary: 'Rate history', querystring: RatesQuery }, onRequest: authorize({ roles: ['admin', 'finance', 'ops', 'compliance'] }) }, async (request) => {
    const q = request.query as Static<typeof RatesQuery>;
    const [base, quote] = parsePair(q.pair);
    return { pair: q.pair, points: await rateHistory(db, base, quote, new Date(Date.now() - q.days * 86_400_000)) };
  });

  app.get('/staff/fx/spreads', { schema: { tags: ['pricing'], summary: 'Spread history' }, onRequest: authorize({ roles: ['admin', 'finance'] }) }, async () => ({ spreads: await listSpreads(db) }));

  app.post('/staff/fx/spreads', { schema: { tags: ['pricing'], summary: 'Set a spread for a pair and tier from a date (admin)', body: SpreadBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof SpreadBody>;
    const [base, quote] = parsePair(body.pair);
    const row = await db.transaction().execute((tx) => setSpread(tx, actorFrom(request), { base, quote, tier: body.tier, kind: body.kind, value: body.value, effectiveFrom: dateOrNow(body.effectiveFrom) }));
    changed();
    return reply.status(201).send({ id: row.id });
  });

  app.get('/staff/fx/fee-schedules', { schema: { tags: ['pricing'], summary: 'Fee schedules, newest first' }, onRequest: authorize({ roles: ['admin', 'finance'] }) }, async () => ({ feeSchedules: await listFeeSchedules(db) }));

  app.post('/staff/fx/fee-schedules', { schema: { tags: ['pricing'], summary: 'Add a fee schedule effective from a date (admin)', body: FeeScheduleBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof FeeScheduleBody>;
    const minimum = Money.fromJson(body.minimumFee);
    if (minimum.currency !== 'IDR') throw new AppError('currency_mismatch', 'The minimum fee is in IDR.');
    const row = await db.transaction().execute((tx) => addFeeSchedule(tx, actorFrom(request), { effectiveFrom: new Date(body.effectiveFrom), minimumFee: minimum.minor, tiers: body.tiers, ...(body.note ? { note: body.note } : {}) }));
    changed();
    return reply.status(201).send({ id: row.id });
  });

  app.get('/staff/fx/settings', { schema: { tags: ['pricing'], summary: 'Quote lock, rate age limit, bank-wire assumptions' }, onRequest: authorize({ roles: ['admin', 'finance'] }) }, async () => loadSettings(db));

  app.patch('/staff/fx/settings', { schema: { tags: ['pricing'], summary: 'Change pricing settings (admin)', body: SettingsBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const body = request.body as Static<typeof SettingsBody>;
    const settings = await db.transaction().execute((tx) => updateSettings(tx, actorFrom(request), body));
    changed();
    return settings;
  });

  app.patch('/staff/customers/:id/pricing-tier', { schema: { tags: ['pricing'], summary: 'Put a customer on a pricing tier (admin)', params: IdParam, body: TierBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const { pricingTier } = request.body as Static<typeof TierBody>;
    await db.transaction().execute(async (tx) => {
      const r = await tx.updateTable('customers').set({ pricing_tier: pricingTier }).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw new AppError('not_found');
      await recordAudit(tx, actorFrom(request), { action: 'customer.pricing_tier_set', objectType: 'customer', objectId: id, data: { pricingTier } });
    });
    changed();
    return { id, pricingTier };
  });
}
