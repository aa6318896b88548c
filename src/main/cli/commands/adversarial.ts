/**
 * `causeway adversarial --project DIR --attack fgsm|pgd --eps E [--images N] [--grid G] [--fill …] [--layer NAME] [--seed S] [--json]`:
 * attacks the sample (L∞, ε = E/255 of the input range; PGD 10 steps of ε/4 from a seeded random start)
 * and measures how well CE-map statistics tell successful adversarial images from clean ones (METHODS §4).
 */
import { attackSchema } from '../../../shared/features/pixel-effects.js';
import { STATISTICS } from '../../causal-effect/map-statistics.js';
import type { ProgressListener } from '../../util/progress.js';
import { adversarialReport } from '../../features/pixel-effects/pixel-effects-service.js';
import { percent, seconds, table } from '../format.js';
import type { Flags } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import { flagsOf, parseFlags } from '../schema-flags.js';
import { cemapRequestFrom, cemapValues, fmt } from './cemap.js';

/** The attack flags (--attack, --eps, --steps): the app's attack schema, the same limits. */
export const adversarialValues = [...cemapValues, ...flagsOf(attackSchema)];

export const adversarialUsage =
  'adversarial --project DIR --attack fgsm|pgd --eps E (E/255 of the input range) [--steps 10] [--images N] [--grid G] [--fill zero|mean|blur] [--layer NAME] [--seed S] [--json]';

export async function adversarialCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const request = { ...cemapRequestFrom(flags), ...parseFlags(attackSchema, flags) };
  const session = await openProjectFromFlags(flags);
  try {
    const r = await adversarialReport(session, request, { onProgress, signal });
    const json = {
      attackSuccess: r.attackSuccess,
      auroc: r.auroc,
      n: r.n,
      cleanCorrect: r.cleanCorrect,
      successes: r.successes,
      cleanAccuracy: r.cleanAccuracy,
      adversarialAccuracy: r.adversarialAccuracy,
      meanStatistics: r.meanStatistics,
      detection: r.detection,
      roc: r.roc,
      settings: r.settings,
      seconds: r.seconds,
    };
    const s = r.settings;
    const text = [
      `${s.attack.toUpperCase()} ε = ${s.eps}/255 of the input range${s.attack === 'pgd' ? `, ${s.steps} steps of ε/4, random start (seed ${s.seed})` : ''}, ${r.n} images, ${seconds(r.seconds)}`,
      `clean accuracy ${percent(r.cleanAccuracy)} → adversarial ${percent(r.adversarialAccuracy)}; attack success ${percent(r.attackSuccess ?? NaN)} (${r.successes} of ${r.cleanCorrect} correct images)`,
      '',
      `detection by CE-map statistics (${s.grid}×${s.grid}, fill ${s.fill}): successful adversarial vs clean correct images`,
      table(
        STATISTICS.map((name) => [name, fmt(r.meanStatistics.clean[name]), fmt(r.meanStatistics.adversarial[name]), fmt(r.auroc[name])]),
        ['statistic', 'mean clean', 'mean adversarial', 'AUROC'],
      ),
      'AUROC < 0.5: the statistic falls under attack (the flipped detector scores 1 − AUROC).',
      '',
      'against the plain confidence score (two-sided: distance from the clean images, calibrated on held-out clean images; 95% DeLong intervals):',
      table(
        r.detection.scores.map((d) => [d.label, fmt(d.oneSided.estimate), d.twoSided.estimate === null ? '—' : `${fmt(d.twoSided.estimate)} [${fmt(d.twoSided.lo)}, ${fmt(d.twoSided.hi)}]`]),
        ['score', 'AUROC one-sided', 'AUROC two-sided'],
      ),
      r.detection.oneSidedPrimary.sentence,
      r.detection.primary.sentence,
    ].join('\n');
    return { json, text };
  } finally {
    session.close();
  }
}
