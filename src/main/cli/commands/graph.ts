/**
 * `causeway graph --project DIR --class C [--k K | --tau T] [--images N] [--max-nodes M] [--candidates P]
 * [--bootstrap B] [--noise R] [--seed S] [--json]`: a class's causal explanatory graph from path
 * interventions, its stability and faithfulness against attribution baselines (METHODS §3).
 */
import type { GraphSettingsInput } from '../../explanatory-graph/graph-settings.js';
import type { ProgressListener } from '../../util/progress.js';
import { explanatoryGraphOn } from '../../features/explain/explain-service.js';
import { UsageError } from '../cli-error.js';
import { seconds, table } from '../format.js';
import { type Flags, optionalInteger, optionalNumber, requireString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';

export const graphUsage = 'graph --project DIR --class C [--k K | --tau T] [--images N] [--max-nodes M] [--candidates P] [--bootstrap B] [--noise R] [--seed S] [--json]';
export const graphValues = ['class', 'k', 'tau', 'images', 'max-nodes', 'candidates', 'bootstrap', 'noise', 'seed'];

export function graphSettingsFrom(flags: Flags): GraphSettingsInput {
  const k = optionalInteger(flags, 'k');
  const tau = optionalNumber(flags, 'tau');
  if (k !== undefined && tau !== undefined) throw new UsageError('give --k or --tau, not both');
  if (tau !== undefined && !(tau >= 0 && tau <= 1)) throw new UsageError('--tau must be a probability change between 0 and 1');
  const settings: GraphSettingsInput = {};
  const set = <K extends keyof GraphSettingsInput>(key: K, value: GraphSettingsInput[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set('k', k);
  set('tau', tau);
  set('images', optionalInteger(flags, 'images'));
  set('maxNodes', optionalInteger(flags, 'max-nodes'));
  set('candidates', optionalInteger(flags, 'candidates', 0));
  set('bootstrap', optionalInteger(flags, 'bootstrap', 0));
  set('noiseRepeats', optionalInteger(flags, 'noise', 0));
  set('seed', optionalInteger(flags, 'seed', 0));
  return settings;
}

const f3 = (x: number | null) => (x === null ? '—' : x.toFixed(3));

export async function graphCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const cls = requireString(flags, 'class');
  const settings = graphSettingsFrom(flags);
  const session = await openProjectFromFlags(flags);
  try {
    const g = await explanatoryGraphOn(session, cls, settings, { onProgress, signal });
    const { stability: st, faithfulness: fa } = g;
    const pick = ({ name, sufficiency, necessity, sufficiencyAccuracy, necessityAccuracy, joint }: (typeof fa.baselines)[number]) => ({
      name,
      sufficiency,
      necessity,
      sufficiencyAccuracy,
      necessityAccuracy,
      joint,
    });
    const json = {
      class: g.class,
      className: g.className,
      classNode: g.classNode,
      nodes: g.nodes,
      edges: g.edges,
      stability: st,
      faithfulness: {
        sufficiency: fa.sufficiency,
        necessity: fa.necessity,
        sufficiencyAccuracy: fa.sufficiencyAccuracy,
        necessityAccuracy: fa.necessityAccuracy,
        joint: fa.joint,
        base: fa.base,
        baselines: fa.baselines.map(pick),
        randomSd: fa.randomSd,
      },
      images: g.images,
      tested: g.tested,
      notes: g.notes,
      settings: g.settings,
      seconds: g.seconds,
      computeSeconds: g.computeSeconds,
      cached: g.cached,
    };
    const byLayer = g.graphLayers.map((layer) => [
      layer,
      g.nodes
        .filter((n) => n.layer === layer)
        .map((n) => `${n.channel} (${n.effect.toFixed(3)})`)
        .join(', '),
    ]);
    const text = [
      `explanatory graph of class ${g.class} (${g.className}) on ${g.images} held-out images: ${g.nodes.length} nodes, ${g.edges.length} edges; ${g.tested.paths} paths tested, ${seconds(g.seconds)}${g.cached ? ' (cached)' : ''}`,
      `p(${g.className}) ${fa.base.probability.toFixed(3)}, accuracy ${(fa.base.accuracy * 100).toFixed(1)}%`,
      table(byLayer, ['layer', 'channels (class effect)']),
      ...g.notes.map((n) => `note: ${n}`),
      '',
      table(
        [
          ['causal graph', f3(st.jaccard), f3(st.spearman), f3(st.bootstrap.jaccard), f3(st.noise.jaccard)],
          ...st.baselines.map((b) => [b.name, f3(b.jaccard), f3(b.spearman), f3(b.bootstrap.jaccard), f3(b.noise.jaccard)]),
        ],
        ['stability', 'Jaccard', 'Spearman', 'Jaccard (bootstrap)', 'Jaccard (noise)'],
      ),
      '',
      table(
        [
          ['causal graph', f3(fa.sufficiency), f3(fa.necessity), f3(fa.joint.sufficiency), f3(fa.joint.necessity)],
          ...fa.baselines.map((b) => [b.name, f3(b.sufficiency), f3(b.necessity), f3(b.joint.sufficiency), f3(b.joint.necessity)]),
        ],
        ['faithfulness', 'sufficiency p_c ↑', 'necessity Δp_c ↑', 'joint sufficiency', 'joint necessity'],
      ),
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
