import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, RiskFlagsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { formatMoney } from '../money/format.ts';
import { normaliseText, type Payee, type Supplier } from '../payments/payees.ts';

export type RiskFlag = Selectable<RiskFlagsTable>;

/** A payee whose details changed within this many days is flagged. */
const RECENT_CHANGE_DAYS = 30;

const COMPANY_MARKERS = /(公司|有限|集团|厂|商行|工作室|经营部|贸易|实业|科技|co\.?,?\s*ltd|company|limited|inc\.?|corp)/i;

/** Compare names as people read them: no spaces, brackets or punctuation, one width, one case. */
function comparable(name: string): string {
  return normaliseText(name).toLowerCase().replace(/[\s()（）·.,，、'"-]/g, '');
}

export interface FlagDraft {
  code: 'new_payee' | 'name_mismatch' | 'blocklisted' | 'details_changed' | 'amount_unusual';
  severity: 'info' | 'high';
  reason: string;
}

/**
 * The checks run on every payout of a payment order. High flags stop the payout until
 * compliance clears them; info flags are shown to the operator.
 */
export async function assessPayee(db: Kysely<DB>, input: { customerId: string; orderId: string; payee: Payee; supplier: Supplier; cnyAmount: bigint; historyMultiple: bigint }): Promise<FlagDraft[]> {
  const { payee, supplier } = input;
  const flags: FlagDraft[] = [];

  const paidBefore = await db
    .selectFrom('payment_orders')
    .select(sql<string>`count(*)`.as('n'))
    .where('payee_id', '=', payee.id)
    .where('id', '!=', input.orderId)
    .where('status', 'in', ['paid', 'completed'])
    .executeTakeFirstOrThrow();
  if (Number(paidBefore.n) === 0) flags.push({ code: 'new_payee', severity: 'info', reason: `First payment to ${payee.holder_name} (${payee.kind} ${payee.account}).` });

  const holder = comparable(payee.holder_name);
  const company = comparable(supplier.company_name);
  // One name inside the other counts as a match only when it is a real name, not "有限公司" or "Star".
  const contains = (a: string, b: string) => b.length >= 6 && a.includes(b);
  if (COMPANY_MARKERS.test(supplier.company_name) && holder !== company && !contains(holder, company) && !contains(company, holder)) {
    const personal = !COMPANY_MARKERS.test(payee.holder_name);
    flags.push({
      code: 'name_mismatch',
      severity: 'high',
      reason: personal
        ? `The account belongs to a person (${payee.holder_name}), not to the supplier's company ${supplier.company_name}: the classic scam of a personal account for a company store.`
        : `The account holder ${payee.holder_name} is not the supplier's company ${supplier.company_name}.`,
    });
  }

  const blocked = await db
    .selectFrom('payee_blocklist')
    .select(['kind', 'value', 'reason'])
    .where((eb) => eb.or([eb.and([eb('kind', '=', 'account'), eb('value', '=', payee.account)]), eb.and([eb('kind', '=', 'holder_name'), eb('value', '=', comparable(payee.holder_name))])]))
    .execute();
  for (const b of blocked) flags.push({ code: 'blocklisted', severity: 'high', reason: `On the blocklist (${b.kind === 'account' ? 'account' : 'holder name'}): ${b.reason}` });

  if (payee.details_changed_at && Date.now() - payee.details_changed_at.getTime() < RECENT_CHANGE_DAYS * 86_400_000) {
    flags.push({ code: 'details_changed', severity: 'high', reason: `The payee's account details changed on ${payee.details_changed_at.toISOString().slice(0, 10)}: confirm with the supplier by another channel ("our bank account changed" is a known fraud).` });
  }

  const largest = await db
    .selectFrom('payment_orders')
    .select(sql<bigint | null>`max(cny_amount)`.as('max'))
    .where('customer_id', '=', input.customerId)
    .where('id', '!=', input.orderId)
    .where('status', 'in', ['paid', 'completed'])
    .executeTakeFirstOrThrow();
  if (largest.max !== null && input.cnyAmount > BigInt(largest.max) * input.historyMultiple) {
    flags.push({
      code: 'amount_unusual',
      severity: 'high',
      reason: `${formatMoney(input.cnyAmount, 'CNY', 'en')} is more than ${input.historyMultiple}× this customer's largest paid order (${formatMoney(BigInt(largest.max), 'CNY', 'en')}).`,
    });
  }
  return flags;
}

export async function recordFlags(db: Kysely<DB>, orderId: string, payeeId: string, flags: FlagDraft[]): Promise<void> {
  for (const f of flags) {
    await db
      .insertInto('risk_flags')
      .values({ id: newId('riskFlag'), order_id: orderId, payee_id: payeeId, code: f.code, severity: f.severity, reason: f.reason })
      .onConflict((oc) => oc.columns(['order_id', 'code']).doNothing())
      .execute();
  }
}

export async function openHighFlags(db: Kysely<DB>, orderId: string): Promise<RiskFlag[]> {
  // A confirmed risk stops the payout for good (the order is refunded); only "cleared" lets it go.
  return db.selectFrom('risk_flags').selectAll().where('order_id', '=', orderId).where('severity', '=', 'high').where('status', 'in', ['open', 'confirmed']).execute();
}

/** Compliance decides: `cleared` lets the payout go; `confirmed` keeps it stopped (the order is then cancelled). */
export async function decideFlag(db: Kysely<DB>, actor: Actor, flagId: string, decision: 'cleared' | 'confirmed', note: string): Promise<RiskFlag> {
  const flag = await db.selectFrom('risk_flags').selectAll().where('id', '=', flagId).forUpdate().executeTakeFirst();
  if (!flag) throw new AppError('not_found');
  if (flag.status !== 'open') throw new AppError('invalid_state', `This flag is already ${flag.status}.`);
  const row = await db
    .updateTable('risk_flags')
    .set({ status: decision, decided_by: actor.id, decided_at: sql<Date>`now()`, decision_note: note })
    .where('id', '=', flagId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: `risk.flag_${decision}`, objectType: 'payment_order', objectId: flag.order_id, data: { flag: flagId, code: flag.code, note } });
  return row;
}

export async function addToBlocklist(db: Kysely<DB>, actor: Actor, input: { kind: 'account' | 'holder_name'; value: string; reason: string }) {
  // Accounts as payees store them: digits without spaces, a Chinese mobile without +86.
  const compact = normaliseText(input.value).replace(/[\s-]/g, '').toLowerCase();
  const value = input.kind === 'holder_name' ? comparable(input.value) : (compact.match(/^(?:\+?86)?(1[3-9][0-9]{9})$/)?.[1] ?? compact);
  const row = await db
    .insertInto('payee_blocklist')
    .values({ id: newId('blocklist'), kind: input.kind, value, reason: input.reason, created_by: actor.id })
    .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet({ reason: input.reason }))
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'risk.blocklist_added', objectType: 'payee_blocklist', objectId: row.id, data: { kind: input.kind, value, reason: input.reason } });
  return row;
}

export function publicFlag(f: RiskFlag) {
  return {
    id: f.id,
    orderId: f.order_id,
    payeeId: f.payee_id,
    code: f.code,
    severity: f.severity,
    reason: f.reason,
    status: f.status,
    decidedBy: f.decided_by,
    decidedAt: f.decided_at?.toISOString() ?? null,
    decisionNote: f.decision_note,
    createdAt: f.created_at.toISOString(),
  };
}
