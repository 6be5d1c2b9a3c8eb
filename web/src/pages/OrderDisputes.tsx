/**
 * The importer's side of a dispute, on the payment order page: while money is held, release
 * it or open a dispute (what is wrong, optional evidence); an open dispute as a thread with a
 * reply box; a decided one with its outcome in yuan and rupiah.
 */
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { api, type Dispute, type OrderDetail, type Wallet } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { moneyOf } from '../money.ts';
import { Alert, Button, Card, ErrorAlert, Field, useAction, useLoad } from '../ui.tsx';
import { Figure, useIdempotency } from './fundingShared.tsx';
import { fieldError, uploadEvidence } from './paymentsShared.tsx';
import { DisputeStatusBadge, DisputeThread, disputeMoney, EvidenceField, problemHint, ReplyBox, useDisputeBody, useEvidence } from './disputesShared.tsx';

/** The server takes at least this many characters for what is wrong. */
export const DISPUTE_MIN = 5;

/**
 * Money held on the order (escrow, or a later installment): the two ways on, side by side.
 * `release` is the order page's own release button. With `#dispute` in the address (the
 * parcels' escrow notice links there) the dispute form is brought into view.
 */
export function EscrowDecision({ detail, release, releaseHint, releaseError, onAnswer }: { detail: OrderDetail; release: ReactNode; releaseHint: string; releaseError: unknown; onAnswer: (d: OrderDetail) => void }) {
  const { t, formatDateTime } = useI18n();
  const body = useDisputeBody(DISPUTE_MIN);
  const open = useAction();
  const idempotent = useIdempotency();
  const evidence = useEvidence(uploadEvidence);
  const formRef = useRef<HTMLFormElement>(null);
  const order = detail.order;

  useEffect(() => {
    if (window.location.hash === '#dispute') formRef.current?.scrollIntoView({ block: 'start' });
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.check()) return;
    await open.run(async () => {
      const res = await idempotent((key) =>
        api.post<OrderDetail>(`/payment-orders/${encodeURIComponent(order.id)}/disputes`, { body: body.body.trim(), ...(evidence.documentId ? { documentId: evidence.documentId } : {}) }, { idempotencyKey: key }),
      );
      onAnswer(res);
    });
  }

  const serverBodyError = fieldError(open.error, 'body');
  const serverDocError = fieldError(open.error, 'documentId');
  return (
    <Card
      title={t('dispute.decisionTitle')}
      subtitle={order.escrowReleaseAt && order.mode === 'escrow' ? t('dispute.decisionBodyAuto', { at: formatDateTime(order.escrowReleaseAt) }) : t('dispute.decisionBody')}
      testId="escrow-decision"
      className="escrow-decision"
    >
      <div className="decision-grid">
        <div className="decision-option" data-testid="decision-release">
          <h3 className="section-title">{t('dispute.releaseTitle')}</h3>
          <p className="muted small">{releaseHint}</p>
          <div className="form-actions start">{release}</div>
          <ErrorAlert error={releaseError} />
        </div>
        <form ref={formRef} id="dispute" className="decision-option form dispute-form scroll-anchor" onSubmit={submit} noValidate data-testid="dispute-form">
          <h3 className="section-title">{t('dispute.openTitle')}</h3>
          <p className="muted small">{t('dispute.openBody')}</p>
          <Field label={t('dispute.what')} hint={problemHint(body.problem(serverBodyError), 'dispute-error-body', t('dispute.whatHint'))}>
            {(id) => (
              <textarea
                id={id}
                rows={4}
                maxLength={2000}
                value={body.body}
                onChange={(e) => body.change(e.target.value)}
                aria-invalid={body.tooShort || serverBodyError ? true : undefined}
                placeholder={t('dispute.whatPlaceholder')}
                data-testid="dispute-body"
              />
            )}
          </Field>
          <EvidenceField state={evidence} testId="dispute-evidence" />
          {serverDocError && (
            <p className="text-error small" data-testid="dispute-error-document">
              {serverDocError}
            </p>
          )}
          <ErrorAlert error={serverBodyError || serverDocError ? undefined : open.error} />
          <div className="form-actions start">
            <Button type="submit" variant="danger" busy={open.busy} disabled={evidence.busy} data-testid="dispute-submit">
              {t('dispute.submit')}
            </Button>
          </div>
          <p className="muted small">{t('dispute.submitHint')}</p>
        </form>
      </div>
    </Card>
  );
}

/** "Anda" for one's own messages, the company's other users as "your team", staff as staff. */
function useImporterAuthor(meId: string) {
  const { t } = useI18n();
  return (m: Dispute['messages'][number]) => (m.author === 'staff' ? t('dispute.author.staff') : m.authorId === meId ? t('dispute.author.you') : t('dispute.author.team'));
}

/** An open dispute: the money stays held; both sides write until finance decides. */
export function OpenDispute({ detail, dispute, meId, onAnswer }: { detail: OrderDetail; dispute: Dispute; meId: string; onAnswer: (d: OrderDetail) => void }) {
  const { t, formatDateTime } = useI18n();
  const idempotent = useIdempotency();
  const authorName = useImporterAuthor(meId);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (window.location.hash === '#dispute') ref.current?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <div ref={ref} id="dispute" className="scroll-anchor">
      <Card
        title={t('dispute.openCardTitle')}
        subtitle={t('dispute.openCardBody')}
        testId="dispute-open"
        className="dispute-card"
        actions={<DisputeStatusBadge dispute={dispute} />}
      >
        <p className="muted small" data-testid="dispute-opened-at">
          {t('dispute.openedAt', { at: formatDateTime(dispute.createdAt) })}
        </p>
        <DisputeThread dispute={dispute} authorName={authorName} />
        <ReplyBox
          minLength={DISPUTE_MIN}
          evidence={{ upload: uploadEvidence }}
          onSend={async (body, documentId) => {
            const res = await idempotent((key) =>
              api.post<OrderDetail>(`/payment-orders/${encodeURIComponent(detail.order.id)}/disputes/${encodeURIComponent(dispute.id)}/messages`, { body, ...(documentId ? { documentId } : {}) }, { idempotencyKey: key }),
            );
            onAnswer(res);
          }}
        />
      </Card>
    </div>
  );
}

/**
 * A decided dispute: what finance decided and why, what the supplier got and what came back
 * to the wallet (from the order's parts), the wallet's balance now, and the thread.
 */
export function ResolvedDispute({ detail, dispute, meId, version, latest }: { detail: OrderDetail; dispute: Dispute; meId: string; version: number; latest: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  const authorName = useImporterAuthor(meId);
  const wallet = useLoad(() => api.get<{ wallets: Wallet[] }>('/wallet'), [version]);
  const available = wallet.data?.wallets.find((w) => w.currency === 'IDR')?.balance.available;
  // The figures describe the order now, so they belong to the newest decision only.
  const m = latest ? disputeMoney(detail) : null;
  const idr = (v: bigint) => moneyOf(v, 'IDR', lang);
  const cny = (v: bigint) => moneyOf(v, 'CNY', lang);
  return (
    <Card title={t('dispute.resolvedTitle')} subtitle={dispute.resolvedAt ? t('dispute.resolvedAt', { at: formatDateTime(dispute.resolvedAt) }) : undefined} testId="dispute-resolved" className="dispute-card" actions={<DisputeStatusBadge dispute={dispute} />}>
      <div data-testid="dispute-outcome" data-resolution={dispute.resolution ?? ''}>
        <p className="strong" data-testid="dispute-outcome-text">
          {dispute.resolution === 'partial_refund' && dispute.refund
            ? t('dispute.outcome.partial_refund', { refund: cny(BigInt(dispute.refund.amount)) })
            : dispute.resolution
              ? t(`dispute.outcome.${dispute.resolution}`)
              : t('dispute.status.resolved')}
        </p>
        {dispute.resolutionNote && (
          <p className="small" data-testid="dispute-note">
            <span className="muted">{t('dispute.note')}: </span>
            {dispute.resolutionNote}
          </p>
        )}
        {m && (
          <>
            <div className="figures-3 dispute-figures">
              <Figure label={t('dispute.toSupplier')} testId="outcome-supplier-cny" hint={<span data-testid="outcome-supplier-idr">{idr(m.supplierIdr)}</span>}>
                {cny(m.supplierCny)}
              </Figure>
              <Figure label={t('dispute.toWallet')} testId="outcome-wallet-idr" hint={<span data-testid="outcome-wallet-cny">{m.walletCny > 0n ? t('dispute.toWalletYuan', { cny: cny(m.walletCny) }) : t('dispute.nothingBack')}</span>}>
                {idr(m.walletIdr)}
              </Figure>
              <Figure label={t('dispute.walletNow')} testId="outcome-wallet-available" hint={t('wallet.available')}>
                {available ? moneyOf(available.amount, 'IDR', lang) : '—'}
              </Figure>
            </div>
            {m.supplierCny > 0n && (
              <p className="muted small" data-testid="outcome-supplier-state">
                {m.supplierPaid ? t('dispute.supplierPaid') : t('dispute.supplierQueued')}
              </p>
            )}
            {m.pendingIdr > 0n && (
              <Alert kind="info">
                <span data-testid="outcome-pending">{t('dispute.refundPending', { idr: idr(m.pendingIdr) })}</span>
              </Alert>
            )}
            <ErrorAlert error={wallet.error} />
          </>
        )}
      </div>
      <details className="thread-details" data-testid="dispute-history">
        <summary>{t('dispute.showThread', { n: dispute.messages.length })}</summary>
        <DisputeThread dispute={dispute} authorName={authorName} />
      </details>
    </Card>
  );
}
