import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  api,
  ApiError,
  FREIGHT_MODES,
  PARCEL_CONDITIONS,
  PARCEL_STATUSES,
  SHIPMENT_STATUSES,
  type ForwardingSettings,
  type FreightMode,
  type FreightTariff,
  type InsuranceClaim,
  type ParcelClaim,
  type ParcelCondition,
  type Shipment,
  type ShipmentDetail,
  type ShipmentStatus,
  type StaffParcel,
  type StaffParcelDetail,
  type StaffShipment,
  type TrackingStatus,
  type Warehouse,
} from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { formatDecimal, formatPercent, minorToInput, money, moneyOf, parseAmount, parseDecimalInput } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, ConfirmButton, Empty, ErrorAlert, Field, Mono, PageHeader, Segmented, Spinner, useAction, useLoad, type Loaded } from '../ui.tsx';
import { readFileAsBase64, useFormatDate, useIdempotency, useScrollIntoView } from './fundingShared.tsx';
import {
  AbandonNote,
  categoryName,
  cbmText,
  conditionName,
  dimsText,
  FreeDays,
  kgText,
  markingShape,
  matchReasonText,
  modeName,
  parcelStatusLabel,
  ParcelStatusBadge,
  ParcelTimeline,
  parseCm,
  parseKg,
  PhotoThumbs,
  QuoteFigures,
  shipmentStatusLabel,
  ShipmentStatusBadge,
  ShipmentTimeline,
  splitNumbers,
} from './forwardingShared.tsx';
import { FilePick, type PickedFile } from './paymentsShared.tsx';
import { percentOver } from './Shipments.tsx';

const TABS = ['receive', 'parcels', 'unidentified', 'shipments', 'insurance', 'tariffs'] as const;
type Tab = (typeof TABS)[number];
const WORKERS = ['warehouse', 'ops', 'admin'];
const INSURANCE_READERS = ['ops', 'finance', 'compliance', 'admin'];
/** Who corrects a paid invoice with a credit note. */
const CREDITORS = ['finance', 'admin'];
/** Every staff role opens a shipment's papers and claim evidence through the staff routes. */
const shipmentDocumentHref = (shipmentId: string, documentId: string) => `/api/staff/shipments/${encodeURIComponent(shipmentId)}/documents/${encodeURIComponent(documentId)}`;
const claimEvidenceHref = (claimId: string) => `/api/staff/parcel-claims/${encodeURIComponent(claimId)}/evidence`;
const MAX_PHOTOS = 6;
const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
/** After payment, which journey steps may follow which (the server's state machine, for the buttons). */
const NEXT_STEPS: Partial<Record<ShipmentStatus, TrackingStatus[]>> = {
  paid: ['departed'],
  departed: ['arrived_port', 'lost', 'damaged'],
  arrived_port: ['customs_cleared', 'held_customs', 'lost', 'damaged'],
  held_customs: ['customs_cleared', 'lost', 'damaged'],
  customs_cleared: ['out_for_delivery', 'delivered', 'lost', 'damaged'],
  out_for_delivery: ['delivered', 'lost', 'damaged'],
  delivered: ['damaged'],
  damaged: ['delivered'],
};

interface WarehouseCtx {
  role: string;
  me: string;
  canWork: boolean;
  isAdmin: boolean;
  warehouses: Loaded<{ warehouses: Warehouse[] }>;
  code(id: string): string;
  openParcel(id: string): void;
}

/** Staff console for the China warehouses: receive on the floor, the parcels, the unidentified queue, shipments, insurance, tariffs. */
export function WarehousePage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const canWork = WORKERS.includes(user.role);
  const tabs = TABS.filter((k) => (k === 'insurance' ? INSURANCE_READERS.includes(user.role) : true));
  const fallback: Tab = canWork ? 'receive' : 'parcels';
  const tab: Tab = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : fallback;
  const [version, setVersion] = useState(0);
  const warehouses = useLoad(() => api.get<{ warehouses: Warehouse[] }>('/staff/warehouses'), [version]);
  const ctx: WarehouseCtx = {
    role: user.role,
    me: user.id,
    canWork,
    isAdmin: user.role === 'admin',
    warehouses,
    code: (id) => warehouses.data?.warehouses.find((w) => w.id === id)?.code ?? '',
    openParcel: (id) => setParams({ tab: 'parcels', parcel: id }),
  };
  const labels: Record<Tab, string> = {
    receive: t('wh.tab.receive'),
    parcels: t('wh.tab.parcels'),
    unidentified: t('wh.tab.unidentified'),
    shipments: t('wh.tab.shipments'),
    insurance: t('wh.tab.insurance'),
    tariffs: t('wh.tab.tariffs'),
  };
  return (
    <>
      <PageHeader title={t('nav.warehouse')} subtitle={t('wh.subtitle')} />
      {!canWork && (
        <Alert kind="info">
          <span data-testid="wh-readonly">{CREDITORS.includes(user.role) ? t('wh.readOnlyFinance') : t('wh.readOnly')}</span>
        </Alert>
      )}
      <div className="tabs" role="tablist" data-testid="warehouse-tabs">
        {tabs.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === fallback ? {} : { tab: k })} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'receive' && <ReceiveTab ctx={ctx} />}
      {tab === 'parcels' && <ParcelsTab ctx={ctx} openId={params.get('parcel')} onOpen={(id) => setParams(id ? { tab: 'parcels', parcel: id } : { tab: 'parcels' })} />}
      {tab === 'unidentified' && <UnidentifiedTab ctx={ctx} />}
      {tab === 'shipments' && <ShipmentsTab ctx={ctx} openId={params.get('shipment')} onOpen={(id) => setParams(id ? { tab: 'shipments', shipment: id } : { tab: 'shipments' })} />}
      {tab === 'insurance' && <InsuranceTab ctx={ctx} />}
      {tab === 'tariffs' && <TariffsTab ctx={ctx} onWarehousesChanged={() => setVersion((v) => v + 1)} />}
    </>
  );
}

// ---- field errors from the server --------------------------------------------------------------------

/** The field a problem names: `field` of a use-case refusal, or the path of a schema error ("/weightKg"). */
function problemFields(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const p = error.problem;
  const out: Record<string, string> = {};
  if (p.field) out[p.field] = p.detail ?? p.title;
  for (const e of p.errors ?? []) {
    const name = e.path.replace(/^\//, '').split('/')[0];
    if (name && !out[name]) out[name] = e.message;
  }
  return out;
}

function FieldError({ message, testId }: { message: string | undefined; testId: string }) {
  if (!message) return null;
  return (
    <span className="text-error" data-testid={testId}>
      {message}
    </span>
  );
}

// ---- marking code lookup --------------------------------------------------------------------------------

/**
 * The answer about a code typed or read off a box. The server decides (404: nobody has it);
 * what the code looks like only says why: a wrong check digit (a misread or mistyped digit),
 * not a marking code at all, or a well-formed code nobody has.
 */
type Lookup = { state: 'idle' } | { state: 'looking' } | { state: 'found'; name: string; code: string } | { state: 'unknown' | 'badCheck' | 'notCode' | 'error' };

/** Whose code is this? Asked as staff type, the newest answer wins. */
function useMarkingLookup(code: string): Lookup {
  const [result, setResult] = useState<Lookup>({ state: 'idle' });
  useEffect(() => {
    const c = code.trim();
    if (c.length < 3) {
      setResult({ state: 'idle' });
      return;
    }
    let alive = true;
    setResult({ state: 'looking' });
    const timer = window.setTimeout(() => {
      api.get<{ markingCode: string; customer: { id: string; name: string } }>(`/staff/marking-codes/${encodeURIComponent(c)}`).then(
        (r) => alive && setResult({ state: 'found', name: r.customer.name, code: r.markingCode }),
        (err: unknown) => {
          if (!alive) return;
          if (!(err instanceof ApiError) || err.status !== 404) return setResult({ state: 'error' });
          const shape = markingShape(c);
          setResult({ state: shape.kind === 'badCheck' ? 'badCheck' : shape.kind === 'notCode' ? 'notCode' : 'unknown' });
        },
      );
    }, 250);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [code]);
  return result;
}

/** `receive`: where the parcel will go (the unidentified queue); `assign`: whether it can be given to that code. */
function MarkingMatch({ lookup, empty, use = 'receive' }: { lookup: Lookup; empty: boolean; use?: 'receive' | 'assign' }) {
  const { t } = useI18n();
  if (empty) return <span className="marking-match marking-none" data-testid="marking-match" data-state="none">{t('wh.marking.none')}</span>;
  if (lookup.state === 'looking' || lookup.state === 'idle') return <span className="marking-match muted" data-testid="marking-match" data-state="looking">{t('wh.marking.looking')}</span>;
  if (lookup.state === 'found')
    return (
      <span className="marking-match marking-found" data-testid="marking-match" data-state="found">
        <Icon name="check" size={16} /> <strong data-testid="marking-customer">{lookup.name}</strong> <span className="mono small">{lookup.code}</span>
      </span>
    );
  if (lookup.state === 'error')
    return (
      <span className="marking-match marking-unknown" data-testid="marking-match" data-state="error">
        <Icon name="alert" size={16} /> {t('wh.marking.error')}
      </span>
    );
  const what = lookup.state === 'badCheck' ? t('wh.marking.badCheck') : lookup.state === 'notCode' ? t('wh.marking.notCode') : t('wh.marking.unknownCode');
  return (
    <span className={`marking-match ${lookup.state === 'badCheck' ? 'marking-bad' : 'marking-unknown'}`} data-testid="marking-match" data-state={lookup.state}>
      <Icon name="alert" size={16} />
      <span>
        <strong>{what}</strong> {use === 'receive' ? t('wh.marking.toQueue') : t('wh.marking.cannotAssign')}
      </span>
    </span>
  );
}

// ---- photos taken on the floor ------------------------------------------------------------------------------

interface Photo {
  fileName: string;
  contentBase64: string;
  preview: string;
}

function PhotoInput({ photos, onChange, testId, max = MAX_PHOTOS }: { photos: Photo[]; onChange: (p: Photo[]) => void; testId: string; max?: number }) {
  const { t } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  const [problem, setProblem] = useState<string>();
  return (
    <div className="photo-input">
      <input
        ref={ref}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        className="sr-only"
        data-testid={testId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length === 0) return;
          const bad = files.find((f) => (f.type && !PHOTO_TYPES.includes(f.type)) || f.size === 0 || f.size > PHOTO_MAX_BYTES);
          if (bad) return setProblem(t('wh.photos.invalid', { name: bad.name }));
          if (photos.length + files.length > max) return setProblem(t('wh.photos.tooMany', { n: max }));
          setProblem(undefined);
          setReading(true);
          void Promise.all(files.map(async (f) => ({ fileName: f.name || 'photo.jpg', contentBase64: await readFileAsBase64(f), preview: URL.createObjectURL(f) })))
            .then((added) => onChange([...photos, ...added]))
            .finally(() => setReading(false));
        }}
      />
      <Button variant="secondary" busy={reading} onClick={() => ref.current?.click()} className="btn-block" data-testid={`${testId}-button`}>
        <Icon name="parcel" size={16} /> {photos.length ? t('wh.photos.more', { n: photos.length, max }) : t('wh.photos.take')}
      </Button>
      {problem && <span className="text-error small">{problem}</span>}
      {photos.length > 0 && (
        <ul className="photo-previews" data-testid={`${testId}-previews`}>
          {photos.map((p, i) => (
            <li key={p.preview}>
              <img src={p.preview} alt={p.fileName} />
              <button type="button" className="photo-remove" aria-label={t('wh.photos.remove', { name: p.fileName })} onClick={() => onChange(photos.filter((_, j) => j !== i))}>
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// ---- receive -------------------------------------------------------------------------------------------------

const COURIERS = ['SF 顺丰', 'YTO 圆通', 'ZTO 中通', 'STO 申通', 'Yunda 韵达', 'JD 京东', 'EMS', 'Deppon 德邦', 'J&T 极兔'];
const EMPTY_RECEIVE = { trackingNumber: '', markingRead: '', cartons: '1', weightKg: '', lengthCm: '', widthCm: '', heightCm: '', conditionNote: '', supplierName: '', orderNumbers: '' };
const LAST_WAREHOUSE = 'jembatan.wh.last';

function ReceiveTab({ ctx }: { ctx: WarehouseCtx }) {
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

// ---- parcels ----------------------------------------------------------------------------------------------------

function ParcelsTab({ ctx, openId, onOpen }: { ctx: WarehouseCtx; openId: string | null; onOpen: (id: string | null) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [filter, setFilter] = useState({ status: '', warehouseId: '', q: '' });
  const [applied, setApplied] = useState(filter);
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ parcels: StaffParcel[] }>('/staff/parcels', { ...applied, limit: 100 }), [applied.status, applied.warehouseId, applied.q, version]);
  const rows = list.data?.parcels ?? [];
  return (
    <>
      {openId && <StaffParcelPanel key={openId} id={openId} ctx={ctx} onClose={() => onOpen(null)} onChanged={() => setVersion((v) => v + 1)} />}
      <Card title={t('wh.parcels.title')} testId="staff-parcels-card">
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter);
          }}
          data-testid="parcel-filters"
        >
          <Field label={t('common.status')}>
            {(id) => (
              <select id={id} value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value }))} data-testid="filter-status">
                <option value="">{t('common.all')}</option>
                {PARCEL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {parcelStatusLabel(s, t)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('fwd.warehouse')}>
            {(id) => (
              <select id={id} value={filter.warehouseId} onChange={(e) => setFilter((f) => ({ ...f, warehouseId: e.target.value }))} data-testid="filter-warehouse">
                <option value="">{t('common.all')}</option>
                {(ctx.warehouses.data?.warehouses ?? []).map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.code}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('wh.parcels.q')}>{(id) => <input id={id} type="search" autoComplete="off" value={filter.q} onChange={(e) => setFilter((f) => ({ ...f, q: e.target.value }))} placeholder="SF… / JBT-…" data-testid="filter-q" />}</Field>
          <div className="filters-actions">
            <Button type="submit" variant="secondary" data-testid="filter-apply">
              {t('common.search')}
            </Button>
          </div>
        </form>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Spinner />
        ) : rows.length === 0 ? (
          <Empty>{t('wh.parcels.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="staff-parcels-table">
              <thead>
                <tr>
                  <th>{t('fwd.tracking')}</th>
                  <th>{t('wh.customer')}</th>
                  <th>{t('common.status')}</th>
                  <th className="right">{t('fwd.weight')}</th>
                  <th>{t('fwd.dims')}</th>
                  <th>{t('fwd.freeStorage')}</th>
                  <th>
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id} data-parcel={p.id} data-tracking={p.trackingNumber} data-testid="staff-parcel-row" className={p.id === openId ? 'row-selected' : undefined}>
                    <td data-label={t('fwd.tracking')}>
                      <div className="cell stack">
                        <span className="mono strong">{p.trackingNumber}</span>
                        <span className="muted small">{[ctx.code(p.warehouseId), p.courier, formatDateTime(p.receivedAt)].filter(Boolean).join(' · ')}</span>
                      </div>
                    </td>
                    <td data-label={t('wh.customer')}>
                      {p.customer ? (
                        <div className="cell stack">
                          <span className="strong">{p.customer.name}</span>
                          <span className="mono small muted">{p.customer.markingCode}</span>
                        </div>
                      ) : (
                        <span className="muted">{p.markingRead ? t('wh.readAs', { code: p.markingRead }) : '—'}</span>
                      )}
                    </td>
                    <td data-label={t('common.status')}>
                      <ParcelStatusBadge status={p.status} />
                    </td>
                    <td data-label={t('fwd.weight')} className="right nowrap">
                      {kgText(p.weightKg, lang)}
                    </td>
                    <td data-label={t('fwd.dims')} className="nowrap">
                      {p.cartons} × {dimsText(p, lang)}
                    </td>
                    <td data-label={t('fwd.freeStorage')}>
                      <div className="stack free-cell">
                        <FreeDays parcel={p} />
                        <AbandonNote parcel={p} />
                      </div>
                    </td>
                    <td className="actions">
                      <Button small variant="secondary" onClick={() => onOpen(p.id)} data-testid="staff-parcel-open">
                        {t('common.details')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function StaffParcelPanel({ id, ctx, onClose, onChanged }: { id: string; ctx: WarehouseCtx; onClose: () => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const [version, setVersion] = useState(0);
  const [answer, setAnswer] = useState<StaffParcelDetail>();
  const loaded = useLoad(() => api.get<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(id)}`), [id, version]);
  const d = answer ?? loaded.data;
  const ref = useScrollIntoView<HTMLDivElement>();
  // Every staff parcel answer is the whole staff view (customer and claims included): shown at once, then read again.
  const changed = (res?: StaffParcelDetail) => {
    setAnswer(res);
    setVersion((v) => v + 1);
    onChanged();
  };
  useEffect(() => setAnswer(undefined), [loaded.data]);
  const p = d?.parcel;
  const inStorage = p && (p.status === 'received' || p.status === 'unidentified');
  /** Nobody's yet: in the unidentified queue, or abandoned from it (still assigned or claimed). */
  const ownerless = p && !p.customerId && (p.status === 'unidentified' || p.status === 'abandoned');
  return (
    <div ref={ref} className="scroll-anchor">
      <Card
        title={p ? t('fwd.parcel.title', { tracking: p.trackingNumber }) : t('fwd.parcel.loading')}
        subtitle={<Mono>{id}</Mono>}
        actions={
          <Button variant="ghost" small onClick={onClose} data-testid="staff-parcel-close">
            {t('common.close')}
          </Button>
        }
        testId="staff-parcel-detail"
      >
        <ErrorAlert error={loaded.error} />
        {!d || !p ? (
          <Spinner />
        ) : (
          <div className="grid-2" data-parcel={p.id} data-status={p.status}>
            <div className="panel-col">
              <dl className="facts fwd-facts">
                <dt>{t('common.status')}</dt>
                <dd>
                  <ParcelStatusBadge status={p.status} />
                </dd>
                <dt>{t('wh.customer')}</dt>
                <dd data-testid="staff-parcel-customer">{d.customer ? `${d.customer.name} · ${d.customer.markingCode ?? ''}` : <span className="muted">{t('wh.nobody')}</span>}</dd>
                <dt>{t('wh.markingRead')}</dt>
                <dd>{p.markingRead ? <Mono>{p.markingRead}</Mono> : <span className="muted">—</span>}</dd>
                <dt>{t('fwd.warehouse')}</dt>
                <dd>{d.warehouse.code}</dd>
                <dt>{t('fwd.received')}</dt>
                <dd>{formatDateTime(p.receivedAt)}</dd>
                <dt>{t('fwd.measures')}</dt>
                <dd data-testid="staff-parcel-measures">
                  {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)} · {cbmText(p.volumeCbm, lang)}
                </dd>
                <dt>{t('fwd.condition')}</dt>
                <dd>
                  {conditionName(p.condition, t)} {p.conditionNote && <span className="muted small">· {p.conditionNote}</span>}
                </dd>
                {p.supplierName && (
                  <>
                    <dt>{t('fwd.supplier')}</dt>
                    <dd lang="zh">{p.supplierName}</dd>
                  </>
                )}
                {p.orderNumbers.length > 0 && (
                  <>
                    <dt>{t('fwd.orderNumbers')}</dt>
                    <dd className="mono small">{p.orderNumbers.join(', ')}</dd>
                  </>
                )}
                {p.paymentOrderId && (
                  <>
                    <dt>{t('fwd.paymentOrder')}</dt>
                    <dd>
                      <Mono>{p.paymentOrderId}</Mono> <span className="muted small">{matchReasonText(p.matchReason, t)}</span>
                      {p.condition !== 'good' && (
                        <span className="small block text-amber" data-testid="staff-escrow-kept">
                          {t('wh.escrowKept', { condition: conditionName(p.condition, t).toLowerCase() })}
                        </span>
                      )}
                    </dd>
                  </>
                )}
                <dt>{t('fwd.freeStorage')}</dt>
                <dd>
                  <FreeDays parcel={p} /> <span className="muted small">{t('fwd.freeThrough', { date: formatDate(p.freeThrough) })}</span>
                </dd>
                {(p.abandonAfter || p.abandonedAt) && (
                  <>
                    <dt>{t('fwd.abandonLimit')}</dt>
                    <dd data-testid="staff-parcel-abandon">
                      <AbandonNote parcel={p} always />
                    </dd>
                  </>
                )}
                {p.shipmentId && (
                  <>
                    <dt>{t('fwd.shipment')}</dt>
                    <dd>
                      <Mono>{p.shipmentId}</Mono>
                    </dd>
                  </>
                )}
              </dl>
              <h3 className="section-title">{t('fwd.photos')}</h3>
              <PhotoThumbs parcelId={p.id} photoIds={p.photoIds} staff size="large" />
              {ctx.canWork && inStorage && p.photoIds.length < MAX_PHOTOS && <AddPhotos parcelId={p.id} left={MAX_PHOTOS - p.photoIds.length} onAdded={changed} />}
              {ctx.canWork && p.status === 'abandoned' && p.customerId && <Reinstate parcelId={p.id} onDone={changed} />}
            </div>
            <div className="panel-col">
              {ctx.canWork && inStorage && <Remeasure detail={d} onSaved={changed} />}
              {ctx.canWork && ownerless && <AssignForm parcelId={p.id} onAssigned={changed} />}
              {ctx.canWork && p.status === 'received' && d.customer && <ReassignForm detail={d} onReassigned={changed} />}
              <h3 className="section-title">{t('fwd.history')}</h3>
              <ParcelTimeline transitions={d.transitions} meId={ctx.me} />
              {d.claims.length > 0 && (
                <>
                  <h3 className="section-title">{t('wh.claims.title')}</h3>
                  <ClaimsList claims={d.claims} ctx={ctx} onDecided={changed} />
                </>
              )}
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}

function Remeasure({ detail, onSaved }: { detail: StaffParcelDetail; onSaved: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const p = detail.parcel;
  const [form, setForm] = useState({ cartons: String(p.cartons), weightKg: p.weightKg, lengthCm: p.lengthCm, widthCm: p.widthCm, heightCm: p.heightCm, conditionNote: p.conditionNote ?? '' });
  const [condition, setCondition] = useState<ParcelCondition>(p.condition);
  const [local, setLocal] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const errors = problemFields(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const weightKg = parseKg(form.weightKg);
    const dims = [parseCm(form.lengthCm), parseCm(form.widthCm), parseCm(form.heightCm)];
    const cartons = /^\s*[0-9]{1,5}\s*$/.test(form.cartons) ? Number(form.cartons) : NaN;
    if (!weightKg || dims.some((x) => !x) || !(cartons >= 1)) return setLocal(t('wh.err.check'));
    setLocal(undefined);
    await run(async () => {
      const res = await api.patch<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(p.id)}`, { cartons, weightKg, lengthCm: dims[0], widthCm: dims[1], heightCm: dims[2], condition, conditionNote: form.conditionNote.trim() });
      setNotice(t('wh.remeasure.saved'));
      onSaved(res);
    });
  }
  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="remeasure-form">
      <h3 className="section-title">{t('wh.remeasure.title')}</h3>
      <div className="measure-row measure-row-2">
        <Field label={t('fwd.cartons')}>{(id) => <input id={id} inputMode="numeric" value={form.cartons} onChange={set('cartons')} data-testid="remeasure-cartons" />}</Field>
        <Field label={t('wh.weightKg')}>
          {(id) => (
            <>
              <input id={id} inputMode="decimal" value={form.weightKg} onChange={set('weightKg')} aria-invalid={errors.weightKg ? true : undefined} data-testid="remeasure-weight" />
              <FieldError message={errors.weightKg} testId="remeasure-error-weight" />
            </>
          )}
        </Field>
      </div>
      <div className="measure-row measure-row-3">
        <Field label={t('wh.length')}>{(id) => <input id={id} inputMode="decimal" value={form.lengthCm} onChange={set('lengthCm')} data-testid="remeasure-length" />}</Field>
        <Field label={t('wh.width')}>{(id) => <input id={id} inputMode="decimal" value={form.widthCm} onChange={set('widthCm')} data-testid="remeasure-width" />}</Field>
        <Field label={t('wh.height')}>{(id) => <input id={id} inputMode="decimal" value={form.heightCm} onChange={set('heightCm')} data-testid="remeasure-height" />}</Field>
      </div>
      <Segmented legend={t('fwd.condition')} name="remeasure-condition" value={condition} options={PARCEL_CONDITIONS.map((c) => ({ value: c, label: conditionName(c, t) }))} onChange={setCondition} />
      <Field label={t('wh.conditionNote')} optional>
        {(id) => <input id={id} maxLength={500} value={form.conditionNote} onChange={set('conditionNote')} />}
      </Field>
      {local && <Alert kind="error">{local}</Alert>}
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy} data-testid="remeasure-submit">
          {t('wh.remeasure.submit')}
        </Button>
      </div>
    </form>
  );
}

function AddPhotos({ parcelId, left, onAdded }: { parcelId: string; left: number; onAdded: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  return (
    <div className="sub-form" data-testid="add-photos">
      <PhotoInput photos={photos} onChange={setPhotos} testId="add-photos-input" max={left} />
      <ErrorAlert error={error} />
      {photos.length > 0 && (
        <Button
          small
          busy={busy}
          data-testid="add-photos-submit"
          onClick={() =>
            void run(async () => {
              const res = await idempotent((key) => api.post<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(parcelId)}/photos`, { photos: photos.map((p) => ({ fileName: p.fileName, contentBase64: p.contentBase64 })) }, { idempotencyKey: key }));
              setPhotos([]);
              onAdded(res);
            })
          }
        >
          {t('wh.photos.upload', { n: photos.length })}
        </Button>
      )}
    </div>
  );
}

function Reinstate({ parcelId, onDone }: { parcelId: string; onDone: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  return (
    <form
      className="form sub-form"
      noValidate
      data-testid="reinstate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onDone(await idempotent((key) => api.post<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(parcelId)}/reinstate`, { reason: reason.trim() }, { idempotencyKey: key }))));
      }}
    >
      <h3 className="section-title">{t('wh.reinstate.title')}</h3>
      <Field label={t('wh.reason')}>{(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reinstate-reason" />}</Field>
      <ErrorAlert error={error} />
      <Button type="submit" small busy={busy} disabled={reason.trim().length < 3} data-testid="reinstate-submit">
        {t('wh.reinstate.submit')}
      </Button>
    </form>
  );
}

function AssignForm({ parcelId, onAssigned }: { parcelId: string; onAssigned: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const lookup = useMarkingLookup(code);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);
  return (
    <form
      className="form sub-form assign-form"
      noValidate
      data-testid="assign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => onAssigned(await idempotent((key) => api.post<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(parcelId)}/assign`, { markingCode: code.trim(), note: note.trim() }, { idempotencyKey: key }))));
      }}
    >
      <h3 className="section-title">{t('wh.assign.title')}</h3>
      <Field label={t('fwd.markingCode')}>
        {(id) => (
          <>
            <input id={id} autoComplete="off" autoCapitalize="characters" value={code} onChange={(e) => setCode(e.target.value)} aria-invalid={errors.markingCode ? true : undefined} data-testid="assign-code" />
            {code.trim() && <MarkingMatch lookup={lookup} empty={false} use="assign" />}
            <FieldError message={errors.markingCode} testId="assign-error-code" />
          </>
        )}
      </Field>
      <Field label={t('wh.assign.note')} hint={t('wh.assign.noteHint')}>
        {(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="assign-note" />}
      </Field>
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <Button type="submit" small busy={busy} disabled={code.trim().length < 3 || note.trim().length < 3} data-testid="assign-submit">
        {t('wh.assign.submit')}
      </Button>
    </form>
  );
}

/** A parcel given to the wrong importer (its code misread at receipt) moves to the right one; both are told. */
function ReassignForm({ detail, onReassigned }: { detail: StaffParcelDetail; onReassigned: (d: StaffParcelDetail) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const lookup = useMarkingLookup(code);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);
  const same = lookup.state === 'found' && lookup.code === detail.customer?.markingCode;
  if (!open)
    return (
      <div className="sub-form">
        <Button small variant="secondary" onClick={() => setOpen(true)} data-testid="reassign-open">
          {t('wh.reassign.open')}
        </Button>
      </div>
    );
  return (
    <form
      className="form sub-form assign-form"
      noValidate
      data-testid="reassign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const res = await idempotent((key) => api.post<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(detail.parcel.id)}/reassign`, { markingCode: code.trim(), note: note.trim() }, { idempotencyKey: key }));
          setOpen(false);
          setCode('');
          setNote('');
          onReassigned(res);
        });
      }}
    >
      <h3 className="section-title">{t('wh.reassign.title')}</h3>
      <p className="small muted">{t('wh.reassign.body', { name: detail.customer?.name ?? '' })}</p>
      <Field label={t('wh.reassign.code')}>
        {(id) => (
          <>
            <input id={id} autoComplete="off" autoCapitalize="characters" value={code} onChange={(e) => setCode(e.target.value)} aria-invalid={errors.markingCode ? true : undefined} data-testid="reassign-code" />
            {code.trim() && <MarkingMatch lookup={lookup} empty={false} use="assign" />}
            {same && <span className="text-error small">{t('wh.reassign.same')}</span>}
            <FieldError message={errors.markingCode} testId="reassign-error-code" />
          </>
        )}
      </Field>
      <Field label={t('wh.assign.note')} hint={t('wh.reassign.noteHint')}>
        {(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="reassign-note" />}
      </Field>
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy} disabled={lookup.state !== 'found' || same || note.trim().length < 3} data-testid="reassign-submit">
          {lookup.state === 'found' && !same ? t('wh.reassign.submitTo', { name: lookup.name }) : t('wh.reassign.submit')}
        </Button>
        <Button small variant="ghost" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

// ---- unidentified queue and claims --------------------------------------------------------------------------

function UnidentifiedTab({ ctx }: { ctx: WarehouseCtx }) {
  const { t, lang, formatDateTime } = useI18n();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string>();
  const queue = useLoad(() => api.get<{ parcels: StaffParcel[] }>('/staff/parcels', { status: 'unidentified', limit: 200 }), [version]);
  // Abandoned from the queue with nobody to tell: still assigned or claimed.
  const abandoned = useLoad(() => api.get<{ parcels: StaffParcel[] }>('/staff/parcels', { status: 'abandoned', limit: 200 }), [version]);
  const claims = useLoad(() => api.get<{ claims: ParcelClaim[] }>('/staff/parcel-claims'), [version]);
  const rows = [...(queue.data?.parcels ?? []), ...(abandoned.data?.parcels ?? []).filter((p) => !p.customerId)];
  const changed = () => setVersion((v) => v + 1);
  return (
    <>
      <Card title={t('wh.unidentified.title')} subtitle={t('wh.unidentified.body')} testId="unidentified-card">
        {done && <Alert kind="success">{done}</Alert>}
        <ErrorAlert error={queue.error ?? abandoned.error} />
        {queue.loading && !queue.data ? (
          <Spinner />
        ) : rows.length === 0 ? (
          <Empty>{t('wh.unidentified.none')}</Empty>
        ) : (
          <ul className="queue-list" data-testid="unidentified-list">
            {rows.map((p) => (
              <li key={p.id} className="queue-item" data-testid="unidentified-item" data-parcel={p.id} data-tracking={p.trackingNumber}>
                <div className="queue-main">
                  <div className="queue-head">
                    <span className="mono strong">{p.trackingNumber}</span>
                    {p.status === 'abandoned' && <ParcelStatusBadge status={p.status} />}
                    <span className="muted small">{[ctx.code(p.warehouseId), p.courier, formatDateTime(p.receivedAt)].filter(Boolean).join(' · ')}</span>
                  </div>
                  <AbandonNote parcel={p} />
                  <div className="small">
                    {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)}
                  </div>
                  <div className="small muted">
                    {p.markingRead ? t('wh.readAs', { code: p.markingRead }) : t('wh.noMarking')}
                    {p.conditionNote && ` · ${p.conditionNote}`}
                  </div>
                  <PhotoThumbs parcelId={p.id} photoIds={p.photoIds} staff />
                </div>
                {ctx.canWork && (
                  <AssignForm
                    parcelId={p.id}
                    onAssigned={(d) => {
                      setDone(t('wh.assign.done', { tracking: d.parcel.trackingNumber }));
                      changed();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t('wh.claims.title')} subtitle={t('wh.claims.body')} testId="claims-card">
        <ErrorAlert error={claims.error} />
        {claims.loading && !claims.data ? <Spinner /> : (claims.data?.claims ?? []).length === 0 ? <Empty>{t('wh.claims.none')}</Empty> : <ClaimsList claims={claims.data!.claims} ctx={ctx} onDecided={changed} />}
      </Card>
    </>
  );
}

function ClaimsList({ claims, ctx, onDecided }: { claims: ParcelClaim[]; ctx: WarehouseCtx; onDecided: () => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ul className="claim-list" data-testid="claims-list">
      {claims.map((c) => (
        <li key={c.id} className="claim-item" data-testid="claim-item" data-claim={c.id} data-status={c.status}>
          <div className="claim-head">
            <span className="strong">{c.customer?.name ?? c.customerId}</span>
            <Badge tone={c.status === 'approved' ? 'green' : c.status === 'rejected' ? 'red' : 'amber'}>{t(`fwd.claimStatus.${c.status}`)}</Badge>
            <span className="muted small">
              {formatDateTime(c.createdAt)} ·{' '}
              <button type="button" className="linkish mono" onClick={() => ctx.openParcel(c.parcelId)}>
                {c.parcelId}
              </button>
            </span>
          </div>
          <p className="small pre-line">{c.evidence}</p>
          {c.documentId && (
            <a className="small evidence-link" href={claimEvidenceHref(c.id)} target="_blank" rel="noreferrer" data-testid="claim-evidence-link">
              {t('wh.claims.document')}
            </a>
          )}
          {c.decisionNote && <p className="small muted">{c.decisionNote}</p>}
          {c.status === 'pending' && ctx.canWork && <DecideForm path={`/staff/parcel-claims/${encodeURIComponent(c.id)}/decide`} onDone={onDecided} />}
        </li>
      ))}
    </ul>
  );
}

function DecideForm({ path, onDone, withAmount }: { path: string; onDone: () => void; withAmount?: { max: string } }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState(withAmount ? minorToInput(withAmount.max) : '');
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const decide = (decision: 'approved' | 'rejected') =>
    void run(async () => {
      const minor = withAmount && decision === 'approved' ? parseAmount(amount, 2) : null;
      await idempotent((key) => api.post(path, { decision, note: note.trim(), ...(minor ? { amount: { amount: minor, currency: 'IDR' } } : {}) }, { idempotencyKey: key }));
      onDone();
    });
  return (
    <div className="decision-form" data-testid="decide-form">
      {withAmount && (
        <Field label={t('wh.insurance.amount')}>
          {(id) => (
            <div className="affix-input">
              <span className="affix">Rp</span>
              <input id={id} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="decide-amount" />
            </div>
          )}
        </Field>
      )}
      <Field label={t('wh.decisionNote')}>{(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decide-note" />}</Field>
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button small busy={busy} disabled={note.trim().length < 3} onClick={() => decide('approved')} data-testid="decide-approve">
          {t('wh.approve')}
        </Button>
        <Button small variant="danger" busy={busy} disabled={note.trim().length < 3} onClick={() => decide('rejected')} data-testid="decide-reject">
          {t('wh.reject')}
        </Button>
      </div>
    </div>
  );
}

// ---- shipments ---------------------------------------------------------------------------------------------------

function ShipmentsTab({ ctx, openId, onOpen }: { ctx: WarehouseCtx; openId: string | null; onOpen: (id: string | null) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [status, setStatus] = useState('');
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ shipments: StaffShipment[] }>('/staff/shipments', { status, limit: 100 }), [status, version]);
  const rows = list.data?.shipments ?? [];
  return (
    <>
      {openId && <StaffShipmentPanel key={openId} id={openId} ctx={ctx} onClose={() => onOpen(null)} onChanged={() => setVersion((v) => v + 1)} />}
      <Card title={t('wh.shipments.title')} testId="staff-shipments-card">
        <div className="status-chips" role="group" aria-label={t('common.status')} data-testid="shipment-status-filter">
          {['', ...SHIPMENT_STATUSES].map((s) => (
            <button key={s || 'all'} type="button" className={`chip-button${status === s ? ' active' : ''}`} aria-pressed={status === s} onClick={() => setStatus(s)}>
              {s ? shipmentStatusLabel(s, t) : t('common.all')}
            </button>
          ))}
        </div>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Spinner />
        ) : rows.length === 0 ? (
          <Empty>{t('wh.shipments.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="staff-shipments-table">
              <thead>
                <tr>
                  <th>{t('fwd.shipment')}</th>
                  <th>{t('wh.customer')}</th>
                  <th>{t('fwd.mode')}</th>
                  <th>{t('common.status')}</th>
                  <th className="right">{t('fwd.estimate')}</th>
                  <th className="right">{t('fwd.invoice')}</th>
                  <th>
                    <span className="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id} data-shipment={s.id} data-testid="staff-shipment-row" className={s.id === openId ? 'row-selected' : undefined}>
                    <td data-label={t('fwd.shipment')}>
                      <div className="cell stack">
                        <span className="mono strong">{s.id}</span>
                        <span className="muted small">
                          {formatDateTime(s.createdAt)} · {t('fwd.parcelsN', { n: s.parcelCount })}
                        </span>
                      </div>
                    </td>
                    <td data-label={t('wh.customer')}>{s.customer?.name ?? '—'}</td>
                    <td data-label={t('fwd.mode')}>
                      {modeName(s.mode, t)} · {ctx.code(s.warehouseId)} → {s.destination}
                    </td>
                    <td data-label={t('common.status')}>
                      <ShipmentStatusBadge status={s.status} />
                    </td>
                    <td data-label={t('fwd.estimate')} className="right nowrap">
                      {money(s.estimateTotal, lang)}
                    </td>
                    <td data-label={t('fwd.invoice')} className="right nowrap">
                      <div className="stack figure-cell">
                        <span>{s.invoiceTotal ? money(s.invoiceTotal, lang) : '—'}</span>
                        {s.status === 'invoiced' && BigInt(s.amountDue.amount) > 0n && <span className="small text-amber">{t('wh.waitingShort', { amount: money(s.amountDue, lang) })}</span>}
                        {BigInt(s.credited.amount) > 0n && <span className="small credit-inline">{t('fwd.creditedShort', { amount: money(s.credited, lang) })}</span>}
                      </div>
                    </td>
                    <td className="actions">
                      <Button small variant="secondary" onClick={() => onOpen(s.id)} data-testid="staff-shipment-open">
                        {t('common.details')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function StaffShipmentPanel({ id, ctx, onClose, onChanged }: { id: string; ctx: WarehouseCtx; onClose: () => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const [version, setVersion] = useState(0);
  const loaded = useLoad(() => api.get<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(id)}`), [id, version]);
  const [answer, setAnswer] = useState<ShipmentDetail>();
  useEffect(() => setAnswer(undefined), [loaded.data]);
  const d = answer ?? loaded.data;
  const ref = useScrollIntoView<HTMLDivElement>();
  const invoice = useAction();
  const cancel = useAction();
  const idempotent = useIdempotency();
  const [cancelReason, setCancelReason] = useState('');
  const settings = useLoad(() => api.get<{ settings: ForwardingSettings }>('/staff/forwarding/settings'), []);
  const changed = (res?: ShipmentDetail) => {
    if (res) setAnswer({ ...res, customer: res.customer ?? loaded.data?.customer ?? null });
    setVersion((v) => v + 1);
    onChanged();
  };
  const s = d?.shipment;
  const canInvoice = ['warehouse', 'ops', 'finance', 'admin'].includes(ctx.role);
  const canCancel = ['ops', 'admin'].includes(ctx.role);
  const canCredit = CREDITORS.includes(ctx.role);
  const next = s ? (NEXT_STEPS[s.status] ?? []) : [];
  const credited = s ? BigInt(s.credited.amount) : 0n;

  return (
    <div ref={ref} className="scroll-anchor">
      <Card
        title={s ? t('wh.shipment.title', { id: s.id }) : t('fwd.shipment.loading')}
        subtitle={s ? `${d?.customer?.name ?? ''} · ${modeName(s.mode, t)} · ${ctx.code(s.warehouseId)} → ${s.destination}` : undefined}
        actions={
          <Button variant="ghost" small onClick={onClose} data-testid="staff-shipment-close">
            {t('common.close')}
          </Button>
        }
        testId="staff-shipment-detail"
      >
        <ErrorAlert error={loaded.error} />
        {!d || !s ? (
          <Spinner />
        ) : (
          <div data-shipment={s.id} data-status={s.status}>
            <div className="grid-2">
              <div className="panel-col">
                <dl className="facts fwd-facts">
                  <dt>{t('common.status')}</dt>
                  <dd>
                    <ShipmentStatusBadge status={s.status} />
                  </dd>
                  <dt>{t('fwd.category')}</dt>
                  <dd>{categoryName(s.category, t)}</dd>
                  <dt>{t('fwd.deliveryAddress')}</dt>
                  <dd className="pre-line">{s.deliveryAddress}</dd>
                  <dt>{t('fwd.insurance')}</dt>
                  <dd>{s.insured ? t('fwd.insuredFor', { amount: money(s.declaredValue, lang) }) : t('fwd.notInsured')}</dd>
                  <dt>{t('fwd.estimate')}</dt>
                  <dd data-testid="staff-estimate">{money(s.estimateTotal, lang)}</dd>
                  <dt>{t('fwd.invoice')}</dt>
                  <dd>
                    <span data-testid="staff-invoice">{s.invoiceTotal ? money(s.invoiceTotal, lang) : '—'}</span>
                    {s.invoicedAt && <span className="muted small block">{formatDateTime(s.invoicedAt)}</span>}
                  </dd>
                  {BigInt(s.amountDue.amount) > 0n && (
                    <>
                      <dt>{t('fwd.amountDue')}</dt>
                      <dd className="strong" data-testid="staff-due">
                        {money(s.amountDue, lang)}
                      </dd>
                    </>
                  )}
                  {s.paidAt && (
                    <>
                      <dt>{t('wh.paidAt')}</dt>
                      <dd>{formatDateTime(s.paidAt)}</dd>
                    </>
                  )}
                  {credited > 0n && s.invoiceTotal && (
                    <>
                      <dt>{t('wh.credited')}</dt>
                      <dd data-testid="staff-credited">
                        <span className="credit-inline strong">{money(s.credited, lang)}</span>
                        <span className="muted small block" data-testid="staff-credited-net">
                          {t('fwd.creditedNet', { amount: moneyOf(BigInt(s.invoiceTotal.amount) - credited, 'IDR', lang) })}
                        </span>
                      </dd>
                    </>
                  )}
                  <dt>{t('fwd.carrierReference')}</dt>
                  <dd data-testid="staff-carrier-reference">{s.carrierReference ? <Mono>{s.carrierReference}</Mono> : '—'}</dd>
                  <dt>ETA</dt>
                  <dd>{s.eta ? `${formatDate(s.eta.from)} – ${formatDate(s.eta.to)}` : '—'}</dd>
                  <dt>{t('common.createdAt')}</dt>
                  <dd>{formatDateTime(s.createdAt)}</dd>
                </dl>
                <h3 className="section-title">{t('fwd.parcelsN', { n: d.parcels.length })}</h3>
                <ul className="fact-list" data-testid="staff-shipment-parcels">
                  {d.parcels.map((p) => (
                    <li key={p.id}>
                      <span className="cell stack">
                        <button type="button" className="linkish mono" onClick={() => ctx.openParcel(p.id)}>
                          {p.trackingNumber}
                        </button>
                        <span className="muted small">
                          {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)}
                        </span>
                      </span>
                      <PhotoThumbs parcelId={p.id} photoIds={p.photoIds.slice(0, 2)} staff />
                    </li>
                  ))}
                </ul>
                {s.packages.length > 0 && (
                  <>
                    <h3 className="section-title">{t('fwd.packages')}</h3>
                    <ul className="fact-list" data-testid="staff-packages">
                      {s.packages.map((p, i) => (
                        <li key={i}>
                          <span>
                            {p.count} × {dimsText(p, lang)}
                          </span>
                          <strong>{t('fwd.kgEach', { kg: kgText(p.weightKg, lang) })}</strong>
                        </li>
                      ))}
                      {s.extraCharges.map((x, i) => (
                        <li key={`x${i}`}>
                          <span>{x.description}</span>
                          <strong>{money(x.amount, lang)}</strong>
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
              <div className="panel-col">
                {s.status === 'invoiced' && <WaitingForImporter shipment={s} settings={settings.data?.settings} />}
                {s.status === 'requested' && ctx.canWork && <PackForm shipmentId={s.id} onPacked={changed} />}
                {s.status === 'invoiced' && ctx.canWork && <RemeasureShipment shipment={s} onPacked={changed} />}
                {s.status === 'packed' && canInvoice && (
                  <div className="sub-form" data-testid="invoice-panel">
                    <h3 className="section-title">{t('wh.invoice.title')}</h3>
                    <p className="small muted">{t('wh.invoice.body')}</p>
                    <ErrorAlert error={invoice.error} />
                    <Button
                      busy={invoice.busy}
                      data-testid="invoice-submit"
                      onClick={() => void invoice.run(async () => changed(await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(s.id)}/invoice`, undefined, { idempotencyKey: key }))))}
                    >
                      {t('wh.invoice.submit')}
                    </Button>
                  </div>
                )}
                {next.length > 0 && ctx.canWork && <StatusForm shipmentId={s.id} options={next} onDone={changed} />}
                {s.paidAt && s.invoiceTotal && canCredit && BigInt(s.invoiceTotal.amount) > credited && <CreditForm shipment={s} onCredited={changed} />}
                {['requested', 'packed', 'invoiced'].includes(s.status) && canCancel && (
                  <div className="sub-form" data-testid="staff-cancel">
                    <Field label={t('wh.cancelReason')}>{(fid) => <input id={fid} maxLength={500} value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} data-testid="staff-cancel-reason" />}</Field>
                    <ErrorAlert error={cancel.error} />
                    <ConfirmButton busy={cancel.busy} onConfirm={() => void cancel.run(async () => changed(await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(s.id)}/cancel`, { reason: cancelReason.trim() }, { idempotencyKey: key }))))}>
                      <span data-testid="staff-cancel-submit">{t('fwd.cancelShipment')}</span>
                    </ConfirmButton>
                  </div>
                )}
                <h3 className="section-title">{t('fwd.timeline')}</h3>
                <ShipmentTimeline transitions={d.transitions} meId={ctx.me} documentHref={(doc) => shipmentDocumentHref(s.id, doc)} />
                {d.insuranceClaims.length > 0 && (
                  <>
                    <h3 className="section-title">{t('wh.tab.insurance')}</h3>
                    <ul className="fact-list" data-testid="staff-shipment-claims">
                      {d.insuranceClaims.map((c) => (
                        <li key={c.id}>
                          <span className="cell stack">
                            <span>
                              {money(c.claimed, lang)} · <Badge tone={c.status === 'approved' ? 'green' : c.status === 'rejected' ? 'red' : 'amber'}>{t(`fwd.claimStatus.${c.status}`)}</Badge>
                            </span>
                            <span className="muted small">{c.description}</span>
                            {c.documentId && (
                              <a className="small" href={shipmentDocumentHref(s.id, c.documentId)} target="_blank" rel="noreferrer" data-testid="staff-claim-evidence">
                                {t('wh.claims.document')}
                              </a>
                            )}
                          </span>
                          {c.approved && <strong>{money(c.approved, lang)}</strong>}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            </div>
            <div className="grid-2 compare-quotes">
              <div>
                <h3 className="section-title">{t('fwd.estimate')}</h3>
                <QuoteFigures quote={s.estimate} testId="staff-estimate-figures" />
              </div>
              <div>
                <h3 className="section-title">{t('fwd.invoice')}</h3>
                {s.invoice ? <QuoteFigures quote={s.invoice} testId="staff-invoice-figures" /> : <p className="muted small">{t('fwd.invoiceLater')}</p>}
              </div>
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}

interface PackageRow {
  count: string;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  weightKg: string;
}
const EMPTY_PACKAGE: PackageRow = { count: '1', lengthCm: '', widthCm: '', heightCm: '', weightKg: '' };

function PackForm({ shipmentId, onPacked, initial, title, body, submit: submitLabel, testId = 'pack-form' }: { shipmentId: string; onPacked: (d: ShipmentDetail) => void; initial?: Shipment; title?: string; body?: string; submit?: string; testId?: string }) {
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
function WaitingForImporter({ shipment: s, settings }: { shipment: Shipment; settings: ForwardingSettings | undefined }) {
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
function RemeasureShipment({ shipment, onPacked }: { shipment: Shipment; onPacked: (d: ShipmentDetail) => void }) {
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
function CreditForm({ shipment: s, onCredited }: { shipment: Shipment; onCredited: (d: ShipmentDetail) => void }) {
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

function StatusForm({ shipmentId, options, onDone }: { shipmentId: string; options: TrackingStatus[]; onDone: (d: ShipmentDetail) => void }) {
  const { t } = useI18n();
  const [to, setTo] = useState<TrackingStatus>(options[0]!);
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [doc, setDoc] = useState<PickedFile>();
  const [badFile, setBadFile] = useState(false);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  useEffect(() => {
    if (!options.includes(to)) setTo(options[0]!);
  }, [options.join(',')]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const body = { to, ...(note.trim() ? { note: note.trim() } : {}), ...(reference.trim() ? { carrierReference: reference.trim() } : {}), ...(doc ? { document: { fileName: doc.fileName, contentBase64: doc.contentBase64 } } : {}) };
      const res = await idempotent((key) => api.post<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(shipmentId)}/status`, body, { idempotencyKey: key }));
      setReference('');
      setNote('');
      setDoc(undefined);
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
      <FilePick label={t('wh.status.document')} hint={badFile ? t('fwd.fileInvalid') : t('wh.status.documentHint')} value={doc} onPick={(f) => { setDoc(f); setBadFile(false); }} onInvalid={() => setBadFile(true)} testId="status-document" />
      <ErrorAlert error={error} />
      <Button type="submit" busy={busy} data-testid="status-submit">
        {t('wh.status.submit', { status: shipmentStatusLabel(to, t) })}
      </Button>
    </form>
  );
}

// ---- insurance claims (finance) ---------------------------------------------------------------------------------

function InsuranceTab({ ctx }: { ctx: WarehouseCtx }) {
  const { t, lang, formatDateTime } = useI18n();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ claims: InsuranceClaim[] }>('/staff/insurance-claims'), [version]);
  const canDecide = ['finance', 'admin'].includes(ctx.role);
  const rows = list.data?.claims ?? [];
  return (
    <Card title={t('wh.insurance.title')} subtitle={canDecide ? t('wh.insurance.body') : t('wh.insurance.readOnly')} testId="insurance-claims-card">
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        <Empty>{t('wh.insurance.none')}</Empty>
      ) : (
        <ul className="claim-list">
          {rows.map((c) => (
            <li key={c.id} className="claim-item" data-claim={c.id} data-status={c.status}>
              <div className="claim-head">
                <span className="strong">{money(c.claimed, lang)}</span>
                <Badge tone={c.status === 'approved' ? 'green' : c.status === 'rejected' ? 'red' : 'amber'}>{t(`fwd.claimStatus.${c.status}`)}</Badge>
                <span className="muted small">
                  {c.customer?.name && <span className="strong" data-testid="insurance-customer">{c.customer.name} · </span>}
                  <Mono>{c.shipmentId}</Mono> · {formatDateTime(c.createdAt)}
                </span>
              </div>
              <p className="small pre-line">{c.description}</p>
              {c.documentId && (
                <a className="small" href={shipmentDocumentHref(c.shipmentId, c.documentId)} target="_blank" rel="noreferrer" data-testid="insurance-evidence">
                  {t('wh.claims.document')}
                </a>
              )}
              {c.approved && <p className="small">{t('wh.insurance.approved', { amount: money(c.approved, lang) })}</p>}
              {c.decisionNote && <p className="small muted">{c.decisionNote}</p>}
              {c.status === 'pending' && canDecide && <DecideForm path={`/staff/insurance-claims/${encodeURIComponent(c.id)}/decide`} withAmount={{ max: c.claimed.amount }} onDone={() => setVersion((v) => v + 1)} />}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

// ---- tariffs, warehouses, storage terms -------------------------------------------------------------------------

function TariffsTab({ ctx, onWarehousesChanged }: { ctx: WarehouseCtx; onWarehousesChanged: () => void }) {
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
        {list.loading && !list.data ? (
          <Spinner />
        ) : rows.length === 0 ? (
          <Empty>{t('wh.tariffs.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="tariffs-table">
              <thead>
                <tr>
                  <th>{t('wh.tariffs.from')}</th>
                  <th>{t('wh.tariffs.route')}</th>
                  <th>{t('fwd.category')}</th>
                  <th className="right">{t('fwd.rate')}</th>
                  <th>{t('wh.tariffs.rule')}</th>
                  <th>{t('wh.tariffs.minimums')}</th>
                  <th>{t('fwd.insurance')}</th>
                  <th>{t('wh.tariffs.lead')}</th>
                  <th>{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
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
                ))}
              </tbody>
            </table>
          </div>
        )}
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

const WAREHOUSE_FIELDS = ['name', 'city', 'addressZh', 'addressLatin', 'contactName', 'contactPhone', 'openingDays'] as const;
type WarehouseField = (typeof WAREHOUSE_FIELDS)[number];

function WarehousesCard({ ctx, onChanged }: { ctx: WarehouseCtx; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const rows = ctx.warehouses.data?.warehouses ?? [];
  return (
    <Card
      title={t('wh.warehouses.title')}
      testId="warehouses-card"
      actions={
        ctx.isAdmin &&
        editing !== 'new' && (
          <Button small variant="secondary" onClick={() => setEditing('new')} data-testid="warehouse-add">
            {t('wh.warehouses.add')}
          </Button>
        )
      }
    >
      <ErrorAlert error={ctx.warehouses.error} />
      {editing === 'new' && (
        <WarehouseForm
          onDone={() => {
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ul className="warehouse-list">
        {rows.map((w) => (
          <li key={w.id} data-warehouse={w.code}>
            {editing === w.id ? (
              <WarehouseForm
                warehouse={w}
                onDone={() => {
                  setEditing(null);
                  onChanged();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <div className="warehouse-item">
                <div className="cell stack">
                  <span className="strong">
                    {w.code} · {w.name} {!w.active && <Badge tone="neutral">{t('wh.warehouses.closed')}</Badge>}
                  </span>
                  <span className="small" lang="zh">
                    {w.addressZh}
                  </span>
                  <span className="small muted">{w.addressLatin}</span>
                  <span className="small muted">
                    {w.contactName} · {w.contactPhone} · {w.openingDays}
                  </span>
                </div>
                {ctx.isAdmin && (
                  <Button small variant="secondary" onClick={() => setEditing(w.id)}>
                    {t('wh.edit')}
                  </Button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function WarehouseForm({ warehouse, onDone, onCancel }: { warehouse?: Warehouse; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState(warehouse?.code ?? '');
  const [f, setF] = useState<Record<WarehouseField, string>>(() => Object.fromEntries(WAREHOUSE_FIELDS.map((k) => [k, warehouse?.[k] ?? ''])) as Record<WarehouseField, string>);
  const [active, setActive] = useState(warehouse?.active ?? true);
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const errors = problemFields(error);
  const labels: Record<WarehouseField, string> = {
    name: t('common.name'),
    city: t('wh.warehouses.city'),
    addressZh: t('wh.warehouses.addressZh'),
    addressLatin: t('wh.warehouses.addressLatin'),
    contactName: t('wh.warehouses.contactName'),
    contactPhone: t('common.phone'),
    openingDays: t('wh.warehouses.openingDays'),
  };
  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      if (warehouse) await api.patch(`/staff/warehouses/${encodeURIComponent(warehouse.id)}`, { ...f, active });
      else await idempotent((key) => api.post('/staff/warehouses', { code: code.trim(), ...f, active }, { idempotencyKey: key }));
      onDone();
    });
  }
  return (
    <form className="form sub-form" onSubmit={(e) => void submit(e)} noValidate data-testid="warehouse-form">
      <div className="form-grid form-grid-2">
        {!warehouse && (
          <Field label={t('wh.warehouses.code')}>
            {(id) => (
              <>
                <input id={id} maxLength={10} value={code} onChange={(e) => setCode(e.target.value)} />
                <FieldError message={errors.code} testId="warehouse-error-code" />
              </>
            )}
          </Field>
        )}
        {WAREHOUSE_FIELDS.map((k) => (
          <Field key={k} label={labels[k]}>
            {(id) => (
              <>
                <input id={id} value={f[k]} lang={k === 'addressZh' ? 'zh' : undefined} onChange={(e) => setF((x) => ({ ...x, [k]: e.target.value }))} aria-invalid={errors[k] ? true : undefined} />
                <FieldError message={errors[k]} testId={`warehouse-error-${k}`} />
              </>
            )}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        <span>{t('wh.warehouses.active')}</span>
      </label>
      <ErrorAlert error={Object.keys(errors).length ? undefined : error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy}>
          {t('common.save')}
        </Button>
        <Button small variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

function StorageSettingsCard({ isAdmin }: { isAdmin: boolean }) {
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
