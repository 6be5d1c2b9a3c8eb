import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, InstallmentStatus, OrderInstallmentsTable, OrderMode, OrderStatus, PaymentOrdersTable } from '../db/schema.ts';
import { cancelDeposit, createDepositIntent } from '../funding/deposits.ts';
import { useQuote, type QuoteView } from '../fx/quotes.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { balanceOf, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createHold, lockAccountsInOrder, voidHold } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { assessPayee, recordFlags } from '../risk/payee-checks.ts';
import { getPayee, getSupplier } from './payees.ts';
import { loadPaymentsSettings } from './settings.ts';

export type PaymentOrder = Selectable<PaymentOrdersTable>;
export type Installment = Selectable<OrderInstallmentsTable>;

export const ORDER_EVENT_JOB = 'payments.order_event';

/**
 * The order's state machine: only these transitions exist. Every one is written to
 * `payment_order_transitions` (who, when, from, to, why) and the audit log.
 */
export const ORDER_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: ['awaiting_funds', 'funded', 'cancelled'],
  awaiting_funds: ['funded', 'draft', 'cancelled'],
  funded: ['queued', 'held'],
  held: ['queued', 'cancelled', 'refunded', 'disputed'],
  queued: ['in_payout', 'held', 'cancelled', 'refunded'],
  in_payout: ['paid', 'queued', 'held', 'refunded', 'failed'],
  failed: ['queued', 'refunded'],
  paid: ['completed'],
  disputed: ['queued', 'refunded', 'paid'],
  completed: [],
  cancelled: [],
  refunded: [],
};

export async function moveOrder(db: Kysely<DB>, actor: Actor, order: PaymentOrder, to: OrderStatus, reason: string | null, extra: Partial<PaymentOrder> = {}): Promise<PaymentOrder> {
  if (order.status === to) return order;
  if (!ORDER_TRANSITIONS[order.status].includes(to)) throw new AppError('invalid_state', `A payment order cannot go from ${order.status} to ${to}.`);
  const row = await db
    .updateTable('payment_orders')
    .set({ ...(extra as object), status: to, updated_at: sql<Date>`now()` })
    .where('id', '=', order.id)
    .where('status', '=', order.status)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'The order changed meanwhile; please retry.');
  await db
    .insertInto('payment_order_transitions')
    .values({ id: newId('orderTransition'), order_id: order.id, from_status: order.status, to_status: to, actor_type: actor.type, actor_id: actor.id, reason })
    .execute();
  await recordAudit(db, actor, { action: 'payments.order_status_changed', objectType: 'payment_order', objectId: order.id, data: { from: order.status, to, reason } });
  await enqueueJob(db, ORDER_EVENT_JOB, { orderId: order.id, from: order.status, to });
  // Informational flags (a first payment) need no decision: they close with the order.
  if (['paid', 'completed', 'cancelled', 'refunded'].includes(to)) {
    await db.updateTable('risk_flags').set({ status: 'cleared', decision_note: `closed with the order (${to})`, decided_at: sql<Date>`now()` }).where('order_id', '=', order.id).where('severity', '=', 'info').where('status', '=', 'open').execute();
  }
  return row;
}

/** What the installments say the order is, once they have moved. */
export function statusFromInstallments(installments: Pick<Installment, 'status'>[]): OrderStatus | null {
  const has = (s: InstallmentStatus) => installments.some((i) => i.status === s);
  if (has('in_payout') || has('awaiting_approval')) return 'in_payout';
  if (has('queued')) return 'queued';
  if (has('held')) return 'held';
  if (installments.every((i) => i.status === 'paid' || i.status === 'refunded') && has('paid')) return 'paid';
  if (installments.every((i) => i.status === 'refunded')) return 'refunded';
  return null;
}

export async function syncOrderStatus(db: Kysely<DB>, actor: Actor, orderId: string, reason: string | null): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  const installments = await db.selectFrom('order_installments').select('status').where('order_id', '=', orderId).execute();
  const next = statusFromInstallments(installments);
  if (!next || next === order.status) return order;
  // A paid installment with a later one still held passes through "held" (installments mode).
  return moveOrder(db, actor, order, next, reason, next === 'paid' ? { paid_at: new Date() } : {});
}

export async function lockOrder(db: Kysely<DB>, id: string): Promise<PaymentOrder> {
  assertInTransaction(db, 'a payment order step');
  const o = await db.selectFrom('payment_orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!o) throw new AppError('not_found', `No payment order ${id}.`);
  return o;
}

export async function getOrder(db: Kysely<DB>, id: string): Promise<PaymentOrder> {
  const o = await db.selectFrom('payment_orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!o) throw new AppError('not_found', `No payment order ${id}.`);
  return o;
}

/** Splits yuan by percentages: each part rounded down to the fen, the last takes the rest. */
export function splitByPercent(total: bigint, percents: number[]): bigint[] {
  const parts = percents.map((p) => (total * BigInt(Math.round(p * 100))) / 10_000n);
  // (the last part takes the rest, so the parts always add up to the total)
  parts[parts.length - 1] = total - parts.slice(0, -1).reduce((a, b) => a + b, 0n);
  return parts;
}

/**
 * Splits each line of the quote (reference cost, spread, fee, rounding) over the parts in
 * proportion to their yuan, rounded down, the last part taking the rest: the parts of a line
 * add up to the line exactly, and a part's rupiah are the sum of its lines.
 */
export function splitQuoteLines(lines: { code: string; amount: bigint }[], cnyParts: bigint[]): Record<string, bigint>[] {
  const cnyTotal = cnyParts.reduce((a, b) => a + b, 0n);
  const result = cnyParts.map(() => ({}) as Record<string, bigint>);
  for (const line of lines) {
    if (line.amount < 0n) throw new AppError('internal_error', `Quote line ${line.code} is negative.`);
    let given = 0n;
    cnyParts.forEach((c, i) => {
      const share = i === cnyParts.length - 1 ? line.amount - given : (line.amount * c) / cnyTotal;
      given += share;
      result[i]![line.code] = (result[i]![line.code] ?? 0n) + share;
    });
  }
  return result;
}

export interface CreateOrderInput {
  supplierId: string;
  payeeId: string;
  orderNumbers: string[];
  cny: Money;
  noteToSupplier?: string | undefined;
  mode: OrderMode;
  /** Installments mode: the parts in percent (default 30/70). */
  installments?: number[] | undefined;
  invoiceDocumentId?: string | undefined;
}

export async function createPaymentOrder(db: Kysely<DB>, actor: Actor, customerId: string, input: CreateOrderInput): Promise<PaymentOrder> {
  assertInTransaction(db, 'createPaymentOrder');
  if (input.cny.currency !== 'CNY') throw new AppError('currency_mismatch', 'A payment order is in yuan (CNY).');
  if (!input.cny.isPositive()) throw new AppError('validation_failed', 'The amount must be positive.');
  await assertCustomerActive(db, customerId);
  const supplier = await getSupplier(db, input.supplierId);
  const payee = await getPayee(db, input.payeeId);
  if (supplier.customer_id !== customerId || payee.customer_id !== customerId) throw new AppError('not_found', 'No such supplier or payee.');
  if (payee.supplier_id !== supplier.id) throw new AppError('validation_failed', 'This payee does not belong to that supplier.');
  if (payee.status !== 'active') throw new AppError('validation_failed', 'This payee is archived.');
  const numbers = [...new Set(input.orderNumbers.map((n) => n.trim()).filter(Boolean))];
  if (numbers.length === 0) throw new AppError('validation_failed', 'Give at least one 1688 order number.');
  const percents = input.mode === 'installments' ? (input.installments ?? [30, 70]) : [100];
  if (percents.length < 2 && input.mode === 'installments') throw new AppError('validation_failed', 'Installments need at least two parts.');
  // Hundredths of a percent, compared as integers (16.67 * 100 is not exactly 1667 in floating point).
  const hundredths = percents.map((p) => Math.round(p * 100));
  if (percents.some((p, i) => !(p > 0) || Math.abs(p * 100 - hundredths[i]!) > 1e-6) || hundredths.reduce((a, b) => a + b, 0) !== 10_000) {
    throw new AppError('validation_failed', 'Installment percentages are positive, with at most two decimals, and add up to 100.');
  }
  const parts = splitByPercent(input.cny.minor, percents);
  if (parts.some((p) => p <= 0n)) throw new AppError('validation_failed', 'Every installment must be at least ¥0.01.');
  if (input.invoiceDocumentId) {
    const doc = await db.selectFrom('documents').select(['owner_customer_id']).where('id', '=', input.invoiceDocumentId).executeTakeFirst();
    if (!doc || doc.owner_customer_id !== customerId) throw new AppError('validation_failed', 'Unknown invoice document.');
  }
  const order = await db
    .insertInto('payment_orders')
    .values({
      id: newId('paymentOrder'),
      customer_id: customerId,
      supplier_id: supplier.id,
      payee_id: payee.id,
      order_numbers: JSON.stringify(numbers),
      cny_amount: input.cny.minor,
      note_to_supplier: input.noteToSupplier?.trim() || null,
      mode: input.mode,
      invoice_document_id: input.invoiceDocumentId ?? null,
      created_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db
    .insertInto('order_installments')
    .values(parts.map((cny, i) => ({ id: newId('installment'), order_id: order.id, seq: i + 1, percent: percents[i]!.toFixed(2), cny_amount: cny })))
    .execute();
  await db.insertInto('payment_order_transitions').values({ id: newId('orderTransition'), order_id: order.id, from_status: null, to_status: 'draft', actor_type: actor.type, actor_id: actor.id, reason: 'created' }).execute();
  await recordAudit(db, actor, { action: 'payments.order_created', objectType: 'payment_order', objectId: order.id, data: { cny: input.cny.minor.toString(), mode: input.mode, payeeId: payee.id, orderNumbers: numbers, installments: percents } });
  return order;
}

export async function installmentsOf(db: Kysely<DB>, orderId: string): Promise<Installment[]> {
  return db.selectFrom('order_installments').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
}

/** Gives an order its rupiah, line by line (a quote's lines, or its share of a batch's), split over its parts. */
export async function assignQuoteLines(db: Kysely<DB>, order: PaymentOrder, quoteId: string, lines: { code: string; amount: bigint }[]): Promise<bigint> {
  const installments = await installmentsOf(db, order.id);
  const split = splitQuoteLines(lines, installments.map((i) => i.cny_amount));
  for (const [i, inst] of installments.entries()) {
    const parts = split[i]!;
    const idr = Object.values(parts).reduce((a, b) => a + b, 0n);
    await db
      .updateTable('order_installments')
      .set({ idr_amount: idr, idr_lines: JSON.stringify(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.toString()]))) })
      .where('id', '=', inst.id)
      .execute();
  }
  const total = lines.reduce((a, l) => a + l.amount, 0n);
  await db.updateTable('payment_orders').set({ quote_id: quoteId, idr_total: total }).where('id', '=', order.id).execute();
  return total;
}

export function quoteLines(quote: QuoteView): { code: string; amount: bigint }[] {
  return quote.lines.map((l) => ({ code: l.code, amount: BigInt(l.amount.amount) }));
}

/** Applies the accepted quote to the order: the IDR of each part, line by line. */
async function applyQuote(db: Kysely<DB>, actor: Actor, order: PaymentOrder, quoteId: string): Promise<{ quote: QuoteView; total: bigint }> {
  const accepted = await useQuote(db, actor, quoteId, order.customer_id, { type: 'payment_order', id: order.id });
  const quote = accepted.quote;
  if (quote.cny.currency !== 'CNY' || BigInt(quote.cny.amount) !== order.cny_amount) {
    throw new AppError('quote_invalid', `The quote is for ¥${quote.cny.amount} fen, the order for ${order.cny_amount} fen: request a quote for the order's amount.`);
  }
  const total = await assignQuoteLines(db, order, quoteId, quoteLines(quote));
  if (total !== BigInt(quote.total.amount)) throw new AppError('internal_error', 'The quote lines do not add up to its total.');
  return { quote, total };
}

/**
 * Funds the order from the importer's wallet: one hold per installment (wallet → orders
 * payable), then each part is queued for payout (direct, first installment) or held
 * (escrow, later installments). Risk checks run now; high flags stop the payout desk.
 */
export async function fundFromWallet(db: Kysely<DB>, actor: Actor, order: PaymentOrder, reason: string): Promise<PaymentOrder> {
  const settings = await loadPaymentsSettings(db);
  const installments = await installmentsOf(db, order.id);
  if (installments.some((i) => i.idr_amount === null)) throw new AppError('invalid_state', 'The order has no quote yet.');
  const wallet = await ensureCustomerWallet(db, order.customer_id, 'IDR');
  const now = new Date();
  const escrowReleaseAt = order.mode === 'escrow' ? new Date(now.getTime() + settings.escrowAutoReleaseDays * 86_400_000) : null;
  for (const inst of installments) {
    const hold = await createHold(db, actor, {
      idempotencyKey: `order:${order.id}:installment:${inst.seq}:hold`,
      reason: 'payment_order',
      reference: { type: 'payment_order', id: order.id },
      description: `Payment order ${order.id}${installments.length > 1 ? ` part ${inst.seq}/${installments.length}` : ''}`,
      postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.ordersPayable, amount: Money.of(inst.idr_amount!, 'IDR') }],
    });
    const queueNow = order.mode === 'direct' || (order.mode === 'installments' && inst.seq === 1);
    await db
      .updateTable('order_installments')
      .set({ hold_entry_id: hold.entry.id, status: queueNow ? 'queued' : 'held', queued_at: queueNow ? now : null })
      .where('id', '=', inst.id)
      .execute();
  }
  const payee = await getPayee(db, order.payee_id);
  const supplier = await getSupplier(db, order.supplier_id);
  const flags = await assessPayee(db, { customerId: order.customer_id, orderId: order.id, payee, supplier, cnyAmount: order.cny_amount, historyMultiple: settings.amountHistoryMultiple });
  await recordFlags(db, order.id, payee.id, flags);
  let row = await moveOrder(db, actor, order, 'funded', reason, { funded_at: now, escrow_release_at: escrowReleaseAt });
  row = await moveOrder(db, actor, row, order.mode === 'escrow' ? 'held' : 'queued', order.mode === 'escrow' ? 'escrow: held until released' : 'queued for payout');
  return row;
}

/** Pay from the wallet now, with an accepted quote for the order's amount. */
export async function fundOrder(db: Kysely<DB>, actor: Actor, orderId: string, quoteId: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  if (order.status !== 'draft') throw new AppError('invalid_state', `The order is ${order.status}; only a draft is funded.`);
  await assertCustomerActive(db, order.customer_id);
  await applyQuote(db, actor, order, quoteId);
  return fundFromWallet(db, actor, await getOrder(db, orderId), 'funded from the wallet');
}

/**
 * Pay by bank transfer: the quote's total becomes a deposit intent (unique code) that
 * expires with the quote. When it is paid in time the order funds itself from the wallet;
 * if the money arrives after the quote expired it stays in the wallet and the order goes
 * back to draft for a new quote.
 */
export async function requestOrderDeposit(db: Kysely<DB>, actor: Actor, orderId: string, quoteId: string) {
  const order = await lockOrder(db, orderId);
  if (order.status !== 'draft') throw new AppError('invalid_state', `The order is ${order.status}; only a draft is funded.`);
  const { quote, total } = await applyQuote(db, actor, order, quoteId);
  const deposit = await createDepositIntent(db, actor, {
    customerId: order.customer_id,
    amount: Money.of(total, 'IDR'),
    purpose: 'payment_order',
    reference: { type: 'payment_order', id: order.id },
    expiresAt: await bankTransferDeadline(db, quote),
  });
  const row = await moveOrder(db, actor, await getOrder(db, orderId), 'awaiting_funds', `deposit ${deposit.id}`, { deposit_id: deposit.id });
  return { order: row, deposit };
}

/**
 * How long a quote's rate is honoured for a bank transfer: a transfer takes longer than the
 * quote's screen lock, so the deposit runs for `bank_transfer_lock_minutes` (or the quote's
 * lock if longer). Money that arrives later is credited to the wallet, never lost.
 */
export async function bankTransferDeadline(db: Kysely<DB>, quote: QuoteView): Promise<Date> {
  const settings = await loadPaymentsSettings(db);
  return new Date(Math.max(new Date(quote.expiresAt).getTime(), Date.now() + settings.bankTransferLockMinutes * 60_000));
}

export async function assertCustomerActive(db: Kysely<DB>, customerId: string): Promise<void> {
  const c = await db.selectFrom('customers').select('status').where('id', '=', customerId).executeTakeFirstOrThrow();
  if (c.status !== 'active') throw new AppError('forbidden', 'This customer account is suspended.');
}

/** The deposit of an order was paid (job): fund from the wallet if the quote still holds. */
export async function fundFromPaidDeposit(db: Kysely<DB>, actor: Actor, orderId: string, depositId: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  if (order.status !== 'awaiting_funds' || order.deposit_id !== depositId) return order;
  // "paid" means the whole amount arrived on time (late money credits the wallet but never pays an intent).
  const deposit = await db.selectFrom('deposit_intents').select(['status']).where('id', '=', depositId).executeTakeFirstOrThrow();
  if (deposit.status !== 'paid') return backToDraft(db, actor, order, 'the transfer did not arrive in time: any money received is in the wallet, request a new quote');
  if (!(await walletCovers(db, order))) return backToDraft(db, actor, order, 'the wallet no longer holds enough for this order (it was spent meanwhile): request a new quote');
  return fundFromWallet(db, actor, order, `deposit ${depositId} paid`);
}

/** An order whose funding fell through returns to draft: the quote is gone, nothing is held. */
export async function backToDraft(db: Kysely<DB>, actor: Actor, order: PaymentOrder, reason: string): Promise<PaymentOrder> {
  await db.updateTable('order_installments').set({ idr_amount: null, idr_lines: null }).where('order_id', '=', order.id).execute();
  return moveOrder(db, actor, order, 'draft', reason, { quote_id: null, idr_total: null, deposit_id: null });
}

/** Locks the wallet (and the orders payable) and says whether it covers the order's parts. */
async function walletCovers(db: Kysely<DB>, order: PaymentOrder): Promise<boolean> {
  const wallet = await ensureCustomerWallet(db, order.customer_id, 'IDR');
  await lockAccountsInOrder(db, [wallet.id, SYSTEM_ACCOUNTS.ordersPayable]);
  const parts = await installmentsOf(db, order.id);
  const need = parts.reduce((s, i) => s + (i.idr_amount ?? 0n), 0n);
  return balanceOf(await getAccount(db, wallet.id)).available.minor >= need;
}

/** Orders waiting for a deposit that closed without being paid go back to draft (a sweep job). */
export async function releaseStaleOrderDeposits(db: Kysely<DB>, actor: Actor): Promise<number> {
  const stale = await db
    .selectFrom('payment_orders as o')
    .innerJoin('deposit_intents as d', 'd.id', 'o.deposit_id')
    .select('o.id')
    .where('o.status', '=', 'awaiting_funds')
    .where('d.status', 'in', ['expired', 'cancelled'])
    .limit(200)
    .execute();
  for (const { id } of stale) {
    const order = await lockOrder(db, id);
    if (order.status === 'awaiting_funds') await backToDraft(db, actor, order, 'the deposit expired before the whole amount arrived: any money received is in the wallet, request a new quote');
  }
  return stale.length;
}

/** Compliance confirmed a risk: every part not yet paid goes back to the wallet. `reason` is shown to the importer. */
export async function refundUnpaidParts(db: Kysely<DB>, actor: Actor, orderId: string, reason: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  for (const inst of await installmentsOf(db, orderId)) {
    if ((inst.status === 'held' || inst.status === 'queued') && inst.hold_entry_id) {
      await voidHold(db, actor, { idempotencyKey: `order:${order.id}:installment:${inst.seq}:void`, holdId: inst.hold_entry_id, reason: 'risk_refund' });
      await db.updateTable('order_installments').set({ status: 'refunded' }).where('id', '=', inst.id).execute();
    }
  }
  return syncOrderStatus(db, actor, orderId, reason);
}

/** The importer (or the escrow clock) releases the next held part for payout. */
export async function releaseInstallment(db: Kysely<DB>, actor: Actor, orderId: string, reason: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  if (order.status !== 'held') throw new AppError('invalid_state', `Nothing is held on this order (${order.status}).`);
  const next = (await installmentsOf(db, orderId)).find((i) => i.status === 'held');
  if (!next) throw new AppError('invalid_state', 'Nothing is held on this order.');
  await db.updateTable('order_installments').set({ status: 'queued', queued_at: new Date() }).where('id', '=', next.id).where('status', '=', 'held').execute();
  return syncOrderStatus(db, actor, orderId, reason);
}

/** Before any payout: everything held is released back to the wallet (a full refund). */
export async function cancelOrder(db: Kysely<DB>, actor: Actor, orderId: string, reason: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  const installments = await installmentsOf(db, orderId);
  if (installments.some((i) => ['in_payout', 'awaiting_approval', 'paid'].includes(i.status))) {
    throw new AppError('invalid_state', 'A payout of this order has started or is done; it can no longer be cancelled.');
  }
  if (!['draft', 'awaiting_funds', 'held', 'queued'].includes(order.status)) throw new AppError('invalid_state', `A ${order.status} order cannot be cancelled.`);
  for (const inst of installments) {
    if (inst.hold_entry_id && (inst.status === 'held' || inst.status === 'queued')) {
      await voidHold(db, actor, { idempotencyKey: `order:${order.id}:installment:${inst.seq}:void`, holdId: inst.hold_entry_id, reason: 'payment_order_cancelled' });
      await db.updateTable('order_installments').set({ status: 'refunded' }).where('id', '=', inst.id).execute();
    }
  }
  if (order.deposit_id && order.status === 'awaiting_funds') {
    // A batch shares one deposit: it is cancelled only when no other order still waits for it.
    const others = await db.selectFrom('payment_orders').select('id').where('deposit_id', '=', order.deposit_id).where('id', '!=', order.id).where('status', '=', 'awaiting_funds').execute();
    const deposit = await db.selectFrom('deposit_intents').select('status').where('id', '=', order.deposit_id).executeTakeFirst();
    if (others.length === 0 && deposit?.status === 'open') await cancelDeposit(db, actor, order.deposit_id);
  }
  return moveOrder(db, actor, order, 'cancelled', reason);
}

/** The importer confirms the goods are fine: a paid order is completed. */
export async function completeOrder(db: Kysely<DB>, actor: Actor, orderId: string): Promise<PaymentOrder> {
  const order = await lockOrder(db, orderId);
  return moveOrder(db, actor, order, 'completed', 'confirmed by the importer', { completed_at: new Date() });
}

export async function orderTransitions(db: Kysely<DB>, orderId: string) {
  const rows = await db.selectFrom('payment_order_transitions').selectAll().where('order_id', '=', orderId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, actor: { type: r.actor_type, id: r.actor_id }, reason: r.reason, at: r.at.toISOString() }));
}

export function publicInstallment(i: Installment) {
  return {
    id: i.id,
    seq: i.seq,
    percent: i.percent,
    cny: Money.of(i.cny_amount, 'CNY'),
    idr: i.idr_amount === null ? null : Money.of(i.idr_amount, 'IDR'),
    idrLines: i.idr_lines ? Object.fromEntries(Object.entries(i.idr_lines).map(([k, v]) => [k, Money.of(BigInt(v), 'IDR')])) : null,
    status: i.status,
    queuedAt: i.queued_at?.toISOString() ?? null,
    claimedBy: i.claimed_by,
    claimedAt: i.claimed_at?.toISOString() ?? null,
    paidAt: i.paid_at?.toISOString() ?? null,
  };
}

export function publicOrder(o: PaymentOrder) {
  return {
    id: o.id,
    batchId: o.batch_id,
    customerId: o.customer_id,
    supplierId: o.supplier_id,
    payeeId: o.payee_id,
    orderNumbers: o.order_numbers,
    cny: Money.of(o.cny_amount, 'CNY'),
    noteToSupplier: o.note_to_supplier,
    mode: o.mode,
    status: o.status,
    quoteId: o.quote_id,
    idrTotal: o.idr_total === null ? null : Money.of(o.idr_total, 'IDR'),
    invoiceDocumentId: o.invoice_document_id,
    depositId: o.deposit_id,
    escrowReleaseAt: o.escrow_release_at?.toISOString() ?? null,
    fundedAt: o.funded_at?.toISOString() ?? null,
    paidAt: o.paid_at?.toISOString() ?? null,
    completedAt: o.completed_at?.toISOString() ?? null,
    createdAt: o.created_at.toISOString(),
  };
}
