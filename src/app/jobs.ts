import { sql } from 'kysely';
import { JobRegistry } from '../jobs/worker.ts';
import { registerLedgerJobs } from '../ledger/jobs.ts';
import { registerDemoRateJob } from '../fx/demo-rates.ts';
import { registerFundingJobs } from '../funding/jobs.ts';
import { registerPaymentJobs } from '../payments/jobs.ts';
import { registerForwardingJobs } from '../forwarding/jobs.ts';
import type { PayoutRail } from '../payments/rails.ts';
import { fetchAndRecordRates, FETCH_RATES_JOB, type RateFetcher } from '../fx/fetcher.ts';
import { SEND_MAIL_JOB, type Mailer, type MailMessage } from '../notify/mailer.ts';

export const CLEANUP_JOB = 'maintenance.cleanup';

/** Every module's jobs and schedules, registered in one place for server and worker alike. */
export function buildJobRegistry(deps: { mailer: Mailer; rails?: ReadonlyMap<string, PayoutRail>; rateFetcher?: RateFetcher; fxFeedIntervalMinutes?: number }): JobRegistry {
  const registry = new JobRegistry();

  registry.register(SEND_MAIL_JOB, async (payload) => {
    await deps.mailer.send(payload as unknown as MailMessage);
  });

  registry.register(CLEANUP_JOB, async (_payload, { db }) => {
    await sql`delete from sessions where expires_at < now() - interval '7 days' or revoked_at < now() - interval '7 days'`.execute(db);
    await sql`delete from idempotency_keys where expires_at < now()`.execute(db);
    await sql`delete from login_attempts where at < now() - interval '1 day'`.execute(db);
    await sql`delete from password_reset_tokens where expires_at < now() - interval '1 day'`.execute(db);
    await sql`delete from jobs where status = 'done' and completed_at < now() - interval '7 days'`.execute(db);
  });
  registry.schedule({ name: 'hourly-cleanup', jobName: CLEANUP_JOB, intervalSeconds: 3600 });

  registerLedgerJobs(registry);
  registerDemoRateJob(registry);
  registerFundingJobs(registry, { mailer: deps.mailer });
  registerPaymentJobs(registry, { rails: deps.rails ?? new Map() });
  registerForwardingJobs(registry);

  if (deps.rateFetcher) {
    const fetcher = deps.rateFetcher;
    registry.register(FETCH_RATES_JOB, async (_payload, { db, logger }) => {
      await fetchAndRecordRates(db, fetcher, logger);
    });
    registry.schedule({ name: 'fetch-rates', jobName: FETCH_RATES_JOB, intervalSeconds: (deps.fxFeedIntervalMinutes ?? 60) * 60 });
  }

  return registry;
}
