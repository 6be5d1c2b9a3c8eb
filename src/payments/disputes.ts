import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, DisputesTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { voidHold } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { notifyCustomer } from '../notify/customer.ts';
import { installmentsOf, lockOrder, moveOrder, splitQuoteLines, syncOrderStatus, type PaymentOrder } from './orders.ts';

export type Dispute = Selectable<DisputesTable>;

/**
 * The importer disputes an escrow payment (goods not as ordered, not shipped): the money
 * stays held, staff talk it through with both sides and decide.
 */
export async function openDispute(db: Kysely<DB>, actor: Actor, orderId: string, input: { reason: string; documentId?: string | undefined }): Promise<Dispute> {
  const order = await lockOrder(db, orderId);
  if (order.status !== 'held') throw new AppError('invalid_state', 'Only money still held (escrow or a later installment) can be disputed.');
  const dispute = await db.insertInto('disputes').values({ id: newId('dispute'), order_id: orderId, opened_by: actor.id!, reason: input.reason }).returningAll().executeTakeFirstOrThrow();
  await db
    .insertInto('dispute_messages')
    .values({ id: newId('disputeMessage'), dispute_id: dispute.id, author_type: 'importer', author_id: actor.id!, body: input.reason, document_id: input.documentId ?? null })
    .execute();
  await moveOrder(db, actor, order, 'disputed', input.reason);
  return dispute;
}

export async function addDisputeMessage(db: Kysely<DB>, actor: Actor, disputeId: string, author: 'importer' | 'staff', input: { body: string; documentId?: string | undefined }) {
  const dispute = await db.selectFrom('disputes').selectAll().where('id', '=', disputeId).executeTakeFirst();
  if (!dispute) throw new AppError('not_found');
  if (dispute.status !== 'open') throw new AppError('invalid_state', 'The dispute is resolved.');
  const row = await db
    .insertInto('dispute_messages')
    .values({ id: newId('disputeMessage'), dispute_id: disputeId, author_type: author, author_id: actor.id!, body: input.body, document_id: input.documentId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.dispute_message', objectType: 'payment_order', objectId: dispute.order_id, data: { dispute: disputeId, author } });
  if (author === 'staff') {
    const order = await db.selectFrom('payment_orders').select('customer_id').where('id', '=', dispute.order_id).executeTakeFirstOrThrow();
    await notifyCustomer(db, {
      customerId: order.customer_id,
      kind: 'dispute.message',
      title: { id: `Balasan baru pada sengketa pesanan ${dispute.order_id}`, en: `New reply in the dispute on order ${dispute.order_id}` },
      body: { id: input.body, en: input.body },
      object: { type: 'payment_order', id: dispute.order_id },
      dedupeKey: `dispute-message:${row.id}`,
    });
  }
  return row;
}

export type Resolution = { resolution: 'release'; note: string } | { resolution: 'refund'; note: string } | { resolution: 'partial_refund'; refund: Money; note: string };

/**
 * Staff end the dispute: release (the supplier is paid in full), refund (everything held
 * back to the wallet), or a partial refund (the supplier is paid the rest; the rupiah of
 * the refunded yuan — its share of cost, spread and fee — go back to the wallet when the
 * payout posts only part of the hold).
 */
export async function resolveDispute(db: Kysely<DB>, actor: Actor, disputeId: string, input: Resolution): Promise<{ dispute: Dispute; order: PaymentOrder }> {
  const dispute = await db.selectFrom('disputes').selectAll().where('id', '=', disputeId).forUpdate().executeTakeFirst();
  if (!dispute) throw new AppError('not_found');
  if (dispute.status !== 'open') throw new AppError('invalid_state', 'The dispute is already resolved.');
  const order = await lockOrder(db, dispute.order_id);
  const installments = await installmentsOf(db, order.id);
  const held = installments.filter((i) => i.status === 'held');
  if (held.length === 0) throw new AppError('invalid_state', 'Nothing is held on this order.');
  let refundCny: bigint | null = null;
  if (input.resolution === 'refund') {
    for (const inst of held) {
      await voidHold(db, actor, { idempotencyKey: `order:${order.id}:installment:${inst.seq}:void`, holdId: inst.hold_entry_id!, reason: 'dispute_refund' });
      await db.updateTable('order_installments').set({ status: 'refunded' }).where('id', '=', inst.id).execute();
    }
  } else {
    if (input.resolution === 'partial_refund') {
      // The refund comes off the first held part; it must leave something to pay.
      const inst = held[0]!;
      refundCny = input.refund.minor;
      if (input.refund.currency !== 'CNY' || refundCny <= 0n || refundCny >= inst.cny_amount) {
        throw new AppError('validation_failed', `A partial refund is between ¥0.01 and less than the held ${Money.of(inst.cny_amount, 'CNY').toDecimalString()} CNY; refund everything instead.`);
      }
      const lines = Object.entries(inst.idr_lines ?? {}).map(([code, v]) => ({ code, amount: BigInt(v) }));
      const [refunded, paid] = splitQuoteLines(lines, [refundCny, inst.cny_amount - refundCny]);
      // The refund is whole rupiah, rounded down: the sen of the split stay with the paid part.
      const sen = Object.values(refunded!).reduce((a, b) => a + b, 0n) % 100n;
      if (sen > 0n) paid!.rounding = (paid!.rounding ?? 0n) + sen;
      const idr = Object.values(paid!).reduce((a, b) => a + b, 0n);
      await db
        .updateTable('order_installments')
        .set({ cny_amount: inst.cny_amount - refundCny, idr_amount: idr, idr_lines: JSON.stringify(Object.fromEntries(Object.entries(paid!).map(([k, v]) => [k, v.toString()]))) })
        .where('id', '=', inst.id)
        .execute();
    }
    for (const inst of held) {
      await db.updateTable('order_installments').set({ status: 'queued', queued_at: new Date() }).where('id', '=', inst.id).execute();
    }
  }
  const row = await db
    .updateTable('disputes')
    .set({ status: 'resolved', resolution: input.resolution, refund_cny: refundCny, resolution_note: input.note, resolved_by: actor.id, resolved_at: sql<Date>`now()` })
    .where('id', '=', disputeId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.dispute_resolved', objectType: 'payment_order', objectId: order.id, data: { dispute: disputeId, resolution: input.resolution, refundCny: refundCny?.toString() ?? null, note: input.note } });
  const next = await syncOrderStatus(db, actor, order.id, `dispute ${input.resolution}: ${input.note}`);
  const outcome = {
    release: { id: 'dana dilepas ke pemasok', en: 'the money is released to the supplier' },
    refund: { id: 'seluruh dana dikembalikan ke dompet Anda', en: 'all the money is refunded to your wallet' },
    partial_refund: { id: `sebagian dikembalikan (¥${Money.of(refundCny ?? 0n, 'CNY').toDecimalString()}), sisanya dibayarkan ke pemasok`, en: `partly refunded (¥${Money.of(refundCny ?? 0n, 'CNY').toDecimalString()}), the rest is paid to the supplier` },
  }[input.resolution];
  await notifyCustomer(db, {
    customerId: order.customer_id,
    kind: 'dispute.resolved',
    title: { id: `Sengketa pesanan ${order.id} diputuskan: ${outcome.id}`, en: `Dispute on order ${order.id} decided: ${outcome.en}` },
    body: { id: `Keputusan: ${outcome.id}. Catatan: ${input.note}`, en: `Decision: ${outcome.en}. Note: ${input.note}` },
    object: { type: 'payment_order', id: order.id },
    dedupeKey: `dispute-resolved:${disputeId}`,
  });
  return { dispute: row, order: next };
}

/** An order's disputes with their threads; importers see who wrote by kind, not staff ids. */
export async function disputesOf(db: Kysely<DB>, orderId: string, forStaff = false) {
  const disputes = await db.selectFrom('disputes').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
  const messages = disputes.length
    ? await db
        .selectFrom('dispute_messages as m')
        .leftJoin('documents as d', 'd.id', 'm.document_id')
        .select(['m.id', 'm.dispute_id', 'm.author_type', 'm.author_id', 'm.body', 'm.document_id', 'm.created_at', 'd.file_name', 'd.content_type'])
        .where('m.dispute_id', 'in', disputes.map((d) => d.id))
        .orderBy('m.created_at')
        .orderBy('m.id')
        .execute()
    : [];
  return disputes.map((d) => ({
    id: d.id,
    status: d.status,
    reason: d.reason,
    resolution: d.resolution,
    refund: d.refund_cny === null ? null : Money.of(d.refund_cny, 'CNY'),
    resolutionNote: d.resolution_note,
    resolvedAt: d.resolved_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
    messages: messages
      .filter((m) => m.dispute_id === d.id)
      .map((m) => ({
        id: m.id,
        author: m.author_type,
        ...(forStaff || m.author_type !== 'staff' ? { authorId: m.author_id } : {}),
        body: m.body,
        documentId: m.document_id,
        document: m.document_id ? { id: m.document_id, fileName: m.file_name, contentType: m.content_type } : null,
        at: m.created_at.toISOString(),
      })),
  }));
}
