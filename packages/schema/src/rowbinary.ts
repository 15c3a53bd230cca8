/**
 * RowBinary encoding for inserts. ClickHouse 18.16's text float parser is not correctly
 * rounded (1.93 came back as 1.9300000000000002, and thousands of values below 1e-6 changed),
 * so rows are sent in binary: a Float64 is its 8 IEEE bytes, stored bit for bit, on 18.16 and
 * current releases alike. Layout per value: String = ULEB128 byte length + UTF-8 bytes;
 * UIntN, Float64 little-endian; DateTime = UInt32 unix seconds; Date = UInt16 days since
 * 1970-01-01; Nullable(T) = one byte, 1 for NULL (nothing follows), else 0 and the value.
 */
import { daysFromCivil } from './iso-time.js';

/** The column types the store's tables use, as RowBinary sees them. */
export type RowBinaryType =
  | 'String'
  | 'UInt16'
  | 'UInt32'
  | 'Float64'
  | 'DateTime'
  | 'Date'
  | 'Nullable(UInt32)'
  | 'Nullable(Float64)'
  | 'Nullable(DateTime)';

const MAX_UINT32 = 0xffff_ffff;
/** The last day a Date (UInt16 days) holds: 2149-06-06. */
const MAX_DATE_DAYS = 0xffff;

/** A value the store cannot hold as it is (a caller decides whether that refuses a record). */
export class UnstorableValueError extends RangeError {}

/** Rows appended to one growing buffer; `rowEnds[k]` is the byte offset where row k ends. */
export class RowBinaryWriter {
  private buf: Buffer;
  private pos = 0;
  private ends: Int32Array;
  private rowCount = 0;

  constructor(initialBytes = 1024, initialRows = 64) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(64, initialBytes));
    this.ends = new Int32Array(Math.max(1, initialRows));
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Closes the current row (its bytes are those written since the last endRow). */
  endRow(): void {
    if (this.rowCount === this.ends.length) {
      const more = new Int32Array(this.ends.length * 2);
      more.set(this.ends);
      this.ends = more;
    }
    this.ends[this.rowCount++] = this.pos;
  }

  /** Drops what was written since the last endRow (a row that turned out unstorable). */
  discardRow(): void {
    this.pos = this.rowCount === 0 ? 0 : this.ends[this.rowCount - 1]!;
  }

  /** The bytes and row ends so far, each in a buffer of its own (transferable). */
  finish(): { data: Uint8Array; rowEnds: Int32Array } {
    return {
      data: new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos),
      rowEnds: this.ends.slice(0, this.rowCount),
    };
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.pos + n, 2 * this.buf.length));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private varUInt(n: number): void {
    this.room(5);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** A string the schema limits to ASCII (ids, enums, hashes): its length is its byte length. */
  ascii(s: string): void {
    this.varUInt(s.length);
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** Any string, as UTF-8 (the schemas refuse lone surrogates, so nothing is replaced). */
  string(s: string): void {
    const bytes = Buffer.byteLength(s, 'utf8');
    this.varUInt(bytes);
    this.room(bytes);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  uint16(n: number): void {
    this.room(2);
    this.pos = this.buf.writeUInt16LE(n, this.pos);
  }

  uint32(n: number): void {
    this.room(4);
    this.pos = this.buf.writeUInt32LE(n, this.pos);
  }

  float64(x: number): void {
    if (!Number.isFinite(x)) throw new UnstorableValueError(`not a finite number: ${x}`);
    this.room(8);
    this.pos = this.buf.writeDoubleLE(x, this.pos);
  }

  /** Unix seconds (a DateTime holds 1970-01-01 .. 2106-02-07). */
  dateTime(seconds: number, what = 'a time'): void {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_UINT32)
      throw new UnstorableValueError(
        `${what} ${seconds} s is outside what a DateTime holds (1970-01-01 .. 2106-02-07)`,
      );
    this.uint32(seconds);
  }

  /** Days since 1970-01-01 (a Date holds 1970-01-01 .. 2149-06-06). */
  date(days: number, what = 'a day'): void {
    if (!Number.isInteger(days) || days < 0 || days > MAX_DATE_DAYS)
      throw new UnstorableValueError(`${what} is outside what a Date holds (1970-01-01 .. 2149-06-06)`);
    this.uint16(days);
  }

  null(): void {
    this.room(1);
    this.buf[this.pos++] = 1;
  }

  notNull(): void {
    this.room(1);
    this.buf[this.pos++] = 0;
  }
}

/** Days since 1970-01-01 of a YYYY-MM-DD string (the schemas validated its form). */
export function calendarDayNumber(day: string): number {
  return daysFromCivil(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
}

/**
 * Rows (objects with the given columns and types) in RowBinary: the plain reference the
 * direct encoders in rows.ts are tested against, and a way to insert rows built by hand.
 */
export function toRowBinary(
  rows: readonly object[],
  columns: readonly string[],
  types: readonly RowBinaryType[],
): { data: Uint8Array; rowEnds: Int32Array } {
  const w = new RowBinaryWriter();
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) writeValue(w, types[i]!, r[columns[i]!], columns[i]!);
    w.endRow();
  }
  return w.finish();
}

function writeValue(w: RowBinaryWriter, type: RowBinaryType, v: unknown, column: string): void {
  if (type.startsWith('Nullable(')) {
    if (v === null || v === undefined) w.null();
    else {
      w.notNull();
      writeValue(w, type.slice(9, -1) as RowBinaryType, v, column);
    }
    return;
  }
  if (type === 'String') w.string(String(v));
  else if (type === 'UInt16') w.uint16(v as number);
  else if (type === 'UInt32') w.uint32(v as number);
  else if (type === 'Float64') w.float64(v as number);
  else if (type === 'DateTime') w.dateTime(v as number, column);
  else if (type === 'Date') w.date(calendarDayNumber(v as string), `${column} ${v}`);
  else throw new TypeError(`no RowBinary encoding for ${type}`);
}
