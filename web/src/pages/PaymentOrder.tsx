import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { api, ApiError, type AcceptedQuote, type Deposit, type DepositCredit, type OrderDetail, type OrderStatus, type Quote, type Wallet } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money, moneyOf } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Button, Card, ConfirmButton, ErrorAlert, Mono, PageHeader, Segmented, Spinner, useAction, useLoad, useNow } from '../ui.tsx';
import { Figure, useIdempotency } from './fundingShared.tsx';
import { Stepper } from './PaymentNew.tsx';
import { flagLabel, modeLabel, OrderNumbers, OrderStatusBadge, PartsTable, payeeSummary, PayoutsList, proofHref, Timeline } from './paymentsShared.tsx';
import { QuoteResult } from './QuoteCalculator.tsx';
import { EscrowDecision, OpenDispute, ResolvedDispute } from './OrderDisputes.tsx';
import { DepositInstructions } from './Wallet.tsx';

/** While the supplier is being paid the page follows the order by itself. */
const POLL_MS: Partial<Record<OrderStatus, number>> = { queued: 3000, in_payout: 3000, funded: 3000, awaiting_funds: 10_000, disputed: 15_000 };
const CANCELLABLE: OrderStatus[] = ['draft', 'awaiting_funds', 'held', 'queued'];
/** A risk check holds money only while it waits to be paid out; a refunded order keeps its flag but holds nothing. */
const RISK_HOLDS: OrderStatus[] = ['funded', 'queued', 'held', 'in_payout'];

/** One payment order: pay it (quote, then wallet or bank transfer), follow it, release, cancel or confirm it. */
export function PaymentOrderPage() {
  const { t, lang, formatDateTime } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const session = useSignedIn();
  const [version, setVersion] = useState(0);
  const [answer, setAnswer] = useState<OrderDetail>();
  const loaded = useLoad(() => api.get<OrderDetail>(`/payment-orders/${encodeURIComponent(id)}`), [id, version]);
  // The newest of the loaded detail and the answer to the last action.
  const detail = answer && (!loaded.data || loaded.loading) ? answer : (loaded.data ?? answer);
  const order = detail?.order;
  const action = useAction();
  const releasing = useAction();
  const idempotent = useIdempotency();
  const reload = () => setVersion((v) => v + 1);
  const poll = order ? POLL_MS[order.status] : undefined;

  useEffect(() => {
    if (!poll) return;
    const timer = window.setInterval(() => setVersion((v) => v + 1), poll);
    return () => window.clearInterval(timer);
  }, [poll]);
  useEffect(() => setAnswer(undefined), [loaded.data]);

  async function act(path: 'release' | 'cancel' | 'complete') {
    await (path === 'release' ? releasing : action).run(async () => {
      const res = await idempotent((key) => api.post<OrderDetail>(`/payment-orders/${encodeURIComponent(id)}/${path}`, undefined, { idempotencyKey: key }));
      setAnswer(res);
      reload();
    });
  }

  const parts = detail?.installments ?? [];
  const payoutStarted = parts.some((p) => ['in_payout', 'awaiting_approval', 'paid'].includes(p.status));
  const nextHeld = parts.find((p) => p.status === 'held');
  // Newest decision first: its figures describe the order as it is now.
  const resolved = (detail?.disputes ?? []).filter((d) => d.status === 'resolved').reverse();
  const created = (location.state as { created?: boolean } | null)?.created && order?.status === 'draft';

  return (
    <>
      <div className="breadcrumb">
        <Link to="/payment-orders">← {t('pay.backToOrders')}</Link>
      </div>
      <PageHeader
        title={order ? t('order.title', { amount: money(order.cny, lang) }) : t('order.titleLoading')}
        subtitle={order ? `${detail!.supplier.storeName} · ${id}` : id}
        actions={order && <OrderStatusBadge status={order.status} />}
      />
      <ErrorAlert error={loaded.error} />
      {!detail ? (
        loaded.loading && <Spinner />
      ) : (
        <div data-testid="order-detail" data-order={detail.order.id} data-status={detail.order.status}>
          {created && <Alert kind="success">{t('order.createdNotice')}</Alert>}
          {detail.riskFlags.length > 0 && RISK_HOLDS.includes(detail.order.status) && (
            <Alert kind="warning" title={t('order.riskHoldTitle')}>
              <span data-testid="risk-hold">
                {detail.riskFlags.some((f) => f.code)
                  ? t('order.riskHold', { checks: detail.riskFlags.flatMap((f) => (f.code ? [flagLabel(f.code, t)] : [])).join(', ') })
                  : t('order.riskHoldUnnamed')}
              </span>
            </Alert>
          )}
          {detail.disputes
            .filter((d) => d.status === 'open')
            .map((d) => (
              <OpenDispute key={d.id} detail={detail} dispute={d} meId={session.user.id} onAnswer={(res) => { setAnswer(res); reload(); }} />
            ))}
          {detail.order.status === 'held' && nextHeld && (
            <EscrowDecision
              detail={detail}
              onAnswer={(res) => { setAnswer(res); reload(); }}
              releaseHint={parts.length > 1 ? t('order.releasePartHint') : t('order.releaseHint')}
              releaseError={releasing.error}
              release={
                <ConfirmButton variant="primary" small={false} busy={releasing.busy} onConfirm={() => void act('release')}>
                  <span data-testid="order-release">
                    {parts.length > 1 ? t('order.releasePart', { n: nextHeld.seq, amount: money(nextHeld.cny, lang) }) : t('order.release', { amount: money(nextHeld.cny, lang) })}
                  </span>
                </ConfirmButton>
              }
            />
          )}
          {resolved.map((d) => (
            <ResolvedDispute key={d.id} detail={detail} dispute={d} meId={session.user.id} version={version} latest={d.id === resolved[0]?.id} />
          ))}
          {detail.order.status === 'draft' && <FundPanel detail={detail} onFunded={(d) => { setAnswer(d); reload(); }} />}
          {detail.order.status === 'awaiting_funds' && detail.order.depositId && <OrderDeposit depositId={detail.order.depositId} version={version} />}

          <div className="grid-2 order-grid">
            <Card title={t('order.summary')} testId="order-summary">
              <dl className="facts">
                <dt>{t('common.status')}</dt>
                <dd>
                  <OrderStatusBadge status={detail.order.status} />
                  {poll && <span className="muted small live-note"> · {t('order.live')}</span>}
                </dd>
                <dt>{t('pay.supplier')}</dt>
                <dd>
                  {detail.supplier.storeName}
                  <div className="muted small" lang="zh">
                    {detail.supplier.companyName}
                  </div>
                </dd>
                <dt>{t('pay.payee')}</dt>
                <dd lang="zh" data-testid="order-payee">
                  {payeeSummary(detail.payee, t)}
                </dd>
                <dt>{t('order.supplierGets')}</dt>
                <dd className="strong" data-testid="order-cny">
                  {money(detail.order.cny, lang)}
                </dd>
                <dt>{t('order.youPay')}</dt>
                <dd className="strong" data-testid="order-idr-total">
                  {detail.order.idrTotal ? money(detail.order.idrTotal, lang) : <span className="muted">{t('pay.noQuoteYet')}</span>}
                </dd>
                <dt>{t('wizard.mode')}</dt>
                <dd data-testid="order-mode">{modeLabel(detail.order.mode, t)}</dd>
                <dt>{t('wizard.orderNumbers')}</dt>
                <dd>
                  <OrderNumbers numbers={detail.order.orderNumbers} />
                </dd>
                {detail.order.noteToSupplier && (
                  <>
                    <dt>{t('wizard.note')}</dt>
                    <dd lang="zh">{detail.order.noteToSupplier}</dd>
                  </>
                )}
                {detail.order.invoiceDocumentId && (
                  <>
                    <dt>{t('wizard.invoice')}</dt>
                    <dd>
                      <a href={proofHref(detail.order.invoiceDocumentId)} download data-testid="order-invoice">
                        {t('order.downloadInvoice')}
                      </a>
                    </dd>
                  </>
                )}
                {detail.order.escrowReleaseAt && ['held'].includes(detail.order.status) && (
                  <>
                    <dt>{t('order.autoRelease')}</dt>
                    <dd>{formatDateTime(detail.order.escrowReleaseAt)}</dd>
                  </>
                )}
                <dt>{t('common.createdAt')}</dt>
                <dd>{formatDateTime(detail.order.createdAt)}</dd>
                {detail.order.paidAt && (
                  <>
                    <dt>{t('pay.paidAt')}</dt>
                    <dd>{formatDateTime(detail.order.paidAt)}</dd>
                  </>
                )}
              </dl>
              <div className="form-actions start detail-actions order-actions">
                {detail.order.status === 'paid' && (
                  <ConfirmButton variant="primary" small={false} busy={action.busy} onConfirm={() => void act('complete')}>
                    <span data-testid="order-complete">{t('order.complete')}</span>
                  </ConfirmButton>
                )}
                {detail.order.fundedAt && detail.order.quoteId && (
                  <a className="btn btn-secondary" href={`/api/payment-orders/${encodeURIComponent(detail.order.id)}/receipt?lang=${lang}`} target="_blank" rel="noreferrer" data-testid="order-receipt">
                    <span>{t('order.receipt')}</span>
                  </a>
                )}
                {CANCELLABLE.includes(detail.order.status) && !payoutStarted && (
                  <ConfirmButton variant="secondary" small={false} busy={action.busy} onConfirm={() => void act('cancel')}>
                    <span data-testid="order-cancel">{t('order.cancel')}</span>
                  </ConfirmButton>
                )}
              </div>
              {detail.order.status === 'paid' && <p className="muted small">{t('order.completeHint')}</p>}
              <ErrorAlert error={action.error} />
            </Card>
            <Card title={t('order.timeline')} testId="order-timeline">
              <Timeline transitions={detail.transitions} meId={session.user.id} />
            </Card>
          </div>
          <Card title={t('order.parts')} subtitle={parts.length > 1 ? t('order.partsBody') : undefined} testId="order-parts">
            <PartsTable parts={parts} />
          </Card>
          <Card title={t('order.payouts')} subtitle={t('order.payoutsBody')} testId="order-payouts">
            <PayoutsList orderId={detail.order.id} payouts={detail.payouts} />
          </Card>
        </div>
      )}
    </>
  );
}

/** The bank transfer that will fund the order: the same instructions as a wallet top-up. */
function OrderDeposit({ depositId, version }: { depositId: string; version: number }) {
  const { t } = useI18n();
  const loaded = useLoad(() => api.get<{ deposit: Deposit; credits: DepositCredit[] }>(`/deposits/${encodeURIComponent(depositId)}`), [depositId, version]);
  const d = loaded.data?.deposit;
  const now = useNow(5000, !!d);
  const expired = d ? d.status === 'expired' || new Date(d.expiresAt).getTime() <= now : false;
  return (
    <Card title={t('order.transferTitle')} subtitle={t('order.transferBody')} testId="order-deposit">
      <ErrorAlert error={loaded.error} />
      {!d ? (
        <Spinner />
      ) : expired ? (
        <Alert kind="warning" title={t('order.transferExpiredTitle')}>
          {t('order.transferExpired')}
        </Alert>
      ) : (
        <DepositInstructions deposit={d} />
      )}
    </Card>
  );
}

/** Steps 5 and 6 on a draft: a quote for the order's yuan, accepted, then paid from the wallet or by transfer. */
function FundPanel({ detail, onFunded }: { detail: OrderDetail; onFunded: (d: OrderDetail) => void }) {
  const { t, lang } = useI18n();
  const order = detail.order;
  const [quote, setQuote] = useState<Quote>();
  const [deadline, setDeadline] = useState(0);
  const [accepted, setAccepted] = useState<AcceptedQuote>();
  const [method, setMethod] = useState<'wallet' | 'bank_transfer'>('wallet');
  const [deposit, setDeposit] = useState<Deposit>();
  const quoting = useAction();
  const accepting = useAction();
  const paying = useAction();
  const idempotent = useIdempotency();
  const wallet = useLoad(() => api.get<{ wallets: Wallet[] }>('/wallet'), []);
  const now = useNow(1000, deadline > 0);
  const expired = deadline > 0 && deadline <= now;
  const available = wallet.data?.wallets.find((w) => w.currency === 'IDR')?.balance.available;
  const total = quote?.total;
  const enough = available && total ? BigInt(available.amount) >= BigInt(total.amount) : false;
  const staleQuote = paying.error instanceof ApiError && ['quote_expired', 'quote_already_used', 'quote_invalid'].includes(paying.error.code);

  async function requestQuote() {
    setAccepted(undefined);
    setDeposit(undefined);
    await quoting.run(async () => {
      const q = await api.post<Quote>('/quotes', { cny: order.cny });
      const lockMs = q.createdAt ? new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime() : q.lockMinutes * 60_000;
      setDeadline(Date.now() + lockMs);
      setQuote(q);
    });
  }

  async function accept() {
    if (!quote) return;
    await accepting.run(async () => {
      setAccepted(await api.post<AcceptedQuote>('/quotes/accept', { token: quote.token }));
      wallet.reload();
    });
  }

  async function pay() {
    if (!accepted) return;
    await paying.run(async () => {
      const res = await idempotent((key) => api.post<OrderDetail>(`/payment-orders/${encodeURIComponent(order.id)}/fund`, { quoteId: accepted.quote.id, method }, { idempotencyKey: key }));
      if (res.deposit) setDeposit(res.deposit);
      onFunded(res);
    });
  }

  return (
    <Card title={t('fund.title')} subtitle={t('fund.body', { cny: money(order.cny, lang) })} testId="fund-panel" className="fund-panel">
      <Stepper current={4} />
      {!quote ? (
        <div className="fund-start">
          <Button busy={quoting.busy} onClick={() => void requestQuote()} data-testid="fund-quote">
            <Icon name="quote" size={16} /> {t('fund.getQuote', { cny: money(order.cny, lang) })}
          </Button>
          <p className="muted small">{t('fund.getQuoteHint')}</p>
        </div>
      ) : (
        <QuoteResult quote={quote} deadline={deadline} onRequote={() => void requestQuote()} requoteBusy={quoting.busy} bankComparison={false} expiredNotice={false} />
      )}
      {expired && (
        <Alert kind="warning" title={t('fund.expiredTitle')}>
          <Button small variant="secondary" busy={quoting.busy} onClick={() => void requestQuote()} data-testid="fund-requote">
            {t('fund.newQuote')}
          </Button>
        </Alert>
      )}
      <ErrorAlert error={quoting.error} />
      {quote && !accepted && !expired && (
        <div className="quote-accept">
          <Button busy={accepting.busy} onClick={() => void accept()} data-testid="fund-accept">
            <Icon name="check" size={16} /> {t('fund.accept', { total: money(quote.total, lang) })}
          </Button>
          <p className="muted small">{t('fund.acceptHint')}</p>
          <ErrorAlert error={accepting.error} />
        </div>
      )}
      {quote && accepted && !deposit && (
        <div className="fund-pay" data-testid="fund-pay">
          <h3 className="section-title">{t('fund.payTitle')}</h3>
          <p className="small">
            <Icon name="lock" size={14} /> {t('fund.acceptedNote', { id: accepted.quote.id })}
          </p>
          <Segmented
            legend={t('fund.method')}
            name="fund-method"
            value={method}
            testId="fund-method"
            options={[
              { value: 'wallet', label: t('fund.method.wallet') },
              { value: 'bank_transfer', label: t('fund.method.bank_transfer') },
            ]}
            onChange={setMethod}
          />
          {method === 'wallet' ? (
            <div className="fund-wallet">
              <div className="figures-3">
                <Figure label={t('fund.toPay')} main testId="fund-total">
                  {money(quote.total, lang)}
                </Figure>
                <Figure label={t('wallet.available')} testId="fund-wallet-available">
                  {available ? money(available, lang) : '—'}
                </Figure>
                <Figure label={t('fund.afterPaying')} testId="fund-wallet-after">
                  {available && enough ? moneyOf(BigInt(available.amount) - BigInt(quote.total.amount), 'IDR', lang) : '—'}
                </Figure>
              </div>
              <ErrorAlert error={wallet.error} />
              {available && !enough && (
                <Alert kind="warning" title={t('fund.notEnough')}>
                  <span data-testid="fund-not-enough">
                    {t('fund.notEnoughBody', { short: moneyOf(BigInt(quote.total.amount) - BigInt(available.amount), 'IDR', lang) })} <Link to="/wallet?tab=topup">{t('wallet.topup')}</Link>
                  </span>
                </Alert>
              )}
              <div className="form-actions start">
                <Button busy={paying.busy} disabled={!enough || expired} onClick={() => void pay()} data-testid="fund-pay-wallet">
                  {t('fund.payFromWallet', { total: money(quote.total, lang) })}
                </Button>
              </div>
            </div>
          ) : (
            <div className="fund-bank">
              <p className="small">{t('fund.bankBody', { total: money(quote.total, lang) })}</p>
              <div className="form-actions start">
                <Button busy={paying.busy} disabled={expired} onClick={() => void pay()} data-testid="fund-pay-bank">
                  {t('fund.payByTransfer')}
                </Button>
              </div>
            </div>
          )}
          <ErrorAlert error={paying.error} />
          {staleQuote && !expired && (
            <Button small variant="secondary" busy={quoting.busy} onClick={() => void requestQuote()} data-testid="fund-requote-after-error">
              {t('fund.newQuote')}
            </Button>
          )}
        </div>
      )}
      {deposit && <DepositInstructions deposit={deposit} />}
    </Card>
  );
}
