/**
 * Non-finite φ stops a build where it enters (issue 14): weights and inputs are checked at load, so a
 * NaN or ±Infinity here means the network overflows on real images. The batch is refused before it is
 * stored, so no equation is ever fitted on such rows, and the error names the node layer and image.
 */
export class NonFinitePhiError extends Error {
  constructor(
    readonly layer: string,
    readonly image: number,
    readonly value: number,
    context: string,
  ) {
    super(
      `φ of node layer ${layer} is ${value} for image #${image} (${context}): the network's activations overflow or are ` +
        'undefined on this input, so no structural equation can be fitted on it; check the model and its preprocessing',
    );
    this.name = 'NonFinitePhiError';
  }
}

/** Throws NonFinitePhiError for the first non-finite φ (row-major [n, C] per layer). */
export function assertFinitePhi(layers: Record<string, Float32Array>, indices: readonly number[], context: string): void {
  for (const [layer, values] of Object.entries(layers)) {
    const channels = values.length / Math.max(1, indices.length);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) throw new NonFinitePhiError(layer, indices[Math.floor(i / channels)], values[i], context);
    }
  }
}
