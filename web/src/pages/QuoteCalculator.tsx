import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, type AcceptedQuote, type Quote, type QuoteLineCode } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { absMinor, formatDecimal, formatPercent, formatRate, formatUsd, isNegative, money, moneyOf, parseAmount } from '../money.ts';
import { useSession } from '../session.tsx';
import { Alert, Badge, Button, ErrorAlert, Field, Mono, Segmented, useNow } from '../ui.tsx';

type Mode = 'cny' | 'idr';

const QUICK: Record<Mode, string[]> = {
  cny: ['100000', '500000', '2000000', '10000000'],
  idr: ['500000000', '2500000000', '10000000000'],
};

/** Pricing tiers the spreads are set for, by name. */
export function tierLabel(tier: string, t: (k: MessageKey) => string): string {
  return tier === 'standard' ? t('pricing.tier.standard') : tier === 'priority' ? t('pricing.tier.priority') : tier;
}

/** "mm:ss" (or "h:mm:ss") left until a deadline. */
function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/**
 * The quote calculator: a yuan invoice (or a rupiah budget) in, the rupiah total out with
 * every part of it shown, the lock counting down, and how a bank transfer would compare.
 */
export function QuoteCalculator() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const signedIn = session?.mfa === 'complete';
  const canAccept = signedIn && session?.user.role === 'importer';
  const [mode, setMode] = useState<Mode>('cny');
  const [input, setInput] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [quote, setQuote] = useState<Quote>();
  const [deadline, setDeadline] = useState(0);
  const [accepted, setAccepted] = useState<AcceptedQuote>();
  const [acceptBusy, setAcceptBusy] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>();

  async function run(amountInput: string, forMode: Mode) {
    const minor = parseAmount(amountInput);
    if (!minor || /^0+$/.test(minor)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setError(undefined);
    setAccepted(undefined);
    setAcceptError(undefined);
    try {
      const body = forMode === 'cny' ? { cny: { amount: minor, currency: 'CNY' } } : { idrBudget: { amount: minor, currency: 'IDR' } };
      const q = await api.post<Quote>('/quotes', body);
      // Count down the lock on this device's clock: the server says how long, not this clock's "when".
      const lockMs = q.createdAt ? new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime() : q.lockMinutes * 60_000;
      setDeadline(Date.now() + lockMs);
      setQuote(q);
    } catch (err) {
      setError(err);
      setQuote(undefined);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(input, mode);
  }

  async function accept() {
    if (!quote) return;
    setAcceptBusy(true);
    setAcceptError(undefined);
    try {
      setAccepted(await api.post<AcceptedQuote>('/quotes/accept', { token: quote.token }));
    } catch (err) {
      setAcceptError(err);
    } finally {
      setAcceptBusy(false);
    }
  }

  const prefix = mode === 'cny' ? '¥' : 'Rp';

  return (
    <section className="card quote-card" data-testid="quote-calculator" aria-labelledby="quote-title">
      <header className="card-header">
        <div>
          <h2 id="quote-title">{t('quote.title')}</h2>
          <p className="card-subtitle">{t('quote.subtitle')}</p>
        </div>
      </header>
      <form className="form quote-form" onSubmit={submit} noValidate data-testid="quote-form">
        <Segmented
          legend={t('quote.mode')}
          name="quote-mode"
          value={mode}
          hideLegend
          testId="quote-mode"
          options={[
            { value: 'cny', label: t('quote.mode.cny') },
            { value: 'idr', label: t('quote.mode.idr') },
          ]}
          onChange={(m) => {
            setMode(m);
            setInput('');
            setInvalid(false);
            setQuote(undefined);
            setError(undefined);
          }}
        />
        <Field label={mode === 'cny' ? t('quote.amountCny') : t('quote.amountIdr')} hint={invalid ? <span className="text-error">{t('quote.invalidAmount')}</span> : mode === 'cny' ? t('quote.amountCnyHint') : t('quote.amountIdrHint')}>
          {(id) => (
            <div className="quote-input-row">
              <div className="affix-input">
                <span className="affix" aria-hidden="true">
                  {prefix}
                </span>
                <input
                  id={id}
                  name="amount"
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder={mode === 'cny' ? '1,234.56' : '5.000.000'}
                  value={input}
                  aria-invalid={invalid || undefined}
                  onChange={(e) => setInput(e.target.value)}
                  data-testid="quote-amount"
                />
              </div>
              <Button type="submit" busy={busy} data-testid="quote-submit">
                {t('quote.calculate')}
              </Button>
            </div>
          )}
        </Field>
        <div className="quick-amounts" aria-label={t('quote.quick')}>
          {QUICK[mode].map((minor) => (
            <button
              key={minor}
              type="button"
              className="chip-button"
              onClick={() => {
                const typed = minor.slice(0, -2);
                setInput(typed);
                void run(typed, mode);
              }}
            >
              {mode === 'cny' ? moneyOf(minor, 'CNY', lang).replace(/\.00$/, '') : moneyOf(minor, 'IDR', lang)}
            </button>
          ))}
        </div>
      </form>
      <ErrorAlert error={error} />
      {quote && <QuoteResult quote={quote} deadline={deadline} onRequote={() => void run(input, mode)} requoteBusy={busy} />}
      {quote && (
        <div className="quote-accept" data-testid="quote-accept">
          {accepted ? (
            <Alert kind="success" title={t('quote.accepted')}>
              {t('quote.acceptedBody', { id: accepted.quote.id })}
            </Alert>
          ) : canAccept ? (
            <>
              <Button onClick={() => void accept()} busy={acceptBusy} disabled={deadline <= Date.now()} data-testid="quote-accept-button">
                <Icon name="check" size={16} /> {t('quote.accept')}
              </Button>
              <p className="muted small">{t('quote.acceptHint')}</p>
            </>
          ) : signedIn ? null : (
            <>
              <Link to="/login" state={{ from: '/harga' }} className="btn btn-primary" data-testid="quote-sign-in">
                <Icon name="lock" size={16} />
                <span>{t('quote.signInToAccept')}</span>
              </Link>
              <p className="muted small">
                {t('quote.signInHint')} <Link to="/register">{t('login.register')}</Link>
              </p>
            </>
          )}
          <ErrorAlert error={acceptError} />
        </div>
      )}
    </section>
  );
}

function LockBadge({ deadline, lockMinutes }: { deadline: number; lockMinutes: number }) {
  const { t } = useI18n();
  const now = useNow(1000, deadline > 0);
  const left = deadline - now;
  if (left <= 0) {
    return (
      <span className="lock lock-expired" data-testid="quote-lock">
        <Icon name="clock" size={16} /> {t('quote.expired')}
      </span>
    );
  }
  return (
    <span className={`lock${left < 60_000 ? ' lock-soon' : ''}`} data-testid="quote-lock" title={t('quote.lockFor', { n: lockMinutes })}>
      <Icon name="lock" size={15} /> {t('quote.lockedFor')} <strong className="mono">{clock(left)}</strong>
    </span>
  );
}

/** A quote with every rupiah shown and its lock counting down; a payment order leaves out the bank-wire comparison and shows its own expiry notice. */
export function QuoteResult({ quote, deadline, onRequote, requoteBusy, bankComparison = true, expiredNotice = true }: { quote: Quote; deadline: number; onRequote: () => void; requoteBusy: boolean; bankComparison?: boolean; expiredNotice?: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  const now = useNow(1000, deadline > 0);
  const expired = deadline <= now;
  const line = (code: QuoteLineCode) => quote.lines.find((l) => l.code === code);
  const saving = quote.bankWire.saving;
  const savingNegative = isNegative(saving.amount);
  const savingZero = !/[1-9]/.test(saving.amount);
  const band = quote.fee.band;
  const bandText = band.toUsd ? `${formatUsd(band.fromUsd, lang)} – ${formatDecimal(band.toUsd, lang)}` : t('pricing.fromUsd', { usd: formatUsd(band.fromUsd, lang) });
  const leftover = quote.idrBudget ? BigInt(quote.idrBudget.amount) - BigInt(quote.total.amount) : null;
  const lineLabels: Record<QuoteLineCode, { label: string; detail: string }> = {
    reference_cost: { label: t('quote.line.reference_cost'), detail: `${money(quote.cny, lang)} × ${formatDecimal(quote.reference.rate, lang)}` },
    spread: {
      label: t('quote.line.spread', { percent: formatPercent(quote.spread.percent, lang) }),
      detail: quote.spread.kind === 'percent' ? t('quote.spreadDetail', { tier: tierLabel(quote.spread.tier, t) }) : t('quote.spreadPerUnit', { value: formatDecimal(quote.spread.value, lang), tier: tierLabel(quote.spread.tier, t) }),
    },
    service_fee: {
      label: t('quote.line.service_fee', { percent: formatPercent(quote.fee.percent, lang, { minFraction: 1 }) }),
      detail: t('quote.feeDetail', { usd: formatUsd(quote.fee.usdEquivalent, lang), band: bandText }),
    },
    rounding: { label: t('quote.line.rounding'), detail: t('quote.roundingDetail') },
  };

  return (
    <div className={`quote-result${expired ? ' is-expired' : ''}`} data-testid="quote-result">
      <div className="quote-total">
        <div>
          <div className="quote-total-label">{t('quote.total')}</div>
          <div className="quote-total-amount" data-testid="quote-total">
            {money(quote.total, lang)}
          </div>
          <div className="muted small">{t('quote.paysSupplier', { cny: money(quote.cny, lang) })}</div>
        </div>
        <LockBadge deadline={deadline} lockMinutes={quote.lockMinutes} />
      </div>
      {expired && expiredNotice && (
        <Alert kind="warning" title={t('quote.expiredTitle')}>
          <Button small variant="secondary" onClick={onRequote} busy={requoteBusy}>
            {t('quote.requote')}
          </Button>
        </Alert>
      )}
      {quote.idrBudget && leftover !== null && (
        <Alert kind="info">
          {t('quote.budgetBuys', { budget: money(quote.idrBudget, lang), cny: money(quote.cny, lang), left: moneyOf(leftover, 'IDR', lang) })}
        </Alert>
      )}

      <h3 className="section-title">{t('quote.breakdown')}</h3>
      <table className="breakdown" data-testid="quote-breakdown">
        <tbody>
          <tr className="rate-row" data-row="reference-rate">
            <th scope="row">
              {t('quote.referenceRate')}
              <span className="row-detail">
                {t('quote.rateSource', { source: quote.reference.source, time: formatDateTime(quote.reference.observedAt) })}
              </span>
            </th>
            <td>{formatRate('CNY/IDR', quote.reference.rate, lang)}</td>
          </tr>
          <tr className="rate-row" data-row="platform-rate">
            <th scope="row">
              {t('quote.platformRate')}
              <span className="row-detail">{t('quote.platformRateDetail', { percent: formatPercent(quote.spread.percent, lang) })}</span>
            </th>
            <td>{formatRate('CNY/IDR', quote.platformRate, lang)}</td>
          </tr>
          {(['reference_cost', 'spread', 'service_fee', 'rounding'] as const).map((code) => {
            const l = line(code);
            if (!l) return null;
            return (
              <tr key={code} data-line={code}>
                <th scope="row">
                  {lineLabels[code].label}
                  <span className="row-detail">{lineLabels[code].detail}</span>
                  {code === 'service_fee' && quote.fee.minimumApplied && (
                    <span className="row-badge">
                      <Badge tone="amber">{t('quote.minimumApplied', { min: money(quote.fee.minimum, lang) })}</Badge>
                    </span>
                  )}
                </th>
                <td>{money(l.amount, lang)}</td>
              </tr>
            );
          })}
          <tr className="total-row" data-line="total">
            <th scope="row">{t('quote.totalShort')}</th>
            <td>{money(quote.total, lang)}</td>
          </tr>
        </tbody>
      </table>

      {bankComparison && (
        <div className="compare" data-testid="bank-comparison">
          <h3 className="section-title">
            <Icon name="funding" size={17} /> {t('quote.bank.title')}
          </h3>
          <table className="breakdown breakdown-compact">
            <tbody>
              <tr>
                <th scope="row">
                  {t('quote.bank.rate')}
                  <span className="row-detail">{t('quote.bank.rateDetail', { percent: formatPercent(quote.bankWire.assumptions.fxMarginPercent, lang) })}</span>
                </th>
                <td>{formatRate('CNY/IDR', quote.bankWire.rate, lang, 2)}</td>
              </tr>
              <tr>
                <th scope="row">{t('quote.bank.goods')}</th>
                <td>{money(quote.bankWire.goods, lang)}</td>
              </tr>
              <tr>
                <th scope="row">
                  {t('quote.bank.wireFee')}
                  <span className="row-detail">
                    {formatUsd(quote.bankWire.assumptions.wireFeeUsd, lang)} × {formatDecimal(quote.bankWire.assumptions.usdIdrRate, lang)}
                  </span>
                </th>
                <td>{money(quote.bankWire.wireFee, lang)}</td>
              </tr>
              <tr className="total-row">
                <th scope="row">{t('quote.bank.total')}</th>
                <td data-testid="bank-total">{money(quote.bankWire.total, lang)}</td>
              </tr>
            </tbody>
          </table>
          <div className={`saving ${savingNegative ? 'saving-bad' : 'saving-good'}`} data-testid="bank-saving">
            <Icon name={savingNegative ? 'alert' : 'check'} size={18} />
            <span>
              {savingZero
                ? t('quote.bank.same')
                : savingNegative
                  ? t('quote.bank.dearer', { amount: moneyOf(absMinor(saving.amount), 'IDR', lang) })
                  : t('quote.bank.saving', { amount: money(saving, lang) })}
            </span>
          </div>
          <p className="muted small compare-note">{t('quote.bank.note')}</p>
        </div>
      )}
      <p className="muted small quote-id">
        {t('quote.id')} <Mono>{quote.id}</Mono>
      </p>
    </div>
  );
}
