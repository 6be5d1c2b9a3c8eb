import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';

export interface PaymentsSettings {
  slaTargetMinutes: number;
  slaWarningMinutes: number;
  /** Payouts from this many fen up need a finance user's approval (maker-checker). */
  approvalThresholdCny: bigint;
  escrowAutoReleaseDays: number;
  /** Flag an order above this multiple of the customer's largest paid order. */
  amountHistoryMultiple: bigint;
  /** How long a quote's rate holds for paying by bank transfer. */
  bankTransferLockMinutes: number;
}

export async function loadPaymentsSettings(db: Kysely<DB>): Promise<PaymentsSettings> {
  const rows = await db.selectFrom('payments_settings').select(['key', 'value']).execute();
  const v = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<string, unknown>;
  return {
    slaTargetMinutes: Number(v.sla_target_minutes ?? 60),
    slaWarningMinutes: Number(v.sla_warning_minutes ?? 15),
    approvalThresholdCny: BigInt(String(v.approval_threshold_cny ?? '5000000')),
    escrowAutoReleaseDays: Number(v.escrow_auto_release_days ?? 14),
    amountHistoryMultiple: BigInt(String(v.amount_history_multiple ?? '5')),
    bankTransferLockMinutes: Number(v.bank_transfer_lock_minutes ?? 120),
  };
}

export function publicPaymentsSettings(s: PaymentsSettings) {
  return {
    slaTargetMinutes: s.slaTargetMinutes,
    slaWarningMinutes: s.slaWarningMinutes,
    approvalThreshold: { amount: s.approvalThresholdCny.toString(), currency: 'CNY' },
    escrowAutoReleaseDays: s.escrowAutoReleaseDays,
    amountHistoryMultiple: s.amountHistoryMultiple.toString(),
    bankTransferLockMinutes: s.bankTransferLockMinutes,
  };
}

export async function updatePaymentsSettings(db: Kysely<DB>, actor: Actor, patch: Partial<PaymentsSettings>): Promise<PaymentsSettings> {
  const values: [string, unknown][] = [];
  if (patch.slaTargetMinutes !== undefined) values.push(['sla_target_minutes', patch.slaTargetMinutes]);
  if (patch.slaWarningMinutes !== undefined) values.push(['sla_warning_minutes', patch.slaWarningMinutes]);
  if (patch.approvalThresholdCny !== undefined) values.push(['approval_threshold_cny', patch.approvalThresholdCny.toString()]);
  if (patch.escrowAutoReleaseDays !== undefined) values.push(['escrow_auto_release_days', patch.escrowAutoReleaseDays]);
  if (patch.amountHistoryMultiple !== undefined) values.push(['amount_history_multiple', patch.amountHistoryMultiple.toString()]);
  if (patch.bankTransferLockMinutes !== undefined) values.push(['bank_transfer_lock_minutes', patch.bankTransferLockMinutes]);
  for (const [key, value] of values) {
    await db
      .insertInto('payments_settings')
      .values({ key, value: JSON.stringify(value), updated_by: actor.id })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_by: actor.id, updated_at: new Date() }))
      .execute();
  }
  await recordAudit(db, actor, { action: 'payments.settings_updated', objectType: 'payments_settings', objectId: null, data: Object.fromEntries(values) });
  return loadPaymentsSettings(db);
}
