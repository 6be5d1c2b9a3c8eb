import { useEffect, useId, useMemo, useRef, useState, type PointerEvent } from 'react';
import { PAIRS, type Pair, type RatePoint } from './api.ts';
import { intlLocale, useI18n } from './i18n.ts';
import { formatDecimal, formatRate } from './money.ts';

/**
 * A reference-rate history as a hand-drawn SVG line chart: value axis, date axis, a soft
 * area under the line, and a crosshair with the exact rate (as the server sent it) under
 * the pointer or finger. Positions are computed in floating point; the figures shown are
 * the exact decimal strings.
 */

const HEIGHT = 260;
const PAD = { top: 16, right: 16, bottom: 30, left: 64 };

/** Decimal places that make sense for a pair's axis labels. */
export function pairDecimals(pair: string): number {
  return pair === 'CNY/USD' ? 4 : pair === 'USD/IDR' ? 0 : 2;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setWidth(Math.max(240, Math.round(el.getBoundingClientRect().width)));
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function RateChart({ pair, points, height = HEIGHT }: { pair: Pair; points: RatePoint[]; height?: number }) {
  const { lang, t, formatDateTime } = useI18n();
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const gradientId = useId().replace(/:/g, '');

  const model = useMemo(() => {
    const xs = points.map((p) => new Date(p.observedAt).getTime());
    const ys = points.map((p) => Number(p.rate));
    if (points.length < 2) return null;
    const x0 = xs[0]!;
    const x1 = xs[xs.length - 1]!;
    let lo = Math.min(...ys);
    let hi = Math.max(...ys);
    if (hi === lo) {
      hi += Math.abs(hi) * 0.005 || 1;
      lo -= Math.abs(lo) * 0.005 || 1;
    }
    const plotH = height - PAD.top - PAD.bottom;
    const step = niceStep(hi - lo, plotH < 200 ? 3 : 4);
    const yMin = Math.floor(lo / step) * step;
    const yMax = Math.ceil(hi / step) * step;
    const ticks: number[] = [];
    for (let v = yMin; v <= yMax + step / 2; v += step) ticks.push(v);
    return { xs, ys, x0, x1: x1 === x0 ? x0 + 1 : x1, yMin, yMax, ticks, step };
  }, [points, height]);

  if (!model) {
    return (
      <div ref={ref} className="chart" data-testid="rate-chart">
        <div className="chart-empty" style={{ height }}>
          {t('chart.noData')}
        </div>
      </div>
    );
  }

  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - model.x0) / (model.x1 - model.x0)) * plotW;
  const sy = (y: number) => PAD.top + (1 - (y - model.yMin) / (model.yMax - model.yMin)) * plotH;
  const line = model.xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(model.ys[i]!).toFixed(1)}`).join('');
  const area = `${line}L${sx(model.x1).toFixed(1)},${(PAD.top + plotH).toFixed(1)}L${sx(model.x0).toFixed(1)},${(PAD.top + plotH).toFixed(1)}Z`;

  const spanDays = (model.x1 - model.x0) / 86_400_000;
  const dateFmt = new Intl.DateTimeFormat(intlLocale(lang), spanDays > 200 ? { month: 'short', year: '2-digit' } : spanDays > 2 ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' });
  const xTickCount = Math.max(2, Math.min(7, Math.floor(plotW / 95)));
  const xTicks = Array.from({ length: xTickCount }, (_, i) => model.x0 + ((model.x1 - model.x0) * i) / (xTickCount - 1));
  let tickDecimals = 0;
  while (tickDecimals < 8 && Math.abs(Math.round(model.step * 10 ** tickDecimals) - model.step * 10 ** tickDecimals) > 1e-9) tickDecimals++;
  const numberFmt = new Intl.NumberFormat(intlLocale(lang), { minimumFractionDigits: tickDecimals, maximumFractionDigits: tickDecimals });

  function onMove(e: PointerEvent<SVGSVGElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * width;
    const time = model!.x0 + ((x - PAD.left) / plotW) * (model!.x1 - model!.x0);
    let best = 0;
    for (let i = 1; i < model!.xs.length; i++) if (Math.abs(model!.xs[i]! - time) < Math.abs(model!.xs[best]! - time)) best = i;
    setHover(best);
  }

  const first = points[0]!;
  const last = points[points.length - 1]!;
  const hovered = hover !== null ? points[hover] : undefined;
  const hx = hover !== null ? sx(model.xs[hover]!) : 0;
  const hy = hover !== null ? sy(model.ys[hover]!) : 0;

  return (
    <div ref={ref} className="chart" data-testid="rate-chart">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('chart.aria', { pair, from: formatRate(pair, first.rate, lang), to: formatRate(pair, last.rate, lang), days: Math.round(spanDays) })}
        onPointerMove={onMove}
        onPointerDown={onMove}
        onPointerLeave={() => setHover(null)}
      >
        <defs>
          <linearGradient id={gradientId} x1="0" x2="0" y1="0" y2="1">
            <stop offset="0%" stopColor="var(--brand-500)" stopOpacity="0.22" />
            <stop offset="100%" stopColor="var(--brand-500)" stopOpacity="0" />
          </linearGradient>
        </defs>
        {model.ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={width - PAD.right} y1={sy(v)} y2={sy(v)} className="chart-grid" />
            <text x={PAD.left - 8} y={sy(v)} dy="0.35em" textAnchor="end" className="chart-label">
              {numberFmt.format(v)}
            </text>
          </g>
        ))}
        {xTicks.map((x, i) => (
          <text key={x} x={sx(x)} y={height - 8} textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'} className="chart-label">
            {dateFmt.format(new Date(x))}
          </text>
        ))}
        <line x1={PAD.left} x2={width - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="chart-axis" />
        <path d={area} fill={`url(#${gradientId})`} />
        <path d={line} className="chart-line" />
        <circle cx={sx(model.xs[model.xs.length - 1]!)} cy={sy(model.ys[model.ys.length - 1]!)} r={3.5} className="chart-dot" />
        {hovered && (
          <g>
            <line x1={hx} x2={hx} y1={PAD.top} y2={PAD.top + plotH} className="chart-cross" />
            <circle cx={hx} cy={hy} r={5} className="chart-dot chart-dot-hover" />
          </g>
        )}
      </svg>
      {hovered && (
        <div className="chart-tip" style={{ left: Math.min(Math.max(hx, 90), width - 90), top: Math.max(hy - 12, 0) }} data-testid="chart-tip">
          <strong>{formatRate(pair, hovered.rate, lang)}</strong>
          <span>{formatDateTime(hovered.observedAt)}</span>
          <span className="chart-tip-source">{hovered.source}</span>
        </div>
      )}
    </div>
  );
}

/** Latest, change over the period, low and high: the numbers beside a chart. */
export function RateSummary({ pair, points }: { pair: Pair; points: RatePoint[] }) {
  const { t, lang } = useI18n();
  if (points.length === 0) return null;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  let low = first;
  let high = first;
  for (const p of points) {
    if (Number(p.rate) < Number(low.rate)) low = p;
    if (Number(p.rate) > Number(high.rate)) high = p;
  }
  const change = Number(last.rate) - Number(first.rate);
  const changePct = Number(first.rate) === 0 ? 0 : (change / Number(first.rate)) * 100;
  const d = pairDecimals(pair);
  const fmt = (v: string) => formatDecimal(v, lang, { maxFraction: d + 2 });
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const tone = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  return (
    <dl className="rate-summary" data-testid="rate-summary">
      <div>
        <dt>{t('chart.latest')}</dt>
        <dd className="strong">{fmt(last.rate)}</dd>
      </div>
      <div>
        <dt>{t('chart.change')}</dt>
        <dd className={`change-${tone}`}>
          {sign}
          {formatDecimal(Math.abs(change).toFixed(d + 2), lang, { maxFraction: d + 2 })} ({sign}
          {formatDecimal(Math.abs(changePct).toFixed(Math.abs(changePct) > 0 && Math.abs(changePct) < 0.01 ? 4 : 2), lang, { minFraction: 2 })}
          {lang === 'id' ? '\u00a0%' : '%'})
        </dd>
      </div>
      <div>
        <dt>{t('chart.low')}</dt>
        <dd>{fmt(low.rate)}</dd>
      </div>
      <div>
        <dt>{t('chart.high')}</dt>
        <dd>{fmt(high.rate)}</dd>
      </div>
    </dl>
  );
}

export const CHART_DAYS = [30, 90, 365] as const;
export type ChartDays = (typeof CHART_DAYS)[number];

/** Pair and period pickers above a chart: a select for the pair, a segmented control for days. */
export function ChartControls({ pair, days, onPair, onDays }: { pair: Pair; days: ChartDays; onPair: (p: Pair) => void; onDays: (d: ChartDays) => void }) {
  const { t } = useI18n();
  return (
    <div className="chart-controls">
      <label className="inline-label">
        <span className="sr-only">{t('chart.pair')}</span>
        <select value={pair} onChange={(e) => onPair(e.target.value as Pair)} aria-label={t('chart.pair')} data-testid="chart-pair">
          {PAIRS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <div className="pill-group" role="group" aria-label={t('chart.period')}>
        {CHART_DAYS.map((d) => (
          <button key={d} type="button" className={d === days ? 'active' : ''} aria-pressed={d === days} onClick={() => onDays(d)} data-testid={`chart-days-${d}`}>
            {t('chart.days', { n: d })}
          </button>
        ))}
      </div>
    </div>
  );
}

