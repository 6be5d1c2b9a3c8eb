import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type BlocklistEntry, type FlagStatus, type RiskFlag, type StaffOrderDetail } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { money } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, Mono, PageHeader, Segmented, Spinner, useAction, useLoad } from '../ui.tsx';
import { CustomerCell, useCustomerNames } from './fundingShared.tsx';
import { FlagBadge, flagLabel, known, OrderStatusBadge, payeeKindLabel } from './paymentsShared.tsx';

const TABS = ['flags', 'blocklist'] as const;
type Tab = (typeof TABS)[number];
const FLAG_FILTERS: readonly (FlagStatus | '')[] = ['open', 'cleared', 'confirmed', ''];

/** Compliance: risk flags that stop payouts, and the blocklist of accounts and holder names. */
export function RiskPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'flags';
  const canDecide = user.role === 'compliance';
  return (
    <>
      <PageHeader title={t('risk.title')} subtitle={t('risk.subtitle')} />
      {!canDecide && (
        <Alert kind="info">
          <span data-testid="risk-readonly-note">{t('risk.readOnly')}</span>
        </Alert>
      )}
      <div className="tabs" role="tablist" data-testid="risk-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === 'flags' ? {} : { tab: k })} data-testid={`tab-${k}`}>
            {t(`risk.tab.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'flags' && <FlagsTab canDecide={canDecide} />}
      {tab === 'blocklist' && <BlocklistTab canEdit={canDecide} />}
    </>
  );
}

function FlagsTab({ canDecide }: { canDecide: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<FlagStatus | ''>('open');
  const [notice, setNotice] = useState<string>();
  const list = useLoad(() => api.get<{ flags: RiskFlag[] }>('/staff/risk/flags', { status, limit: 200 }), [status]);
  // High flags first: they stop a payout.
  const flags = [...(list.data?.flags ?? [])].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1));
  return (
    <Card
      title={t('risk.flagsTitle')}
      subtitle={t('risk.flagsBody')}
      testId="risk-flags"
      actions={
        <label className="inline-label">
          <span>{t('common.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as FlagStatus | '')} data-testid="risk-filter">
            {FLAG_FILTERS.map((s) => (
              <option key={s || 'all'} value={s}>
                {s ? t(`risk.status.${s}`) : t('common.all')}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {notice && (
        <Alert kind="success">
          <span data-testid="risk-notice">{notice}</span>
        </Alert>
      )}
      <ErrorAlert error={list.error} />
      {list.loading && !list.data ? (
        <Spinner />
      ) : flags.length === 0 ? (
        !list.error && <Empty>{status === 'open' ? t('risk.noOpen') : t('common.empty')}</Empty>
      ) : (
        <ul className="review-list">
          {flags.map((f) => (
            <FlagItem
              key={f.id}
              flag={f}
              canDecide={canDecide}
              onDecided={(m) => {
                setNotice(m);
                list.reload();
              }}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function FlagItem({ flag: f, canDecide, onDecided }: { flag: RiskFlag; canDecide: boolean; onDecided: (message: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [showOrder, setShowOrder] = useState(f.severity === 'high' && f.status === 'open');
  // Info flags stop nothing: their decision form opens on demand.
  const [deciding, setDeciding] = useState(f.severity === 'high');
  const { busy, error, run } = useAction();

  async function decide(decision: 'cleared' | 'confirmed', e?: FormEvent) {
    e?.preventDefault();
    const ok = note.trim().length >= 5;
    setInvalid(!ok);
    if (!ok) return;
    await run(async () => {
      await api.post(`/staff/risk/flags/${encodeURIComponent(f.id)}/decide`, { decision, note: note.trim() });
      onDecided(decision === 'cleared' ? t('risk.clearedNotice', { code: flagLabel(f.code, t) }) : t('risk.confirmedNotice', { code: flagLabel(f.code, t) }));
    });
  }

  return (
    <li className={`review-item${f.severity === 'high' && f.status === 'open' ? ' flag-item-high' : ''}`} data-testid="flag-item" data-flag={f.id} data-code={f.code} data-order={f.orderId}>
      <div className="review-head">
        <div className="review-badges">
          <FlagBadge code={f.code} severity={f.severity} status={f.status} />
          <Badge tone={f.severity === 'high' ? 'red' : 'neutral'}>{known(`risk.severity.${f.severity}`, f.severity, t)}</Badge>
          <Badge tone={f.status === 'open' ? 'amber' : f.status === 'cleared' ? 'green' : 'red'}>{known(`risk.status.${f.status}`, f.status, t)}</Badge>
        </div>
        <span className="muted small">{formatDateTime(f.createdAt)}</span>
      </div>
      <p className="flag-reason" data-testid="flag-reason">
        {f.reason}
      </p>
      <div className="muted small">
        {t('risk.order')}{' '}
        <Link to={`/payouts?tab=orders&order=${encodeURIComponent(f.orderId)}`} className="mono">
          {f.orderId}
        </Link>
        {' · '}
        <button type="button" className="linkish small" onClick={() => setShowOrder(!showOrder)} data-testid="flag-order-toggle">
          {showOrder ? t('risk.hideOrder') : t('risk.showOrder')}
        </button>
      </div>
      {showOrder && <FlagOrder orderId={f.orderId} />}
      {f.status !== 'open' && (
        <p className="small" data-testid="flag-decision">
          {t('risk.decided', { status: known(`risk.status.${f.status}`, f.status, t), at: formatDateTime(f.decidedAt) })}: {f.decisionNote}
          {f.decidedBy && (
            <>
              {' '}
              · <Mono>{f.decidedBy}</Mono>
            </>
          )}
        </p>
      )}
      {canDecide && f.status === 'open' && !deciding && (
        <div className="form-actions start">
          <Button small variant="secondary" onClick={() => setDeciding(true)} data-testid="flag-decide-open">
            {t('risk.decide')}
          </Button>
        </div>
      )}
      {canDecide && f.status === 'open' && deciding && (
        <form className="form decision-form" onSubmit={(e) => void decide('cleared', e)} noValidate data-testid="flag-decide">
          <Field label={t('risk.note')} hint={invalid ? <span className="text-error">{t('risk.noteRequired')}</span> : t('risk.noteHint')}>
            {(id) => (
              <input
                id={id}
                maxLength={500}
                value={note}
                onChange={(e) => {
                  setNote(e.target.value);
                  if (e.target.value.trim().length >= 5) setInvalid(false);
                }}
                data-testid="flag-note"
              />
            )}
          </Field>
          <ErrorAlert error={error} />
          <div className="form-actions start">
            <Button type="submit" busy={busy} data-testid="flag-clear">
              {t('risk.clear')}
            </Button>
            <Button variant="danger" busy={busy} onClick={() => void decide('confirmed')} data-testid="flag-confirm">
              {t('risk.confirm')}
            </Button>
          </div>
          <p className="muted small">{t('risk.decideHint')}</p>
        </form>
      )}
    </li>
  );
}

/** What compliance compares: the supplier's company against the account holder, the amount, the customer. */
function FlagOrder({ orderId }: { orderId: string }) {
  const { t, lang, formatDateTime } = useI18n();
  const loaded = useLoad(() => api.get<StaffOrderDetail>(`/staff/payments/orders/${encodeURIComponent(orderId)}`), [orderId]);
  const d = loaded.data;
  const names = useCustomerNames(d ? [d.order.customerId] : []);
  if (!d) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spinner />;
  return (
    <dl className="facts flag-order" data-testid="flag-order">
      <dt>{t('funding.customer')}</dt>
      <dd>
        <CustomerCell id={d.order.customerId} names={names} />
      </dd>
      <dt>{t('risk.supplierCompany')}</dt>
      <dd lang="zh" className="strong" data-testid="flag-company">
        {d.supplier.companyName} <span className="muted small">({d.supplier.storeName})</span>
      </dd>
      <dt>{t('risk.payeeHolder')}</dt>
      <dd lang="zh" className="strong" data-testid="flag-holder">
        {d.payee.holderName}
      </dd>
      <dt>{t('pay.payee')}</dt>
      <dd>
        {payeeKindLabel(d.payee.kind, t)} · <span className="mono">{d.payee.account}</span>
        {d.payee.bankName && <span lang="zh"> · {d.payee.bankName}</span>}
        {d.payee.detailsChangedAt && <div className="small text-warning">{t('payee.changedAt', { at: formatDateTime(d.payee.detailsChangedAt) })}</div>}
      </dd>
      <dt>{t('pay.yuan')}</dt>
      <dd>
        {money(d.order.cny, lang)} · <OrderStatusBadge status={d.order.status} />
      </dd>
    </dl>
  );
}

function BlocklistTab({ canEdit }: { canEdit: boolean }) {
  const { t, formatDateTime } = useI18n();
  const list = useLoad(() => api.get<{ entries: BlocklistEntry[] }>('/staff/risk/blocklist'), []);
  const [kind, setKind] = useState<'account' | 'holder_name'>('account');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const entries = list.data?.entries ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = value.trim().length < 2 ? t('risk.block.valueRequired') : reason.trim().length < 5 ? t('risk.noteRequired') : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      const res = await api.post<{ entry: BlocklistEntry }>('/staff/risk/blocklist', { kind, value: value.trim(), reason: reason.trim() });
      setNotice(t('risk.block.added', { value: res.entry.value }));
      setValue('');
      setReason('');
      list.reload();
    });
  }

  return (
    <>
      {canEdit && (
        <Card title={t('risk.block.addTitle')} subtitle={t('risk.block.addBody')} testId="blocklist-add">
          <form className="form" onSubmit={submit} noValidate data-testid="blocklist-form">
            <Segmented
              legend={t('risk.block.kind')}
              name="block-kind"
              value={kind}
              testId="block-kind"
              options={[
                { value: 'account', label: t('risk.block.kind.account') },
                { value: 'holder_name', label: t('risk.block.kind.holder_name') },
              ]}
              onChange={setKind}
            />
            <div className="form-grid form-grid-2">
              <Field label={kind === 'account' ? t('risk.block.account') : t('risk.block.holder')} hint={t('risk.block.valueHint')}>
                {(id) => <input id={id} maxLength={100} lang="zh" value={value} onChange={(e) => setValue(e.target.value)} data-testid="block-value" />}
              </Field>
              <Field label={t('risk.block.reason')}>
                {(id) => <input id={id} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="block-reason" />}
              </Field>
            </div>
            {invalid && <Alert kind="error">{invalid}</Alert>}
            {notice && (
              <Alert kind="success">
                <span data-testid="block-notice">{notice}</span>
              </Alert>
            )}
            <ErrorAlert error={error} />
            <div className="form-actions start">
              <Button type="submit" variant="danger" busy={busy} data-testid="block-submit">
                {t('risk.block.submit')}
              </Button>
            </div>
          </form>
        </Card>
      )}
      <Card title={t('risk.block.title')} subtitle={t('risk.block.body')} testId="blocklist">
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Spinner />
        ) : entries.length === 0 ? (
          !list.error && <Empty>{t('risk.block.none')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="blocklist-table">
              <thead>
                <tr>
                  <th>{t('risk.block.kind')}</th>
                  <th>{t('risk.block.value')}</th>
                  <th>{t('risk.block.reason')}</th>
                  <th>{t('common.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((b) => (
                  <tr key={b.id} data-entry={b.id}>
                    <td data-label={t('risk.block.kind')}>{t(`risk.block.kind.${b.kind}`)}</td>
                    <td data-label={t('risk.block.value')} className="mono" lang="zh">
                      {b.value}
                    </td>
                    <td data-label={t('risk.block.reason')}>{b.reason}</td>
                    <td data-label={t('common.createdAt')} className="nowrap">
                      {formatDateTime(b.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
