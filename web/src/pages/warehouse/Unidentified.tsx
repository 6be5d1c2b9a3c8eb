/** The warehouse console's unidentified queue, and importers' claims on its parcels. */
import { useState } from 'react';
import { api, type ParcelClaim, type StaffParcel } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { Alert, Card, Empty, ErrorAlert, useLoad } from '../../ui.tsx';
import { AbandonNote, dimsText, kgText, ParcelStatusBadge, PhotoThumbs } from '../forwardingShared.tsx';
import { Listed } from '../listShared.tsx';
import { ClaimItem, claimEvidenceHref, type WarehouseCtx, DecideForm } from './shared.tsx';
import { AssignForm } from './ParcelForms.tsx';

export function UnidentifiedTab({ ctx }: { ctx: WarehouseCtx }) {
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
        <Listed list={queue} count={rows.length} empty={<Empty>{t('wh.unidentified.none')}</Empty>}>
          {() => (
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
        </Listed>
      </Card>
      <Card title={t('wh.claims.title')} subtitle={t('wh.claims.body')} testId="claims-card">
        <ErrorAlert error={claims.error} />
        <Listed list={claims} count={(claims.data?.claims ?? []).length} empty={<Empty>{t('wh.claims.none')}</Empty>}>
          {() => <ClaimsList claims={claims.data!.claims} ctx={ctx} onDecided={changed} />}
        </Listed>
      </Card>
    </>
  );
}

export function ClaimsList({ claims, ctx, onDecided }: { claims: ParcelClaim[]; ctx: WarehouseCtx; onDecided: () => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ul className="claim-list" data-testid="claims-list">
      {claims.map((c) => (
        <ClaimItem
          key={c.id}
          claim={c}
          testId="claim-item"
          title={c.customer?.name ?? c.customerId}
          meta={
            <>
              {formatDateTime(c.createdAt)} ·{' '}
              <button type="button" className="linkish mono" onClick={() => ctx.openParcel(c.parcelId)}>
                {c.parcelId}
              </button>
            </>
          }
          text={c.evidence}
          extra={
            c.documentId && (
              <a className="small evidence-link" href={claimEvidenceHref(c.id)} target="_blank" rel="noreferrer" data-testid="claim-evidence-link">
                {t('wh.claims.document')}
              </a>
            )
          }
        >
          {c.status === 'pending' && ctx.canWork && <DecideForm path={`/staff/parcel-claims/${encodeURIComponent(c.id)}/decide`} onDone={onDecided} />}
        </ClaimItem>
      ))}
    </ul>
  );
}
