import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ORDER_STATUSES, type OrderList, type OrderStatus, type SupplierWithPayees } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money } from '../money.ts';
import { Button, Card, Empty, ErrorAlert, PageHeader, Spinner, useLoad } from '../ui.tsx';
import { NewOrderWizard } from './PaymentNew.tsx';
import { SuppliersTab } from './PaymentSuppliers.tsx';
import { modeLabel, OrderStatusBadge } from './paymentsShared.tsx';

const TABS = ['orders', 'new', 'suppliers'] as const;
type Tab = (typeof TABS)[number];
const PAGE = 30;

/** The importer's payments: orders, a new order, and the suppliers with their payees. */
export function PaymentsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'orders';
  const [version, setVersion] = useState(0);
  const suppliers = useLoad(() => api.get<{ suppliers: SupplierWithPayees[] }>('/suppliers'), [version]);
  const labels: Record<Tab, string> = { orders: t('pay.tab.orders'), new: t('pay.tab.new'), suppliers: t('pay.tab.suppliers') };
  const go = (next: Tab) => setParams(next === 'orders' ? {} : { tab: next });

  return (
    <>
      <PageHeader
        title={t('pay.title')}
        subtitle={t('pay.subtitle')}
        actions={
          tab !== 'new' && (
            <Button small onClick={() => go('new')} data-testid="new-order-action">
              <Icon name="send" size={15} /> {t('pay.newOrder')}
            </Button>
          )
        }
      />
      <div className="tabs" role="tablist" data-testid="payments-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => go(k)} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'orders' && <OrdersList suppliers={suppliers.data?.suppliers ?? []} />}
      {tab === 'new' && (
        <NewOrderWizard
          key={`${params.get('supplier') ?? ''}:${params.get('payee') ?? ''}`}
          suppliers={suppliers}
          onSuppliersChanged={() => setVersion((v) => v + 1)}
          initialSupplier={params.get('supplier')}
          initialPayee={params.get('payee')}
        />
      )}
      {tab === 'suppliers' && <SuppliersTab suppliers={suppliers} onChanged={() => setVersion((v) => v + 1)} />}
    </>
  );
}

function OrdersList({ suppliers }: { suppliers: SupplierWithPayees[] }) {
  const { t, lang, formatDateTime } = useI18n();
  const navigate = useNavigate();
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [extra, setExtra] = useState<OrderList>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<OrderList>('/payment-orders', { status, limit: PAGE });
  }, [status]);
  const orders = [...(first.data?.orders ?? []), ...(extra?.orders ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const names = new Map(suppliers.map((s) => [s.id, s.storeName]));
  const open = (id: string) => navigate(`/payment-orders/${encodeURIComponent(id)}`);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<OrderList>('/payment-orders', { status, limit: PAGE, before: cursor });
      setExtra({ orders: [...(extra?.orders ?? []), ...next.orders], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <Card
      title={t('pay.ordersTitle')}
      testId="orders-card"
      actions={
        <label className="inline-label">
          <span>{t('common.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as OrderStatus | '')} data-testid="orders-status-filter">
            <option value="">{t('common.all')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`pay.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorAlert error={first.error} />
      {first.loading && !first.data ? (
        <Spinner />
      ) : orders.length === 0 ? (
        !first.error && <Empty>{status ? t('pay.noOrdersStatus') : t('pay.noOrders')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table table-click" data-testid="orders-table">
            <thead>
              <tr>
                <th>{t('common.createdAt')}</th>
                <th>{t('pay.supplier')}</th>
                <th className="right">{t('pay.yuan')}</th>
                <th className="right">{t('pay.rupiah')}</th>
                <th>{t('wizard.mode')}</th>
                <th>{t('common.status')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} data-order={o.id} onClick={() => open(o.id)}>
                  <td data-label={t('common.createdAt')} className="nowrap">
                    {formatDateTime(o.createdAt)}
                  </td>
                  <td data-label={t('pay.supplier')}>
                    <div className="cell">
                      <button type="button" className="linkish strong" onClick={(e) => { e.stopPropagation(); open(o.id); }} data-testid="order-open">
                        {names.get(o.supplierId) ?? o.supplierId}
                      </button>
                      <div className="muted small mono">{o.orderNumbers.join(', ')}</div>
                    </div>
                  </td>
                  <td data-label={t('pay.yuan')} className="right nowrap strong" data-testid="row-cny">
                    {money(o.cny, lang)}
                  </td>
                  <td data-label={t('pay.rupiah')} className="right nowrap" data-testid="row-idr">
                    {o.idrTotal ? money(o.idrTotal, lang) : <span className="muted">—</span>}
                  </td>
                  <td data-label={t('wizard.mode')}>{modeLabel(o.mode, t)}</td>
                  <td data-label={t('common.status')}>
                    <OrderStatusBadge status={o.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorAlert error={moreError} />
      {cursor && (
        <div className="load-more">
          <Button variant="secondary" busy={moreBusy} onClick={() => void loadMore()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}
