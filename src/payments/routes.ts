import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, assertCustomerAccess, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { decodeBase64File, publicDocument, storeDocument } from '../documents/storage.ts';
import { publicDeposit } from '../funding/deposits.ts';
import { getBankAccount } from '../funding/bank-accounts.ts';
import { IdParam, ListQuery } from '../funding/routes.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { publicFlag } from '../risk/payee-checks.ts';
import {
  cancelOrder,
  completeOrder,
  createPaymentOrder,
  fundOrder,
  getOrder,
  installmentsOf,
  orderTransitions,
  publicInstallment,
  publicOrder,
  releaseInstallment,
  requestOrderDeposit,
  type PaymentOrder,
} from './orders.ts';
import { createPayee, createSupplier, getPayee, getSupplier, publicPayee, publicSupplier, updatePayee } from './payees.ts';
import { publicPayout } from './payouts.ts';
import { createOrderBatch, fundOrderBatch, publicBatchLine, validateOrderBatch } from './batches.ts';
import { addDisputeMessage, disputesOf, openDispute } from './disputes.ts';
import { orderReceiptPdf, proofFacts, publicVerification, supplierProofPdf } from './documents.ts';
import { formatMoney } from '../money/format.ts';

const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';
const SupplierBody = Type.Object(
  { storeName: Type.String({ minLength: 2, maxLength: 200, pattern: NoControl }), companyName: Type.String({ minLength: 2, maxLength: 200, pattern: NoControl, description: 'As registered, usually in Chinese: 义乌市某某贸易有限公司' }) },
  { additionalProperties: false },
);
const PayeeFields = {
  kind: Type.Union([Type.Literal('alipay'), Type.Literal('wechat'), Type.Literal('bank')]),
  account: Type.String({ minLength: 4, maxLength: 60, pattern: NoControl, description: 'Alipay: mobile or e-mail; WeChat: WeChat ID or mobile; bank: account number' }),
  holderName: Type.String({ minLength: 2, maxLength: 100, pattern: NoControl }),
  bankName: Type.Optional(Type.String({ maxLength: 100, pattern: NoControl })),
  bankBranch: Type.Optional(Type.String({ maxLength: 200, pattern: NoControl })),
  cnapsCode: Type.Optional(Type.String({ maxLength: 20 })),
};
const PayeeBody = Type.Object({ supplierId: Type.String({ maxLength: 64 }), ...PayeeFields }, { additionalProperties: false });
const PayeeUpdateBody = Type.Object(PayeeFields, { additionalProperties: false });
const UploadBody = Type.Object(
  { kind: Type.Union([Type.Literal('invoice'), Type.Literal('evidence')]), fileName: Type.String({ minLength: 1, maxLength: 200, pattern: NoControl }), contentBase64: Type.String({ minLength: 4, maxLength: 8 * 1024 * 1024 }) },
  { additionalProperties: false },
);
const OrderBody = Type.Object(
  {
    supplierId: Type.String({ maxLength: 64 }),
    payeeId: Type.String({ maxLength: 64 }),
    orderNumbers: Type.Array(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' }), { minItems: 1, maxItems: 50, description: '1688 order numbers' }),
    cny: MoneySchema,
    noteToSupplier: Type.Optional(Type.String({ maxLength: 500 })),
    mode: Type.Union([Type.Literal('direct'), Type.Literal('escrow'), Type.Literal('installments')]),
    installments: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 100 }), { minItems: 2, maxItems: 6, description: 'Percent per part, e.g. [30, 70]' })),
    invoiceDocumentId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const FundBody = Type.Object(
  { quoteId: Type.String({ maxLength: 64, description: 'An accepted quote for the order amount (POST /api/quotes, then /api/quotes/accept)' }), method: Type.Union([Type.Literal('wallet'), Type.Literal('bank_transfer')]) },
  { additionalProperties: false },
);
function cancelBodyValid(body: unknown): body is { reason?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  const reason = (body as { reason?: unknown }).reason;
  return keys.every((k) => k === 'reason') && (reason === undefined || (typeof reason === 'string' && reason.length <= 500));
}

const IMPORTER = { roles: ['importer'] as const };

export async function orderDetail(ctx: AppContext, order: PaymentOrder, forStaff: boolean) {
  const db = ctx.database.db;
  const ownUsers = new Set(forStaff ? [] : (await db.selectFrom('users').select('id').where('customer_id', '=', order.customer_id).execute()).map((u) => u.id));
  const [installments, transitions, flags, payouts, supplier, payee, disputes] = await Promise.all([
    installmentsOf(db, order.id),
    orderTransitions(db, order.id),
    db.selectFrom('risk_flags').selectAll().where('order_id', '=', order.id).orderBy('created_at').execute(),
    db.selectFrom('payouts').selectAll().where('order_id', '=', order.id).orderBy('created_at').execute(),
    getSupplier(db, order.supplier_id),
    getPayee(db, order.payee_id),
    disputesOf(db, order.id, forStaff),
  ]);
  return {
    order: publicOrder(order),
    supplier: publicSupplier(supplier),
    payee: publicPayee(payee),
    installments: installments.map(publicInstallment),
    // Importers see who acted by kind (themselves, staff, the system), not staff ids. Reasons
    // are written for them; internal notes (risk decisions, failures) go to the audit log only.
    transitions: forStaff
      ? transitions
      : transitions.map((t) => ({ from: t.from, to: t.to, at: t.at, reason: t.reason, actor: { type: t.actor.type === 'user' && !ownUsers.has(t.actor.id ?? '') ? 'staff' : t.actor.type } })),
    // Importers see that a check holds the payout while it does, not which check or compliance's notes.
    riskFlags: forStaff ? flags.map(publicFlag) : flags.some((f) => f.severity === 'high' && f.status === 'open') ? [{ status: 'under_review' }] : [],
    payouts: forStaff
      ? payouts.map(publicPayout)
      : payouts.filter((p) => p.status === 'paid').map((p) => ({ id: p.id, installmentId: p.installment_id, cny: Money.of(p.cny_amount, 'CNY'), providerReference: p.provider_reference, rail: p.rail, status: p.status, paidAt: (p.decided_at ?? p.created_at).toISOString() })),
    disputes,
  };
}

const DisputeBody = Type.Object({ body: Type.String({ minLength: 5, maxLength: 2000 }), documentId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
const DisputeParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), disputeId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const BatchBody = Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, pattern: NoControl }), csv: Type.String({ minLength: 1, maxLength: 4 * 1024 * 1024 }) }, { additionalProperties: false });
const LangQuery = Type.Object({ lang: Type.Union([Type.Literal('id'), Type.Literal('en')], { default: 'id' }) }, { additionalProperties: false });
const ProofParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), payoutId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const CodeParam = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{10,40}$' }) }, { additionalProperties: false });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page a supplier reaches by scanning the proof's QR code: server-rendered, no script, nothing private. */
function verificationPage(v: ReturnType<typeof publicVerification> | null): string {
  const rows = v
    ? [
        ['金额 · Jumlah · Amount', formatMoney(v.amount.amount, 'CNY', 'en')],
        ['时间 · Waktu · Paid at', `${v.paidAt.replace('T', ' ').slice(0, 16)} UTC`],
        ['收款方 · Penerima · Payee', v.payee],
        ['账户 · Rekening · Account', v.account],
        ['1688订单 · Pesanan · Orders', v.orderNumbers.join(', ')],
        ['流水号 · Referensi · Reference', v.reference],
      ]
        .map(([k, val]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(val!)}</td></tr>`)
        .join('')
    : '';
  const head = v
    ? '<h1 class="ok">✔ 凭证真实有效<br><small>Bukti pembayaran asli · Genuine payment proof</small></h1>'
    : '<h1 class="bad">✘ 未找到此凭证<br><small>Bukti tidak ditemukan · Proof not found</small></h1><p>此凭证不是 Jembatan 出具的，或编号有误。<br>Bukti ini tidak diterbitkan oleh Jembatan atau kodenya salah. · This proof was not issued by Jembatan, or the code is wrong.</p>';
  return `<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>Jembatan · 付款凭证验证</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:2rem auto;padding:0 1rem;color:#111}h1{font-size:1.4rem}.ok{color:#0a7d32}.bad{color:#b42318}small{font-size:.8rem;color:#555;font-weight:normal}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .3rem;border-bottom:1px solid #ddd;vertical-align:top}th{color:#555;font-weight:normal;width:45%}</style></head>
<body>${head}${rows ? `<table>${rows}</table>` : ''}<p><small>Jembatan</small></p></body></html>`;
}

export async function registerPaymentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  async function ownOrder(request: FastifyRequest, id: string): Promise<PaymentOrder> {
    const order = await getOrder(db, id).catch(() => {
      throw new AppError('not_found');
    });
    assertCustomerAccess(request, order.customer_id);
    return order;
  }

  app.post('/suppliers', { schema: { tags: ['payments'], summary: 'Add a 1688 supplier (store and company)', body: SupplierBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof SupplierBody>;
    const s = await db.transaction().execute((tx) => createSupplier(tx, actorFrom(request), customerScope(request)!, b));
    return reply.status(201).send({ supplier: publicSupplier(s) });
  });

  app.get('/suppliers', { schema: { tags: ['payments'], summary: 'Own suppliers with their payees' } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:read' });
    const customerId = customerScope(request)!;
    const [suppliers, payees] = await Promise.all([
      db.selectFrom('suppliers').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').execute(),
      db.selectFrom('payees').selectAll().where('customer_id', '=', customerId).orderBy('created_at').execute(),
    ]);
    return { suppliers: suppliers.map((s) => ({ ...publicSupplier(s), payees: payees.filter((p) => p.supplier_id === s.id).map(publicPayee) })) };
  });

  app.post('/payees', { schema: { tags: ['payments'], summary: "Add a supplier's receiving account (Alipay, WeChat Pay or Chinese bank)", body: PayeeBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof PayeeBody>;
    const p = await db.transaction().execute((tx) => createPayee(tx, actorFrom(request), customerScope(request)!, b));
    return reply.status(201).send({ payee: publicPayee(p) });
  });

  app.put('/payees/:id', { schema: { tags: ['payments'], summary: "Change a payee's details (flagged on the next payments)", params: IdParam, body: PayeeUpdateBody } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const payee = await getPayee(db, id).catch(() => {
      throw new AppError('not_found');
    });
    assertCustomerAccess(request, payee.customer_id);
    const p = await db.transaction().execute((tx) => updatePayee(tx, actorFrom(request), payee, request.body as Static<typeof PayeeUpdateBody>));
    return { payee: publicPayee(p) };
  });

  app.post('/documents', { bodyLimit: 12 * 1024 * 1024, schema: { tags: ['documents'], summary: 'Upload an invoice or proforma (PNG, JPEG, WebP or PDF, checked by content)', body: UploadBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof UploadBody>;
    const doc = await db.transaction().execute((tx) =>
      storeDocument(tx, ctx.files, actorFrom(request), { kind: b.kind, ownerCustomerId: customerScope(request)!, fileName: b.fileName, bytes: decodeBase64File(b.contentBase64) }),
    );
    return reply.status(201).send({ document: publicDocument(doc) });
  });

  app.post('/payment-orders', { schema: { tags: ['payments'], summary: 'Create a payment order (draft): supplier, payee, yuan amount, 1688 order numbers, mode', body: OrderBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof OrderBody>;
    const order = await db.transaction().execute((tx) =>
      createPaymentOrder(tx, actorFrom(request), customerScope(request)!, {
        supplierId: b.supplierId,
        payeeId: b.payeeId,
        orderNumbers: b.orderNumbers,
        cny: Money.fromJson(b.cny),
        noteToSupplier: b.noteToSupplier,
        mode: b.mode,
        installments: b.installments,
        invoiceDocumentId: b.invoiceDocumentId,
      }),
    );
    return reply.status(201).send(await orderDetail(ctx, order, false));
  });

  app.post('/payment-orders/batch/preview', { bodyLimit: 4 * 1024 * 1024, schema: { tags: ['payments'], summary: 'Check an order CSV line by line (order_numbers;…, payee_id, amount_cny, mode, note); nothing is created', body: BatchBody } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof BatchBody>;
    const report = await validateOrderBatch(db, customerScope(request)!, b.csv);
    return { valid: report.valid, cnyTotal: report.cnyTotal, lines: report.lines.map(publicBatchLine) };
  });

  app.post('/payment-orders/batch', { bodyLimit: 4 * 1024 * 1024, schema: { tags: ['payments'], summary: 'Create every order of a valid CSV as drafts of one batch (all or nothing)', body: BatchBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const b = request.body as Static<typeof BatchBody>;
    const r = await db.transaction().execute((tx) => createOrderBatch(tx, actorFrom(request), customerScope(request)!, { fileName: b.fileName, csv: b.csv }));
    return reply.status(201).send({ batchId: r.batchId, cnyTotal: r.cnyTotal, orders: r.orders.map(publicOrder) });
  });

  app.post('/payment-orders/batches/:id/fund', { schema: { tags: ['payments'], summary: 'Pay a whole batch with one quote for its total: from the wallet, or with one deposit', params: IdParam, body: FundBody } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const batch = await db.selectFrom('order_batches').select(['customer_id']).where('id', '=', id).executeTakeFirst();
    if (!batch) throw new AppError('not_found');
    assertCustomerAccess(request, batch.customer_id);
    const b = request.body as Static<typeof FundBody>;
    const r = await withLedgerRetry(db, (tx) => fundOrderBatch(tx, actorFrom(request), id, b));
    return { orders: r.orders.map(publicOrder), deposit: r.deposit ? publicDeposit(r.deposit, await getBankAccount(db, r.deposit.bank_account_id)) : null };
  });

  app.get('/payment-orders', { schema: { tags: ['payments'], summary: 'Own payment orders, newest first', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:read' });
    const q = request.query as Static<typeof ListQuery>;
    let query = db.selectFrom('payment_orders').selectAll().where('customer_id', '=', customerScope(request)!).orderBy('id', 'desc').limit(q.limit);
    if (q.status) query = query.where('status', '=', q.status as PaymentOrder['status']);
    if (q.before) query = query.where('id', '<', q.before);
    const rows = await query.execute();
    return { orders: rows.map(publicOrder), nextCursor: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
  });

  app.get('/payment-orders/:id', { schema: { tags: ['payments'], summary: 'A payment order: parts, status history, payouts', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:read' });
    const { id } = request.params as Static<typeof IdParam>;
    return orderDetail(ctx, await ownOrder(request, id), false);
  });

  app.post('/payment-orders/:id/fund', { schema: { tags: ['payments'], summary: 'Fund with an accepted quote: from the wallet now, or by bank transfer (a deposit with a unique code)', params: IdParam, body: FundBody } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof FundBody>;
    await ownOrder(request, id);
    const actor = actorFrom(request);
    if (b.method === 'wallet') {
      const order = await withLedgerRetry(db, (tx) => fundOrder(tx, actor, id, b.quoteId));
      return orderDetail(ctx, order, false);
    }
    const { order, deposit } = await withLedgerRetry(db, (tx) => requestOrderDeposit(tx, actor, id, b.quoteId));
    return { ...(await orderDetail(ctx, order, false)), deposit: publicDeposit(deposit, await getBankAccount(db, deposit.bank_account_id)) };
  });

  app.post('/payment-orders/:id/release', { schema: { tags: ['payments'], summary: 'Release the held payment (escrow) or the next installment to the supplier', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownOrder(request, id);
    const order = await db.transaction().execute((tx) => releaseInstallment(tx, actorFrom(request), id, 'released by the importer'));
    return orderDetail(ctx, order, false);
  });

  // The body is optional (a reason), so it is checked here rather than by the schema.
  app.post('/payment-orders/:id/cancel', { schema: { tags: ['payments'], summary: 'Cancel before any payout: everything held goes back to the wallet. Body (optional): {"reason": "…"}', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownOrder(request, id);
    const body = request.body ?? {};
    if (!cancelBodyValid(body)) throw new AppError('validation_failed', 'The body is optional: {"reason": "at most 500 characters"}.');
    const reason = body.reason ?? 'cancelled by the importer';
    const order = await withLedgerRetry(db, (tx) => cancelOrder(tx, actorFrom(request), id, reason));
    return orderDetail(ctx, order, false);
  });

  /** Importers their own orders; staff who handle payments any order. */
  async function readableOrder(request: FastifyRequest, id: string): Promise<PaymentOrder> {
    const principal = assertAuthorized(request, { roles: ['importer', 'ops', 'finance', 'compliance', 'admin'], apiKeyScope: 'payments:read' });
    if (principal.kind === 'api_key' || principal.user.role === 'importer') return ownOrder(request, id);
    return getOrder(db, id).catch(() => {
      throw new AppError('not_found');
    });
  }

  app.get('/payment-orders/:id/receipt', { schema: { tags: ['payments'], summary: 'The receipt (PDF, Indonesian or English): quote breakdown and payout references', params: IdParam, querystring: LangQuery } }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const { lang } = request.query as Static<typeof LangQuery>;
    await readableOrder(request, id);
    const pdf = await orderReceiptPdf(db, id, lang);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="receipt-${id}.pdf"`).send(pdf);
  });

  app.get('/payment-orders/:id/payouts/:payoutId/proof', { schema: { tags: ['payments'], summary: 'The payment proof for the supplier (PDF, Chinese and Indonesian, with a QR code to verify it)', params: ProofParams } }, async (request, reply) => {
    const { id, payoutId } = request.params as Static<typeof ProofParams>;
    await readableOrder(request, id);
    const facts = await proofFacts(db, payoutId);
    if (facts.orderId !== id) throw new AppError('not_found');
    const pdf = await supplierProofPdf(facts, `${ctx.config.publicBaseUrl}/verify/${facts.verificationCode}`);
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="payment-proof-${id}-${facts.seq}.pdf"`).send(pdf);
  });

  app.get('/public/verify/:code', { schema: { tags: ['public'], summary: 'Is this payment proof genuine? (what the QR code on a proof opens; nothing private)', params: CodeParam } }, async (request) => {
    const { code } = request.params as Static<typeof CodeParam>;
    const payout = await db.selectFrom('payouts').select(['id']).where('verification_code', '=', code).where('status', '=', 'paid').executeTakeFirst();
    if (!payout) throw new AppError('not_found', 'No payment proof with this code.');
    return publicVerification(await proofFacts(db, payout.id));
  });

  app.post('/payment-orders/:id/disputes', { schema: { tags: ['payments'], summary: 'Dispute a held (escrow) payment: the money stays held while staff decide', params: IdParam, body: DisputeBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownOrder(request, id);
    const b = request.body as Static<typeof DisputeBody>;
    await ownDocument(request, b.documentId);
    await db.transaction().execute((tx) => openDispute(tx, actorFrom(request), id, { reason: b.body, documentId: b.documentId }));
    return reply.status(201).send(await orderDetail(ctx, await getOrder(db, id), false));
  });

  app.post('/payment-orders/:id/disputes/:disputeId/messages', { schema: { tags: ['payments'], summary: 'Add a message (and evidence) to an open dispute', params: DisputeParams, body: DisputeBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id, disputeId } = request.params as Static<typeof DisputeParams>;
    await ownOrder(request, id);
    const dispute = await db.selectFrom('disputes').select(['order_id']).where('id', '=', disputeId).executeTakeFirst();
    if (!dispute || dispute.order_id !== id) throw new AppError('not_found');
    const b = request.body as Static<typeof DisputeBody>;
    await ownDocument(request, b.documentId);
    await db.transaction().execute((tx) => addDisputeMessage(tx, actorFrom(request), disputeId, 'importer', { body: b.body, documentId: b.documentId }));
    return reply.status(201).send(await orderDetail(ctx, await getOrder(db, id), false));
  });

  /** Evidence attached by an importer must be their own upload. */
  async function ownDocument(request: FastifyRequest, documentId: string | undefined): Promise<void> {
    if (!documentId) return;
    const doc = await db.selectFrom('documents').select(['owner_customer_id']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) throw new AppError('validation_failed', 'Unknown document.');
    assertCustomerAccess(request, doc.owner_customer_id);
  }

  app.post('/payment-orders/:id/complete', { schema: { tags: ['payments'], summary: 'Confirm the goods arrived as ordered: a paid order is completed', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'payments:write' });
    const { id } = request.params as Static<typeof IdParam>;
    await ownOrder(request, id);
    const order = await db.transaction().execute((tx) => completeOrder(tx, actorFrom(request), id));
    return orderDetail(ctx, order, false);
  });


}

/** GET /verify/:code — the human page behind a proof's QR code. */
export async function registerVerificationPage(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;
  app.get('/verify/:code', { schema: { hide: true } }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const payout = /^[A-Za-z0-9_-]{10,40}$/.test(code)
      ? await db.selectFrom('payouts').select(['id']).where('verification_code', '=', code).where('status', '=', 'paid').executeTakeFirst()
      : undefined;
    const html = verificationPage(payout ? publicVerification(await proofFacts(db, payout.id)) : null);
    return reply.status(payout ? 200 : 404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}
