/**
 * Activation mean and variance of each channel of a node layer's (post-activation) map over the
 * images AND positions (METHODS §2): E[a] and E[a²] − E[a]², from the per-image φ the engine already
 * computes: φ_mean = mean_{h,w} a and φ_fro² / (H·W) = mean_{h,w} a². Accumulated in float64.
 */
export class ActivationStats {
  private images = 0;
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;

  /** `area` = H·W of the layer's maps. */
  constructor(
    readonly channels: number,
    private readonly area: number,
  ) {
    this.sum = new Float64Array(channels);
    this.sumSquares = new Float64Array(channels);
  }

  /** φ 'mean' and 'fro' of a batch, each [B, C] row-major. */
  add(phiMean: ArrayLike<number>, phiFro: ArrayLike<number>): void {
    const c = this.channels;
    const rows = phiMean.length / c;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < c; k++) {
        this.sum[k] += phiMean[i * c + k];
        this.sumSquares[k] += (phiFro[i * c + k] * phiFro[i * c + k]) / this.area;
      }
    }
    this.images += rows;
  }

  result(): { mean: number[]; variance: number[] } {
    const mean = Array.from(this.sum, (s) => s / this.images);
    // Clamp the rounding error of E[a²] − E[a]² for (near-)constant channels.
    const variance = Array.from(this.sumSquares, (s, k) => Math.max(0, s / this.images - mean[k] * mean[k]));
    return { mean, variance };
  }
}
