/**
 * `causeway repair --project DIR --class C [--feature SPEC] [--threshold X] [--images N] [--k K] [--seed S] [--json]`:
 * finds the channels that carry a planted spurious feature (default: the bias-audit demo's magenta
 * corner patch) through the class's explanatory graph, removes them, and reports accuracy on
 * bias-aligned and bias-conflicting held-out images before and after (METHODS §3).
 */
import type { ProgressListener } from '../../util/progress.js';
import { repairOn } from '../../features/explain/explain-service.js';
import { repairSummary } from '../../features/explain/repair-summary.js';
import { UsageError } from '../cli-error.js';
import { percent, seconds, table } from '../format.js';
import { type Flags, optionalInteger, optionalNumber, optionalString, requireString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';

export const repairUsage = 'repair --project DIR --class C [--feature SPEC] [--threshold X] [--images N] [--k K] [--seed S] [--json]';
export const repairValues = ['class', 'feature', 'threshold', 'images', 'k', 'seed'];

export async function repairCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const cls = requireString(flags, 'class');
  const threshold = optionalNumber(flags, 'threshold');
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError('--threshold must be a share between 0 and 1');
  const settings: Record<string, number> = {};
  for (const [flag, key] of [['images', 'images'], ['k', 'k']] as const) {
    const v = optionalInteger(flags, flag);
    if (v !== undefined) settings[key] = v;
  }
  const seed = optionalInteger(flags, 'seed', 0);
  if (seed !== undefined) settings.seed = seed;
  const session = await openProjectFromFlags(flags);
  try {
    const r = await repairOn(session, { class: cls, feature: optionalString(flags, 'feature'), threshold, settings }, { onProgress, signal });
    const summary = repairSummary(r);
    const json = {
      class: r.class,
      className: r.className,
      feature: r.feature,
      removed: r.removed,
      before: r.before,
      after: r.after,
      change: summary.change,
      sentence: summary.sentence,
      candidates: r.candidates,
      probability: r.probability,
      lift: r.lift,
      images: r.images,
      seconds: r.seconds,
      cached: r.cached,
    };
    const rows = (['aligned', 'conflicting', 'clean'] as const).map((k) => [k, percent(r.before[k]), percent(r.after[k])]);
    const text = [
      `repair of class ${r.class} (${r.className}) against feature ${r.feature}: p(${r.className}) ${r.probability.clean.toFixed(3)} → ${r.probability.withFeature.toFixed(3)} with it (${r.images.search} training images), ${seconds(r.seconds)}${r.cached ? ' (cached)' : ''}`,
      r.removed.length
        ? `removed ${r.removed.map((n) => `${n.id} (share of p_c ${(n.shareGrowth >= 0 ? '+' : '') + n.shareGrowth.toFixed(2)} with the feature)`).join(', ')}: lift of p(${r.className}) ${r.lift.before.toFixed(3)} → ${r.lift.after.toFixed(3)}`
        : `no channel's share of p(${r.className}) grows by more than ${r.threshold} with the feature: nothing removed`,
      table(rows, [`accuracy on ${r.images.evaluation} held-out images`, 'before', 'after']),
      summary.sentence,
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
