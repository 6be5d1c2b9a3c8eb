/** The warehouse console's parcels tab: the list with its filters, and one parcel in a panel above it. */
import { useState } from 'react';
import { api, PARCEL_STATUSES, type StaffParcel, type StaffParcelDetail } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Button, Card, Empty, ErrorAlert, Field, Mono, Spinner, useLoad } from '../../ui.tsx';
import { useFormatDate } from '../fundingShared.tsx';
import { AbandonNote, cbmText, conditionName, dimsText, FreeDays, FreeStorageCell, kgText, matchReasonText, parcelStatusLabel, ParcelStatusBadge, ParcelTimeline, PhotoThumbs, SupplierFacts } from '../forwardingShared.tsx';
import { ActionsHeader, DetailPanel, DetailsCell, ListTable, useAnswered } from '../listShared.tsx';
import type { WarehouseCtx } from './shared.tsx';
import { MAX_PHOTOS } from './photos.tsx';
import { Remeasure, AddPhotos, Reinstate, AssignForm, ReassignForm } from './ParcelForms.tsx';
import { ClaimsList } from './Unidentified.tsx';

export function ParcelsTab({ ctx, openId, onOpen }: { ctx: WarehouseCtx; openId: string | null; onOpen: (id: string | null) => void }) {
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
        <ListTable
          list={list}
          rows={rows}
          empty={<Empty>{t('wh.parcels.none')}</Empty>}
          testId="staff-parcels-table"
          head={
            <>
              <th>{t('fwd.tracking')}</th>
              <th>{t('wh.customer')}</th>
              <th>{t('common.status')}</th>
              <th className="right">{t('fwd.weight')}</th>
              <th>{t('fwd.dims')}</th>
              <th>{t('fwd.freeStorage')}</th>
              <ActionsHeader />
            </>
          }
          row={(p) => (
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
                <FreeStorageCell parcel={p} />
              </td>
              <DetailsCell onOpen={() => onOpen(p.id)} testId="staff-parcel-open" />
            </tr>
          )}
        />
      </Card>
    </>
  );
}

function StaffParcelPanel({ id, ctx, onClose, onChanged }: { id: string; ctx: WarehouseCtx; onClose: () => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const detail = useAnswered(() => api.get<StaffParcelDetail>(`/staff/parcels/${encodeURIComponent(id)}`), [id]);
  const { loaded, data: d } = detail;
  // Every staff parcel answer is the whole staff view (customer and claims included): shown at once, then read again.
  const changed = (res?: StaffParcelDetail) => {
    detail.show(res);
    detail.reload();
    onChanged();
  };
  const p = d?.parcel;
  const inStorage = p && (p.status === 'received' || p.status === 'unidentified');
  /** Nobody's yet: in the unidentified queue, or abandoned from it (still assigned or claimed). */
  const ownerless = p && !p.customerId && (p.status === 'unidentified' || p.status === 'abandoned');
  return (
    <DetailPanel title={p ? t('fwd.parcel.title', { tracking: p.trackingNumber }) : t('fwd.parcel.loading')} subtitle={<Mono>{id}</Mono>} onClose={onClose} closeTestId="staff-parcel-close" testId="staff-parcel-detail">
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
              <SupplierFacts parcel={p} />
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
    </DetailPanel>
  );
}
