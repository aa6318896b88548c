/**
 * `causeway build --project DIR [--model PATH --data PATH] [--phi …] [--regressor …] [--augment 0.1]
 * [--limit N] [--json]`: builds (or resumes, or reuses) the project's SCM and reports its fit and
 * validation (the paper's Tables 2–6).
 */
import { buildScm } from '../../scm/build-scm.js';
import { percent, seconds, table } from '../format.js';
import type { Flags } from '../options.js';
import { buildSettingsFrom, openProjectFromFlags } from '../project-options.js';
import type { ProgressListener } from '../../jobs/progress.js';

export const buildUsage =
  'build --project DIR [--model PATH --data PATH] [--phi fro|binary|mean|max|std] [--regressor linear|ridge|lasso|lars|logistic|svm|random-forest] [--augment 0.1] [--augment-images N] [--limit N] [--seed S] [--json]';

export async function buildCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const session = await openProjectFromFlags(flags);
  try {
    const settings = buildSettingsFrom(flags);
    const built = await buildScm(
      { store: session.store, model: session.model, dataset: session.dataset, preprocessing: session.settings.preprocessing, dataKey: session.dataKey },
      settings,
      { onProgress, signal },
    );
    const binary = settings.phi === 'binary';
    const layers = built.report.map((r) =>
      binary && r.avgAccuracy !== undefined
        ? { name: r.name, channels: r.channels, regressor: r.regressor, avgAccuracy: r.avgAccuracy, minAccuracy: r.minAccuracy, trainRows: r.trainRows }
        : { name: r.name, channels: r.channels, regressor: r.regressor, avgMse: r.avgMse, maxMse: r.maxMse, avgR2: r.avgR2, trainRows: r.trainRows },
    );
    const json = {
      modelAccuracy: built.validation.modelAccuracy,
      scmAccuracy: built.validation.scmAccuracy,
      scmAccuracyTeacherForced: built.validation.scmAccuracyTeacherForced,
      evaluationImages: built.validation.evaluationImages,
      phi: settings.phi,
      regressor: settings.regressor,
      layers,
      seconds: built.seconds,
    };
    const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toPrecision(4));
    const text = [
      `SCM over ${built.scm.layers.length} node layers (${settings.phi} φ, ${settings.regressor}), ${seconds(built.seconds)}`,
      `accuracy on ${built.validation.evaluationImages} held-out images: model ${percent(json.modelAccuracy)}, SCM ${percent(json.scmAccuracy)} (chained), ${percent(json.scmAccuracyTeacherForced)} (teacher-forced)`,
      '',
      binary
        ? table(built.report.map((r) => [r.name, r.channels, r.regressor, percent(r.avgAccuracy ?? NaN), percent(r.minAccuracy ?? NaN)]), ['layer', 'channels', 'equation', 'avg accuracy', 'min accuracy'])
        : table(built.report.map((r) => [r.name, r.channels, r.regressor, fmt(r.avgMse), fmt(r.maxMse), fmt(r.avgR2)]), ['layer', 'channels', 'equation', 'avg MSE', 'max MSE', 'avg R²']),
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
