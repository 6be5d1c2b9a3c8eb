import { useCallback, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from './api.ts';
import { useI18n, type Lang } from './i18n.ts';
import { useSession } from './session.tsx';

// ---- buttons --------------------------------------------------------------------------------

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost' | 'link';

export function Button({
  variant = 'primary',
  busy = false,
  small = false,
  className,
  children,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean; small?: boolean }) {
  const classes = ['btn', `btn-${variant}`, small ? 'btn-sm' : '', busy ? 'is-busy' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <span className="spinner" aria-hidden="true" />}
      <span>{children}</span>
    </button>
  );
}

/** A button that asks "Sure?" on the first click and acts on the second. */
export function ConfirmButton({ onConfirm, children, variant = 'secondary', busy, small = true }: { onConfirm: () => void; children: ReactNode; variant?: Variant; busy?: boolean; small?: boolean }) {
  const { t } = useI18n();
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = window.setTimeout(() => setArmed(false), 4000);
    return () => window.clearTimeout(timer);
  }, [armed]);
  return (
    <Button
      variant={armed ? 'danger' : variant}
      small={small}
      busy={busy ?? false}
      onClick={() => {
        if (armed) {
          setArmed(false);
          onConfirm();
        } else setArmed(true);
      }}
    >
      {armed ? t('common.confirm') : children}
    </Button>
  );
}

export function CopyButton({ text, label, testId, ariaLabel }: { text: string; label?: string; testId?: string; ariaLabel?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      small
      data-testid={testId}
      aria-label={ariaLabel}
      onClick={() => {
        const done = () => {
          setCopied(true);
          window.setTimeout(() => setCopied(false), 2000);
        };
        if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, () => undefined);
      }}
    >
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </Button>
  );
}

// ---- forms ------------------------------------------------------------------------------------

export function Field({ label, hint, children, optional }: { label: string; hint?: ReactNode; optional?: boolean; children: (id: string) => ReactNode }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="muted"> ({t('common.optional')})</span>}
      </label>
      {children(id)}
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { lang, t } = useI18n();
  const { changeLanguage } = useSession();
  const options: { value: Lang; short: string }[] = [
    { value: 'id', short: 'ID' },
    { value: 'en', short: 'EN' },
  ];
  return (
    <div className={`lang-switch${compact ? ' compact' : ''}`} role="group" aria-label={t('lang.switch')} data-testid="language-switch">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          className={lang === o.value ? 'active' : ''}
          aria-pressed={lang === o.value}
          title={t(o.value === 'id' ? 'lang.id' : 'lang.en')}
          data-testid={`lang-${o.value}`}
          onClick={() => void changeLanguage(o.value)}
        >
          {o.short}
        </button>
      ))}
    </div>
  );
}

// ---- feedback ----------------------------------------------------------------------------------

export function Alert({ kind = 'info', children, title }: { kind?: 'info' | 'success' | 'warning' | 'error'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title && <div className="alert-title">{title}</div>}
      {children && <div className="alert-body">{children}</div>}
    </div>
  );
}

/** Shows a server problem: its localised title, the detail when it helps, and the request id. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError) {
    const p = error.problem;
    const showDetail = p.detail && ['validation_failed', 'unknown_field', 'conflict', 'not_found', 'weak_password', 'forbidden', 'second_person_required', 'statement_rejected', 'invalid_state', 'line_not_in_review', 'deposit_not_open', 'file_rejected'].includes(p.code);
    return (
      <div className="alert alert-error" role="alert" data-testid="error" data-code={p.code}>
        <div className="alert-title">{p.title}</div>
        {showDetail && <div className="alert-body">{p.detail}</div>}
        {p.requestId && (
          <div className="alert-meta">
            {t('common.requestId')}: <code>{p.requestId}</code>
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert" data-testid="error">
      <div className="alert-title">{t('error.unexpected')}</div>
    </div>
  );
}

/** Nudges a 2FA user whose recovery codes run out (null = 2FA off). */
export function RecoveryCodesWarning({ left }: { left: number | null }) {
  const { t } = useI18n();
  if (left === null || left >= 4) return null;
  return (
    <Alert kind="warning">
      <Link to="/settings">{left === 0 ? t('dash.noRecovery') : t('dash.lowRecovery', { n: left })}</Link>
    </Alert>
  );
}

export function Spinner({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'green' | 'amber' | 'red' | 'blue'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

// ---- layout ------------------------------------------------------------------------------------

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Card({ title, subtitle, actions, children, className, testId }: { title?: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-header">
          <div>
            {title && <h2>{title}</h2>}
            {subtitle && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Mono({ children }: { children: ReactNode }) {
  return <code className="mono">{children}</code>;
}

// ---- data loading --------------------------------------------------------------------------------

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` on mount and whenever `deps` change; the newest call wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const stableLoad = useCallback(load, deps);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(undefined);
    stableLoad().then(
      (v) => {
        if (mine !== seq.current) return;
        setData(v);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(err);
        setLoading(false);
      },
    );
  }, [stableLoad, tick]);

  return { data, error, loading, reload: () => setTick((n) => n + 1) };
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** A short readable device name from a User-Agent string. */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return '—';
  const browser = /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : null;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}

// ---- choices --------------------------------------------------------------------------------------

/** Two to four mutually exclusive options as one bar of buttons (radio inputs underneath). */
export function Segmented<T extends string>({ legend, name, value, options, onChange, testId, hideLegend = false }: { legend: string; name: string; value: T; options: readonly { value: T; label: ReactNode }[]; onChange: (v: T) => void; testId?: string; hideLegend?: boolean }) {
  return (
    <fieldset className="segmented-field" data-testid={testId}>
      <legend className={hideLegend ? 'sr-only' : undefined}>{legend}</legend>
      <div className="segmented" style={options.length !== 2 ? { gridTemplateColumns: `repeat(${options.length}, 1fr)` } : undefined}>
        {options.map((o) => (
          <label key={o.value} className={value === o.value ? 'active' : ''}>
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The current time, refreshed every `ms` while `active`. */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms, active]);
  return now;
}

/**
 * The busy / error / notice state of a form's action. `run` clears them, awaits the action
 * (which may call `setNotice`), and keeps the error it throws for an `ErrorAlert`.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  async function run(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, notice, setNotice, run };
}
