import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, SuspenseDecisionsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { balanceOf, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { applyDepositCredits } from './deposits.ts';
import { loadFundingSettings } from './settings.ts';
import { publicStatementLine } from './statement-import.ts';

type Decision = Selectable<SuspenseDecisionsTable>;

export type SuspenseDecisionInput =
  | { action: 'assign'; customerId: string; depositId?: string; note: string }
  | { action: 'return'; note: string; returnReference: string };

/** Money that reached the bank but nobody could match: what finance must decide on. */
export async function reviewQueue(db: Kysely<DB>, options: { limit: number }) {
  const lines = await db
    .selectFrom('bank_statement_lines')
    .selectAll()
    .where('status', 'in', ['review', 'pending_approval'])
    .orderBy('value_date')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  const decisions = lines.length
    ? await db.selectFrom('suspense_decisions').selectAll().where('status', '=', 'pending_approval').where('line_id', 'in', lines.map((l) => l.id)).execute()
    : [];
  const byLine = new Map(decisions.map((d) => [d.line_id, d]));
  const suspense = balanceOf(await getAccount(db, SYSTEM_ACCOUNTS.suspense));
  return {
    suspenseBalance: suspense.posted,
    lines: lines.map((l) => ({ ...publicStatementLine(l), pendingDecision: byLine.has(l.id) ? publicDecision(byLine.get(l.id)!) : null })),
  };
}

export function publicDecision(d: Decision) {
  return {
    id: d.id,
    lineId: d.line_id,
    action: d.action,
    customerId: d.customer_id,
    depositId: d.deposit_id,
    amount: Money.of(d.amount, 'IDR'),
    note: d.note,
    returnReference: d.return_reference,
    status: d.status,
    requestedBy: d.requested_by,
    decidedBy: d.decided_by,
    decidedAt: d.decided_at?.toISOString() ?? null,
    rejectionReason: d.rejection_reason,
    entryId: d.entry_id,
    createdAt: d.created_at.toISOString(),
  };
}

/**
 * Finance decides what an unmatched credit is: a customer's money (to their wallet, and
 * optionally towards one of their deposits) or money to send back. Above the approval
 * threshold the decision waits for a second finance user.
 */
export async function decideSuspenseLine(db: Kysely<DB>, actor: Actor, lineId: string, input: SuspenseDecisionInput): Promise<Decision> {
  assertInTransaction(db, 'decideSuspenseLine');
  if (!actor.id) throw new AppError('forbidden');
  const line = await db.selectFrom('bank_statement_lines').selectAll().where('id', '=', lineId).forUpdate().executeTakeFirst();
  if (!line) throw new AppError('not_found', `No statement line ${lineId}.`);
  if (line.status !== 'review') throw new AppError('line_not_in_review', line.status === 'pending_approval' ? 'A decision on this line is waiting for approval.' : undefined);
  if (input.action === 'assign') {
    const customer = await db.selectFrom('customers').select('id').where('id', '=', input.customerId).executeTakeFirst();
    if (!customer) throw new AppError('validation_failed', `No customer ${input.customerId}.`);
    if (input.depositId) {
      const deposit = await db.selectFrom('deposit_intents').select(['customer_id']).where('id', '=', input.depositId).executeTakeFirst();
      if (!deposit || deposit.customer_id !== input.customerId) throw new AppError('validation_failed', 'The deposit does not belong to that customer.');
    }
  }
  const settings = await loadFundingSettings(db);
  const needsApproval = line.amount > settings.assignmentApprovalThreshold;
  const decision = await db
    .insertInto('suspense_decisions')
    .values({
      id: newId('suspenseDecision'),
      line_id: lineId,
      action: input.action,
      customer_id: input.action === 'assign' ? input.customerId : null,
      deposit_id: input.action === 'assign' ? (input.depositId ?? null) : null,
      amount: line.amount,
      note: input.note,
      return_reference: input.action === 'return' ? input.returnReference : null,
      status: 'pending_approval',
      requested_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'funding.suspense_decision_requested',
    objectType: 'statement_line',
    objectId: lineId,
    data: { decision: decision.id, action: input.action, customerId: decision.customer_id, amount: line.amount.toString(), needsApproval },
  });
  if (needsApproval) {
    await db.updateTable('bank_statement_lines').set({ status: 'pending_approval' }).where('id', '=', lineId).execute();
    return decision;
  }
  return executeDecision(db, actor, decision);
}

async function executeDecision(db: Kysely<DB>, actor: Actor, decision: Decision): Promise<Decision> {
  const line = await db.selectFrom('bank_statement_lines').selectAll().where('id', '=', decision.line_id).forUpdate().executeTakeFirstOrThrow();
  const amount = Money.of(decision.amount, 'IDR');
  let entryId: string;
  if (decision.action === 'assign') {
    // Lock order everywhere: deposit intent, then ledger accounts (imports and gateway callbacks do the same).
    const deposit = decision.deposit_id
      ? await db.selectFrom('deposit_intents').select(['status']).where('id', '=', decision.deposit_id).forUpdate().executeTakeFirstOrThrow()
      : undefined;
    const wallet = await ensureCustomerWallet(db, decision.customer_id!, 'IDR');
    const { entry } = await createEntry(db, actor, {
      idempotencyKey: `suspense-decision:${decision.id}`,
      reason: 'suspense_assigned',
      reference: { type: 'statement_line', id: line.id },
      description: `Assigned from suspense: ${decision.note}`.slice(0, 500),
      postings: [{ debitAccountId: SYSTEM_ACCOUNTS.suspense, creditAccountId: wallet.id, amount }],
    });
    entryId = entry.id;
    if (decision.deposit_id && deposit) {
      await applyDepositCredits(db, actor, [
        { depositId: decision.deposit_id, sourceType: 'assignment', sourceId: decision.id, amount: decision.amount, late: deposit.status === 'expired' || deposit.status === 'cancelled', entryId },
      ]);
    }
  } else {
    const { entry } = await createEntry(db, actor, {
      idempotencyKey: `suspense-decision:${decision.id}`,
      reason: 'deposit_returned',
      reference: { type: 'statement_line', id: line.id },
      description: `Returned to sender (${decision.return_reference}): ${decision.note}`.slice(0, 500),
      postings: [{ debitAccountId: SYSTEM_ACCOUNTS.suspense, creditAccountId: line.bank_account_id, amount }],
    });
    entryId = entry.id;
  }
  await db
    .updateTable('bank_statement_lines')
    .set({
      status: decision.action === 'assign' ? 'assigned' : 'returned',
      customer_id: decision.customer_id,
      deposit_id: decision.deposit_id,
    })
    .where('id', '=', line.id)
    .execute();
  const done = await db
    .updateTable('suspense_decisions')
    .set({ status: 'done', entry_id: entryId, decided_by: actor.id, decided_at: sql<Date>`now()` })
    .where('id', '=', decision.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: decision.action === 'assign' ? 'funding.suspense_assigned' : 'funding.suspense_returned',
    objectType: 'statement_line',
    objectId: line.id,
    data: { decision: decision.id, entryId, customerId: decision.customer_id, depositId: decision.deposit_id, amount: decision.amount.toString() },
  });
  return done;
}

async function pendingDecision(db: Kysely<DB>, id: string): Promise<Decision> {
  const d = await db.selectFrom('suspense_decisions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!d) throw new AppError('not_found');
  if (d.status !== 'pending_approval') throw new AppError('invalid_state', `This decision is ${d.status}.`);
  return d;
}

/** The second pair of eyes: someone other than the requester carries the decision out. */
export async function approveSuspenseDecision(db: Kysely<DB>, actor: Actor, id: string): Promise<Decision> {
  assertInTransaction(db, 'approveSuspenseDecision');
  const d = await pendingDecision(db, id);
  if (d.requested_by === actor.id) throw new AppError('second_person_required', 'You requested this decision; another finance user must approve it.');
  await recordAudit(db, actor, { action: 'funding.suspense_decision_approved', objectType: 'suspense_decision', objectId: id, data: { requestedBy: d.requested_by } });
  return executeDecision(db, actor, d);
}

export async function rejectSuspenseDecision(db: Kysely<DB>, actor: Actor, id: string, reason: string): Promise<Decision> {
  assertInTransaction(db, 'rejectSuspenseDecision');
  const d = await pendingDecision(db, id);
  const row = await db
    .updateTable('suspense_decisions')
    .set({ status: 'rejected', decided_by: actor.id, decided_at: sql<Date>`now()`, rejection_reason: reason })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('bank_statement_lines').set({ status: 'review' }).where('id', '=', d.line_id).execute();
  await recordAudit(db, actor, { action: 'funding.suspense_decision_rejected', objectType: 'suspense_decision', objectId: id, data: { reason } });
  return row;
}

export async function listDecisions(db: Kysely<DB>, status: Decision['status'] | undefined, limit: number) {
  let q = db.selectFrom('suspense_decisions').selectAll().orderBy('created_at', 'desc').limit(limit);
  if (status) q = q.where('status', '=', status);
  return (await q.execute()).map(publicDecision);
}
