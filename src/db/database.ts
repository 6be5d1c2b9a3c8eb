import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './datadir-lock.ts';
import { migrationProvider } from './migrations/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** For logs: never contains a password. */
  description: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; absent means PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` for an in-memory database (tests). */
  pgliteDir?: string;
  poolSize?: number;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/** BIGINT always comes back as bigint, whatever its size and whichever driver. */
const parseInt8 = (value: string) => BigInt(value);
/** A calendar date stays the string `YYYY-MM-DD`: a Date would shift with the process's time zone. */
const parseDate = (value: string) => value;

/** SQL text → statement name, for `preparedQuery`. */
const namedStatements = new Map<string, string>();

/**
 * A hot statement that PostgreSQL connections run as a named prepared statement: parsed
 * and planned once per connection, then only bound and executed (PGlite runs it as any
 * other query). Returns a builder of the query to pass to `db.executeQuery`, in or out
 * of a transaction. The text is matched exactly, so keep it constant (parameters only).
 */
export function preparedQuery(name: string, text: string): (parameters: readonly unknown[]) => CompiledQuery {
  for (const [t, n] of namedStatements) {
    if ((n === name) !== (t === text)) throw new Error(`Prepared statement ${name}: the name or the text is already used for another statement`);
  }
  namedStatements.set(text, name);
  return (parameters) => CompiledQuery.raw(text, [...parameters]);
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Kysely calls `client.query(text, values)`: texts registered by `preparedQuery` go by name. */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  const named: QueryFn = (config, values, callback) => {
    const name = typeof config === 'string' ? namedStatements.get(config) : undefined;
    return name === undefined ? query(config, values, callback) : query({ name, text: config, values }, callback);
  };
  (client as unknown as { query: QueryFn }).query = named;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPGlite(options.pgliteDir ?? 'memory://');
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : oid === DATE_OID ? parseDate : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server drops (restart, failover) must not crash the
  // process: the pool discards it and opens a new one on the next query.
  pool.on('error', () => {});
  pool.on('connect', useNamedStatements);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    db,
    kind: 'postgres',
    description: `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`,
    close: () => db.destroy(),
  };
}

async function openPGlite(dir: string): Promise<Database> {
  const inMemory = dir.startsWith('memory://');
  const unlock = inMemory ? () => {} : lockDataDir(dir);
  try {
    const pglite = new PGlite({
      ...(inMemory ? {} : { dataDir: path.join(dir, 'pglite') }),
      parsers: { [INT8_OID]: parseInt8, [DATE_OID]: parseDate },
    });
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      description: inMemory ? 'PGlite (in memory)' : `PGlite ${path.join(dir, 'pglite')}`,
      async close() {
        try {
          await db.destroy();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

export async function pingDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Use cases that lock rows (`FOR UPDATE`) and write several tables must run inside the
 * caller's transaction: outside one the locks end with each statement and a failure
 * leaves half the writes behind. A programming error, so a plain Error.
 */
export function assertInTransaction(db: Kysely<DB>, useCase: string): void {
  if (!db.isTransaction) throw new Error(`${useCase} must run inside a transaction`);
}
