/** Model and dataset summary: what was analysed, how it was preprocessed, on which backend, and the headline accuracy. */
import type { Preprocessing } from '../../data/preprocessing.js';
import { count, pct, utc } from '../format.js';
import { esc, facts, mono } from '../html.js';
import type { StoredResults } from '../stored-results.js';
import type { ScmFidelityDto } from '../../../shared/fidelity.js';
import { fidelityLinesHtml, storedFidelity } from '../fidelity-lines.js';

export interface SummaryData {
  model: { path: string; name: string; format: string; params: number; inputShape: number[]; numClasses: number; nodeLayers: { name: string; kind: string; channels: number }[] };
  dataset: { path: string; name: string; format: string; images: number; imageShape: number[]; classes: string[]; split: string | null };
  preprocessing: Preprocessing;
  /** The TensorFlow.js backend of the process that made the report (gradients, and forward work on tfjs). */
  backend: { name: string; reason: string; skipped: { name: string; why: string }[] };
  /** The forward engine of the process that made the report. */
  engine: { name: string; reason: string };
  /** The engine recorded with each stored build and artifact, counted per kind. */
  storedEngines: StoredResults['engines'];
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
  /** Beside the headline SCM accuracy: the chained gap, and the ranking's ρ once evaluated. */
  fidelity: Pick<ScmFidelityDto, 'chained' | 'ranking' | 'notEvaluated'>;
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
    engine: { name: r.model.engine.name, reason: r.model.engine.reason },
    storedEngines: r.engines,
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
    fidelity: (({ chained, ranking, notEvaluated }) => ({ chained, ranking, notEvaluated }))(storedFidelity(r)),
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
  // The reasons already say why the faster engines and backends were passed over.
  const backend = [
    `<p class="backend"><b>Engine</b> ${esc(engineLabel(d.engine.name))}: ${esc(d.engine.reason)}. <b>TensorFlow.js backend</b> ${esc(d.backend.name)}: ${esc(d.backend.reason)}. <span class="muted">(this process)</span></p>`,
    `<p class="backend"><b>Stored results by engine</b> ${esc(storedEnginesText(d.storedEngines))}</p>`,
  ].join('');
  return [
    headline,
    fidelityLinesHtml([d.fidelity.chained, d.fidelity.ranking], d.fidelity.notEvaluated),
    `<div class="columns"><div>${model}</div><div>${dataset}</div></div>`,
    backend,
    '<h3>Build settings</h3>',
    build,
  ].join('');
}

const engineLabels: Record<string, string> = { ort: 'ONNX Runtime (ort)', tfjs: 'TensorFlow.js (tfjs)', unrecorded: 'not recorded (stored before engines were recorded)' };

function engineLabel(name: string): string {
  return engineLabels[name] ?? name;
}

/** "ONNX Runtime (ort): builds phi ×3; artifacts scm, ranking ×2. TensorFlow.js (tfjs): …" */
export function storedEnginesText(tally: SummaryData['storedEngines']): string {
  if (tally.length === 0) return 'nothing stored yet.';
  const engines = [...new Set(tally.map((t) => t.engine))].sort();
  return engines
    .map((engine) => {
      const part = (what: 'build' | 'artifact') =>
        tally
          .filter((t) => t.engine === engine && t.what === what)
          .map((t) => (t.count > 1 ? `${t.kind} ×${t.count}` : t.kind))
          .join(', ');
      const builds = part('build');
      const artifacts = part('artifact');
      return `${engineLabel(engine)}: ${[builds && `builds ${builds}`, artifacts && `results ${artifacts}`].filter(Boolean).join('; ')}.`;
    })
    .join(' ');
}
