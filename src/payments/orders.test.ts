import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByPercent, splitQuoteLines, statusFromInstallments } from './orders.ts';

describe('splitting an order into parts', () => {
  it('30/70 of ¥60,000.01 is ¥18,000.00 and ¥42,000.01', () => {
    expect(splitByPercent(6_000_001n, [30, 70])).toEqual([1_800_000n, 4_200_001n]);
  });

  it('parts of yuan and of every quote line add up exactly, and each part is the sum of its lines', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 100n, max: 10n ** 12n }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 14n }), { minLength: 1, maxLength: 5 }),
        (total, firstParts, lineAmounts) => {
          const percents = [...firstParts.map((p) => p / 100)];
          const rest = 100 - percents.reduce((a, b) => a + b, 0);
          fc.pre(rest > 0);
          percents.push(Math.round(rest * 100) / 100);
          const parts = splitByPercent(total, percents);
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          fc.pre(parts.every((p) => p > 0n));
          const lines = lineAmounts.map((amount, i) => ({ code: `l${i}`, amount }));
          const split = splitQuoteLines(lines, parts);
          for (const line of lines) expect(split.reduce((s, p) => s + p[line.code]!, 0n)).toBe(line.amount);
          for (const p of split) for (const v of Object.values(p)) expect(v >= 0n).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('derives the order status from its parts', () => {
    expect(statusFromInstallments([{ status: 'paid' }, { status: 'held' }])).toBe('held');
    expect(statusFromInstallments([{ status: 'paid' }, { status: 'queued' }])).toBe('queued');
    expect(statusFromInstallments([{ status: 'awaiting_approval' }, { status: 'held' }])).toBe('in_payout');
    expect(statusFromInstallments([{ status: 'paid' }, { status: 'paid' }])).toBe('paid');
    expect(statusFromInstallments([{ status: 'refunded' }])).toBe('refunded');
  });
});
