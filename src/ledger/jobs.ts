import { sql } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { voidHold } from './entries.ts';

export const EXPIRE_HOLDS_JOB = 'ledger.expire_holds';

/** Voids holds whose expiry has passed, in batches, every minute. */
export function registerLedgerJobs(registry: JobRegistry): void {
  registry.register(EXPIRE_HOLDS_JOB, async (_payload, { db, logger }) => {
    for (;;) {
      const { rows } = await sql<{ id: string }>`
        select e.id from journal_entries e
        where e.kind = 'pending' and e.expires_at <= now()
          and not exists (select 1 from journal_entries r where r.pending_id = e.id)
        order by e.expires_at limit 100`.execute(db);
      for (const { id } of rows) {
        // The key makes a second worker (or a retry) a no-op instead of a double void.
        await voidHold(db, systemActor, { idempotencyKey: `hold-expiry:${id}`, holdId: id, reason: 'hold_expired' }).catch((err: unknown) => {
          if ((err as { code?: string }).code !== 'hold_already_resolved') throw err;
        });
      }
      if (rows.length > 0) logger.info({ count: rows.length }, 'expired holds voided');
      if (rows.length < 100) return;
    }
  });
  registry.schedule({ name: 'expire-holds', jobName: EXPIRE_HOLDS_JOB, intervalSeconds: 60 });
}
