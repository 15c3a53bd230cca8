/**
 * Decompression of the four codecs Kafka defines (gzip, snappy, lz4, zstd), each bounded in
 * the bytes it may produce, installed into kafkajs (which ships gzip only and throws
 * "not implemented" for the others, failing the fetch on every retry).
 *
 * Why these decoders: all three are pure JavaScript, so nothing is compiled at install time
 * (kafkajs-lz4 and @kafkajs/zstd need node-gyp builds of old native bindings, lz4 0.6 and
 * cppzst, that cannot be built without downloading headers, and neither bounds its output).
 * snappyjs is the decoder kafkajs-snappy wraps (3M downloads a month); lz4js decodes the LZ4
 * frame format Kafka uses (1M a month); fzstd, by the author of fflate, decodes zstd as a
 * stream, so its output can be cut off at the limit. Ingest only ever decompresses; its own
 * producers send uncompressed or gzip, so the compress side is there for tests and tools.
 *
 * A batch over the limit, or one that cannot be decoded, is not an error of the fetch: the
 * patched kafkajs (patches/kafkajs+2.2.4.patch) turns it into one refused record (see
 * RefusedBatch), which the consumer dead-letters.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, unzip as unzipCallback } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import kafkajs from 'kafkajs';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';

const gzip = promisify(gzipCallback);
const unzip = promisify(unzipCallback);

/** What the patched kafkajs puts on the one record that stands for a batch it could not decode. */
export interface RefusedBatch {
  reason: string;
  /** Records the batch said it held. */
  recordCount: number;
  /** Kafka's codec number (1 gzip, 2 snappy, 3 lz4, 4 zstd). */
  codec: number;
}

export const CODEC_NAMES: Record<number, string> = { 0: 'none', 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

function tooLarge(codec: string, limit: number): Error {
  return new Error(`${codec} batch decompresses to more than ${limit} bytes (the limit)`);
}

export function gzipCodec(limit: number): Codec {
  return {
    compress: (encoder) => gzip(encoder.buffer),
    async decompress(buffer) {
      try {
        return await unzip(buffer, { maxOutputLength: limit });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('gzip', limit);
        throw err;
      }
    },
  };
}

/** snappy-java's stream header (Kafka's Java client writes snappy in this framing). */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

export function snappyCodec(limit: number): Codec {
  return {
    compress: async (encoder) => Buffer.from(snappy.compress(encoder.buffer)),
    async decompress(buffer) {
      if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC))
        return Buffer.from(boundedSnappy(buffer, limit));
      const chunks: Uint8Array[] = [];
      let produced = 0;
      for (let at = XERIAL_HEADER_BYTES; at < buffer.length; ) {
        if (at + 4 > buffer.length) throw new Error('snappy: truncated chunk length');
        const size = buffer.readInt32BE(at);
        at += 4;
        if (size < 0 || at + size > buffer.length) throw new Error('snappy: chunk runs past the batch');
        const chunk = boundedSnappy(buffer.subarray(at, at + size), limit - produced);
        produced += chunk.length;
        chunks.push(chunk);
        at += size;
      }
      return Buffer.concat(chunks);
    },
  };
}

function boundedSnappy(block: Uint8Array, budget: number): Uint8Array {
  try {
    return snappy.uncompress(block, budget);
  } catch (err) {
    if (/too big/.test((err as Error).message)) throw tooLarge('snappy', budget);
    throw err;
  }
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_SIZES: Record<number, number> = { 4: 65_536, 5: 262_144, 6: 1_048_576, 7: 4_194_304 };

/**
 * An upper bound of an LZ4 frame's decompressed size, read from its block table with every
 * read checked against the input (lz4js's own bound loops forever on a truncated frame).
 */
export function lz4FrameBound(src: Buffer): number {
  const fail = (what: string) => new Error(`lz4: ${what}`);
  if (src.length < 7 || src.readUInt32LE(0) !== LZ4_MAGIC) throw fail('not an LZ4 frame');
  const flags = src[4]!;
  const maxBlock = LZ4_BLOCK_SIZES[(src[5]! >> 4) & 7];
  if ((flags & 0xc0) !== 0x40 || maxBlock === undefined) throw fail('unsupported frame descriptor');
  const blockChecksums = (flags & 0x10) !== 0;
  let at = 6;
  if ((flags & 0x08) !== 0) at += 8; // content size (not trusted: the block table decides)
  at += 1; // header checksum
  let bound = 0;
  for (;;) {
    if (at + 4 > src.length) throw fail('truncated block table');
    const word = src.readUInt32LE(at);
    at += 4;
    if (word === 0) return bound;
    const size = word & 0x7fffffff;
    bound += word & 0x80000000 ? size : maxBlock;
    at += size + (blockChecksums ? 4 : 0);
  }
}

export function lz4Codec(limit: number): Codec {
  return {
    compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
    async decompress(buffer) {
      const bound = lz4FrameBound(buffer);
      if (bound > limit) throw tooLarge('lz4', limit);
      return Buffer.from(lz4.decompress(buffer, bound));
    },
  };
}

export function zstdCodec(limit: number): Codec {
  return {
    compress: () => Promise.reject(new Error('zstd compression is not supported (decompression only)')),
    async decompress(buffer) {
      const chunks: Uint8Array[] = [];
      let produced = 0;
      const stream = new ZstdStream((chunk) => {
        produced += chunk.length;
        if (produced > limit) throw tooLarge('zstd', limit);
        chunks.push(chunk);
      });
      stream.push(buffer, true);
      return Buffer.concat(chunks);
    },
  };
}

/**
 * Installs the four bounded codecs into kafkajs (a process-wide registry). Decompressed
 * batches larger than `maxDecompressedBytes` are refused, not held in memory.
 */
export function installCodecs(maxDecompressedBytes: number): void {
  // kafkajs is CommonJS: its codec registry is reached through the default export.
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;
  codecs[CompressionTypes.GZIP] = () => gzipCodec(maxDecompressedBytes);
  codecs[CompressionTypes.Snappy] = () => snappyCodec(maxDecompressedBytes);
  codecs[CompressionTypes.LZ4] = () => lz4Codec(maxDecompressedBytes);
  codecs[CompressionTypes.ZSTD] = () => zstdCodec(maxDecompressedBytes);
}
