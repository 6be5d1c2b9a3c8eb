import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideToBigInt, Fixed, roundQuotient } from './fixed.ts';
import { Dec, toBigInt, type RoundingMode } from './rate.ts';

const decimalArb = fc.tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 12 })).map(([n, s]) => Fixed.of(n, s));
const modes: RoundingMode[] = ['up', 'down', 'ceiling', 'floor', 'half_up', 'half_even'];

describe('Fixed agrees with decimal.js exactly', () => {
  it('parses and prints', () => {
    expect(Fixed.parse('2301.1250').toFixed()).toBe('2301.125');
    expect(Fixed.parse('-0.05').toFixed()).toBe('-0.05');
    expect(Fixed.parse('12').mul(Fixed.parse('0.5')).toFixed()).toBe('6');
    expect(Fixed.parse('1.005').toFixed(2)).toBe('1.00');
    expect(Fixed.parse('1.015').toFixed(2)).toBe('1.02');
    expect(Fixed.parse('7').toFixed(2)).toBe('7.00');
    expect(() => Fixed.parse('1e5')).toThrow();
  });

  it('add, sub, mul and every rounding mode (property)', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, fc.constantFrom(...modes), (a, b, mode) => {
        const da = new Dec(a.toFixed());
        const db = new Dec(b.toFixed());
        expect(a.add(b).toFixed()).toBe(da.add(db).toFixed());
        expect(a.sub(b).toFixed()).toBe(da.sub(db).toFixed());
        expect(a.mul(b).toFixed()).toBe(da.mul(db).toFixed());
        expect(a.cmp(b)).toBe(da.cmp(db));
        expect(a.toBigInt(mode)).toBe(toBigInt(da, mode));
        if (!b.isZero() && b.n > 0n) expect(divideToBigInt(a, b, mode)).toBe(toBigInt(da.div(db), mode));
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds quotients like the textbook', () => {
    expect(roundQuotient(5n, 2n, 'half_even')).toBe(2n);
    expect(roundQuotient(7n, 2n, 'half_even')).toBe(4n);
    expect(roundQuotient(-5n, 2n, 'half_up')).toBe(-3n);
    expect(roundQuotient(-5n, 2n, 'ceiling')).toBe(-2n);
    expect(roundQuotient(-5n, 2n, 'floor')).toBe(-3n);
  });
});
