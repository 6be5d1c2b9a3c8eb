import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { AccountKind, DB, LedgerAccountsTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { CurrencyCode } from '../money/currency.ts';
import { Money } from '../money/money.ts';

export type LedgerAccount = Selectable<LedgerAccountsTable>;

/** The system accounts every installation has (created by migration 0002). */
export const SYSTEM_ACCOUNTS = {
  fxPositionIdr: 'acc_sys_fx_position_idr',
  fxPositionCny: 'acc_sys_fx_position_cny',
  revenueFee: 'acc_sys_revenue_fee_idr',
  revenueSpread: 'acc_sys_revenue_spread_idr',
  suspense: 'acc_sys_suspense_idr',
  payableSupplier: 'acc_sys_payable_supplier_cny',
  capitalIdr: 'acc_sys_equity_capital_idr',
  capitalCny: 'acc_sys_equity_capital_cny',
  /** Created by migration 0004: wallet money on its way out to a customer's own bank account. */
  withdrawalsPayable: 'acc_sys_withdrawals_payable_idr',
  /** Created by migration 0005: rupiah of paid-out orders, until the conversion books fee, spread and cost. */
  ordersPayable: 'acc_sys_orders_payable_idr',
  /** Created by migration 0006 (forwarding): cargo estimates held, and what cargo and storage earn. */
  cargoPayable: 'acc_sys_payable_cargo_idr',
  revenueCargo: 'acc_sys_revenue_cargo_idr',
  revenueStorage: 'acc_sys_revenue_storage_idr',
  cargoInsurancePayable: 'acc_sys_payable_insurance_idr',
  cargoClaimsExpense: 'acc_sys_expense_cargo_claims_idr',
} as const;

/** Which side an account's balance normally sits on, for showing it as a positive number. */
export function normalSide(kind: AccountKind): 'debit' | 'credit' {
  return kind === 'asset' || kind === 'expense' || kind === 'position' ? 'debit' : 'credit';
}

export interface AccountBalance {
  accountId: string;
  currency: CurrencyCode;
  /** Posted balance on the account's normal side. */
  posted: Money;
  /** Amount reserved by holds (pending entries) that would reduce the balance. */
  pendingOut: Money;
  /** Amount of holds that would increase the balance once posted. */
  pendingIn: Money;
  /** What can still be spent: posted minus holds against it. */
  available: Money;
}

/** O(1): read from the account row, never from history. */
export function balanceOf(account: LedgerAccount): AccountBalance {
  const cur = account.currency as CurrencyCode;
  const credit = normalSide(account.kind) === 'credit';
  const posted = credit ? account.credits_posted - account.debits_posted : account.debits_posted - account.credits_posted;
  const pendingOut = credit ? account.debits_pending : account.credits_pending;
  const pendingIn = credit ? account.credits_pending : account.debits_pending;
  return {
    accountId: account.id,
    currency: cur,
    posted: Money.of(posted, cur),
    pendingOut: Money.of(pendingOut, cur),
    pendingIn: Money.of(pendingIn, cur),
    available: Money.of(posted - pendingOut, cur),
  };
}

export function publicAccount(account: LedgerAccount) {
  const b = balanceOf(account);
  return {
    id: account.id,
    code: account.code,
    name: account.name,
    kind: account.kind,
    currency: account.currency,
    ownerType: account.owner_type,
    ownerId: account.owner_id,
    flags: {
      debitsMustNotExceedCredits: account.debits_must_not_exceed_credits,
      creditsMustNotExceedDebits: account.credits_must_not_exceed_debits,
    },
    status: account.status,
    balance: { posted: b.posted, pendingOut: b.pendingOut, pendingIn: b.pendingIn, available: b.available },
    totals: {
      debitsPosted: account.debits_posted.toString(),
      creditsPosted: account.credits_posted.toString(),
      debitsPending: account.debits_pending.toString(),
      creditsPending: account.credits_pending.toString(),
    },
  };
}

export async function getAccount(db: Kysely<DB>, id: string): Promise<LedgerAccount> {
  const account = await db.selectFrom('ledger_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!account) throw new AppError('account_not_found', `No ledger account ${id}.`);
  return account;
}

export async function findAccountByCode(db: Kysely<DB>, code: string, currency: CurrencyCode): Promise<LedgerAccount | undefined> {
  return db.selectFrom('ledger_accounts').selectAll().where('code', '=', code).where('currency', '=', currency).executeTakeFirst();
}

export interface CreateAccountInput {
  code: string;
  name: string;
  kind: AccountKind;
  currency: CurrencyCode;
  owner?: { type: string; id: string };
  debitsMustNotExceedCredits?: boolean;
  creditsMustNotExceedDebits?: boolean;
}

export async function createAccount(db: Kysely<DB>, actor: Actor, input: CreateAccountInput): Promise<LedgerAccount> {
  const account = await db
    .insertInto('ledger_accounts')
    .values({
      id: newId('ledgerAccount'),
      code: input.code,
      name: input.name,
      kind: input.kind,
      currency: input.currency,
      owner_type: input.owner?.type ?? null,
      owner_id: input.owner?.id ?? null,
      debits_must_not_exceed_credits: input.debitsMustNotExceedCredits ?? false,
      credits_must_not_exceed_debits: input.creditsMustNotExceedDebits ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `Account ${input.code} (${input.currency}) already exists.`);
      throw err;
    });
  await recordAudit(db, actor, { action: 'ledger.account_created', objectType: 'ledger_account', objectId: account.id, data: { code: account.code, currency: account.currency, kind: account.kind } });
  return account;
}

/** Company-side accounts that admins configure: Indonesian bank accounts (IDR) and China float accounts (CNY). */
export async function createCompanyAccount(
  db: Kysely<DB>,
  actor: Actor,
  input: { type: 'bank' | 'float'; slug: string; name: string; currency: CurrencyCode },
): Promise<LedgerAccount> {
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(input.slug)) throw new AppError('validation_failed', 'The account slug is 2–41 lower-case letters, digits or dashes.');
  return createAccount(db, actor, {
    code: `${input.type}:${input.slug}`,
    name: input.name,
    kind: 'asset',
    currency: input.currency,
    // The company cannot pay out more than an account holds.
    creditsMustNotExceedDebits: true,
  });
}

export function walletCode(customerId: string): string {
  return `customer:${customerId}:wallet`;
}

/** A customer's wallet in a currency, created on first use (a liability that may not go negative). */
export async function ensureCustomerWallet(db: Kysely<DB>, customerId: string, currency: CurrencyCode): Promise<LedgerAccount> {
  const code = walletCode(customerId);
  const existing = await findAccountByCode(db, code, currency);
  if (existing) return existing;
  await db
    .insertInto('ledger_accounts')
    .values({
      id: newId('ledgerAccount'),
      code,
      name: `Wallet ${currency}`,
      kind: 'liability',
      currency,
      owner_type: 'customer',
      owner_id: customerId,
      debits_must_not_exceed_credits: true,
    })
    .onConflict((oc) => oc.columns(['code', 'currency']).doNothing())
    .execute();
  return (await findAccountByCode(db, code, currency))!;
}

/** A company account identified by its code, created on first use (e.g. a gateway's clearing balance). */
export async function ensureCompanyAccount(db: Kysely<DB>, code: string, name: string, kind: AccountKind, currency: CurrencyCode): Promise<LedgerAccount> {
  const existing = await findAccountByCode(db, code, currency);
  if (existing) return existing;
  await db
    .insertInto('ledger_accounts')
    .values({ id: newId('ledgerAccount'), code, name, kind, currency, credits_must_not_exceed_debits: kind === 'asset' })
    .onConflict((oc) => oc.columns(['code', 'currency']).doNothing())
    .execute();
  return (await findAccountByCode(db, code, currency))!;
}

/** The wallets of many customers at once (created where missing): customer id → account id. */
export async function ensureCustomerWallets(db: Kysely<DB>, customerIds: string[], currency: CurrencyCode): Promise<Map<string, string>> {
  const wanted = [...new Set(customerIds)];
  const found = new Map<string, string>();
  if (wanted.length === 0) return found;
  const codes = wanted.map(walletCode);
  const read = async () => {
    const rows = await db.selectFrom('ledger_accounts').select(['id', 'owner_id']).where('currency', '=', currency).where(sql<boolean>`code in (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`).execute();
    for (const r of rows) found.set(r.owner_id!, r.id);
  };
  await read();
  const missing = wanted.filter((c) => !found.has(c));
  if (missing.length > 0) {
    for (let start = 0; start < missing.length; start += 2000) {
      await db
        .insertInto('ledger_accounts')
        .values(
          missing.slice(start, start + 2000).map((customerId) => ({
            id: newId('ledgerAccount'),
            code: walletCode(customerId),
            name: `Wallet ${currency}`,
            kind: 'liability' as const,
            currency,
            owner_type: 'customer',
            owner_id: customerId,
            debits_must_not_exceed_credits: true,
          })),
        )
        .onConflict((oc) => oc.columns(['code', 'currency']).doNothing())
        .execute();
    }
    await read();
  }
  return found;
}

export async function listAccounts(db: Kysely<DB>, filter: { ownerType?: string | null; ownerId?: string; codePrefix?: string } = {}): Promise<LedgerAccount[]> {
  let q = db.selectFrom('ledger_accounts').selectAll().orderBy('code').orderBy('currency');
  if (filter.ownerType === null) q = q.where('owner_type', 'is', null);
  else if (filter.ownerType) q = q.where('owner_type', '=', filter.ownerType);
  if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
  if (filter.codePrefix) q = q.where('code', 'like', `${filter.codePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return q.execute();
}

export { sql };
