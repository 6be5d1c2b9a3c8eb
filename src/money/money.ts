import { exponentOf, isCurrencyCode, type CurrencyCode } from './currency.ts';

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** How amounts travel in JSON everywhere: a string of minor units and the currency code. */
export interface MoneyJson {
  amount: string;
  currency: CurrencyCode;
}

/**
 * An exact amount: bigint minor units tagged with a currency. Arithmetic across
 * currencies throws; there is no way to get a JS number out of it.
 */
export class Money {
  private constructor(readonly minor: bigint, readonly currency: CurrencyCode) {}

  static of(minor: bigint, currency: CurrencyCode): Money {
    if (typeof minor !== 'bigint') throw new MoneyError('Money needs a bigint of minor units');
    if (!isCurrencyCode(currency)) throw new MoneyError(`Unknown currency ${String(currency)}`);
    return new Money(minor, currency);
  }

  static zero(currency: CurrencyCode): Money {
    return Money.of(0n, currency);
  }

  /** From a string of minor units, as amounts travel in JSON ("1234500"). */
  static fromMinorString(minor: string, currency: string): Money {
    if (!/^-?\d{1,30}$/.test(minor)) throw new MoneyError(`Amount must be a whole number of minor units, got ${JSON.stringify(minor)}`);
    if (!isCurrencyCode(currency)) throw new MoneyError(`Unknown currency ${JSON.stringify(currency)}`);
    return Money.of(BigInt(minor), currency);
  }

  static fromJson(json: { amount: string; currency: string }): Money {
    return Money.fromMinorString(json.amount, json.currency);
  }

  /** From a decimal in major units ("1234.56" yuan); more decimals than the currency has is an error, not a rounding. */
  static fromDecimal(value: string, currency: CurrencyCode): Money {
    const m = /^(-)?(\d{1,28})(?:\.(\d+))?$/.exec(value.trim());
    if (!m) throw new MoneyError(`Not a decimal amount: ${JSON.stringify(value)}`);
    const exp = exponentOf(currency);
    const fraction = m[3] ?? '';
    if (fraction.length > exp) throw new MoneyError(`${currency} has ${exp} decimals; got ${JSON.stringify(value)}`);
    const minor = BigInt(m[2]! + fraction.padEnd(exp, '0'));
    return Money.of(m[1] ? -minor : minor, currency);
  }

  private same(other: Money): void {
    if (other.currency !== this.currency) throw new MoneyError(`Currency mismatch: ${this.currency} and ${other.currency}`);
  }

  add(other: Money): Money {
    this.same(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  subtract(other: Money): Money {
    this.same(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  negate(): Money {
    return new Money(-this.minor, this.currency);
  }

  /** Multiply by a whole number (e.g. quantity). */
  times(factor: bigint): Money {
    return new Money(this.minor * factor, this.currency);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isPositive(): boolean {
    return this.minor > 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  /** Major units as an exact decimal string with the currency's exponent: "1234.50". */
  toDecimalString(): string {
    const exp = exponentOf(this.currency);
    const negative = this.minor < 0n;
    const digits = (negative ? -this.minor : this.minor).toString().padStart(exp + 1, '0');
    const whole = exp === 0 ? digits : digits.slice(0, -exp);
    const fraction = exp === 0 ? '' : `.${digits.slice(-exp)}`;
    return `${negative ? '-' : ''}${whole}${fraction}`;
  }

  toJSON(): MoneyJson {
    return { amount: this.minor.toString(), currency: this.currency };
  }

  toString(): string {
    return `${this.toDecimalString()} ${this.currency}`;
  }
}

/** Sums amounts of one currency (an empty list needs the currency to be named). */
export function sumMoney(amounts: Money[], currency: CurrencyCode): Money {
  return amounts.reduce((acc, m) => acc.add(m), Money.zero(currency));
}
