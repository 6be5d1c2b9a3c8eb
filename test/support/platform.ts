import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../src/app/config.ts';
import { startPlatform, type Platform } from '../../src/app/platform.ts';
import { systemActor } from '../../src/audit/audit.ts';
import type { Role } from '../../src/db/schema.ts';
import { createCustomer, createUser } from '../../src/identity/users.ts';
import { newTotpSecret } from '../../src/identity/totp.ts';
import type { DatabaseTarget, TestDatabase } from './databases.ts';
import { HttpClient } from './http.ts';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestPlatform {
  platform: Platform;
  database: TestDatabase;
  url: string;
  client(headers?: Record<string, string>): HttpClient;
  stop(): Promise<void>;
}

/** The real platform, listening on an ephemeral port, on a fresh database of the target kind. */
export async function startTestPlatform(target: DatabaseTarget, overrides: Partial<Config> = {}, options: { logger?: Logger } = {}): Promise<TestPlatform> {
  const database = await target.open();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-test-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', seedDemo: false, inlineWorker: true, ...overrides });
  const platform = await startPlatform(config, { database, workerOptions: { pollIntervalMs: 100 }, ...(options.logger ? { logger: options.logger } : {}) });
  return {
    platform,
    database,
    url: platform.url,
    client: (headers) => new HttpClient(platform.url, headers),
    async stop() {
      await platform.stop();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export function uniqueEmail(tag: string): string {
  counter += 1;
  return `${tag}.${process.pid}.${counter}.${Date.now().toString(36)}@example.test`;
}

export async function createImporterAccount(tp: TestPlatform, name = 'PT Contoh') {
  const db = tp.platform.ctx.database.db;
  return db.transaction().execute(async (tx) => {
    const customer = await createCustomer(tx, systemActor, { kind: 'company', name });
    const user = await createUser(tx, systemActor, { email: uniqueEmail('importer'), password: TEST_PASSWORD, name: 'Importer', role: 'importer', customerId: customer.id });
    return { customer, user };
  });
}

/** A staff user; with `totp`, 2FA is already enabled with the returned secret. */
export async function createStaffUser(tp: TestPlatform, role: Exclude<Role, 'importer'>, options: { totp?: boolean } = {}) {
  const { db } = tp.platform.ctx.database;
  const user = await db.transaction().execute((tx) => createUser(tx, systemActor, { email: uniqueEmail(role), password: TEST_PASSWORD, name: `Staff ${role}`, role }));
  let secret: string | undefined;
  if (options.totp) {
    secret = newTotpSecret();
    await db
      .updateTable('users')
      .set({ totp_secret_enc: tp.platform.ctx.secrets.seal(secret), totp_enabled_at: sql<Date>`now()` })
      .where('id', '=', user.id)
      .execute();
  }
  return { user, secret };
}

/** Signs a client in, passing 2FA with the given TOTP secret when asked. */
export async function signIn(client: HttpClient, email: string, options: { password?: string; totpSecret?: string; stepOffset?: number } = {}) {
  const res = await client.post('/api/auth/login', { email, password: options.password ?? TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  if (res.body.mfa === 'pending') {
    if (!options.totpSecret) throw new Error('2FA required but no secret given');
    const { currentTotp } = await import('../../src/identity/totp.ts');
    const code = currentTotp(options.totpSecret, Date.now() + (options.stepOffset ?? 0) * 30_000);
    const mfa = await client.post('/api/auth/login/mfa', { code });
    if (mfa.status !== 200) throw new Error(`2FA failed: ${mfa.status} ${JSON.stringify(mfa.body)}`);
    return mfa;
  }
  return res;
}
