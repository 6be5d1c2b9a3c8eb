import type { Kysely, Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, FreightMode, FreightTariffsTable, TariffBasis } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { Money } from '../money/money.ts';
import { percentMillis, unitsFromText, unitsText, type TariffTerms } from './freight.ts';
import { getWarehouse } from './warehouses.ts';

export type FreightTariff = Selectable<FreightTariffsTable>;

export const FREIGHT_MODES: readonly FreightMode[] = ['air', 'sea', 'land'];
/** Goods categories with their own rates; a tariff may use any other lower-case code too. */
export const GOODS_CATEGORIES = ['general', 'battery', 'textile', 'cosmetics', 'liquid', 'food', 'branded'] as const;

export interface TariffInput {
  warehouseId: string;
  destination: string;
  mode: FreightMode;
  category: string;
  basis: TariffBasis;
  rate: Money;
  volumetricDivisor?: number | null | undefined;
  kgPerCbm?: number | null | undefined;
  /** In kg ("0.5") or CBM ("0.01"), by the basis. */
  roundingStep: string;
  minChargeable: string;
  minimumCharge: Money;
  insurancePercent: string;
  insuranceMinimum: Money;
  leadDaysMin: number;
  leadDaysMax: number;
  available?: boolean | undefined;
  effectiveFrom: string;
}

const idr = (m: Money, field: string): bigint => {
  if (m.currency !== 'IDR' || m.isNegative()) throw new AppError('validation_failed', `${field} is a non-negative rupiah amount.`, { field });
  return m.minor;
};

export async function addTariff(db: Kysely<DB>, actor: Actor, input: TariffInput): Promise<FreightTariff> {
  await getWarehouse(db, input.warehouseId);
  const destination = input.destination.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (destination.length < 2) throw new AppError('validation_failed', 'Name the destination city or port.', { field: 'destination' });
  if (!/^[a-z_]{2,30}$/.test(input.category)) throw new AppError('validation_failed', 'A goods category is a lower-case code such as general or battery.', { field: 'category' });
  if (input.basis === 'kg' && input.kgPerCbm) throw new AppError('validation_failed', 'The weight/measure rule (kg per CBM) belongs to a per-CBM tariff.', { field: 'kgPerCbm' });
  if (input.basis === 'cbm' && input.volumetricDivisor) throw new AppError('validation_failed', 'A volumetric divisor belongs to a per-kg tariff.', { field: 'volumetricDivisor' });
  const step = unitsFromText(input.basis, input.roundingStep);
  if (step <= 0n) throw new AppError('validation_failed', 'The rounding step must be positive.', { field: 'roundingStep' });
  percentMillis(input.insurancePercent);
  if (input.leadDaysMax < input.leadDaysMin) throw new AppError('validation_failed', 'The longest lead time cannot be shorter than the shortest.', { field: 'leadDaysMax' });
  const row = await db
    .insertInto('freight_tariffs')
    .values({
      id: newId('tariff'),
      warehouse_id: input.warehouseId,
      destination,
      mode: input.mode,
      category: input.category,
      basis: input.basis,
      rate: idr(input.rate, 'rate'),
      volumetric_divisor: input.basis === 'kg' ? (input.volumetricDivisor ?? null) : null,
      kg_per_cbm: input.basis === 'cbm' ? (input.kgPerCbm ?? null) : null,
      rounding_step: step,
      min_chargeable: unitsFromText(input.basis, input.minChargeable),
      minimum_charge: idr(input.minimumCharge, 'minimumCharge'),
      insurance_percent: input.insurancePercent,
      insurance_minimum: idr(input.insuranceMinimum, 'insuranceMinimum'),
      lead_days_min: input.leadDaysMin,
      lead_days_max: input.leadDaysMax,
      available: input.available ?? true,
      effective_from: input.effectiveFrom,
      created_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.tariff_added', objectType: 'freight_tariff', objectId: row.id, data: publicTariff(row) });
  return row;
}

/** Every tariff ever recorded, newest first (the history). */
export async function listTariffs(db: Kysely<DB>, filter: { warehouseId?: string | undefined } = {}): Promise<FreightTariff[]> {
  let q = db.selectFrom('freight_tariffs').selectAll().orderBy('effective_from', 'desc').orderBy('created_at', 'desc');
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  return q.execute();
}

/**
 * The tariffs in force on a date: per warehouse, destination, mode and category the row with
 * the latest effective date on or before it (the later-created one on a tie), if available.
 */
export async function tariffsInForce(db: Kysely<DB>, date: string, filter: { warehouseId?: string | undefined; destination?: string | undefined } = {}): Promise<FreightTariff[]> {
  let q = db.selectFrom('freight_tariffs').selectAll().where('effective_from', '<=', date);
  if (filter.warehouseId) q = q.where('warehouse_id', '=', filter.warehouseId);
  if (filter.destination) q = q.where('destination', '=', filter.destination);
  const rows = await q.orderBy('effective_from', 'desc').orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const latest = new Map<string, FreightTariff>();
  for (const r of rows) {
    const key = `${r.warehouse_id}|${r.destination}|${r.mode}|${r.category}`;
    if (!latest.has(key)) latest.set(key, r);
  }
  return [...latest.values()].filter((r) => r.available).sort((a, b) => a.destination.localeCompare(b.destination) || a.mode.localeCompare(b.mode) || a.category.localeCompare(b.category));
}

export async function getTariff(db: Kysely<DB>, id: string): Promise<FreightTariff> {
  const t = await db.selectFrom('freight_tariffs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!t) throw new AppError('not_found', `No tariff ${id}.`);
  return t;
}

/** numeric(6,3) reads back as "0.500": "0.5". */
const trimDecimal = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

export function termsOf(t: FreightTariff): TariffTerms {
  return {
    basis: t.basis,
    rate: t.rate,
    volumetricDivisor: t.volumetric_divisor,
    kgPerCbm: t.kg_per_cbm,
    roundingStep: t.rounding_step,
    minChargeable: t.min_chargeable,
    minimumCharge: t.minimum_charge,
    insurancePercent: trimDecimal(t.insurance_percent),
    insuranceMinimum: t.insurance_minimum,
  };
}

export function publicTariff(t: FreightTariff) {
  return {
    id: t.id,
    warehouseId: t.warehouse_id,
    destination: t.destination,
    mode: t.mode,
    category: t.category,
    basis: t.basis,
    rate: Money.of(t.rate, 'IDR'),
    volumetricDivisor: t.volumetric_divisor,
    kgPerCbm: t.kg_per_cbm,
    roundingStep: unitsText(t.basis, t.rounding_step),
    minChargeable: unitsText(t.basis, t.min_chargeable),
    minimumCharge: Money.of(t.minimum_charge, 'IDR'),
    insurancePercent: termsOf(t).insurancePercent,
    insuranceMinimum: Money.of(t.insurance_minimum, 'IDR'),
    leadDays: { min: t.lead_days_min, max: t.lead_days_max },
    available: t.available,
    effectiveFrom: t.effective_from,
    createdAt: t.created_at.toISOString(),
  };
}
