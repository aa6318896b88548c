/**
 * What a class explanatory graph depends on (METHODS §3), validated in one place; every field enters
 * the cache key. Defaults: top-5 per layer, 50 images of the class from the held-out split.
 */
import { z } from 'zod';

export const graphSettingsSchema = z
  .object({
    /** Keep the k channels (nodes) per layer and the k incoming edges per node with the largest positive effect. */
    k: z.number().int().min(1).default(5),
    /** Or keep every node/edge whose effect exceeds τ (on p_c, 0–1); then `maxNodes` caps each layer. */
    tau: z.number().min(0).max(1).optional(),
    /** At most this many nodes per layer (in top-k mode the cap is min(k, maxNodes)). */
    maxNodes: z.number().int().min(1).default(10),
    /**
     * Paths tested per kept conv node: the sources with the largest first-order estimate of the
     * effect (gradient × the path's contribution) [ours, for speed]; 0 tests every source.
     */
    candidates: z.number().int().min(0).default(16),
    /** Images of the class (held-out split, seeded choice when there are more). */
    images: z.number().int().min(1).default(50),
    /** Bootstrap resamples of the class images, and graphs on noisy copies, for stability. */
    bootstrap: z.number().int().min(0).default(5),
    noiseRepeats: z.number().int().min(0).default(2),
    /** Gaussian noise σ as a fraction of the 0–255 pixel range. */
    noiseSigma: z.number().min(0).max(1).default(0.05),
    /** Random channel sets of the graph's size per layer, for faithfulness. */
    randomSeeds: z.number().int().min(1).default(5),
    seed: z.number().int().min(0).default(0),
    /** Images per forward pass, and the most activation values one pass of many copies may hold. */
    batchSize: z.number().int().min(1).default(50),
    maxElements: z.number().int().min(1).default(1 << 22),
  })
  .strict();

export type GraphSettingsInput = z.input<typeof graphSettingsSchema>;
export type GraphSettings = z.output<typeof graphSettingsSchema>;

export function resolveGraphSettings(input: GraphSettingsInput = {}): GraphSettings {
  return graphSettingsSchema.parse(input);
}

/** The per-layer node cap the settings imply. */
export function nodeCap(settings: Pick<GraphSettings, 'k' | 'tau' | 'maxNodes'>): number {
  return settings.tau === undefined ? Math.min(settings.k, settings.maxNodes) : settings.maxNodes;
}

/** Which of the ranked (descending) positive effects a selection keeps: > τ, or the top k. */
export function selectTop<T extends { effect: number }>(ranked: T[], settings: Pick<GraphSettings, 'k' | 'tau'>, cap: number): T[] {
  const sorted = [...ranked].sort((a, b) => b.effect - a.effect);
  const kept = settings.tau === undefined ? sorted.filter((x) => x.effect > 0).slice(0, settings.k) : sorted.filter((x) => x.effect > settings.tau!);
  return kept.slice(0, cap);
}
