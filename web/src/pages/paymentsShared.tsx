/**
 * Pieces the importer's payment pages and the staff payout console share: status badges,
 * labels for modes, payee kinds and risk flags, the parts of an order, its status
 * timeline, its payouts with proof, field errors from the server, and file picking (and evidence upload).
 */
import { useRef, useState, type ReactNode } from 'react';
import {
  api,
  ApiError,
  type FlagCode,
  type FlagStatus,
  type ImporterPayout,
  type Installment,
  type InstallmentStatus,
  type OrderMode,
  type OrderStatus,
  type OrderTransition,
  type Payee,
  type PayeeKind,
  type Payout,
  type PayoutStatus,
  type SlaState,
  type UploadedDocument,
} from '../api.ts';
import { hasMessage, useI18n, type MessageKey } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { formatPercent, money, type MoneyJson } from '../money.ts';
import { Badge, Button, CopyButton, Mono } from '../ui.tsx';
import { readFileAsBase64 } from './fundingShared.tsx';

type Tone = 'neutral' | 'green' | 'amber' | 'red' | 'blue';
type T = (k: MessageKey, p?: Record<string, string | number>) => string;

const ORDER_TONE: Record<OrderStatus, Tone> = {
  draft: 'neutral',
  awaiting_funds: 'blue',
  funded: 'blue',
  held: 'amber',
  queued: 'blue',
  in_payout: 'blue',
  paid: 'green',
  completed: 'green',
  cancelled: 'neutral',
  refunded: 'neutral',
  failed: 'red',
  disputed: 'red',
};
const INSTALLMENT_TONE: Record<InstallmentStatus, Tone> = { pending: 'neutral', held: 'amber', queued: 'blue', in_payout: 'blue', awaiting_approval: 'amber', paid: 'green', refunded: 'neutral' };
const PAYOUT_TONE: Record<PayoutStatus, Tone> = { submitted: 'blue', awaiting_approval: 'amber', paid: 'green', failed: 'red', rejected: 'red' };
const SLA_TONE: Record<SlaState, Tone> = { ok: 'green', warning: 'amber', breached: 'red' };

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="order-status" data-status={status}>
      <Badge tone={ORDER_TONE[status] ?? 'neutral'}>{known(`pay.status.${status}`, status, t)}</Badge>
    </span>
  );
}

export function InstallmentStatusBadge({ status }: { status: InstallmentStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="part-status" data-status={status}>
      <Badge tone={INSTALLMENT_TONE[status] ?? 'neutral'}>{known(`pay.partStatus.${status}`, status, t)}</Badge>
    </span>
  );
}

export function PayoutStatusBadge({ status }: { status: PayoutStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="payout-status" data-status={status}>
      <Badge tone={PAYOUT_TONE[status] ?? 'neutral'}>{known(`pay.payoutStatus.${status}`, status, t)}</Badge>
    </span>
  );
}

export function FlagBadge({ code, severity, status }: { code: FlagCode; severity: 'info' | 'high'; status?: FlagStatus }) {
  const { t } = useI18n();
  const tone: Tone = status === 'cleared' ? 'green' : status === 'confirmed' ? 'red' : severity === 'high' ? 'red' : 'neutral';
  return (
    <span data-testid="flag-badge" data-code={code} data-severity={severity}>
      <Badge tone={tone}>{flagLabel(code, t)}</Badge>
    </span>
  );
}

export function SlaBadge({ sla, minutes, target }: { sla: SlaState; minutes: number; target: number }) {
  const { t } = useI18n();
  return (
    <span data-testid="sla-badge" data-sla={sla} title={t('desk.slaTitle', { target })}>
      <Badge tone={SLA_TONE[sla]}>
        <Icon name="clock" size={13} /> {known(`desk.sla.${sla}`, sla, t)} · {t('desk.minutes', { n: minutes, target })}
      </Badge>
    </span>
  );
}

/** A message for a value the server names (a status, a mode), or the value itself when the UI does not know it yet. */
export function known(key: string, fallback: string, t: T): string {
  return hasMessage(key) ? t(key) : fallback;
}

export function modeLabel(mode: OrderMode, t: T): string {
  return known(`pay.mode.${mode}`, mode, t);
}

export function payeeKindLabel(kind: PayeeKind, t: T): string {
  return known(`payee.kind.${kind}`, kind, t);
}

export function flagLabel(code: FlagCode | string, t: T): string {
  return known(`risk.code.${code}`, code, t);
}

/** One line about a payee: "Alipay · 13800138000 · 张伟" / "ICBC · 6222… · 义乌…". */
export function payeeSummary(p: Pick<Payee, 'kind' | 'account' | 'holderName' | 'bankName'>, t: T): string {
  const rail = p.kind === 'bank' ? (p.bankName ?? payeeKindLabel('bank', t)) : payeeKindLabel(p.kind, t);
  return `${rail} · ${p.account} · ${p.holderName}`;
}

/** "30.00" → "30 %" */
export function percentText(percent: string, lang: 'id' | 'en'): string {
  return formatPercent(percent, lang, { maxFraction: 2 });
}

/** The server's reasons on the status history are short English phrases; the common ones read in the UI language. */
export function transitionReason(reason: string | null, t: T, staff = false): string {
  if (!reason) return '';
  const fixed: Record<string, MessageKey> = {
    created: 'pay.reason.created',
    'funded from the wallet': 'pay.reason.fundedWallet',
    'queued for payout': 'pay.reason.queued',
    'escrow: held until released': 'pay.reason.escrowHeld',
    'claimed for payout': 'pay.reason.claimed',
    'released by the importer': 'pay.reason.released',
    'cancelled by the importer': 'pay.reason.cancelled',
    'confirmed by the importer': 'pay.reason.confirmed',
    'escrow period ended without a dispute': 'pay.reason.autoReleased',
    'the transfer arrived after the quote expired: the money is in the wallet, request a new quote': 'pay.reason.late',
    'the transfer did not arrive in time: any money received is in the wallet, request a new quote': 'pay.reason.lateTransfer',
    'the deposit expired before the whole amount arrived: any money received is in the wallet, request a new quote': 'pay.reason.depositExpired',
    'the wallet no longer holds enough for this order (it was spent meanwhile): request a new quote': 'pay.reason.walletSpent',
  };
  const key = fixed[reason];
  if (key) return t(key);
  let m = /^paid, ref (.+)$/.exec(reason);
  if (m) return t('pay.reason.paid', { ref: m[1]! });
  m = /^deposit (\S+) paid$/.exec(reason);
  if (m) return t('pay.reason.depositPaid', { id: m[1]! });
  m = /^deposit (\S+)$/.exec(reason);
  if (m) return t('pay.reason.deposit', { id: m[1]! });
  m = /^batch deposit (\S+)$/.exec(reason);
  if (m) return t('pay.reason.batchDeposit', { id: m[1]! });
  m = /^payout failed: (.+)$/.exec(reason);
  if (m) return t('pay.reason.failed', { reason: m[1]! });
  m = /^(\S+) payout failed: (.+)$/.exec(reason);
  if (m) return t('pay.reason.railFailed', { rail: m[1]!, reason: m[2]! });
  // Compliance's code and note, and finance's refusal, are for staff; the importer reads what happened.
  m = /^risk confirmed \(([^)]+)\): (.+)$/.exec(reason);
  if (m) return staff ? t('pay.reason.riskConfirmed', { code: flagLabel(m[1]!, t), note: m[2]! }) : t('pay.reason.riskRefunded');
  m = /^payout rejected: (.+)$/.exec(reason);
  if (m) return staff ? t('pay.reason.payoutRejected', { reason: m[1]! }) : '';
  m = /^dispute (release|refund|partial_refund): (.+)$/.exec(reason);
  if (m) return t('pay.reason.dispute', { resolution: known(`dispute.resolution.${m[1]!}`, m[1]!, t).toLowerCase(), note: m[2]! });
  return reason;
}

/** The parts of an order: one for direct and escrow, two or more for installments. */
export function PartsTable({ parts, staff = false }: { parts: Installment[]; staff?: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="parts-table">
        <thead>
          <tr>
            <th>{t('pay.part')}</th>
            <th className="right">{t('pay.yuan')}</th>
            <th className="right">{t('pay.rupiah')}</th>
            <th>{t('common.status')}</th>
            <th>{staff ? t('pay.partClaimed') : t('pay.paidAt')}</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((p) => (
            <tr key={p.id} data-testid="part-row" data-part={p.seq}>
              <td data-label={t('pay.part')}>
                <span>
                  <span className="strong">{parts.length > 1 ? t('pay.partN', { n: p.seq, of: parts.length }) : t('pay.partWhole')}</span>
                  <span className="muted small"> · {percentText(p.percent, lang)}</span>
                </span>
              </td>
              <td data-label={t('pay.yuan')} className="right nowrap strong" data-testid="part-cny">
                {money(p.cny, lang)}
              </td>
              <td data-label={t('pay.rupiah')} className="right nowrap" data-testid="part-idr">
                {p.idr ? money(p.idr, lang) : <span className="muted">{t('pay.noQuoteYet')}</span>}
              </td>
              <td data-label={t('common.status')}>
                <InstallmentStatusBadge status={p.status} />
              </td>
              <td data-label={staff ? t('pay.partClaimed') : t('pay.paidAt')} className="small">
                {p.paidAt ? formatDateTime(p.paidAt) : staff && p.claimedBy ? <span className="mono break">{p.claimedBy}</span> : <span className="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The order's status history, oldest first, as a vertical timeline. */
export function Timeline({ transitions, meId, staff = false }: { transitions: OrderTransition[]; meId: string; staff?: boolean }) {
  const { t, formatDateTime } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {transitions.map((tr, i) => {
        const who = tr.actor.type === 'system' ? t('pay.actor.system') : tr.actor.id && tr.actor.id === meId ? t('pay.actor.you') : staff ? (tr.actor.id ?? null) : null;
        return (
          <li key={`${tr.at}-${i}`} data-testid="timeline-step" data-to={tr.to} className={`timeline-step tone-${ORDER_TONE[tr.to]}`}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-body">
              <div className="timeline-head">
                <OrderStatusBadge status={tr.to} />
                <span className="muted small">{formatDateTime(tr.at)}</span>
              </div>
              {(tr.reason || who) && (
                <div className="small">
                  {transitionReason(tr.reason, t, staff)}
                  {who && (
                    <span className="muted">
                      {tr.reason ? ' · ' : ''}
                      {staff && tr.actor.type !== 'system' && tr.actor.id !== meId ? <span className="mono">{who}</span> : who}
                    </span>
                  )}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function proofHref(documentId: string): string {
  return `/api/documents/${encodeURIComponent(documentId)}`;
}

/** Payouts of an order: reference, amount, when, and the proofs to download. */
export function PayoutsList({ orderId, payouts, staff = false, floatNames }: { orderId: string; payouts: (Payout | ImporterPayout)[]; staff?: boolean; floatNames?: Map<string, string> }) {
  const { t, lang, formatDateTime } = useI18n();
  if (payouts.length === 0) return <p className="muted small">{staff ? t('pay.noPayoutsStaff') : t('pay.noPayouts')}</p>;
  return (
    <ul className="fact-list payouts" data-testid="payouts">
      {payouts.map((p) => (
        <li key={p.id} data-testid="payout-row" data-payout={p.id}>
          <span className="cell">
            <span>
              {t('pay.providerReference')}: <span className="mono strong" data-testid="payout-reference">{p.providerReference}</span>
            </span>
            <span className="muted small">
              <span data-testid="payout-time">{formatDateTime(('paidAt' in p ? p.paidAt : undefined) ?? p.decidedAt ?? p.createdAt)}</span>
              {staff && floatNames && 'floatAccountId' in p && <> · {floatNames.get(p.floatAccountId) ?? p.floatAccountId}</>}
            </span>
            {staff && 'failureReason' in p && p.failureReason && <span className="small text-error">{p.failureReason}</span>}
            {p.proofDocumentId && (
              <a href={proofHref(p.proofDocumentId)} download className="small" data-testid="payout-proof">
                {t('pay.downloadProof')}
              </a>
            )}
            {p.status === 'paid' && (
              <a href={`/api/payment-orders/${encodeURIComponent(orderId)}/payouts/${encodeURIComponent(p.id)}/proof`} target="_blank" rel="noreferrer" className="small" data-testid="payout-supplier-proof">
                {t('pay.supplierProof')}
              </a>
            )}
          </span>
          <span className="cell right">
            <strong>{money(p.cny, lang)}</strong>
            {staff && <PayoutStatusBadge status={p.status} />}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A value an operator types into another app: shown big enough to check, with a copy button. */
export function CopyField({ label, value, testId }: { label: string; value: string | null; testId: string }) {
  const { t } = useI18n();
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className="copy-row">
        <span className="mono copy-value" data-testid={testId}>
          {value}
        </span>
        <CopyButton text={value} testId={`copy-${testId}`} ariaLabel={t('desk.copyField', { field: label })} />
      </dd>
    </>
  );
}

/** The field a server refusal points at: `field` of our own checks, or the path of a schema error. */
export function problemField(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.problem.field) return err.problem.field;
  const path = err.problem.errors?.[0]?.path;
  return path ? (path.split('/').filter(Boolean)[0] ?? null) : null;
}

/** The server's words about one field (English detail), or null when the error is about another. */
export function fieldError(err: unknown, field: string): string | null {
  if (problemField(err) !== field || !(err instanceof ApiError)) return null;
  const p = err.problem;
  if (p.field) return p.detail ?? p.title;
  const issue = p.errors?.find((e) => e.path.split('/').filter(Boolean)[0] === field);
  return issue ? `${field} ${issue.message}` : (p.detail ?? p.title);
}

/** What the server takes as an invoice or proof (checked there by content; here only the obvious). */
export const DOCUMENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf'];
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

export interface PickedFile {
  fileName: string;
  contentBase64: string;
  size: number;
}

/** A file picker button with the chosen file's name; refuses other types and large files before upload. */
export function FilePick({ label, hint, value, onPick, onInvalid, testId }: { label: ReactNode; hint: string; value: PickedFile | undefined; onPick: (f: PickedFile) => void; onInvalid: () => void; testId: string }) {
  const ref = useRef<HTMLInputElement>(null);
  const [reading, setReading] = useState(false);
  return (
    <div className="file-row">
      <input
        ref={ref}
        type="file"
        accept={DOCUMENT_TYPES.join(',')}
        className="sr-only"
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (!f) return;
          if ((f.type && !DOCUMENT_TYPES.includes(f.type)) || f.size > DOCUMENT_MAX_BYTES || f.size === 0) {
            onInvalid();
            return;
          }
          setReading(true);
          void readFileAsBase64(f)
            .then((b64) => onPick({ fileName: f.name, contentBase64: b64, size: f.size }))
            .finally(() => setReading(false));
        }}
      />
      <Button variant="secondary" small busy={reading} onClick={() => ref.current?.click()}>
        <Icon name="list" size={15} /> {label}
      </Button>
      <span className="muted small" data-testid={`${testId}-name`}>
        {value ? `${value.fileName} (${Math.max(1, Math.round(value.size / 1024))} KB)` : hint}
      </span>
    </div>
  );
}

/** Uploads a picked file as evidence (a claim's, a dispute's); its document id for the write that cites it. */
export async function uploadEvidence(f: PickedFile): Promise<string> {
  const res = await api.post<{ document: UploadedDocument }>('/documents', { kind: 'evidence', fileName: f.fileName, contentBase64: f.contentBase64 });
  return res.document.id;
}

/** Splits yuan by percentages like the server: each part rounded down to the fen, the last takes the rest. */
export function splitByPercent(totalMinor: bigint, percents: string[]): bigint[] | null {
  const hundredths = percents.map((p) => {
    const m = /^([0-9]{1,3})(?:[.,]([0-9]{1,2}))?$/.exec(p.trim());
    if (!m) return null;
    return BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  });
  if (hundredths.some((h) => h === null || h <= 0n)) return null;
  const hs = hundredths as bigint[];
  if (hs.reduce((a, b) => a + b, 0n) !== 10_000n) return null;
  const parts = hs.map((h) => (totalMinor * h) / 10_000n);
  parts[parts.length - 1] = totalMinor - parts.slice(0, -1).reduce((a, b) => a + b, 0n);
  return parts;
}

/** A typed percent ("30", "12,5") as the number the API takes. */
export function percentNumber(p: string): number {
  return Number(p.trim().replace(',', '.'));
}

export function Amount({ value, testId }: { value: MoneyJson | null | undefined; testId?: string }) {
  const { lang } = useI18n();
  return <span data-testid={testId}>{value ? money(value, lang) : '—'}</span>;
}

export function OrderNumbers({ numbers }: { numbers: string[] }) {
  return (
    <span className="chips order-numbers" data-testid="order-numbers">
      {numbers.map((n) => (
        <span key={n} className="chip mono">
          {n}
        </span>
      ))}
    </span>
  );
}

export function IdText({ id }: { id: string }) {
  return <Mono>{id}</Mono>;
}
