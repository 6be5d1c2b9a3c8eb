import { sql, type RawBuilder } from 'kysely';

/**
 * Columns of many rows as PostgreSQL array literals, one parameter each, to be unnested
 * together on the server (`unnest($1::text[], $2::bigint[], …)`): a set-based write of
 * thousands of rows costs a few parameters instead of thousands, and reads no JSON. The
 * literal is built here rather than by the driver, so that pg and PGlite get the same
 * string. (A NUL in a text value is refused by the server, as in any text parameter.)
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
  // Every element quoted: then only " and \ need escaping (commas, braces, spaces, "NULL" are literal).
  const parts = new Array<string>(values.length);
  let nulls = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nulls = true;
      parts[i] = 'NULL';
    } else {
      parts[i] = v.includes('"') || v.includes('\\') ? v.replace(NEEDS_ESCAPE, '\\$&') : v;
    }
  }
  if (values.length === 0) return '{}';
  // Without NULLs the quotes go in with the separators (the common case: ids, keys, amounts).
  if (!nulls) return `{"${parts.join('","')}"}`;
  for (let i = 0; i < parts.length; i++) if (values[i] !== null && values[i] !== undefined) parts[i] = `"${parts[i]}"`;
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
