/**
 * The S3 and S2 panels' side of the services: image thumbnails of the held-out split, and the long
 * analyses (one image's CE maps, the adversarial detection report, a class's explanatory graph) as
 * lens jobs named by the renderer's job id (their progress is `job.progress`, their cancel `jobs.cancel`).
 * Results are cached in the project store by the services, so a repeated request is immediate.
 */
import type { ParsedArgsOf, Results } from '../../../shared/contract.js';
import type { GraphSettingsInput } from '../../explanatory-graph/graph-settings.js';
import type { PlannedStage } from '../../jobs/overall-progress.js';
import type { LensJobs } from '../../jobs/lens-jobs.js';
import type { GraphStep } from '../../explanatory-graph/intervention-effects.js';
import type { PixelEffectsStep } from '../pixel-effects/cemap-service.js';
import { toPngBase64 } from '../../causal-effect/image-png.js';
import { toModelInput } from '../../data/preprocessing.js';
import type { BuiltScm } from '../../scm/build-scm.js';
import { adversarialJob, cemapImageJob, explainJob, repairJob } from './analysis-job-entries.js';
import { readAllArtifacts } from '../../store/artifact-kind.js';
import { cachedExplanatoryGraph, compareGraphs, repairArtifact } from '../explain/explanatory-graph-service.js';
import type { ProjectSession } from '../../project/project-session.js';
import { repairSummary } from '../explain/repair-summary.js';

/** Small by default so a panel answers in seconds on LeNet-5 (the user can ask for more). */
const GRAPH_DEFAULTS: GraphSettingsInput = { k: 4, images: 20, bootstrap: 2, noiseRepeats: 1, randomSeeds: 2, candidates: 8 };

export class AnalysisService {
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
    return this.jobs.start(a.jobId, 'pixel-effects', cemapImageJob, { project: this.session().dir, index: a.index, request: { ...a.settings, images: 1 }, attack: a.attack }, plan);
  }

  /** Clean CE maps of every image, then the attacked ones (an attack and a map each: about as long again). */
  adversarial(a: ParsedArgsOf<'pixelEffects.adversarial'>): Promise<Results['pixelEffects.adversarial']> {
    const plan: PlannedStage<PixelEffectsStep>[] = [{ step: 'ce maps', units: 1 }, { step: 'attack', units: a.attack.attack === 'pgd' ? 1.5 : 1 }];
    return this.jobs.start(a.jobId, 'adversarial', adversarialJob, { project: this.session().dir, request: { images: 16, ...a.settings, ...a.attack } }, plan);
  }

  async explain(a: ParsedArgsOf<'explain.run'>): Promise<Results['explain.run']> {
    const settings = this.graphSettings(a.settings);
    const graph = await this.jobs.start(a.jobId, 'explain', explainJob, { project: this.session().dir, class: a.class, settings }, this.explainPlan(settings));
    return { ...graph, repair: this.repairOf(a.class) };
  }

  cached(a: ParsedArgsOf<'explain.cached'>): Results['explain.cached'] {
    const graph = cachedExplanatoryGraph(this.session(), a.class, this.graphSettings(a.settings));
    return graph ? { ...graph, repair: this.repairOf(a.class) } : null;
  }

  compare(a: ParsedArgsOf<'explain.compare'>): Results['explain.compare'] {
    const [first, second] = a.classes.map((c) => cachedExplanatoryGraph(this.session(), c, this.graphSettings(a.settings)));
    return first && second ? compareGraphs(first, second) : null;
  }

  /**
   * The repair experiment as a job (METHODS §3; the CLI's `repair`): the class graph on training
   * images with the feature pasted in (node and path effects per layer, once), then the removal and
   * the held-out accuracies. Stored like the CLI's, so the panel finds it again.
   */
  async repair(a: ParsedArgsOf<'explain.repair'>): Promise<Results['explain.repair']> {
    const settings = this.graphSettings(a.settings);
    const stored = await this.jobs.start(a.jobId, 'repair', repairJob, { project: this.session().dir, class: a.class, feature: a.feature, settings }, this.graphPassPlan());
    return repairSummary(stored);
  }

  /**
   * A class graph is built from the last node layer back to the first (node effects, then the paths
   * into the kept nodes), once on the images and once per noisy copy; bootstrap resamples reuse the
   * cached effects. One unit per layer and pass.
   */
  private explainPlan(settings: GraphSettingsInput): PlannedStage<GraphStep>[] {
    const copies = 1 + (settings.noiseRepeats ?? 2);
    return Array.from({ length: copies }, () => this.graphPassPlan()).flat();
  }

  /** One pass over the class graph: node effects, then the paths into the kept nodes, per layer from the last. */
  private graphPassPlan(): PlannedStage<GraphStep>[] {
    const layers = this.session().model.nodeLayers.filter((l) => l.kind !== 'logits').map((l) => l.name).reverse();
    return layers.flatMap((l): PlannedStage<GraphStep>[] => [{ step: 'node effects', part: l, units: 1 }, { step: 'path effects', part: l, units: 1 }]);
  }

  private graphSettings(settings: GraphSettingsInput | undefined): GraphSettingsInput {
    return { ...GRAPH_DEFAULTS, ...settings };
  }

  /** The latest stored repair of this class (the CLI's `repair` computes it), or null. */
  private repairOf(cls: number): Results['explain.run']['repair'] {
    const store = this.session().store;
    const value = readAllArtifacts(store, repairArtifact).reverse().find((r) => r.value.class === cls)?.value;
    return value ? repairSummary(value) : null;
  }
}
