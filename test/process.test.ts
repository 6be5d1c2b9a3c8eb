import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IMPORTER, DEMO_PASSWORD, DEMO_STAFF } from '../src/seed/demo.ts';
import { HttpClient } from './support/http.ts';
import { runCli, startServerProcess } from './support/processes.ts';

describe('jembatan serve as a real process on PGlite', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-proc-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds demo data once, refuses a second process on the same data, and keeps data across a restart', async () => {
    const env = { JEMBATAN_DATA_DIR: dataDir };
    const first = await startServerProcess(env);
    let stopped = false;
    try {
      expect(first.output()).toContain(DEMO_IMPORTER.email);
      expect(first.output()).toContain(DEMO_PASSWORD);
      const client = new HttpClient(first.url);
      const login = await client.post('/api/auth/login', { email: DEMO_IMPORTER.email, password: DEMO_PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body.customer.name).toBe(DEMO_IMPORTER.customer);
      expect((await client.patch('/api/account', { name: 'Budi (after restart)' })).status).toBe(200);

      const second = await runCli(['serve'], { ...env, PORT: '0', HOST: '127.0.0.1' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/in use by another Jembatan process/);

      expect(await first.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) await first.stop();
    }

    const again = await startServerProcess(env);
    try {
      const client = new HttpClient(again.url);
      const login = await client.post('/api/auth/login', { email: DEMO_IMPORTER.email, password: DEMO_PASSWORD });
      expect(login.body.user.name).toBe('Budi (after restart)');
      const { readyz, health } = { readyz: await fetch(`${again.url}/readyz`), health: await fetch(`${again.url}/healthz`) };
      expect(health.status).toBe(200);
      expect(await readyz.json()).toEqual({ status: 'ready', database: 'pglite' });
      const docs = await fetch(`${again.url}/docs/json`);
      const openapi = (await docs.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(openapi.openapi).toMatch(/^3\./);
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/staff/users']));
    } finally {
      expect(await again.stop()).toBe(0);
    }
    // No second seeding: one demo importer user, the staff list once.
    const seed = await runCli(['seed'], env);
    expect(seed.stdout).toContain('nothing seeded');
  });
});

describe('jembatan CLI', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-cli-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints help listing its commands', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['serve', 'worker', 'migrate', 'seed', 'user']) expect(help.stdout).toContain(cmd);
    const userHelp = await runCli(['user', 'create', '--help']);
    expect(userHelp.stdout).toContain('--role <role>');
  });

  // Six CLI processes, each starting TypeScript and PGlite: slow on a busy 2-core machine.
  it('migrates, creates users, and refuses bad input with a clear message', { timeout: 240_000 }, async () => {
    const env = { JEMBATAN_DATA_DIR: dataDir };
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('0001_foundation');
    expect((await runCli(['migrate'], env)).stdout).toContain('up to date');

    const staff = await runCli(['user', 'create', '--email', 'ops@example.test', '--name', 'Ops', '--role', 'ops'], { ...env, JEMBATAN_PASSWORD: 'a long password!' });
    expect(staff.code).toBe(0);
    expect(staff.stdout).toMatch(/Created ops ops@example\.test \(usr_[0-9a-z]+\)/);

    const importer = await runCli(['user', 'create', '--email', 'buyer@example.test', '--name', 'Buyer', '--role', 'importer', '--customer-name', 'UD Buyer', '--password', 'a long password!'], env);
    expect(importer.code).toBe(0);

    const badRole = await runCli(['user', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'boss', '--password', 'a long password!'], env);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('must be one of importer, ops');
    const dup = await runCli(['user', 'create', '--email', 'OPS@example.test', '--name', 'Ops', '--role', 'ops', '--password', 'a long password!'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already registered');
  });

  // Five CLI processes, each starting TypeScript and PGlite: slow on a busy 2-core machine.
  it('imports a bank statement file into the demo BCA account: all or nothing, then once', { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-cli-import-'));
    try {
      const env = { JEMBATAN_DATA_DIR: dir };
      expect((await runCli(['seed'], env)).code).toBe(0);
      const good = ['Periode : 01/11/2026 - 30/11/2026', 'Tanggal Transaksi,Keterangan,Cabang,Jumlah,Saldo', `'02/11,SETORAN TUNAI,0000,"1,500,000.00 CR","26,500,000.00"`];
      fs.writeFileSync(path.join(dir, 'good.csv'), good.join('\n'));
      fs.writeFileSync(path.join(dir, 'bad.csv'), [...good, `'03/11,RUSAK,0000,"1,5x0.00 CR","1.00"`].join('\n'));
      const bad = await runCli(['funding', 'import', '--bank', 'bca-operasional', '--file', path.join(dir, 'bad.csv')], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('statement_rejected');
      expect(bad.stderr).toMatch(/line 4, column Jumlah: .*not an amount/);
      const first = await runCli(['funding', 'import', '--bank', 'bca-operasional', '--file', path.join(dir, 'good.csv')], env);
      expect(first.stdout, first.stderr).toContain('Imported: 1 new line(s), 0 already known, 0 credit(s) matched, 1 to review');
      const again = await runCli(['funding', 'import', '--bank', 'bank:bca-operasional', '--file', path.join(dir, 'good.csv')], env);
      expect(again.stdout).toContain('Imported: 0 new line(s), 1 already known');
      expect((await runCli(['ledger', 'verify'], env)).code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid environment, naming each bad variable and hiding secrets', async () => {
    const res = await runCli(['migrate'], { PORT: 'eighty', DATABASE_URL: 'mysql://x', JEMBATAN_SECRET_KEY: 'tooshort-secret-value' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('PORT="eighty": must be a whole number');
    expect(res.stderr).toContain('DATABASE_URL="mysql://x": must start with postgres://');
    expect(res.stderr).toContain('JEMBATAN_SECRET_KEY=(value hidden)');
    expect(res.stderr).not.toContain('tooshort-secret-value');
  });
});

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('jembatan on PostgreSQL: serve and separate workers', () => {
  it('serves with DATABASE_URL and leaves jobs to `jembatan worker`', async () => {
    const { databaseTargets } = await import('./support/databases.ts');
    const target = databaseTargets.find((t) => t.name === 'postgres')!;
    const database = await target.open();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-pg-'));
    const env = { DATABASE_URL: database.url!, JEMBATAN_DATA_DIR: dataDir };
    const server = await startServerProcess(env);
    try {
      expect(server.output()).toContain('run `jembatan worker` beside it');
      const client = new HttpClient(server.url);
      const admin = DEMO_STAFF.find((s) => s.role === 'admin')!;
      expect((await client.post('/api/auth/password-reset/request', { email: admin.email })).status).toBe(202);
      // (The demo data's own mails, e.g. parcels received for the demo importer, wait beside it.)
      const pending = await database.db.selectFrom('jobs').select(['id', 'status']).where('name', '=', 'mail.send').where(sql<string>`payload->>'to'`, '=', admin.email).execute();
      expect(pending).toEqual([{ id: expect.any(String), status: 'pending' }]);

      const worker = await import('node:child_process').then(({ spawn }) =>
        spawn(process.execPath, ['bin/jembatan.js', 'worker'], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] }),
      );
      let mailOut = '';
      worker.stdout.on('data', (d) => (mailOut += d));
      const deadline = Date.now() + 30_000;
      let status = 'pending';
      while (status !== 'done' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await database.db.selectFrom('jobs').select('status').where('id', '=', pending[0]!.id).executeTakeFirstOrThrow()).status;
      }
      worker.kill('SIGTERM');
      const code = await new Promise((r) => worker.once('exit', r));
      expect(status).toBe('done');
      expect(mailOut).toContain(`To: ${admin.email}`);
      expect(code).toBe(0);
    } finally {
      await server.stop();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
