import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, type StaffDisputeRow, type FloatBalance, type LedgerAccount, type Payout, type PayoutQueue, type PayoutStatus, type QueueItem } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { minorToInput, money, parseAmount } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, PageHeader, Segmented, Spinner, useAction, useLoad, type Loaded } from '../ui.tsx';
import { useIdempotency } from './fundingShared.tsx';
import { FloatsTab, PaymentsSettingsTab, StaffOrdersTab } from './PaymentsStaff.tsx';
import { DisputesTab } from './StaffDisputes.tsx';
import { CopyField, FilePick, flagLabel, modeLabel, OrderNumbers, payeeKindLabel, PayoutStatusBadge, proofHref, SlaBadge, type PickedFile } from './paymentsShared.tsx';

const TABS = ['desk', 'approvals', 'orders', 'disputes', 'floats', 'settings'] as const;
type Tab = (typeof TABS)[number];
/** The SLA clock moves; the queue is read again this often. */
const QUEUE_REFRESH_MS = 20_000;

export interface PayoutsContext {
  me: string;
  role: string;
  /** Operations claim and pay; the others read. */
  canOperate: boolean;
  /** Finance approves payouts and records FX conversions. */
  canApprove: boolean;
  isAdmin: boolean;
  floats: Loaded<{ accounts: LedgerAccount[] }>;
  floatNames: Map<string, string>;
  version: number;
  changed(): void;
  openOrder(id: string): void;
  openDispute(id: string): void;
}

/** Staff console: the payout desk, approvals, all payment orders, floats and FX, settings. */
export function PayoutsPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'desk';
  const [version, setVersion] = useState(0);
  const floats = useLoad(() => api.get<{ accounts: LedgerAccount[] }>('/staff/ledger/accounts', { owner: 'company', code: 'float:' }), [version]);
  const ctx: PayoutsContext = {
    me: user.id,
    role: user.role,
    canOperate: user.role === 'ops',
    canApprove: user.role === 'finance',
    isAdmin: user.role === 'admin',
    floats,
    floatNames: new Map((floats.data?.accounts ?? []).map((a) => [a.id, a.name])),
    version,
    changed: () => setVersion((v) => v + 1),
    openOrder: (id) => setParams({ tab: 'orders', order: id }),
    openDispute: (id) => setParams({ tab: 'disputes', dispute: id }),
  };
  // Open disputes wait for an answer: their number stands on the tab.
  const openDisputes = useLoad(() => api.get<{ disputes: StaffDisputeRow[] }>('/staff/disputes', { status: 'open', limit: 200 }), [version, tab]);
  const openCount = openDisputes.data?.disputes.length ?? 0;
  const labels: Record<Tab, string> = { desk: t('desk.tab.desk'), approvals: t('desk.tab.approvals'), orders: t('desk.tab.orders'), disputes: t('desk.tab.disputes'), floats: t('desk.tab.floats'), settings: t('desk.tab.settings') };
  const note = tab === 'desk' && !ctx.canOperate ? t('desk.readOnly') : tab === 'approvals' && !ctx.canApprove ? t('desk.approvalsReadOnly') : tab === 'floats' && !ctx.canApprove ? t('fx.readOnly') : null;

  return (
    <>
      <PageHeader title={t('desk.title')} subtitle={t('desk.subtitle')} />
      {note && (
        <Alert kind="info">
          <span data-testid="desk-readonly-note">{note}</span>
        </Alert>
      )}
      <div className="tabs" role="tablist" data-testid="desk-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === 'desk' ? {} : { tab: k })} data-testid={`tab-${k}`}>
            {labels[k]}
            {k === 'disputes' && openCount > 0 && (
              <span className="tab-count" data-testid="tab-disputes-count" aria-label={t('desk.openDisputes', { n: openCount })}>
                {openCount}
              </span>
            )}
          </button>
        ))}
      </div>
      {tab === 'desk' && <DeskTab ctx={ctx} />}
      {tab === 'approvals' && <ApprovalsTab ctx={ctx} />}
      {tab === 'orders' && <StaffOrdersTab ctx={ctx} openId={params.get('order')} onOpen={(id) => setParams(id ? { tab: 'orders', order: id } : { tab: 'orders' })} />}
      {tab === 'disputes' && <DisputesTab ctx={ctx} openId={params.get('dispute')} onOpen={(id) => setParams(id ? { tab: 'disputes', dispute: id } : { tab: 'disputes' })} />}
      {tab === 'floats' && <FloatsTab ctx={ctx} />}
      {tab === 'settings' && <PaymentsSettingsTab ctx={ctx} />}
    </>
  );
}

// ---- the desk -------------------------------------------------------------------------------------

type DeskFilter = 'all' | 'waiting' | 'mine';

function DeskTab({ ctx }: { ctx: PayoutsContext }) {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [filter, setFilter] = useState<DeskFilter>('all');
  const [notice, setNotice] = useState<string>();
  const queue = useLoad(() => api.get<PayoutQueue>('/staff/payouts/queue'), [ctx.version, tick]);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), QUEUE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
  const q = queue.data;
  const items = (q?.items ?? []).filter((i) => (filter === 'waiting' ? i.status === 'queued' : filter === 'mine' ? i.claimedBy === ctx.me : true));
  const counts = { breached: q?.items.filter((i) => i.sla === 'breached' && i.status === 'queued').length ?? 0, waiting: q?.items.filter((i) => i.status === 'queued').length ?? 0 };

  return (
    <>
      {q && <FloatTiles floats={q.floats} />}
      <Card
        title={t('desk.queueTitle')}
        subtitle={q ? t('desk.queueBody', { target: q.sla.targetMinutes, warning: q.sla.warningMinutes }) : undefined}
        testId="payout-queue"
        actions={
          <div className="desk-toolbar">
            <Segmented
              legend={t('desk.filter')}
              name="desk-filter"
              hideLegend
              value={filter}
              testId="desk-filter"
              options={[
                { value: 'all', label: t('common.all') },
                { value: 'waiting', label: t('desk.filter.waiting') },
                { value: 'mine', label: t('desk.filter.mine') },
              ]}
              onChange={setFilter}
            />
            <Button variant="secondary" small busy={queue.loading && !!q} onClick={() => setTick((n) => n + 1)} data-testid="desk-refresh">
              {t('common.refresh')}
            </Button>
          </div>
        }
      >
        {q && (
          <div className="stat-grid desk-stats">
            <div className="stat">
              <span className="stat-value" data-testid="desk-waiting">{counts.waiting}</span>
              <span className="stat-label">{t('desk.stat.waiting')}</span>
            </div>
            <div className={`stat${counts.breached > 0 ? ' stat-red' : ''}`}>
              <span className="stat-value">{counts.breached}</span>
              <span className="stat-label">{t('desk.stat.breached')}</span>
            </div>
            <div className="stat">
              <span className="stat-value">{q.items.filter((i) => i.status !== 'queued').length}</span>
              <span className="stat-label">{t('desk.stat.inPayout')}</span>
            </div>
          </div>
        )}
        {notice && (
          <Alert kind="success">
            <span data-testid="desk-notice">{notice}</span>
          </Alert>
        )}
        <ErrorAlert error={queue.error} />
        {queue.loading && !q ? (
          <Spinner />
        ) : items.length === 0 ? (
          !queue.error && <Empty>{filter === 'all' ? t('desk.empty') : t('desk.emptyFilter')}</Empty>
        ) : (
          <ul className="desk-list">
            {items.map((item) => (
              <DeskItem
                key={item.installmentId}
                item={item}
                queue={q!}
                ctx={ctx}
                onChanged={() => setTick((n) => n + 1)}
                onDone={(message) => {
                  setNotice(message);
                  setTick((n) => n + 1);
                  ctx.changed();
                }}
              />
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

export function FloatTiles({ floats }: { floats: FloatBalance[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="bank-tiles float-tiles" data-testid="float-tiles">
      {floats.map((f) => (
        <div key={f.id} className="bank-tile" data-testid="float-tile" data-float={f.code}>
          <div className="bank-tile-head">
            <span className="bank-code">{f.name}</span>
          </div>
          <div className="bank-tile-balance" data-testid="float-available">
            {money(f.available, lang)}
          </div>
          <div className="muted small mono">
            {t('desk.floatAvailable')} · {f.code}
          </div>
        </div>
      ))}
    </div>
  );
}

function DeskItem({ item, queue, ctx, onChanged, onDone }: { item: QueueItem; queue: PayoutQueue; ctx: PayoutsContext; onChanged: () => void; onDone: (message: string) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const claim = useAction();
  const [open, setOpen] = useState<'record' | 'fail' | null>(null);
  const mine = item.claimedBy === ctx.me;
  const p = item.payee;
  const claimedByOther = claim.error instanceof ApiError && claim.error.code === 'payout_already_claimed';

  async function doClaim() {
    await claim.run(async () => {
      try {
        await api.post(`/staff/payouts/${encodeURIComponent(item.installmentId)}/claim`);
        setOpen('record');
      } finally {
        onChanged();
      }
    });
  }

  return (
    <li className={`review-item desk-item${item.blocked ? ' desk-blocked' : ''}`} data-testid="desk-item" data-installment={item.installmentId} data-order={item.orderId} data-status={item.status}>
      <div className="review-head">
        <div>
          <div className="review-amount" data-testid="desk-amount">
            {money(item.cny, lang)}
          </div>
          <div className="muted small">
            {item.customerName} · {modeLabel(item.mode, t)}
            {item.mode === 'installments' && ` · ${t('desk.partN', { n: item.seq })}`} ·{' '}
            <button type="button" className="linkish mono small" onClick={() => ctx.openOrder(item.orderId)}>
              {item.orderId}
            </button>
          </div>
        </div>
        <div className="review-badges">
          <SlaBadge sla={item.sla} minutes={item.minutesWaiting} target={queue.sla.targetMinutes} />
          {item.status === 'queued' && !item.blocked && <Badge tone="blue">{t('desk.status.queued')}</Badge>}
          {item.status === 'in_payout' && <Badge tone="amber">{mine ? t('desk.status.mine') : t('desk.status.claimed')}</Badge>}
          {item.status === 'awaiting_approval' && <Badge tone="amber">{t('desk.status.awaiting_approval')}</Badge>}
          {item.blocked && (
            <span data-testid="desk-blocked">
              <Badge tone="red">
                <Icon name="shield" size={13} /> {t('desk.blocked')}
              </Badge>
            </span>
          )}
        </div>
      </div>
      <div className="desk-grid">
        <div className="desk-payee" data-testid="desk-payee">
          <h4 className="desk-subtitle">
            {t('desk.payTo')} · <Badge tone={p.kind === 'bank' ? 'blue' : 'green'}>{payeeKindLabel(p.kind, t)}</Badge>
          </h4>
          <dl className="facts copy-facts">
            <CopyField label={p.kind === 'bank' ? t('payee.accountBank') : t('desk.account')} value={p.account} testId="payee-account" />
            <CopyField label={t('payee.holderName')} value={p.holderName} testId="payee-holder" />
            {p.kind === 'bank' && <CopyField label={t('payee.bankName')} value={p.bankName} testId="payee-bank" />}
            {p.kind === 'bank' && <CopyField label={t('payee.bankBranch')} value={p.bankBranch} testId="payee-branch" />}
            {p.kind === 'bank' && <CopyField label={t('payee.cnaps')} value={p.cnapsCode} testId="payee-cnaps" />}
            <CopyField label={t('desk.amountToPay')} value={minorToInput(item.cny.amount)} testId="payee-amount" />
          </dl>
        </div>
        <div className="desk-order">
          <h4 className="desk-subtitle">{t('desk.orderFacts')}</h4>
          <dl className="facts">
            <dt>{t('pay.supplier')}</dt>
            <dd>
              {item.supplier.storeName}
              <div className="muted small" lang="zh">
                {item.supplier.companyName}
              </div>
            </dd>
            <dt>{t('wizard.orderNumbers')}</dt>
            <dd>
              <OrderNumbers numbers={item.orderNumbers} />
            </dd>
            {item.noteToSupplier && (
              <>
                <dt>{t('wizard.note')}</dt>
                <dd lang="zh" className="copy-row">
                  <span data-testid="desk-note">{item.noteToSupplier}</span>
                </dd>
              </>
            )}
            <dt>{t('desk.queuedAt')}</dt>
            <dd>{formatDateTime(item.queuedAt)}</dd>
            {item.claimedBy && (
              <>
                <dt>{t('desk.claimedByLabel')}</dt>
                <dd data-testid="desk-claimed-by">
                  {mine ? t('pay.actor.you') : <Mono>{item.claimedBy}</Mono>} {item.claimedAt && <span className="muted small">· {formatDateTime(item.claimedAt)}</span>}
                </dd>
              </>
            )}
          </dl>
          {item.flags.length > 0 && (
            <ul className="flag-list" data-testid="desk-flags">
              {item.flags.map((f) => (
                <li key={f.id} data-code={f.code} className={f.severity === 'high' ? 'flag-high' : ''}>
                  <Badge tone={f.severity === 'high' ? 'red' : 'neutral'}>{flagLabel(f.code, t)}</Badge> <span className="small">{f.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {item.blocked && (
        <Alert kind="error" title={t('desk.blockedTitle')}>
          {t('desk.blockedBody')}
        </Alert>
      )}
      {ctx.canApprove && item.status === 'in_payout' && (
        <div className="form-actions start desk-actions">
          <span className="muted small">{t('desk.financeFail')}</span>
          <Button small variant="secondary" onClick={() => setOpen(open === 'fail' ? null : 'fail')} data-testid="desk-fail-open">
            {t('desk.fail')}
          </Button>
        </div>
      )}
      {ctx.canOperate && (
        <div className="form-actions start desk-actions">
          {item.status === 'queued' && !item.blocked && (
            <Button busy={claim.busy} onClick={() => void doClaim()} data-testid="desk-claim">
              {t('desk.claim')}
            </Button>
          )}
          {item.status === 'in_payout' && mine && (
            <>
              <Button variant={open === 'record' ? 'secondary' : 'primary'} onClick={() => setOpen(open === 'record' ? null : 'record')} data-testid="desk-record-open">
                {t('desk.record')}
              </Button>
              <Button variant="secondary" onClick={() => setOpen(open === 'fail' ? null : 'fail')} data-testid="desk-fail-open">
                {t('desk.fail')}
              </Button>
            </>
          )}
          {item.status === 'in_payout' && !mine && <span className="muted small">{t('desk.otherOperator')}</span>}
          {item.status === 'awaiting_approval' && <span className="muted small">{t('desk.waitingApproval')}</span>}
        </div>
      )}
      {claimedByOther ? (
        <Alert kind="warning" title={t('desk.alreadyClaimed')}>
          <span data-testid="desk-claim-conflict">
            {(claim.error as ApiError).problem.claimedBy ? t('desk.claimedByWho', { who: (claim.error as ApiError).problem.claimedBy! }) : (claim.error as ApiError).problem.detail}
          </span>
        </Alert>
      ) : (
        <ErrorAlert error={claim.error} />
      )}
      {open === 'record' && item.status === 'in_payout' && mine && <RecordForm item={item} floats={queue.floats} onDone={onDone} onCancel={() => setOpen(null)} />}
      {open === 'fail' && item.status === 'in_payout' && (mine || ctx.canApprove) && <FailForm item={item} onDone={onDone} onCancel={() => setOpen(null)} />}
    </li>
  );
}

function RecordForm({ item, floats, onDone, onCancel }: { item: QueueItem; floats: FloatBalance[]; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const cnyFloats = floats.filter((f) => f.currency === 'CNY');
  const [floatId, setFloatId] = useState(item.suggestedFloatId ?? cnyFloats[0]?.id ?? '');
  const [amount, setAmount] = useState(minorToInput(item.cny.amount));
  const [reference, setReference] = useState('');
  const [proof, setProof] = useState<PickedFile>();
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const chosen = cnyFloats.find((f) => f.id === floatId);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(amount, 2);
    const problem = !chosen
      ? t('desk.pickFloat')
      : minor !== item.cny.amount
        ? t('desk.amountMustEqual', { amount: money(item.cny, lang) })
        : reference.trim().length < 4
          ? t('desk.referenceRequired')
          : !proof
            ? t('desk.proofRequired')
            : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const body = { floatAccountId: floatId, cny: item.cny, providerReference: reference.trim(), proof: { fileName: proof!.fileName, contentBase64: proof!.contentBase64 } };
      const res = await idempotent((key) => api.post<{ payout: Payout }>(`/staff/payouts/${encodeURIComponent(item.installmentId)}/record`, body, { idempotencyKey: key }));
      onDone(res.payout.status === 'paid' ? t('desk.recordedPaid', { amount: money(item.cny, lang), ref: res.payout.providerReference }) : t('desk.recordedApproval', { amount: money(item.cny, lang) }));
    });
  }

  return (
    <form className="form sub-form record-form" onSubmit={submit} noValidate data-testid="record-form">
      <h4 className="form-section-title">{t('desk.recordTitle')}</h4>
      <div className="form-grid form-grid-2">
        <Field label={t('desk.float')} hint={item.suggestedFloatId === floatId ? t('desk.floatSuggested') : t('desk.floatHint')}>
          {(id) => (
            <select id={id} value={floatId} onChange={(e) => setFloatId(e.target.value)} data-testid="record-float">
              {cnyFloats.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name} ({money(f.available, lang)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('desk.paidAmount')} hint={t('desk.paidAmountHint', { amount: money(item.cny, lang) })}>
          {(id) => (
            <div className="affix-input">
              <span className="affix">¥</span>
              <input id={id} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="record-amount" />
            </div>
          )}
        </Field>
        <Field label={t('desk.providerReference')} hint={t('desk.providerReferenceHint')}>
          {(id) => <input id={id} maxLength={100} autoComplete="off" value={reference} onChange={(e) => setReference(e.target.value)} data-testid="record-reference" />}
        </Field>
      </div>
      <FilePick label={t('desk.proof')} hint={t('desk.proofHint')} value={proof} testId="record-proof" onPick={(f) => { setProof(f); setInvalid(undefined); }} onInvalid={() => setInvalid(t('desk.proofInvalid'))} />
      {invalid && (
        <p className="text-error small" role="alert" data-testid="record-invalid">
          {invalid}
        </p>
      )}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="record-submit">
          {t('desk.recordSubmit')}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

function FailForm({ item, onDone, onCancel }: { item: QueueItem; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<'requeue' | 'refund'>('requeue');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, run } = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = reason.trim().length >= 5;
    setInvalid(!ok);
    if (!ok) return;
    await run(async () => {
      await api.post(`/staff/payouts/${encodeURIComponent(item.installmentId)}/fail`, { reason: reason.trim(), refund: outcome === 'refund' });
      onDone(outcome === 'refund' ? t('desk.failedRefunded', { amount: money(item.cny, lang) }) : t('desk.failedRequeued', { amount: money(item.cny, lang) }));
    });
  }
  return (
    <form className="form sub-form" onSubmit={submit} noValidate data-testid="fail-form">
      <h4 className="form-section-title">{t('desk.failTitle')}</h4>
      <Field label={t('desk.failReason')} hint={invalid ? <span className="text-error">{t('desk.reasonRequired')}</span> : t('desk.failReasonHint')}>
        {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="fail-reason" />}
      </Field>
      <Segmented
        legend={t('desk.failOutcome')}
        name={`fail-${item.installmentId}`}
        value={outcome}
        testId="fail-outcome"
        options={[
          { value: 'requeue', label: t('desk.failRequeue') },
          { value: 'refund', label: t('desk.failRefund') },
        ]}
        onChange={setOutcome}
      />
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" variant="danger" busy={busy} data-testid="fail-submit">
          {t('desk.failSubmit')}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

// ---- approvals (maker-checker) ------------------------------------------------------------------------

const PAYOUT_FILTERS: readonly (PayoutStatus | '')[] = ['awaiting_approval', 'paid', 'rejected', ''];

function ApprovalsTab({ ctx }: { ctx: PayoutsContext }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<PayoutStatus | ''>('awaiting_approval');
  const [notice, setNotice] = useState<string>();
  const list = useLoad(() => api.get<{ payouts: Payout[] }>('/staff/payouts', { status, limit: 100 }), [status, ctx.version]);
  const rows = list.data?.payouts ?? [];
  return (
    <Card
      title={t('approvals.title')}
      subtitle={t('approvals.body')}
      testId="approvals"
      actions={
        <label className="inline-label">
          <span>{t('common.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as PayoutStatus | '')} data-testid="approvals-filter">
            {PAYOUT_FILTERS.map((s) => (
              <option key={s || 'all'} value={s}>
                {s ? t(`pay.payoutStatus.${s}`) : t('common.all')}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {notice && (
        <Alert kind="success">
          <span data-testid="approvals-notice">{notice}</span>
        </Alert>
      )}
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        !list.error && <Empty>{status === 'awaiting_approval' ? t('approvals.none') : t('common.empty')}</Empty>
      ) : (
        <ul className="review-list" data-testid="approvals-list">
          {rows.map((p) => (
            <ApprovalItem
              key={p.id}
              payout={p}
              ctx={ctx}
              onDone={(m) => {
                setNotice(m);
                list.reload();
                ctx.changed();
              }}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApprovalItem({ payout: p, ctx, onDone }: { payout: Payout; ctx: PayoutsContext; onDone: (m: string) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const approve = useAction();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const reject = useAction();

  async function doReject(e: FormEvent) {
    e.preventDefault();
    const ok = reason.trim().length >= 5;
    setInvalid(!ok);
    if (!ok) return;
    await reject.run(async () => {
      await api.post(`/staff/payouts/records/${encodeURIComponent(p.id)}/reject`, { reason: reason.trim() });
      onDone(t('approvals.rejected', { amount: money(p.cny, lang) }));
    });
  }

  return (
    <li className="review-item" data-testid="approval-item" data-payout={p.id}>
      <div className="review-head">
        <div>
          <div className="review-amount">{money(p.cny, lang)}</div>
          <div className="muted small">
            {formatDateTime(p.createdAt)} ·{' '}
            <button type="button" className="linkish mono small" onClick={() => ctx.openOrder(p.orderId)}>
              {p.orderId}
            </button>
          </div>
        </div>
        <PayoutStatusBadge status={p.status} />
      </div>
      <dl className="facts">
        <dt>{t('desk.float')}</dt>
        <dd>{ctx.floatNames.get(p.floatAccountId) ?? p.floatAccountId}</dd>
        <dt>{t('desk.providerReference')}</dt>
        <dd className="mono">{p.providerReference}</dd>
        <dt>{t('approvals.recordedBy')}</dt>
        <dd>{p.recordedBy === ctx.me ? t('pay.actor.you') : <Mono>{p.recordedBy}</Mono>}</dd>
        {p.proofDocumentId && (
          <>
            <dt>{t('desk.proof')}</dt>
            <dd>
              <a href={proofHref(p.proofDocumentId)} target="_blank" rel="noreferrer" data-testid="approval-proof">
                {t('pay.downloadProof')}
              </a>
            </dd>
          </>
        )}
        {p.failureReason && (
          <>
            <dt>{t('approvals.reason')}</dt>
            <dd>{p.failureReason}</dd>
          </>
        )}
      </dl>
      {ctx.canApprove && p.status === 'awaiting_approval' && (
        <div className="form-actions start">
          <Button
            busy={approve.busy}
            onClick={() =>
              void approve.run(async () => {
                await api.post(`/staff/payouts/records/${encodeURIComponent(p.id)}/approve`);
                onDone(t('approvals.approved', { amount: money(p.cny, lang) }));
              })
            }
            data-testid="approval-approve"
          >
            {t('approvals.approve')}
          </Button>
          <Button variant="secondary" onClick={() => setRejecting(!rejecting)} data-testid="approval-reject-open">
            {t('approvals.reject')}
          </Button>
        </div>
      )}
      <ErrorAlert error={approve.error} />
      {rejecting && (
        <form className="form sub-form" onSubmit={doReject} noValidate>
          <Field label={t('approvals.rejectReason')} hint={invalid ? <span className="text-error">{t('desk.reasonRequired')}</span> : t('approvals.rejectHint')}>
            {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="approval-reject-reason" />}
          </Field>
          <ErrorAlert error={reject.error} />
          <div className="form-actions start">
            <Button type="submit" variant="danger" busy={reject.busy} data-testid="approval-reject">
              {t('approvals.rejectSubmit')}
            </Button>
            <Button variant="ghost" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}
