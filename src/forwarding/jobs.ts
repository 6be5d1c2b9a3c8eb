import type { Kysely } from 'kysely';
import { systemActor, type Actor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { eachPaged } from '../lib/pages.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { loadForwardingSettings } from './settings.ts';
import { cancelShipment, lockShipment, settleShipment } from './shipments.ts';
import { runStorage } from './storage.ts';

export const STORAGE_JOB = 'forwarding.storage_daily';
export const SHIPMENTS_DUE_JOB = 'forwarding.shipments_due';

export { runStorage };

/**
 * Invoiced shipments: paid once the wallet covers what is due (after a top-up or the deposit
 * opened for it), as far as the importer agreed to it; cancelled when unpaid for
 * `invoice_payment_days` (the estimate back to the wallet, the parcels back to storage).
 */
export async function payDueShipments(db: Kysely<DB>, actor: Actor = systemActor, log: (msg: string, err: unknown) => void = () => {}): Promise<number> {
  const { invoicePaymentDays } = await loadForwardingSettings(db);
  let paid = 0;
  await eachPaged(
    (after, size) => db.selectFrom('shipments').select(['id', 'invoiced_at']).where('status', '=', 'invoiced').where('id', '>', after).orderBy('id').limit(size).execute(),
    async ({ id, invoiced_at }) => {
      const expired = invoiced_at !== null && invoiced_at.getTime() < Date.now() - invoicePaymentDays * 86_400_000;
      const done = await withLedgerRetry(db, async (tx) => {
        const s = await lockShipment(tx, id);
        if (s.status !== 'invoiced') return null;
        const settled = await settleShipment(tx, actor, s, { mustPay: false, byImporter: false });
        if (!settled && expired) await cancelShipment(tx, actor, id, `the invoice was not paid within ${invoicePaymentDays} days`);
        return settled;
      });
      if (done) paid++;
    },
    (row, err) => log(`shipment ${row.id} skipped`, err),
    200,
  );
  return paid;
}

export function registerForwardingJobs(registry: JobRegistry): void {
  registry.register(STORAGE_JOB, async (_payload, { db, logger }) => {
    const r = await runStorage(db, systemActor, new Date(), (msg, err) => logger.warn({ err: (err as Error).message }, msg));
    if (Object.values(r).some((n) => n > 0)) logger.info(r, 'storage run');
  });
  // Hourly: each run charges only days not charged yet, so the day's fee lands within the hour.
  registry.schedule({ name: 'storage-daily', jobName: STORAGE_JOB, intervalSeconds: 3600 });
  registry.register(SHIPMENTS_DUE_JOB, async (_payload, { db, logger }) => {
    const n = await payDueShipments(db, systemActor, (msg, err) => logger.warn({ err: (err as Error).message }, msg));
    if (n > 0) logger.info({ count: n }, 'invoiced shipments paid from topped-up wallets');
  });
  registry.schedule({ name: 'shipments-due', jobName: SHIPMENTS_DUE_JOB, intervalSeconds: 120 });
}

