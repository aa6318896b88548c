/**
 * `causeway cemap --project DIR [--images N] [--grid G] [--fill zero|mean|blur] [--layer NAME] [--seed S] [--json]`:
 * pixel-level causal-effect maps vs Grad-CAM on a stratified sample of the project's images (METHODS §4).
 */
import { z } from 'zod';
import { cemapSettingsSchema } from '../../../shared/features/pixel-effects.js';
import type { CemapRequest } from '../../causal-effect/cemap-settings.js';
import type { ProgressListener } from '../../util/progress.js';
import { cemapReport } from '../../features/pixel-effects/pixel-effects-service.js';
import { seconds, table } from '../format.js';
import type { Flags } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import { flagsOf, parseFlags } from '../schema-flags.js';

export const cemapUsage = 'cemap --project DIR [--images N] [--grid G] [--fill zero|mean|blur] [--layer NAME] [--seed S] [--json]';

/** The app's CE-map settings (same limits) plus the Grad-CAM layer, which the CLI may choose. */
const cemapFlagsSchema = cemapSettingsSchema.extend({ layer: z.string().min(1).max(200).optional() });
export const cemapValues = flagsOf(cemapFlagsSchema);

export function cemapRequestFrom(flags: Flags): CemapRequest {
  return parseFlags(cemapFlagsSchema, flags);
}

export const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export async function cemapCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const request = cemapRequestFrom(flags);
  const session = await openProjectFromFlags(flags);
  try {
    const report = await cemapReport(session, request, { onProgress, signal });
    const { settings, summary } = report;
    const json = {
      settings: report.settings,
      images: report.images.map((im) => ({
        index: im.index,
        label: im.label,
        cls: im.predicted,
        probability: im.probability,
        map: im.ce,
        ece: im.ece,
        gradcam: im.gradcam,
        gradcamSpearman: im.gradcamSpearman,
        deletionAuc: im.deletionAuc,
        insertionAuc: im.insertionAuc,
        statistics: im.statistics,
        featureCe: im.featureCe,
        featureGradcamSpearman: im.featureGradcamSpearman,
      })),
      summary,
      seconds: report.seconds,
    };
    const text = [
      `CE maps (${settings.grid}×${settings.grid} grid, fill ${settings.fill}) vs Grad-CAM on ${settings.layer}, ${summary.images} images, ${seconds(report.seconds)}`,
      `model accuracy on these images ${(summary.accuracy * 100).toFixed(1)}%`,
      `Spearman(CE, Grad-CAM): median ${fmt(summary.medianGradcamSpearman)}, mean ${fmt(summary.meanGradcamSpearman)} (${summary.undefinedSpearman} undefined: a constant map)`,
      `feature level: median Spearman(channel CE, Grad-CAM weight) ${fmt(summary.medianFeatureGradcamSpearman)}`,
      '',
      table(
        [
          ['CE', fmt(summary.meanDeletionAuc.ce), fmt(summary.meanInsertionAuc.ce)],
          ['Grad-CAM', fmt(summary.meanDeletionAuc.gradcam), fmt(summary.meanInsertionAuc.gradcam)],
          ['random order', fmt(summary.meanDeletionAuc.random), fmt(summary.meanInsertionAuc.random)],
        ],
        ['map', 'deletion AUC ↓', 'insertion AUC ↑'],
      ),
      `CE deletes faster than Grad-CAM on ${(summary.ceWinsDeletion * 100).toFixed(1)}% of images`,
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
