/**
 * A lens's long request (pixel effects, explain, repair, properties) as a cancellable worker job: the renderer names the job, follows its
 * `job.progress` events and can cancel it (`jobs.cancel`); `run` resolves with the method's result.
 */
import { computed, ref } from 'vue';
import type { JobProgressEvent } from '../../../shared/dto.js';
import { api } from '../api/index.js';
import { jobFraction } from '../util/job-fraction.js';

let counter = 0;

export function useLensJob() {
  const progress = ref<JobProgressEvent | null>(null);
  const jobId = ref<string | null>(null);
  const startedAt = ref(Date.now());
  /** The highest fraction reported in this job: the bar never goes back. */
  const highest = ref(0);
  const fraction = computed(() => {
    const f = jobFraction(progress.value);
    return f === null ? null : Math.max(f, highest.value);
  });

  async function run<T>(call: (id: string) => Promise<T>): Promise<T> {
    const id = `lens-${Date.now().toString(36)}-${++counter}`;
    jobId.value = id;
    progress.value = null;
    highest.value = 0;
    startedAt.value = Date.now();
    const off = api().on('job.progress', (p) => {
      if (p.jobId !== id) return;
      progress.value = p;
      highest.value = Math.max(highest.value, jobFraction(p) ?? 0);
    });
    try {
      return await call(id);
    } finally {
      off();
      if (jobId.value === id) jobId.value = null;
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await api()['jobs.cancel']({ jobId: jobId.value });
  }

  return { progress, jobId, startedAt, fraction, run, cancel };
}
