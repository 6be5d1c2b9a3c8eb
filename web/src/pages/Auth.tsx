import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type SessionView } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon, Logo } from '../icons.tsx';
import { useSession } from '../session.tsx';
import { Alert, Button, ErrorAlert, Field, LanguageSwitch, Spinner } from '../ui.tsx';
import { CodeInput, TotpEnrolment } from './TwoFactor.tsx';

/** Brand panel beside the form on wide screens, a header above it on phones. */
export function AuthLayout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="auth">
      <aside className="auth-brand">
        <div className="auth-brand-top">
          <Logo size={40} />
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <div className="auth-brand-body">
          <h2>{t('login.side.title')}</h2>
          <ul>
            <li>
              <Icon name="check" /> {t('login.side.point1')}
            </li>
            <li>
              <Icon name="check" /> {t('login.side.point2')}
            </li>
            <li>
              <Icon name="check" /> {t('login.side.point3')}
            </li>
          </ul>
        </div>
        <p className="auth-brand-foot">{t('app.tagline')}</p>
      </aside>
      <main className="auth-main">
        <div className="auth-toolbar">
          <div className="auth-mobile-brand">
            <Logo size={30} />
            <span className="brand-name">{t('app.name')}</span>
          </div>
          <LanguageSwitch />
        </div>
        <div className={`auth-card${wide ? ' wide' : ''}`}>{children}</div>
      </main>
    </div>
  );
}

function useReturnPath(): string {
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

export function LoginPage() {
  const { state, session, applySession, logout } = useSession();
  const navigate = useNavigate();
  const returnTo = useReturnPath();

  if (state.status === 'loading') return <FullPageLoading />;
  if (!session) return <CredentialsStep onSignedIn={applySession} />;
  if (session.mfa === 'pending') return <SecondFactorStep onVerified={applySession} onOtherAccount={() => void logout()} />;
  if (session.mfa === 'enrolment_required') {
    return (
      <EnrolmentStep
        onDone={(s) => {
          applySession(s);
          navigate(returnTo, { replace: true });
        }}
        onOtherAccount={() => void logout()}
      />
    );
  }
  return <Navigate to={returnTo} replace />;
}

function CredentialsStep({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.post<SessionView>('/auth/login', { email: email.trim(), password }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <h1>{t('login.title')}</h1>
      <p className="muted">{t('login.subtitle')}</p>
      <form onSubmit={submit} className="form" data-testid="login-form">
        <Field label={t('common.email')}>
          {(id) => <input id={id} name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label={t('common.password')}>
          {(id) => <input id={id} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <div className="form-row-end">
          <Link to="/forgot-password">{t('login.forgot')}</Link>
        </div>
        <ErrorAlert error={error} />
        <Button type="submit" busy={busy} className="btn-block">
          {t('login.submit')}
        </Button>
      </form>
      <p className="auth-alt">
        {t('login.noAccount')} <Link to="/register">{t('login.register')}</Link>
      </p>
      <Link to="/harga" className="price-link" data-testid="check-prices">
        <span className="price-link-icon">
          <Icon name="percent" size={18} />
        </span>
        <span className="price-link-text">
          <span className="price-link-title">{t('login.checkPrices')}</span>
          <span className="muted small">{t('login.checkPricesBody')}</span>
        </span>
        <Icon name="arrowRight" size={16} />
      </Link>
    </AuthLayout>
  );
}

function SecondFactorStep({ onVerified, onOtherAccount }: { onVerified: (s: SessionView) => void; onOtherAccount: () => void }) {
  const { t } = useI18n();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = useRecovery ? { recoveryCode: recoveryCode.trim() } : { code };
      onVerified(await api.post<SessionView>('/auth/login/mfa', body));
    } catch (err) {
      setError(err);
      setCode('');
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <div className="auth-icon">
        <Icon name="lock" size={22} />
      </div>
      <h1>{t('mfa.title')}</h1>
      <p className="muted">{useRecovery ? t('mfa.subtitleRecovery') : t('mfa.subtitle')}</p>
      <form onSubmit={submit} className="form" data-testid="mfa-form">
        {useRecovery ? (
          <Field label={t('mfa.recoveryCode')}>
            {(id) => <input id={id} name="recoveryCode" autoComplete="off" autoCapitalize="none" spellCheck={false} required autoFocus value={recoveryCode} onChange={(e) => setRecoveryCode(e.target.value)} />}
          </Field>
        ) : (
          <Field label={t('mfa.code')}>{(id) => <CodeInput id={id} value={code} onChange={setCode} autoFocus />}</Field>
        )}
        <ErrorAlert error={error} />
        <Button type="submit" busy={busy} className="btn-block" disabled={useRecovery ? !recoveryCode.trim() : code.length !== 6}>
          {t('mfa.verify')}
        </Button>
      </form>
      <div className="auth-alt split">
        <Button
          variant="link"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setError(undefined);
          }}
          data-testid="toggle-recovery"
        >
          {useRecovery ? t('mfa.useCode') : t('mfa.useRecovery')}
        </Button>
        <Button variant="link" onClick={onOtherAccount}>
          {t('mfa.otherAccount')}
        </Button>
      </div>
    </AuthLayout>
  );
}

function EnrolmentStep({ onDone, onOtherAccount }: { onDone: (s: SessionView) => void; onOtherAccount: () => void }) {
  const { t } = useI18n();
  return (
    <AuthLayout wide>
      <div data-testid="enrolment">
        <div className="auth-icon">
          <Icon name="shield" size={22} />
        </div>
        <h1>{t('enrol.title')}</h1>
        <p className="muted">{t('enrol.required')}</p>
        <TotpEnrolment onDone={onDone} />
        <div className="auth-alt">
          <Button variant="link" onClick={onOtherAccount}>
            {t('mfa.otherAccount')}
          </Button>
        </div>
      </div>
    </AuthLayout>
  );
}

export function RegisterPage() {
  const { t, lang } = useI18n();
  const { session, applySession } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '', name: '', customerKind: 'company' as 'company' | 'person', customerName: '', phone: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (session) return <Navigate to="/" replace />;

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<SessionView>('/auth/register', {
        email: form.email.trim(),
        password: form.password,
        name: form.name.trim(),
        customerKind: form.customerKind,
        customerName: form.customerName.trim(),
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
        locale: lang,
      });
      applySession(created);
      navigate('/', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <AuthLayout wide>
      <h1>{t('register.title')}</h1>
      <p className="muted">{t('register.subtitle')}</p>
      <form onSubmit={submit} className="form" data-testid="register-form">
        <fieldset className="segmented-field">
          <legend>{t('register.kind')}</legend>
          <div className="segmented">
            {(['company', 'person'] as const).map((k) => (
              <label key={k} className={form.customerKind === k ? 'active' : ''}>
                <input type="radio" name="customerKind" value={k} checked={form.customerKind === k} onChange={() => setForm({ ...form, customerKind: k })} />
                {t(k === 'company' ? 'kind.company' : 'kind.person')}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={t(form.customerKind === 'company' ? 'register.customerName.company' : 'register.customerName.person')}>
          {(id) => <input id={id} name="customerName" required maxLength={200} autoComplete={form.customerKind === 'company' ? 'organization' : 'name'} value={form.customerName} onChange={set('customerName')} />}
        </Field>
        <div className="form-grid">
          <Field label={t('register.contact')}>{(id) => <input id={id} name="name" required maxLength={200} autoComplete="name" value={form.name} onChange={set('name')} />}</Field>
          <Field label={t('common.phone')} optional hint={t('register.phoneHint')}>
            {(id) => <input id={id} name="phone" type="tel" autoComplete="tel" pattern="\+?[0-9 ()\-]{6,20}" value={form.phone} onChange={set('phone')} />}
          </Field>
        </div>
        <Field label={t('common.email')}>{(id) => <input id={id} name="email" type="email" required autoComplete="email" value={form.email} onChange={set('email')} />}</Field>
        <Field label={t('common.password')} hint={t('register.passwordHint')}>
          {(id) => <input id={id} name="password" type="password" required minLength={10} autoComplete="new-password" value={form.password} onChange={set('password')} />}
        </Field>
        <ErrorAlert error={error} />
        <Button type="submit" busy={busy} className="btn-block">
          {t('register.submit')}
        </Button>
      </form>
      <p className="auth-alt">
        {t('register.haveAccount')} <Link to="/login">{t('login.submit')}</Link>
      </p>
    </AuthLayout>
  );
}

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/auth/password-reset/request', { email: email.trim() });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <h1>{t('forgot.title')}</h1>
      {sent ? (
        <Alert kind="success">{t('forgot.sent')}</Alert>
      ) : (
        <>
          <p className="muted">{t('forgot.subtitle')}</p>
          <form onSubmit={submit} className="form">
            <Field label={t('common.email')}>{(id) => <input id={id} type="email" required autoFocus autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
            <ErrorAlert error={error} />
            <Button type="submit" busy={busy} className="btn-block">
              {t('forgot.submit')}
            </Button>
          </form>
        </>
      )}
      <p className="auth-alt">
        <Link to="/login">{t('forgot.backToLogin')}</Link>
      </p>
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>();
  const mismatch = repeat.length > 0 && repeat !== password;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/auth/password-reset/confirm', { token, password });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <h1>{t('reset.title')}</h1>
      {!done && token && <p className="muted">{t('reset.subtitle')}</p>}
      {done ? (
        <Alert kind="success">{t('reset.done')}</Alert>
      ) : !token ? (
        <Alert kind="error">{t('reset.noToken')}</Alert>
      ) : (
        <form onSubmit={submit} className="form">
          <Field label={t('reset.newPassword')} hint={t('register.passwordHint')}>
            {(id) => <input id={id} type="password" required minLength={10} autoFocus autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
          <Field label={t('reset.repeat')} hint={mismatch ? <span className="text-error">{t('reset.mismatch')}</span> : undefined}>
            {(id) => <input id={id} type="password" required minLength={10} autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch || undefined} />}
          </Field>
          <ErrorAlert error={error} />
          <Button type="submit" busy={busy} className="btn-block" disabled={mismatch}>
            {t('reset.submit')}
          </Button>
        </form>
      )}
      <p className="auth-alt">
        <Link to={done ? '/login' : '/forgot-password'}>{done ? t('forgot.backToLogin') : t('reset.newLink')}</Link>
      </p>
    </AuthLayout>
  );
}

export function FullPageLoading() {
  return (
    <div className="full-page-loading">
      <Logo size={44} />
      <Spinner />
    </div>
  );
}
