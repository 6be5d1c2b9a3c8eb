import { sql, type Kysely } from 'kysely';
import { recordAudit, systemActor, type Actor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { balanceOf, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, lockAccountsInOrder, withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { formatMoney } from '../money/format.ts';
import { notifyCustomer } from '../notify/customer.ts';
import { parcelLoad } from './freight.ts';
import { lockParcel, moveParcel } from './parcels.ts';
import { loadForwardingSettings } from './settings.ts';
import { lockShipment, settleShipment } from './shipments.ts';
import { addDays, chinaDate, daysBetween, storageDue } from './storage-fees.ts';

export const STORAGE_JOB = 'forwarding.storage_daily';
export const SHIPMENTS_DUE_JOB = 'forwarding.shipments_due';

export interface StorageRunResult {
  charged: number;
  owed: number;
  warned: number;
  noticed: number;
  abandoned: number;
}

/**
 * The daily storage run (idempotent: safe to run any number of times a day): charges every
 * day past the free period not charged yet to the wallet, or records it as owed when the
 * wallet cannot pay (the shipment invoice collects it); warns before the free period ends;
 * gives notice before abandoning, then abandons.
 */
export async function runStorage(db: Kysely<DB>, actor: Actor = systemActor, now = new Date()): Promise<StorageRunResult> {
  const settings = await loadForwardingSettings(db);
  const today = chinaDate(now);
  const result: StorageRunResult = { charged: 0, owed: 0, warned: 0, noticed: 0, abandoned: 0 };

  const due = await db
    .selectFrom('parcels')
    .select('id')
    .where('status', '=', 'received')
    .where('free_through', '<', today)
    .where((eb) => eb.or([eb('storage_charged_through', 'is', null), eb('storage_charged_through', '<', today)]))
    .orderBy('id')
    .execute();
  for (const { id } of due) {
    const outcome = await withLedgerRetry(db, (tx) => chargeStorage(tx, actor, id, today));
    if (outcome) result[outcome]++;
  }

  const warnBy = addDays(today, settings.freeStorageWarningDays);
  const warn = await db.selectFrom('parcels').selectAll().where('status', '=', 'received').where('free_warning_sent_at', 'is', null).where('free_through', '>=', today).where('free_through', '<=', warnBy).execute();
  for (const p of warn) {
    await db.transaction().execute(async (tx) => {
      const claimed = await tx.updateTable('parcels').set({ free_warning_sent_at: now }).where('id', '=', p.id).where('free_warning_sent_at', 'is', null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return;
      const perDay = settings.storageFeeBasis === 'parcel' ? formatMoney(settings.storageFeePerParcelDay, 'IDR', 'id') : `${formatMoney(settings.storageFeePerCbmDay, 'IDR', 'id')}/CBM`;
      const perDayEn = settings.storageFeeBasis === 'parcel' ? formatMoney(settings.storageFeePerParcelDay, 'IDR', 'en') : `${formatMoney(settings.storageFeePerCbmDay, 'IDR', 'en')}/CBM`;
      await notifyCustomer(tx, {
        customerId: p.customer_id!,
        kind: 'parcel.free_storage_ending',
        title: { id: `Gratis penyimpanan paket ${p.tracking_number} berakhir ${p.free_through}`, en: `Free storage for parcel ${p.tracking_number} ends ${p.free_through}` },
        body: {
          id: `Setelah ${p.free_through}, penyimpanan dikenai ${perDay} per hari dari dompet Anda. Kirim paket ini sebelum tanggal itu untuk menghindari biaya.`,
          en: `After ${p.free_through}, storage costs ${perDayEn} a day from your wallet. Ship this parcel before then to avoid the fee.`,
        },
        object: { type: 'parcel', id: p.id },
        dedupeKey: `parcel-free-ending:${p.id}`,
      });
      result.warned++;
    });
  }

  // Abandonment counts from the day of receipt; unidentified parcels too (nobody to notify).
  const abandonDate = (receivedAt: Date) => addDays(chinaDate(receivedAt), settings.abandonAfterDays);
  const stored = await db.selectFrom('parcels').selectAll().where('status', 'in', ['received', 'unidentified']).where('received_at', '<=', new Date(now.getTime() - (settings.abandonAfterDays - settings.abandonNoticeDays) * 86_400_000 + 86_400_000)).execute();
  for (const p of stored) {
    const at = abandonDate(p.received_at);
    const daysLeft = daysBetween(today, at);
    if (daysLeft <= 0) {
      await db.transaction().execute(async (tx) => {
        const locked = await lockParcel(tx, p.id);
        if (locked.status !== 'received' && locked.status !== 'unidentified') return;
        await moveParcel(tx, actor, locked, 'abandoned', `in storage ${settings.abandonAfterDays} days since ${chinaDate(p.received_at)}`, { abandoned_at: now });
        if (locked.customer_id) {
          await notifyCustomer(tx, {
            customerId: locked.customer_id,
            kind: 'parcel.abandoned',
            title: { id: `Paket ${p.tracking_number} dianggap ditinggalkan`, en: `Parcel ${p.tracking_number} is now abandoned` },
            body: { id: `Paket ${p.tracking_number} disimpan ${settings.abandonAfterDays} hari dan kini dianggap ditinggalkan. Hubungi kami untuk memulihkannya.`, en: `Parcel ${p.tracking_number} was stored ${settings.abandonAfterDays} days and is now abandoned. Contact us to reinstate it.` },
            object: { type: 'parcel', id: p.id },
            dedupeKey: `parcel-abandoned:${p.id}`,
          });
        }
        result.abandoned++;
      });
    } else if (daysLeft <= settings.abandonNoticeDays && !p.abandon_notice_sent_at && p.customer_id) {
      await db.transaction().execute(async (tx) => {
        const claimed = await tx.updateTable('parcels').set({ abandon_notice_sent_at: now }).where('id', '=', p.id).where('abandon_notice_sent_at', 'is', null).executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) return;
        await notifyCustomer(tx, {
          customerId: p.customer_id!,
          kind: 'parcel.abandon_notice',
          title: { id: `Paket ${p.tracking_number} akan dianggap ditinggalkan pada ${at}`, en: `Parcel ${p.tracking_number} will be abandoned on ${at}` },
          body: { id: `Kirim atau hubungi kami sebelum ${at}; setelah itu paket dianggap ditinggalkan.`, en: `Ship it or contact us before ${at}; after that the parcel is considered abandoned.` },
          object: { type: 'parcel', id: p.id },
          dedupeKey: `parcel-abandon-notice:${p.id}`,
        });
        result.noticed++;
      });
    }
  }
  return result;
}

/** One parcel's storage through `today`: from the wallet if it covers it, else owed. */
export async function chargeStorage(db: Kysely<DB>, actor: Actor, parcelId: string, today: string): Promise<'charged' | 'owed' | null> {
  const parcel = await lockParcel(db, parcelId);
  if (parcel.status !== 'received' || !parcel.customer_id) return null;
  const settings = await loadForwardingSettings(db);
  const due = storageDue(parcel, parcelLoad(parcel), today, settings);
  if (!due) return null;
  const wallet = await ensureCustomerWallet(db, parcel.customer_id, 'IDR');
  // Checked under the wallet's lock first: a refused posting would abort the transaction.
  await lockAccountsInOrder(db, [wallet.id, SYSTEM_ACCOUNTS.revenueStorage]);
  const covers = balanceOf(await getAccount(db, wallet.id)).available.minor >= due.amount;
  if (covers) {
    await createEntry(db, actor, {
      idempotencyKey: `storage:${parcel.id}:${due.from}:${due.through}`,
      reason: 'storage_fee',
      reference: { type: 'parcel', id: parcel.id },
      description: `Storage ${due.from}–${due.through} (${due.days} day(s) × ${formatMoney(due.perDay, 'IDR', 'en')}) for parcel ${parcel.tracking_number}`,
      postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.revenueStorage, amount: Money.of(due.amount, 'IDR') }],
    });
  }
  await db
    .updateTable('parcels')
    .set(covers ? { storage_charged_through: due.through, storage_charged: sql<bigint>`storage_charged + ${due.amount}` } : { storage_charged_through: due.through, storage_owed: sql<bigint>`storage_owed + ${due.amount}` })
    .where('id', '=', parcel.id)
    .execute();
  await recordAudit(db, actor, { action: covers ? 'forwarding.storage_charged' : 'forwarding.storage_owed', objectType: 'parcel', objectId: parcel.id, data: { from: due.from, through: due.through, days: due.days, amount: due.amount.toString() } });
  return covers ? 'charged' : 'owed';
}

/** Invoiced shipments whose wallet now covers the difference (e.g. after a top-up) are paid. */
export async function payDueShipments(db: Kysely<DB>, actor: Actor = systemActor): Promise<number> {
  const waiting = await db.selectFrom('shipments').select('id').where('status', '=', 'invoiced').orderBy('id').limit(200).execute();
  let paid = 0;
  for (const { id } of waiting) {
    const done = await withLedgerRetry(db, async (tx) => {
      const s = await lockShipment(tx, id);
      return s.status === 'invoiced' ? settleShipment(tx, actor, s, { mustPay: false }) : null;
    });
    if (done) paid++;
  }
  return paid;
}

export function registerForwardingJobs(registry: JobRegistry): void {
  registry.register(STORAGE_JOB, async (_payload, { db, logger }) => {
    const r = await runStorage(db);
    if (r.charged + r.owed + r.warned + r.noticed + r.abandoned > 0) logger.info(r, 'storage run');
  });
  // Hourly: each run charges only days not charged yet, so the day's fee lands within the hour.
  registry.schedule({ name: 'storage-daily', jobName: STORAGE_JOB, intervalSeconds: 3600 });
  registry.register(SHIPMENTS_DUE_JOB, async (_payload, { db, logger }) => {
    const n = await payDueShipments(db);
    if (n > 0) logger.info({ count: n }, 'invoiced shipments paid from topped-up wallets');
  });
  registry.schedule({ name: 'shipments-due', jobName: SHIPMENTS_DUE_JOB, intervalSeconds: 120 });
}
