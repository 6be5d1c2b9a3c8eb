import { sql, type RawBuilder } from 'kysely';

/**
 * Columns of many rows as PostgreSQL array literals, one parameter each, to be unnested
 * together on the server (`unnest($1::text[], $2::bigint[], …)`): a set-based write of
 * thousands of rows costs a few parameters instead of thousands, and reads no JSON. The
 * literal is built here rather than by the driver, so that pg and PGlite get the same
 * string. Text values cannot contain NUL (PostgreSQL text never does).
 */
export function textArray(values: readonly (string | null | undefined)[]): RawBuilder<string[]> {
  return sql<string[]>`${textArrayLiteral(values)}::text[]`;
}

export function bigintArray(values: readonly (bigint | number | null | undefined)[]): RawBuilder<bigint[]> {
  return sql<bigint[]>`${numberArrayLiteral(values)}::bigint[]`;
}

export function integerArray(values: readonly (number | null | undefined)[]): RawBuilder<number[]> {
  return sql<number[]>`${numberArrayLiteral(values)}::integer[]`;
}

export function booleanArray(values: readonly (boolean | null | undefined)[]): RawBuilder<boolean[]> {
  return sql<boolean[]>`${`{${values.map((v) => (v === null || v === undefined ? 'NULL' : v ? 't' : 'f')).join(',')}}`}::boolean[]`;
}

const NEEDS_ESCAPE = /["\\]/g;

export function textArrayLiteral(values: readonly (string | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else {
      if (v.includes('\u0000')) throw new Error('A text value cannot contain NUL');
      // Every element quoted: then only " and \ need escaping (commas, braces, spaces, "NULL" are literal).
      parts[i] = `"${v.replace(NEEDS_ESCAPE, '\\$&')}"`;
    }
  }
  return `{${parts.join(',')}}`;
}

export function numberArrayLiteral(values: readonly (bigint | number | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new Error(`Not an integer: ${v}`);
    else parts[i] = v.toString();
  }
  return `{${parts.join(',')}}`;
}
