/**
 * Rankings: SCM importance per filter, and the evaluation service's report (criteria, fidelity,
 * ablation curves) with the job that computes it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { BuildEstimate, EvaluationSettingsDto, JobProgressEvent, RankingsDto } from '../../../shared/dto.js';
import { api } from '../api/index.js';

export const useRankingsStore = defineStore('rankings', () => {
  const data = ref<RankingsDto | null>(null);
  const layer = ref<string>('');
  const loading = ref(false);
  const jobId = ref<string | null>(null);
  const progress = ref<JobProgressEvent | null>(null);
  const message = ref<string | null>(null);
  /** When the running evaluation started, in this window's clock. */
  const startedAt = ref(Date.now());
  /** About how long an evaluation with the panel's settings takes (shown before the button when over a minute). */
  const estimate = ref<BuildEstimate | null>(null);
  const rows = computed(() => data.value?.layers.find((l) => l.name === layer.value)?.channels ?? []);
  const curves = computed(() => data.value?.evaluation?.layers.find((l) => l.name === layer.value) ?? null);

  async function load() {
    loading.value = true;
    try {
      data.value = await api()['rankings.get']();
      if (!data.value.layers.some((l) => l.name === layer.value)) layer.value = data.value.layers[0]?.name ?? '';
    } finally {
      loading.value = false;
    }
  }

  function clear() {
    data.value = null;
  }

  async function evaluate(settings?: EvaluationSettingsDto) {
    message.value = null;
    progress.value = null;
    startedAt.value = Date.now();
    jobId.value = (await api()['rankings.evaluate'](settings ? { settings } : {})).jobId;
  }

  async function refreshEstimate(settings?: EvaluationSettingsDto) {
    estimate.value = await api()['rankings.estimate'](settings ? { settings } : {});
  }

  async function cancel() {
    if (jobId.value) await api()['jobs.cancel']({ jobId: jobId.value });
  }

  api().on('job.progress', (p) => {
    if (p.kind !== 'evaluate') return;
    if (jobId.value !== p.jobId || !progress.value) startedAt.value = Date.now() - (p.jobSeconds ?? p.elapsedSeconds) * 1000;
    jobId.value = p.jobId;
    progress.value = p;
  });
  api().on('job.done', (e) => {
    if (e.kind !== 'evaluate') return;
    jobId.value = null;
    progress.value = null;
    void load();
  });
  api().on('job.failed', (e) => {
    if (e.kind !== 'evaluate') return;
    jobId.value = null;
    progress.value = null;
    message.value = e.message;
  });

  return { data, layer, loading, rows, curves, jobId, progress, startedAt, message, estimate, load, clear, evaluate, refreshEstimate, cancel };
});
