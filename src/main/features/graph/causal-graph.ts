/**
 * The SCM as a graph for the renderer: node layers with their channels, and edges weighted by the
 * structural equations. For the linear family, equation coefficient coef[j][k] (p×q, parent column j
 * → child channel k, parent layers concatenated in `parents` order) is the weight of the edge from
 * that parent channel to child channel k. Its strength |coef|·σ(parent)/σ(child) (σ over the
 * held-out rows) makes weights comparable across layers; only the `topK` strongest parents of each
 * child are sent.
 */
import type { ChannelDetail, EdgeRef, GraphDto } from '../../../shared/dto.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import type { FittedScm } from '../../scm/fitted-scm.js';
import { isLinearRegressor } from '../../scm/regressors/index.js';
import type { ScmLayer } from '../../scm/scm-structure.js';

interface ColumnStats {
  mean: Float64Array;
  std: Float64Array;
}

/** Per layer: mean and population std of every channel's φ over the evaluation rows. */
export function channelStats(built: BuiltScm): Record<string, ColumnStats> {
  const out: Record<string, ColumnStats> = {};
  const n = built.evaluation.n;
  for (const layer of built.scm.layers) {
    const values = built.evaluation.layers[layer.name];
    const c = layer.channels;
    const mean = new Float64Array(c);
    const std = new Float64Array(c);
    for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) mean[k] += values[i * c + k];
    for (let k = 0; k < c; k++) mean[k] /= Math.max(n, 1);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < c; k++) {
        const d = values[i * c + k] - mean[k];
        std[k] += d * d;
      }
    }
    for (let k = 0; k < c; k++) std[k] = Math.sqrt(std[k] / Math.max(n, 1));
    out[layer.name] = { mean, std };
  }
  return out;
}

/** Parent column j of a layer's equation → (parent layer, channel). */
export function parentColumns(scm: FittedScm, layer: ScmLayer): { layer: string; channel: number }[] {
  const cols: { layer: string; channel: number }[] = [];
  for (const p of layer.parents) {
    const parent = scm.layers.find((l) => l.name === p)!;
    for (let k = 0; k < parent.channels; k++) cols.push({ layer: p, channel: k });
  }
  return cols;
}

function strengthOf(weight: number, parentStd: number, childStd: number): number {
  return childStd > 0 ? (Math.abs(weight) * parentStd) / childStd : Math.abs(weight) * parentStd;
}

export function causalGraph(built: BuiltScm, topK: number, importance: Record<string, number[]> | null, stats = channelStats(built)): GraphDto {
  const { scm } = built;
  const index = new Map(scm.layers.map((l, i) => [l.name, i]));
  const fit = new Map(built.report.map((r) => [r.name, { avgR2: r.avgR2, avgMse: r.avgMse }]));
  const edges: GraphDto['edges'] = { fromLayer: [], fromChannel: [], toLayer: [], toChannel: [], weight: [], strength: [] };
  let linear = true;
  for (const layer of scm.layers) {
    if (layer.exogenous) continue;
    const equation = scm.equations[layer.name];
    if (!isLinearRegressor(equation)) {
      linear = false;
      continue;
    }
    const { coef, p, q } = equation.model;
    const cols = parentColumns(scm, layer);
    const childStd = stats[layer.name].std;
    const parentStd = cols.map((c) => stats[c.layer].std[c.channel]);
    const k = Math.min(topK, p);
    const order = new Array<number>(p);
    const strength = new Float64Array(p);
    for (let child = 0; child < q; child++) {
      for (let j = 0; j < p; j++) {
        strength[j] = strengthOf(coef[j * q + child], parentStd[j], childStd[child]);
        order[j] = j;
      }
      order.sort((a, b) => strength[b] - strength[a] || a - b);
      for (let r = 0; r < k; r++) {
        const j = order[r];
        if (coef[j * q + child] === 0) break;
        edges.fromLayer.push(index.get(cols[j].layer)!);
        edges.fromChannel.push(cols[j].channel);
        edges.toLayer.push(index.get(layer.name)!);
        edges.toChannel.push(child);
        edges.weight.push(coef[j * q + child]);
        edges.strength.push(strength[j]);
      }
    }
  }
  return {
    phi: scm.phi,
    regressor: scm.regressor,
    layers: scm.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      channels: l.channels,
      shape: l.shape,
      parents: l.parents,
      exogenous: l.exogenous,
      fit: fit.get(l.name) ?? null,
    })),
    edgeKind: linear ? 'linear' : 'none',
    topK,
    edges,
    importance,
  };
}

const histogramBins = 16;

/** Everything the hover card shows about one channel. */
export function channelDetail(
  built: BuiltScm,
  layerName: string,
  channel: number,
  ranking: { importance: number; marginDrop: number; accuracyDrop: number; rank: number; of: number } | null,
  stats = channelStats(built),
  limit = 6,
): ChannelDetail {
  const { scm } = built;
  const layer = scm.layers.find((l) => l.name === layerName);
  if (!layer) throw new RangeError(`no node layer named ${layerName}`);
  if (channel >= layer.channels) throw new RangeError(`layer ${layerName} has channels 0..${layer.channels - 1}`);
  const n = built.evaluation.n;
  const values = built.evaluation.layers[layerName];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i * layer.channels + channel];
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const histogram = new Array<number>(histogramBins).fill(0);
  const width = (max - min) / histogramBins || 1;
  for (let i = 0; i < n; i++) {
    const v = values[i * layer.channels + channel];
    histogram[Math.min(histogramBins - 1, Math.floor((v - min) / width))]++;
  }

  const parents: EdgeRef[] = [];
  const equation = scm.equations[layerName];
  if (!layer.exogenous && equation && isLinearRegressor(equation)) {
    const { coef, q } = equation.model;
    parentColumns(scm, layer).forEach((col, j) => {
      const weight = coef[j * q + channel];
      parents.push({ ...col, weight, strength: strengthOf(weight, stats[col.layer].std[col.channel], stats[layerName].std[channel]) });
    });
  }
  const children: EdgeRef[] = [];
  for (const child of scm.layers) {
    if (!child.parents.includes(layerName)) continue;
    const eq = scm.equations[child.name];
    if (!eq || !isLinearRegressor(eq)) continue;
    const { coef, q } = eq.model;
    const j = parentColumns(scm, child).findIndex((c) => c.layer === layerName && c.channel === channel);
    for (let k = 0; k < q; k++) {
      const weight = coef[j * q + k];
      children.push({ layer: child.name, channel: k, weight, strength: strengthOf(weight, stats[layerName].std[channel], stats[child.name].std[k]) });
    }
  }
  const strongest = (refs: EdgeRef[]) => refs.filter((r) => r.weight !== 0).sort((a, b) => b.strength - a.strength).slice(0, limit);
  return {
    layer: layerName,
    channel,
    phi: { mean: stats[layerName].mean[channel], std: stats[layerName].std[channel], min: n ? min : 0, max: n ? max : 0, histogram },
    importance: ranking,
    parents: strongest(parents),
    children: strongest(children),
  };
}
