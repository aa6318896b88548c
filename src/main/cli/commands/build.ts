/**
 * `causeway build --project DIR [--model PATH --data PATH] [--phi …] [--regressor …] [--augment 0.1]
 * [--limit N] [--json]`: builds (or resumes, or reuses) the project's SCM in a worker thread and
 * reports its fit and validation (the paper's Tables 2–6).
 */
import type { ProgressListener } from '../../util/progress.js';
import { runJob } from '../../jobs/run-job.js';
import { type BuildRequest, buildJob } from '../../features/build/build-service.js';
import { withWriterLock } from '../../project/writer-lock.js';
import { UsageError } from '../cli-error.js';
import { percent, seconds, table } from '../format.js';
import { type Flags, optionalString, preprocessingFrom, requireString } from '../options.js';
import { buildSettingsFrom, nodeLayersFrom } from '../project-options.js';
import { storedBuildFidelity } from '../../features/build/build-fidelity.js';
import { latestBuildArtifact } from '../../scm/artifacts.js';
import { readArtifact } from '../../store/artifact-kind.js';
import { ProjectStore } from '../../store/project-store.js';
import { evaluateHowFor, fidelityText, fidelityWarnings } from '../fidelity-output.js';
import type { ScmFidelityDto } from '../../../shared/fidelity.js';

export const buildUsage =
  'build --project DIR [--model PATH --data PATH [--node-layers conv|conv,dense]] [--phi fro|binary|mean|max|std] [--regressor linear|ridge|lasso|lars|mlp|logistic|svm|random-forest] [--regressor-options alpha=0.5,…] [--augment 0.1] [--augment-images N] [--limit N] [--seed S] [--eval-fraction 0.2] [--batch-size N] [--wait] [--json]';

export function buildRequestFrom(flags: Flags): BuildRequest {
  const model = optionalString(flags, 'model');
  const data = optionalString(flags, 'data');
  if ((model === undefined) !== (data === undefined)) throw new UsageError('--model and --data go together');
  const split = optionalString(flags, 'split');
  if (split !== undefined && split !== 'train' && split !== 'test') throw new UsageError('--split must be train or test');
  return {
    project: requireString(flags, 'project'),
    create: model && data ? { modelPath: model, dataPath: data, preprocessing: preprocessingFrom(flags), split, nodeLayers: nodeLayersFrom(flags) } : undefined,
    settings: buildSettingsFrom(flags),
  };
}

/** The build's fidelity lines as the app shows them, read from the store the worker just wrote. */
function fidelityOfLatestBuild(dir: string): ScmFidelityDto {
  const store = ProjectStore.open(dir, { verify: false, readonly: true });
  try {
    const latest = readArtifact(store, latestBuildArtifact);
    if (!latest) throw new Error(`${store.file}: the build finished but stored no latest-build record; build again`);
    const built = { keys: { ...latest.keys, equations: latest.equationsKey }, validation: latest.validation };
    return storedBuildFidelity(store, store.getSettings()?.nodeLayers, built, evaluateHowFor(dir));
  } finally {
    store.close();
  }
}

export async function buildCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const request = buildRequestFrom(flags);
  // One writer per project: a second build stops at once naming the first, or with --wait waits for it.
  const summary = await withWriterLock(
    request.project,
    'build',
    { create: true, wait: flags.wait === true, signal, onWait: (line) => process.stderr.write(`causeway build: ${line}\n`) },
    () => runJob(buildJob, request, { onProgress, signal }),
  );
  const binary = summary.phi === 'binary';
  const fidelity = fidelityOfLatestBuild(request.project);
  const measured = [fidelity.chained, fidelity.queries?.counterfactual, fidelity.queries?.interventional, fidelity.ranking, fidelity.surrogate];
  const warnings = fidelityWarnings(measured);
  const json = {
    modelAccuracy: summary.modelAccuracy,
    scmAccuracy: summary.scmAccuracy,
    scmAccuracyTeacherForced: summary.scmAccuracyTeacherForced,
    evaluationImages: summary.evaluationImages,
    chainedFrom: summary.chainedFrom,
    probe: summary.probe,
    phi: summary.phi,
    regressor: summary.regressor,
    layers: summary.layers.map((r) =>
      binary && r.avgAccuracy !== undefined
        ? { name: r.name, channels: r.channels, regressor: r.regressor, avgAccuracy: r.avgAccuracy, minAccuracy: r.minAccuracy, trainRows: r.trainRows }
        : { name: r.name, channels: r.channels, regressor: r.regressor, avgMse: r.avgMse, maxMse: r.maxMse, avgR2: r.avgR2, trainRows: r.trainRows },
    ),
    seconds: summary.seconds,
    // Teacher-forced beside the chained line: how much of the gap is the chain compounding its errors.
    fidelity: { ...fidelity, chained: { ...fidelity.chained, teacherForcedAccuracy: summary.scmAccuracyTeacherForced } },
    warnings,
  };
  const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toPrecision(4));
  const text = [
    `SCM over ${summary.nodeLayers} node layers (${summary.phi} φ, ${summary.regressor}), ${seconds(summary.seconds)}`,
    `accuracy on ${summary.evaluationImages} held-out images: model ${percent(json.modelAccuracy)}, SCM ${percent(json.scmAccuracy)} (chained), ${percent(json.scmAccuracyTeacherForced)} (teacher-forced)`,
    ...(summary.chainedFrom?.length ? [`chained from: ${summary.chainedFrom.map((c) => `${c.layer} ${percent(c.accuracy)}`).join(', ')} (earlier layers observed)`] : []),
    ...(summary.probe ? [`linear-probe ceiling on ${summary.probe.layer}: ${percent(summary.probe.accuracy)} (any affine chain is bounded by a linear read-out of this layer)`] : []),
    ...fidelityText(measured, fidelity.notEvaluated),
    'queries and rankings answer counterfactually by default (each image keeps its own noise; without an intervention the SCM reproduces the network)',
    '',
    binary
      ? table(summary.layers.map((r) => [r.name, r.channels, r.regressor, percent(r.avgAccuracy ?? NaN), percent(r.minAccuracy ?? NaN)]), ['layer', 'channels', 'equation', 'avg accuracy', 'min accuracy'])
      : table(summary.layers.map((r) => [r.name, r.channels, r.regressor, fmt(r.avgMse), fmt(r.maxMse), fmt(r.avgR2)]), ['layer', 'channels', 'equation', 'avg MSE', 'max MSE', 'avg R²']),
  ].join('\n');
  return { json, text, warnings };
}
