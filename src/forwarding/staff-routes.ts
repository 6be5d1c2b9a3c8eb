import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, authorize } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { decodeBase64File, getDocument, storeDocument, PROOF_TYPES } from '../documents/storage.ts';
import { IdParam } from '../funding/routes.ts';
import { sendDocument } from '../documents/http.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { cmToMm, kgToGrams } from './freight.ts';
import {
  addParcelPhotos,
  assignParcel,
  decideParcelClaim,
  getParcel,
  photoIdsOf,
  publicClaim,
  publicParcel,
  reassignParcel,
  receiveParcel,
  reinstateParcel,
  updateParcel,
  normaliseTracking,
  type Parcel,
} from './parcels.ts';
import { idrOrZero, parcelDetail, shipmentDetail } from './routes.ts';
import { loadForwardingSettings, publicForwardingSettings, updateForwardingSettings } from './settings.ts';
import { advanceShipment, cancelShipment, creditShipment, decideInsuranceClaim, getShipment, invoiceShipment, packShipment, publicInsuranceClaim, publicShipment, TRACKING_STATUSES, type Shipment } from './shipments.ts';
import { addTariff, listTariffs, publicTariff } from './tariffs.ts';
import { createWarehouse, customerByMarking, listWarehouses, normaliseMarking, publicWarehouse, updateWarehouse } from './warehouses.ts';

const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';
const Kg = Type.String({ pattern: '^[0-9]{1,7}(\\.[0-9]{1,3})?$', description: 'Kilograms, at most three decimals' });
const Cm = Type.String({ pattern: '^[0-9]{1,4}(\\.[0-9])?$', description: 'Centimetres, at most one decimal' });
const Photo = Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, pattern: NoControl }), contentBase64: Type.String({ minLength: 4, maxLength: 8 * 1024 * 1024 }) }, { additionalProperties: false });
const Condition = Type.Union([Type.Literal('good'), Type.Literal('damaged'), Type.Literal('wet'), Type.Literal('opened')]);
const ReceiveBody = Type.Object(
  {
    warehouseId: Type.String({ maxLength: 64 }),
    trackingNumber: Type.String({ minLength: 6, maxLength: 60 }),
    courier: Type.Optional(Type.String({ maxLength: 60, pattern: NoControl })),
    markingRead: Type.Optional(Type.String({ maxLength: 60, description: 'The marking code as written on the box; leave out if unreadable' })),
    cartons: Type.Integer({ minimum: 1, maximum: 10000 }),
    weightKg: Kg,
    lengthCm: Cm,
    widthCm: Cm,
    heightCm: Cm,
    condition: Type.Optional(Condition),
    conditionNote: Type.Optional(Type.String({ maxLength: 500 })),
    supplierName: Type.Optional(Type.String({ maxLength: 200, pattern: NoControl })),
    orderNumbers: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' }), { maxItems: 20 })),
    photos: Type.Optional(Type.Array(Photo, { maxItems: 6 })),
  },
  { additionalProperties: false },
);
const UpdateParcelBody = Type.Object(
  { cartons: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })), weightKg: Type.Optional(Kg), lengthCm: Type.Optional(Cm), widthCm: Type.Optional(Cm), heightCm: Type.Optional(Cm), condition: Type.Optional(Condition), conditionNote: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
const PhotosBody = Type.Object({ photos: Type.Array(Photo, { minItems: 1, maxItems: 6 }) }, { additionalProperties: false });
const AssignBody = Type.Object({ markingCode: Type.String({ minLength: 3, maxLength: 30 }), note: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
const DecideBody = Type.Object({ decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]), note: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
const ParcelsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })),
    warehouseId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 60, description: 'Tracking number or marking code' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 100 }),
    before: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const ShipmentsQuery = Type.Object(
  { status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })), customerId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 100 }), before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
const WarehouseFields = {
  name: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }),
  city: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }),
  addressZh: Type.String({ minLength: 5, maxLength: 300, pattern: NoControl }),
  addressLatin: Type.String({ minLength: 5, maxLength: 300, pattern: NoControl }),
  contactName: Type.String({ minLength: 1, maxLength: 100, pattern: NoControl }),
  contactPhone: Type.String({ minLength: 5, maxLength: 40, pattern: NoControl }),
  openingDays: Type.String({ minLength: 3, maxLength: 200, pattern: NoControl }),
  active: Type.Optional(Type.Boolean()),
};
const WarehouseBody = Type.Object({ code: Type.String({ minLength: 2, maxLength: 10 }), ...WarehouseFields }, { additionalProperties: false });
const WarehousePatch = Type.Partial(Type.Object(WarehouseFields, { additionalProperties: false }), { additionalProperties: false });
const Units = Type.String({ pattern: '^[0-9]{1,7}(\\.[0-9]{1,6})?$' });
const TariffBody = Type.Object(
  {
    warehouseId: Type.String({ maxLength: 64 }),
    destination: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }),
    mode: Type.Union([Type.Literal('air'), Type.Literal('sea'), Type.Literal('land')]),
    category: Type.String({ pattern: '^[a-z_]{2,30}$' }),
    basis: Type.Union([Type.Literal('kg'), Type.Literal('cbm')]),
    rate: MoneySchema,
    volumetricDivisor: Type.Optional(Type.Union([Type.Integer({ minimum: 1000, maximum: 10000 }), Type.Null()])),
    kgPerCbm: Type.Optional(Type.Union([Type.Integer({ minimum: 100, maximum: 2000 }), Type.Null()])),
    roundingStep: Units,
    minChargeable: Units,
    minimumCharge: MoneySchema,
    insurancePercent: Type.String({ pattern: '^[0-9]{1,2}(\\.[0-9]{1,3})?$' }),
    insuranceMinimum: MoneySchema,
    leadDaysMin: Type.Integer({ minimum: 0, maximum: 365 }),
    leadDaysMax: Type.Integer({ minimum: 0, maximum: 365 }),
    available: Type.Optional(Type.Boolean()),
    effectiveFrom: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
const SettingsBody = Type.Object(
  {
    freeStorageDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    freeStorageWarningDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
    storageFeeBasis: Type.Optional(Type.Union([Type.Literal('parcel'), Type.Literal('cbm')])),
    storageFeePerParcelDay: Type.Optional(MoneySchema),
    storageFeePerCbmDay: Type.Optional(MoneySchema),
    abandonAfterDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 3650 })),
    abandonNoticeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    autoSettleExcessPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    invoicePaymentDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
  },
  { additionalProperties: false },
);
const PackBody = Type.Object(
  {
    packages: Type.Array(Type.Object({ count: Type.Integer({ minimum: 1, maximum: 10000 }), lengthCm: Cm, widthCm: Cm, heightCm: Cm, weightKg: Kg }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
    extraCharges: Type.Optional(Type.Array(Type.Object({ description: Type.String({ minLength: 3, maxLength: 200, pattern: NoControl }), amount: MoneySchema }, { additionalProperties: false }), { maxItems: 20 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const StatusBody = Type.Object(
  {
    to: Type.Union(TRACKING_STATUSES.map((s) => Type.Literal(s))),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    carrierReference: Type.Optional(Type.String({ maxLength: 100, pattern: NoControl, description: 'Airway bill, bill of lading or truck number' })),
    document: Type.Optional(Photo),
  },
  { additionalProperties: false },
);
const InsuranceDecideBody = Type.Object({ decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]), amount: Type.Optional(MoneySchema), note: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
const PhotoParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), documentId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const CodeParam = Type.Object({ code: Type.String({ minLength: 3, maxLength: 30 }) }, { additionalProperties: false });
const TrackingParam = Type.Object({ tracking: Type.String({ minLength: 6, maxLength: 60 }) }, { additionalProperties: false });
const CreditBody = Type.Object({ amount: MoneySchema, reason: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });

/** Who works the warehouse floor; who follows shipments; who may change the price lists. */
const WAREHOUSE = ['warehouse', 'ops', 'admin'] as const;
const FORWARDING_READERS = ['warehouse', 'ops', 'finance', 'compliance', 'admin'] as const;
const ADMIN = ['admin'] as const;

const photosOf = (photos: Static<typeof Photo>[] | undefined) => (photos ?? []).map((p) => ({ fileName: p.fileName, bytes: decodeBase64File(p.contentBase64) }));

export async function registerForwardingStaffRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  const upload = { bodyLimit: 40 * 1024 * 1024 };

  // ---- warehouses, marking codes, settings --------------------------------------------

  app.get('/staff/warehouses', { schema: { tags: ['forwarding'], summary: 'Warehouses (all, also closed ones)' }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async () => ({ warehouses: (await listWarehouses(db)).map(publicWarehouse) }));

  app.post('/staff/warehouses', { schema: { tags: ['forwarding'], summary: 'Add a China warehouse (admin)', body: WarehouseBody }, onRequest: authorize({ roles: ADMIN }) }, async (request, reply) => {
    const w = await db.transaction().execute((tx) => createWarehouse(tx, actorFrom(request), request.body as Static<typeof WarehouseBody>));
    return reply.status(201).send({ warehouse: publicWarehouse(w) });
  });

  app.patch('/staff/warehouses/:id', { schema: { tags: ['forwarding'], summary: 'Change a warehouse (admin)', params: IdParam, body: WarehousePatch }, onRequest: authorize({ roles: ADMIN }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const w = await db.transaction().execute((tx) => updateWarehouse(tx, actorFrom(request), id, request.body as Static<typeof WarehousePatch>));
    return { warehouse: publicWarehouse(w) };
  });

  app.get('/staff/marking-codes/:code', { schema: { tags: ['forwarding'], summary: 'Whose marking code is this? (what warehouse staff check on a box)', params: CodeParam }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const { code } = request.params as Static<typeof CodeParam>;
    const marking = normaliseMarking(code);
    const customerId = marking ? await customerByMarking(db, marking) : null;
    if (!customerId) throw new AppError('not_found', `No importer has the marking code ${code}.`);
    const c = await db.selectFrom('customers').select(['id', 'name', 'status']).where('id', '=', customerId).executeTakeFirstOrThrow();
    return { markingCode: marking, customer: { id: c.id, name: c.name, status: c.status } };
  });

  app.get('/staff/forwarding/settings', { schema: { tags: ['forwarding'], summary: 'Storage terms: free days, daily fee, abandonment' }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async () => ({ settings: publicForwardingSettings(await loadForwardingSettings(db)) }));

  app.patch('/staff/forwarding/settings', { schema: { tags: ['forwarding'], summary: 'Change the storage terms (admin)', body: SettingsBody }, onRequest: authorize({ roles: ADMIN }) }, async (request) => {
    const b = request.body as Static<typeof SettingsBody>;
    const fee = (m: { amount: string; currency: string } | undefined, field: string) => (m ? idrOrZero(m, field) : undefined);
    const s = await db.transaction().execute((tx) =>
      updateForwardingSettings(tx, actorFrom(request), {
        ...(b.freeStorageDays !== undefined ? { freeStorageDays: b.freeStorageDays } : {}),
        ...(b.freeStorageWarningDays !== undefined ? { freeStorageWarningDays: b.freeStorageWarningDays } : {}),
        ...(b.storageFeeBasis ? { storageFeeBasis: b.storageFeeBasis } : {}),
        ...(b.storageFeePerParcelDay ? { storageFeePerParcelDay: fee(b.storageFeePerParcelDay, 'storageFeePerParcelDay')! } : {}),
        ...(b.storageFeePerCbmDay ? { storageFeePerCbmDay: fee(b.storageFeePerCbmDay, 'storageFeePerCbmDay')! } : {}),
        ...(b.abandonAfterDays !== undefined ? { abandonAfterDays: b.abandonAfterDays } : {}),
        ...(b.abandonNoticeDays !== undefined ? { abandonNoticeDays: b.abandonNoticeDays } : {}),
        ...(b.autoSettleExcessPercent !== undefined ? { autoSettleExcessPercent: b.autoSettleExcessPercent } : {}),
        ...(b.invoicePaymentDays !== undefined ? { invoicePaymentDays: b.invoicePaymentDays } : {}),
      }),
    );
    return { settings: publicForwardingSettings(s) };
  });

  // ---- tariffs ------------------------------------------------------------------------------

  app.get('/staff/freight-tariffs', { schema: { tags: ['forwarding'], summary: 'Every freight tariff recorded, newest first (the history)' }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async () => ({ tariffs: (await listTariffs(db)).map(publicTariff) }));

  app.post('/staff/freight-tariffs', { schema: { tags: ['forwarding'], summary: 'Add a tariff from a date (admin): per kg with a volumetric divisor, or per CBM with the weight/measure rule', body: TariffBody }, onRequest: authorize({ roles: ADMIN }) }, async (request, reply) => {
    const b = request.body as Static<typeof TariffBody>;
    const t = await db.transaction().execute((tx) =>
      addTariff(tx, actorFrom(request), {
        ...b,
        rate: Money.fromJson(b.rate),
        minimumCharge: Money.fromJson(b.minimumCharge),
        insuranceMinimum: Money.fromJson(b.insuranceMinimum),
      }),
    );
    return reply.status(201).send({ tariff: publicTariff(t) });
  });

  // ---- parcels --------------------------------------------------------------------------------

  app.post('/staff/parcels', { ...upload, schema: { tags: ['warehouse'], summary: 'Receive a parcel: tracking number, marking code read off the box, cartons, weight, size, photos', body: ReceiveBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request, reply) => {
    const b = request.body as Static<typeof ReceiveBody>;
    const parcel = await withLedgerRetry(db, (tx) => receiveParcel(tx, ctx.files, actorFrom(request), { ...b, photos: photosOf(b.photos) }));
    return reply.status(201).send(await staffParcelDetail(parcel));
  });

  app.get('/staff/parcels', { schema: { tags: ['warehouse'], summary: 'Parcels by status (unidentified queue: status=unidentified), newest first', querystring: ParcelsQuery }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const q = request.query as Static<typeof ParcelsQuery>;
    let query = db.selectFrom('parcels').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as Parcel['status']);
    if (q.warehouseId) query = query.where('warehouse_id', '=', q.warehouseId);
    if (q.before) query = query.where('id', '<', q.before);
    if (q.q) {
      const marking = normaliseMarking(q.q);
      const customerId = marking ? await customerByMarking(db, marking) : null;
      if (customerId) query = query.where('customer_id', '=', customerId);
      else query = query.where('tracking_number', 'like', `%${q.q.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const rows = await query.execute();
    const photos = await photoIdsOf(db, rows.map((r) => r.id));
    const customers = await customerNames(rows.map((r) => r.customer_id));
    return { parcels: rows.map((p) => ({ ...publicParcel(p, photos.get(p.id) ?? []), customer: p.customer_id ? (customers.get(p.customer_id) ?? null) : null })), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  async function customerNames(ids: (string | null)[]) {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    const map = new Map<string, { id: string; name: string; markingCode: string | null }>();
    if (wanted.length === 0) return map;
    const rows = await db.selectFrom('customers').leftJoin('marking_codes', 'marking_codes.customer_id', 'customers.id').select(['customers.id', 'customers.name', 'marking_codes.code']).where('customers.id', 'in', wanted).execute();
    for (const r of rows) map.set(r.id, { id: r.id, name: r.name, markingCode: r.code });
    return map;
  }

  /** Every staff answer about a parcel: its detail, whose it is, and the claims on it. */
  async function staffParcelDetail(parcel: Parcel) {
    const claims = await db.selectFrom('parcel_claims').selectAll().where('parcel_id', '=', parcel.id).orderBy('created_at').execute();
    const customers = await customerNames([parcel.customer_id, ...claims.map((c) => c.customer_id)]);
    return { ...(await parcelDetail(ctx, parcel, true)), customer: parcel.customer_id ? (customers.get(parcel.customer_id) ?? null) : null, claims: claims.map((c) => ({ ...publicClaim(c), customer: customers.get(c.customer_id) ?? null })) };
  }

  app.get('/staff/parcels/:id', { schema: { tags: ['warehouse'], summary: 'A parcel with its history and claims', params: IdParam }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return staffParcelDetail(await getParcel(db, id));
  });

  app.get('/staff/parcel-claims/:id/evidence', { schema: { tags: ['warehouse'], summary: 'The file an importer attached to a claim', params: IdParam }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const claim = await db.selectFrom('parcel_claims').select('document_id').where('id', '=', id).executeTakeFirst();
    if (!claim?.document_id) throw new AppError('not_found');
    return sendDocument(reply, ctx.files, await getDocument(db, claim.document_id));
  });

  app.get('/staff/shipments/:id/documents/:documentId', { schema: { tags: ['forwarding'], summary: 'A document of a shipment (timeline papers, insurance claim evidence)', params: PhotoParams }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request, reply) => {
    const { id, documentId } = request.params as Static<typeof PhotoParams>;
    const onTimeline = await db.selectFrom('shipment_transitions').select('id').where('shipment_id', '=', id).where('document_id', '=', documentId).executeTakeFirst();
    const onClaim = await db.selectFrom('insurance_claims').select('id').where('shipment_id', '=', id).where('document_id', '=', documentId).executeTakeFirst();
    if (!onTimeline && !onClaim) throw new AppError('not_found');
    return sendDocument(reply, ctx.files, await getDocument(db, documentId));
  });

  app.patch('/staff/parcels/:id', { schema: { tags: ['warehouse'], summary: 'Re-measure or note the condition of a parcel in storage', params: IdParam, body: UpdateParcelBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const parcel = await db.transaction().execute((tx) => updateParcel(tx, actorFrom(request), id, request.body as Static<typeof UpdateParcelBody>));
    return staffParcelDetail(parcel);
  });

  app.post('/staff/parcels/:id/photos', { ...upload, schema: { tags: ['warehouse'], summary: 'Add photos to a parcel (PNG, JPEG or WebP, checked by content)', params: IdParam, body: PhotosBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof PhotosBody>;
    const parcel = await db.transaction().execute((tx) => addParcelPhotos(tx, ctx.files, actorFrom(request), id, photosOf(b.photos)));
    return reply.status(201).send(await staffParcelDetail(parcel));
  });

  app.get('/staff/parcels/:id/photos/:documentId', { schema: { tags: ['warehouse'], summary: 'A photo of a parcel', params: PhotoParams }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request, reply) => {
    const { id, documentId } = request.params as Static<typeof PhotoParams>;
    const link = await db.selectFrom('parcel_photos').select('document_id').where('parcel_id', '=', id).where('document_id', '=', documentId).executeTakeFirst();
    if (!link) throw new AppError('not_found');
    const doc = await getDocument(db, documentId);
    return sendDocument(reply, ctx.files, doc, 'inline');
  });

  app.post('/staff/parcels/:id/assign', { schema: { tags: ['warehouse'], summary: "Give an unidentified parcel to the importer whose marking code staff recognised", params: IdParam, body: AssignBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof AssignBody>;
    const parcel = await withLedgerRetry(db, (tx) => assignParcel(tx, actorFrom(request), id, b.markingCode, b.note));
    return staffParcelDetail(parcel);
  });

  app.post('/staff/parcels/:id/reinstate', { schema: { tags: ['warehouse'], summary: 'Take an abandoned parcel back into storage (the importer asked for it)', params: IdParam, body: ReasonBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof ReasonBody>;
    const parcel = await db.transaction().execute((tx) => reinstateParcel(tx, actorFrom(request), id, b.reason));
    return staffParcelDetail(parcel);
  });

  app.post('/staff/parcels/:id/reassign', { schema: { tags: ['warehouse'], summary: 'Give a stored parcel to the right importer (its code was misread at receipt); both are told', params: IdParam, body: AssignBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof AssignBody>;
    const parcel = await withLedgerRetry(db, (tx) => reassignParcel(tx, actorFrom(request), id, b.markingCode, b.note));
    return staffParcelDetail(parcel);
  });

  app.get('/staff/parcel-claims', { schema: { tags: ['warehouse'], summary: 'Claims on unidentified parcels (pending first)' }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async () => {
    const rows = await db.selectFrom('parcel_claims').selectAll().orderBy(db.fn('coalesce', ['decided_at', 'created_at']), 'desc').limit(200).execute();
    const customers = await customerNames(rows.map((c) => c.customer_id));
    const sorted = [...rows.filter((c) => c.status === 'pending'), ...rows.filter((c) => c.status !== 'pending')];
    return { claims: sorted.map((c) => ({ ...publicClaim(c), customer: customers.get(c.customer_id) ?? null })) };
  });

  app.post('/staff/parcel-claims/:id/decide', { schema: { tags: ['warehouse'], summary: 'Approve (the parcel becomes the claimant’s) or reject a claim', params: IdParam, body: DecideBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof DecideBody>;
    const claim = await withLedgerRetry(db, (tx) => decideParcelClaim(tx, actorFrom(request), id, b.decision, b.note));
    return { claim: publicClaim(claim) };
  });

  // ---- shipments ------------------------------------------------------------------------------

  app.get('/staff/shipments', { schema: { tags: ['forwarding'], summary: 'Shipments by status, newest first', querystring: ShipmentsQuery }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const q = request.query as Static<typeof ShipmentsQuery>;
    let query = db.selectFrom('shipments').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as Shipment['status']);
    if (q.customerId) query = query.where('customer_id', '=', q.customerId);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    const customers = await customerNames(rows.map((r) => r.customer_id));
    const counts = await db.selectFrom('parcels').select(['shipment_id', db.fn.countAll<string>().as('n')]).where('shipment_id', 'in', rows.length ? rows.map((r) => r.id) : ['']).groupBy('shipment_id').execute();
    const parcelCount = new Map(counts.map((c) => [c.shipment_id, Number(c.n)]));
    return { shipments: rows.map((s) => ({ ...publicShipment(s), customer: customers.get(s.customer_id) ?? null, parcelCount: parcelCount.get(s.id) ?? 0 })), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/staff/shipments/:id', { schema: { tags: ['forwarding'], summary: 'A shipment with its parcels, invoice and timeline', params: IdParam }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const s = await getShipment(db, id);
    const customers = await customerNames([s.customer_id]);
    return { ...(await shipmentDetail(ctx, s, true)), customer: customers.get(s.customer_id) ?? null };
  });

  app.post('/staff/shipments/:id/pack', { schema: { tags: ['warehouse'], summary: 'Record the repacked packages (count, size, weight each) and any extra charges', params: IdParam, body: PackBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof PackBody>;
    const packages = b.packages.map((p) => ({ count: p.count, lengthMm: cmToMm(p.lengthCm), widthMm: cmToMm(p.widthCm), heightMm: cmToMm(p.heightCm), weightG: kgToGrams(p.weightKg) }));
    const extraCharges = (b.extraCharges ?? []).map((x) => ({ description: x.description, amount: idrOrZero(x.amount, 'extraCharges') }));
    const s = await db.transaction().execute((tx) => packShipment(tx, actorFrom(request), id, { packages, extraCharges, note: b.note }));
    return shipmentDetail(ctx, s, true);
  });

  app.post('/staff/shipments/:id/invoice', { schema: { tags: ['forwarding'], summary: 'Issue the final cargo invoice from the measured packages; paid at once when the estimate and wallet cover it', params: IdParam }, onRequest: authorize({ roles: ['warehouse', 'ops', 'finance', 'admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const s = await withLedgerRetry(db, (tx) => invoiceShipment(tx, actorFrom(request), id));
    return shipmentDetail(ctx, s, true);
  });

  app.post('/staff/shipments/:id/status', { ...upload, schema: { tags: ['forwarding'], summary: 'Record a step of the journey with an optional document (airway bill, bill of lading, packing list, customs papers)', params: IdParam, body: StatusBody }, onRequest: authorize({ roles: WAREHOUSE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof StatusBody>;
    const s = await db.transaction().execute(async (tx) => {
      const current = await getShipment(tx, id);
      const doc = b.document
        ? await storeDocument(tx, ctx.files, actorFrom(request), { kind: 'shipment_document', ownerCustomerId: current.customer_id, fileName: b.document.fileName, bytes: decodeBase64File(b.document.contentBase64) }, PROOF_TYPES)
        : null;
      return advanceShipment(tx, actorFrom(request), id, b.to, { note: b.note, carrierReference: b.carrierReference, documentId: doc?.id ?? null });
    });
    return shipmentDetail(ctx, s, true);
  });

  app.post('/staff/shipments/:id/cancel', { schema: { tags: ['forwarding'], summary: 'Cancel before payment: the estimate back to the wallet, the parcels back to storage', params: IdParam, body: ReasonBody }, onRequest: authorize({ roles: ['ops', 'admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof ReasonBody>;
    const s = await withLedgerRetry(db, (tx) => cancelShipment(tx, actorFrom(request), id, b.reason));
    return shipmentDetail(ctx, s, true);
  });

  app.post('/staff/shipments/:id/credit', { schema: { tags: ['forwarding'], summary: 'A credit note after payment (an overcharge corrected): rupiah back to the wallet (finance)', params: IdParam, body: CreditBody }, onRequest: authorize({ roles: ['finance', 'admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof CreditBody>;
    const s = await withLedgerRetry(db, (tx) => creditShipment(tx, actorFrom(request), id, { amount: idrOrZero(b.amount, 'amount'), reason: b.reason }));
    return shipmentDetail(ctx, s, true);
  });

  app.get('/staff/insurance-claims', { schema: { tags: ['forwarding'], summary: 'Insurance claims on lost or damaged shipments' }, onRequest: authorize({ roles: ['ops', 'finance', 'compliance', 'admin'] }) }, async () => {
    const rows = await db.selectFrom('insurance_claims').selectAll().orderBy('created_at', 'desc').limit(200).execute();
    const customers = await customerNames(rows.map((c) => c.customer_id));
    return { claims: rows.map((c) => ({ ...publicInsuranceClaim(c), customer: customers.get(c.customer_id) ?? null })) };
  });

  app.post('/staff/insurance-claims/:id/decide', { schema: { tags: ['forwarding'], summary: 'Approve (credits the wallet) or reject an insurance claim (finance)', params: IdParam, body: InsuranceDecideBody }, onRequest: authorize({ roles: ['finance', 'admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof InsuranceDecideBody>;
    const claim = await withLedgerRetry(db, (tx) => decideInsuranceClaim(tx, actorFrom(request), id, { decision: b.decision, amount: b.amount ? idrOrZero(b.amount, 'amount') : undefined, note: b.note }));
    return { claim: publicInsuranceClaim(claim) };
  });

  // A staff member looking up a tracking number on the floor (any status, any warehouse).
  app.get('/staff/parcels/by-tracking/:tracking', { schema: { tags: ['warehouse'], summary: 'Find a parcel by its tracking number', params: TrackingParam }, onRequest: authorize({ roles: FORWARDING_READERS }) }, async (request) => {
    const { tracking } = request.params as Static<typeof TrackingParam>;
    const rows = await db.selectFrom('parcels').selectAll().where('tracking_number', '=', normaliseTracking(tracking)).execute();
    return { parcels: rows.map((p) => publicParcel(p)) };
  });
}
