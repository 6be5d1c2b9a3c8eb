import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, WithdrawalsTable, WithdrawalStatus } from '../db/schema.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, createHold, postHold, voidHold } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';

export type Withdrawal = Selectable<WithdrawalsTable>;

export const WITHDRAWAL_UPDATED_JOB = 'funding.withdrawal_updated';

export interface WithdrawalRequest {
  customerId: string;
  amount: Money;
  bankName: string;
  accountNumber: string;
  holderName: string;
}

/**
 * An importer asks for wallet money back to their own Indonesian bank account. The money
 * is held (wallet → withdrawals payable) from the request until finance pays it out or
 * the request ends; it cannot be spent twice meanwhile.
 */
export async function requestWithdrawal(db: Kysely<DB>, actor: Actor, input: WithdrawalRequest): Promise<Withdrawal> {
  assertInTransaction(db, 'requestWithdrawal');
  if (input.amount.currency !== 'IDR') throw new AppError('currency_mismatch', 'Withdrawals are in rupiah (IDR).');
  if (!input.amount.isPositive() || input.amount.minor % 100n !== 0n) throw new AppError('validation_failed', 'A withdrawal is a positive whole number of rupiah.');
  const accountNumber = input.accountNumber.replace(/[\s.-]/g, '');
  if (!/^[0-9]{6,20}$/.test(accountNumber)) throw new AppError('validation_failed', 'The account number is 6–20 digits.');
  const id = newId('withdrawal');
  const wallet = await ensureCustomerWallet(db, input.customerId, 'IDR');
  const hold = await createHold(db, actor, {
    idempotencyKey: `withdrawal:${id}:hold`,
    reason: 'withdrawal',
    reference: { type: 'withdrawal', id },
    description: `Withdrawal to ${input.bankName} ${accountNumber} a.n. ${input.holderName}`.slice(0, 500),
    postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.withdrawalsPayable, amount: input.amount }],
  });
  const row = await db
    .insertInto('withdrawals')
    .values({
      id,
      customer_id: input.customerId,
      amount: input.amount.minor,
      bank_name: input.bankName.trim(),
      account_number: accountNumber,
      holder_name: input.holderName.trim(),
      hold_entry_id: hold.entry.id,
      requested_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'funding.withdrawal_requested', objectType: 'withdrawal', objectId: id, data: { amount: input.amount.minor.toString(), bankName: row.bank_name } });
  return row;
}

async function lockWithdrawal(db: Kysely<DB>, id: string, allowed: WithdrawalStatus[]): Promise<Withdrawal> {
  assertInTransaction(db, 'a withdrawal step');
  const w = await db.selectFrom('withdrawals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!w) throw new AppError('not_found');
  if (!allowed.includes(w.status)) throw new AppError('invalid_state', `The withdrawal is ${w.status}.`);
  return w;
}

async function notify(db: Kysely<DB>, w: Withdrawal): Promise<void> {
  await enqueueJob(db, WITHDRAWAL_UPDATED_JOB, { withdrawalId: w.id, status: w.status });
}

/** Ends a withdrawal that will not be paid (cancelled by the importer or rejected by finance): the hold is released. */
async function release(db: Kysely<DB>, actor: Actor, id: string, status: 'cancelled' | 'rejected', reason: string | null, from: WithdrawalStatus[]): Promise<Withdrawal> {
  const w = await lockWithdrawal(db, id, from);
  const voided = await voidHold(db, actor, { idempotencyKey: `withdrawal:${id}:void`, holdId: w.hold_entry_id, reason: `withdrawal_${status}` });
  const row = await db
    .updateTable('withdrawals')
    .set({ status, reason, resolve_entry_id: voided.entry.id, decided_by: actor.id, decided_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: `funding.withdrawal_${status}`, objectType: 'withdrawal', objectId: id, data: { reason } });
  await notify(db, row);
  return row;
}

export function cancelWithdrawal(db: Kysely<DB>, actor: Actor, id: string): Promise<Withdrawal> {
  return release(db, actor, id, 'cancelled', null, ['requested']);
}

export function rejectWithdrawal(db: Kysely<DB>, actor: Actor, id: string, reason: string): Promise<Withdrawal> {
  return release(db, actor, id, 'rejected', reason, ['requested', 'approved']);
}

export async function approveWithdrawal(db: Kysely<DB>, actor: Actor, id: string): Promise<Withdrawal> {
  await lockWithdrawal(db, id, ['requested']);
  const row = await db
    .updateTable('withdrawals')
    .set({ status: 'approved', decided_by: actor.id, decided_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'funding.withdrawal_approved', objectType: 'withdrawal', objectId: id, data: {} });
  await notify(db, row);
  return row;
}

/**
 * Finance paid the transfer from a company bank account: the hold is posted (wallet →
 * withdrawals payable) and the payable is settled against the bank (payable → bank), with
 * the bank's transfer reference and, optionally, a proof document.
 */
export async function markWithdrawalPaid(db: Kysely<DB>, actor: Actor, id: string, input: { bankAccountId: string; reference: string; proofDocumentId?: string }): Promise<Withdrawal> {
  const w = await lockWithdrawal(db, id, ['approved']);
  const bank = await getAccount(db, input.bankAccountId);
  if (!bank.code.startsWith('bank:') || bank.currency !== 'IDR') throw new AppError('validation_failed', 'Pay withdrawals from a company bank account in IDR.');
  const posted = await postHold(db, actor, {
    idempotencyKey: `withdrawal:${id}:post`,
    holdId: w.hold_entry_id,
    description: `Withdrawal to ${w.bank_name} ${w.account_number} a.n. ${w.holder_name}, ref ${input.reference}`.slice(0, 500),
  });
  const payout = await createEntry(db, actor, {
    idempotencyKey: `withdrawal:${id}:payout`,
    reason: 'withdrawal_paid',
    reference: { type: 'withdrawal', id },
    description: `Paid to ${w.bank_name} ${w.account_number} a.n. ${w.holder_name}, ref ${input.reference}`.slice(0, 500),
    postings: [{ debitAccountId: SYSTEM_ACCOUNTS.withdrawalsPayable, creditAccountId: bank.id, amount: Money.of(w.amount, 'IDR') }],
  });
  const row = await db
    .updateTable('withdrawals')
    .set({
      status: 'paid',
      resolve_entry_id: posted.entry.id,
      payout_entry_id: payout.entry.id,
      paid_from_account_id: bank.id,
      payout_reference: input.reference,
      proof_document_id: input.proofDocumentId ?? null,
      paid_by: actor.id,
      paid_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'funding.withdrawal_paid', objectType: 'withdrawal', objectId: id, data: { bankAccountId: bank.id, reference: input.reference, proof: input.proofDocumentId ?? null } });
  await notify(db, row);
  return row;
}

export function publicWithdrawal(w: Withdrawal) {
  return {
    id: w.id,
    customerId: w.customer_id,
    status: w.status,
    amount: Money.of(w.amount, 'IDR'),
    destination: { bankName: w.bank_name, accountNumber: w.account_number, holderName: w.holder_name },
    reason: w.reason,
    payoutReference: w.payout_reference,
    paidFromAccountId: w.paid_from_account_id,
    proofDocumentId: w.proof_document_id,
    holdEntryId: w.hold_entry_id,
    createdAt: w.created_at.toISOString(),
    decidedAt: w.decided_at?.toISOString() ?? null,
    paidAt: w.paid_at?.toISOString() ?? null,
  };
}

export async function listWithdrawals(db: Kysely<DB>, filter: { customerId?: string; status?: WithdrawalStatus; limit: number; before?: string }) {
  let q = db.selectFrom('withdrawals').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.before) q = q.where('id', '<', filter.before);
  const rows = await q.execute();
  return { withdrawals: rows.map(publicWithdrawal), nextCursor: rows.length === filter.limit ? rows[rows.length - 1]!.id : null };
}
