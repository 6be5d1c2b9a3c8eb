import { describe, expect, it } from 'vitest';
import { DepositMatcher, type MatchableIntent } from './matching.ts';

const rp = (rupiah: number) => BigInt(rupiah) * 100n;

function intent(id: string, overrides: Partial<MatchableIntent> = {}): MatchableIntent {
  return {
    id,
    customerId: `cus_${id}`,
    amountDue: rp(12_345_417),
    received: 0n,
    uniqueCode: 417,
    referenceCode: `JBT${id.toUpperCase().padEnd(7, '0').slice(0, 7)}`,
    validFrom: '2026-11-02',
    validTo: '2026-11-03',
    closed: false,
    ...overrides,
  };
}

describe('deposit matching', () => {
  it('matches the exact unique amount on a valid day, and explains why', () => {
    const m = new DepositMatcher([intent('a'), intent('b', { amountDue: rp(12_345_418), uniqueCode: 418 })], 14);
    const d = m.match({ date: '2026-11-02', description: 'TRSF E-BANKING CR PT MAJU', amount: rp(12_345_418) });
    expect(d).toMatchObject({ matched: true, kind: 'unique_amount', intent: { id: 'b' }, late: false });
    expect(d.reason).toMatch(/exactly what b expects \(unique code 418\).*2026-11-02/);
  });

  it('a paid intent takes no second payment of the same amount: the second goes to review', () => {
    const a = intent('a');
    const m = new DepositMatcher([a], 14);
    const line = { date: '2026-11-02', description: 'TRSF', amount: rp(12_345_417) };
    const first = m.match(line);
    expect(first.matched).toBe(true);
    m.apply(a, line.amount);
    expect(m.match(line)).toMatchObject({ matched: false, review: 'unmatched' });
  });

  it('two intents expecting the same amount on the same day (different bank accounts merged) are ambiguous', () => {
    const m = new DepositMatcher([intent('a'), intent('b')], 14);
    const d = m.match({ date: '2026-11-02', description: 'TRSF', amount: rp(12_345_417) });
    expect(d).toMatchObject({ matched: false, review: 'ambiguous' });
    if (!d.matched) expect(d.candidates.map((c) => c.depositId)).toEqual(['a', 'b']);
  });

  it('outside the validity: late within the window (credited), unmatched after it or before the intent existed', () => {
    const m = new DepositMatcher([intent('a')], 14);
    expect(m.match({ date: '2026-11-10', description: 'X', amount: rp(12_345_417) })).toMatchObject({ matched: true, kind: 'late_unique_amount', late: true });
    expect(m.match({ date: '2026-11-18', description: 'X', amount: rp(12_345_417) })).toMatchObject({ matched: false, review: 'unmatched' });
    expect(m.match({ date: '2026-11-01', description: 'X', amount: rp(12_345_417) })).toMatchObject({ matched: false, review: 'unmatched' });
  });

  it('a reference code in the news matches any amount: under-payment leaves the rest open, the rest then matches by amount', () => {
    const a = intent('k3q9mx7');
    const m = new DepositMatcher([a], 14);
    const part = m.match({ date: '2026-11-02', description: `TRSF CR ${a.referenceCode.slice(0, 3)} ${a.referenceCode.slice(3)} BUDI`, amount: rp(10_000_000) });
    expect(part).toMatchObject({ matched: true, kind: 'reference_code' });
    expect(part.reason).toMatch(/less than/);
    m.apply(a, rp(10_000_000));
    const rest = m.match({ date: '2026-11-03', description: 'TRSF', amount: rp(2_345_417) });
    expect(rest).toMatchObject({ matched: true, kind: 'unique_amount', intent: { id: 'k3q9mx7' } });
  });

  it('reads reference codes with look-alike characters (O for 0, I or L for 1)', () => {
    const a = intent('a', { referenceCode: 'JBT10K3Q90' });
    const m = new DepositMatcher([a], 14);
    expect(m.match({ date: '2026-11-02', description: 'TRSF CR JBT-IOK3Q9O BUDI', amount: rp(1) })).toMatchObject({ matched: true, kind: 'reference_code', intent: { id: 'a' } });
  });

  it('a closed intent takes a transfer dated within its validity (the expiry job ran before the import) as late', () => {
    const m = new DepositMatcher([intent('a', { closed: true })], 14);
    expect(m.match({ date: '2026-11-03', description: 'X', amount: rp(12_345_417) })).toMatchObject({ matched: true, kind: 'late_unique_amount', late: true });
  });

  it('an open intent and a recently closed one expecting the same amount are ambiguous, not a guess', () => {
    const m = new DepositMatcher([intent('old', { closed: true, validFrom: '2026-10-30', validTo: '2026-10-31' }), intent('new')], 14);
    const d = m.match({ date: '2026-11-02', description: 'X', amount: rp(12_345_417) });
    expect(d).toMatchObject({ matched: false, review: 'ambiguous' });
    if (!d.matched) expect(d.candidates.map((c) => c.depositId).sort()).toEqual(['new', 'old']);
  });
});
