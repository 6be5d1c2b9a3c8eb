import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, assertCustomerAccess, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { sendDocument } from '../documents/http.ts';
import { recordAudit } from '../audit/audit.ts';
import { getDocument } from '../documents/storage.ts';
import { MoneySchema } from '../ledger/routes.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { getBankAccount, listBankAccounts, publicBankAccount } from './bank-accounts.ts';
import { cancelDeposit, createDepositIntent, depositCredits, getDeposit, listDeposits, publicDeposit } from './deposits.ts';
import { recordGatewayPayment } from './gateway-payments.ts';
import { cancelWithdrawal, listWithdrawals, publicWithdrawal, requestWithdrawal } from './withdrawals.ts';

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const ListQuery = Type.Object(
  { status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), before: Type.Optional(Type.String({ maxLength: 64 })) },
  { additionalProperties: false },
);
const CreateDepositBody = Type.Object(
  {
    amount: MoneySchema,
    bankAccountId: Type.Optional(Type.String({ maxLength: 64 })),
    method: Type.Optional(Type.Union([Type.Literal('bank_transfer'), Type.Literal('virtual_account')], { default: 'bank_transfer' })),
    virtualAccountBank: Type.Optional(Type.String({ pattern: '^[A-Z_]{2,20}$', description: 'Gateway bank code, e.g. BCA, BNI, MANDIRI, BRI, PERMATA' })),
  },
  { additionalProperties: false },
);
const WithdrawalBody = Type.Object(
  {
    amount: MoneySchema,
    bankName: Type.String({ minLength: 2, maxLength: 60 }),
    accountNumber: Type.String({ minLength: 6, maxLength: 30 }),
    holderName: Type.String({ minLength: 2, maxLength: 100 }),
  },
  { additionalProperties: false },
);

const IMPORTER = { roles: ['importer'] as const };
/** Staff who handle money documents (proofs, invoices); warehouse staff see parcels, not these. */
const DOCUMENT_STAFF: readonly string[] = ['finance', 'ops', 'compliance', 'admin'];

export async function registerFundingRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/funding/bank-accounts', { schema: { tags: ['deposits'], summary: 'Company bank accounts that take deposits' } }, async (request) => {
    assertAuthorized(request, { apiKeyScope: 'wallet:read' });
    return { bankAccounts: (await listBankAccounts(db, { depositsOnly: true })).map(publicBankAccount) };
  });

  app.post('/deposits', { schema: { tags: ['deposits'], summary: 'Open a deposit: transfer the amount due (with its unique code) or pay the virtual account', body: CreateDepositBody } }, async (request, reply) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'deposits:write' });
    const body = request.body as Static<typeof CreateDepositBody>;
    const customerId = customerScope(request)!;
    if (body.method === 'virtual_account' && !ctx.gateway) throw new AppError('gateway_not_configured', 'Virtual accounts are not available; pay by bank transfer.');
    const intent = await createDepositIntent(db, actorFrom(request), {
      customerId,
      amount: Money.fromJson(body.amount),
      purpose: 'wallet_topup',
      ...(body.bankAccountId ? { bankAccountId: body.bankAccountId } : {}),
      ...(body.method === 'virtual_account' ? { virtualAccount: { gateway: ctx.gateway!, bankCode: body.virtualAccountBank ?? 'BCA' } } : {}),
    });
    return reply.status(201).send({ deposit: publicDeposit(intent, await getBankAccount(db, intent.bank_account_id)) });
  });

  app.get('/deposits', { schema: { tags: ['deposits'], summary: 'Own deposits, newest first', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'wallet:read' });
    const q = request.query as Static<typeof ListQuery>;
    return listDeposits(db, { customerId: customerScope(request)!, limit: q.limit, ...(q.status ? { status: q.status } : {}), ...(q.before ? { before: q.before } : {}) });
  });

  app.get('/deposits/:id', { schema: { tags: ['deposits'], summary: 'A deposit with the credits applied to it', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'wallet:read' });
    const { id } = request.params as Static<typeof IdParam>;
    const d = await getDeposit(db, id);
    assertCustomerAccess(request, d.customer_id);
    return { deposit: publicDeposit(d, await getBankAccount(db, d.bank_account_id)), credits: await depositCredits(db, id) };
  });

  app.post('/deposits/:id/cancel', { schema: { tags: ['deposits'], summary: 'Cancel an open deposit nothing was paid into yet', params: IdParam } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'deposits:write' });
    const { id } = request.params as Static<typeof IdParam>;
    const d = await getDeposit(db, id);
    assertCustomerAccess(request, d.customer_id);
    const row = await db.transaction().execute((tx) => cancelDeposit(tx, actorFrom(request), id));
    return { deposit: publicDeposit(row, await getBankAccount(db, row.bank_account_id)) };
  });

  app.post('/withdrawals', { schema: { tags: ['wallet'], summary: 'Ask for wallet money back to your own bank account (held until paid)', body: WithdrawalBody } }, async (request, reply) => {
    assertAuthorized(request, IMPORTER);
    const body = request.body as Static<typeof WithdrawalBody>;
    const customerId = customerScope(request)!;
    const w = await withLedgerRetry(db, (tx) =>
      requestWithdrawal(tx, actorFrom(request), { customerId, amount: Money.fromJson(body.amount), bankName: body.bankName, accountNumber: body.accountNumber, holderName: body.holderName }),
    );
    return reply.status(201).send({ withdrawal: publicWithdrawal(w) });
  });

  app.get('/withdrawals', { schema: { tags: ['wallet'], summary: 'Own withdrawals, newest first', querystring: ListQuery } }, async (request) => {
    assertAuthorized(request, { ...IMPORTER, apiKeyScope: 'wallet:read' });
    const q = request.query as Static<typeof ListQuery>;
    return listWithdrawals(db, { customerId: customerScope(request)!, limit: q.limit, ...(q.status ? { status: q.status as never } : {}), ...(q.before ? { before: q.before } : {}) });
  });

  app.post('/withdrawals/:id/cancel', { schema: { tags: ['wallet'], summary: 'Cancel a withdrawal finance has not approved yet', params: IdParam } }, async (request) => {
    assertAuthorized(request, IMPORTER);
    const { id } = request.params as Static<typeof IdParam>;
    const existing = await db.selectFrom('withdrawals').select('customer_id').where('id', '=', id).executeTakeFirst();
    if (!existing) throw new AppError('not_found');
    assertCustomerAccess(request, existing.customer_id);
    const w = await withLedgerRetry(db, (tx) => cancelWithdrawal(tx, actorFrom(request), id));
    return { withdrawal: publicWithdrawal(w) };
  });

  app.get('/documents/:id', { schema: { tags: ['documents'], summary: 'Download a document (its owner, or staff)', params: IdParam } }, async (request, reply) => {
    const principal = assertAuthorized(request, { apiKeyScope: 'wallet:read' });
    const { id } = request.params as Static<typeof IdParam>;
    const doc = await getDocument(db, id);
    if (principal.kind === 'api_key' || principal.user.role === 'importer') {
      if (!doc.owner_customer_id) throw new AppError('not_found');
      assertCustomerAccess(request, doc.owner_customer_id);
    } else if (!DOCUMENT_STAFF.includes(principal.user.role)) {
      throw new AppError('forbidden');
    }
    return sendDocument(reply, ctx.files, doc);
  });

  // ---- gateway callbacks: no session, authenticated by the gateway's token -----------

  app.post('/gateway/xendit/va-callback', { schema: { tags: ['gateway'], summary: 'Xendit fixed virtual account "paid" callback (x-callback-token)' } }, async (request) => {
    if (!ctx.gateway || ctx.gateway.name !== 'xendit') throw new AppError('gateway_not_configured');
    const notice = ctx.gateway.readCallback(request.headers, request.body);
    const actor = { type: 'system' as const, id: null, ip: request.ip, requestId: request.id };
    const result = await recordGatewayPayment(db, actor, ctx.gateway, notice).catch(async (err: unknown) => {
      // An authentic callback we refuse (stale, wrong account, changed amount) may still be
      // real money: leave a trace finance can find, then answer the error.
      if (err instanceof AppError) {
        await recordAudit(db, actor, {
          action: 'funding.gateway_callback_refused',
          objectType: 'deposit',
          objectId: notice.externalId,
          data: { gateway: ctx.gateway!.name, code: err.code, detail: err.message, paymentId: notice.paymentId, amount: notice.amount.toString(), paidAt: notice.paidAt.toISOString() },
        });
        request.log.warn({ paymentId: notice.paymentId, code: err.code }, 'gateway callback refused');
      }
      throw err;
    });
    request.log.info({ paymentId: result.paymentId, depositId: result.depositId, replayed: result.replayed }, 'gateway payment');
    return { received: true, ...result };
  });
}
