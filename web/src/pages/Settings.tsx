import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, API_KEY_SCOPES, type ApiKey, type ApiKeyScope, type SessionInfo, type SessionView } from '../api.ts';
import { useI18n, type Lang } from '../i18n.ts';
import { useSession, useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, ConfirmButton, CopyButton, Empty, ErrorAlert, Field, Mono, PageHeader, Spinner, describeUserAgent, useLoad } from '../ui.tsx';
import { CodeInput, RecoveryCodes, TotpEnrolment } from './TwoFactor.tsx';

export function SettingsPage() {
  const { t } = useI18n();
  const session = useSignedIn();
  const isImporter = session.user.role === 'importer';
  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <div className="settings">
        <ProfileSection />
        <PasswordSection />
        <TwoFactorSection />
        <SessionsSection />
        {isImporter && <ApiKeysSection />}
      </div>
    </>
  );
}

function ProfileSection() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { applySession } = useSession();
  const [name, setName] = useState(session.user.name);
  const [locale, setLocale] = useState<Lang>(session.user.locale);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  // The header's language switch (or another tab) may change the account meanwhile.
  useEffect(() => {
    setName(session.user.name);
    setLocale(session.user.locale);
  }, [session.user.name, session.user.locale]);
  const changes = {
    ...(name.trim() && name.trim() !== session.user.name ? { name: name.trim() } : {}),
    ...(locale !== session.user.locale ? { locale } : {}),
  };
  const dirty = Object.keys(changes).length > 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      applySession(await api.patch<SessionView>('/account', changes));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('settings.profile')}>
      <form className="form" onSubmit={submit}>
        <div className="form-grid">
          <Field label={t('common.name')}>{(id) => <input id={id} required maxLength={200} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Field label={t('common.email')}>{(id) => <input id={id} value={session.user.email} readOnly disabled />}</Field>
          <Field label={t('common.language')}>
            {(id) => (
              <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Lang)}>
                <option value="id">{t('lang.id')}</option>
                <option value="en">{t('lang.en')}</option>
              </select>
            )}
          </Field>
        </div>
        <ErrorAlert error={error} />
        {saved && !dirty && <Alert kind="success">{t('settings.profileSaved')}</Alert>}
        <div className="form-actions">
          <Button type="submit" busy={busy} disabled={!dirty}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PasswordSection() {
  const { t } = useI18n();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await api.post('/account/password', { currentPassword, newPassword });
      setDone(true);
      setCurrent('');
      setNew('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('settings.password')}>
      <form className="form" onSubmit={submit}>
        <div className="form-grid">
          <Field label={t('settings.currentPassword')}>
            {(id) => <input id={id} type="password" required autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />}
          </Field>
          <Field label={t('settings.newPassword')} hint={t('register.passwordHint')}>
            {(id) => <input id={id} type="password" required minLength={10} autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} />}
          </Field>
        </div>
        <ErrorAlert error={error} />
        {done && <Alert kind="success">{t('settings.passwordChanged')}</Alert>}
        <div className="form-actions">
          <Button type="submit" busy={busy}>
            {t('settings.passwordChange')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function TwoFactorSection() {
  const { t } = useI18n();
  const session = useSignedIn();
  const { applySession, refresh } = useSession();
  const isImporter = session.user.role === 'importer';
  const enabled = session.user.twoFactorEnabled;
  const [mode, setMode] = useState<'idle' | 'enrol' | 'regenerate' | 'disable'>('idle');
  const [notice, setNotice] = useState<string>();
  const [codes, setCodes] = useState<string[]>();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  function reset(next: typeof mode = 'idle') {
    setMode(next);
    setCode('');
    setPassword('');
    setError(undefined);
    setNotice(undefined);
  }

  async function regenerate(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ recoveryCodes: string[] }>('/account/2fa/recovery-codes', { code });
      setCodes(res.recoveryCodes);
      reset();
      await refresh();
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  async function disable(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/account/2fa/disable', { password, code });
      reset();
      setNotice(t('settings.2faDisabled'));
      await refresh();
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={t('settings.2fa')}
      actions={<Badge tone={enabled ? 'green' : 'neutral'}>{enabled ? t('settings.2faOn') : t('settings.2faOff')}</Badge>}
      testId="two-factor"
    >
      {notice && <Alert kind="success">{notice}</Alert>}
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => setCodes(undefined)} />
      ) : mode === 'enrol' ? (
        <TotpEnrolment
          onCancel={() => reset()}
          onDone={(s) => {
            applySession(s);
            reset();
            setNotice(t('settings.2faEnabled'));
          }}
        />
      ) : !enabled ? (
        <>
          <p className="muted">{t('settings.2faOffBody')}</p>
          <div className="form-actions start">
            <Button onClick={() => reset('enrol')}>{t('settings.2faEnable')}</Button>
          </div>
        </>
      ) : (
        <>
          <p className="muted">{t('settings.2faOnBody')}</p>
          {session.recoveryCodesLeft !== null && (
            <p>
              <Badge tone={session.recoveryCodesLeft < 4 ? 'amber' : 'neutral'}>{t('settings.recoveryLeft', { n: session.recoveryCodesLeft })}</Badge>
            </p>
          )}
          {!isImporter && <Alert kind="info">{t('settings.2faStaff')}</Alert>}
          {mode === 'regenerate' && (
            <form className="form sub-form" onSubmit={regenerate}>
              <p className="muted small">{t('settings.recoveryRegenerateBody')}</p>
              <Field label={t('mfa.code')}>{(id) => <CodeInput id={id} value={code} onChange={setCode} autoFocus />}</Field>
              <ErrorAlert error={error} />
              <div className="form-actions">
                <Button variant="secondary" onClick={() => reset()}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" busy={busy} disabled={code.length !== 6}>
                  {t('settings.recoveryRegenerate')}
                </Button>
              </div>
            </form>
          )}
          {mode === 'disable' && (
            <form className="form sub-form" onSubmit={disable}>
              <div className="form-grid">
                <Field label={t('common.password')}>
                  {(id) => <input id={id} type="password" required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
                </Field>
                <Field label={t('mfa.code')}>{(id) => <CodeInput id={id} value={code} onChange={setCode} />}</Field>
              </div>
              <ErrorAlert error={error} />
              <div className="form-actions">
                <Button variant="secondary" onClick={() => reset()}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" variant="danger" busy={busy} disabled={code.length !== 6 || !password}>
                  {t('settings.2faDisable')}
                </Button>
              </div>
            </form>
          )}
          {mode === 'idle' && (
            <div className="form-actions start">
              <Button variant="secondary" onClick={() => reset('regenerate')}>
                {t('settings.recoveryRegenerate')}
              </Button>
              {isImporter && (
                <Button variant="ghost" onClick={() => reset('disable')}>
                  {t('settings.2faDisable')}
                </Button>
              )}
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function SessionsSection() {
  const { t, formatDateTime } = useI18n();
  const { clear } = useSession();
  const navigate = useNavigate();
  const sessions = useLoad(() => api.get<{ sessions: SessionInfo[] }>('/account/sessions'), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function logoutAll() {
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/auth/logout-all');
      clear();
      navigate('/login', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const list = sessions.data?.sessions ?? [];
  return (
    <Card
      title={t('settings.sessions')}
      subtitle={t('settings.sessionsBody')}
      actions={
        <ConfirmButton variant="secondary" busy={busy} onConfirm={() => void logoutAll()}>
          {t('settings.logoutAll')}
        </ConfirmButton>
      }
    >
      <ErrorAlert error={sessions.error ?? error} />
      {sessions.loading && !sessions.data ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Empty>{t('common.empty')}</Empty>
      ) : (
        <ul className="session-list" data-testid="sessions">
          {list.map((s) => (
            <li key={s.id} className={s.current ? 'current' : ''}>
              <div>
                <div className="strong">
                  {describeUserAgent(s.userAgent)} {s.current && <Badge tone="green">{t('settings.sessionCurrent')}</Badge>}
                </div>
                <div className="muted small">
                  {s.ip ?? t('common.none')} · {t('settings.sessionLastSeen')}: {formatDateTime(s.lastSeenAt)}
                </div>
              </div>
              <div className="muted small right">
                {t('settings.sessionExpires')}: {formatDateTime(s.expiresAt)}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{t('settings.logoutAllBody')}</p>
    </Card>
  );
}

function ApiKeysSection() {
  const { t, formatDateTime } = useI18n();
  const keys = useLoad(() => api.get<{ apiKeys: ApiKey[] }>('/api-keys'), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['account:read']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<{ key: string; apiKey: ApiKey }>();
  const [revoking, setRevoking] = useState<string>();

  function toggle(scope: ApiKeyScope) {
    setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    if (scopes.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ key: string; apiKey: ApiKey }>('/api-keys', { name: name.trim(), scopes });
      setCreated(res);
      setName('');
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    setRevoking(key.id);
    setError(undefined);
    try {
      await api.delete(`/api-keys/${encodeURIComponent(key.id)}`);
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRevoking(undefined);
    }
  }

  const list = keys.data?.apiKeys ?? [];
  return (
    <Card title={t('settings.apiKeys')} subtitle={t('settings.apiKeysBody')} testId="api-keys">
      {created && (
        <div className="new-key" data-testid="new-api-key">
          <Alert kind="warning" title={t('settings.apiKeyCreated')}>
            {t('settings.apiKeyOnce')}
          </Alert>
          <div className="secret-row">
            <code className="secret" data-testid="api-key-value">
              {created.key}
            </code>
            <CopyButton text={created.key} />
          </div>
          <div className="form-actions start">
            <Button variant="secondary" small onClick={() => setCreated(undefined)}>
              {t('settings.apiKeyDone')}
            </Button>
          </div>
        </div>
      )}
      <ErrorAlert error={keys.error} />
      {keys.loading && !keys.data ? (
        <Spinner />
      ) : list.length === 0 ? (
        <Empty>{t('settings.apiKeyNone')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('settings.apiKeyScopes')}</th>
                <th>{t('settings.apiKeyLastUsed')}</th>
                <th className="right">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id} className={k.revokedAt ? 'row-muted' : ''}>
                  <td data-label={t('common.name')}>
                    <div className="cell">
                      <span className="strong">{k.name}</span>
                      <div className="muted small">
                        <Mono>{k.prefix}…</Mono> · {formatDateTime(k.createdAt)}
                      </div>
                    </div>
                  </td>
                  <td data-label={t('settings.apiKeyScopes')}>
                    <div className="chips">
                      {k.scopes.map((s) => (
                        <span key={s} className="chip">
                          {s}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td data-label={t('settings.apiKeyLastUsed')}>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('settings.apiKeyNever')}</td>
                  <td className="right actions">
                    {k.revokedAt ? (
                      <Badge tone="red">{t('settings.apiKeyRevoked')}</Badge>
                    ) : (
                      <ConfirmButton busy={revoking === k.id} onConfirm={() => void revoke(k)}>
                        {t('settings.apiKeyRevoke')}
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="form sub-form" onSubmit={create} data-testid="create-api-key">
        <Field label={t('settings.apiKeyName')}>
          {(id) => <input id={id} required maxLength={100} placeholder={t('settings.apiKeyNamePlaceholder')} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="checks">
          <legend>{t('settings.apiKeyScopes')}</legend>
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />
              <span>
                <Mono>{s}</Mono>
                <span className="muted small"> — {t(`scope.${s}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {scopes.length === 0 && <div className="hint text-error">{t('settings.apiKeyNeedScope')}</div>}
        <ErrorAlert error={error} />
        <div className="form-actions">
          <Button type="submit" busy={busy} disabled={scopes.length === 0 || !name.trim()}>
            {t('settings.apiKeyCreate')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
