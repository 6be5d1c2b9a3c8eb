import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { DataDirLockedError } from './datadir-lock.ts';
import { migrateToLatest, openDatabase, preparedQuery } from './database.ts';

const EXPECTED_TABLES = [
  'api_keys', 'audit_log', 'bank_statement_imports', 'bank_statement_lines', 'company_bank_accounts', 'customers', 'deposit_credits',
  'deposit_intents', 'dispute_messages', 'disputes', 'documents', 'fee_schedules', 'forwarding_settings', 'freight_tariffs', 'funding_settings',
  'fx_conversions', 'fx_rates', 'fx_spreads', 'gateway_payments', 'idempotency_keys', 'insurance_claims', 'job_schedules', 'jobs', 'journal_entries',
  'ledger_accounts', 'login_attempts', 'marking_codes', 'notifications', 'order_batches', 'order_installments', 'parcel_announcements',
  'parcel_claims', 'parcel_photos', 'parcel_transitions', 'parcels', 'password_reset_tokens', 'payee_blocklist', 'payees',
  'payment_order_transitions', 'payment_orders', 'payments_settings', 'payouts', 'postings', 'pricing_settings', 'quotes', 'recovery_codes',
  'risk_flags', 'sessions', 'shipment_transitions', 'shipments', 'suppliers', 'suspense_decisions', 'tax_rules', 'users', 'warehouses',
  'withdrawals',
];

describe.each(databaseTargets)('database on $name', (target) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('applies every migration on an empty database, then is idempotent', async () => {
    const first = await migrateToLatest(database.db);
    expect(first.applied).toEqual(['0001_foundation', '0002_ledger', '0003_pricing', '0004_funding', '0005_payments', '0006_forwarding', '0007_ledger_speed', '0008_import_speed']);
    const second = await migrateToLatest(database.db);
    expect(second.applied).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(database.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);
  });

  it('returns BIGINT as bigint at any size, and numeric as an exact string', async () => {
    const r = await sql<{ small: unknown; big: unknown; count: unknown; exact: unknown }>`
      select 1::bigint as small, 9223372036854775807::bigint as big, count(*) as count, 16254.123456789012::numeric as exact`.execute(database.db);
    const row = r.rows[0]!;
    expect(row.small).toBe(1n);
    expect(row.big).toBe(9223372036854775807n);
    expect(typeof row.count).toBe('bigint');
    expect(row.exact).toBe('16254.123456789012');
  });

  it('keeps the audit log append-only', async () => {
    await sql`insert into audit_log (id, actor_type, action, object_type) values ('aud_test', 'system', 'test', 'test')`.execute(database.db);
    await expect(sql`update audit_log set action = 'changed' where id = 'aud_test'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 'aud_test'`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('never loses an update under many concurrent read-modify-write transactions', async () => {
    await sql`create table counter_test (id int primary key, n bigint not null)`.execute(database.db);
    await sql`insert into counter_test values (1, 0)`.execute(database.db);
    const writers = 40;
    await Promise.all(
      Array.from({ length: writers }, () =>
        database.db.transaction().execute(async (tx) => {
          const { rows } = await sql<{ n: bigint }>`select n from counter_test where id = 1 for update`.execute(tx);
          // Yield between read and write, so interleaving would show if the dialect allowed it.
          await new Promise((resolve) => setTimeout(resolve, 1));
          await sql`update counter_test set n = ${rows[0]!.n + 1n} where id = 1`.execute(tx);
        }),
      ),
    );
    const { rows } = await sql<{ n: bigint }>`select n from counter_test where id = 1`.execute(database.db);
    expect(rows[0]!.n).toBe(BigInt(writers));
  });

  it('rolls back a failed transaction entirely', async () => {
    await sql`create table rollback_test (id int primary key)`.execute(database.db);
    await expect(
      database.db.transaction().execute(async (tx) => {
        await sql`insert into rollback_test values (1)`.execute(tx);
        await sql`insert into rollback_test values (1)`.execute(tx); // duplicate key
      }),
    ).rejects.toThrow();
    const { rows } = await sql<{ n: bigint }>`select count(*) as n from rollback_test`.execute(database.db);
    expect(rows[0]!.n).toBe(0n);
  });

  it('runs a prepared query by name on PostgreSQL, in and out of transactions, also after a failed call', async () => {
    const addOne = preparedQuery('test_add_one', 'select $1::int + 1 as n');
    expect(() => preparedQuery('test_add_one', 'select $1::int + 2 as n')).toThrow(/already used/);
    expect(() => preparedQuery('test_add_two', 'select $1::int + 1 as n')).toThrow(/already used/);
    const { rows, prepared } = await database.db.connection().execute(async (conn) => {
      await expect(conn.executeQuery(addOne(['not a number']))).rejects.toThrow();
      const first = await conn.executeQuery<{ n: number }>(addOne([41]));
      const inTx = await conn.transaction().execute((tx) => tx.executeQuery<{ n: number }>(addOne([1])));
      const names = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(conn);
      return { rows: [...first.rows, ...inTx.rows], prepared: names.rows.map((r) => r.name) };
    });
    expect(rows.map((r) => r.n)).toEqual([42, 2]);
    // PostgreSQL parses and plans it once per connection; PGlite runs it as any other query.
    expect(prepared.includes('test_add_one')).toBe(target.name === 'postgres');
  });
});

describe('PGlite dialect serialisation', () => {
  it('runs plain queries issued during a transaction after it, not inside it', async () => {
    const database = await openDatabase({ pgliteDir: 'memory://' });
    try {
      await sql`create table t (v int)`.execute(database.db);
      const inTx = database.db.transaction().execute(async (tx) => {
        await sql`insert into t values (1)`.execute(tx);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      });
      // Issued while the transaction is open: on a naive dialect it would run inside it
      // and be rolled back with it.
      const outside = sql`insert into t values (2)`.execute(database.db);
      await expect(inTx).rejects.toThrow('roll back');
      await outside;
      const { rows } = await sql<{ v: number }>`select v from t order by v`.execute(database.db);
      expect(rows.map((r) => r.v)).toEqual([2]);
    } finally {
      await database.close();
    }
  });
});

describe('PGlite data directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-db-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is locked against a second opener and keeps data across close and reopen', async () => {
    const first = await openDatabase({ pgliteDir: dir });
    await migrateToLatest(first.db);
    await sql`insert into customers (id, kind, name) values ('cus_persist', 'person', 'Persisted')`.execute(first.db);
    await expect(openDatabase({ pgliteDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();

    const second = await openDatabase({ pgliteDir: dir });
    try {
      const row = await second.db.selectFrom('customers').select('name').where('id', '=', 'cus_persist').executeTakeFirst();
      expect(row?.name).toBe('Persisted');
    } finally {
      await second.close();
    }
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const stale = fs.mkdtempSync(path.join(os.tmpdir(), 'jbt-stale-'));
    fs.writeFileSync(path.join(stale, 'jembatan.lock'), '999999999');
    const database = await openDatabase({ pgliteDir: stale });
    await database.close();
    expect(fs.existsSync(path.join(stale, 'jembatan.lock'))).toBe(false);
    fs.rmSync(stale, { recursive: true, force: true });
  });
});
