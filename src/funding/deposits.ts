import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { bigintArray, textArray } from '../db/arrays.ts';
import { assertInTransaction } from '../db/database.ts';
import { StatementPipeline } from '../db/pipeline.ts';
import type { DB, DepositIntentsTable, DepositPurpose } from '../db/schema.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { jakartaToday } from '../costing/tax-rules.ts';
import { Money } from '../money/money.ts';
import { getBankAccount, listBankAccounts, publicBankAccount, type CompanyBankAccount } from './bank-accounts.ts';
import type { PaymentGateway } from './gateway.ts';
import { loadFundingSettings } from './settings.ts';

export type DepositIntent = Selectable<DepositIntentsTable>;

export const DEPOSIT_CREDITED_JOB = 'funding.deposit_credited';
export const EXPIRE_DEPOSITS_JOB = 'funding.expire_deposits';
/** Enqueued when a payment order's deposit is paid; handled by the payments module. */
export const ORDER_DEPOSIT_PAID_JOB = 'funding.order_deposit_paid';

/** Largest single deposit intent: Rp 10 miliar. */
const MAX_DEPOSIT = 10_000_000_000n * 100n;
/** Crockford base32 without I, L, O, U: no look-alike characters when read over the phone. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function newReferenceCode(): string {
  let code = 'JBT';
  for (let i = 0; i < 7; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const jakartaDate = (d: Date) => jakartaToday(d);

export interface CreateDepositInput {
  customerId: string;
  amount: Money;
  purpose: DepositPurpose;
  bankAccountId?: string;
  reference?: { type: string; id: string };
  /** Pay into a gateway virtual account instead of the bank account with a unique code. */
  virtualAccount?: { gateway: PaymentGateway; bankCode: string };
  expiresInHours?: number;
  /** An exact deadline instead (e.g. a payment order's deposit ends with its quote). */
  expiresAt?: Date;
}

async function pickBankAccount(db: Kysely<DB>, id: string | undefined): Promise<CompanyBankAccount> {
  if (id) {
    const b = await getBankAccount(db, id);
    if (!b.accepts_deposits) throw new AppError('validation_failed', 'This bank account does not take deposits.');
    return b;
  }
  const [first] = await listBankAccounts(db, { depositsOnly: true });
  if (!first) throw new AppError('no_deposit_account');
  return first;
}

/**
 * Opens a deposit intent: the amount plus a unique code of 1–999 rupiah that no other
 * open intent on the same bank account expects, so the transfer is recognisable on the
 * statement; or, through a gateway, a virtual account for the exact amount.
 */
export async function createDepositIntent(db: Kysely<DB>, actor: Actor, input: CreateDepositInput): Promise<DepositIntent> {
  const { amount } = input;
  if (amount.currency !== 'IDR') throw new AppError('currency_mismatch', 'Deposits are in rupiah (IDR).');
  if (!amount.isPositive() || amount.minor % 100n !== 0n) throw new AppError('validation_failed', 'A deposit is a positive whole number of rupiah.');
  if (amount.minor > MAX_DEPOSIT) throw new AppError('validation_failed', 'A single deposit is at most Rp 10.000.000.000; split larger amounts.');
  const bank = await pickBankAccount(db, input.bankAccountId);
  const settings = await loadFundingSettings(db);
  const hours = input.expiresInHours ?? settings.depositExpiryHours;
  const expiresAt = input.expiresAt ?? new Date(Date.now() + hours * 3600_000);
  if (expiresAt.getTime() <= Date.now()) throw new AppError('validation_failed', 'The deposit would already be expired.');
  const id = newId('deposit');
  const customer = await db.selectFrom('customers').select(['name', 'status']).where('id', '=', input.customerId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', 'No such customer.');
  if (customer.status !== 'active') throw new AppError('forbidden', 'This customer account is suspended.');

  const base = {
    id,
    customer_id: input.customerId,
    bank_account_id: bank.ledger_account_id,
    purpose: input.purpose,
    reference_type: input.reference?.type ?? null,
    reference_id: input.reference?.id ?? null,
    requested_amount: amount.minor,
    expires_at: expiresAt,
    created_by: actor.id,
  };

  // The gateway is called before any transaction opens: a slow gateway must not hold locks.
  const va = input.virtualAccount
    ? await input.virtualAccount.gateway.createVirtualAccount({ externalId: id, bankCode: input.virtualAccount.bankCode, customerName: customer.name, amount: amount.minor, expiresAt })
    : null;
  const write = <T,>(work: (tx: Kysely<DB>) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return write(async (tx) => {
    let intent: DepositIntent | undefined;
    if (va) {
      intent = await tx
        .insertInto('deposit_intents')
        .values({
          ...base,
          reference_code: newReferenceCode(),
          unique_code: 0,
          amount_due: amount.minor,
          gateway: input.virtualAccount!.gateway.name,
          virtual_account_bank: va.bankCode,
          virtual_account_number: va.accountNumber,
          gateway_external_id: id,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      // Amounts near this one that open intents expect, or that closed ones still take as a
      // late payment: a late transfer must never look like someone else's on-time one.
      const lateSince = new Date(Date.now() - (settings.lateMatchDays + 1) * 86_400_000);
      const taken = new Set(
        (
          await tx
            .selectFrom('deposit_intents')
            .select('amount_due')
            .where('bank_account_id', '=', bank.ledger_account_id)
            .where('virtual_account_number', 'is', null)
            .where((eb) => eb.or([eb('status', 'in', ['open', 'partially_paid']), eb.and([eb('status', 'in', ['expired', 'cancelled']), eb('expires_at', '>=', lateSince)])]))
            .where('amount_due', '>', amount.minor)
            .where('amount_due', '<=', amount.minor + 99_900n)
            .execute()
        ).map((r) => Number((r.amount_due - amount.minor) / 100n)),
      );
      const free = Array.from({ length: 999 }, (_, i) => i + 1).filter((c) => !taken.has(c));
      for (let attempt = 0; attempt < 5 && !intent && free.length > 0; attempt++) {
        const code = free.splice(randomInt(free.length), 1)[0]!;
        // A concurrent intent may take the same amount first: the partial unique index
        // decides, and we draw again instead of failing.
        intent = await tx
          .insertInto('deposit_intents')
          .values({ ...base, reference_code: newReferenceCode(), unique_code: code, amount_due: amount.minor + BigInt(code) * 100n })
          .onConflict((oc) => oc.columns(['bank_account_id', 'amount_due']).where('status', 'in', ['open', 'partially_paid']).where('virtual_account_number', 'is', null).doNothing())
          .returningAll()
          .executeTakeFirst();
      }
      if (!intent) throw new AppError('conflict', 'Too many open deposits for amounts close to this one; try a slightly different amount or another bank account.');
    }
    await recordAudit(tx, actor, {
      action: 'funding.deposit_created',
      objectType: 'deposit',
      objectId: intent.id,
      data: { customerId: input.customerId, amountDue: intent.amount_due.toString(), uniqueCode: intent.unique_code, purpose: input.purpose, virtualAccount: intent.virtual_account_number },
    });
    return intent;
  });
}

export async function getDeposit(db: Kysely<DB>, id: string): Promise<DepositIntent> {
  const d = await db.selectFrom('deposit_intents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) throw new AppError('not_found', `No deposit ${id}.`);
  return d;
}

export async function cancelDeposit(db: Kysely<DB>, actor: Actor, id: string): Promise<DepositIntent> {
  assertInTransaction(db, 'cancelDeposit');
  const d = await db.selectFrom('deposit_intents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!d) throw new AppError('not_found');
  if (d.status !== 'open') throw new AppError('deposit_not_open', d.status === 'partially_paid' ? 'Part of this deposit has arrived; it stays open until it expires.' : undefined);
  const row = await db
    .updateTable('deposit_intents')
    .set({ status: 'cancelled', closed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'funding.deposit_cancelled', objectType: 'deposit', objectId: id, data: {} });
  return row;
}

/** Closes intents past their deadline. Money arriving later is still credited (late). */
export async function expireDeposits(db: Kysely<DB>, actor: Actor): Promise<number> {
  const rows = await db
    .updateTable('deposit_intents')
    .set({ status: 'expired', closed_at: sql<Date>`now()` })
    .where('status', 'in', ['open', 'partially_paid'])
    .where('expires_at', '<=', sql<Date>`now()`)
    .returning(['id', 'received_amount'])
    .execute();
  for (const r of rows) await recordAudit(db, actor, { action: 'funding.deposit_expired', objectType: 'deposit', objectId: r.id, data: { received: r.received_amount.toString() } });
  return rows.length;
}

export interface DepositCreditInput {
  depositId: string;
  /** Statement lines are their own record of a credit (bank_statement_lines.deposit_id); these are the others. */
  sourceType: 'gateway' | 'assignment';
  sourceId: string;
  amount: bigint;
  late: boolean;
  entryId: string;
}

/**
 * Records money applied to deposit intents from a gateway payment or a suspense
 * assignment (a deposit_credits row each; the ledger entries are written by the caller in
 * the same transaction), then moves the intents on (creditDeposits).
 */
export async function applyDepositCredits(db: Kysely<DB>, actor: Actor, credits: DepositCreditInput[]): Promise<void> {
  assertInTransaction(db, 'applyDepositCredits');
  if (credits.length === 0) return;
  for (let start = 0; start < credits.length; start += 5000) {
    const chunk = credits.slice(start, start + 5000);
    await db
      .insertInto('deposit_credits')
      .values(chunk.map((c) => ({ id: newId('depositCredit'), deposit_id: c.depositId, source_type: c.sourceType, source_id: c.sourceId, amount: c.amount, late: c.late, entry_id: c.entryId })))
      .execute();
  }
  await creditDeposits(db, actor, credits);
}

/**
 * Adds money to deposit intents and moves each to partially paid or paid, with an audit
 * row for every transition (who, from, to) and the jobs that follow (a paid payment
 * order's deposit, the importers' notifications). Set-wise: a statement of thousands of
 * credits costs one statement here. Intents already closed keep their status: the money is
 * in the wallet, recorded as a late payment. The caller records where the money came from
 * and holds the intents' row locks.
 */
export async function creditDeposits(db: Kysely<DB>, actor: Actor, credits: { depositId: string; amount: bigint }[], options: { pipeline?: StatementPipeline } = {}): Promise<void> {
  assertInTransaction(db, 'creditDeposits');
  if (credits.length === 0) return;
  const totals = new Map<string, bigint>();
  for (const c of credits) totals.set(c.depositId, (totals.get(c.depositId) ?? 0n) + c.amount);
  const ids = [...totals.keys()];
  // An audit id for each intent, used by those whose status changes.
  const auditIds = ids.map(() => newId('audit'));
  // The CTEs read the rows as they were before the update (one snapshot): the transitions.
  const pipeline = options.pipeline ?? new StatementPipeline(db);
  let paidOrders: { id: string; reference_id: string | null }[] = [];
  const update = sql<{ id: string; reference_id: string | null }>`
    with x as (
      select * from unnest(${textArray(ids)}, ${bigintArray([...totals.values()])}, ${textArray(auditIds)}) as x(id, amount, audit_id)
    ),
    before as (select d.id, d.status, x.amount, x.audit_id from deposit_intents d join x on x.id = d.id),
    changed as (
      update deposit_intents d set
        received_amount = d.received_amount + b.amount,
        status = case when d.status in ('open', 'partially_paid') then
                   case when d.received_amount + b.amount >= d.amount_due then 'paid' else 'partially_paid' end
                 else d.status end,
        paid_at = case when d.status in ('open', 'partially_paid') and d.received_amount + b.amount >= d.amount_due then now() else d.paid_at end
      from before b
      where d.id = b.id
      returning d.id, d.status, b.status as old_status, d.received_amount, d.purpose, d.reference_id, b.audit_id
    ),
    audited as (
      insert into audit_log (id, actor_type, actor_id, action, object_type, object_id, ip, user_agent, request_id, data)
      select audit_id, ${actor.type}::text, ${actor.id}::text, 'funding.deposit_status_changed', 'deposit', id,
        ${actor.ip ?? null}::text, ${actor.userAgent ?? null}::text, ${actor.requestId ?? null}::text,
        jsonb_build_object('from', old_status, 'to', status, 'received', received_amount::text)
      from changed where status <> old_status
    )
    select id, reference_id from changed where status = 'paid' and old_status <> 'paid' and purpose = 'payment_order'`;
  await pipeline.push(update, (rows) => (paidOrders = rows));
  await pipeline.drain();
  // A payment order's deposit that just became paid: the payments module funds the order.
  for (const i of paidOrders) await enqueueJob(db, ORDER_DEPOSIT_PAID_JOB, { depositId: i.id, orderId: i.reference_id }, { dedupeKey: `order-deposit-paid:${i.id}` });
  // One notification job per thousand credited intents (not one each): a large statement stays cheap.
  const notices = [...totals].map(([depositId, amount]) => ({ depositId, amount: amount.toString() }));
  for (let start = 0; start < notices.length; start += 1000) {
    await enqueueJob(db, DEPOSIT_CREDITED_JOB, { batch: newId('job'), credits: notices.slice(start, start + 1000) });
  }
}

/**
 * Every credit applied to a deposit, oldest first: its statement lines (matched on import)
 * and its other credits (gateway payments, suspense assignments).
 */
export async function depositCredits(db: Kysely<DB>, depositId: string) {
  const { rows } = await sql<{ id: string; source_type: 'statement_line' | 'gateway' | 'assignment'; source_id: string; amount: bigint; late: boolean; entry_id: string; created_at: Date }>`
    select id, 'statement_line' as source_type, id as source_id, amount, late, entry_id, created_at
      from bank_statement_lines where deposit_id = ${depositId} and status = 'matched'
    union all
    select id, source_type, source_id, amount, late, entry_id, created_at from deposit_credits where deposit_id = ${depositId}
    order by created_at, id`.execute(db);
  return rows.map((c) => ({ id: c.id, source: { type: c.source_type, id: c.source_id }, amount: Money.of(c.amount, 'IDR'), late: c.late, entryId: c.entry_id, at: c.created_at.toISOString() }));
}

export function publicDeposit(d: DepositIntent, bank: CompanyBankAccount) {
  const outstanding = d.amount_due - d.received_amount;
  return {
    id: d.id,
    customerId: d.customer_id,
    status: d.status,
    purpose: d.purpose,
    reference: d.reference_type ? { type: d.reference_type, id: d.reference_id } : null,
    referenceCode: d.reference_code,
    requested: Money.of(d.requested_amount, 'IDR'),
    uniqueCode: Money.of(BigInt(d.unique_code) * 100n, 'IDR'),
    amountDue: Money.of(d.amount_due, 'IDR'),
    received: Money.of(d.received_amount, 'IDR'),
    outstanding: Money.of(outstanding > 0n ? outstanding : 0n, 'IDR'),
    overpaid: Money.of(outstanding < 0n ? -outstanding : 0n, 'IDR'),
    bank: publicBankAccount(bank),
    virtualAccount: d.virtual_account_number ? { gateway: d.gateway, bankCode: d.virtual_account_bank, number: d.virtual_account_number } : null,
    expiresAt: d.expires_at.toISOString(),
    createdAt: d.created_at.toISOString(),
    paidAt: d.paid_at?.toISOString() ?? null,
  };
}

/** Intents with their bank account, for lists. */
export async function listDeposits(db: Kysely<DB>, filter: { customerId?: string; status?: string; limit: number; before?: string }) {
  let q = db.selectFrom('deposit_intents').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.customerId) q = q.where('customer_id', '=', filter.customerId);
  if (filter.status) q = q.where('status', '=', filter.status as DepositIntent['status']);
  if (filter.before) q = q.where('id', '<', filter.before);
  const rows = await q.execute();
  const banks = new Map((await db.selectFrom('company_bank_accounts').selectAll().execute()).map((b) => [b.ledger_account_id, b]));
  return { deposits: rows.map((d) => publicDeposit(d, banks.get(d.bank_account_id)!)), nextCursor: rows.length === filter.limit ? rows[rows.length - 1]!.id : null };
}

export { newReferenceCode };
