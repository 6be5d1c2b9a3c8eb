import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, type LandedCost, type LandedCostRequest, type TaxRuleView } from '../api.ts';
import { intlLocale, useI18n, type MessageKey } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { formatDecimal, formatPercent, formatUsd, money, moneyOf, parseAmount, parseDecimalInput } from '../money.ts';
import { Alert, Button, ErrorAlert, Field, Segmented } from '../ui.tsx';

type Regime = 'general' | 'consignment';

interface FormState {
  goods: string;
  chinaShipping: string;
  freight: string;
  insurance: string;
  quantity: string;
  duty: string;
  ndpbm: string;
  hasApi: boolean;
  listedGoods: boolean;
  regime: Regime;
}

const INITIAL: FormState = { goods: '', chinaShipping: '', freight: '', insurance: '', quantity: '1', duty: '7.5', ndpbm: '', hasApi: true, listedGoods: false, regime: 'general' };

/** Figures handed over by another page (a shipment's freight, insurance and goods), as typed decimals. */
export interface LandedPrefill {
  goods: string;
  freight: string;
  insurance: string;
  /** Where they came from, e.g. a shipment id. */
  source: string;
}

/** A prefill from the price page's query (?goods=1000&freight=850000&insurance=25000&shipment=shp_…); null when absent or malformed. */
export function landedPrefillFrom(params: URLSearchParams): LandedPrefill | null {
  const plain = (v: string | null) => (v !== null && /^[0-9]{1,16}(\.[0-9]{1,2})?$/.test(v) ? v : null);
  const goods = plain(params.get('goods'));
  const freight = plain(params.get('freight'));
  const insurance = plain(params.get('insurance'));
  if (goods === null && freight === null && insurance === null) return null;
  return { goods: goods === null || /^0+(\.0+)?$/.test(goods) ? '' : goods, freight: freight ?? '', insurance: insurance ?? '', source: (params.get('shipment') ?? '').slice(0, 64) };
}

type FieldName = 'goods' | 'chinaShipping' | 'freight' | 'insurance' | 'quantity' | 'duty' | 'ndpbm';

const RULE_LABELS: Record<string, MessageKey> = {
  ppn_rate_percent: 'landed.rule.ppn_rate_percent',
  ppn_base_numerator: 'landed.rule.ppn_base_numerator',
  ppn_base_denominator: 'landed.rule.ppn_base_denominator',
  pph22_with_api_percent: 'landed.rule.pph22_with_api_percent',
  pph22_without_api_percent: 'landed.rule.pph22_without_api_percent',
  pph22_listed_goods_percent: 'landed.rule.pph22_listed_goods_percent',
  consignment_duty_free_usd: 'landed.rule.consignment_duty_free_usd',
  consignment_max_usd: 'landed.rule.consignment_max_usd',
  consignment_duty_percent: 'landed.rule.consignment_duty_percent',
  customs_rounding_idr: 'landed.rule.customs_rounding_idr',
};

/**
 * What an import costs by the time it is in Indonesia: the supplier payment through
 * Jembatan, freight and insurance, import duty, PPN and PPh 22, in total and per unit.
 * The arithmetic is the server's; this form only collects the figures and explains them.
 */
export function LandedCostCalculator({ ndpbmHint, prefill }: { ndpbmHint?: string | undefined; prefill?: LandedPrefill | undefined }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<FormState>(() => (prefill ? { ...INITIAL, goods: prefill.goods, freight: prefill.freight, insurance: prefill.insurance } : INITIAL));
  const [touchedNdpbm, setTouchedNdpbm] = useState(false);
  const [invalid, setInvalid] = useState<Partial<Record<FieldName, boolean>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<{ request: LandedCostRequest; cost: LandedCost }>();

  // Prefill the customs rate with the latest reference rate until the user types their own.
  useEffect(() => {
    if (ndpbmHint && !touchedNdpbm) setForm((f) => ({ ...f, ndpbm: ndpbmHint }));
  }, [ndpbmHint, touchedNdpbm]);

  const set = (name: FieldName) => (e: { target: { value: string } }) => {
    if (name === 'ndpbm') setTouchedNdpbm(true);
    setForm((f) => ({ ...f, [name]: e.target.value }));
    setInvalid((v) => ({ ...v, [name]: false }));
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const amount = (v: string, required = false) => (v.trim() === '' && !required ? '0' : parseAmount(v));
    const goods = amount(form.goods, true);
    const chinaShipping = amount(form.chinaShipping);
    const freight = amount(form.freight);
    const insurance = amount(form.insurance);
    const quantity = /^\s*[0-9]{1,9}\s*$/.test(form.quantity) ? Number(form.quantity.trim()) : NaN;
    const duty = parseDecimalInput(form.duty);
    const ndpbm = parseDecimalInput(form.ndpbm);
    const bad: Partial<Record<FieldName, boolean>> = {
      goods: !goods || /^0+$/.test(goods),
      chinaShipping: !chinaShipping,
      freight: !freight,
      insurance: !insurance,
      quantity: !(quantity >= 1),
      duty: !duty,
      ndpbm: !ndpbm || /^[0.]+$/.test(ndpbm),
    };
    setInvalid(bad);
    if (Object.values(bad).some(Boolean)) return;
    const request: LandedCostRequest = {
      goodsCny: { amount: goods!, currency: 'CNY' },
      chinaShippingCny: { amount: chinaShipping!, currency: 'CNY' },
      freight: { amount: freight!, currency: 'IDR' },
      insurance: { amount: insurance!, currency: 'IDR' },
      quantity,
      dutyPercent: duty!,
      hasApi: form.hasApi,
      listedGoods: form.listedGoods,
      ndpbmCnyIdr: ndpbm!,
      regime: form.regime,
    };
    setBusy(true);
    setError(undefined);
    try {
      setResult({ request, cost: await api.post<LandedCost>('/costing/landed-cost', request) });
    } catch (err) {
      setError(err);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  }

  const hint = (name: FieldName, normal?: ReactNode) => (invalid[name] ? <span className="text-error">{t(name === 'quantity' ? 'landed.invalidQuantity' : 'landed.invalidNumber')}</span> : normal);

  const moneyInput = (name: FieldName, prefix: string, placeholder: string) => (id: string) => (
    <div className="affix-input">
      <span className="affix" aria-hidden="true">
        {prefix}
      </span>
      <input id={id} name={name} inputMode="decimal" autoComplete="off" placeholder={placeholder} value={form[name]} onChange={set(name)} aria-invalid={invalid[name] || undefined} data-testid={`landed-${name}`} />
    </div>
  );

  return (
    <section className="card landed-card" data-testid="landed-cost" aria-labelledby="landed-title">
      <header className="card-header">
        <div>
          <h2 id="landed-title">{t('landed.title')}</h2>
          <p className="card-subtitle">{t('landed.subtitle')}</p>
        </div>
      </header>
      {prefill?.source && (
        <Alert kind="info">
          <span data-testid="landed-prefilled">{t('landed.prefilled', { id: prefill.source })}</span>
        </Alert>
      )}
      <div className="landed-layout">
        <form className="form landed-form" onSubmit={submit} noValidate data-testid="landed-form">
          <div className="form-section-title">{t('landed.section.goods')}</div>
          <div className="form-grid">
            <Field label={t('landed.goods')} hint={hint('goods', t('landed.goodsHint'))}>
              {moneyInput('goods', '¥', '10,000')}
            </Field>
            <Field label={t('landed.chinaShipping')} hint={hint('chinaShipping', t('landed.chinaShippingHint'))}>
              {moneyInput('chinaShipping', '¥', '0')}
            </Field>
            <Field label={t('landed.freight')} hint={hint('freight', t('landed.freightHint'))}>
              {moneyInput('freight', 'Rp', '0')}
            </Field>
            <Field label={t('landed.insurance')} hint={hint('insurance')}>
              {moneyInput('insurance', 'Rp', '0')}
            </Field>
            <Field label={t('landed.quantity')} hint={hint('quantity', t('landed.quantityHint'))}>
              {(id) => <input id={id} name="quantity" inputMode="numeric" autoComplete="off" value={form.quantity} onChange={set('quantity')} aria-invalid={invalid.quantity || undefined} data-testid="landed-quantity" />}
            </Field>
          </div>
          <div className="form-section-title">{t('landed.section.customs')}</div>
          <div className="form-grid">
            <Field label={t('landed.duty')} hint={hint('duty', t('landed.dutyHint'))}>
              {(id) => (
                <div className="affix-input affix-end">
                  <input id={id} name="duty" inputMode="decimal" autoComplete="off" value={form.duty} onChange={set('duty')} aria-invalid={invalid.duty || undefined} data-testid="landed-duty" />
                  <span className="affix" aria-hidden="true">
                    %
                  </span>
                </div>
              )}
            </Field>
            <Field label={t('landed.ndpbm')} hint={hint('ndpbm', ndpbmHint && !touchedNdpbm ? t('landed.ndpbmPrefilled') : t('landed.ndpbmHint'))}>
              {(id) => (
                <div className="affix-input">
                  <span className="affix" aria-hidden="true">
                    Rp
                  </span>
                  <input id={id} name="ndpbm" inputMode="decimal" autoComplete="off" value={form.ndpbm} onChange={set('ndpbm')} aria-invalid={invalid.ndpbm || undefined} data-testid="landed-ndpbm" />
                  <span className="affix affix-after" aria-hidden="true">
                    / ¥1
                  </span>
                </div>
              )}
            </Field>
          </div>
          <div className="form-grid">
            <Segmented
              legend={t('landed.hasApi')}
              name="hasApi"
              value={form.hasApi ? 'yes' : 'no'}
              testId="landed-api"
              options={[
                { value: 'yes', label: t('landed.api.yes') },
                { value: 'no', label: t('landed.api.no') },
              ]}
              onChange={(v) => setForm((f) => ({ ...f, hasApi: v === 'yes' }))}
            />
            <Segmented
              legend={t('landed.regime')}
              name="regime"
              value={form.regime}
              testId="landed-regime"
              options={[
                { value: 'general', label: t('landed.regime.general') },
                { value: 'consignment', label: t('landed.regime.consignment') },
              ]}
              onChange={(v) => setForm((f) => ({ ...f, regime: v }))}
            />
          </div>
          <label className="check">
            <input type="checkbox" checked={form.listedGoods} onChange={(e) => setForm((f) => ({ ...f, listedGoods: e.target.checked }))} data-testid="landed-listed" />
            <span>
              {t('landed.listedGoods')}
              <span className="hint block">{t('landed.listedGoodsHint')}</span>
            </span>
          </label>
          <ErrorAlert error={error} />
          <div className="form-actions start">
            <Button type="submit" busy={busy} data-testid="landed-submit">
              {t('landed.calculate')}
            </Button>
          </div>
        </form>
        <div className="landed-output">{result ? <LandedCostResult request={result.request} cost={result.cost} /> : <LandedPlaceholder />}</div>
      </div>
    </section>
  );
}

function LandedPlaceholder() {
  const { t } = useI18n();
  return (
    <div className="landed-placeholder">
      <Icon name="truck" size={28} />
      <p>{t('landed.placeholder')}</p>
      <ul>
        <li>{t('landed.placeholder.duty')}</li>
        <li>{t('landed.placeholder.ppn')}</li>
        <li>{t('landed.placeholder.pph')}</li>
      </ul>
    </div>
  );
}

/** A calendar date ("2025-01-01") in the UI language, without shifting it through a time zone. */
function formatDay(date: string, lang: 'id' | 'en'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

function ruleValue(rule: TaxRuleView, lang: 'id' | 'en'): string {
  if (rule.key.endsWith('_percent')) return formatPercent(rule.value, lang);
  if (rule.key.endsWith('_usd')) return formatUsd(rule.value, lang);
  if (rule.key.endsWith('_idr')) return `Rp ${formatDecimal(rule.value, 'id')}`;
  return formatDecimal(rule.value, lang);
}

function LandedCostResult({ request, cost }: { request: LandedCostRequest; cost: LandedCost }) {
  const { t, lang } = useI18n();
  const rule = (key: string) => cost.rules.find((r) => r.key === key);
  const fobCny = (BigInt(request.goodsCny.amount) + BigInt(request.chinaShippingCny.amount)).toString();
  const freightAndInsurance = (BigInt(cost.customs.freight.amount) + BigInt(cost.customs.insurance.amount)).toString();
  const consignment = cost.regime === 'consignment';
  const switchedToGeneral = request.regime === 'consignment' && cost.regime === 'general';

  let dutyNote: string | null = null;
  if (consignment) {
    if (request.listedGoods) dutyNote = t('landed.note.consignmentListed');
    else if (!/[1-9]/.test(cost.duty.percent)) dutyNote = t('landed.note.dutyFree', { usd: formatUsd(rule('consignment_duty_free_usd')?.value ?? '3', lang) });
    else dutyNote = t('landed.note.consignmentFlat', { percent: formatPercent(cost.duty.percent, lang) });
  } else if (cost.duty.note && lang === 'en') dutyNote = cost.duty.note;
  const pphNote = consignment && !request.listedGoods ? t('landed.note.noPph') : request.listedGoods ? t('landed.pph.listed') : request.hasApi ? t('landed.pph.api') : t('landed.pph.noApi');

  const rows: { key: string; label: string; detail?: string | null; amount: string; kind?: 'sub' | 'total' | 'strong' }[] = [
    { key: 'goodsIdr', label: t('landed.row.goodsIdr'), detail: t('landed.row.goodsIdrDetail', { cny: moneyOf(fobCny, 'CNY', lang), rate: formatDecimal(request.ndpbmCnyIdr, lang) }), amount: money(cost.customs.goodsIdr, lang) },
    { key: 'freight', label: t('landed.row.freight'), amount: money(cost.customs.freight, lang) },
    { key: 'insurance', label: t('landed.row.insurance'), amount: money(cost.customs.insurance, lang) },
    { key: 'cif', label: t('landed.row.cif'), detail: t('landed.row.cifDetail'), amount: money(cost.customs.cif, lang), kind: 'sub' },
    { key: 'duty', label: t('landed.row.duty', { percent: formatPercent(cost.duty.percent, lang) }), detail: dutyNote ?? t('landed.row.dutyDetail'), amount: money(cost.duty.amount, lang) },
    { key: 'importValue', label: t('landed.row.importValue'), detail: t('landed.row.importValueDetail'), amount: money(cost.importValue, lang), kind: 'sub' },
    {
      key: 'ppn',
      label: t('landed.row.ppn', { rate: formatPercent(cost.ppn.ratePercent, lang) }),
      detail: t('landed.row.ppnDetail', { fraction: cost.ppn.baseFraction, rate: formatPercent(cost.ppn.ratePercent, lang), effective: formatPercent(cost.ppn.effectivePercent, lang, { maxFraction: 2 }) }),
      amount: money(cost.ppn.amount, lang),
    },
    { key: 'pph22', label: t('landed.row.pph22', { percent: formatPercent(cost.pph22.percent, lang) }), detail: pphNote, amount: money(cost.pph22.amount, lang) },
    { key: 'taxes', label: t('landed.row.taxes'), detail: t('landed.row.taxesDetail', { step: rule('customs_rounding_idr') ? `Rp ${formatDecimal(rule('customs_rounding_idr')!.value, 'id')}` : 'Rp 1.000' }), amount: money(cost.taxesAndDuties, lang), kind: 'sub' },
  ];

  return (
    <div className="landed-result" data-testid="landed-result">
      <div className="landed-figures">
        <div className="figure figure-main">
          <span className="figure-label">{t('landed.total')}</span>
          <span className="figure-value" data-testid="landed-total">
            {money(cost.total, lang)}
          </span>
        </div>
        <div className="figure">
          <span className="figure-label">{t('landed.perUnit', { n: formatDecimal(String(request.quantity), lang) })}</span>
          <span className="figure-value" data-testid="landed-per-unit">
            {money(cost.perUnit, lang)}
          </span>
        </div>
      </div>
      {switchedToGeneral && (
        <Alert kind="warning">{t('landed.note.switched', { fob: formatUsd(cost.fobUsd, lang), max: formatUsd(rule('consignment_max_usd')?.value ?? '1500', lang) })}</Alert>
      )}

      <h3 className="section-title">{t('landed.summary')}</h3>
      <table className="breakdown" data-testid="landed-summary">
        <tbody>
          <tr>
            <th scope="row">
              {t('landed.row.payment')}
              <span className="row-detail">
                {t('landed.row.paymentDetail', { cny: money(cost.payment.cny, lang), spread: money(cost.payment.spread, lang), fee: money(cost.payment.fee, lang) })}
              </span>
            </th>
            <td>{money(cost.payment.total, lang)}</td>
          </tr>
          <tr>
            <th scope="row">
              {t('landed.row.freightInsurance')}
              <span className="row-detail">{t('landed.row.freightInsuranceDetail')}</span>
            </th>
            <td>{moneyOf(freightAndInsurance, 'IDR', lang)}</td>
          </tr>
          <tr>
            <th scope="row">{t('landed.row.taxes')}</th>
            <td>{money(cost.taxesAndDuties, lang)}</td>
          </tr>
          <tr className="total-row">
            <th scope="row">{t('landed.total')}</th>
            <td>{money(cost.total, lang)}</td>
          </tr>
        </tbody>
      </table>

      <h3 className="section-title">{t('landed.taxes')}</h3>
      <p className="muted small landed-regime" data-testid="landed-regime-used">
        {t(consignment ? 'landed.regime.consignment' : 'landed.regime.general')} · FOB {formatUsd(cost.fobUsd, lang)}
      </p>
      <table className="breakdown" data-testid="landed-breakdown">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-row={r.key} className={r.kind === 'sub' ? 'sub-row' : undefined}>
              <th scope="row">
                {r.label}
                {r.detail && <span className="row-detail">{r.detail}</span>}
              </th>
              <td>{r.amount}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {cost.rules.length > 0 && (
        <details className="rules" data-testid="landed-rules">
          <summary>{cost.date ? t('landed.rulesOn', { date: formatDay(cost.date, lang) }) : t('landed.rules')}</summary>
          <ul>
            {cost.rules.map((r) => (
              <li key={r.key}>
                <span className="rule-name">{RULE_LABELS[r.key] ? t(RULE_LABELS[r.key]!) : r.key}</span>
                <span className="rule-value">{ruleValue(r, lang)}</span>
                <span className="rule-basis">
                  {r.legalBasis ?? t('common.none')} · {t('landed.since', { date: formatDay(r.effectiveFrom, lang) })}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="muted small">{t('landed.disclaimer')}</p>
    </div>
  );
}
