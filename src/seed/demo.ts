import { sql, type Kysely } from 'kysely';
import { systemActor } from '../audit/audit.ts';
import type { DB, Role } from '../db/schema.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { createCustomer, createUser } from '../identity/users.ts';

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
