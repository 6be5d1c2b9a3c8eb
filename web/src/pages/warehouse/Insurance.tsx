/** The warehouse console's insurance tab: importers' claims on lost or damaged shipments, decided by finance. */
import { useState } from 'react';
import { api, type InsuranceClaim } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { money } from '../../money.ts';
import { Card, Empty, ErrorAlert, Mono, useLoad } from '../../ui.tsx';
import { Listed } from '../listShared.tsx';
import { ClaimItem, shipmentDocumentHref, type WarehouseCtx, DecideForm } from './shared.tsx';

export function InsuranceTab({ ctx }: { ctx: WarehouseCtx }) {
  const { t, lang, formatDateTime } = useI18n();
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api.get<{ claims: InsuranceClaim[] }>('/staff/insurance-claims'), [version]);
  const canDecide = ['finance', 'admin'].includes(ctx.role);
  const rows = list.data?.claims ?? [];
  return (
    <Card title={t('wh.insurance.title')} subtitle={canDecide ? t('wh.insurance.body') : t('wh.insurance.readOnly')} testId="insurance-claims-card">
      <ErrorAlert error={list.error} />
      <Listed list={list} count={rows.length} empty={<Empty>{t('wh.insurance.none')}</Empty>}>
        {() => (
          <ul className="claim-list">
            {rows.map((c) => (
              <ClaimItem
                key={c.id}
                claim={c}
                title={money(c.claimed, lang)}
                meta={
                  <>
                    {c.customer?.name && <span className="strong" data-testid="insurance-customer">{c.customer.name} · </span>}
                    <Mono>{c.shipmentId}</Mono> · {formatDateTime(c.createdAt)}
                  </>
                }
                text={c.description}
                extra={
                  <>
                    {c.documentId && (
                      <a className="small" href={shipmentDocumentHref(c.shipmentId, c.documentId)} target="_blank" rel="noreferrer" data-testid="insurance-evidence">
                        {t('wh.claims.document')}
                      </a>
                    )}
                    {c.approved && <p className="small">{t('wh.insurance.approved', { amount: money(c.approved, lang) })}</p>}
                  </>
                }
              >
                {c.status === 'pending' && canDecide && <DecideForm path={`/staff/insurance-claims/${encodeURIComponent(c.id)}/decide`} withAmount={{ max: c.claimed.amount }} onDone={() => setVersion((v) => v + 1)} />}
              </ClaimItem>
            ))}
          </ul>
        )}
      </Listed>
    </Card>
  );
}
