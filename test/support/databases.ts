import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

/**
 * Every database test runs against embedded PGlite, and also against the real PostgreSQL
 * server named by TEST_DATABASE_URL when it is set (CI sets it). Each test file gets a
 * database of its own, dropped at the end.
 */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this file's database (child processes can use it). */
  url?: string;
}

const pgliteTarget: DatabaseTarget = {
  name: 'pglite',
  open: () => openDatabase({ pgliteDir: 'memory://' }),
};

function postgresTarget(adminUrl: string): DatabaseTarget {
  return {
    name: 'postgres',
    async open() {
      const name = `jbt_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 8 });
      return {
        ...database,
        url: url.toString(),
        async close() {
          await database.close();
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          try {
            // The pool's sockets close just after pool.end() resolves: wait for them rather
            // than killing them (FORCE would make their clients raise errors).
            for (let attempt = 0; ; attempt++) {
              try {
                await c.query(`drop database if exists ${name}`);
                break;
              } catch (err) {
                if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
                await new Promise((r) => setTimeout(r, 100));
              }
            }
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}

export const databaseTargets: DatabaseTarget[] = [
  pgliteTarget,
  ...(process.env.TEST_DATABASE_URL ? [postgresTarget(process.env.TEST_DATABASE_URL)] : []),
];
