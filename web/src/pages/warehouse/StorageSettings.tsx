/** The storage and invoice terms: free days, fees, abandonment, the tolerance over an estimate, days to pay. */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, type ForwardingSettings } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { minorToInput, money, parseAmount } from '../../money.ts';
import { Alert, Button, Card, ErrorAlert, Field, Segmented, Spinner, useAction, useLoad } from '../../ui.tsx';

export function StorageSettingsCard({ isAdmin }: { isAdmin: boolean }) {
  const { t, lang } = useI18n();
  const loaded = useLoad(() => api.get<{ settings: ForwardingSettings }>('/staff/forwarding/settings'), []);
  const s = loaded.data?.settings;
  const [form, setForm] = useState<Record<string, string>>();
  const [basis, setBasis] = useState<'parcel' | 'cbm'>('parcel');
  const { busy, error, notice, setNotice, run } = useAction();
  useEffect(() => {
    if (!s) return;
    setBasis(s.storageFeeBasis);
    setForm({
      freeStorageDays: String(s.freeStorageDays),
      freeStorageWarningDays: String(s.freeStorageWarningDays),
      storageFeePerParcelDay: minorToInput(s.storageFeePerParcelDay.amount),
      storageFeePerCbmDay: minorToInput(s.storageFeePerCbmDay.amount),
      abandonAfterDays: String(s.abandonAfterDays),
      abandonNoticeDays: String(s.abandonNoticeDays),
      autoSettleExcessPercent: String(s.autoSettleExcessPercent),
      invoicePaymentDays: String(s.invoicePaymentDays),
    });
  }, [s]);
  const intField = (k: string, label: string): ReactNode => (
    <Field label={label}>{(id) => <input id={id} inputMode="numeric" value={form?.[k] ?? ''} disabled={!isAdmin} onChange={(e) => setForm((f) => ({ ...f!, [k]: e.target.value }))} data-testid={`settings-${k}`} />}</Field>
  );
  const moneyField = (k: string, label: string): ReactNode => (
    <Field label={label}>
      {(id) => (
        <div className="affix-input">
          <span className="affix">Rp</span>
          <input id={id} inputMode="numeric" value={form?.[k] ?? ''} disabled={!isAdmin} onChange={(e) => setForm((f) => ({ ...f!, [k]: e.target.value }))} />
        </div>
      )}
    </Field>
  );
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    await run(async () => {
      const num = (k: string) => Number(form[k]);
      const rp = (k: string) => ({ amount: parseAmount(form[k] ?? '', 2) ?? '0', currency: 'IDR' });
      const res = await api.patch<{ settings: ForwardingSettings }>('/staff/forwarding/settings', {
        freeStorageDays: num('freeStorageDays'),
        freeStorageWarningDays: num('freeStorageWarningDays'),
        storageFeeBasis: basis,
        storageFeePerParcelDay: rp('storageFeePerParcelDay'),
        storageFeePerCbmDay: rp('storageFeePerCbmDay'),
        abandonAfterDays: num('abandonAfterDays'),
        abandonNoticeDays: num('abandonNoticeDays'),
        autoSettleExcessPercent: num('autoSettleExcessPercent'),
        invoicePaymentDays: num('invoicePaymentDays'),
      });
      setNotice(t('wh.settings.saved', { days: res.settings.freeStorageDays, fee: money(res.settings.storageFeeBasis === 'parcel' ? res.settings.storageFeePerParcelDay : res.settings.storageFeePerCbmDay, lang) }));
    });
  }
  return (
    <Card title={t('wh.settings.title')} subtitle={t('wh.settings.body')} testId="storage-settings">
      <ErrorAlert error={loaded.error} />
      {!form ? (
        <Spinner />
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="form-grid form-grid-3">
            {intField('freeStorageDays', t('wh.settings.freeDays'))}
            {intField('freeStorageWarningDays', t('wh.settings.warnDays'))}
            {intField('abandonAfterDays', t('wh.settings.abandonAfter'))}
            {intField('abandonNoticeDays', t('wh.settings.abandonNotice'))}
            {moneyField('storageFeePerParcelDay', t('wh.settings.perParcel'))}
            {moneyField('storageFeePerCbmDay', t('wh.settings.perCbm'))}
          </div>
          <div className="form-section-title">{t('wh.settings.invoices')}</div>
          <div className="form-grid form-grid-3">
            <Field label={t('wh.settings.excessPercent')} hint={t('wh.settings.excessPercentHint')}>
              {(id) => (
                <div className="affix-input affix-end">
                  <input id={id} inputMode="numeric" value={form.autoSettleExcessPercent ?? ''} disabled={!isAdmin} onChange={(e) => setForm((f) => ({ ...f!, autoSettleExcessPercent: e.target.value }))} data-testid="settings-autoSettleExcessPercent" />
                  <span className="affix">%</span>
                </div>
              )}
            </Field>
            <Field label={t('wh.settings.paymentDays')} hint={t('wh.settings.paymentDaysHint')}>
              {(id) => <input id={id} inputMode="numeric" value={form.invoicePaymentDays ?? ''} disabled={!isAdmin} onChange={(e) => setForm((f) => ({ ...f!, invoicePaymentDays: e.target.value }))} data-testid="settings-invoicePaymentDays" />}
            </Field>
          </div>
          <Segmented
            legend={t('wh.settings.basis')}
            name="storage-basis"
            value={basis}
            options={[
              { value: 'parcel', label: t('wh.settings.basisParcel') },
              { value: 'cbm', label: t('wh.settings.basisCbm') },
            ]}
            onChange={(v) => isAdmin && setBasis(v)}
          />
          {notice && <Alert kind="success">{notice}</Alert>}
          <ErrorAlert error={error} />
          {isAdmin && (
            <div className="form-actions start">
              <Button type="submit" busy={busy} data-testid="settings-submit">
                {t('common.save')}
              </Button>
            </div>
          )}
        </form>
      )}
    </Card>
  );
}
