/**
 * Bilinear resize of one HWC image with half-pixel centres (as tf.image.resize / PIL without
 * antialiasing), so a constant image stays constant and a same-size resize is the identity.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
): Float32Array {
  const out = new Float32Array(outHeight * outWidth * channels);
  const ys = samplePositions(height, outHeight);
  const xs = samplePositions(width, outWidth);
  for (let y = 0; y < outHeight; y++) {
    const { lo: y0, hi: y1, t: ty } = ys[y];
    for (let x = 0; x < outWidth; x++) {
      const { lo: x0, hi: x1, t: tx } = xs[x];
      const a = (y0 * width + x0) * channels;
      const b = (y0 * width + x1) * channels;
      const c = (y1 * width + x0) * channels;
      const d = (y1 * width + x1) * channels;
      const o = (y * outWidth + x) * channels;
      for (let ch = 0; ch < channels; ch++) {
        const top = src[a + ch] + (src[b + ch] - src[a + ch]) * tx;
        const bottom = src[c + ch] + (src[d + ch] - src[c + ch]) * tx;
        out[o + ch] = top + (bottom - top) * ty;
      }
    }
  }
  return out;
}

/** For each output coordinate: the two source neighbours and the weight of the second. */
function samplePositions(size: number, outSize: number): { lo: number; hi: number; t: number }[] {
  const ratio = size / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const pos = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), size - 1);
    const lo = Math.floor(pos);
    return { lo, hi: Math.min(lo + 1, size - 1), t: pos - lo };
  });
}

/** Rounds and clamps float pixels back to bytes. */
export function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(values[i])));
  return out;
}
