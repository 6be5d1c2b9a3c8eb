import { describe, expect, it } from 'vitest';
import { SecretBox } from '../lib/secret-box.ts';
import { Fixed } from '../money/fixed.ts';
import { Money } from '../money/money.ts';
import type { PricingState } from './pricing.ts';
import { makeQuote, readQuoteToken } from './quotes.ts';

const at = new Date('2026-11-23T08:00:00Z');
const pricing: PricingState = {
  snapshot: {
    cnyIdr: { base: 'CNY', quote: 'IDR', rate: Fixed.parse('2301.123456789'), source: 'jisdor', observedAt: at },
    usdIdr: { base: 'USD', quote: 'IDR', rate: Fixed.parse('16250'), source: 'jisdor', observedAt: at },
    cnyUsd: { base: 'CNY', quote: 'USD', rate: Fixed.parse('0.141607597956246'), source: 'derived:jisdor/jisdor', observedAt: at },
    spread: { kind: 'per_unit', value: Fixed.parse('17.5'), tier: 'priority' },
    fees: { id: 'fee_x', effectiveFrom: at, minimumFee: 2_500_000n, tiers: [{ fromUsd: '0', percent: '1.0' }, { fromUsd: '1000', percent: '0.6' }] },
    wire: { wireFeeUsd: Fixed.parse('30'), fxMarginPercent: Fixed.parse('2.75') },
  },
  settings: { quoteLockMinutes: 20, maxRateAgeMinutes: 60, bankWireFeeUsd: '30', bankFxMarginPercent: '2.75' },
};
const secrets = new SecretBox(Buffer.alloc(32, 9));

describe('the quote shown', () => {
  // Every field with its exact value, written down from the code before the quote view was
  // optimised: a change of shape or value (a field dropped by a serialiser, a rounding) fails here.
  const expected = {
    cny_714286: {
      direction: 'cny_to_idr',
      customerId: 'cus_1',
      createdAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2026-11-23T08:20:00.000Z',
      lockMinutes: 20,
      cny: { amount: '714286', currency: 'CNY' },
      idrBudget: null,
      reference: { pair: 'CNY/IDR', rate: '2301.123456789', source: 'jisdor', observedAt: '2026-11-23T08:00:00.000Z' },
      platformRate: '2318.623456789',
      spread: {
        kind: 'per_unit',
        value: '17.5',
        percent: '0.7605',
        amount: { amount: '12500005', currency: 'IDR' },
        tier: 'priority',
      },
      fee: {
        percent: '0.6',
        minimum: { amount: '2500000', currency: 'IDR' },
        amount: { amount: '9936961', currency: 'IDR' },
        minimumApplied: false,
        usdEquivalent: '1011.48',
        usdRate: { pair: 'CNY/USD', rate: '0.1416076', source: 'derived:jisdor/jisdor' },
        band: { fromUsd: '1000', toUsd: null, percent: '0.6' },
      },
      lines: [
        { code: 'reference_cost', amount: { amount: '1643660269', currency: 'IDR' } },
        { code: 'spread', amount: { amount: '12500005', currency: 'IDR' } },
        { code: 'service_fee', amount: { amount: '9936961', currency: 'IDR' } },
        { code: 'rounding', amount: { amount: '65', currency: 'IDR' } },
      ],
      total: { amount: '1666097300', currency: 'IDR' },
      bankWire: {
        assumptions: { wireFeeUsd: '30', fxMarginPercent: '2.75', usdIdrRate: '16250' },
        rate: '2364.4043518506975',
        goods: { amount: '1688860926', currency: 'IDR' },
        wireFee: { amount: '48750000', currency: 'IDR' },
        total: { amount: '1737611000', currency: 'IDR' },
        saving: { amount: '71513700', currency: 'IDR' },
      },
    },
    cny_1234: {
      direction: 'cny_to_idr',
      customerId: null,
      createdAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2026-11-23T08:20:00.000Z',
      lockMinutes: 20,
      cny: { amount: '1234', currency: 'CNY' },
      idrBudget: null,
      reference: { pair: 'CNY/IDR', rate: '2301.123456789', source: 'jisdor', observedAt: '2026-11-23T08:00:00.000Z' },
      platformRate: '2318.623456789',
      spread: {
        kind: 'per_unit',
        value: '17.5',
        percent: '0.7605',
        amount: { amount: '21595', currency: 'IDR' },
        tier: 'priority',
      },
      fee: {
        percent: '1',
        minimum: { amount: '2500000', currency: 'IDR' },
        amount: { amount: '2500000', currency: 'IDR' },
        minimumApplied: true,
        usdEquivalent: '1.75',
        usdRate: { pair: 'CNY/USD', rate: '0.1416076', source: 'derived:jisdor/jisdor' },
        band: { fromUsd: '0', toUsd: '1000', percent: '1.0' },
      },
      lines: [
        { code: 'reference_cost', amount: { amount: '2839586', currency: 'IDR' } },
        { code: 'spread', amount: { amount: '21595', currency: 'IDR' } },
        { code: 'service_fee', amount: { amount: '2500000', currency: 'IDR' } },
        { code: 'rounding', amount: { amount: '19', currency: 'IDR' } },
      ],
      total: { amount: '5361200', currency: 'IDR' },
      bankWire: {
        assumptions: { wireFeeUsd: '30', fxMarginPercent: '2.75', usdIdrRate: '16250' },
        rate: '2364.4043518506975',
        goods: { amount: '2917674', currency: 'IDR' },
        wireFee: { amount: '48750000', currency: 'IDR' },
        total: { amount: '51667700', currency: 'IDR' },
        saving: { amount: '46306500', currency: 'IDR' },
      },
    },
    idr_1672547600: {
      direction: 'idr_to_cny',
      customerId: null,
      createdAt: '2026-11-23T08:00:00.000Z',
      expiresAt: '2026-11-23T08:20:00.000Z',
      lockMinutes: 20,
      cny: { amount: '717051', currency: 'CNY' },
      idrBudget: { amount: '1672547600', currency: 'IDR' },
      reference: { pair: 'CNY/IDR', rate: '2301.123456789', source: 'jisdor', observedAt: '2026-11-23T08:00:00.000Z' },
      platformRate: '2318.623456789',
      spread: { kind: 'per_unit', value: '17.5', percent: '0.7605', amount: { amount: '12548393', currency: 'IDR' }, tier: 'priority' },
      fee: {
        percent: '0.6',
        minimum: { amount: '2500000', currency: 'IDR' },
        amount: { amount: '9975427', currency: 'IDR' },
        minimumApplied: false,
        usdEquivalent: '1015.40',
        usdRate: { pair: 'CNY/USD', rate: '0.1416076', source: 'derived:jisdor/jisdor' },
        band: { fromUsd: '1000', toUsd: null, percent: '0.6' },
      },
      lines: [
        { code: 'reference_cost', amount: { amount: '1650022875', currency: 'IDR' } },
        { code: 'spread', amount: { amount: '12548393', currency: 'IDR' } },
        { code: 'service_fee', amount: { amount: '9975427', currency: 'IDR' } },
        { code: 'rounding', amount: { amount: '5', currency: 'IDR' } },
      ],
      total: { amount: '1672546700', currency: 'IDR' },
      bankWire: {
        assumptions: { wireFeeUsd: '30', fxMarginPercent: '2.75', usdIdrRate: '16250' },
        rate: '2364.4043518506975',
        goods: { amount: '1695398504', currency: 'IDR' },
        wireFee: { amount: '48750000', currency: 'IDR' },
        total: { amount: '1744148600', currency: 'IDR' },
        saving: { amount: '71601900', currency: 'IDR' },
      },
    },
  };

  it('has every field with its exact value: fee bands, the minimum fee, a budget', () => {
    const cases = [
      [{ direction: 'cny_to_idr', cny: Money.fromDecimal('7142.86', 'CNY') }, 'cus_1', 'cny_714286'],
      [{ direction: 'cny_to_idr', cny: Money.fromDecimal('12.34', 'CNY') }, null, 'cny_1234'],
      [{ direction: 'idr_to_cny', idrBudget: Money.fromDecimal('16725476', 'IDR') }, null, 'idr_1672547600'],
    ] as const;
    for (const [request, customerId, key] of cases) {
      const { id, token, ...shown } = makeQuote(secrets, pricing, request, customerId, at);
      expect(id).toMatch(/^qt_[0-9a-z]{26}$/);
      // Field order included: the JSON text is compared, not only the parsed value.
      expect(JSON.stringify(shown)).toBe(JSON.stringify(expected[key]));
      expect(readQuoteToken(secrets, token)).toEqual({ id, ...shown });
    }
  });

  it('signs exactly the request and the pricing inputs, as compact JSON', () => {
    const { id, token } = makeQuote(secrets, pricing, { direction: 'idr_to_cny', idrBudget: Money.fromDecimal('16725476', 'IDR') }, null, at);
    const [payload, signature] = token.split('.');
    expect(Buffer.from(payload!, 'base64url').toString('utf8')).toBe(
      `{"v":1,"id":"${id}","customerId":null,"createdAt":1795420800000,"request":["idr_to_cny","1672547600"],` +
        '"rates":[["CNY/IDR","2301.123456789","jisdor",1795420800000],["USD/IDR","16250","jisdor",1795420800000],["CNY/USD","0.141607597956246","derived:jisdor/jisdor",1795420800000]],' +
        '"spread":["per_unit","17.5","priority"],"fees":["fee_x",1795420800000,"2500000",[{"fromUsd":"0","percent":"1.0"},{"fromUsd":"1000","percent":"0.6"}]],"wire":["30","2.75"],"lockMinutes":20}',
    );
    expect(signature).toBe(secrets.sign('quote', payload!));
  });
});

describe('quote tokens', () => {
  it('read back into exactly the quote that was shown, for amounts and budgets', () => {
    for (const request of [
      { direction: 'cny_to_idr' as const, cny: Money.fromDecimal('7142.86', 'CNY') },
      { direction: 'idr_to_cny' as const, idrBudget: Money.fromDecimal('16725476', 'IDR') },
    ]) {
      const { token, ...shown } = makeQuote(secrets, pricing, request, 'cus_1', at);
      expect(readQuoteToken(secrets, token)).toEqual(shown);
      expect(shown.expiresAt).toBe('2026-11-23T08:20:00.000Z');
      expect(token.length).toBeLessThan(1200);
    }
  });

  it('refuse a token signed with another key or altered', () => {
    const { token } = makeQuote(secrets, pricing, { direction: 'cny_to_idr', cny: Money.fromDecimal('10', 'CNY') }, null, at);
    expect(() => readQuoteToken(new SecretBox(Buffer.alloc(32, 8)), token)).toThrow(/not one this platform issued/);
    const [payload, sig] = token.split('.');
    const altered = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('"1000"', '"1"')).toString('base64url');
    expect(() => readQuoteToken(secrets, `${altered}.${sig}`)).toThrow(/not one this platform issued/);
    expect(() => readQuoteToken(secrets, 'garbage')).toThrow(/not one this platform issued/);
  });
});
