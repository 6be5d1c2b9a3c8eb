/**
 * Full payment-order lifecycles per second through the HTTP API on PostgreSQL, against the
 * ledger's single-posting entries per second measured in the same run as the ceiling (a
 * lifecycle writes several ledger entries, so it can only be a fraction of that).
 *
 *   npm run bench:orders                        # 1, 4 and 16 clients, 10 s each
 *   BENCH_SECONDS=5 BENCH_CLIENTS=1,4 npm run bench:orders
 *
 * A lifecycle: create the order → quote → accept the quote → fund from the wallet → an
 * operator claims it → records the payout with a small PNG proof → the importer completes
 * it. Every client is its own importer (own wallet, supplier, payee) with its own operator.
 * The load runs in the server's process (one Node process, two cores shared with
 * PostgreSQL), so the figures are a floor, not a capacity.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/app/config.ts';
import { createLogger } from '../src/app/logger.ts';
import { startPlatform } from '../src/app/platform.ts';
import { systemActor } from '../src/audit/audit.ts';
import { openDatabase } from '../src/db/database.ts';
import { seedDemoRates } from '../src/fx/demo-rates.ts';
import { currentTotp, newTotpSecret } from '../src/identity/totp.ts';
import { createCustomer, createUser } from '../src/identity/users.ts';
import { createAccount, createCompanyAccount, ensureCustomerWallet, SYSTEM_ACCOUNTS } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { formatVerifyReport, verifyLedger } from '../src/ledger/verify.ts';
import { Money } from '../src/money/money.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,4,16').split(',').map(Number);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'bench password 2026';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64').toString('base64');
const STEPS = ['create', 'quote', 'accept', 'fund', 'claim', 'payout', 'complete'] as const;
type Step = (typeof STEPS)[number];

class Client {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}
  async call(method: string, url: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    if (setCookies.length) this.cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    const json = (await res.json().catch(() => ({}))) as any;
    if (json?.csrfToken) this.csrf = json.csrfToken;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  async login(email: string, totp?: string): Promise<void> {
    const r = await this.call('POST', '/api/auth/login', { email, password: PASSWORD });
    if (r.mfa === 'pending') await this.call('POST', '/api/auth/login/mfa', { code: currentTotp(totp!) });
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const name = `jbt_bench_orders_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-bench-orders-'));
  const maxClients = Math.max(...CLIENTS);
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: maxClients + 4 });
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, databaseUrl: url.toString(), logLevel: 'silent', seedDemo: false, inlineWorker: false });
  const platform = await startPlatform(config, { database, logger: createLogger({ logLevel: 'silent' }) });
  try {
    const db = database.db;
    await seedDemoRates(db);
    await db.updateTable('payments_settings').set({ value: JSON.stringify('100000000000') }).where('key', '=', 'approval_threshold_cny').execute();
    const bank = await createCompanyAccount(db, systemActor, { type: 'bank', slug: 'bench-bank', name: 'bench bank', currency: 'IDR' });
    const float = await createCompanyAccount(db, systemActor, { type: 'float', slug: 'bench-float', name: 'bench float', currency: 'CNY' });
    await createEntry(db, systemActor, { idempotencyKey: 'bench-float', reason: 'float_funding', postings: [{ debitAccountId: float.id, creditAccountId: SYSTEM_ACCOUNTS.capitalCny, amount: Money.fromDecimal('100000000', 'CNY') }] });
    const company = '义乌市基准贸易有限公司';
    const importers: Client[] = [];
    const operators: Client[] = [];
    const payees: { supplierId: string; payeeId: string }[] = [];
    process.stdout.write(`setting up ${maxClients} importers and operators… `);
    for (let c = 0; c < maxClients; c++) {
      const { user, customer } = await db.transaction().execute(async (tx) => {
        const customer = await createCustomer(tx, systemActor, { kind: 'company', name: `PT Bench ${c}` });
        const user = await createUser(tx, systemActor, { email: `bench-importer-${c}@example.test`, password: PASSWORD, name: 'Bench', role: 'importer', customerId: customer.id });
        return { user, customer };
      });
      const wallet = await ensureCustomerWallet(db, customer.id, 'IDR');
      await createEntry(db, systemActor, { idempotencyKey: `bench-wallet-${c}`, reason: 'deposit', postings: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amount: Money.fromDecimal('100000000000', 'IDR') }] });
      const secret = newTotpSecret();
      const ops = await db.transaction().execute((tx) => createUser(tx, systemActor, { email: `bench-ops-${c}@example.test`, password: PASSWORD, name: 'Ops', role: 'ops' }));
      await db.updateTable('users').set({ totp_secret_enc: platform.ctx.secrets.seal(secret), totp_enabled_at: sql<Date>`now()` }).where('id', '=', ops.id).execute();
      const imp = new Client(platform.url);
      await imp.login(user.email);
      const op = new Client(platform.url);
      await op.login(ops.email, secret);
      const s = await imp.call('POST', '/api/suppliers', { storeName: `Bench store ${c}`, companyName: company });
      const p = await imp.call('POST', '/api/payees', { supplierId: s.supplier.id, kind: 'alipay', account: `1380013${String(8000 + c).padStart(4, '0')}`, holderName: company });
      importers.push(imp);
      operators.push(op);
      payees.push({ supplierId: s.supplier.id, payeeId: p.payee.id });
    }
    console.log('done');

    // Ceiling: the ledger's own single-posting entries per second, same database, same clients.
    const ledgerAccounts = await Promise.all(Array.from({ length: maxClients * 2 }, (_, i) => createAccount(db, systemActor, { code: `bench:ceiling:${i}`, name: 'ceiling', kind: 'position', currency: 'IDR' })));
    let seq = 0;
    async function ledgerRate(clients: number): Promise<number> {
      const deadline = Date.now() + Math.min(SECONDS, 5) * 1000;
      let n = 0;
      const start = Date.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          while (Date.now() < deadline) {
            await createEntry(db, systemActor, { idempotencyKey: `ceiling-${++seq}`, reason: 'bench', postings: [{ debitAccountId: ledgerAccounts[c * 2]!.id, creditAccountId: ledgerAccounts[c * 2 + 1]!.id, amount: Money.of(100n, 'IDR') }] });
            n++;
          }
        }),
      );
      return n / ((Date.now() - start) / 1000);
    }

    const rows: { clients: number; lifecycles: number; ledger: number; steps: Record<Step, number[]> }[] = [];
    for (const clients of CLIENTS) {
      await sql`vacuum analyze`.execute(db);
      const steps = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>;
      const timed = async <T>(step: Step, work: () => Promise<T>): Promise<T> => {
        const t = performance.now();
        const r = await work();
        steps[step].push(performance.now() - t);
        return r;
      };
      let done = 0;
      const deadline = Date.now() + SECONDS * 1000;
      const start = Date.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const imp = importers[c]!;
          const op = operators[c]!;
          while (Date.now() < deadline) {
            const cny = { amount: String(10_000 + ((done * 37) % 90_000)), currency: 'CNY' };
            const order = await timed('create', () => imp.call('POST', '/api/payment-orders', { ...payees[c], orderNumbers: [`33${Date.now()}${c}`], cny, mode: 'direct' }));
            const quote = await timed('quote', () => imp.call('POST', '/api/quotes', { cny }));
            const accepted = await timed('accept', () => imp.call('POST', '/api/quotes/accept', { token: quote.token }));
            const funded = await timed('fund', () => imp.call('POST', `/api/payment-orders/${order.order.id}/fund`, { quoteId: accepted.quote.id, method: 'wallet' }));
            const part = funded.installments[0].id;
            await timed('claim', () => op.call('POST', `/api/staff/payouts/${part}/claim`));
            await timed('payout', () => op.call('POST', `/api/staff/payouts/${part}/record`, { floatAccountId: float.id, cny, providerReference: `BENCH-${part.slice(-10)}`, proof: { fileName: 'p.png', contentBase64: PNG } }));
            await timed('complete', () => imp.call('POST', `/api/payment-orders/${order.order.id}/complete`));
            done++;
          }
        }),
      );
      const lifecycles = done / ((Date.now() - start) / 1000);
      const ledger = await ledgerRate(clients);
      rows.push({ clients, lifecycles, ledger, steps });
      console.log(`${clients} client(s): ${lifecycles.toFixed(1)} lifecycles/s; ledger single-posting ceiling ${ledger.toFixed(0)} entries/s`);
    }
    const report = await verifyLedger(database.db);
    if (!report.ok) throw new Error(formatVerifyReport(report));

    console.log('\n| clients | lifecycles/s | ledger entries/s (ceiling) | ratio | ' + STEPS.map((s) => `${s} p50/p99 ms`).join(' | ') + ' |');
    console.log('| --- | --- | --- | --- | ' + STEPS.map(() => '---').join(' | ') + ' |');
    for (const r of rows) {
      console.log(`| ${r.clients} | ${r.lifecycles.toFixed(1)} | ${r.ledger.toFixed(0)} | ${(r.lifecycles / r.ledger).toFixed(3)} | ` + STEPS.map((s) => `${percentile(r.steps[s], 50).toFixed(1)} / ${percentile(r.steps[s], 99).toFixed(1)}`).join(' | ') + ' |');
    }
    console.log(`\nledger verify: ok (${report.entries} entries)`);
  } finally {
    await platform.stop();
    await database.close().catch(() => {});
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
