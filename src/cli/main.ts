import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, redactUrl, type Config } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { createContext, startPlatform } from '../app/platform.ts';
import { systemActor } from '../audit/audit.ts';
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { DataDirLockedError } from '../db/datadir-lock.ts';
import { createCustomer, createUser } from '../identity/users.ts';
import { currentTotp } from '../identity/totp.ts';
import { Worker } from '../jobs/worker.ts';
import { formatVerifyReport, verifyLedger } from '../ledger/verify.ts';
import { importBankStatement, previewStatement } from '../funding/statement-import.ts';
import { findAccountByCode } from '../ledger/accounts.ts';
import { AppError } from '../app/errors.ts';
import { DEMO_TOTP_SECRET, demoLoginsText, seedDemoData } from '../seed/demo.ts';

function config(overrides: Partial<Config> = {}): Config {
  return loadConfig(process.env, overrides);
}

function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal} received: shutting down…\n`);
    stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`Shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

const program = new Command()
  .name('jembatan')
  .description('Jembatan: the platform for a 1688 payment agent.\nConfiguration comes from the environment (PORT, HOST, DATABASE_URL, JEMBATAN_DATA_DIR, SMTP_URL, PUBLIC_BASE_URL, LOG_LEVEL…).')
  .showHelpAfterError();

program
  .command('serve')
  .description('migrate, seed demo data if the database is empty, and serve the API and web UI')
  .option('-p, --port <port>', 'port to listen on (default: $PORT or 3000)', parsePort)
  .action(async (opts: { port?: number }) => {
    const cfg = config(opts.port !== undefined ? { port: opts.port } : {});
    const platform = await startPlatform(cfg);
    onShutdownSignal(platform.stop);
    const db = cfg.databaseUrl ? redactUrl(cfg.databaseUrl) : `${platform.ctx.database.description} (embedded)`;
    process.stdout.write(
      [
        '',
        `Jembatan is running at ${platform.url}`,
        `  database: ${db}`,
        `  worker:   ${cfg.inlineWorker ? 'in this process' : 'off here: run `jembatan worker` beside it'}`,
        `  API docs: ${platform.url}/docs`,
        '',
        demoLoginsText(),
        '',
      ].join('\n'),
    );
  });

program
  .command('worker')
  .description('run background jobs (for PostgreSQL deployments; several may run at once)')
  .action(async () => {
    const cfg = config();
    if (!cfg.databaseUrl) {
      throw new Error('`jembatan worker` needs DATABASE_URL: with embedded PGlite the worker runs inside `jembatan serve`.');
    }
    const ctx = await createContext(cfg);
    const worker = new Worker(ctx.database.db, ctx.jobs, ctx.logger);
    await worker.start();
    onShutdownSignal(async () => {
      await worker.stop();
      await ctx.database.close();
    });
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDir: cfg.dataDir });
    try {
      const { applied } = await migrateToLatest(database.db);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('load demo data into an empty database')
  .action(async () => {
    const cfg = config();
    const ctx = await createContext(cfg, { logger: createLogger({ logLevel: 'warn' }) });
    try {
      await migrateToLatest(ctx.database.db);
      const seeded = await seedDemoData(ctx.database.db, ctx.secrets);
      process.stdout.write(seeded ? `Demo data loaded.\n${demoLoginsText()}\n` : 'The database already has users: nothing seeded.\n');
    } finally {
      await ctx.database.close();
    }
  });

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user (staff, or an importer with a new customer account)')
  .requiredOption('--email <email>', 'login e-mail')
  .requiredOption('--name <name>', 'full name')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
  .option('--password <password>', 'password (or set JEMBATAN_PASSWORD, which keeps it out of shell history)')
  .option('--customer-name <name>', 'importers: name of the new customer account')
  .option('--customer-kind <kind>', 'importers: company or person', 'company')
  .option('--customer-id <id>', 'importers: join an existing customer account instead')
  .action(async (opts: { email: string; name: string; role: Role; password?: string; customerName?: string; customerKind: string; customerId?: string }) => {
    const password = opts.password ?? process.env.JEMBATAN_PASSWORD;
    if (!password) throw new Error('Give --password or set JEMBATAN_PASSWORD.');
    if (opts.role === 'importer' && !opts.customerId && !opts.customerName) throw new Error('An importer needs --customer-name (new account) or --customer-id.');
    if (opts.customerKind !== 'company' && opts.customerKind !== 'person') throw new Error('--customer-kind must be company or person.');
    const cfg = config();
    const ctx = await createContext(cfg, { logger: createLogger({ logLevel: 'warn' }) });
    try {
      await migrateToLatest(ctx.database.db);
      const created = await ctx.database.db.transaction().execute(async (tx) => {
        let customerId: string | null = null;
        if (opts.role === 'importer') {
          customerId = opts.customerId ?? (await createCustomer(tx, systemActor, { kind: opts.customerKind as 'company', name: opts.customerName! })).id;
        }
        return createUser(tx, systemActor, { email: opts.email, name: opts.name, password, role: opts.role, customerId });
      });
      process.stdout.write(`Created ${created.role} ${created.email} (${created.id}).${created.role !== 'importer' ? ' Staff set up 2FA at first login.' : ''}\n`);
    } finally {
      await ctx.database.close();
    }
  });

const ledger = program.command('ledger').description('ledger tools');
ledger
  .command('verify')
  .description('recompute every balance from the postings and check that all entries balance; exits 1 on any difference')
  .action(async () => {
    const cfg = config();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDir: cfg.dataDir });
    try {
      await migrateToLatest(database.db);
      const report = await verifyLedger(database.db);
      process.stdout.write(`${formatVerifyReport(report)}\n`);
      if (!report.ok) process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

const funding = program.command('funding').description('funding tools');
funding
  .command('import')
  .description('import a bank statement file into a company bank account (same rules as the console: all or nothing unless --skip-bad-lines)')
  .requiredOption('--bank <account>', 'company bank account: its ledger account id (acc_…) or code (bank:bca-operasional)')
  .requiredOption('--file <path>', 'the statement file (CSV or MT940)')
  .option('--format <id>', 'statement format id (default: the bank account\'s)')
  .option('--skip-bad-lines', 'import the readable lines and list the bad ones')
  .option('--preview', 'parse and match only; write nothing')
  .action(async (opts: { bank: string; file: string; format?: string; skipBadLines?: boolean; preview?: boolean }) => {
    const cfg = config();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDir: cfg.dataDir });
    try {
      await migrateToLatest(database.db);
      const bank = opts.bank.startsWith('acc_') ? opts.bank : (await findAccountByCode(database.db, opts.bank.startsWith('bank:') ? opts.bank : `bank:${opts.bank}`, 'IDR'))?.id;
      if (!bank) throw new AppError('not_found', `No company bank account ${opts.bank}.`);
      const file = { bankAccountId: bank, fileName: path.basename(opts.file), content: await readFile(opts.file, 'utf8'), ...(opts.format ? { format: opts.format } : {}), skipBadLines: !!opts.skipBadLines };
      const result = opts.preview ? await previewStatement(database.db, file) : (await importBankStatement(database.db, { ...systemActor, requestId: 'cli' }, file)).import;
      const summary = 'summary' in result ? result.summary : result;
      process.stdout.write(
        `${opts.preview ? 'Preview' : 'Imported'}: ${summary.linesNew} new line(s), ${summary.linesDuplicate} already known, ${summary.creditsMatched} credit(s) matched, ${summary.creditsReview} to review, ${summary.debits} debit(s), ${summary.linesSkipped} skipped.\n`,
      );
      const rec = result.reconciliation;
      if (rec.difference) process.stdout.write(`Statement balance ${rec.statementBalance!.toDecimalString()} vs ledger ${rec.ledgerBalance.toDecimalString()}: difference ${rec.difference.toDecimalString()}.\n`);
    } catch (err) {
      const e = err as { code?: string; message: string; extra?: { problems?: { line: number; column: string | null; message: string }[] } };
      if (!e.code) throw err;
      process.stderr.write(`${e.code}: ${e.message}\n`);
      for (const p of e.extra?.problems ?? []) process.stderr.write(`  line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}\n`);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program
  .command('demo')
  .description('demo helpers')
  .command('totp')
  .description('print the current 2FA code of the demo staff accounts')
  .action(() => {
    process.stdout.write(`${currentTotp(DEMO_TOTP_SECRET)}\n`);
  });

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

function parseRole(v: string): Role {
  if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return v as Role;
}

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    process.stderr.write(`${err.message}\n`);
  } else if (err instanceof Error && err.name === 'AppError') {
    process.stderr.write(`Error: ${err.message}\n`);
  } else {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
