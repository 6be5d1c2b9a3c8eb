import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, assertCustomerAccess, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { getDocument } from '../documents/storage.ts';
import { createDepositIntent, publicDeposit } from '../funding/deposits.ts';
import { getBankAccount } from '../funding/bank-accounts.ts';
import { IdParam, ListQuery } from '../funding/routes.ts';
import { sendDocument } from '../documents/http.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { wholeRupiahUp } from './freight.ts';
import {
  announceParcel,
  claimParcel,
  getParcel,
  parcelTransitions,
  photoIdsOf,
  publicAnnouncement,
  publicClaim,
  publicParcel,
  unidentifiedView,
  normaliseTracking,
  type Parcel,
} from './parcels.ts';
import {
  amountDue,
  cancelShipment,
  estimateShipment,
  fileInsuranceClaim,
  getShipment,
  landedCostInputs,
  payShipment,
  publicInsuranceClaim,
  publicShipment,
  requestShipment,
  shipmentTransitions,
  shortfall,
  type Shipment,
} from './shipments.ts';
import { chinaDate } from './storage-fees.ts';
import { loadForwardingSettings, publicForwardingSettings } from './settings.ts';
import { publicTariff, tariffsInForce } from './tariffs.ts';
import { addressCard, ensureMarkingCode, getWarehouse, listWarehouses, publicWarehouse, shippingMarkPdf } from './warehouses.ts';

const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';
const Category = Type.String({ pattern: '^[a-z_]{2,30}$', default: 'general' });
const OrderNumbers = Type.Array(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' }), { maxItems: 20, description: '1688 order numbers' });
const AnnounceBody = Type.Object(
  {
    trackingNumber: Type.String({ minLength: 6, maxLength: 60 }),
    courier: Type.Optional(Type.String({ maxLength: 60, pattern: NoControl })),
    orderNumbers: Type.Optional(OrderNumbers),
    paymentOrderId: Type.Optional(Type.String({ maxLength: 64 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const ClaimBody = Type.Object({ evidence: Type.String({ minLength: 10, maxLength: 2000 }), documentId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
const TrackingQuery = Type.Object({ tracking: Type.String({ minLength: 6, maxLength: 60 }) }, { additionalProperties: false });
const EstimateFields = {
  parcelIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 200 }),
  destination: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }),
  category: Category,
  insured: Type.Boolean({ default: false }),
  declaredValue: Type.Optional(MoneySchema),
};
const EstimateBody = Type.Object(EstimateFields, { additionalProperties: false });
const ShipmentBody = Type.Object(
  { ...EstimateFields, mode: Type.Union([Type.Literal('air'), Type.Literal('sea'), Type.Literal('land')]), deliveryAddress: Type.String({ minLength: 10, maxLength: 500 }) },
  { additionalProperties: false },
);
const InsuranceClaimBody = Type.Object({ amount: MoneySchema, description: Type.String({ minLength: 10, maxLength: 2000 }), documentId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
const TariffQuery = Type.Object({ warehouseId: Type.Optional(Type.String({ maxLength: 64 })), destination: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
const PhotoParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), documentId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ParcelsQuery = Type.Object(
  { status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 100 }), before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);

const IMPORTER = { roles: ['importer'] as const };

export function idrOrZero(m: { amount: string; currency: string } | undefined, field: string): bigint {
  if (!m) return 0n;
  const money = Money.fromJson(m);
  if (money.currency !== 'IDR') throw new AppError('currency_mismatch', `${field} is in rupiah (IDR).`, { field });
  return money.minor;
}

export async function parcelDetail(ctx: AppContext, parcel: Parcel, forStaff: boolean) {
  const db = ctx.database.db;
  const [photos, transitions, warehouse] = await Promise.all([photoIdsOf(db, [parcel.id]), parcelTransitions(db, parcel.id), getWarehouse(db, parcel.warehouse_id)]);
  return {
    parcel: publicParcel(parcel, photos.get(parcel.id) ?? []),
    warehouse: publicWarehouse(warehouse),
    // Importers see who acted by kind, not staff ids.
    transitions: forStaff ? transitions : transitions.map((t) => ({ ...t, actor: { type: t.actor.type === 'user' ? 'staff' : t.actor.type } })),
  };
}

export async function shipmentDetail(ctx: AppContext, s: Shipment, forStaff: boolean) {
  const db = ctx.database.db;
  const [parcels, transitions, claims] = await Promise.all([
    db.selectFrom('parcels').selectAll().where('shipment_id', '=', s.id).orderBy('id').execute(),
    shipmentTransitions(db, s.id),
    db.selectFrom('insurance_claims').selectAll().where('shipment_id', '=', s.id).orderBy('created_at').execute(),
  ]);
  const photos = await photoIdsOf(db, parcels.map((p) => p.id));
  const { invoicePaymentDays } = await loadForwardingSettings(db);
  return {
    // An invoice waiting for the importer is cancelled if not paid by then.
    shipment: { ...publicShipment(s), payBy: s.status === 'invoiced' && s.invoiced_at ? new Date(s.invoiced_at.getTime() + invoicePaymentDays * 86_400_000).toISOString() : null },
    parcels: parcels.map((p) => publicParcel(p, photos.get(p.id) ?? [])),
    transitions: forStaff ? transitions : transitions.map((t) => ({ ...t, actor: { type: t.actor.type === 'user' ? 'staff' : t.actor.type } })),
    insuranceClaims: claims.map(publicInsuranceClaim),
  };
}

export async function registerForwardingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  async function ownParcel(request: FastifyRequest, id: string): Promise<Parcel> {
    const p = await getParcel(db, id).catch(() => {
      throw new AppError('not_found');
    });
    if (!p.customer_id) throw new AppError('not_found');
    assertCustomerAccess(request, p.customer_id);
    return p;
  }
  async function ownShipment(request: FastifyRequest, id: string): Promise<Shipment> {
    const s = await getShipment(db, id).catch(() => {
      throw new AppError('not_found');
    });
    assertCustomerAccess(request, s.customer_id);
    return s;
  }
  async function ownDocument(request: FastifyRequest, documentId: string | undefined): Promise<void> {
    if (!documentId) return;
    const doc = await db.selectFrom('documents').select(['owner_customer_id']).where('id', '=', documentId).executeTakeFirst();
    if (!doc?.owner_customer_id) throw new AppError('validation_failed', 'Unknown document.', { field: 'documentId' });
    assertCustomerAccess(request, doc.owner_customer_id);
  }

  // ---- public ---------------------------------------------------------------------------

  app.get('/public/freight-tariffs', { schema: { tags: ['public'], summary: 'Freight tariffs in force, warehouses and storage terms', querystring: TariffQuery } }, async (request) => {
    const q = request.query as Static<typeof TariffQuery>;
    const [tariffs, warehouses, settings] = await Promise.all([tariffsInForce(db, chinaDate(new Date()), q), listWarehouses(db, { activeOnly: true }), loadForwardingSettings(db)]);
    const s = publicForwardingSettings(settings);
    return {
      warehouses: warehouses.map((w) => ({ id: w.id, code: w.code, name: w.name, city: w.city, openingDays: w.opening_days })),
      tariffs: tariffs.map(publicTariff),
      storage: { freeStorageDays: s.freeStorageDays, freeStorageWarningDays: s.freeStorageWarningDays, autoSettleExcessPercent: s.autoSettleExcessPercent, invoicePaymentDays: s.invoicePaymentDays, storageFeeBasis: s.storageFeeBasis, storageFeePerParcelDay: s.storageFeePerParcelDay, storageFeePerCbmDay: s.storageFeePerCbmDay, abandonAfterDays: s.abandonAfterDays },
    };
  });

  // ---- address cards --------------------------------------------------------------------

  app.get('/forwarding/address-cards', { schema: { tags: ['forwarding'], summary: 'Your marking code and the address card of every warehouse to give suppliers' } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const customerId = customerScope(request)!;
    const marking = await ensureMarkingCode(db, customerId);
    const customer = await db.selectFrom('customers').select('name').where('id', '=', customerId).executeTakeFirstOrThrow();
    const warehouses = await listWarehouses(db, { activeOnly: true });
    return { markingCode: marking, cards: warehouses.map((w) => addressCard(w, marking, customer.name)) };
  });

  app.get('/forwarding/warehouses/:id/label', { schema: { tags: ['forwarding'], summary: 'The shipping-mark label (唛头) for a warehouse, as a PDF to print or send to suppliers', params: IdParam } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id } = request.params as Static<typeof IdParam>;
    const customerId = customerScope(request)!;
    const warehouse = await getWarehouse(db, id);
    if (!warehouse.active) throw new AppError('not_found');
    const marking = await ensureMarkingCode(db, customerId);
    const customer = await db.selectFrom('customers').select('name').where('id', '=', customerId).executeTakeFirstOrThrow();
    const pdf = await shippingMarkPdf(warehouse, marking, customer.name);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="shipping-mark-${marking}-${warehouse.code}.pdf"`).send(pdf);
  });

  // ---- parcels --------------------------------------------------------------------------

  app.get('/parcels', { schema: { tags: ['forwarding'], summary: 'Own parcels in the warehouse (and shipped), newest first', querystring: ParcelsQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const q = request.query as Static<typeof ParcelsQuery>;
    let query = db.selectFrom('parcels').selectAll().where('customer_id', '=', customerScope(request)!).orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as Parcel['status']);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    const photos = await photoIdsOf(db, rows.map((r) => r.id));
    return { parcels: rows.map((p) => publicParcel(p, photos.get(p.id) ?? [])), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/parcels/announcements', { schema: { tags: ['forwarding'], summary: 'Tracking numbers you announced, newest first', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const q = request.query as Static<typeof ListQuery>;
    const rows = await db.selectFrom('parcel_announcements').selectAll().where('customer_id', '=', customerScope(request)!).orderBy('id', 'desc').limit(q.limit).execute();
    return { announcements: rows.map(publicAnnouncement) };
  });

  app.post('/parcels/announcements', { schema: { tags: ['forwarding'], summary: 'Announce a tracking number before the parcel arrives, optionally for a payment order', body: AnnounceBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const b = request.body as Static<typeof AnnounceBody>;
    const r = await db.transaction().execute((tx) => announceParcel(tx, actorFrom(request), customerScope(request)!, b));
    return reply.status(201).send({ announcement: publicAnnouncement(r.announcement), receivedParcelId: r.receivedParcelId, unidentifiedParcelId: r.unidentifiedParcelId });
  });

  app.get('/parcels/unidentified', { schema: { tags: ['forwarding'], summary: 'Look for your parcel among the unidentified ones by its full tracking number', querystring: TrackingQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { tracking } = request.query as Static<typeof TrackingQuery>;
    const rows = await db
      .selectFrom('parcels')
      .selectAll()
      .where('customer_id', 'is', null)
      .where('status', 'in', ['unidentified', 'abandoned'])
      .where('tracking_number', '=', normaliseTracking(tracking))
      .execute();
    return { parcels: rows.map(unidentifiedView) };
  });

  app.post('/parcels/:id/claims', { schema: { tags: ['forwarding'], summary: 'Claim an unidentified parcel with evidence (order screenshot, supplier chat); staff decide', params: IdParam, body: ClaimBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof ClaimBody>;
    await ownDocument(request, b.documentId);
    const claim = await db.transaction().execute((tx) => claimParcel(tx, actorFrom(request), customerScope(request)!, id, b));
    return reply.status(201).send({ claim: publicClaim(claim) });
  });

  app.get('/parcels/:id', { schema: { tags: ['forwarding'], summary: 'A parcel: measurements, photos, free storage left, history', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id } = request.params as Static<typeof IdParam>;
    return parcelDetail(ctx, await ownParcel(request, id), false);
  });

  app.get('/parcels/:id/photos/:documentId', { schema: { tags: ['forwarding'], summary: 'A photo of the parcel taken at the warehouse', params: PhotoParams } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id, documentId } = request.params as Static<typeof PhotoParams>;
    await ownParcel(request, id);
    const link = await db.selectFrom('parcel_photos').select('document_id').where('parcel_id', '=', id).where('document_id', '=', documentId).executeTakeFirst();
    if (!link) throw new AppError('not_found');
    const doc = await getDocument(db, documentId);
    return sendDocument(reply, ctx.files, doc, 'inline');
  });

  // ---- shipments ------------------------------------------------------------------------

  app.post('/shipments/estimate', { schema: { tags: ['forwarding'], summary: 'Freight estimate per mode for chosen parcels: chargeable weight or volume, breakdown, lead time (nothing is written)', body: EstimateBody } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const b = request.body as Static<typeof EstimateBody>;
    return estimateShipment(db, customerScope(request)!, { parcelIds: b.parcelIds, destination: b.destination, category: b.category, insured: b.insured, declaredValue: idrOrZero(b.declaredValue, 'declaredValue') });
  });

  app.post('/shipments', { schema: { tags: ['forwarding'], summary: 'Request a shipment: the estimate is held on the wallet; the final invoice settles the difference', body: ShipmentBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const b = request.body as Static<typeof ShipmentBody>;
    const s = await withLedgerRetry(db, (tx) =>
      requestShipment(tx, actorFrom(request), customerScope(request)!, {
        parcelIds: b.parcelIds,
        destination: b.destination,
        category: b.category,
        insured: b.insured,
        declaredValue: idrOrZero(b.declaredValue, 'declaredValue'),
        mode: b.mode,
        deliveryAddress: b.deliveryAddress,
      }),
    );
    return reply.status(201).send(await shipmentDetail(ctx, s, false));
  });

  app.get('/shipments', { schema: { tags: ['forwarding'], summary: 'Own shipments, newest first', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const q = request.query as Static<typeof ListQuery>;
    let query = db.selectFrom('shipments').selectAll().where('customer_id', '=', customerScope(request)!).orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as Shipment['status']);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return { shipments: rows.map(publicShipment), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/shipments/:id', { schema: { tags: ['forwarding'], summary: 'A shipment: parcels, estimate and invoice, timeline with documents', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id } = request.params as Static<typeof IdParam>;
    return shipmentDetail(ctx, await ownShipment(request, id), false);
  });

  app.post('/shipments/:id/pay', { schema: { tags: ['forwarding'], summary: 'Pay what the invoice asks beyond the held estimate, from the wallet', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownShipment(request, id);
    const s = await withLedgerRetry(db, (tx) => payShipment(tx, actorFrom(request), id));
    return shipmentDetail(ctx, s, false);
  });

  app.post('/shipments/:id/deposit', { schema: { tags: ['forwarding'], summary: 'Open a bank-transfer deposit for what the invoice asks beyond the estimate; paid, it settles the shipment', params: IdParam } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const s = await ownShipment(request, id);
    if (amountDue(s) <= 0n) throw new AppError('invalid_state', 'Nothing is due on this shipment.');
    const short = await shortfall(db, s);
    if (short <= 0n) throw new AppError('invalid_state', 'The wallet already covers what is due: pay from the wallet.');
    // One deposit per shipment at a time: asking again gives the open one back.
    const open = await db.selectFrom('deposit_intents').selectAll().where('reference_type', '=', 'shipment').where('reference_id', '=', s.id).where('status', 'in', ['open', 'partially_paid']).executeTakeFirst();
    const intent =
      open ??
      (await db.transaction().execute((tx) =>
        createDepositIntent(tx, actorFrom(request), { customerId: s.customer_id, amount: Money.of(wholeRupiahUp(short), 'IDR'), purpose: 'wallet_topup', reference: { type: 'shipment', id: s.id } }),
      ));
    return reply.status(open ? 200 : 201).send({ deposit: publicDeposit(intent, await getBankAccount(db, intent.bank_account_id)) });
  });

  app.post('/shipments/:id/cancel', { schema: { tags: ['forwarding'], summary: 'Cancel before payment: the estimate returns to the wallet, the parcels to storage', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownShipment(request, id);
    const s = await withLedgerRetry(db, (tx) => cancelShipment(tx, actorFrom(request), id, 'cancelled by the importer'));
    return shipmentDetail(ctx, s, false);
  });

  app.post('/shipments/:id/insurance-claims', { schema: { tags: ['forwarding'], summary: 'Claim the insurance of a lost or damaged shipment', params: IdParam, body: InsuranceClaimBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownShipment(request, id);
    const b = request.body as Static<typeof InsuranceClaimBody>;
    await ownDocument(request, b.documentId);
    const claim = await db.transaction().execute((tx) => fileInsuranceClaim(tx, actorFrom(request), customerScope(request)!, id, { amount: idrOrZero(b.amount, 'amount'), description: b.description, documentId: b.documentId }));
    return reply.status(201).send({ claim: publicInsuranceClaim(claim) });
  });

  app.get('/shipments/:id/landed-cost-inputs', { schema: { tags: ['forwarding'], summary: 'Freight, insurance and goods value of a shipment, for the landed-cost calculator', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id } = request.params as Static<typeof IdParam>;
    return landedCostInputs(db, await ownShipment(request, id));
  });

  app.get('/shipments/:id/documents/:documentId', { schema: { tags: ['forwarding'], summary: 'A document of the shipment timeline (airway bill, bill of lading, packing list…)', params: PhotoParams } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'parcels:read' });
    const { id, documentId } = request.params as Static<typeof PhotoParams>;
    await ownShipment(request, id);
    const link = await db.selectFrom('shipment_transitions').select('id').where('shipment_id', '=', id).where('document_id', '=', documentId).executeTakeFirst();
    if (!link) throw new AppError('not_found');
    const doc = await getDocument(db, documentId);
    return sendDocument(reply, ctx.files, doc);
  });
}
