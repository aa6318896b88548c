/** Small DTOs for renderer tests. */
import type { BuildInfo, GraphDto, HistoryEntry, ProjectInfo, ScmResultDto } from '../../../src/shared/dto.js';
import { scmFidelity } from '../../../src/main/evaluation/scm-fidelity.js';

export const classNames = ['airplane', 'automobile', 'bird'];

export function project(overrides: Partial<ProjectInfo> = {}): ProjectInfo {
  return {
    dir: '/p/lenet',
    name: 'lenet5 demo',
    modelPath: '/m',
    dataPath: '/d',
    preprocessing: { scale: 1 / 255 },
    modelName: 'lenet5',
    inputShape: [32, 32, 3],
    params: 62006,
    numClasses: 3,
    classNames,
    datasetImages: 500,
    nodeLayers: [],
    build: null,
    job: null,
    interventionCount: 0,
    nodeLayerFamilies: ['conv'],
    engines: [],
    ...overrides,
  };
}

/** A build (not evaluated) with its fidelity lines as main computes them. */
export function buildInfo(key: string, validation = { modelAccuracy: 0.8, scmAccuracy: 0.5, scmAccuracyTeacherForced: 0.6, evaluationImages: 40 }): BuildInfo {
  return { key, settings: {}, validation, layers: [], rankingsReady: true, fidelity: scmFidelity({ validation, build: {}, evaluateHow: 'Evaluate.' }) };
}

/** conv1 (2) → conv2 (3) → logits (3); edges listed strongest first per child. */
export function graph(overrides: Partial<GraphDto> = {}): GraphDto {
  return {
    phi: 'fro',
    regressor: 'ridge',
    layers: [
      { name: 'conv1', kind: 'conv', channels: 2, shape: [8, 8, 2], parents: [], exogenous: true, fit: null },
      { name: 'conv2', kind: 'conv', channels: 3, shape: [4, 4, 3], parents: ['conv1'], exogenous: false, fit: { avgR2: 0.5, avgMse: 1 } },
      { name: 'logits', kind: 'logits', channels: 3, shape: [3], parents: ['conv2'], exogenous: false, fit: { avgR2: 0.4, avgMse: 2 } },
    ],
    edgeKind: 'linear',
    topK: 2,
    edges: {
      fromLayer: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
      fromChannel: [1, 0, 0, 1, 0, 1, 2, 0, 1, 2, 0, 1],
      toLayer: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
      toChannel: [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2],
      weight: [0.9, -0.2, 0.5, 0.1, -0.7, 0.3, 1.2, 0.4, -0.8, 0.2, 0.6, -0.05],
      strength: [0.9, 0.2, 0.5, 0.1, 0.7, 0.3, 1.2, 0.4, 0.8, 0.2, 0.6, 0.05],
    },
    importance: { conv1: [0.1, -0.05], conv2: [0, 0.2, -0.1] },
    ...overrides,
  };
}

export function scm(accuracy: number, baselineAccuracy = 0.8): ScmResultDto {
  return {
    mode: 'counterfactual',
    modeDescription: 'counterfactual (abduction → action → prediction)',
    n: 40,
    accuracy,
    baselineAccuracy,
    perClass: classNames.map((_, k) => ({ class: k, n: 10, accuracy: accuracy - 0.1 * k, baseline: baselineAccuracy })),
    meanMargin: 1,
    affectedLayers: ['conv2', 'logits'],
    channelEffects: { conv2: [0, -1, 0], logits: [0.1, 0, -0.2] },
  };
}

export function entry(id: number, channels: number[], accuracy: number, real: number | null = null): HistoryEntry {
  return {
    id,
    createdAt: '2026-01-01T00:00:00Z',
    interventions: [{ layer: 'conv2', channels, kind: 'zero' }],
    scm: scm(accuracy),
    real: real === null ? null : { n: 40, accuracy: real, baselineAccuracy: 0.9, perClass: classNames.map((_, k) => ({ class: k, n: 10, accuracy: real, baseline: 0.9 })), meanMargin: 0, seconds: 0.5 },
  };
}
