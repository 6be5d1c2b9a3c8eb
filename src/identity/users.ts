import { sql, type Kysely } from 'kysely';
import { recordAudit, type Actor } from '../audit/audit.ts';
import { AppError } from '../app/errors.ts';
import { STAFF_ROLES, type Customer, type DB, type Role, type User } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';

export function isStaff(role: Role): boolean {
  return role !== 'importer';
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** What any API response may say about a user: never hashes, secrets or lockout counters. */
export function publicUser(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    customerId: user.customer_id,
    locale: user.locale,
    status: user.status,
    twoFactorEnabled: user.totp_enabled_at !== null,
    createdAt: user.created_at.toISOString(),
  };
}

export function publicCustomer(customer: Customer) {
  return {
    id: customer.id,
    kind: customer.kind,
    name: customer.name,
    phone: customer.phone,
    status: customer.status,
    createdAt: customer.created_at.toISOString(),
  };
}

export async function findUserByEmail(db: Kysely<DB>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', normaliseEmail(email)).executeTakeFirst();
}

export interface CreateUserInput {
  email: string;
  password: string;
  name: string;
  role: Role;
  customerId?: string | null;
  locale?: 'id' | 'en';
}

/** Creates a user; call inside a transaction. Importers need a customer account, staff must not have one. */
export async function createUser(db: Kysely<DB>, actor: Actor, input: CreateUserInput): Promise<User> {
  assertStrongPassword(input.password);
  if ((input.role === 'importer') !== Boolean(input.customerId)) {
    throw new AppError('validation_failed', input.role === 'importer' ? 'An importer must belong to a customer account.' : 'Staff users do not belong to a customer account.');
  }
  if (await findUserByEmail(db, input.email)) throw new AppError('email_taken');
  const user = await db
    .insertInto('users')
    .values({
      id: newId('user'),
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      customer_id: input.customerId ?? null,
      locale: input.locale ?? 'id',
      totp_secret_enc: null,
      totp_enabled_at: null,
      totp_last_step: null,
      locked_until: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      // A concurrent registration with the same e-mail loses the race on the unique index.
      if ((err as { code?: string }).code === '23505') throw new AppError('email_taken');
      throw err;
    });
  await recordAudit(db, actor, { action: 'user.created', objectType: 'user', objectId: user.id, data: { email: user.email, role: user.role, customerId: user.customer_id } });
  return user;
}

export interface CreateCustomerInput {
  kind: 'company' | 'person';
  name: string;
  phone?: string | null;
}

export async function createCustomer(db: Kysely<DB>, actor: Actor, input: CreateCustomerInput): Promise<Customer> {
  const customer = await db
    .insertInto('customers')
    .values({ id: newId('customer'), kind: input.kind, name: input.name.trim(), phone: input.phone ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, { action: 'customer.created', objectType: 'customer', objectId: customer.id, data: { kind: customer.kind, name: customer.name } });
  return customer;
}

export interface RegisterImporterInput extends CreateCustomerInput {
  email: string;
  password: string;
  contactName: string;
  locale?: 'id' | 'en';
}

/** Self-registration: a new customer account with its first importer user. */
export async function registerImporter(db: Kysely<DB>, actor: Actor, input: RegisterImporterInput): Promise<{ user: User; customer: Customer }> {
  return db.transaction().execute(async (tx) => {
    const customer = await createCustomer(tx, actor, { kind: input.kind, name: input.name, phone: input.phone ?? null });
    const user = await createUser(tx, { ...actor, type: actor.type, id: actor.id }, {
      email: input.email,
      password: input.password,
      name: input.contactName,
      role: 'importer',
      customerId: customer.id,
      ...(input.locale ? { locale: input.locale } : {}),
    });
    return { user, customer };
  });
}

export { STAFF_ROLES };
