import type { TraceRecord } from '@tracewatch/detectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordPacker, RecordUnpacker } from './record-batches.js';

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const name = fc.constantFrom('p1', 'o1', 'o2', 'a1', 'a2', '单位-1', 'form.submit');
const record: fc.Arbitrary<TraceRecord> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  platformId: name,
  orgId: name,
  actorId: fc.oneof(name, fc.string({ minLength: 1, maxLength: 8 })),
  actorRole: fc.constantFrom('staff', 'public', 'system'),
  action: name,
  occurredAt: fc.integer({ min: 0, max: 4e12 }),
  recordedAt: fc.integer({ min: 0, max: 4e12 }),
  taskId: optional(fc.string({ maxLength: 10 })),
  assignedAt: optional(fc.integer({ min: 0, max: 4e12 })),
  deadline: optional(fc.integer({ min: 0, max: 4e12 })),
  value: optional(fc.double({ noNaN: true, noDefaultInfinity: true })),
  valueDenominator: optional(fc.double({ min: 1, max: 1e9, noNaN: true })),
  durationMs: optional(fc.integer({ min: 0, max: 1e9 })),
  contentHash: optional(fc.string({ maxLength: 64 })),
  simhash: optional(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 })),
});

describe('RecordPacker / RecordUnpacker', () => {
  it('records come back field for field, over several batches sharing one dictionary (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(record, { maxLength: 30 }), { maxLength: 4 }), (batches) => {
        const packer = new RecordPacker();
        const unpacker = new RecordUnpacker();
        for (const records of batches) {
          for (const r of records) packer.add(r);
          const unpacked = unpacker.unpack(packer.take());
          expect(unpacked).toEqual(records);
          // absent fields are present as undefined, in toTraceRecord's key order
          for (const r of unpacked) expect(Object.keys(r)).toHaveLength(16);
        }
      }),
      { numRuns: 100 },
    );
  });
  it('grows past its first 1024 records; names are shared strings; −0 survives', () => {
    const packer = new RecordPacker();
    const base = { platformId: 'p1', orgId: 'o1', actorId: 'a1', actorRole: 'staff' as const, action: 'x.y' };
    for (let i = 0; i < 3000; i++) packer.add({ ...base, id: `e${i}`, occurredAt: i, recordedAt: i, value: -0 });
    const batch = packer.take();
    expect(batch.newNames).toEqual(['p1', 'o1', 'a1', 'staff', 'x.y']);
    const records = new RecordUnpacker().unpack(batch);
    expect(records).toHaveLength(3000);
    expect(records[2999]!.id).toBe('e2999');
    expect(Object.is(records[5]!.value, -0)).toBe(true);
    expect(packer.take().count).toBe(0);
  });
  it('problems keep their place among the records', () => {
    const packer = new RecordPacker();
    const r = {
      id: 'e',
      platformId: 'p',
      orgId: 'o',
      actorId: 'a',
      actorRole: 'staff' as const,
      action: 'x',
      occurredAt: 1,
      recordedAt: 1,
    };
    packer.problem(1, 'first');
    packer.add(r);
    packer.add({ ...r, id: 'f' });
    packer.problem(4, 'later');
    expect(packer.take().problems).toEqual([
      { lineNo: 1, reason: 'first', recordsBefore: 0 },
      { lineNo: 4, reason: 'later', recordsBefore: 2 },
    ]);
  });
});
