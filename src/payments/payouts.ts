import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, PayoutsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { randomToken } from '../lib/tokens.ts';
import { balanceOf, ensureCustomerWallet, getAccount, listAccounts, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, lockAccountsInOrder, postHold, voidHold, type PostingInput } from '../ledger/entries.ts';
import { Dec } from '../money/rate.ts';
import { Money } from '../money/money.ts';
import { assessPayee, openHighFlags, recordFlags } from '../risk/payee-checks.ts';
import { getPayee, getSupplier } from './payees.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { PayoutRail } from './rails.ts';
import { getOrder, lockOrder, syncOrderStatus, type Installment } from './orders.ts';
import { loadPaymentsSettings } from './settings.ts';

export type Payout = Selectable<PayoutsTable>;

/**
 * Locks a part's order, then the part: the same order as every other order step (fund,
 * release, cancel lock the order before its parts), so they never wait on each other in a circle.
 */
async function lockInstallment(db: Kysely<DB>, id: string): Promise<Installment> {
  assertInTransaction(db, 'a payout step');
  const found = await db.selectFrom('order_installments').select('order_id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new AppError('not_found', `No installment ${id}.`);
  await lockOrder(db, found.order_id);
  const i = await db.selectFrom('order_installments').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  return i;
}

/**
 * The payout desk's queue, oldest first: every part waiting to be paid, with the time
 * since it became payable against the SLA, its risk flags and the floats that can pay it.
 */
export async function payoutQueue(db: Kysely<DB>) {
  const settings = await loadPaymentsSettings(db);
  const rows = await db
    .selectFrom('order_installments as i')
    .innerJoin('payment_orders as o', 'o.id', 'i.order_id')
    .innerJoin('payees as p', 'p.id', 'o.payee_id')
    .innerJoin('suppliers as s', 's.id', 'o.supplier_id')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select([
      'i.id', 'i.seq', 'i.status', 'i.cny_amount', 'i.queued_at', 'i.claimed_by', 'i.claimed_at', 'o.id as order_id', 'o.mode', 'o.order_numbers',
      'o.note_to_supplier', 'o.funded_at', 'c.name as customer_name', 'p.kind as payee_kind', 'p.account as payee_account', 'p.holder_name',
      'p.bank_name', 'p.bank_branch', 'p.cnaps_code', 's.store_name', 's.company_name',
    ])
    .where('i.status', 'in', ['queued', 'in_payout', 'awaiting_approval'])
    .orderBy('i.queued_at')
    .orderBy('i.id')
    .limit(500)
    .execute();
  const flags = rows.length
    ? await db.selectFrom('risk_flags').selectAll().where('order_id', 'in', [...new Set(rows.map((r) => r.order_id))]).where('status', '=', 'open').execute()
    : [];
  const floats = (await listAccounts(db, { ownerType: null, codePrefix: 'float:' })).filter((a) => a.status === 'active');
  const now = Date.now();
  return {
    sla: { targetMinutes: settings.slaTargetMinutes, warningMinutes: settings.slaWarningMinutes },
    floats: floats.map((f) => ({ id: f.id, code: f.code, name: f.name, currency: f.currency, available: balanceOf(f).available })),
    items: rows.map((r) => {
      const since = r.queued_at ?? r.funded_at ?? new Date();
      const minutes = Math.floor((now - since.getTime()) / 60_000);
      const open = flags.filter((f) => f.order_id === r.order_id);
      // Suggest the float of the payee's rail with the most available yuan that covers the amount.
      const rail = r.payee_kind === 'bank' ? null : r.payee_kind;
      const suggested = floats
        .filter((f) => f.currency === 'CNY' && balanceOf(f).available.minor >= r.cny_amount && (rail === null ? !/alipay|wechat/.test(f.code) : f.code.includes(rail)))
        .sort((a, b) => (balanceOf(b).available.minor > balanceOf(a).available.minor ? 1 : -1))[0];
      return {
        installmentId: r.id,
        orderId: r.order_id,
        seq: r.seq,
        status: r.status,
        cny: Money.of(r.cny_amount, 'CNY'),
        mode: r.mode,
        orderNumbers: r.order_numbers,
        noteToSupplier: r.note_to_supplier,
        customerName: r.customer_name,
        supplier: { storeName: r.store_name, companyName: r.company_name },
        payee: { kind: r.payee_kind, account: r.payee_account, holderName: r.holder_name, bankName: r.bank_name, bankBranch: r.bank_branch, cnapsCode: r.cnaps_code },
        queuedAt: since.toISOString(),
        minutesWaiting: minutes,
        sla: minutes >= settings.slaTargetMinutes ? 'breached' : minutes >= settings.slaWarningMinutes ? 'warning' : 'ok',
        claimedBy: r.claimed_by,
        claimedAt: r.claimed_at?.toISOString() ?? null,
        flags: open.map((f) => ({ id: f.id, code: f.code, severity: f.severity, reason: f.reason })),
        blocked: open.some((f) => f.severity === 'high'),
        suggestedFloatId: suggested?.id ?? null,
      };
    }),
  };
}

/** The accounts a payout moves, for locking them all at once in id order. */
async function lockPayoutAccounts(db: Kysely<DB>, customerId: string, floatAccountId: string): Promise<void> {
  const wallet = await ensureCustomerWallet(db, customerId, 'IDR');
  await lockAccountsInOrder(db, [
    wallet.id,
    SYSTEM_ACCOUNTS.ordersPayable,
    SYSTEM_ACCOUNTS.fxPositionIdr,
    SYSTEM_ACCOUNTS.fxPositionCny,
    SYSTEM_ACCOUNTS.revenueFee,
    SYSTEM_ACCOUNTS.revenueSpread,
    floatAccountId,
  ]);
}

/** A payout under way (submitted to a rail or waiting for approval) pins its part: nothing else may move it. */
async function assertNoLivePayout(db: Kysely<DB>, installmentId: string): Promise<void> {
  const live = await db.selectFrom('payouts').select(['id', 'status']).where('installment_id', '=', installmentId).where('status', 'in', ['submitted', 'awaiting_approval']).executeTakeFirst();
  if (live) throw new AppError('invalid_state', `Payout ${live.id} is ${live.status === 'submitted' ? 'with the provider' : 'waiting for approval'}; wait for its outcome.`);
}

/** Maker-checker applies to the order, not to each part: splitting an order does not avoid it. */
async function needsApproval(db: Kysely<DB>, orderId: string): Promise<boolean> {
  const settings = await loadPaymentsSettings(db);
  const order = await getOrder(db, orderId);
  return order.cny_amount >= settings.approvalThresholdCny;
}

/**
 * Runs the payee checks again just before a payout (details changed or blocklisted since
 * funding). Its own transaction: the flags must stay even when the claim is then refused.
 */
export async function reassessBeforePayout(db: Kysely<DB>, installmentId: string): Promise<void> {
  const found = await db.selectFrom('order_installments').select('order_id').where('id', '=', installmentId).executeTakeFirst();
  if (!found) return;
  const order = await getOrder(db, found.order_id);
  const settings = await loadPaymentsSettings(db);
  const payee = await getPayee(db, order.payee_id);
  const supplier = await getSupplier(db, order.supplier_id);
  const flags = await assessPayee(db, { customerId: order.customer_id, orderId: order.id, payee, supplier, cnyAmount: order.cny_amount, historyMultiple: settings.amountHistoryMultiple });
  await recordFlags(db, order.id, payee.id, flags);
}

/** Claims a part for payout: atomic, so two operators can never pay the same order. */
export async function claimPayout(db: Kysely<DB>, actor: Actor, installmentId: string): Promise<Installment> {
  const inst = await lockInstallment(db, installmentId);
  if (inst.status === 'in_payout' || inst.status === 'awaiting_approval') throw new AppError('payout_already_claimed', `Claimed by ${inst.claimed_by}.`, { claimedBy: inst.claimed_by });
  if (inst.status !== 'queued') throw new AppError('invalid_state', `The part is ${inst.status}, not waiting for payout.`);
  const order = await getOrder(db, inst.order_id);
  const customer = await db.selectFrom('customers').select('status').where('id', '=', order.customer_id).executeTakeFirstOrThrow();
  if (customer.status !== 'active') throw new AppError('invalid_state', 'The customer account is suspended.');
  const blocking = await openHighFlags(db, inst.order_id);
  if (blocking.length > 0) throw new AppError('risk_review_pending', blocking.map((f) => f.reason).join(' '), { flags: blocking.map((f) => f.code) });
  const row = await db
    .updateTable('order_installments')
    .set({ status: 'in_payout', claimed_by: actor.id, claimed_at: sql<Date>`now()` })
    .where('id', '=', installmentId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.payout_claimed', objectType: 'payment_order', objectId: inst.order_id, data: { installment: installmentId } });
  await syncOrderStatus(db, actor, inst.order_id, 'claimed for payout');
  return row;
}

export interface RecordPayoutInput {
  floatAccountId: string;
  cny: Money;
  providerReference: string;
  proofDocumentId: string;
}

async function checkFloat(db: Kysely<DB>, floatAccountId: string, cny: bigint) {
  const float = await getAccount(db, floatAccountId);
  if (!float.code.startsWith('float:') || float.currency !== 'CNY') throw new AppError('validation_failed', 'Pay from a China float account in CNY.');
  if (float.status !== 'active') throw new AppError('validation_failed', 'This float account is closed.');
  if (balanceOf(float).available.minor < cny) throw new AppError('insufficient_funds', `${float.name} holds ${balanceOf(float).available.toDecimalString()} CNY.`);
  return float;
}

/**
 * The operator paid the supplier outside the system and records it. Above the approval
 * threshold a finance user must approve before it counts as paid (maker-checker).
 */
export async function recordPayout(db: Kysely<DB>, actor: Actor, installmentId: string, input: RecordPayoutInput): Promise<Payout> {
  const inst = await lockInstallment(db, installmentId);
  if (inst.status !== 'in_payout') throw new AppError('invalid_state', `The part is ${inst.status}; claim it first.`);
  if (inst.claimed_by !== actor.id) throw new AppError('forbidden', 'Another operator claimed this payout.');
  await assertNoLivePayout(db, inst.id);
  if (input.cny.currency !== 'CNY' || input.cny.minor !== inst.cny_amount) {
    throw new AppError('validation_failed', `The payout must be exactly ${Money.of(inst.cny_amount, 'CNY').toDecimalString()} CNY.`);
  }
  const float = await checkFloat(db, input.floatAccountId, inst.cny_amount);
  const approval = await needsApproval(db, inst.order_id);
  // Lock the accounts before the payout row references the float: inserting it takes a key
  // lock on the float, and upgrading that lock later would deadlock with a parallel payout.
  if (!approval) await lockPayoutAccounts(db, (await getOrder(db, inst.order_id)).customer_id, float.id);
  const payout = await db
    .insertInto('payouts')
    .values({
      id: newId('payout'),
      installment_id: inst.id,
      order_id: inst.order_id,
      float_account_id: float.id,
      cny_amount: inst.cny_amount,
      provider_reference: input.providerReference.trim(),
      proof_document_id: input.proofDocumentId,
      status: 'awaiting_approval',
      recorded_by: actor.id!,
      verification_code: randomToken(15),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.payout_recorded', objectType: 'payment_order', objectId: inst.order_id, data: { payout: payout.id, float: float.id, reference: payout.provider_reference, needsApproval: approval } });
  if (approval) {
    await db.updateTable('order_installments').set({ status: 'awaiting_approval' }).where('id', '=', inst.id).execute();
    return payout;
  }
  return settlePayout(db, actor, payout);
}

export const RAIL_SUBMIT_JOB = 'payments.rail_submit';
export const RAIL_POLL_JOB = 'payments.rail_poll';

/**
 * An automatic rail. The payout is recorded (and committed) first; an outbox job then
 * submits it to the provider with the payout id as the provider's idempotency key, and
 * another asks until it is paid or failed. A retry never pays twice; a crash never leaves
 * a provider payment without its record. Above the threshold, finance approves before the
 * job submits anything.
 */
export async function sendViaRail(db: Kysely<DB>, actor: Actor, rail: PayoutRail, installmentId: string, floatAccountId: string): Promise<Payout> {
  const inst = await lockInstallment(db, installmentId);
  if (inst.status !== 'in_payout') throw new AppError('invalid_state', `The part is ${inst.status}; claim it first.`);
  if (inst.claimed_by !== actor.id) throw new AppError('forbidden', 'Another operator claimed this payout.');
  await assertNoLivePayout(db, inst.id);
  const float = await checkFloat(db, floatAccountId, inst.cny_amount);
  const approval = await needsApproval(db, inst.order_id);
  const id = newId('payout');
  const payout = await db
    .insertInto('payouts')
    .values({ id, installment_id: inst.id, order_id: inst.order_id, rail: rail.name, float_account_id: float.id, cny_amount: inst.cny_amount, provider_reference: `pending:${id}`, status: approval ? 'awaiting_approval' : 'submitted', recorded_by: actor.id!, verification_code: randomToken(15) })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (approval) await db.updateTable('order_installments').set({ status: 'awaiting_approval' }).where('id', '=', inst.id).execute();
  else await enqueueJob(db, RAIL_SUBMIT_JOB, { payoutId: id }, { dedupeKey: `rail-submit:${id}` });
  await recordAudit(db, actor, { action: 'payments.payout_sent', objectType: 'payment_order', objectId: inst.order_id, data: { payout: id, rail: rail.name, needsApproval: approval } });
  return payout;
}

/** The outbox job: hands a recorded rail payout to its provider (idempotent on the payout id). */
export async function submitRailPayout(db: Kysely<DB>, rails: ReadonlyMap<string, PayoutRail>, payoutId: string): Promise<void> {
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', payoutId).executeTakeFirst();
  if (!payout || payout.status !== 'submitted' || !payout.provider_reference.startsWith('pending:')) return;
  const rail = rails.get(payout.rail);
  if (!rail) throw new Error(`Payout rail ${payout.rail} is not configured`);
  const order = await getOrder(db, payout.order_id);
  const payee = await getPayee(db, order.payee_id);
  const { providerId } = await rail.submit({ payoutId, cnyAmount: payout.cny_amount, payee, note: order.note_to_supplier });
  await db.updateTable('payouts').set({ provider_reference: providerId }).where('id', '=', payoutId).where('provider_reference', '=', payout.provider_reference).execute();
  await enqueueJob(db, RAIL_POLL_JOB, { payoutId }, { runAt: new Date(Date.now() + rail.pollIntervalMs) });
}

/** One look at a submitted payment; asks again later while the provider says pending. */
export async function pollRailPayout(db: Kysely<DB>, rails: ReadonlyMap<string, PayoutRail>, payoutId: string): Promise<Payout['status']> {
  const peek = await db.selectFrom('payouts').select(['installment_id', 'status']).where('id', '=', payoutId).executeTakeFirst();
  if (!peek || peek.status !== 'submitted') return peek?.status ?? 'failed';
  await lockInstallment(db, peek.installment_id);
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', payoutId).forUpdate().executeTakeFirstOrThrow();
  if (payout.status !== 'submitted') return payout.status;
  const rail = rails.get(payout.rail);
  if (!rail) throw new Error(`Payout rail ${payout.rail} is not configured`);
  const status = await rail.status(payout.provider_reference);
  const actor: Actor = { type: 'system', id: null };
  if (status.state === 'pending') {
    await enqueueJob(db, RAIL_POLL_JOB, { payoutId }, { runAt: new Date(Date.now() + rail.pollIntervalMs) });
    return 'submitted';
  }
  if (status.state === 'failed') {
    await db.updateTable('payouts').set({ status: 'failed', failure_reason: status.reason, decided_at: sql<Date>`now()` }).where('id', '=', payoutId).execute();
    await db.updateTable('order_installments').set({ status: 'queued', claimed_by: null, claimed_at: null }).where('id', '=', payout.installment_id).execute();
    await recordAudit(db, actor, { action: 'payments.payout_failed_requeued', objectType: 'payment_order', objectId: payout.order_id, data: { payout: payoutId, rail: payout.rail, reason: status.reason } });
    await syncOrderStatus(db, actor, payout.order_id, 'the payment to the supplier did not go through: it will be retried');
    return 'failed';
  }
  const order = await getOrder(db, payout.order_id);
  await lockPayoutAccounts(db, order.customer_id, payout.float_account_id);
  const updated = await db.updateTable('payouts').set({ provider_reference: status.reference }).where('id', '=', payoutId).returningAll().executeTakeFirstOrThrow();
  await settlePayout(db, actor, updated);
  return 'paid';
}

/** Finance approves a recorded payout; never the operator who recorded it. */
export async function approvePayout(db: Kysely<DB>, actor: Actor, payoutId: string): Promise<Payout> {
  const peek = await db.selectFrom('payouts').select(['installment_id']).where('id', '=', payoutId).executeTakeFirst();
  if (!peek) throw new AppError('not_found');
  await lockInstallment(db, peek.installment_id);
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', payoutId).forUpdate().executeTakeFirstOrThrow();
  if (payout.status !== 'awaiting_approval') throw new AppError('invalid_state', `The payout is ${payout.status}.`);
  if (payout.recorded_by === actor.id) throw new AppError('second_person_required', 'You recorded this payout; another person must approve it.');
  await recordAudit(db, actor, { action: 'payments.payout_approved', objectType: 'payment_order', objectId: payout.order_id, data: { payout: payoutId } });
  if (payout.rail !== 'manual') {
    // An automatic rail: approval lets the job hand it to the provider.
    const row = await db.updateTable('payouts').set({ status: 'submitted', approved_by: actor.id }).where('id', '=', payoutId).returningAll().executeTakeFirstOrThrow();
    await db.updateTable('order_installments').set({ status: 'in_payout' }).where('id', '=', payout.installment_id).execute();
    await enqueueJob(db, RAIL_SUBMIT_JOB, { payoutId }, { dedupeKey: `rail-submit:${payoutId}` });
    return row;
  }
  await lockPayoutAccounts(db, (await getOrder(db, payout.order_id)).customer_id, payout.float_account_id);
  return settlePayout(db, actor, { ...payout, approved_by: actor.id });
}

/**
 * Money moves: the part's hold is posted (wallet → orders payable) and one conversion
 * entry books where the rupiah went — reference cost to the FX position, spread and fee to
 * revenue — and the yuan left the float (FX position → float). The caller has locked the
 * accounts (lockPayoutAccounts).
 */
async function settlePayout(db: Kysely<DB>, actor: Actor, payout: Payout): Promise<Payout> {
  const inst = await db.selectFrom('order_installments').selectAll().where('id', '=', payout.installment_id).executeTakeFirstOrThrow();
  const order = await getOrder(db, payout.order_id);
  const lines = Object.fromEntries(Object.entries(inst.idr_lines ?? {}).map(([k, v]) => [k, BigInt(v)]));
  const posted = await postHold(db, actor, {
    idempotencyKey: `payout:${payout.id}:post`,
    holdId: inst.hold_entry_id!,
    // After a partial refund the part is smaller than its hold: only this much is posted, the rest returns to the wallet.
    amounts: [Money.of(inst.idr_amount!, 'IDR')],
    reason: 'payout',
    description: `Paid to the supplier: order ${order.id}${inst.seq > 1 ? ` part ${inst.seq}` : ''}, ref ${payout.provider_reference}`,
  });
  const idr = (v: bigint) => Money.of(v, 'IDR');
  const postings: PostingInput[] = [];
  const add = (credit: string, amount: bigint | undefined) => {
    if (amount && amount > 0n) postings.push({ debitAccountId: SYSTEM_ACCOUNTS.ordersPayable, creditAccountId: credit, amount: idr(amount) });
  };
  add(SYSTEM_ACCOUNTS.fxPositionIdr, lines.reference_cost);
  add(SYSTEM_ACCOUNTS.revenueSpread, lines.spread);
  add(SYSTEM_ACCOUNTS.revenueFee, lines.service_fee);
  // Rounding up to a whole rupiah is the customer's money the platform keeps: fee revenue, shown on the quote.
  add(SYSTEM_ACCOUNTS.revenueFee, lines.rounding);
  const known = new Set(['reference_cost', 'spread', 'service_fee', 'rounding']);
  for (const [code, amount] of Object.entries(lines)) if (!known.has(code)) add(SYSTEM_ACCOUNTS.revenueFee, amount);
  postings.push({ debitAccountId: SYSTEM_ACCOUNTS.fxPositionCny, creditAccountId: payout.float_account_id, amount: Money.of(payout.cny_amount, 'CNY') });
  const conversion = await createEntry(db, actor, {
    idempotencyKey: `payout:${payout.id}:conversion`,
    reason: 'payout_conversion',
    reference: { type: 'payment_order', id: order.id },
    description: `Yuan paid from the float for order ${order.id}, ref ${payout.provider_reference}`,
    metadata: { payout: payout.id, installment: inst.id },
    postings,
  });
  const row = await db
    .updateTable('payouts')
    .set({ status: 'paid', approved_by: payout.approved_by, decided_at: sql<Date>`now()`, post_entry_id: posted.entry.id, conversion_entry_id: conversion.entry.id })
    .where('id', '=', payout.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('order_installments').set({ status: 'paid', paid_at: sql<Date>`now()` }).where('id', '=', inst.id).execute();
  await recordAudit(db, actor, { action: 'payments.payout_paid', objectType: 'payment_order', objectId: order.id, data: { payout: payout.id, cny: payout.cny_amount.toString(), conversion: conversion.entry.id } });
  await syncOrderStatus(db, actor, order.id, `paid, ref ${payout.provider_reference}`);
  return row;
}

/** Finance refuses a recorded payout (wrong proof, wrong amount): the part goes back to its operator. */
export async function rejectPayout(db: Kysely<DB>, actor: Actor, payoutId: string, reason: string): Promise<Payout> {
  const peek = await db.selectFrom('payouts').select(['installment_id']).where('id', '=', payoutId).executeTakeFirst();
  if (!peek) throw new AppError('not_found');
  await lockInstallment(db, peek.installment_id);
  const payout = await db.selectFrom('payouts').selectAll().where('id', '=', payoutId).forUpdate().executeTakeFirstOrThrow();
  if (payout.status !== 'awaiting_approval') throw new AppError('invalid_state', `The payout is ${payout.status}.`);
  const row = await db.updateTable('payouts').set({ status: 'rejected', failure_reason: reason, approved_by: actor.id, decided_at: sql<Date>`now()` }).where('id', '=', payoutId).returningAll().executeTakeFirstOrThrow();
  await db.updateTable('order_installments').set({ status: 'in_payout' }).where('id', '=', payout.installment_id).execute();
  await recordAudit(db, actor, { action: 'payments.payout_rejected', objectType: 'payment_order', objectId: payout.order_id, data: { payout: payoutId, reason } });
  await syncOrderStatus(db, actor, payout.order_id, 'the payout is being corrected');
  return row;
}

/**
 * The payout did not go through (wrong account, frozen account): back to the queue with the
 * reason, or refunded to the wallet. Never silently lost. Only the operator who claimed it
 * (or finance) decides, and never while a payout is with a provider or waiting for approval.
 */
export async function failPayout(db: Kysely<DB>, actor: Actor & { role?: string }, installmentId: string, input: { reason: string; refund: boolean }): Promise<Installment> {
  const inst = await lockInstallment(db, installmentId);
  if (inst.status !== 'in_payout') throw new AppError('invalid_state', `The part is ${inst.status}.`);
  if (actor.role !== 'finance' && inst.claimed_by !== actor.id) throw new AppError('forbidden', 'Only the operator who claimed this payout, or finance, can fail it.');
  await assertNoLivePayout(db, inst.id);
  await recordAudit(db, actor, { action: input.refund ? 'payments.payout_failed_refunded' : 'payments.payout_failed_requeued', objectType: 'payment_order', objectId: inst.order_id, data: { installment: installmentId, reason: input.reason } });
  if (input.refund) {
    await voidHold(db, actor, { idempotencyKey: `order:${inst.order_id}:installment:${inst.seq}:void`, holdId: inst.hold_entry_id!, reason: 'payout_failed_refund' });
  }
  const row = await db
    .updateTable('order_installments')
    .set(input.refund ? { status: 'refunded', claimed_by: null, claimed_at: null } : { status: 'queued', claimed_by: null, claimed_at: null })
    .where('id', '=', installmentId)
    .returningAll()
    .executeTakeFirstOrThrow();
  // The operator's reason is in the audit log; the importer is told what happens to the money.
  await syncOrderStatus(db, actor, inst.order_id, input.refund ? 'the payment to the supplier did not go through: refunded to your wallet' : 'the payment to the supplier did not go through: it will be retried');
  return row;
}

/**
 * Finance bought yuan for a float: how many CNY for how many IDR. The entry moves rupiah
 * out of the bank and yuan into the float through the FX position, so the position shows
 * the real margin earned on the payouts.
 */
export async function recordFxConversion(db: Kysely<DB>, actor: Actor, input: { floatAccountId: string; bankAccountId: string; cny: Money; idr: Money; reference: string }) {
  const float = await getAccount(db, input.floatAccountId);
  const bank = await getAccount(db, input.bankAccountId);
  if (!float.code.startsWith('float:') || float.currency !== 'CNY') throw new AppError('validation_failed', 'Top up a China float account in CNY.');
  if (!bank.code.startsWith('bank:') || bank.currency !== 'IDR') throw new AppError('validation_failed', 'Pay from a company bank account in IDR.');
  if (input.cny.currency !== 'CNY' || input.idr.currency !== 'IDR' || !input.cny.isPositive() || !input.idr.isPositive()) throw new AppError('validation_failed', 'Give a positive CNY amount and a positive IDR amount.');
  const id = newId('fxConversion');
  const { entry } = await createEntry(db, actor, {
    idempotencyKey: `fx-conversion:${id}`,
    reason: 'fx_conversion',
    reference: { type: 'fx_conversion', id },
    description: `Bought ${input.cny.toDecimalString()} CNY for ${input.idr.toDecimalString()} IDR, ref ${input.reference}`,
    postings: [
      { debitAccountId: float.id, creditAccountId: SYSTEM_ACCOUNTS.fxPositionCny, amount: input.cny },
      { debitAccountId: SYSTEM_ACCOUNTS.fxPositionIdr, creditAccountId: bank.id, amount: input.idr },
    ],
  });
  const rate = new Dec(input.idr.minor.toString()).div(new Dec(input.cny.minor.toString())).toDecimalPlaces(8).toFixed();
  const row = await db
    .insertInto('fx_conversions')
    .values({ id, float_account_id: float.id, bank_account_id: bank.id, cny_amount: input.cny.minor, idr_amount: input.idr.minor, rate, reference: input.reference, entry_id: entry.id, recorded_by: actor.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.fx_conversion_recorded', objectType: 'fx_conversion', objectId: id, data: { cny: input.cny.minor.toString(), idr: input.idr.minor.toString(), rate } });
  return row;
}

export function publicPayout(p: Payout) {
  return {
    id: p.id,
    installmentId: p.installment_id,
    orderId: p.order_id,
    rail: p.rail,
    floatAccountId: p.float_account_id,
    cny: Money.of(p.cny_amount, 'CNY'),
    providerReference: p.provider_reference,
    proofDocumentId: p.proof_document_id,
    status: p.status,
    recordedBy: p.recorded_by,
    approvedBy: p.approved_by,
    failureReason: p.failure_reason,
    createdAt: p.created_at.toISOString(),
    decidedAt: p.decided_at?.toISOString() ?? null,
  };
}
