import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, authorize } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { decodeBase64File, publicDocument, storeDocument } from '../documents/storage.ts';
import { withLedgerRetry } from '../ledger/entries.ts';
import { configureBankAccount, listBankAccounts, staffBankAccount } from './bank-accounts.ts';
import { depositCredits, getDeposit, listDeposits, publicDeposit } from './deposits.ts';
import { getBankAccount } from './bank-accounts.ts';
import { IdParam, ListQuery } from './routes.ts';
import { loadFundingSettings, publicFundingSettings, updateFundingSettings } from './settings.ts';
import { getStatementImport, importBankStatement, listStatementImports, previewStatement } from './statement-import.ts';
import { STATEMENT_FORMATS } from './statement-parse.ts';
import { approveSuspenseDecision, decideSuspenseLine, listDecisions, publicDecision, rejectSuspenseDecision, reviewQueue } from './suspense.ts';
import { approveWithdrawal, listWithdrawals, markWithdrawalPaid, publicWithdrawal, rejectWithdrawal } from './withdrawals.ts';

const FINANCE = ['finance'] as const;
const READERS = ['finance', 'admin', 'ops', 'compliance'] as const;
/** Statement files arrive as text inside JSON: allow a large export (100,000 lines). */
const STATEMENT_BODY_LIMIT = 30 * 1024 * 1024;

const BankDetailsBody = Type.Object(
  {
    bankCode: Type.String({ pattern: '^[A-Za-z_]{2,20}$' }),
    accountNumber: Type.String({ minLength: 6, maxLength: 30 }),
    holderName: Type.String({ minLength: 2, maxLength: 120 }),
    statementFormat: Type.String({ maxLength: 40 }),
    acceptsDeposits: Type.Boolean(),
  },
  { additionalProperties: false },
);
const StatementBody = Type.Object(
  {
    bankAccountId: Type.String({ maxLength: 64 }),
    format: Type.Optional(Type.String({ maxLength: 40 })),
    fileName: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    content: Type.String({ minLength: 1, maxLength: STATEMENT_BODY_LIMIT }),
    skipBadLines: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const StatementsQuery = Type.Object({ bankAccountId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false });
const DecisionBody = Type.Union([
  Type.Object(
    { action: Type.Literal('assign'), customerId: Type.String({ maxLength: 64 }), depositId: Type.Optional(Type.String({ maxLength: 64 })), note: Type.String({ minLength: 5, maxLength: 500 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { action: Type.Literal('return'), returnReference: Type.String({ minLength: 3, maxLength: 100 }), note: Type.String({ minLength: 5, maxLength: 500 }) },
    { additionalProperties: false },
  ),
]);
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });
const PaidBody = Type.Object(
  {
    bankAccountId: Type.String({ maxLength: 64 }),
    reference: Type.String({ minLength: 3, maxLength: 100, description: "The bank's transfer reference" }),
    proof: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }), contentBase64: Type.String({ minLength: 4, maxLength: 8 * 1024 * 1024 }) }, { additionalProperties: false, description: 'The transfer proof (PNG, JPEG, WebP or PDF), required' }),
  },
  { additionalProperties: false },
);
const SettingsBody = Type.Object(
  {
    depositExpiryHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 14 })),
    lateMatchDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90 })),
    assignmentApprovalThreshold: Type.Optional(Type.Object({ amount: Type.String({ pattern: '^[0-9]{1,18}$' }), currency: Type.Literal('IDR') }, { additionalProperties: false })),
    gatewayCallbackMaxAgeHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
const DepositsQuery = Type.Object(
  {
    customerId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    before: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export async function registerFundingStaffRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/staff/funding/bank-accounts', { schema: { tags: ['funding'], summary: 'Company bank accounts: details, statement format, ledger balance, last import' }, onRequest: authorize({ roles: READERS }) }, async () => {
    const rows = await listBankAccounts(db);
    return { bankAccounts: await Promise.all(rows.map((r) => staffBankAccount(db, r))) };
  });

  app.put('/staff/funding/bank-accounts/:id', { schema: { tags: ['funding'], summary: 'Set the bank details of a company bank account (admin)', params: IdParam, body: BankDetailsBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const b = request.body as Static<typeof BankDetailsBody>;
    const row = await db.transaction().execute((tx) => configureBankAccount(tx, actorFrom(request), id, b));
    const [full] = (await listBankAccounts(db)).filter((x) => x.ledger_account_id === row.ledger_account_id);
    return { bankAccount: await staffBankAccount(db, full!) };
  });

  app.get('/staff/funding/formats', { schema: { tags: ['funding'], summary: 'Statement formats shipped as data' }, onRequest: authorize({ roles: READERS }) }, async () => ({
    formats: STATEMENT_FORMATS.map((f) => ({ id: f.id, bank: f.bank, label: f.label, kind: f.kind })),
  }));

  app.get('/staff/funding/settings', { schema: { tags: ['funding'], summary: 'Deposit expiry, late matching, approval threshold' }, onRequest: authorize({ roles: READERS }) }, async () => ({
    settings: publicFundingSettings(await loadFundingSettings(db)),
  }));

  app.patch('/staff/funding/settings', { schema: { tags: ['funding'], summary: 'Change funding settings (admin)', body: SettingsBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request) => {
    const b = request.body as Static<typeof SettingsBody>;
    const s = await db.transaction().execute((tx) =>
      updateFundingSettings(tx, actorFrom(request), {
        ...(b.depositExpiryHours !== undefined ? { depositExpiryHours: b.depositExpiryHours } : {}),
        ...(b.lateMatchDays !== undefined ? { lateMatchDays: b.lateMatchDays } : {}),
        ...(b.assignmentApprovalThreshold ? { assignmentApprovalThreshold: BigInt(b.assignmentApprovalThreshold.amount) } : {}),
        ...(b.gatewayCallbackMaxAgeHours !== undefined ? { gatewayCallbackMaxAgeHours: b.gatewayCallbackMaxAgeHours } : {}),
      }),
    );
    return { settings: publicFundingSettings(s) };
  });

  app.post('/staff/funding/statements/preview', { bodyLimit: STATEMENT_BODY_LIMIT, schema: { tags: ['funding'], summary: 'Parse and match a statement file without importing it', body: StatementBody }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    return previewStatement(db, request.body as Static<typeof StatementBody>);
  });

  app.post('/staff/funding/statements', { bodyLimit: STATEMENT_BODY_LIMIT, schema: { tags: ['funding'], summary: 'Import a bank statement: store new lines once, credit matches, suspense the rest', body: StatementBody }, onRequest: authorize({ roles: FINANCE }) }, async (request, reply) => {
    const result = await importBankStatement(db, actorFrom(request), request.body as Static<typeof StatementBody>);
    return reply.status(201).send(result);
  });

  app.get('/staff/funding/statements', { schema: { tags: ['funding'], summary: 'Statement imports, newest first', querystring: StatementsQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof StatementsQuery>;
    return { imports: await listStatementImports(db, q.bankAccountId, q.limit) };
  });

  app.get('/staff/funding/statements/:id', { schema: { tags: ['funding'], summary: 'One import with its lines and how each was matched', params: IdParam }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return getStatementImport(db, id);
  });

  app.get('/staff/funding/review', { schema: { tags: ['funding'], summary: 'Unmatched and ambiguous credits waiting in suspense', querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }, { additionalProperties: false }) }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    return reviewQueue(db, { limit: (request.query as { limit: number }).limit });
  });

  app.post('/staff/funding/lines/:id/decision', { schema: { tags: ['funding'], summary: 'Assign a suspense credit to a customer, or return it (second approval above the threshold)', params: IdParam, body: DecisionBody }, onRequest: authorize({ roles: FINANCE }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const body = request.body as Static<typeof DecisionBody>;
    const d = await withLedgerRetry(db, (tx) => decideSuspenseLine(tx, actorFrom(request), id, body));
    return reply.status(d.status === 'done' ? 200 : 202).send({ decision: publicDecision(d) });
  });

  app.get('/staff/funding/decisions', { schema: { tags: ['funding'], summary: 'Suspense decisions (e.g. those waiting for approval)', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    if (q.status && !['pending_approval', 'done', 'rejected'].includes(q.status)) throw new AppError('validation_failed', 'status is pending_approval, done or rejected.');
    return { decisions: await listDecisions(db, q.status as never, q.limit) };
  });

  app.post('/staff/funding/decisions/:id/approve', { schema: { tags: ['funding'], summary: 'Approve a suspense decision (a different finance user)', params: IdParam }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return { decision: publicDecision(await withLedgerRetry(db, (tx) => approveSuspenseDecision(tx, actorFrom(request), id))) };
  });

  app.post('/staff/funding/decisions/:id/reject', { schema: { tags: ['funding'], summary: 'Reject a suspense decision: the line goes back to review', params: IdParam, body: ReasonBody }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const { reason } = request.body as Static<typeof ReasonBody>;
    return { decision: publicDecision(await db.transaction().execute((tx) => rejectSuspenseDecision(tx, actorFrom(request), id, reason))) };
  });

  app.get('/staff/funding/deposits', { schema: { tags: ['funding'], summary: 'Deposit intents of all customers', querystring: DepositsQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof DepositsQuery>;
    return listDeposits(db, { limit: q.limit, ...(q.customerId ? { customerId: q.customerId } : {}), ...(q.status ? { status: q.status } : {}), ...(q.before ? { before: q.before } : {}) });
  });

  app.get('/staff/funding/deposits/:id', { schema: { tags: ['funding'], summary: 'A deposit with its credits', params: IdParam }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const d = await getDeposit(db, id);
    return { deposit: publicDeposit(d, await getBankAccount(db, d.bank_account_id)), credits: await depositCredits(db, id) };
  });

  app.get('/staff/funding/withdrawals', { schema: { tags: ['funding'], summary: 'Withdrawal requests', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    return listWithdrawals(db, { limit: q.limit, ...(q.status ? { status: q.status as never } : {}), ...(q.before ? { before: q.before } : {}) });
  });

  app.post('/staff/funding/withdrawals/:id/approve', { schema: { tags: ['funding'], summary: 'Approve a withdrawal', params: IdParam }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    return { withdrawal: publicWithdrawal(await db.transaction().execute((tx) => approveWithdrawal(tx, actorFrom(request), id))) };
  });

  app.post('/staff/funding/withdrawals/:id/reject', { schema: { tags: ['funding'], summary: 'Reject a withdrawal: the held money is released to the wallet', params: IdParam, body: ReasonBody }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const { reason } = request.body as Static<typeof ReasonBody>;
    return { withdrawal: publicWithdrawal(await withLedgerRetry(db, (tx) => rejectWithdrawal(tx, actorFrom(request), id, reason))) };
  });

  app.post('/staff/funding/withdrawals/:id/paid', { bodyLimit: 12 * 1024 * 1024, schema: { tags: ['funding'], summary: 'Record that the withdrawal was transferred (bank reference and proof)', params: IdParam, body: PaidBody }, onRequest: authorize({ roles: FINANCE }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const body = request.body as Static<typeof PaidBody>;
    const actor = actorFrom(request);
    const w = await withLedgerRetry(db, async (tx) => {
      const existing = await tx.selectFrom('withdrawals').select(['customer_id', 'status']).where('id', '=', id).executeTakeFirst();
      if (!existing) throw new AppError('not_found');
      if (existing.status !== 'approved') throw new AppError('invalid_state', `The withdrawal is ${existing.status}.`);
      const proof = await storeDocument(tx, ctx.files, actor, { kind: 'withdrawal_proof', ownerCustomerId: existing.customer_id, fileName: body.proof.fileName, bytes: decodeBase64File(body.proof.contentBase64) });
      return markWithdrawalPaid(tx, actor, id, { bankAccountId: body.bankAccountId, reference: body.reference, proofDocumentId: proof.id });
    });
    const proof = w.proof_document_id ? publicDocument(await db.selectFrom('documents').selectAll().where('id', '=', w.proof_document_id).executeTakeFirstOrThrow()) : null;
    return { withdrawal: publicWithdrawal(w), proof };
  });

  app.get('/staff/funding/gateway-payments', { schema: { tags: ['funding'], summary: 'Payments reported by gateway callbacks', querystring: ListQuery }, onRequest: authorize({ roles: READERS }) }, async (request) => {
    const q = request.query as Static<typeof ListQuery>;
    const rows = await db.selectFrom('gateway_payments').selectAll().orderBy('created_at', 'desc').limit(q.limit).execute();
    return {
      payments: rows.map((p) => ({ id: p.id, gateway: p.gateway, paymentId: p.payment_id, externalId: p.external_id, depositId: p.deposit_id, amount: { amount: p.amount.toString(), currency: 'IDR' }, paidAt: p.paid_at.toISOString(), status: p.status, entryId: p.entry_id })),
    };
  });
}
