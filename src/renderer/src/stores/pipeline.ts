/**
 * The build pipeline as the user watches it: one entry per step (load, φ extraction, augmentation,
 * fitting, validation, evaluation) with progress and ETA, fed by job events; start, cancel, resume.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type BuildEstimate, type BuildSettingsDto, type JobProgressEvent, type OverallProgressDto, type PipelineStep, pipelineSteps } from '../../../shared/dto.js';
import { regressorOptionsSchema } from '../../../shared/features/build.js';
import { objectFromText } from '../../../shared/schema-text.js';
import { api } from '../api/index.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface StepState {
  step: PipelineStep;
  status: StepStatus;
  stage: string;
  done: number;
  total: number;
  etaSeconds?: number;
  /** When this step began (Date.now() of this window), for its live elapsed time. */
  startedAt?: number;
}

export const stepTitles: Record<PipelineStep, string> = {
  load: 'Load model and data',
  phi: 'φ extraction (observed filter responses)',
  augmentation: 'Augmentation (responses under interventions)',
  fitting: 'Fitting structural equations',
  validation: 'Validation on held-out images',
  evaluation: 'Evaluation (importance of every filter)',
};

function freshSteps(status: StepStatus = 'pending'): StepState[] {
  return pipelineSteps.map((step) => ({ step, status, stage: '', done: status === 'done' ? 1 : 0, total: 1 }));
}

export const usePipelineStore = defineStore('pipeline', () => {
  const steps = ref<StepState[]>(freshSteps());
  const jobId = ref<string | null>(null);
  const message = ref<string | null>(null);
  const elapsedSeconds = ref(0);
  const settings = ref<BuildSettingsDto>({});
  /** The whole build: one fraction (never decreasing) and one ETA. */
  const overall = ref<OverallProgressDto | null>(null);
  /** When the running build started, in this window's clock. */
  const startedAt = ref(Date.now());
  const running = computed(() => jobId.value !== null);
  const finished = computed(() => steps.value.every((s) => s.status === 'done'));

  function onProgress(p: JobProgressEvent) {
    // Evaluation jobs belong to the rankings view.
    if (p.kind !== 'build' || (jobId.value !== null && p.jobId !== jobId.value)) return;
    if (jobId.value !== p.jobId) {
      overall.value = null;
      startedAt.value = Date.now() - (p.jobSeconds ?? p.elapsedSeconds) * 1000;
    }
    jobId.value = p.jobId;
    const at = pipelineSteps.indexOf(p.step);
    steps.value = steps.value.map((s, i) => {
      if (i < at) return s.status === 'done' ? s : { ...s, status: 'done', done: Math.max(s.done, s.total) };
      if (i === at) {
        const since = s.status === 'running' && s.startedAt !== undefined ? s.startedAt : Date.now() - p.elapsedSeconds * 1000;
        return { step: s.step, status: 'running', stage: p.stage, done: p.done, total: p.total, etaSeconds: p.etaSeconds, startedAt: since };
      }
      return s.status === 'pending' ? s : { ...s, status: 'pending', done: 0 };
    });
    if (p.overall) overall.value = { fraction: Math.max(overall.value?.fraction ?? 0, p.overall.fraction), etaSeconds: p.overall.etaSeconds };
    elapsedSeconds.value = p.elapsedSeconds;
    message.value = null;
  }

  api().on('job.progress', onProgress);
  api().on('job.done', (e) => {
    if (e.kind !== 'build' || (jobId.value !== null && e.jobId !== jobId.value)) return;
    jobId.value = null;
    steps.value = freshSteps('done');
    elapsedSeconds.value = e.seconds;
    message.value = null;
  });
  api().on('job.failed', (e) => {
    if (e.kind !== 'build' || (jobId.value !== null && e.jobId !== jobId.value)) return;
    jobId.value = null;
    steps.value = steps.value.map((s) => (s.status === 'running' ? { ...s, status: e.cancelled ? 'cancelled' : 'failed', etaSeconds: undefined } : s));
    message.value = e.message;
  });

  /** Shows a project's state: a running job, a finished build, or nothing built yet. */
  function reset(project: { build: unknown; job: { jobId: string; kind: string; progress: JobProgressEvent | null } | null } | null) {
    message.value = null;
    jobId.value = null;
    overall.value = null;
    elapsedSeconds.value = 0;
    steps.value = freshSteps(project?.build ? 'done' : 'pending');
    if (project?.job?.kind === 'build') {
      jobId.value = project.job.jobId;
      if (project.job.progress) onProgress(project.job.progress);
    }
  }

  /** About how long a build with the current settings takes (asked before it starts). */
  const estimate = ref<BuildEstimate | null>(null);
  let estimateTicket = 0;
  async function refreshEstimate() {
    const ticket = ++estimateTicket;
    const answer = await api()['build.estimate']({ settings: cleanSettings() });
    if (ticket === estimateTicket) estimate.value = answer;
  }

  /** The chosen regressor's options as typed, `key=value, key=value` (read with the schema's types). */
  const optionsText = ref('');

  function cleanSettings(): BuildSettingsDto {
    const chosen = Object.fromEntries(Object.entries(settings.value).filter(([, v]) => v !== undefined && (v as unknown) !== '' && !Number.isNaN(v))) as BuildSettingsDto;
    const options = settings.value.regressor && optionsText.value.trim() ? objectFromText(regressorOptionsSchema, optionsText.value, 'regressor options') : undefined;
    return options ? { ...chosen, regressorOptions: options } : chosen;
  }

  async function start() {
    message.value = null;
    steps.value = freshSteps();
    overall.value = null;
    startedAt.value = Date.now();
    const { jobId: id } = await api()['build.start']({ settings: cleanSettings() });
    // Progress may have arrived before the reply (it names the job); keep what it set.
    if (jobId.value !== id) jobId.value = id;
  }

  async function cancel() {
    if (jobId.value) await api()['jobs.cancel']({ jobId: jobId.value });
  }

  return { steps, jobId, running, finished, message, elapsedSeconds, settings, optionsText, overall, startedAt, estimate, refreshEstimate, reset, start, cancel, onProgress };
});
