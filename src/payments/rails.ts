import { randomBytes } from 'node:crypto';
import type { Payee } from './payees.ts';

export interface RailPayment {
  payoutId: string;
  cnyAmount: bigint;
  payee: Payee;
  note: string | null;
}

export type RailStatus = { state: 'pending' } | { state: 'paid'; reference: string } | { state: 'failed'; reason: string };

/**
 * A way to move yuan to a supplier. The default "manual" rail is the payout desk itself
 * (an operator pays in the Alipay app or bank and records it); an automatic rail submits
 * the payment to a provider and learns later, asynchronously, whether it went through.
 */
export interface PayoutRail {
  readonly name: string;
  /** How often to ask the provider about a submitted payment. */
  readonly pollIntervalMs: number;
  /** Must be idempotent on `payment.payoutId` (the provider's idempotency key). */
  submit(payment: RailPayment): Promise<{ providerId: string }>;
  status(providerId: string): Promise<RailStatus>;
}

/**
 * A stand-in provider for tests and demos: a payment is "paid" a moment after it was
 * submitted, or fails if the payee's account ends in 0000 (a frozen account), so the
 * asynchronous path and its failure are exercised without a real provider.
 */
export class TestRail implements PayoutRail {
  readonly name = 'test';
  readonly pollIntervalMs = 100;
  private readonly submitted = new Map<string, { at: number; fail: boolean }>();

  constructor(private readonly settleAfterMs = 200) {}

  private readonly byPayout = new Map<string, string>();
  /** Counts what the provider accepted: a second submit of one payout must not pay twice. */
  payments = 0;

  async submit(payment: RailPayment): Promise<{ providerId: string }> {
    // Like a real provider's idempotency key: the same payout submitted again is the same payment.
    const known = this.byPayout.get(payment.payoutId);
    if (known) return { providerId: known };
    const providerId = `TR${randomBytes(8).toString('hex').toUpperCase()}`;
    this.byPayout.set(payment.payoutId, providerId);
    this.submitted.set(providerId, { at: Date.now(), fail: payment.payee.account.endsWith('0000') });
    this.payments++;
    return { providerId };
  }

  async status(providerId: string): Promise<RailStatus> {
    const s = this.submitted.get(providerId);
    if (!s) return { state: 'failed', reason: 'unknown to the provider' };
    if (Date.now() - s.at < this.settleAfterMs) return { state: 'pending' };
    return s.fail ? { state: 'failed', reason: 'the receiving account is frozen' } : { state: 'paid', reference: providerId };
  }
}
