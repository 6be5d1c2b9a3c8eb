import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';

export type StorageFeeBasis = 'parcel' | 'cbm';

export interface ForwardingSettings {
  freeStorageDays: number;
  /** Warn the importer this many days before the free period ends. */
  freeStorageWarningDays: number;
  storageFeeBasis: StorageFeeBasis;
  /** Rupiah minor units per parcel per day, after the free period. */
  storageFeePerParcelDay: bigint;
  /** Rupiah minor units per cubic metre per day, after the free period. */
  storageFeePerCbmDay: bigint;
  /** A parcel still in the warehouse this many days after receipt is abandoned… */
  abandonAfterDays: number;
  /** …after a notice this many days before. */
  abandonNoticeDays: number;
  /** An invoice this many percent above the held estimate is not taken from the wallet without the importer. */
  autoSettleExcessPercent: number;
  /** An invoice unpaid this many days is cancelled. */
  invoicePaymentDays: number;
}

export async function loadForwardingSettings(db: Kysely<DB>): Promise<ForwardingSettings> {
  const rows = await db.selectFrom('forwarding_settings').select(['key', 'value']).execute();
  const v = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Record<string, unknown>;
  return {
    freeStorageDays: Number(v.free_storage_days ?? 30),
    freeStorageWarningDays: Number(v.free_storage_warning_days ?? 3),
    storageFeeBasis: v.storage_fee_basis === 'cbm' ? 'cbm' : 'parcel',
    storageFeePerParcelDay: BigInt(String(v.storage_fee_per_parcel_day ?? '500000')),
    storageFeePerCbmDay: BigInt(String(v.storage_fee_per_cbm_day ?? '2500000')),
    abandonAfterDays: Number(v.abandon_after_days ?? 90),
    abandonNoticeDays: Number(v.abandon_notice_days ?? 7),
    autoSettleExcessPercent: Number(v.auto_settle_excess_percent ?? 10),
    invoicePaymentDays: Number(v.invoice_payment_days ?? 7),
  };
}

export function publicForwardingSettings(s: ForwardingSettings) {
  return {
    freeStorageDays: s.freeStorageDays,
    freeStorageWarningDays: s.freeStorageWarningDays,
    storageFeeBasis: s.storageFeeBasis,
    storageFeePerParcelDay: { amount: s.storageFeePerParcelDay.toString(), currency: 'IDR' },
    storageFeePerCbmDay: { amount: s.storageFeePerCbmDay.toString(), currency: 'IDR' },
    abandonAfterDays: s.abandonAfterDays,
    abandonNoticeDays: s.abandonNoticeDays,
    autoSettleExcessPercent: s.autoSettleExcessPercent,
    invoicePaymentDays: s.invoicePaymentDays,
  };
}

const KEYS: Record<keyof ForwardingSettings, string> = {
  freeStorageDays: 'free_storage_days',
  freeStorageWarningDays: 'free_storage_warning_days',
  storageFeeBasis: 'storage_fee_basis',
  storageFeePerParcelDay: 'storage_fee_per_parcel_day',
  storageFeePerCbmDay: 'storage_fee_per_cbm_day',
  abandonAfterDays: 'abandon_after_days',
  abandonNoticeDays: 'abandon_notice_days',
  autoSettleExcessPercent: 'auto_settle_excess_percent',
  invoicePaymentDays: 'invoice_payment_days',
};

export async function updateForwardingSettings(db: Kysely<DB>, actor: Actor, patch: Partial<ForwardingSettings>): Promise<ForwardingSettings> {
  const next = { ...(await loadForwardingSettings(db)), ...patch };
  if (next.abandonNoticeDays >= next.abandonAfterDays) throw new AppError('validation_failed', 'The abandonment notice must come before the abandonment limit.', { field: 'abandonNoticeDays' });
  for (const field of ['storageFeePerParcelDay', 'storageFeePerCbmDay'] as const) {
    if (next[field] < 0n || next[field] % 100n !== 0n) throw new AppError('validation_failed', 'A storage fee is a whole number of rupiah.', { field });
  }
  const values: [string, unknown][] = [];
  for (const [field, key] of Object.entries(KEYS) as [keyof ForwardingSettings, string][]) {
    const value = patch[field];
    if (value !== undefined) values.push([key, typeof value === 'bigint' ? value.toString() : value]);
  }
  for (const [key, value] of values) {
    await db
      .insertInto('forwarding_settings')
      .values({ key, value: JSON.stringify(value), updated_by: actor.id })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_by: actor.id, updated_at: new Date() }))
      .execute();
  }
  await recordAudit(db, actor, { action: 'forwarding.settings_updated', objectType: 'forwarding_settings', objectId: null, data: Object.fromEntries(values) });
  return loadForwardingSettings(db);
}
