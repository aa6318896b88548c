/** Model and dataset summary: what was analysed, how it was preprocessed, on which backend, and the headline accuracy. */
import type { Preprocessing } from '../../data/preprocessing.js';
import { count, pct, utc } from '../format.js';
import { esc, facts, mono } from '../html.js';
import type { StoredResults } from '../stored-results.js';

export interface SummaryData {
  model: { path: string; name: string; format: string; params: number; inputShape: number[]; numClasses: number; nodeLayers: { name: string; kind: string; channels: number }[] };
  dataset: { path: string; name: string; format: string; images: number; imageShape: number[]; classes: string[]; split: string | null };
  preprocessing: Preprocessing;
  /** The backend of the process that made the report (stored results do not record theirs). */
  backend: { name: string; reason: string; skipped: { name: string; why: string }[] };
  build: {
    phi: string;
    regressor: string;
    augment: number;
    augmentImages: number;
    limit: number | null;
    seed: number;
    evalFraction: number;
    batchSize: number;
    fittedAt: string;
    settingsHash: string;
    current: boolean;
    createdWith: string;
  };
  accuracy: { model: number; scm: number; evaluationImages: number };
}

export function summaryData(r: StoredResults): SummaryData {
  const s = r.build.settings;
  return {
    model: {
      path: r.settings.modelPath,
      name: r.model.name,
      format: r.model.format,
      params: r.model.params,
      inputShape: r.model.inputShape,
      numClasses: r.model.numClasses,
      nodeLayers: r.layers.map((l) => ({ name: l.name, kind: l.kind, channels: l.channels })),
    },
    dataset: {
      path: r.dataset.path,
      name: r.dataset.name,
      format: r.dataset.format,
      images: r.dataset.count,
      imageShape: [r.dataset.height, r.dataset.width, r.dataset.channels],
      classes: r.dataset.classNames,
      split: r.settings.split ?? null,
    },
    preprocessing: r.settings.preprocessing,
    backend: { name: r.model.backend.name, reason: r.model.backend.reason, skipped: r.model.backend.skipped },
    build: {
      phi: s.phi,
      regressor: s.regressor,
      augment: s.augment,
      augmentImages: s.augmentImages,
      limit: s.limit ?? null,
      seed: s.seed,
      evalFraction: s.evalFraction,
      batchSize: s.batchSize,
      fittedAt: r.build.fittedAt,
      settingsHash: r.build.equationsKey,
      current: r.build.current,
      createdWith: r.settings.createdWith,
    },
    accuracy: { model: r.build.validation.modelAccuracy, scm: r.build.validation.scmAccuracy, evaluationImages: r.build.validation.evaluationImages },
  };
}

/** `x/255`, `(x/255 − mean) / std`, resize: the formula a pixel goes through. */
export function preprocessingText(p: Preprocessing): string {
  const inverse = 1 / p.scale;
  const scaled = Math.abs(inverse - Math.round(inverse)) < 1e-9 ? `x/${Math.round(inverse)}` : `x*${p.scale}`;
  let text = p.mean || p.std ? `(${scaled}${p.mean ? ` - [${p.mean.join(', ')}]` : ''})${p.std ? ` / [${p.std.join(', ')}]` : ''}` : scaled;
  if (p.channels) text += `, ${p.channels} channel(s)`;
  if (p.resize) text += `, resized to ${p.resize[0]}x${p.resize[1]}`;
  return text;
}

export function summaryHtml(d: SummaryData): string {
  const b = d.build;
  const headline = `<div class="headline">
    <div><span class="big">${esc(pct(d.accuracy.model))}</span><span>model accuracy</span></div>
    <div><span class="big">${esc(pct(d.accuracy.scm))}</span><span>SCM accuracy (chained)</span></div>
    <div><span class="big">${esc(count(d.accuracy.evaluationImages))}</span><span>held-out images</span></div>
  </div>`;
  const model = facts([
    ['Model', `${d.model.name} (${d.model.format})`],
    ['File', mono(d.model.path)],
    ['Parameters', count(d.model.params)],
    ['Input', d.model.inputShape.join(' x ')],
    ['Classes', String(d.model.numClasses)],
    ['Node layers', d.model.nodeLayers.map((l) => `${l.name} (${l.kind}, ${l.channels})`).join(', ')],
  ]);
  const dataset = facts([
    ['Dataset', `${d.dataset.name} (${d.dataset.format}${d.dataset.split ? `, ${d.dataset.split} split` : ''})`],
    ['File', mono(d.dataset.path)],
    ['Images', `${count(d.dataset.images)} of ${d.dataset.imageShape.join(' x ')}`],
    ['Class names', d.dataset.classes.join(', ')],
    ['Preprocessing', mono(preprocessingText(d.preprocessing))],
  ]);
  const build = facts([
    ['Transform φ', b.phi],
    ['Structural equations', b.regressor],
    ['Images used', b.limit === null ? 'all' : `${count(b.limit)} (stratified, seed ${b.seed})`],
    ['Held-out share', pct(b.evalFraction, 0)],
    ['Augmentation', b.augment > 0 && b.augmentImages > 0 ? `${pct(b.augment, 0)} of a layer's channels zeroed, on at most ${count(b.augmentImages)} training images per layer` : 'off'],
    ['Seed / batch size', `${b.seed} / ${b.batchSize}`],
    ['Equations fitted', utc(b.fittedAt)],
    ['Settings hash', mono(b.settingsHash)],
    ['Project created with', `Causeway ${b.createdWith}`],
  ]);
  // The reason already says why the faster backends were passed over.
  const backend = `<p class="backend"><b>Backend</b> ${esc(d.backend.name)}: ${esc(d.backend.reason)}. <span class="muted">(the backend of the process that made this report; the stored results do not record the one that computed them)</span></p>`;
  return [
    headline,
    `<div class="columns"><div>${model}</div><div>${dataset}</div></div>`,
    backend,
    '<h3>Build settings</h3>',
    build,
  ].join('');
}
