/**
 * The causal graph view's state: the graph from main, which layers are collapsed, how many edges to
 * show, the colouring, the search, the selected channels and the hover card.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ChannelDetail, GraphDto, InterventionDto } from '../../../shared/dto.js';
import { api } from '../api/index.js';
import { type ColourBy, defaultCollapsed } from '../graph/elements.js';

export interface SelectedChannel {
  layer: string;
  channel: number;
}

/** The channel under the pointer, where it is on the canvas, and the canvas size (to keep the card inside). */
export interface HoverTarget {
  layer: string;
  channel: number;
  x: number;
  y: number;
  width?: number;
  height?: number;
}

export interface SearchResult {
  layers: string[];
  channels: SelectedChannel[];
}

/** Above this many channels the graph is "big": layers start collapsed, one edge per filter, no labels. */
export const bigGraphChannels = 1500;

/** "conv2", "conv2:3", "conv2 3" or part of a layer name → what it names. */
export function searchGraph(graph: GraphDto, query: string): SearchResult {
  const q = query.trim();
  if (!q) return { layers: [], channels: [] };
  const m = /^(.+?)[\s:#/]+(\d+)$/.exec(q);
  if (m) {
    const layer = graph.layers.find((l) => l.name.toLowerCase() === m[1].toLowerCase());
    const k = Number(m[2]);
    if (layer && k < layer.channels) return { layers: [], channels: [{ layer: layer.name, channel: k }] };
  }
  const lower = q.toLowerCase();
  const exact = graph.layers.filter((l) => l.name.toLowerCase() === lower);
  const layers = exact.length ? exact : graph.layers.filter((l) => l.name.toLowerCase().includes(lower));
  return { layers: layers.map((l) => l.name), channels: [] };
}

/** Selected channels → one intervention per layer, channels ascending. */
export function interventionsOf(selected: SelectedChannel[], kind: InterventionDto['kind'], value?: number): InterventionDto[] {
  const byLayer = new Map<string, number[]>();
  for (const s of selected) byLayer.set(s.layer, [...(byLayer.get(s.layer) ?? []), s.channel]);
  return [...byLayer].map(([layer, channels]) => ({
    layer,
    channels: [...new Set(channels)].sort((a, b) => a - b),
    kind,
    ...(kind === 'zero' ? {} : { value }),
  }));
}

export const useGraphStore = defineStore('graph', () => {
  const graph = shallowRef<GraphDto | null>(null);
  const loading = ref(false);
  const collapsed = ref<Set<string>>(new Set());
  const topK = ref(3);
  const threshold = ref(0);
  const colourBy = ref<ColourBy>('importance');
  const selected = ref<SelectedChannel[]>([]);
  const search = ref('');
  const panMode = ref(false);
  const hover = ref<HoverTarget | null>(null);
  const details = new Map<string, ChannelDetail>();
  const hoverDetail = ref<ChannelDetail | null>(null);
  const channelCount = computed(() => graph.value?.layers.reduce((s, l) => s + l.channels, 0) ?? 0);

  async function load() {
    loading.value = true;
    try {
      const g = await api()['graph.get']({ topK: 8 });
      graph.value = g;
      collapsed.value = defaultCollapsed(g, bigGraphChannels);
      const total = g.layers.reduce((sum, l) => sum + l.channels, 0);
      topK.value = Math.min(total > bigGraphChannels ? 1 : 3, g.topK);
      details.clear();
      selected.value = [];
      // A new graph starts coloured by importance (an "effect" colouring left over from another
      // project would paint every filter grey until something is intervened on).
      colourBy.value = g.importance ? 'importance' : 'none';
    } finally {
      loading.value = false;
    }
  }

  function clear() {
    graph.value = null;
    selected.value = [];
    details.clear();
    hover.value = null;
    hoverDetail.value = null;
  }

  function toggleCollapsed(layer: string) {
    const next = new Set(collapsed.value);
    if (next.has(layer)) next.delete(layer);
    else next.add(layer);
    collapsed.value = next;
  }

  /** Expands everything, or (when nothing is collapsed) collapses the big layers again. */
  function toggleAll() {
    if (!graph.value) return;
    collapsed.value = collapsed.value.size > 0 ? new Set() : defaultCollapsed(graph.value, 0);
  }

  function setSelected(list: SelectedChannel[]) {
    selected.value = list;
  }

  async function showHover(target: HoverTarget | null) {
    hover.value = target;
    if (!target) {
      hoverDetail.value = null;
      return;
    }
    const key = `${target.layer}:${target.channel}`;
    let detail = details.get(key);
    if (!detail) {
      detail = await api()['graph.channel']({ layer: target.layer, channel: target.channel });
      details.set(key, detail);
    }
    if (hover.value?.layer === target.layer && hover.value.channel === target.channel) hoverDetail.value = detail;
  }

  return {
    graph,
    loading,
    collapsed,
    topK,
    threshold,
    colourBy,
    selected,
    search,
    panMode,
    hover,
    hoverDetail,
    channelCount,
    load,
    clear,
    toggleCollapsed,
    toggleAll,
    setSelected,
    showHover,
  };
});
