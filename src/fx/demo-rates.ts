import type { Kysely } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { Dec } from '../money/rate.ts';
import { recordRates, type RateInput } from './pricing.ts';

/**
 * Demo installations have no market feed. So that the demo keeps quoting after the first
 * day, it records a plausible rate (source `demo`, never confused with a real one) every
 * hour, but only while the `demo_rates` setting that the demo seed writes is on.
 */
export const DEMO_RATES_JOB = 'fx.demo_rates';

const CENTRE = { 'CNY/IDR': new Dec('2285'), 'USD/IDR': new Dec('16290') };

/** A deterministic wiggle around the centre, so every run of the demo shows the same chart. */
function demoRate(pair: keyof typeof CENTRE, at: Date): string {
  const hours = Math.floor(at.getTime() / 3_600_000);
  const wave = Math.sin(hours / 97) * 0.012 + Math.sin(hours / 23) * 0.004;
  return CENTRE[pair].mul(new Dec(1).add(new Dec(wave.toFixed(6)))).toDecimalPlaces(pair === 'CNY/IDR' ? 2 : 0).toFixed();
}

function ratesAt(at: Date): RateInput[] {
  const cnyIdr = demoRate('CNY/IDR', at);
  const usdIdr = demoRate('USD/IDR', at);
  return [
    { base: 'CNY', quote: 'IDR', rate: cnyIdr, source: 'demo', observedAt: at },
    { base: 'USD', quote: 'IDR', rate: usdIdr, source: 'demo', observedAt: at },
    { base: 'CNY', quote: 'USD', rate: new Dec(cnyIdr).div(usdIdr).toDecimalPlaces(6).toFixed(), source: 'demo', observedAt: at },
  ];
}

/** 90 days of daily history plus the current hour. */
export async function seedDemoRates(db: Kysely<DB>, now = new Date()): Promise<void> {
  const inputs: RateInput[] = [];
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  for (let d = 90; d >= 1; d--) inputs.push(...ratesAt(new Date(hour.getTime() - d * 86_400_000)));
  inputs.push(...ratesAt(hour));
  await recordRates(db, systemActor, inputs, 'demo-seed');
  await db.insertInto('pricing_settings').values({ key: 'demo_rates', value: 'true' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: 'true' })).execute();
}

export function registerDemoRateJob(registry: JobRegistry): void {
  registry.register(DEMO_RATES_JOB, async (_payload, { db }) => {
    const flag = await db.selectFrom('pricing_settings').select('value').where('key', '=', 'demo_rates').executeTakeFirst();
    if (flag?.value !== true) return;
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await db.transaction().execute((tx) => recordRates(tx, systemActor, ratesAt(hour), 'demo-job'));
  });
  registry.schedule({ name: 'demo-rates', jobName: DEMO_RATES_JOB, intervalSeconds: 3600 });
}

