import { AppError } from '../app/errors.ts';
import type { FeeTier } from '../db/schema.ts';
import { Money } from '../money/money.ts';
import { Dec, toBigInt, type Dec as Decimal } from '../money/rate.ts';

/**
 * The arithmetic of a quote, pure and exact: no database, no clock. Everything is an exact
 * decimal until the lines are put in sen; what the customer pays is the exact cost rounded
 * up to a whole rupiah (docs/money.md), and the lines shown always add up to it.
 */

export interface ReferenceRate {
  base: string;
  quote: string;
  rate: Decimal;
  source: string;
  observedAt: Date;
}

export interface SpreadRule {
  kind: 'percent' | 'per_unit';
  /** Percent (1.2 = 1.2 %) or IDR per yuan. */
  value: Decimal;
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
  wireFeeUsd: Decimal;
  fxMarginPercent: Decimal;
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
  referenceRate: Decimal;
  platformRate: Decimal;
  spread: { kind: SpreadRule['kind']; value: Decimal; percent: Decimal; idr: Money; tier: string };
  fee: { percent: Decimal; minimum: Money; idr: Money; usdEquivalent: Decimal; tier: { fromUsd: string; toUsd: string | null; percent: string }; minimumApplied: boolean };
  lines: QuoteLine[];
  total: Money;
  /** The exact cost before the round-up, in rupiah (for tests and audits). */
  exactTotal: Decimal;
  bankWire: { rate: Decimal; goods: Money; wireFee: Money; total: Money; saving: Money };
}

const HUNDRED = new Dec(100);

function platformRateOf(reference: Decimal, spread: SpreadRule): Decimal {
  return spread.kind === 'percent' ? reference.mul(HUNDRED.add(spread.value)).div(HUNDRED) : reference.add(spread.value);
}

/** Fee tiers sorted by their lower bound, each with its upper bound (the next tier's start). */
export function feeBands(tiers: FeeTier[]): { fromUsd: Decimal; toUsd: Decimal | null; percent: Decimal; raw: FeeTier }[] {
  const sorted = [...tiers].sort((a, b) => new Dec(a.fromUsd).cmp(new Dec(b.fromUsd)));
  return sorted.map((t, i) => ({
    fromUsd: new Dec(t.fromUsd),
    toUsd: sorted[i + 1] ? new Dec(sorted[i + 1]!.fromUsd) : null,
    percent: new Dec(t.percent),
    raw: t,
  }));
}

function bandFor(tiers: FeeTier[], usd: Decimal) {
  const bands = feeBands(tiers);
  const band = [...bands].reverse().find((b) => usd.gte(b.fromUsd));
  if (!band) throw new AppError('pricing_unavailable', 'The fee schedule does not cover this amount.');
  return band;
}

/** Rupiah (as an exact decimal) to sen, rounded down: lines never claim more than the cost. */
function senDown(rupiah: Decimal): bigint {
  return toBigInt(rupiah.mul(HUNDRED), 'floor');
}

/** The full breakdown for paying `cny` yuan. */
export function priceCny(cny: Money, p: PricingSnapshot): QuoteFigures {
  if (cny.currency !== 'CNY') throw new AppError('currency_mismatch', 'Quotes are for yuan (CNY) amounts.');
  if (!cny.isPositive()) throw new AppError('validation_failed', 'The amount must be positive.');
  const yuan = new Dec(cny.minor.toString()).div(HUNDRED);
  const reference = p.cnyIdr.rate;
  const platform = platformRateOf(reference, p.spread);

  const referenceCost = yuan.mul(reference);
  const goodsCost = yuan.mul(platform);
  const usdEquivalent = yuan.mul(p.cnyUsd.rate);
  const band = bandFor(p.fees.tiers, usdEquivalent);
  const percentFee = goodsCost.mul(band.percent).div(HUNDRED);
  const minimum = new Dec(p.fees.minimumFee.toString()).div(HUNDRED);
  const minimumApplied = percentFee.lt(minimum);
  const fee = minimumApplied ? minimum : percentFee;
  const exactTotal = goodsCost.add(fee);

  const totalSen = toBigInt(exactTotal, 'ceiling') * 100n;
  const referenceSen = senDown(referenceCost);
  const goodsSen = senDown(goodsCost);
  const feeSen = senDown(fee);
  const roundingSen = totalSen - goodsSen - feeSen;

  const bankRate = reference.mul(HUNDRED.add(p.wire.fxMarginPercent)).div(HUNDRED);
  const bankGoods = yuan.mul(bankRate);
  const wireFee = p.wire.wireFeeUsd.mul(p.usdIdr.rate);
  const bankTotalSen = toBigInt(bankGoods.add(wireFee), 'ceiling') * 100n;

  const idr = (sen: bigint) => Money.of(sen, 'IDR');
  return {
    cny,
    referenceRate: reference,
    platformRate: platform,
    spread: {
      kind: p.spread.kind,
      value: p.spread.value,
      percent: platform.sub(reference).div(reference).mul(HUNDRED),
      idr: idr(goodsSen - referenceSen),
      tier: p.spread.tier,
    },
    fee: {
      percent: band.percent,
      minimum: idr(p.fees.minimumFee),
      idr: idr(feeSen),
      usdEquivalent,
      tier: { fromUsd: band.raw.fromUsd, toUsd: band.toUsd?.toFixed() ?? null, percent: band.raw.percent },
      minimumApplied,
    },
    lines: [
      { code: 'reference_cost', amount: idr(referenceSen) },
      { code: 'spread', amount: idr(goodsSen - referenceSen) },
      { code: 'service_fee', amount: idr(feeSen) },
      { code: 'rounding', amount: idr(roundingSen) },
    ],
    total: idr(totalSen),
    exactTotal,
    bankWire: {
      rate: bankRate,
      goods: idr(senDown(bankGoods)),
      wireFee: idr(senDown(wireFee)),
      total: idr(bankTotalSen),
      saving: idr(bankTotalSen - totalSen),
    },
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
  const usdPerFen = p.cnyUsd.rate.div(HUNDRED);
  // An upper bound on what any budget can buy: the budget at the reference rate.
  const ceilingFen = toBigInt(new Dec(budget.minor.toString()).div(p.cnyIdr.rate), 'floor') + 1n;
  let best = 0n;
  for (const band of feeBands(p.fees.tiers)) {
    let lo = band.fromUsd.isZero() ? 1n : toBigInt(band.fromUsd.div(usdPerFen), 'ceiling');
    let hi = band.toUsd ? toBigInt(band.toUsd.div(usdPerFen), 'ceiling') - 1n : ceilingFen;
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
