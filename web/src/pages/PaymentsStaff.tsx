import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, ORDER_STATUSES, type FxConversion, type OrderList, type OrderStatus, type PaymentsSettings, type StaffBankAccount, type StaffOrderDetail } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { formatRate, minorToInput, money, parseAmount } from '../money.ts';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, Spinner, useAction, useLoad } from '../ui.tsx';
import { CustomerCell, useCustomerNames, useIdempotency, useScrollIntoView } from './fundingShared.tsx';
import type { PayoutsContext } from './PayoutDesk.tsx';
import { DisputeStatusBadge } from './disputesShared.tsx';
import { FlagBadge, known, modeLabel, OrderNumbers, OrderStatusBadge, PartsTable, payeeKindLabel, PayoutsList, proofHref, Timeline } from './paymentsShared.tsx';

const PAGE = 50;

// ---- all payment orders ------------------------------------------------------------------------------

export function StaffOrdersTab({ ctx, openId, onOpen }: { ctx: PayoutsContext; openId: string | null; onOpen: (id: string | null) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [extra, setExtra] = useState<OrderList>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<OrderList>('/staff/payments/orders', { status, limit: PAGE });
  }, [status, ctx.version]);
  const orders = [...(first.data?.orders ?? []), ...(extra?.orders ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const names = useCustomerNames(orders.map((o) => o.customerId));

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<OrderList>('/staff/payments/orders', { status, limit: PAGE, before: cursor });
      setExtra({ orders: [...(extra?.orders ?? []), ...next.orders], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <>
      {openId && <StaffOrderDetailCard key={openId} id={openId} ctx={ctx} onClose={() => onOpen(null)} />}
      <Card
        title={t('staffOrders.title')}
        subtitle={t('staffOrders.body')}
        testId="staff-orders"
        actions={
          <label className="inline-label">
            <span>{t('common.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as OrderStatus | '')} data-testid="staff-orders-filter">
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
          !first.error && <Empty>{t('pay.noOrders')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-click" data-testid="staff-orders-table">
              <thead>
                <tr>
                  <th>{t('common.createdAt')}</th>
                  <th>{t('funding.customer')}</th>
                  <th>{t('wizard.orderNumbers')}</th>
                  <th className="right">{t('pay.yuan')}</th>
                  <th className="right">{t('pay.rupiah')}</th>
                  <th>{t('wizard.mode')}</th>
                  <th>{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.id} data-order={o.id} onClick={() => onOpen(o.id)} className={o.id === openId ? 'row-selected' : undefined}>
                    <td data-label={t('common.createdAt')} className="nowrap">
                      {formatDateTime(o.createdAt)}
                    </td>
                    <td data-label={t('funding.customer')}>
                      <CustomerCell id={o.customerId} names={names} />
                    </td>
                    <td data-label={t('wizard.orderNumbers')} className="mono small">
                      {o.orderNumbers.join(', ')}
                    </td>
                    <td data-label={t('pay.yuan')} className="right nowrap strong">
                      {money(o.cny, lang)}
                    </td>
                    <td data-label={t('pay.rupiah')} className="right nowrap">
                      {o.idrTotal ? money(o.idrTotal, lang) : '—'}
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
    </>
  );
}

function StaffOrderDetailCard({ id, ctx, onClose }: { id: string; ctx: PayoutsContext; onClose: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const loaded = useLoad(() => api.get<StaffOrderDetail>(`/staff/payments/orders/${encodeURIComponent(id)}`), [id, ctx.version]);
  const d = loaded.data;
  const names = useCustomerNames(d ? [d.order.customerId] : []);
  const anchor = useScrollIntoView<HTMLDivElement>();
  return (
    <div ref={anchor} className="scroll-anchor">
      <Card
        title={d ? t('staffOrders.detailTitle', { amount: money(d.order.cny, lang) }) : t('staffOrders.detail')}
        subtitle={<Mono>{id}</Mono>}
        testId="staff-order-detail"
        actions={
          <Button variant="ghost" small onClick={onClose}>
            {t('common.close')}
          </Button>
        }
      >
        <ErrorAlert error={loaded.error} />
        {!d ? (
          <Spinner />
        ) : (
          <>
            <div className="grid-2 detail-grid">
              <dl className="facts">
                <dt>{t('common.status')}</dt>
                <dd>
                  <OrderStatusBadge status={d.order.status} />
                </dd>
                <dt>{t('funding.customer')}</dt>
                <dd>
                  <CustomerCell id={d.order.customerId} names={names} />
                </dd>
                <dt>{t('pay.supplier')}</dt>
                <dd>
                  {d.supplier.storeName}
                  <div className="muted small" lang="zh">
                    {d.supplier.companyName}
                  </div>
                </dd>
                <dt>{t('pay.payee')}</dt>
                <dd lang="zh">
                  <Badge tone={d.payee.kind === 'bank' ? 'blue' : 'green'}>{payeeKindLabel(d.payee.kind, t)}</Badge> <span className="mono">{d.payee.account}</span>
                  <div>{d.payee.holderName}</div>
                  {d.payee.kind === 'bank' && <div className="muted small">{[d.payee.bankName, d.payee.bankBranch, d.payee.cnapsCode ? `CNAPS ${d.payee.cnapsCode}` : null].filter(Boolean).join(' · ')}</div>}
                  {d.payee.detailsChangedAt && <Badge tone="amber">{t('payee.changedAt', { at: formatDateTime(d.payee.detailsChangedAt) })}</Badge>}
                </dd>
                <dt>{t('pay.yuan')}</dt>
                <dd className="strong">{money(d.order.cny, lang)}</dd>
                <dt>{t('pay.rupiah')}</dt>
                <dd className="strong">{d.order.idrTotal ? money(d.order.idrTotal, lang) : '—'}</dd>
                <dt>{t('wizard.mode')}</dt>
                <dd>{modeLabel(d.order.mode, t)}</dd>
                <dt>{t('wizard.orderNumbers')}</dt>
                <dd>
                  <OrderNumbers numbers={d.order.orderNumbers} />
                </dd>
                {d.order.noteToSupplier && (
                  <>
                    <dt>{t('wizard.note')}</dt>
                    <dd lang="zh">{d.order.noteToSupplier}</dd>
                  </>
                )}
                {d.order.quoteId && (
                  <>
                    <dt>{t('quote.id')}</dt>
                    <dd className="mono small">{d.order.quoteId}</dd>
                  </>
                )}
                {d.order.invoiceDocumentId && (
                  <>
                    <dt>{t('wizard.invoice')}</dt>
                    <dd>
                      <a href={proofHref(d.order.invoiceDocumentId)} target="_blank" rel="noreferrer">
                        {t('order.downloadInvoice')}
                      </a>
                    </dd>
                  </>
                )}
              </dl>
              <div>
                <h3 className="section-title">{t('risk.flags')}</h3>
                {d.riskFlags.length === 0 ? (
                  <p className="muted small">{t('risk.noFlagsOrder')}</p>
                ) : (
                  <ul className="flag-list" data-testid="staff-order-flags">
                    {d.riskFlags.map((f) => (
                      <li key={f.id} data-code={f.code} data-status={f.status}>
                        <FlagBadge code={f.code} severity={f.severity} status={f.status} /> <Badge tone={f.status === 'open' ? 'amber' : f.status === 'cleared' ? 'green' : 'red'}>{known(`risk.status.${f.status}`, f.status, t)}</Badge>
                        <div className="small">{f.reason}</div>
                        {f.decisionNote && <div className="muted small">{t('risk.decisionBy', { note: f.decisionNote, at: formatDateTime(f.decidedAt) })}</div>}
                      </li>
                    ))}
                  </ul>
                )}
                {d.riskFlags.some((f) => f.status === 'open' && f.severity === 'high') && (
                  <Link to="/risk" className="small">
                    {t('risk.openRisk')} →
                  </Link>
                )}
                <h3 className="section-title">{t('order.timeline')}</h3>
                <Timeline transitions={d.transitions} meId={ctx.me} staff />
              </div>
            </div>
            <h3 className="section-title">{t('order.parts')}</h3>
            <PartsTable parts={d.installments} staff />
            <h3 className="section-title">{t('order.payouts')}</h3>
            <PayoutsList orderId={d.order.id} payouts={d.payouts} staff floatNames={ctx.floatNames} />
            {d.disputes.length > 0 && (
              <>
                <h3 className="section-title">{t('disputes.title')}</h3>
                <ul className="fact-list" data-testid="staff-order-disputes">
                  {d.disputes.map((x) => (
                    <li key={x.id} data-dispute={x.id}>
                      <span className="cell">
                        <span>
                          <DisputeStatusBadge dispute={x} /> <span className="muted small">{formatDateTime(x.createdAt)}</span>
                        </span>
                        <span className="small">{x.reason}</span>
                      </span>
                      <Button variant="secondary" small onClick={() => ctx.openDispute(x.id)} data-testid="staff-order-dispute-open">
                        {t('disputes.open')}
                      </Button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </Card>
    </div>
  );
}

// ---- floats and FX conversions --------------------------------------------------------------------------

/** Rupiah per yuan from two amounts in minor units (both have two decimals), to four decimals. */
export function impliedRate(idrMinor: string, cnyMinor: string): string | null {
  const idr = BigInt(idrMinor);
  const cny = BigInt(cnyMinor);
  if (cny <= 0n || idr <= 0n) return null;
  const scaled = (idr * 10_000n + cny / 2n) / cny;
  const s = scaled.toString().padStart(5, '0');
  return `${s.slice(0, -4)}.${s.slice(-4)}`;
}

export function FloatsTab({ ctx }: { ctx: PayoutsContext }) {
  const { t, lang } = useI18n();
  const floats = (ctx.floats.data?.accounts ?? []).filter((a) => a.currency === 'CNY' || a.currency === 'CNH');
  const [recorded, setRecorded] = useState<(FxConversion & { floatName: string })[]>([]);
  // Payouts move the floats while another tab is open: read them again when this tab opens.
  const reloadFloats = ctx.floats.reload;
  useEffect(() => reloadFloats(), []);
  return (
    <>
      <div className="bank-tiles float-tiles" data-testid="fx-floats">
        <ErrorAlert error={ctx.floats.error} />
        {ctx.floats.loading && !ctx.floats.data && <Spinner />}
        {floats.map((f) => (
          <div key={f.id} className="bank-tile" data-testid="fx-float" data-float={f.code}>
            <div className="bank-tile-head">
              <span className="bank-code">{f.name}</span>
              {f.status !== 'active' && <Badge tone="neutral">{f.status}</Badge>}
            </div>
            <div className="bank-tile-balance" data-testid="fx-float-balance">
              {money(f.balance.available, lang)}
            </div>
            <div className="muted small">
              {t('fx.posted')}: {money(f.balance.posted, lang)}
              {f.balance.pendingOut.amount !== '0' && ` · ${t('fx.pending')}: ${money(f.balance.pendingOut, lang)}`}
            </div>
          </div>
        ))}
      </div>
      {ctx.canApprove ? (
        <ConversionForm
          ctx={ctx}
          onRecorded={(c) => {
            setRecorded((all) => [c, ...all]);
            ctx.changed();
          }}
        />
      ) : (
        <Card title={t('fx.title')} subtitle={t('fx.body')}>
          <p className="muted small">{t('fx.financeOnly')}</p>
        </Card>
      )}
      {recorded.length > 0 && (
        <Card title={t('fx.recordedTitle')} testId="fx-recorded">
          <ul className="fact-list">
            {recorded.map((c) => (
              <li key={c.id} data-testid="fx-recorded-row">
                <span className="cell">
                  <span>
                    {c.floatName} · <span className="mono">{c.reference}</span>
                  </span>
                  <span className="muted small">{formatRate('CNY/IDR', c.rate, lang, 4)}</span>
                </span>
                <span className="cell right">
                  <strong>{money(c.cny, lang)}</strong>
                  <span className="muted small">{money(c.idr, lang)}</span>
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function ConversionForm({ ctx, onRecorded }: { ctx: PayoutsContext; onRecorded: (c: FxConversion & { floatName: string }) => void }) {
  const { t, lang } = useI18n();
  const floats = (ctx.floats.data?.accounts ?? []).filter((a) => (a.currency === 'CNY' || a.currency === 'CNH') && a.status === 'active');
  const banks = useLoad(() => api.get<{ bankAccounts: StaffBankAccount[] }>('/staff/funding/bank-accounts'), [ctx.version]);
  const accounts = banks.data?.bankAccounts ?? [];
  const [form, setForm] = useState({ floatId: '', bankId: '', cny: '', idr: '', reference: '' });
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const idempotent = useIdempotency();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const floatId = form.floatId || floats[0]?.id || '';
  const bankId = form.bankId || accounts[0]?.id || '';
  const cny = parseAmount(form.cny, 2);
  const idr = parseAmount(form.idr, 2);
  const rate = cny && idr ? impliedRate(idr, cny) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = !floatId || !bankId ? t('fx.pickAccounts') : !cny || cny === '0' ? t('fx.cnyInvalid') : !idr || idr === '0' ? t('fx.idrInvalid') : form.reference.trim().length < 3 ? t('fx.referenceRequired') : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const body = { floatAccountId: floatId, bankAccountId: bankId, cny: { amount: cny!, currency: 'CNY' }, idr: { amount: idr!, currency: 'IDR' }, reference: form.reference.trim() };
      const res = await idempotent((key) => api.post<{ conversion: FxConversion }>('/staff/fx/conversions', body, { idempotencyKey: key }));
      const floatName = floats.find((f) => f.id === floatId)?.name ?? floatId;
      setNotice(t('fx.recorded', { cny: money(res.conversion.cny, lang), float: floatName, rate: formatRate('CNY/IDR', res.conversion.rate, lang, 4) }));
      setForm((f) => ({ ...f, cny: '', idr: '', reference: '' }));
      onRecorded({ ...res.conversion, floatName });
    });
  }

  return (
    <Card title={t('fx.title')} subtitle={t('fx.body')} testId="fx-card">
      <form className="form" onSubmit={submit} noValidate data-testid="fx-form">
        <div className="form-grid form-grid-2">
          <Field label={t('fx.float')}>
            {(id) => (
              <select id={id} value={floatId} onChange={set('floatId')} data-testid="fx-float-select">
                {floats.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name} ({money(f.balance.available, lang)})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('fx.bank')} hint={t('fx.bankHint')}>
            {(id) => (
              <select id={id} value={bankId} onChange={set('bankId')} data-testid="fx-bank-select">
                {accounts.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.bankCode} · {b.accountNumber} ({money(b.ledgerBalance, lang)})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('fx.cny')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">¥</span>
                <input id={id} inputMode="decimal" autoComplete="off" value={form.cny} onChange={set('cny')} data-testid="fx-cny" />
              </div>
            )}
          </Field>
          <Field label={t('fx.idr')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" autoComplete="off" value={form.idr} onChange={set('idr')} data-testid="fx-idr" />
              </div>
            )}
          </Field>
          <Field label={t('fx.reference')} hint={t('fx.referenceHint')}>
            {(id) => <input id={id} maxLength={100} autoComplete="off" value={form.reference} onChange={set('reference')} data-testid="fx-reference" />}
          </Field>
          <div className="field">
            <span className="field-label">{t('fx.impliedRate')}</span>
            <div className="implied-rate strong" data-testid="fx-rate">
              {rate ? formatRate('CNY/IDR', rate, lang, 4) : '—'}
            </div>
            <div className="hint">{t('fx.impliedRateHint')}</div>
          </div>
        </div>
        <ErrorAlert error={banks.error} />
        {invalid && <Alert kind="error">{invalid}</Alert>}
        {notice && (
          <Alert kind="success">
            <span data-testid="fx-notice">{notice}</span>
          </Alert>
        )}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="fx-submit">
            {t('fx.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

// ---- settings -----------------------------------------------------------------------------------------------

export function PaymentsSettingsTab({ ctx }: { ctx: PayoutsContext }) {
  const { t, lang } = useI18n();
  const loaded = useLoad(() => api.get<{ settings: PaymentsSettings }>('/staff/payments/settings'), [ctx.version]);
  const s = loaded.data?.settings;
  if (!s) {
    return <Card title={t('paySettings.title')}>{loaded.loading ? <Spinner /> : <ErrorAlert error={loaded.error} />}</Card>;
  }
  if (ctx.isAdmin) return <SettingsForm settings={s} onSaved={loaded.reload} />;
  return (
    <Card title={t('paySettings.title')} subtitle={t('paySettings.body')} testId="payments-settings">
      <dl className="facts">
        <dt>{t('paySettings.slaTarget')}</dt>
        <dd data-testid="settings-sla-target">{t('paySettings.minutes', { n: s.slaTargetMinutes })}</dd>
        <dt>{t('paySettings.slaWarning')}</dt>
        <dd>{t('paySettings.minutes', { n: s.slaWarningMinutes })}</dd>
        <dt>{t('paySettings.threshold')}</dt>
        <dd data-testid="settings-threshold">{money(s.approvalThreshold, lang)}</dd>
        <dt>{t('paySettings.escrowDays')}</dt>
        <dd>{t('funding.days', { n: s.escrowAutoReleaseDays })}</dd>
        <dt>{t('paySettings.multiple')}</dt>
        <dd>× {s.amountHistoryMultiple}</dd>
        {s.bankTransferLockMinutes !== undefined && (
          <>
            <dt>{t('paySettings.transferLock')}</dt>
            <dd>{t('paySettings.minutes', { n: s.bankTransferLockMinutes })}</dd>
          </>
        )}
      </dl>
    </Card>
  );
}

function SettingsForm({ settings, onSaved }: { settings: PaymentsSettings; onSaved: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    slaTargetMinutes: String(settings.slaTargetMinutes),
    slaWarningMinutes: String(settings.slaWarningMinutes),
    threshold: minorToInput(settings.approvalThreshold.amount),
    escrowAutoReleaseDays: String(settings.escrowAutoReleaseDays),
    amountHistoryMultiple: settings.amountHistoryMultiple,
    bankTransferLockMinutes: settings.bankTransferLockMinutes === undefined ? '' : String(settings.bankTransferLockMinutes),
  });
  const [invalid, setInvalid] = useState(false);
  const { busy, error, notice, setNotice, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const target = Number(form.slaTargetMinutes);
    const warning = Number(form.slaWarningMinutes);
    const days = Number(form.escrowAutoReleaseDays);
    const multiple = Number(form.amountHistoryMultiple);
    const threshold = parseAmount(form.threshold, 2);
    const transferLock = settings.bankTransferLockMinutes === undefined ? undefined : Number(form.bankTransferLockMinutes);
    const ints = [target, warning, days, multiple, ...(transferLock === undefined ? [] : [transferLock])].every((n) => Number.isInteger(n) && n > 0);
    if (!ints || !threshold || warning >= target) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const body: Record<string, unknown> = {};
    if (target !== settings.slaTargetMinutes) body.slaTargetMinutes = target;
    if (warning !== settings.slaWarningMinutes) body.slaWarningMinutes = warning;
    if (days !== settings.escrowAutoReleaseDays) body.escrowAutoReleaseDays = days;
    if (String(multiple) !== settings.amountHistoryMultiple) body.amountHistoryMultiple = multiple;
    if (threshold !== settings.approvalThreshold.amount) body.approvalThreshold = { amount: threshold, currency: 'CNY' };
    if (transferLock !== undefined && transferLock !== settings.bankTransferLockMinutes) body.bankTransferLockMinutes = transferLock;
    if (Object.keys(body).length === 0) {
      setNotice(t('rates.settings.unchanged'));
      return;
    }
    await run(async () => {
      await api.patch('/staff/payments/settings', body);
      setNotice(t('common.saved'));
      onSaved();
    });
  }

  return (
    <Card title={t('paySettings.title')} subtitle={t('paySettings.body')} testId="payments-settings-form">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <Field label={t('paySettings.slaTarget')} hint={t('paySettings.slaTargetHint')}>
            {(id) => <input id={id} type="number" min={5} max={1440} value={form.slaTargetMinutes} onChange={set('slaTargetMinutes')} data-testid="settings-sla-target-input" />}
          </Field>
          <Field label={t('paySettings.slaWarning')} hint={t('paySettings.slaWarningHint')}>
            {(id) => <input id={id} type="number" min={1} max={1440} value={form.slaWarningMinutes} onChange={set('slaWarningMinutes')} />}
          </Field>
          <Field label={t('paySettings.threshold')} hint={t('paySettings.thresholdHint')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">¥</span>
                <input id={id} inputMode="decimal" value={form.threshold} onChange={set('threshold')} data-testid="settings-threshold-input" />
              </div>
            )}
          </Field>
          <Field label={t('paySettings.escrowDays')} hint={t('paySettings.escrowDaysHint')}>
            {(id) => <input id={id} type="number" min={1} max={180} value={form.escrowAutoReleaseDays} onChange={set('escrowAutoReleaseDays')} />}
          </Field>
          <Field label={t('paySettings.multiple')} hint={t('paySettings.multipleHint')}>
            {(id) => <input id={id} type="number" min={2} max={100} value={form.amountHistoryMultiple} onChange={set('amountHistoryMultiple')} />}
          </Field>
          {settings.bankTransferLockMinutes !== undefined && (
            <Field label={t('paySettings.transferLock')} hint={t('paySettings.transferLockHint')}>
              {(id) => <input id={id} type="number" min={15} max={1440} value={form.bankTransferLockMinutes} onChange={set('bankTransferLockMinutes')} />}
            </Field>
          )}
        </div>
        {invalid && <Alert kind="error">{t('paySettings.invalid')}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="settings-save">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
