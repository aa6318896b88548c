/**
 * How faithful the SCM is to the network, as every view and the report show it beside an SCM number
 * (issue 15, item 6), and the one definition of "poor". Computed in main from the build's validation
 * and the stored evaluation (src/main/evaluation/scm-fidelity.ts); the renderer only displays it.
 */

/** When a fidelity figure is called poor (a warning with a suggestion is shown beside it). */
export const fidelityThresholds = {
  /** Chained SCM accuracy further than this from the network's on the held-out images, in percentage points. */
  chainedGapPoints: 5,
  /** Mean |SCM − network| accuracy over the evaluation's random k-filter zeroings above this, in points. */
  queryErrorPoints: 5,
  /** SCM ranking ρ under this share of the truth's noise ceiling (its split-half reliability). */
  rankingShareOfCeiling: 0.5,
  /** The truth's split-half reliability below this: ρ is measured against a noisy truth. */
  truthReliability: 0.8,
} as const;

export interface FidelityLine {
  /** What was measured, with its numbers, in one sentence. */
  text: string;
  poor: boolean;
  /** Set when poor: what is off, by how much, and what to try. */
  warning: string | null;
}

export interface ScmFidelityDto {
  /** The build's sanity check: chained SCM accuracy vs the network's, on the held-out images. */
  chained: FidelityLine & { scmAccuracy: number; networkAccuracy: number; images: number; gapPoints: number };
  evaluated: boolean;
  /** Set when the build has no stored evaluation: what evaluating adds, and how (app button, CLI). */
  notEvaluated: string | null;
  /** Do-query accuracy vs the network under the evaluation's random k-filter zeroings, per SCM answer. */
  queries: { counterfactual: FidelityLine & { maePoints: number }; interventional: FidelityLine & { maePoints: number }; draws: number; ks: number[] } | null;
  /** The SCM ranking's Spearman ρ with the true margin drop (mean over layers), its interval and the truth's ceiling. */
  ranking:
    | (FidelityLine & {
        spearman: number;
        interval: [number, number] | null;
        truthReliability: number;
        layers: number;
        /** The best other criterion (random left out), for "prefer the baseline here". */
        baseline: { name: string; label: string; spearman: number } | null;
      })
    | null;
  /** The SCM's per-filter drops against the true ones, pooled over filters (what the drops compare). */
  surrogate: (FidelityLine & { key: 'margin drop' | 'accuracy drop'; spearman: number; pearson: number; filters: number }) | null;
}
