/** The warehouse console's shipments tab: the list, and one shipment in a panel above it. */
import { useState } from 'react';
import { api, SHIPMENT_STATUSES, type ForwardingSettings, type ShipmentDetail, type ShipmentStatus, type StaffShipment, type TrackingStatus } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { money, moneyOf } from '../../money.ts';
import { Button, Card, ConfirmButton, Empty, ErrorAlert, Field, Mono, Spinner, useAction, useLoad } from '../../ui.tsx';
import { useFormatDate, useIdempotency } from '../fundingShared.tsx';
import { categoryName, etaText, InsuranceClaimLines, modeName, PackageLines, QuoteComparison, ShipmentFigureCells, ShipmentParcels, shipmentStatusLabel, ShipmentStatusBadge, ShipmentTimeline } from '../forwardingShared.tsx';
import { ActionsHeader, DetailPanel, DetailsCell, ListTable, useAnswered } from '../listShared.tsx';
import { CREDITORS, shipmentDocumentHref, type WarehouseCtx } from './shared.tsx';
import { PackForm, WaitingForImporter, RemeasureShipment, CreditForm, StatusForm } from './ShipmentForms.tsx';

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

export function ShipmentsTab({ ctx, openId, onOpen }: { ctx: WarehouseCtx; openId: string | null; onOpen: (id: string | null) => void }) {
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
        <ListTable
          list={list}
          rows={rows}
          empty={<Empty>{t('wh.shipments.none')}</Empty>}
          testId="staff-shipments-table"
          head={
            <>
              <th>{t('fwd.shipment')}</th>
              <th>{t('wh.customer')}</th>
              <th>{t('fwd.mode')}</th>
              <th>{t('common.status')}</th>
              <th className="right">{t('fwd.estimate')}</th>
              <th className="right">{t('fwd.invoice')}</th>
              <ActionsHeader />
            </>
          }
          row={(s) => (
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
              <ShipmentFigureCells
                shipment={s}
                invoice={<span>{s.invoiceTotal ? money(s.invoiceTotal, lang) : '—'}</span>}
                notes={[
                  s.status === 'invoiced' && BigInt(s.amountDue.amount) > 0n && { tone: 'waiting', text: t('wh.waitingShort', { amount: money(s.amountDue, lang) }) },
                  BigInt(s.credited.amount) > 0n && { tone: 'credited', text: t('fwd.creditedShort', { amount: money(s.credited, lang) }) },
                ]}
              />
              <DetailsCell onOpen={() => onOpen(s.id)} testId="staff-shipment-open" />
            </tr>
          )}
        />
      </Card>
    </>
  );
}

function StaffShipmentPanel({ id, ctx, onClose, onChanged }: { id: string; ctx: WarehouseCtx; onClose: () => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const detail = useAnswered(() => api.get<ShipmentDetail>(`/staff/shipments/${encodeURIComponent(id)}`), [id]);
  const { loaded, data: d } = detail;
  const invoice = useAction();
  const cancel = useAction();
  const idempotent = useIdempotency();
  const [cancelReason, setCancelReason] = useState('');
  const settings = useLoad(() => api.get<{ settings: ForwardingSettings }>('/staff/forwarding/settings'), []);
  const changed = (res?: ShipmentDetail) => {
    if (res) detail.show({ ...res, customer: res.customer ?? loaded.data?.customer ?? null });
    detail.reload();
    onChanged();
  };
  const s = d?.shipment;
  const canInvoice = ['warehouse', 'ops', 'finance', 'admin'].includes(ctx.role);
  const canCancel = ['ops', 'admin'].includes(ctx.role);
  const canCredit = CREDITORS.includes(ctx.role);
  const next = s ? (NEXT_STEPS[s.status] ?? []) : [];
  const credited = s ? BigInt(s.credited.amount) : 0n;

  return (
    <DetailPanel
      title={s ? t('wh.shipment.title', { id: s.id }) : t('fwd.shipment.loading')}
      subtitle={s ? `${d?.customer?.name ?? ''} · ${modeName(s.mode, t)} · ${ctx.code(s.warehouseId)} → ${s.destination}` : undefined}
      onClose={onClose}
      closeTestId="staff-shipment-close"
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
                <dd>{s.eta ? etaText(s.eta, formatDate) : '—'}</dd>
                <dt>{t('common.createdAt')}</dt>
                <dd>{formatDateTime(s.createdAt)}</dd>
              </dl>
              <ShipmentParcels
                parcels={d.parcels}
                testId="staff-shipment-parcels"
                staff
                link={(p) => (
                  <button type="button" className="linkish mono" onClick={() => ctx.openParcel(p.id)}>
                    {p.trackingNumber}
                  </button>
                )}
              />
              <PackageLines shipment={s} testId="staff-packages" extras />
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
                  <InsuranceClaimLines claims={d.insuranceClaims} testId="staff-shipment-claims">
                    {(c) => (
                      <>
                        <span className="muted small">{c.description}</span>
                        {c.documentId && (
                          <a className="small" href={shipmentDocumentHref(s.id, c.documentId)} target="_blank" rel="noreferrer" data-testid="staff-claim-evidence">
                            {t('wh.claims.document')}
                          </a>
                        )}
                      </>
                    )}
                  </InsuranceClaimLines>
                </>
              )}
            </div>
          </div>
          <QuoteComparison shipment={s} estimateTitle={t('fwd.estimate')} invoiceTitle={t('fwd.invoice')} testIdPrefix="staff-" />
        </div>
      )}
    </DetailPanel>
  );
}
