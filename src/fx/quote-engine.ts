import { AppError } from '../app/errors.ts';
import type { FeeTier } from '../db/schema.ts';
import { Money } from '../money/money.ts';
import { divideToBigInt, Fixed } from '../money/fixed.ts';

/**
 * The arithmetic of a quote, pure and exact: no database, no clock. Everything is an exact
 * decimal (bigint-based `Fixed`, fast enough to price on every request) until the lines are
 * put in sen; what the customer pays is the exact cost rounded
 * up to a whole rupiah (docs/money.md), and the lines shown always add up to it.
 */

export interface ReferenceRate {
  base: string;
  quote: string;
  rate: Fixed;
  source: string;
  observedAt: Date;
}

export interface SpreadRule {
  kind: 'percent' | 'per_unit';
  /** Percent (1.2 = 1.2 %) or IDR per yuan. */
  value: Fixed;
  tier: string;
}

export interface FeeSchedule {
  id: string;
  effectiveFrom: Date;
  /** Minimum fee in sen. */
  minimumFee: bigint;
  tiers: FeeTier[];
}

export interface WireAssumptions {
  wireFeeUsd: Fixed;
  fxMarginPercent: Fixed;
}

export interface PricingSnapshot {
  cnyIdr: ReferenceRate;
  usdIdr: ReferenceRate;
  /** Direct CNY/USD if recorded, else derived from the two IDR rates. */
  cnyUsd: ReferenceRate;
  spread: SpreadRule;
  fees: FeeSchedule;
  wire: WireAssumptions;
}

export interface QuoteLine {
  code: 'reference_cost' | 'spread' | 'service_fee' | 'rounding';
  amount: Money;
}

export interface QuoteFigures {
  cny: Money;
  referenceRate: Fixed;
  platformRate: Fixed;
  spread: { kind: SpreadRule['kind']; value: Fixed; percent: Fixed; idr: Money; tier: string };
  fee: { percent: Fixed; minimum: Money; idr: Money; usdEquivalent: Fixed; tier: { fromUsd: string; toUsd: string | null; percent: string }; minimumApplied: boolean };
  lines: QuoteLine[];
  total: Money;
  /** The exact cost before the round-up, in rupiah (for tests and audits). */
  exactTotal: Fixed;
  bankWire: { rate: Fixed; goods: Money; wireFee: Money; total: Money; saving: Money };
}

const HUNDRED = Fixed.of(100n);

function platformRateOf(reference: Fixed, spread: SpreadRule): Fixed {
  return spread.kind === 'percent' ? reference.mul(HUNDRED.add(spread.value)).shift(-2) : reference.add(spread.value);
}

type FeeBand = { fromUsd: Fixed; toUsd: Fixed | null; percent: Fixed; raw: FeeTier; view: QuoteFigures['fee']['tier'] };
const bandsCache = new WeakMap<FeeTier[], FeeBand[]>();

/** Fee tiers sorted by their lower bound, each with its upper bound (the next tier's start); parsed once per schedule. */
export function feeBands(tiers: FeeTier[]): FeeBand[] {
  const cached = bandsCache.get(tiers);
  if (cached) return cached;
  const bands = parseBands(tiers);
  bandsCache.set(tiers, bands);
  return bands;
}

function parseBands(tiers: FeeTier[]): FeeBand[] {
  const sorted = [...tiers].sort((a, b) => Fixed.parse(a.fromUsd).cmp(Fixed.parse(b.fromUsd)));
  return sorted.map((t, i) => {
    const toUsd = sorted[i + 1] ? Fixed.parse(sorted[i + 1]!.fromUsd) : null;
    return { fromUsd: Fixed.parse(t.fromUsd), toUsd, percent: Fixed.parse(t.percent), raw: t, view: Object.freeze({ fromUsd: t.fromUsd, toUsd: toUsd?.toFixed() ?? null, percent: t.percent }) };
  });
}

function bandFor(tiers: FeeTier[], usd: Fixed) {
  const bands = feeBands(tiers);
  for (let i = bands.length - 1; i >= 0; i--) if (usd.gte(bands[i]!.fromUsd)) return bands[i]!;
  throw new AppError('pricing_unavailable', 'The fee schedule does not cover this amount.');
}

/**
 * What a snapshot's figures share whatever the amount (rates after spread and bank margin,
 * the wire fee, the minimum fee): worked out once per snapshot. Snapshots are never changed
 * once made (the pricing cache makes a new one when anything changes).
 */
interface SnapshotConstants {
  platform: Fixed;
  spreadPercent: Fixed;
  minimum: Fixed;
  minimumMoney: Money;
  bankRate: Fixed;
  wireFee: Fixed;
  wireFeeMoney: Money;
}
const constantsCache = new WeakMap<PricingSnapshot, SnapshotConstants>();

function constantsOf(p: PricingSnapshot): SnapshotConstants {
  let c = constantsCache.get(p);
  if (c) return c;
  const reference = p.cnyIdr.rate;
  const wireFee = p.wire.wireFeeUsd.mul(p.usdIdr.rate);
  c = {
    platform: platformRateOf(reference, p.spread),
    // (platform − reference) / reference, to 4 decimals: exact for a percent spread.
    spreadPercent: p.spread.kind === 'percent' ? p.spread.value : Fixed.of(divideToBigInt(p.spread.value.shift(6), reference, 'half_even'), 4).round(4),
    minimum: Fixed.of(p.fees.minimumFee, 2),
    minimumMoney: Money.of(p.fees.minimumFee, 'IDR'),
    bankRate: reference.mul(HUNDRED.add(p.wire.fxMarginPercent)).shift(-2),
    wireFee,
    wireFeeMoney: Money.of(senDown(wireFee), 'IDR'),
  };
  constantsCache.set(p, c);
  return c;
}

/** Rupiah (as an exact decimal) to sen, rounded down: lines never claim more than the cost. */
function senDown(rupiah: Fixed): bigint {
  return rupiah.shift(2).toBigInt('floor');
}

function idr(sen: bigint): Money {
  return Money.of(sen, 'IDR');
}

/** The full breakdown for paying `cny` yuan. */
export function priceCny(cny: Money, p: PricingSnapshot): QuoteFigures {
  if (cny.currency !== 'CNY') throw new AppError('currency_mismatch', 'Quotes are for yuan (CNY) amounts.');
  if (!cny.isPositive()) throw new AppError('validation_failed', 'The amount must be positive.');
  const c = constantsOf(p);
  const yuan = Fixed.of(cny.minor, 2);
  const reference = p.cnyIdr.rate;

  const referenceCost = yuan.mul(reference);
  const goodsCost = yuan.mul(c.platform);
  const usdEquivalent = yuan.mul(p.cnyUsd.rate);
  const band = bandFor(p.fees.tiers, usdEquivalent);
  const percentFee = goodsCost.mul(band.percent).shift(-2);
  const minimumApplied = percentFee.lt(c.minimum);
  const fee = minimumApplied ? c.minimum : percentFee;
  const exactTotal = goodsCost.add(fee);

  const totalSen = exactTotal.toBigInt('ceiling') * 100n;
  const referenceSen = senDown(referenceCost);
  const goodsSen = senDown(goodsCost);
  const feeSen = senDown(fee);
  const roundingSen = totalSen - goodsSen - feeSen;

  const bankGoods = yuan.mul(c.bankRate);
  const bankTotalSen = bankGoods.add(c.wireFee).toBigInt('ceiling') * 100n;

  const spread = idr(goodsSen - referenceSen);
  const feeMoney = idr(feeSen);
  const total = idr(totalSen);
  return {
    cny,
    referenceRate: reference,
    platformRate: c.platform,
    spread: { kind: p.spread.kind, value: p.spread.value, percent: c.spreadPercent, idr: spread, tier: p.spread.tier },
    fee: { percent: band.percent, minimum: c.minimumMoney, idr: feeMoney, usdEquivalent, tier: band.view, minimumApplied },
    lines: [
      { code: 'reference_cost', amount: idr(referenceSen) },
      { code: 'spread', amount: spread },
      { code: 'service_fee', amount: feeMoney },
      { code: 'rounding', amount: idr(roundingSen) },
    ],
    total,
    exactTotal,
    bankWire: { rate: c.bankRate, goods: idr(senDown(bankGoods)), wireFee: c.wireFeeMoney, total: idr(bankTotalSen), saving: idr(bankTotalSen - totalSen) },
  };
}

/**
 * The most yuan an IDR budget buys, all in. The total is not monotonic across fee bands
 * (a larger payment can fall into a cheaper band), so each band is searched on its own
 * and the largest affordable amount wins.
 */
export function priceIdrBudget(budget: Money, p: PricingSnapshot): QuoteFigures {
  if (budget.currency !== 'IDR') throw new AppError('currency_mismatch', 'A budget is in rupiah (IDR).');
  const fits = (fen: bigint) => priceCny(Money.of(fen, 'CNY'), p).total.minor <= budget.minor;
  const usdPerFen = p.cnyUsd.rate.shift(-2);
  // An upper bound on what any budget can buy: the budget at the reference rate.
  const ceilingFen = divideToBigInt(Fixed.of(budget.minor), p.cnyIdr.rate, 'floor') + 1n;
  let best = 0n;
  for (const band of feeBands(p.fees.tiers)) {
    let lo = band.fromUsd.isZero() ? 1n : divideToBigInt(band.fromUsd, usdPerFen, 'ceiling');
    let hi = band.toUsd ? divideToBigInt(band.toUsd, usdPerFen, 'ceiling') - 1n : ceilingFen;
    if (hi > ceilingFen) hi = ceilingFen;
    if (lo > hi || !fits(lo)) continue;
    while (lo < hi) {
      const mid = (lo + hi + 1n) / 2n;
      if (fits(mid)) lo = mid;
      else hi = mid - 1n;
    }
    if (lo > best) best = lo;
  }
  if (best === 0n) throw new AppError('budget_too_small', 'This budget does not cover the minimum fee.');
  return priceCny(Money.of(best, 'CNY'), p);
}
