import Decimal from 'decimal.js';
import { exponentOf, type CurrencyCode } from './currency.ts';
import { Money, MoneyError } from './money.ts';

/**
 * Exact decimal arithmetic for rates. 100 significant digits is far beyond any amount ×
 * rate the platform computes, so no intermediate result is ever rounded implicitly.
 */
export const Dec = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -100, toExpPos: 100 });
export type Dec = Decimal;

export type RoundingMode = 'up' | 'down' | 'half_up' | 'half_even' | 'ceiling' | 'floor';

const ROUNDING: Record<RoundingMode, Decimal.Rounding> = {
  up: Decimal.ROUND_UP, // away from zero
  down: Decimal.ROUND_DOWN, // towards zero
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
  ceiling: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

const DECIMAL_PATTERN = /^\d{1,20}(\.\d{1,20})?$/;

/** A positive exchange rate: how many units of `quote` one unit of `base` buys (CNY/IDR 2350.5). */
export class Rate {
  private constructor(readonly base: CurrencyCode, readonly quote: CurrencyCode, readonly value: Decimal) {}

  static of(base: CurrencyCode, quote: CurrencyCode, value: string | Decimal): Rate {
    const v = typeof value === 'string' ? parseDecimal(value) : new Dec(value);
    if (!v.isFinite() || v.lte(0)) throw new MoneyError('A rate must be a positive decimal');
    if (base === quote) throw new MoneyError('A rate needs two different currencies');
    return new Rate(base, quote, v);
  }

  inverse(): Rate {
    return new Rate(this.quote, this.base, new Dec(1).div(this.value));
  }

  /** The rate as an exact decimal string (no exponent notation). */
  toString(): string {
    return this.value.toFixed();
  }

  /** Converts `amount` (in `base`) to `quote`, rounding to the quote's minor unit as told. */
  convert(amount: Money, rounding: RoundingMode): Money {
    if (amount.currency !== this.base) throw new MoneyError(`Rate ${this.base}/${this.quote} cannot convert ${amount.currency}`);
    const major = new Dec(amount.minor.toString()).div(new Dec(10).pow(exponentOf(this.base)));
    const quoteMinor = major.mul(this.value).mul(new Dec(10).pow(exponentOf(this.quote)));
    return Money.of(toBigInt(quoteMinor, rounding), this.quote);
  }
}

/** Parses a plain decimal string ("2350.125"): no exponents, no signs, no separators. */
export function parseDecimal(value: string): Decimal {
  if (!DECIMAL_PATTERN.test(value)) throw new MoneyError(`Not a plain decimal: ${JSON.stringify(value)}`);
  return new Dec(value);
}

export function toBigInt(value: Decimal, rounding: RoundingMode): bigint {
  return BigInt(value.toDecimalPlaces(0, ROUNDING[rounding]).toFixed(0));
}

/** Rounds to a multiple of `step` minor units. */
export function roundToStep(amount: Money, step: bigint, rounding: RoundingMode): Money {
  if (step <= 0n) throw new MoneyError('step must be positive');
  const units = new Dec(amount.minor.toString()).div(step.toString());
  return Money.of(toBigInt(units, rounding) * step, amount.currency);
}

/**
 * The platform's rule for what a customer pays: rounded **up** to a whole unit of the
 * currency (a whole rupiah), never down, so the agent never silently absorbs a fraction
 * and the customer never sees a price that later grows.
 */
export function roundUpToWholeUnit(amount: Money): Money {
  return roundToStep(amount, 10n ** BigInt(exponentOf(amount.currency)), 'ceiling');
}

/** amount × percentage / 100, rounded as told ("0.75" = 0.75 %). */
export function percentOf(amount: Money, percent: string | Decimal, rounding: RoundingMode): Money {
  const p = typeof percent === 'string' ? parseDecimal(percent) : percent;
  return Money.of(toBigInt(new Dec(amount.minor.toString()).mul(p).div(100), rounding), amount.currency);
}
