/**
 * Freight and storage arithmetic, with figures worked out by hand (in the comments), and
 * property tests of the rounding rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chargeableOf, cmToMm, freightOf, insuranceOf, kgToGrams, loadOf, mm3ToCbm, parcelLoad, sumLoads, unitsFromText, type Carton, type TariffTerms } from './freight.ts';
import { chinaDate, dailyStorageFee, freeDaysLeft, freeThroughFor, storageDue } from './storage-fees.ts';

const rp = (rupiah: number) => BigInt(rupiah) * 100n;
const carton = (l: string, w: string, h: string, kg: string, count = 1): Carton => ({ count, lengthMm: cmToMm(l), widthMm: cmToMm(w), heightMm: cmToMm(h), weightG: kgToGrams(kg) });

const AIR: TariffTerms = {
  basis: 'kg',
  rate: rp(85_000),
  volumetricDivisor: 6000,
  kgPerCbm: null,
  roundingStep: 500n, // 0.5 kg
  minChargeable: 1000n, // 1 kg
  minimumCharge: rp(100_000),
  insurancePercent: '1',
  insuranceMinimum: rp(25_000),
};
const SEA: TariffTerms = {
  basis: 'cbm',
  rate: rp(5_500_000),
  volumetricDivisor: null,
  kgPerCbm: 1000,
  roundingStep: 10_000n, // 0.01 CBM in cm³
  minChargeable: 100_000n, // 0.1 CBM
  minimumCharge: rp(500_000),
  insurancePercent: '0.5',
  insuranceMinimum: rp(50_000),
};

describe('air freight: chargeable weight', () => {
  it('volumetric weight decides for light, bulky cartons', () => {
    // 2 cartons of 50×40×35 cm = 140,000 cm³; /6000 = 23.333… kg (23,334 g rounded up to the gram)
    // against 18.4 kg actual; rounded up to the 0.5 kg step = 23.5 kg; × Rp 85.000 = Rp 1.997.500.
    const load = loadOf([carton('50', '40', '35', '9.2', 2)]);
    expect(load).toEqual({ weightG: 18_400n, volumeMm3: 140_000_000_000n / 1000n, pieces: 2 });
    const f = freightOf(load, AIR);
    expect(f.chargeable).toMatchObject({ volumetricG: 23_334n, units: 23_500n, decidedBy: 'volume' });
    expect(f.freight).toBe(rp(1_997_500));
    expect(f.minimumApplied).toBe(false);
  });

  it('actual weight decides for dense goods', () => {
    // 30×25×20 cm = 15,000 cm³ → 2.5 kg volumetric; 3.5 kg actual; 3.5 × 85.000 = Rp 297.500.
    const f = freightOf(loadOf([carton('30', '25', '20', '3.5')]), AIR);
    expect(f.chargeable).toMatchObject({ volumetricG: 2_500n, units: 3_500n, decidedBy: 'weight' });
    expect(f.freight).toBe(rp(297_500));
  });

  it('a tiny parcel pays the minimum chargeable weight, then the minimum charge', () => {
    // 10×10×10 cm = 1,000 cm³ → 0.167 kg; 0.3 kg actual → 0.5 kg step → 1 kg minimum;
    // 1 kg × 85.000 = Rp 85.000 < minimum charge Rp 100.000.
    const f = freightOf(loadOf([carton('10', '10', '10', '0.3')]), AIR);
    expect(f.chargeable).toMatchObject({ units: 1_000n, decidedBy: 'minimum' });
    expect(f.byRate).toBe(rp(85_000));
    expect(f.freight).toBe(rp(100_000));
    expect(f.minimumApplied).toBe(true);
  });

  it('odd millimetres: volume is exact and rounded up only once', () => {
    // 45.5 × 30.5 × 20.5 cm = 28,448.875 cm³ → /6000 = 4.7415 kg → 4,742 g; 4.0 kg actual → 5 kg step.
    const load = loadOf([carton('45.5', '30.5', '20.5', '4')]);
    expect(load.volumeMm3).toBe(455n * 305n * 205n);
    expect(chargeableOf(load, AIR)).toMatchObject({ volumetricG: 4_742n, units: 5_000n });
    expect(mm3ToCbm(load.volumeMm3)).toBe('0.028449');
  });

  it('a consolidated load sums weights and volumes before taking the larger', () => {
    // Parcel A: 1 × 60×40×40 = 96,000 cm³ (16 kg volumetric), 5 kg. Parcel B: 1 × 30×30×30 = 27,000 cm³, 20 kg.
    // Together 123,000 cm³ → 20.5 kg volumetric vs 25 kg actual: 25 kg (separately they would charge 16 + 20 = 36 kg).
    const a = parcelLoad({ cartons: 1, weight_g: 5_000n, length_mm: 600, width_mm: 400, height_mm: 400 });
    const b = parcelLoad({ cartons: 1, weight_g: 20_000n, length_mm: 300, width_mm: 300, height_mm: 300 });
    expect(chargeableOf(sumLoads([a, b]), AIR)).toMatchObject({ volumetricG: 20_500n, units: 25_000n, decidedBy: 'weight' });
    expect(chargeableOf(a, AIR).units + chargeableOf(b, AIR).units).toBe(36_000n);
  });
});

describe('sea freight: weight or measure', () => {
  it('volume decides for ordinary goods', () => {
    // 0.14 CBM and 18.4 kg (= 0.0184 CBM at 1,000 kg per CBM): 0.14 × Rp 5.500.000 = Rp 770.000.
    const f = freightOf(loadOf([carton('50', '40', '35', '9.2', 2)]), SEA);
    expect(f.chargeable).toMatchObject({ weightAsVolumeCm3: 18_400n, units: 140_000n, decidedBy: 'volume' });
    expect(f.freight).toBe(rp(770_000));
  });

  it('weight decides for heavy goods (1 tonne counts as 1 CBM)', () => {
    // 50×40×30 = 0.06 CBM, 180 kg = 0.18 CBM: 0.18 × 5.500.000 = Rp 990.000.
    const f = freightOf(loadOf([carton('50', '40', '30', '180')]), SEA);
    expect(f.chargeable).toMatchObject({ units: 180_000n, decidedBy: 'weight' });
    expect(f.freight).toBe(rp(990_000));
  });

  it('below the minimum CBM and minimum charge', () => {
    // 0.015 CBM → 0.1 CBM minimum → Rp 550.000 (above the Rp 500.000 minimum charge).
    const f = freightOf(loadOf([carton('30', '25', '20', '3.5')]), SEA);
    expect(f.chargeable).toMatchObject({ units: 100_000n, decidedBy: 'minimum' });
    expect(f.freight).toBe(rp(550_000));
    // A cheaper route: 0.1 CBM × Rp 3.000.000 = Rp 300.000 < Rp 500.000 minimum.
    expect(freightOf(loadOf([carton('30', '25', '20', '3.5')]), { ...SEA, rate: rp(3_000_000) }).freight).toBe(rp(500_000));
  });

  it('a rate that does not divide evenly is rounded up to a whole rupiah', () => {
    // 0.37 CBM × Rp 5.555.555 = Rp 2.055.555,35 → Rp 2.055.556.
    const load = { weightG: 1_000n, volumeMm3: 370_000_000_000n / 1000n, pieces: 1 };
    expect(freightOf(load, { ...SEA, rate: rp(5_555_555) }).freight).toBe(rp(2_055_556));
  });
});

describe('insurance', () => {
  it('percent of the declared value, rounded up to a whole rupiah, at least the minimum', () => {
    expect(insuranceOf(rp(10_000_000), AIR)).toBe(rp(100_000)); // 1 %
    expect(insuranceOf(rp(1_000_000), AIR)).toBe(rp(25_000)); // 1 % = 10.000 < minimum 25.000
    // 0.125 % of Rp 1.234.567 = Rp 1.543,21 → Rp 1.544
    expect(insuranceOf(rp(1_234_567), { insurancePercent: '0.125', insuranceMinimum: 0n })).toBe(rp(1_544));
    expect(insuranceOf(0n, AIR)).toBe(0n);
  });
});

describe('units', () => {
  it('reads kilograms, centimetres and CBM exactly and refuses more decimals', () => {
    expect(kgToGrams('12.345')).toBe(12_345n);
    expect(kgToGrams('0.5')).toBe(500n);
    expect(cmToMm('45.5')).toBe(455);
    expect(unitsFromText('cbm', '0.01')).toBe(10_000n);
    expect(() => kgToGrams('1.2345')).toThrow(/three decimals/);
    expect(() => cmToMm('10.25')).toThrow(/one decimal/);
    expect(() => kgToGrams('-1')).toThrow();
  });
});

describe('freight rules hold for any load (property)', () => {
  const loads = fc.record({
    weightG: fc.bigInt({ min: 1n, max: 5_000_000n }),
    volumeMm3: fc.bigInt({ min: 1n, max: 20_000_000_000_000n }),
    pieces: fc.integer({ min: 1, max: 500 }),
  });
  it('chargeable is the larger measure rounded up by less than one step, or the minimum; freight is at least the minimum charge and whole rupiah', () => {
    fc.assert(
      fc.property(loads, fc.boolean(), fc.bigInt({ min: 1n, max: 10_000_000_00n }), (load, air, rate) => {
        const t = air ? { ...AIR, rate } : { ...SEA, rate };
        const c = chargeableOf(load, t);
        const larger = air ? (c.volumetricG! > load.weightG ? c.volumetricG! : load.weightG) : c.weightAsVolumeCm3! > (load.volumeMm3 + 999n) / 1000n ? c.weightAsVolumeCm3! : (load.volumeMm3 + 999n) / 1000n;
        expect(c.units % t.roundingStep === 0n || c.units === t.minChargeable).toBe(true);
        if (c.decidedBy !== 'minimum') {
          expect(c.units).toBeGreaterThanOrEqual(larger);
          expect(c.units - larger).toBeLessThan(t.roundingStep);
        } else expect(c.units).toBe(t.minChargeable);
        const f = freightOf(load, t);
        expect(f.freight).toBeGreaterThanOrEqual(t.minimumCharge);
        expect(f.freight % 100n).toBe(0n);
        // Never more than a rupiah above chargeable × rate (unless the minimum charge applies).
        const exact = (c.units * t.rate) / (air ? 1000n : 1_000_000n);
        if (!f.minimumApplied) expect(f.freight - exact).toBeLessThanOrEqual(100n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('storage after the free period (China calendar days)', () => {
  const settings = { storageFeeBasis: 'parcel' as const, storageFeePerParcelDay: rp(5_000), storageFeePerCbmDay: rp(25_000) };
  const load = { weightG: 1_000n, volumeMm3: 15_500_000n, pieces: 1 };

  it('the free period starts on the day of receipt in China', () => {
    // 10:00 UTC is 18:00 in Guangzhou: received 1 November, 30 days free through 30 November.
    expect(freeThroughFor(new Date('2026-11-01T10:00:00Z'), 30)).toBe('2026-11-30');
    // 17:00 UTC is already 01:00 on 2 November in Guangzhou.
    expect(chinaDate(new Date('2026-11-01T17:00:00Z'))).toBe('2026-11-02');
    expect(freeThroughFor(new Date('2026-11-01T17:00:00Z'), 30)).toBe('2026-12-01');
  });

  it('charges each day past it once, catching up on missed days', () => {
    const parcel = { free_through: '2026-11-30', storage_charged_through: null };
    expect(storageDue(parcel, load, '2026-11-30', settings)).toBeNull();
    expect(storageDue(parcel, load, '2026-12-01', settings)).toEqual({ from: '2026-12-01', through: '2026-12-01', days: 1, perDay: rp(5_000), amount: rp(5_000) });
    expect(storageDue(parcel, load, '2026-12-03', settings)).toMatchObject({ days: 3, amount: rp(15_000) });
    const charged = { free_through: '2026-11-30', storage_charged_through: '2026-12-03' };
    expect(storageDue(charged, load, '2026-12-03', settings)).toBeNull();
    expect(storageDue(charged, load, '2026-12-05', settings)).toMatchObject({ from: '2026-12-04', days: 2, amount: rp(10_000) });
    // Across a month and a year end.
    expect(storageDue({ free_through: '2026-12-30', storage_charged_through: null }, load, '2027-01-02', settings)).toMatchObject({ from: '2026-12-31', days: 3 });
  });

  it('per CBM: the daily fee is rounded up to a whole rupiah', () => {
    // 31×25×20 cm = 0.0155 CBM × Rp 25.000 = Rp 387,5 → Rp 388 a day.
    expect(dailyStorageFee(load, { ...settings, storageFeeBasis: 'cbm' })).toBe(rp(388));
  });

  it('free days left counts today', () => {
    expect(freeDaysLeft('2026-11-30', '2026-11-30')).toBe(1);
    expect(freeDaysLeft('2026-11-30', '2026-11-01')).toBe(30);
    expect(freeDaysLeft('2026-11-30', '2026-12-02')).toBe(0);
  });
});
