/**
 * The patched kafkajs decoder (patches/kafkajs+2.2.4.patch, applied by `npm install`): record
 * headers and compressed batches as a hostile producer may send them (issue 8, items 1, 2, 8).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { installCodecs } from './codecs.js';

const require = createRequire(import.meta.url);
const Encoder = require('kafkajs/src/protocol/encoder');
const Decoder = require('kafkajs/src/protocol/decoder');
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0');
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder');
const { RecordBatch: encodeBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');

/** Encodes one record with raw (name, value) header pairs, as any producer may. */
function rawRecord(pairs: Array<[string, string | null]>): Buffer {
  const headers = new Encoder().writeVarInt(pairs.length);
  for (const [k, v] of pairs) headers.writeVarIntString(k).writeVarIntBytes(v);
  const body = new Encoder()
    .writeInt8(0)
    .writeVarLong(0)
    .writeVarInt(0)
    .writeVarIntBytes(Buffer.from('k'))
    .writeVarIntBytes(Buffer.from('v'))
    .writeEncoder(headers);
  return body.buffer;
}

const decode = (buf: Buffer) => decodeRecord(new Decoder(buf), { firstOffset: '0', firstTimestamp: '0' });

describe('patched kafkajs: record headers', () => {
  it('decodes headers named like Object.prototype properties as plain own headers', () => {
    const m = decode(
      rawRecord([
        ['constructor', 'a'],
        ['__proto__', 'b'],
        ['toString', 'c'],
        ['hasOwnProperty', 'd'],
        ['toString', 'e'],
      ]),
    );
    expect(Object.getPrototypeOf(m.headers)).toBe(Object.prototype);
    expect(Object.keys(m.headers)).toEqual(['constructor', '__proto__', 'toString', 'hasOwnProperty']);
    expect(String(m.headers.constructor)).toBe('a');
    expect(String(Object.getOwnPropertyDescriptor(m.headers, '__proto__')?.value)).toBe('b');
    expect(m.headers.toString.map(String)).toEqual(['c', 'e']);
    expect(String(m.headers.hasOwnProperty)).toBe('d');
  });

  it('keeps a null header value null, and the encoder sends it back (Buffer.byteLength(null) threw)', () => {
    const m = decode(rawRecord([['n', null]]));
    expect(m.headers.n).toBeNull();
    const again = decode(encodeRecord({ key: 'k', value: 'v', headers: m.headers }).buffer.subarray(1));
    expect(again.headers.n).toBeNull();
  });

  it('decodes 200,000 headers in one record (quadratic before: 10,000 took 31 s)', () => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 100_000; i++) pairs.push(['', ''], [`h${i}`, String(i)]);
    const m = decode(rawRecord(pairs));
    expect(m.headers['']).toHaveLength(100_000);
    expect(String(m.headers.h99999)).toBe('99999');
  });
});

describe('patched kafkajs: compressed batches it cannot decode', () => {
  const batch = async (compression: number, values: Buffer[]) => {
    const records = values.map((value, i) => encodeRecord({ offsetDelta: i, key: 'k', value }));
    const encoded = await encodeBatch({
      compression,
      firstOffset: '100',
      firstTimestamp: Date.now(),
      maxTimestamp: Date.now(),
      lastOffsetDelta: values.length - 1,
      records,
    });
    return decodeBatch(new Decoder(encoded.buffer));
  };

  it('turns a batch over the decompression limit into one refused record at its last offset', async () => {
    installCodecs(1_000_000);
    try {
      const { records } = await batch(1, [Buffer.alloc(600_000), Buffer.alloc(600_000)]);
      expect(records).toHaveLength(1);
      expect(records[0].offset).toBe('101');
      expect(records[0].refusedBatch).toMatchObject({ recordCount: 2, codec: 1 });
      expect(records[0].refusedBatch.reason).toMatch(/gzip batch decompresses to more than 1000000 bytes/);
      const ok = await batch(1, [Buffer.alloc(400_000), Buffer.alloc(400_000)]);
      expect(ok.records).toHaveLength(2);
    } finally {
      installCodecs(64 * 1024 * 1024);
    }
  });
});
