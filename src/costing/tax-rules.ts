import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { Dec, parseDecimal, type Dec as Decimal } from '../money/rate.ts';

/** The keys the landed-cost calculator reads; each is data with an effective date (tax_rules). */
export const TAX_RULE_KEYS = [
  'ppn_rate_percent',
  'ppn_base_numerator',
  'ppn_base_denominator',
  'pph22_with_api_percent',
  'pph22_without_api_percent',
  'pph22_listed_goods_percent',
  'consignment_duty_free_usd',
  'consignment_max_usd',
  'consignment_duty_percent',
  'customs_rounding_idr',
] as const;
export type TaxRuleKey = (typeof TAX_RULE_KEYS)[number];

export interface TaxRule {
  key: TaxRuleKey;
  value: Decimal;
  effectiveFrom: string;
  legalBasis: string | null;
}

export type TaxRules = Record<TaxRuleKey, TaxRule>;

/** The rules in force on a date (YYYY-MM-DD): for each key, the latest that has started. */
export async function rulesInForce(db: Kysely<DB>, onDate: string): Promise<TaxRules> {
  const { rows } = await sql<{ key: string; value: string; effective_from: string; legal_basis: string | null }>`
    select distinct on (key) key, value::text as value, effective_from::text as effective_from, legal_basis
    from tax_rules where effective_from <= ${onDate}::date
    order by key, effective_from desc`.execute(db);
  const found = new Map(rows.map((r) => [r.key, r]));
  const missing = TAX_RULE_KEYS.filter((k) => !found.has(k));
  if (missing.length > 0) throw new AppError('pricing_unavailable', `No tax rule in force on ${onDate} for: ${missing.join(', ')}.`);
  return Object.fromEntries(
    TAX_RULE_KEYS.map((k) => {
      const r = found.get(k)!;
      return [k, { key: k, value: new Dec(r.value), effectiveFrom: r.effective_from, legalBasis: r.legal_basis }];
    }),
  ) as TaxRules;
}

export async function listTaxRules(db: Kysely<DB>) {
  const rows = await db.selectFrom('tax_rules').selectAll().orderBy('key').orderBy('effective_from', 'desc').execute();
  return rows.map((r) => ({ id: r.id, key: r.key, value: new Dec(r.value).toFixed(), effectiveFrom: toDateString(r.effective_from), legalBasis: r.legal_basis, createdBy: r.created_by }));
}

function toDateString(d: Date | string): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

export async function addTaxRule(db: Kysely<DB>, actor: Actor, input: { key: TaxRuleKey; value: string; effectiveFrom: string; legalBasis: string }) {
  parseDecimal(input.value);
  const row = await db
    .insertInto('tax_rules')
    .values({ id: newId('taxRule'), key: input.key, value: input.value, effective_from: input.effectiveFrom, legal_basis: input.legalBasis, created_by: actor.id })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `${input.key} already has a value from ${input.effectiveFrom}.`);
      throw err;
    });
  await recordAudit(db, actor, { action: 'costing.tax_rule_added', objectType: 'tax_rule', objectId: row.id, data: input });
  return row;
}

/** Today's date in Jakarta, the calendar customs works in. */
export function jakartaToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}
