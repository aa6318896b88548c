/**
 * Several projects side by side (architectures, settings): the network's and the SCM's accuracy on
 * the held-out images and how well each layer's equations fit, read from each project's store
 * without loading its model. A project that cannot be read gets a row saying why.
 */
import { basename, resolve } from 'node:path';
import type { CompareRow } from '../../../shared/dto.js';
import { findEvaluation } from '../../evaluation/evaluation-lookup.js';
import { equationsArtifact, type LatestBuildRecord, latestBuildArtifact, rankingArtifact } from '../../scm/artifacts.js';
import { readArtifact } from '../../store/artifact-kind.js';
import { ProjectStore } from '../../store/project-store.js';

/** The criteria's fidelity from the evaluation stored for this build (as the report finds it), or null. */
function storedFidelity(store: ProjectStore, latest: LatestBuildRecord): CompareRow['fidelity'] {
  const ranking = readArtifact(store, rankingArtifact, latest.equationsKey, latest.keys.evaluation);
  const found = findEvaluation(store, latest.validation, ranking);
  if (!found) return null;
  return {
    images: found.report.images,
    criteria: found.report.criteria.map((c) => ({ name: c.name, label: c.label, spearman: c.spearman, interval: c.spearmanInterval, sd: c.sd?.spearman ?? null })),
  };
}

export async function compareProjects(dirs: string[]): Promise<CompareRow[]> {
  return dirs.map((dir) => compareOne(resolve(dir)));
}

function compareOne(dir: string): CompareRow {
  const empty: CompareRow = { dir, name: basename(dir), problem: null, modelName: '', nodeLayers: 0, channels: 0, phi: '', regressor: '', validation: null, layers: [], fidelity: null };
  let store: ProjectStore;
  try {
    store = ProjectStore.open(dir, { verify: false });
  } catch (error) {
    return { ...empty, problem: (error as Error).message.split('\n')[0] };
  }
  try {
    const settings = store.getSettings();
    const name = settings?.name ?? basename(dir);
    const modelName = settings ? basename(settings.modelPath.replace(/\/model\.json$/, '')) : '';
    const latest = readArtifact(store, latestBuildArtifact);
    if (!latest) return { ...empty, name, modelName, problem: 'no causal model built yet' };
    const fitted = readArtifact(store, equationsArtifact, latest.equationsKey);
    if (!fitted) return { ...empty, name, modelName, problem: 'the build is incomplete (its equations are missing); build again' };
    return {
      dir,
      name,
      problem: null,
      modelName,
      nodeLayers: fitted.scm.layers.length,
      channels: fitted.scm.layers.filter((l) => l.kind !== 'logits').reduce((s, l) => s + l.channels, 0),
      phi: latest.settings.phi,
      regressor: latest.settings.regressor,
      validation: latest.validation,
      layers: fitted.report.map((r) => ({ name: r.name, channels: r.channels, avgR2: r.avgR2, avgMse: r.avgMse })),
      fidelity: storedFidelity(store, latest),
    };
  } catch (error) {
    return { ...empty, problem: (error as Error).message.split('\n')[0] };
  } finally {
    store.close();
  }
}
