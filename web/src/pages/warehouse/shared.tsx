/** What the warehouse console's tabs share: who is signed in and what they may do, the warehouses, links to papers and evidence, the server's field errors, a claim decision. */
import { useState, type ReactNode } from 'react';
import { api, ApiError, type ClaimStatus, type Warehouse } from '../../api.ts';
import { useI18n } from '../../i18n.ts';
import { minorToInput, parseAmount } from '../../money.ts';
import { Button, ErrorAlert, Field, useAction, type Loaded } from '../../ui.tsx';
import { useIdempotency } from '../fundingShared.tsx';
import { ClaimStatusBadge } from '../forwardingShared.tsx';

/** Who corrects a paid invoice with a credit note. */
export const CREDITORS = ['finance', 'admin'];
/** Every staff role opens a shipment's papers and claim evidence through the staff routes. */
export const shipmentDocumentHref = (shipmentId: string, documentId: string) => `/api/staff/shipments/${encodeURIComponent(shipmentId)}/documents/${encodeURIComponent(documentId)}`;
export const claimEvidenceHref = (claimId: string) => `/api/staff/parcel-claims/${encodeURIComponent(claimId)}/evidence`;

export interface WarehouseCtx {
  role: string;
  me: string;
  canWork: boolean;
  isAdmin: boolean;
  warehouses: Loaded<{ warehouses: Warehouse[] }>;
  code(id: string): string;
  openParcel(id: string): void;
}

// ---- field errors from the server --------------------------------------------------------------------

/** The field a problem names: `field` of a use-case refusal, or the path of a schema error ("/weightKg"). */
export function problemFields(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const p = error.problem;
  const out: Record<string, string> = {};
  if (p.field) out[p.field] = p.detail ?? p.title;
  for (const e of p.errors ?? []) {
    const name = e.path.replace(/^\//, '').split('/')[0];
    if (name && !out[name]) out[name] = e.message;
  }
  return out;
}

export function FieldError({ message, testId }: { message: string | undefined; testId: string }) {
  if (!message) return null;
  return (
    <span className="text-error" data-testid={testId}>
      {message}
    </span>
  );
}

// ---- a claim decided (parcel claims, insurance claims) --------------------------------------------------------

/**
 * A parcel claim or an insurance claim in a list: who or how much (`title`), its state and
 * `meta` (when, what for), what the claimant wrote, `extra` (evidence, what was approved), the
 * decision's note, and `children` (the decision, while it is pending).
 */
export function ClaimItem({ claim, testId, title, meta, text, extra, children }: { claim: { id: string; status: ClaimStatus; decisionNote: string | null }; testId?: string; title: ReactNode; meta: ReactNode; text: string; extra: ReactNode; children: ReactNode }) {
  return (
    <li className="claim-item" data-testid={testId} data-claim={claim.id} data-status={claim.status}>
      <div className="claim-head">
        <span className="strong">{title}</span>
        <ClaimStatusBadge status={claim.status} />
        <span className="muted small">{meta}</span>
      </div>
      <p className="small pre-line">{text}</p>
      {extra}
      {claim.decisionNote && <p className="small muted">{claim.decisionNote}</p>}
      {children}
    </li>
  );
}

export function DecideForm({ path, onDone, withAmount }: { path: string; onDone: () => void; withAmount?: { max: string } }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState(withAmount ? minorToInput(withAmount.max) : '');
  const { busy, error, run } = useAction();
  const idempotent = useIdempotency();
  const decide = (decision: 'approved' | 'rejected') =>
    void run(async () => {
      const minor = withAmount && decision === 'approved' ? parseAmount(amount, 2) : null;
      await idempotent((key) => api.post(path, { decision, note: note.trim(), ...(minor ? { amount: { amount: minor, currency: 'IDR' } } : {}) }, { idempotencyKey: key }));
      onDone();
    });
  return (
    <div className="decision-form" data-testid="decide-form">
      {withAmount && (
        <Field label={t('wh.insurance.amount')}>
          {(id) => (
            <div className="affix-input">
              <span className="affix">Rp</span>
              <input id={id} inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="decide-amount" />
            </div>
          )}
        </Field>
      )}
      <Field label={t('wh.decisionNote')}>{(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="decide-note" />}</Field>
      <ErrorAlert error={error} />
      <div className="form-actions start">
        <Button small busy={busy} disabled={note.trim().length < 3} onClick={() => decide('approved')} data-testid="decide-approve">
          {t('wh.approve')}
        </Button>
        <Button small variant="danger" busy={busy} disabled={note.trim().length < 3} onClick={() => decide('rejected')} data-testid="decide-reject">
          {t('wh.reject')}
        </Button>
      </div>
    </div>
  );
}
