import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { actorFrom, assertAuthorized, authorize, customerScope } from '../app/auth.ts';
import type { AppContext } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { CURRENCY_CODES, type CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';
import { createCompanyAccount, findAccountByCode, getAccount, listAccounts, publicAccount, walletCode } from './accounts.ts';
import { createEntry, getEntry, publicEntry, reverseEntry, withLedgerRetry } from './entries.ts';
import { accountStatement, activeHolds } from './statement.ts';
import { verifyLedger } from './verify.ts';

const Currency = Type.Union(CURRENCY_CODES.map((c) => Type.Literal(c)));
/** Amounts in JSON: a string of minor units plus the currency (see docs/money.md). */
export const MoneySchema = Type.Object(
  { amount: Type.String({ pattern: '^[0-9]{1,18}$', description: 'Minor units (e.g. sen, fen) as a string, at most 18 digits' }), currency: Currency },
  { additionalProperties: false },
);
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const StatementQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })) },
  { additionalProperties: false },
);
const WalletStatementQuery = Type.Object(
  { currency: Type.Optional(Currency), limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })) },
  { additionalProperties: false },
);
const AccountsQuery = Type.Object(
  { owner: Type.Optional(Type.Union([Type.Literal('company'), Type.Literal('customer')])), customerId: Type.Optional(Type.String({ maxLength: 64 })), code: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);
const CreateCompanyAccountBody = Type.Object(
  {
    type: Type.Union([Type.Literal('bank'), Type.Literal('float')], { description: 'bank = Indonesian bank account (IDR); float = China-side balance (CNY/CNH)' }),
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$', description: 'e.g. bca-operasional, alipay-01' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    currency: Currency,
  },
  { additionalProperties: false },
);
const ManualEntryBody = Type.Object(
  {
    reason: Type.String({ pattern: '^[a-z][a-z0-9_.:-]{1,63}$' }),
    description: Type.String({ minLength: 5, maxLength: 500, description: 'Why this adjustment is made (shown in statements and the audit log)' }),
    postings: Type.Array(
      Type.Object({ debitAccountId: Type.String({ maxLength: 64 }), creditAccountId: Type.String({ maxLength: 64 }), amount: MoneySchema }, { additionalProperties: false }),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
const ReverseBody = Type.Object({ reason: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_.:-]{1,63}$' })), description: Type.String({ minLength: 5, maxLength: 500 }) }, { additionalProperties: false });

const LEDGER_READERS = ['finance', 'admin', 'compliance', 'ops'] as const;

/** The caller's Idempotency-Key becomes the entry key, so HTTP retries and ledger replays agree. */
function entryKey(headers: Record<string, unknown>, fallback: string): string {
  const k = headers['idempotency-key'];
  return typeof k === 'string' && k ? `http:${k}` : fallback;
}

export async function registerLedgerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.database.db;

  app.get('/staff/ledger/accounts', { schema: { tags: ['ledger'], summary: 'Ledger accounts with balances', querystring: AccountsQuery }, onRequest: authorize({ roles: LEDGER_READERS }) }, async (request) => {
    const q = request.query as Static<typeof AccountsQuery>;
    const rows = await listAccounts(db, {
      ...(q.owner === 'company' ? { ownerType: null } : q.owner === 'customer' ? { ownerType: 'customer' } : {}),
      ...(q.customerId ? { ownerId: q.customerId } : {}),
      ...(q.code ? { codePrefix: q.code } : {}),
    });
    return { accounts: rows.map(publicAccount) };
  });

  app.post('/staff/ledger/accounts', { schema: { tags: ['ledger'], summary: 'Add a company bank account (IDR) or China float account (CNY) (admin)', body: CreateCompanyAccountBody }, onRequest: authorize({ roles: ['admin'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof CreateCompanyAccountBody>;
    if (body.type === 'bank' && body.currency !== 'IDR') throw new AppError('validation_failed', 'Company bank accounts hold rupiah (IDR).');
    if (body.type === 'float' && body.currency !== 'CNY' && body.currency !== 'CNH') throw new AppError('validation_failed', 'Float accounts hold yuan (CNY or CNH).');
    const account = await db.transaction().execute((tx) => createCompanyAccount(tx, actorFrom(request), { type: body.type, slug: body.slug, name: body.name, currency: body.currency as CurrencyCode }));
    return reply.status(201).send({ account: publicAccount(account) });
  });

  app.get('/staff/ledger/accounts/:id', { schema: { tags: ['ledger'], summary: 'One account: balances and active holds', params: IdParam }, onRequest: authorize({ roles: LEDGER_READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const account = await getAccount(db, id);
    return { account: publicAccount(account), holds: await activeHolds(db, account) };
  });

  app.get('/staff/ledger/accounts/:id/statement', { schema: { tags: ['ledger'], summary: 'Account statement, newest first, with running balance', params: IdParam, querystring: StatementQuery }, onRequest: authorize({ roles: LEDGER_READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const q = request.query as Static<typeof StatementQuery>;
    const account = await getAccount(db, id);
    return accountStatement(db, account, { limit: q.limit, ...(q.before ? { before: BigInt(q.before) } : {}) });
  });

  app.get('/staff/ledger/entries/:id', { schema: { tags: ['ledger'], summary: 'A journal entry with its postings', params: IdParam }, onRequest: authorize({ roles: LEDGER_READERS }) }, async (request) => {
    const { id } = request.params as Static<typeof IdParam>;
    const { entry, postings } = await getEntry(db, id);
    const resolvedBy = await db.selectFrom('journal_entries').select(['id', 'kind']).where((eb) => eb.or([eb('pending_id', '=', id), eb('reverses_id', '=', id)])).execute();
    return { entry: publicEntry(entry, postings), resolvedBy };
  });

  app.post('/staff/ledger/entries', { schema: { tags: ['ledger'], summary: 'Manual balanced entry (finance): e.g. funding a float from capital', body: ManualEntryBody }, onRequest: authorize({ roles: ['finance'] }) }, async (request, reply) => {
    const body = request.body as Static<typeof ManualEntryBody>;
    const actor = actorFrom(request);
    const result = await withLedgerRetry(db, async (tx) => {
      const r = await createEntry(tx, actor, {
        idempotencyKey: entryKey(request.headers, `manual:${request.id}`),
        reason: body.reason,
        description: body.description,
        postings: body.postings.map((p) => ({ debitAccountId: p.debitAccountId, creditAccountId: p.creditAccountId, amount: Money.fromJson(p.amount) })),
      });
      if (!r.replayed) await recordAudit(tx, actor, { action: 'ledger.manual_entry', objectType: 'journal_entry', objectId: r.entry.id, data: { reason: body.reason, description: body.description } });
      return r;
    });
    return reply.status(result.replayed ? 200 : 201).send({ entry: publicEntry(result.entry, result.postings), replayed: result.replayed });
  });

  app.post('/staff/ledger/entries/:id/reverse', { schema: { tags: ['ledger'], summary: 'Reverse a posted entry (finance); once per entry', params: IdParam, body: ReverseBody }, onRequest: authorize({ roles: ['finance'] }) }, async (request, reply) => {
    const { id } = request.params as Static<typeof IdParam>;
    const body = request.body as Static<typeof ReverseBody>;
    const actor = actorFrom(request);
    const result = await withLedgerRetry(db, async (tx) => {
      const r = await reverseEntry(tx, actor, { idempotencyKey: entryKey(request.headers, `reverse:${id}`), entryId: id, reason: body.reason ?? 'manual_reversal', description: body.description });
      if (!r.replayed) await recordAudit(tx, actor, { action: 'ledger.entry_reversed', objectType: 'journal_entry', objectId: id, data: { reversal: r.entry.id, description: body.description } });
      return r;
    });
    return reply.status(result.replayed ? 200 : 201).send({ entry: publicEntry(result.entry, result.postings), replayed: result.replayed });
  });

  app.get('/staff/ledger/verify', { schema: { tags: ['ledger'], summary: 'Recompute every balance from postings and check the invariants' }, onRequest: authorize({ roles: ['finance', 'admin'] }) }, async () => verifyLedger(db));

  // ---- importer side: own wallet -------------------------------------------------------

  app.get('/wallet', { schema: { tags: ['wallet'], summary: 'Own wallet balances (posted, held, available) per currency', security: [{ session: [] }, { apiKey: [] }] } }, async (request) => {
    assertAuthorized(request, { roles: ['importer'], apiKeyScope: 'wallet:read' });
    const customerId = customerScope(request)!;
    const accounts = await listAccounts(db, { ownerType: 'customer', ownerId: customerId });
    const wallets = await Promise.all(
      accounts.map(async (a) => {
        const pub = publicAccount(a);
        return { accountId: a.id, currency: a.currency, balance: pub.balance, holds: await activeHolds(db, a) };
      }),
    );
    return { wallets };
  });

  app.get('/wallet/statement', { schema: { tags: ['wallet'], summary: 'Own wallet statement with running balance', querystring: WalletStatementQuery, security: [{ session: [] }, { apiKey: [] }] } }, async (request) => {
    assertAuthorized(request, { roles: ['importer'], apiKeyScope: 'wallet:read' });
    const q = request.query as Static<typeof WalletStatementQuery>;
    const customerId = customerScope(request)!;
    const account = await findAccountByCode(db, walletCode(customerId), (q.currency ?? 'IDR') as CurrencyCode);
    if (!account) return { lines: [], nextCursor: null };
    return accountStatement(db, account, { limit: q.limit, ...(q.before ? { before: BigInt(q.before) } : {}) });
  });
}
