import { useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, PAIRS, type FeeSchedule, type Pair, type PricingSettings, type PublicPricing, type Spread } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { formatDecimal, formatPercent, formatRate, formatUsd, minorToInput, parseAmount, parseDecimalInput } from '../money.ts';
import { useSignedIn } from '../session.tsx';
import { Alert, Badge, Button, Card, Empty, ErrorAlert, Field, PageHeader, Spinner, useLoad, useNow, useAction } from '../ui.tsx';
import { compareDecimal, FeeTierTable, RateChartCard } from './Pricing.tsx';
import { tierLabel } from './QuoteCalculator.tsx';

const TABS = ['rates', 'spreads', 'fees', 'settings'] as const;
type Tab = (typeof TABS)[number];
const SOURCES = ['jisdor', 'market', 'manual'] as const;

/** `datetime-local` wants "YYYY-MM-DDTHH:mm" in local time. */
function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function fromLocalInput(v: string): string | undefined {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Staff console: reference rates, spreads, fee schedules and pricing settings. */
export function RatesPage() {
  const { t } = useI18n();
  const { user } = useSignedIn();
  const isAdmin = user.role === 'admin';
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'rates';
  const labels: Record<Tab, string> = { rates: t('rates.tab.rates'), spreads: t('rates.tab.spreads'), fees: t('rates.tab.fees'), settings: t('rates.tab.settings') };

  return (
    <>
      <PageHeader title={t('rates.title')} subtitle={t('rates.subtitle')} />
      {!isAdmin && (
        <Alert kind="info">
          <span data-testid="rates-readonly-note">{t('rates.financeNote')}</span>
        </Alert>
      )}
      <div className="tabs" role="tablist" data-testid="rates-tabs">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'active' : ''} onClick={() => setParams(k === 'rates' ? {} : { tab: k }, { replace: true })} data-testid={`tab-${k}`}>
            {labels[k]}
          </button>
        ))}
      </div>
      {tab === 'rates' && <RatesTab />}
      {tab === 'spreads' && <SpreadsTab isAdmin={isAdmin} />}
      {tab === 'fees' && <FeesTab isAdmin={isAdmin} />}
      {tab === 'settings' && <SettingsTab isAdmin={isAdmin} />}
    </>
  );
}

// ---- rates -----------------------------------------------------------------------------------

function RatesTab() {
  const [reloadKey, setReloadKey] = useState(0);
  const current = useLoad(() => api.get<PublicPricing>('/public/pricing'), [reloadKey]);
  const changed = () => setReloadKey((k) => k + 1);
  return (
    <>
      <CurrentRates pricing={current.data} loading={current.loading} error={current.error} />
      <RateChartCard endpoint="/staff/fx/rates" reloadKey={reloadKey} />
      <div className="grid-2">
        <RecordRateForm onRecorded={changed} />
        <ImportRatesForm onImported={changed} />
      </div>
    </>
  );
}

function CurrentRates({ pricing, loading, error }: { pricing: PublicPricing | undefined; loading: boolean; error: unknown }) {
  const { t, lang, formatDateTime } = useI18n();
  const now = useNow(60_000);
  return (
    <div className="rate-tiles" data-testid="current-rates">
      <ErrorAlert error={error} />
      {PAIRS.map((pair) => {
        const r = pricing?.rates.find((x) => x.pair === pair);
        const ageHours = r ? (now - new Date(r.observedAt).getTime()) / 3_600_000 : 0;
        return (
          <div key={pair} className="rate-tile" data-testid={`current-rate-${pair}`}>
            <div className="rate-tile-head">
              <span className="rate-tile-pair">{pair}</span>
              {r && <Badge tone={r.source === 'demo' ? 'amber' : r.source === 'manual' ? 'blue' : 'green'}>{r.source}</Badge>}
            </div>
            {r ? (
              <>
                <div className="rate-tile-value" data-testid="current-rate-value">
                  {formatDecimal(r.rate, lang)}
                </div>
                <div className="rate-tile-meta">
                  {formatRate(pair, r.rate, lang)}
                  <br />
                  {formatDateTime(r.observedAt)}
                  {ageHours > 24 && (
                    <>
                      {' '}
                      <Badge tone="red">{t('rates.old')}</Badge>
                    </>
                  )}
                </div>
              </>
            ) : loading && !pricing ? (
              <Spinner />
            ) : (
              <div className="rate-tile-meta">{t('rates.noRate')}</div>
            )}
          </div>
        );
      })}
    </div>
  );
}

function RecordRateForm({ onRecorded }: { onRecorded: () => void }) {
  const { t } = useI18n();
  const [pair, setPair] = useState<Pair>('CNY/IDR');
  const [rate, setRate] = useState('');
  const [source, setSource] = useState<(typeof SOURCES)[number]>('jisdor');
  const [observedAt, setObservedAt] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, notice, setNotice, run } = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const value = parseDecimalInput(rate);
    setInvalid(!value);
    if (!value) return;
    await run(async () => {
      const at = fromLocalInput(observedAt);
      const res = await api.post<{ inserted: number; skipped: number }>('/staff/fx/rates', { pair, rate: value, source, ...(at ? { observedAt: at } : {}) });
      setNotice(res.inserted > 0 ? t('rates.record.done') : t('rates.record.duplicate'));
      setRate('');
      onRecorded();
    });
  }

  return (
    <Card title={t('rates.record.title')} subtitle={t('rates.record.subtitle')} testId="record-rate">
      <form className="form" onSubmit={submit} noValidate data-testid="record-rate-form">
        <div className="form-grid form-grid-2">
          <Field label={t('rates.pair')}>
            {(id) => (
              <select id={id} value={pair} onChange={(e) => setPair(e.target.value as Pair)} data-testid="record-pair">
                {PAIRS.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('rates.rate')} hint={invalid ? <span className="text-error">{t('rates.invalidRate')}</span> : t('rates.rateHint', { base: pair.split('/')[0]!, quote: pair.split('/')[1]! })}>
            {(id) => <input id={id} inputMode="decimal" autoComplete="off" placeholder="2301.25" value={rate} onChange={(e) => setRate(e.target.value)} aria-invalid={invalid || undefined} data-testid="record-rate-value" />}
          </Field>
          <Field label={t('rates.source')}>
            {(id) => (
              <select id={id} value={source} onChange={(e) => setSource(e.target.value as (typeof SOURCES)[number])} data-testid="record-source">
                {SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {t(`rates.source.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('rates.observedAt')} optional hint={t('rates.observedAtHint')}>
            {(id) => <input id={id} type="datetime-local" value={observedAt} max={toLocalInput(new Date())} onChange={(e) => setObservedAt(e.target.value)} data-testid="record-observed-at" />}
          </Field>
        </div>
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} data-testid="record-submit">
            {t('rates.record.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

const CSV_SAMPLE = 'date,pair,rate\n2026-01-05,CNY/IDR,2291.40\n2026-01-05,USD/IDR,16310';

function ImportRatesForm({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const [csv, setCsv] = useState('');
  const [source, setSource] = useState<(typeof SOURCES)[number]>('jisdor');
  const [fileName, setFileName] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();
  const fileRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!csv.trim()) return;
    await run(async () => {
      const res = await api.post<{ received: number; inserted: number; skipped: number }>('/staff/fx/rates/import', { csv, source });
      setNotice(t('rates.import.done', { received: res.received, inserted: res.inserted, skipped: res.skipped }));
      onImported();
    });
  }

  return (
    <Card title={t('rates.import.title')} subtitle={t('rates.import.subtitle')} testId="import-rates">
      <form className="form" onSubmit={submit} data-testid="import-rates-form">
        <div className="file-row">
          <input
            ref={fileRef}
            type="file"
            accept=".csv,text/csv,text/plain"
            className="sr-only"
            id="rates-csv-file"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              void file.text().then(setCsv);
            }}
          />
          <Button variant="secondary" small onClick={() => fileRef.current?.click()}>
            <Icon name="list" size={15} /> {t('rates.import.chooseFile')}
          </Button>
          <span className="muted small">{fileName ?? t('rates.import.orPaste')}</span>
        </div>
        <Field label={t('rates.import.csv')} hint={t('rates.import.hint')}>
          {(id) => <textarea id={id} rows={6} className="mono-area" placeholder={CSV_SAMPLE} value={csv} onChange={(e) => setCsv(e.target.value)} spellCheck={false} data-testid="import-csv" />}
        </Field>
        <Field label={t('rates.import.defaultSource')}>
          {(id) => (
            <select id={id} value={source} onChange={(e) => setSource(e.target.value as (typeof SOURCES)[number])}>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`rates.source.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy} disabled={!csv.trim()} data-testid="import-submit">
            {t('rates.import.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

// ---- spreads ---------------------------------------------------------------------------------

/** The newest already-started row per key is in force; later ones are scheduled; the rest history. */
function statusOf<T extends { effectiveFrom: string }>(rows: T[], keyOf: (r: T) => string, now: number): Map<T, 'current' | 'scheduled' | 'past'> {
  const out = new Map<T, 'current' | 'scheduled' | 'past'>();
  const seen = new Set<string>();
  const sorted = [...rows].sort((a, b) => new Date(b.effectiveFrom).getTime() - new Date(a.effectiveFrom).getTime());
  for (const r of sorted) {
    if (new Date(r.effectiveFrom).getTime() > now) out.set(r, 'scheduled');
    else if (!seen.has(keyOf(r))) {
      seen.add(keyOf(r));
      out.set(r, 'current');
    } else out.set(r, 'past');
  }
  return out;
}

function StatusBadge({ status }: { status: 'current' | 'scheduled' | 'past' }) {
  const { t } = useI18n();
  return <Badge tone={status === 'current' ? 'green' : status === 'scheduled' ? 'blue' : 'neutral'}>{t(`rates.status.${status}`)}</Badge>;
}

function SpreadsTab({ isAdmin }: { isAdmin: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  const list = useLoad(() => api.get<{ spreads: Spread[] }>('/staff/fx/spreads'), []);
  const now = Date.now();
  const spreads = list.data?.spreads ?? [];
  const status = statusOf(spreads, (s) => `${s.pair}|${s.tier}`, now);
  return (
    <>
      {isAdmin && <SpreadForm onSaved={list.reload} />}
      <Card title={t('rates.spreads.history')} subtitle={t('rates.spreads.historyBody')} testId="spreads-history">
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Spinner />
        ) : spreads.length === 0 ? (
          <Empty>{t('common.empty')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="spreads-table">
              <thead>
                <tr>
                  <th>{t('rates.pair')}</th>
                  <th>{t('rates.tier')}</th>
                  <th className="right">{t('rates.spread')}</th>
                  <th>{t('rates.effectiveFrom')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('rates.createdBy')}</th>
                </tr>
              </thead>
              <tbody>
                {spreads.map((s) => (
                  <tr key={s.id} className={status.get(s) === 'past' ? 'row-muted' : undefined}>
                    <td data-label={t('rates.pair')}>{s.pair}</td>
                    <td data-label={t('rates.tier')}>{tierLabel(s.tier, t)}</td>
                    <td data-label={t('rates.spread')} className="right strong">
                      {s.kind === 'percent' ? formatPercent(s.value, lang) : t('pricing.spreads.perUnit', { value: formatDecimal(s.value, lang) })}
                    </td>
                    <td data-label={t('rates.effectiveFrom')}>{formatDateTime(s.effectiveFrom)}</td>
                    <td data-label={t('common.status')}>
                      <StatusBadge status={status.get(s) ?? 'past'} />
                    </td>
                    <td data-label={t('rates.createdBy')}>
                      <span className="cell muted small">{s.createdBy ?? t('rates.system')}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function SpreadForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const [pair, setPair] = useState<Pair>('CNY/IDR');
  const [tier, setTier] = useState('standard');
  const [kind, setKind] = useState<'percent' | 'per_unit'>('percent');
  const [value, setValue] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, error, notice, setNotice, run } = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = parseDecimalInput(value);
    setInvalid(!v);
    if (!v) return;
    await run(async () => {
      const at = fromLocalInput(effectiveFrom);
      await api.post('/staff/fx/spreads', { pair, tier: tier.trim(), kind, value: v, ...(at ? { effectiveFrom: at } : {}) });
      setNotice(t('rates.spreads.saved'));
      setValue('');
      onSaved();
    });
  }

  return (
    <Card title={t('rates.spreads.set')} subtitle={t('rates.spreads.setBody')} testId="spread-form">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label={t('rates.pair')}>
            {(id) => (
              <select id={id} value={pair} onChange={(e) => setPair(e.target.value as Pair)}>
                {PAIRS.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('rates.tier')} hint={t('rates.tierHint')}>
            {(id) => (
              <>
                <input id={id} list="spread-tiers" value={tier} onChange={(e) => setTier(e.target.value)} autoComplete="off" pattern="[a-z][a-z0-9_\-]{1,31}" />
                <datalist id="spread-tiers">
                  <option value="standard" />
                  <option value="priority" />
                </datalist>
              </>
            )}
          </Field>
          <Field label={t('rates.kind')}>
            {(id) => (
              <select id={id} value={kind} onChange={(e) => setKind(e.target.value as 'percent' | 'per_unit')}>
                <option value="percent">{t('rates.kind.percent')}</option>
                <option value="per_unit">{t('rates.kind.per_unit')}</option>
              </select>
            )}
          </Field>
          <Field label={kind === 'percent' ? t('rates.valuePercent') : t('rates.valuePerUnit')} hint={invalid ? <span className="text-error">{t('rates.invalidRate')}</span> : undefined}>
            {(id) => <input id={id} inputMode="decimal" autoComplete="off" placeholder={kind === 'percent' ? '1.2' : '25'} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={invalid || undefined} />}
          </Field>
          <Field label={t('rates.effectiveFrom')} optional hint={t('rates.effectiveNow')}>
            {(id) => <input id={id} type="datetime-local" value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />}
          </Field>
        </div>
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy}>
            {t('rates.spreads.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

// ---- fee schedules ---------------------------------------------------------------------------

function FeesTab({ isAdmin }: { isAdmin: boolean }) {
  const { t, formatDateTime } = useI18n();
  const list = useLoad(() => api.get<{ feeSchedules: FeeSchedule[] }>('/staff/fx/fee-schedules'), []);
  const schedules = list.data?.feeSchedules ?? [];
  const status = statusOf(schedules, () => 'all', Date.now());
  return (
    <>
      {isAdmin && <FeeScheduleForm onSaved={list.reload} latest={schedules[0]} />}
      <Card title={t('rates.fees.history')} subtitle={t('rates.fees.historyBody')} testId="fee-schedules">
        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Spinner />
        ) : schedules.length === 0 ? (
          <Empty>{t('common.empty')}</Empty>
        ) : (
          <div className="schedule-list">
            {schedules.map((s) => (
              <div key={s.id} className={`schedule${status.get(s) === 'past' ? ' is-past' : ''}`} data-testid="fee-schedule-item">
                <div className="schedule-head">
                  <div>
                    <div className="strong">{t('rates.fees.from', { date: formatDateTime(s.effectiveFrom) })}</div>
                    <div className="muted small">
                      {s.note ? `${s.note} · ` : ''}
                      {s.createdBy ?? t('rates.system')}
                    </div>
                  </div>
                  <StatusBadge status={status.get(s) ?? 'past'} />
                </div>
                <FeeTierTable schedule={s} />
              </div>
            ))}
          </div>
        )}
      </Card>
    </>
  );
}

interface TierRow {
  key: number;
  fromUsd: string;
  percent: string;
}

function tomorrowMidnight(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(0, 0, 0, 0);
  return toLocalInput(d);
}

function FeeScheduleForm({ onSaved, latest }: { onSaved: () => void; latest: FeeSchedule | undefined }) {
  const { t, lang } = useI18n();
  const nextKey = useRef(10);
  const [effectiveFrom, setEffectiveFrom] = useState(tomorrowMidnight);
  const [minimum, setMinimum] = useState('');
  const [tiers, setTiers] = useState<TierRow[]>([
    { key: 1, fromUsd: '0', percent: '' },
    { key: 2, fromUsd: '1000', percent: '' },
  ]);
  const [note, setNote] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const { busy, error, notice, setNotice, run } = useAction();

  function copyLatest() {
    if (!latest) return;
    setMinimum(minorToInput(latest.minimumFee.amount));
    setTiers([...latest.tiers].sort((a, b) => compareDecimal(a.fromUsd, b.fromUsd)).map((x) => ({ key: nextKey.current++, fromUsd: x.fromUsd, percent: x.percent })));
  }

  const setTier = (key: number, field: 'fromUsd' | 'percent', value: string) => setTiers((rows) => rows.map((r) => (r.key === key ? { ...r, [field]: value } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const at = fromLocalInput(effectiveFrom);
    const min = parseAmount(minimum);
    const parsed = tiers.map((r) => ({ fromUsd: parseDecimalInput(r.fromUsd), percent: parseDecimalInput(r.percent) }));
    const problem = !at ? t('rates.fees.invalidDate') : !min ? t('rates.fees.invalidMinimum') : parsed.some((p) => !p.fromUsd || !p.percent) ? t('rates.fees.invalidTier') : undefined;
    setInvalid(problem);
    if (problem) return;
    await run(async () => {
      await api.post('/staff/fx/fee-schedules', {
        effectiveFrom: at,
        minimumFee: { amount: min, currency: 'IDR' },
        tiers: parsed.map((p) => ({ fromUsd: p.fromUsd!, percent: p.percent! })),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNotice(t('rates.fees.saved'));
      onSaved();
    });
  }

  return (
    <Card
      title={t('rates.fees.add')}
      subtitle={t('rates.fees.addBody')}
      testId="fee-schedule-form"
      actions={
        latest && (
          <Button variant="secondary" small onClick={copyLatest}>
            {t('rates.fees.copy')}
          </Button>
        )
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label={t('rates.effectiveFrom')}>{(id) => <input id={id} type="datetime-local" required value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />}</Field>
          <Field label={t('rates.fees.minimum')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">Rp</span>
                <input id={id} inputMode="decimal" autoComplete="off" placeholder="25.000" value={minimum} onChange={(e) => setMinimum(e.target.value)} />
              </div>
            )}
          </Field>
        </div>
        <fieldset>
          <legend>{t('rates.fees.tiers')}</legend>
          <div className="tier-rows">
            <div className="tier-row tier-row-head" aria-hidden="true">
              <span>{t('rates.fees.fromUsd')}</span>
              <span>{t('rates.fees.percent')}</span>
              <span />
            </div>
            {tiers.map((r, i) => (
              <div className="tier-row" key={r.key} data-testid="tier-row">
                <div className="affix-input">
                  <span className="affix">USD</span>
                  <input aria-label={`${t('rates.fees.fromUsd')} ${i + 1}`} inputMode="decimal" value={r.fromUsd} onChange={(e) => setTier(r.key, 'fromUsd', e.target.value)} />
                </div>
                <div className="affix-input affix-end">
                  <input aria-label={`${t('rates.fees.percent')} ${i + 1}`} inputMode="decimal" placeholder="1.0" value={r.percent} onChange={(e) => setTier(r.key, 'percent', e.target.value)} />
                  <span className="affix">%</span>
                </div>
                <Button variant="ghost" small aria-label={t('rates.fees.removeTier')} title={t('rates.fees.removeTier')} disabled={tiers.length <= 1} onClick={() => setTiers((rows) => rows.filter((x) => x.key !== r.key))}>
                  <Icon name="close" size={16} />
                </Button>
              </div>
            ))}
          </div>
          <Button variant="link" small onClick={() => setTiers((rows) => [...rows, { key: nextKey.current++, fromUsd: '', percent: '' }])} data-testid="add-tier">
            + {t('rates.fees.addTier')}
          </Button>
          <p className="hint">{t('rates.fees.tiersHint', { example: formatUsd('1000', lang) })}</p>
        </fieldset>
        <Field label={t('rates.fees.note')} optional>
          {(id) => <input id={id} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {invalid && <Alert kind="error">{invalid}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy}>
            {t('rates.fees.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

// ---- settings --------------------------------------------------------------------------------

function SettingsTab({ isAdmin }: { isAdmin: boolean }) {
  const { t, lang } = useI18n();
  const settings = useLoad(() => api.get<PricingSettings>('/staff/fx/settings'), []);
  if (settings.loading && !settings.data) return <Spinner />;
  if (!settings.data) return <ErrorAlert error={settings.error} />;
  const s = settings.data;
  if (isAdmin) return <SettingsForm settings={s} onSaved={settings.reload} />;
  return (
    <Card title={t('rates.settings.title')} subtitle={t('rates.settings.body')} testId="pricing-settings">
      <dl className="facts">
        <dt>{t('rates.settings.lock')}</dt>
        <dd>{t('pricing.minutes', { n: s.quoteLockMinutes })}</dd>
        <dt>{t('rates.settings.maxAge')}</dt>
        <dd>{t('pricing.minutes', { n: formatDecimal(String(s.maxRateAgeMinutes), lang) })}</dd>
        <dt>{t('rates.settings.wireFee')}</dt>
        <dd>{formatUsd(s.bankWireFeeUsd, lang)}</dd>
        <dt>{t('rates.settings.margin')}</dt>
        <dd>{formatPercent(s.bankFxMarginPercent, lang)}</dd>
      </dl>
    </Card>
  );
}

function SettingsForm({ settings, onSaved }: { settings: PricingSettings; onSaved: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ quoteLockMinutes: String(settings.quoteLockMinutes), maxRateAgeMinutes: String(settings.maxRateAgeMinutes), bankWireFeeUsd: settings.bankWireFeeUsd, bankFxMarginPercent: settings.bankFxMarginPercent });
  const { busy, error, notice, setNotice, run } = useAction();
  const [invalid, setInvalid] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body: Partial<PricingSettings> = {};
    const lock = Number(form.quoteLockMinutes);
    const age = Number(form.maxRateAgeMinutes);
    const fee = parseDecimalInput(form.bankWireFeeUsd);
    const margin = parseDecimalInput(form.bankFxMarginPercent);
    if (!Number.isInteger(lock) || !Number.isInteger(age) || !fee || !margin) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (lock !== settings.quoteLockMinutes) body.quoteLockMinutes = lock;
    if (age !== settings.maxRateAgeMinutes) body.maxRateAgeMinutes = age;
    if (fee !== settings.bankWireFeeUsd) body.bankWireFeeUsd = fee;
    if (margin !== settings.bankFxMarginPercent) body.bankFxMarginPercent = margin;
    if (Object.keys(body).length === 0) {
      setNotice(t('rates.settings.unchanged'));
      return;
    }
    await run(async () => {
      await api.patch<PricingSettings>('/staff/fx/settings', body);
      setNotice(t('common.saved'));
      onSaved();
    });
  }

  return (
    <Card title={t('rates.settings.title')} subtitle={t('rates.settings.body')} testId="settings-form">
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <Field label={t('rates.settings.lock')} hint={t('rates.settings.lockHint')}>
            {(id) => <input id={id} type="number" min={1} max={1440} value={form.quoteLockMinutes} onChange={set('quoteLockMinutes')} />}
          </Field>
          <Field label={t('rates.settings.maxAge')} hint={t('rates.settings.maxAgeHint')}>
            {(id) => <input id={id} type="number" min={5} max={20160} value={form.maxRateAgeMinutes} onChange={set('maxRateAgeMinutes')} />}
          </Field>
          <Field label={t('rates.settings.wireFee')} hint={t('rates.settings.wireFeeHint')}>
            {(id) => (
              <div className="affix-input">
                <span className="affix">USD</span>
                <input id={id} inputMode="decimal" value={form.bankWireFeeUsd} onChange={set('bankWireFeeUsd')} />
              </div>
            )}
          </Field>
          <Field label={t('rates.settings.margin')} hint={t('rates.settings.marginHint')}>
            {(id) => (
              <div className="affix-input affix-end">
                <input id={id} inputMode="decimal" value={form.bankFxMarginPercent} onChange={set('bankFxMarginPercent')} />
                <span className="affix">%</span>
              </div>
            )}
          </Field>
        </div>
        {invalid && <Alert kind="error">{t('rates.settings.invalid')}</Alert>}
        {notice && <Alert kind="success">{notice}</Alert>}
        <ErrorAlert error={error} />
        <div className="form-actions start">
          <Button type="submit" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

