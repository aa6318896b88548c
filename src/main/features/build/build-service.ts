/** Builds a project's SCM: the service behind `causeway build`, the app's build button and the build job. */
import { checkDatasetForModel } from '../../data/dataset-checks.js';
import { selectIndices } from '../../data/sampling.js';
import type { BuildHooks, BuildStep } from '../../scm/build-scm.js';
import { buildScm } from '../../scm/build-scm.js';
import { type BuildSettingsInput, resolveBuildSettings } from '../../scm/build-settings.js';
import type { LayerFitReport } from '../../scm/fit-scm.js';
import type { Validation } from '../../scm/validation.js';
import { defineJob } from '../../jobs/job-declaration.js';
import { type NewProject, type SessionOptions, withProjectSession } from '../../project/project-session.js';

export interface BuildRequest {
  project: string;
  /** Creates the project when `project` has none yet. */
  create?: NewProject;
  settings?: BuildSettingsInput;
}

export interface BuildSummary {
  project: string;
  modelAccuracy: number;
  scmAccuracy: number;
  scmAccuracyTeacherForced: number;
  evaluationImages: number;
  chainedFrom?: Validation['chainedFrom'];
  probe?: Validation['probe'];
  phi: string;
  regressor: string;
  layers: LayerFitReport[];
  nodeLayers: number;
  seconds: number;
}

export async function buildProject(request: BuildRequest, hooks: BuildHooks = {}): Promise<BuildSummary> {
  const settings = resolveBuildSettings(request.settings);
  // The same split buildScm makes, checked before a new project is written.
  const check: SessionOptions['check'] = (model, dataset) => {
    const indices = selectIndices(dataset.labels(), { limit: settings.limit, stratified: settings.limit !== undefined, seed: settings.seed });
    checkDatasetForModel(dataset, model.numClasses, { indices, evalFraction: settings.evalFraction });
  };
  return withProjectSession(request.project, async (session) => {
    const built = await buildScm(
      { store: session.store, model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, dataKey: session.dataKey },
      settings,
      hooks,
    );
    return {
      project: session.dir,
      ...built.validation,
      phi: settings.phi,
      regressor: settings.regressor,
      layers: built.report,
      nodeLayers: built.scm.layers.length,
      seconds: built.seconds,
    };
  }, request.create, { check });
}

/** The build as a worker job; its progress names the pipeline's steps. */
export const buildJob = defineJob<BuildRequest, BuildSummary>()('build', ['phi', 'augmentation', 'fitting'] satisfies BuildStep[]);
