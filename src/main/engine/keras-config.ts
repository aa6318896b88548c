/**
 * Keras model configs → ModelSpec: the normalization shared by the three loaders (TensorFlow.js
 * LayersModel, Keras HDF5, Keras v3 .keras).
 *
 * - Sequential (old list form or {name, layers}) and Functional ("Model"/"Functional", Keras 2
 *   `[[["name", node, tensor, {}]]]` or Keras 3 `{args, kwargs}` inbound nodes) become one graph;
 *   nested Sequential/Functional models are flattened into it.
 * - Layers come out in topological order, with `inbound` = producer names in call order, only those
 *   the output depends on.
 * - Configs keep their keys, with the differences between Keras versions ironed out: pairs for
 *   kernel_size/strides/pool_size/dilation_rate, lowercase padding, an activation name, defaults
 *   filled in; initializers, regularizers and constraints dropped.
 * - Weights get their Keras short names (kernel, bias, gamma, ...) in Keras order and are checked
 *   against the shapes implied by the config and the inferred input shapes.
 */
import { ModelLoadError, type LayerSpec, type ModelFormat, type ModelSpec, type NamedWeight } from './model-spec.js';

/** A weight array as stored in a file: `name` as written there ("conv2d_1/kernel:0", "kernel", "0"). */
export interface RawWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Where a format keeps a layer's weights. `path` is the layer's name preceded by the names of the
 * nested models that contain it (outermost first). Returns undefined when the file has no entry at
 * all for the layer, [] when it has an empty one.
 */
export interface WeightSource {
  weightsFor(path: string[]): RawWeight[] | undefined;
}

export interface BuildOptions {
  /** The file named in errors. */
  file: string;
  format: ModelFormat;
  /** The parsed model config: {class_name, config, ...}. */
  modelConfig: unknown;
  weights: WeightSource;
  kerasVersion?: string;
  /** Model name when the config has none (the file's base name). */
  fallbackName: string;
}

/** The classes the executor implements (canonical names). */
export const SUPPORTED_LAYER_CLASSES = [
  'InputLayer',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Dense',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'Flatten',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'ZeroPadding2D',
  'Rescaling',
  'Add',
  'Concatenate',
  'Reshape',
] as const;

const CLASS_ALIASES: Record<string, string> = {
  Convolution2D: 'Conv2D',
  SeparableConvolution2D: 'SeparableConv2D',
  DepthwiseConvolution2D: 'DepthwiseConv2D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool2D: 'AveragePooling2D',
  AveragePool2D: 'AveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalAveragePool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
};

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** Activation names the executor implements (normalized, lowercase snake_case). */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'hard_sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'exponential',
  'swish',
  'silu',
  'gelu',
] as const;

const ACTIVATION_BY_KEY = new Map<string, string>(SUPPORTED_ACTIVATIONS.map((a) => [a.replace(/_/g, ''), a]));

/** Canonical class name for a class name as written in a file, or undefined when unsupported. */
export function canonicalClassName(className: string): string | undefined {
  const name = CLASS_ALIASES[className] ?? className;
  return (SUPPORTED_LAYER_CLASSES as readonly string[]).includes(name) ? name : undefined;
}

/** Parses a model config JSON string (from an h5 attribute or a zip entry). */
export function parseJson(file: string, text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError(file, `${what} is not valid JSON (${(e as Error).message})`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Graph: flatten Sequential / Functional (and nested models) into one list of nodes.

interface Node {
  name: string;
  /** Class name as written in the file. */
  fileClass: string;
  config: Record<string, unknown>;
  inbound: string[];
  /** Nested model names + layer name: where the weights are. */
  weightPath: string[];
  /** For Keras 3 configs: the layer's build_config.input_shape (used for the input shape). */
  buildInputShape?: unknown;
}

interface Flat {
  nodes: Node[];
  input: string;
  output: string;
}

class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly names = new Set<string>();
  /** Name of a nested model or a removed inner InputLayer → the layer that stands for it. */
  readonly alias = new Map<string, string>();

  constructor(readonly file: string) {}

  fail(problem: string): never {
    throw new ModelLoadError(this.file, problem);
  }

  addNode(node: Node): void {
    if (this.names.has(node.name) || this.alias.has(node.name)) {
      this.fail(`two layers are named "${node.name}"${node.weightPath.length > 1 ? ` (inside nested model ${node.weightPath[0]})` : ''}`);
    }
    this.names.add(node.name);
    this.nodes.push(node);
  }

  resolve(name: string): string {
    let n = name;
    for (let i = 0; i < 1000 && this.alias.has(n); i++) n = this.alias.get(n)!;
    return n;
  }

  uniqueName(base: string, modelConfig: unknown): string {
    const used = new Set<string>();
    collectNames(modelConfig, used);
    let name = base;
    for (let i = 1; used.has(name) || this.names.has(name); i++) name = `${base}_${i}`;
    return name;
  }

  /**
   * Adds the layers of a model. `feed` is the producer of the model's input when the model is nested
   * (its InputLayer is then dropped and replaced by `feed`). Returns the names of its input and output.
   */
  addModel(model: Record<string, unknown>, scope: string[], feed: string | undefined): Flat {
    const className = String(model.class_name);
    const cfg = model.config;
    if (className === 'Sequential') return this.addSequential(model, cfg, scope, feed);
    if (!isRecord(cfg)) this.fail(`model ${scope.join('/') || className} has no config`);
    return this.addFunctional(cfg, scope, feed);
  }

  private addSequential(model: Record<string, unknown>, cfg: unknown, scope: string[], feed: string | undefined): Flat {
    const layers = Array.isArray(cfg) ? cfg : isRecord(cfg) ? cfg.layers : undefined;
    const where = scope.length ? `nested model ${scope.join('/')}` : 'the Sequential model';
    if (!Array.isArray(layers) || layers.length === 0) this.fail(`${where} has no layers`);
    const first = this.nodes.length;
    let prev = feed;
    let input: string | undefined = feed;
    for (const [i, entry] of layers.entries()) {
      if (!isRecord(entry)) this.fail(`${where}: layer ${i} is not an object`);
      const cls = String(entry.class_name);
      const lcfg = isRecord(entry.config) ? entry.config : {};
      const name = layerName(entry, lcfg) ?? this.fail(`${where}: layer ${i} (${cls}) has no name`);
      if (cls === 'InputLayer') {
        if (prev !== undefined) {
          if (i === 0 && feed !== undefined) {
            this.alias.set(name, feed);
            continue;
          }
          this.fail(`${where}: InputLayer ${name} is not the first layer`);
        }
        this.addNode({ name, fileClass: cls, config: lcfg, inbound: [], weightPath: [...scope, name] });
        prev = input = name;
        continue;
      }
      if (MODEL_CLASSES.has(cls)) {
        const inner = this.addModel(entry, [...scope, name], prev);
        if (prev === undefined) input = inner.input;
        this.alias.set(name, inner.output);
        prev = inner.output;
        continue;
      }
      if (prev === undefined) {
        // Old Sequential configs put batch_input_shape on the first layer: synthesize the InputLayer.
        const shape = batchShapeOf(lcfg) ?? batchFromBuild(entry.build_config) ?? batchFromBuild(isRecord(model) ? model.build_config : undefined);
        if (!shape) this.fail(`${where}: the first layer ${name} does not record the input shape (batch_input_shape)`);
        const inputName = this.uniqueName('input', model);
        this.addNode({
          name: inputName,
          fileClass: 'InputLayer',
          config: { name: inputName, batch_input_shape: shape, dtype: lcfg.dtype ?? 'float32' },
          inbound: [],
          weightPath: [...scope, inputName],
        });
        prev = input = inputName;
      }
      this.addNode({ name, fileClass: cls, config: lcfg, inbound: [prev], weightPath: [...scope, name], buildInputShape: buildShape(entry.build_config) });
      prev = name;
    }
    if (input === undefined || prev === undefined) this.fail(`${where} has no layers`);
    return { nodes: this.nodes.slice(first), input, output: prev };
  }

  private addFunctional(cfg: Record<string, unknown>, scope: string[], feed: string | undefined): Flat {
    const where = scope.length ? `nested model ${scope.join('/')}` : 'the model';
    const layers = cfg.layers;
    if (!Array.isArray(layers) || layers.length === 0) this.fail(`${where} has no layers`);
    const inputs = tensorRefs(cfg.input_layers);
    const outputs = tensorRefs(cfg.output_layers);
    if (inputs.length !== 1) {
      this.fail(`${where} has ${inputs.length} inputs (${inputs.map((r) => r.layer).join(', ')}); exactly one input is supported`);
    }
    if (outputs.length !== 1) {
      this.fail(`${where} has ${outputs.length} outputs (${outputs.map((r) => r.layer).join(', ')}); exactly one output is supported`);
    }
    const inputName = inputs[0].layer;
    const first = this.nodes.length;
    for (const [i, entry] of layers.entries()) {
      if (!isRecord(entry)) this.fail(`${where}: layer ${i} is not an object`);
      const cls = String(entry.class_name);
      const lcfg = isRecord(entry.config) ? entry.config : {};
      const name = layerName(entry, lcfg) ?? this.fail(`${where}: layer ${i} (${cls}) has no name`);
      const nodes = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
      if (nodes.length > 1) this.fail(`shared layer ${name} is not supported (it is called ${nodes.length} times)`);
      const refs = nodes.length ? inboundRefs(nodes[0]) : [];
      for (const r of refs) {
        if (r.node > 0) this.fail(`shared layer ${r.layer} is not supported (layer ${name} uses its call #${r.node + 1})`);
        if (r.tensor > 0) this.fail(`layer ${name} uses output ${r.tensor} of ${r.layer}; layers with several outputs are not supported`);
      }
      const inbound = refs.map((r) => r.layer);
      if (cls === 'InputLayer') {
        if (name !== inputName) this.fail(`${where}: InputLayer ${name} is not the model input ${inputName}`);
        if (feed !== undefined) this.alias.set(name, feed);
        else this.addNode({ name, fileClass: cls, config: lcfg, inbound: [], weightPath: [...scope, name] });
        continue;
      }
      if (inbound.length === 0) this.fail(`layer ${name} (${cls}) has no inbound connection`);
      if (MODEL_CLASSES.has(cls)) {
        if (inbound.length !== 1) this.fail(`nested model ${name} gets ${inbound.length} inputs; only one is supported`);
        const inner = this.addModel(entry, [...scope, name], inbound[0]);
        this.alias.set(name, inner.output);
        continue;
      }
      this.addNode({ name, fileClass: cls, config: lcfg, inbound, weightPath: [...scope, name], buildInputShape: buildShape(entry.build_config) });
    }
    const input = feed ?? inputName;
    if (feed === undefined && !this.names.has(inputName)) this.fail(`${where}: the input layer ${inputName} is not among its layers`);
    return { nodes: this.nodes.slice(first), input, output: outputs[0].layer };
  }
}

function layerName(entry: Record<string, unknown>, cfg: Record<string, unknown>): string | undefined {
  const n = entry.name ?? cfg.name;
  return typeof n === 'string' && n.length > 0 ? n : undefined;
}

function collectNames(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectNames(x, out);
  else if (isRecord(v)) {
    if (typeof v.name === 'string') out.add(v.name);
    for (const x of Object.values(v)) if (typeof x === 'object') collectNames(x, out);
  }
}

interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** input_layers / output_layers: [["name", 0, 0], ...] or a single ["name", 0, 0] (Keras 3). */
function tensorRefs(v: unknown): TensorRef[] {
  if (!Array.isArray(v)) return [];
  if (typeof v[0] === 'string') return [{ layer: v[0], node: Number(v[1] ?? 0), tensor: Number(v[2] ?? 0) }];
  return v.flatMap((x) => tensorRefs(x));
}

/** The producers in one inbound node, Keras 2 list form or Keras 3 {args, kwargs} form. */
function inboundRefs(node: unknown): TensorRef[] {
  if (isRecord(node)) {
    const out: TensorRef[] = [];
    collectKerasTensors(node.args, out);
    collectKerasTensors(node.kwargs, out);
    return out;
  }
  if (!Array.isArray(node)) return [];
  // Keras 2: [["name", node, tensor, {kwargs}], ...]; a single call may also be written unnested.
  if (typeof node[0] === 'string') return [{ layer: node[0], node: Number(node[1] ?? 0), tensor: Number(node[2] ?? 0) }];
  return node.flatMap((x) => (Array.isArray(x) && typeof x[0] === 'string' ? [{ layer: x[0], node: Number(x[1] ?? 0), tensor: Number(x[2] ?? 0) }] : []));
}

function collectKerasTensors(v: unknown, out: TensorRef[]): void {
  if (Array.isArray(v)) {
    for (const x of v) collectKerasTensors(x, out);
  } else if (isRecord(v)) {
    if (v.class_name === '__keras_tensor__' && isRecord(v.config)) {
      const h = v.config.keras_history;
      if (Array.isArray(h) && typeof h[0] === 'string') out.push({ layer: h[0], node: Number(h[1] ?? 0), tensor: Number(h[2] ?? 0) });
      return;
    }
    for (const x of Object.values(v)) collectKerasTensors(x, out);
  }
}

function batchShapeOf(cfg: Record<string, unknown>): unknown[] | undefined {
  for (const key of ['batch_input_shape', 'batch_shape']) {
    const v = cfg[key];
    if (Array.isArray(v)) return v;
  }
  for (const key of ['input_shape', 'shape']) {
    const v = cfg[key];
    if (Array.isArray(v)) return [null, ...v];
  }
  return undefined;
}

function buildShape(buildConfig: unknown): unknown {
  return isRecord(buildConfig) ? buildConfig.input_shape : undefined;
}

function batchFromBuild(buildConfig: unknown): unknown[] | undefined {
  const s = buildShape(buildConfig);
  return Array.isArray(s) && !Array.isArray(s[0]) ? s : undefined;
}

// ---------------------------------------------------------------------------------------------
// Config normalization.

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D']);
const POOL_CLASSES = new Set(['MaxPooling2D', 'AveragePooling2D']);
const ACTIVATION_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Dense', 'Activation']);

/** Keys that do not matter for inference and are dropped (never a reason to fail). */
function isTrainingOnlyKey(key: string): boolean {
  return /(initializer|regularizer|constraint)$/i.test(key) || key === 'init' || key === 'W_learning_rate_multiplier' || key === 'b_learning_rate_multiplier';
}

/** Normalizes a layer config (see the module comment); `layer` names the layer in errors. */
export function normalizeLayerConfig(file: string, layer: string, className: string, raw: Record<string, unknown>): Record<string, unknown> {
  const fail: (problem: string) => never = (problem) => {
    throw new ModelLoadError(file, `layer ${layer} (${className}): ${problem}`);
  };
  const cfg: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!isTrainingOnlyKey(k)) cfg[k] = v;

  if (cfg.data_format === 'channels_first' || cfg.dim_ordering === 'th') {
    throw new ModelLoadError(file, `channels_first models are not supported (layer ${layer})`);
  }
  renameOld(cfg, { nb_filter: 'filters', subsample: 'strides', border_mode: 'padding', atrous_rate: 'dilation_rate', output_dim: 'units' });
  if (cfg.kernel_size === undefined && cfg.nb_row !== undefined && cfg.nb_col !== undefined) cfg.kernel_size = [cfg.nb_row, cfg.nb_col];
  if (typeof cfg.bias === 'boolean' && cfg.use_bias === undefined) cfg.use_bias = cfg.bias;
  if ((className === 'Dropout' || className === 'SpatialDropout2D') && cfg.rate === undefined && cfg.p !== undefined) cfg.rate = cfg.p;

  const pair = (key: string, fallback: [number, number] | undefined): void => {
    const v = cfg[key];
    if (v === undefined || v === null) {
      if (fallback) cfg[key] = fallback;
      else fail(`config "${key}" is missing`);
      return;
    }
    if (typeof v === 'number') cfg[key] = [v, v];
    else if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') cfg[key] = [v[0], v[0]];
    else if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) cfg[key] = [v[0], v[1]];
    else fail(`config "${key}" must be a positive integer or a pair, got ${JSON.stringify(v)}`);
  };
  const padding = (): void => {
    const p = cfg.padding ?? 'valid';
    const s = typeof p === 'string' ? p.toLowerCase() : '';
    if (s !== 'same' && s !== 'valid') fail(`padding ${JSON.stringify(p)} is not supported (only "same" and "valid")`);
    cfg.padding = s;
  };
  const positiveInt = (key: string, fallback?: number): void => {
    const v = cfg[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(`config "${key}" must be a positive integer, got ${JSON.stringify(cfg[key])}`);
    cfg[key] = v;
  };

  if (CONV_CLASSES.has(className)) {
    pair('kernel_size', undefined);
    pair('strides', [1, 1]);
    pair('dilation_rate', [1, 1]);
    padding();
    cfg.use_bias = cfg.use_bias !== false;
    if (className !== 'DepthwiseConv2D') positiveInt('filters');
    if (className !== 'Conv2D') positiveInt('depth_multiplier', 1);
    const groups = cfg.groups ?? 1;
    if (groups !== 1) fail(`grouped convolution (groups=${JSON.stringify(groups)}) is not supported`);
    const s = cfg.strides as number[];
    const d = cfg.dilation_rate as number[];
    if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) fail('strides > 1 together with dilation_rate > 1 is not supported');
  } else if (POOL_CLASSES.has(className)) {
    pair('pool_size', [2, 2]);
    pair('strides', cfg.pool_size as [number, number]);
    padding();
  } else if (className === 'Dense') {
    positiveInt('units');
    cfg.use_bias = cfg.use_bias !== false;
  } else if (className === 'BatchNormalization') {
    cfg.center = cfg.center !== false;
    cfg.scale = cfg.scale !== false;
    if (typeof cfg.epsilon !== 'number') cfg.epsilon = 1e-3;
    let axis = cfg.axis ?? -1;
    if (Array.isArray(axis)) {
      if (axis.length !== 1 || typeof axis[0] !== 'number') fail(`normalizing over axes ${JSON.stringify(axis)} is not supported`);
      axis = axis[0];
    }
    if (typeof axis !== 'number') fail(`axis ${JSON.stringify(cfg.axis)} is not a number`);
    cfg.axis = axis;
  } else if (className === 'ReLU') {
    if (cfg.max_value === undefined) cfg.max_value = null;
    if (typeof cfg.negative_slope !== 'number') cfg.negative_slope = 0;
    if (typeof cfg.threshold !== 'number') cfg.threshold = 0;
  } else if (className === 'LeakyReLU') {
    const slope = typeof cfg.negative_slope === 'number' ? cfg.negative_slope : typeof cfg.alpha === 'number' ? cfg.alpha : 0.3;
    cfg.negative_slope = slope;
    cfg.alpha = slope;
  } else if (className === 'ELU') {
    if (typeof cfg.alpha !== 'number') cfg.alpha = 1;
  } else if (className === 'Softmax' || className === 'Concatenate') {
    const axis = Array.isArray(cfg.axis) && cfg.axis.length === 1 ? cfg.axis[0] : (cfg.axis ?? -1);
    if (typeof axis !== 'number') fail(`axis ${JSON.stringify(cfg.axis)} is not supported`);
    cfg.axis = axis;
  } else if (className === 'GlobalAveragePooling2D' || className === 'GlobalMaxPooling2D') {
    cfg.keepdims = cfg.keepdims === true;
  } else if (className === 'ZeroPadding2D') {
    cfg.padding = zeroPadding(cfg.padding ?? 1) ?? fail(`padding ${JSON.stringify(cfg.padding)} must be n, [h, w] or [[top, bottom], [left, right]]`);
  } else if (className === 'Rescaling') {
    const scale = cfg.scale ?? 1;
    const offset = cfg.offset ?? 0;
    if (typeof scale !== 'number' || typeof offset !== 'number') {
      fail(`only scalar scale/offset are supported, got scale ${JSON.stringify(scale)}, offset ${JSON.stringify(offset)}`);
    }
    cfg.scale = scale;
    cfg.offset = offset;
  } else if (className === 'Reshape') {
    const t = cfg.target_shape ?? cfg.dims;
    if (!Array.isArray(t) || !t.every((n) => typeof n === 'number' && Number.isInteger(n) && (n > 0 || n === -1))) {
      fail(`target_shape ${JSON.stringify(t)} is not a list of sizes`);
    }
    if (t.filter((n) => n === -1).length > 1) fail(`target_shape ${JSON.stringify(t)} has more than one -1`);
    cfg.target_shape = [...t];
  }

  if (ACTIVATION_CLASSES.has(className) || cfg.activation !== undefined) {
    cfg.activation = activationName(cfg.activation) ?? fail(`activation ${JSON.stringify(cfg.activation)} is not supported; supported: ${SUPPORTED_ACTIVATIONS.join(', ')}`);
  }
  return cfg;
}

function renameOld(cfg: Record<string, unknown>, names: Record<string, string>): void {
  for (const [from, to] of Object.entries(names)) {
    if (cfg[from] !== undefined && cfg[to] === undefined) cfg[to] = cfg[from];
  }
}

/** [[top, bottom], [left, right]] from n, [h, w] or [[t, b], [l, r]]. */
function zeroPadding(p: unknown): [[number, number], [number, number]] | undefined {
  const nonNeg = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (nonNeg(p)) return [[p, p], [p, p]];
  if (!Array.isArray(p) || p.length !== 2) return undefined;
  if (p.every(nonNeg)) return [[p[0], p[0]], [p[1], p[1]]];
  if (p.every((x) => Array.isArray(x) && x.length === 2 && x.every(nonNeg))) {
    return [[p[0][0], p[0][1]], [p[1][0], p[1][1]]];
  }
  return undefined;
}

/**
 * The normalized activation name: lowercase snake_case ("hardSigmoid" → "hard_sigmoid"), 'linear'
 * for null/absent; Keras 3 objects ({class_name: "function", config: "relu"}) give their name.
 * Undefined when it is not one of SUPPORTED_ACTIVATIONS.
 */
export function activationName(v: unknown): string | undefined {
  if (v === undefined || v === null) return 'linear';
  let name: unknown = v;
  if (isRecord(v)) {
    name = typeof v.config === 'string' ? v.config : isRecord(v.config) && typeof v.config.name === 'string' ? v.config.name : v.class_name;
  }
  if (typeof name !== 'string') return undefined;
  const key = name
    .replace(/^.*\./, '')
    .toLowerCase()
    .replace(/_/g, '');
  if (key === 'none' || key === '') return 'linear';
  return ACTIVATION_BY_KEY.get(key);
}

// ---------------------------------------------------------------------------------------------
// Shapes and weights.

interface WeightExpectation {
  name: string;
  /** -1 where the size is not known. */
  shape: number[];
}

const DEFAULT_WEIGHT_NAMES: Record<string, (cfg: Record<string, unknown>) => string[]> = {
  Conv2D: (c) => (c.use_bias ? ['kernel', 'bias'] : ['kernel']),
  Dense: (c) => (c.use_bias ? ['kernel', 'bias'] : ['kernel']),
  DepthwiseConv2D: (c) => (c.use_bias ? ['depthwise_kernel', 'bias'] : ['depthwise_kernel']),
  SeparableConv2D: (c) => (c.use_bias ? ['depthwise_kernel', 'pointwise_kernel', 'bias'] : ['depthwise_kernel', 'pointwise_kernel']),
  BatchNormalization: (c) => [...(c.scale ? ['gamma'] : []), ...(c.center ? ['beta'] : []), 'moving_mean', 'moving_variance'],
};

/** The weights a layer must have, in Keras order, with the shapes its config and input imply. */
export function expectedWeights(className: string, cfg: Record<string, unknown>, input: number[] | undefined): WeightExpectation[] {
  const names = DEFAULT_WEIGHT_NAMES[className]?.(cfg) ?? [];
  const cin = input && input.length > 0 ? input[input.length - 1] : -1;
  const k = cfg.kernel_size as number[] | undefined;
  const dm = (cfg.depth_multiplier as number | undefined) ?? 1;
  const shapes: Record<string, number[]> = {};
  switch (className) {
    case 'Conv2D':
      shapes.kernel = [k![0], k![1], cin, cfg.filters as number];
      shapes.bias = [cfg.filters as number];
      break;
    case 'Dense':
      shapes.kernel = [cin, cfg.units as number];
      shapes.bias = [cfg.units as number];
      break;
    case 'DepthwiseConv2D':
      shapes.depthwise_kernel = [k![0], k![1], cin, dm];
      shapes.bias = [cin < 0 ? -1 : cin * dm];
      break;
    case 'SeparableConv2D':
      shapes.depthwise_kernel = [k![0], k![1], cin, dm];
      shapes.pointwise_kernel = [1, 1, cin < 0 ? -1 : cin * dm, cfg.filters as number];
      shapes.bias = [cfg.filters as number];
      break;
    case 'BatchNormalization':
      for (const n of names) shapes[n] = [cin];
      break;
  }
  return names.map((name) => ({ name, shape: shapes[name] }));
}

/** Short name of a stored weight: "conv2d_1/kernel:0" → "kernel". */
export function shortWeightName(name: string): string {
  const last = name.split('/').pop() ?? name;
  return last.replace(/:\d+$/, '');
}

const WEIGHT_NAME_ALIASES: Record<string, Record<string, string>> = {
  // Keras 3 names the depthwise kernel "kernel"; Keras 1 used W/b, running_mean/running_std.
  DepthwiseConv2D: { kernel: 'depthwise_kernel' },
  BatchNormalization: { running_mean: 'moving_mean', running_std: 'moving_variance', running_var: 'moving_variance' },
};

function assignWeights(file: string, node: Node, className: string, cfg: Record<string, unknown>, input: number[] | undefined, raw: RawWeight[] | undefined): NamedWeight[] {
  const expected = expectedWeights(className, cfg, input);
  const label = `layer ${node.name} (${className})`;
  if (expected.length === 0) {
    if (raw && raw.length > 0) {
      throw new ModelLoadError(file, `${label} has weights (${raw.map((w) => w.name).join(', ')}) but the class has none`);
    }
    return [];
  }
  if (!raw || raw.length === 0) {
    throw new ModelLoadError(file, `${label} has no weights in the file; it needs ${expected.map((e) => e.name).join(', ')}`);
  }
  const aliases = WEIGHT_NAME_ALIASES[className] ?? {};
  const named = raw.map((w) => {
    const s = shortWeightName(w.name);
    return { ...w, short: aliases[s] ?? s };
  });
  const wanted = new Set(expected.map((e) => e.name));
  const byName = named.every((w) => wanted.has(w.short)) && new Set(named.map((w) => w.short)).size === named.length;
  let ordered: { short: string; shape: number[]; values: Float32Array }[];
  if (byName) {
    const missing = expected.filter((e) => !named.some((w) => w.short === e.name));
    if (missing.length > 0) {
      throw new ModelLoadError(file, `${label} is missing weight ${missing.map((m) => m.name).join(', ')} (the file has ${named.map((w) => w.short).join(', ')})`);
    }
    ordered = expected.map((e) => named.find((w) => w.short === e.name)!);
  } else if (named.length === expected.length) {
    // Positional (Keras 3 vars/0, vars/1, ...; Keras 1 W, b).
    ordered = expected.map((e, i) => ({ ...named[i], short: e.name }));
  } else {
    throw new ModelLoadError(
      file,
      `${label} has ${named.length} weights (${named.map((w) => w.name).join(', ')}); expected ${expected.map((e) => e.name).join(', ')}`,
    );
  }
  return ordered.map((w, i) => {
    const e = expected[i];
    const ok = w.shape.length === e.shape.length && e.shape.every((d, j) => d < 0 || d === w.shape[j]);
    if (!ok) {
      throw new ModelLoadError(file, `${label} weight ${e.name} has shape [${w.shape.join(', ')}], the config implies [${e.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`);
    }
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.values.length !== size) {
      throw new ModelLoadError(file, `${label} weight ${e.name} has ${w.values.length} values for shape [${w.shape.join(', ')}]`);
    }
    return { name: e.name, shape: [...w.shape], values: w.values };
  });
}

/**
 * Output shape (without the batch dimension) of one layer given its input shapes; throws a
 * message (without the layer name) when the inputs do not fit.
 */
export function layerOutputShape(className: string, cfg: Record<string, unknown>, inputs: number[][]): number[] {
  const x = inputs[0];
  const need3 = (): void => {
    if (!x || x.length !== 3) throw new Error(`expects a [H, W, C] input, gets [${x?.join(', ') ?? ''}]`);
  };
  const spatial = (size: number, k: number, s: number, d: number, pad: string): number =>
    pad === 'same' ? Math.ceil(size / s) : Math.floor((size - ((k - 1) * d + 1)) / s) + 1;
  switch (className) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      need3();
      const k = cfg.kernel_size as number[];
      const s = cfg.strides as number[];
      const d = cfg.dilation_rate as number[];
      const pad = cfg.padding as string;
      const c = className === 'DepthwiseConv2D' ? x[2] * (cfg.depth_multiplier as number) : (cfg.filters as number);
      return [spatial(x[0], k[0], s[0], d[0], pad), spatial(x[1], k[1], s[1], d[1], pad), c];
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      need3();
      const k = cfg.pool_size as number[];
      const s = cfg.strides as number[];
      const pad = cfg.padding as string;
      return [spatial(x[0], k[0], s[0], 1, pad), spatial(x[1], k[1], s[1], 1, pad), x[2]];
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      need3();
      return cfg.keepdims ? [1, 1, x[2]] : [x[2]];
    case 'Flatten':
      return [x.reduce((a, b) => a * b, 1)];
    case 'Dense':
      if (x.length === 0) throw new Error('gets a scalar input');
      return [...x.slice(0, -1), cfg.units as number];
    case 'ZeroPadding2D': {
      need3();
      const p = cfg.padding as number[][];
      return [x[0] + p[0][0] + p[0][1], x[1] + p[1][0] + p[1][1], x[2]];
    }
    case 'Reshape': {
      const t = cfg.target_shape as number[];
      const total = x.reduce((a, b) => a * b, 1);
      const known = t.filter((n) => n !== -1).reduce((a, b) => a * b, 1);
      const out = t.map((n) => (n === -1 ? total / known : n));
      if (out.some((n) => !Number.isInteger(n)) || out.reduce((a, b) => a * b, 1) !== total) {
        throw new Error(`cannot reshape [${x.join(', ')}] to [${t.join(', ')}]`);
      }
      return out;
    }
    case 'Add': {
      if (inputs.length < 2) throw new Error(`needs at least two inputs, gets ${inputs.length}`);
      for (const s of inputs) {
        if (s.length !== x.length || s.some((d, i) => d !== x[i])) {
          throw new Error(`adds tensors of different shapes: ${inputs.map((i) => `[${i.join(', ')}]`).join(', ')}`);
        }
      }
      return [...x];
    }
    case 'Concatenate': {
      if (inputs.length < 2) throw new Error(`needs at least two inputs, gets ${inputs.length}`);
      const rank = x.length + 1; // with the batch dimension
      let axis = cfg.axis as number;
      if (axis < 0) axis += rank;
      if (axis < 1 || axis >= rank) throw new Error(`axis ${String(cfg.axis)} is not a feature axis`);
      const a = axis - 1;
      const out = [...x];
      out[a] = 0;
      for (const s of inputs) {
        if (s.length !== x.length || s.some((d, i) => i !== a && d !== x[i])) {
          throw new Error(`concatenates incompatible shapes: ${inputs.map((i) => `[${i.join(', ')}]`).join(', ')}`);
        }
        out[a] += s[a];
      }
      return out;
    }
    default:
      // InputLayer, activations, BatchNormalization, Dropout, noise, Rescaling, Softmax.
      return [...x];
  }
}

/** Output shapes (without batch) of every layer of a spec, by layer name. */
export function inferOutputShapes(spec: ModelSpec): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const l of spec.layers) {
    if (l.name === spec.inputLayer || l.inbound.length === 0) {
      shapes.set(l.name, [...spec.inputShape]);
      continue;
    }
    const ins = l.inbound.map((n) => shapes.get(n)!);
    try {
      shapes.set(l.name, layerOutputShape(l.className, l.config, ins));
    } catch (e) {
      throw new ModelLoadError(spec.source, `layer ${l.name} (${l.className}) ${(e as Error).message}`);
    }
  }
  return shapes;
}

function inputShapeOf(file: string, node: Node): number[] {
  const batch = batchShapeOf(node.config) ?? batchFromBuild({ input_shape: node.buildInputShape });
  if (!batch) throw new ModelLoadError(file, `the input layer ${node.name} does not record the input shape`);
  const shape = batch.slice(1);
  if (shape.length === 0 || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    throw new ModelLoadError(file, `the input shape [${batch.map((d) => (d === null ? 'None' : String(d))).join(', ')}] has unknown dimensions; a fixed [H, W, C] input is needed`);
  }
  return shape as number[];
}

// ---------------------------------------------------------------------------------------------

/** Builds the ModelSpec from a parsed model config and the format's weights. */
export function buildModelSpec(opts: BuildOptions): ModelSpec {
  const { file } = opts;
  const fail: (problem: string) => never = (problem) => {
    throw new ModelLoadError(file, problem);
  };
  let model = opts.modelConfig;
  if (isRecord(model) && isRecord(model.model_config)) model = model.model_config;
  if (!isRecord(model) || typeof model.class_name !== 'string') fail('the model config has no class_name');
  const top = model as Record<string, unknown>;
  if (!MODEL_CLASSES.has(top.class_name as string)) {
    fail(`the model is a ${String(top.class_name)}; expected a Sequential or Functional model`);
  }

  const g = new GraphBuilder(file);
  const flat = g.addModel(top, [], undefined);
  const resolve = (n: string): string => g.resolve(n);
  const byName = new Map(g.nodes.map((n) => [n.name, n]));
  for (const n of g.nodes) {
    n.inbound = n.inbound.map(resolve);
    for (const p of n.inbound) if (!byName.has(p)) fail(`layer ${n.name} takes its input from unknown layer ${p}`);
  }
  const inputName = resolve(flat.input);
  const outputName = resolve(flat.output);
  const inputNode = byName.get(inputName) ?? fail(`the model input ${inputName} is not a layer of the model`);
  if (!byName.has(outputName)) fail(`the model output ${outputName} is not a layer of the model`);
  if (inputNode.fileClass !== 'InputLayer') fail(`the model input ${inputName} is not an InputLayer`);
  for (const n of g.nodes) {
    if (n.inbound.length === 0 && n.name !== inputName) {
      fail(n.fileClass === 'InputLayer' ? `the model has a second input layer ${n.name}; exactly one input is supported` : `layer ${n.name} has no input`);
    }
  }

  // Keep what the output depends on, in a topological order (file order among ready layers).
  const needed = new Set<string>();
  const stack = [outputName];
  while (stack.length) {
    const n = stack.pop()!;
    if (needed.has(n)) continue;
    needed.add(n);
    stack.push(...byName.get(n)!.inbound);
  }
  if (!needed.has(inputName)) fail(`the output ${outputName} does not depend on the input ${inputName}`);
  const order: Node[] = [];
  const placed = new Set<string>();
  const pending = g.nodes.filter((n) => needed.has(n.name));
  while (pending.length) {
    const i = pending.findIndex((n) => n.inbound.every((p) => placed.has(p)));
    if (i < 0) fail(`the layer graph has a cycle through ${pending.map((n) => n.name).join(', ')}`);
    const [n] = pending.splice(i, 1);
    order.push(n);
    placed.add(n.name);
  }

  // Classes, configs, shapes, weights.
  const inputShape = inputShapeOf(file, inputNode);
  const shapes = new Map<string, number[]>();
  const layers: LayerSpec[] = [];
  for (const n of order) {
    const className = canonicalClassName(n.fileClass);
    if (!className) {
      fail(`unsupported layer ${n.name} of class ${n.fileClass}; supported: ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
    }
    const cls = className as string;
    const config = normalizeLayerConfig(file, n.name, cls, n.config);
    let out: number[];
    let input: number[] | undefined;
    if (n.name === inputName) {
      out = [...inputShape];
    } else {
      const ins = n.inbound.map((p) => shapes.get(p)!);
      input = ins[0];
      if (ins.length > 1 && cls !== 'Add' && cls !== 'Concatenate') fail(`layer ${n.name} (${cls}) gets ${ins.length} inputs; it takes one`);
      if (cls === 'BatchNormalization') {
        const axis = config.axis as number;
        const rank = ins[0].length + 1;
        if (axis !== -1 && axis !== rank - 1) fail(`layer ${n.name} (BatchNormalization) normalizes axis ${axis}; only the channel (last) axis is supported`);
        config.axis = -1;
      }
      try {
        out = layerOutputShape(cls, config, ins);
      } catch (e) {
        fail(`layer ${n.name} (${cls}) ${(e as Error).message}`);
      }
      if (out!.some((d) => !(d > 0))) fail(`layer ${n.name} (${cls}) would produce an empty output [${out!.join(', ')}] from input [${ins[0].join(', ')}]`);
    }
    shapes.set(n.name, out!);
    const weights = assignWeights(file, n, cls, config, input, opts.weights.weightsFor(n.weightPath));
    layers.push({ name: n.name, className: cls, config, inbound: [...n.inbound], weights });
  }

  const cfgName = isRecord(top.config) ? top.config.name : undefined;
  return {
    name: typeof cfgName === 'string' && cfgName ? cfgName : opts.fallbackName,
    format: opts.format,
    ...(opts.kerasVersion ? { kerasVersion: opts.kerasVersion } : {}),
    source: file,
    inputShape,
    inputLayer: inputName,
    outputLayer: outputName,
    layers,
  };
}
