import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { StatementPipeline } from './pipeline.ts';

describe.each(databaseTargets)('statement pipeline on $name', (target) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await target.open();
    await sql`create table pipeline_rows (n integer primary key)`.execute(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  const count = async () => (await sql<{ n: number }>`select count(*)::int as n from pipeline_rows`.execute(database.db)).rows[0]!.n;

  it('runs the statements in order and hands each its rows', async () => {
    const seen: number[] = [];
    await database.db.transaction().execute(async (tx) => {
      const pipeline = new StatementPipeline(tx);
      for (let i = 1; i <= 5; i++) await pipeline.push(sql<{ n: number }>`insert into pipeline_rows values (${i}) returning n`, (rows) => seen.push(rows[0]!.n));
      await pipeline.drain();
    });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await count()).toBe(5);
    await sql`delete from pipeline_rows`.execute(database.db);
  });

  it('a failed statement surfaces at the next push; nothing after it is sent and the transaction keeps nothing', async () => {
    let pushedAfterFailure = false;
    await expect(
      database.db.transaction().execute(async (tx) => {
        const pipeline = new StatementPipeline(tx);
        await pipeline.push(sql`insert into pipeline_rows values (1)`);
        await pipeline.push(sql`insert into pipeline_rows values (1)`); // duplicate key
        await pipeline.push(sql`insert into pipeline_rows values (2)`);
        pushedAfterFailure = true;
        await pipeline.drain();
      }),
    ).rejects.toThrow(/duplicate key|unique/);
    expect(pushedAfterFailure).toBe(false);
    expect(await count()).toBe(0);
  });

  it('a caller that throws while a statement is in flight rolls it back with the rest', async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        const pipeline = new StatementPipeline(tx);
        await pipeline.push(sql`insert into pipeline_rows values (1)`);
        await pipeline.push(sql`insert into pipeline_rows select 100 + g from generate_series(1, 5000) g`);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow(/changed its mind/);
    expect(await count()).toBe(0);
  });

  it('runs only inside a transaction', () => {
    expect(() => new StatementPipeline(database.db)).toThrow(/inside a transaction/);
  });
});
