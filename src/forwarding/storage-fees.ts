/**
 * Storage after the free period, by China calendar day (Asia/Shanghai, UTC+8 all year):
 * a parcel received on day D is free through D + free days − 1; every later day it is still
 * in storage costs the daily fee (per parcel, or per CBM rounded up to a whole rupiah a day).
 */
import { ceilDiv, wholeRupiahUp, type Load } from './freight.ts';
import type { ForwardingSettings } from './settings.ts';

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar date in China at this instant: YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function freeThroughFor(receivedAt: Date, freeDays: number): string {
  return addDays(chinaDate(receivedAt), freeDays - 1);
}

/** One day of storage for a parcel of this size. */
export function dailyStorageFee(load: Load, settings: Pick<ForwardingSettings, 'storageFeeBasis' | 'storageFeePerParcelDay' | 'storageFeePerCbmDay'>): bigint {
  if (settings.storageFeeBasis === 'parcel') return settings.storageFeePerParcelDay;
  // mm³ × (minor per m³) / 10⁹ mm³ per m³
  return wholeRupiahUp(ceilDiv(load.volumeMm3 * settings.storageFeePerCbmDay, 1_000_000_000n));
}

export interface StorageDue {
  /** First and last day charged now (inclusive). */
  from: string;
  through: string;
  days: number;
  perDay: bigint;
  amount: bigint;
}

/** What is due through `today` that was neither free nor charged before; null = nothing. */
export function storageDue(
  parcel: { free_through: string; storage_charged_through: string | null },
  load: Load,
  today: string,
  settings: Pick<ForwardingSettings, 'storageFeeBasis' | 'storageFeePerParcelDay' | 'storageFeePerCbmDay'>,
): StorageDue | null {
  const last = parcel.storage_charged_through && parcel.storage_charged_through > parcel.free_through ? parcel.storage_charged_through : parcel.free_through;
  const from = addDays(last, 1);
  if (from > today) return null;
  const days = daysBetween(from, today) + 1;
  const perDay = dailyStorageFee(load, settings);
  return { from, through: today, days, perDay, amount: perDay * BigInt(days) };
}

/** Free days left on `today` (0 once the free period is over). */
export function freeDaysLeft(freeThrough: string, today: string): number {
  return Math.max(0, daysBetween(today, freeThrough) + 1);
}
