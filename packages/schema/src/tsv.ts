/**
 * TabSeparated encoding for inserts: ClickHouse parses it about twice as fast as JSONEachRow
 * (no field names per row), on 18.16 and current releases alike. Instants are unix seconds,
 * which the text DateTime parser reads as such; null is \N.
 */
const SPECIAL = /[\\\t\n\r\0\b\f]/;
const SPECIAL_ALL = /[\\\t\n\r\0\b\f]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** One field: strings escaped as TSV requires, finite numbers as they print, null as \N. */
export function tsvField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string')
    return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new TypeError(`cannot encode a ${typeof value} as a TSV field`);
}

/** Rows (objects with the given columns) as TSV lines, each ending in a newline. */
export function toTsv(rows: readonly object[], columns: readonly string[]): string {
  let out = '';
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    let line = tsvField(r[columns[0]!]);
    for (let i = 1; i < columns.length; i++) line += `\t${tsvField(r[columns[i]!])}`;
    out += `${line}\n`;
  }
  return out;
}
