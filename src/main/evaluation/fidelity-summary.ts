/** Turns curves and scores into the report's per-layer and per-criterion fidelity numbers. */
import type { CurveSet } from './ablation-curves.js';
import { curveArea } from './ablation-curves.js';
import { type Criterion, type FilterLayer, criterionLabels } from './criteria.js';
import type { CriterionSummary, LayerCriterion, LayerReport } from './evaluation-report.js';
import { meanSd } from './evaluation-report.js';
import { layerFidelity, overallFidelity } from './fidelity.js';
import type { LayerAblation } from './true-ablation.js';

export interface LayerInput {
  layer: FilterLayer & { kind: 'conv' | 'merge' };
  ablation: LayerAblation;
  truth: number[];
  scm: { accuracyDrop: number[]; marginDrop: number[] };
  criteria: Criterion[];
  random: Criterion[];
  curves: CurveSet;
  curveOf: (name: Criterion['name'] | 'true-ablation', direction: 'leastFirst' | 'mostFirst', seed?: number) => number[];
}

export function summarizeLayer(input: LayerInput): LayerReport {
  const { layer, truth, curves, curveOf } = input;
  const area = (y: number[]) => curveArea(curves.fractionRemoved, y);
  const criteria: LayerCriterion[] = input.criteria
    .filter((c) => c.scores[layer.name])
    .map((c) => {
      const scores = c.scores[layer.name];
      const leastFirst = curveOf(c.name, 'leastFirst');
      const mostFirst = curveOf(c.name, 'mostFirst');
      return { name: c.name, ...layerFidelity(truth, scores), aucLeastFirst: area(leastFirst), aucMostFirst: area(mostFirst), leastFirst, mostFirst, scores };
    });
  const bySeed = input.random.map((r) => {
    const curve = curveOf('random', 'leastFirst', r.seed);
    return { seed: r.seed!, ...layerFidelity(truth, r.scores[layer.name]), auc: area(curve), curve };
  });
  const points = curves.removed.map((_, p) => meanSd(bySeed.map((s) => s.curve[p])));
  const reference = { leastFirst: curveOf('true-ablation', 'leastFirst'), mostFirst: curveOf('true-ablation', 'mostFirst') };
  return {
    name: layer.name,
    kind: layer.kind,
    channels: layer.channels,
    truth: {
      marginDrop: input.ablation.marginDrop,
      lossChange: input.ablation.lossChange,
      accuracyDrop: input.ablation.accuracyDrop,
      reliability: input.ablation.reliability,
      accuracyKeyReliability: input.ablation.accuracyKeyReliability,
    },
    scm: input.scm,
    removed: curves.removed,
    fractionRemoved: curves.fractionRemoved,
    criteria,
    random: {
      spearman: meanSd(bySeed.map((s) => s.spearman)),
      kendall: meanSd(bySeed.map((s) => s.kendall)),
      precisionAt10: meanSd(bySeed.map((s) => s.precisionAt10)),
      auc: meanSd(bySeed.map((s) => s.auc)),
      curveMean: points.map((p) => p.mean),
      curveSd: points.map((p) => p.sd),
      bySeed: bySeed.map(({ curve: _curve, ...rest }) => rest),
    },
    reference: { ...reference, aucLeastFirst: area(reference.leastFirst), aucMostFirst: area(reference.mostFirst) },
  };
}

export interface CriteriaInput {
  criteria: Criterion[];
  random: Criterion[];
  layers: LayerReport[];
  truth: Record<string, number[]>;
  /** Areas under the global curves by criterion name ('random:SEED' for random seeds). */
  globalAuc: Partial<Record<string, { least: number; most: number }>>;
  resamples: number;
  seed: number;
}

const meanOf = (xs: number[]) => meanSd(xs).mean;

export function summarizeCriteria(input: CriteriaInput): CriterionSummary[] {
  const out: CriterionSummary[] = input.criteria.map((c) => {
    const covered = input.layers.filter((l) => c.scores[l.name]);
    const fidelity = overallFidelity(
      covered.map((l) => ({ truth: input.truth[l.name], scores: c.scores[l.name] })),
      { resamples: input.resamples, seed: input.seed },
    );
    const perLayer = covered.map((l) => l.criteria.find((x) => x.name === c.name)!);
    const summary: CriterionSummary = {
      name: c.name,
      label: criterionLabels[c.name],
      layers: covered.length,
      spearman: fidelity.spearman.estimate,
      kendall: fidelity.kendall.estimate,
      precisionAt10: fidelity.precisionAt10,
      spearmanInterval: [fidelity.spearman.low, fidelity.spearman.high],
      kendallInterval: [fidelity.kendall.low, fidelity.kendall.high],
      aucLeastFirst: meanOf(perLayer.map((x) => x.aucLeastFirst)),
      aucMostFirst: meanOf(perLayer.map((x) => x.aucMostFirst)),
      truthReliability: meanOf(covered.map((l) => l.truth.reliability.reliability)),
    };
    const g = input.globalAuc[c.name];
    if (g) Object.assign(summary, { globalAucLeastFirst: g.least, globalAucMostFirst: g.most });
    return summary;
  });
  if (input.random.length > 0) {
    // Each seed is one random criterion; the layer means are averaged over seeds (sd over seeds beside).
    const seeds = input.random.map((r) => {
      const layerSeed = input.layers.map((l) => l.random.bySeed.find((s) => s.seed === r.seed)!);
      const global = input.globalAuc[`random:${r.seed}`]?.least;
      return {
        spearman: meanOf(layerSeed.map((s) => s.spearman)),
        kendall: meanOf(layerSeed.map((s) => s.kendall)),
        precisionAt10: meanOf(layerSeed.map((s) => s.precisionAt10)),
        auc: meanOf(layerSeed.map((s) => s.auc)),
        global,
      };
    });
    const pick = (f: (s: (typeof seeds)[number]) => number | undefined) => meanSd(seeds.map(f).filter((v): v is number => v !== undefined));
    const auc = pick((s) => s.auc);
    const global = pick((s) => s.global);
    out.push({
      name: 'random',
      label: `${criterionLabels.random} (${seeds.length} seeds)`,
      layers: input.layers.length,
      spearman: pick((s) => s.spearman).mean,
      kendall: pick((s) => s.kendall).mean,
      precisionAt10: pick((s) => s.precisionAt10).mean,
      spearmanInterval: null,
      kendallInterval: null,
      truthReliability: meanOf(input.layers.map((l) => l.truth.reliability.reliability)),
      aucLeastFirst: auc.mean,
      aucMostFirst: auc.mean,
      ...(Number.isFinite(global.mean) ? { globalAucLeastFirst: global.mean, globalAucMostFirst: global.mean } : {}),
      sd: {
        spearman: pick((s) => s.spearman).sd,
        kendall: pick((s) => s.kendall).sd,
        precisionAt10: pick((s) => s.precisionAt10).sd,
        aucLeastFirst: auc.sd,
        ...(Number.isFinite(global.sd) ? { globalAucLeastFirst: global.sd } : {}),
      },
    });
  }
  return out;
}
