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
