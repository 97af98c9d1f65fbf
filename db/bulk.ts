import { type SQL, sql } from 'drizzle-orm';

/**
 * Many rows as ONE statement parameter: the rows travel as a JSON array and PostgreSQL reads them
 * back as a table. A batch of any size is one statement with one parameter (no 65,535-parameter
 * ceiling, no per-row query building), on PGlite and postgres.js alike.
 *
 * `columns` declares the table's shape, and each row's keys must be those column names:
 * `insert into t (a, b) select a, b from ${recordset(rows, 'a bigint, b text')}`.
 * Timestamps may be Dates (JSON carries them as ISO strings); json/jsonb columns take nested values as they are.
 */
export function recordset(rows: readonly object[], columns: string, alias = 'x'): SQL {
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as ${sql.raw(alias)}(${sql.raw(columns)})`;
}

/** A set of bigint ids as a sub-select, for `id in ${idSet(ids)}`: one parameter whatever the count. */
export function idSet(ids: readonly number[]): SQL {
  return sql`(select value::bigint from json_array_elements_text(${JSON.stringify(ids)}::json))`;
}

/** A set of strings as a sub-select, for `name in ${textSet(names)}`. */
export function textSet(values: readonly string[]): SQL {
  return sql`(select value from json_array_elements_text(${JSON.stringify(values)}::json))`;
}
