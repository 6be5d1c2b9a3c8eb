import { configureBankAccount } from '../funding/bank-accounts.ts';
import { sql, type Kysely } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { DB, Role } from '../db/schema.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { createCustomer, createUser } from '../identity/users.ts';
import { createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../ledger/accounts.ts';
import { createEntry } from '../ledger/entries.ts';
import { Money } from '../money/money.ts';
import { seedDemoRates } from '../fx/demo-rates.ts';
import { seedDemoForwarding } from '../forwarding/demo.ts';

/** Demo staff share one TOTP secret so a tester can add it to an authenticator app once. */
export const DEMO_TOTP_SECRET = 'JBTDEMOJBTDEMOJBTDEMOJBTDEMO2345';
export const DEMO_PASSWORD = 'jembatan-demo-2026';

export const DEMO_IMPORTER = { email: 'importer@demo.jembatan.id', name: 'Budi Santoso', customer: 'CV Maju Jaya Abadi' };
export const DEMO_STAFF: { email: string; name: string; role: Exclude<Role, 'importer'> }[] = [
  { email: 'admin@demo.jembatan.id', name: 'Ayu Admin', role: 'admin' },
  { email: 'ops@demo.jembatan.id', name: 'Oki Operasional', role: 'ops' },
  { email: 'finance@demo.jembatan.id', name: 'Fajar Keuangan', role: 'finance' },
  { email: 'compliance@demo.jembatan.id', name: 'Citra Kepatuhan', role: 'compliance' },
  { email: 'warehouse@demo.jembatan.id', name: 'Wang Gudang', role: 'warehouse' },
];

export async function isDatabaseEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('users').select(sql<number>`1`.as('one')).limit(1).executeTakeFirst();
  return row === undefined;
}

/** Seeds demo data, once: does nothing if any user exists. Returns whether it seeded. */
export async function seedDemoData(db: Kysely<DB>, secrets: SecretBox): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    // Serialise concurrent seeders (several processes starting on one PostgreSQL).
    await sql`select pg_advisory_xact_lock(7412001)`.execute(tx);
    if (!(await isDatabaseEmpty(tx))) return false;
    const customer = await createCustomer(tx, systemActor, { kind: 'company', name: DEMO_IMPORTER.customer, phone: '+62 812 3456 7890' });
    await createUser(tx, systemActor, { email: DEMO_IMPORTER.email, password: DEMO_PASSWORD, name: DEMO_IMPORTER.name, role: 'importer', customerId: customer.id });
    const second = await createCustomer(tx, systemActor, { kind: 'person', name: 'Siti Rahmawati', phone: '+62 813 1111 2222' });
    await createUser(tx, systemActor, { email: 'siti@demo.jembatan.id', password: DEMO_PASSWORD, name: 'Siti Rahmawati', role: 'importer', customerId: second.id });
    await seedDemoMoney(tx, customer.id);
    await seedDemoRates(tx);
    await seedDemoForwarding(tx, customer.id);
    for (const s of DEMO_STAFF) {
      const user = await createUser(tx, systemActor, { email: s.email, password: DEMO_PASSWORD, name: s.name, role: s.role });
      await tx
        .updateTable('users')
        .set({ totp_secret_enc: secrets.seal(DEMO_TOTP_SECRET), totp_enabled_at: sql<Date>`now()` })
        .where('id', '=', user.id)
        .execute();
    }
    return true;
  });
}

/** Company accounts, float funded from capital, and a wallet top-up for the demo importer. */
async function seedDemoMoney(tx: Kysely<DB>, customerId: string): Promise<void> {
  const bank = await createCompanyAccount(tx, systemActor, { type: 'bank', slug: 'bca-operasional', name: 'BCA 123-456-7890 a.n. PT Jembatan Demo', currency: 'IDR' });
  const mandiri = await createCompanyAccount(tx, systemActor, { type: 'bank', slug: 'mandiri-operasional', name: 'Mandiri 987-000-1111 a.n. PT Jembatan Demo', currency: 'IDR' });
  await configureBankAccount(tx, systemActor, bank.id, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Jembatan Demo', statementFormat: 'bca-csv', acceptsDeposits: true });
  await configureBankAccount(tx, systemActor, mandiri.id, { bankCode: 'MANDIRI', accountNumber: '9870001111', holderName: 'PT Jembatan Demo', statementFormat: 'mandiri-csv', acceptsDeposits: true });
  const floats = [
    await createCompanyAccount(tx, systemActor, { type: 'float', slug: 'alipay-01', name: 'Alipay (Guangzhou)', currency: 'CNY' }),
    await createCompanyAccount(tx, systemActor, { type: 'float', slug: 'wechat-01', name: 'WeChat Pay (Yiwu)', currency: 'CNY' }),
    await createCompanyAccount(tx, systemActor, { type: 'float', slug: 'icbc-01', name: 'ICBC Guangzhou', currency: 'CNY' }),
  ];
  for (const f of floats) {
    await createEntry(tx, systemActor, {
      idempotencyKey: `demo:float-funding:${f.id}`,
      reason: 'float_funding',
      description: 'Demo: initial yuan float',
      postings: [{ debitAccountId: f.id, creditAccountId: SYSTEM_ACCOUNTS.capitalCny, amount: Money.fromDecimal('200000', 'CNY') }],
    });
  }
  const wallet = await ensureCustomerWallet(tx, customerId, 'IDR');
  await createEntry(tx, systemActor, {
    idempotencyKey: 'demo:wallet-topup',
    reason: 'deposit',
    description: 'Demo: transfer BCA',
    postings: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amount: Money.fromDecimal('25000000', 'IDR') }],
  });
}

export function demoLoginsText(): string {
  const lines = [
    'Demo logins (password for all: ' + DEMO_PASSWORD + ')',
    `  importer    ${DEMO_IMPORTER.email}`,
    `  importer    siti@demo.jembatan.id`,
    ...DEMO_STAFF.map((s) => `  ${s.role.padEnd(11)} ${s.email}`),
    `Staff sign in with 2FA: add the TOTP secret ${DEMO_TOTP_SECRET} to an authenticator app,`,
    `or print the current code with: npm run cli -- demo totp`,
  ];
  return lines.join('\n');
}
