import { describe, expect, it } from 'vitest';
import { intervenedValue } from '../../src/main/scm/do-values.js';
import { parseDoSpec } from '../../src/main/scm/do-spec.js';
import { propagate } from '../../src/main/scm/propagate.js';
import { rankFilters } from '../../src/main/scm/rankings.js';
import { B1, B2, FixedLinear, W1, W2, affine, labels, linearScm, observedA, observedB, observedL } from './linear-scm-fixture.js';

const n = 4;
const rowA = (i: number) => Array.from(observedA.slice(i * 3, i * 3 + 3));
const rowB = (i: number) => Array.from(observedB.slice(i * 2, i * 2 + 2));

describe('SCM propagation against the closed form of a linear chain', () => {
  it('chained: logits = (A·W1 + b1)·W2 + b2', () => {
    const values = propagate(linearScm(), { observed: { A: observedA }, n });
    for (let i = 0; i < n; i++) {
      const want = affine(affine(rowA(i), W1, B1), W2, B2);
      expect(Array.from(values.L.slice(i * 2, i * 2 + 2))).toEqual(want.map((v) => expect.closeTo(v, 12)));
    }
  });

  it('teacher-forced: logits from the observed B', () => {
    const values = propagate(linearScm(), { observed: { A: observedA, B: observedB }, n, teacherForced: true });
    for (let i = 0; i < n; i++) {
      const want = affine(rowB(i), W2, B2);
      expect(Array.from(values.L.slice(i * 2, i * 2 + 2))).toEqual(want.map((v) => expect.closeTo(v, 12)));
    }
  });

  it('do(A_k = 0) moves the logits by −A_k · W1[k]·W2 and leaves A’s other channels', () => {
    const scm = linearScm();
    const base = propagate(scm, { observed: { A: observedA }, n });
    const after = propagate(scm, { observed: { A: observedA }, n, interventions: [{ layer: 'A', channels: [1], kind: 'zero' }] });
    const path = affine(W1[1], W2, [0, 0]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 2; j++) expect(after.L[i * 2 + j] - base.L[i * 2 + j]).toBeCloseTo(-observedA[i * 3 + 1] * path[j], 12);
      expect(after.A[i * 3 + 1]).toBe(0);
      expect(after.A[i * 3]).toBe(observedA[i * 3]);
    }
  });

  it('scale and constant follow METHODS: fro scales by |s|; a constant map c has fro |c|·√(H·W)', () => {
    const scm = linearScm();
    const scaled = propagate(scm, { observed: { A: observedA }, n, interventions: [{ layer: 'B', channels: [0], kind: 'scale', value: -2 }] });
    const base = propagate(scm, { observed: { A: observedA }, n });
    for (let i = 0; i < n; i++) expect(scaled.B[i * 2]).toBeCloseTo(2 * base.B[i * 2], 12);
    const constant = propagate(scm, { observed: { A: observedA }, n, interventions: [{ layer: 'A', channels: [2], kind: 'constant', value: -0.5 }] });
    for (let i = 0; i < n; i++) expect(constant.A[i * 3 + 2]).toBeCloseTo(0.5 * Math.sqrt(4), 12);
    expect(intervenedValue({ layer: 'A', channels: [0], kind: 'constant', value: 3 }, 9, { phi: 'std', area: 4, isLogits: false })).toBe(0);
    expect(intervenedValue({ layer: 'A', channels: [0], kind: 'constant', value: 3 }, 9, { phi: 'mean', area: 4, isLogits: false })).toBe(3);
    expect(intervenedValue({ layer: 'A', channels: [0], kind: 'zero' }, 9, { phi: 'binary', area: 4, isLogits: false, threshold: 1.5 })).toBe(1);
    expect(intervenedValue({ layer: 'L', channels: [0], kind: 'scale', value: -2 }, 3, { phi: 'fro', area: 1, isLogits: true })).toBe(-6);
  });

  it('reusing a baseline gives exactly the full recomputation', () => {
    const scm = linearScm();
    const baseline = propagate(scm, { observed: { A: observedA }, n });
    const iv = [{ layer: 'B', channels: [1], kind: 'zero' as const }];
    const full = propagate(scm, { observed: { A: observedA }, n, interventions: iv });
    const reused = propagate(scm, { observed: { A: observedA }, n, interventions: iv, baseline });
    expect(Array.from(reused.L)).toEqual(Array.from(full.L));
    expect(reused.A).toBe(baseline.A);
  });

  it('rejects unknown layers and channels', () => {
    expect(() => propagate(linearScm(), { observed: { A: observedA }, n, interventions: [{ layer: 'Z', channels: [0], kind: 'zero' }] })).toThrow(/no node layer named Z/);
    expect(() => propagate(linearScm(), { observed: { A: observedA }, n, interventions: [{ layer: 'A', channels: [3], kind: 'zero' }] })).toThrow(/channels 0\.\.2/);
  });
});

describe('filter ranking', () => {
  // Closed form, independent of propagate: in a linear chain do(A_k = 0) moves the counterfactual logits
  // by −A_k·(W1[k]·W2) and do(B_j = 0) by −B_j·W2[j]; the margin is computed here by hand.
  const margin = (logits: number[], y: number) => logits[y] - Math.max(...logits.filter((_, c) => c !== y));
  const meanMargin = (rows: number[][]) => rows.reduce((s, r, i) => s + margin(r, labels[i]), 0) / rows.length;
  const accuracy = (rows: number[][]) => rows.filter((r, i) => r.indexOf(Math.max(...r)) === labels[i]).length / rows.length;
  const observedRows = Array.from({ length: n }, (_, i) => Array.from(observedL.slice(i * 2, i * 2 + 2)));
  const shifted = (shift: (i: number) => number[]) => observedRows.map((r, i) => r.map((v, j) => v + shift(i)[j]));
  const expected = {
    A: [0, 1, 2].map((k) => shifted((i) => affine(W1[k], W2, [0, 0]).map((w) => -observedA[i * 3 + k] * w))),
    B: [0, 1].map((j) => shifted((i) => W2[j].map((w) => -observedB[i * 2 + j] * w))),
  };

  it('counterfactual: importance is the margin drop under do(r = 0) from the closed form, accuracy drop beside, sorted by margin', () => {
    const ranking = rankFilters(linearScm(), { A: observedA, B: observedB, L: observedL }, labels);
    const base = { margin: meanMargin(observedRows), accuracy: accuracy(observedRows) };
    for (const layer of ranking) {
      const rows = expected[layer.name as 'A' | 'B'];
      const want = rows.map((r, k) => ({ channel: k, marginDrop: base.margin - meanMargin(r), accuracyDrop: base.accuracy - accuracy(r) }));
      for (const entry of layer.ranking) {
        expect(entry.marginDrop).toBeCloseTo(want[entry.channel].marginDrop, 12);
        expect(entry.importance).toBe(entry.marginDrop);
        expect(entry.accuracyDrop).toBeCloseTo(want[entry.channel].accuracyDrop, 12);
      }
      want.sort((a, b) => b.marginDrop - a.marginDrop || b.accuracyDrop - a.accuracyDrop);
      expect(layer.ranking.map((e) => e.channel)).toEqual(want.map((w) => w.channel));
    }
    expect(ranking.map((r) => r.name)).toEqual(['A', 'B']);
    const population = rankFilters(linearScm(), { A: observedA }, labels, { mode: 'interventional' });
    expect(population[0].mode).toBe('interventional');
  });

  it('interventional: margin drop from the noise-free chain (A·W1 + b1)·W2 + b2', () => {
    const chainRows = (zero?: { layer: 'A' | 'B'; k: number }) =>
      Array.from({ length: n }, (_, i) => {
        const a = rowA(i).map((v, k) => (zero?.layer === 'A' && zero.k === k ? 0 : v));
        const b = affine(a, W1, B1).map((v, j) => (zero?.layer === 'B' && zero.k === j ? 0 : v));
        return affine(b, W2, B2);
      });
    const base = meanMargin(chainRows());
    const ranking = rankFilters(linearScm(), { A: observedA }, labels, { mode: 'interventional' });
    for (const layer of ranking) {
      for (const entry of layer.ranking) expect(entry.marginDrop).toBeCloseTo(base - meanMargin(chainRows({ layer: layer.name as 'A' | 'B', k: entry.channel })), 12);
    }
  });
});

describe('counterfactual with binary φ', () => {
  it('takes the residual on the 0/1 class and clips to {0, 1}; logits stay continuous', () => {
    // B's "classifier" is a step of A·W1 + b1 at 0.5 (0/1 out); observed B disagrees with it on some rows.
    const step = new FixedLinear(W1, B1);
    const classifier = { ...step, name: 'logistic' as const, kind: 'binary' as const, predict: (x: Parameters<FixedLinear['predict']>[0]) => step.predict(x).map((v) => (v > 0.5 ? 1 : 0)), fit: () => {}, toJSON: step.toJSON };
    const scm = { ...linearScm(), phi: 'binary' as const, equations: { B: classifier, L: new FixedLinear(W2, B2) } };
    const observedBin = Float64Array.from([1, 0, 0, 1, 1, 1, 0, 0]);
    const observed = { A: observedA, B: observedBin, L: observedL };
    const before = classifier.predict({ rows: n, cols: 3, data: observedA });
    const zeroed = Float64Array.from(observedA);
    for (let i = 0; i < n; i++) zeroed[i * 3] = 1; // binary φ of a zero map: ‖0‖ < μ + σ reads 1
    const after = classifier.predict({ rows: n, cols: 3, data: zeroed });
    const values = propagate(scm, { observed, n, mode: 'counterfactual', interventions: [{ layer: 'A', channels: [0], kind: 'zero' }] });
    for (let i = 0; i < n * 2; i++) expect(values.B[i]).toBe(Math.min(1, Math.max(0, after[i] + observedBin[i] - before[i])));
    const dB = Array.from({ length: n }, (_, i) => [values.B[i * 2] - observedBin[i * 2], values.B[i * 2 + 1] - observedBin[i * 2 + 1]]);
    for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) expect(values.L[i * 2 + j]).toBeCloseTo(observedL[i * 2 + j] + dB[i][0] * W2[0][j] + dB[i][1] * W2[1][j], 12);
  });
});

describe('do-spec parsing', () => {
  const channels = (l: string) => ({ conv1: 8, conv2: 4 })[l];
  it('reads channels, ranges, * and values', () => {
    expect(parseDoSpec('conv1:3=0, conv1:5-6=x0.5,conv2:*=1.5', channels)).toEqual([
      { layer: 'conv1', channels: [3], kind: 'zero' },
      { layer: 'conv1', channels: [5, 6], kind: 'scale', value: 0.5 },
      { layer: 'conv2', channels: [0, 1, 2, 3], kind: 'constant', value: 1.5 },
    ]);
    expect(parseDoSpec('conv2:1=scale(2)', channels)).toEqual([{ layer: 'conv2', channels: [1], kind: 'scale', value: 2 }]);
  });
  it('says what is wrong', () => {
    expect(() => parseDoSpec('conv9:1=0', channels)).toThrow(/no node layer named conv9/);
    expect(() => parseDoSpec('conv2:4=0', channels)).toThrow(/channels 0\.\.3/);
    expect(() => parseDoSpec('conv2=0', channels)).toThrow(/LAYER:CHANNEL=VALUE/);
    expect(() => parseDoSpec('conv2:1=abc', channels)).toThrow(/not a number/);
  });
});
