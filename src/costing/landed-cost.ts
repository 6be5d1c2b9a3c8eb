import { AppError } from '../app/errors.ts';
import { priceCny, type PricingSnapshot, type QuoteFigures } from '../fx/quote-engine.ts';
import { Money } from '../money/money.ts';
import { Dec, toBigInt, type Dec as Decimal } from '../money/rate.ts';
import type { TaxRules } from './tax-rules.ts';

/**
 * Landed cost of an import, pure arithmetic over the rules in force (docs/landed-cost.md).
 *
 * General import: CIF = (goods + China shipping) × NDPBM + freight + insurance;
 * duty = CIF × duty %; import value = CIF + duty; PPN = import value × 11/12 × 12 %;
 * PPh 22 = import value × 2.5 % (API) / 7.5 % (no API) / 10 % (listed goods).
 * E-commerce consignment (FOB ≤ USD 1,500): up to USD 3 no duty; above, 7.5 % duty;
 * PPN due; no PPh 22; listed categories at the general rates.
 * Duties and taxes are rounded up to the thousand rupiah as customs bills them.
 */
export interface LandedCostInput {
  goodsCny: Money;
  chinaShippingCny: Money;
  freight: Money;
  insurance: Money;
  quantity: bigint;
  dutyPercent: Decimal;
  hasApi: boolean;
  listedGoods: boolean;
  /** Customs exchange rate for the week, IDR per CNY. */
  ndpbmCnyIdr: Decimal;
  regime: 'general' | 'consignment';
}

export interface LandedCost {
  regime: 'general' | 'consignment';
  regimeNote: string | null;
  fobUsd: Decimal;
  customs: { goodsIdr: Money; freight: Money; insurance: Money; cif: Money };
  duty: { percent: Decimal; amount: Money; note: string | null };
  importValue: Money;
  ppn: { ratePercent: Decimal; baseFraction: string; effectivePercent: Decimal; amount: Money };
  pph22: { percent: Decimal; amount: Money; note: string | null };
  taxesAndDuties: Money;
  payment: QuoteFigures;
  total: Money;
  perUnit: Money;
}

const HUNDRED = new Dec(100);

function sen(v: Decimal): Money {
  return Money.of(toBigInt(v, 'half_up'), 'IDR');
}

export function computeLandedCost(input: LandedCostInput, rules: TaxRules, pricing: PricingSnapshot): LandedCost {
  for (const [name, m, cur] of [['goodsCny', input.goodsCny, 'CNY'], ['chinaShippingCny', input.chinaShippingCny, 'CNY'], ['freight', input.freight, 'IDR'], ['insurance', input.insurance, 'IDR']] as const) {
    if (m.currency !== cur) throw new AppError('currency_mismatch', `${name} must be in ${cur}.`);
    if (m.isNegative()) throw new AppError('validation_failed', `${name} cannot be negative.`);
  }
  if (!input.goodsCny.isPositive()) throw new AppError('validation_failed', 'The goods value must be positive.');
  if (input.quantity < 1n) throw new AppError('validation_failed', 'The quantity must be at least 1.');
  if (input.dutyPercent.lt(0) || input.dutyPercent.gt(200)) throw new AppError('validation_failed', 'The duty rate must be between 0 and 200 %.');
  if (input.ndpbmCnyIdr.lte(0)) throw new AppError('validation_failed', 'The customs exchange rate must be positive.');

  const roundStep = BigInt(rules.customs_rounding_idr.value.toFixed(0)) * 100n; // in sen
  const customsRound = (v: Decimal): Money => {
    const raw = toBigInt(v, 'ceiling');
    return Money.of(roundStep > 0n ? ((raw + roundStep - 1n) / roundStep) * roundStep : raw, 'IDR');
  };

  const fobCny = input.goodsCny.add(input.chinaShippingCny);
  const fobYuan = new Dec(fobCny.minor.toString()).div(HUNDRED);
  const fobUsd = fobYuan.mul(pricing.cnyUsd.rate.toFixed());
  const goodsIdrSen = fobYuan.mul(input.ndpbmCnyIdr).mul(HUNDRED);
  const cifSen = goodsIdrSen.add(input.freight.minor.toString()).add(input.insurance.minor.toString());

  let regime = input.regime;
  let regimeNote: string | null = null;
  let dutyPercent = input.dutyPercent;
  let dutyNote: string | null = null;
  let pph22Applies = true;
  if (regime === 'consignment') {
    if (fobUsd.gt(rules.consignment_max_usd.value)) {
      regime = 'general';
      regimeNote = `FOB USD ${fobUsd.toFixed(2)} is above the consignment limit of USD ${rules.consignment_max_usd.value.toFixed()}: general import rules apply.`;
    } else if (input.listedGoods) {
      dutyNote = 'Listed category: general duty and tax rates apply to this consignment.';
    } else {
      pph22Applies = false;
      if (fobUsd.lte(rules.consignment_duty_free_usd.value)) {
        dutyPercent = new Dec(0);
        dutyNote = `FOB up to USD ${rules.consignment_duty_free_usd.value.toFixed()}: no import duty.`;
      } else {
        dutyPercent = rules.consignment_duty_percent.value;
        dutyNote = `Consignment between USD ${rules.consignment_duty_free_usd.value.toFixed()} and ${rules.consignment_max_usd.value.toFixed()}: flat ${dutyPercent.toFixed()} % duty.`;
      }
    }
  }

  const duty = customsRound(cifSen.mul(dutyPercent).div(HUNDRED));
  const cif = sen(cifSen);
  const importValue = cif.add(duty);
  const base = new Dec(importValue.minor.toString()).mul(rules.ppn_base_numerator.value).div(rules.ppn_base_denominator.value);
  const ppn = customsRound(base.mul(rules.ppn_rate_percent.value).div(HUNDRED));
  const pphPercent = !pph22Applies ? new Dec(0) : input.listedGoods ? rules.pph22_listed_goods_percent.value : input.hasApi ? rules.pph22_with_api_percent.value : rules.pph22_without_api_percent.value;
  const pph22 = customsRound(new Dec(importValue.minor.toString()).mul(pphPercent).div(HUNDRED));
  const pphNote = !pph22Applies ? 'No PPh 22 on consignments under the e-commerce regime.' : input.listedGoods ? 'Listed goods rate.' : input.hasApi ? 'Importer with an API (importer identification number).' : 'Importer without an API.';

  const payment = priceCny(fobCny, pricing);
  const taxesAndDuties = duty.add(ppn).add(pph22);
  const total = payment.total.add(input.freight).add(input.insurance).add(taxesAndDuties);
  const perUnit = Money.of(toBigInt(new Dec(total.minor.toString()).div(input.quantity.toString()), 'half_up'), 'IDR');

  return {
    regime,
    regimeNote,
    fobUsd,
    customs: { goodsIdr: sen(goodsIdrSen), freight: input.freight, insurance: input.insurance, cif },
    duty: { percent: dutyPercent, amount: duty, note: dutyNote },
    importValue,
    ppn: {
      ratePercent: rules.ppn_rate_percent.value,
      baseFraction: `${rules.ppn_base_numerator.value.toFixed()}/${rules.ppn_base_denominator.value.toFixed()}`,
      effectivePercent: rules.ppn_rate_percent.value.mul(rules.ppn_base_numerator.value).div(rules.ppn_base_denominator.value).toDecimalPlaces(4),
      amount: ppn,
    },
    pph22: { percent: pphPercent, amount: pph22, note: pphNote },
    taxesAndDuties,
    payment,
    total,
    perUnit,
  };
}
