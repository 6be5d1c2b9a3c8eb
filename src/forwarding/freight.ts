/**
 * Freight arithmetic, exact: weights in grams, lengths in millimetres, volumes in mm³ and
 * rupiah in minor units, all bigint. Every rounding is explicit and in the agent's favour by
 * at most one step, as the tariff says (docs/forwarding.md):
 *
 * - air and other per-kg tariffs: chargeable weight = max(actual, volumetric), volumetric
 *   = L×W×H (cm³) / divisor, rounded UP to the tariff's step (e.g. 0.5 kg), at least its minimum;
 * - sea and other per-CBM tariffs: chargeable volume = max(CBM, weight / kg-per-CBM) under the
 *   weight/measure rule, rounded UP to the step (e.g. 0.01 CBM), at least its minimum;
 * - freight = chargeable × rate, at least the minimum charge; insurance = declared value ×
 *   percent, at least its minimum; each charge rounded UP to a whole rupiah.
 */
import { AppError } from '../app/errors.ts';
import type { TariffBasis } from '../db/schema.ts';

const MM3_PER_CM3 = 1000n;
const CM3_PER_CBM = 1_000_000n;
const G_PER_KG = 1000n;
const WHOLE_RUPIAH = 100n;

export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n || a < 0n) throw new Error('ceilDiv takes a non-negative dividend and a positive divisor');
  return (a + b - 1n) / b;
}

const roundUpTo = (value: bigint, step: bigint) => ceilDiv(value, step) * step;
export const wholeRupiahUp = (minor: bigint) => roundUpTo(minor, WHOLE_RUPIAH);

/** What was measured: total weight and volume, and how many pieces. */
export interface Load {
  weightG: bigint;
  volumeMm3: bigint;
  pieces: number;
}

export interface Carton {
  count: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  /** Weight of one carton. */
  weightG: bigint;
}

export function loadOf(cartons: readonly Carton[]): Load {
  let weightG = 0n;
  let volumeMm3 = 0n;
  let pieces = 0;
  for (const c of cartons) {
    const n = BigInt(c.count);
    weightG += n * c.weightG;
    volumeMm3 += n * BigInt(c.lengthMm) * BigInt(c.widthMm) * BigInt(c.heightMm);
    pieces += c.count;
  }
  return { weightG, volumeMm3, pieces };
}

/** A parcel as received: its cartons share one size, the weight is of all of them. */
export function parcelLoad(p: { cartons: number; weight_g: bigint; length_mm: number; width_mm: number; height_mm: number }): Load {
  return { weightG: p.weight_g, volumeMm3: BigInt(p.cartons) * BigInt(p.length_mm) * BigInt(p.width_mm) * BigInt(p.height_mm), pieces: p.cartons };
}

export function sumLoads(loads: readonly Load[]): Load {
  return loads.reduce((a, l) => ({ weightG: a.weightG + l.weightG, volumeMm3: a.volumeMm3 + l.volumeMm3, pieces: a.pieces + l.pieces }), { weightG: 0n, volumeMm3: 0n, pieces: 0 });
}

/** The part of a tariff the arithmetic needs. */
export interface TariffTerms {
  basis: TariffBasis;
  /** Rupiah minor units per chargeable kilogram (kg basis) or cubic metre (cbm basis). */
  rate: bigint;
  volumetricDivisor: number | null;
  kgPerCbm: number | null;
  /** Grams (kg basis) or cm³ (cbm basis). */
  roundingStep: bigint;
  minChargeable: bigint;
  minimumCharge: bigint;
  /** Decimal percent with at most three decimals, e.g. "0.5". */
  insurancePercent: string;
  insuranceMinimum: bigint;
}

export interface Chargeable {
  basis: TariffBasis;
  actualG: bigint;
  volumeMm3: bigint;
  /** kg basis with a divisor: the volumetric weight in grams (rounded up to the gram). */
  volumetricG: bigint | null;
  /** cbm basis with the W/M rule: the weight expressed as volume, in cm³ (rounded up). */
  weightAsVolumeCm3: bigint | null;
  /** Grams (kg basis) or cm³ (cbm basis), after rounding to the step and the minimum. */
  units: bigint;
  /** Which measure decided: the weight, the volume, or the tariff's minimum. */
  decidedBy: 'weight' | 'volume' | 'minimum';
}

export function chargeableOf(load: Load, t: TariffTerms): Chargeable {
  if (t.basis === 'kg') {
    // L×W×H in cm³ / divisor (cm³ per kg) kg = mm³ / divisor grams.
    const volumetricG = t.volumetricDivisor ? ceilDiv(load.volumeMm3, BigInt(t.volumetricDivisor)) : null;
    const raw = volumetricG !== null && volumetricG > load.weightG ? volumetricG : load.weightG;
    const stepped = roundUpTo(raw, t.roundingStep);
    const units = stepped < t.minChargeable ? t.minChargeable : stepped;
    const decidedBy = stepped < t.minChargeable ? 'minimum' : volumetricG !== null && volumetricG > load.weightG ? 'volume' : 'weight';
    return { basis: 'kg', actualG: load.weightG, volumeMm3: load.volumeMm3, volumetricG, weightAsVolumeCm3: null, units, decidedBy };
  }
  const volumeCm3 = ceilDiv(load.volumeMm3, MM3_PER_CM3);
  // Weight/measure: W grams at K kg per CBM are W × 1000 / K cm³.
  const weightAsVolumeCm3 = t.kgPerCbm ? ceilDiv(load.weightG * 1000n, BigInt(t.kgPerCbm)) : null;
  const byWeight = weightAsVolumeCm3 !== null && weightAsVolumeCm3 > volumeCm3;
  const stepped = roundUpTo(byWeight ? weightAsVolumeCm3! : volumeCm3, t.roundingStep);
  const units = stepped < t.minChargeable ? t.minChargeable : stepped;
  return { basis: 'cbm', actualG: load.weightG, volumeMm3: load.volumeMm3, volumetricG: null, weightAsVolumeCm3, units, decidedBy: stepped < t.minChargeable ? 'minimum' : byWeight ? 'weight' : 'volume' };
}

export interface FreightCharge {
  chargeable: Chargeable;
  /** Chargeable × rate, before the minimum charge, rounded up to a whole rupiah. */
  byRate: bigint;
  minimumApplied: boolean;
  freight: bigint;
}

export function freightOf(load: Load, t: TariffTerms): FreightCharge {
  const chargeable = chargeableOf(load, t);
  const perUnit = t.basis === 'kg' ? G_PER_KG : CM3_PER_CBM;
  const byRate = wholeRupiahUp(ceilDiv(chargeable.units * t.rate, perUnit));
  const minimumApplied = byRate < t.minimumCharge;
  return { chargeable, byRate, minimumApplied, freight: minimumApplied ? wholeRupiahUp(t.minimumCharge) : byRate };
}

/** Thousandths of a percent from "0.5" / "1.25" / "2": exact, no floating point. */
export function percentMillis(percent: string): bigint {
  const m = /^(\d{1,2})(?:\.(\d{1,3}))?$/.exec(percent);
  if (!m) throw new AppError('validation_failed', `Not a percentage with at most three decimals: ${percent}`);
  return BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
}

export function insuranceOf(declaredValue: bigint, t: Pick<TariffTerms, 'insurancePercent' | 'insuranceMinimum'>): bigint {
  if (declaredValue <= 0n) return 0n;
  const premium = wholeRupiahUp(ceilDiv(declaredValue * percentMillis(t.insurancePercent), 100_000n));
  return premium < t.insuranceMinimum ? wholeRupiahUp(t.insuranceMinimum) : premium;
}

// ---- units people type and read ------------------------------------------------------

/** "12.345" kg → 12345 g (at most three decimals). */
export function kgToGrams(kg: string): bigint {
  const m = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(kg.trim());
  if (!m) throw new AppError('validation_failed', `Not a weight in kg with at most three decimals: ${kg}`);
  return BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
}

/** "45.5" cm → 455 mm (at most one decimal). */
export function cmToMm(cm: string): number {
  const m = /^(\d{1,4})(?:\.(\d))?$/.exec(cm.trim());
  if (!m) throw new AppError('validation_failed', `Not a length in cm with at most one decimal: ${cm}`);
  return Number(m[1]) * 10 + Number(m[2] ?? '0');
}

function decimal(value: bigint, scale: bigint, digits: number): string {
  const whole = value / scale;
  const frac = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}

export const gramsToKg = (g: bigint) => decimal(g, 1000n, 3);
export const mmToCm = (mm: number) => decimal(BigInt(mm), 10n, 1);
export const cm3ToCbm = (cm3: bigint) => decimal(cm3, CM3_PER_CBM, 6);
/** A volume in mm³ as CBM, rounded up to the cm³. */
export const mm3ToCbm = (mm3: bigint) => cm3ToCbm(ceilDiv(mm3, MM3_PER_CM3));

/** Chargeable units as people read them: "12.5" (kg) or "0.35" (CBM). */
export function unitsText(basis: TariffBasis, units: bigint): string {
  return basis === 'kg' ? gramsToKg(units) : cm3ToCbm(units);
}

/** Human units back to the tariff's base units: kg → grams, CBM → cm³ (at most six decimals). */
export function unitsFromText(basis: TariffBasis, text: string): bigint {
  if (basis === 'kg') return kgToGrams(text);
  const m = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new AppError('validation_failed', `Not a volume in CBM with at most six decimals: ${text}`);
  return BigInt(m[1]!) * CM3_PER_CBM + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** The ETA window: lead days counted from a China calendar date (YYYY-MM-DD). */
export function etaWindow(fromDate: string, leadDaysMin: number, leadDaysMax: number): { from: string; to: string } {
  const add = (days: number) => {
    const d = new Date(`${fromDate}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  return { from: add(leadDaysMin), to: add(leadDaysMax) };
}
