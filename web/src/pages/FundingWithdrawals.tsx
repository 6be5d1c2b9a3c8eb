import { useRef, useState, type FormEvent } from 'react';
import { api, WITHDRAWAL_STATUSES, type Withdrawal, type WithdrawalList, type WithdrawalStatus } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { money } from '../money.ts';
import { Alert, Button, Card, Empty, ErrorAlert, Field, Mono, Spinner, useAction, useLoad } from '../ui.tsx';
import type { FundingContext } from './Funding.tsx';
import { CustomerCell, readFileAsBase64, useCustomerNames, useIdempotency, useScrollIntoView, WithdrawalStatusBadge } from './fundingShared.tsx';
import { WithdrawalInfo } from './Wallet.tsx';

const PAGE = 50;
/** What the server stores as proof: checked there by content; here only to catch the obvious. */
const PROOF_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'];
const PROOF_MAX_BYTES = 5 * 1024 * 1024;

/** Withdrawal requests: approve, reject, record the transfer with its proof. */
export function FundingWithdrawalsTab({ ctx }: { ctx: FundingContext }) {
  const { t, lang, formatDateTime } = useI18n();
  const [status, setStatus] = useState<WithdrawalStatus | ''>('');
  const [extra, setExtra] = useState<WithdrawalList>();
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const [open, setOpen] = useState<{ id: string; mode: 'paid' | 'reject' } | null>(null);
  const [notice, setNotice] = useState<string>();
  const approve = useAction();
  const first = useLoad(() => {
    setExtra(undefined);
    return api.get<WithdrawalList>('/staff/funding/withdrawals', { status, limit: PAGE });
  }, [status, ctx.version]);
  const rows = [...(first.data?.withdrawals ?? []), ...(extra?.withdrawals ?? [])];
  const cursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const names = useCustomerNames(rows.map((w) => w.customerId));
  const current = open ? rows.find((w) => w.id === open.id) : undefined;

  async function loadMore() {
    if (!cursor) return;
    setMoreBusy(true);
    setMoreError(undefined);
    try {
      const next = await api.get<WithdrawalList>('/staff/funding/withdrawals', { status, limit: PAGE, before: cursor });
      setExtra({ withdrawals: [...(extra?.withdrawals ?? []), ...next.withdrawals], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setMoreBusy(false);
    }
  }

  const done = (message: string) => {
    setNotice(message);
    setOpen(null);
    ctx.changed();
  };

  return (
    <>
      {notice && (
        <div data-testid="withdrawal-notice">
          <Alert kind="success">{notice}</Alert>
        </div>
      )}
      {current && open?.mode === 'paid' && <MarkPaidForm w={current} ctx={ctx} name={names.get(current.customerId) ?? null} onDone={done} onCancel={() => setOpen(null)} />}
      {current && open?.mode === 'reject' && <RejectForm w={current} onDone={done} onCancel={() => setOpen(null)} />}
      <Card
        title={t('funding.withdrawals.title')}
        subtitle={t('funding.withdrawals.body')}
        testId="staff-withdrawals"
        actions={
          <label className="inline-label">
            <span>{t('common.status')}</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as WithdrawalStatus | '')} data-testid="withdrawal-status-filter">
              <option value="">{t('common.all')}</option>
              {WITHDRAWAL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`withdrawal.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <ErrorAlert error={first.error} />
        <ErrorAlert error={approve.error} />
        {first.loading && !first.data ? (
          <Spinner />
        ) : rows.length === 0 ? (
          !first.error && <Empty>{t('withdrawal.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="staff-withdrawals-table">
              <thead>
                <tr>
                  <th>{t('common.createdAt')}</th>
                  <th>{t('funding.customer')}</th>
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
                  <tr key={w.id} data-withdrawal={w.id} className={open?.id === w.id ? 'row-selected' : undefined}>
                    <td data-label={t('common.createdAt')}>{formatDateTime(w.createdAt)}</td>
                    <td data-label={t('funding.customer')}>
                      <CustomerCell id={w.customerId} names={names} />
                    </td>
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
                      <WithdrawalInfo w={w} staff />
                    </td>
                    <td className="actions">
                      {ctx.canAct && w.status === 'requested' && (
                        <Button
                          small
                          busy={approve.busy}
                          onClick={() =>
                            void approve.run(async () => {
                              await api.post(`/staff/funding/withdrawals/${encodeURIComponent(w.id)}/approve`);
                              done(t('funding.withdrawals.approved', { amount: money(w.amount, lang) }));
                            })
                          }
                          data-testid="withdrawal-approve"
                        >
                          {t('funding.withdrawals.approve')}
                        </Button>
                      )}
                      {ctx.canAct && w.status === 'approved' && (
                        <Button small onClick={() => setOpen({ id: w.id, mode: 'paid' })} data-testid="withdrawal-mark-paid">
                          {t('funding.withdrawals.markPaid')}
                        </Button>
                      )}
                      {ctx.canAct && (w.status === 'requested' || w.status === 'approved') && (
                        <Button small variant="secondary" onClick={() => setOpen({ id: w.id, mode: 'reject' })} data-testid="withdrawal-reject-open">
                          {t('funding.withdrawals.reject')}
                        </Button>
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
    </>
  );
}

function MarkPaidForm({ w, ctx, name, onDone, onCancel }: { w: Withdrawal; ctx: FundingContext; name: string | null; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const accounts = ctx.banks.data?.bankAccounts ?? [];
  const [bankId, setBankId] = useState('');
  const [reference, setReference] = useState('');
  const [proof, setProof] = useState<{ fileName: string; contentBase64: string; size: number }>();
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const fileRef = useRef<HTMLInputElement>(null);
  const anchor = useScrollIntoView<HTMLDivElement>();
  const chosen = bankId || accounts[0]?.id || '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = !chosen ? t('funding.withdrawals.pickAccount') : reference.trim().length < 3 ? t('funding.withdrawals.refRequired') : !proof ? t('funding.withdrawals.proofRequired') : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const body = { bankAccountId: chosen, reference: reference.trim(), proof: { fileName: proof!.fileName, contentBase64: proof!.contentBase64 } };
      await idempotent((key) => api.post<{ withdrawal: Withdrawal }>(`/staff/funding/withdrawals/${encodeURIComponent(w.id)}/paid`, body, { idempotencyKey: key }));
      onDone(t('funding.withdrawals.paidDone', { amount: money(w.amount, lang) }));
    });
  }

  return (
    <div ref={anchor} className="scroll-anchor">
      <Card title={t('funding.withdrawals.markPaidTitle', { amount: money(w.amount, lang) })} subtitle={<Mono>{w.id}</Mono>} testId="mark-paid">
        <dl className="facts">
          <dt>{t('funding.customer')}</dt>
          <dd>{name ?? w.customerId}</dd>
          <dt>{t('withdrawal.destination')}</dt>
          <dd>
            {w.destination.bankName} · <span className="mono">{w.destination.accountNumber}</span> · {w.destination.holderName}
          </dd>
        </dl>
        <form className="form sub-form" onSubmit={submit} noValidate data-testid="mark-paid-form">
          <div className="form-grid form-grid-2">
            <Field label={t('funding.withdrawals.paidFrom')}>
              {(id) => (
                <select id={id} value={chosen} onChange={(e) => setBankId(e.target.value)} data-testid="paid-account">
                  {accounts.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.bankCode} · {a.accountNumber} ({money(a.ledgerBalance, lang)})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('funding.withdrawals.reference')} hint={t('funding.withdrawals.referenceHint')}>
              {(id) => <input id={id} maxLength={100} value={reference} onChange={(e) => setReference(e.target.value)} data-testid="paid-reference" />}
            </Field>
          </div>
          <div className="file-row">
            <input
              ref={fileRef}
              type="file"
              accept={PROOF_TYPES.join(',')}
              className="sr-only"
              data-testid="paid-proof"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (!f) return;
                if ((f.type && !PROOF_TYPES.includes(f.type)) || f.size > PROOF_MAX_BYTES) {
                  setInvalid(t('funding.withdrawals.proofInvalid'));
                  return;
                }
                setInvalid(undefined);
                void readFileAsBase64(f).then((b64) => setProof({ fileName: f.name, contentBase64: b64, size: f.size }));
              }}
            />
            <Button variant="secondary" small onClick={() => fileRef.current?.click()}>
              <Icon name="list" size={15} /> {t('funding.withdrawals.proof')}
            </Button>
            <span className="muted small" data-testid="paid-proof-name">
              {proof ? `${proof.fileName} (${Math.max(1, Math.round(proof.size / 1024))} KB)` : t('funding.withdrawals.proofHint')}
            </span>
          </div>
          {invalid && <Alert kind="error">{invalid}</Alert>}
          <ErrorAlert error={error} />
          <div className="form-actions start">
            <Button type="submit" busy={busy} data-testid="paid-submit">
              {t('funding.withdrawals.markPaid')}
            </Button>
            <Button variant="ghost" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}

function RejectForm({ w, onDone, onCancel }: { w: Withdrawal; onDone: (message: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, run } = useAction();
  const anchor = useScrollIntoView<HTMLDivElement>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = reason.trim().length >= 5;
    setInvalid(!ok);
    if (!ok) return;
    await run(async () => {
      await api.post(`/staff/funding/withdrawals/${encodeURIComponent(w.id)}/reject`, { reason: reason.trim() });
      onDone(t('funding.withdrawals.rejected', { amount: money(w.amount, lang) }));
    });
  }
  return (
    <div ref={anchor} className="scroll-anchor">
      <Card title={t('funding.withdrawals.rejectTitle', { amount: money(w.amount, lang) })} subtitle={<Mono>{w.id}</Mono>} testId="reject-withdrawal">
        <form className="form" onSubmit={submit} noValidate>
          <Field label={t('funding.approvals.rejectReason')} hint={invalid ? <span className="text-error">{t('funding.reasonRequired')}</span> : t('funding.withdrawals.rejectHint')}>
            {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="withdrawal-reject-reason" />}
          </Field>
          <ErrorAlert error={error} />
          <div className="form-actions start">
            <Button type="submit" variant="danger" busy={busy} data-testid="withdrawal-reject">
              {t('funding.withdrawals.rejectSubmit')}
            </Button>
            <Button variant="ghost" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
