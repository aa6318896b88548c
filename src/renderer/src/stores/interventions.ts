/**
 * Interventions: the do-value for the selected filters, the SCM's live prediction, the saved
 * history (each entry with its SCM and, once verified, the real network's result) and undo/redo.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { QueryMode } from '../../../shared/choices.js';
import type { HistoryEntry, HistoryState, InterventionDto, ScmResultDto } from '../../../shared/dto.js';
import { api } from '../api/index.js';

export type DoKind = InterventionDto['kind'];

export const useInterventionsStore = defineStore('interventions', () => {
  const kind = ref<DoKind>('zero');
  const scaleValue = ref(0.5);
  const constantValue = ref(0);
  /** counterfactual: each held-out image keeps its own noise (the default); interventional: the population answer. */
  const mode = ref<QueryMode>('counterfactual');
  const preview = ref<ScmResultDto | null>(null);
  const history = ref<HistoryState | null>(null);
  const verifying = ref<number | null>(null);
  const running = ref(false);
  let previewTicket = 0;

  const value = computed(() => (kind.value === 'scale' ? scaleValue.value : kind.value === 'constant' ? constantValue.value : undefined));
  const current = computed<HistoryEntry | null>(() => history.value?.entries.find((e) => e.id === history.value?.currentId) ?? null);

  api().on('history.changed', (state) => {
    history.value = state;
  });

  async function load() {
    history.value = await api()['interventions.list']();
  }

  function reset() {
    history.value = null;
    preview.value = null;
  }

  /** The SCM's answer for a selection, not saved; a newer request supersedes an older one. */
  async function previewQuery(interventions: InterventionDto[]) {
    const ticket = ++previewTicket;
    if (interventions.length === 0) {
      preview.value = null;
      return;
    }
    const { scm } = await api()['query.run']({ interventions, save: false, mode: mode.value });
    if (ticket === previewTicket) preview.value = scm;
  }

  /** Saves the intervention with its SCM result; it becomes the one in effect. */
  async function intervene(interventions: InterventionDto[]) {
    running.value = true;
    try {
      const result = await api()['query.run']({ interventions, mode: mode.value });
      if (result.history) history.value = result.history;
      preview.value = result.scm;
      return current.value;
    } finally {
      running.value = false;
    }
  }

  /** Runs the current intervention in the real network on the same images. */
  async function verify(id = history.value?.currentId ?? null) {
    if (id === null) return null;
    verifying.value = id;
    try {
      const entry = await api()['query.verify']({ id });
      if (history.value) history.value = { ...history.value, entries: history.value.entries.map((e) => (e.id === id ? entry : e)) };
      return entry;
    } finally {
      verifying.value = null;
    }
  }

  async function undo() {
    history.value = await api()['interventions.undo']();
  }

  async function redo() {
    history.value = await api()['interventions.redo']();
  }

  async function apply(id: number | null) {
    history.value = await api()['interventions.apply']({ id });
  }

  async function remove(id: number) {
    history.value = await api()['interventions.delete']({ id });
  }

  return { kind, mode, scaleValue, constantValue, value, preview, history, current, verifying, running, load, reset, previewQuery, intervene, verify, undo, redo, apply, remove };
});
