import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { ensureCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { applyDepositCredits } from './deposits.ts';
import type { GatewayPaymentNotice, PaymentGateway } from './gateway.ts';
import { loadFundingSettings } from './settings.ts';

/** Clock skew tolerated for a callback's payment time in the future. */
const FUTURE_SKEW_MS = 5 * 60_000;

export interface GatewayPaymentResult {
  paymentId: string;
  depositId: string | null;
  status: 'credited' | 'suspense';
  entryId: string;
  replayed: boolean;
}

/**
 * Books a verified gateway payment exactly once: the gateway's payment id is the ledger
 * key, so a replayed or concurrent duplicate callback finds the first entry and changes
 * nothing. The money sits in the gateway's clearing account until the gateway settles to
 * the bank. Answer 2xx only after this commits.
 */
export async function recordGatewayPayment(db: Kysely<DB>, actor: Actor, gateway: PaymentGateway, notice: GatewayPaymentNotice): Promise<GatewayPaymentResult> {
  return withLedgerRetry(db, async (tx) => {
    const known = await tx.selectFrom('gateway_payments').selectAll().where('gateway', '=', gateway.name).where('payment_id', '=', notice.paymentId).executeTakeFirst();
    if (known) {
      if (known.amount !== notice.amount) throw new AppError('idempotency_conflict', `Payment ${notice.paymentId} was reported before with another amount.`);
      return { paymentId: known.payment_id, depositId: known.deposit_id, status: known.status, entryId: known.entry_id, replayed: true };
    }
    const settings = await loadFundingSettings(tx);
    const age = Date.now() - notice.paidAt.getTime();
    if (age > settings.gatewayCallbackMaxAgeHours * 3600_000 || age < -FUTURE_SKEW_MS) {
      throw new AppError('gateway_callback_stale', `Payment time ${notice.paidAt.toISOString()} is outside the accepted window.`);
    }
    const deposit = notice.externalId
      ? await tx.selectFrom('deposit_intents').selectAll().where('gateway', '=', gateway.name).where('gateway_external_id', '=', notice.externalId).forUpdate().executeTakeFirst()
      : undefined;
    if (deposit && notice.accountNumber && deposit.virtual_account_number !== notice.accountNumber) {
      throw new AppError('validation_failed', 'The virtual account number does not belong to that deposit.');
    }
    const clearing = await ensureCompanyAccount(tx, `gateway:${gateway.name}`, `${gateway.name} balance (not yet settled to the bank)`, 'asset', 'IDR');
    const credit = deposit ? (await ensureCustomerWallet(tx, deposit.customer_id, 'IDR')).id : SYSTEM_ACCOUNTS.suspense;
    const { entry, replayed } = await createEntry(tx, actor, {
      idempotencyKey: `gateway:${gateway.name}:${notice.paymentId}`,
      reason: deposit ? 'deposit' : 'deposit_unmatched',
      ...(deposit ? { reference: { type: 'deposit', id: deposit.id } } : {}),
      description: `${gateway.name} virtual account ${notice.accountNumber ?? ''} payment ${notice.paymentId}`.trim(),
      metadata: { gateway: gateway.name, paymentId: notice.paymentId },
      postings: [{ debitAccountId: clearing.id, creditAccountId: credit, amount: Money.of(notice.amount, 'IDR') }],
    });
    const status = deposit ? 'credited' : 'suspense';
    if (replayed) {
      return { paymentId: notice.paymentId, depositId: deposit?.id ?? null, status, entryId: entry.id, replayed: true };
    }
    await tx
      .insertInto('gateway_payments')
      .values({
        id: newId('gatewayPayment'),
        gateway: gateway.name,
        payment_id: notice.paymentId,
        external_id: notice.externalId,
        deposit_id: deposit?.id ?? null,
        amount: notice.amount,
        paid_at: notice.paidAt,
        status,
        entry_id: entry.id,
        payload: JSON.stringify(notice.payload),
      })
      .execute();
    if (deposit) {
      await applyDepositCredits(tx, actor, [
        { depositId: deposit.id, sourceType: 'gateway', sourceId: notice.paymentId, amount: notice.amount, late: deposit.status === 'expired' || deposit.status === 'cancelled', entryId: entry.id },
      ]);
    }
    await recordAudit(tx, actor, {
      action: 'funding.gateway_payment_recorded',
      objectType: 'deposit',
      objectId: deposit?.id ?? null,
      data: { gateway: gateway.name, paymentId: notice.paymentId, amount: notice.amount.toString(), status, entryId: entry.id },
    });
    return { paymentId: notice.paymentId, depositId: deposit?.id ?? null, status, entryId: entry.id, replayed: false };
  });
}
