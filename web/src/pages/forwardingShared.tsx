/**
 * Pieces the importer's parcels and shipments pages and the staff warehouse console share:
 * status badges, measurements in the UI language (exact decimals, never floats), free
 * storage days, photo thumbnails, the parcel and shipment timelines, the freight
 * estimate compared mode by mode, and the pieces of a parcel's and a shipment's page
 * (supplier facts, packages and extra charges, estimate beside invoice, figure cells).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { api, type ClaimStatus, type FreightMode, type FreightQuote, type InsuranceClaim, type Parcel, type ParcelStatus, type ParcelTransition, type PublicFreightTariffs, type Shipment, type ShipmentStatus, type ShipmentTransition } from '../api.ts';
import { useI18n, hasMessage, type Lang, type MessageKey } from '../i18n.ts';
import { formatDecimal, money, type MoneyJson } from '../money.ts';
import { Badge } from '../ui.tsx';
import { useFormatDate } from './fundingShared.tsx';
import { FilePick, type PickedFile } from './paymentsShared.tsx';

type Tone = 'neutral' | 'green' | 'amber' | 'red' | 'blue';
type T = (k: MessageKey, p?: Record<string, string | number>) => string;

const PARCEL_TONE: Record<ParcelStatus, Tone> = { unidentified: 'amber', received: 'green', in_shipment: 'blue', shipped: 'neutral', abandoned: 'red' };
const SHIPMENT_TONE: Record<ShipmentStatus, Tone> = {
  requested: 'blue',
  packed: 'blue',
  invoiced: 'amber',
  paid: 'green',
  departed: 'blue',
  arrived_port: 'blue',
  held_customs: 'amber',
  customs_cleared: 'blue',
  out_for_delivery: 'blue',
  delivered: 'green',
  lost: 'red',
  damaged: 'red',
  cancelled: 'neutral',
};

/** A server word we have a label for, else the word itself (a newer server may add statuses). */
function labelOr(t: T, key: string, fallback: string): string {
  return hasMessage(key) ? t(key) : fallback.replace(/_/g, ' ');
}

export function parcelStatusLabel(status: string, t: T): string {
  return labelOr(t, `fwd.parcelStatus.${status}`, status);
}

export function shipmentStatusLabel(status: string, t: T): string {
  return labelOr(t, `fwd.shipmentStatus.${status}`, status);
}

export function modeName(mode: FreightMode | string, t: T): string {
  return labelOr(t, `fwd.mode.${mode}`, mode);
}

export function categoryName(category: string, t: T): string {
  return labelOr(t, `fwd.category.${category}`, category);
}

export function conditionName(condition: string, t: T): string {
  return labelOr(t, `fwd.condition.${condition}`, condition);
}

export function ParcelStatusBadge({ status }: { status: ParcelStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="parcel-status" data-status={status}>
      <Badge tone={PARCEL_TONE[status] ?? 'neutral'}>{parcelStatusLabel(status, t)}</Badge>
    </span>
  );
}

export function ShipmentStatusBadge({ status }: { status: ShipmentStatus }) {
  const { t } = useI18n();
  return (
    <span data-testid="shipment-status" data-status={status}>
      <Badge tone={SHIPMENT_TONE[status] ?? 'neutral'}>{shipmentStatusLabel(status, t)}</Badge>
    </span>
  );
}

/** A parcel claim's or an insurance claim's state. */
export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useI18n();
  return <Badge tone={status === 'approved' ? 'green' : status === 'rejected' ? 'red' : 'amber'}>{t(`fwd.claimStatus.${status}`)}</Badge>;
}

// ---- measurements ---------------------------------------------------------------------------------

export const kgText = (kg: string, lang: Lang) => `${formatDecimal(kg, lang)} kg`;
export const cbmText = (cbm: string, lang: Lang) => `${formatDecimal(cbm, lang)} CBM`;
export const dimsText = (p: { lengthCm: string; widthCm: string; heightCm: string }, lang: Lang) => `${formatDecimal(p.lengthCm, lang)} × ${formatDecimal(p.widthCm, lang)} × ${formatDecimal(p.heightCm, lang)} cm`;
export const unitText = (value: string, unit: 'kg' | 'cbm', lang: Lang) => (unit === 'kg' ? kgText(value, lang) : cbmText(value, lang));

/** What people type for kilograms ("18,4", "18.4") as the API's "18.4", or null. */
export function parseKg(input: string): string | null {
  const s = input.trim().replace(',', '.');
  return /^[0-9]{1,7}(\.[0-9]{1,3})?$/.test(s) && /[1-9]/.test(s) ? s.replace(/^0+(?=\d)/, '') : null;
}

/** Centimetres with at most one decimal, above zero. */
export function parseCm(input: string): string | null {
  const s = input.trim().replace(',', '.');
  return /^[0-9]{1,4}(\.[0-9])?$/.test(s) && /[1-9]/.test(s) ? s.replace(/^0+(?=\d)/, '') : null;
}

/** "3312, 3313 3314" → ["3312", "3313", "3314"]. */
export function splitNumbers(input: string): string[] {
  return input
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---- storage terms, free days, abandonment --------------------------------------------------------

type StorageTerms = PublicFreightTariffs['storage'];
let termsRequest: Promise<StorageTerms> | null = null;

/** The public storage terms (free days, warning days…), asked once per page load. */
export function useStorageTerms(): StorageTerms | undefined {
  const [terms, setTerms] = useState<StorageTerms>();
  useEffect(() => {
    let alive = true;
    termsRequest ??= api.get<PublicFreightTariffs>('/public/freight-tariffs').then(
      (r) => r.storage,
      (err: unknown) => {
        termsRequest = null;
        throw err;
      },
    );
    termsRequest.then(
      (s) => alive && setTerms(s),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return terms;
}

/** Today as a China calendar day (Asia/Shanghai is UTC+8 all year), "2026-03-01". */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from today (China) to a calendar day; negative once it has passed. */
export function daysUntil(isoDate: string, today = chinaToday()): number {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The storage days still free, highlighted when they run out (the terms' warning days), and what is owed after them. */
export function FreeDays({ parcel, warnAt }: { parcel: Pick<Parcel, 'freeDaysLeft' | 'storageOwed' | 'freeThrough'>; warnAt?: number }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  const terms = useStorageTerms();
  const warn = warnAt ?? terms?.freeStorageWarningDays ?? 0;
  const owed = BigInt(parcel.storageOwed.amount) > 0n;
  if (parcel.freeDaysLeft === null) return <span className="muted">—</span>;
  const left = parcel.freeDaysLeft;
  const tone = left === 0 ? 'free-days-over' : left <= warn ? 'free-days-soon' : '';
  return (
    <span className={`free-days ${tone}`} data-testid="free-days" data-days={left} data-warn={warn} title={t('fwd.freeThrough', { date: formatDate(parcel.freeThrough) })}>
      <span className="strong">{left === 0 ? t('fwd.freeOver') : t('fwd.freeDaysLeft', { n: left })}</span>
      {owed && (
        <span className="small block" data-testid="storage-owed">
          {t('fwd.storageOwed', { amount: money(parcel.storageOwed, lang) })}
        </span>
      )}
    </span>
  );
}

/** A parcel's storage in a table cell: the free days left, and the abandonment date when it is near. */
export function FreeStorageCell({ parcel }: { parcel: Pick<Parcel, 'freeDaysLeft' | 'storageOwed' | 'freeThrough' | 'abandonAfter' | 'abandonedAt' | 'status'> }) {
  return (
    <div className="stack free-cell">
      <FreeDays parcel={parcel} />
      <AbandonNote parcel={parcel} />
    </div>
  );
}

/** How near the importer is told the abandonment date is. */
export const ABANDON_SOON_DAYS = 14;

/**
 * The day a parcel in storage counts as abandoned: shown when it is within
 * `ABANDON_SOON_DAYS` (or always, on staff screens), and the abandonment itself once it happened.
 */
export function AbandonNote({ parcel, always = false, block = true }: { parcel: Pick<Parcel, 'abandonAfter' | 'abandonedAt' | 'status'>; always?: boolean; block?: boolean }) {
  const { t, formatDateTime } = useI18n();
  const formatDate = useFormatDate();
  if (parcel.status === 'abandoned' && parcel.abandonedAt)
    return (
      <span className={`abandon-note abandon-done small${block ? ' block' : ''}`} data-testid="abandoned-at">
        {t('fwd.abandonedOn', { date: formatDateTime(parcel.abandonedAt) })}
      </span>
    );
  if (!parcel.abandonAfter) return null;
  const left = daysUntil(parcel.abandonAfter);
  if (!always && left > ABANDON_SOON_DAYS) return null;
  const soon = left <= ABANDON_SOON_DAYS;
  return (
    <span className={`abandon-note small${soon ? ' abandon-soon' : ' muted'}${block ? ' block' : ''}`} data-testid="abandon-after" data-date={parcel.abandonAfter} data-days={left}>
      {left <= 0 ? t('fwd.abandonToday', { date: formatDate(parcel.abandonAfter) }) : t('fwd.abandonOn', { date: formatDate(parcel.abandonAfter), n: left })}
    </span>
  );
}

// ---- marking codes -------------------------------------------------------------------------------------

/** Luhn (mod 10), as the server checks the last digit of a marking code. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * What a code read off a box looks like, forgiven as the server forgives it (full-width
 * characters, spaces, dashes, lower case): not a marking code at all, one whose check digit
 * is wrong (a misread or mistyped digit), or a well-formed one. Only the server says whose.
 */
export function markingShape(read: string): { kind: 'notCode' } | { kind: 'badCheck' | 'wellFormed'; code: string } {
  const s = read.normalize('NFKC').toUpperCase().replace(/[\s_–—-]/g, '');
  const m = /^JBT([1-9]\d{3,11})$/.exec(s);
  if (!m) return { kind: 'notCode' };
  return { kind: luhnValid(m[1]!) ? 'wellFormed' : 'badCheck', code: `JBT-${m[1]}` };
}

/** Thumbnails of a parcel's photos, each opening the full picture. */
export function PhotoThumbs({ parcelId, photoIds, staff = false, size = 'small' }: { parcelId: string; photoIds: string[]; staff?: boolean; size?: 'small' | 'large' }) {
  const { t } = useI18n();
  if (photoIds.length === 0) return <span className="muted small">{t('fwd.noPhotos')}</span>;
  const base = staff ? '/api/staff/parcels' : '/api/parcels';
  return (
    <span className={`photo-thumbs photo-thumbs-${size}`} data-testid="parcel-photos">
      {photoIds.map((doc, i) => {
        const href = `${base}/${encodeURIComponent(parcelId)}/photos/${encodeURIComponent(doc)}`;
        return (
          <a key={doc} href={href} target="_blank" rel="noreferrer" title={t('fwd.photoN', { n: i + 1 })}>
            <img src={href} alt={t('fwd.photoN', { n: i + 1 })} loading="lazy" data-testid="parcel-photo" />
          </a>
        );
      })}
    </span>
  );
}

/**
 * The server writes the reasons of automatic steps in English; the ones the importer sees are
 * said again in the UI language. What staff typed (notes) stays as written.
 */
const REASONS: { re: RegExp; key: MessageKey; names: string[] }[] = [
  { re: /^estimate (.+) held$/, key: 'fwd.reason.held', names: ['amount'] },
  { re: /^packed: (\d+) package\(s\), ([\d.]+) kg, ([\d.]+) CBM$/, key: 'fwd.reason.packed', names: ['n', 'kg', 'cbm'] },
  { re: /^final invoice (.+) \(estimate (.+)\)$/, key: 'fwd.reason.invoiced', names: ['amount', 'estimate'] },
  { re: /^paid from the estimate; (.+) back to the wallet$/, key: 'fwd.reason.paidBack', names: ['amount'] },
  { re: /^paid: estimate (.+) \+ (.+) from the wallet$/, key: 'fwd.reason.paidMore', names: ['estimate', 'amount'] },
  { re: /^cancelled by the importer$/, key: 'fwd.reason.cancelledByYou', names: [] },
  { re: /^the invoice was not paid within (\d+) days$/, key: 'fwd.reason.unpaidCancelled', names: ['n'] },
  { re: /^received; identified by marking code (.+)$/, key: 'fwd.reason.receivedMarking', names: ['code'] },
  { re: /^received; identified by tracking number announced by the importer$/, key: 'fwd.reason.receivedAnnounced', names: [] },
  { re: /^received; (no readable marking code|marking code .+ is unknown)$/, key: 'fwd.reason.receivedUnknown', names: [] },
  { re: /^requested for shipment (.+)$/, key: 'fwd.reason.requested', names: ['id'] },
  { re: /^departed with shipment (.+)$/, key: 'fwd.reason.departed', names: ['id'] },
  { re: /^shipment (.+) cancelled$/, key: 'fwd.reason.shipmentCancelled', names: ['id'] },
  { re: /^identified by staff \(marking code (.+)\)$/, key: 'fwd.reason.assigned', names: ['code'] },
  { re: /^claim approved by staff$/, key: 'fwd.reason.claimApproved', names: [] },
  { re: /^given to another importer \(marking code (.+)\)$/, key: 'fwd.reason.reassigned', names: ['code'] },
  { re: /^back in storage at the importer’s request$/, key: 'fwd.reason.reinstated', names: [] },
  { re: /^in storage since (\d{4}-\d{2}-\d{2}), not shipped by (\d{4}-\d{2}-\d{2})$/, key: 'fwd.reason.abandoned', names: ['date:since', 'date:by'] },
];

export function reasonText(reason: string | null, status: string, t: T, lang: Lang, formatDate: (iso: string) => string = (d) => d): string | null {
  if (!reason) return null;
  // A step recorded without a note carries only its own name.
  if (reason === status.replace('_', ' ')) return null;
  for (const r of REASONS) {
    const m = r.re.exec(reason);
    if (m) {
      const params = Object.fromEntries(
        r.names.map((n, i) => {
          const v = m[i + 1] ?? '';
          if (n.startsWith('date:')) return [n.slice(5), formatDate(v)];
          return [n, n === 'kg' || n === 'cbm' ? formatDecimal(v, lang) : v];
        }),
      );
      return t(r.key, params);
    }
  }
  return reason;
}

/** Why a parcel was matched to a payment order, in the UI language (the server writes it in English). */
export function matchReasonText(reason: string | null, t: T): string | null {
  if (!reason) return null;
  const m = /^1688 order number (.+)$/.exec(reason);
  if (m) return t('fwd.match.orderNumber', { n: m[1]! });
  if (reason === 'announced for this payment order') return t('fwd.match.announced');
  return reason;
}

function actorText(actor: { type: string; id?: string | null }, t: T, meId?: string): string | null {
  if (actor.type === 'system') return t('pay.actor.system');
  if (meId && actor.id === meId) return t('pay.actor.you');
  if (actor.type === 'staff') return t('fwd.actor.staff');
  if (actor.type === 'api_key') return t('fwd.actor.apiKey');
  return actor.id ?? null;
}

/**
 * One step of a timeline: the status it reached and when, the reason in the UI language and
 * who took it; `children` adds what the step carries (a document). `marked` gives the time
 * and the reason their own test ids (the shipment timeline's).
 */
function TimelineStep({ to, tone, badge, at, reason, who, marked = false, children }: { to: string; tone: Tone; badge: ReactNode; at: string; reason: string | null; who: string | null; marked?: boolean; children?: ReactNode }) {
  const { formatDateTime } = useI18n();
  return (
    <li data-testid="timeline-step" data-to={to} className={`timeline-step tone-${tone}`}>
      <span className="timeline-dot" aria-hidden="true" />
      <div className="timeline-body">
        <div className="timeline-head">
          {badge}
          <span className="muted small" data-testid={marked ? 'timeline-at' : undefined}>
            {formatDateTime(at)}
          </span>
        </div>
        {(reason || who) && (
          <div className="small" data-testid={marked ? 'timeline-reason' : undefined}>
            {reason}
            {who && <span className="muted">{reason ? ' · ' : ''}{who}</span>}
          </div>
        )}
        {children}
      </div>
    </li>
  );
}

export function ParcelTimeline({ transitions, meId }: { transitions: ParcelTransition[]; meId?: string }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  return (
    <ol className="timeline" data-testid="parcel-timeline">
      {transitions.map((tr, i) => (
        <TimelineStep
          key={`${tr.at}-${i}`}
          to={tr.to}
          tone={PARCEL_TONE[tr.to] ?? 'neutral'}
          badge={<ParcelStatusBadge status={tr.to} />}
          at={tr.at}
          reason={reasonText(tr.reason, tr.to, t, lang, formatDate)}
          who={actorText(tr.actor, t, meId)}
        />
      ))}
    </ol>
  );
}

export function ShipmentTimeline({ transitions, documentHref, meId }: { transitions: ShipmentTransition[]; documentHref: ((documentId: string) => string) | null; meId?: string }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  return (
    <ol className="timeline" data-testid="shipment-timeline">
      {transitions.map((tr, i) => (
        <TimelineStep
          key={`${tr.at}-${i}`}
          to={tr.to}
          tone={SHIPMENT_TONE[tr.to] ?? 'neutral'}
          badge={<ShipmentStatusBadge status={tr.to} />}
          at={tr.at}
          reason={reasonText(tr.reason, tr.to, t, lang, formatDate)}
          who={actorText(tr.actor, t, meId)}
          marked
        >
          {tr.documentId &&
            (documentHref ? (
              <a className="small" href={documentHref(tr.documentId)} download data-testid="timeline-document">
                {t('fwd.downloadDocument')}
              </a>
            ) : (
              <span className="small muted" data-testid="timeline-document">
                {t('fwd.documentAttached')}
              </span>
            ))}
        </TimelineStep>
      ))}
    </ol>
  );
}

/** The line's detail in the UI language; the server's own words only for what staff typed (extra charges). */
function lineDetail(l: FreightQuote['lines'][number], q: FreightQuote, t: T, lang: Lang): string | null {
  if (l.code === 'freight') {
    const unit = q.chargeableUnit === 'kg' ? 'kg' : 'CBM';
    const base = `${unitText(q.chargeable, q.chargeableUnit, lang)} × ${money(q.rate, lang)}/${unit}`;
    return q.minimumApplied ? `${base} · ${t('fwd.minimumApplied', { amount: money(q.minimumCharge, lang) })}` : base;
  }
  if (l.code === 'storage') return t('fwd.line.storageDetail');
  if (l.code === 'extra') return l.description;
  return null;
}

export function lineLabel(code: string, t: T): string {
  return labelOr(t, `fwd.line.${code}`, code);
}

/** What decided the chargeable measure, in words. */
export function decidedText(q: FreightQuote, t: T): string {
  if (q.decidedBy === 'minimum') return t('fwd.decided.minimum');
  if (q.basis === 'kg') return q.decidedBy === 'volume' ? t('fwd.decided.kgVolume') : t('fwd.decided.kgWeight');
  return q.decidedBy === 'weight' ? t('fwd.decided.cbmWeight') : t('fwd.decided.cbmVolume');
}

/** An estimate or invoice line by line: the measures, the chargeable one, the rate and each charge. */
export function QuoteFigures({ quote, testId }: { quote: FreightQuote; testId?: string }) {
  const { t, lang } = useI18n();
  const formatDate = useFormatDate();
  const unit = quote.chargeableUnit;
  return (
    <div className="quote-figures" data-testid={testId} data-mode={quote.mode}>
      <dl className="facts facts-tight">
        <dt>{t('fwd.actualWeight')}</dt>
        <dd data-testid="q-actual">{kgText(quote.actualKg, lang)}</dd>
        <dt>{t('fwd.volume')}</dt>
        <dd data-testid="q-volume">{cbmText(quote.volumeCbm, lang)}</dd>
        {quote.volumetricKg !== null && (
          <>
            <dt>{t('fwd.volumetricWeight', { divisor: formatDecimal(String(quote.volumetricDivisor ?? ''), lang) })}</dt>
            <dd data-testid="q-volumetric">{kgText(quote.volumetricKg, lang)}</dd>
          </>
        )}
        {quote.weightAsCbm !== null && (
          <>
            <dt>{t('fwd.weightAsCbm', { kg: formatDecimal(String(quote.kgPerCbm ?? ''), lang) })}</dt>
            <dd data-testid="q-weight-as-cbm">{cbmText(quote.weightAsCbm, lang)}</dd>
          </>
        )}
        <dt>{t('fwd.chargeable')}</dt>
        <dd>
          <span className="strong" data-testid="q-chargeable">
            {unitText(quote.chargeable, unit, lang)}
          </span>
          <span className="muted small block" data-testid="q-decided" data-decided={quote.decidedBy}>
            {decidedText(quote, t)}
          </span>
        </dd>
        <dt>{t('fwd.rate')}</dt>
        <dd data-testid="q-rate">{t(unit === 'kg' ? 'fwd.perKg' : 'fwd.perCbm', { amount: money(quote.rate, lang) })}</dd>
      </dl>
      <table className="breakdown breakdown-compact" data-testid="q-lines">
        <tbody>
          {quote.lines.map((l, i) => (
            <tr key={`${l.code}-${i}`} data-line={l.code}>
              <th scope="row">
                {lineLabel(l.code, t)}
                <span className="row-detail">{lineDetail(l, quote, t, lang)}</span>
              </th>
              <td>{money(l.amount, lang)}</td>
            </tr>
          ))}
          <tr className="total-row" data-line="total">
            <th scope="row">{t('fwd.total')}</th>
            <td data-testid="q-total">{money(quote.total, lang)}</td>
          </tr>
        </tbody>
      </table>
      <p className="small quote-eta" data-testid="q-lead">
        {t('fwd.leadTime', { min: quote.leadDays.min, max: quote.leadDays.max })} · {t('fwd.etaIfToday', { from: formatDate(quote.eta.from), to: formatDate(quote.eta.to) })}
      </p>
    </div>
  );
}

/** A parcel's facts from its supplier, as rows of a `<dl>`: the store's name and the 1688 order numbers, when known. */
export function SupplierFacts({ parcel: p }: { parcel: Pick<Parcel, 'supplierName' | 'orderNumbers'> }) {
  const { t } = useI18n();
  return (
    <>
      {p.supplierName && (
        <>
          <dt>{t('fwd.supplier')}</dt>
          <dd lang="zh">{p.supplierName}</dd>
        </>
      )}
      {p.orderNumbers.length > 0 && (
        <>
          <dt>{t('fwd.orderNumbers')}</dt>
          <dd className="mono small">{p.orderNumbers.join(', ')}</dd>
        </>
      )}
    </>
  );
}

/** "3 Mar 2026 – 9 Mar 2026": a shipment's expected delivery days. */
export function etaText(eta: { from: string; to: string }, formatDate: (isoDate: string) => string): string {
  return `${formatDate(eta.from)} – ${formatDate(eta.to)}`;
}

/** The parcels of a shipment: each one's tracking number (`link` draws it, to open the parcel), measures and first photos. */
export function ShipmentParcels({ parcels, testId, staff = false, link }: { parcels: Parcel[]; testId: string; staff?: boolean; link: (p: Parcel) => ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <>
      <h3 className="section-title">{t('fwd.parcelsN', { n: parcels.length })}</h3>
      <ul className="fact-list" data-testid={testId}>
        {parcels.map((p) => (
          <li key={p.id}>
            <span className="cell stack">
              {link(p)}
              <span className="muted small">
                {t('fwd.cartonsN', { n: p.cartons })} · {kgText(p.weightKg, lang)} · {dimsText(p, lang)}
              </span>
            </span>
            <PhotoThumbs parcelId={p.id} photoIds={p.photoIds.slice(0, 2)} staff={staff} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** The lines a shipment's invoice is measured from: its packages as packed (count × dimensions, kilograms each) and, with `extras`, the extra charges. Nothing before it is packed. */
export function PackageLines({ shipment, testId, extras = false }: { shipment: Pick<Shipment, 'packages' | 'extraCharges'>; testId: string; extras?: boolean }) {
  const { t, lang } = useI18n();
  if (shipment.packages.length === 0) return null;
  return (
    <>
      <h3 className="section-title">{t('fwd.packages')}</h3>
      <ul className="fact-list" data-testid={testId}>
        {shipment.packages.map((p, i) => (
          <li key={i}>
            <span>
              {p.count} × {dimsText(p, lang)}
            </span>
            <strong>{t('fwd.kgEach', { kg: kgText(p.weightKg, lang) })}</strong>
          </li>
        ))}
        {extras &&
          shipment.extraCharges.map((x, i) => (
            <li key={`x${i}`}>
              <span>{x.description}</span>
              <strong>{money(x.amount, lang)}</strong>
            </li>
          ))}
      </ul>
    </>
  );
}

/** The estimate held at the request beside the final invoice, line by line (or a word that the invoice comes after packing). Test ids: `${testIdPrefix}estimate-figures`, `${testIdPrefix}invoice-figures`. */
export function QuoteComparison({ shipment: s, estimateTitle, invoiceTitle, testIdPrefix = '' }: { shipment: Pick<Shipment, 'estimate' | 'invoice'>; estimateTitle: ReactNode; invoiceTitle: ReactNode; testIdPrefix?: string }) {
  const { t } = useI18n();
  return (
    <div className="grid-2 compare-quotes">
      <div>
        <h3 className="section-title">{estimateTitle}</h3>
        <QuoteFigures quote={s.estimate} testId={`${testIdPrefix}estimate-figures`} />
      </div>
      <div>
        <h3 className="section-title">{invoiceTitle}</h3>
        {s.invoice ? <QuoteFigures quote={s.invoice} testId={`${testIdPrefix}invoice-figures`} /> : <p className="muted small">{t('fwd.invoiceLater')}</p>}
      </div>
    </div>
  );
}

/** A shipment's insurance claims: each one's amount and state, what `children` adds (description, evidence, decision) and what was approved. */
export function InsuranceClaimLines({ claims, testId, children }: { claims: InsuranceClaim[]; testId: string; children: (c: InsuranceClaim) => ReactNode }) {
  const { lang } = useI18n();
  return (
    <ul className="fact-list" data-testid={testId}>
      {claims.map((c) => (
        <li key={c.id}>
          <span className="cell stack">
            <span>
              {money(c.claimed, lang)} · <ClaimStatusBadge status={c.status} />
            </span>
            {children(c)}
          </span>
          {c.approved && <strong>{money(c.approved, lang)}</strong>}
        </li>
      ))}
    </ul>
  );
}

/** A note under a figure in a table cell: what waits to be paid (amber), what was credited. */
export interface FigureNote {
  text: string;
  tone: 'waiting' | 'credited';
  testId?: string;
}
const NOTE_CLASS: Record<FigureNote['tone'], string> = { waiting: 'small text-amber', credited: 'small credit-inline' };

/** A money figure in a table cell with its notes stacked under it (a `false` note is left out). */
export function FigureCell({ children, notes }: { children: ReactNode; notes: (FigureNote | false)[] }) {
  return (
    <div className="stack figure-cell">
      {children}
      {notes.map(
        (n, i) =>
          n && (
            <span key={i} className={NOTE_CLASS[n.tone]} data-testid={n.testId}>
              {n.text}
            </span>
          ),
      )}
    </div>
  );
}

/** A file picked for a form (a claim's evidence, a shipment's papers), and whether the last one picked was refused. */
export function usePickedFile() {
  const [file, setFile] = useState<PickedFile>();
  const [refused, setRefused] = useState(false);
  return {
    file,
    refused,
    pick(f: PickedFile) {
      setFile(f);
      setRefused(false);
    },
    refuse: () => setRefused(true),
    clear: () => setFile(undefined),
  };
}

/** The picker of a `usePickedFile` file: its `hint`, or why the file was refused. */
export function FileField({ state, label, hint, testId }: { state: ReturnType<typeof usePickedFile>; label: string; hint: string; testId: string }) {
  const { t } = useI18n();
  return <FilePick label={label} hint={state.refused ? t('fwd.fileInvalid') : hint} value={state.file} onPick={state.pick} onInvalid={state.refuse} testId={testId} />;
}

/** A shipment row's status, estimate and invoice cells: `invoice` is the invoice's figure, `notes` what is said under it. */
export function ShipmentFigureCells({ shipment: s, invoice, notes }: { shipment: Pick<Shipment, 'status' | 'estimateTotal'>; invoice: ReactNode; notes: (FigureNote | false)[] }) {
  const { t, lang } = useI18n();
  return (
    <>
      <td data-label={t('common.status')}>
        <ShipmentStatusBadge status={s.status} />
      </td>
      <td data-label={t('fwd.estimate')} className="right nowrap">
        {money(s.estimateTotal, lang)}
      </td>
      <td data-label={t('fwd.invoice')} className="right nowrap">
        <FigureCell notes={notes}>{invoice}</FigureCell>
      </td>
    </>
  );
}

export function MoneyCell({ m, testId }: { m: MoneyJson; testId?: string }) {
  const { lang } = useI18n();
  return <span data-testid={testId}>{money(m, lang)}</span>;
}

/** A little key-value block used in lists on phones. */
export function Stack({ children }: { children: ReactNode }) {
  return <div className="cell">{children}</div>;
}
