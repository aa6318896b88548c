/**
 * Stability of a channel set across resamples (METHODS §3): Jaccard overlap |A ∩ B| / |A ∪ B| of the
 * node sets (pooled over layers, nodes as layer:channel), and Spearman ρ of the scores (effects for
 * the graph, attribution scores for a baseline) on the union of the two sets, each scored under its
 * own data, per layer (scores of different layers are on different scales), then averaged over the
 * layers where ρ is defined [ours]. Bootstrap weights: counts of a seeded draw with replacement.
 */
import { mulberry32 } from '../data/seeded-random.js';
import { spearman } from '../evaluation/rank-correlation.js';

/** Channels per layer. */
export type ChannelSets = Record<string, number[]>;

export interface Agreement {
  jaccard: number;
  spearman: number;
  /**
   * Per layer [issue 16]: Jaccard of the layer's channel sets and Spearman on their union. The graph
   * picks its top layer unconditioned, like a baseline, and every lower layer only among sources of
   * kept edges, so only the top layer compares like with like.
   */
  layers?: Record<string, { jaccard: number; spearman: number }>;
}

export function jaccard<T>(a: Iterable<T>, b: Iterable<T>): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let both = 0;
  for (const x of sa) if (sb.has(x)) both++;
  const union = sa.size + sb.size - both;
  return union === 0 ? 1 : both / union;
}

function ids(sets: ChannelSets): string[] {
  return Object.entries(sets).flatMap(([layer, channels]) => channels.map((c) => `${layer}:${c}`));
}

/**
 * Agreement of two channel sets; `scoreA(layer, channel)` / `scoreB` score any channel under the
 * data of A and of B. Layers whose union has fewer than 3 channels give no ρ.
 */
export function setAgreement(a: ChannelSets, b: ChannelSets, scoreA: (layer: string, channel: number) => number, scoreB: (layer: string, channel: number) => number): Agreement {
  const rhos: number[] = [];
  const layers: Record<string, { jaccard: number; spearman: number }> = {};
  for (const layer of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const union = [...new Set([...(a[layer] ?? []), ...(b[layer] ?? [])])].sort((x, y) => x - y);
    const rho =
      union.length < 3
        ? Number.NaN
        : spearman(
            union.map((c) => scoreA(layer, c)),
            union.map((c) => scoreB(layer, c)),
          );
    layers[layer] = { jaccard: jaccard(a[layer] ?? [], b[layer] ?? []), spearman: rho };
    if (Number.isFinite(rho)) rhos.push(rho);
  }
  return { jaccard: jaccard(ids(a), ids(b)), spearman: rhos.length ? rhos.reduce((s, r) => s + r, 0) / rhos.length : Number.NaN, layers };
}

/** Counts of n draws with replacement from n items (a bootstrap resample as image weights). */
export function bootstrapWeights(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[Math.floor(rng() * n)]++;
  return w;
}

/** Mean of each field over the finite values (per layer too, over the runs that have the layer). */
export function meanAgreement(list: Agreement[]): Agreement {
  const mean = (xs: number[]) => {
    const f = xs.filter(Number.isFinite);
    return f.length ? f.reduce((s, x) => s + x, 0) / f.length : Number.NaN;
  };
  const names = [...new Set(list.flatMap((x) => Object.keys(x.layers ?? {})))];
  const layers = Object.fromEntries(
    names.map((l) => {
      const runs = list.map((x) => x.layers?.[l]).filter((x) => x !== undefined);
      return [l, { jaccard: mean(runs.map((x) => x.jaccard)), spearman: mean(runs.map((x) => x.spearman)) }];
    }),
  );
  return { jaccard: mean(list.map((x) => x.jaccard)), spearman: mean(list.map((x) => x.spearman)), layers };
}
