import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../../test/support/databases.ts';
import { bigintArray, booleanArray, integerArray, textArray } from './arrays.ts';

describe.each(databaseTargets)('column arrays on $name', (target) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('text arrays come back element for element: quotes, backslashes, braces, commas, NULL as text, empty, unicode, nulls', async () => {
    const tricky = ['', 'NULL', 'null', 'a,b', '{x}', '"', '\\', '\\"', ' lead', 'trail ', 'Rp 1.234,00', '付款凭证', 'é\u00a0x', "it's"];
    const check = async (values: (string | null)[]) => {
      const { rows } = await sql<{ v: string | null; n: number }>`select v, n::int as n from unnest(${textArray(values)}) with ordinality as x(v, n) order by n`.execute(database.db);
      expect(rows.map((r) => r.v)).toEqual(values);
    };
    await check(tricky);
    await check([...tricky, null, 'after null']);
    await check([]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: fc.constantFrom('a', ',', '"', '\\', '{', '}', ' ', 'N', 'U', 'L', 'é', '\n') }), { nil: null }), { maxLength: 20 }), check),
      { numRuns: 50 },
    );
  });

  it('number and boolean arrays keep their values exactly (bigint beyond 2^53)', async () => {
    const big = [0n, -1n, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n];
    const { rows } = await sql<{ b: bigint | null; i: number | null; t: boolean | null }>`
      select b, i, t from unnest(${bigintArray([...big, null])}, ${integerArray([1, -2, 2147483647, null, 0, 5])}, ${booleanArray([true, false, null, true, false, true])}) as x(b, i, t)`.execute(database.db);
    expect(rows.map((r) => r.b)).toEqual([...big, null]);
    expect(rows.map((r) => r.i)).toEqual([1, -2, 2147483647, null, 0, 5]);
    expect(rows.map((r) => r.t)).toEqual([true, false, null, true, false, true]);
  });
});
