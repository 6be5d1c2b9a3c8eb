import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Activation, type Enrolment, type SessionView } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Alert, Button, CopyButton, ErrorAlert, Field, Spinner } from '../ui.tsx';

/** A 6-digit code input: numeric keypad on phones, autofill from the OS where offered. */
export function CodeInput({ id, value, onChange, autoFocus }: { id: string; value: string; onChange: (v: string) => void; autoFocus?: boolean }) {
  return (
    <input
      id={id}
      name="code"
      className="code-input"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      autoFocus={autoFocus}
      placeholder="123456"
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
    />
  );
}

/** The recovery codes, shown once, with a copy button and the "I saved them" confirmation. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="recovery" data-testid="recovery-codes-step">
      <Alert kind="warning" title={t('recovery.title')}>
        {t('recovery.warning')}
      </Alert>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="form-actions">
        <CopyButton text={codes.join('\n')} label={t('recovery.copyAll')} />
        <Button onClick={onDone} data-testid="recovery-saved">
          {t('recovery.saved')}
        </Button>
      </div>
    </div>
  );
}

/**
 * TOTP enrolment: start it (secret + QR code), confirm with a code, show the recovery codes
 * once. `onDone` receives the upgraded session (new CSRF token) after "I saved them".
 */
export function TotpEnrolment({ onDone, onCancel }: { onDone: (session: SessionView) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [startError, setStartError] = useState<unknown>();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [activation, setActivation] = useState<Activation>();
  const started = useRef(false);

  useEffect(() => {
    // Once per mount: a second enrol call would replace the secret just scanned.
    if (started.current) return;
    started.current = true;
    api.post<Enrolment>('/account/2fa/enrol').then(setEnrolment, setStartError);
  }, []);

  async function activate(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setActivation(await api.post<Activation>('/account/2fa/activate', { code }));
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  if (activation) return <RecoveryCodes codes={activation.recoveryCodes} onDone={() => onDone(activation.session)} />;
  if (startError) return <ErrorAlert error={startError} />;
  if (!enrolment) return <Spinner />;

  return (
    <form className="enrol" onSubmit={activate} data-testid="enrolment-form">
      <div className="enrol-grid">
        <div className="qr">
          <img src={enrolment.qrCodeDataUrl} alt={t('enrol.qrAlt')} width={180} height={180} />
        </div>
        <div className="enrol-steps">
          <p>
            <span className="step-no">1</span>
            {t('enrol.step1')}
          </p>
          <p className="muted small">{t('enrol.secretHint')}</p>
          <div className="secret-row">
            <code className="secret" data-testid="totp-secret">
              {enrolment.secret}
            </code>
            <CopyButton text={enrolment.secret} />
          </div>
        </div>
      </div>
      <p>
        <span className="step-no">2</span>
        {t('enrol.step2')}
      </p>
      <Field label={t('mfa.code')}>{(id) => <CodeInput id={id} value={code} onChange={setCode} />}</Field>
      <ErrorAlert error={error} />
      <div className="form-actions">
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        )}
        <Button type="submit" busy={busy} disabled={code.length !== 6}>
          {t('enrol.activate')}
        </Button>
      </div>
    </form>
  );
}
