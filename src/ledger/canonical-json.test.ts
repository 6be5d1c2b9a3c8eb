import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Money } from '../money/money.ts';
import { canonicalJson } from './entries.ts';

/** The first implementation: a replacer that copies every object with its keys sorted. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Money) return v.toJSON();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}

describe('canonical JSON of entry content (what entry hashes are computed from)', () => {
  it('is exactly what the sorted-keys replacer gives, for any content', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '10', '9', '01', '-1', '4294967295', 'a', 'B', '_'));
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.bigInt(),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }).map((v) => Money.of(v, 'IDR')),
      ),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson({ content: v })).toBe(reference({ content: v }));
      }),
      { numRuns: 3000 },
    );
  });

  it('hashes what an entry looks like the same as before', () => {
    const content = { postings: [['acc_b', 'acc_w', 1234500n, 'IDR']], reason: 'deposit', reference: { type: 'deposit', id: 'dep_1' }, description: 'x "y"', metadata: { statementLine: 'bsl_1', match: 'unique_amount', 2: true } };
    expect(canonicalJson(content)).toBe(reference(content));
  });
});
