import { sql } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import { ORDER_DEPOSIT_PAID_JOB } from '../funding/deposits.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { JobRegistry } from '../jobs/worker.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { formatMoney } from '../money/format.ts';
import { SEND_MAIL_JOB } from '../notify/mailer.ts';
import { notifyInApp } from '../notify/in-app.ts';
import { fundFromPaidDeposit, ORDER_EVENT_JOB, releaseInstallment, releaseStaleOrderDeposits } from './orders.ts';
import { pollRailPayout, RAIL_POLL_JOB, RAIL_SUBMIT_JOB, submitRailPayout } from './payouts.ts';
import type { PayoutRail } from './rails.ts';

export const ESCROW_RELEASE_JOB = 'payments.escrow_auto_release';
export const STALE_DEPOSITS_JOB = 'payments.stale_order_deposits';

/** What the importer is told, per status an order reaches. Other transitions send nothing. */
const ORDER_MAIL: Partial<Record<string, { id: string; en: string }>> = {
  queued: { id: 'Dana diterima; pembayaran ke pemasok sedang diproses', en: 'Funded; the payment to the supplier is being processed' },
  held: { id: 'Dana ditahan (escrow) sampai Anda melepasnya', en: 'Funds held (escrow) until you release them' },
  paid: { id: 'Pemasok sudah dibayar', en: 'The supplier has been paid' },
  cancelled: { id: 'Pesanan dibatalkan; dana kembali ke dompet', en: 'Order cancelled; the money is back in your wallet' },
  refunded: { id: 'Dana dikembalikan ke dompet Anda', en: 'The money was refunded to your wallet' },
  draft: { id: 'Transfer terlambat: dana ada di dompet, minta kurs baru', en: 'Transfer arrived late: the money is in your wallet, request a new quote' },
};

export function registerPaymentJobs(registry: JobRegistry, deps: { rails: ReadonlyMap<string, PayoutRail> }): void {
  registry.register(RAIL_SUBMIT_JOB, async (payload, { db }) => {
    await submitRailPayout(db, deps.rails, String(payload.payoutId));
  });
  registry.register(RAIL_POLL_JOB, async (payload, { db }) => {
    await withLedgerRetry(db, (tx) => pollRailPayout(tx, deps.rails, String(payload.payoutId)));
  });

  // A paid deposit funds the order, or every order of a batch, that waits for it.
  registry.register(ORDER_DEPOSIT_PAID_JOB, async (payload, { db }) => {
    const depositId = String(payload.depositId);
    const orders = await db.selectFrom('payment_orders').select('id').where('deposit_id', '=', depositId).where('status', '=', 'awaiting_funds').orderBy('id').execute();
    await withLedgerRetry(db, async (tx) => {
      for (const o of orders) await fundFromPaidDeposit(tx, systemActor, o.id, depositId);
    });
  });

  registry.register(ORDER_EVENT_JOB, async (payload, { db }) => {
    const to = String(payload.to);
    const text = ORDER_MAIL[to];
    // "queued" after "held" is a release; after "funded" it is the first news.
    if (!text || (to === 'queued' && payload.from !== 'funded' && payload.from !== 'held')) return;
    const order = await db.selectFrom('payment_orders').selectAll().where('id', '=', String(payload.orderId)).executeTakeFirst();
    if (!order) return;
    await notifyInApp(db, { customerId: order.customer_id, kind: `order.${to}`, title: { id: `${order.id}: ${text.id}`, en: `${order.id}: ${text.en}` }, object: { type: 'payment_order', id: order.id }, dedupeKey: `order-event:${order.id}:${payload.from}:${to}:${order.updated_at.toISOString()}` });
    const users = await db.selectFrom('users').select(['email', 'locale']).where('customer_id', '=', order.customer_id).where('status', '=', 'active').execute();
    for (const u of users) {
      const subject = `${order.id}: ${text[u.locale]}`;
      const amount = formatMoney(order.cny_amount, 'CNY', u.locale);
      const body = u.locale === 'id' ? `Pesanan pembayaran ${order.id} (${amount}): ${text.id}.` : `Payment order ${order.id} (${amount}): ${text.en}.`;
      await enqueueJob(db, SEND_MAIL_JOB, { to: u.email, subject, text: body }, { dedupeKey: `order-event:${order.id}:${payload.from}:${to}:${u.email}:${order.updated_at.toISOString()}` });
    }
  });

  // Escrow ends by itself after the configured days without a dispute.
  registry.register(ESCROW_RELEASE_JOB, async (_payload, { db, logger }) => {
    const due = await db
      .selectFrom('payment_orders')
      .select('id')
      .where('mode', '=', 'escrow')
      .where('status', '=', 'held')
      .where('escrow_release_at', '<=', sql<Date>`now()`)
      .limit(100)
      .execute();
    for (const { id } of due) {
      // One order that cannot be released (changed meanwhile) must not stop the others.
      await withLedgerRetry(db, (tx) => releaseInstallment(tx, systemActor, id, 'escrow period ended without a dispute')).catch((err: unknown) => logger.warn({ orderId: id, err: (err as Error).message }, 'escrow release skipped'));
    }
    if (due.length > 0) logger.info({ count: due.length }, 'escrow released');
  });
  registry.schedule({ name: 'escrow-auto-release', jobName: ESCROW_RELEASE_JOB, intervalSeconds: 600 });

  registry.register(STALE_DEPOSITS_JOB, async (_payload, { db, logger }) => {
    const n = await withLedgerRetry(db, (tx) => releaseStaleOrderDeposits(tx, systemActor));
    if (n > 0) logger.info({ count: n }, 'orders back to draft after their deposit closed unpaid');
  });
  registry.schedule({ name: 'order-deposits-sweep', jobName: STALE_DEPOSITS_JOB, intervalSeconds: 300 });
}
