/**
 * S3 (METHODS §4): the CE-map and adversarial-detection runs stored in the project (`causeway cemap`,
 * `causeway adversarial`, or the app's Pixel effects view), as stored: CE vs Grad-CAM agreement and
 * faithfulness, attack success and the detection AUROC of each CE-map statistic beside its rival,
 * the max-softmax confidence, with one sentence per attack saying whether CE detects more, less or
 * indistinguishably (paired DeLong interval; runs stored before issue 16 lack it).
 */
import { fixed, pct } from '../format.js';
import { type Cell, note, table } from '../html.js';
import type { StoredPixelEffects } from '../stored-results.js';

export interface CemapRow {
  images: number;
  grid: number;
  fill: string;
  layer: string;
  accuracy: number;
  medianGradcamSpearman: number | null;
  deletionAuc: { ce: number | null; gradcam: number | null; random: number | null };
  insertionAuc: { ce: number | null; gradcam: number | null; random: number | null };
}

export interface AdversarialRow {
  attack: string;
  eps: number;
  images: number;
  attackSuccess: number | null;
  auroc: { mass: number | null; max: number | null; entropy: number | null };
  /** One-sided AUROC of the rival, 1 − max softmax (null for runs stored before issue 16). */
  confidenceAuroc: number | null;
  /** Two-sided CE mass vs confidence: verdict and its sentence. */
  verdict: string | null;
  sentence: string | null;
}

export interface PixelEffectsData {
  maps: CemapRow[];
  attacks: AdversarialRow[];
}

export function pixelEffectsData(stored: StoredPixelEffects): PixelEffectsData {
  return {
    maps: stored.maps.map(({ value: { settings, summary } }) => ({
      images: summary.images,
      grid: settings.grid,
      fill: settings.fill,
      layer: settings.layer,
      accuracy: summary.accuracy,
      medianGradcamSpearman: summary.medianGradcamSpearman,
      deletionAuc: summary.meanDeletionAuc,
      insertionAuc: summary.meanInsertionAuc,
    })),
    attacks: stored.attacks.map(({ value: r }) => ({
      attack: r.settings.attack,
      eps: r.settings.eps,
      images: r.n,
      attackSuccess: r.attackSuccess,
      auroc: { mass: r.auroc.mass ?? null, max: r.auroc.max ?? null, entropy: r.auroc.entropy ?? null },
      confidenceAuroc: r.detection?.scores.find((x) => x.name === 'low-confidence')?.oneSided.estimate ?? null,
      verdict: r.detection?.primary.verdict ?? null,
      sentence: r.detection ? `${r.detection.oneSidedPrimary.sentence} ${r.detection.primary.sentence}` : null,
    })),
  };
}

export function pixelEffectsHtml(d: PixelEffectsData): string {
  if (d.maps.length === 0 && d.attacks.length === 0) {
    return note('No CE maps stored yet: npm run causeway -- cemap --project DIR (or the app’s Pixel effects view).', 'missing');
  }
  const maps = d.maps.map((m): Cell[] => [
    m.images,
    `${m.grid}×${m.grid}, ${m.fill}`,
    m.layer,
    pct(m.accuracy),
    fixed(m.medianGradcamSpearman),
    `${fixed(m.deletionAuc.ce)} / ${fixed(m.deletionAuc.gradcam)} / ${fixed(m.deletionAuc.random)}`,
    `${fixed(m.insertionAuc.ce)} / ${fixed(m.insertionAuc.gradcam)} / ${fixed(m.insertionAuc.random)}`,
  ]);
  const attacks = d.attacks.map((a): Cell[] => [
    a.attack.toUpperCase(),
    `${a.eps}/255`,
    a.images,
    pct(a.attackSuccess),
    fixed(a.auroc.mass),
    fixed(a.auroc.max),
    fixed(a.auroc.entropy),
    fixed(a.confidenceAuroc),
    a.verdict ?? '—',
  ]);
  const sentences = d.attacks.filter((a) => a.sentence).map((a) => note(`${a.attack.toUpperCase()} ${a.eps}/255: ${a.sentence}`));
  return [
    maps.length
      ? table(['images', 'grid, fill', 'Grad-CAM layer', 'accuracy', 'Spearman CE vs Grad-CAM', 'deletion AUC CE / GC / random', 'insertion AUC CE / GC / random'], maps, {
          numeric: [0, 3, 4],
          caption: 'CE maps: median per-image Spearman between the CE map and Grad-CAM; mean deletion (lower = more faithful) and insertion (higher) AUC of p_c',
          className: 'cemap-runs',
        })
      : '',
    attacks.length
      ? table(['attack', 'ε', 'images', 'attack success', 'AUROC mass', 'AUROC max', 'AUROC entropy', 'AUROC 1 − max softmax (rival)', 'CE mass vs rival, two-sided'], attacks, {
          numeric: [2, 3, 4, 5, 6, 7],
          caption:
            'Adversarial detection: success on correctly classified images; AUROC of each CE-map statistic separating adversarial from clean images (0.5 = chance, below 0.5 = the statistic falls under attack), beside the plain confidence score; the verdict compares CE mass with it as two-sided detectors calibrated on held-out clean images',
          className: 'adversarial-runs',
        }) + sentences.join('')
      : '',
  ].join('');
}
