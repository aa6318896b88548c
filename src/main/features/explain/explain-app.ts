/**
 * The Class explanations panel's side of the services: a class's explanatory graph and the repair as
 * lens jobs named by the renderer's job id (progress `job.progress`, cancel `jobs.cancel`), cached
 * graphs, two classes compared. Results are cached in the project store by the services.
 */
import type { ParsedArgsOf, Results } from '../../../shared/contract.js';
import type { GraphSettingsInput } from '../../explanatory-graph/graph-settings.js';
import type { GraphStep } from '../../explanatory-graph/intervention-effects.js';
import type { LensJobs } from '../../jobs/lens-jobs.js';
import type { PlannedStage } from '../../jobs/overall-progress.js';
import type { ProjectSession } from '../../project/project-session.js';
import { readAllArtifacts } from '../../store/artifact-kind.js';
import { cachedExplanatoryGraph, compareGraphs, explainJob, repairArtifact, repairJob } from './explain-service.js';
import { repairSummary } from './repair-summary.js';

/** Small by default so a panel answers in seconds on LeNet-5 (the user can ask for more). */
const GRAPH_DEFAULTS: GraphSettingsInput = { k: 4, images: 20, bootstrap: 2, noiseRepeats: 1, randomSeeds: 2, candidates: 8 };

export class ExplainPanel {
  constructor(
    private readonly jobs: LensJobs,
    private readonly session: () => ProjectSession,
  ) {}

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
