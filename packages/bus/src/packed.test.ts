import fc from 'fast-check';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { packMessages, unpackMessages } from './packed.js';

const message = (offset: number, value: Buffer | null, key: Buffer | null, headers = {}): KafkaMessage => ({
  offset: String(offset),
  key,
  value,
  headers,
  timestamp: '0',
  attributes: 0,
});

describe('packMessages', () => {
  it('lays values back to back with their lengths, -1 for null', () => {
    const p = packMessages([
      message(7, Buffer.from('ab'), Buffer.from('k1')),
      message(8, null, null),
      message(10, Buffer.from('评'), Buffer.from('')),
    ]);
    expect(p.count).toBe(3);
    expect(Buffer.from(p.values).toString()).toBe('ab评');
    expect([...p.valueLengths]).toEqual([2, -1, 3]);
    expect([...p.keyLengths]).toEqual([2, -1, 0]);
    expect([...p.offsets]).toEqual([7, 8, 10]);
    // each array owns its whole buffer: it can be transferred to a worker and back
    expect(p.values.buffer.byteLength).toBe(p.values.byteLength);
    expect(p.valueLengths.buffer.byteLength).toBe(p.valueLengths.byteLength);
  });

  it('gives every message back as it came, headers included', () => {
    const arbMessage = fc.record({
      value: fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }),
      key: fc.option(fc.uint8Array({ maxLength: 10 }), { nil: null }),
      header: fc.option(fc.string({ maxLength: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 30 }), (specs) => {
        const messages = specs.map((s, i) =>
          message(
            1000 + 2 * i,
            s.value && Buffer.from(s.value),
            s.key && Buffer.from(s.key),
            s.header === undefined ? {} : { h: Buffer.from(s.header) },
          ),
        );
        const p = packMessages(messages);
        const back = unpackMessages(
          p,
          messages.map((_, i) => i),
        );
        back.forEach((m, i) => {
          expect(m.value).toEqual(messages[i]!.value);
          expect(m.key).toEqual(messages[i]!.key);
          expect(m.offset).toBe(messages[i]!.offset);
          expect(m.headers).toEqual(specs[i]!.header === undefined ? undefined : messages[i]!.headers);
        });
      }),
    );
  });

  it('unpacks copies that do not share the batch memory', () => {
    const p = packMessages([message(1, Buffer.from('xyz'), null)]);
    const [m] = unpackMessages(p, [0]);
    p.values.fill(0);
    expect(m?.value?.toString()).toBe('xyz');
  });
});
