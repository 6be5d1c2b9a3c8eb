import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, FreightMode, InsuranceClaimsTable, ShipmentsTable, ShipmentStatus } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { balanceOf, ensureCustomerWallet, getAccount, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry, createHold, lockAccountsInOrder, postHold, voidHold, type PostingInput } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { formatMoney } from '../money/format.ts';
import { notifyCustomer } from '../notify/customer.ts';
import {
  etaWindow,
  freightOf,
  gramsToKg,
  insuranceOf,
  loadOf,
  mm3ToCbm,
  mmToCm,
  parcelLoad,
  sumLoads,
  unitsText,
  type Carton,
  type Load,
} from './freight.ts';
import { moveParcel, type Parcel } from './parcels.ts';
import { chargeStorage } from './storage.ts';
import { loadForwardingSettings } from './settings.ts';
import { chinaDate } from './storage-fees.ts';
import { getTariff, publicTariff, tariffsInForce, termsOf, type FreightTariff } from './tariffs.ts';
import { getWarehouse } from './warehouses.ts';

export type Shipment = Selectable<ShipmentsTable>;
export type InsuranceClaim = Selectable<InsuranceClaimsTable>;

/** The shipment's state machine: only these transitions exist, each one logged. */
export const SHIPMENT_TRANSITIONS: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  requested: ['packed', 'cancelled'],
  packed: ['invoiced', 'cancelled'],
  // Re-measured before payment (a figure was wrong): packed again, then invoiced again.
  invoiced: ['paid', 'packed', 'cancelled'],
  paid: ['departed'],
  departed: ['arrived_port', 'lost', 'damaged'],
  arrived_port: ['customs_cleared', 'held_customs', 'lost', 'damaged'],
  held_customs: ['customs_cleared', 'lost', 'damaged'],
  customs_cleared: ['out_for_delivery', 'delivered', 'lost', 'damaged'],
  out_for_delivery: ['delivered', 'lost', 'damaged'],
  delivered: ['damaged'],
  damaged: ['delivered'],
  lost: [],
  cancelled: [],
};

/** The steps after payment that staff record by hand, with an optional document. */
export const TRACKING_STATUSES = ['departed', 'arrived_port', 'held_customs', 'customs_cleared', 'out_for_delivery', 'delivered', 'lost', 'damaged'] as const;

export async function moveShipment(db: Kysely<DB>, actor: Actor, shipment: Shipment, to: ShipmentStatus, reason: string, extra: Updateable<ShipmentsTable> = {}, documentId: string | null = null): Promise<Shipment> {
  if (!SHIPMENT_TRANSITIONS[shipment.status].includes(to)) throw new AppError('invalid_state', `A shipment cannot go from ${shipment.status} to ${to}.`);
  const row = await db
    .updateTable('shipments')
    .set({ ...(extra as object), status: to, updated_at: sql<Date>`now()` })
    .where('id', '=', shipment.id)
    .where('status', '=', shipment.status)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'The shipment changed meanwhile; please retry.');
  await db
    .insertInto('shipment_transitions')
    .values({ id: newId('shipmentTransition'), shipment_id: shipment.id, from_status: shipment.status, to_status: to, actor_type: actor.type, actor_id: actor.id, reason, document_id: documentId })
    .execute();
  await recordAudit(db, actor, { action: 'forwarding.shipment_status_changed', objectType: 'shipment', objectId: shipment.id, data: { from: shipment.status, to, reason, documentId } });
  await tellImporter(db, row, to);
  return row;
}

const STATUS_NEWS: Partial<Record<ShipmentStatus, { id: string; en: string }>> = {
  invoiced: { id: 'tagihan kargo terbit', en: 'cargo invoice issued' },
  paid: { id: 'tagihan kargo lunas', en: 'cargo invoice paid' },
  departed: { id: 'berangkat dari Tiongkok', en: 'departed from China' },
  arrived_port: { id: 'tiba di pelabuhan/bandara tujuan', en: 'arrived at the port of destination' },
  held_customs: { id: 'ditahan bea cukai', en: 'held by customs' },
  customs_cleared: { id: 'selesai bea cukai', en: 'cleared customs' },
  out_for_delivery: { id: 'sedang diantar', en: 'out for delivery' },
  delivered: { id: 'sudah diterima', en: 'delivered' },
  lost: { id: 'dinyatakan hilang', en: 'reported lost' },
  damaged: { id: 'dilaporkan rusak', en: 'reported damaged' },
  cancelled: { id: 'dibatalkan; dana kembali ke dompet', en: 'cancelled; the money is back in the wallet' },
};

async function tellImporter(db: Kysely<DB>, s: Shipment, to: ShipmentStatus): Promise<void> {
  const news = STATUS_NEWS[to];
  if (!news) return;
  const due = to === 'invoiced' && s.invoice_total !== null ? s.invoice_total : null;
  await notifyCustomer(db, {
    customerId: s.customer_id,
    kind: `shipment.${to}`,
    title: { id: `Pengiriman ${s.id}: ${news.id}`, en: `Shipment ${s.id}: ${news.en}` },
    body: {
      id: `Pengiriman ${s.id} (${s.mode}, ${s.destination}): ${news.id}.${due !== null ? ` Total ${formatMoney(due, 'IDR', 'id')}.` : ''}`,
      en: `Shipment ${s.id} (${s.mode}, ${s.destination}): ${news.en}.${due !== null ? ` Total ${formatMoney(due, 'IDR', 'en')}.` : ''}`,
    },
    object: { type: 'shipment', id: s.id },
    dedupeKey: `shipment:${s.id}:${to}:${s.updated_at.toISOString()}`,
  });
}

export async function lockShipment(db: Kysely<DB>, id: string): Promise<Shipment> {
  assertInTransaction(db, 'a shipment step');
  const s = await db.selectFrom('shipments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!s) throw new AppError('not_found', `No shipment ${id}.`);
  return s;
}

export async function getShipment(db: Kysely<DB>, id: string): Promise<Shipment> {
  const s = await db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw new AppError('not_found', `No shipment ${id}.`);
  return s;
}

// ---- pricing a load ----------------------------------------------------------------------

export interface ChargeLine {
  code: 'freight' | 'insurance' | 'storage' | 'extra';
  description: string;
  amount: bigint;
}

export interface FreightQuote {
  tariff: FreightTariff;
  load: Load;
  lines: ChargeLine[];
  total: bigint;
  detail: ReturnType<typeof freightOf>;
}

export interface PricingExtras {
  insured: boolean;
  declaredValue: bigint;
  storageOwed: bigint;
  extraCharges: { description: string; amount: bigint }[];
}

/** Freight, insurance, owed storage and extra charges for a load under one tariff. */
export function priceLoad(load: Load, tariff: FreightTariff, extras: PricingExtras): FreightQuote {
  const terms = termsOf(tariff);
  const detail = freightOf(load, terms);
  const unit = tariff.basis === 'kg' ? 'kg' : 'CBM';
  const lines: ChargeLine[] = [
    {
      code: 'freight',
      description: `${tariff.mode} ${tariff.category}: ${unitsText(tariff.basis, detail.chargeable.units)} ${unit} × ${formatMoney(tariff.rate, 'IDR', 'en')}/${unit}${detail.minimumApplied ? ` (minimum charge ${formatMoney(tariff.minimum_charge, 'IDR', 'en')})` : ''}`,
      amount: detail.freight,
    },
  ];
  if (extras.insured) lines.push({ code: 'insurance', description: `insurance ${terms.insurancePercent}% of ${formatMoney(extras.declaredValue, 'IDR', 'en')}`, amount: insuranceOf(extras.declaredValue, terms) });
  if (extras.storageOwed > 0n) lines.push({ code: 'storage', description: 'storage after the free period, not yet paid', amount: extras.storageOwed });
  for (const x of extras.extraCharges) lines.push({ code: 'extra', description: x.description, amount: x.amount });
  return { tariff, load, lines, total: lines.reduce((a, l) => a + l.amount, 0n), detail };
}

function quoteJson(q: FreightQuote, etaFrom: string) {
  const c = q.detail.chargeable;
  const eta = etaWindow(etaFrom, q.tariff.lead_days_min, q.tariff.lead_days_max);
  return {
    tariffId: q.tariff.id,
    mode: q.tariff.mode,
    category: q.tariff.category,
    basis: q.tariff.basis,
    pieces: q.load.pieces,
    actualKg: gramsToKg(c.actualG),
    volumeCbm: mm3ToCbm(c.volumeMm3),
    volumetricKg: c.volumetricG === null ? null : gramsToKg(c.volumetricG),
    volumetricDivisor: q.tariff.volumetric_divisor,
    weightAsCbm: c.weightAsVolumeCm3 === null ? null : unitsText('cbm', c.weightAsVolumeCm3),
    kgPerCbm: q.tariff.kg_per_cbm,
    chargeable: unitsText(q.tariff.basis, c.units),
    chargeableUnit: q.tariff.basis === 'kg' ? 'kg' : 'cbm',
    decidedBy: c.decidedBy,
    rate: Money.of(q.tariff.rate, 'IDR').toJSON(),
    byRate: Money.of(q.detail.byRate, 'IDR').toJSON(),
    minimumCharge: Money.of(q.tariff.minimum_charge, 'IDR').toJSON(),
    minimumApplied: q.detail.minimumApplied,
    lines: q.lines.map((l) => ({ code: l.code, description: l.description, amount: Money.of(l.amount, 'IDR').toJSON() })),
    total: Money.of(q.total, 'IDR').toJSON(),
    leadDays: { min: q.tariff.lead_days_min, max: q.tariff.lead_days_max },
    eta,
  };
}

export interface EstimateInput {
  parcelIds: string[];
  destination: string;
  category: string;
  insured: boolean;
  declaredValue: bigint;
}

/** The importer's own parcels, in storage, of one warehouse, locked in id order when inside a transaction. */
async function parcelsForShipment(db: Kysely<DB>, customerId: string, parcelIds: string[], lock: boolean): Promise<Parcel[]> {
  const ids = [...new Set(parcelIds)].sort();
  if (ids.length === 0) throw new AppError('validation_failed', 'Choose at least one parcel.', { field: 'parcelIds' });
  let q = db.selectFrom('parcels').selectAll().where('id', 'in', ids).orderBy('id');
  if (lock) q = q.forUpdate();
  const rows = await q.execute();
  if (rows.length !== ids.length || rows.some((p) => p.customer_id !== customerId)) throw new AppError('validation_failed', 'Unknown parcel.', { field: 'parcelIds' });
  const notHere = rows.find((p) => p.status !== 'received');
  if (notHere) throw new AppError('invalid_state', `Parcel ${notHere.tracking_number} is ${notHere.status}; only parcels in storage can be shipped.`);
  if (new Set(rows.map((p) => p.warehouse_id)).size > 1) throw new AppError('validation_failed', 'Parcels of one shipment must be in the same warehouse.', { field: 'parcelIds' });
  return rows;
}

/**
 * A freight estimate for each mode the warehouse offers to the destination for the goods
 * category: chargeable weight or volume, the breakdown and the lead time. Nothing is written.
 */
/** Destinations are compared as tariffs store them: NFKC, single spaces, trimmed. */
export const cleanDestination = (d: string) => d.normalize('NFKC').replace(/\s+/g, ' ').trim();

function assertInsurable(input: { insured: boolean; declaredValue: bigint }): void {
  if (input.insured && input.declaredValue <= 0n) throw new AppError('validation_failed', 'Insurance needs the declared value of the goods.', { field: 'declaredValue' });
}

export async function estimateShipment(db: Kysely<DB>, customerId: string, input: EstimateInput) {
  assertInsurable(input);
  const destination = cleanDestination(input.destination);
  const parcels = await parcelsForShipment(db, customerId, input.parcelIds, false);
  const warehouseId = parcels[0]!.warehouse_id;
  const load = sumLoads(parcels.map(parcelLoad));
  const today = chinaDate(new Date());
  const tariffs = (await tariffsInForce(db, today, { warehouseId, destination })).filter((t) => t.category === input.category);
  const storageOwed = parcels.reduce((a, p) => a + p.storage_owed, 0n);
  const options = tariffs.map((t) => quoteJson(priceLoad(load, t, { insured: input.insured, declaredValue: input.declaredValue, storageOwed, extraCharges: [] }), today));
  const offered = new Set(options.map((o) => o.mode));
  return {
    warehouseId,
    destination,
    category: input.category,
    parcels: parcels.length,
    options,
    unavailable: (['air', 'sea', 'land'] as FreightMode[]).filter((m) => !offered.has(m)),
  };
}

async function tariffFor(db: Kysely<DB>, warehouseId: string, destination: string, mode: FreightMode, category: string): Promise<FreightTariff> {
  const t = (await tariffsInForce(db, chinaDate(new Date()), { warehouseId, destination })).find((x) => x.mode === mode && x.category === category);
  if (!t) throw new AppError('tariff_unavailable', `No ${mode} tariff from this warehouse to ${destination} for ${category} goods.`);
  return t;
}

export interface RequestShipmentInput extends EstimateInput {
  mode: FreightMode;
  deliveryAddress: string;
}

/**
 * The importer asks to ship parcels: the estimate is held on the wallet (wallet → cargo
 * payable, pending) and the parcels leave storage for packing. The final invoice settles
 * the difference.
 */
export async function requestShipment(db: Kysely<DB>, actor: Actor, customerId: string, input: RequestShipmentInput): Promise<Shipment> {
  assertInTransaction(db, 'requestShipment');
  assertInsurable(input);
  const destination = cleanDestination(input.destination);
  const locked = await parcelsForShipment(db, customerId, input.parcelIds, true);
  const warehouseId = locked[0]!.warehouse_id;
  const tariff = await tariffFor(db, warehouseId, destination, input.mode, input.category);
  const wallet = await ensureCustomerWallet(db, customerId, 'IDR');
  // Every account this request touches, in id order, before any of them is written.
  await lockAccountsInOrder(db, [wallet.id, SYSTEM_ACCOUNTS.cargoPayable, SYSTEM_ACCOUNTS.revenueStorage]);
  // Storage runs until the request: today's fee is charged (or owed) now, not lost.
  const today = chinaDate(new Date());
  const settings = await loadForwardingSettings(db);
  for (const p of locked) await chargeStorage(db, actor, p.id, today, settings);
  const parcels = await db.selectFrom('parcels').selectAll().where('id', 'in', locked.map((p) => p.id)).orderBy('id').execute();
  const storageOwed = parcels.reduce((a, p) => a + p.storage_owed, 0n);
  const quote = priceLoad(sumLoads(parcels.map(parcelLoad)), tariff, { insured: input.insured, declaredValue: input.declaredValue, storageOwed, extraCharges: [] });
  const available = balanceOf(await getAccount(db, wallet.id)).available.minor;
  if (available < quote.total) {
    throw new AppError('insufficient_funds', `The estimate is ${formatMoney(quote.total, 'IDR', 'en')}; the wallet has ${formatMoney(available, 'IDR', 'en')} available. Top up the difference first.`, {
      needed: Money.of(quote.total - available, 'IDR').toJSON(),
    });
  }
  const id = newId('shipment');
  const hold =
    quote.total > 0n
      ? await createHold(db, actor, {
          idempotencyKey: `shipment:${id}:estimate`,
          reason: 'cargo_estimate',
          reference: { type: 'shipment', id },
          description: `Cargo estimate for shipment ${id} (${input.mode}, ${destination})`,
          postings: [{ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.cargoPayable, amount: Money.of(quote.total, 'IDR') }],
        })
      : null;
  const shipment = await db
    .insertInto('shipments')
    .values({
      id,
      customer_id: customerId,
      warehouse_id: warehouseId,
      destination,
      delivery_address: input.deliveryAddress.trim(),
      mode: input.mode,
      category: input.category,
      tariff_id: tariff.id,
      status: 'requested',
      insured: input.insured,
      declared_value: input.declaredValue,
      estimate: JSON.stringify(quoteJson(quote, today)),
      estimate_total: quote.total,
      hold_entry_id: hold?.entry.id ?? null,
      extra_charges: '[]',
      created_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const p of parcels) await moveParcel(db, actor, p, 'in_shipment', `requested for shipment ${id}`, { shipment_id: id });
  await db.insertInto('shipment_transitions').values({ id: newId('shipmentTransition'), shipment_id: id, from_status: null, to_status: 'requested', actor_type: actor.type, actor_id: actor.id, reason: `estimate ${formatMoney(quote.total, 'IDR', 'en')} held` }).execute();
  await recordAudit(db, actor, { action: 'forwarding.shipment_requested', objectType: 'shipment', objectId: id, data: { parcels: parcels.map((p) => p.id), mode: input.mode, tariffId: tariff.id, estimate: quote.total.toString() } });
  return shipment;
}

export interface PackageInput {
  count: number;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  /** Of one package. */
  weightKg: string;
}

/** Warehouse staff repack and measure what will actually fly or sail. */
export async function packShipment(db: Kysely<DB>, actor: Actor, id: string, input: { packages: Carton[]; extraCharges: { description: string; amount: bigint }[]; note?: string | undefined }): Promise<Shipment> {
  const s = await lockShipment(db, id);
  if (s.status !== 'requested' && s.status !== 'invoiced') throw new AppError('invalid_state', `The shipment is ${s.status}; it is packed when requested, or re-measured before it is paid.`);
  if (input.packages.length === 0) throw new AppError('validation_failed', 'Record at least one package.', { field: 'packages' });
  if (input.packages.some((p) => p.count < 1 || p.weightG <= 0n || p.lengthMm <= 0 || p.widthMm <= 0 || p.heightMm <= 0)) throw new AppError('validation_failed', 'Every package needs a count, a weight and three sides above zero.', { field: 'packages' });
  if (input.extraCharges.some((x) => x.amount <= 0n || x.amount % 100n !== 0n || !x.description.trim())) throw new AppError('validation_failed', 'An extra charge is a description and a positive whole number of rupiah.', { field: 'extraCharges' });
  const packages = input.packages.map((p) => ({ count: p.count, lengthMm: p.lengthMm, widthMm: p.widthMm, heightMm: p.heightMm, weightG: p.weightG.toString() }));
  const extras = input.extraCharges.map((x) => ({ description: x.description.trim(), amount: x.amount.toString() }));
  const load = loadOf(input.packages);
  await recordAudit(db, actor, { action: 'forwarding.shipment_packed', objectType: 'shipment', objectId: id, data: { packages, extraCharges: extras, previous: s.packages, previousInvoiceTotal: s.invoice_total?.toString() ?? null } });
  return moveShipment(db, actor, s, 'packed', input.note?.trim() || `packed: ${load.pieces} package(s), ${gramsToKg(load.weightG)} kg, ${mm3ToCbm(load.volumeMm3)} CBM`, {
    packages: JSON.stringify(packages),
    extra_charges: JSON.stringify(extras),
    packed_at: new Date(),
  });
}

function packagesOf(s: Shipment): Carton[] {
  return ((s.packages ?? []) as { count: number; lengthMm: number; widthMm: number; heightMm: number; weightG: string }[]).map((p) => ({ ...p, weightG: BigInt(p.weightG) }));
}

/**
 * The final cargo invoice from the measured packages, under the tariff frozen at request:
 * freight, insurance, storage the parcels still owe, extra charges. Paid at once from the
 * hold and the wallet if they cover it; otherwise it waits for the importer.
 */
export async function invoiceShipment(db: Kysely<DB>, actor: Actor, id: string): Promise<Shipment> {
  const s = await lockShipment(db, id);
  if (s.status !== 'packed') throw new AppError('invalid_state', `The shipment is ${s.status}; it is invoiced once packed.`);
  const tariff = await getTariff(db, s.tariff_id);
  const parcels = await db.selectFrom('parcels').selectAll().where('shipment_id', '=', id).orderBy('id').forUpdate().execute();
  const storageOwed = parcels.reduce((a, p) => a + p.storage_owed, 0n);
  const quote = priceLoad(loadOf(packagesOf(s)), tariff, {
    insured: s.insured,
    declaredValue: s.declared_value,
    storageOwed,
    extraCharges: s.extra_charges.map((x) => ({ description: x.description, amount: BigInt(x.amount) })),
  });
  const invoice = { ...quoteJson(quote, chinaDate(new Date())), estimateTotal: Money.of(s.estimate_total, 'IDR').toJSON(), difference: Money.of(quote.total - s.estimate_total, 'IDR').toJSON() };
  const row = await moveShipment(db, actor, s, 'invoiced', `final invoice ${formatMoney(quote.total, 'IDR', 'en')} (estimate ${formatMoney(s.estimate_total, 'IDR', 'en')})`, {
    invoice: JSON.stringify(invoice),
    invoice_total: quote.total,
    invoiced_at: new Date(),
  });
  const paid = await settleShipment(db, actor, row, { mustPay: false, byImporter: false });
  return paid ?? row;
}

/**
 * Whether the importer agreed to pay this invoice: by paying it themselves, by opening a
 * deposit for it, or because it stays within the tolerance over the estimate they accepted
 * (`auto_settle_excess_percent`). A figure typed wrong at the warehouse never empties a wallet.
 */
async function importerAgreed(db: Kysely<DB>, s: Shipment, byImporter: boolean): Promise<boolean> {
  if (byImporter || s.invoice_total === null || s.invoice_total <= s.estimate_total) return true;
  const { autoSettleExcessPercent } = await loadForwardingSettings(db);
  if ((s.invoice_total - s.estimate_total) * 100n <= s.estimate_total * BigInt(autoSettleExcessPercent)) return true;
  const deposit = await db.selectFrom('deposit_intents').select('id').where('reference_type', '=', 'shipment').where('reference_id', '=', s.id).executeTakeFirst();
  return deposit !== undefined;
}

/** What is still to pay beyond the held estimate. */
export function amountDue(s: Shipment): bigint {
  if (s.invoice_total === null || s.status !== 'invoiced') return 0n;
  return s.invoice_total > s.estimate_total ? s.invoice_total - s.estimate_total : 0n;
}

/**
 * Settles an invoiced shipment in one transaction: posts the held estimate (up to the
 * invoice; the rest goes back to the wallet), takes any difference from the wallet, and
 * books the invoice lines (freight and extras to cargo revenue, the premium to the insurer's
 * payable, owed storage to storage revenue). Returns null if the wallet cannot cover the
 * difference and `mustPay` is false; throws `insufficient_funds` if it is true.
 */
export async function settleShipment(db: Kysely<DB>, actor: Actor, s: Shipment, options: { mustPay: boolean; byImporter: boolean }): Promise<Shipment | null> {
  if (s.status !== 'invoiced' || s.invoice_total === null) throw new AppError('invalid_state', `The shipment is ${s.status}; there is no invoice to pay.`);
  if (!(await importerAgreed(db, s, options.byImporter))) return null;
  const wallet = await ensureCustomerWallet(db, s.customer_id, 'IDR');
  // Every account the settlement writes, in id order, before any of them is written.
  await lockAccountsInOrder(db, [wallet.id, SYSTEM_ACCOUNTS.cargoPayable, SYSTEM_ACCOUNTS.revenueCargo, SYSTEM_ACCOUNTS.cargoInsurancePayable, SYSTEM_ACCOUNTS.revenueStorage]);
  const total = s.invoice_total;
  const fromHold = total < s.estimate_total ? total : s.estimate_total;
  const fromWallet = total - fromHold;
  const available = balanceOf(await getAccount(db, wallet.id)).available.minor;
  if (fromWallet > available) {
    if (!options.mustPay) return null;
    throw new AppError('insufficient_funds', `${formatMoney(fromWallet, 'IDR', 'en')} is due beyond the estimate; the wallet has ${formatMoney(available, 'IDR', 'en')} available.`, { needed: Money.of(fromWallet - available, 'IDR').toJSON() });
  }
  if (s.hold_entry_id) {
    if (fromHold > 0n) await postHold(db, actor, { idempotencyKey: `shipment:${s.id}:estimate:post`, holdId: s.hold_entry_id, reason: 'cargo_invoice', amounts: [Money.of(fromHold, 'IDR')] });
    else await voidHold(db, actor, { idempotencyKey: `shipment:${s.id}:estimate:void`, holdId: s.hold_entry_id, reason: 'cargo_invoice' });
  }
  const lines = (s.invoice as { lines: { code: string; amount: { amount: string } }[] }).lines;
  const byAccount = new Map<string, bigint>();
  for (const l of lines) {
    const account = l.code === 'insurance' ? SYSTEM_ACCOUNTS.cargoInsurancePayable : l.code === 'storage' ? SYSTEM_ACCOUNTS.revenueStorage : SYSTEM_ACCOUNTS.revenueCargo;
    byAccount.set(account, (byAccount.get(account) ?? 0n) + BigInt(l.amount.amount));
  }
  const postings: PostingInput[] = [];
  if (fromWallet > 0n) postings.push({ debitAccountId: wallet.id, creditAccountId: SYSTEM_ACCOUNTS.cargoPayable, amount: Money.of(fromWallet, 'IDR') });
  for (const [account, amount] of byAccount) if (amount > 0n) postings.push({ debitAccountId: SYSTEM_ACCOUNTS.cargoPayable, creditAccountId: account, amount: Money.of(amount, 'IDR') });
  const entry = await createEntry(db, actor, { idempotencyKey: `shipment:${s.id}:invoice`, reason: 'cargo_invoice', reference: { type: 'shipment', id: s.id }, description: `Cargo invoice for shipment ${s.id}`, postings });
  // Storage the parcels owed is now paid with the invoice.
  const settledStorage = await db
    .updateTable('parcels')
    .set({ storage_charged: sql<bigint>`storage_charged + storage_owed`, storage_owed: 0n, updated_at: sql<Date>`now()` })
    .where('shipment_id', '=', s.id)
    .where('storage_owed', '>', 0n)
    .returning(['id', 'storage_charged'])
    .execute();
  if (settledStorage.length > 0) await recordAudit(db, actor, { action: 'forwarding.storage_settled', objectType: 'shipment', objectId: s.id, data: { parcels: settledStorage.map((p) => p.id), entryId: entry.entry.id } });
  const reason = fromWallet > 0n ? `paid: estimate ${formatMoney(fromHold, 'IDR', 'en')} + ${formatMoney(fromWallet, 'IDR', 'en')} from the wallet` : `paid from the estimate; ${formatMoney(s.estimate_total - fromHold, 'IDR', 'en')} back to the wallet`;
  return moveShipment(db, actor, s, 'paid', reason, { paid_entry_id: entry.entry.id, paid_at: new Date() });
}

export async function payShipment(db: Kysely<DB>, actor: Actor, id: string): Promise<Shipment> {
  const s = await lockShipment(db, id);
  return (await settleShipment(db, actor, s, { mustPay: true, byImporter: true }))!;
}

/** What the wallet must still receive before the invoice can be paid from it. */
export async function shortfall(db: Kysely<DB>, s: Shipment): Promise<bigint> {
  const due = amountDue(s);
  if (due === 0n) return 0n;
  const wallet = await ensureCustomerWallet(db, s.customer_id, 'IDR');
  const available = balanceOf(await getAccount(db, wallet.id)).available.minor;
  return due > available ? due - available : 0n;
}

/**
 * A credit note after payment (an overcharge found later): rupiah from cargo revenue back to
 * the wallet, at most what was invoiced and not yet credited. Finance decides.
 */
export async function creditShipment(db: Kysely<DB>, actor: Actor, id: string, input: { amount: bigint; reason: string }): Promise<Shipment> {
  const s = await lockShipment(db, id);
  if (s.paid_at === null || s.invoice_total === null) throw new AppError('invalid_state', 'Only a paid shipment is credited; before payment, re-measure it instead.');
  if (input.amount <= 0n || input.amount % 100n !== 0n || s.credited + input.amount > s.invoice_total) {
    throw new AppError('validation_failed', `Credit a whole number of rupiah, at most ${formatMoney(s.invoice_total - s.credited, 'IDR', 'en')}.`, { field: 'amount' });
  }
  const wallet = await ensureCustomerWallet(db, s.customer_id, 'IDR');
  const entry = await createEntry(db, actor, {
    idempotencyKey: `shipment:${s.id}:credit:${s.credited}:${input.amount}`,
    reason: 'cargo_credit',
    reference: { type: 'shipment', id: s.id },
    description: `Credit note for shipment ${s.id}: ${input.reason}`,
    postings: [{ debitAccountId: SYSTEM_ACCOUNTS.revenueCargo, creditAccountId: wallet.id, amount: Money.of(input.amount, 'IDR') }],
  });
  const credits = [...s.credits, { amount: input.amount.toString(), reason: input.reason, at: new Date().toISOString(), by: actor.id, entryId: entry.entry.id }];
  const row = await db.updateTable('shipments').set({ credited: s.credited + input.amount, credits: JSON.stringify(credits), updated_at: sql<Date>`now()` }).where('id', '=', s.id).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.shipment_credited', objectType: 'shipment', objectId: s.id, data: { amount: input.amount.toString(), reason: input.reason, entryId: entry.entry.id } });
  await notifyCustomer(db, {
    customerId: s.customer_id,
    kind: 'shipment.credited',
    title: { id: `Pengiriman ${s.id}: ${formatMoney(input.amount, 'IDR', 'id')} dikembalikan ke dompet`, en: `Shipment ${s.id}: ${formatMoney(input.amount, 'IDR', 'en')} credited to your wallet` },
    body: { id: `Koreksi tagihan kargo: ${input.reason}`, en: `Cargo invoice correction: ${input.reason}` },
    object: { type: 'shipment', id: s.id },
    dedupeKey: `shipment-credit:${s.id}:${s.credited}:${input.amount}`,
  });
  return row;
}

/** Before payment: the estimate goes back to the wallet and the parcels back to storage. */
export async function cancelShipment(db: Kysely<DB>, actor: Actor, id: string, reason: string): Promise<Shipment> {
  const s = await lockShipment(db, id);
  if (!['requested', 'packed', 'invoiced'].includes(s.status)) throw new AppError('invalid_state', `A ${s.status} shipment cannot be cancelled.`);
  if (s.hold_entry_id) await voidHold(db, actor, { idempotencyKey: `shipment:${s.id}:estimate:void`, holdId: s.hold_entry_id, reason: 'cargo_cancelled' });
  const parcels = await db.selectFrom('parcels').selectAll().where('shipment_id', '=', id).orderBy('id').forUpdate().execute();
  for (const p of parcels) await moveParcel(db, actor, p, 'received', `shipment ${id} cancelled`, { shipment_id: null });
  return moveShipment(db, actor, s, 'cancelled', reason);
}

/** Staff record a step of the journey, with the carrier's reference and a document (AWB, B/L…). */
export async function advanceShipment(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  to: (typeof TRACKING_STATUSES)[number],
  input: { note?: string | undefined; carrierReference?: string | undefined; documentId?: string | null | undefined },
): Promise<Shipment> {
  const s = await lockShipment(db, id);
  const extra: Updateable<ShipmentsTable> = {};
  if (input.carrierReference?.trim()) extra.carrier_reference = input.carrierReference.trim();
  if (to === 'departed') {
    const tariff = await getTariff(db, s.tariff_id);
    const eta = etaWindow(chinaDate(new Date()), tariff.lead_days_min, tariff.lead_days_max);
    Object.assign(extra, { departed_at: new Date(), eta_from: eta.from, eta_to: eta.to });
  }
  if (to === 'delivered') extra.delivered_at = new Date();
  const row = await moveShipment(db, actor, s, to, input.note?.trim() || to.replace('_', ' '), extra, input.documentId ?? null);
  if (to === 'departed') {
    const parcels = await db.selectFrom('parcels').selectAll().where('shipment_id', '=', id).orderBy('id').forUpdate().execute();
    for (const p of parcels) await moveParcel(db, actor, p, 'shipped', `departed with shipment ${id}`);
  }
  return row;
}

// ---- insurance claims ----------------------------------------------------------------------

export async function fileInsuranceClaim(db: Kysely<DB>, actor: Actor, customerId: string, shipmentId: string, input: { amount: bigint; description: string; documentId?: string | undefined }): Promise<InsuranceClaim> {
  const s = await lockShipment(db, shipmentId);
  if (s.customer_id !== customerId) throw new AppError('not_found');
  if (!s.insured) throw new AppError('invalid_state', 'This shipment was not insured.');
  if (s.status !== 'lost' && s.status !== 'damaged') throw new AppError('invalid_state', 'A claim is for a shipment reported lost or damaged.');
  if (input.amount <= 0n || input.amount > s.declared_value) throw new AppError('validation_failed', `Claim between Rp 1 and the declared value ${formatMoney(s.declared_value, 'IDR', 'en')}.`, { field: 'amount' });
  const open = await db.selectFrom('insurance_claims').select('id').where('shipment_id', '=', shipmentId).where('status', '!=', 'rejected').executeTakeFirst();
  if (open) throw new AppError('conflict', 'This shipment already has a claim.');
  const row = await db
    .insertInto('insurance_claims')
    .values({ id: newId('insuranceClaim'), shipment_id: shipmentId, customer_id: customerId, claimed_amount: input.amount, description: input.description.trim(), document_id: input.documentId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.insurance_claim_filed', objectType: 'shipment', objectId: shipmentId, data: { claimId: row.id, amount: input.amount.toString() } });
  return row;
}

/** Finance decides: an approved claim credits the wallet (cargo claims expense → wallet). */
export async function decideInsuranceClaim(db: Kysely<DB>, actor: Actor, claimId: string, input: { decision: 'approved' | 'rejected'; amount?: bigint | undefined; note: string }): Promise<InsuranceClaim> {
  const claim = await db.selectFrom('insurance_claims').selectAll().where('id', '=', claimId).forUpdate().executeTakeFirst();
  if (!claim) throw new AppError('not_found', `No claim ${claimId}.`);
  if (claim.status !== 'pending') throw new AppError('invalid_state', `This claim was already ${claim.status}.`);
  let entryId: string | null = null;
  let approved: bigint | null = null;
  if (input.decision === 'approved') {
    approved = input.amount ?? claim.claimed_amount;
    if (approved <= 0n || approved > claim.claimed_amount) throw new AppError('validation_failed', 'Approve between Rp 1 and the amount claimed.', { field: 'amount' });
    const wallet = await ensureCustomerWallet(db, claim.customer_id, 'IDR');
    const entry = await createEntry(db, actor, {
      idempotencyKey: `insurance-claim:${claim.id}`,
      reason: 'cargo_insurance_claim',
      reference: { type: 'shipment', id: claim.shipment_id },
      description: `Insurance claim ${claim.id} for shipment ${claim.shipment_id}`,
      postings: [{ debitAccountId: SYSTEM_ACCOUNTS.cargoClaimsExpense, creditAccountId: wallet.id, amount: Money.of(approved, 'IDR') }],
    });
    entryId = entry.entry.id;
  }
  const row = await db
    .updateTable('insurance_claims')
    .set({ status: input.decision, approved_amount: approved, entry_id: entryId, decided_by: actor.id, decision_note: input.note, decided_at: sql<Date>`now()` })
    .where('id', '=', claimId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: `forwarding.insurance_claim_${input.decision}`, objectType: 'shipment', objectId: claim.shipment_id, data: { claimId, amount: approved?.toString() ?? null, note: input.note } });
  await notifyCustomer(db, {
    customerId: claim.customer_id,
    kind: `insurance_claim.${input.decision}`,
    title: input.decision === 'approved' ? { id: `Klaim asuransi ${claim.id} disetujui`, en: `Insurance claim ${claim.id} approved` } : { id: `Klaim asuransi ${claim.id} ditolak`, en: `Insurance claim ${claim.id} rejected` },
    body:
      input.decision === 'approved'
        ? { id: `${formatMoney(approved!, 'IDR', 'id')} dikreditkan ke dompet Anda.`, en: `${formatMoney(approved!, 'IDR', 'en')} was credited to your wallet.` }
        : { id: `Alasan: ${input.note}`, en: `Reason: ${input.note}` },
    object: { type: 'shipment', id: claim.shipment_id },
    dedupeKey: `insurance-claim:${claim.id}:${input.decision}`,
  });
  return row;
}

// ---- reading ---------------------------------------------------------------------------------

export async function shipmentTransitions(db: Kysely<DB>, id: string) {
  const rows = await db.selectFrom('shipment_transitions').selectAll().where('shipment_id', '=', id).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, actor: { type: r.actor_type, id: r.actor_id }, reason: r.reason, documentId: r.document_id, at: r.at.toISOString() }));
}

export function publicShipment(s: Shipment) {
  return {
    id: s.id,
    customerId: s.customer_id,
    warehouseId: s.warehouse_id,
    destination: s.destination,
    deliveryAddress: s.delivery_address,
    mode: s.mode,
    category: s.category,
    tariffId: s.tariff_id,
    status: s.status,
    insured: s.insured,
    declaredValue: Money.of(s.declared_value, 'IDR'),
    estimate: s.estimate,
    estimateTotal: Money.of(s.estimate_total, 'IDR'),
    packages: packagesOf(s).map((p) => ({ count: p.count, lengthCm: mmToCm(p.lengthMm), widthCm: mmToCm(p.widthMm), heightCm: mmToCm(p.heightMm), weightKg: gramsToKg(p.weightG) })),
    extraCharges: s.extra_charges.map((x) => ({ description: x.description, amount: Money.of(BigInt(x.amount), 'IDR') })),
    invoice: s.invoice,
    invoiceTotal: s.invoice_total === null ? null : Money.of(s.invoice_total, 'IDR'),
    amountDue: Money.of(amountDue(s), 'IDR'),
    credited: Money.of(s.credited, 'IDR'),
    credits: s.credits.map((c) => ({ amount: Money.of(BigInt(c.amount), 'IDR'), reason: c.reason, at: c.at })),
    carrierReference: s.carrier_reference,
    eta: s.eta_from && s.eta_to ? { from: s.eta_from, to: s.eta_to } : null,
    packedAt: s.packed_at?.toISOString() ?? null,
    invoicedAt: s.invoiced_at?.toISOString() ?? null,
    paidAt: s.paid_at?.toISOString() ?? null,
    departedAt: s.departed_at?.toISOString() ?? null,
    deliveredAt: s.delivered_at?.toISOString() ?? null,
    createdAt: s.created_at.toISOString(),
  };
}

export function publicInsuranceClaim(c: InsuranceClaim) {
  return {
    id: c.id,
    shipmentId: c.shipment_id,
    customerId: c.customer_id,
    claimed: Money.of(c.claimed_amount, 'IDR'),
    description: c.description,
    documentId: c.document_id,
    status: c.status,
    approved: c.approved_amount === null ? null : Money.of(c.approved_amount, 'IDR'),
    decisionNote: c.decision_note,
    decidedAt: c.decided_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
  };
}

/**
 * What the landed-cost calculator needs from a shipment: the freight and insurance actually
 * invoiced (or estimated), and the yuan of the payment orders its parcels belong to.
 */
export async function landedCostInputs(db: Kysely<DB>, s: Shipment) {
  const source = (s.invoice ?? s.estimate) as { lines: { code: string; amount: { amount: string } }[] };
  const sum = (codes: string[]) => source.lines.filter((l) => codes.includes(l.code)).reduce((a, l) => a + BigInt(l.amount.amount), 0n);
  const orders = await db
    .selectFrom('payment_orders')
    .select(['id', 'cny_amount'])
    .where('id', 'in', db.selectFrom('parcels').select('payment_order_id').where('shipment_id', '=', s.id).where('payment_order_id', 'is not', null).$castTo<string>())
    .execute();
  return {
    shipmentId: s.id,
    basis: s.invoice ? 'invoice' : 'estimate',
    // Credit notes correct the freight (they come from cargo revenue).
    freight: Money.of(sum(['freight', 'extra']) - (s.invoice ? s.credited : 0n), 'IDR'),
    insurance: Money.of(sum(['insurance']), 'IDR'),
    goodsCny: Money.of(orders.reduce((a, o) => a + o.cny_amount, 0n), 'CNY'),
    paymentOrderIds: orders.map((o) => o.id),
    warehouse: (await getWarehouse(db, s.warehouse_id)).code,
    tariff: publicTariff(await getTariff(db, s.tariff_id)),
  };
}

