/** The fidelity lines beside SCM numbers: values worked out by hand from small stored results. */
import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src/main/evaluation/evaluation-report.js';
import { scmFidelity } from '../../src/main/evaluation/scm-fidelity.js';
import { fidelityThresholds } from '../../src/shared/fidelity.js';

const criterion = (name: string, label: string, spearman: number, truthReliability: number, spearmanInterval: [number, number] | null = null) =>
  ({ name, label, layers: 3, spearman, spearmanInterval, kendall: 0, kendallInterval: null, precisionAt10: 0, aucLeastFirst: 0, aucMostFirst: 0, truthReliability }) as EvaluationReport['criteria'][number];
const multi = (k: number, draws: number, maePoints: number, maePointsInterventional: number) =>
  ({ k, draws, scmAccuracy: 0, realAccuracy: 0, maePoints, maePointsInterventional, scmMargin: 0, realMargin: 0, marginMae: 0, meanAbsoluteError: maePoints / 100 }) as EvaluationReport['surrogate']['multiFilter'][number];

function report(scm: number, l2: number, reliability: number, key?: 'margin drop'): EvaluationReport {
  return {
    criteria: [criterion('scm', 'SCM importance', scm, reliability, [scm - 0.1, scm + 0.05]), criterion('l2-norm', 'L2 weight norm', l2, reliability), criterion('random', 'random', 0.9, reliability)],
    surrogate: { spearman: 0.3, pearson: 0.25, filters: 96, ...(key ? { key } : {}), multiFilter: [multi(1, 3, 2, 8), multi(2, 1, 10, 4)], draws: [] },
  } as unknown as EvaluationReport;
}

const validation = { modelAccuracy: 0.63, scmAccuracy: 0.51, evaluationImages: 200 };

describe('scmFidelity', () => {
  it('says how far the chained SCM is from the network, and what to try when it is poor', () => {
    const f = scmFidelity({ validation, build: { regressor: 'ridge', limit: 1000 }, evaluateHow: 'Press Evaluate.' });
    expect(f.chained.gapPoints).toBeCloseTo(12, 10);
    expect(f.chained.text).toBe('Chained SCM 51.0% vs network 63.0% on 200 held-out images: 12.0 pp off');
    expect(f.chained.poor).toBe(true);
    expect(f.chained.warning).toContain('12.0 pp off the network (more than 5 pp)');
    expect(f.chained.warning).toContain('--regressor mlp');
    expect(f.chained.warning).toContain('--node-layers conv,dense');
    expect(f.chained.warning).toContain('--limit, now 1000');
    // Options already in use are not suggested again.
    const mlp = scmFidelity({ validation, build: { regressor: 'mlp' }, nodeLayers: ['conv', 'dense'], evaluateHow: '' });
    expect(mlp.chained.warning).not.toContain('mlp');
    expect(mlp.chained.warning).not.toContain('dense');
    expect(f.evaluated).toBe(false);
    expect(f.notEvaluated).toContain('Press Evaluate.');
    expect(f.ranking).toBeNull();
  });

  it('is not poor at the threshold', () => {
    const at = scmFidelity({ validation: { modelAccuracy: 0.6, scmAccuracy: 0.6 - fidelityThresholds.chainedGapPoints / 100 + 1e-9, evaluationImages: 10 }, build: {}, evaluateHow: '' });
    expect(at.chained.poor).toBe(false);
    expect(at.chained.warning).toBeNull();
  });

  it('pools the do-query error over draws, per SCM answer', () => {
    const f = scmFidelity({ validation, build: {}, evaluation: report(0.7, 0.5, 0.95), evaluateHow: '' });
    // (3·2 + 1·10) / 4 = 4.0 points counterfactual; (3·8 + 1·4) / 4 = 7.0 interventional.
    expect(f.queries!.counterfactual.maePoints).toBeCloseTo(4, 12);
    expect(f.queries!.counterfactual.poor).toBe(false);
    expect(f.queries!.interventional.maePoints).toBeCloseTo(7, 12);
    expect(f.queries!.interventional.warning).toContain('7.0 pp off the network');
    expect(f.queries!.counterfactual.text).toBe("Random zeroings of 1–2 filters of one layer (4 draws): the SCM's counterfactual accuracy is 4.0 pp off the network's on average");
  });

  it('puts the ranking ρ beside its interval, the noise ceiling and the best baseline (random left out)', () => {
    const good = scmFidelity({ validation, build: {}, evaluation: report(0.7, 0.5, 0.95, 'margin drop'), evaluateHow: '' });
    expect(good.ranking!.text).toBe('SCM ranking vs true margin drop: Spearman ρ 0.70 [0.60, 0.75] (mean over 3 layers); the truth\'s noise ceiling 0.95; best other criterion L2 weight norm 0.50');
    expect(good.ranking!.poor).toBe(false);
    const below = scmFidelity({ validation, build: {}, evaluation: report(0.44, 0.51, 0.95), evaluateHow: '' });
    expect(below.ranking!.warning).toBe('Ranking ρ 0.44 is below the L2 weight norm baseline 0.51: prefer the baseline here.');
    const weak = scmFidelity({ validation, build: { regressor: 'mlp' }, evaluation: report(0.3, 0.2, 0.9), evaluateHow: '' });
    expect(weak.ranking!.warning).toContain('under 0.5 of its ceiling 0.90');
    const noisy = scmFidelity({ validation, build: {}, evaluation: report(0.7, 0.5, 0.6), evaluateHow: '' });
    expect(noisy.ranking!.warning).toContain("The truth's reliability 0.60 is below 0.8");
  });

  it('names what the surrogate drops compare: margins, or accuracies in reports stored before issue 12', () => {
    expect(scmFidelity({ validation, build: {}, evaluation: report(0.7, 0.5, 0.95, 'margin drop'), evaluateHow: '' }).surrogate!.text).toBe(
      'SCM-predicted vs true margin drop per filter over 96 filters: Pearson r 0.25, Spearman ρ 0.30',
    );
    expect(scmFidelity({ validation, build: {}, evaluation: report(0.7, 0.5, 0.95), evaluateHow: '' }).surrogate!.key).toBe('accuracy drop');
  });
});
