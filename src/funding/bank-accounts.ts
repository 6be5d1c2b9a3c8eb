import type { Kysely, Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { CompanyBankAccountsTable, DB } from '../db/schema.ts';
import { balanceOf, getAccount } from '../ledger/accounts.ts';
import { Money } from '../money/money.ts';
import { findStatementFormat, STATEMENT_FORMATS } from './statement-parse.ts';

export type CompanyBankAccount = Selectable<CompanyBankAccountsTable>;

export interface BankAccountDetails {
  bankCode: string;
  accountNumber: string;
  holderName: string;
  statementFormat: string;
  acceptsDeposits: boolean;
}

/** Sets the bank details of a company bank account (ledger account `bank:<slug>`, IDR). */
export async function configureBankAccount(db: Kysely<DB>, actor: Actor, ledgerAccountId: string, details: BankAccountDetails): Promise<CompanyBankAccount> {
  const account = await getAccount(db, ledgerAccountId);
  if (!account.code.startsWith('bank:') || account.currency !== 'IDR') throw new AppError('validation_failed', 'Only company bank accounts (bank:…, IDR) take bank details.');
  if (!findStatementFormat(details.statementFormat)) {
    throw new AppError('validation_failed', `Unknown statement format ${details.statementFormat}; one of ${STATEMENT_FORMATS.map((f) => f.id).join(', ')}.`);
  }
  const accountNumber = details.accountNumber.replace(/[\s.-]/g, '');
  if (!/^[0-9]{6,20}$/.test(accountNumber)) throw new AppError('validation_failed', 'The account number is 6–20 digits.');
  const values = {
    bank_code: details.bankCode.trim().toUpperCase(),
    account_number: accountNumber,
    holder_name: details.holderName.trim(),
    statement_format: details.statementFormat,
    accepts_deposits: details.acceptsDeposits,
    updated_by: actor.id,
  };
  const row = await db
    .insertInto('company_bank_accounts')
    .values({ ledger_account_id: ledgerAccountId, ...values })
    .onConflict((oc) => oc.column('ledger_account_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'funding.bank_account_configured', objectType: 'ledger_account', objectId: ledgerAccountId, data: { ...values } });
  return row;
}

export async function getBankAccount(db: Kysely<DB>, ledgerAccountId: string): Promise<CompanyBankAccount> {
  const row = await db.selectFrom('company_bank_accounts').selectAll().where('ledger_account_id', '=', ledgerAccountId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `No company bank account ${ledgerAccountId} with bank details.`);
  return row;
}

export async function listBankAccounts(db: Kysely<DB>, options: { depositsOnly?: boolean } = {}) {
  let q = db
    .selectFrom('company_bank_accounts as b')
    .innerJoin('ledger_accounts as a', 'a.id', 'b.ledger_account_id')
    .selectAll('b')
    .select(['a.name', 'a.code', 'a.status'])
    .orderBy('b.bank_code')
    .orderBy('b.ledger_account_id');
  if (options.depositsOnly) q = q.where('b.accepts_deposits', '=', true).where('a.status', '=', 'active');
  return q.execute();
}

/** What an importer sees: where to transfer to. */
export function publicBankAccount(b: CompanyBankAccount) {
  return { id: b.ledger_account_id, bankCode: b.bank_code, accountNumber: b.account_number, holderName: b.holder_name };
}

export async function staffBankAccount(db: Kysely<DB>, b: CompanyBankAccount & { name: string; code: string }) {
  const account = await getAccount(db, b.ledger_account_id);
  const last = await db
    .selectFrom('bank_statement_imports')
    .select(['id', 'created_at', 'period_to', 'statement_balance', 'ledger_balance'])
    .where('bank_account_id', '=', b.ledger_account_id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    ...publicBankAccount(b),
    name: b.name,
    code: b.code,
    statementFormat: b.statement_format,
    acceptsDeposits: b.accepts_deposits,
    ledgerBalance: balanceOf(account).posted,
    lastImport: last ? { id: last.id, at: last.created_at.toISOString(), periodTo: last.period_to, statementBalance: last.statement_balance === null ? null : Money.of(last.statement_balance, 'IDR') } : null,
  };
}
