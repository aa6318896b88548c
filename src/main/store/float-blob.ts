/**
 * Typed arrays ↔ SQLite blobs, byte for byte in the platform's (little-endian) order: a φ matrix of
 * n×C float32 costs 4·n·C bytes, with no text encoding. Reads copy into a fresh, aligned buffer,
 * because the Buffer SQLite returns may start at an offset a Float32Array/Float64Array cannot view.
 */
import { endianness } from 'node:os';

export type BlobArray = Float32Array | Float64Array | Int32Array | Uint8Array;

// A file written on a big-endian machine would read back as garbage; no supported platform is one.
if (endianness() !== 'LE') throw new Error('float-blob: big-endian platforms are not supported');

/** A Buffer viewing the array's bytes (no copy; bind it to a statement before changing the array). */
export function toBlob(a: BlobArray): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function fromBlobF32(buf: Uint8Array): Float32Array {
  return new Float32Array(copyAligned(buf, 4, 'float32'));
}

export function fromBlobF64(buf: Uint8Array): Float64Array {
  return new Float64Array(copyAligned(buf, 8, 'float64'));
}

export function fromBlobI32(buf: Uint8Array): Int32Array {
  return new Int32Array(copyAligned(buf, 4, 'int32'));
}

export function fromBlobU8(buf: Uint8Array): Uint8Array {
  return new Uint8Array(copyAligned(buf, 1, 'uint8'));
}

function copyAligned(buf: Uint8Array, size: number, type: string): ArrayBuffer {
  if (buf.byteLength % size !== 0) {
    throw new Error(`blob of ${buf.byteLength} bytes is not a whole number of ${type} values (${size} bytes each)`);
  }
  const out = new ArrayBuffer(buf.byteLength);
  new Uint8Array(out).set(buf);
  return out;
}
