import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { assertInTransaction } from '../db/database.ts';
import type { DB, ParcelAnnouncementsTable, ParcelClaimsTable, ParcelCondition, ParcelsTable, ParcelStatus } from '../db/schema.ts';
import { storeDocument, type FileStorage } from '../documents/storage.ts';
import { newId } from '../lib/ids.ts';
import { Money } from '../money/money.ts';
import { notifyCustomer } from '../notify/customer.ts';
import { releaseInstallment } from '../payments/orders.ts';
import { cmToMm, gramsToKg, kgToGrams, mm3ToCbm, mmToCm, parcelLoad } from './freight.ts';
import { loadForwardingSettings } from './settings.ts';
import { addDays, chinaDate, freeDaysLeft, freeThroughFor } from './storage-fees.ts';
import { customerByMarking, getWarehouse, normaliseMarking } from './warehouses.ts';

export type Parcel = Selectable<ParcelsTable>;
export type ParcelAnnouncement = Selectable<ParcelAnnouncementsTable>;
export type ParcelClaim = Selectable<ParcelClaimsTable>;

/** The parcel's state machine: only these transitions exist, each one logged. */
export const PARCEL_TRANSITIONS: Record<ParcelStatus, readonly ParcelStatus[]> = {
  unidentified: ['received', 'abandoned'],
  received: ['in_shipment', 'abandoned'],
  in_shipment: ['received', 'shipped'],
  shipped: [],
  abandoned: ['received'],
};

export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const MAX_PHOTOS = 6;

export async function moveParcel(db: Kysely<DB>, actor: Actor, parcel: Parcel, to: ParcelStatus, reason: string, extra: Partial<Parcel> = {}): Promise<Parcel> {
  if (!PARCEL_TRANSITIONS[parcel.status].includes(to)) throw new AppError('invalid_state', `A parcel cannot go from ${parcel.status} to ${to}.`);
  const row = await db
    .updateTable('parcels')
    .set({ ...(extra as object), status: to, updated_at: sql<Date>`now()` })
    .where('id', '=', parcel.id)
    .where('status', '=', parcel.status)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('conflict', 'The parcel changed meanwhile; please retry.');
  await logParcel(db, actor, parcel.id, parcel.status, to, reason);
  return row;
}

async function logParcel(db: Kysely<DB>, actor: Actor, parcelId: string, from: ParcelStatus | null, to: ParcelStatus, reason: string): Promise<void> {
  await db.insertInto('parcel_transitions').values({ id: newId('parcelTransition'), parcel_id: parcelId, from_status: from, to_status: to, actor_type: actor.type, actor_id: actor.id, reason }).execute();
  await recordAudit(db, actor, { action: 'forwarding.parcel_status_changed', objectType: 'parcel', objectId: parcelId, data: { from, to, reason } });
}

export async function lockParcel(db: Kysely<DB>, id: string): Promise<Parcel> {
  assertInTransaction(db, 'a parcel step');
  const p = await db.selectFrom('parcels').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!p) throw new AppError('not_found', `No parcel ${id}.`);
  return p;
}

export async function getParcel(db: Kysely<DB>, id: string): Promise<Parcel> {
  const p = await db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new AppError('not_found', `No parcel ${id}.`);
  return p;
}

/** Tracking numbers as couriers print them: no spaces, upper case, full-width forgiven. */
export function normaliseTracking(value: string): string {
  const t = value.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{6,40}$/.test(t)) throw new AppError('validation_failed', 'A tracking number is 6–40 letters and digits.', { field: 'trackingNumber' });
  return t;
}

const cleanNumbers = (numbers: readonly string[] | undefined) => [...new Set((numbers ?? []).map((n) => n.normalize('NFKC').replace(/\s/g, '')).filter(Boolean))];

export interface ReceiveParcelInput {
  warehouseId: string;
  trackingNumber: string;
  courier?: string | undefined;
  /** The marking code as read off the box; absent or unreadable = unidentified unless announced. */
  markingRead?: string | undefined;
  cartons: number;
  weightKg: string;
  lengthCm: string;
  widthCm: string;
  heightCm: string;
  condition?: ParcelCondition | undefined;
  conditionNote?: string | undefined;
  supplierName?: string | undefined;
  orderNumbers?: string[] | undefined;
  photos?: { fileName: string; bytes: Buffer }[] | undefined;
}

/**
 * A parcel arrives at the warehouse: measured, photographed, and identified by its marking
 * code, else by an announced tracking number, else queued as unidentified. An identified
 * parcel is matched to the importer's payment order (1688 order number or announcement);
 * an escrow order held for it is released.
 */
export async function receiveParcel(db: Kysely<DB>, files: FileStorage, actor: Actor, input: ReceiveParcelInput): Promise<Parcel> {
  assertInTransaction(db, 'receiveParcel');
  const warehouse = await getWarehouse(db, input.warehouseId);
  if (!warehouse.active) throw new AppError('validation_failed', 'This warehouse is closed.', { field: 'warehouseId' });
  const tracking = normaliseTracking(input.trackingNumber);
  const existing = await db.selectFrom('parcels').select('id').where('warehouse_id', '=', warehouse.id).where('tracking_number', '=', tracking).executeTakeFirst();
  if (existing) throw new AppError('parcel_already_received', `Tracking number ${tracking} was already received as ${existing.id}.`, { parcelId: existing.id, field: 'trackingNumber' });
  const weightG = kgToGrams(input.weightKg);
  if (weightG <= 0n) throw new AppError('validation_failed', 'The weight must be more than 0 kg.', { field: 'weightKg' });
  const dims = { length_mm: cmToMm(input.lengthCm), width_mm: cmToMm(input.widthCm), height_mm: cmToMm(input.heightCm) };
  if (Object.values(dims).some((d) => d <= 0)) throw new AppError('validation_failed', 'Every side must be more than 0 cm.', { field: 'lengthCm' });
  if ((input.photos?.length ?? 0) > MAX_PHOTOS) throw new AppError('validation_failed', `At most ${MAX_PHOTOS} photos.`, { field: 'photos' });

  const marking = normaliseMarking(input.markingRead);
  let customerId = marking ? await customerByMarking(db, marking) : null;
  let reason = customerId ? `marking code ${marking}` : '';
  const announcements = await db.selectFrom('parcel_announcements').selectAll().where('tracking_number', '=', tracking).where('parcel_id', 'is', null).execute();
  if (!customerId) {
    // An announced tracking number identifies the parcel only if exactly one importer announced it.
    const owners = [...new Set(announcements.map((a) => a.customer_id))];
    if (owners.length === 1) {
      customerId = owners[0]!;
      reason = 'tracking number announced by the importer';
    }
  }
  const settings = await loadForwardingSettings(db);
  const now = new Date();
  const parcel = await db
    .insertInto('parcels')
    .values({
      id: newId('parcel'),
      warehouse_id: warehouse.id,
      customer_id: customerId,
      status: customerId ? 'received' : 'unidentified',
      tracking_number: tracking,
      courier: input.courier?.trim() || null,
      marking_read: input.markingRead?.trim() || null,
      cartons: input.cartons,
      weight_g: weightG,
      ...dims,
      condition: input.condition ?? 'good',
      condition_note: input.conditionNote?.trim() || null,
      supplier_name: input.supplierName?.trim() || null,
      order_numbers: JSON.stringify(cleanNumbers(input.orderNumbers)),
      received_by: actor.id,
      received_at: now,
      free_through: freeThroughFor(now, settings.freeStorageDays),
      abandon_after: addDays(chinaDate(now), settings.abandonAfterDays),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const [i, photo] of (input.photos ?? []).entries()) await addPhoto(db, files, actor, parcel, photo, i + 1);
  await logParcel(db, actor, parcel.id, null, parcel.status, customerId ? `received; identified by ${reason}` : `received; ${marking ? `marking code ${marking} is unknown` : 'no readable marking code'}`);
  await recordAudit(db, actor, { action: 'forwarding.parcel_received', objectType: 'parcel', objectId: parcel.id, data: { warehouse: warehouse.code, tracking, markingRead: parcel.marking_read, customerId, weightG: weightG.toString() } });
  if (!customerId) return parcel;
  return identified(db, actor, parcel, reason);
}

async function addPhoto(db: Kysely<DB>, files: FileStorage, actor: Actor, parcel: Parcel, photo: { fileName: string; bytes: Buffer }, seq: number): Promise<void> {
  const doc = await storeDocument(db, files, actor, { kind: 'parcel_photo', ownerCustomerId: parcel.customer_id, fileName: photo.fileName, bytes: photo.bytes }, PHOTO_TYPES);
  await db.insertInto('parcel_photos').values({ parcel_id: parcel.id, document_id: doc.id, seq }).execute();
}

export async function addParcelPhotos(db: Kysely<DB>, files: FileStorage, actor: Actor, parcelId: string, photos: { fileName: string; bytes: Buffer }[]): Promise<Parcel> {
  const parcel = await lockParcel(db, parcelId);
  const { n } = await db.selectFrom('parcel_photos').select(sql<number>`coalesce(max(seq), 0)`.as('n')).where('parcel_id', '=', parcelId).executeTakeFirstOrThrow();
  if (Number(n) + photos.length > MAX_PHOTOS) throw new AppError('validation_failed', `A parcel has at most ${MAX_PHOTOS} photos.`, { field: 'photos' });
  for (const [i, photo] of photos.entries()) await addPhoto(db, files, actor, parcel, photo, Number(n) + i + 1);
  return parcel;
}

/**
 * A parcel now has an owner: its announcement is fulfilled, it is matched to a payment order,
 * an escrow order waiting for it is released, and the importer is told.
 */
async function identified(db: Kysely<DB>, actor: Actor, parcel: Parcel, how: string): Promise<Parcel> {
  const customerId = parcel.customer_id!;
  const announcement = await db
    .selectFrom('parcel_announcements')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('tracking_number', '=', parcel.tracking_number)
    .where('parcel_id', 'is', null)
    .executeTakeFirst();
  if (announcement) {
    await db.updateTable('parcel_announcements').set({ parcel_id: parcel.id }).where('id', '=', announcement.id).execute();
    await recordAudit(db, actor, { action: 'forwarding.announcement_fulfilled', objectType: 'parcel_announcement', objectId: announcement.id, data: { parcelId: parcel.id } });
  }
  await db.updateTable('documents').set({ owner_customer_id: customerId }).where('id', 'in', db.selectFrom('parcel_photos').select('document_id').where('parcel_id', '=', parcel.id)).execute();

  const match = await matchPaymentOrder(db, customerId, parcel, announcement);
  let row = parcel;
  if (match) {
    row = await db.updateTable('parcels').set({ payment_order_id: match.orderId, match_reason: match.reason, updated_at: sql<Date>`now()` }).where('id', '=', parcel.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(db, actor, { action: 'forwarding.parcel_matched', objectType: 'parcel', objectId: parcel.id, data: { paymentOrderId: match.orderId, reason: match.reason } });
    await releaseEscrowOnReceipt(db, actor, row, match.orderId);
  }
  const kg = gramsToKg(parcel.weight_g);
  await notifyCustomer(db, {
    customerId,
    kind: 'parcel.received',
    title: { id: `Paket ${parcel.tracking_number} tiba di gudang`, en: `Parcel ${parcel.tracking_number} arrived at the warehouse` },
    body: {
      id: `Paket ${parcel.tracking_number} (${parcel.cartons} koli, ${kg} kg) diterima di gudang. Gratis penyimpanan sampai ${parcel.free_through}.${match ? ` Terkait pesanan pembayaran ${match.orderId}.` : ''}`,
      en: `Parcel ${parcel.tracking_number} (${parcel.cartons} carton(s), ${kg} kg) was received at the warehouse. Free storage until ${parcel.free_through}.${match ? ` Linked to payment order ${match.orderId}.` : ''}`,
    },
    object: { type: 'parcel', id: parcel.id },
    dedupeKey: `parcel-received:${parcel.id}:${how}`,
  });
  return row;
}

/**
 * Escrow's promise: the money goes to the supplier once the goods reach the warehouse. Only a
 * parcel in good condition releases it; a damaged, wet or opened one leaves it held and tells
 * the importer (who can release it or open a dispute). An order that moved meanwhile (a
 * dispute, a cancel) is left alone rather than failing the receipt.
 */
async function releaseEscrowOnReceipt(db: Kysely<DB>, actor: Actor, parcel: Parcel, orderId: string): Promise<void> {
  const order = await db.selectFrom('payment_orders').select(['id', 'mode', 'status', 'customer_id']).where('id', '=', orderId).forUpdate().executeTakeFirstOrThrow();
  if (order.mode !== 'escrow' || order.status !== 'held') return;
  const warehouse = await getWarehouse(db, parcel.warehouse_id);
  if (parcel.condition !== 'good') {
    await recordAudit(db, actor, { action: 'forwarding.escrow_kept', objectType: 'payment_order', objectId: orderId, data: { parcelId: parcel.id, condition: parcel.condition } });
    await notifyCustomer(db, {
      customerId: order.customer_id,
      kind: 'parcel.escrow_kept',
      title: { id: `Paket ${parcel.tracking_number} tiba dalam kondisi ${parcel.condition}: dana escrow tetap ditahan`, en: `Parcel ${parcel.tracking_number} arrived ${parcel.condition}: the escrow stays held` },
      body: {
        id: `Periksa foto paket ${parcel.tracking_number}. Lepaskan dana ke pemasok jika barang baik, atau ajukan sengketa pada pesanan ${orderId}.`,
        en: `Check the photos of parcel ${parcel.tracking_number}. Release the money to the supplier if the goods are fine, or open a dispute on order ${orderId}.`,
      },
      object: { type: 'payment_order', id: orderId },
      dedupeKey: `escrow-kept:${orderId}:${parcel.id}`,
    });
    return;
  }
  await releaseInstallment(db, actor, orderId, `parcel ${parcel.tracking_number} received at the ${warehouse.name} warehouse`);
}

/** Which open payment order of the importer's a parcel belongs to, and why; null when none says so. */
async function matchPaymentOrder(db: Kysely<DB>, customerId: string, parcel: Parcel, announcement: ParcelAnnouncement | undefined): Promise<{ orderId: string; reason: string } | null> {
  const open = ['cancelled', 'refunded', 'completed'] as const;
  if (announcement?.payment_order_id) {
    const announced = await db.selectFrom('payment_orders').select('status').where('id', '=', announcement.payment_order_id).executeTakeFirst();
    if (announced && !(open as readonly string[]).includes(announced.status)) return { orderId: announcement.payment_order_id, reason: 'announced for this payment order' };
  }
  const numbers = [...new Set([...parcel.order_numbers, ...(announcement?.order_numbers ?? [])])];
  for (const n of numbers) {
    const order = await db
      .selectFrom('payment_orders')
      .select('id')
      .where('customer_id', '=', customerId)
      .where(sql<boolean>`order_numbers @> ${JSON.stringify([n])}::jsonb`)
      .where('status', 'not in', open)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (order) return { orderId: order.id, reason: `1688 order number ${n}` };
  }
  return null;
}

// ---- announcements and the unidentified queue ---------------------------------------------

export async function announceParcel(
  db: Kysely<DB>,
  actor: Actor,
  customerId: string,
  input: { trackingNumber: string; courier?: string | undefined; orderNumbers?: string[] | undefined; paymentOrderId?: string | undefined; note?: string | undefined },
): Promise<{ announcement: ParcelAnnouncement; unidentifiedParcelId: string | null; receivedParcelId: string | null }> {
  const tracking = normaliseTracking(input.trackingNumber);
  if (input.paymentOrderId) {
    const order = await db.selectFrom('payment_orders').select('customer_id').where('id', '=', input.paymentOrderId).executeTakeFirst();
    if (!order || order.customer_id !== customerId) throw new AppError('validation_failed', 'Unknown payment order.', { field: 'paymentOrderId' });
  }
  const taken = await db.selectFrom('parcel_announcements').select('id').where('customer_id', '=', customerId).where('tracking_number', '=', tracking).executeTakeFirst();
  if (taken) throw new AppError('conflict', `Tracking number ${tracking} is already announced.`, { field: 'trackingNumber' });
  const announcement = await db
    .insertInto('parcel_announcements')
    .values({
      id: newId('parcelAnnouncement'),
      customer_id: customerId,
      tracking_number: tracking,
      courier: input.courier?.trim() || null,
      order_numbers: JSON.stringify(cleanNumbers(input.orderNumbers)),
      payment_order_id: input.paymentOrderId ?? null,
      note: input.note?.trim() || null,
      created_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.parcel_announced', objectType: 'parcel_announcement', objectId: announcement.id, data: { tracking, paymentOrderId: input.paymentOrderId ?? null } });
  // Already here: an unidentified one needs a claim (announcing after the fact proves nothing);
  // one already received for this importer is linked at once.
  const here = await db.selectFrom('parcels').select(['id', 'status', 'customer_id']).where('tracking_number', '=', tracking).execute();
  const mine = here.find((p) => p.customer_id === customerId);
  if (mine) await db.updateTable('parcel_announcements').set({ parcel_id: mine.id }).where('id', '=', announcement.id).execute();
  return { announcement, unidentifiedParcelId: here.find((p) => p.status === 'unidentified')?.id ?? null, receivedParcelId: mine?.id ?? null };
}

/** Nobody's yet: in the unidentified queue, or abandoned from it. */
const ownerless = (p: Parcel) => p.customer_id === null && (p.status === 'unidentified' || p.status === 'abandoned');

export async function claimParcel(db: Kysely<DB>, actor: Actor, customerId: string, parcelId: string, input: { evidence: string; documentId?: string | undefined }): Promise<ParcelClaim> {
  const parcel = await lockParcel(db, parcelId);
  if (!ownerless(parcel)) throw new AppError('invalid_state', 'Only an unidentified parcel can be claimed.');
  const pending = await db.selectFrom('parcel_claims').select('id').where('parcel_id', '=', parcelId).where('customer_id', '=', customerId).where('status', '=', 'pending').executeTakeFirst();
  if (pending) throw new AppError('conflict', 'You already claimed this parcel; staff will decide.');
  const claim = await db
    .insertInto('parcel_claims')
    .values({ id: newId('parcelClaim'), parcel_id: parcelId, customer_id: customerId, evidence: input.evidence.trim(), document_id: input.documentId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.parcel_claimed', objectType: 'parcel', objectId: parcelId, data: { claimId: claim.id, customerId } });
  return claim;
}

/** Staff decide a claim: approved, the parcel is the claimant's (other claims on it are refused). */
export async function decideParcelClaim(db: Kysely<DB>, actor: Actor, claimId: string, decision: 'approved' | 'rejected', note: string): Promise<ParcelClaim> {
  const found = await db.selectFrom('parcel_claims').select('parcel_id').where('id', '=', claimId).executeTakeFirst();
  if (!found) throw new AppError('not_found', `No claim ${claimId}.`);
  // The parcel first, then its claims: two staff deciding claims on one parcel queue up, never deadlock.
  const parcel = await lockParcel(db, found.parcel_id);
  const claim = await db.selectFrom('parcel_claims').selectAll().where('id', '=', claimId).forUpdate().executeTakeFirstOrThrow();
  if (claim.status !== 'pending') throw new AppError('invalid_state', `This claim was already ${claim.status}.`);
  if (decision === 'approved' && !ownerless(parcel)) throw new AppError('invalid_state', 'The parcel is no longer unidentified.');
  const row = await db.updateTable('parcel_claims').set({ status: decision, decided_by: actor.id, decision_note: note, decided_at: sql<Date>`now()` }).where('id', '=', claimId).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: `forwarding.parcel_claim_${decision}`, objectType: 'parcel', objectId: parcel.id, data: { claimId, customerId: claim.customer_id, note } });
  await tellClaimant(db, row, parcel);
  if (decision === 'approved') {
    const others = await db
      .updateTable('parcel_claims')
      .set({ status: 'rejected', decided_by: actor.id, decision_note: 'the parcel was given to another claimant', decided_at: sql<Date>`now()` })
      .where('parcel_id', '=', parcel.id)
      .where('status', '=', 'pending')
      .returningAll()
      .execute();
    for (const other of others) {
      await recordAudit(db, actor, { action: 'forwarding.parcel_claim_rejected', objectType: 'parcel', objectId: parcel.id, data: { claimId: other.id, customerId: other.customer_id, note: `another claim (${claimId}) was approved` } });
      await tellClaimant(db, other, parcel);
    }
    await assignToCustomer(db, actor, parcel, claim.customer_id, 'claim approved by staff');
  }
  return row;
}

async function tellClaimant(db: Kysely<DB>, claim: ParcelClaim, parcel: Parcel): Promise<void> {
  const approved = claim.status === 'approved';
  await notifyCustomer(db, {
    customerId: claim.customer_id,
    kind: `parcel_claim.${claim.status}`,
    title: approved ? { id: `Klaim paket ${parcel.tracking_number} disetujui`, en: `Your claim on parcel ${parcel.tracking_number} was approved` } : { id: `Klaim paket ${parcel.tracking_number} ditolak`, en: `Your claim on parcel ${parcel.tracking_number} was refused` },
    body: approved
      ? { id: `Paket ${parcel.tracking_number} kini tercatat atas nama Anda.`, en: `Parcel ${parcel.tracking_number} is now yours.` }
      : { id: `Klaim Anda atas paket ${parcel.tracking_number} tidak dapat disetujui. Hubungi kami bila ada bukti lain.`, en: `Your claim on parcel ${parcel.tracking_number} could not be approved. Contact us if you have more evidence.` },
    object: { type: 'parcel', id: parcel.id },
    dedupeKey: `parcel-claim:${claim.id}:${claim.status}`,
  });
}

/** Staff give an unidentified parcel to the importer whose marking code they recognised. */
export async function assignParcel(db: Kysely<DB>, actor: Actor, parcelId: string, markingCode: string, note: string): Promise<Parcel> {
  const parcel = await lockParcel(db, parcelId);
  if (!ownerless(parcel)) throw new AppError('invalid_state', 'Only an unidentified parcel can be assigned; use reassign for one given to the wrong importer.');
  const marking = normaliseMarking(markingCode);
  const customerId = marking ? await customerByMarking(db, marking) : null;
  if (!customerId) throw new AppError('validation_failed', `No importer has the marking code ${markingCode} (check the digits).`, { field: 'markingCode' });
  await recordAudit(db, actor, { action: 'forwarding.parcel_assigned', objectType: 'parcel', objectId: parcel.id, data: { markingCode: marking, customerId, note } });
  // Staff notes stay in the audit log; the history the importer reads says what happened.
  return assignToCustomer(db, actor, parcel, customerId, `identified by staff (marking code ${marking})`);
}

/**
 * A parcel given to the wrong importer (a code misread at receipt) moves to the right one:
 * its photos change owner, its payment-order match is redone, both importers are told.
 * Only while it is in storage.
 */
export async function reassignParcel(db: Kysely<DB>, actor: Actor, parcelId: string, markingCode: string, note: string): Promise<Parcel> {
  const parcel = await lockParcel(db, parcelId);
  if (parcel.status !== 'received' || !parcel.customer_id) throw new AppError('invalid_state', 'Only a parcel in storage can be given to another importer.');
  const marking = normaliseMarking(markingCode);
  const customerId = marking ? await customerByMarking(db, marking) : null;
  if (!customerId) throw new AppError('validation_failed', `No importer has the marking code ${markingCode} (check the digits).`, { field: 'markingCode' });
  if (customerId === parcel.customer_id) throw new AppError('validation_failed', 'The parcel is already this importer’s.', { field: 'markingCode' });
  const from = parcel.customer_id;
  const row = await db
    .updateTable('parcels')
    .set({ customer_id: customerId, payment_order_id: null, match_reason: null, updated_at: sql<Date>`now()` })
    .where('id', '=', parcel.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.updateTable('parcel_announcements').set({ parcel_id: null }).where('parcel_id', '=', parcel.id).execute();
  await db.insertInto('parcel_transitions').values({ id: newId('parcelTransition'), parcel_id: parcel.id, from_status: 'received', to_status: 'received', actor_type: actor.type, actor_id: actor.id, reason: `given to another importer (marking code ${marking})` }).execute();
  await recordAudit(db, actor, { action: 'forwarding.parcel_reassigned', objectType: 'parcel', objectId: parcel.id, data: { fromCustomerId: from, toCustomerId: customerId, note } });
  await notifyCustomer(db, {
    customerId: from,
    kind: 'parcel.reassigned',
    title: { id: `Paket ${parcel.tracking_number} ternyata bukan milik Anda`, en: `Parcel ${parcel.tracking_number} was not yours` },
    body: { id: `Kode marking pada paket ${parcel.tracking_number} salah dibaca; paket dipindahkan ke pemiliknya.`, en: `The marking code on parcel ${parcel.tracking_number} was misread; it went to its owner.` },
    object: { type: 'parcel', id: parcel.id },
    dedupeKey: `parcel-reassigned:${parcel.id}:${from}:${customerId}`,
  });
  return identified(db, actor, row, `reassigned:${customerId}`);
}

async function assignToCustomer(db: Kysely<DB>, actor: Actor, parcel: Parcel, customerId: string, reason: string): Promise<Parcel> {
  // Found after it was abandoned from the unidentified queue: the owner gets a full period again.
  const fresh = parcel.status === 'abandoned' ? { abandoned_at: null, abandon_notice_sent_at: null, abandon_after: addDays(chinaDate(new Date()), (await loadForwardingSettings(db)).abandonAfterDays) } : {};
  const row = await moveParcel(db, actor, parcel, 'received', reason, { customer_id: customerId, ...fresh });
  return identified(db, actor, row, reason);
}

/** An abandoned parcel back into storage (its owner asked): a new abandonment date, a new notice. */
export async function reinstateParcel(db: Kysely<DB>, actor: Actor, parcelId: string, note: string): Promise<Parcel> {
  const p = await lockParcel(db, parcelId);
  if (p.status !== 'abandoned') throw new AppError('invalid_state', 'Only an abandoned parcel is reinstated.');
  if (!p.customer_id) throw new AppError('invalid_state', 'Nobody owns this parcel: assign it, or approve a claim on it.');
  const settings = await loadForwardingSettings(db);
  await recordAudit(db, actor, { action: 'forwarding.parcel_reinstated', objectType: 'parcel', objectId: p.id, data: { note } });
  return moveParcel(db, actor, p, 'received', 'back in storage at the importer’s request', {
    abandoned_at: null,
    abandon_notice_sent_at: null,
    abandon_after: addDays(chinaDate(new Date()), settings.abandonAfterDays),
  });
}

/** Staff correct what was measured or noted while the parcel is in storage. */
export async function updateParcel(
  db: Kysely<DB>,
  actor: Actor,
  parcelId: string,
  input: { cartons?: number | undefined; weightKg?: string | undefined; lengthCm?: string | undefined; widthCm?: string | undefined; heightCm?: string | undefined; condition?: ParcelCondition | undefined; conditionNote?: string | undefined },
): Promise<Parcel> {
  const parcel = await lockParcel(db, parcelId);
  if (!['unidentified', 'received'].includes(parcel.status)) throw new AppError('invalid_state', 'Only a parcel in storage can be re-measured.');
  const set = {
    ...(input.cartons !== undefined ? { cartons: input.cartons } : {}),
    ...(input.weightKg !== undefined ? { weight_g: kgToGrams(input.weightKg) } : {}),
    ...(input.lengthCm !== undefined ? { length_mm: cmToMm(input.lengthCm) } : {}),
    ...(input.widthCm !== undefined ? { width_mm: cmToMm(input.widthCm) } : {}),
    ...(input.heightCm !== undefined ? { height_mm: cmToMm(input.heightCm) } : {}),
    ...(input.condition !== undefined ? { condition: input.condition } : {}),
    ...(input.conditionNote !== undefined ? { condition_note: input.conditionNote.trim() || null } : {}),
  };
  if (set.weight_g !== undefined && set.weight_g <= 0n) throw new AppError('validation_failed', 'The weight must be more than 0 kg.', { field: 'weightKg' });
  if ([set.length_mm, set.width_mm, set.height_mm].some((d) => d !== undefined && d <= 0)) throw new AppError('validation_failed', 'Every side must be more than 0 cm.');
  const row = await db.updateTable('parcels').set({ ...set, updated_at: sql<Date>`now()` }).where('id', '=', parcelId).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'forwarding.parcel_updated', objectType: 'parcel', objectId: parcelId, data: { before: measurementsOf(parcel), after: measurementsOf(row) } });
  return row;
}

function measurementsOf(p: Parcel) {
  return { cartons: p.cartons, weightKg: gramsToKg(p.weight_g), lengthCm: mmToCm(p.length_mm), widthCm: mmToCm(p.width_mm), heightCm: mmToCm(p.height_mm), condition: p.condition, conditionNote: p.condition_note };
}

export async function parcelTransitions(db: Kysely<DB>, parcelId: string) {
  const rows = await db.selectFrom('parcel_transitions').selectAll().where('parcel_id', '=', parcelId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ from: r.from_status, to: r.to_status, actor: { type: r.actor_type, id: r.actor_id }, reason: r.reason, at: r.at.toISOString() }));
}

export async function photoIdsOf(db: Kysely<DB>, parcelIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (parcelIds.length === 0) return map;
  const rows = await db.selectFrom('parcel_photos').select(['parcel_id', 'document_id']).where('parcel_id', 'in', parcelIds).orderBy('parcel_id').orderBy('seq').execute();
  for (const r of rows) map.set(r.parcel_id, [...(map.get(r.parcel_id) ?? []), r.document_id]);
  return map;
}

/** A parcel as people read it: kilograms, centimetres, CBM, free storage days left. */
export function publicParcel(p: Parcel, photoIds: string[] = [], now = new Date()) {
  const load = parcelLoad(p);
  const inStorage = p.status === 'received' || p.status === 'unidentified';
  return {
    id: p.id,
    warehouseId: p.warehouse_id,
    customerId: p.customer_id,
    status: p.status,
    trackingNumber: p.tracking_number,
    courier: p.courier,
    markingRead: p.marking_read,
    ...measurementsOf(p),
    volumeCbm: mm3ToCbm(load.volumeMm3),
    supplierName: p.supplier_name,
    orderNumbers: p.order_numbers,
    paymentOrderId: p.payment_order_id,
    matchReason: p.match_reason,
    shipmentId: p.shipment_id,
    receivedAt: p.received_at.toISOString(),
    freeThrough: p.free_through,
    freeDaysLeft: inStorage ? freeDaysLeft(p.free_through, chinaDate(now)) : null,
    storageCharged: Money.of(p.storage_charged, 'IDR'),
    storageOwed: Money.of(p.storage_owed, 'IDR'),
    abandonAfter: inStorage ? p.abandon_after : null,
    abandonedAt: p.abandoned_at?.toISOString() ?? null,
    photoIds,
  };
}

/** What an importer searching the unidentified queue may see of a parcel that is not (yet) theirs. */
export function unidentifiedView(p: Parcel) {
  return { id: p.id, warehouseId: p.warehouse_id, trackingNumber: p.tracking_number, courier: p.courier, cartons: p.cartons, weightKg: gramsToKg(p.weight_g), receivedAt: p.received_at.toISOString() };
}

export function publicClaim(c: ParcelClaim) {
  return { id: c.id, parcelId: c.parcel_id, customerId: c.customer_id, evidence: c.evidence, documentId: c.document_id, status: c.status, decisionNote: c.decision_note, decidedBy: c.decided_by, decidedAt: c.decided_at?.toISOString() ?? null, createdAt: c.created_at.toISOString() };
}

export function publicAnnouncement(a: ParcelAnnouncement) {
  return { id: a.id, trackingNumber: a.tracking_number, courier: a.courier, orderNumbers: a.order_numbers, paymentOrderId: a.payment_order_id, note: a.note, parcelId: a.parcel_id, createdAt: a.created_at.toISOString() };
}
