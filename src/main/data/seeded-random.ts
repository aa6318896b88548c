/**
 * A small seeded PRNG so that sampling, splits and shuffles are reproducible from a seed stored with
 * the results (Math.random cannot be seeded).
 */

/** Mulberry32: a 32-bit state generator, fast and good enough for sampling. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle driven by `rng`; works on arrays and typed arrays; returns the same array. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(array: A, rng: () => number): A {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}
