import { useState, type FormEvent } from 'react';
import { api, type Customer, type DepositList, type ReviewLine, type ReviewQueue, type SuspenseDecision } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { money } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, Segmented, Spinner, useAction, useLoad } from '../ui.tsx';
import type { FundingContext } from './Funding.tsx';
import { CustomerCell, Figure, LineStatusBadge, useCustomerNames, useFormatDate, useIdempotency } from './fundingShared.tsx';

type Outcome = { kind: 'done' | 'pending'; decision: SuspenseDecision; customerName: string | null };

/** Credits nobody could match: who they belong to, or back to the sender; and the decisions waiting for a second person. */
export function FundingReviewTab({ ctx }: { ctx: FundingContext }) {
  const { t, lang } = useI18n();
  const queue = useLoad(() => api.get<ReviewQueue>('/staff/funding/review', { limit: 200 }), [ctx.version]);
  const pending = useLoad(() => api.get<{ decisions: SuspenseDecision[] }>('/staff/funding/decisions', { status: 'pending_approval', limit: 100 }), [ctx.version]);
  const [outcome, setOutcome] = useState<Outcome>();
  const lines = queue.data?.lines ?? [];
  const names = useCustomerNames([
    ...lines.flatMap((l) => [l.customerId, l.pendingDecision?.customerId, ...(l.review?.candidates ?? []).map((c) => c.customerId)]),
    ...(pending.data?.decisions ?? []).map((d) => d.customerId),
  ]);

  return (
    <>
      <div className="figures-3 review-figures">
        <Figure label={t('funding.review.suspense')} main testId="suspense-balance" hint={t('funding.review.suspenseHint')}>
          {queue.data ? money(queue.data.suspenseBalance, lang) : '…'}
        </Figure>
        <Figure label={t('funding.review.waiting')} testId="review-count">
          {queue.data ? String(lines.filter((l) => l.status === 'review').length) : '…'}
        </Figure>
        <Figure label={t('funding.review.pendingApprovals')} testId="pending-count">
          {pending.data ? String(pending.data.decisions.length) : '…'}
        </Figure>
      </div>
      {outcome && <OutcomeAlert outcome={outcome} />}
      <PendingApprovals ctx={ctx} decisions={pending.data?.decisions} loading={pending.loading} error={pending.error} names={names} onDecided={setOutcome} />
      <Card title={t('funding.review.title')} subtitle={t('funding.review.body')} testId="review-queue">
        <ErrorAlert error={queue.error} />
        {queue.loading && !queue.data ? (
          <Spinner />
        ) : lines.length === 0 ? (
          !queue.error && <Empty>{t('funding.review.empty')}</Empty>
        ) : (
          <div className="review-list">
            {lines.map((l) => (
              <ReviewItem key={l.id} line={l} ctx={ctx} names={names} onDecided={setOutcome} />
            ))}
          </div>
        )}
      </Card>
    </>
  );
}

function OutcomeAlert({ outcome }: { outcome: Outcome }) {
  const { t, lang } = useI18n();
  const d = outcome.decision;
  const amount = money(d.amount, lang);
  const who = outcome.customerName ?? d.customerId ?? '';
  if (outcome.kind === 'pending') {
    return (
      <div data-testid="decision-outcome" data-status="pending_approval">
        <Alert kind="warning" title={t('funding.decision.pendingTitle')}>
          {d.action === 'assign' ? t('funding.decision.pendingAssign', { amount, who }) : t('funding.decision.pendingReturn', { amount, ref: d.returnReference ?? '' })}
        </Alert>
      </div>
    );
  }
  if (d.status === 'rejected') {
    return (
      <div data-testid="decision-outcome" data-status="rejected">
        <Alert kind="info" title={t('funding.decision.rejectedTitle')}>
          {t('funding.decision.rejectedBody', { amount })}
        </Alert>
      </div>
    );
  }
  return (
    <div data-testid="decision-outcome" data-status="done">
      <Alert kind="success" title={t('funding.decision.doneTitle')}>
        {d.action === 'assign' ? t('funding.decision.doneAssign', { amount, who }) : t('funding.decision.doneReturn', { amount, ref: d.returnReference ?? '' })}
      </Alert>
    </div>
  );
}

function ReviewItem({ line, ctx, names, onDecided }: { line: ReviewLine; ctx: FundingContext; names: Map<string, string>; onDecided: (o: Outcome) => void }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  const bank = ctx.banks.data?.bankAccounts.find((b) => b.id === line.bankAccountId);
  const p = line.pendingDecision;
  return (
    <article className="review-item" data-testid="review-line" data-line-id={line.id} data-amount={line.amount.amount}>
      <header className="review-head">
        <div>
          <div className="review-amount">{money(line.amount, lang)}</div>
          <div className="muted small">
            {formatDate(line.date)} · {bank ? `${bank.bankCode} ${bank.accountNumber}` : line.bankAccountId} · {t('funding.review.lineNo', { n: line.lineNo })}
          </div>
        </div>
        <div className="review-badges">
          <LineStatusBadge status={line.status} />
          {line.review && <Badge tone={line.review.reason === 'ambiguous' ? 'blue' : 'amber'}>{t(`funding.review.${line.review.reason}`)}</Badge>}
        </div>
      </header>
      <p className="review-desc mono">{line.description}</p>
      {line.review?.explanation && <p className="muted small">{line.review.explanation}</p>}
      {p ? (
        <Alert kind="info" title={t('funding.review.waitingApproval')}>
          {p.action === 'assign' ? t('funding.review.proposedAssign', { who: names.get(p.customerId ?? '') ?? p.customerId ?? '' }) : t('funding.review.proposedReturn', { ref: p.returnReference ?? '' })} — “{p.note}”
        </Alert>
      ) : ctx.canAct && line.status === 'review' ? (
        <DecisionForm line={line} ctx={ctx} names={names} onDecided={onDecided} />
      ) : (
        line.review &&
        line.review.candidates.length > 0 && (
          <ul className="candidates">
            {line.review.candidates.map((c) => (
              <li key={c.depositId}>
                <span className="strong">{names.get(c.customerId) ?? c.customerId}</span> · <Mono>{c.depositId}</Mono> <span className="muted small">{c.why}</span>
              </li>
            ))}
          </ul>
        )
      )}
    </article>
  );
}

function DecisionForm({ line, ctx, names, onDecided }: { line: ReviewLine; ctx: FundingContext; names: Map<string, string>; onDecided: (o: Outcome) => void }) {
  const { t } = useI18n();
  const [action, setAction] = useState<'assign' | 'return'>('assign');
  const [customer, setCustomer] = useState<{ id: string; name: string | null } | null>(null);
  const [depositId, setDepositId] = useState('');
  const [note, setNote] = useState('');
  const [returnRef, setReturnRef] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const candidates = line.review?.candidates ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    let problem: string | undefined;
    if (action === 'assign' && !customer) problem = t('funding.decision.pickCustomer');
    else if (action === 'return' && returnRef.trim().length < 3) problem = t('funding.decision.refRequired');
    else if (note.trim().length < 5) problem = t('funding.decision.noteRequired');
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const body =
        action === 'assign'
          ? { action, customerId: customer!.id, ...(depositId ? { depositId } : {}), note: note.trim() }
          : { action, returnReference: returnRef.trim(), note: note.trim() };
      const res = await idempotent((key) => api.post<{ decision: SuspenseDecision }>(`/staff/funding/lines/${encodeURIComponent(line.id)}/decision`, body, { idempotencyKey: key }));
      onDecided({ kind: res.decision.status === 'done' ? 'done' : 'pending', decision: res.decision, customerName: customer?.name ?? null });
      ctx.changed();
    });
  }

  return (
    <form className="form decision-form" onSubmit={submit} noValidate data-testid="decision-form">
      <Segmented
        legend={t('funding.decision.action')}
        name={`action-${line.id}`}
        value={action}
        onChange={(v) => {
          setAction(v);
          setInvalid(undefined);
        }}
        options={[
          { value: 'assign', label: t('funding.decision.assign') },
          { value: 'return', label: t('funding.decision.return') },
        ]}
        testId="decision-action"
      />
      {action === 'assign' ? (
        <>
          {candidates.length > 0 && (
            <div className="candidate-picks" data-testid="candidate-picks">
              <span className="inline-label">{t('funding.decision.candidates')}</span>
              {candidates.map((c) => (
                <button
                  key={c.depositId}
                  type="button"
                  className={`chip-button${customer?.id === c.customerId && depositId === c.depositId ? ' active' : ''}`}
                  onClick={() => {
                    setCustomer({ id: c.customerId, name: names.get(c.customerId) ?? null });
                    setDepositId(c.depositId);
                  }}
                >
                  {names.get(c.customerId) ?? c.customerId} · {c.depositId}
                  <span className="muted small"> ({c.why})</span>
                </button>
              ))}
            </div>
          )}
          <CustomerPicker
            value={customer}
            onChange={(c) => {
              setCustomer(c);
              setDepositId('');
            }}
          />
          {customer && <DepositPicker customerId={customer.id} value={depositId} onChange={setDepositId} version={ctx.version} />}
        </>
      ) : (
        <Field label={t('funding.decision.returnRef')} hint={t('funding.decision.returnRefHint')}>
          {(id) => <input id={id} maxLength={100} value={returnRef} onChange={(e) => setReturnRef(e.target.value)} data-testid="decision-return-ref" />}
        </Field>
      )}
      <Field label={t('funding.decision.note')} hint={t('funding.decision.noteHint')}>
        {(id) => <textarea id={id} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decision-note" />}
      </Field>
      {invalid && <Alert kind="error">{invalid}</Alert>}
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button type="submit" busy={busy} data-testid="decision-submit">
          {action === 'assign' ? t('funding.decision.submitAssign') : t('funding.decision.submitReturn')}
        </Button>
      </div>
    </form>
  );
}

/** Choose a customer by name (the staff customer search) or by a pasted id. */
function CustomerPicker({ value, onChange }: { value: { id: string; name: string | null } | null; onChange: (c: { id: string; name: string | null } | null) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Customer[]>();
  const { busy, error, run } = useAction();

  async function search() {
    const text = q.trim();
    if (!text) return;
    await run(async () => {
      if (/^cus_[0-9a-z]+$/i.test(text)) {
        const r = await api.get<{ customer: Customer }>(`/customers/${encodeURIComponent(text)}`);
        setResults([r.customer]);
      } else {
        const r = await api.get<{ customers: Customer[] }>('/staff/customers', { q: text, limit: 10 });
        setResults(r.customers);
      }
    });
  }

  if (value) {
    return (
      <div className="picked" data-testid="picked-customer">
        <span className="inline-label">{t('funding.customer')}</span>
        <span>
          <span className="strong">{value.name ?? value.id}</span> <Mono>{value.id}</Mono>
        </span>
        <Button variant="link" small onClick={() => onChange(null)}>
          {t('funding.decision.change')}
        </Button>
      </div>
    );
  }
  return (
    <div className="customer-picker">
      <Field label={t('funding.decision.findCustomer')} hint={t('funding.decision.findHint')}>
        {(id) => (
          <div className="toolbar picker-row">
            <input
              id={id}
              type="search"
              value={q}
              maxLength={100}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void search();
                }
              }}
              data-testid="customer-search"
            />
            <Button variant="secondary" busy={busy} onClick={() => void search()} data-testid="customer-search-button">
              {t('common.search')}
            </Button>
          </div>
        )}
      </Field>
      <ErrorAlert error={error} />
      {results && (
        <ul className="picker-results" data-testid="customer-results">
          {results.length === 0 && <li className="muted small">{t('customers.none')}</li>}
          {results.map((c) => (
            <li key={c.id}>
              <button type="button" className="picker-result" onClick={() => onChange({ id: c.id, name: c.name })}>
                <span className="strong">{c.name}</span>
                <span className="muted small mono">{c.id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DepositPicker({ customerId, value, onChange, version }: { customerId: string; value: string; onChange: (id: string) => void; version: number }) {
  const { t, lang, formatDateTime } = useI18n();
  const list = useLoad(() => api.get<DepositList>('/staff/funding/deposits', { customerId, limit: 50 }), [customerId, version]);
  const options = (list.data?.deposits ?? []).filter((d) => d.status !== 'paid' || d.id === value);
  return (
    <Field label={t('funding.decision.deposit')} optional hint={t('funding.decision.depositHint')}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid="decision-deposit">
          <option value="">{t('funding.decision.noDeposit')}</option>
          {options.map((d) => (
            <option key={d.id} value={d.id}>
              {d.referenceCode} · {money(d.outstanding, lang)} · {t(`deposit.status.${d.status}`)} · {formatDateTime(d.createdAt)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function PendingApprovals({
  ctx,
  decisions,
  loading,
  error,
  names,
  onDecided,
}: {
  ctx: FundingContext;
  decisions: SuspenseDecision[] | undefined;
  loading: boolean;
  error: unknown;
  names: Map<string, string>;
  onDecided: (o: Outcome) => void;
}) {
  const { t } = useI18n();
  if (!decisions && !loading && !error) return null;
  return (
    <Card title={t('funding.approvals.title')} subtitle={t('funding.approvals.body')} testId="pending-approvals">
      <ErrorAlert error={error} />
      {!decisions ? (
        loading && <Spinner />
      ) : decisions.length === 0 ? (
        <p className="muted small">{t('funding.approvals.none')}</p>
      ) : (
        <div className="review-list">
          {decisions.map((d) => (
            <PendingDecision key={d.id} decision={d} ctx={ctx} names={names} onDecided={onDecided} />
          ))}
        </div>
      )}
    </Card>
  );
}

function PendingDecision({ decision: d, ctx, names, onDecided }: { decision: SuspenseDecision; ctx: FundingContext; names: Map<string, string>; onDecided: (o: Outcome) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const { user } = useSignedIn();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);
  const approve = useAction();
  const reject = useAction();
  const mine = d.requestedBy === user.id;

  return (
    <article className="review-item" data-testid="pending-decision" data-decision-id={d.id}>
      <header className="review-head">
        <div>
          <div className="review-amount">{money(d.amount, lang)}</div>
          <div className="muted small">
            {t('funding.approvals.requested', { at: formatDateTime(d.createdAt), who: mine ? t('funding.approvals.you') : d.requestedBy })}
          </div>
        </div>
        <Badge tone="blue">{t('funding.lineStatus.pending_approval')}</Badge>
      </header>
      <dl className="facts">
        <dt>{t('funding.decision.action')}</dt>
        <dd>{d.action === 'assign' ? t('funding.decision.assign') : t('funding.decision.return')}</dd>
        {d.action === 'assign' ? (
          <>
            <dt>{t('funding.customer')}</dt>
            <dd>
              <CustomerCell id={d.customerId} names={names} />
            </dd>
            {d.depositId && (
              <>
                <dt>{t('funding.decision.deposit')}</dt>
                <dd className="mono">{d.depositId}</dd>
              </>
            )}
          </>
        ) : (
          <>
            <dt>{t('funding.decision.returnRef')}</dt>
            <dd className="mono">{d.returnReference}</dd>
          </>
        )}
        <dt>{t('funding.decision.note')}</dt>
        <dd>{d.note}</dd>
        <dt>{t('funding.approvals.line')}</dt>
        <dd className="mono small">{d.lineId}</dd>
      </dl>
      {mine && ctx.canAct && <p className="muted small">{t('funding.approvals.ownHint')}</p>}
      <ErrorAlert error={approve.error} />
      <ErrorAlert error={reject.error} />
      {ctx.canAct && (
        <div className="form-actions start">
          <Button
            small
            busy={approve.busy}
            onClick={() =>
              void approve.run(async () => {
                const res = await api.post<{ decision: SuspenseDecision }>(`/staff/funding/decisions/${encodeURIComponent(d.id)}/approve`);
                onDecided({ kind: 'done', decision: res.decision, customerName: names.get(d.customerId ?? '') ?? null });
                ctx.changed();
              })
            }
            data-testid="decision-approve"
          >
            {t('funding.approvals.approve')}
          </Button>
          {!rejecting && (
            <Button small variant="secondary" onClick={() => setRejecting(true)} data-testid="decision-reject-open">
              {t('funding.approvals.reject')}
            </Button>
          )}
        </div>
      )}
      {rejecting && (
        <form
          className="form sub-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const ok = reason.trim().length >= 5;
            setInvalid(!ok);
            if (!ok) return;
            void reject.run(async () => {
              const res = await api.post<{ decision: SuspenseDecision }>(`/staff/funding/decisions/${encodeURIComponent(d.id)}/reject`, { reason: reason.trim() });
              onDecided({ kind: 'done', decision: res.decision, customerName: null });
              ctx.changed();
            });
          }}
        >
          <Field label={t('funding.approvals.rejectReason')} hint={invalid ? <span className="text-error">{t('funding.reasonRequired')}</span> : t('funding.approvals.rejectHint')}>
            {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="decision-reject-reason" />}
          </Field>
          <div className="form-actions start">
            <Button type="submit" small variant="danger" busy={reject.busy} data-testid="decision-reject">
              {t('funding.approvals.rejectSubmit')}
            </Button>
            <Button small variant="ghost" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </article>
  );
}
