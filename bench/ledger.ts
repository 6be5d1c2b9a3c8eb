/**
 * Ledger throughput, measured against a baseline taken in the same run on the same machine
 * (the machines are shared and noisy: only ratios mean something).
 *
 *   npm run bench:ledger                         # PostgreSQL at BENCH_DATABASE_URL (default local) + PGlite
 *   BENCH_SECONDS=3 BENCH_ROUNDS=3 npm run bench:ledger   # quicker, noisier (BENCH_SLICE: whole seconds per turn, default 2)
 *   BENCH_SKIP_PG=1 / BENCH_SKIP_PGLITE=1         # one side only
 *   BENCH_SINGLE_ONLY=1                           # PostgreSQL: only pgbench vs single-posting entries
 *   BENCH_CLIENTS=1,4                             # client counts (default 1,4,16)
 *
 * PostgreSQL: baseline = pgbench's built-in TPC-B-like script (-M prepared) at 1, 4 and 16
 * clients; then the ledger's single-posting entries/s at the same client counts with low
 * contention, 100-posting entries, and a hot account that every entry touches.
 * PGlite: baseline = an in-process loop of BEGIN; UPDATE; UPDATE; INSERT; COMMIT through
 * the same dialect; then the ledger's single-posting entries.
 *
 * Fairness on a shared machine (other jobs come and go within seconds): every figure is the
 * median of BENCH_ROUNDS rounds. A round gives each side BENCH_SECONDS of running time in
 * slices of BENCH_SLICE seconds, the baseline and the ledger taking turns (the first turn
 * alternating between rounds), so both sides of a pair see the same background load; a
 * vacuum and checkpoint come before each round. The ratio reported is the median of the
 * per-round ratios, with their spread (min–max).
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

/** Running time of each side per round, in slices that take turns. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const SLICE = Number(process.env.BENCH_SLICE ?? 2);
/** Rounds per figure: the median is reported, with the spread of the per-round ratios. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Rounds for the secondary scenarios (100 postings, hot account, PGlite). */
const EXTRA_ROUNDS = Number(process.env.BENCH_EXTRA_ROUNDS ?? 3);
const SINGLE_ONLY = Boolean(process.env.BENCH_SINGLE_ONLY);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,4,16').split(',').map(Number);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ACCOUNTS = 2_000;

interface Row {
  scenario: string;
  clients: number;
  unit: string;
  /** Median over the rounds. */
  rate: number;
  baseline: number;
  baselineName: string;
  /** Median of the per-round ratios (ledger / baseline of the same round), and their range. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  rounds: number;
  postingsPerSecond?: number;
}

const rows: Row[] = [];

/** Pairs of (ledger, baseline) rates of one scenario, one pair per round. */
function row(scenario: string, clients: number, baselineName: string, pairs: [number, number][], postingsPerEntry?: number): Row {
  const ratios = pairs.map(([r, b]) => r / b);
  const rate = median(pairs.map(([r]) => r));
  return {
    scenario,
    clients,
    unit: 'entries/s',
    rate,
    baseline: median(pairs.map(([, b]) => b)),
    baselineName,
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    rounds: pairs.length,
    ...(postingsPerEntry ? { postingsPerSecond: rate * postingsPerEntry } : {}),
  };
}

const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
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
 * Before every round, for the baseline and the ledger alike: vacuum and analyze (so
 * autovacuum does not wake up on this 2-core machine in the middle of the round) and a
 * checkpoint (so neither side pays for the other's WAL).
 */
async function settle(db: Kysely<DB>): Promise<void> {
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}

type Run = (seconds: number) => Promise<number> | number;

/**
 * One round: each run gets SECONDS of time in slices of SLICE seconds, taking turns (the
 * order rotates with the round and with each slice). Returns each run's mean rate.
 */
async function interleaved(runs: Run[], round: number): Promise<number[]> {
  const slices = Math.max(1, Math.round(SECONDS / SLICE));
  const rates: number[][] = runs.map(() => []);
  for (let k = 0; k < slices; k++) {
    for (let j = 0; j < runs.length; j++) {
      const which = (j + k + round) % runs.length;
      rates[which]!.push(await runs[which]!(SLICE));
    }
  }
  return rates.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
}

function pgbenchTps(url: string, clients: number, seconds = SECONDS): number {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(Math.max(1, Math.round(seconds))), '-n', u.pathname.slice(1)];
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

    const single = (clients: number): Run => {
      // Low contention: each client works on its own slice of accounts.
      const slice = Math.floor(ACCOUNTS / clients);
      return (seconds) =>
        runFor(clients, seconds, (c, i) => {
          const base = c * slice;
          return entry(db, accounts[base + ((2 * i) % slice)]!, accounts[base + ((2 * i + 1) % slice)]!).then(() => undefined);
        });
    };
    const wide = (clients: number): Run => {
      const slice = Math.floor(ACCOUNTS / clients);
      return (seconds) =>
        runFor(clients, seconds, (c, i) => {
          const base = c * slice;
          const postings = Array.from({ length: 100 }, (_, k) => ({
            debitAccountId: accounts[base + ((i * 7 + k * 2) % slice)]!,
            creditAccountId: accounts[base + ((i * 7 + k * 2 + 1) % slice)]!,
            amount: Money.of(100n, 'IDR'),
          }));
          return createEntry(db, systemActor, { idempotencyKey: `bench-${process.pid}-${++keySeq}`, reason: 'bench', postings }).then(() => undefined);
        });
    };
    const hotAccount = (clients: number): Run => (seconds) => runFor(clients, seconds, (c, i) => entry(db, hot, accounts[1 + ((c * 997 + i) % (ACCOUNTS - 1))]!).then(() => undefined));
    const pgbench = (clients: number): Run => (seconds) => pgbenchTps(url.toString(), clients, seconds);

    // Warm-up, not measured: connections, prepared statements and plan caches of both sides.
    for (const clients of CLIENTS) {
      pgbenchTps(url.toString(), clients, 1);
      await runFor(clients, 1, (c, i) => entry(db, accounts[(c * 37 + 2 * i) % ACCOUNTS]!, accounts[(c * 37 + 2 * i + 1) % ACCOUNTS]!).then(() => undefined));
    }

    // pgbench and single-posting entries, paired per round and client count.
    const pairs = new Map<number, [number, number][]>(CLIENTS.map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const clients of CLIENTS) {
        await settle(db);
        const [baseline, ledger] = await interleaved([pgbench(clients), single(clients)], round);
        pairs.get(clients)!.push([ledger!, baseline!]);
        console.log(`  round ${round + 1}/${ROUNDS}, ${clients} client(s): pgbench ${baseline!.toFixed(0)} tps, ledger ${ledger!.toFixed(0)} entries/s (${(ledger! / baseline!).toFixed(2)}×)`);
      }
    }
    for (const clients of CLIENTS) {
      const r = row('single posting, low contention', clients, 'pgbench tps', pairs.get(clients)!, 1);
      rows.push(r);
      console.log(`  ${clients} client(s): pgbench ${fmt(pairs.get(clients)!.map(([, b]) => b))} tps; ledger ${fmt(pairs.get(clients)!.map(([l]) => l))} entries/s; median ratio ${r.ratio.toFixed(2)}× (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)})`);
    }

    if (!SINGLE_ONLY) {
      // The other scenarios, taking turns with pgbench in rounds of their own.
      for (const clients of CLIENTS) {
        const widePairs: [number, number][] = [];
        const hotPairs: [number, number][] = [];
        for (let round = 0; round < EXTRA_ROUNDS; round++) {
          await settle(db);
          const [baseline, w, h] = await interleaved([pgbench(clients), wide(clients), hotAccount(clients)], round);
          widePairs.push([w!, baseline!]);
          hotPairs.push([h!, baseline!]);
        }
        rows.push(row('100 postings per entry', clients, 'pgbench tps', widePairs, 100));
        rows.push(row('hot account (every entry)', clients, 'pgbench tps', hotPairs, 1));
        console.log(`  ${clients} client(s): 100 postings ${fmt(widePairs.map(([l]) => l))} entries/s; hot account ${fmt(hotPairs.map(([l]) => l))} entries/s; pgbench ${fmt(widePairs.map(([, b]) => b))} tps`);
      }
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
    const loop = (clients: number): Run => (seconds) =>
      runFor(clients, seconds, async (_c, i) => {
        const a = (i % ACCOUNTS) + 1;
        const b = ((i + 1) % ACCOUNTS) + 1;
        await db.transaction().execute(async (tx) => {
          await sql`update bench_accounts set balance = balance - 100 where id = ${a}`.execute(tx);
          await sql`update bench_accounts set balance = balance + 100 where id = ${b}`.execute(tx);
          await sql`insert into bench_history (a, b, amount) values (${a}, ${b}, 100)`.execute(tx);
        });
      });
    const single = (clients: number): Run => (seconds) => runFor(clients, seconds, (_c, i) => entry(db, accounts[(2 * i) % 200]!, accounts[(2 * i + 1) % 200]!).then(() => undefined));
    await single(1)(1); // warm-up
    for (const clients of [1, 4]) {
      const pairs: [number, number][] = [];
      for (let round = 0; round < EXTRA_ROUNDS; round++) {
        const [baseline, ledger] = await interleaved([loop(clients), single(clients)], round);
        pairs.push([ledger!, baseline!]);
      }
      rows.push(row('PGlite single posting', clients, 'BEGIN;UPDATE;UPDATE;INSERT;COMMIT loop', pairs, 1));
      console.log(`  ${clients} client(s): loop ${fmt(pairs.map(([, b]) => b))} tx/s; ledger ${fmt(pairs.map(([l]) => l))} entries/s`);
    }
    const report = await verifyLedger(db);
    console.log(`  ${formatVerifyReport(report)}`);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

function printTable(): void {
  const header = ['scenario', 'clients', 'ledger (median)', 'postings/s', 'baseline (median)', 'ratio (median of rounds)', 'ratio min–max', 'rounds'];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.clients),
    `${r.rate.toFixed(0)} ${r.unit}`,
    r.postingsPerSecond ? r.postingsPerSecond.toFixed(0) : '',
    `${r.baseline.toFixed(0)} (${r.baselineName})`,
    `${r.ratio.toFixed(2)}×`,
    `${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}`,
    String(r.rounds),
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
