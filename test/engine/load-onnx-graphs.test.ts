/**
 * The ONNX loader on small hand-built graphs for the cases exporters vary on (auto_pad, asymmetric
 * pads, depthwise multipliers, unfolded BatchNorm, flatten order, fixed-batch reshapes, baked-in
 * normalization, NHWC inputs), each checked against ONNX Runtime (onnxruntime-node, an independent
 * implementation) on the same random input; and the errors a user meets, each one line naming the
 * file, the node and the problem.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/main/engine/backend.js';
import { loadOnnx } from '../../src/main/engine/load-onnx.js';
import { LoadedModel } from '../../src/main/engine/loaded-model.js';
import {
  OnnxAttributeType,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
  encodeOnnxModel,
  floatTensor,
  int64Tensor,
} from '../../src/main/engine/onnx/onnx-proto.js';

const dir = mkdtempSync(join(tmpdir(), 'onnx-graphs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend();
});

let seed = 7;
function random(n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed / 2147483648 - 0.5) * 2 * scale;
  });
}

const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: OnnxAttributeType.INTS, ints: v });
const int = (name: string, v: number): OnnxAttribute => ({ name, type: OnnxAttributeType.INT, i: v });
const str = (name: string, v: string): OnnxAttribute => ({ name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(v) });
const node = (opType: string, input: string[], output: string[], attribute: OnnxAttribute[] = [], name = output[0]): OnnxNode => ({ opType, input, output, attribute, name });
const conv = (w: string, o: number, i: number, k: number): OnnxTensor => floatTensor(w, [o, i, k, k], random(o * i * k * k, 0.5));
const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

interface Graph {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  input: (number | string)[];
  /** Outputs: the first is the model output, the rest are intermediate tensors to compare. */
  outputs: string[];
  opset?: number;
}

function write(name: string, g: Graph): string {
  const file = join(dir, `${name}.onnx`);
  const bytes = encodeOnnxModel({
    irVersion: 8,
    producerName: 'causeway-test',
    opsetImport: [{ domain: '', version: g.opset ?? 13 }],
    graph: {
      name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('x', g.input)],
      output: g.outputs.map((o) => ({ name: o })),
    },
  });
  writeFileSync(file, bytes);
  return file;
}

/** Our forward vs ONNX Runtime's on one random batch: logits, and φ fro of the named node layers. */
async function compareWithOrt(name: string, g: Graph, nodeLayerOutputs: Record<string, string> = {}): Promise<LoadedModel> {
  const file = write(name, g);
  const model = await LoadedModel.fromSpec(await loadOnnx(file));
  const [h, w, c] = model.inputShape;
  const batch = 2;
  const nhwc = random(batch * h * w * c);
  const nhwcInput = g.input[1] === h && g.input[3] === c && g.input[2] === w && g.input[1] !== c;
  const feed = nhwcInput ? nhwc : new Float32Array(batch * c * h * w);
  if (!nhwcInput) {
    for (let b = 0; b < batch; b++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) feed[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k];
  }
  const session = await ort.InferenceSession.create(file);
  const dims = nhwcInput ? [batch, h, w, c] : [batch, c, h, w];
  const fixedBatch = typeof g.input[0] === 'number';
  const runs = fixedBatch ? [0, 1] : [null];
  const ortOut: Record<string, { data: Float32Array; dims: readonly number[] }[]> = {};
  for (const b of runs) {
    const data = b === null ? feed : feed.subarray((b * feed.length) / batch, ((b + 1) * feed.length) / batch);
    const result = await session.run({ x: new ort.Tensor('float32', data, b === null ? dims : [1, ...dims.slice(1)]) });
    for (const [k, v] of Object.entries(result)) (ortOut[k] ??= []).push({ data: v.data as Float32Array, dims: v.dims });
  }
  const ours = await model.forward(nhwc, batch, { phi: { kinds: ['fro'] } });
  const theirs = Float32Array.from(ortOut[g.outputs[0]].flatMap((r) => Array.from(r.data)));
  const scale = Math.max(...Array.from(theirs, Math.abs));
  ours.logits.forEach((v, i) => expect(Math.abs(v - theirs[i]) / scale, `logit ${i}`).toBeLessThan(1e-5));
  for (const [layer, tensor] of Object.entries(nodeLayerOutputs)) {
    const parts = ortOut[tensor];
    const [, ch, hh, ww] = parts[0].dims;
    const all = Float32Array.from(parts.flatMap((p) => Array.from(p.data)));
    const fro = Array.from({ length: batch * ch }, (_, i) => Math.hypot(...Array.from(all.subarray(i * hh * ww, (i + 1) * hh * ww))));
    const got = ours.phi[layer].fro!;
    const s = Math.max(...fro);
    fro.forEach((v, i) => expect(Math.abs(got[i] - v) / s, `${layer} fro ${i}`).toBeLessThan(1e-5));
  }
  return model;
}

const head = (from: string, channels: number, classes = 4): { nodes: OnnxNode[]; initializers: OnnxTensor[] } => ({
  nodes: [node('GlobalAveragePool', [from], ['gap']), node('Flatten', ['gap'], ['flat']), node('Gemm', ['flat', 'fc_w', 'fc_b'], ['logits'], [int('transB', 1)])],
  initializers: [floatTensor('fc_w', [classes, channels], random(classes * channels)), floatTensor('fc_b', [classes], random(classes))],
});

describe('ONNX graphs against ONNX Runtime', () => {
  it('auto_pad SAME_UPPER / SAME_LOWER, asymmetric stride-2 pads, depthwise with multiplier 2', async () => {
    const h = head('r3', 12);
    const model = await compareWithOrt('padding', {
      input: ['N', 3, 11, 10],
      nodes: [
        node('Conv', ['x', 'w1'], ['c1'], [str('auto_pad', 'SAME_LOWER'), ints('strides', [2, 2]), ints('kernel_shape', [3, 3])]),
        node('Relu', ['c1'], ['r1']),
        node('Conv', ['r1', 'w2', 'b2'], ['c2'], [str('auto_pad', 'SAME_UPPER'), ints('kernel_shape', [3, 3])]),
        node('Relu', ['c2'], ['r2']),
        node('Conv', ['r2', 'w3'], ['c3'], [int('group', 6), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])]),
        node('Clip', ['c3', 'lo', 'hi'], ['r3']),
        ...h.nodes,
      ],
      initializers: [conv('w1', 6, 3, 3), conv('w2', 6, 6, 3), floatTensor('b2', [6], random(6)), conv('w3', 12, 1, 3), floatTensor('lo', [], new Float32Array([0])), floatTensor('hi', [], new Float32Array([6])), ...h.initializers],
      outputs: ['logits', 'r1', 'r2', 'r3'],
    }, { c1: 'r1', c2: 'r2', c3: 'r3' });
    const kinds = model.graph.spec.layers.map((l) => l.className);
    expect(kinds.filter((k) => k === 'DepthwiseConv2D')).toHaveLength(1);
    expect(model.graph.spec.layers.find((l) => l.name === 'c3')?.config.activation).toBe('relu6');

    // Gradients through the depthwise conv (wasm lacks its backprop kernel; see convolution.ts) match
    // central finite differences of the logit: Grad-CAM, Taylor and FGSM/PGD rely on them.
    const [hh, ww, cc] = model.inputShape;
    const x = random(hh * ww * cc);
    const g = await model.gradients(x, 1, { objective: 'logit', targets: [2], wrtInput: true });
    const logit = async (v: Float32Array) => (await model.forward(v, 1)).logits[2];
    for (const i of [5, 77, 200, 321]) {
      const eps = 1e-2;
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[i] += eps;
      down[i] -= eps;
      const numeric = ((await logit(up)) - (await logit(down))) / (2 * eps);
      expect(Math.abs(g.input![i] - numeric), `∂logit/∂x[${i}]`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    model.dispose();
  });

  it('an unfolded BatchNorm: the conv node layer is the output after BN and ReLU', async () => {
    const h = head('r1', 5);
    const model = await compareWithOrt('batchnorm', {
      input: ['N', 3, 8, 8],
      nodes: [
        node('Conv', ['x', 'w1'], ['c1'], [ints('pads', [1, 1, 1, 1])]),
        node('BatchNormalization', ['c1', 'g', 'b', 'm', 'v'], ['bn'], [{ name: 'epsilon', type: OnnxAttributeType.FLOAT, f: 1e-3 }]),
        node('Relu', ['bn'], ['r1']),
        ...h.nodes,
      ],
      initializers: [conv('w1', 5, 3, 3), floatTensor('g', [5], random(5)), floatTensor('b', [5], random(5)), floatTensor('m', [5], random(5)), floatTensor('v', [5], random(5).map((x) => 0.5 + Math.abs(x))), ...h.initializers],
      outputs: ['logits', 'r1'],
    }, { c1: 'r1' });
    expect(model.nodeLayers.map((n) => [n.name, n.outputLayer])).toEqual([['c1', 'r1'], ['logits', 'logits']]);
    model.dispose();
  });

  it('Flatten of a C·H·W map read by a Dense and by a non-Dense; a fixed-batch Reshape [1, −1]', async () => {
    const model = await compareWithOrt('flatten', {
      input: [1, 2, 3, 4],
      nodes: [
        node('Conv', ['x', 'w1'], ['c1']),
        node('Relu', ['c1'], ['r1']),
        node('Reshape', ['r1', 'shape'], ['flat']),
        node('Gemm', ['flat', 'fc_w'], ['fc'], [int('transB', 1)]),
        node('Flatten', ['r1'], ['flat2']),
        node('Relu', ['flat2'], ['flat2r']),
        node('Gemm', ['flat2r', 'fc2_w'], ['fc2'], [int('transB', 1)]),
        node('Add', ['fc', 'fc2'], ['logits']),
      ],
      initializers: [conv('w1', 3, 2, 1), int64Tensor('shape', [2], [1, -1]), floatTensor('fc_w', [5, 36], random(180)), floatTensor('fc2_w', [5, 36], random(180))],
      outputs: ['logits'],
    });
    expect(model.graph.spec.layers.some((l) => l.className === 'Permute')).toBe(true);
    model.dispose();
  });

  it('a baked-in normalization (Sub, Div by per-channel constants), an NHWC input with Transpose, MaxPool after ReLU with PyTorch pads', async () => {
    const h = head('p1', 4);
    await compareWithOrt('nhwc', {
      input: ['N', 9, 9, 3],
      nodes: [
        node('Transpose', ['x'], ['xt'], [ints('perm', [0, 3, 1, 2])]),
        node('Sub', ['xt', 'mean'], ['xs']),
        node('Div', ['xs', 'std'], ['xn']),
        node('Conv', ['xn', 'w1'], ['c1'], [ints('pads', [1, 1, 1, 1])]),
        node('Relu', ['c1'], ['r1']),
        node('MaxPool', ['r1'], ['p1'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])]),
        ...h.nodes,
      ],
      initializers: [floatTensor('mean', [1, 3, 1, 1], new Float32Array([0.4, 0.5, 0.6])), floatTensor('std', [1, 3, 1, 1], new Float32Array([0.2, 0.25, 0.3])), conv('w1', 4, 3, 3), ...h.initializers],
      outputs: ['logits'],
    });
  });
});

describe('ONNX load errors', () => {
  const tiny = (extra: OnnxNode[], opset = 13): Graph => ({
    input: ['N', 3, 4, 4],
    nodes: [node('Conv', ['x', 'w'], ['c']), ...extra, node('GlobalAveragePool', [extra.length ? extra[extra.length - 1].output![0] : 'c'], ['g']), node('Flatten', ['g'], ['logits'])],
    initializers: [conv('w', 2, 3, 1)],
    outputs: ['logits'],
    opset,
  });

  it('an unsupported op is one line naming the file, the node and the op', async () => {
    const file = write('einsum', tiny([node('Einsum', ['c'], ['e'], [str('equation', 'nchw->nchw')], 'my_einsum')]));
    await expect(loadOnnx(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: node "my_einsum" \\(Einsum\\) is not supported; supported ONNX ops: .*Conv`));
  });

  it('an opset outside 9–21, a file that is not ONNX, a max pool padding a signed input', async () => {
    await expect(loadOnnx(write('opset8', tiny([], 8)))).rejects.toThrow(/uses ONNX opset 8; supported: 9–21/);
    const garbage = join(dir, 'garbage.onnx');
    writeFileSync(garbage, 'this is not a protobuf at all, just text that goes on');
    await expect(loadOnnx(garbage)).rejects.toThrow(/garbage\.onnx: is not an ONNX model/);
    const pool = tiny([node('MaxPool', ['c'], ['p'], [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])], 'pool')]);
    await expect(loadOnnx(write('maxpool', pool))).rejects.toThrow(/node "pool" \(MaxPool\) pads a possibly negative input asymmetrically/);
  });
});
