/**
 * The one way values reach SQL. ClickHouse 18.16 has no server-side query parameters, so
 * literals are escaped here and nowhere else; identifiers come from code, never from input.
 */

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string literal, quoted: every backslash, quote and control character escaped. */
export function sqlString(value: string): string {
  return `'${value.replace(/[\\'\n\r\t\0\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/** A finite number literal; NaN and ±Infinity are refused (they would change a query's meaning). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** A DateTime literal from epoch milliseconds, as unix seconds (no string parsing involved). */
export function sqlDateTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  return `toDateTime(${Math.floor(ms / 1000)})`;
}

/** A list of string literals for IN (...); an empty list is refused (IN () is a syntax error). */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('an IN list needs at least one value');
  return `(${values.map(sqlString).join(', ')})`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** An identifier chosen by code or configuration (database, table); anything else is refused. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`not a safe identifier: ${JSON.stringify(name)}`);
  return name;
}
