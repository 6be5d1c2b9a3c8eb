/**
 * Pieces the importer's wallet and the staff funding console share: status badges, the
 * amount due with its unique code picked out, the deadline countdown, file reading, and
 * an Idempotency-Key per logical write.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, newIdempotencyKey, type Customer, type DepositStatus, type MatchKind, type StatementLineStatus, type WithdrawalStatus } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { money, type MoneyJson } from '../money.ts';
import { Badge, useNow } from '../ui.tsx';

type Tone = 'neutral' | 'green' | 'amber' | 'red' | 'blue';

const DEPOSIT_TONE: Record<DepositStatus, Tone> = { open: 'blue', partially_paid: 'amber', paid: 'green', expired: 'neutral', cancelled: 'neutral' };
const WITHDRAWAL_TONE: Record<WithdrawalStatus, Tone> = { requested: 'blue', approved: 'amber', paid: 'green', rejected: 'red', cancelled: 'neutral' };
const LINE_TONE: Record<StatementLineStatus, Tone> = { matched: 'green', review: 'amber', pending_approval: 'blue', assigned: 'green', returned: 'neutral', debit: 'neutral' };

export function DepositStatusBadge({ status }: { status: DepositStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="deposit-status" data-status={status}>
      <Badge tone={DEPOSIT_TONE[status]}>{t(`deposit.status.${status}`)}</Badge>
    </span>
  );
}

export function WithdrawalStatusBadge({ status }: { status: WithdrawalStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="withdrawal-status" data-status={status}>
      <Badge tone={WITHDRAWAL_TONE[status]}>{t(`withdrawal.status.${status}`)}</Badge>
    </span>
  );
}

export function LineStatusBadge({ status }: { status: StatementLineStatus }) {
  const { t } = useI18n();
  return <Badge tone={LINE_TONE[status]}>{t(`funding.lineStatus.${status}`)}</Badge>;
}

export function matchKindLabel(kind: MatchKind, t: (k: MessageKey) => string): string {
  return t(`funding.match.${kind}`);
}

/** Whole rupiah as plain digits ("12345417"), what a banking app's amount field takes. */
export function rupiahDigits(m: MoneyJson): string {
  const minor = m.amount.replace(/^-/, '').replace(/^0+(?=\d)/, '');
  const whole = minor.length > 2 ? minor.slice(0, -2) : '0';
  return whole.replace(/^0+(?=\d)/, '');
}

/**
 * The amount to transfer with its last three digits marked: they carry the unique code
 * that lets the bank statement recognise the transfer.
 */
export function AmountDue({ amount, testId }: { amount: MoneyJson; testId?: string }) {
  const { lang } = useI18n();
  const text = money(amount, lang);
  // "Rp 12.345.417" → "Rp 12.345." + "417"; amounts below Rp 100 or with sen are shown plain.
  if (!/\d{3}$/.test(text)) return <span data-testid={testId}>{text}</span>;
  const head = text.slice(0, text.length - 3);
  const tail = text.slice(-3);
  return (
    <span className="amount-due" data-testid={testId}>
      {head}
      <mark className="unique-code" data-testid={testId ? `${testId}-code` : undefined}>
        {tail}
      </mark>
    </span>
  );
}

/** "1 hari 02:03:04" / "02:03:04". */
export function countdownText(ms: number, t: (k: MessageKey, p?: Record<string, string | number>) => string): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (n: number) => String(n).padStart(2, '0');
  const clock = `${p(h)}:${p(m)}:${p(s)}`;
  return days > 0 ? t('deposit.daysAnd', { n: days, clock }) : clock;
}

export function Countdown({ until, testId }: { until: string; testId?: string }) {
  const { t } = useI18n();
  const deadline = new Date(until).getTime();
  const now = useNow(1000, true);
  const left = deadline - now;
  if (left <= 0) {
    return (
      <span className="lock lock-expired" data-testid={testId}>
        {t('deposit.deadlinePassed')}
      </span>
    );
  }
  return (
    <span className={`lock${left < 3_600_000 ? ' lock-soon' : ''}`} data-testid={testId}>
      {t('deposit.timeLeft')} <strong className="mono">{countdownText(left, t)}</strong>
    </span>
  );
}

/** Facts in a row of small panels ("figures"). */
export function Figure({ label, children, main = false, testId, hint }: { label: ReactNode; children: ReactNode; main?: boolean; testId?: string; hint?: ReactNode }) {
  return (
    <div className={`figure${main ? ' figure-main' : ''}`}>
      <span className="figure-label">{label}</span>
      <span className="figure-value" data-testid={testId}>
        {children}
      </span>
      {hint && <span className="figure-hint">{hint}</span>}
    </div>
  );
}

/**
 * One Idempotency-Key per logical write: kept while the same write is retried after a
 * network failure, renewed once the server answered (success or a refusal).
 */
export function useIdempotency() {
  const key = useRef(newIdempotencyKey());
  return useCallback(async <T,>(send: (key: string) => Promise<T>): Promise<T> => {
    try {
      const result = await send(key.current);
      key.current = newIdempotencyKey();
      return result;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'network_error')) key.current = newIdempotencyKey();
      throw err;
    }
  }, []);
}

export function readFileAsText(file: File): Promise<string> {
  return file.text();
}

/** The file's bytes as base64 (no data: prefix), for JSON uploads. */
export function readFileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

const customerCache = new Map<string, Promise<Customer | null>>();

/** Customer names for ids shown in staff lists (each fetched once per page load). */
export function useCustomerNames(ids: readonly (string | null | undefined)[]): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  const key = [...new Set(ids.filter((x): x is string => !!x))].sort().join(',');
  useEffect(() => {
    if (!key) return;
    let alive = true;
    const wanted = key.split(',');
    for (const id of wanted) {
      if (!customerCache.has(id)) {
        customerCache.set(
          id,
          api.get<{ customer: Customer }>(`/customers/${encodeURIComponent(id)}`).then(
            (r) => r.customer,
            () => null,
          ),
        );
      }
    }
    void Promise.all(wanted.map(async (id) => [id, await customerCache.get(id)!] as const)).then((pairs) => {
      if (!alive) return;
      setNames(new Map(pairs.flatMap(([id, c]) => (c ? [[id, c.name] as [string, string]] : []))));
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return names;
}

/** A customer by name, the id on hover (just the id while the name loads or when it is unknown). */
export function CustomerCell({ id, names }: { id: string | null; names: Map<string, string> }) {
  if (!id) return <span className="muted">—</span>;
  const name = names.get(id);
  return (
    <div className="cell" title={id}>
      {name ? <span className="strong">{name}</span> : <span className="muted small mono break">{id}</span>}
    </div>
  );
}

/** Brings a panel that opens above a list into view (the list may be scrolled far down). */
export function useScrollIntoView<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    // Hidden above, or under the sticky top bar.
    if (el && el.getBoundingClientRect().top < 72) el.scrollIntoView({ block: 'start' });
  }, []);
  return ref;
}

/** "2026-11-23" in the UI language, without a time (statement value dates). */
export function useFormatDate(): (isoDate: string | null | undefined) => string {
  const { lang } = useI18n();
  return useCallback(
    (isoDate) => {
      if (!isoDate) return '—';
      const [y, m, d] = isoDate.split('-').map(Number);
      if (!y || !m || !d) return isoDate;
      return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
    },
    [lang],
  );
}
