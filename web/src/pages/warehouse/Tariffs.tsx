/** The warehouse console's tariffs tab: the freight tariffs (admins add them), then the warehouses and the storage terms. */
import { useState, type FormEvent } from 'react';
import { api, FREIGHT_MODES, type FreightMode, type FreightTariff, type Warehouse } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { formatDecimal, formatPercent, money, parseAmount, parseDecimalInput } from '../../money.ts';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Segmented, useAction, useLoad } from '../../ui.tsx';
import { useFormatDate, useIdempotency } from '../fundingShared.tsx';
import { categoryName, modeName } from '../forwardingShared.tsx';
import { ListTable } from '../listShared.tsx';
import { type WarehouseCtx, problemFields, FieldError } from './shared.tsx';
import { WarehousesCard } from './Warehouses.tsx';
import { StorageSettingsCard } from './StorageSettings.tsx';

export function TariffsTab({ ctx, onWarehousesChanged }: { ctx: WarehouseCtx; onWarehousesChanged: () => void }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ tariffs: FreightTariff[] }>('/staff/freight-tariffs'), [version]);
  const rows = list.data?.tariffs ?? [];
  return (
    <>
      {!ctx.isAdmin && <Alert kind="info">{t('wh.tariffs.readOnly')}</Alert>}
      {ctx.isAdmin && <TariffForm warehouses={ctx.warehouses.data?.warehouses ?? []} onAdded={() => setVersion((v) => v + 1)} />}
      <Card title={t('wh.tariffs.title')} subtitle={t('wh.tariffs.body')} testId="tariffs-card">
        <ErrorAlert error={list.error} />
        <ListTable
          list={list}
          rows={rows}
          empty={<Empty>{t('wh.tariffs.none')}</Empty>}
          testId="tariffs-table"
          head={
            <>
              <th>{t('wh.tariffs.from')}</th>
              <th>{t('wh.tariffs.route')}</th>
              <th>{t('fwd.category')}</th>
              <th className="right">{t('fwd.rate')}</th>
              <th>{t('wh.tariffs.rule')}</th>
              <th>{t('wh.tariffs.minimums')}</th>
              <th>{t('fwd.insurance')}</th>
              <th>{t('wh.tariffs.lead')}</th>
              <th>{t('common.status')}</th>
            </>
          }
          row={(r) => (
            <tr key={r.id} data-tariff={r.id}>
              <td data-label={t('wh.tariffs.from')} className="nowrap">
                {formatDate(r.effectiveFrom)}
              </td>
              <td data-label={t('wh.tariffs.route')}>
                {ctx.code(r.warehouseId)} → {r.destination} · {modeName(r.mode, t)}
              </td>
              <td data-label={t('fwd.category')}>{categoryName(r.category, t)}</td>
              <td data-label={t('fwd.rate')} className="right nowrap strong">
                {t(r.basis === 'kg' ? 'fwd.perKg' : 'fwd.perCbm', { amount: money(r.rate, lang) })}
              </td>
              <td data-label={t('wh.tariffs.rule')} className="small">
                {r.basis === 'kg' ? (r.volumetricDivisor ? t('wh.tariffs.divisor', { n: r.volumetricDivisor }) : t('wh.tariffs.weightOnly')) : r.kgPerCbm ? t('wh.tariffs.wm', { n: r.kgPerCbm }) : t('wh.tariffs.volumeOnly')}
                <span className="muted block">{t('wh.tariffs.step', { step: formatDecimal(r.roundingStep, lang), unit: r.basis === 'kg' ? 'kg' : 'CBM' })}</span>
              </td>
              <td data-label={t('wh.tariffs.minimums')} className="small">
                {formatDecimal(r.minChargeable, lang)} {r.basis === 'kg' ? 'kg' : 'CBM'} · {money(r.minimumCharge, lang)}
              </td>
              <td data-label={t('fwd.insurance')} className="small">
                {formatPercent(r.insurancePercent, lang)} · min {money(r.insuranceMinimum, lang)}
              </td>
              <td data-label={t('wh.tariffs.lead')} className="nowrap">
                {t('wh.tariffs.days', { min: r.leadDays.min, max: r.leadDays.max })}
              </td>
              <td data-label={t('common.status')}>{r.available ? <Badge tone="green">{t('wh.tariffs.available')}</Badge> : <Badge tone="neutral">{t('fwd.unavailable')}</Badge>}</td>
            </tr>
          )}
        />
      </Card>
      <WarehousesCard ctx={ctx} onChanged={onWarehousesChanged} />
      <StorageSettingsCard isAdmin={ctx.isAdmin} />
    </>
  );
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function TariffForm({ warehouses, onAdded }: { warehouses: Warehouse[]; onAdded: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState({
    warehouseId: '',
    destination: 'Jakarta',
    mode: 'air' as FreightMode,
    category: 'general',
    basis: 'kg' as 'kg' | 'cbm',
    rate: '',
    divisor: '6000',
    kgPerCbm: '1000',
    roundingStep: '0.5',
    minChargeable: '1',
    minimumCharge: '',
    insurancePercent: '1',
    insuranceMinimum: '',
    leadMin: '5',
    leadMax: '8',
    available: true,
    effectiveFrom: today(),
  });
  const [local, setLocal] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const wid = f.warehouseId || warehouses[0]?.id || '';
  const err = (name: string) => <FieldError message={errors[name]} testId={`tariff-error-${name}`} />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const rate = parseAmount(f.rate, 2);
    const minimumCharge = parseAmount(f.minimumCharge || '0', 2);
    const insuranceMinimum = parseAmount(f.insuranceMinimum || '0', 2);
    const step = parseDecimalInput(f.roundingStep);
    const minChargeable = parseDecimalInput(f.minChargeable || '0');
    const pct = parseDecimalInput(f.insurancePercent || '0');
    const leadMin = Number(f.leadMin);
    const leadMax = Number(f.leadMax);
    if (!rate || !minimumCharge || !insuranceMinimum || !step || !minChargeable || !pct || !Number.isInteger(leadMin) || !Number.isInteger(leadMax)) return setLocal(t('wh.err.check'));
    setLocal(undefined);
    await run(async () => {
      const body = {
        warehouseId: wid,
        destination: f.destination.trim(),
        mode: f.mode,
        category: f.category.trim(),
        basis: f.basis,
        rate: { amount: rate, currency: 'IDR' },
        ...(f.basis === 'kg' ? { volumetricDivisor: f.divisor.trim() ? Number(f.divisor) : null } : { kgPerCbm: f.kgPerCbm.trim() ? Number(f.kgPerCbm) : null }),
        roundingStep: step,
        minChargeable,
        minimumCharge: { amount: minimumCharge, currency: 'IDR' },
        insurancePercent: pct,
        insuranceMinimum: { amount: insuranceMinimum, currency: 'IDR' },
        leadDaysMin: leadMin,
        leadDaysMax: leadMax,
        available: f.available,
        effectiveFrom: f.effectiveFrom,
      };
      await idempotent((key) => api.post('/staff/freight-tariffs', body, { idempotencyKey: key }));
      setNotice(t('wh.tariffs.added'));
      onAdded();
    });
  }

  return (
    <Card title={t('wh.tariffs.add')} subtitle={t('wh.tariffs.addBody')} testId="tariff-form-card">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="tariff-form">
        <div className="form-grid form-grid-3">
          <Field label={t('fwd.warehouse')}>
            {(id) => (
              <select id={id} value={wid} onChange={set('warehouseId')}>
                {warehouses.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.code} · {w.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('fwd.destination')}>
            {(id) => (
              <>
                <input id={id} value={f.destination} onChange={set('destination')} data-testid="tariff-destination" />
                {err('destination')}
              </>
            )}
          </Field>
          <Field label={t('fwd.category')}>
            {(id) => (
              <>
                <input id={id} value={f.category} onChange={set('category')} list="tariff-categories" data-testid="tariff-category" />
                <datalist id="tariff-categories">
                  {['general', 'battery', 'textile', 'cosmetics', 'liquid', 'food', 'branded'].map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
                {err('category')}
              </>
            )}
          </Field>
        </div>
        <div className="form-grid form-grid-2">
          <Segmented legend={t('fwd.mode')} name="tariff-mode" value={f.mode} options={FREIGHT_MODES.map((m) => ({ value: m, label: modeName(m, t) }))} onChange={(v) => setF((x) => ({ ...x, mode: v }))} />
          <Segmented
            legend={t('wh.tariffs.basis')}
            name="tariff-basis"
            value={f.basis}
            options={[
              { value: 'kg', label: t('wh.tariffs.perKg') },
              { value: 'cbm', label: t('wh.tariffs.perCbm') },
            ]}
            onChange={(v) => setF((x) => ({ ...x, basis: v, roundingStep: v === 'kg' ? '0.5' : '0.01', minChargeable: v === 'kg' ? '1' : '0.1' }))}
          />
        </div>
        <div className="form-grid form-grid-3">
          <Field label={t(f.basis === 'kg' ? 'wh.tariffs.ratePerKg' : 'wh.tariffs.ratePerCbm')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" value={f.rate} onChange={set('rate')} data-testid="tariff-rate" />
              </div>
            )}
          </Field>
          {f.basis === 'kg' ? (
            <Field label={t('wh.tariffs.divisorLabel')} hint={t('wh.tariffs.divisorHint')}>
              {(id) => (
                <>
                  <input id={id} inputMode="numeric" value={f.divisor} onChange={set('divisor')} data-testid="tariff-divisor" />
                  {err('volumetricDivisor')}
                </>
              )}
            </Field>
          ) : (
            <Field label={t('wh.tariffs.kgPerCbm')} hint={t('wh.tariffs.kgPerCbmHint')}>
              {(id) => (
                <>
                  <input id={id} inputMode="numeric" value={f.kgPerCbm} onChange={set('kgPerCbm')} data-testid="tariff-kgpercbm" />
                  {err('kgPerCbm')}
                </>
              )}
            </Field>
          )}
          <Field label={t('wh.tariffs.stepLabel', { unit: f.basis === 'kg' ? 'kg' : 'CBM' })}>
            {(id) => (
              <>
                <input id={id} inputMode="decimal" value={f.roundingStep} onChange={set('roundingStep')} />
                {err('roundingStep')}
              </>
            )}
          </Field>
          <Field label={t('wh.tariffs.minChargeable', { unit: f.basis === 'kg' ? 'kg' : 'CBM' })}>{(id) => <input id={id} inputMode="decimal" value={f.minChargeable} onChange={set('minChargeable')} />}</Field>
          <Field label={t('wh.tariffs.minimumCharge')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" value={f.minimumCharge} onChange={set('minimumCharge')} />
              </div>
            )}
          </Field>
          <Field label={t('wh.tariffs.insurancePercent')}>
            {(id) => (
              <div className="affix-input affix-end">
                <input id={id} inputMode="decimal" value={f.insurancePercent} onChange={set('insurancePercent')} />
                <span className="affix">%</span>
              </div>
            )}
          </Field>
          <Field label={t('wh.tariffs.insuranceMinimum')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" value={f.insuranceMinimum} onChange={set('insuranceMinimum')} />
              </div>
            )}
          </Field>
          <Field label={t('wh.tariffs.leadMin')}>{(id) => <input id={id} inputMode="numeric" value={f.leadMin} onChange={set('leadMin')} />}</Field>
          <Field label={t('wh.tariffs.leadMax')}>
            {(id) => (
              <>
                <input id={id} inputMode="numeric" value={f.leadMax} onChange={set('leadMax')} />
                {err('leadDaysMax')}
              </>
            )}
          </Field>
          <Field label={t('wh.tariffs.effectiveFrom')}>{(id) => <input id={id} type="date" value={f.effectiveFrom} onChange={set('effectiveFrom')} data-testid="tariff-from" />}</Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={f.available} onChange={(e) => setF((x) => ({ ...x, available: e.target.checked }))} />
          <span>
            {t('wh.tariffs.availableLabel')}
            <span className="hint block">{t('wh.tariffs.availableHint')}</span>
          </span>
        </label>
        {local && <Alert kind="error">{local}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="tariff-submit">
            {t('wh.tariffs.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
