/**
 * The counterfactual query (METHODS §1: abduction → action → prediction) against an independent numpy
 * implementation on a small residual graph (test/fixtures/scm/make_counterfactual_fixture.py): every
 * layer's values, accuracy and mean true-class margin per intervention, the abducted noise, the
 * interventional answer beside it, and the counterfactual margin-drop ranking.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FittedScm } from '../../src/main/scm/fitted-scm.js';
import { outcomeOf } from '../../src/main/scm/outcome.js';
import { abduceNoise, propagate } from '../../src/main/scm/propagate.js';
import { rankFilters } from '../../src/main/scm/rankings.js';
import { scmQuery } from '../../src/main/scm/scm-query.js';
import type { ScmIntervention } from '../../src/main/scm/do-values.js';
import type { ScmLayer } from '../../src/main/scm/scm-structure.js';
import { REPO } from '../helpers/data-paths.js';
import { FixedLinear } from './linear-scm-fixture.js';

interface Fixture {
  n: number;
  layers: Omit<ScmLayer, 'exogenous'>[];
  labels: number[];
  equations: Record<string, { coef: number[][]; intercept: number[] }>;
  observed: Record<string, number[][]>;
  noise: Record<string, number[][]>;
  cases: {
    interventions: ScmIntervention[];
    counterfactual: Record<string, number[][]>;
    counterfactualOutcome: { accuracy: number; meanMargin: number };
    interventional: Record<string, number[][]>;
    interventionalOutcome: { accuracy: number; meanMargin: number };
  }[];
  marginDrops: Record<string, number[]>;
  accuracyDrops: Record<string, number[]>;
}

const fx = JSON.parse(readFileSync(join(REPO, 'test/fixtures/scm/counterfactual.json'), 'utf8')) as Fixture;
const layers: ScmLayer[] = fx.layers.map((l) => ({ ...l, exogenous: l.parents.length === 0 }));
const scm: FittedScm = {
  phi: 'fro',
  regressor: 'linear',
  layers,
  equations: Object.fromEntries(Object.entries(fx.equations).map(([name, e]) => [name, new FixedLinear(e.coef, e.intercept)])),
};
const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const observed = Object.fromEntries(Object.entries(fx.observed).map(([k, v]) => [k, flat(v)]));
const labels = Int32Array.from(fx.labels);
const n = fx.n;
// The query reads a φ table (float32 from the store); float64 rows keep the comparison at 1e-10.
const table = { n, indices: [...Array(n).keys()], labels, layers: observed as unknown as Record<string, Float32Array> };

function expectClose(actual: ArrayLike<number>, expected: number[][], digits = 10) {
  const want = expected.flat();
  expect(actual.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(actual[i]).toBeCloseTo(want[i], digits);
}

describe('counterfactual query vs numpy', () => {
  it('abducts each image’s noise u = observed − f(observed parents)', () => {
    const noise = abduceNoise(scm, observed, n);
    for (const name of ['B', 'C', 'M', 'L']) expectClose(noise[name], fx.noise[name]);
    expect(noise.A).toBeUndefined();
  });

  it('without an intervention it reproduces the observed values exactly', () => {
    const values = propagate(scm, { observed, n, mode: 'counterfactual' });
    for (const name of Object.keys(fx.observed)) expect(Array.from(values[name])).toEqual(Array.from(observed[name]));
  });

  for (const [i, c] of fx.cases.entries()) {
    const label = c.interventions.map((iv) => `${iv.layer}:${iv.channels.join('+')}=${iv.kind}`).join(', ') || 'none';
    it(`do(${label}): every layer, accuracy and margin, counterfactual and interventional`, () => {
      const cf = propagate(scm, { observed, n, mode: 'counterfactual', interventions: c.interventions });
      const it = propagate(scm, { observed, n, mode: 'interventional', interventions: c.interventions });
      for (const name of Object.keys(c.counterfactual)) {
        expectClose(cf[name], c.counterfactual[name]);
        expectClose(it[name], c.interventional[name]);
      }
      const cfOut = outcomeOf(cf.L, labels, 3);
      expect(cfOut.accuracy).toBe(c.counterfactualOutcome.accuracy);
      expect(cfOut.meanMargin).toBeCloseTo(c.counterfactualOutcome.meanMargin, 10);
      const q = scmQuery(scm, table, c.interventions);
      expect(q.mode).toBe('counterfactual');
      expect(q.accuracy).toBe(c.counterfactualOutcome.accuracy);
      expect(q.meanMargin).toBeCloseTo(c.counterfactualOutcome.meanMargin, 10);
      const qi = scmQuery(scm, table, c.interventions, { mode: 'interventional' });
      expect(qi.accuracy).toBe(c.interventionalOutcome.accuracy);
      expect(qi.meanMargin).toBeCloseTo(c.interventionalOutcome.meanMargin, 10);
      if (i > 0) expect(cfOut.meanMargin).not.toBeCloseTo(c.interventionalOutcome.meanMargin, 3);
    });
  }

  it('ranks by the counterfactual margin drop, the accuracy drop beside it', () => {
    const ranking = rankFilters(scm, observed, labels);
    for (const layer of ranking) {
      expect(layer.mode).toBe('counterfactual');
      const want = fx.marginDrops[layer.name];
      const order = want.map((d, k) => ({ d, a: fx.accuracyDrops[layer.name][k], k })).sort((x, y) => y.d - x.d || y.a - x.a || x.k - y.k);
      expect(layer.ranking.map((r) => r.channel)).toEqual(order.map((o) => o.k));
      for (const r of layer.ranking) {
        expect(r.marginDrop).toBeCloseTo(want[r.channel], 10);
        expect(r.importance).toBe(r.marginDrop);
        expect(r.accuracyDrop).toBeCloseTo(fx.accuracyDrops[layer.name][r.channel], 12);
      }
    }
    expect(ranking.map((r) => r.name)).toEqual(['A', 'B', 'C', 'M']);
  });
});
