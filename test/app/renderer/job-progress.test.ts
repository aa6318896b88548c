// @vitest-environment happy-dom
/** What a progress bar says: the whole job when known, never full while work goes on, never back. */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../src/renderer/src/api/index.js';
import { useLensJob } from '../../../src/renderer/src/analysis/lens-job.js';
import { jobFraction } from '../../../src/renderer/src/util/job-fraction.js';
import { pValue, remaining } from '../../../src/renderer/src/util/format.js';
import { fakeApi } from './fake-api.js';

let fake: ReturnType<typeof fakeApi>;

beforeEach(() => {
  fake = fakeApi();
  setApi(fake.api);
  setActivePinia(createPinia());
});

describe('job fraction', () => {
  it("takes the whole job's fraction, else the stage's share, and no value for a finished stage of a running job", () => {
    expect(jobFraction(null)).toBeNull();
    expect(jobFraction({ done: 3, total: 12 })).toBe(0.25);
    expect(jobFraction({ done: 12, total: 12 })).toBeNull();
    expect(jobFraction({ done: 0, total: 0 })).toBeNull();
    expect(jobFraction({ done: 12, total: 12, overall: { fraction: 0.4 } })).toBe(0.4);
  });

  it('writes a permutation p below its resolution as "< 1/permutations", never 0', () => {
    expect(pValue(0, 1000)).toBe('< 0.001');
    expect(pValue(0, 200)).toBe('< 0.005');
    expect(pValue(0.005, 200)).toBe('0.00500');
    expect(pValue(0.25, 1000)).toBe('0.250');
  });

  it('says ETAs as people do', () => {
    expect(remaining(4)).toBe('a few seconds left');
    expect(remaining(42)).toBe('about 40 s left');
    expect(remaining(360)).toBe('about 6 min left');
  });

  it('follows an analysis job across its stages without going back', async () => {
    const job = useLensJob();
    let release: (v: string) => void = () => undefined;
    const done = job.run((id) => {
      fake.emit('job.progress', { jobId: id, kind: 'adversarial', step: 'ce maps', stage: 'CE maps', done: 8, total: 16, elapsedSeconds: 1, overall: { fraction: 0.25 } });
      expect(job.fraction.value).toBe(0.25);
      // A later report with a smaller fraction (the plan's estimate corrected) keeps the bar where it was.
      fake.emit('job.progress', { jobId: id, kind: 'adversarial', step: 'attack', stage: 'FGSM ε=8/255', done: 0, total: 16, elapsedSeconds: 0, overall: { fraction: 0.2 } });
      expect(job.fraction.value).toBe(0.25);
      fake.emit('job.progress', { jobId: 'someone-else', kind: 'adversarial', stage: 'CE maps', done: 16, total: 16, elapsedSeconds: 1, overall: { fraction: 1 } });
      expect(job.fraction.value).toBe(0.25);
      return new Promise<string>((r) => (release = r));
    });
    expect(job.jobId.value).not.toBeNull();
    release('ok');
    expect(await done).toBe('ok');
    expect(job.jobId.value).toBeNull();
  });
});
