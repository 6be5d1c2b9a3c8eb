/** The warehouse console's receive tab: a parcel measured, photographed and booked in on the floor. */
import { useState, type FormEvent } from 'react';
import { api, ApiError, PARCEL_CONDITIONS, type ParcelCondition, type StaffParcelDetail } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Icon } from '../../icons.tsx';
import { formatDecimal } from '../../money.ts';
import { Alert, Button, Card, ErrorAlert, Field, Mono, Segmented, useAction } from '../../ui.tsx';
import { useIdempotency, useScrollIntoView } from '../fundingShared.tsx';
import { conditionName, dimsText, kgText, parseCm, parseKg, splitNumbers } from '../forwardingShared.tsx';
import { type WarehouseCtx, problemFields, FieldError } from './shared.tsx';
import { useMarkingLookup, MarkingMatch } from './marking.tsx';
import { type Photo, PhotoInput } from './photos.tsx';

const COURIERS = ['SF 顺丰', 'YTO 圆通', 'ZTO 中通', 'STO 申通', 'Yunda 韵达', 'JD 京东', 'EMS', 'Deppon 德邦', 'J&T 极兔'];
const EMPTY_RECEIVE = { trackingNumber: '', markingRead: '', cartons: '1', weightKg: '', lengthCm: '', widthCm: '', heightCm: '', conditionNote: '', supplierName: '', orderNumbers: '' };
const LAST_WAREHOUSE = 'jembatan.wh.last';

export function ReceiveTab({ ctx }: { ctx: WarehouseCtx }) {
  const { t, lang } = useI18n();
  const active = (ctx.warehouses.data?.warehouses ?? []).filter((w) => w.active);
  const [warehouseId, setWarehouseId] = useState(() => {
    try {
      return window.localStorage.getItem(LAST_WAREHOUSE) ?? '';
    } catch {
      return '';
    }
  });
  const [courier, setCourier] = useState('');
  const [form, setForm] = useState(EMPTY_RECEIVE);
  const [condition, setCondition] = useState<ParcelCondition>('good');
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [received, setReceived] = useState<StaffParcelDetail>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const lookup = useMarkingLookup(form.markingRead);
  const chosen = active.find((w) => w.id === warehouseId)?.id ?? active[0]?.id ?? '';
  const server = problemFields(error);
  const errors = { ...server, ...local };
  const set = (k: keyof typeof EMPTY_RECEIVE) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    setLocal((l) => ({ ...l, [k]: '' }));
  };
  const already = error instanceof ApiError && error.code === 'parcel_already_received' ? error.problem.parcelId : undefined;

  if (!ctx.canWork) return <Alert kind="info">{t('wh.readOnly')}</Alert>;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const weightKg = parseKg(form.weightKg);
    const [l, w, h] = [parseCm(form.lengthCm), parseCm(form.widthCm), parseCm(form.heightCm)];
    const cartons = /^\s*[0-9]{1,5}\s*$/.test(form.cartons) ? Number(form.cartons) : NaN;
    const bad: Record<string, string> = {};
    if (form.trackingNumber.trim().length < 6) bad.trackingNumber = t('wh.err.tracking');
    if (!(cartons >= 1)) bad.cartons = t('wh.err.cartons');
    if (!weightKg) bad.weightKg = t('wh.err.kg');
    if (!l) bad.lengthCm = t('wh.err.cm');
    if (!w) bad.widthCm = t('wh.err.cm');
    if (!h) bad.heightCm = t('wh.err.cm');
    setLocal(bad);
    if (Object.keys(bad).length) return;
    const numbers = splitNumbers(form.orderNumbers);
    const body = {
      warehouseId: chosen,
      trackingNumber: form.trackingNumber.trim(),
      ...(courier.trim() ? { courier: courier.trim() } : {}),
      ...(form.markingRead.trim() ? { markingRead: form.markingRead.trim() } : {}),
      cartons,
      weightKg: weightKg!,
      lengthCm: l!,
      widthCm: w!,
      heightCm: h!,
      condition,
      ...(form.conditionNote.trim() ? { conditionNote: form.conditionNote.trim() } : {}),
      ...(form.supplierName.trim() ? { supplierName: form.supplierName.trim() } : {}),
      ...(numbers.length ? { orderNumbers: numbers } : {}),
      ...(photos.length ? { photos: photos.map((p) => ({ fileName: p.fileName, contentBase64: p.contentBase64 })) } : {}),
    };
    await run(async () => {
      // The receipt's answer is the parcel's staff view: whose it is, and any claims.
      const res = await idempotent((key) => api.post<StaffParcelDetail>('/staff/parcels', body, { idempotencyKey: key }));
      try {
        window.localStorage.setItem(LAST_WAREHOUSE, chosen);
      } catch {
        // not kept
      }
      setReceived(res);
      setForm(EMPTY_RECEIVE);
      setCondition('good');
      setPhotos([]);
      window.scrollTo(0, 0);
    });
  }

  const input = (name: keyof typeof EMPTY_RECEIVE, props: Record<string, unknown> = {}) => (id: string) => (
    <>
      <input id={id} name={name} autoComplete="off" value={form[name]} onChange={set(name)} aria-invalid={errors[name] ? true : undefined} data-testid={`receive-${name}`} {...props} />
      <FieldError message={errors[name]} testId={`error-${name}`} />
    </>
  );

  return (
    <div className="receive-layout">
      {received && <ReceivedCard detail={received} onOpen={() => ctx.openParcel(received.parcel.id)} onDismiss={() => setReceived(undefined)} />}
      <Card title={t('wh.receive.title')} subtitle={t('wh.receive.body')} testId="receive-card" className="receive-card">
        <form className="form receive-form" onSubmit={(e) => void submit(e)} noValidate data-testid="receive-form">
          <Field label={t('fwd.warehouse')}>
            {(id) => (
              <select id={id} value={chosen} onChange={(e) => setWarehouseId(e.target.value)} data-testid="receive-warehouse">
                {active.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.code} · {w.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('fwd.tracking')}>{input('trackingNumber', { autoCapitalize: 'characters', maxLength: 60, enterKeyHint: 'next', spellCheck: false })}</Field>
          <Field label={t('wh.markingOnBox')} hint={t('wh.markingHint')}>
            {(id) => (
              <>
                <input id={id} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={60} placeholder="JBT-10016" value={form.markingRead} onChange={set('markingRead')} data-testid="receive-markingRead" />
                <MarkingMatch lookup={lookup} empty={!form.markingRead.trim()} />
              </>
            )}
          </Field>
          <Field label={t('fwd.courier')} optional>
            {(id) => (
              <>
                <input id={id} list="wh-couriers" autoComplete="off" maxLength={60} value={courier} onChange={(e) => setCourier(e.target.value)} data-testid="receive-courier" />
                <datalist id="wh-couriers">
                  {COURIERS.map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <div className="measure-row measure-row-2">
            <Field label={t('fwd.cartons')}>{input('cartons', { inputMode: 'numeric', maxLength: 5 })}</Field>
            <Field label={t('wh.weightKg')}>{input('weightKg', { inputMode: 'decimal', maxLength: 11, placeholder: '0,0' })}</Field>
          </div>
          <div className="form-field-label">{t('wh.dimsCm')}</div>
          <div className="measure-row measure-row-3">
            <Field label={t('wh.length')}>{input('lengthCm', { inputMode: 'decimal', maxLength: 6 })}</Field>
            <Field label={t('wh.width')}>{input('widthCm', { inputMode: 'decimal', maxLength: 6 })}</Field>
            <Field label={t('wh.height')}>{input('heightCm', { inputMode: 'decimal', maxLength: 6 })}</Field>
          </div>
          <Segmented legend={t('fwd.condition')} name="condition" value={condition} testId="receive-condition" options={PARCEL_CONDITIONS.map((c) => ({ value: c, label: conditionName(c, t) }))} onChange={setCondition} />
          <Field label={t('wh.conditionNote')} optional>{input('conditionNote', { maxLength: 500 })}</Field>
          <Field label={t('fwd.supplier')} optional>{input('supplierName', { maxLength: 200 })}</Field>
          <Field label={t('fwd.orderNumbers')} optional hint={t('fwd.orderNumbersHint')}>{input('orderNumbers', { inputMode: 'numeric' })}</Field>
          <div className="field">
            <span className="field-label">{t('fwd.photos')}</span>
            <PhotoInput photos={photos} onChange={setPhotos} testId="receive-photos" />
            <FieldError message={errors.photos} testId="error-photos" />
          </div>
          {already ? (
            <Alert kind="warning" title={t('wh.already.title')}>
              <span data-testid="receive-already">
                {error instanceof ApiError && error.problem.detail}{' '}
                <button type="button" className="linkish" onClick={() => ctx.openParcel(already)} data-testid="receive-already-link">
                  {t('wh.already.open')}
                </button>
              </span>
            </Alert>
          ) : (
            <ErrorAlert error={error} />
          )}
          {Object.values(local).some(Boolean) && <Alert kind="error">{t('wh.err.check')}</Alert>}
          <Button type="submit" busy={busy} className="btn-block btn-large" data-testid="receive-submit">
            {t('wh.receive.submit')}
          </Button>
          <p className="muted small">{t('wh.receive.units', { example: formatDecimal('18.4', lang) })}</p>
        </form>
      </Card>
    </div>
  );
}

function ReceivedCard({ detail, onOpen, onDismiss }: { detail: StaffParcelDetail; onOpen: () => void; onDismiss: () => void }) {
  const { t, lang } = useI18n();
  const p = detail.parcel;
  const ref = useScrollIntoView<HTMLDivElement>();
  return (
    <div ref={ref}>
      <Card className={`received-card ${p.status === 'unidentified' ? 'received-unidentified' : 'received-ok'}`} testId="received-card">
        <div className="received-head" data-parcel={p.id} data-status={p.status}>
          <Icon name={p.status === 'unidentified' ? 'alert' : 'check'} size={22} />
          <div>
            <div className="strong" data-testid="received-title">
              {p.status === 'unidentified' ? t('wh.received.unidentified', { tracking: p.trackingNumber }) : t('wh.received.ok', { tracking: p.trackingNumber, name: detail.customer?.name ?? '' })}
            </div>
            <div className="small muted">
              <Mono>{p.id}</Mono> · {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)} · {t('wh.photosN', { n: p.photoIds.length })}
            </div>
          </div>
        </div>
        <div className="form-actions start">
          <Button small variant="secondary" onClick={onOpen} data-testid="received-open">
            {t('common.details')}
          </Button>
          <Button small variant="ghost" onClick={onDismiss}>
            {t('common.close')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
