import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  api,
  ApiError,
  FREIGHT_MODES,
  type Deposit,
  type FreightMode,
  type InsuranceClaim,
  type LandedCostInputs,
  type Parcel,
  type PublicFreightTariffs,
  type Shipment,
  type ShipmentDetail,
  type ShipmentEstimate,
  type ShipmentStatus,
  type Wallet,
} from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { isNegative, absMinor, formatPercent, minorToInput, money, moneyOf, parseAmount, type MoneyJson } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, ConfirmButton, Empty, ErrorAlert, Field, Mono, PageHeader, Spinner, useAction, useLoad } from '../ui.tsx';
import { Figure, useFormatDate, useIdempotency } from './fundingShared.tsx';
import { categoryName, cbmText, dimsText, etaText, FileField, FreeDays, InsuranceClaimLines, kgText, modeName, PackageLines, QuoteComparison, QuoteFigures, ShipmentFigureCells, ShipmentParcels, ShipmentStatusBadge, ShipmentTimeline, usePickedFile } from './forwardingShared.tsx';
import { ListTable, useAnswered } from './listShared.tsx';
import { uploadEvidence } from './paymentsShared.tsx';
import { DepositInstructions } from './Wallet.tsx';

const TABS = ['list', 'new'] as const;
type Tab = (typeof TABS)[number];
const CANCELLABLE: ShipmentStatus[] = ['requested', 'packed', 'invoiced'];

/** The importer's shipments home: the list, and a new shipment from parcels in storage. */
export function ShipmentsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'new' ? 'new' : 'list';
  return (
    <>
      <PageHeader
        title={t('fwd.shipments.title')}
        subtitle={t('fwd.shipments.subtitle')}
        actions={
          tab === 'list' && (
            <Button small onClick={() => setParams({ tab: 'new' })} data-testid="new-shipment-action">
              <Icon name="truck" size={15} /> {t('fwd.newShipment')}
            </Button>
          )
        }
      />
      <div className="tabs" role="tablist" data-testid="shipments-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === 'list' ? {} : { tab: k })} data-testid={`tab-${k}`}>
            {k === 'list' ? t('fwd.shipments.tab.list') : t('fwd.shipments.tab.new')}
          </button>
        ))}
      </div>
      {tab === 'list' ? <ShipmentList /> : <NewShipment preselected={(params.get('parcels') ?? '').split(',').filter(Boolean)} />}
    </>
  );
}

function ShipmentList() {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const list = useLoad(() => api.get<{ shipments: Shipment[] }>('/shipments', { limit: 100 }), []);
  const rows = list.data?.shipments ?? [];
  return (
    <Card title={t('fwd.shipments.list')} testId="shipments-card">
      <ErrorAlert error={list.error} />
      <ListTable
        list={list}
        rows={rows}
        empty={!list.error && <Empty>{t('fwd.shipments.none')}</Empty>}
        testId="shipments-table"
        head={
          <>
            <th>{t('fwd.shipment')}</th>
            <th>{t('fwd.mode')}</th>
            <th>{t('common.status')}</th>
            <th className="right">{t('fwd.estimate')}</th>
            <th className="right">{t('fwd.invoice')}</th>
            <th>ETA</th>
          </>
        }
        row={(s) => (
          <tr key={s.id} data-shipment={s.id} data-testid="shipment-row">
            <td data-label={t('fwd.shipment')}>
              <div className="cell stack">
                <Link to={`/shipments/${encodeURIComponent(s.id)}`} className="mono strong">
                  {s.id}
                </Link>
                <span className="muted small">{formatDateTime(s.createdAt)}</span>
              </div>
            </td>
            <td data-label={t('fwd.mode')}>
              {modeName(s.mode, t)} · {s.destination}
            </td>
            <ShipmentFigureCells
              shipment={s}
              invoice={s.invoiceTotal ? <span>{money(s.invoiceTotal, lang)}</span> : <span className="muted">—</span>}
              notes={[
                BigInt(s.credited.amount) > 0n && { tone: 'credited', text: t('fwd.creditedShort', { amount: money(s.credited, lang) }), testId: 'row-credited' },
                s.status === 'invoiced' && BigInt(s.amountDue.amount) > 0n && { tone: 'waiting', text: t('fwd.waitingShort', { amount: money(s.amountDue, lang) }), testId: 'row-waiting' },
              ]}
            />
            <td data-label="ETA" className="nowrap">
              {s.eta ? etaText(s.eta, formatDate) : <span className="muted">—</span>}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

// ---- a new shipment: choose parcels, compare modes, request one ------------------------------------

function NewShipment({ preselected }: { preselected: string[] }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const parcels = useLoad(() => api.get<{ parcels: Parcel[] }>('/parcels', { status: 'received', limit: 200 }), []);
  const tariffs = useLoad(() => api.get<PublicFreightTariffs>('/public/freight-tariffs'), []);
  const wallet = useLoad(() => api.get<{ wallets: Wallet[] }>('/wallet'), []);
  const [selected, setSelected] = useState<string[]>(preselected);
  const [destination, setDestination] = useState('');
  const [category, setCategory] = useState('general');
  const [insured, setInsured] = useState(false);
  const [declared, setDeclared] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const [estimate, setEstimate] = useState<ShipmentEstimate>();
  const [mode, setMode] = useState<FreightMode>();
  const [address, setAddress] = useState('');
  const estimating = useAction();
  const requesting = useAction();
  const idempotent = useIdempotency();

  const inStorage = parcels.data?.parcels ?? [];
  const chosen = inStorage.filter((p) => selected.includes(p.id));
  const warehouseId = chosen[0]?.warehouseId;
  const mixed = new Set(chosen.map((p) => p.warehouseId)).size > 1;
  const routeTariffs = (tariffs.data?.tariffs ?? []).filter((x) => x.warehouseId === warehouseId);
  const destinations = [...new Set(routeTariffs.map((x) => x.destination))];
  const categories = [...new Set(routeTariffs.filter((x) => x.destination === destination).map((x) => x.category))];
  const available = wallet.data?.wallets.find((w) => w.currency === 'IDR')?.balance.available;
  const option = estimate?.options.find((o) => o.mode === mode);
  const warehouseName = (id: string | undefined) => tariffs.data?.warehouses.find((w) => w.id === id)?.code ?? '';

  // Keep the destination and category among those offered.
  useEffect(() => {
    if (destinations.length && !destinations.includes(destination)) setDestination(destinations[0]!);
  }, [destinations.join('|')]);
  useEffect(() => {
    if (categories.length && !categories.includes(category)) setCategory(categories.includes('general') ? 'general' : categories[0]!);
  }, [categories.join('|')]);
  // A changed question voids the answer.
  useEffect(() => {
    setEstimate(undefined);
    setMode(undefined);
  }, [selected.join(','), destination, category, insured, declared]);

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  function body() {
    const value = insured ? parseAmount(declared, 2) : null;
    return { parcelIds: chosen.map((p) => p.id), destination, category, insured, ...(insured && value ? { declaredValue: { amount: value, currency: 'IDR' } } : {}) };
  }

  async function askEstimate(e: FormEvent) {
    e.preventDefault();
    let problem: string | undefined;
    if (chosen.length === 0) problem = t('fwd.new.chooseParcels');
    else if (mixed) problem = t('fwd.new.oneWarehouse');
    else if (!destination) problem = t('fwd.new.noRoute');
    else if (insured) {
      const v = parseAmount(declared, 2);
      if (!v || BigInt(v) <= 0n) problem = t('fwd.new.declaredRequired');
      else if (BigInt(v) % 100n !== 0n) problem = t('wallet.wholeRupiah');
    }
    setInvalid(problem);
    if (problem) return;
    await estimating.run(async () => {
      const res = await api.post<ShipmentEstimate>('/shipments/estimate', body());
      setEstimate(res);
      setMode(res.options.length === 1 ? res.options[0]!.mode : undefined);
    });
  }

  async function request(e: FormEvent) {
    e.preventDefault();
    if (!mode) return;
    if (address.trim().length < 10) return setInvalid(t('fwd.new.addressRequired'));
    setInvalid(undefined);
    await requesting.run(async () => {
      const res = await idempotent((key) => api.post<ShipmentDetail>('/shipments', { ...body(), mode, deliveryAddress: address.trim() }, { idempotencyKey: key }));
      navigate(`/shipments/${encodeURIComponent(res.shipment.id)}`, { state: { created: true } });
    });
  }

  const needed = requesting.error instanceof ApiError && requesting.error.code === 'insufficient_funds' ? requesting.error.problem.needed : undefined;

  return (
    <>
      <Card title={t('fwd.new.title')} subtitle={t('fwd.new.body')} testId="new-shipment">
        <ErrorAlert error={parcels.error} />
        <ErrorAlert error={tariffs.error} />
        {parcels.loading && !parcels.data ? (
          <Spinner />
        ) : inStorage.length === 0 ? (
          <Empty>{t('fwd.new.noParcels')}</Empty>
        ) : (
          <form className="form" onSubmit={(e) => void askEstimate(e)} noValidate data-testid="estimate-form">
            <div className="form-section-title">{t('fwd.new.parcels')}</div>
            <ul className="pick-list" data-testid="pick-parcels">
              {inStorage.map((p) => (
                <li key={p.id}>
                  <label className={`pick-item${selected.includes(p.id) ? ' picked' : ''}`} data-testid="pick-parcel" data-parcel={p.id} data-tracking={p.trackingNumber}>
                    <input type="checkbox" checked={selected.includes(p.id)} onChange={() => toggle(p.id)} />
                    <span className="pick-main">
                      <span className="mono strong">{p.trackingNumber}</span>
                      <span className="muted small">
                        {warehouseName(p.warehouseId)} · {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)} · {cbmText(p.volumeCbm, lang)}
                      </span>
                    </span>
                    <FreeDays parcel={p} />
                  </label>
                </li>
              ))}
            </ul>
            <div className="form-grid form-grid-2">
              <Field label={t('fwd.destination')}>
                {(id) => (
                  <select id={id} value={destination} onChange={(e) => setDestination(e.target.value)} disabled={!warehouseId} data-testid="estimate-destination">
                    {destinations.length === 0 && <option value="">{t('common.none')}</option>}
                    {destinations.map((d) => (
                      <option key={d} value={d}>
                        {d}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('fwd.category')}>
                {(id) => (
                  <select id={id} value={category} onChange={(e) => setCategory(e.target.value)} disabled={!warehouseId} data-testid="estimate-category">
                    {categories.length === 0 && <option value="general">{categoryName('general', t)}</option>}
                    {categories.map((c) => (
                      <option key={c} value={c}>
                        {categoryName(c, t)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <label className="check">
              <input type="checkbox" checked={insured} onChange={(e) => setInsured(e.target.checked)} data-testid="estimate-insured" />
              <span>
                {t('fwd.insure')}
                <span className="hint block">{t('fwd.insureHint')}</span>
              </span>
            </label>
            {insured && (
              <Field label={t('fwd.declaredValue')} hint={t('fwd.declaredHint')}>
                {(id) => (
                  <div className="affix-input">
                    <span className="affix">Rp</span>
                    <input id={id} inputMode="numeric" autoComplete="off" value={declared} onChange={(e) => setDeclared(e.target.value)} data-testid="estimate-declared" />
                  </div>
                )}
              </Field>
            )}
            {invalid && !estimate && <Alert kind="error">{invalid}</Alert>}
            <ErrorAlert error={estimating.error} />
            <div className="form-actions start">
              <Button type="submit" busy={estimating.busy} data-testid="estimate-submit">
                {t('fwd.new.estimate', { n: chosen.length })}
              </Button>
            </div>
          </form>
        )}
      </Card>
      {estimate && (
        <Card title={t('fwd.new.options', { destination: estimate.destination })} subtitle={t('fwd.new.optionsBody', { category: categoryName(estimate.category, t), n: estimate.parcels })} testId="estimate-result">
          <div className="mode-grid" data-testid="mode-grid">
            {FREIGHT_MODES.map((m) => {
              const o = estimate.options.find((x) => x.mode === m);
              if (!o)
                return (
                  <div key={m} className="mode-option mode-unavailable" data-testid="mode-option" data-mode={m} data-available="false">
                    <div className="mode-head">
                      <h3>{modeName(m, t)}</h3>
                      <Badge tone="neutral">{t('fwd.unavailable')}</Badge>
                    </div>
                    <p className="muted small">{t('fwd.unavailableBody')}</p>
                  </div>
                );
              return (
                <div key={m} className={`mode-option${mode === m ? ' mode-chosen' : ''}`} data-testid="mode-option" data-mode={m} data-available="true">
                  <div className="mode-head">
                    <h3>{modeName(m, t)}</h3>
                    <span className="mode-total" data-testid="mode-total">
                      {money(o.total, lang)}
                    </span>
                  </div>
                  <QuoteFigures quote={o} testId="mode-figures" />
                  <Button variant={mode === m ? 'primary' : 'secondary'} small onClick={() => setMode(m)} data-testid="mode-choose">
                    {mode === m ? t('fwd.chosen') : t('fwd.choose', { mode: modeName(m, t) })}
                  </Button>
                </div>
              );
            })}
          </div>
          {option && (
            <form className="form request-form" onSubmit={(e) => void request(e)} noValidate data-testid="request-form">
              <div className="form-section-title">{t('fwd.new.request', { mode: modeName(option.mode, t) })}</div>
              <Field label={t('fwd.deliveryAddress')} hint={t('fwd.deliveryHint')}>
                {(id) => <textarea id={id} rows={3} maxLength={500} value={address} onChange={(e) => setAddress(e.target.value)} data-testid="request-address" />}
              </Field>
              <div className="figures-3">
                <Figure label={t('fwd.new.hold')} main testId="request-hold">
                  {money(option.total, lang)}
                </Figure>
                <Figure label={t('wallet.available')} testId="request-available">
                  {available ? money(available, lang) : '—'}
                </Figure>
                <Figure label={t('fund.afterPaying')} testId="request-after">
                  {available && BigInt(available.amount) >= BigInt(option.total.amount) ? moneyOf(BigInt(available.amount) - BigInt(option.total.amount), 'IDR', lang) : '—'}
                </Figure>
              </div>
              <p className="muted small">{t('fwd.new.holdHint')}</p>
              {invalid && <Alert kind="error">{invalid}</Alert>}
              {needed ? (
                <Alert kind="warning" title={t('fund.notEnough')}>
                  <span data-testid="request-top-up">
                    {t('fwd.new.topUp', { amount: money(needed, lang) })} <Link to="/wallet?tab=topup">{t('wallet.topup')}</Link>
                  </span>
                </Alert>
              ) : (
                <ErrorAlert error={requesting.error} />
              )}
              <div className="form-actions start">
                <Button type="submit" busy={requesting.busy} data-testid="request-submit">
                  {t('fwd.new.submit', { amount: money(option.total, lang) })}
                </Button>
              </div>
            </form>
          )}
        </Card>
      )}
    </>
  );
}

// ---- one shipment -----------------------------------------------------------------------------------

/** The landed-cost calculator on the price page, prefilled with what this shipment cost. */
export function landedCostHref(inputs: LandedCostInputs): string {
  const q = new URLSearchParams({ goods: minorToInput(inputs.goodsCny.amount), freight: minorToInput(inputs.freight.amount), insurance: minorToInput(inputs.insurance.amount), shipment: inputs.shipmentId });
  return `/harga?${q.toString()}#biaya-sampai`;
}

export function ShipmentDetailPage() {
  const { t, lang, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const session = useSignedIn();
  const formatDate = useFormatDate();
  const answered = useAnswered(() => api.get<ShipmentDetail>(`/shipments/${encodeURIComponent(id)}`), [id], 'read');
  const { loaded, data: detail, version, reload } = answered;
  const landed = useLoad(() => api.get<LandedCostInputs>(`/shipments/${encodeURIComponent(id)}/landed-cost-inputs`), [id, version]);
  const wallet = useLoad(() => api.get<{ wallets: Wallet[] }>('/wallet'), [version]);
  const available = wallet.data?.wallets.find((w) => w.currency === 'IDR')?.balance.available;
  const s = detail?.shipment;
  const action = useAction();
  const idempotent = useIdempotency();
  const [deposit, setDeposit] = useState<Deposit>();
  const created = (location.state as { created?: boolean } | null)?.created && s?.status === 'requested';

  async function act(path: 'pay' | 'cancel') {
    await action.run(async () => {
      answered.show(await idempotent((key) => api.post<ShipmentDetail>(`/shipments/${encodeURIComponent(id)}/${path}`, undefined, { idempotencyKey: key })));
      reload();
    });
  }
  async function payByTransfer() {
    await action.run(async () => {
      setDeposit((await idempotent((key) => api.post<{ deposit: Deposit }>(`/shipments/${encodeURIComponent(id)}/deposit`, undefined, { idempotencyKey: key }))).deposit);
    });
  }

  const due = s ? BigInt(s.amountDue.amount) > 0n : false;
  const diff = s?.invoice?.difference;
  const openClaim = detail?.insuranceClaims.some((c) => c.status !== 'rejected');

  return (
    <>
      <div className="breadcrumb">
        <Link to="/shipments">← {t('fwd.backToShipments')}</Link>
      </div>
      <PageHeader title={s ? t('fwd.shipment.title', { mode: modeName(s.mode, t), destination: s.destination }) : t('fwd.shipment.loading')} subtitle={id} actions={s && <ShipmentStatusBadge status={s.status} />} />
      <ErrorAlert error={loaded.error} />
      {!detail || !s ? (
        loaded.loading && <Spinner />
      ) : (
        <div data-testid="shipment-detail" data-shipment={s.id} data-status={s.status}>
          {created && <Alert kind="success">{t('fwd.shipment.created', { amount: money(s.estimateTotal, lang) })}</Alert>}
          <Card testId="shipment-figures" className={`shipment-figures${[s.estimateTotal, s.invoiceTotal, diff, s.amountDue].some((m) => m && money(m, lang).length > 12) ? ' figures-long' : ''}`}>
            <div className="figures-4">
              <Figure label={t('fwd.estimate')} testId="fig-estimate">
                {money(s.estimateTotal, lang)}
              </Figure>
              <Figure label={t('fwd.invoice')} testId="fig-invoice">
                {s.invoiceTotal ? money(s.invoiceTotal, lang) : <span className="muted">{t('fwd.notYet')}</span>}
              </Figure>
              <Figure label={t('fwd.difference')} testId="fig-difference" hint={diff ? <span data-testid="fig-difference-hint">{differenceHint(diff, s.estimateTotal, s.status, t, lang)}</span> : undefined}>
                {diff ? signedMoney(diff, lang) : <span className="muted">—</span>}
              </Figure>
              <Figure label={t('fwd.amountDue')} main testId="fig-due">
                {money(s.amountDue, lang)}
              </Figure>
            </div>
            {BigInt(s.credited.amount) > 0n && s.invoiceTotal && (
              <div className="credit-panel" data-testid="credit-panel">
                <Icon name="check" size={16} />
                <span>
                  <span data-testid="credited-text">{t('fwd.creditedBody', { amount: money(s.credited, lang) })}</span>{' '}
                  <span className="muted block small" data-testid="credited-net">
                    {t('fwd.creditedNet', { amount: moneyOf(BigInt(s.invoiceTotal.amount) - BigInt(s.credited.amount), 'IDR', lang) })}
                  </span>
                </span>
              </div>
            )}
            {s.status === 'invoiced' && due && s.invoiceTotal && (
              <WaitingInvoice shipment={s} available={available} busy={action.busy} onPay={() => void act('pay')} onBank={() => void payByTransfer()}>
                {action.error instanceof ApiError && action.error.code === 'insufficient_funds' && action.error.problem.needed && (
                  <Alert kind="warning" title={t('fund.notEnough')}>
                    {t('fwd.new.topUp', { amount: money(action.error.problem.needed, lang) })} <Link to="/wallet?tab=topup">{t('wallet.topup')}</Link>
                  </Alert>
                )}
                {deposit && <DepositInstructions deposit={deposit} />}
              </WaitingInvoice>
            )}
            <ErrorAlert error={action.error instanceof ApiError && action.error.code === 'insufficient_funds' ? undefined : action.error} />
            <div className="form-actions start detail-actions">
              {landed.data && (
                <Link to={landedCostHref(landed.data)} className="btn btn-secondary btn-sm" data-testid="landed-link">
                  <span>{t('fwd.landedLink')}</span>
                </Link>
              )}
              {CANCELLABLE.includes(s.status) && (
                <ConfirmButton busy={action.busy} onConfirm={() => void act('cancel')}>
                  <span data-testid="shipment-cancel">{t('fwd.cancelShipment')}</span>
                </ConfirmButton>
              )}
            </div>
          </Card>
          <div className="grid-2">
            <Card title={t('fwd.shipment.facts')} testId="shipment-facts">
              <dl className="facts fwd-facts">
                <dt>{t('fwd.mode')}</dt>
                <dd>
                  {modeName(s.mode, t)} · {categoryName(s.category, t)}
                </dd>
                <dt>{t('fwd.destination')}</dt>
                <dd>{s.destination}</dd>
                <dt>{t('fwd.deliveryAddress')}</dt>
                <dd className="pre-line">{s.deliveryAddress}</dd>
                <dt>{t('fwd.insurance')}</dt>
                <dd>{s.insured ? t('fwd.insuredFor', { amount: money(s.declaredValue, lang) }) : t('fwd.notInsured')}</dd>
                <dt>{t('fwd.carrierReference')}</dt>
                <dd data-testid="carrier-reference">{s.carrierReference ? <Mono>{s.carrierReference}</Mono> : <span className="muted">—</span>}</dd>
                <dt>ETA</dt>
                <dd data-testid="shipment-eta">
                  {s.eta ? (
                    etaText(s.eta, formatDate)
                  ) : (
                    <span className="muted">{t('fwd.etaAfterDeparture', { min: s.estimate.leadDays.min, max: s.estimate.leadDays.max })}</span>
                  )}
                </dd>
                <dt>{t('common.createdAt')}</dt>
                <dd>{formatDateTime(s.createdAt)}</dd>
              </dl>
              <ShipmentParcels
                parcels={detail.parcels}
                testId="shipment-parcels"
                link={(p) => (
                  <Link to={`/parcels/${encodeURIComponent(p.id)}`} className="mono">
                    {p.trackingNumber}
                  </Link>
                )}
              />
              <PackageLines shipment={s} testId="shipment-packages" />
            </Card>
            <Card title={t('fwd.timeline')} testId="shipment-timeline-card">
              <ShipmentTimeline transitions={detail.transitions} meId={session.user.id} documentHref={(doc) => `/api/shipments/${encodeURIComponent(s.id)}/documents/${encodeURIComponent(doc)}`} />
            </Card>
          </div>
          <Card title={t('fwd.estimateVsInvoice')} subtitle={t('fwd.estimateVsInvoiceBody')} testId="estimate-vs-invoice">
            <QuoteComparison shipment={s} estimateTitle={t('fwd.estimateOn', { date: formatDateTime(s.createdAt) })} invoiceTitle={s.invoicedAt ? t('fwd.invoiceOn', { date: formatDateTime(s.invoicedAt) }) : t('fwd.invoice')} />
          </Card>
          {(detail.insuranceClaims.length > 0 || (s.insured && (s.status === 'lost' || s.status === 'damaged'))) && (
            <Card title={t('fwd.claims.title')} testId="insurance-card">
              <InsuranceClaims claims={detail.insuranceClaims} />
              {s.insured && (s.status === 'lost' || s.status === 'damaged') && !openClaim && <InsuranceClaimForm shipment={s} onFiled={reload} />}
            </Card>
          )}
        </div>
      )}
    </>
  );
}

/** The difference as a percentage of the estimate, one decimal, rounded half up ("+23,5 %"). */
export function percentOver(diffMinor: bigint, estimateMinor: bigint, lang: 'id' | 'en'): string | null {
  if (estimateMinor <= 0n) return null;
  const negative = diffMinor < 0n;
  const abs = negative ? -diffMinor : diffMinor;
  const tenths = (abs * 1000n + estimateMinor / 2n) / estimateMinor;
  return `${negative ? '−' : '+'}${formatPercent(`${tenths / 10n}.${tenths % 10n}`, lang, { maxFraction: 1 })}`;
}

/**
 * An invoice above the held estimate that waits for the importer: the figures side by side,
 * why it waits (more above the estimate than is taken without asking, or a wallet that cannot
 * cover it), and the two ways to pay: from the wallet, or a bank transfer for what it lacks.
 */
function WaitingInvoice({ shipment: s, available, busy, onPay, onBank, children }: { shipment: Shipment; available: MoneyJson | undefined; busy: boolean; onPay: () => void; onBank: () => void; children: ReactNode }) {
  const { t, lang } = useI18n();
  const due = BigInt(s.amountDue.amount);
  const estimate = BigInt(s.estimateTotal.amount);
  const invoice = BigInt(s.invoiceTotal!.amount);
  const pct = percentOver(invoice - estimate, estimate, lang);
  const avail = available ? BigInt(available.amount) : null;
  const short = avail === null ? null : due > avail ? due - avail : 0n;
  return (
    <div className="due-panel" data-testid="due-panel" data-short={short === null ? '' : short.toString()}>
      <h3 className="due-title">{t('fwd.waiting.title')}</h3>
      <p className="small" data-testid="due-summary">
        {t('fwd.waiting.summary', { estimate: money(s.estimateTotal, lang), invoice: money(s.invoiceTotal!, lang) })} <strong data-testid="due-amount">{t('fwd.waiting.toPay', { amount: money(s.amountDue, lang) })}</strong>
      </p>
      {short !== null && (
        <p className="small" data-testid="due-why" data-why={short > 0n ? 'wallet' : 'tolerance'}>
          {short > 0n ? t('fwd.waiting.whyWallet', { available: moneyOf(avail!, 'IDR', lang), short: moneyOf(short, 'IDR', lang) }) : t('fwd.waiting.whyTolerance', { pct: pct ?? '' })}
        </p>
      )}
      <p className="small muted">{t('fwd.waiting.unpaid')}</p>
      <div className="form-actions start">
        <Button busy={busy} onClick={onPay} data-testid="pay-wallet">
          {t('fwd.payWallet', { amount: money(s.amountDue, lang) })}
        </Button>
        {short !== null && short > 0n && (
          <Button variant="secondary" busy={busy} onClick={onBank} data-testid="pay-bank">
            {t('fwd.payBankShort', { amount: moneyOf(short, 'IDR', lang) })}
          </Button>
        )}
      </div>
      {short !== null && short > 0n && <p className="small muted">{t('fwd.waiting.bankHint')}</p>}
      {children}
    </div>
  );
}

function signedMoney(m: MoneyJson, lang: 'id' | 'en'): string {
  if (isNegative(m.amount)) return `−${moneyOf(absMinor(m.amount), 'IDR', lang)}`;
  if (/^0+$/.test(m.amount)) return money(m, lang);
  return `+${money(m, lang)}`;
}

function differenceHint(diff: MoneyJson, estimate: MoneyJson, status: ShipmentStatus, t: (k: 'fwd.diff.back' | 'fwd.diff.more' | 'fwd.diff.paidMore' | 'fwd.diff.none', p?: Record<string, string>) => string, lang: 'id' | 'en'): string {
  const settled = !['requested', 'packed', 'invoiced', 'cancelled'].includes(status);
  if (/^-?0+$/.test(diff.amount)) return t('fwd.diff.none');
  if (isNegative(diff.amount)) return t('fwd.diff.back', { amount: moneyOf(absMinor(diff.amount), 'IDR', lang) });
  const pct = percentOver(BigInt(diff.amount), BigInt(estimate.amount), lang) ?? '';
  return settled ? t('fwd.diff.paidMore', { amount: money(diff, lang), pct }) : t('fwd.diff.more', { amount: money(diff, lang), pct });
}

function InsuranceClaims({ claims }: { claims: InsuranceClaim[] }) {
  const { formatDateTime } = useI18n();
  if (claims.length === 0) return null;
  return (
    <InsuranceClaimLines claims={claims} testId="insurance-claims">
      {(c) => (
        <>
          <span className="muted small">
            {formatDateTime(c.createdAt)} · {c.description}
          </span>
          {c.decisionNote && <span className="small">{c.decisionNote}</span>}
        </>
      )}
    </InsuranceClaimLines>
  );
}

function InsuranceClaimForm({ shipment, onFiled }: { shipment: Shipment; onFiled: () => void }) {
  const { t, lang } = useI18n();
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const file = usePickedFile();
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const max = useMemo(() => BigInt(shipment.declaredValue.amount), [shipment.declaredValue.amount]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(amount, 2);
    let problem: string | undefined;
    if (!minor || BigInt(minor) <= 0n) problem = t('wallet.topupInvalid');
    else if (BigInt(minor) > max) problem = t('fwd.claims.tooMuch', { amount: money(shipment.declaredValue, lang) });
    else if (description.trim().length < 10) problem = t('fwd.claims.describe');
    setInvalid(problem);
    if (problem || !minor) return;
    await run(async () => {
      const documentId = file.file ? await uploadEvidence(file.file) : undefined;
      await idempotent((key) =>
        api.post(`/shipments/${encodeURIComponent(shipment.id)}/insurance-claims`, { amount: { amount: minor, currency: 'IDR' }, description: description.trim(), ...(documentId ? { documentId } : {}) }, { idempotencyKey: key }),
      );
      onFiled();
    });
  }

  return (
    <form className="form" onSubmit={submit} noValidate data-testid="insurance-form">
      <p className="small">{t('fwd.claims.body', { amount: money(shipment.declaredValue, lang) })}</p>
      <Field label={t('fwd.claims.amount')}>
        {(id) => (
          <div className="affix-input">
            <span className="affix">Rp</span>
            <input id={id} inputMode="numeric" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="insurance-amount" />
          </div>
        )}
      </Field>
      <Field label={t('fwd.claims.description')}>
        {(id) => <textarea id={id} rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="insurance-description" />}
      </Field>
      <FileField state={file} label={t('fwd.claim.file')} hint={t('fwd.claim.fileHint')} testId="insurance-file" />
      {invalid && <Alert kind="error">{invalid}</Alert>}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="insurance-submit">
          {t('fwd.claims.submit')}
        </Button>
      </div>
    </form>
  );
}
