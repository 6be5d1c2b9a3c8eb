/** What staff do to one shipment: pack it, pack it again, credit it, move it along its journey; and what an unpaid invoice waits for. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, type ForwardingSettings, type Shipment, type ShipmentDetail, type TrackingStatus } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { formatPercent, minorToInput, money, moneyOf, parseAmount } from '../../money.ts';
import { Alert, Button, ErrorAlert, Field, useAction } from '../../ui.tsx';
import { useIdempotency } from '../fundingShared.tsx';
import { FileField, parseCm, parseKg, shipmentStatusLabel, usePickedFile } from '../forwardingShared.tsx';
import { percentOver } from '../Shipments.tsx';
import { problemFields, FieldError } from './shared.tsx';

interface PackageRow {
  count: string;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  weightKg: string;
}
const EMPTY_PACKAGE: PackageRow = { count: '1', lengthCm: '', widthCm: '', heightCm: '', weightKg: '' };

export function PackForm({ shipmentId, onPacked, initial, title, body, submit: submitLabel, testId = 'pack-form' }: { shipmentId: string; onPacked: (d: ShipmentDetail) => void; initial?: Shipment; title?: string; body?: string; submit?: string; testId?: string }) {
  const { t } = useI18n();
  const [packages, setPackages] = useState<PackageRow[]>(() =>
    initial?.packages.length ? initial.packages.map((p) => ({ count: String(p.count), lengthCm: p.lengthCm, widthCm: p.widthCm, heightCm: p.heightCm, weightKg: p.weightKg })) : [{ ...EMPTY_PACKAGE }],
  );
  const [extras, setExtras] = useState<{ description: string; amount: string }[]>(() => (initial?.extraCharges ?? []).map((x) => ({ description: x.description, amount: minorToInput(x.amount.amount) })));
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const setPkg = (i: number, k: keyof PackageRow) => (e: { target: { value: string } }) => setPackages((ps) => ps.map((p, j) => (j === i ? { ...p, [k]: e.target.value } : p)));
  const setExtra = (i: number, k: 'description' | 'amount') => (e: { target: { value: string } }) => setExtras((xs) => xs.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = packages.map((p) => ({ count: /^\s*[0-9]{1,5}\s*$/.test(p.count) ? Number(p.count) : NaN, lengthCm: parseCm(p.lengthCm), widthCm: parseCm(p.widthCm), heightCm: parseCm(p.heightCm), weightKg: parseKg(p.weightKg) }));
    const charges = extras.filter((x) => x.description.trim() || x.amount.trim()).map((x) => ({ description: x.description.trim(), amount: parseAmount(x.amount, 2) }));
    if (parsed.some((p) => !(p.count >= 1) || !p.lengthCm || !p.widthCm || !p.heightCm || !p.weightKg)) return setLocal(t('wh.pack.invalid'));
    if (charges.some((c) => c.description.length < 3 || !c.amount || BigInt(c.amount) <= 0n || BigInt(c.amount) % 100n !== 0n)) return setLocal(t('wh.pack.invalidExtra'));
    setLocal(undefined);
    await run(async () => {
      const body = {
        packages: parsed.map((p) => ({ count: p.count, lengthCm: p.lengthCm!, widthCm: p.widthCm!, heightCm: p.heightCm!, weightKg: p.weightKg! })),
        ...(charges.length ? { extraCharges: charges.map((c) => ({ description: c.description, amount: { amount: c.amount!, currency: 'IDR' } })) } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      };
      onPacked(await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(shipmentId)}/pack`, body, { idempotencyKey: key })));
    });
  }

  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid={testId}>
      <h3 className="section-title">{title ?? t('wh.pack.title')}</h3>
      <p className="small muted">{body ?? t('wh.pack.body')}</p>
      {packages.map((p, i) => (
        <fieldset key={i} className="package-row" data-testid="pack-row">
          <legend>{t('wh.pack.package', { n: i + 1 })}</legend>
          <div className="measure-row measure-row-5">
            <Field label={t('wh.pack.count')}>{(id) => <input id={id} inputMode="numeric" value={p.count} onChange={setPkg(i, 'count')} data-testid="pack-count" />}</Field>
            <Field label={t('wh.length')}>{(id) => <input id={id} inputMode="decimal" value={p.lengthCm} onChange={setPkg(i, 'lengthCm')} data-testid="pack-length" />}</Field>
            <Field label={t('wh.width')}>{(id) => <input id={id} inputMode="decimal" value={p.widthCm} onChange={setPkg(i, 'widthCm')} data-testid="pack-width" />}</Field>
            <Field label={t('wh.height')}>{(id) => <input id={id} inputMode="decimal" value={p.heightCm} onChange={setPkg(i, 'heightCm')} data-testid="pack-height" />}</Field>
            <Field label={t('wh.pack.kgEach')}>{(id) => <input id={id} inputMode="decimal" value={p.weightKg} onChange={setPkg(i, 'weightKg')} data-testid="pack-weight" />}</Field>
          </div>
          {packages.length > 1 && (
            <Button variant="ghost" small onClick={() => setPackages((ps) => ps.filter((_, j) => j !== i))}>
              {t('wh.remove')}
            </Button>
          )}
        </fieldset>
      ))}
      <Button variant="secondary" small onClick={() => setPackages((ps) => [...ps, { ...EMPTY_PACKAGE }])} data-testid="pack-add">
        {t('wh.pack.add')}
      </Button>
      {extras.map((x, i) => (
        <div key={i} className="measure-row measure-row-2" data-testid="extra-row">
          <Field label={t('wh.pack.extraDescription')}>{(id) => <input id={id} maxLength={200} value={x.description} onChange={setExtra(i, 'description')} data-testid="extra-description" />}</Field>
          <Field label={t('wh.pack.extraAmount')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" value={x.amount} onChange={setExtra(i, 'amount')} data-testid="extra-amount" />
              </div>
            )}
          </Field>
        </div>
      ))}
      <Button variant="secondary" small onClick={() => setExtras((xs) => [...xs, { description: '', amount: '' }])} data-testid="extra-add">
        {t('wh.pack.addExtra')}
      </Button>
      <Field label={t('fwd.note')} optional>
        {(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="pack-note" />}
      </Field>
      {local && <Alert kind="error">{local}</Alert>}
      <ErrorAlert error={error} />
      <Button type="submit" busy={busy} data-testid="pack-submit">
        {submitLabel ?? t('wh.pack.submit')}
      </Button>
    </form>
  );
}

/**
 * An invoice that waits for the importer: how much, why (above the tolerance over the
 * estimate, or a wallet that cannot cover it), and when it is cancelled if still unpaid
 * (invoiced + `invoicePaymentDays`, the sweep's own rule).
 */
export function WaitingForImporter({ shipment: s, settings }: { shipment: Shipment; settings: ForwardingSettings | undefined }) {
  const { t, lang, formatDateTime } = useI18n();
  const estimate = BigInt(s.estimateTotal.amount);
  const invoice = s.invoiceTotal ? BigInt(s.invoiceTotal.amount) : 0n;
  const diff = invoice - estimate;
  const due = BigInt(s.amountDue.amount);
  if (due <= 0n) return null;
  const pct = percentOver(diff, estimate, lang);
  const aboveTolerance = settings ? diff * 100n > estimate * BigInt(settings.autoSettleExcessPercent) : null;
  const cancelAt = settings && s.invoicedAt ? new Date(Date.parse(s.invoicedAt) + settings.invoicePaymentDays * 86_400_000).toISOString() : null;
  return (
    <div className="waiting-panel" data-testid="waiting-importer" data-cancel-at={cancelAt ?? ''}>
      <h3 className="section-title">{t('wh.waiting.title')}</h3>
      <p className="small">
        <span data-testid="waiting-amount">{t('wh.waiting.amount', { amount: money(s.amountDue, lang), invoice: moneyOf(invoice, 'IDR', lang), estimate: moneyOf(estimate, 'IDR', lang), pct: pct ?? '' })}</span>
      </p>
      {settings && (
        <p className="small" data-testid="waiting-why" data-why={aboveTolerance ? 'tolerance' : 'wallet'}>
          {aboveTolerance ? t('wh.waiting.tolerance', { pct: formatPercent(String(settings.autoSettleExcessPercent), lang) }) : t('wh.waiting.wallet')}
        </p>
      )}
      {cancelAt && (
        <p className="small strong" data-testid="waiting-cancel-at">
          {t('wh.waiting.cancelAt', { date: formatDateTime(cancelAt), days: settings!.invoicePaymentDays })}
        </p>
      )}
    </div>
  );
}

/** Before it is paid, a wrong figure is corrected by packing again: the invoice is then issued anew. */
export function RemeasureShipment({ shipment, onPacked }: { shipment: Shipment; onPacked: (d: ShipmentDetail) => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <div className="sub-form">
        <Button small variant="secondary" onClick={() => setOpen(true)} data-testid="remeasure-shipment-open">
          {t('wh.repack.open')}
        </Button>
        <p className="small muted">{t('wh.repack.hint')}</p>
      </div>
    );
  return (
    <PackForm
      shipmentId={shipment.id}
      initial={shipment}
      testId="repack-form"
      title={t('wh.repack.title')}
      body={t('wh.repack.body', { amount: shipment.invoiceTotal ? money(shipment.invoiceTotal, lang) : '' })}
      submit={t('wh.repack.submit')}
      onPacked={(d) => {
        setOpen(false);
        onPacked(d);
      }}
    />
  );
}

/** After payment, finance corrects an overcharge: rupiah back to the wallet, at most what was invoiced and not yet credited. */
export function CreditForm({ shipment: s, onCredited }: { shipment: Shipment; onCredited: (d: ShipmentDetail) => void }) {
  const { t, lang } = useI18n();
  const max = BigInt(s.invoiceTotal!.amount) - BigInt(s.credited.amount);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [local, setLocal] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(amount, 2);
    if (!minor || BigInt(minor) <= 0n || BigInt(minor) % 100n !== 0n) return setLocal(t('wh.credit.invalid'));
    if (BigInt(minor) > max) return setLocal(t('wh.credit.tooMuch', { amount: moneyOf(max, 'IDR', lang) }));
    if (reason.trim().length < 5) return setLocal(t('wh.credit.reasonRequired'));
    setLocal(undefined);
    await run(async () => {
      const res = await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(s.id)}/credit`, { amount: { amount: minor, currency: 'IDR' }, reason: reason.trim() }, { idempotencyKey: key }));
      setAmount('');
      setReason('');
      setNotice(t('wh.credit.done', { amount: moneyOf(minor, 'IDR', lang) }));
      onCredited(res);
    });
  }

  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="credit-form">
      <h3 className="section-title">{t('wh.credit.title')}</h3>
      <p className="small muted">{t('wh.credit.body', { amount: moneyOf(max, 'IDR', lang) })}</p>
      <Field label={t('wh.credit.amount')}>
        {(id) => (
          <>
            <div className="affix-input">
              <span className="affix">Rp</span>
              <input
                id={id}
                inputMode="numeric"
                autoComplete="off"
                value={amount}
                onChange={(e) => {
                  setAmount(e.target.value);
                  setLocal(undefined);
                }}
                aria-invalid={errors.amount || local ? true : undefined}
                data-testid="credit-amount"
              />
            </div>
            <FieldError message={errors.amount} testId="credit-error-amount" />
          </>
        )}
      </Field>
      <Field label={t('wh.credit.reason')} hint={t('wh.credit.reasonHint')}>
        {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="credit-reason" />}
      </Field>
      {local && <Alert kind="error">{local}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <Button type="submit" busy={busy} data-testid="credit-submit">
        {t('wh.credit.submit')}
      </Button>
    </form>
  );
}

export function StatusForm({ shipmentId, options, onDone }: { shipmentId: string; options: TrackingStatus[]; onDone: (d: ShipmentDetail) => void }) {
  const { t } = useI18n();
  const [to, setTo] = useState<TrackingStatus>(options[0]!);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const doc = usePickedFile();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  useEffect(() => {
    if (!options.includes(to)) setTo(options[0]!);
  }, [options.join(',')]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const body = { to, ...(note.trim() ? { note: note.trim() } : {}), ...(reference.trim() ? { carrierReference: reference.trim() } : {}), ...(doc.file ? { document: { fileName: doc.file.fileName, contentBase64: doc.file.contentBase64 } } : {}) };
      const res = await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(shipmentId)}/status`, body, { idempotencyKey: key }));
      setReference('');
      setNote('');
      doc.clear();
      onDone(res);
    });
  }

  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="status-form">
      <h3 className="section-title">{t('wh.status.title')}</h3>
      <Field label={t('wh.status.to')}>
        {(id) => (
          <select id={id} value={to} onChange={(e) => setTo(e.target.value as TrackingStatus)} data-testid="status-to">
            {options.map((o) => (
              <option key={o} value={o}>
                {shipmentStatusLabel(o, t)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('fwd.carrierReference')} optional hint={t('wh.status.referenceHint')}>
        {(id) => <input id={id} maxLength={100} autoComplete="off" value={reference} onChange={(e) => setReference(e.target.value)} data-testid="status-reference" />}
      </Field>
      <Field label={t('fwd.note')} optional>
        {(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="status-note" />}
      </Field>
      <FileField state={doc} label={t('wh.status.document')} hint={t('wh.status.documentHint')} testId="status-document" />
      <ErrorAlert error={error} />
      <Button type="submit" busy={busy} data-testid="status-submit">
        {t('wh.status.submit', { status: shipmentStatusLabel(to, t) })}
      </Button>
    </form>
  );
}
