import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { systemActor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { parseDecimal } from '../money/rate.ts';
import { recordRates, type RateInput } from './pricing.ts';

/** A source of reference rates that can be polled (a market feed, a bank's API…). */
export interface RateFetcher {
  readonly name: string;
  fetchRates(): Promise<RateInput[]>;
}

/**
 * Reads a JSON feed of the shape
 * `{"source": "market", "rates": [{"pair": "CNY/IDR", "rate": "2301.5", "observedAt": "2026-11-23T08:00:00Z"}]}`.
 * Any other shape is an error (the job retries and, after its attempts, dead-letters).
 */
export class JsonFeedFetcher implements RateFetcher {
  readonly name = 'json-feed';

  constructor(private readonly url: string, private readonly timeoutMs = 10_000) {}

  async fetchRates(): Promise<RateInput[]> {
    const res = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`Rate feed answered HTTP ${res.status}`);
    const body = (await res.json()) as { source?: unknown; rates?: unknown };
    if (!Array.isArray(body.rates)) throw new Error('Rate feed: no "rates" array');
    const source = typeof body.source === 'string' ? body.source : 'feed';
    return body.rates.map((r: Record<string, unknown>, i: number) => {
      const [base, quote] = String(r.pair ?? '').split('/');
      const rate = String(r.rate ?? '');
      parseDecimal(rate);
      const observedAt = new Date(String(r.observedAt ?? ''));
      if (!base || !quote || Number.isNaN(observedAt.getTime())) throw new Error(`Rate feed: entry ${i} is incomplete`);
      return { base, quote, rate, source, observedAt };
    });
  }
}

export const FETCH_RATES_JOB = 'fx.fetch_rates';

export async function fetchAndRecordRates(db: Kysely<DB>, fetcher: RateFetcher, logger: Logger): Promise<{ inserted: number; skipped: number }> {
  const rates = await fetcher.fetchRates();
  const result = await db.transaction().execute((tx) => recordRates(tx, systemActor, rates, `fetcher:${fetcher.name}`));
  logger.info({ fetcher: fetcher.name, ...result }, 'reference rates fetched');
  return result;
}
