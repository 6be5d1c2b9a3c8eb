import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type FeeSchedule, type PublicFreightTariffs, type Pair, type PublicPricing, type RateHistory, type ReferenceRate } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { Icon, Logo } from '../icons.tsx';
import { formatDecimal, formatPercent, formatRate, formatUsd, money } from '../money.ts';
import { ChartControls, RateChart, RateSummary, type ChartDays } from '../RateChart.tsx';
import { useSession } from '../session.tsx';
import { Badge, Card, ErrorAlert, LanguageSwitch, Spinner, useLoad } from '../ui.tsx';
import { categoryName, modeName } from './forwardingShared.tsx';
import { LandedCostCalculator, landedPrefillFrom } from './LandedCost.tsx';
import { QuoteCalculator, tierLabel } from './QuoteCalculator.tsx';

/**
 * The public price page (/harga): no sign-in needed. A quote calculator with every rupiah
 * explained, the fee schedule and spreads in force, the reference-rate chart, and the
 * landed-cost calculator.
 */
export function PublicPricingPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const signedIn = session?.mfa === 'complete';
  const pricing = useLoad(() => api.get<PublicPricing>('/public/pricing'), []);
  const cnyIdr = pricing.data?.rates.find((r) => r.pair === 'CNY/IDR');
  const [params] = useSearchParams();
  // Figures handed over from a shipment: the calculator opens with them, scrolled into view.
  const prefill = useMemo(() => landedPrefillFrom(params), [params]);
  useEffect(() => {
    if (prefill) window.setTimeout(() => document.getElementById('biaya-sampai')?.scrollIntoView({ block: 'start' }), 50);
  }, [prefill]);

  return (
    <div className="public" data-testid="public-pricing">
      <header className="public-top">
        <div className="public-top-inner">
          <Link to="/harga" className="brand public-brand">
            <Logo size={30} />
            <span className="brand-name">{t('app.name')}</span>
          </Link>
          <nav className="public-nav" aria-label={t('pricing.sections')}>
            <a href="#kutipan">{t('pricing.nav.quote')}</a>
            <a href="#biaya">{t('pricing.nav.fees')}</a>
            <a href="#grafik">{t('pricing.nav.chart')}</a>
            <a href="#tarif-kargo">{t('pricing.nav.freight')}</a>
            <a href="#biaya-sampai">{t('pricing.nav.landed')}</a>
          </nav>
          <div className="public-actions">
            <LanguageSwitch compact />
            {signedIn ? (
              <Link to="/" className="btn btn-secondary btn-sm" data-testid="public-dashboard">
                <Icon name="home" size={16} />
                <span>{t('pricing.toDashboard')}</span>
              </Link>
            ) : (
              <Link to="/login" state={{ from: '/harga' }} className="btn btn-primary btn-sm" data-testid="public-sign-in">
                <span>{t('login.submit')}</span>
              </Link>
            )}
          </div>
        </div>
      </header>

      <section className="public-hero">
        <div className="public-hero-inner">
          <h1>{t('pricing.title')}</h1>
          <p>{t('pricing.subtitle')}</p>
          <RatesStrip rates={pricing.data?.rates} loading={pricing.loading} />
        </div>
      </section>

      <main className="public-main">
        <div className="public-grid">
          <div id="kutipan" className="anchor">
            <QuoteCalculator />
          </div>
          <div id="biaya" className="anchor">
            <FeesCard pricing={pricing.data} loading={pricing.loading} error={pricing.error} />
          </div>
        </div>
        <div id="grafik" className="anchor">
          <RateChartCard endpoint="/public/rates" />
        </div>
        <div id="tarif-kargo" className="anchor">
          <FreightTariffsCard />
        </div>
        <div id="biaya-sampai" className="anchor">
          <LandedCostCalculator ndpbmHint={cnyIdr?.rate} prefill={prefill ?? undefined} />
        </div>
      </main>
      <footer className="public-foot">
        <span>{t('app.tagline')}</span>
        <span className="muted">{t('pricing.footNote')}</span>
      </footer>
    </div>
  );
}

function RatesStrip({ rates, loading }: { rates: ReferenceRate[] | undefined; loading: boolean }) {
  const { t, lang, formatDateTime } = useI18n();
  if (!rates) return loading ? <div className="rates-strip rates-strip-loading" /> : null;
  return (
    <ul className="rates-strip" data-testid="rates-strip" aria-label={t('pricing.currentRates')}>
      {rates.map((r) => (
        <li key={r.pair}>
          <span className="rates-strip-pair">{r.pair}</span>
          <span className="rates-strip-rate">{formatRate(r.pair, r.rate, lang)}</span>
          <span className="rates-strip-meta">
            {r.source} · {formatDateTime(r.observedAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A fee schedule's tiers as a table: "USD 0 – 1.000: 1,0 %", "from USD 10.000: 0,4 %". */
export function FeeTierTable({ schedule, testId }: { schedule: FeeSchedule; testId?: string }) {
  const { t, lang } = useI18n();
  const sorted = [...schedule.tiers].sort((a, b) => compareDecimal(a.fromUsd, b.fromUsd));
  return (
    <table className="fee-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('pricing.fees.amountUsd')}</th>
          <th className="right">{t('pricing.fees.fee')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((tier, i) => {
          const next = sorted[i + 1];
          return (
            <tr key={tier.fromUsd}>
              <td>{next ? `${formatUsd(tier.fromUsd, lang)} – ${formatDecimal(next.fromUsd, lang)}` : t('pricing.fromUsd', { usd: formatUsd(tier.fromUsd, lang) })}</td>
              <td className="right strong">{formatPercent(tier.percent, lang, { minFraction: 1 })}</td>
            </tr>
          );
        })}
        <tr className="fee-minimum">
          <td>{t('pricing.fees.minimum')}</td>
          <td className="right strong">{money(schedule.minimumFee, lang)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Compares two plain decimal strings without floats. */
export function compareDecimal(a: string, b: string): number {
  const [aw = '0', af = ''] = a.split('.');
  const [bw = '0', bf = ''] = b.split('.');
  const len = Math.max(af.length, bf.length);
  const x = BigInt(aw + af.padEnd(len, '0'));
  const y = BigInt(bw + bf.padEnd(len, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

function FeesCard({ pricing, loading, error }: { pricing: PublicPricing | undefined; loading: boolean; error: unknown }) {
  const { t, lang, formatDateTime } = useI18n();
  return (
    <Card title={t('pricing.fees.title')} subtitle={t('pricing.fees.subtitle')} testId="fee-schedule" className="fees-card">
      <ErrorAlert error={error} />
      {!pricing ? (
        loading && <Spinner />
      ) : (
        <>
          {pricing.feeSchedule ? (
            <>
              <FeeTierTable schedule={pricing.feeSchedule} testId="fee-table" />
              <p className="muted small fee-since">{t('pricing.fees.since', { date: formatDateTime(pricing.feeSchedule.effectiveFrom) })}</p>
            </>
          ) : (
            <p className="muted">{t('pricing.fees.none')}</p>
          )}
          {pricing.upcomingFeeSchedules.length > 0 && (
            <div className="upcoming">
              {pricing.upcomingFeeSchedules.map((s) => (
                <div key={s.id} className="upcoming-item">
                  <Badge tone="blue">{t('pricing.fees.upcoming', { date: formatDateTime(s.effectiveFrom) })}</Badge>
                  <FeeTierTable schedule={s} />
                </div>
              ))}
            </div>
          )}
          <h3 className="section-title">{t('pricing.spreads.title')}</h3>
          <ul className="fact-list" data-testid="spreads">
            {pricing.spreads.map((s) => (
              <li key={`${s.pair}-${s.tier}`}>
                <span>
                  {s.pair} · {tierLabel(s.tier, t)}
                </span>
                <strong>{s.kind === 'percent' ? formatPercent(s.value, lang) : t('pricing.spreads.perUnit', { value: formatDecimal(s.value, lang) })}</strong>
              </li>
            ))}
            <li>
              <span>{t('pricing.lock')}</span>
              <strong>{t('pricing.minutes', { n: pricing.quoteLockMinutes })}</strong>
            </li>
          </ul>
          <p className="muted small">{t('pricing.spreads.explain')}</p>
          <h3 className="section-title">{t('pricing.bank.title')}</h3>
          <p className="muted small">{t('pricing.bank.explain', { fee: formatUsd(pricing.bankWire.wireFeeUsd, lang), margin: formatPercent(pricing.bankWire.fxMarginPercent, lang) })}</p>
        </>
      )}
    </Card>
  );
}

/** The rate history card: pair and period pickers, a summary, the chart. Public or staff data. */
export function RateChartCard({ endpoint, reloadKey = 0, title }: { endpoint: '/public/rates' | '/staff/fx/rates'; reloadKey?: number; title?: string }) {
  const { t } = useI18n();
  const [pair, setPair] = useState<Pair>('CNY/IDR');
  const [days, setDays] = useState<ChartDays>(90);
  const history = useLoad(() => api.get<RateHistory>(endpoint, { pair, days }), [endpoint, pair, days, reloadKey]);
  const points = history.data?.pair === pair ? history.data.points : [];
  return (
    <Card title={title ?? t('chart.title')} subtitle={t('chart.subtitle')} actions={<ChartControls pair={pair} days={days} onPair={setPair} onDays={setDays} />} className="chart-card" testId="rate-chart-card">
      <ErrorAlert error={history.error} />
      {history.loading && history.data?.pair !== pair ? (
        <div className="chart-placeholder">
          <Spinner />
        </div>
      ) : (
        <>
          <RateSummary pair={pair} points={points} />
          <div className={history.loading ? 'chart-loading' : undefined}>
            <RateChart pair={pair} points={points} />
          </div>
        </>
      )}
    </Card>
  );
}

/** The freight tariffs in force today, per warehouse and route, and the storage terms. */
function FreightTariffsCard() {
  const { t, lang } = useI18n();
  const loaded = useLoad(() => api.get<PublicFreightTariffs>('/public/freight-tariffs'), []);
  const d = loaded.data;
  const code = (id: string) => d?.warehouses.find((w) => w.id === id)?.city ?? '';
  return (
    <Card title={t('pricing.freight.title')} subtitle={t('pricing.freight.subtitle')} testId="freight-tariffs">
      <ErrorAlert error={loaded.error} />
      {!d ? (
        loaded.loading && <Spinner />
      ) : d.tariffs.length === 0 ? (
        <p className="muted">{t('pricing.freight.none')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="freight-table">
              <thead>
                <tr>
                  <th>{t('pricing.freight.route')}</th>
                  <th>{t('fwd.category')}</th>
                  <th className="right">{t('fwd.rate')}</th>
                  <th className="right">{t('pricing.freight.minimum')}</th>
                  <th>{t('fwd.insurance')}</th>
                  <th>{t('wh.tariffs.lead')}</th>
                </tr>
              </thead>
              <tbody>
                {d.tariffs.map((r) => (
                  <tr key={r.id} data-tariff={r.id}>
                    <td data-label={t('pricing.freight.route')}>
                      {code(r.warehouseId)} → {r.destination} · {modeName(r.mode, t)}
                    </td>
                    <td data-label={t('fwd.category')}>{categoryName(r.category, t)}</td>
                    <td data-label={t('fwd.rate')} className="right strong nowrap">
                      {t(r.basis === 'kg' ? 'fwd.perKg' : 'fwd.perCbm', { amount: money(r.rate, lang) })}
                      <span className="muted small block">{r.basis === 'kg' ? (r.volumetricDivisor ? t('wh.tariffs.divisor', { n: r.volumetricDivisor }) : t('wh.tariffs.weightOnly')) : r.kgPerCbm ? t('wh.tariffs.wm', { n: r.kgPerCbm }) : t('wh.tariffs.volumeOnly')}</span>
                    </td>
                    <td data-label={t('pricing.freight.minimum')} className="right nowrap">
                      {money(r.minimumCharge, lang)}
                    </td>
                    <td data-label={t('fwd.insurance')} className="nowrap">
                      {formatPercent(r.insurancePercent, lang)}
                    </td>
                    <td data-label={t('wh.tariffs.lead')} className="nowrap">
                      {t('pricing.freight.days', { min: r.leadDays.min, max: r.leadDays.max })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small" data-testid="freight-storage">
            {t(d.storage.storageFeeBasis === 'cbm' ? 'pricing.freight.storageCbm' : 'pricing.freight.storage', { days: d.storage.freeStorageDays, fee: money(d.storage.storageFeeBasis === 'cbm' ? d.storage.storageFeePerCbmDay : d.storage.storageFeePerParcelDay, lang) })}
          </p>
        </>
      )}
    </Card>
  );
}
