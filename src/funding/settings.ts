import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';

export interface FundingSettings {
  depositExpiryHours: number;
  lateMatchDays: number;
  /** Suspense decisions above this amount (IDR minor units) need a second finance user. */
  assignmentApprovalThreshold: bigint;
  gatewayCallbackMaxAgeHours: number;
}

export async function loadFundingSettings(db: Kysely<DB>): Promise<FundingSettings> {
  const rows = await db.selectFrom('funding_settings').select(['key', 'value']).execute();
  const v = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<string, unknown>;
  return {
    depositExpiryHours: Number(v.deposit_expiry_hours ?? 24),
    lateMatchDays: Number(v.late_match_days ?? 14),
    assignmentApprovalThreshold: BigInt(String(v.assignment_approval_threshold ?? '5000000000')),
    gatewayCallbackMaxAgeHours: Number(v.gateway_callback_max_age_hours ?? 72),
  };
}

export function publicFundingSettings(s: FundingSettings) {
  return {
    depositExpiryHours: s.depositExpiryHours,
    lateMatchDays: s.lateMatchDays,
    assignmentApprovalThreshold: { amount: s.assignmentApprovalThreshold.toString(), currency: 'IDR' },
    gatewayCallbackMaxAgeHours: s.gatewayCallbackMaxAgeHours,
  };
}

export async function updateFundingSettings(db: Kysely<DB>, actor: Actor, patch: Partial<FundingSettings>): Promise<FundingSettings> {
  const values: [string, unknown][] = [];
  if (patch.depositExpiryHours !== undefined) values.push(['deposit_expiry_hours', patch.depositExpiryHours]);
  if (patch.lateMatchDays !== undefined) values.push(['late_match_days', patch.lateMatchDays]);
  if (patch.assignmentApprovalThreshold !== undefined) values.push(['assignment_approval_threshold', patch.assignmentApprovalThreshold.toString()]);
  if (patch.gatewayCallbackMaxAgeHours !== undefined) values.push(['gateway_callback_max_age_hours', patch.gatewayCallbackMaxAgeHours]);
  for (const [key, value] of values) {
    await db
      .insertInto('funding_settings')
      .values({ key, value: JSON.stringify(value), updated_by: actor.id })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_by: actor.id, updated_at: new Date() }))
      .execute();
  }
  await recordAudit(db, actor, { action: 'funding.settings_updated', objectType: 'funding_settings', objectId: null, data: Object.fromEntries(values) });
  return loadFundingSettings(db);
}
