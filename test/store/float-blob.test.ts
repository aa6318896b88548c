import { describe, expect, it } from 'vitest';
import { fromBlobF32, fromBlobF64, fromBlobI32, fromBlobU8, toBlob } from '../../src/main/store/float-blob.js';

describe('float-blob', () => {
  it('round-trips every element type exactly', () => {
    const f32 = new Float32Array([1.5, -0, Number.NaN, 3.4e38, 1e-45]);
    expect(fromBlobF32(toBlob(f32))).toEqual(f32);
    const f64 = new Float64Array([Math.PI, -1e300, Number.POSITIVE_INFINITY]);
    expect(fromBlobF64(toBlob(f64))).toEqual(f64);
    const i32 = new Int32Array([-2147483648, 0, 2147483647]);
    expect(fromBlobI32(toBlob(i32))).toEqual(i32);
    const u8 = new Uint8Array([0, 255, 7]);
    expect(fromBlobU8(toBlob(u8))).toEqual(u8);
  });

  it('writes only the viewed part of a subarray', () => {
    const whole = new Float32Array([1, 2, 3, 4]);
    expect(toBlob(whole.subarray(1, 3)).byteLength).toBe(8);
    expect(fromBlobF32(toBlob(whole.subarray(1, 3)))).toEqual(new Float32Array([2, 3]));
  });

  it('reads from an unaligned buffer by copying', () => {
    const bytes = Buffer.alloc(1 + 16);
    Buffer.from(new Float64Array([1.25, -8]).buffer).copy(bytes, 1);
    const out = fromBlobF64(bytes.subarray(1));
    expect(Array.from(out)).toEqual([1.25, -8]);
    expect(out.byteOffset).toBe(0);
  });

  it('rejects a byte length that is not a whole number of elements', () => {
    expect(() => fromBlobF32(Buffer.alloc(6))).toThrow('blob of 6 bytes is not a whole number of float32 values (4 bytes each)');
    expect(() => fromBlobF64(Buffer.alloc(12))).toThrow(/float64/);
    expect(() => fromBlobI32(Buffer.alloc(3))).toThrow(/int32/);
    expect(fromBlobF32(Buffer.alloc(0))).toEqual(new Float32Array(0));
  });
});
