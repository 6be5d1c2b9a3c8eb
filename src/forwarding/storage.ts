import { sql, type Kysely } from 'kysely';
import { recordAudit, systemActor, type Actor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { balanceOf, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, lockAccountsInOrder, withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { formatMoney } from '../money/format.ts';
import { notifyCustomer } from '../notify/customer.ts';
import { parcelLoad } from './freight.ts';
import { lockParcel, moveParcel } from './parcels.ts';
import { loadForwardingSettings, type ForwardingSettings } from './settings.ts';
import { eachPaged } from '../lib/pages.ts';
import { addDays, chinaDate, storageDue } from './storage-fees.ts';

export interface StorageRunResult {
  charged: number;
  owed: number;
  collected: number;
  warned: number;
  noticed: number;
  abandoned: number;
  failed: number;
}

type Outcome = 'charged' | 'owed' | 'collected' | null;

/**
 * One parcel's storage through `today`: the days due (and whatever it already owed) from the
 * wallet if it covers them, else the new days are added to what it owes (its shipment invoice
 * collects that, or a later run once the wallet has the money).
 */
export async function chargeStorage(db: Kysely<DB>, actor: Actor, parcelId: string, today: string, settings: ForwardingSettings): Promise<Outcome> {
  const parcel = await lockParcel(db, parcelId);
  if (parcel.status !== 'received' || !parcel.customer_id) return null;
  const due = storageDue(parcel, parcelLoad(parcel), today, settings);
  if (!due && parcel.storage_owed === 0n) return null;
  const wallet = await ensureCustomerWallet(db, parcel.customer_id, 'IDR');
  // Checked under the wallet's lock first: a refused posting would abort the transaction.
  await lockAccountsInOrder(db, [wallet.id, SYSTEM_ACCOUNTS.revenueStorage]);
  const amount = (due?.amount ?? 0n) + parcel.storage_owed;
  const covers = balanceOf(await getAccount(db, wallet.id)).available.minor >= amount;
  const through = due?.through ?? parcel.storage_charged_through;
  if (covers) {
    const days = due ? `${due.from}–${due.through} (${due.days} day(s) × ${formatMoney(due.perDay, 'IDR', 'en')})` : 'no new days';
    await createEntry(db, actor, {
      idempotencyKey: `storage:${parcel.id}:${due?.from ?? 'owed'}:${through}:${amount}`,
      reason: 'storage_fee',
      reference: { type: 'parcel', id: parcel.id },
      description: `Storage ${days}${parcel.storage_owed > 0n ? ` and ${formatMoney(parcel.storage_owed, 'IDR', 'en')} owed` : ''} for parcel ${parcel.tracking_number}`,
      postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.revenueStorage, amount: Money.of(amount, 'IDR') }],
    });
    await db.updateTable('parcels').set({ storage_charged_through: through, storage_charged: sql<bigint>`storage_charged + ${amount}`, storage_owed: 0n }).where('id', '=', parcel.id).execute();
  } else {
    await db.updateTable('parcels').set({ storage_charged_through: through, storage_owed: sql<bigint>`storage_owed + ${due?.amount ?? 0n}` }).where('id', '=', parcel.id).execute();
  }
  const outcome: Outcome = covers ? (due ? 'charged' : 'collected') : due ? 'owed' : null;
  if (outcome) await recordAudit(db, actor, { action: `forwarding.storage_${outcome}`, objectType: 'parcel', objectId: parcel.id, data: { from: due?.from ?? null, through, days: due?.days ?? 0, amount: (covers ? amount : (due?.amount ?? 0n)).toString(), owedBefore: parcel.storage_owed.toString() } });
  return outcome;
}

/**
 * The storage run (hourly; idempotent: each run charges only days not charged yet): storage
 * after the free period, a warning before it ends, a notice before abandonment and then
 * abandonment. One parcel that fails (e.g. a busy ledger) is logged and retried next run;
 * it never stops the others.
 */
export async function runStorage(db: Kysely<DB>, actor: Actor = systemActor, now = new Date(), log: (msg: string, err: unknown) => void = () => {}): Promise<StorageRunResult> {
  const settings = await loadForwardingSettings(db);
  const today = chinaDate(now);
  const result: StorageRunResult = { charged: 0, owed: 0, collected: 0, warned: 0, noticed: 0, abandoned: 0, failed: 0 };
  const pages = (query: (after: string) => Promise<{ id: string }[]>, work: (id: string) => Promise<void>) =>
    eachPaged(
      query,
      (row) => work(row.id),
      (row, err) => {
        result.failed++;
        log(`storage run: parcel ${row.id} skipped`, err);
      },
    );

  await pages(
    (after) =>
      db
        .selectFrom('parcels')
        .select('id')
        .where('status', '=', 'received')
        .where('id', '>', after)
        .where((eb) => eb.or([eb('storage_owed', '>', 0n), eb.and([eb('free_through', '<', today), eb.or([eb('storage_charged_through', 'is', null), eb('storage_charged_through', '<', today)])])]))
        .orderBy('id')
        .limit(500)
        .execute(),
    async (id) => {
      const outcome = await withLedgerRetry(db, (tx) => chargeStorage(tx, actor, id, today, settings));
      if (outcome) result[outcome]++;
    },
  );

  const warnBy = addDays(today, settings.freeStorageWarningDays);
  await pages(
    (after) => db.selectFrom('parcels').select('id').where('status', '=', 'received').where('free_warning_sent_at', 'is', null).where('free_through', '>=', today).where('free_through', '<=', warnBy).where('id', '>', after).orderBy('id').limit(500).execute(),
    (id) =>
      db.transaction().execute(async (tx) => {
        const p = await lockParcel(tx, id);
        if (p.free_warning_sent_at || !p.customer_id) return;
        await tx.updateTable('parcels').set({ free_warning_sent_at: now }).where('id', '=', id).execute();
        const fee = (lang: 'id' | 'en') => (settings.storageFeeBasis === 'parcel' ? formatMoney(settings.storageFeePerParcelDay, 'IDR', lang) : `${formatMoney(settings.storageFeePerCbmDay, 'IDR', lang)}/CBM`);
        await notifyCustomer(tx, {
          customerId: p.customer_id,
          kind: 'parcel.free_storage_ending',
          title: { id: `Gratis penyimpanan paket ${p.tracking_number} berakhir ${p.free_through}`, en: `Free storage for parcel ${p.tracking_number} ends ${p.free_through}` },
          body: {
            id: `Setelah ${p.free_through}, penyimpanan dikenai ${fee('id')} per hari dari dompet Anda. Kirim paket ini sebelum tanggal itu untuk menghindari biaya.`,
            en: `After ${p.free_through}, storage costs ${fee('en')} a day from your wallet. Ship this parcel before then to avoid the fee.`,
          },
          object: { type: 'parcel', id: p.id },
          dedupeKey: `parcel-free-ending:${p.id}`,
        });
        result.warned++;
      }),
  );

  // A notice first, at least `abandonNoticeDays` before; then, on its day, abandonment.
  const horizon = addDays(today, settings.abandonNoticeDays);
  await pages(
    (after) => db.selectFrom('parcels').select('id').where('status', 'in', ['received', 'unidentified']).where('abandon_after', '<=', horizon).where('id', '>', after).orderBy('id').limit(500).execute(),
    (id) =>
      db.transaction().execute(async (tx) => {
        const p = await lockParcel(tx, id);
        if (p.status !== 'received' && p.status !== 'unidentified') return;
        if (p.customer_id && !p.abandon_notice_sent_at) {
          // However late the notice comes (the limit was shortened, the job was down), it runs its full period.
          const at = p.abandon_after < horizon ? horizon : p.abandon_after;
          await tx.updateTable('parcels').set({ abandon_notice_sent_at: now, abandon_after: at }).where('id', '=', id).execute();
          await recordAudit(tx, actor, { action: 'forwarding.parcel_abandon_notice', objectType: 'parcel', objectId: id, data: { abandonAfter: at } });
          await notifyCustomer(tx, {
            customerId: p.customer_id,
            kind: 'parcel.abandon_notice',
            title: { id: `Paket ${p.tracking_number} akan dianggap ditinggalkan pada ${at}`, en: `Parcel ${p.tracking_number} will be abandoned on ${at}` },
            body: { id: `Kirim atau hubungi kami sebelum ${at}; setelah itu paket dianggap ditinggalkan.`, en: `Ship it or contact us before ${at}; after that the parcel is considered abandoned.` },
            object: { type: 'parcel', id: p.id },
            dedupeKey: `parcel-abandon-notice:${p.id}:${at}`,
          });
          result.noticed++;
          return;
        }
        if (p.abandon_after > today) return;
        await moveParcel(tx, actor, p, 'abandoned', `in storage since ${chinaDate(p.received_at)}, not shipped by ${p.abandon_after}`, { abandoned_at: now });
        if (p.customer_id) {
          await notifyCustomer(tx, {
            customerId: p.customer_id,
            kind: 'parcel.abandoned',
            title: { id: `Paket ${p.tracking_number} dianggap ditinggalkan`, en: `Parcel ${p.tracking_number} is now abandoned` },
            body: { id: `Paket ${p.tracking_number} tidak dikirim sampai ${p.abandon_after} dan kini dianggap ditinggalkan. Hubungi kami untuk memulihkannya.`, en: `Parcel ${p.tracking_number} was not shipped by ${p.abandon_after} and is now abandoned. Contact us to reinstate it.` },
            object: { type: 'parcel', id: p.id },
            dedupeKey: `parcel-abandoned:${p.id}:${p.abandon_after}`,
          });
        }
        result.abandoned++;
      }),
  );
  return result;
}
