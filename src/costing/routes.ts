import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, authorize } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { Money } from '../money/money.ts';
import { Dec } from '../money/rate.ts';
import { computeLandedCost } from './landed-cost.ts';
import { addTaxRule, jakartaToday, listTaxRules, rulesInForce, TAX_RULE_KEYS } from './tax-rules.ts';

const Decimal = Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,20})?$' });
const LandedCostBody = Type.Object(
  {
    goodsCny: MoneySchema,
    chinaShippingCny: MoneySchema,
    freight: MoneySchema,
    insurance: MoneySchema,
    quantity: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    dutyPercent: Decimal,
    hasApi: Type.Boolean(),
    listedGoods: Type.Boolean({ default: false }),
    ndpbmCnyIdr: Decimal,
    regime: Type.Union([Type.Literal('general'), Type.Literal('consignment')], { default: 'general' }),
    date: Type.Optional(Type.String({ format: 'date', description: 'Rules in force on this date (default: today in Jakarta)' })),
  },
  { additionalProperties: false },
);
const TaxRuleBody = Type.Object(
  {
    key: Type.Union(TAX_RULE_KEYS.map((k) => Type.Literal(k))),
    value: Decimal,
    effectiveFrom: Type.String({ format: 'date' }),
    legalBasis: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export async function registerCostingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.post('/costing/landed-cost', { schema: { tags: ['costing'], summary: 'Landed cost of an import: duty, PPN, PPh 22, payment cost, total and per unit', body: LandedCostBody } }, async (request) => {
    const b = request.body as Static<typeof LandedCostBody>;
    const date = b.date ?? jakartaToday();
    const [rules, pricing] = await Promise.all([rulesInForce(db, date), ctx.pricing.get('standard')]);
    const r = computeLandedCost(
      {
        goodsCny: Money.fromJson(b.goodsCny),
        chinaShippingCny: Money.fromJson(b.chinaShippingCny),
        freight: Money.fromJson(b.freight),
        insurance: Money.fromJson(b.insurance),
        quantity: BigInt(b.quantity),
        dutyPercent: new Dec(b.dutyPercent),
        hasApi: b.hasApi,
        listedGoods: b.listedGoods,
        ndpbmCnyIdr: new Dec(b.ndpbmCnyIdr),
        regime: b.regime,
      },
      rules,
      pricing.snapshot,
    );
    return {
      date,
      regime: r.regime,
      regimeNote: r.regimeNote,
      fobUsd: r.fobUsd.toFixed(2),
      customs: r.customs,
      duty: { percent: r.duty.percent.toFixed(), amount: r.duty.amount, note: r.duty.note },
      importValue: r.importValue,
      ppn: { ratePercent: r.ppn.ratePercent.toFixed(), baseFraction: r.ppn.baseFraction, effectivePercent: r.ppn.effectivePercent.toFixed(), amount: r.ppn.amount },
      pph22: { percent: r.pph22.percent.toFixed(), amount: r.pph22.amount, note: r.pph22.note },
      taxesAndDuties: r.taxesAndDuties,
      payment: { cny: r.payment.cny, total: r.payment.total, spread: r.payment.spread.idr, fee: r.payment.fee.idr, platformRate: r.payment.platformRate.toFixed(), referenceRate: r.payment.referenceRate.toFixed() },
      total: r.total,
      perUnit: r.perUnit,
      rules: Object.values(rules).map((rule) => ({ key: rule.key, value: rule.value.toFixed(), effectiveFrom: rule.effectiveFrom, legalBasis: rule.legalBasis })),
    };
  });

  app.get('/public/tax-rules', { schema: { tags: ['public'], summary: 'Duty and tax rates used by the landed-cost calculator, with their history' } }, async () => ({ rules: (await listTaxRules(db)).map(({ createdBy: _c, ...r }) => r) }));

  app.post('/staff/costing/tax-rules', { schema: { tags: ['costing'], summary: 'Add a tax rate effective from a date (admin)', body: TaxRuleBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof TaxRuleBody>;
    if (body.key === 'ppn_base_denominator' && new Dec(body.value).isZero()) throw new AppError('validation_failed', 'The denominator cannot be zero.');
    const row = await db.transaction().execute((tx) => addTaxRule(tx, actorFrom(request), body));
    return reply.status(201).send({ id: row.id });
  });
}
