import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type AddressCard, type OrderDetail, type OrderList, type Parcel, type ParcelAnnouncement, type ParcelClaim, type ParcelDetail, type UnidentifiedParcel, type Warehouse } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Button, Card, CopyButton, Empty, ErrorAlert, Field, Mono, PageHeader, Spinner, useAction, useLoad } from '../ui.tsx';
import { useFormatDate, useIdempotency } from './fundingShared.tsx';
import { ABANDON_SOON_DAYS, AbandonNote, cbmText, conditionName, daysUntil, dimsText, FileField, FreeDays, FreeStorageCell, kgText, matchReasonText, ParcelStatusBadge, ParcelTimeline, PhotoThumbs, splitNumbers, SupplierFacts, usePickedFile } from './forwardingShared.tsx';
import { ListTable } from './listShared.tsx';
import { uploadEvidence } from './paymentsShared.tsx';

const TABS = ['parcels', 'address', 'announce', 'find'] as const;
type Tab = (typeof TABS)[number];

/** The importer's parcels at the China warehouses: the address to give suppliers, arrivals, announcements, unidentified ones. */
export function ParcelsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'parcels';
  const cards = useLoad(() => api.get<{ markingCode: string; cards: AddressCard[] }>('/forwarding/address-cards'), []);
  const labels: Record<Tab, string> = { parcels: t('fwd.tab.parcels'), address: t('fwd.tab.address'), announce: t('fwd.tab.announce'), find: t('fwd.tab.find') };
  const go = (k: Tab, extra: Record<string, string> = {}) => setParams(k === 'parcels' ? extra : { tab: k, ...extra });

  return (
    <>
      <PageHeader
        title={t('fwd.parcels.title')}
        subtitle={t('fwd.parcels.subtitle')}
        actions={
          <Link to="/shipments?tab=new" className="btn btn-primary btn-sm" data-testid="parcels-ship">
            <Icon name="truck" size={15} />
            <span>{t('fwd.shipParcels')}</span>
          </Link>
        }
      />
      <MarkingStrip code={cards.data?.markingCode} loading={cards.loading && !cards.data} error={cards.error} onShow={() => go('address')} />
      <div className="tabs" role="tablist" data-testid="parcels-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => go(k)} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'parcels' && <ParcelList warehouses={(cards.data?.cards ?? []).map((c) => c.warehouse)} />}
      {tab === 'address' && <AddressCards cards={cards.data?.cards} loading={cards.loading && !cards.data} />}
      {tab === 'announce' && <AnnounceTab onFind={(tracking) => go('find', { tracking })} />}
      {tab === 'find' && <FindTab initial={params.get('tracking') ?? ''} />}
    </>
  );
}

function MarkingStrip({ code, loading, error, onShow }: { code: string | undefined; loading: boolean; error: unknown; onShow: () => void }) {
  const { t } = useI18n();
  return (
    <Card className="marking-card" testId="marking-card">
      <ErrorAlert error={error} />
      {loading ? (
        <Spinner />
      ) : (
        code && (
          <div className="marking-strip">
            <div>
              <span className="figure-label">{t('fwd.markingCode')}</span>
              <div className="marking-code" data-testid="marking-code">
                {code}
              </div>
              <p className="muted small">{t('fwd.markingHint')}</p>
            </div>
            <div className="marking-actions">
              <CopyButton text={code} testId="copy-marking" ariaLabel={t('fwd.copyMarking')} />
              <Button variant="secondary" small onClick={onShow} data-testid="show-address">
                {t('fwd.showAddress')}
              </Button>
            </div>
          </div>
        )
      )}
    </Card>
  );
}

// ---- address cards ----------------------------------------------------------------------------------

function AddressCards({ cards, loading }: { cards: AddressCard[] | undefined; loading: boolean }) {
  const { t, lang } = useI18n();
  if (loading) return <Spinner />;
  if (!cards || cards.length === 0) return <Empty>{t('fwd.noWarehouses')}</Empty>;
  return (
    <div className="address-cards">
      {cards.map((c) => (
        <Card key={c.warehouse.id} title={`${c.warehouse.name} (${c.warehouse.code})`} subtitle={c.warehouse.city} testId="address-card" className="address-card">
          <div className="address-zh" lang="zh" data-testid="address-zh" data-warehouse={c.warehouse.code}>
            <div>
              <span className="muted small">收货人</span> <strong>{c.zh.consignee}</strong>
            </div>
            <div>
              <span className="muted small">电话</span> {c.zh.phone}
            </div>
            <div>
              <span className="muted small">地址</span> {c.zh.address}
            </div>
          </div>
          <div className="form-actions start">
            <CopyButton text={c.zh.copyText} label={t('fwd.copyChinese')} testId="copy-address" ariaLabel={t('fwd.copyChinese')} />
            <a className="btn btn-secondary btn-sm" href={`/api/forwarding/warehouses/${encodeURIComponent(c.warehouse.id)}/label`} target="_blank" rel="noreferrer" data-testid="label-pdf">
              <span>{t('fwd.labelPdf')}</span>
            </a>
          </div>
          <div className="address-latin small">
            <div className="strong">{c.latin.consignee}</div>
            <div>{c.latin.address}</div>
          </div>
          <h3 className="section-title">{t('fwd.instructions')}</h3>
          <ol className="instructions-list small" data-testid="address-instructions">
            {(lang === 'en' ? c.instructions.en : c.instructions.id).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        </Card>
      ))}
    </div>
  );
}

// ---- own parcels --------------------------------------------------------------------------------------

function ParcelList({ warehouses }: { warehouses: Warehouse[] }) {
  const { t, lang, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const list = useLoad(() => api.get<{ parcels: Parcel[]; nextCursor: string | null }>('/parcels', { limit: 100 }), []);
  const [selected, setSelected] = useState<string[]>([]);
  const parcels = list.data?.parcels ?? [];
  const code = (id: string) => warehouses.find((w) => w.id === id)?.code ?? '';
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <Card
      title={t('fwd.parcels.list')}
      subtitle={t('fwd.parcels.listBody')}
      testId="parcels-card"
      actions={
        selected.length > 0 && (
          <Button small onClick={() => navigate(`/shipments?tab=new&parcels=${selected.map(encodeURIComponent).join(',')}`)} data-testid="ship-selected">
            {t('fwd.shipSelected', { n: selected.length })}
          </Button>
        )
      }
    >
      <ErrorAlert error={list.error} />
      <ListTable
        list={list}
        rows={parcels}
        empty={!list.error && <Empty>{t('fwd.parcels.none')}</Empty>}
        className="table parcels-table"
        testId="parcels-table"
        head={
          <>
            <th>
              <span className="sr-only">{t('fwd.select')}</span>
            </th>
            <th>{t('fwd.tracking')}</th>
            <th>{t('common.status')}</th>
            <th className="right">{t('fwd.cartons')}</th>
            <th className="right">{t('fwd.weight')}</th>
            <th>{t('fwd.dims')}</th>
            <th className="right">CBM</th>
            <th>{t('fwd.photos')}</th>
            <th>{t('fwd.freeStorage')}</th>
            <th>{t('fwd.paymentOrder')}</th>
          </>
        }
        row={(p) => (
          <tr key={p.id} data-parcel={p.id} data-tracking={p.trackingNumber} data-testid="parcel-row">
            <td data-label={t('fwd.select')}>
              {p.status === 'received' ? (
                <input type="checkbox" checked={selected.includes(p.id)} onChange={() => toggle(p.id)} aria-label={t('fwd.selectParcel', { tracking: p.trackingNumber })} data-testid="parcel-select" />
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td data-label={t('fwd.tracking')}>
              <div className="cell stack">
                <Link to={`/parcels/${encodeURIComponent(p.id)}`} className="mono strong" data-testid="parcel-tracking">
                  {p.trackingNumber}
                </Link>
                <span className="muted small">
                  {[code(p.warehouseId), p.courier, formatDateTime(p.receivedAt)].filter(Boolean).join(' · ')}
                </span>
              </div>
            </td>
            <td data-label={t('common.status')}>
              <ParcelStatusBadge status={p.status} />
            </td>
            <td data-label={t('fwd.cartons')} className="right" data-testid="parcel-cartons">
              {p.cartons}
            </td>
            <td data-label={t('fwd.weight')} className="right nowrap" data-testid="parcel-weight">
              {kgText(p.weightKg, lang)}
            </td>
            <td data-label={t('fwd.dims')} className="nowrap" data-testid="parcel-dims">
              {dimsText(p, lang)}
            </td>
            <td data-label="CBM" className="right nowrap" data-testid="parcel-cbm">
              {cbmText(p.volumeCbm, lang)}
            </td>
            <td data-label={t('fwd.photos')}>
              <PhotoThumbs parcelId={p.id} photoIds={p.photoIds} />
            </td>
            <td data-label={t('fwd.freeStorage')}>
              <FreeStorageCell parcel={p} />
            </td>
            <td data-label={t('fwd.paymentOrder')}>
              {p.paymentOrderId ? (
                <Link to={`/payment-orders/${encodeURIComponent(p.paymentOrderId)}`} className="mono small" data-testid="parcel-order">
                  {p.paymentOrderId}
                </Link>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

// ---- announcements ------------------------------------------------------------------------------------

function AnnounceTab({ onFind }: { onFind: (tracking: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ announcements: ParcelAnnouncement[] }>('/parcels/announcements', { limit: 100 }), [version]);
  const orders = useLoad(() => api.get<OrderList>('/payment-orders', { limit: 50 }), []);
  const [form, setForm] = useState({ trackingNumber: '', courier: '', orderNumbers: '', paymentOrderId: '', note: '' });
  const [answer, setAnswer] = useState<{ announcement: ParcelAnnouncement; receivedParcelId: string | null; unidentifiedParcelId: string | null }>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const rows = list.data?.announcements ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const numbers = splitNumbers(form.orderNumbers);
      const body = {
        trackingNumber: form.trackingNumber.trim(),
        ...(form.courier.trim() ? { courier: form.courier.trim() } : {}),
        ...(numbers.length ? { orderNumbers: numbers } : {}),
        ...(form.paymentOrderId ? { paymentOrderId: form.paymentOrderId } : {}),
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      };
      const res = await idempotent((key) => api.post<{ announcement: ParcelAnnouncement; receivedParcelId: string | null; unidentifiedParcelId: string | null }>('/parcels/announcements', body, { idempotencyKey: key }));
      setAnswer(res);
      setForm({ trackingNumber: '', courier: '', orderNumbers: '', paymentOrderId: '', note: '' });
      setVersion((v) => v + 1);
    });
  }

  return (
    <>
      <Card title={t('fwd.announce.title')} subtitle={t('fwd.announce.body')} testId="announce-card">
        <form className="form" onSubmit={submit} noValidate data-testid="announce-form">
          <div className="form-grid form-grid-2">
            <Field label={t('fwd.tracking')}>
              {(id) => <input id={id} autoComplete="off" autoCapitalize="characters" maxLength={60} value={form.trackingNumber} onChange={set('trackingNumber')} data-testid="announce-tracking" />}
            </Field>
            <Field label={t('fwd.courier')} optional>
              {(id) => <input id={id} autoComplete="off" maxLength={60} placeholder="SF, YTO, ZTO…" value={form.courier} onChange={set('courier')} data-testid="announce-courier" />}
            </Field>
            <Field label={t('fwd.orderNumbers')} optional hint={t('fwd.orderNumbersHint')}>
              {(id) => <input id={id} autoComplete="off" inputMode="numeric" value={form.orderNumbers} onChange={set('orderNumbers')} data-testid="announce-orders" />}
            </Field>
            <Field label={t('fwd.paymentOrder')} optional>
              {(id) => (
                <select id={id} value={form.paymentOrderId} onChange={set('paymentOrderId')} data-testid="announce-payment-order">
                  <option value="">{t('common.none')}</option>
                  {(orders.data?.orders ?? []).map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.id} · {o.orderNumbers.join(', ') || '—'}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field label={t('fwd.note')} optional>
            {(id) => <input id={id} autoComplete="off" maxLength={500} value={form.note} onChange={set('note')} data-testid="announce-note" />}
          </Field>
          <ErrorAlert error={error} />
          {answer && (
            <Alert kind={answer.unidentifiedParcelId && !answer.receivedParcelId ? 'warning' : 'success'}>
              <span data-testid="announce-result">
                {answer.receivedParcelId ? (
                  <>
                    {t('fwd.announce.alreadyHere', { tracking: answer.announcement.trackingNumber })} <Link to={`/parcels/${encodeURIComponent(answer.receivedParcelId)}`}>{t('common.details')}</Link>
                  </>
                ) : answer.unidentifiedParcelId ? (
                  <>
                    {t('fwd.announce.unidentified', { tracking: answer.announcement.trackingNumber })}{' '}
                    <button type="button" className="linkish" onClick={() => onFind(answer.announcement.trackingNumber)}>
                      {t('fwd.claim')}
                    </button>
                  </>
                ) : (
                  t('fwd.announce.saved', { tracking: answer.announcement.trackingNumber })
                )}
              </span>
            </Alert>
          )}
          <div className="form-actions start">
            <Button type="submit" busy={busy} data-testid="announce-submit">
              {t('fwd.announce.submit')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t('fwd.announce.list')} testId="announcements-card">
        <ErrorAlert error={list.error} />
        <ListTable
          list={list}
          rows={rows}
          empty={<Empty>{t('fwd.announce.none')}</Empty>}
          testId="announcements-table"
          head={
            <>
              <th>{t('fwd.tracking')}</th>
              <th>{t('fwd.orderNumbers')}</th>
              <th>{t('fwd.paymentOrder')}</th>
              <th>{t('common.status')}</th>
              <th>{t('common.createdAt')}</th>
            </>
          }
          row={(a) => (
            <tr key={a.id} data-testid="announcement-row" data-tracking={a.trackingNumber}>
              <td data-label={t('fwd.tracking')}>
                <div className="cell stack">
                  <span className="mono strong">{a.trackingNumber}</span>
                  {(a.courier || a.note) && <span className="muted small">{[a.courier, a.note].filter(Boolean).join(' · ')}</span>}
                </div>
              </td>
              <td data-label={t('fwd.orderNumbers')}>{a.orderNumbers.length ? <span className="mono small">{a.orderNumbers.join(', ')}</span> : <span className="muted">—</span>}</td>
              <td data-label={t('fwd.paymentOrder')}>{a.paymentOrderId ? <Link to={`/payment-orders/${encodeURIComponent(a.paymentOrderId)}`} className="mono small">{a.paymentOrderId}</Link> : <span className="muted">—</span>}</td>
              <td data-label={t('common.status')}>
                {a.parcelId ? (
                  <Link to={`/parcels/${encodeURIComponent(a.parcelId)}`} data-testid="announcement-arrived">
                    {t('fwd.announce.arrived')}
                  </Link>
                ) : (
                  <span className="muted small">{t('fwd.announce.waiting')}</span>
                )}
              </td>
              <td data-label={t('common.createdAt')}>{formatDateTime(a.createdAt)}</td>
            </tr>
          )}
        />
      </Card>
    </>
  );
}

// ---- unidentified parcels: look up and claim --------------------------------------------------------

function FindTab({ initial }: { initial: string }) {
  const { t, lang, formatDateTime } = useI18n();
  const [tracking, setTracking] = useState(initial);
  const [results, setResults] = useState<UnidentifiedParcel[]>();
  const search = useAction();

  async function find(e?: FormEvent) {
    e?.preventDefault();
    await search.run(async () => {
      setResults((await api.get<{ parcels: UnidentifiedParcel[] }>('/parcels/unidentified', { tracking: tracking.trim() })).parcels);
    });
  }

  return (
    <Card title={t('fwd.find.title')} subtitle={t('fwd.find.body')} testId="find-card">
      <form className="form inline-form" onSubmit={(e) => void find(e)} noValidate data-testid="find-form">
        <Field label={t('fwd.find.tracking')}>
          {(id) => <input id={id} autoComplete="off" autoCapitalize="characters" maxLength={60} value={tracking} onChange={(e) => setTracking(e.target.value)} data-testid="find-tracking" />}
        </Field>
        <div className="form-actions start">
          <Button type="submit" busy={search.busy} data-testid="find-submit">
            {t('common.search')}
          </Button>
        </div>
      </form>
      <ErrorAlert error={search.error} />
      {results &&
        (results.length === 0 ? (
          <Empty>
            <span data-testid="find-none">{t('fwd.find.none')}</span>
          </Empty>
        ) : (
          <ul className="claim-list" data-testid="find-results">
            {results.map((p) => (
              <li key={p.id} className="claim-item" data-testid="find-result" data-parcel={p.id}>
                <div className="claim-head">
                  <span className="mono strong">{p.trackingNumber}</span>
                  <span className="muted small">
                    {[p.courier, t('fwd.cartonsN', { n: p.cartons }), kgText(p.weightKg, lang), formatDateTime(p.receivedAt)].filter(Boolean).join(' · ')}
                  </span>
                </div>
                <ClaimForm parcelId={p.id} />
              </li>
            ))}
          </ul>
        ))}
    </Card>
  );
}

function ClaimForm({ parcelId }: { parcelId: string }) {
  const { t } = useI18n();
  const [evidence, setEvidence] = useState('');
  const file = usePickedFile();
  const [claim, setClaim] = useState<ParcelClaim>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const documentId = file.file ? await uploadEvidence(file.file) : undefined;
      const body = { evidence: evidence.trim(), ...(documentId ? { documentId } : {}) };
      setClaim((await idempotent((key) => api.post<{ claim: ParcelClaim }>(`/parcels/${encodeURIComponent(parcelId)}/claims`, body, { idempotencyKey: key }))).claim);
    });
  }

  if (claim) return <Alert kind="success">{t('fwd.claim.sent', { id: claim.id })}</Alert>;
  return (
    <form className="form" onSubmit={submit} noValidate data-testid="claim-form">
      <Field label={t('fwd.claim.evidence')} hint={t('fwd.claim.evidenceHint')}>
        {(id) => <textarea id={id} rows={3} maxLength={2000} value={evidence} onChange={(e) => setEvidence(e.target.value)} data-testid="claim-evidence" />}
      </Field>
      <FileField state={file} label={t('fwd.claim.file')} hint={t('fwd.claim.fileHint')} testId="claim-file" />
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="claim-submit">
          {t('fwd.claim.submit')}
        </Button>
      </div>
    </form>
  );
}

// ---- one parcel ---------------------------------------------------------------------------------------

export function ParcelDetailPage() {
  const { t, lang, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const formatDate = useFormatDate();
  const loaded = useLoad(() => api.get<ParcelDetail>(`/parcels/${encodeURIComponent(id)}`), [id]);
  const d = loaded.data;
  const p = d?.parcel;
  const abandonSoon = p?.abandonAfter ? daysUntil(p.abandonAfter) <= ABANDON_SOON_DAYS : false;
  return (
    <>
      <div className="breadcrumb">
        <Link to="/parcels">← {t('fwd.backToParcels')}</Link>
      </div>
      <PageHeader title={p ? t('fwd.parcel.title', { tracking: p.trackingNumber }) : t('fwd.parcel.loading')} subtitle={id} actions={p && <ParcelStatusBadge status={p.status} />} />
      <ErrorAlert error={loaded.error} />
      {!d || !p ? (
        loaded.loading && <Spinner />
      ) : (
        <>
        {p.paymentOrderId && p.condition !== 'good' && <ConditionNotice parcel={p} orderId={p.paymentOrderId} />}
        {p.status === 'abandoned' ? (
          <Alert kind="error" title={t('fwd.abandoned.title')}>
            <span data-testid="abandoned-notice">{t('fwd.abandoned.body')}</span>
          </Alert>
        ) : (
          abandonSoon &&
          p.abandonAfter && (
            <Alert kind="warning" title={t('fwd.abandonSoon.title')}>
              <span data-testid="abandon-soon-notice">{t('fwd.abandonSoon.body', { date: formatDate(p.abandonAfter) })}</span>
            </Alert>
          )
        )}
        <div className="grid-2" data-testid="parcel-detail" data-parcel={p.id} data-status={p.status}>
          <Card title={t('fwd.parcel.facts')}>
            <dl className="facts fwd-facts">
              <dt>{t('fwd.warehouse')}</dt>
              <dd>
                {d.warehouse.name} ({d.warehouse.code})
              </dd>
              <dt>{t('fwd.tracking')}</dt>
              <dd>
                <Mono>{p.trackingNumber}</Mono> {p.courier && <span className="muted small">· {p.courier}</span>}
              </dd>
              <dt>{t('fwd.received')}</dt>
              <dd>{formatDateTime(p.receivedAt)}</dd>
              <dt>{t('fwd.cartons')}</dt>
              <dd data-testid="detail-cartons">{p.cartons}</dd>
              <dt>{t('fwd.weight')}</dt>
              <dd data-testid="detail-weight">{kgText(p.weightKg, lang)}</dd>
              <dt>{t('fwd.dims')}</dt>
              <dd data-testid="detail-dims">{dimsText(p, lang)}</dd>
              <dt>{t('fwd.volume')}</dt>
              <dd data-testid="detail-cbm">{cbmText(p.volumeCbm, lang)}</dd>
              <dt>{t('fwd.condition')}</dt>
              <dd>
                {conditionName(p.condition, t)}
                {p.conditionNote && <span className="muted small block">{p.conditionNote}</span>}
              </dd>
              <SupplierFacts parcel={p} />
              <dt>{t('fwd.paymentOrder')}</dt>
              <dd>
                {p.paymentOrderId ? (
                  <>
                    <Link to={`/payment-orders/${encodeURIComponent(p.paymentOrderId)}`} className="mono">
                      {p.paymentOrderId}
                    </Link>
                    {p.matchReason && <span className="muted small block">{matchReasonText(p.matchReason, t)}</span>}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </dd>
              <dt>{t('fwd.freeStorage')}</dt>
              <dd>
                <FreeDays parcel={p} /> <span className="muted small block">{t('fwd.freeThrough', { date: formatDate(p.freeThrough) })}</span>
              </dd>
              {(abandonSoon || p.status === 'abandoned') && (
                <>
                  <dt>{t('fwd.abandonLimit')}</dt>
                  <dd>
                    <AbandonNote parcel={p} />
                  </dd>
                </>
              )}
              {BigInt(p.storageCharged.amount) > 0n && (
                <>
                  <dt>{t('fwd.storageCharged')}</dt>
                  <dd>{money(p.storageCharged, lang)}</dd>
                </>
              )}
              {p.shipmentId && (
                <>
                  <dt>{t('fwd.shipment')}</dt>
                  <dd>
                    <Link to={`/shipments/${encodeURIComponent(p.shipmentId)}`} className="mono">
                      {p.shipmentId}
                    </Link>
                  </dd>
                </>
              )}
            </dl>
            <h3 className="section-title">{t('fwd.photos')}</h3>
            <PhotoThumbs parcelId={p.id} photoIds={p.photoIds} size="large" />
            {p.status === 'received' && (
              <div className="form-actions start">
                <Link to={`/shipments?tab=new&parcels=${encodeURIComponent(p.id)}`} className="btn btn-primary btn-sm">
                  <span>{t('fwd.shipThis')}</span>
                </Link>
              </div>
            )}
          </Card>
          <Card title={t('fwd.history')}>
            <ParcelTimeline transitions={d.transitions} meId={session.user.id} />
          </Card>
        </div>
        </>
      )}
    </>
  );
}

/**
 * A parcel of a payment order that arrived damaged, wet or opened: an escrow order is not
 * released by it (the money stays held), so the importer is sent to the order to release it
 * or open a dispute; for any other order, to check it.
 */
function ConditionNotice({ parcel, orderId }: { parcel: Parcel; orderId: string }) {
  const { t } = useI18n();
  const order = useLoad(() => api.get<OrderDetail>(`/payment-orders/${encodeURIComponent(orderId)}`), [orderId]);
  const o = order.data?.order;
  const condition = conditionName(parcel.condition, t).toLowerCase();
  const held = o?.mode === 'escrow' && o.status === 'held';
  const link = (
    <Link to={`/payment-orders/${encodeURIComponent(orderId)}${held ? '#dispute' : ''}`} className="btn btn-secondary btn-sm" data-testid="condition-order-link">
      <span>{held ? t('fwd.escrowKept.open') : t('fwd.badCondition.open')}</span>
    </Link>
  );
  return (
    <Alert kind="warning" title={held ? t('fwd.escrowKept.title') : t('fwd.badCondition.title', { condition })}>
      <span data-testid="condition-notice" data-escrow-held={held ? 'true' : 'false'}>
        {held ? t('fwd.escrowKept.body', { condition, order: orderId }) : t('fwd.badCondition.body', { order: orderId })}
      </span>
      <span className="block alert-actions">{link}</span>
    </Alert>
  );
}
