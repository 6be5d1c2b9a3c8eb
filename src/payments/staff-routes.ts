import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, authorize } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { decodeBase64File, storeDocument } from '../documents/storage.ts';
import { IdParam, ListQuery } from '../funding/routes.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { addToBlocklist, decideFlag, publicFlag } from '../risk/payee-checks.ts';
import { getOrder, publicOrder, refundUnpaidParts, type PaymentOrder } from './orders.ts';
import { approvePayout, claimPayout, failPayout, payoutQueue, publicPayout, recordFxConversion, recordPayout, reassessBeforePayout, rejectPayout, sendViaRail } from './payouts.ts';
import { orderDetail } from './routes.ts';
import { addDisputeMessage, resolveDispute, type Resolution } from './disputes.ts';
import { loadPaymentsSettings, publicPaymentsSettings, updatePaymentsSettings } from './settings.ts';

const READERS = ['ops', 'finance', 'compliance', 'admin'] as const;
const OPERATORS = ['ops'] as const;
const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';

const RecordBody = Type.Object(
  {
    floatAccountId: Type.String({ maxLength: 64 }),
    cny: MoneySchema,
    providerReference: Type.String({ minLength: 4, maxLength: 100, pattern: NoControl, description: 'Alipay/WeChat transaction number or bank reference' }),
    proof: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, pattern: NoControl }), contentBase64: Type.String({ minLength: 4, maxLength: 8 * 1024 * 1024 }) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
const SendBody = Type.Object({ rail: Type.String({ pattern: '^[a-z0-9_-]{2,30}$' }), floatAccountId: Type.String({ maxLength: 64 }) }, { additionalProperties: false });
const FailBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 500 }), refund: Type.Boolean({ description: 'true: refund to the wallet; false: back to the queue' }) }, { additionalProperties: false });
const MessageBody = Type.Object({ body: Type.String({ minLength: 2, maxLength: 2000 }), documentId: Type.Optional(Type.String({ maxLength: 64, description: 'A document already stored for this order (its invoice or the importer’s evidence)' })) }, { additionalProperties: false });
const ResolveBody = Type.Object(
  { resolution: Type.Union([Type.Literal('release'), Type.Literal('refund'), Type.Literal('partial_refund')]), refund: Type.Optional(MoneySchema), note: Type.String({ minLength: 5, maxLength: 1000 }) },
  { additionalProperties: false },
);
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });
const FlagBody = Type.Object({ decision: Type.Union([Type.Literal('cleared'), Type.Literal('confirmed')]), note: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });
const BlockBody = Type.Object(
  { kind: Type.Union([Type.Literal('account'), Type.Literal('holder_name')]), value: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }), reason: Type.String({ minLength: 5, maxLength: 500 }) },
  { additionalProperties: false },
);
const ConversionBody = Type.Object(
  { floatAccountId: Type.String({ maxLength: 64 }), bankAccountId: Type.String({ maxLength: 64 }), cny: MoneySchema, idr: MoneySchema, reference: Type.String({ minLength: 3, maxLength: 100, pattern: NoControl }) },
  { additionalProperties: false },
);
const SettingsBody = Type.Object(
  {
    slaTargetMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 24 * 60 })),
    slaWarningMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
    approvalThreshold: Type.Optional(Type.Object({ amount: Type.String({ pattern: '^[0-9]{1,15}$' }), currency: Type.Literal('CNY') }, { additionalProperties: false })),
    escrowAutoReleaseDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 180 })),
    amountHistoryMultiple: Type.Optional(Type.Integer({ minimum: 2, maximum: 100 })),
    bankTransferLockMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 24 * 60 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
const OrdersQuery = Type.Object(
  { status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })), customerId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);

export async function registerPaymentStaffRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/staff/payments/orders', { schema: { tags: ['payout desk'], summary: 'Payment orders of all customers', querystring: OrdersQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof OrdersQuery>;
    let query = db.selectFrom('payment_orders').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as PaymentOrder['status']);
    if (q.customerId) query = query.where('customer_id', '=', q.customerId);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return { orders: rows.map(publicOrder), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/staff/payments/orders/:id', { schema: { tags: ['payout desk'], summary: 'A payment order with its flags, payouts and history', params: IdParam }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return orderDetail(ctx, await getOrder(db, id), true);
  });

  app.get('/staff/payouts/queue', { schema: { tags: ['payout desk'], summary: 'Parts waiting to be paid, oldest first, with the SLA clock and the floats' }, onRequest: authorize({ roles: READERS }) }, async () => payoutQueue(db));

  app.post('/staff/payouts/:id/claim', { schema: { tags: ['payout desk'], summary: 'Claim a part for payout (atomic: one operator per payout)', params: IdParam }, onRequest: authorize({ roles: OPERATORS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    await db.transaction().execute((tx) => reassessBeforePayout(tx, id));
    const inst = await withLedgerRetry(db, (tx) => claimPayout(tx, actorFrom(request), id));
    return { installmentId: inst.id, status: inst.status, claimedBy: inst.claimed_by };
  });

  app.post('/staff/payouts/:id/record', { bodyLimit: 12 * 1024 * 1024, schema: { tags: ['payout desk'], summary: 'Record the payout made outside (float, amount, reference, proof); above the threshold finance approves', params: IdParam, body: RecordBody }, onRequest: authorize({ roles: OPERATORS }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof RecordBody>;
    const actor = actorFrom(request);
    const payout = await withLedgerRetry(db, async (tx) => {
      const inst = await tx.selectFrom('order_installments').innerJoin('payment_orders', 'payment_orders.id', 'order_installments.order_id').select(['payment_orders.customer_id']).where('order_installments.id', '=', id).executeTakeFirst();
      if (!inst) throw new AppError('not_found');
      const proof = await storeDocument(tx, ctx.files, actor, { kind: 'payout_proof', ownerCustomerId: inst.customer_id, fileName: b.proof.fileName, bytes: decodeBase64File(b.proof.contentBase64) });
      return recordPayout(tx, actor, id, { floatAccountId: b.floatAccountId, cny: Money.fromJson(b.cny), providerReference: b.providerReference, proofDocumentId: proof.id });
    });
    return reply.status(payout.status === 'paid' ? 200 : 202).send({ payout: publicPayout(payout) });
  });

  app.get('/staff/payouts/rails', { schema: { tags: ['payout desk'], summary: 'Payout rails: manual (the desk) and any automatic ones configured' }, onRequest: authorize({ roles: READERS }) }, async () => ({
    rails: [{ name: 'manual', automatic: false }, ...[...ctx.rails.keys()].map((name) => ({ name, automatic: true }))],
  }));

  app.post('/staff/payouts/:id/send', { schema: { tags: ['payout desk'], summary: 'Send a claimed part through an automatic rail; it settles when the provider confirms', params: IdParam, body: SendBody }, onRequest: authorize({ roles: OPERATORS }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof SendBody>;
    const rail = ctx.rails.get(b.rail);
    if (!rail) throw new AppError('validation_failed', `No automatic payout rail ${b.rail}.`);
    const payout = await withLedgerRetry(db, (tx) => sendViaRail(tx, actorFrom(request), rail, id, b.floatAccountId));
    return reply.status(202).send({ payout: publicPayout(payout) });
  });

  app.post('/staff/payouts/:id/fail', { schema: { tags: ['payout desk'], summary: 'The payout failed: back to the queue, or refunded to the wallet', params: IdParam, body: FailBody }, onRequest: authorize({ roles: ['ops', 'finance'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof FailBody>;
    const role = request.principal?.kind === 'session' ? request.principal.user.role : undefined;
    const inst = await withLedgerRetry(db, (tx) => failPayout(tx, { ...actorFrom(request), ...(role ? { role } : {}) }, id, b));
    return { installmentId: inst.id, status: inst.status };
  });

  app.get('/staff/payouts', { schema: { tags: ['payout desk'], summary: 'Recorded payouts (e.g. waiting for approval)', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    let query = db.selectFrom('payouts').selectAll().orderBy('created_at', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as never);
    return { payouts: (await query.execute()).map(publicPayout) };
  });

  app.post('/staff/payouts/records/:id/approve', { schema: { tags: ['payout desk'], summary: 'Approve a recorded payout (finance, not the operator who recorded it)', params: IdParam }, onRequest: authorize({ roles: ['finance'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return { payout: publicPayout(await withLedgerRetry(db, (tx) => approvePayout(tx, actorFrom(request), id))) };
  });

  app.post('/staff/payouts/records/:id/reject', { schema: { tags: ['payout desk'], summary: 'Refuse a recorded payout: back to its operator', params: IdParam, body: ReasonBody }, onRequest: authorize({ roles: ['finance'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return { payout: publicPayout(await db.transaction().execute((tx) => rejectPayout(tx, actorFrom(request), id, (request.body as Static<typeof ReasonBody>).reason))) };
  });

  app.get('/staff/disputes', { schema: { tags: ['payout desk'], summary: 'Disputes (open ones first, oldest first) with their orders and customers', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    let query = db
      .selectFrom('disputes as d')
      .innerJoin('payment_orders as o', 'o.id', 'd.order_id')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select(['d.id', 'd.order_id', 'd.status', 'd.reason', 'd.resolution', 'd.refund_cny', 'd.resolved_at', 'd.created_at', 'o.customer_id', 'c.name as customer_name', 'o.cny_amount', 'o.idr_total', 'o.status as order_status'])
      .select((eb) => eb.selectFrom('dispute_messages as m').select((e) => e.fn.max('m.created_at').as('last')).whereRef('m.dispute_id', '=', 'd.id').as('last_message_at'))
      .orderBy('d.status')
      .orderBy('d.created_at')
      .orderBy('d.id')
      .limit(q.limit);
    if (q.status) query = query.where('d.status', '=', q.status as never);
    if (q.before) query = query.where('d.id', '>', q.before);
    const rows = await query.execute();
    return {
      disputes: rows.map((d) => ({
        id: d.id,
        orderId: d.order_id,
        status: d.status,
        reason: d.reason,
        resolution: d.resolution,
        refund: d.refund_cny === null ? null : Money.of(d.refund_cny, 'CNY'),
        resolvedAt: d.resolved_at?.toISOString() ?? null,
        createdAt: d.created_at.toISOString(),
        lastMessageAt: d.last_message_at ? new Date(d.last_message_at as unknown as string).toISOString() : null,
        customer: { id: d.customer_id, name: d.customer_name },
        order: { status: d.order_status, cny: Money.of(d.cny_amount, 'CNY'), idrTotal: d.idr_total === null ? null : Money.of(d.idr_total, 'IDR') },
      })),
      nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    };
  });

  app.get('/staff/disputes/:id', { schema: { tags: ['payout desk'], summary: 'A dispute with its thread and the order', params: IdParam }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const d = await db.selectFrom('disputes').select(['id', 'order_id']).where('id', '=', id).executeTakeFirst();
    if (!d) throw new AppError('not_found');
    const detail = await orderDetail(ctx, await getOrder(db, d.order_id), true);
    return { dispute: detail.disputes.find((x) => x.id === id)!, ...detail };
  });

  app.post('/staff/disputes/:id/messages', { schema: { tags: ['payout desk'], summary: 'Answer in a dispute', params: IdParam, body: MessageBody }, onRequest: authorize({ roles: ['ops', 'finance', 'compliance', 'admin'] }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof MessageBody>;
    if (b.documentId) {
      // Staff may point at a document of this order's customer (e.g. the supplier's invoice), nothing else.
      const doc = await db.selectFrom('documents').select('owner_customer_id').where('id', '=', b.documentId).executeTakeFirst();
      const owner = await db.selectFrom('disputes as d').innerJoin('payment_orders as o', 'o.id', 'd.order_id').select('o.customer_id').where('d.id', '=', id).executeTakeFirst();
      if (!doc || !owner || doc.owner_customer_id !== owner.customer_id) throw new AppError('validation_failed', 'Unknown document for this order.', { field: 'documentId' });
    }
    const m = await db.transaction().execute((tx) => addDisputeMessage(tx, actorFrom(request), id, 'staff', { body: b.body, documentId: b.documentId }));
    return reply.status(201).send({ message: { id: m.id, body: m.body, at: m.created_at.toISOString() } });
  });

  app.post('/staff/disputes/:id/resolve', { schema: { tags: ['payout desk'], summary: 'End a dispute: release, refund, or partial refund (finance)', params: IdParam, body: ResolveBody }, onRequest: authorize({ roles: ['finance'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof ResolveBody>;
    if (b.resolution === 'partial_refund' && !b.refund) throw new AppError('validation_failed', 'A partial refund needs the refunded yuan (refund).');
    const resolution: Resolution = b.resolution === 'partial_refund' ? { resolution: 'partial_refund', refund: Money.fromJson(b.refund!), note: b.note } : { resolution: b.resolution, note: b.note };
    const { order } = await withLedgerRetry(db, (tx) => resolveDispute(tx, actorFrom(request), id, resolution));
    return orderDetail(ctx, order, true);
  });

  app.get('/staff/risk/flags', { schema: { tags: ['risk'], summary: 'Risk flags (open ones first)', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    let query = db.selectFrom('risk_flags').selectAll().orderBy('created_at', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as never);
    return { flags: (await query.execute()).map(publicFlag) };
  });

  app.post('/staff/risk/flags/:id/decide', { schema: { tags: ['risk'], summary: 'Clear a flag (the payout may go) or confirm it (it stays stopped)', params: IdParam, body: FlagBody }, onRequest: authorize({ roles: ['compliance'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof FlagBody>;
    const flag = await withLedgerRetry(db, async (tx) => {
      const f = await decideFlag(tx, actorFrom(request), id, b.decision, b.note);
      // A confirmed risk: the supplier is not paid; every part not yet paid returns to the wallet.
      // The importer reads the order's history: the check and compliance's note stay in the audit log.
      if (b.decision === 'confirmed') await refundUnpaidParts(tx, actorFrom(request), f.order_id, 'stopped by a security check: the money is back in your wallet');
      return f;
    });
    return { flag: publicFlag(flag) };
  });

  app.get('/staff/risk/blocklist', { schema: { tags: ['risk'], summary: 'Blocked accounts and holder names' }, onRequest: authorize({ roles: READERS }) }, async () => ({
    entries: (await db.selectFrom('payee_blocklist').selectAll().orderBy('created_at', 'desc').execute()).map((b) => ({ id: b.id, kind: b.kind, value: b.value, reason: b.reason, createdAt: b.created_at.toISOString() })),
  }));

  app.post('/staff/risk/blocklist', { schema: { tags: ['risk'], summary: 'Block an account or holder name (compliance)', body: BlockBody }, onRequest: authorize({ roles: ['compliance'] }) }, async (request, reply) => {
    const b = request.body as Static<typeof BlockBody>;
    const row = await db.transaction().execute((tx) => addToBlocklist(tx, actorFrom(request), b));
    return reply.status(201).send({ entry: { id: row.id, kind: row.kind, value: row.value, reason: row.reason } });
  });

  app.post('/staff/fx/conversions', { schema: { tags: ['payout desk'], summary: 'Record yuan bought for a float (finance): CNY in, IDR out, through the FX position', body: ConversionBody }, onRequest: authorize({ roles: ['finance'] }) }, async (request, reply) => {
    const b = request.body as Static<typeof ConversionBody>;
    const row = await withLedgerRetry(db, (tx) => recordFxConversion(tx, actorFrom(request), { floatAccountId: b.floatAccountId, bankAccountId: b.bankAccountId, cny: Money.fromJson(b.cny), idr: Money.fromJson(b.idr), reference: b.reference }));
    return reply.status(201).send({ conversion: { id: row.id, cny: Money.of(row.cny_amount, 'CNY'), idr: Money.of(row.idr_amount, 'IDR'), rate: row.rate, reference: row.reference, entryId: row.entry_id } });
  });

  app.get('/staff/fx/conversions', { schema: { tags: ['payout desk'], summary: 'Yuan bought for the floats, newest first', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    const rows = await db.selectFrom('fx_conversions').selectAll().orderBy('created_at', 'desc').limit(q.limit).execute();
    return {
      conversions: rows.map((r) => ({ id: r.id, floatAccountId: r.float_account_id, bankAccountId: r.bank_account_id, cny: Money.of(r.cny_amount, 'CNY'), idr: Money.of(r.idr_amount, 'IDR'), rate: r.rate, reference: r.reference, entryId: r.entry_id, recordedBy: r.recorded_by, createdAt: r.created_at.toISOString() })),
    };
  });

  // Names for the ids staff screens show (who claimed, recorded, approved): staff only, no e-mail.
  app.get('/staff/directory', { schema: { tags: ['staff'], summary: 'Staff names and roles, for showing who did what' }, onRequest: authorize({ roles: ['ops', 'finance', 'compliance', 'admin', 'warehouse'] }) }, async () => ({
    staff: (await db.selectFrom('users').select(['id', 'name', 'role', 'status']).where('role', '!=', 'importer').orderBy('name').execute()).map((u) => ({ id: u.id, name: u.name, role: u.role, active: u.status === 'active' })),
  }));

  app.get('/staff/payments/settings', { schema: { tags: ['payout desk'], summary: 'SLA, approval threshold, escrow release' }, onRequest: authorize({ roles: READERS }) }, async () => ({ settings: publicPaymentsSettings(await loadPaymentsSettings(db)) }));

  app.patch('/staff/payments/settings', { schema: { tags: ['payout desk'], summary: 'Change payment settings (admin)', body: SettingsBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const b = request.body as Static<typeof SettingsBody>;
    const s = await db.transaction().execute((tx) =>
      updatePaymentsSettings(tx, actorFrom(request), {
        ...(b.slaTargetMinutes !== undefined ? { slaTargetMinutes: b.slaTargetMinutes } : {}),
        ...(b.slaWarningMinutes !== undefined ? { slaWarningMinutes: b.slaWarningMinutes } : {}),
        ...(b.approvalThreshold ? { approvalThresholdCny: BigInt(b.approvalThreshold.amount) } : {}),
        ...(b.escrowAutoReleaseDays !== undefined ? { escrowAutoReleaseDays: b.escrowAutoReleaseDays } : {}),
        ...(b.amountHistoryMultiple !== undefined ? { amountHistoryMultiple: BigInt(b.amountHistoryMultiple) } : {}),
        ...(b.bankTransferLockMinutes !== undefined ? { bankTransferLockMinutes: b.bankTransferLockMinutes } : {}),
      }),
    );
    return { settings: publicPaymentsSettings(s) };
  });
}
