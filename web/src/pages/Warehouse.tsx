import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Warehouse } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, PageHeader, useLoad } from '../ui.tsx';
import { InsuranceTab } from './warehouse/Insurance.tsx';
import { ParcelsTab } from './warehouse/Parcels.tsx';
import { ReceiveTab } from './warehouse/Receive.tsx';
import { CREDITORS, type WarehouseCtx } from './warehouse/shared.tsx';
import { ShipmentsTab } from './warehouse/Shipments.tsx';
import { TariffsTab } from './warehouse/Tariffs.tsx';
import { UnidentifiedTab } from './warehouse/Unidentified.tsx';

const TABS = ['receive', 'parcels', 'unidentified', 'shipments', 'insurance', 'tariffs'] as const;
type Tab = (typeof TABS)[number];
const WORKERS = ['warehouse', 'ops', 'admin'];
const INSURANCE_READERS = ['ops', 'finance', 'compliance', 'admin'];

/** Staff console for the China warehouses: receive on the floor, the parcels, the unidentified queue, shipments, insurance, tariffs (each tab a module in ./warehouse/). */
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
