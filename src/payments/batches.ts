import Papa from 'papaparse';
import type { Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, OrderMode } from '../db/schema.ts';
import { createDepositIntent, type DepositIntent } from '../funding/deposits.ts';
import { useQuote } from '../fx/quotes.ts';
import { newId } from '../lib/ids.ts';
import { Money, MoneyError } from '../money/money.ts';
import { bankTransferDeadline, assignQuoteLines, createPaymentOrder, fundFromWallet, getOrder, moveOrder, quoteLines, splitQuoteLines, type PaymentOrder } from './orders.ts';

export const BATCH_COLUMNS = ['order_numbers', 'payee_id', 'amount_cny', 'mode', 'note'] as const;
const MAX_BATCH_LINES = 500;

export interface BatchLine {
  line: number;
  orderNumbers: string[];
  payeeId: string;
  supplierId: string | null;
  cny: Money | null;
  mode: OrderMode;
  note: string | null;
  errors: { column: string; message: string }[];
}

/**
 * Reads and checks an order CSV line by line without creating anything: columns
 * order_numbers (several separated by ";"), payee_id, amount_cny (yuan, e.g. 1234.50),
 * mode (direct or escrow, default direct), note.
 */
export async function validateOrderBatch(db: Kysely<DB>, customerId: string, csv: string): Promise<{ lines: BatchLine[]; valid: boolean; cnyTotal: Money }> {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const headers = parsed.meta.fields ?? [];
  const missing = ['order_numbers', 'payee_id', 'amount_cny'].filter((c) => !headers.includes(c));
  if (missing.length > 0) throw new AppError('validation_failed', `The CSV needs the columns ${BATCH_COLUMNS.join(', ')}; missing: ${missing.join(', ')}.`, { problems: [{ line: 1, column: missing[0], message: 'missing column' }] });
  if (parsed.data.length === 0) throw new AppError('validation_failed', 'The CSV has no orders.');
  if (parsed.data.length > MAX_BATCH_LINES) throw new AppError('validation_failed', `At most ${MAX_BATCH_LINES} orders per file.`);
  const payeeIds = [...new Set(parsed.data.map((r) => (r.payee_id ?? '').trim()).filter(Boolean))];
  const payees = payeeIds.length ? await db.selectFrom('payees').select(['id', 'supplier_id', 'customer_id', 'status']).where('id', 'in', payeeIds).execute() : [];
  const byId = new Map(payees.filter((p) => p.customer_id === customerId).map((p) => [p.id, p]));
  const lines = parsed.data.map((row, i): BatchLine => {
    const errors: BatchLine['errors'] = [];
    const numbers = (row.order_numbers ?? '').split(/[;\s]+/).map((n) => n.trim()).filter(Boolean);
    if (numbers.length === 0) errors.push({ column: 'order_numbers', message: 'At least one 1688 order number.' });
    else if (numbers.some((n) => !/^[0-9A-Za-z-]{3,40}$/.test(n))) errors.push({ column: 'order_numbers', message: 'Order numbers are 3–40 letters, digits or dashes, separated by ";".' });
    const payeeId = (row.payee_id ?? '').trim();
    const payee = byId.get(payeeId);
    if (!payee) errors.push({ column: 'payee_id', message: `No payee ${payeeId || '(empty)'} of yours.` });
    else if (payee.status !== 'active') errors.push({ column: 'payee_id', message: 'This payee is archived.' });
    let cny: Money | null = null;
    try {
      const text = (row.amount_cny ?? '').trim().replace(/,/g, '');
      if (!/^[0-9]{1,13}(\.[0-9]{1,2})?$/.test(text)) throw new MoneyError('not an amount');
      cny = Money.fromDecimal(text, 'CNY');
      if (!cny.isPositive()) throw new MoneyError('not positive');
    } catch {
      cny = null;
      errors.push({ column: 'amount_cny', message: `"${row.amount_cny ?? ''}" is not a positive yuan amount with at most two decimals.` });
    }
    const modeText = (row.mode ?? '').trim().toLowerCase() || 'direct';
    if (modeText !== 'direct' && modeText !== 'escrow') errors.push({ column: 'mode', message: 'mode is direct or escrow.' });
    const note = (row.note ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (note.length > 500) errors.push({ column: 'note', message: 'At most 500 characters.' });
    // Papa Parse counts data rows from 0 after the header: the file line is that plus two.
    return { line: i + 2, orderNumbers: numbers, payeeId, supplierId: payee?.supplier_id ?? null, cny, mode: modeText === 'escrow' ? 'escrow' : 'direct', note: note || null, errors };
  });
  for (const e of parsed.errors) {
    const target = lines.find((l) => l.line === (e.row ?? 0) + 2);
    if (target) target.errors.push({ column: '', message: e.message });
  }
  const cnyTotal = lines.reduce((s, l) => (l.cny ? s.add(l.cny) : s), Money.zero('CNY'));
  return { lines, valid: lines.every((l) => l.errors.length === 0), cnyTotal };
}

export function publicBatchLine(l: BatchLine) {
  return { line: l.line, orderNumbers: l.orderNumbers, payeeId: l.payeeId, cny: l.cny, mode: l.mode, note: l.note, errors: l.errors, ok: l.errors.length === 0 };
}

/** All or nothing: every line must be valid, then every order is created as a draft of one batch. */
export async function createOrderBatch(db: Kysely<DB>, actor: Actor, customerId: string, input: { fileName: string; csv: string }) {
  const report = await validateOrderBatch(db, customerId, input.csv);
  if (!report.valid) throw new AppError('validation_failed', 'Some lines are not valid; nothing was created.', { lines: report.lines.filter((l) => l.errors.length > 0).map(publicBatchLine) });
  const batchId = newId('orderBatch');
  await db.insertInto('order_batches').values({ id: batchId, customer_id: customerId, file_name: input.fileName, order_count: report.lines.length, cny_total: report.cnyTotal.minor, created_by: actor.id }).execute();
  const orders: PaymentOrder[] = [];
  for (const l of report.lines) {
    const order = await createPaymentOrder(db, actor, customerId, { supplierId: l.supplierId!, payeeId: l.payeeId, orderNumbers: l.orderNumbers, cny: l.cny!, noteToSupplier: l.note ?? undefined, mode: l.mode });
    await db.updateTable('payment_orders').set({ batch_id: batchId }).where('id', '=', order.id).execute();
    orders.push(order);
  }
  await recordAudit(db, actor, { action: 'payments.batch_created', objectType: 'order_batch', objectId: batchId, data: { fileName: input.fileName, orders: orders.length, cny: report.cnyTotal.minor.toString() } });
  return { batchId, orders, cnyTotal: report.cnyTotal };
}

/**
 * Pays a whole batch with one quote for its total yuan: the quote's lines are shared out
 * over the orders by their yuan (each order's share adds up exactly), then either the
 * wallet funds every order, or one deposit of the total does when it arrives.
 */
export async function fundOrderBatch(db: Kysely<DB>, actor: Actor, batchId: string, input: { quoteId: string; method: 'wallet' | 'bank_transfer' }): Promise<{ orders: PaymentOrder[]; deposit: DepositIntent | null }> {
  const batch = await db.selectFrom('order_batches').selectAll().where('id', '=', batchId).forUpdate().executeTakeFirst();
  if (!batch) throw new AppError('not_found');
  if (batch.quote_id) throw new AppError('invalid_state', 'This batch is already funded.');
  const orders = await db.selectFrom('payment_orders').selectAll().where('batch_id', '=', batchId).orderBy('id').forUpdate().execute();
  if (orders.some((o) => o.status !== 'draft')) throw new AppError('invalid_state', 'Every order of the batch must still be a draft.');
  const { quote } = await useQuote(db, actor, input.quoteId, batch.customer_id, { type: 'order_batch', id: batchId });
  if (quote.cny.currency !== 'CNY' || BigInt(quote.cny.amount) !== batch.cny_total) throw new AppError('quote_invalid', 'The quote must be for the batch total.');
  const shares = splitQuoteLines(quoteLines(quote), orders.map((o) => o.cny_amount));
  for (const [i, order] of orders.entries()) {
    await assignQuoteLines(db, order, input.quoteId, Object.entries(shares[i]!).map(([code, amount]) => ({ code, amount })));
  }
  const total = BigInt(quote.total.amount);
  let deposit: DepositIntent | null = null;
  const result: PaymentOrder[] = [];
  if (input.method === 'wallet') {
    for (const o of orders) result.push(await fundFromWallet(db, actor, await getOrder(db, o.id), `funded from the wallet with batch ${batchId}`));
  } else {
    deposit = await createDepositIntent(db, actor, { customerId: batch.customer_id, amount: Money.of(total, 'IDR'), purpose: 'payment_order', reference: { type: 'order_batch', id: batchId }, expiresAt: await bankTransferDeadline(db, quote) });
    for (const o of orders) result.push(await moveOrder(db, actor, await getOrder(db, o.id), 'awaiting_funds', `batch deposit ${deposit.id}`, { deposit_id: deposit.id }));
  }
  await db.updateTable('order_batches').set({ quote_id: input.quoteId, idr_total: total, deposit_id: deposit?.id ?? null }).where('id', '=', batchId).execute();
  await recordAudit(db, actor, { action: 'payments.batch_funded', objectType: 'order_batch', objectId: batchId, data: { method: input.method, idrTotal: total.toString(), deposit: deposit?.id ?? null } });
  return { orders: result, deposit };
}
