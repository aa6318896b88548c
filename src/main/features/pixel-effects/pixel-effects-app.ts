/**
 * The Pixel effects panel's side of the services: thumbnails of the held-out split, and the long
 * analyses (one image's CE maps, the adversarial detection report) as lens jobs named by the
 * renderer's job id (progress `job.progress`, cancel `jobs.cancel`). Results are cached in the
 * project store, so a repeated request is immediate.
 */
import type { ParsedArgsOf, Results } from '../../../shared/contract.js';
import { toPngBase64 } from '../../causal-effect/image-png.js';
import { toModelInput } from '../../data/preprocessing.js';
import type { LensJobs } from '../../jobs/lens-jobs.js';
import type { PlannedStage } from '../../jobs/overall-progress.js';
import type { ProjectSession } from '../../project/project-session.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { adversarialJob, type PixelEffectsStep, pixelEffectsImageJob } from './pixel-effects-service.js';

export class PixelEffectsPanel {
  constructor(
    private readonly jobs: LensJobs,
    private readonly session: () => ProjectSession,
    private readonly built: () => BuiltScm | undefined,
  ) {}

  async thumbnails(offset: number, count: number): Promise<Results['pixelEffects.images']> {
    const session = this.session();
    const built = this.built();
    const all = built ? built.evaluationIndices : Array.from({ length: session.dataset.info.count }, (_, i) => i);
    const indices = all.slice(offset, offset + count);
    const [h, w, c] = session.model.inputShape;
    const { info } = session.dataset;
    const raw = await session.dataset.read(indices);
    const input = toModelInput(raw, { height: info.height, width: info.width, channels: info.channels }, session.settings.preprocessing, { height: h, width: w, channels: c });
    const size = h * w * c;
    // The network's prediction per thumbnail (one page, one forward pass).
    const { logits } = await session.model.forward(input, indices.length);
    const k = session.model.numClasses;
    const predicted = indices.map((_, i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (logits[i * k + j] > logits[i * k + best]) best = j;
      return best;
    });
    return {
      total: all.length,
      heldOut: built !== undefined,
      classNames: info.classNames,
      images: indices.map((index, i) => ({ index, label: raw.labels[i], predicted: predicted[i], png: toPngBase64(input.subarray(i * size, (i + 1) * size), h, w, c, session.settings.preprocessing) })),
    };
  }

  image(a: ParsedArgsOf<'pixelEffects.image'>): Promise<Results['pixelEffects.image']> {
    const plan: PlannedStage<PixelEffectsStep>[] = a.attack ? [{ step: 'ce maps', units: 1 }, { step: 'attack', units: 1 }] : [{ step: 'ce maps', units: 1 }];
    return this.jobs.start(a.jobId, 'pixel-effects', pixelEffectsImageJob, { project: this.session().dir, index: a.index, request: { ...a.settings, images: 1 }, attack: a.attack }, plan);
  }

  /** Clean CE maps of every image, then the attacked ones (an attack and a map each: about as long again). */
  adversarial(a: ParsedArgsOf<'pixelEffects.adversarial'>): Promise<Results['pixelEffects.adversarial']> {
    const plan: PlannedStage<PixelEffectsStep>[] = [{ step: 'ce maps', units: 1 }, { step: 'attack', units: a.attack.attack === 'pgd' ? 1.5 : 1 }];
    return this.jobs.start(a.jobId, 'adversarial', adversarialJob, { project: this.session().dir, request: { images: 16, ...a.settings, ...a.attack } }, plan);
  }
}
