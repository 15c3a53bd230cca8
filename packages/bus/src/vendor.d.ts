// The decompressors used by codecs.ts ship no types; only what codecs.ts calls is declared.
declare module 'snappyjs' {
  /** Raw snappy block → bytes; throws when the block declares more than maxLength bytes. */
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
}

declare module 'lz4js' {
  /** An LZ4 frame → bytes, into a buffer of maxSize bytes (the frame's bound by default). */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function compress(src: Uint8Array): Uint8Array;
}
