/**
 * Invalid UTF-8 and lone surrogates are refused at the json stage, never stored altered
 * (issue 8, item 6: they used to be stored with U+FFFD in their place, so two different
 * messages could store the same bytes).
 */
import { describe, expect, it } from 'vitest';
import { encodeBatch } from './batch.js';
import { decodeTraceEvent } from './decode.js';
import { sampleTraceEvent } from './testing/samples.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

/** A valid event whose subject is `inner` spliced in as raw bytes. */
function withRawSubject(inner: Buffer): Buffer {
  const [before, after] = JSON.stringify(sampleTraceEvent({ subject: 'SPLIT' })).split('SPLIT');
  return Buffer.concat([Buffer.from(before!), inner, Buffer.from(after!)]);
}

function batchOf(messages: Buffer[]) {
  const data = Buffer.concat(messages);
  const lengths = Int32Array.from(messages.map((m) => m.length));
  return encodeBatch('trace-event', new Uint8Array(data), lengths, { now: NOW });
}

const refused: Array<[string, Buffer, RegExp]> = [
  ['bytes FF FE', withRawSubject(Buffer.from([0xff, 0xfe])), /not valid UTF-8/],
  ['overlong C0 AF', withRawSubject(Buffer.from([0x61, 0xc0, 0xaf])), /not valid UTF-8/],
  ['CESU-8 surrogate ED A0 80', withRawSubject(Buffer.from([0xed, 0xa0, 0x80])), /not valid UTF-8/],
  ['a truncated sequence E4 B8', withRawSubject(Buffer.from([0xe4, 0xb8])), /not valid UTF-8/],
  ['a lone \\ud800 escape', withRawSubject(Buffer.from('a\\ud800b')), /lone surrogate/],
  ['a lone \\uDFFF escape', withRawSubject(Buffer.from('\\uDFFF')), /lone surrogate/],
  ['reversed pair \\udc00\\ud800', withRawSubject(Buffer.from('\\udc00\\ud800')), /lone surrogate/],
];

describe('strict UTF-8 and Unicode', () => {
  for (const [what, bytes, reason] of refused) {
    it(`refuses ${what} at the json stage, in both decoders`, () => {
      const one = decodeTraceEvent(bytes, { now: NOW });
      expect(one.ok).toBe(false);
      if (!one.ok) {
        expect(one.stage).toBe('json');
        expect(one.reason).toMatch(reason);
      }
      const batch = batchOf([bytes]);
      expect(batch.rows).toBe(0);
      expect(batch.rejections).toEqual([{ index: 0, stage: 'json', reason: expect.stringMatching(reason) }]);
    });
  }

  it('accepts real non-ASCII text, a surrogate pair escape and an escaped backslash before "ud800"', () => {
    const ok = [
      withRawSubject(Buffer.from('办事员-张三')),
      withRawSubject(Buffer.from('\\ud83d\\ude00')),
      withRawSubject(Buffer.from('\\\\ud800')),
      withRawSubject(Buffer.from('😀')),
    ];
    for (const bytes of ok) expect(decodeTraceEvent(bytes, { now: NOW }).ok, bytes.toString()).toBe(true);
    const batch = batchOf(ok);
    expect(batch.rejections).toEqual([]);
    expect(batch.rows).toBe(4);
  });

  it('refuses a string holding a lone surrogate (the per-message decoder takes strings too)', () => {
    const text = JSON.stringify(sampleTraceEvent({ subject: 'a\ud800' }));
    const d = decodeTraceEvent(text, { now: NOW });
    expect(d.ok).toBe(false);
  });
});
