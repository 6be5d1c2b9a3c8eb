/**
 * Ledger throughput, measured against a baseline taken in the same run on the same machine
 * (the machines are shared and noisy: only ratios mean something).
 *
 *   npm run bench:ledger                         # PostgreSQL at BENCH_DATABASE_URL (default local) + PGlite
 *   BENCH_SECONDS=3 BENCH_ROUNDS=1 npm run bench:ledger   # quicker, noisier
 *   BENCH_SKIP_PG=1 / BENCH_SKIP_PGLITE=1         # one side only
 *
 * PostgreSQL: baseline = pgbench's built-in TPC-B-like script (-M prepared) at 1, 4 and 16
 * clients; then the ledger's single-posting entries/s at the same client counts with low
 * contention, 100-posting entries, and a hot account that every entry touches.
 * PGlite: baseline = an in-process loop of BEGIN; UPDATE; UPDATE; INSERT; COMMIT through
 * the same dialect; then the ledger's single-posting entries.
 */
import { execFileSync } from 'node:child_process';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/audit/audit.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';
import { createAccount } from '../src/ledger/accounts.ts';
import { createEntry } from '../src/ledger/entries.ts';
import { formatVerifyReport, verifyLedger } from '../src/ledger/verify.ts';
import { Money } from '../src/money/money.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Each figure is the best of this many runs, baseline and ledger alternating, to damp a shared machine's noise. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

async function bestOf(run: () => Promise<number> | number): Promise<number> {
  let best = 0;
  for (let i = 0; i < ROUNDS; i++) best = Math.max(best, await run());
  return best;
}
const CLIENTS = [1, 4, 16];
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ACCOUNTS = 2_000;

interface Row {
  scenario: string;
  clients: number;
  unit: string;
  rate: number;
  baseline: number;
  baselineName: string;
  postingsPerSecond?: number;
}

const rows: Row[] = [];
let keySeq = 0;

async function setupAccounts(db: Kysely<DB>, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = await createAccount(db, systemActor, { code: `bench:${prefix}:${i}`, name: `bench ${i}`, kind: 'position', currency: 'IDR' });
    ids.push(a.id);
  }
  return ids;
}

/** Runs `clients` loops for `seconds`; returns operations per second. */
async function runFor(clients: number, seconds: number, op: (client: number, i: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; Date.now() < deadline; i++) {
        await op(c, i);
        done += 1;
      }
    }),
  );
  return done / ((Date.now() - start) / 1000);
}

function entry(db: Kysely<DB>, debit: string, credit: string) {
  return createEntry(db, systemActor, { idempotencyKey: `bench-${process.pid}-${++keySeq}`, reason: 'bench', postings: [{ debitAccountId: debit, creditAccountId: credit, amount: Money.of(100n, 'IDR') }] });
}

/**
 * Before every timed run, for the baseline and the ledger alike: vacuum and analyze (so
 * autovacuum does not wake up on this 2-core machine in the middle of the next run) and a
 * checkpoint (so neither side pays for the other's WAL).
 */
async function settle(db: Kysely<DB>): Promise<void> {
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}

function pgbenchTps(url: string, clients: number): number {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS), '-n', u.pathname.slice(1)];
  const out = execFileSync('pgbench', args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } });
  const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out);
  if (!m) throw new Error(`Could not read pgbench output:\n${out}`);
  return Number(m[1]);
}

async function benchPostgres(): Promise<void> {
  const name = `jbt_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let database: Database | undefined;
  try {
    console.log(`PostgreSQL bench database ${name}: pgbench -i`);
    const u = new URL(url.toString());
    execFileSync('pgbench', ['-i', '-q', '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), name], { stdio: 'ignore', env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } });

    database = await openDatabase({ databaseUrl: url.toString(), poolSize: Math.max(...CLIENTS) });
    const db = database.db;
    await migrateToLatest(db);
    const accounts = await setupAccounts(db, 'pg', ACCOUNTS);
    const hot = accounts[0]!;

    for (const clients of CLIENTS) {
      // Low contention: each client works on its own slice of accounts.
      const slice = Math.floor(ACCOUNTS / clients);
      let baseline = 0;
      let single = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await settle(db);
        baseline = Math.max(baseline, pgbenchTps(url.toString(), clients));
        await settle(db);
        single = Math.max(
          single,
          await runFor(clients, SECONDS, (c, i) => {
            const base = c * slice;
            return entry(db, accounts[base + ((2 * i) % slice)]!, accounts[base + ((2 * i + 1) % slice)]!).then(() => undefined);
          }),
        );
      }
      console.log(`  ${clients} client(s): pgbench ${baseline.toFixed(0)} tps, ledger ${single.toFixed(0)} entries/s`);
      rows.push({ scenario: 'single posting, low contention', clients, unit: 'entries/s', rate: single, baseline, baselineName: 'pgbench tps', postingsPerSecond: single });

      await settle(db);
      const wide = await bestOf(() => runFor(clients, SECONDS, (c, i) => {
        const base = c * slice;
        const postings = Array.from({ length: 100 }, (_, k) => ({
          debitAccountId: accounts[base + ((i * 7 + k * 2) % slice)]!,
          creditAccountId: accounts[base + ((i * 7 + k * 2 + 1) % slice)]!,
          amount: Money.of(100n, 'IDR'),
        }));
        return createEntry(db, systemActor, { idempotencyKey: `bench-${process.pid}-${++keySeq}`, reason: 'bench', postings }).then(() => undefined);
      }));
      rows.push({ scenario: '100 postings per entry', clients, unit: 'entries/s', rate: wide, baseline, baselineName: 'pgbench tps', postingsPerSecond: wide * 100 });

      await settle(db);
      const hotRate = await bestOf(() => runFor(clients, SECONDS, (c, i) => entry(db, hot, accounts[1 + ((c * 997 + i) % (ACCOUNTS - 1))]!).then(() => undefined)));
      rows.push({ scenario: 'hot account (every entry)', clients, unit: 'entries/s', rate: hotRate, baseline, baselineName: 'pgbench tps', postingsPerSecond: hotRate });
    }
    const report = await verifyLedger(db);
    console.log(`  ${formatVerifyReport(report)}`);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await database?.close();
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await c.end();
  }
}

async function benchPGlite(): Promise<void> {
  console.log('PGlite (in memory)');
  const database = await openDatabase({ pgliteDir: 'memory://' });
  try {
    const db = database.db;
    await migrateToLatest(db);
    await sql`create table bench_accounts (id int primary key, balance bigint not null); create table bench_history (id bigserial primary key, a int, b int, amount bigint)`.execute(db);
    await sql`insert into bench_accounts select g, 0 from generate_series(1, ${ACCOUNTS}) g`.execute(db);
    const accounts = await setupAccounts(db, 'lite', 200);
    for (const clients of [1, 4]) {
      const baseline = await bestOf(() => runFor(clients, SECONDS, async (_c, i) => {
        const a = (i % ACCOUNTS) + 1;
        const b = ((i + 1) % ACCOUNTS) + 1;
        await db.transaction().execute(async (tx) => {
          await sql`update bench_accounts set balance = balance - 100 where id = ${a}`.execute(tx);
          await sql`update bench_accounts set balance = balance + 100 where id = ${b}`.execute(tx);
          await sql`insert into bench_history (a, b, amount) values (${a}, ${b}, 100)`.execute(tx);
        });
      }));
      const single = await bestOf(() => runFor(clients, SECONDS, (_c, i) => entry(db, accounts[(2 * i) % 200]!, accounts[(2 * i + 1) % 200]!).then(() => undefined)));
      rows.push({ scenario: 'PGlite single posting', clients, unit: 'entries/s', rate: single, baseline, baselineName: 'BEGIN;UPDATE;UPDATE;INSERT;COMMIT loop', postingsPerSecond: single });
    }
    const report = await verifyLedger(db);
    console.log(`  ${formatVerifyReport(report)}`);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

function printTable(): void {
  const header = ['scenario', 'clients', 'ledger', 'postings/s', 'baseline', 'ratio'];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.clients),
    `${r.rate.toFixed(0)} ${r.unit}`,
    r.postingsPerSecond ? r.postingsPerSecond.toFixed(0) : '',
    `${r.baseline.toFixed(0)} (${r.baselineName})`,
    `${(r.rate / r.baseline).toFixed(2)}×`,
  ]);
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  for (const clients of CLIENTS) {
    const single = rows.find((r) => r.scenario.startsWith('single') && r.clients === clients);
    const wide = rows.find((r) => r.scenario.startsWith('100') && r.clients === clients);
    if (single && wide) console.log(`${clients} client(s): 100-posting entries move ${(wide.postingsPerSecond! / single.postingsPerSecond!).toFixed(1)}× the postings/s of single-posting entries`);
  }
}

if (!process.env.BENCH_SKIP_PG) await benchPostgres();
if (!process.env.BENCH_SKIP_PGLITE) await benchPGlite();
printTable();
