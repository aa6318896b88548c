/**
 * METHODS §0 interventions on node-layer channels, compiled to A' = A·mul + add + meanMap·meanOn:
 *   zero: A_k := 0 · scale(s): A_k := s·A_k · constant(c): A_k := c · mean: A_k := dataset-mean map.
 * Interventions listed for one sample apply in order (a later one on the same channel wins, a scale
 * multiplies what is there). Shared interventions broadcast over the batch without copies.
 */
import { tf, type Tensor } from './tf.js';

export type InterventionKind = 'zero' | 'scale' | 'constant' | 'mean';

export interface Intervention {
  layer: string;
  channels: number[];
  kind: InterventionKind;
  /** The factor s for `scale`, the value c for `constant`. */
  value?: number;
}

export interface InterventionSpec {
  /** Applied to every sample of the batch. */
  shared?: Intervention[];
  /** One list per sample (length = batch), applied after `shared`. */
  perSample?: Intervention[][];
}

/** The compiled form for one node layer: tensors broadcastable against its activation. */
export interface CompiledIntervention {
  apply(activation: Tensor): Tensor;
  dispose(): void;
}

function applyOne(buffers: InterventionBuffers, offset: number, channels: number, iv: Intervention): void {
  for (const k of iv.channels) {
    if (!Number.isInteger(k) || k < 0 || k >= channels) {
      throw new RangeError(`layer ${iv.layer} has channels 0..${channels - 1}; channel ${k} does not exist`);
    }
    const i = offset + k;
    switch (iv.kind) {
      case 'zero':
        buffers.mul[i] = 0;
        buffers.add[i] = 0;
        buffers.meanOn[i] = 0;
        break;
      case 'scale': {
        const s = requireValue(iv);
        buffers.mul[i] *= s;
        buffers.add[i] *= s;
        buffers.meanOn[i] *= s;
        break;
      }
      case 'constant':
        buffers.mul[i] = 0;
        buffers.add[i] = requireValue(iv);
        buffers.meanOn[i] = 0;
        break;
      case 'mean':
        buffers.mul[i] = 0;
        buffers.add[i] = 0;
        buffers.meanOn[i] = 1;
        buffers.usesMean = true;
        break;
      default:
        throw new RangeError(`unknown intervention kind ${String((iv as Intervention).kind)}`);
    }
  }
}

function requireValue(iv: Intervention): number {
  if (typeof iv.value !== 'number' || !Number.isFinite(iv.value)) {
    throw new RangeError(`a ${iv.kind} intervention on ${iv.layer} needs a finite value`);
  }
  return iv.value;
}

/** Per-channel buffers of the interventions touching one node layer: A' = A·mul + add + meanMap·meanOn. */
export interface InterventionBuffers {
  /** 1 when every sample shares the same buffers, else the batch size. */
  rows: number;
  channels: number;
  /** [rows, channels] row-major each. */
  mul: Float32Array;
  add: Float32Array;
  meanOn: Float32Array;
  usesMean: boolean;
}

/**
 * The buffers of the interventions that touch `layer` for a batch of `batch` samples with `channels`
 * channels; undefined when nothing touches the layer. Both engines (TensorFlow.js, ONNX Runtime) apply
 * these same numbers, so they cannot disagree on what an intervention means.
 */
export function interventionBuffers(spec: InterventionSpec, layer: string, batch: number, channels: number): InterventionBuffers | undefined {
  const shared = (spec.shared ?? []).filter((iv) => iv.layer === layer);
  const perSample = spec.perSample?.map((list) => list.filter((iv) => iv.layer === layer));
  const anyPerSample = perSample?.some((list) => list.length > 0) ?? false;
  if (shared.length === 0 && !anyPerSample) return undefined;
  if (spec.perSample && spec.perSample.length !== batch) {
    throw new RangeError(`perSample has ${spec.perSample.length} lists for a batch of ${batch}`);
  }
  const rows = anyPerSample ? batch : 1;
  const buffers: InterventionBuffers = {
    rows,
    channels,
    mul: new Float32Array(rows * channels).fill(1),
    add: new Float32Array(rows * channels),
    meanOn: new Float32Array(rows * channels),
    usesMean: false,
  };
  for (let r = 0; r < rows; r++) {
    for (const iv of shared) applyOne(buffers, r * channels, channels, iv);
    for (const iv of perSample?.[r] ?? []) applyOne(buffers, r * channels, channels, iv);
  }
  return buffers;
}

/** Layers named in an intervention spec (shared or per sample). */
export function intervenedLayers(spec: InterventionSpec | undefined): Set<string> {
  const layers = new Set<string>();
  for (const iv of spec?.shared ?? []) layers.add(iv.layer);
  for (const list of spec?.perSample ?? []) for (const iv of list) layers.add(iv.layer);
  return layers;
}

/**
 * Compiles the interventions that touch `layer` for a batch of `batch` samples whose activation has
 * shape [batch, ...spatial, channels]. Returns undefined when nothing touches the layer.
 */
export function compileForLayer(
  spec: InterventionSpec,
  layer: string,
  batch: number,
  shape: number[],
  meanMap?: Float32Array,
): CompiledIntervention | undefined {
  const channels = shape[shape.length - 1];
  const buffers = interventionBuffers(spec, layer, batch, channels);
  if (!buffers) return undefined;
  const { rows } = buffers;
  if (buffers.usesMean && !meanMap) {
    throw new RangeError(`a mean intervention on ${layer} needs the layer's dataset-mean map`);
  }
  const broadcastShape = [rows, ...shape.slice(1, -1).map(() => 1), channels];
  const mul = tf.tensor(buffers.mul, broadcastShape);
  const add = tf.tensor(buffers.add, broadcastShape);
  const meanTerm = buffers.usesMean
    ? tf.tidy(() => tf.mul(tf.tensor(buffers.meanOn, broadcastShape), tf.tensor(meanMap!, [1, ...shape.slice(1)])))
    : undefined;
  return {
    apply: (a) => {
      const y = tf.add(tf.mul(a, mul), add);
      return meanTerm ? tf.add(y, meanTerm) : y;
    },
    dispose: () => {
      mul.dispose();
      add.dispose();
      meanTerm?.dispose();
    },
  };
}
