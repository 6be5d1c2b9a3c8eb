import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.ts';
import { Dec } from '../money/rate.ts';
import { Fixed } from '../money/fixed.ts';
import { priceCny, priceIdrBudget, type PricingSnapshot } from './quote-engine.ts';

const at = new Date('2026-11-23T08:00:00Z');
function snapshot(reference = '2300', spreadPercent = '1.2'): PricingSnapshot {
  return {
    cnyIdr: { base: 'CNY', quote: 'IDR', rate: Fixed.parse(reference), source: 'jisdor', observedAt: at },
    usdIdr: { base: 'USD', quote: 'IDR', rate: Fixed.parse('16000'), source: 'jisdor', observedAt: at },
    cnyUsd: { base: 'CNY', quote: 'USD', rate: Fixed.parse('0.14'), source: 'market', observedAt: at },
    spread: { kind: 'percent', value: Fixed.parse(spreadPercent), tier: 'standard' },
    fees: {
      id: 'fee_test',
      effectiveFrom: at,
      minimumFee: 2_500_000n, // Rp 25.000
      tiers: [
        { fromUsd: '0', percent: '1.0' },
        { fromUsd: '1000', percent: '0.6' },
        { fromUsd: '10000', percent: '0.4' },
      ],
    },
    wire: { wireFeeUsd: Fixed.parse('25'), fxMarginPercent: Fixed.parse('2.5') },
  };
}
const cny = (yuan: string) => Money.fromDecimal(yuan, 'CNY');
const lines = (q: ReturnType<typeof priceCny>) => Object.fromEntries(q.lines.map((l) => [l.code, l.amount.minor]));

describe('quote arithmetic, worked out by hand', () => {
  it('¥1,000 at 2,300 with a 1.2 % spread: the minimum fee applies', () => {
    // platform rate 2300 × 1.012 = 2327.6; goods 2,327,600; 1 % = 23,276 < minimum 25,000
    const q = priceCny(cny('1000'), snapshot());
    expect(q.platformRate.toFixed()).toBe('2327.6');
    expect(lines(q)).toEqual({ reference_cost: 230_000_000n, spread: 2_760_000n, service_fee: 2_500_000n, rounding: 0n });
    expect(q.fee.minimumApplied).toBe(true);
    expect(q.total.minor).toBe(235_260_000n); // Rp 2.352.600
    expect(q.spread.percent.toFixed()).toBe('1.2');
    // Bank: 2300 × 1.025 = 2357.5 → 2,357,500 + USD 25 × 16,000 = 400,000 → Rp 2.757.500
    expect(q.bankWire.total.minor).toBe(275_750_000n);
    expect(q.bankWire.saving.minor).toBe(40_490_000n);
  });

  it('a tiny amount: ¥0.01 costs the minimum fee and the lines still add up', () => {
    const q = priceCny(cny('0.01'), snapshot());
    // goods 23.276 → 2,327 sen (down); reference 23.00; fee 25,000; exact 25,023.276 → Rp 25.024
    expect(lines(q)).toEqual({ reference_cost: 2_300n, spread: 27n, service_fee: 2_500_000n, rounding: 73n });
    expect(q.total.minor).toBe(2_502_400n);
  });

  it('either side of the USD 1,000 band boundary: the larger payment is cheaper', () => {
    const below = priceCny(cny('7142.85'), snapshot()); // USD 999.999 → 1 %
    const above = priceCny(cny('7142.86'), snapshot()); // USD 1,000.0004 → 0.6 %
    expect(below.fee.percent.toFixed()).toBe('1');
    expect(above.fee.percent.toFixed()).toBe('0.6');
    // 7142.85 × 2327.6 = 16,625,697.66; fee 166,256.9766; exact 16,791,954.6366
    expect(below.total.minor).toBe(1_679_195_500n);
    // 7142.86 × 2327.6 = 16,625,720.936; fee 99,754.325616; exact 16,725,475.261616
    expect(above.total.minor).toBe(1_672_547_600n);
  });

  it('a huge amount: ¥100,000,000 in the 0.4 % band, exact to the rupiah', () => {
    const q = priceCny(cny('100000000'), snapshot());
    expect(q.fee.percent.toFixed()).toBe('0.4');
    // goods 232,760,000,000; fee 931,040,000
    expect(q.total.minor).toBe(23_369_104_000_000n);
    expect(lines(q).rounding).toBe(0n);
  });

  it('a rate with many decimals', () => {
    // 2301.123456789 × 1.012 = 2328.736938270468; ¥1,234.56 → goods 2,874,965.4745111…; fee 1 % 28,749.6547…
    const q = priceCny(cny('1234.56'), snapshot('2301.123456789'));
    expect(q.platformRate.toFixed()).toBe('2328.736938270468');
    expect(lines(q)).toEqual({ reference_cost: 284_087_497n, spread: 3_409_050n, service_fee: 2_874_965n, rounding: 88n });
    expect(q.total.minor).toBe(290_371_600n); // exact 2,903,715.129… → Rp 2.903.716
    // Bank: 2358.651543208725 × 1234.56 + 400,000 = 3,311,896.849… → Rp 3.311.897
    expect(q.bankWire.total.minor).toBe(331_189_700n);
  });

  it('a fixed spread per yuan', () => {
    const s = snapshot();
    s.spread = { kind: 'per_unit', value: Fixed.parse('25'), tier: 'standard' };
    const q = priceCny(cny('2000'), s); // platform 2325; goods 4,650,000; 1 % = 46,500
    expect(q.platformRate.toFixed()).toBe('2325');
    expect(q.total.minor).toBe(469_650_000n);
  });

  it('turns an IDR budget into the most yuan it buys, all in', () => {
    const q = priceIdrBudget(Money.of(235_260_000n, 'IDR'), snapshot());
    expect(q.cny.minor).toBe(100_000n); // exactly ¥1,000.00 fits; ¥1,000.01 would cost Rp 2.352.624
    const cliff = priceIdrBudget(Money.of(1_672_547_600n, 'IDR'), snapshot());
    // The budget that pays ¥7,142.86 in the cheaper band buys at least that much.
    expect(cliff.cny.minor).toBeGreaterThanOrEqual(714_286n);
    expect(cliff.total.minor).toBeLessThanOrEqual(1_672_547_600n);
    expect(() => priceIdrBudget(Money.of(2_000_000n, 'IDR'), snapshot())).toThrow(/minimum fee/);
  });
});

describe('quote properties', () => {
  const yuanArb = fc.bigInt({ min: 1n, max: 50_000_000_000n }); // ¥0.01 … ¥500,000,000
  const rateArb = fc.tuple(fc.integer({ min: 1500, max: 3500 }), fc.integer({ min: 0, max: 999_999 })).map(([w, f]) => `${w}.${String(f).padStart(6, '0')}`);
  const spreadArb = fc.integer({ min: 0, max: 500 }).map((n) => (n / 100).toFixed(2));

  it('the total is never below cost and at most one rupiah above it; the lines add up', () => {
    fc.assert(
      fc.property(yuanArb, rateArb, spreadArb, (fen, rate, spread) => {
        const q = priceCny(Money.of(fen, 'CNY'), snapshot(rate, spread));
        const exactSen = new Dec(q.exactTotal.toFixed()).mul(100);
        expect(new Dec(q.total.minor.toString()).gte(exactSen)).toBe(true);
        expect(new Dec(q.total.minor.toString()).sub(exactSen).lt(100)).toBe(true);
        expect(q.total.minor % 100n).toBe(0n);
        expect(q.lines.reduce((sum, l) => sum + l.amount.minor, 0n)).toBe(q.total.minor);
        for (const l of q.lines) expect(l.amount.minor >= 0n).toBe(true);
        // The rounding line is the round-up plus at most one sen lost on each of two lines.
        expect(lines(q).rounding! < 103n).toBe(true);
        // Never cheaper than paying the reference rate with no fee.
        expect(q.total.minor >= lines(q).reference_cost!).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a budget quote never exceeds the budget, and one more fen would (within the band found)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2_600_000n, max: 5_000_000_000_000n }), rateArb, (budget, rate) => {
        const s = snapshot(rate);
        const q = priceIdrBudget(Money.of(budget, 'IDR'), s);
        expect(q.total.minor <= budget).toBe(true);
        const next = priceCny(Money.of(q.cny.minor + 1n, 'CNY'), s);
        if (next.fee.percent.cmp(q.fee.percent) === 0) expect(next.total.minor > budget).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
