/**
 * ONNX models (`.onnx`, opsets 9–21, as torch.onnx.export and tf2onnx write them) → ModelSpec: the
 * same Keras-style layer graph the other loaders produce, channels last, so every feature runs on
 * them unchanged. The translation happens once at load time:
 * - the input [N, C, H, W] becomes an NHWC input [H, W, C] (our datasets and φ are NHWC); a graph
 *   that starts with Transpose(0, 3, 1, 2) on an NHWC input is read as NHWC directly;
 * - conv kernels are transposed to [kh, kw, I, O], a Dense after a C·H·W flatten gets its rows
 *   permuted (see onnx/onnx-dense-shape.ts), pads become 'same' or a ZeroPadding2D;
 * - shape arithmetic (Shape→Gather→Unsqueeze→Concat→Reshape, ConstantOfShape→…→Pad) is folded;
 * - Dropout and Identity vanish; an activation that is a conv's only reader is fused into it.
 * An op outside the supported list is one ModelLoadError naming the file, the node and the op.
 */
import { basename, extname, resolve } from 'node:path';
import type { LayerSpec, ModelSpec } from './model-spec.js';
import { ModelLoadError } from './model-spec.js';
import { readModelFile } from './read-model-file.js';
import { BATCH_DIM, constFromTensor, foldConstant, type ConstValue } from './onnx/onnx-constants.js';
import { translateConv, translateGlobalPool, translatePool, translateSpatialReduce } from './onnx/onnx-conv-pool.js';
import { translateFlatten, translateGemm, translateMatMul, translateReshape, translateSqueeze, translateUnsqueeze } from './onnx/onnx-dense-shape.js';
import { translateActivation, translateArithmetic, translateConcat, translatePad, translateSoftmax } from './onnx/onnx-elementwise.js';
import { decodeOnnxModel, type OnnxModel, type OnnxNode } from './onnx/onnx-proto.js';
import { OnnxTranslator } from './onnx/onnx-translator.js';

export const ONNX_OPSETS = { min: 9, max: 21 } as const;

type Translate = (t: OnnxTranslator, node: OnnxNode, staticBatch: number | undefined) => void;

const passThrough: Translate = (t, node) => t.alias(node, t.tensorInput(node, 0));

const translators: Record<string, Translate> = {
  Conv: translateConv,
  BatchNormalization: (t, node) => {
    const x = t.tensorInput(node, 0);
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => t.constInput(node, i, 'statistic'));
    if (!gamma || !beta || !mean || !variance) throw t.error(node, 'needs constant scale, B, mean and var');
    const w = (name: string, v: ConstValue) => ({ name, shape: [v.data.length], values: Float32Array.from(v.data) });
    t.emit(node, 'BatchNormalization', { axis: -1, epsilon: t.attributes(node).float('epsilon', 1e-5), center: true, scale: true }, [x.layer], x.shape, [
      w('gamma', gamma),
      w('beta', beta),
      w('moving_mean', mean),
      w('moving_variance', variance),
    ]);
  },
  Relu: translateActivation,
  LeakyRelu: translateActivation,
  Clip: translateActivation,
  Sigmoid: translateActivation,
  HardSigmoid: translateActivation,
  HardSwish: translateActivation,
  Tanh: translateActivation,
  Elu: translateActivation,
  Softplus: translateActivation,
  MaxPool: (t, node) => translatePool(t, node, 'max'),
  AveragePool: (t, node) => translatePool(t, node, 'avg'),
  GlobalAveragePool: (t, node) => translateGlobalPool(t, node, 'avg'),
  GlobalMaxPool: (t, node) => translateGlobalPool(t, node, 'max'),
  ReduceMean: (t, node) => translateSpatialReduce(t, node, 'avg'),
  ReduceMax: (t, node) => translateSpatialReduce(t, node, 'max'),
  Add: translateArithmetic,
  Sub: translateArithmetic,
  Mul: translateArithmetic,
  Div: translateArithmetic,
  Concat: translateConcat,
  Gemm: translateGemm,
  MatMul: translateMatMul,
  Flatten: translateFlatten,
  Reshape: translateReshape,
  Squeeze: translateSqueeze,
  Unsqueeze: translateUnsqueeze,
  Dropout: passThrough,
  Identity: passThrough,
  Softmax: translateSoftmax,
  LogSoftmax: (t, node) => {
    // Only as the model's last op: the logits node is what comes before it either way (METHODS §0).
    if (!t.isGraphOutput(node.output![0])) throw t.error(node, 'is used inside the network; LogSoftmax is supported only as the last op');
    translateSoftmax(t, node);
  },
  Pad: translatePad,
  Transpose: (t, node) => {
    const x = t.tensorInput(node, 0);
    const perm = t.attributes(node).ints('perm', []);
    if (x.layer !== t.layers[0].name || perm.join() !== '0,3,1,2') {
      throw t.error(node, `transposes [${perm.join(', ')}]; only the NHWC → NCHW transpose of the model input is supported`);
    }
    t.alias(node, x);
  },
};

/** Ops whose all-constant applications are folded (shape arithmetic). */
const SHAPE_OPS = ['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Reshape', 'Slice', 'Cast', 'ConstantOfShape', 'Transpose', 'Range', 'Constant'];

export const SUPPORTED_ONNX_OPS = [...Object.keys(translators), ...SHAPE_OPS.filter((op) => !(op in translators))].sort();

function readDecoded(file: string, bytes: Uint8Array): OnnxModel {
  let model: OnnxModel;
  try {
    model = decodeOnnxModel(bytes);
  } catch (e) {
    throw new ModelLoadError(file, `is not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  if (!model.graph || !(model.graph.node?.length)) throw new ModelLoadError(file, 'is not an ONNX model (it has no graph nodes)');
  return model;
}

function opsetOf(file: string, model: OnnxModel): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = Number(entry?.version ?? 0);
  if (opset < ONNX_OPSETS.min || opset > ONNX_OPSETS.max) {
    throw new ModelLoadError(file, `uses ONNX opset ${opset || '(none)'}; supported: ${ONNX_OPSETS.min}–${ONNX_OPSETS.max} (re-export with opset_version in that range)`);
  }
  return opset;
}

/** Loads an ONNX model file into a ModelSpec. */
export async function loadOnnx(path: string): Promise<ModelSpec> {
  const file = resolve(path);
  const model = readDecoded(file, await readModelFile(file));
  const opset = opsetOf(file, model);
  const graph = model.graph!;
  const nodes = graph.node ?? [];
  const t = new OnnxTranslator(file, opset, nodes, (graph.output ?? []).map((o) => o.name ?? ''));

  for (const init of graph.initializer ?? []) {
    if (init.dataLocation === 1 || (init.externalData?.length ?? 0) > 0) {
      throw new ModelLoadError(file, `weight ${init.name} is stored in an external data file; save the model with its weights inside (onnx.save(model, path, save_as_external_data=False))`);
    }
    try {
      t.setValue(init.name!, { kind: 'const', value: constFromTensor(init) });
    } catch (e) {
      throw new ModelLoadError(file, `weight ${init.name}: ${(e as Error).message}`);
    }
  }
  const initializers = new Set((graph.initializer ?? []).map((i) => i.name));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  if (inputs.length !== 1) throw new ModelLoadError(file, `has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); one image input is supported`);
  const input = inputs[0];
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  const sizes = dims.map((d) => (d.dimValue !== undefined && d.dimValue > 0 ? Number(d.dimValue) : undefined));
  const nhwc = (t.readers.get(input.name!) ?? []).every((r) => r.opType === 'Transpose') && (t.readers.get(input.name!) ?? []).length > 0;
  const [c, h, w] = nhwc ? [sizes[3], sizes[1], sizes[2]] : [sizes[1], sizes[2], sizes[3]];
  if (dims.length !== 4 || !c || !h || !w) {
    const shown = dims.map((d) => d.dimValue ?? d.dimParam ?? '?').join(', ');
    throw new ModelLoadError(file, `input ${input.name} has shape [${shown}]; expected an image batch [N, C, H, W] with fixed C, H and W`);
  }
  const staticBatch = sizes[0];
  t.addLayer(input.name!, 'InputLayer', { batch_input_shape: [null, h, w, c], dtype: 'float32' }, []);
  t.setValue(input.name!, { kind: 'tensor', layer: input.name!, shape: [BATCH_DIM, c, h, w] });

  for (const node of nodes) {
    const op = node.opType ?? '';
    if (node.domain && node.domain !== 'ai.onnx') throw t.error(node, `is from the op domain "${node.domain}", which is not supported`);
    if (op === 'Constant') {
      const a = t.attributes(node);
      const tensor = a.optionalTensor('value');
      const value: ConstValue | undefined = tensor
        ? constFromTensor(tensor)
        : a.has('value_float') ? { dims: [], data: [a.float('value_float', 0)] }
        : a.has('value_floats') ? { dims: [a.optionalFloats('value_floats')!.length], data: a.optionalFloats('value_floats')! }
        : a.has('value_int') ? { dims: [], data: [a.int('value_int')] }
        : a.has('value_ints') ? { dims: [a.ints('value_ints').length], data: a.ints('value_ints') }
        : undefined;
      if (!value) throw t.error(node, 'holds a kind of constant that is not supported (sparse or string)');
      t.setValue(node.output![0], { kind: 'const', value });
      continue;
    }
    if (op === 'Shape') {
      const x = t.tensorInput(node, 0);
      const a = t.attributes(node);
      const rank = x.shape.length;
      const norm = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
      const shape = x.shape.slice(norm(a.int('start', 0)), norm(a.int('end', rank)));
      t.setValue(node.output![0], { kind: 'const', value: { dims: [shape.length], data: shape } });
      continue;
    }
    const inputValues = (node.input ?? []).map((name) => (name ? t.value(name) : undefined));
    if (inputValues.every((v) => v === undefined || v.kind === 'const') && (node.input ?? []).some((n) => n)) {
      const folded = foldConstant(node, inputValues.map((v) => (v?.kind === 'const' ? v.value : undefined)), t.attributes(node), opset);
      if (folded) {
        folded.forEach((value, i) => t.setValue(node.output![i], { kind: 'const', value }));
        continue;
      }
    }
    const translate = translators[op];
    if (!translate) throw t.error(node, `is not supported; supported ONNX ops: ${SUPPORTED_ONNX_OPS.join(', ')}`);
    translate(t, node, staticBatch);
  }

  const outputName = graph.output?.[0]?.name ?? '';
  const output = t.value(outputName);
  if (!output || output.kind !== 'tensor') throw new ModelLoadError(file, `graph output ${outputName} is not computed from the input`);
  const layers = fuseActivations(t.layers, output.layer);
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return {
    name: graph.name && graph.name !== 'torch_jit' && graph.name !== 'main_graph' ? graph.name : basename(file, extname(file)),
    format: 'onnx',
    producer: `${producer ? `${producer}, ` : ''}ONNX opset ${opset}`,
    source: file,
    inputShape: [h, w, c],
    inputLayer: input.name!,
    outputLayer: output.layer,
    layers,
  };
}

/**
 * An activation that is the only reader of a Conv2D / DepthwiseConv2D / Dense output is folded into
 * that layer's `activation` (one fused kernel instead of two passes; the node layer is the same
 * post-activation output, METHODS §0).
 */
function fuseActivations(layers: LayerSpec[], outputLayer: string): LayerSpec[] {
  const readers = new Map<string, number>();
  for (const l of layers) for (const i of l.inbound) readers.set(i, (readers.get(i) ?? 0) + 1);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const renamed = new Map<string, string>();
  const removed = new Set<string>();
  for (const layer of layers) {
    const fused = fusedName(layer);
    if (!fused || layer.inbound.length !== 1 || layer.name === outputLayer) continue;
    const producer = byName.get(layer.inbound[0]);
    if (!producer || !['Conv2D', 'DepthwiseConv2D', 'Dense'].includes(producer.className)) continue;
    if (producer.config.activation !== 'linear' || readers.get(producer.name) !== 1 || producer.name === outputLayer) continue;
    producer.config.activation = fused;
    removed.add(layer.name);
    renamed.set(layer.name, producer.name);
  }
  const target = (name: string) => renamed.get(name) ?? name;
  return layers.filter((l) => !removed.has(l.name)).map((l) => ({ ...l, inbound: l.inbound.map(target) }));
}

function fusedName(layer: LayerSpec): string | undefined {
  if (layer.className === 'Activation' && ['relu', 'sigmoid'].includes(String(layer.config.activation))) return String(layer.config.activation);
  if (layer.className === 'ReLU' && layer.config.max_value === 6 && !layer.config.negative_slope) return 'relu6';
  if (layer.className === 'ReLU' && (layer.config.max_value === null || layer.config.max_value === undefined) && !layer.config.negative_slope) return 'relu';
  return undefined;
}
