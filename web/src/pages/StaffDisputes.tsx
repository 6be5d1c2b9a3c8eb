/**
 * The staff console's disputes: the list (open first) with each order's customer, amount
 * and age; a dispute in detail with its thread and evidence, a reply box for every payments
 * role, and the decision — release, full refund, or a partial refund of N yuan with the
 * rupiah it returns by the order's own line split — which only finance takes, after a
 * confirmation step.
 */
import { useState, type FormEvent } from 'react';
import { api, type Dispute, type DisputeResolution, type DisputeStatus, type StaffDirectoryEntry, type StaffDisputeRow, type StaffOrderDetail } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { moneyOf, money, parseAmount } from '../money.ts';
import { Alert, Button, Card, Empty, ErrorAlert, Field, Mono, Segmented, Spinner, useAction, useLoad, useNow } from '../ui.tsx';
import { CustomerCell, Figure, useCustomerNames, useIdempotency } from './fundingShared.tsx';
import { DetailPanel, ListTable, useAnswered } from './listShared.tsx';
import type { PayoutsContext } from './PayoutDesk.tsx';
import { fieldError, known, modeLabel, OrderNumbers, OrderStatusBadge, payeeKindLabel } from './paymentsShared.tsx';
import { ageText, DisputeStatusBadge, DisputeThread, disputeMoney, heldPart, partialRefundSplit, problemHint, ReplyBox, resolutionLabel } from './disputesShared.tsx';

const LIST_LIMIT = 100;
/** What the server takes for a staff message and a decision's note. */
const STAFF_MESSAGE_MIN = 2;
const NOTE_MIN = 5;

let directory: Promise<Map<string, StaffDirectoryEntry>> | null = null;

/** Staff names for the thread (read once per page load). */
function useStaffDirectory(): Map<string, StaffDirectoryEntry> {
  const loaded = useLoad(() => {
    directory ??= api.get<{ staff: StaffDirectoryEntry[] }>('/staff/directory').then(
      (r) => new Map(r.staff.map((s) => [s.id, s])),
      () => {
        directory = null;
        return new Map<string, StaffDirectoryEntry>();
      },
    );
    return directory;
  }, []);
  return loaded.data ?? new Map();
}

/** The order behind each dispute of the list (the list itself names only the order). */
function useDisputeOrders(orderIds: string[], version: number) {
  const key = [...new Set(orderIds)].sort().join(',');
  return useLoad(async () => {
    if (!key) return new Map<string, StaffOrderDetail>();
    const ids = key.split(',');
    const details = await Promise.all(ids.map((id) => api.get<StaffOrderDetail>(`/staff/payments/orders/${encodeURIComponent(id)}`)));
    return new Map(details.map((d) => [d.order.id, d]));
  }, [key, version]);
}

type Filter = 'all' | DisputeStatus;

export function DisputesTab({ ctx, openId, onOpen }: { ctx: PayoutsContext; openId: string | null; onOpen: (id: string | null) => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [filter, setFilter] = useState<Filter>('all');
  const list = useLoad(() => api.get<{ disputes: StaffDisputeRow[] }>('/staff/disputes', { status: filter === 'all' ? '' : filter, limit: LIST_LIMIT }), [filter, ctx.version]);
  const rows = list.data?.disputes ?? [];
  const orders = useDisputeOrders(rows.map((r) => r.orderId), ctx.version);
  const names = useCustomerNames([...(orders.data?.values() ?? [])].map((d) => d.order.customerId));
  const now = useNow(60_000);
  const open = openId ? rows.find((r) => r.id === openId) : undefined;

  return (
    <>
      {openId && <StaffDisputeDetail key={openId} id={openId} orderId={open?.orderId} ctx={ctx} onClose={() => onOpen(null)} />}
      <Card
        title={t('disputes.title')}
        subtitle={t('disputes.body')}
        testId="staff-disputes"
        actions={
          <div className="desk-toolbar">
            <Segmented
              legend={t('common.status')}
              name="disputes-filter"
              hideLegend
              value={filter}
              testId="disputes-filter"
              options={[
                { value: 'all', label: t('common.all') },
                { value: 'open', label: t('disputes.filter.open') },
                { value: 'resolved', label: t('disputes.filter.resolved') },
              ]}
              onChange={setFilter}
            />
          </div>
        }
      >
        <ErrorAlert error={list.error} />
        <ErrorAlert error={orders.error} />
        <ListTable
          list={list}
          rows={rows}
          empty={!list.error && <Empty>{filter === 'all' ? t('disputes.empty') : t('disputes.emptyFilter')}</Empty>}
          className="table table-click disputes-table"
          testId="disputes-table"
          head={
            <>
              <th>{t('disputes.opened')}</th>
              <th>{t('funding.customer')}</th>
              <th>{t('disputes.order')}</th>
              <th className="right">{t('disputes.amount')}</th>
              <th>{t('common.status')}</th>
              <th>{t('disputes.reason')}</th>
            </>
          }
          row={(r) => {
            const d = orders.data?.get(r.orderId);
            const full = d?.disputes.find((x) => x.id === r.id);
            return (
              <tr key={r.id} data-testid="dispute-row" data-dispute={r.id} data-order={r.orderId} data-status={r.status} onClick={() => onOpen(r.id)} className={r.id === openId ? 'row-selected' : undefined}>
                <td data-label={t('disputes.opened')}>
                  <span className="cell">
                    <span className="nowrap">{formatDateTime(r.createdAt)}</span>
                    <span className={`small ${r.status === 'open' ? 'strong' : 'muted'}`} data-testid="dispute-age">
                      {r.status === 'open' ? t('disputes.ageOpen', { age: ageText(r.createdAt, now, t) }) : full?.resolvedAt ? t('disputes.ageResolved', { age: ageText(full.resolvedAt, now, t) }) : ''}
                    </span>
                  </span>
                </td>
                <td data-label={t('funding.customer')} data-testid="dispute-customer">
                  {d ? <CustomerCell id={d.order.customerId} names={names} /> : <span className="muted">…</span>}
                </td>
                <td data-label={t('disputes.order')}>
                  <span className="cell">
                    <span className="mono small break">{r.orderId}</span>
                    {d && <span className="muted small">{modeLabel(d.order.mode, t)}</span>}
                  </span>
                </td>
                <td data-label={t('disputes.amount')} className="right">
                  {d ? (
                    <span className="cell right-cell">
                      <span className="strong nowrap" data-testid="dispute-cny">
                        {money(d.order.cny, lang)}
                      </span>
                      {d.order.idrTotal && (
                        <span className="muted small nowrap" data-testid="dispute-idr">
                          {money(d.order.idrTotal, lang)}
                        </span>
                      )}
                    </span>
                  ) : (
                    <span className="muted">…</span>
                  )}
                </td>
                <td data-label={t('common.status')}>
                  <DisputeStatusBadge dispute={{ status: r.status, resolution: full?.resolution ?? null }} />
                </td>
                <td data-label={t('disputes.reason')} className="small dispute-reason-cell">
                  <span className="clamp-2">{r.reason}</span>
                </td>
              </tr>
            );
          }}
        />
      </Card>
    </>
  );
}

function StaffDisputeDetail({ id, orderId: knownOrderId, ctx, onClose }: { id: string; orderId: string | undefined; ctx: PayoutsContext; onClose: () => void }) {
  const { t, lang, formatDateTime } = useI18n();
  const [notice, setNotice] = useState<string>();
  // Opened from a link, the list may not hold the row yet: find the order by the dispute.
  const orderId = useLoad(async () => knownOrderId ?? (await api.get<{ disputes: StaffDisputeRow[] }>('/staff/disputes', { limit: 200 })).disputes.find((d) => d.id === id)?.orderId ?? null, [id, knownOrderId]);
  const answered = useAnswered(async () => (orderId.data ? api.get<StaffOrderDetail>(`/staff/payments/orders/${encodeURIComponent(orderId.data)}`) : undefined), [orderId.data], 'read');
  const { loaded, data: detail } = answered;
  const dispute = detail?.disputes.find((d) => d.id === id);
  const names = useCustomerNames(detail ? [detail.order.customerId] : []);
  const staff = useStaffDirectory();
  const now = useNow(60_000);
  const idempotent = useIdempotency();
  const customer = detail ? (names.get(detail.order.customerId) ?? detail.order.customerId) : '';
  const authorName = (m: Dispute['messages'][number]) => {
    if (m.author === 'importer') return t('disputes.author.importer', { name: customer });
    if (m.authorId === ctx.me) return t('dispute.author.you');
    const s = m.authorId ? staff.get(m.authorId) : undefined;
    return s ? t('disputes.author.staff', { name: s.name, role: known(`role.${s.role}`, s.role, t) }) : t('dispute.author.staff');
  };
  const money_ = detail && dispute?.status === 'resolved' ? disputeMoney(detail) : null;

  return (
    <DetailPanel title={detail ? t('disputes.detailTitle', { amount: money(detail.order.cny, lang), customer }) : t('disputes.detail')} subtitle={<Mono>{id}</Mono>} testId="staff-dispute-detail" className="dispute-card" onClose={onClose}>
      <ErrorAlert error={orderId.error ?? loaded.error} />
      {orderId.data === null && <Alert kind="warning">{t('disputes.notFound')}</Alert>}
      {!detail || !dispute ? (
        orderId.data !== null && <Spinner />
      ) : (
        <div data-testid="staff-dispute" data-dispute={dispute.id} data-status={dispute.status}>
          {notice && (
            <Alert kind="success">
              <span data-testid="decision-notice">{notice}</span>
            </Alert>
          )}
          <div className="grid-2 detail-grid">
            <dl className="facts">
              <dt>{t('common.status')}</dt>
              <dd>
                <DisputeStatusBadge dispute={dispute} /> <span className="muted small">{dispute.status === 'open' ? t('disputes.ageOpen', { age: ageText(dispute.createdAt, now, t) }) : ''}</span>
              </dd>
              <dt>{t('funding.customer')}</dt>
              <dd>
                <CustomerCell id={detail.order.customerId} names={names} />
              </dd>
              <dt>{t('disputes.order')}</dt>
              <dd>
                <Button variant="link" small className="dispute-order-link" onClick={() => ctx.openOrder(detail.order.id)} data-testid="dispute-open-order">
                  <span className="mono">{detail.order.id}</span>
                </Button>
                <div>
                  <OrderStatusBadge status={detail.order.status} /> <span className="muted small">{modeLabel(detail.order.mode, t)}</span>
                </div>
              </dd>
              <dt>{t('pay.supplier')}</dt>
              <dd>
                {detail.supplier.storeName}
                <div className="muted small" lang="zh">
                  {payeeKindLabel(detail.payee.kind, t)} · {detail.payee.holderName}
                </div>
              </dd>
              <dt>{t('wizard.orderNumbers')}</dt>
              <dd>
                <OrderNumbers numbers={detail.order.orderNumbers} />
              </dd>
              <dt>{t('disputes.opened')}</dt>
              <dd>{formatDateTime(dispute.createdAt)}</dd>
            </dl>
            <div className="figures-stack">
              <Figure label={t('pay.yuan')} main testId="staff-dispute-cny">
                {money(detail.order.cny, lang)}
              </Figure>
              <Figure label={t('disputes.idrTotal')} testId="staff-dispute-idr">
                {detail.order.idrTotal ? money(detail.order.idrTotal, lang) : '—'}
              </Figure>
            </div>
          </div>

          {dispute.status === 'resolved' && (
            <div className="dispute-outcome-staff" data-testid="staff-dispute-outcome">
              <h3 className="section-title">{t('disputes.decided')}</h3>
              <p className="strong">
                {resolutionLabel(dispute.resolution ?? '', t)}
                {dispute.refund && ` · ${money(dispute.refund, lang)}`}
                {dispute.resolvedAt && <span className="muted small"> · {formatDateTime(dispute.resolvedAt)}</span>}
              </p>
              {dispute.resolutionNote && <p className="small">{dispute.resolutionNote}</p>}
              {money_ && (
                <div className="figures-3 dispute-figures">
                  <Figure label={t('dispute.toSupplier')} testId="staff-outcome-supplier-cny" hint={moneyOf(money_.supplierIdr, 'IDR', lang)}>
                    {moneyOf(money_.supplierCny, 'CNY', lang)}
                  </Figure>
                  <Figure label={t('disputes.toWallet')} testId="staff-outcome-wallet-idr" hint={money_.walletCny > 0n ? moneyOf(money_.walletCny, 'CNY', lang) : undefined}>
                    {moneyOf(money_.walletIdr, 'IDR', lang)}
                  </Figure>
                  <Figure label={t('disputes.pending')} testId="staff-outcome-pending">
                    {moneyOf(money_.pendingIdr, 'IDR', lang)}
                  </Figure>
                </div>
              )}
            </div>
          )}

          <h3 className="section-title">{t('disputes.thread')}</h3>
          <DisputeThread dispute={dispute} authorName={authorName} />
          {dispute.status === 'open' && (
            <ReplyBox
              minLength={STAFF_MESSAGE_MIN}
              onSend={async (body) => {
                await idempotent((key) => api.post(`/staff/disputes/${encodeURIComponent(dispute.id)}/messages`, { body }, { idempotencyKey: key }));
                answered.reload();
              }}
            />
          )}
          {dispute.status === 'open' && (
            <DecisionPanel
              detail={detail}
              dispute={dispute}
              canDecide={ctx.canApprove}
              onResolved={(res, text) => {
                answered.show(res);
                setNotice(text);
                answered.reload();
                ctx.changed();
              }}
            />
          )}
        </div>
      )}
    </DetailPanel>
  );
}

/** Finance's decision, with what each choice does to the money shown before it is confirmed. */
function DecisionPanel({ detail, dispute, canDecide, onResolved }: { detail: StaffOrderDetail; dispute: Dispute; canDecide: boolean; onResolved: (res: StaffOrderDetail, notice: string) => void }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<DisputeResolution>('release');
  const [refundInput, setRefundInput] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ refund?: string; note?: string }>({});
  const [confirming, setConfirming] = useState(false);
  const resolve = useAction();
  const idempotent = useIdempotency();
  const held = detail.installments.filter((p) => p.status === 'held');
  const part = heldPart(detail.installments);
  const idr = (v: bigint) => moneyOf(v, 'IDR', lang);
  const cny = (v: bigint) => moneyOf(v, 'CNY', lang);
  const heldCny = held.reduce((a, p) => a + BigInt(p.cny.amount), 0n);
  const heldIdr = held.reduce((a, p) => a + BigInt(p.idr?.amount ?? '0'), 0n);
  const refundMinor = parseAmount(refundInput, 2);
  const split = part && refundMinor ? partialRefundSplit(part, BigInt(refundMinor)) : null;

  // What the choice does, in figures.
  const preview =
    kind === 'release'
      ? { supplierCny: heldCny, supplierIdr: heldIdr, walletCny: 0n, walletIdr: 0n }
      : kind === 'refund'
        ? { supplierCny: 0n, supplierIdr: 0n, walletCny: heldCny, walletIdr: heldIdr }
        : split && part
          ? { supplierCny: split.paidCny + (heldCny - BigInt(part.cny.amount)), supplierIdr: split.paidIdr + (heldIdr - BigInt(part.idr?.amount ?? '0')), walletCny: BigInt(refundMinor!), walletIdr: split.refundIdr }
          : null;

  function review(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (kind === 'partial_refund' && part) {
      if (!refundMinor || !split) next.refund = t('disputes.refundRange', { max: money(part.cny, lang) });
    }
    if (note.trim().length < NOTE_MIN) next.note = t('disputes.noteTooShort', { n: NOTE_MIN });
    setErrors(next);
    if (Object.keys(next).length === 0) setConfirming(true);
  }

  async function confirm() {
    await resolve.run(async () => {
      const body = { resolution: kind, note: note.trim(), ...(kind === 'partial_refund' ? { refund: { amount: refundMinor!, currency: 'CNY' } } : {}) };
      const res = await idempotent((key) => api.post<StaffOrderDetail>(`/staff/disputes/${encodeURIComponent(dispute.id)}/resolve`, body, { idempotencyKey: key })).catch((err: unknown) => {
        // Refused: back to the form, where the field the server names is marked.
        setConfirming(false);
        throw err;
      });
      // The server's answer is the order as it now is: say what it did from that.
      const m = disputeMoney(res);
      const decided = res.disputes.find((d) => d.id === dispute.id);
      const parts = [t('disputes.decidedNotice', { resolution: resolutionLabel(decided?.resolution ?? kind, t).toLowerCase(), status: known(`pay.status.${res.order.status}`, res.order.status, t).toLowerCase() })];
      if (m) parts.push(t('disputes.decidedMoney', { supplierCny: cny(m.supplierCny), supplierIdr: idr(m.supplierIdr), walletIdr: idr(m.walletIdr) }));
      if (m && m.pendingIdr > 0n) parts.push(t('disputes.decidedPending', { idr: idr(m.pendingIdr) }));
      setConfirming(false);
      onResolved(res, parts.join(' '));
    });
  }

  const serverRefund = fieldError(resolve.error, 'refund');
  const serverNote = fieldError(resolve.error, 'note');
  const confirmText =
    kind === 'release'
      ? t('disputes.confirm.release', { cny: cny(heldCny) })
      : kind === 'refund'
        ? t('disputes.confirm.refund', { idr: idr(heldIdr) })
        : preview
          ? t('disputes.confirm.partial_refund', { refund: cny(preview.walletCny), idr: idr(preview.walletIdr), cny: cny(preview.supplierCny) })
          : '';

  return (
    <form className="form decision-panel" onSubmit={review} noValidate data-testid="dispute-decision" data-can-decide={canDecide ? 'true' : 'false'}>
      <h3 className="section-title">{t('disputes.decision')}</h3>
      {!canDecide && (
        <Alert kind="info">
          <span data-testid="decision-finance-only">{t('disputes.financeDecides')}</span>
        </Alert>
      )}
      <fieldset disabled={!canDecide || confirming || resolve.busy} className="plain-fieldset">
        <Segmented
          legend={t('disputes.decisionKind')}
          name={`decision-${dispute.id}`}
          value={kind}
          testId="decision-kind"
          options={[
            { value: 'release', label: t('disputes.kind.release') },
            { value: 'refund', label: t('disputes.kind.refund') },
            { value: 'partial_refund', label: t('disputes.kind.partial_refund') },
          ]}
          onChange={(v) => {
            setKind(v);
            setErrors({});
          }}
        />
        <div className="form-grid form-grid-2">
          {kind === 'partial_refund' && part && (
            <Field
              label={t('disputes.refundCny')}
              hint={problemHint(errors.refund ?? serverRefund, 'decision-error-refund', t('disputes.refundHint', { max: money(part.cny, lang) }))}
            >
              {(id) => (
                <div className="affix-input">
                  <span className="affix">¥</span>
                  <input id={id} inputMode="decimal" autoComplete="off" value={refundInput} onChange={(e) => setRefundInput(e.target.value)} aria-invalid={errors.refund ? true : undefined} data-testid="decision-refund" />
                </div>
              )}
            </Field>
          )}
          <Field
            label={t('disputes.note')}
            hint={problemHint(errors.note ?? serverNote, 'decision-error-note', t('disputes.noteHint'))}
          >
            {(id) => <textarea id={id} rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={errors.note ? true : undefined} data-testid="decision-note" />}
          </Field>
        </div>
      </fieldset>
      <div className="figures-3 decision-figures" data-testid="decision-preview">
        <Figure label={t('dispute.toSupplier')} testId="preview-supplier-cny" hint={<span data-testid="preview-supplier-idr">{preview ? idr(preview.supplierIdr) : '—'}</span>}>
          {preview ? cny(preview.supplierCny) : '—'}
        </Figure>
        <Figure label={t('disputes.toWallet')} testId="preview-wallet-idr" hint={<span data-testid="preview-wallet-cny">{preview ? cny(preview.walletCny) : '—'}</span>}>
          {preview ? idr(preview.walletIdr) : '—'}
        </Figure>
        <Figure label={t('disputes.heldNow')} testId="preview-held" hint={cny(heldCny)}>
          {idr(heldIdr)}
        </Figure>
      </div>
      {kind === 'partial_refund' && <p className="muted small">{t('disputes.partialHint')}</p>}
      {!confirming && (
        <div className="form-actions start">
          <Button type="submit" disabled={!canDecide} data-testid="decision-review">
            {t('disputes.review')}
          </Button>
        </div>
      )}
      {confirming && (
        <div className="confirm-box" data-testid="decision-confirm-box">
          <p className="strong" data-testid="decision-confirm-text">
            {confirmText}
          </p>
          <p className="muted small">{t('disputes.confirmHint')}</p>
          <div className="form-actions start">
            <Button variant={kind === 'release' ? 'primary' : 'danger'} busy={resolve.busy} onClick={() => void confirm()} data-testid="decision-confirm">
              {t('disputes.confirmButton')}
            </Button>
            <Button variant="secondary" disabled={resolve.busy} onClick={() => setConfirming(false)} data-testid="decision-back">
              {t('disputes.change')}
            </Button>
          </div>
        </div>
      )}
      <ErrorAlert error={serverRefund || serverNote ? undefined : resolve.error} />
    </form>
  );
}
