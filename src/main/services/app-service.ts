/**
 * The services behind the contract: one instance per app (Electron window or web server), holding
 * the open project, its latest SCM build, the intervention history and the running build job.
 * Transports call `handlers(service)`; events go out through the `emit` sink they pass in.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type ApiHandlers, type ArgsOf, type EventSink, type FeatureHandlers, methodNames, type ParsedArgsOf, type ParsedHandlers } from '../../shared/contract.js';
import type {
  AppInfo,
  BuildEstimate,
  BuildInfo,
  BuildSettingsDto,
  ChannelDetail,
  CreateProjectResult,
  FileListing,
  GraphDto,
  HistoryEntry,
  HistoryState,
  PickPathArgs,
  ProjectInfo,
  ProjectPreview,
  QueryResult,
  RankingsDto,
} from '../../shared/dto.js';
import { ApiError } from '../../shared/errors.js';
import { openDataset } from '../data/open-dataset.js';
import { initBackend } from '../engine/backend.js';
import { LoadedModel } from '../engine/loaded-model.js';
import type { BuiltScm } from '../scm/build-scm.js';
import { latestBuildArtifact } from '../scm/artifacts.js';
import { latestBuild } from '../scm/latest-build.js';
import { readArtifact, writeArtifact } from '../store/artifact-kind.js';
import type { LayerRanking } from '../scm/rankings.js';
import { DB_FILE_NAME } from '../store/schema.js';
import { PixelEffectsPanel } from '../features/pixel-effects/pixel-effects-app.js';
import { ExplainPanel } from '../features/explain/explain-app.js';
import { appVersion } from '../util/app-version.js';
import { BuildJobs } from '../features/build/build-jobs.js';
import { LensJobs } from '../jobs/lens-jobs.js';
import type { JobRunner } from '../jobs/run-job.js';
import { buildPaceArtifact, buildPlan, planUnits, timeForwardPass } from '../features/build/build-plan.js';
import { causalGraph, channelDetail, channelStats } from '../features/graph/causal-graph.js';
import { compareProjects } from '../features/compare/compare-projects.js';
import { demoCatalog, demoProject } from '../features/projects/demo-projects.js';
import { InterventionHistory } from '../features/interventions/intervention-history.js';
import { type ScmBaselines, realResult, scmBaselines, scmResult } from '../features/interventions/intervention-queries.js';
import { type NewProject, ProjectSession } from '../project/project-session.js';
import { previewProject } from '../features/projects/project-preview.js';
import { browserRoots, listFolder } from '../features/app/file-browser.js';
import { readRanking } from '../features/rankings/ranking-job.js';
import { cachedEvaluation, evaluationDto, evaluationNote, rememberEvaluation } from '../features/rankings/rankings-extension.js';
import { RecentProjects } from '../features/projects/recent-projects.js';
import type { ReportHost } from '../features/report/report-app.js';
import { reportHandlers } from '../features/report/report-handlers.js';
import { biasAuditProject, PropertiesPanel } from '../features/properties/properties-app.js';
import { propertyHandlers } from '../features/properties/properties-handlers.js';
import { pixelEffectHandlers } from '../features/pixel-effects/pixel-effects-handlers.js';
import { explainHandlers } from '../features/explain/explain-handlers.js';
import type { appMethods } from '../../shared/features/app.js';
import type { buildMethods } from '../../shared/features/build.js';
import type { compareMethods } from '../../shared/features/compare.js';
import type { graphMethods } from '../../shared/features/graph.js';
import type { jobMethods } from '../../shared/features/jobs.js';
import type { interventionMethods } from '../../shared/features/interventions.js';
import type { projectMethods } from '../../shared/features/projects.js';
import type { rankingMethods } from '../../shared/features/rankings.js';
import { parseArgs } from './dispatch.js';
import { toApiError } from './service-errors.js';
import { engineUse } from '../features/projects/engine-use.js';
import { evaluationEstimate, evaluationPaceArtifact, evaluationPlan } from '../features/rankings/evaluation-plan.js';
import { buildFidelity } from '../features/build/build-fidelity.js';
import type { ScmFidelityDto } from '../../shared/fidelity.js';

/** What the host (Electron or the web server) provides. */
export interface AppHost extends ReportHost {
  /** A native file/folder picker; absent in web mode. */
  pickPath?: (args: PickPathArgs) => Promise<string | null>;
}

export interface AppServiceOptions {
  userDataDir: string;
  /** The folder holding models/ and data/ of the bundled demos. */
  resourcesDir: string;
  emit: EventSink;
  host?: AppHost;
  /** Runs worker jobs (tests may pass a stand-in). */
  runJob?: JobRunner;
}

/** Everything derived from the loaded build that queries reuse. */
interface Loaded {
  built: BuiltScm;
  stats: ReturnType<typeof channelStats>;
  /** The SCM's answers without intervention, per query mode, and the abducted noise. */
  baselines: ScmBaselines;
  ranking: LayerRanking[] | undefined;
  /** Beside every SCM number: recomputed when the build loads or is evaluated. */
  fidelity: ScmFidelityDto;
}

export class AppService {
  private session: ProjectSession | null = null;
  private history: InterventionHistory | null = null;
  private loaded: Loaded | null = null;
  private readonly jobs: BuildJobs;
  /** The lenses' jobs (pixel effects, explain, repair, properties), named by the renderer. */
  private readonly lensJobs: LensJobs;
  private readonly recent: RecentProjects;
  // Operations that replace or use the open session run one after another.
  private queue: Promise<unknown> = Promise.resolve();
  /** S3 / S2 panels: thumbnails, CE maps, detection, explanatory graphs. */
  readonly pixelEffects: PixelEffectsPanel;
  readonly explain: ExplainPanel;
  /** S4 panel: property audits, curves. */
  readonly properties: PropertiesPanel;

  constructor(private readonly options: AppServiceOptions) {
    this.jobs = new BuildJobs(options.emit, options.runJob);
    this.recent = new RecentProjects(join(options.userDataDir, 'recent-projects.json'));
    this.lensJobs = new LensJobs(options.emit, options.runJob);
    this.properties = new PropertiesPanel(this.lensJobs, () => this.requireSession());
    this.pixelEffects = new PixelEffectsPanel(this.lensJobs, () => this.requireSession(), () => this.loaded?.built);
    this.explain = new ExplainPanel(this.lensJobs, () => this.requireSession());
  }

  // ── app ────────────────────────────────────────────────────────────────────────────────────

  async info(): Promise<AppInfo> {
    const backend = await initBackend();
    return {
      version: appVersion,
      backend: backend.name,
      backendReason: backend.reason,
      userDataDir: this.options.userDataDir,
      demos: demoCatalog(this.options.resourcesDir),
      canPickPaths: this.options.host?.pickPath !== undefined,
      evaluationAvailable: true,
    };
  }

  async pickPath(args: PickPathArgs): Promise<string | null> {
    return this.options.host?.pickPath ? this.options.host.pickPath(args) : null;
  }

  /** The web mode's file browser: one folder under the home folder or the bundled resources. */
  listFiles(dir?: string): FileListing {
    return listFolder(browserRoots(this.options.resourcesDir), dir);
  }

  // ── projects ───────────────────────────────────────────────────────────────────────────────

  /**
   * New preprocessing for the open project: saved in its settings, and the latest build set aside
   * (everything it cached was computed on inputs preprocessed the old way; switching back finds it
   * again). The project re-opens with the new inputs; the user builds again.
   */
  async setPreprocessing(preprocessing: ParsedArgsOf<'projects.setPreprocessing'>['preprocessing']): Promise<ProjectInfo> {
    if (this.jobs.current()) throw new ApiError('busy', 'a build is running; cancel it before changing the preprocessing');
    const dir = this.requireSession().dir;
    const info = await this.exclusive(async () => {
      const session = this.requireSession();
      const latest = readArtifact(session.store, latestBuildArtifact);
      session.store.transaction(() => {
        session.store.setSettings({ ...session.settings, preprocessing });
        session.store.deleteArtifact(latestBuildArtifact.name, latestBuildArtifact.key());
      });
      let reopened: ProjectSession;
      try {
        reopened = await ProjectSession.open(dir);
      } catch (error) {
        // Nothing lost: the old settings and build come back, the old session stays open.
        session.store.transaction(() => {
          session.store.setSettings(session.settings);
          if (latest !== undefined) writeArtifact(session.store, latestBuildArtifact, latest);
        });
        throw error;
      }
      this.replaceSession(reopened);
      await this.reload(reopened);
      return this.projectInfo(reopened);
    });
    this.options.emit('project.changed', info);
    this.emitHistory();
    return info;
  }

  async preview(args: ParsedArgsOf<'projects.preview'>): Promise<ProjectPreview> {
    const model = await LoadedModel.load(resolve(args.modelPath));
    try {
      const dataset = await openDataset(resolve(args.dataPath), { split: args.split, resize: args.preprocessing.resize });
      return await previewProject(model, dataset, args.preprocessing);
    } finally {
      model.dispose();
    }
  }

  async create(args: ParsedArgsOf<'projects.create'>): Promise<CreateProjectResult> {
    const { dir, name, ...rest } = args;
    const project = await this.openProject(dir, { ...rest, name: name || basename(resolve(dir)) }, true);
    const preview = await this.exclusive(() => previewProject(this.requireSession().model, this.requireSession().dataset, rest.preprocessing));
    return { project, preview };
  }

  async open(dir: string): Promise<ProjectInfo> {
    return this.openProject(dir);
  }

  async openDemo(name?: string): Promise<ProjectInfo> {
    const demo = demoProject(this.options.resourcesDir, this.options.userDataDir, name);
    // An existing demo keeps the model it was made with (the app's resources may have moved since).
    return this.openProject(demo.dir, projectExists(demo.dir) ? undefined : demo.create);
  }

  recentProjects() {
    return this.recent.list();
  }

  current(): ProjectInfo | null {
    return this.session ? this.projectInfo(this.session) : null;
  }

  async closeProject(): Promise<null> {
    await this.exclusive(async () => this.replaceSession(null));
    this.options.emit('project.changed', null);
    return null;
  }

  // ── build ──────────────────────────────────────────────────────────────────────────────────

  startBuild(settings: ArgsOf<'build.start'>): { jobId: string } {
    const session = this.requireSession();
    const jobId = this.jobs.start(
      session.dir,
      settings?.settings,
      () => this.exclusive(async () => this.reload(session)),
      (id, build, seconds) => {
        // The pace this machine showed, for the estimate before the next build of this project.
        const pace = this.jobs.lastMeasured;
        if (pace && session.store.isOpen) writeArtifact(session.store, buildPaceArtifact, pace);
        if (build) this.options.emit('job.done', { jobId: id, kind: 'build', build, seconds });
        if (this.session === session) this.options.emit('project.changed', this.projectInfo(session));
      },
      buildPlan(session.model.summary().nodeLayers, session.dataset.info.count, settings?.settings),
    );
    return { jobId };
  }

  /**
   * About how long a build takes here: the plan's units at the pace of this project's last build
   * (stored when it finished), or else of a forward pass of 16 images timed now; plus two loads of
   * the model and data (the build's worker and the ranking's).
   */
  async estimateBuild(settings: BuildSettingsDto | undefined): Promise<BuildEstimate> {
    const session = this.requireSession();
    const plan = buildPlan(session.model.summary().nodeLayers, session.dataset.info.count, settings);
    const stored = readArtifact(session.store, buildPaceArtifact);
    const pace = stored ?? (await this.exclusive(() => timeForwardPass(session)));
    return { seconds: 2 * pace.loadSeconds + planUnits(plan) / pace.unitsPerSecond, basis: stored ? 'last build' : 'timed forward pass' };
  }

  /** About how long evaluating the rankings takes here (the plan at the pace of this project's last evaluation or build). */
  async estimateEvaluation(settings: ParsedArgsOf<'rankings.estimate'>): Promise<BuildEstimate> {
    const session = this.requireSession();
    const { built } = this.requireBuild();
    const plan = evaluationPlan(session.model.nodeLayers, built.evaluationIndices.length, settings?.settings);
    const own = readArtifact(session.store, evaluationPaceArtifact);
    const build = readArtifact(session.store, buildPaceArtifact);
    const pace = own ?? build ?? (await this.exclusive(() => timeForwardPass(session)));
    return evaluationEstimate(plan, pace, own ? 'last evaluation' : build ? 'last build' : 'timed forward pass');
  }

  /** Cancels any running job, the pipeline's or a lens's, by its id. */
  cancelJob(jobId: string): { cancelled: boolean } {
    return { cancelled: this.jobs.cancel(jobId) || this.lensJobs.cancel(jobId) };
  }

  // ── graph and queries ──────────────────────────────────────────────────────────────────────

  graph(topK = 4): GraphDto {
    const loaded = this.requireBuild();
    return causalGraph(loaded.built, topK, importanceOf(loaded.ranking), loaded.stats);
  }

  channel(layer: string, channel: number): ChannelDetail {
    const loaded = this.requireBuild();
    const ranked = loaded.ranking?.find((r) => r.name === layer)?.ranking;
    const position = ranked?.findIndex((r) => r.channel === channel) ?? -1;
    const importance =
      ranked && position >= 0
        ? { importance: ranked[position].importance, marginDrop: ranked[position].marginDrop, accuracyDrop: ranked[position].accuracyDrop, rank: position + 1, of: ranked.length }
        : null;
    try {
      return channelDetail(loaded.built, layer, channel, importance, loaded.stats);
    } catch (error) {
      throw new ApiError('invalid-args', (error as Error).message);
    }
  }

  query(args: ParsedArgsOf<'query.run'>): QueryResult {
    const loaded = this.requireBuild();
    const scm = scmResult(loaded.built, args.interventions, loaded.baselines, loaded.stats, args.mode ?? 'counterfactual');
    if (args.save === false) return { scm, history: null };
    if (args.interventions.length === 0) throw new ApiError('invalid-args', 'select at least one filter to intervene on');
    this.requireHistory().add(args.interventions, scm);
    return { scm, history: this.emitHistory() };
  }

  async verify(id: number): Promise<HistoryEntry> {
    return this.exclusive(async () => {
      const session = this.requireSession();
      const loaded = this.requireBuild();
      const history = this.requireHistory();
      const entry = history.get(id);
      const real = await realResult(loaded.built, session.model, session.dataset, session.settings.preprocessing, entry.interventions);
      const updated = history.setReal(id, real);
      this.emitHistory();
      return updated;
    });
  }

  historyState(): HistoryState {
    return this.requireHistory().state();
  }

  moveHistory(action: 'undo' | 'redo' | { apply: number | null } | { delete: number }): HistoryState {
    const history = this.requireHistory();
    if (action === 'undo') history.undo();
    else if (action === 'redo') history.redo();
    else if ('apply' in action) history.apply(action.apply);
    else history.delete(action.delete);
    return this.emitHistory();
  }

  // ── rankings and comparison ────────────────────────────────────────────────────────────────

  async rankings(): Promise<RankingsDto> {
    const loaded = this.requireBuild();
    const report = cachedEvaluation(this.requireSession().store, loaded.built);
    return {
      status: loaded.ranking ? 'ready' : 'missing',
      layers: (loaded.ranking ?? []).map((l) => ({
        name: l.name,
        channels: l.ranking.map((c, i) => ({ channel: c.channel, importance: c.importance, marginDrop: c.marginDrop, accuracyDrop: c.accuracyDrop, rank: i + 1 })),
      })),
      evaluation: report ? evaluationDto(report) : null,
      evaluationNote: evaluationNote,
    };
  }

  /** Evaluates the rankings against the real network in a worker; job events report it. */
  startEvaluation(args: ParsedArgsOf<'rankings.evaluate'>): { jobId: string } {
    const session = this.requireSession();
    const { built } = this.requireBuild();
    const jobId = this.jobs.startEvaluation(
      session.dir,
      args?.settings,
      async ({ key }) => {
        if (this.session === session && session.store.isOpen) {
          rememberEvaluation(session.store, built, key);
          if (this.loaded?.built === built) this.loaded.fidelity = buildFidelity(session, built);
        }
        return this.buildInfo();
      },
      (id, build, seconds) => {
        // The pace this evaluation showed (known once it ended), for the estimate before the next.
        const pace = this.jobs.lastMeasured;
        if (pace && session.store.isOpen) writeArtifact(session.store, evaluationPaceArtifact, pace);
        if (build) this.options.emit('job.done', { jobId: id, kind: 'evaluate', build, seconds });
        // The fidelity lines beside the SCM numbers now hold the evaluation's.
        if (this.session === session) this.options.emit('project.changed', this.projectInfo(session));
      },
      evaluationPlan(session.model.nodeLayers, built.evaluationIndices.length, args?.settings),
    );
    return { jobId };
  }

  /** Opens the bias-audit demo (the biased model), creating its project the first time. */
  async openBiasDemo(): Promise<ProjectInfo> {
    const demo = biasAuditProject(this.options.resourcesDir, this.options.userDataDir);
    return this.openProject(demo.dir, projectExists(demo.dir) ? undefined : demo.create);
  }

  /** The host's pickers and save dialog (absent in web mode and tests). */
  get host(): AppHost | undefined {
    return this.options.host;
  }

  /** Stops the running job and closes the project (the app is quitting). */
  async dispose(): Promise<void> {
    this.jobs.cancelAll();
    await this.exclusive(async () => this.replaceSession(null));
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private async openProject(dir: string, create?: NewProject, mustBeNew = false): Promise<ProjectInfo> {
    if (this.jobs.current()) throw new ApiError('busy', 'a build is running; cancel it before opening another project');
    const info = await this.exclusive(async () => {
      if (mustBeNew && projectExists(dir)) throw new ApiError('invalid-args', `${resolve(dir)} already holds a project; open it instead`);
      if (!create && !projectExists(dir)) throw new ApiError('not-found', `${resolve(dir)}: no Causeway project here (no ${DB_FILE_NAME}); create one under New project`);
      const session = await ProjectSession.open(dir, create);
      this.replaceSession(session);
      await this.reload(session);
      await this.recent.add(session.dir, session.settings.name ?? basename(session.dir));
      return this.projectInfo(session);
    });
    this.options.emit('project.changed', info);
    this.emitHistory();
    return info;
  }

  private replaceSession(session: ProjectSession | null): void {
    this.jobs.cancelAll();
    this.lensJobs.cancelAll();
    this.session?.close();
    this.session = session;
    this.history = session ? new InterventionHistory(session.store) : null;
    this.loaded = null;
  }

  /** Loads the project's latest build (if any) and the derived tables queries reuse. */
  private async reload(session: ProjectSession): Promise<BuildInfo | null> {
    if (this.session !== session) return null;
    if (!readArtifact(session.store, latestBuildArtifact)) {
      this.loaded = null;
      return null;
    }
    const built = await latestBuild(session);
    this.loaded = { built, stats: channelStats(built), baselines: scmBaselines(built), ranking: readRanking(session.store, built), fidelity: buildFidelity(session, built) };
    return this.buildInfo();
  }

  private buildInfo(): BuildInfo | null {
    if (!this.loaded) return null;
    const { built, ranking, fidelity } = this.loaded;
    const settings = this.session ? readArtifact(this.session.store, latestBuildArtifact)?.settings : undefined;
    return {
      key: built.keys.equations,
      settings: settings ?? {},
      validation: built.validation,
      layers: built.report.map((r) => ({ ...r })),
      rankingsReady: ranking !== undefined,
      fidelity,
    };
  }

  private projectInfo(session: ProjectSession): ProjectInfo {
    const summary = session.model.summary();
    return {
      dir: session.dir,
      name: session.settings.name ?? basename(session.dir),
      modelPath: session.settings.modelPath,
      dataPath: session.settings.dataPath,
      preprocessing: session.settings.preprocessing,
      modelName: summary.name,
      inputShape: summary.inputShape,
      params: summary.params,
      numClasses: summary.numClasses,
      classNames: session.dataset.info.classNames,
      datasetImages: session.dataset.info.count,
      nodeLayers: summary.nodeLayers.map(({ name, kind, channels, shape, parents }) => ({ name, kind, channels, shape, parents })),
      build: this.session === session ? this.buildInfo() : null,
      job: this.jobs.current(),
      interventionCount: this.history?.count() ?? 0,
      nodeLayerFamilies: [...(session.settings.nodeLayers ?? ['conv'])],
      engines: engineUse(session.store),
    };
  }

  private emitHistory(): HistoryState {
    const state = this.history?.state() ?? { entries: [], currentId: null, canUndo: false, canRedo: false };
    this.options.emit('history.changed', state);
    return state;
  }

  private requireSession(): ProjectSession {
    if (!this.session) throw new ApiError('no-project', 'no project is open; open or create one first');
    return this.session;
  }

  private requireHistory(): InterventionHistory {
    this.requireSession();
    return this.history!;
  }

  /** The open project's loaded build, for feature handler groups that read it (no-build error when none). */
  builtScm(): BuiltScm {
    return this.requireBuild().built;
  }

  private requireBuild(): Loaded {
    const session = this.requireSession();
    if (!this.loaded) throw new ApiError('no-build', `${session.dir} has no causal model yet; build it in the Pipeline view`);
    return this.loaded;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}


function projectExists(dir: string): boolean {
  return existsSync(resolve(dir, DB_FILE_NAME));
}

function importanceOf(ranking: LayerRanking[] | undefined): Record<string, number[]> | null {
  if (!ranking) return null;
  const out: Record<string, number[]> = {};
  for (const layer of ranking) {
    const values = new Array<number>(layer.ranking.length).fill(0);
    for (const c of layer.ranking) values[c.channel] = c.importance;
    out[layer.name] = values;
  }
  return out;
}

/**
 * The contract's handlers over one service: one group per feature (each typed by its feature's
 * declaration in src/shared/features, so a method lands in its own group), combined here.
 */
export function handlers(service: AppService): ApiHandlers {
  const app: FeatureHandlers<typeof appMethods> = {
    'app.info': () => service.info(),
    'app.pickPath': (a) => service.pickPath(a),
    'files.list': async (a) => service.listFiles(a?.dir),
  };
  const projects: FeatureHandlers<typeof projectMethods> = {
    'projects.setPreprocessing': (a) => service.setPreprocessing(a.preprocessing),
    'projects.preview': (a) => service.preview(a),
    'projects.create': (a) => service.create(a),
    'projects.open': (a) => service.open(a.dir),
    'projects.openDemo': (a) => service.openDemo(a?.name),
    'projects.recent': async () => service.recentProjects(),
    'projects.current': async () => service.current(),
    'projects.close': () => service.closeProject(),
  };
  const build: FeatureHandlers<typeof buildMethods> = {
    'build.start': async (a) => service.startBuild(a),
    'build.estimate': (a) => service.estimateBuild(a?.settings),
  };
  const graph: FeatureHandlers<typeof graphMethods> = {
    'graph.get': async (a) => service.graph(a?.topK),
    'graph.channel': async (a) => service.channel(a.layer, a.channel),
  };
  const interventions: FeatureHandlers<typeof interventionMethods> = {
    'query.run': async (a) => service.query(a),
    'query.verify': (a) => service.verify(a.id),
    'interventions.list': async () => service.historyState(),
    'interventions.undo': async () => service.moveHistory('undo'),
    'interventions.redo': async () => service.moveHistory('redo'),
    'interventions.apply': async (a) => service.moveHistory({ apply: a.id }),
    'interventions.delete': async (a) => service.moveHistory({ delete: a.id }),
  };
  const jobs: FeatureHandlers<typeof jobMethods> = {
    'jobs.cancel': async (a) => service.cancelJob(a.jobId),
  };
  const rankings: FeatureHandlers<typeof rankingMethods & typeof compareMethods> = {
    'rankings.get': () => service.rankings(),
    'rankings.evaluate': async (a) => service.startEvaluation(a),
    'rankings.estimate': (a) => service.estimateEvaluation(a),
    'compare.get': (a) => compareProjects(a.dirs),
  };
  const h: ParsedHandlers = {
    ...app,
    ...projects,
    ...build,
    ...jobs,
    ...graph,
    ...interventions,
    ...rankings,
    ...reportHandlers(service.host),
    ...propertyHandlers(service.properties, () => service.openBiasDemo()),
    ...pixelEffectHandlers(service.pixelEffects),
    ...explainHandlers(service.explain),
  };
  // Wrap each handler so its arguments are checked against the contract (defaults filled in) and a
  // thrown error of any kind leaves as an ApiError with one readable line.
  const checked: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const name of methodNames) {
    const inner = h[name] as (args: unknown) => Promise<unknown>;
    checked[name] = async (args) => {
      try {
        return await inner(parseArgs(name, args));
      } catch (error) {
        throw toApiError(error);
      }
    };
  }
  return checked as ApiHandlers;
}
