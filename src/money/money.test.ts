import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from './format.ts';
import { Money, MoneyError } from './money.ts';
import { percentOf, Rate, roundToStep, roundUpToWholeUnit } from './rate.ts';

describe('Money', () => {
  it('is exact bigint minor units with the ISO exponent', () => {
    const m = Money.fromDecimal('1234.56', 'CNY');
    expect(m.minor).toBe(123456n);
    expect(m.toDecimalString()).toBe('1234.56');
    expect(Money.fromDecimal('12345000', 'IDR').minor).toBe(1234500000n);
    expect(Money.fromDecimal('0.05', 'CNY').toDecimalString()).toBe('0.05');
    expect(Money.of(-5n, 'CNY').toDecimalString()).toBe('-0.05');
    expect(JSON.stringify(Money.fromDecimal('10', 'IDR'))).toBe('{"amount":"1000","currency":"IDR"}');
  });

  it('refuses mixed currencies, floats, and more decimals than the currency has', () => {
    const idr = Money.of(100n, 'IDR');
    const cny = Money.of(100n, 'CNY');
    expect(() => idr.add(cny)).toThrow(MoneyError);
    expect(() => idr.compare(cny)).toThrow(/Currency mismatch/);
    expect(() => Money.of(1.5 as unknown as bigint, 'IDR')).toThrow(/bigint/);
    expect(() => Money.fromDecimal('1.234', 'CNY')).toThrow(/2 decimals/);
    expect(() => Money.fromDecimal('1e5', 'CNY')).toThrow(/Not a decimal/);
    expect(() => Money.fromMinorString('12.5', 'IDR')).toThrow(/whole number/);
    expect(() => Money.fromMinorString('100', 'XYZ')).toThrow(/Unknown currency/);
  });

  it('round-trips through JSON and decimal strings (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.constantFrom('IDR', 'CNY', 'USD', 'CNH' as const), (minor, cur) => {
        const m = Money.of(minor, cur);
        expect(Money.fromJson(m.toJSON()).equals(m)).toBe(true);
        expect(Money.fromDecimal(m.toDecimalString(), cur).equals(m)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('adds and subtracts exactly (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (a, b) => {
        const x = Money.of(a, 'IDR');
        const y = Money.of(b, 'IDR');
        expect(x.add(y).subtract(y).equals(x)).toBe(true);
        expect(x.add(y).minor).toBe(a + b);
      }),
    );
  });
});

describe('Rate and rounding', () => {
  it('converts exactly with the rounding it is told', () => {
    const rate = Rate.of('CNY', 'IDR', '2345.6789');
    const cny = Money.fromDecimal('1000.01', 'CNY');
    // 1000.01 × 2345.6789 = 2345702.356789 IDR = 234570235.6789 sen
    expect(rate.convert(cny, 'down').minor).toBe(234570235n);
    expect(rate.convert(cny, 'up').minor).toBe(234570236n);
    expect(rate.convert(cny, 'half_even').minor).toBe(234570236n);
    expect(() => rate.convert(Money.of(1n, 'IDR'), 'up')).toThrow(/cannot convert IDR/);
  });

  it('never uses floating point: 0.1 + 0.2 style cases stay exact', () => {
    const rate = Rate.of('USD', 'IDR', '0.1');
    expect(rate.convert(Money.fromDecimal('0.30', 'USD'), 'half_even').toDecimalString()).toBe('0.03');
    const big = Rate.of('CNY', 'IDR', '2350.123456789012345678');
    // 99999999999.99 × 2350.123456789012345678 = 235012345678877.7333332321098765432200 IDR
    expect(big.convert(Money.fromDecimal('99999999999.99', 'CNY'), 'down').minor).toBe(23501234567887773n);
    expect(big.convert(Money.fromDecimal('99999999999.99', 'CNY'), 'up').minor).toBe(23501234567887774n);
  });

  it('rounds what a customer pays up to a whole rupiah, never down', () => {
    expect(roundUpToWholeUnit(Money.of(123456701n, 'IDR')).minor).toBe(123456800n);
    expect(roundUpToWholeUnit(Money.of(123456700n, 'IDR')).minor).toBe(123456700n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), (minor) => {
        const r = roundUpToWholeUnit(Money.of(minor, 'IDR')).minor;
        expect(r % 100n).toBe(0n);
        expect(r >= minor && r - minor < 100n).toBe(true);
      }),
    );
  });

  it('rounds to a step and takes exact percentages', () => {
    expect(roundToStep(Money.of(1049n, 'IDR'), 100n, 'half_up').minor).toBe(1000n);
    expect(roundToStep(Money.of(1050n, 'IDR'), 100n, 'half_up').minor).toBe(1100n);
    expect(percentOf(Money.of(1_000_000n, 'IDR'), '0.75', 'up').minor).toBe(7500n);
    expect(percentOf(Money.of(333n, 'IDR'), '1', 'up').minor).toBe(4n);
  });

  it('refuses rates that are not plain positive decimals', () => {
    for (const bad of ['0', '-1', '1e3', 'abc', '1,5', '']) expect(() => Rate.of('CNY', 'IDR', bad)).toThrow(MoneyError);
    expect(() => Rate.of('CNY', 'CNY', '1')).toThrow(/two different/);
    expect(Rate.of('CNY', 'IDR', '2000').inverse().toString()).toBe('0.0005');
  });
});

describe('formatMoney', () => {
  it('shows rupiah the Indonesian way and yuan the way the invoice does, in both languages', () => {
    for (const lang of ['id', 'en'] as const) {
      expect(formatMoney(123456700n, 'IDR', lang)).toBe('Rp 1.234.567');
      expect(formatMoney('123456750', 'IDR', lang)).toBe('Rp 1.234.567,50');
      expect(formatMoney(123456n, 'CNY', lang)).toBe('¥1,234.56');
      expect(formatMoney(123456n, 'CNY', lang, { explicitYuan: true })).toBe('CN¥1,234.56');
    }
    expect(formatMoney(-5000n, 'IDR', 'id')).toBe('-Rp 50');
    expect(formatMoney(5n, 'CNY', 'en')).toBe('¥0.05');
    expect(formatMoney(100000n, 'USD', 'en')).toBe('US$1,000.00');
    expect(formatMoney(100000n, 'USD', 'id')).toBe('US$1.000,00');
  });
});
