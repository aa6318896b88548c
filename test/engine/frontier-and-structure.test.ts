import { describe, expect, it } from 'vitest';
import type { Intervention } from '../../src/main/engine/interventions.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import { tf } from '../../src/main/engine/tf.js';
import { maxAbsDiff } from '../helpers/reference-forward.js';
import { residualBlock, seededValues } from '../helpers/tiny-models.js';

const batch = 4;
const input = seededValues(7, batch * 8 * 8 * 3, 1);

describe('node layers of a residual block (METHODS §0)', () => {
  it('takes convs after BN and activation, the Add after its ReLU, and pre-softmax logits', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const summary = model.summary();
    model.dispose();
    expect(summary.nodeLayers.map((n) => [n.name, n.kind, n.outputLayer, n.parents, n.channels])).toEqual([
      ['stem', 'conv', 'stem_relu', [], 4],
      ['branch', 'conv', 'branch_bn', ['stem'], 4],
      ['add', 'merge', 'add_relu', ['stem', 'branch'], 4],
      ['logits', 'logits', 'logits', ['add'], 3],
    ]);
    expect(summary.params).toBe(3 * 3 * 3 * 4 + 4 * 4 + 3 * 3 * 4 * 4 + 4 * 4 + 4 * 3 + 3);
  });
});

describe('suffix re-run from a cached frontier', () => {
  it('equals the full forward pass under the same interventions, several masks per pass', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const masks: Intervention[][] = [
      [],
      [{ layer: 'branch', channels: [0], kind: 'zero' }],
      [{ layer: 'branch', channels: [1, 3], kind: 'zero' }],
      [
        { layer: 'branch', channels: [2], kind: 'scale', value: 3 },
        { layer: 'add', channels: [1], kind: 'constant', value: 0.5 },
      ],
    ];
    const frontier = await model.captureFrontier(input, batch, 'branch');
    const perSample = masks.flatMap((mask) => Array.from({ length: batch }, () => mask));
    const suffix = await model.forwardFromFrontier(frontier, { interventions: { perSample }, phi: { kinds: ['fro'] } }, masks.length);
    frontier.dispose();
    expect(suffix.batch).toBe(batch * masks.length);
    // Layers before the frontier are not re-run, so they have no φ.
    expect(Object.keys(suffix.phi).sort()).toEqual(['add', 'branch', 'logits']);
    for (let m = 0; m < masks.length; m++) {
      const full = await model.forward(input, batch, { interventions: { shared: masks[m] }, phi: { kinds: ['fro'] } });
      const rows = (a: Float32Array, c: number) => a.slice(m * batch * c, (m + 1) * batch * c);
      expect(maxAbsDiff(rows(suffix.logits, 3), full.logits)).toBeLessThan(1e-5);
      expect(maxAbsDiff(rows(suffix.phi.add.fro!, 4), full.phi.add.fro!)).toBeLessThan(1e-4);
      expect(maxAbsDiff(rows(suffix.phi.branch.fro!, 4), full.phi.branch.fro!)).toBeLessThan(1e-4);
    }
    model.dispose();
  });

  it('the frontier of an inner residual conv keeps the skip tensor the Add still needs', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const frontier = await model.captureFrontier(input, batch, 'branch');
    const zeroStem = await model.forwardFromFrontier(frontier, { interventions: { shared: [{ layer: 'branch', channels: [0, 1, 2, 3], kind: 'zero' }] } });
    const full = await model.forward(input, batch, { interventions: { shared: [{ layer: 'branch', channels: [0, 1, 2, 3], kind: 'zero' }] } });
    frontier.dispose();
    model.dispose();
    expect(maxAbsDiff(zeroStem.logits, full.logits)).toBeLessThan(1e-5);
  });
});

describe('tensor memory', () => {
  it('does not grow over 20 batches of forward, φ, interventions and suffix re-runs', async () => {
    const model = await LoadedModel.fromSpec(residualBlock());
    const oneBatch = async (i: number) => {
      await model.forward(input, batch, {
        interventions: { shared: [{ layer: 'stem', channels: [i % 4], kind: 'zero' }] },
        phi: { kinds: ['fro', 'mean', 'max', 'std'] },
      });
      const frontier = await model.captureFrontier(input, batch, 'add');
      await model.forwardFromFrontier(frontier, { phi: { kinds: ['fro'] } }, 3);
      await model.forwardFromFrontier(frontier, {});
      frontier.dispose();
    };
    await oneBatch(0);
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 20; i++) await oneBatch(i);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
