import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, DEPOSIT_STATUSES, type Deposit, type DepositCredit, type DepositList, type DepositStatus, type FundingSettings, type StaffBankAccount, type StatementFormatInfo } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { formatDecimal, minorToInput, money, parseAmount } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, PageHeader, Spinner, useAction, useLoad, type Loaded } from '../ui.tsx';
import { FundingReviewTab } from './FundingReview.tsx';
import { FundingStatementsTab } from './FundingStatements.tsx';
import { FundingWithdrawalsTab } from './FundingWithdrawals.tsx';
import { CustomerCell, DepositStatusBadge, useCustomerNames, useFormatDate, useScrollIntoView } from './fundingShared.tsx';

const TABS = ['statements', 'review', 'deposits', 'withdrawals', 'accounts'] as const;
type Tab = (typeof TABS)[number];

export interface FundingContext {
  /** Finance acts; admin, ops and compliance read. */
  canAct: boolean;
  isAdmin: boolean;
  banks: Loaded<{ bankAccounts: StaffBankAccount[] }>;
  formats: Loaded<{ formats: StatementFormatInfo[] }>;
  /** Bump to reload everything that shows balances. */
  version: number;
  changed(): void;
}

/** Staff console: bank statements, the review queue, deposits, withdrawals, bank accounts and settings. */
export function FundingPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'statements';
  const [version, setVersion] = useState(0);
  const banks = useLoad(() => api.get<{ bankAccounts: StaffBankAccount[] }>('/staff/funding/bank-accounts'), [version]);
  const formats = useLoad(() => api.get<{ formats: StatementFormatInfo[] }>('/staff/funding/formats'), []);
  const ctx: FundingContext = { canAct: user.role === 'finance', isAdmin: user.role === 'admin', banks, formats, version, changed: () => setVersion((v) => v + 1) };
  const labels: Record<Tab, string> = {
    statements: t('funding.tab.statements'),
    review: t('funding.tab.review'),
    deposits: t('funding.tab.deposits'),
    withdrawals: t('funding.tab.withdrawals'),
    accounts: t('funding.tab.accounts'),
  };

  return (
    <>
      <PageHeader title={t('funding.title')} subtitle={t('funding.subtitle')} />
      {!ctx.canAct && (
        <Alert kind="info">
          <span data-testid="funding-readonly-note">{ctx.isAdmin ? t('funding.adminNote') : t('funding.readOnlyNote')}</span>
        </Alert>
      )}
      <div className="tabs" role="tablist" data-testid="funding-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === 'statements' ? {} : { tab: k })} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'statements' && <FundingStatementsTab ctx={ctx} />}
      {tab === 'review' && <FundingReviewTab ctx={ctx} />}
      {tab === 'deposits' && <DepositsTab ctx={ctx} />}
      {tab === 'withdrawals' && <FundingWithdrawalsTab ctx={ctx} />}
      {tab === 'accounts' && <AccountsTab ctx={ctx} />}
    </>
  );
}

/** The company bank accounts as small tiles: number, format, ledger balance, last import. */
export function BankAccountTiles({ ctx }: { ctx: FundingContext }) {
  const { t, lang, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  const accounts = ctx.banks.data?.bankAccounts ?? [];
  return (
    <div className="bank-tiles" data-testid="bank-tiles">
      <ErrorAlert error={ctx.banks.error} />
      {ctx.banks.loading && !ctx.banks.data && <Spinner />}
      {accounts.map((b) => (
        <div key={b.id} className="bank-tile" data-testid={`bank-tile-${b.bankCode}`}>
          <div className="bank-tile-head">
            <span className="bank-code">{b.bankCode}</span>
            <span className="mono">{b.accountNumber}</span>
            {!b.acceptsDeposits && <Badge tone="neutral">{t('funding.noDeposits')}</Badge>}
          </div>
          <div className="bank-tile-balance" data-testid="bank-ledger-balance">
            {money(b.ledgerBalance, lang)}
          </div>
          <div className="muted small">
            {t('funding.ledgerBalance')} · {b.holderName}
          </div>
          <div className="muted small">
            {b.lastImport
              ? t('funding.lastImport', { at: formatDateTime(b.lastImport.at), to: formatDate(b.lastImport.periodTo) })
              : t('funding.noImportYet')}
          </div>
        </div>
      ))}
    </div>
  );
}

// ---- deposits --------------------------------------------------------------------------------------

const PAGE = 50;

function DepositsTab({ ctx }: { ctx: FundingContext }) {
  const { t, lang, formatDateTime } = useI18n();
  const [status, setStatus] = useState<DepositStatus | ''>('');
  const [extra, setExtra] = useState<DepositList>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const [openId, setOpenId] = useState<string | null>(null);
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<DepositList>('/staff/funding/deposits', { status, limit: PAGE });
  }, [status, ctx.version]);
  const deposits = [...(first.data?.deposits ?? []), ...(extra?.deposits ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const names = useCustomerNames(deposits.map((d) => d.customerId));

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<DepositList>('/staff/funding/deposits', { status, limit: PAGE, before: cursor });
      setExtra({ deposits: [...(extra?.deposits ?? []), ...next.deposits], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <>
      {openId && <StaffDepositDetail id={openId} names={names} onClose={() => setOpenId(null)} />}
      <Card
        title={t('funding.deposits.title')}
        subtitle={t('funding.deposits.body')}
        testId="staff-deposits"
        actions={
          <label className="inline-label">
            <span>{t('common.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as DepositStatus | '')} data-testid="deposit-status-filter">
              <option value="">{t('common.all')}</option>
              {DEPOSIT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`deposit.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <ErrorAlert error={first.error} />
        {first.loading && !first.data ? (
          <Spinner />
        ) : deposits.length === 0 ? (
          !first.error && <Empty>{t('deposit.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table table-click" data-testid="staff-deposits-table">
              <thead>
                <tr>
                  <th>{t('common.createdAt')}</th>
                  <th>{t('funding.customer')}</th>
                  <th>{t('deposit.referenceCode')}</th>
                  <th className="right">{t('deposit.amountDue')}</th>
                  <th className="right">{t('deposit.received')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('deposit.deadline')}</th>
                </tr>
              </thead>
              <tbody>
                {deposits.map((d) => (
                  <tr key={d.id} data-deposit={d.id} onClick={() => setOpenId(d.id)} className={d.id === openId ? 'row-selected' : undefined}>
                    <td data-label={t('common.createdAt')}>{formatDateTime(d.createdAt)}</td>
                    <td data-label={t('funding.customer')}>
                      <CustomerCell id={d.customerId} names={names} />
                    </td>
                    <td data-label={t('deposit.referenceCode')}>
                      <div className="cell">
                        <span className="mono">{d.referenceCode}</span>
                        <div className="muted small">
                          {d.bank.bankCode} {d.bank.accountNumber}
                        </div>
                      </div>
                    </td>
                    <td data-label={t('deposit.amountDue')} className="right strong nowrap">
                      {money(d.amountDue, lang)}
                    </td>
                    <td data-label={t('deposit.received')} className="right nowrap">
                      {money(d.received, lang)}
                    </td>
                    <td data-label={t('common.status')}>
                      <div className="cell status-cell">
                        <DepositStatusBadge status={d.status} />
                        {d.status === 'partially_paid' && <div className="muted small">{t('deposit.outstandingShort', { amount: money(d.outstanding, lang) })}</div>}
                      </div>
                    </td>
                    <td data-label={t('deposit.deadline')}>{d.status === 'paid' ? t('deposit.paidAt', { at: formatDateTime(d.paidAt) }) : formatDateTime(d.expiresAt)}</td>
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

function StaffDepositDetail({ id, names, onClose }: { id: string; names: Map<string, string>; onClose: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const loaded = useLoad(() => api.get<{ deposit: Deposit; credits: DepositCredit[] }>(`/staff/funding/deposits/${encodeURIComponent(id)}`), [id]);
  const d = loaded.data?.deposit;
  const anchor = useScrollIntoView<HTMLDivElement>();
  return (
    <div ref={anchor} className="scroll-anchor">
      <Card
        title={d ? t('deposit.detailTitle', { code: d.referenceCode }) : t('deposit.detail')}
        subtitle={<Mono>{id}</Mono>}
        actions={
          <Button variant="ghost" small onClick={onClose}>
            {t('common.close')}
          </Button>
        }
        testId="staff-deposit-detail"
      >
        <ErrorAlert error={loaded.error} />
        {!d ? (
          <Spinner />
        ) : (
          <div className="grid-2 detail-grid">
            <dl className="facts">
              <dt>{t('funding.customer')}</dt>
              <dd>
                <CustomerCell id={d.customerId} names={names} />
              </dd>
              <dt>{t('common.status')}</dt>
              <dd>
                <DepositStatusBadge status={d.status} />
              </dd>
              <dt>{t('deposit.bank')}</dt>
              <dd>
                {d.bank.bankCode} <span className="mono">{d.bank.accountNumber}</span>
              </dd>
              <dt>{t('deposit.requested')}</dt>
              <dd>{money(d.requested, lang)}</dd>
              <dt>{t('deposit.uniqueCode')}</dt>
              <dd>{money(d.uniqueCode, lang)}</dd>
              <dt>{t('deposit.amountDue')}</dt>
              <dd className="strong">{money(d.amountDue, lang)}</dd>
              <dt>{t('deposit.received')}</dt>
              <dd>{money(d.received, lang)}</dd>
              <dt>{t('deposit.outstanding')}</dt>
              <dd>{money(d.outstanding, lang)}</dd>
              {d.overpaid.amount !== '0' && (
                <>
                  <dt>{t('deposit.overpaid')}</dt>
                  <dd>{money(d.overpaid, lang)}</dd>
                </>
              )}
              <dt>{t('deposit.deadline')}</dt>
              <dd>{formatDateTime(d.expiresAt)}</dd>
              {d.paidAt && (
                <>
                  <dt>{t('deposit.paidAtLabel')}</dt>
                  <dd>{formatDateTime(d.paidAt)}</dd>
                </>
              )}
            </dl>
            <div>
              <h3 className="section-title">{t('deposit.credits')}</h3>
              {(loaded.data?.credits ?? []).length === 0 ? (
                <p className="muted small">{t('deposit.noCredits')}</p>
              ) : (
                <ul className="fact-list">
                  {loaded.data!.credits.map((c) => (
                    <li key={c.id}>
                      <span>
                        {t(`deposit.source.${c.source.type}`)} · {formatDateTime(c.at)} {c.late && <Badge tone="amber">{t('deposit.late')}</Badge>}
                        <div className="muted small mono">{c.source.id}</div>
                      </span>
                      <strong>{money(c.amount, lang)}</strong>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}
      </Card>
    </div>
  );
}

// ---- bank accounts and settings -----------------------------------------------------------------

function AccountsTab({ ctx }: { ctx: FundingContext }) {
  const { t } = useI18n();
  const accounts = ctx.banks.data?.bankAccounts ?? [];
  const unconfigured = useLoad(
    () =>
      ctx.isAdmin
        ? api.get<{ accounts: { id: string; code: string; name: string; currency: string }[] }>('/staff/ledger/accounts', { owner: 'company', code: 'bank:' }).then((r) => r.accounts)
        : Promise.resolve([]),
    [ctx.isAdmin, ctx.version],
  );
  const configuredIds = new Set(accounts.map((a) => a.id));
  const bare = (unconfigured.data ?? []).filter((a) => a.currency === 'IDR' && !configuredIds.has(a.id));
  return (
    <>
      <BankAccountTiles ctx={ctx} />
      <Card title={t('funding.accounts.title')} subtitle={ctx.isAdmin ? t('funding.accounts.bodyAdmin') : t('funding.accounts.body')} testId="bank-accounts">
        {accounts.length === 0 && !ctx.banks.loading && <Empty>{t('common.empty')}</Empty>}
        <div className="bank-forms">
          {accounts.map((b) => (ctx.isAdmin ? <BankAccountForm key={b.id} ctx={ctx} id={b.id} title={b.name} initial={b} /> : <BankAccountFacts key={b.id} account={b} ctx={ctx} />))}
          {ctx.isAdmin && bare.map((a) => <BankAccountForm key={a.id} ctx={ctx} id={a.id} title={a.name} initial={null} />)}
        </div>
        <ErrorAlert error={unconfigured.error} />
      </Card>
      <SettingsCard ctx={ctx} />
    </>
  );
}

function BankAccountFacts({ account, ctx }: { account: StaffBankAccount; ctx: FundingContext }) {
  const { t } = useI18n();
  const format = ctx.formats.data?.formats.find((f) => f.id === account.statementFormat);
  return (
    <div className="bank-form">
      <h3>{account.name}</h3>
      <dl className="facts">
        <dt>{t('funding.accounts.bankCode')}</dt>
        <dd>{account.bankCode}</dd>
        <dt>{t('deposit.accountNumber')}</dt>
        <dd className="mono">{account.accountNumber}</dd>
        <dt>{t('deposit.holder')}</dt>
        <dd>{account.holderName}</dd>
        <dt>{t('funding.format')}</dt>
        <dd>{format?.label ?? account.statementFormat}</dd>
        <dt>{t('funding.accounts.acceptsDeposits')}</dt>
        <dd>{account.acceptsDeposits ? t('common.yes') : t('common.no')}</dd>
      </dl>
    </div>
  );
}

function BankAccountForm({ ctx, id, title, initial }: { ctx: FundingContext; id: string; title: string; initial: StaffBankAccount | null }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    bankCode: initial?.bankCode ?? '',
    accountNumber: initial?.accountNumber ?? '',
    holderName: initial?.holderName ?? '',
    statementFormat: initial?.statementFormat ?? 'generic-csv',
    acceptsDeposits: initial?.acceptsDeposits ?? true,
  });
  const { busy, error, notice, setNotice, run } = useAction();
  const set = (k: 'bankCode' | 'accountNumber' | 'holderName' | 'statementFormat') => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await api.put(`/staff/funding/bank-accounts/${encodeURIComponent(id)}`, { ...form, bankCode: form.bankCode.trim(), accountNumber: form.accountNumber.trim(), holderName: form.holderName.trim() });
      setNotice(t('common.saved'));
      ctx.changed();
    });
  }

  return (
    <form className="form bank-form" onSubmit={submit} data-testid={`bank-form-${id}`}>
      <h3>
        {title} {!initial && <Badge tone="amber">{t('funding.accounts.notConfigured')}</Badge>}
      </h3>
      <div className="form-grid form-grid-2">
        <Field label={t('funding.accounts.bankCode')} hint={t('funding.accounts.bankCodeHint')}>
          {(fid) => <input id={fid} value={form.bankCode} maxLength={20} onChange={set('bankCode')} />}
        </Field>
        <Field label={t('deposit.accountNumber')}>
          {(fid) => <input id={fid} inputMode="numeric" value={form.accountNumber} maxLength={30} onChange={set('accountNumber')} />}
        </Field>
        <Field label={t('deposit.holder')}>
          {(fid) => <input id={fid} value={form.holderName} maxLength={120} onChange={set('holderName')} />}
        </Field>
        <Field label={t('funding.format')}>
          {(fid) => (
            <select id={fid} value={form.statementFormat} onChange={set('statementFormat')}>
              {(ctx.formats.data?.formats ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.acceptsDeposits} onChange={(e) => setForm((f) => ({ ...f, acceptsDeposits: e.target.checked }))} />
        <span>{t('funding.accounts.acceptsDepositsLong')}</span>
      </label>
      {notice && <Alert kind="success">{notice}</Alert>}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" small busy={busy}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}

function SettingsCard({ ctx }: { ctx: FundingContext }) {
  const { t, lang } = useI18n();
  const settings = useLoad(() => api.get<{ settings: FundingSettings }>('/staff/funding/settings'), [ctx.version]);
  const s = settings.data?.settings;
  if (!s) {
    return (
      <Card title={t('funding.settings.title')}>
        {settings.loading ? <Spinner /> : <ErrorAlert error={settings.error} />}
      </Card>
    );
  }
  if (ctx.isAdmin) return <SettingsForm settings={s} onSaved={settings.reload} />;
  return (
    <Card title={t('funding.settings.title')} subtitle={t('funding.settings.body')} testId="funding-settings">
      <dl className="facts">
        <dt>{t('funding.settings.expiry')}</dt>
        <dd>{t('funding.hours', { n: s.depositExpiryHours })}</dd>
        <dt>{t('funding.settings.lateDays')}</dt>
        <dd>{t('funding.days', { n: s.lateMatchDays })}</dd>
        <dt>{t('funding.settings.threshold')}</dt>
        <dd data-testid="funding-threshold">{money(s.assignmentApprovalThreshold, lang)}</dd>
        <dt>{t('funding.settings.callbackAge')}</dt>
        <dd>{t('funding.hours', { n: s.gatewayCallbackMaxAgeHours })}</dd>
      </dl>
    </Card>
  );
}

function SettingsForm({ settings, onSaved }: { settings: FundingSettings; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({
    depositExpiryHours: String(settings.depositExpiryHours),
    lateMatchDays: String(settings.lateMatchDays),
    threshold: formatDecimal(minorToInput(settings.assignmentApprovalThreshold.amount), lang),
    gatewayCallbackMaxAgeHours: String(settings.gatewayCallbackMaxAgeHours),
  });
  const [invalid, setInvalid] = useState(false);
  const { busy, error, notice, setNotice, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const expiry = Number(form.depositExpiryHours);
    const late = Number(form.lateMatchDays);
    const age = Number(form.gatewayCallbackMaxAgeHours);
    const threshold = parseAmount(form.threshold, 2);
    if (!Number.isInteger(expiry) || !Number.isInteger(late) || !Number.isInteger(age) || !threshold) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const body: Record<string, unknown> = {};
    if (expiry !== settings.depositExpiryHours) body.depositExpiryHours = expiry;
    if (late !== settings.lateMatchDays) body.lateMatchDays = late;
    if (age !== settings.gatewayCallbackMaxAgeHours) body.gatewayCallbackMaxAgeHours = age;
    if (threshold !== settings.assignmentApprovalThreshold.amount) body.assignmentApprovalThreshold = { amount: threshold, currency: 'IDR' };
    if (Object.keys(body).length === 0) {
      setNotice(t('rates.settings.unchanged'));
      return;
    }
    await run(async () => {
      await api.patch('/staff/funding/settings', body);
      setNotice(t('common.saved'));
      onSaved();
    });
  }

  return (
    <Card title={t('funding.settings.title')} subtitle={t('funding.settings.body')} testId="funding-settings-form">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <Field label={t('funding.settings.expiry')} hint={t('funding.settings.expiryHint')}>
            {(id) => <input id={id} type="number" min={1} max={336} value={form.depositExpiryHours} onChange={set('depositExpiryHours')} />}
          </Field>
          <Field label={t('funding.settings.lateDays')} hint={t('funding.settings.lateDaysHint')}>
            {(id) => <input id={id} type="number" min={0} max={90} value={form.lateMatchDays} onChange={set('lateMatchDays')} />}
          </Field>
          <Field label={t('funding.settings.threshold')} hint={t('funding.settings.thresholdHint')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" value={form.threshold} onChange={set('threshold')} data-testid="funding-threshold-input" />
              </div>
            )}
          </Field>
          <Field label={t('funding.settings.callbackAge')} hint={t('funding.settings.callbackAgeHint')}>
            {(id) => <input id={id} type="number" min={1} max={720} value={form.gatewayCallbackMaxAgeHours} onChange={set('gatewayCallbackMaxAgeHours')} />}
          </Field>
        </div>
        {invalid && <Alert kind="error">{t('rates.settings.invalid')}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="funding-settings-save">
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
