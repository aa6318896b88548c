/**
 * Which forward engine computed a project's stored results, for the app's project panel: the store
 * records the engine with every build and artifact; bookkeeping records (pointers, paces, resumable
 * batches) are left out, the rest named as a person reads them.
 */
import type { EngineUseDto } from '../../../shared/dto.js';
import type { ProjectStore } from '../../store/project-store.js';

const engineLabels: Record<string, string> = { ort: 'ONNX Runtime', tfjs: 'TensorFlow.js', unrecorded: 'not recorded (results stored before engines were)' };

/** Result kinds by what they are; kinds absent here are bookkeeping. */
const resultNames: Record<string, string> = {
  observational: 'φ of the images',
  augmented: 'intervention-augmented φ',
  scm: 'SCM equations',
  ranking: 'SCM ranking',
  evaluation: 'evaluation (true ablation)',
  'explanatory-graph': 'explanatory graphs',
  'explanatory-repair': 'repairs',
  'cemap-run': 'pixel effect maps',
  'adversarial-run': 'adversarial detection',
  'property-audit': 'property audits',
};

export function engineUse(store: Pick<ProjectStore, 'engineTally'>): EngineUseDto[] {
  const byEngine = new Map<string, { results: Set<string>; count: number }>();
  for (const row of store.engineTally()) {
    const name = resultNames[row.kind];
    if (!name) continue;
    const entry = byEngine.get(row.engine) ?? { results: new Set<string>(), count: 0 };
    entry.results.add(name);
    entry.count += row.count;
    byEngine.set(row.engine, entry);
  }
  return [...byEngine]
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([engine, e]) => ({ engine, label: engineLabels[engine] ?? engine, results: [...e.results] }));
}
