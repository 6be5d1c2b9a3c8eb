import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, FeeTier } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { isCurrencyCode } from '../money/currency.ts';
import { Dec, parseDecimal } from '../money/rate.ts';
import { divideToBigInt, Fixed } from '../money/fixed.ts';
import type { FeeSchedule, PricingSnapshot, ReferenceRate, SpreadRule } from './quote-engine.ts';

export const PAIRS = [
  ['CNY', 'IDR'],
  ['USD', 'IDR'],
  ['CNY', 'USD'],
] as const;
export type PairName = 'CNY/IDR' | 'USD/IDR' | 'CNY/USD';

export function parsePair(pair: string): [string, string] {
  const [base, quote] = pair.split('/');
  if (!base || !quote || !PAIRS.some(([b, q]) => b === base && q === quote)) {
    throw new AppError('validation_failed', `Unsupported pair ${JSON.stringify(pair)}; use ${PAIRS.map((p) => p.join('/')).join(', ')}.`);
  }
  return [base, quote];
}

export interface PricingSettings {
  quoteLockMinutes: number;
  maxRateAgeMinutes: number;
  bankWireFeeUsd: string;
  bankFxMarginPercent: string;
}

export async function loadSettings(db: Kysely<DB>): Promise<PricingSettings> {
  const rows = await db.selectFrom('pricing_settings').select(['key', 'value']).execute();
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return {
    quoteLockMinutes: Number(map.get('quote_lock_minutes') ?? 15),
    maxRateAgeMinutes: Number(map.get('max_rate_age_minutes') ?? 1440),
    bankWireFeeUsd: String(map.get('bank_wire_fee_usd') ?? '25'),
    bankFxMarginPercent: String(map.get('bank_fx_margin_percent') ?? '2.5'),
  };
}

const SETTING_KEYS: Record<keyof PricingSettings, string> = {
  quoteLockMinutes: 'quote_lock_minutes',
  maxRateAgeMinutes: 'max_rate_age_minutes',
  bankWireFeeUsd: 'bank_wire_fee_usd',
  bankFxMarginPercent: 'bank_fx_margin_percent',
};

export async function updateSettings(db: Kysely<DB>, actor: Actor, changes: Partial<PricingSettings>): Promise<PricingSettings> {
  for (const [k, v] of Object.entries(changes) as [keyof PricingSettings, unknown][]) {
    if (v === undefined) continue;
    await db
      .insertInto('pricing_settings')
      .values({ key: SETTING_KEYS[k], value: JSON.stringify(v), updated_by: actor.id })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(v), updated_by: actor.id, updated_at: sql<Date>`now()` }))
      .execute();
  }
  await recordAudit(db, actor, { action: 'pricing.settings_changed', objectType: 'pricing_settings', objectId: null, data: changes });
  return loadSettings(db);
}

// ---- reference rates --------------------------------------------------------------------

export interface RateInput {
  base: string;
  quote: string;
  rate: string;
  source: string;
  observedAt: Date;
}

function validateRate(input: RateInput): void {
  parsePair(`${input.base}/${input.quote}`);
  parseDecimal(input.rate);
  if (new Dec(input.rate).lte(0)) throw new AppError('validation_failed', 'A rate must be positive.');
  if (!/^[a-z0-9][a-z0-9_.:-]{1,63}$/i.test(input.source)) throw new AppError('validation_failed', 'The source is a short code such as jisdor, market, manual.');
  if (Number.isNaN(input.observedAt.getTime())) throw new AppError('validation_failed', 'observedAt is not a date.');
  if (input.observedAt.getTime() > Date.now() + 5 * 60_000) throw new AppError('validation_failed', 'A rate cannot be observed in the future.');
}

/** Records rates (one or many, all or nothing); an identical observation already stored is skipped. */
export async function recordRates(db: Kysely<DB>, actor: Actor, inputs: RateInput[], how: string): Promise<{ inserted: number; skipped: number }> {
  inputs.forEach(validateRate);
  let inserted = 0;
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500);
    const rows = await db
      .insertInto('fx_rates')
      .values(chunk.map((r) => ({ id: newId('fxRate'), base: r.base, quote: r.quote, rate: new Dec(r.rate).toFixed(), source: r.source.toLowerCase(), observed_at: r.observedAt, recorded_by: actor.id })))
      .onConflict((oc) => oc.columns(['base', 'quote', 'source', 'observed_at']).doNothing())
      .returning('id')
      .execute();
    inserted += rows.length;
  }
  await recordAudit(db, actor, { action: 'fx.rates_recorded', objectType: 'fx_rates', objectId: null, data: { how, received: inputs.length, inserted, pairs: [...new Set(inputs.map((r) => `${r.base}/${r.quote}`))] } });
  return { inserted, skipped: inputs.length - inserted };
}

export async function latestRate(db: Kysely<DB>, base: string, quote: string): Promise<ReferenceRate | undefined> {
  const row = await db.selectFrom('fx_rates').selectAll().where('base', '=', base).where('quote', '=', quote).orderBy('observed_at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row ? { base, quote, rate: Fixed.parse(row.rate), source: row.source, observedAt: row.observed_at } : undefined;
}

export async function rateHistory(db: Kysely<DB>, base: string, quote: string, since: Date) {
  const rows = await db
    .selectFrom('fx_rates')
    .select(['rate', 'source', 'observed_at'])
    .where('base', '=', base)
    .where('quote', '=', quote)
    .where('observed_at', '>=', since)
    .orderBy('observed_at')
    .limit(5000)
    .execute();
  return rows.map((r) => ({ rate: new Dec(r.rate).toFixed(), source: r.source, observedAt: r.observed_at.toISOString() }));
}

// ---- spreads and fees --------------------------------------------------------------------

export async function currentSpread(db: Kysely<DB>, base: string, quote: string, tier: string, at = new Date()): Promise<SpreadRule | undefined> {
  for (const t of tier === 'standard' ? ['standard'] : [tier, 'standard']) {
    const row = await db
      .selectFrom('fx_spreads')
      .selectAll()
      .where('base', '=', base)
      .where('quote', '=', quote)
      .where('tier', '=', t)
      .where('effective_from', '<=', at)
      .orderBy('effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) return { kind: row.kind, value: Fixed.parse(row.value), tier: t };
  }
  return undefined;
}

export async function setSpread(db: Kysely<DB>, actor: Actor, input: { base: string; quote: string; tier: string; kind: 'percent' | 'per_unit'; value: string; effectiveFrom: Date }) {
  parsePair(`${input.base}/${input.quote}`);
  parseDecimal(input.value);
  if (input.kind === 'percent' && new Dec(input.value).gt(20)) throw new AppError('validation_failed', 'A spread above 20 % is refused as a likely typo.');
  const row = await db
    .insertInto('fx_spreads')
    .values({ id: newId('fxSpread'), base: input.base, quote: input.quote, tier: input.tier, kind: input.kind, value: input.value, effective_from: input.effectiveFrom, created_by: actor.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'fx.spread_set', objectType: 'fx_spread', objectId: row.id, data: { ...input, effectiveFrom: input.effectiveFrom.toISOString() } });
  return row;
}

export async function listSpreads(db: Kysely<DB>) {
  const rows = await db.selectFrom('fx_spreads').selectAll().orderBy('effective_from', 'desc').limit(500).execute();
  return rows.map((r) => ({ id: r.id, pair: `${r.base}/${r.quote}`, tier: r.tier, kind: r.kind, value: new Dec(r.value).toFixed(), effectiveFrom: r.effective_from.toISOString(), createdBy: r.created_by, createdAt: r.created_at.toISOString() }));
}

export function validateFeeTiers(tiers: FeeTier[]): void {
  if (tiers.length === 0) throw new AppError('validation_failed', 'A fee schedule needs at least one tier.');
  const starts = tiers.map((t) => parseDecimalOrFail(t.fromUsd, 'fromUsd'));
  if (!starts.some((s) => s.isZero())) throw new AppError('validation_failed', 'One tier must start at USD 0.');
  if (new Set(starts.map((s) => s.toFixed())).size !== starts.length) throw new AppError('validation_failed', 'Two tiers start at the same amount.');
  for (const t of tiers) {
    const pct = parseDecimalOrFail(t.percent, 'percent');
    if (pct.gt(10)) throw new AppError('validation_failed', 'A fee above 10 % is refused as a likely typo.');
  }
}

function parseDecimalOrFail(v: string, field: string) {
  try {
    return parseDecimal(v);
  } catch {
    throw new AppError('validation_failed', `${field} must be a plain decimal, got ${JSON.stringify(v)}.`);
  }
}

export async function currentFeeSchedule(db: Kysely<DB>, at = new Date()): Promise<FeeSchedule | undefined> {
  const row = await db.selectFrom('fee_schedules').selectAll().where('effective_from', '<=', at).orderBy('effective_from', 'desc').limit(1).executeTakeFirst();
  return row ? { id: row.id, effectiveFrom: row.effective_from, minimumFee: row.minimum_fee, tiers: row.tiers } : undefined;
}

export async function listFeeSchedules(db: Kysely<DB>) {
  const rows = await db.selectFrom('fee_schedules').selectAll().orderBy('effective_from', 'desc').limit(100).execute();
  return rows.map((r) => ({ id: r.id, effectiveFrom: r.effective_from.toISOString(), minimumFee: { amount: r.minimum_fee.toString(), currency: 'IDR' }, tiers: r.tiers, note: r.note, createdBy: r.created_by }));
}

export async function addFeeSchedule(db: Kysely<DB>, actor: Actor, input: { effectiveFrom: Date; minimumFee: bigint; tiers: FeeTier[]; note?: string }) {
  validateFeeTiers(input.tiers);
  const row = await db
    .insertInto('fee_schedules')
    .values({ id: newId('feeSchedule'), effective_from: input.effectiveFrom, minimum_fee: input.minimumFee, tiers: JSON.stringify(input.tiers), note: input.note ?? null, created_by: actor.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'fx.fee_schedule_added', objectType: 'fee_schedule', objectId: row.id, data: { effectiveFrom: input.effectiveFrom.toISOString(), minimumFee: input.minimumFee.toString(), tiers: input.tiers } });
  return row;
}

// ---- the snapshot quotes are priced from ------------------------------------------------------

export interface PricingState {
  snapshot: PricingSnapshot;
  settings: PricingSettings;
}

/** Everything a quote needs, read from the database; refuses when a rate is missing or stale. */
export async function loadPricing(db: Kysely<DB>, tier: string, now = new Date()): Promise<PricingState> {
  const settings = await loadSettings(db);
  const [cnyIdr, usdIdr, cnyUsdDirect] = await Promise.all([latestRate(db, 'CNY', 'IDR'), latestRate(db, 'USD', 'IDR'), latestRate(db, 'CNY', 'USD')]);
  if (!cnyIdr || !usdIdr) throw new AppError('rate_missing', `Record the ${!cnyIdr ? 'CNY/IDR' : 'USD/IDR'} reference rate first.`);
  const maxAge = settings.maxRateAgeMinutes * 60_000;
  for (const r of [cnyIdr, usdIdr]) {
    if (now.getTime() - r.observedAt.getTime() > maxAge) {
      throw new AppError('rate_stale', `The ${r.base}/${r.quote} rate was observed at ${r.observedAt.toISOString()}, more than ${settings.maxRateAgeMinutes} minutes ago.`);
    }
  }
  const cnyUsd: ReferenceRate =
    cnyUsdDirect && now.getTime() - cnyUsdDirect.observedAt.getTime() <= maxAge
      ? cnyUsdDirect
      : // derived, rounded to 12 decimals (far below what moves a fee band)
        { base: 'CNY', quote: 'USD', rate: Fixed.of(divideToBigInt(cnyIdr.rate.shift(12), usdIdr.rate, 'half_even'), 12).round(12), source: `derived:${cnyIdr.source}/${usdIdr.source}`, observedAt: cnyIdr.observedAt < usdIdr.observedAt ? cnyIdr.observedAt : usdIdr.observedAt };
  const spread = await currentSpread(db, 'CNY', 'IDR', tier, now);
  const fees = await currentFeeSchedule(db, now);
  if (!spread || !fees) throw new AppError('pricing_unavailable', 'No spread or fee schedule is in force.');
  return {
    settings,
    snapshot: { cnyIdr, usdIdr, cnyUsd, spread, fees, wire: { wireFeeUsd: Fixed.parse(settings.bankWireFeeUsd), fxMarginPercent: Fixed.parse(settings.bankFxMarginPercent) } },
  };
}

/**
 * Quotes are shown without touching the database: pricing is cached per tier for a few
 * seconds (every process re-reads it at least that often, so a rate recorded by another
 * process is in force within seconds) and dropped at once when this process changes it.
 */
export class PricingCache {
  private readonly entries = new Map<string, { at: number; value: Promise<PricingState>; loaded?: PricingState }>();

  constructor(private readonly db: Kysely<DB>, private readonly ttlMs = 3000) {}

  get(tier: string): Promise<PricingState> {
    const now = Date.now();
    const hit = this.entries.get(tier);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = loadPricing(this.db, tier);
    const entry: { at: number; value: Promise<PricingState>; loaded?: PricingState } = { at: now, value };
    this.entries.set(tier, entry);
    value.then(
      (loaded) => {
        entry.loaded = loaded;
      },
      () => this.entries.delete(tier),
    );
    return value;
  }

  /** The tier's pricing if it is loaded and fresh, without waiting; else undefined (then use get). */
  peek(tier: string): PricingState | undefined {
    const hit = this.entries.get(tier);
    return hit?.loaded && Date.now() - hit.at < this.ttlMs ? hit.loaded : undefined;
  }

  invalidate(): void {
    this.entries.clear();
  }
}

export { isCurrencyCode };
