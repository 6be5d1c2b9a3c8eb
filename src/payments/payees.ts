import { sql, type Kysely, type Selectable } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import type { DB, PayeeKind, PayeesTable, SuppliersTable } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { luhnValid } from '../lib/luhn.ts';

export type Payee = Selectable<PayeesTable>;
export type Supplier = Selectable<SuppliersTable>;

/** Full-width letters and digits (common when copied from Chinese sites) to their plain forms, single spaces. */
export function normaliseText(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, ' ').trim();
}


const CN_MOBILE = /^(?:\+?86)?(1[3-9][0-9]{9})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[a-z]{2,}$/i;
const WECHAT_ID = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/;
const HAS_CJK = /[\u3400-\u9fff]/;

export interface PayeeInput {
  supplierId: string;
  kind: PayeeKind;
  account: string;
  holderName: string;
  bankName?: string | undefined;
  bankBranch?: string | undefined;
  cnapsCode?: string | undefined;
}

interface CleanPayee {
  kind: PayeeKind;
  account: string;
  holder_name: string;
  bank_name: string | null;
  bank_branch: string | null;
  cnaps_code: string | null;
}

/** Validates what can be validated and returns the normalised details; refuses with the field at fault. */
export function cleanPayee(input: Omit<PayeeInput, 'supplierId'>): CleanPayee {
  const fail = (field: string, message: string): never => {
    throw new AppError('validation_failed', message, { field });
  };
  const holder = normaliseText(input.holderName);
  if (holder.length < 2 || holder.length > 100) fail('holderName', "The holder's name is 2–100 characters.");
  let account = normaliseText(input.account);
  if (input.kind === 'alipay' || input.kind === 'wechat') {
    const compact = account.replace(/[\s-]/g, '');
    const mobile = compact.match(CN_MOBILE);
    if (mobile) account = mobile[1]!;
    else if (input.kind === 'alipay' && EMAIL.test(account)) account = account.toLowerCase();
    else if (input.kind === 'wechat' && WECHAT_ID.test(account)) account = account;
    else fail('account', input.kind === 'alipay' ? 'An Alipay account is a Chinese mobile number (1xx xxxx xxxx) or an e-mail address.' : 'A WeChat Pay id is a WeChat ID (6–20 letters, digits, - or _, starting with a letter) or a Chinese mobile number.');
    return { kind: input.kind, account, holder_name: holder, bank_name: null, bank_branch: null, cnaps_code: null };
  }
  account = account.replace(/[\s-]/g, '');
  if (!/^[0-9]{10,30}$/.test(account)) fail('account', 'A Chinese bank account number is 10–30 digits.');
  // Personal UnionPay cards (62…, 16–19 digits) carry a Luhn check digit: a typo is caught here.
  if (/^62[0-9]{14,17}$/.test(account) && !luhnValid(account)) fail('account', 'This UnionPay card number fails its check digit: a digit is wrong.');
  if (!HAS_CJK.test(holder)) fail('holderName', "For a Chinese bank account, give the holder's name in Chinese characters, as the bank has it.");
  const bankName = normaliseText(input.bankName ?? '');
  if (bankName.length < 2) fail('bankName', 'The bank name is required (e.g. 中国工商银行 / ICBC).');
  const cnaps = input.cnapsCode ? input.cnapsCode.replace(/\s/g, '').normalize('NFKC') : '';
  if (cnaps && !/^[0-9]{12}$/.test(cnaps)) fail('cnapsCode', 'A CNAPS code is 12 digits.');
  const branch = normaliseText(input.bankBranch ?? '');
  return { kind: 'bank', account, holder_name: holder, bank_name: bankName, bank_branch: branch || null, cnaps_code: cnaps || null };
}

export async function createSupplier(db: Kysely<DB>, actor: Actor, customerId: string, input: { storeName: string; companyName: string }): Promise<Supplier> {
  const storeName = normaliseText(input.storeName);
  const companyName = normaliseText(input.companyName);
  if (storeName.length < 2 || companyName.length < 2) throw new AppError('validation_failed', 'Store and company names are at least 2 characters.');
  const row = await db.insertInto('suppliers').values({ id: newId('supplier'), customer_id: customerId, store_name: storeName, company_name: companyName, created_by: actor.id }).returningAll().executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.supplier_created', objectType: 'supplier', objectId: row.id, data: { storeName, companyName } });
  return row;
}

export async function getSupplier(db: Kysely<DB>, id: string): Promise<Supplier> {
  const s = await db.selectFrom('suppliers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw new AppError('not_found', `No supplier ${id}.`);
  return s;
}

export async function createPayee(db: Kysely<DB>, actor: Actor, customerId: string, input: PayeeInput): Promise<Payee> {
  const supplier = await getSupplier(db, input.supplierId);
  if (supplier.customer_id !== customerId) throw new AppError('not_found', `No supplier ${input.supplierId}.`);
  const clean = cleanPayee(input);
  const row = await db
    .insertInto('payees')
    .values({ id: newId('payee'), customer_id: customerId, supplier_id: supplier.id, ...clean, created_by: actor.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'payments.payee_created', objectType: 'payee', objectId: row.id, data: { supplierId: supplier.id, kind: clean.kind, account: clean.account, holderName: clean.holder_name } });
  return row;
}

/** Changing where the money goes is recorded and flagged on the next payments. */
export async function updatePayee(db: Kysely<DB>, actor: Actor, payee: Payee, input: Omit<PayeeInput, 'supplierId'>): Promise<Payee> {
  const clean = cleanPayee(input);
  const changed = clean.account !== payee.account || clean.holder_name !== payee.holder_name || clean.bank_name !== payee.bank_name || clean.kind !== payee.kind || clean.cnaps_code !== payee.cnaps_code;
  const row = await db
    .updateTable('payees')
    .set({ ...clean, updated_at: sql<Date>`now()`, ...(changed ? { details_changed_at: sql<Date>`now()` } : {}) })
    .where('id', '=', payee.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: 'payments.payee_updated',
    objectType: 'payee',
    objectId: payee.id,
    data: { changed, before: { kind: payee.kind, account: payee.account, holderName: payee.holder_name, bankName: payee.bank_name }, after: { kind: clean.kind, account: clean.account, holderName: clean.holder_name, bankName: clean.bank_name } },
  });
  return row;
}

export async function getPayee(db: Kysely<DB>, id: string): Promise<Payee> {
  const p = await db.selectFrom('payees').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw new AppError('not_found', `No payee ${id}.`);
  return p;
}

export function publicSupplier(s: Supplier) {
  return { id: s.id, customerId: s.customer_id, storeName: s.store_name, companyName: s.company_name, createdAt: s.created_at.toISOString() };
}

export function publicPayee(p: Payee) {
  return {
    id: p.id,
    customerId: p.customer_id,
    supplierId: p.supplier_id,
    kind: p.kind,
    account: p.account,
    holderName: p.holder_name,
    bankName: p.bank_name,
    bankBranch: p.bank_branch,
    cnapsCode: p.cnaps_code,
    status: p.status,
    detailsChangedAt: p.details_changed_at?.toISOString() ?? null,
    createdAt: p.created_at.toISOString(),
  };
}
