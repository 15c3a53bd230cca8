/**
 * Trace records packed into columns, to pass a batch from the decoding thread to the
 * detecting thread cheaply: numbers in one Float64Array, the repeating names (platform, org,
 * actor, role, action) as codes into a dictionary that grows batch by batch, and the other
 * strings (ids and hashes) joined into one text. Posting objects instead would cost a
 * structured clone of every field, about as much as parsing the JSON again.
 *
 * Unpacked records equal the packed ones field for field (property-tested), and their names
 * are the dictionary's own strings, so a million records share a few thousand name strings.
 */
import type { TraceRecord } from '@tracewatch/detectors';

/** Numbers per record: occurredAt, recordedAt, assignedAt, deadline, value, valueDenominator, durationMs. */
const NUMBERS = 7;
/** Name codes per record: platformId, orgId, actorId, actorRole, action. */
const NAMES = 5;
/** Free strings per record: id, taskId, contentHash, simhash (length −1: absent). */
const TEXTS = 4;

/** A bad line among the records of a batch. */
export interface BatchProblem {
  lineNo: number;
  reason: string;
  /** How many of the batch's records come before this line. */
  recordsBefore: number;
}

export interface PackedBatch {
  count: number;
  numbers: Float64Array;
  names: Uint32Array;
  textLengths: Int32Array;
  text: string;
  /** Names first used in this batch; their codes follow the previous batches'. */
  newNames: string[];
  problems: BatchProblem[];
}

/** The packing side: assigns name codes and collects one batch at a time. */
export class RecordPacker {
  private readonly codes = new Map<string, number>();
  private newNames: string[] = [];
  private count = 0;
  private numbers = new Float64Array(NUMBERS * 1024);
  private names = new Uint32Array(NAMES * 1024);
  private textLengths = new Int32Array(TEXTS * 1024);
  private texts: string[] = [];
  private problems: BatchProblem[] = [];

  /** Records in the batch being collected. */
  get size(): number {
    return this.count;
  }

  add(r: TraceRecord): void {
    if (this.count * NUMBERS === this.numbers.length) this.grow();
    const n = this.count * NUMBERS;
    this.numbers[n] = r.occurredAt;
    this.numbers[n + 1] = r.recordedAt;
    this.numbers[n + 2] = r.assignedAt ?? Number.NaN;
    this.numbers[n + 3] = r.deadline ?? Number.NaN;
    this.numbers[n + 4] = r.value ?? Number.NaN;
    this.numbers[n + 5] = r.valueDenominator ?? Number.NaN;
    this.numbers[n + 6] = r.durationMs ?? Number.NaN;
    const c = this.count * NAMES;
    this.names[c] = this.code(r.platformId);
    this.names[c + 1] = this.code(r.orgId);
    this.names[c + 2] = this.code(r.actorId);
    this.names[c + 3] = this.code(r.actorRole);
    this.names[c + 4] = this.code(r.action);
    const t = this.count * TEXTS;
    this.text(t, r.id);
    this.text(t + 1, r.taskId);
    this.text(t + 2, r.contentHash);
    this.text(t + 3, r.simhash);
    this.count++;
  }

  /** Notes a bad line at the current position among the records. */
  problem(lineNo: number, reason: string): void {
    this.problems.push({ lineNo, reason, recordsBefore: this.count });
  }

  /** The collected batch (its typed arrays can be transferred); the packer starts a new one. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      count: this.count,
      numbers: this.numbers.slice(0, this.count * NUMBERS),
      names: this.names.slice(0, this.count * NAMES),
      textLengths: this.textLengths.slice(0, this.count * TEXTS),
      text: this.texts.join(''),
      newNames: this.newNames,
      problems: this.problems,
    };
    this.count = 0;
    this.texts = [];
    this.newNames = [];
    this.problems = [];
    return batch;
  }

  private code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(name, code);
      this.newNames.push(name);
    }
    return code;
  }

  private text(at: number, value: string | undefined): void {
    if (value === undefined) this.textLengths[at] = -1;
    else {
      this.textLengths[at] = value.length;
      this.texts.push(value);
    }
  }

  private grow(): void {
    const grown = <A extends Float64Array | Uint32Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const bigger = make(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    this.numbers = grown(this.numbers, (n) => new Float64Array(n));
    this.names = grown(this.names, (n) => new Uint32Array(n));
    this.textLengths = grown(this.textLengths, (n) => new Int32Array(n));
  }
}

/** The unpacking side: keeps the dictionary across batches. */
export class RecordUnpacker {
  private readonly names: string[] = [];

  /** The records of a batch, in order (names are the dictionary's shared strings). */
  unpack(batch: PackedBatch): TraceRecord[] {
    for (const name of batch.newNames) this.names.push(name);
    const { numbers, textLengths, text } = batch;
    const codes = batch.names;
    const names = this.names;
    const records = new Array<TraceRecord>(batch.count);
    let at = 0;
    const next = (i: number): string | undefined => {
      const length = textLengths[i]!;
      if (length < 0) return undefined;
      const value = text.slice(at, at + length);
      at += length;
      return value;
    };
    const optional = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);
    for (let i = 0; i < batch.count; i++) {
      const n = i * NUMBERS;
      const c = i * NAMES;
      const t = i * TEXTS;
      const id = next(t)!;
      const taskId = next(t + 1);
      const contentHash = next(t + 2);
      const simhash = next(t + 3);
      // Same fields in the same order as toTraceRecord, so records from either path are equal.
      records[i] = {
        id,
        platformId: names[codes[c]!]!,
        orgId: names[codes[c + 1]!]!,
        actorId: names[codes[c + 2]!]!,
        actorRole: names[codes[c + 3]!] as TraceRecord['actorRole'],
        action: names[codes[c + 4]!]!,
        occurredAt: numbers[n]!,
        recordedAt: numbers[n + 1]!,
        taskId,
        assignedAt: optional(numbers[n + 2]!),
        deadline: optional(numbers[n + 3]!),
        value: optional(numbers[n + 4]!),
        valueDenominator: optional(numbers[n + 5]!),
        durationMs: optional(numbers[n + 6]!),
        contentHash,
        simhash,
      };
    }
    return records;
  }
}
