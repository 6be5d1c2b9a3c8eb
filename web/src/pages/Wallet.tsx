import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Deposit, type DepositCredit, type DepositList, type PublicBankAccount, type Wallet, type WalletStatement, type WalletStatementLine, type Withdrawal, type WithdrawalList } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { isNegative, money, parseAmount, type MoneyJson } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, ConfirmButton, CopyButton, Empty, ErrorAlert, Field, Mono, PageHeader, Spinner, useAction, useLoad, type Loaded } from '../ui.tsx';
import { AmountDue, Countdown, DepositStatusBadge, Figure, rupiahDigits, useIdempotency, useScrollIntoView, WithdrawalStatusBadge } from './fundingShared.tsx';

const TABS = ['statement', 'topup', 'withdraw'] as const;
type Tab = (typeof TABS)[number];
const PAGE = 20;
const ZERO: MoneyJson = { amount: '0', currency: 'IDR' };
/** Largest single deposit the server takes: Rp 10 miliar, in sen. */
const MAX_DEPOSIT_MINOR = 1_000_000_000_000n;

/** The importer's rupiah wallet: balance, statement, top-ups (deposits) and withdrawals. */
export function WalletPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'statement';
  const [version, setVersion] = useState(0);
  const wallet = useLoad(() => api.get<{ wallets: Wallet[] }>('/wallet'), [version]);
  const idr = wallet.data?.wallets.find((w) => w.currency === 'IDR');
  const changed = () => setVersion((v) => v + 1);
  const go = (next: Tab, extra: Record<string, string> = {}) => setParams(next === 'statement' ? extra : { tab: next, ...extra }, { replace: false });
  const labels: Record<Tab, string> = { statement: t('wallet.tab.statement'), topup: t('wallet.tab.topup'), withdraw: t('wallet.tab.withdraw') };

  return (
    <>
      <PageHeader
        title={t('wallet.title')}
        subtitle={t('wallet.subtitle')}
        actions={
          <>
            <Button small onClick={() => go('topup')} data-testid="wallet-topup-action">
              <Icon name="funding" size={15} /> {t('wallet.topup')}
            </Button>
            <Button small variant="secondary" onClick={() => go('withdraw')} data-testid="wallet-withdraw-action">
              {t('wallet.withdraw')}
            </Button>
          </>
        }
      />
      <BalanceCard wallet={idr} loading={wallet.loading && !wallet.data} error={wallet.error} />
      <div className="tabs" role="tablist" data-testid="wallet-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => go(k)} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'statement' && <StatementCard version={version} />}
      {tab === 'topup' && <TopUpTab version={version} onChanged={changed} />}
      {tab === 'withdraw' && <WithdrawTab available={idr?.balance.available ?? ZERO} version={version} onChanged={changed} />}
    </>
  );
}

// ---- balance --------------------------------------------------------------------------------------

function BalanceCard({ wallet, loading, error }: { wallet: Wallet | undefined; loading: boolean; error: unknown }) {
  const { t, lang, formatDateTime } = useI18n();
  const b = wallet?.balance;
  return (
    <Card title={t('wallet.balance')} testId="wallet-balance">
      <ErrorAlert error={error} />
      {loading ? (
        <Spinner />
      ) : (
        <>
          <div className="figures-3">
            <Figure label={t('wallet.available')} main testId="wallet-available" hint={t('wallet.availableHint')}>
              {money(b?.available ?? ZERO, lang)}
            </Figure>
            <Figure label={t('wallet.posted')} testId="wallet-posted" hint={t('wallet.postedHint')}>
              {money(b?.posted ?? ZERO, lang)}
            </Figure>
            <Figure label={t('wallet.held')} testId="wallet-held" hint={t('wallet.heldHint')}>
              {money(b?.pendingOut ?? ZERO, lang)}
            </Figure>
          </div>
          {wallet && wallet.holds.length > 0 && (
            <ul className="fact-list holds" data-testid="wallet-holds">
              {wallet.holds.map((h) => (
                <li key={h.holdId}>
                  <span>
                    {h.reason === 'withdrawal' ? t('wallet.holdWithdrawal') : h.reason === 'payment_order' ? t('wallet.holdPaymentOrder') : h.reason === 'cargo_estimate' ? t('wallet.holdCargo') : h.reason}
                    {h.reference?.id && <span className="muted small mono"> · {h.reference.id}</span>}
                    <span className="muted small"> · {formatDateTime(h.createdAt)}</span>
                  </span>
                  <strong>{money(h.amount, lang)}</strong>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}

// ---- statement -----------------------------------------------------------------------------------

export function statementReason(reason: string, t: (k: MessageKey) => string): string {
  const known: Record<string, MessageKey> = {
    deposit: 'wallet.reason.deposit',
    suspense_assigned: 'wallet.reason.suspense_assigned',
    withdrawal: 'wallet.reason.withdrawal',
    deposit_returned: 'wallet.reason.deposit_returned',
    payout: 'wallet.reason.payout',
    cargo_invoice: 'wallet.reason.cargo_invoice',
    cargo_insurance_claim: 'wallet.reason.cargo_insurance_claim',
    storage_fee: 'wallet.reason.storage_fee',
  };
  const key = known[reason];
  return key ? t(key) : reason;
}

function StatementCard({ version }: { version: number }) {
  const { t, lang, formatDateTime } = useI18n();
  const [extra, setExtra] = useState<WalletStatement>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<WalletStatement>('/wallet/statement', { currency: 'IDR', limit: PAGE });
  }, [version]);
  const lines: WalletStatementLine[] = [...(first.data?.lines ?? []), ...(extra?.lines ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<WalletStatement>('/wallet/statement', { currency: 'IDR', limit: PAGE, before: cursor });
      setExtra({ lines: [...(extra?.lines ?? []), ...next.lines], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <Card title={t('wallet.statement')} subtitle={t('wallet.statementBody')} testId="wallet-statement">
      <ErrorAlert error={first.error} />
      {first.loading && !first.data ? (
        <Spinner />
      ) : lines.length === 0 ? (
        !first.error && <Empty>{t('wallet.statementEmpty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="statement-table">
            <thead>
              <tr>
                <th>{t('wallet.col.date')}</th>
                <th>{t('wallet.col.description')}</th>
                <th className="right">{t('wallet.col.amount')}</th>
                <th className="right">{t('wallet.col.balance')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.postingId} data-testid="statement-row">
                  <td data-label={t('wallet.col.date')} className="nowrap">
                    {formatDateTime(l.at)}
                  </td>
                  <td data-label={t('wallet.col.description')}>
                    <div className="cell">
                      <div className="strong">{statementReason(l.reason, t)}</div>
                      {l.description && <div className="muted small">{l.description}</div>}
                    </div>
                  </td>
                  <td data-label={t('wallet.col.amount')} className={`right nowrap strong ${isNegative(l.amount.amount) ? 'amount-out' : 'amount-in'}`} data-testid="statement-amount">
                    {isNegative(l.amount.amount) ? '' : '+'}
                    {money(l.amount, lang)}
                  </td>
                  <td data-label={t('wallet.col.balance')} className="right nowrap" data-testid="statement-balance">
                    {money(l.balance, lang)}
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
          <Button variant="secondary" busy={moreBusy} onClick={() => void loadMore()} data-testid="statement-more">
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Card>
  );
}

// ---- top-up (deposits) ----------------------------------------------------------------------------

const QUICK_AMOUNTS = ['500000000', '1000000000', '2500000000', '5000000000'];

function TopUpTab({ version, onChanged }: { version: number; onChanged: () => void }) {
  const [params, setParams] = useSearchParams();
  const selected = params.get('deposit');
  const [created, setCreated] = useState<Deposit>();
  const open = (id: string | null) => setParams(id ? { tab: 'topup', deposit: id } : { tab: 'topup' });
  return (
    <>
      {selected ? (
        <DepositDetail
          key={selected}
          id={selected}
          initial={created?.id === selected ? created : undefined}
          version={version}
          onClose={() => open(null)}
          onChanged={onChanged}
        />
      ) : (
        <TopUpForm
          onCreated={(d) => {
            setCreated(d);
            onChanged();
            open(d.id);
          }}
        />
      )}
      <DepositsList version={version} selected={selected} onOpen={open} onChanged={onChanged} />
    </>
  );
}

function TopUpForm({ onCreated }: { onCreated: (d: Deposit) => void }) {
  const { t, lang } = useI18n();
  const banks = useLoad(() => api.get<{ bankAccounts: PublicBankAccount[] }>('/funding/bank-accounts'), []);
  const [amount, setAmount] = useState('');
  const [bankId, setBankId] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const accounts = banks.data?.bankAccounts ?? [];
  const chosen = bankId || accounts[0]?.id || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(amount, 2);
    if (!minor || BigInt(minor) <= 0n) return setInvalid(t('wallet.topupInvalid'));
    if (BigInt(minor) % 100n !== 0n) return setInvalid(t('wallet.wholeRupiah'));
    if (BigInt(minor) > MAX_DEPOSIT_MINOR) return setInvalid(t('wallet.topupTooLarge'));
    setInvalid(undefined);
    await run(async () => {
      const body = { amount: { amount: minor, currency: 'IDR' }, ...(chosen ? { bankAccountId: chosen } : {}) };
      const res = await idempotent((key) => api.post<{ deposit: Deposit }>('/deposits', body, { idempotencyKey: key }));
      setAmount('');
      onCreated(res.deposit);
    });
  }

  return (
    <Card title={t('wallet.topupTitle')} subtitle={t('wallet.topupBody')} testId="topup-card">
      <form className="form" onSubmit={submit} noValidate data-testid="topup-form">
        <div className="form-grid form-grid-2">
          <Field label={t('wallet.topupAmount')} hint={invalid ? <span className="text-error">{invalid}</span> : t('wallet.topupAmountHint')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" autoComplete="off" placeholder="10.000.000" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={invalid ? true : undefined} data-testid="topup-amount" />
              </div>
            )}
          </Field>
          <Field label={t('wallet.topupBank')} hint={t('wallet.topupBankHint')}>
            {(id) =>
              banks.loading && !banks.data ? (
                <Spinner />
              ) : (
                <select id={id} value={chosen} onChange={(e) => setBankId(e.target.value)} data-testid="topup-bank">
                  {accounts.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.bankCode} · {b.accountNumber} · {b.holderName}
                    </option>
                  ))}
                </select>
              )
            }
          </Field>
        </div>
        <div className="quick-amounts" aria-label={t('wallet.quickAmounts')}>
          {QUICK_AMOUNTS.map((q) => (
            <button key={q} type="button" className="chip-button" onClick={() => setAmount(rupiahDigits({ amount: q, currency: 'IDR' }))}>
              {money({ amount: q, currency: 'IDR' }, lang)}
            </button>
          ))}
        </div>
        <ErrorAlert error={banks.error} />
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} disabled={!banks.data || accounts.length === 0} data-testid="topup-submit">
            {t('wallet.topupSubmit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** Where and how much to transfer: the unique amount, the reference for the transfer news, the deadline. */
export function DepositInstructions({ deposit }: { deposit: Deposit }) {
  const { t, lang, formatDateTime } = useI18n();
  const partial = deposit.status === 'partially_paid';
  const va = deposit.virtualAccount;
  const toPay = partial ? deposit.outstanding : deposit.amountDue;
  return (
    <div className="instructions" data-testid="deposit-instructions">
      <div className="instructions-amount">
        <span className="quote-total-label">{partial ? t('deposit.payRest') : t('deposit.payExactly')}</span>
        <div className="instructions-amount-row">
          <span className="quote-total-amount">{partial || va ? <span data-testid="deposit-amount">{money(toPay, lang)}</span> : <AmountDue amount={toPay} testId="deposit-amount" />}</span>
          <CopyButton text={rupiahDigits(toPay)} testId="copy-amount" ariaLabel={t('deposit.copyAmount')} />
        </div>
        {!va && !partial && (
          <p className="instructions-why" data-testid="deposit-why">
            <Icon name="alert" size={15} /> {t('deposit.why', { code: money(deposit.uniqueCode, lang) })}
          </p>
        )}
        {partial && <p className="instructions-why">{t('deposit.partialWhy', { received: money(deposit.received, lang), due: money(deposit.amountDue, lang) })}</p>}
      </div>
      <dl className="facts instructions-facts">
        {va ? (
          <>
            <dt>{t('deposit.vaBank')}</dt>
            <dd className="strong">{va.bankCode ?? '—'}</dd>
            <dt>{t('deposit.vaNumber')}</dt>
            <dd className="copy-row">
              <Mono>{va.number}</Mono>
              <CopyButton text={va.number} testId="copy-account" ariaLabel={t('deposit.copyAccount')} />
            </dd>
          </>
        ) : (
          <>
            <dt>{t('deposit.bank')}</dt>
            <dd className="strong" data-testid="deposit-bank">
              {deposit.bank.bankCode}
            </dd>
            <dt>{t('deposit.accountNumber')}</dt>
            <dd className="copy-row">
              <span className="mono big-mono" data-testid="deposit-account">
                {deposit.bank.accountNumber}
              </span>
              <CopyButton text={deposit.bank.accountNumber} testId="copy-account" ariaLabel={t('deposit.copyAccount')} />
            </dd>
            <dt>{t('deposit.holder')}</dt>
            <dd data-testid="deposit-holder">{deposit.bank.holderName}</dd>
          </>
        )}
        <dt>{t('deposit.referenceCode')}</dt>
        <dd className="copy-row">
          <span className="mono big-mono" data-testid="deposit-reference">
            {deposit.referenceCode}
          </span>
          <CopyButton text={deposit.referenceCode} testId="copy-reference" ariaLabel={t('deposit.copyReference')} />
        </dd>
        <dd className="facts-note muted small">{t('deposit.referenceHint')}</dd>
        <dt>{t('deposit.deadline')}</dt>
        <dd>
          <span data-testid="deposit-deadline">{formatDateTime(deposit.expiresAt)}</span> <Countdown until={deposit.expiresAt} testId="deposit-countdown" />
        </dd>
      </dl>
    </div>
  );
}

function DepositDetail({ id, initial, version, onClose, onChanged }: { id: string; initial: Deposit | undefined; version: number; onClose: () => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const loaded = useLoad(() => api.get<{ deposit: Deposit; credits: DepositCredit[] }>(`/deposits/${encodeURIComponent(id)}`), [id, version]);
  const cancel = useAction();
  const ref = useScrollIntoView<HTMLDivElement>();
  const d = loaded.data?.deposit ?? initial;
  const credits = loaded.data?.credits ?? [];
  const payable = d && (d.status === 'open' || d.status === 'partially_paid');

  return (
    <div ref={ref} className="scroll-anchor">
      <Card
        title={d ? t('deposit.detailTitle', { code: d.referenceCode }) : t('deposit.detail')}
        subtitle={d ? <Mono>{d.id}</Mono> : undefined}
        actions={
          <Button variant="ghost" small onClick={onClose} data-testid="deposit-close">
            {t('common.close')}
          </Button>
        }
        testId="deposit-detail"
        className="deposit-detail"
      >
        <ErrorAlert error={loaded.error} />
        {!d ? (
          <Spinner />
        ) : (
          <>
            <div className="detail-status">
              <DepositStatusBadge status={d.status} />
              {d.status === 'paid' && d.paidAt && <span className="muted small">{t('deposit.paidAt', { at: formatDateTime(d.paidAt) })}</span>}
              {d.status === 'expired' && <span className="muted small">{t('deposit.expiredNote')}</span>}
            </div>
            {payable && <DepositInstructions deposit={d} />}
            <dl className="facts detail-facts" data-testid="deposit-facts">
              <dt>{t('deposit.requested')}</dt>
              <dd>{money(d.requested, lang)}</dd>
              {d.uniqueCode.amount !== '0' && (
                <>
                  <dt>{t('deposit.uniqueCode')}</dt>
                  <dd>{money(d.uniqueCode, lang)}</dd>
                </>
              )}
              <dt>{t('deposit.amountDue')}</dt>
              <dd className="strong" data-testid="deposit-fact-due">
                {money(d.amountDue, lang)}
              </dd>
              <dt>{t('deposit.received')}</dt>
              <dd data-testid="deposit-fact-received">{money(d.received, lang)}</dd>
              {d.status === 'partially_paid' && (
                <>
                  <dt>{t('deposit.outstanding')}</dt>
                  <dd data-testid="deposit-fact-outstanding">{money(d.outstanding, lang)}</dd>
                </>
              )}
              {d.overpaid.amount !== '0' && (
                <>
                  <dt>{t('deposit.overpaid')}</dt>
                  <dd>{money(d.overpaid, lang)}</dd>
                </>
              )}
              <dt>{t('common.createdAt')}</dt>
              <dd>{formatDateTime(d.createdAt)}</dd>
            </dl>
            <h3 className="section-title">{t('deposit.credits')}</h3>
            {credits.length === 0 ? (
              <p className="muted small">{t('deposit.noCredits')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="deposit-credits">
                  <thead>
                    <tr>
                      <th>{t('wallet.col.date')}</th>
                      <th>{t('deposit.creditSource')}</th>
                      <th className="right">{t('wallet.col.amount')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {credits.map((c) => (
                      <tr key={c.id}>
                        <td data-label={t('wallet.col.date')}>{formatDateTime(c.at)}</td>
                        <td data-label={t('deposit.creditSource')}>
                          {t(`deposit.source.${c.source.type}`)} {c.late && <Badge tone="amber">{t('deposit.late')}</Badge>}
                        </td>
                        <td data-label={t('wallet.col.amount')} className="right strong">
                          {money(c.amount, lang)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <ErrorAlert error={cancel.error} />
            {d.status === 'open' && (
              <div className="form-actions start detail-actions">
                <ConfirmButton
                  busy={cancel.busy}
                  onConfirm={() =>
                    void cancel.run(async () => {
                      await api.post(`/deposits/${encodeURIComponent(d.id)}/cancel`);
                      onChanged();
                    })
                  }
                >
                  <span data-testid="deposit-cancel">{t('deposit.cancel')}</span>
                </ConfirmButton>
              </div>
            )}
          </>
        )}
      </Card>
    </div>
  );
}

function DepositsList({ version, selected, onOpen, onChanged }: { version: number; selected: string | null; onOpen: (id: string) => void; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [extra, setExtra] = useState<DepositList>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const cancel = useAction();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<DepositList>('/deposits', { limit: PAGE });
  }, [version]);
  const deposits = [...(first.data?.deposits ?? []), ...(extra?.deposits ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<DepositList>('/deposits', { limit: PAGE, before: cursor });
      setExtra({ deposits: [...(extra?.deposits ?? []), ...next.deposits], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  return (
    <Card title={t('deposit.listTitle')} subtitle={t('deposit.listBody')} testId="deposits-card">
      <ErrorAlert error={first.error} />
      <ErrorAlert error={cancel.error} />
      {first.loading && !first.data ? (
        <Spinner />
      ) : deposits.length === 0 ? (
        !first.error && <Empty>{t('deposit.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="deposits-table">
            <thead>
              <tr>
                <th>{t('common.createdAt')}</th>
                <th>{t('deposit.referenceCode')}</th>
                <th className="right">{t('deposit.amountDue')}</th>
                <th>{t('common.status')}</th>
                <th>{t('deposit.deadline')}</th>
                <th>
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deposits.map((d) => (
                <tr key={d.id} data-deposit={d.id} className={d.id === selected ? 'row-selected' : undefined}>
                  <td data-label={t('common.createdAt')}>{formatDateTime(d.createdAt)}</td>
                  <td data-label={t('deposit.referenceCode')}>
                    <span className="mono">{d.referenceCode}</span>
                  </td>
                  <td data-label={t('deposit.amountDue')} className="right strong nowrap">
                    {money(d.amountDue, lang)}
                  </td>
                  <td data-label={t('common.status')}>
                    <div className="cell status-cell">
                      <DepositStatusBadge status={d.status} />
                      {d.status === 'partially_paid' && <div className="muted small">{t('deposit.outstandingShort', { amount: money(d.outstanding, lang) })}</div>}
                    </div>
                  </td>
                  <td data-label={t('deposit.deadline')}>{d.status === 'paid' ? t('deposit.paidAt', { at: formatDateTime(d.paidAt) }) : formatDateTime(d.expiresAt)}</td>
                  <td className="actions">
                    <Button variant="secondary" small onClick={() => onOpen(d.id)} data-testid="deposit-open">
                      {t('common.details')}
                    </Button>
                    {d.status === 'open' && (
                      <ConfirmButton
                        busy={cancel.busy}
                        onConfirm={() =>
                          void cancel.run(async () => {
                            await api.post(`/deposits/${encodeURIComponent(d.id)}/cancel`);
                            onChanged();
                          })
                        }
                      >
                        {t('deposit.cancel')}
                      </ConfirmButton>
                    )}
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

// ---- withdrawals ------------------------------------------------------------------------------------

const BANKS = ['BCA', 'Mandiri', 'BNI', 'BRI', 'BSI', 'CIMB Niaga', 'Permata', 'Danamon', 'BTN', 'OCBC', 'Panin', 'Maybank'];

function WithdrawTab({ available, version, onChanged }: { available: MoneyJson; version: number; onChanged: () => void }) {
  const list = useLoad(() => api.get<WithdrawalList>('/withdrawals', { limit: 50 }), [version]);
  return (
    <>
      <WithdrawForm available={available} last={list.data?.withdrawals[0]?.destination} onRequested={onChanged} />
      <WithdrawalsList list={list} onChanged={onChanged} />
    </>
  );
}

function WithdrawForm({ available, last, onRequested }: { available: MoneyJson; last: Withdrawal['destination'] | undefined; onRequested: () => void }) {
  const { t, lang } = useI18n();
  const session = useSignedIn();
  const [form, setForm] = useState({ amount: '', bankName: '', accountNumber: '', holderName: session.customer?.name ?? '' });
  // The account used last time, once, while the destination fields are still empty.
  const prefilled = useRef(false);
  useEffect(() => {
    if (!last || prefilled.current) return;
    prefilled.current = true;
    setForm((f) => (f.bankName || f.accountNumber ? f : { ...f, bankName: last.bankName, accountNumber: last.accountNumber, holderName: last.holderName }));
  }, [last]);
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const idempotent = useIdempotency();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(form.amount, 2);
    const account = form.accountNumber.replace(/[\s.-]/g, '');
    let problem: string | undefined;
    if (!minor || BigInt(minor) <= 0n) problem = t('wallet.topupInvalid');
    else if (BigInt(minor) % 100n !== 0n) problem = t('wallet.wholeRupiah');
    else if (BigInt(minor) > BigInt(available.amount)) problem = t('withdrawal.moreThanAvailable', { amount: money(available, lang) });
    else if (form.bankName.trim().length < 2) problem = t('withdrawal.bankRequired');
    else if (!/^[0-9]{6,20}$/.test(account)) problem = t('withdrawal.accountInvalid');
    else if (form.holderName.trim().length < 2) problem = t('withdrawal.holderRequired');
    setInvalid(problem);
    if (problem || !minor) return;
    await run(async () => {
      const body = { amount: { amount: minor, currency: 'IDR' }, bankName: form.bankName.trim(), accountNumber: account, holderName: form.holderName.trim() };
      const res = await idempotent((key) => api.post<{ withdrawal: Withdrawal }>('/withdrawals', body, { idempotencyKey: key }));
      setNotice(t('withdrawal.requested', { amount: money(res.withdrawal.amount, lang) }));
      setForm((f) => ({ ...f, amount: '' }));
      onRequested();
    });
  }

  return (
    <Card title={t('withdrawal.formTitle')} subtitle={t('withdrawal.formBody')} testId="withdraw-card">
      <form className="form" onSubmit={submit} noValidate data-testid="withdraw-form">
        <div className="form-grid form-grid-2">
          <Field label={t('withdrawal.amount')} hint={t('withdrawal.availableHint', { amount: money(available, lang) })}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="numeric" autoComplete="off" value={form.amount} onChange={set('amount')} data-testid="withdraw-amount" />
              </div>
            )}
          </Field>
          <Field label={t('withdrawal.bankName')}>
            {(id) => (
              <>
                <input id={id} list="withdraw-banks" autoComplete="off" maxLength={60} value={form.bankName} onChange={set('bankName')} data-testid="withdraw-bank" />
                <datalist id="withdraw-banks">
                  {BANKS.map((b) => (
                    <option key={b} value={b} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label={t('withdrawal.accountNumber')}>
            {(id) => <input id={id} inputMode="numeric" autoComplete="off" maxLength={30} value={form.accountNumber} onChange={set('accountNumber')} data-testid="withdraw-account" />}
          </Field>
          <Field label={t('withdrawal.holderName')} hint={t('withdrawal.holderHint')}>
            {(id) => <input id={id} autoComplete="off" maxLength={100} value={form.holderName} onChange={set('holderName')} data-testid="withdraw-holder" />}
          </Field>
        </div>
        {invalid && <Alert kind="error">{invalid}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="withdraw-submit">
            {t('withdrawal.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function WithdrawalsList({ list, onChanged }: { list: Loaded<WithdrawalList>; onChanged: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const cancel = useAction();
  const rows = list.data?.withdrawals ?? [];
  return (
    <Card title={t('withdrawal.listTitle')} testId="withdrawals-card">
      <ErrorAlert error={list.error} />
      <ErrorAlert error={cancel.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : rows.length === 0 ? (
        !list.error && <Empty>{t('withdrawal.none')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="withdrawals-table">
            <thead>
              <tr>
                <th>{t('common.createdAt')}</th>
                <th className="right">{t('withdrawal.amount')}</th>
                <th>{t('withdrawal.destination')}</th>
                <th>{t('common.status')}</th>
                <th>{t('withdrawal.info')}</th>
                <th>
                  <span className="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.id} data-withdrawal={w.id}>
                  <td data-label={t('common.createdAt')}>{formatDateTime(w.createdAt)}</td>
                  <td data-label={t('withdrawal.amount')} className="right strong nowrap">
                    {money(w.amount, lang)}
                  </td>
                  <td data-label={t('withdrawal.destination')}>
                    <div className="cell">
                      <div>
                        {w.destination.bankName} · <span className="mono">{w.destination.accountNumber}</span>
                      </div>
                      <div className="muted small">{w.destination.holderName}</div>
                    </div>
                  </td>
                  <td data-label={t('common.status')}>
                    <WithdrawalStatusBadge status={w.status} />
                  </td>
                  <td data-label={t('withdrawal.info')}>
                    <WithdrawalInfo w={w} />
                  </td>
                  <td className="actions">
                    {w.status === 'requested' && (
                      <ConfirmButton
                        busy={cancel.busy}
                        onConfirm={() =>
                          void cancel.run(async () => {
                            await api.post(`/withdrawals/${encodeURIComponent(w.id)}/cancel`);
                            onChanged();
                          })
                        }
                      >
                        {t('withdrawal.cancel')}
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** What happened to a withdrawal: paid (reference, proof), rejected (why), or waiting. */
export function WithdrawalInfo({ w, staff = false }: { w: Withdrawal; staff?: boolean }) {
  const { t, formatDateTime } = useI18n();
  if (w.status === 'paid') {
    return (
      <div className="cell small">
        <div>{t('withdrawal.paidAt', { at: formatDateTime(w.paidAt) })}</div>
        {w.payoutReference && (
          <div>
            {t('withdrawal.reference')}: <span className="mono">{w.payoutReference}</span>
          </div>
        )}
        {w.proofDocumentId && (
          <a href={`/api/documents/${encodeURIComponent(w.proofDocumentId)}`} download data-testid="withdrawal-proof">
            {t('withdrawal.proof')}
          </a>
        )}
      </div>
    );
  }
  if (w.reason) return <div className="cell small">{w.reason}</div>;
  if (staff) return <span className="muted small">—</span>;
  if (w.status === 'requested') return <span className="muted small">{t('withdrawal.waitingApproval')}</span>;
  if (w.status === 'approved') return <span className="muted small">{t('withdrawal.waitingTransfer')}</span>;
  return <span className="muted small">—</span>;
}
