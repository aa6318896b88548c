/**
 * S2 on the causal graph: which class's explanatory graph is shown (and which second class it is
 * compared with), the graphs fetched so far (switching back is instant: from here, else from the
 * project store's cache, else computed as a worker job), and the overlay the canvas draws.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ExplainComparison, ExplainRepairResult } from '../../../shared/analysis.js';
import type { ExplainGraph as ExplainGraphDto } from '../../../shared/features/explain.js';
import { useLensJob } from '../analysis/lens-job.js';
import { api } from '../api/index.js';
import type { ExplainOverlay, ExplainSet } from '../graph/explain-overlay.js';

export type ExplainGraph = ExplainGraphDto;

/** Node and edge sets of one graph, or of two compared graphs (shared / only-first / only-second). */
export function overlayOf(first: ExplainGraph, second?: ExplainGraph): ExplainOverlay {
  const ids = (g: ExplainGraph) => new Set(g.nodes.map((n) => `${n.layer}:${n.channel}`));
  const [a, b] = [ids(first), second ? ids(second) : new Set<string>()];
  const nodes: Record<string, ExplainSet> = {};
  for (const id of a) nodes[id] = b.has(id) ? 'shared' : 'a';
  for (const id of b) nodes[id] ??= 'b';
  const edgeSet = (g: ExplainGraph, own: ExplainSet) => g.edges.map((e) => ({ ...e, set: own }));
  // The class nodes are part of each graph (the sink of its edges).
  nodes[first.classNode] = 'a';
  if (second) nodes[second.classNode] = 'b';
  return { nodes, edges: [...edgeSet(first, 'a'), ...(second ? edgeSet(second, 'b') : [])] };
}

export const useExplainStore = defineStore('explain', () => {
  const first = ref<number | null>(null);
  const second = ref<number | null>(null);
  const graphs = shallowRef(new Map<number, ExplainGraph>());
  const comparison = ref<ExplainComparison | null>(null);
  const job = useLensJob();
  /** The repair experiment, its own job (the graph stays on screen while it runs). */
  const repairJob = useLensJob();
  /** Repairs run in this session, by class (a stored one comes with the class's graph). */
  const repairs = shallowRef(new Map<number, ExplainRepairResult>());

  const current = computed(() => (first.value === null ? undefined : graphs.value.get(first.value)));
  const other = computed(() => (second.value === null ? undefined : graphs.value.get(second.value)));
  const repair = computed(() => (first.value === null ? null : (repairs.value.get(first.value) ?? current.value?.repair ?? null)));
  const overlay = computed<ExplainOverlay | null>(() => (current.value ? overlayOf(current.value, other.value) : null));

  async function fetch(cls: number): Promise<ExplainGraph> {
    const known = graphs.value.get(cls) ?? (await api()['explain.cached']({ class: cls })) ?? (await job.run((jobId) => api()['explain.run']({ jobId, class: cls })));
    graphs.value = new Map(graphs.value).set(cls, known);
    return known;
  }

  async function show(cls: number | null): Promise<void> {
    first.value = cls;
    if (cls !== null) await fetch(cls);
    await refreshComparison();
  }

  async function compareWith(cls: number | null): Promise<void> {
    second.value = cls;
    if (cls !== null) await fetch(cls);
    await refreshComparison();
  }

  async function refreshComparison(): Promise<void> {
    comparison.value = first.value !== null && second.value !== null && first.value !== second.value ? await api()['explain.compare']({ classes: [first.value, second.value] }) : null;
  }

  /** Runs the repair for the shown class against the planted feature (default: the bias-audit demo's patch). */
  async function runRepair(feature?: string): Promise<void> {
    const cls = first.value;
    if (cls === null) return;
    const result = await repairJob.run((jobId) => api()['explain.repair']({ jobId, class: cls, ...(feature ? { feature } : {}) }));
    repairs.value = new Map(repairs.value).set(cls, result);
  }

  let owner = '';
  /** Forgets what belongs to another project or build. */
  function useFor(key: string): void {
    if (key !== owner) clear();
    owner = key;
  }

  function clear(): void {
    first.value = null;
    second.value = null;
    graphs.value = new Map();
    comparison.value = null;
    repairs.value = new Map();
  }

  return { first, second, graphs, comparison, current, other, overlay, job, repairJob, repair, show, compareWith, runRepair, clear, useFor };
});
