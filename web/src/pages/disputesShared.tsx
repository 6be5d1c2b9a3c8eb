/**
 * Pieces the importer's order page and the staff dispute desk share: the dispute's status
 * and outcome labels, the thread of messages with evidence links, a message held to the
 * server's minimum length and a field's problem hint, a reply box, the money
 * a decision moved (from the order's own parts), and the split of a part's quote lines
 * that the server applies to a partial refund.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type Dispute, type DisputeResolution, type DisputeStatus, type Installment, type OrderDetail } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import type { MoneyJson } from '../money.ts';
import { Badge, Button, ErrorAlert, Field, useAction } from '../ui.tsx';
import { fieldError, FilePick, known, proofHref, type PickedFile } from './paymentsShared.tsx';

type T = (k: MessageKey, p?: Record<string, string | number>) => string;

export function DisputeStatusBadge({ dispute }: { dispute: Pick<Dispute, 'status' | 'resolution'> & { status: DisputeStatus } }) {
  const { t } = useI18n();
  const tone = dispute.status === 'open' ? 'red' : dispute.resolution === 'release' ? 'green' : 'neutral';
  const label = dispute.status === 'open' ? t('dispute.status.open') : dispute.resolution ? resolutionLabel(dispute.resolution, t) : t('dispute.status.resolved');
  return (
    <span data-testid="dispute-status" data-status={dispute.status} data-resolution={dispute.resolution ?? ''}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}

export function resolutionLabel(r: DisputeResolution | string, t: T): string {
  return known(`dispute.resolution.${r}`, r, t);
}

/** "5 mnt", "3 jam", "2 hari": how long something has been waiting. */
export function ageText(fromIso: string, now: number, t: T): string {
  const minutes = Math.max(0, Math.floor((now - new Date(fromIso).getTime()) / 60_000));
  if (minutes < 60) return t('dispute.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('dispute.age.hours', { n: hours });
  return t('dispute.age.days', { n: Math.floor(hours / 24) });
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

export interface DisputeMoney {
  /** Yuan and rupiah of every part not refunded: paid, or on its way to the supplier. */
  supplierCny: bigint;
  supplierIdr: bigint;
  /** What came (or comes) back to the wallet from this order. */
  walletCny: bigint;
  walletIdr: bigint;
  /** The rupiah of a partial refund still held until the reduced part's payout posts. */
  pendingIdr: bigint;
  /** Every part that is not refunded has been paid. */
  supplierPaid: boolean;
}

/**
 * The money of a decided order, from its own parts: the supplier gets the parts that were
 * not refunded (a partial refund lowered its part's yuan and rupiah); the wallet gets the
 * rest of what the order cost. A refunded part's rupiah are back at once; a partial refund's
 * rupiah stay held until the reduced part is paid (the payout posts only its new rupiah).
 */
export function disputeMoney(detail: Pick<OrderDetail, 'order' | 'installments'>): DisputeMoney | null {
  const total = detail.order.idrTotal;
  if (!total) return null;
  const kept = detail.installments.filter((p) => p.status !== 'refunded');
  const refunded = detail.installments.filter((p) => p.status === 'refunded');
  const supplierCny = sum(kept.map((p) => BigInt(p.cny.amount)));
  const supplierIdr = sum(kept.map((p) => BigInt(p.idr?.amount ?? '0')));
  const walletIdr = BigInt(total.amount) - supplierIdr;
  const refundedIdr = sum(refunded.map((p) => BigInt(p.idr?.amount ?? '0')));
  const supplierPaid = kept.every((p) => p.status === 'paid');
  return {
    supplierCny,
    supplierIdr,
    walletCny: BigInt(detail.order.cny.amount) - supplierCny,
    walletIdr,
    pendingIdr: supplierPaid ? 0n : walletIdr - refundedIdr,
    supplierPaid,
  };
}

/** The part a decision acts on: the server takes the first part still held. */
export function heldPart(installments: Installment[]): Installment | undefined {
  return installments.find((p) => p.status === 'held');
}

/**
 * What a partial refund of `refundMinor` yuan does to a part, exactly as the server splits
 * it: every quote line shared between the refunded and the paid yuan in proportion, rounded
 * down, the paid share taking the rest; the refund is then whole rupiah (rounded down), its
 * sen staying with the paid share. Null when the refund is not inside the part.
 */
export function partialRefundSplit(part: Installment, refundMinor: bigint): { paidCny: bigint; paidIdr: bigint; refundIdr: bigint } | null {
  const cny = BigInt(part.cny.amount);
  if (refundMinor <= 0n || refundMinor >= cny || !part.idr || !part.idrLines) return null;
  const lines = Object.values(part.idrLines).map((m: MoneyJson) => BigInt(m.amount));
  const paidCny = cny - refundMinor;
  let refundIdr = 0n;
  for (const line of lines) refundIdr += (line * refundMinor) / cny;
  refundIdr -= refundIdr % 100n;
  return { paidCny, paidIdr: BigInt(part.idr.amount) - refundIdr, refundIdr };
}

/** The messages of a dispute, oldest first: who wrote, when, the text and any evidence. */
export function DisputeThread({ dispute, authorName }: { dispute: Dispute; authorName: (m: Dispute['messages'][number]) => string }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ol className="thread" data-testid="dispute-thread">
      {dispute.messages.map((m) => (
        <li key={m.id} className={`thread-msg from-${m.author}`} data-testid="dispute-message" data-author={m.author} data-message={m.id}>
          <div className="thread-head">
            <span className="strong" data-testid="message-author">
              {authorName(m)}
            </span>
            <span className="muted small" data-testid="message-time">
              {formatDateTime(m.at)}
            </span>
          </div>
          <p className="thread-body" data-testid="message-body">
            {m.body}
          </p>
          {m.documentId && (
            <a href={proofHref(m.documentId)} target="_blank" rel="noreferrer" className="small thread-evidence" data-testid="message-evidence">
              <Icon name="list" size={14} /> {t('dispute.evidenceOpen')}
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}

/**
 * A message typed in a dispute, held to `minLength` (what the server takes) before it is sent:
 * `check` marks it too short; typing it long enough clears the mark. `problem` is what the
 * field says is wrong: too short, else the server's word on the body.
 */
export function useDisputeBody(minLength: number) {
  const { t } = useI18n();
  const [body, setBody] = useState('');
  const [tooShort, setTooShort] = useState(false);
  return {
    body,
    tooShort,
    check(): boolean {
      if (body.trim().length < minLength) {
        setTooShort(true);
        return false;
      }
      setTooShort(false);
      return true;
    },
    change(value: string) {
      setBody(value);
      if (tooShort && value.trim().length >= minLength) setTooShort(false);
    },
    clear: () => setBody(''),
    problem: (server: string | null) => (tooShort ? t('dispute.bodyTooShort', { n: minLength }) : server),
  };
}

/**
 * A reply in an open dispute. `evidence` adds a file (uploaded first through `upload`);
 * `minLength` is what the server takes (importers 5, staff 2).
 */
export function ReplyBox({
  minLength,
  evidence,
  onSend,
  testId = 'dispute-reply',
}: {
  minLength: number;
  evidence?: { upload: (f: PickedFile) => Promise<string> };
  onSend: (body: string, documentId: string | undefined) => Promise<void>;
  testId?: string;
}) {
  const { t } = useI18n();
  const body = useDisputeBody(minLength);
  const send = useAction();
  const file = useEvidence(evidence?.upload);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.check()) return;
    await send.run(async () => {
      await onSend(body.body.trim(), file.documentId);
      body.clear();
      file.clear();
    });
  }

  const serverBodyError = fieldError(send.error, 'body');
  return (
    <form className="form reply-form" onSubmit={submit} noValidate data-testid={testId}>
      <Field label={t('dispute.reply')} hint={problemHint(body.problem(serverBodyError), 'reply-error-body')}>
        {(id) => <textarea id={id} rows={3} maxLength={2000} value={body.body} onChange={(e) => body.change(e.target.value)} aria-invalid={body.tooShort || serverBodyError ? true : undefined} data-testid="reply-body" />}
      </Field>
      {evidence && <EvidenceField state={file} testId="reply-evidence" />}
      <ErrorAlert error={serverBodyError ? undefined : send.error} />
      <div className="form-actions start">
        <Button type="submit" busy={send.busy} disabled={file.busy} data-testid="reply-send">
          {t('dispute.send')}
        </Button>
      </div>
    </form>
  );
}

/** A field's hint: the problem with what was typed (in red, under its test id) when there is one, else the ordinary `hint`. */
export function problemHint(problem: string | null | undefined, testId: string, hint?: ReactNode): ReactNode {
  return problem ? (
    <span className="text-error" data-testid={testId}>
      {problem}
    </span>
  ) : (
    hint
  );
}

export interface EvidenceState {
  picked: PickedFile | undefined;
  documentId: string | undefined;
  busy: boolean;
  error: unknown;
  invalid: boolean;
  pick(f: PickedFile): void;
  setInvalid(): void;
  clear(): void;
}

/** An evidence file: checked in the browser for type and size, uploaded on pick, its id kept for the message. */
export function useEvidence(upload: ((f: PickedFile) => Promise<string>) | undefined): EvidenceState {
  const [picked, setPicked] = useState<PickedFile>();
  const [documentId, setDocumentId] = useState<string>();
  const [invalid, setInvalidState] = useState(false);
  const action = useAction();
  return {
    picked,
    documentId,
    busy: action.busy,
    error: action.error,
    invalid,
    pick(f) {
      setInvalidState(false);
      setPicked(f);
      setDocumentId(undefined);
      if (!upload) return;
      void action.run(async () => {
        setDocumentId(await upload(f));
      });
    },
    setInvalid() {
      setPicked(undefined);
      setDocumentId(undefined);
      setInvalidState(true);
    },
    clear() {
      setPicked(undefined);
      setDocumentId(undefined);
      setInvalidState(false);
    },
  };
}

/** The evidence picker with its state beside it: uploading, uploaded, or why it was refused. */
export function EvidenceField({ state, testId }: { state: EvidenceState; testId: string }) {
  const { t } = useI18n();
  const refused = state.invalid ? t('dispute.evidenceInvalid') : state.error ? serverFileError(state.error, t) : null;
  return (
    <div className="field" data-testid={`${testId}-field`}>
      <span className="field-label">
        {t('dispute.evidence')} <span className="muted">({t('common.optional')})</span>
      </span>
      <FilePick label={t('wizard.invoicePick')} hint={t('dispute.evidenceHint')} value={state.picked} testId={testId} onInvalid={state.setInvalid} onPick={state.pick} />
      {state.busy && (
        <div className="hint" data-testid={`${testId}-uploading`}>
          {t('wizard.uploading')}
        </div>
      )}
      {state.documentId && state.picked && (
        <div className="hint text-ok" data-testid={`${testId}-uploaded`}>
          <Icon name="check" size={14} /> {t('wizard.invoiceUploaded', { name: state.picked.fileName })}
        </div>
      )}
      {refused && (
        <div className="hint text-error" role="alert" data-testid={`${testId}-error`}>
          {refused}
        </div>
      )}
    </div>
  );
}

function serverFileError(err: unknown, t: T): string {
  if (err instanceof ApiError) return [err.problem.title, err.problem.detail].filter(Boolean).join(' ');
  return t('error.unexpected');
}
