/**
 * A long S3/S2 request as a cancellable worker job: the renderer names the job, follows its
 * `analysis.progress` events and can cancel it; `run` resolves with the method's result.
 */
import { ref } from 'vue';
import type { AnalysisProgressEvent } from '../../../shared/analysis.js';
import { api } from '../api/index.js';

let counter = 0;

export function useAnalysisJob() {
  const progress = ref<AnalysisProgressEvent | null>(null);
  const jobId = ref<string | null>(null);

  async function run<T>(call: (id: string) => Promise<T>): Promise<T> {
    const id = `analysis-${Date.now().toString(36)}-${++counter}`;
    jobId.value = id;
    progress.value = null;
    const off = api().on('analysis.progress', (p) => {
      if (p.jobId === id) progress.value = p;
    });
    try {
      return await call(id);
    } finally {
      off();
      if (jobId.value === id) jobId.value = null;
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await api()['analysis.cancel']({ jobId: jobId.value });
  }

  return { progress, jobId, run, cancel };
}
