/**
 * Bank statement import throughput against a baseline measured in the same run (the
 * machines are shared and noisy: only the ratio means something).
 *
 *   npm run bench:import                      # PostgreSQL at BENCH_DATABASE_URL (default local), then PGlite
 *   BENCH_LINES=20000 BENCH_INTENTS=10000 npm run bench:import   # smaller
 *   BENCH_SKIP_PG=1 / BENCH_SKIP_PGLITE=1      # one side only
 *   BENCH_DROP_FKS=postings,bank_statement_lines   # experiment: without those tables' foreign keys (1 = the usual four)
 *
 * Setup: 50,000 open deposit intents (distinct unique-code amounts) for 5,000 customers, and
 * a generated 100,000-line KlikBCA CSV statement: 40 % pay an intent by its exact amount,
 * 10 % name an intent's reference code, 30 % are unknown credits (to suspense), 20 % debits.
 * Baseline: the same parsed lines inserted into a scratch table with plain multi-row
 * INSERTs (1,000 rows each) in one transaction. Measured: importBankStatement end to end —
 * parse, fingerprint, duplicate check, matching, one ledger entry per credit, lines,
 * deposit credits and status changes, reconciliation, audit — in one transaction.
 */
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/audit/audit.ts';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';
import { configureBankAccount } from '../src/funding/bank-accounts.ts';
import { newReferenceCode } from '../src/funding/deposits.ts';
import { importBankStatement } from '../src/funding/statement-import.ts';
import { findStatementFormat, parseStatement } from '../src/funding/statement-parse.ts';
import { jakartaToday } from '../src/costing/tax-rules.ts';
import { createCompanyAccount } from '../src/ledger/accounts.ts';
import { formatVerifyReport, verifyLedger } from '../src/ledger/verify.ts';
import { newId } from '../src/lib/ids.ts';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const INTENTS = Number(process.env.BENCH_INTENTS ?? 50_000);
const CUSTOMERS = Math.max(1, Math.floor(INTENTS / 10));
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Intent {
  id: string;
  amountDue: bigint;
  referenceCode: string;
}

async function setup(db: Kysely<DB>): Promise<{ bankId: string; intents: Intent[] }> {
  const bank = await createCompanyAccount(db, systemActor, { type: 'bank', slug: 'bca-bench', name: 'BCA bench', currency: 'IDR' });
  await configureBankAccount(db, systemActor, bank.id, { bankCode: 'BCA', accountNumber: '1234567890', holderName: 'PT Bench', statementFormat: 'bca-csv', acceptsDeposits: true });
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: newId('customer'), kind: 'company' as const, name: `PT Bench ${i}` }));
  for (let i = 0; i < customers.length; i += 1000) await db.insertInto('customers').values(customers.slice(i, i + 1000)).execute();
  const intents: Intent[] = [];
  const rows = [];
  const expires = new Date(Date.now() + 24 * 3600_000);
  for (let i = 0; i < INTENTS; i++) {
    // Requested amounts in steps of Rp 1.000.000, codes 1–999: every amount due distinct.
    const code = (i % 999) + 1;
    const requested = BigInt(1_000_000 + Math.floor(i / 999) * 1_000_000) * 100n;
    const intent = { id: newId('deposit'), amountDue: requested + BigInt(code) * 100n, referenceCode: newReferenceCode() };
    intents.push(intent);
    rows.push({
      id: intent.id,
      customer_id: customers[i % customers.length]!.id,
      bank_account_id: bank.id,
      purpose: 'wallet_topup' as const,
      reference_code: intent.referenceCode,
      requested_amount: requested,
      unique_code: code,
      amount_due: intent.amountDue,
      expires_at: expires,
    });
  }
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('deposit_intents').values(rows.slice(i, i + 1000)).execute();
  return { bankId: bank.id, intents };
}

function bcaAmount(minor: bigint): string {
  return `${(minor / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${(minor % 100n).toString().padStart(2, '0')}`;
}

function statement(intents: Intent[]): { content: string; expectMatched: number } {
  const today = jakartaToday();
  const [y, m, d] = today.split('-');
  const lines = ['No. rekening : 1234567890', `Periode : 01/${m}/${y} - 28/${m}/${y}`, 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo'];
  let balance = 0n;
  let next = 0;
  let matched = 0;
  for (let i = 0; i < LINES; i++) {
    const kind = i % 10;
    let text: string;
    let amount: bigint;
    let mark = 'CR';
    if (kind < 4 && next < intents.length) {
      const intent = intents[next++]!;
      text = `TRSF E-BANKING CR ${String(i).padStart(6, '0')}/FTSCY/WS9 PT PEMBELI`;
      amount = intent.amountDue;
      matched++;
    } else if (kind === 4 && next < intents.length) {
      const intent = intents[next++]!;
      text = `TRSF E-BANKING CR ${intent.referenceCode} ${String(i).padStart(6, '0')}`;
      amount = intent.amountDue - 100n * 100n;
      matched++;
    } else if (kind < 8) {
      text = `SETORAN TUNAI ${String(i).padStart(6, '0')}`;
      amount = BigInt(50_000 + (i % 7919)) * 100n + 37n * 100n;
    } else {
      text = `BIAYA TRANSFER ${String(i).padStart(6, '0')}`;
      amount = 6_500n * 100n;
      mark = 'DB';
    }
    balance += mark === 'CR' ? amount : -amount;
    lines.push(`'${d}/${m},${text},0000,"${bcaAmount(amount)} ${mark}","${bcaAmount(balance)}"`);
  }
  return { content: lines.join('\n'), expectMatched: matched };
}

async function baselineInsert(db: Kysely<DB>, content: string): Promise<number> {
  const parsed = parseStatement(findStatementFormat('bca-csv')!, content, '1234567890').lines;
  await sql`create table if not exists bench_scratch_lines (id text primary key, value_date date, description text, direction text, amount bigint, balance_after bigint)`.execute(db);
  await sql`truncate bench_scratch_lines`.execute(db);
  const started = performance.now();
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < parsed.length; i += 1000) {
      const chunk = parsed.slice(i, i + 1000);
      const values = sql.join(chunk.map((l, j) => sql`(${`l${i + j}`}, ${l.date}::date, ${l.description}, ${l.direction}, ${l.amount}, ${l.balance})`));
      await sql`insert into bench_scratch_lines (id, value_date, description, direction, amount, balance_after) values ${values}`.execute(tx);
    }
  });
  return parsed.length / ((performance.now() - started) / 1000);
}

async function run(database: Database, label: string): Promise<void> {
  const db = database.db;
  await migrateToLatest(db);
  process.stdout.write(`${label}: setting up ${INTENTS.toLocaleString('en')} intents… `);
  const { bankId, intents } = await setup(db);
  if (process.env.BENCH_DROP_FKS) {
    // An experiment, never the measured figure: what the foreign keys of these tables cost.
    const tables = process.env.BENCH_DROP_FKS === '1' ? ['postings', 'bank_statement_lines', 'deposit_credits', 'journal_entries'] : process.env.BENCH_DROP_FKS.split(',');
    if (!tables.every((t) => /^[a-z_]+$/.test(t))) throw new Error('BENCH_DROP_FKS: table names, comma-separated');
    console.log(`(experiment: foreign keys of ${tables.join(', ')} dropped)`);
    const list = sql.raw(tables.map((t) => `'${t}'`).join(','));
    await sql`do $$ declare r record; begin for r in select conrelid::regclass as t, conname from pg_constraint where contype = 'f' and conrelid::regclass::text in (${list}) loop execute format('alter table %s drop constraint %I', r.t, r.conname); end loop; end $$`.execute(db);
  }
  const { content, expectMatched } = statement(intents);
  console.log(`statement of ${LINES.toLocaleString('en')} lines (${(content.length / 1e6).toFixed(1)} MB)`);
  await sql`vacuum analyze`.execute(db).catch(() => {});

  const baseline = await baselineInsert(db, content);
  const started = performance.now();
  const result = await importBankStatement(db, systemActor, { bankAccountId: bankId, fileName: 'bench.csv', content });
  const seconds = (performance.now() - started) / 1000;
  const rate = LINES / seconds;
  const imp = result.import;
  if (imp.creditsMatched !== expectMatched) throw new Error(`expected ${expectMatched} matches, got ${imp.creditsMatched}`);
  const report = await verifyLedger(db);
  if (!report.ok) throw new Error(formatVerifyReport(report));
  // A second import of the same file: everything known, nothing moves.
  const again = performance.now();
  const second = await importBankStatement(db, systemActor, { bankAccountId: bankId, fileName: 'bench.csv', content });
  const againSeconds = (performance.now() - again) / 1000;
  if (second.import.linesNew !== 0) throw new Error('re-import added lines');

  console.log(`  baseline (multi-row INSERT of the parsed lines): ${Math.round(baseline).toLocaleString('en')} lines/s`);
  console.log(`  import (parse + match + ledger + lines + credits): ${Math.round(rate).toLocaleString('en')} lines/s in ${seconds.toFixed(1)} s`);
  console.log(`    matched ${imp.creditsMatched.toLocaleString('en')}, review ${imp.creditsReview.toLocaleString('en')}, debits ${imp.debits.toLocaleString('en')}; ledger verify ok (${report.entries.toLocaleString('en')} entries)`);
  console.log(`  ratio import / baseline: ${(rate / baseline).toFixed(2)}×   (target ≥ 0.25×)`);
  console.log(`  re-import of the same file (all duplicates): ${(LINES / againSeconds).toFixed(0)} lines/s`);
}

async function main(): Promise<void> {
  console.log(`bench:import — ${LINES.toLocaleString('en')} lines, ${INTENTS.toLocaleString('en')} open intents\n`);
  if (!process.env.BENCH_SKIP_PG) {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const name = `jembatan_bench_import_${Date.now()}`;
    await admin.query(`create database ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      await run(database, 'PostgreSQL');
    } finally {
      await database.close();
      await admin.query(`drop database ${name}`);
      await admin.end();
    }
  }
  if (!process.env.BENCH_SKIP_PGLITE) {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    try {
      await run(database, '\nPGlite (in memory)');
    } finally {
      await database.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
