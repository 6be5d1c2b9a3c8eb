import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.ts';
import { Dec } from '../money/rate.ts';
import { Fixed } from '../money/fixed.ts';
import type { PricingSnapshot } from '../fx/quote-engine.ts';
import { computeLandedCost, type LandedCostInput } from './landed-cost.ts';
import { TAX_RULE_KEYS, type TaxRules } from './tax-rules.ts';

const values: Record<(typeof TAX_RULE_KEYS)[number], string> = {
  ppn_rate_percent: '12',
  ppn_base_numerator: '11',
  ppn_base_denominator: '12',
  pph22_with_api_percent: '2.5',
  pph22_without_api_percent: '7.5',
  pph22_listed_goods_percent: '10',
  consignment_duty_free_usd: '3',
  consignment_max_usd: '1500',
  consignment_duty_percent: '7.5',
  customs_rounding_idr: '1000',
};
const rules = Object.fromEntries(TAX_RULE_KEYS.map((k) => [k, { key: k, value: new Dec(values[k]), effectiveFrom: '2025-01-01', legalBasis: null }])) as TaxRules;
const at = new Date('2026-11-23T08:00:00Z');
const pricing: PricingSnapshot = {
  cnyIdr: { base: 'CNY', quote: 'IDR', rate: Fixed.parse('2300'), source: 'jisdor', observedAt: at },
  usdIdr: { base: 'USD', quote: 'IDR', rate: Fixed.parse('16000'), source: 'jisdor', observedAt: at },
  cnyUsd: { base: 'CNY', quote: 'USD', rate: Fixed.parse('0.14'), source: 'market', observedAt: at },
  spread: { kind: 'percent', value: Fixed.parse('1.2'), tier: 'standard' },
  fees: { id: 'fee', effectiveFrom: at, minimumFee: 2_500_000n, tiers: [{ fromUsd: '0', percent: '1.0' }, { fromUsd: '1000', percent: '0.6' }, { fromUsd: '10000', percent: '0.4' }] },
  wire: { wireFeeUsd: Fixed.parse('25'), fxMarginPercent: Fixed.parse('2.5') },
};
const rp = (rupiah: number) => Money.of(BigInt(rupiah) * 100n, 'IDR');
const yuan = (v: string) => Money.fromDecimal(v, 'CNY');

function input(over: Partial<LandedCostInput> = {}): LandedCostInput {
  return {
    goodsCny: yuan('10000'),
    chinaShippingCny: yuan('200'),
    freight: rp(1_500_000),
    insurance: rp(50_000),
    quantity: 100n,
    dutyPercent: new Dec('10'),
    hasApi: true,
    listedGoods: false,
    ndpbmCnyIdr: new Dec('2280'),
    regime: 'general',
    ...over,
  };
}

describe('landed cost, worked out by hand', () => {
  it('general import with an API', () => {
    const r = computeLandedCost(input(), rules, pricing);
    // FOB ¥10,200 × 2,280 = 23,256,000; CIF + 1,500,000 + 50,000 = 24,806,000
    expect(r.customs.cif.minor).toBe(rp(24_806_000).minor);
    // duty 10 % = 2,480,600 → rounded up to the thousand: 2,481,000
    expect(r.duty.amount.minor).toBe(rp(2_481_000).minor);
    expect(r.importValue.minor).toBe(rp(27_287_000).minor);
    // PPN 12 % × 11/12 = 11 % of 27,287,000 = 3,001,570 → 3,002,000
    expect(r.ppn.amount.minor).toBe(rp(3_002_000).minor);
    expect(r.ppn.effectivePercent.toFixed()).toBe('11');
    // PPh 22 2.5 % = 682,175 → 683,000
    expect(r.pph22.amount.minor).toBe(rp(683_000).minor);
    expect(r.taxesAndDuties.minor).toBe(rp(6_166_000).minor);
    // Paying ¥10,200 through the agent: 10,200 × 2,327.6 = 23,741,520 + 0.6 % 142,449.12 → Rp 23.883.970
    expect(r.payment.total.minor).toBe(rp(23_883_970).minor);
    expect(r.total.minor).toBe(rp(31_599_970).minor);
    expect(r.perUnit.minor).toBe(31_599_970n); // Rp 315.999,70
  });

  it('without an API PPh 22 is 7.5 %; listed goods 10 %', () => {
    expect(computeLandedCost(input({ hasApi: false }), rules, pricing).pph22.amount.minor).toBe(rp(2_047_000).minor); // 2,046,525
    expect(computeLandedCost(input({ listedGoods: true }), rules, pricing).pph22.amount.minor).toBe(rp(2_729_000).minor); // 2,728,700
  });

  it('e-commerce consignment up to USD 3: no duty, no PPh 22, PPN due', () => {
    const r = computeLandedCost(input({ goodsCny: yuan('20'), chinaShippingCny: yuan('0'), freight: rp(0), insurance: rp(0), quantity: 1n, regime: 'consignment' }), rules, pricing);
    expect(r.fobUsd.toFixed()).toBe('2.8');
    expect(r.duty.amount.minor).toBe(0n);
    expect(r.pph22.amount.minor).toBe(0n);
    expect(r.ppn.amount.minor).toBe(rp(6_000).minor); // 45,600 × 11 % = 5,016 → 6,000
    // ¥20 × 2,327.6 = 46,552 + minimum fee 25,000
    expect(r.total.minor).toBe(rp(71_552 + 6_000).minor);
  });

  it('e-commerce consignment between USD 3 and 1,500: 7.5 % duty whatever the HS rate', () => {
    const r = computeLandedCost(input({ goodsCny: yuan('100'), chinaShippingCny: yuan('0'), freight: rp(0), insurance: rp(0), regime: 'consignment', dutyPercent: new Dec('25') }), rules, pricing);
    expect(r.duty.percent.toFixed()).toBe('7.5');
    expect(r.duty.amount.minor).toBe(rp(18_000).minor); // 228,000 × 7.5 % = 17,100 → 18,000
    expect(r.ppn.amount.minor).toBe(rp(28_000).minor); // 246,000 × 11 % = 27,060 → 28,000
    expect(r.pph22.amount.minor).toBe(0n);
  });

  it('a consignment above USD 1,500 falls back to the general rules, and says so', () => {
    const r = computeLandedCost(input({ regime: 'consignment', goodsCny: yuan('20000') }), rules, pricing);
    expect(r.regime).toBe('general');
    expect(r.regimeNote).toMatch(/above the consignment limit/);
    expect(r.pph22.percent.toFixed()).toBe('2.5');
  });

  it('listed categories in a consignment pay the general rates', () => {
    const r = computeLandedCost(input({ regime: 'consignment', goodsCny: yuan('100'), chinaShippingCny: yuan('0'), listedGoods: true, dutyPercent: new Dec('25') }), rules, pricing);
    expect(r.duty.percent.toFixed()).toBe('25');
    expect(r.pph22.percent.toFixed()).toBe('10');
  });

  it('refuses impossible input', () => {
    expect(() => computeLandedCost(input({ quantity: 0n }), rules, pricing)).toThrow(/quantity/);
    expect(() => computeLandedCost(input({ goodsCny: yuan('0') }), rules, pricing)).toThrow(/positive/);
    expect(() => computeLandedCost(input({ freight: Money.of(100n, 'CNY') }), rules, pricing)).toThrow(/IDR/);
  });
});
