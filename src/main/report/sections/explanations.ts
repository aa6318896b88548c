/**
 * S2 (METHODS §3): the class explanatory graphs and repairs stored in the project (`causeway graph`,
 * `causeway repair`, or the app's "Explain class…"), each as it was stored: size, stability and
 * faithfulness against the baselines, and the repair's accuracy on bias-aligned and bias-conflicting
 * images before and after, with each accuracy's paired change on the same images.
 */
import type { ExplainRepairResult, PairedAccuracyChange } from '../../../shared/analysis.js';
import { fixed, pct, utc } from '../format.js';
import { type Cell, note, table } from '../html.js';
import type { StoredExplanations } from '../stored-results.js';
import { pValueText, repairSummary } from '../../features/explain/repair-summary.js';

export interface ExplanationRow {
  class: number;
  className: string;
  storedAt: string;
  images: number;
  nodes: number;
  edges: number;
  jaccard: number | null;
  spearman: number | null;
  sufficiency: number;
  necessity: number;
  baselines: { name: string; jaccard: number | null; sufficiency: number; necessity: number }[];
  /** The graph beside Grad-CAM in plain words (absent in graphs stored before issue 16). */
  rivals: string[];
}

export interface RepairRow {
  class: number;
  className: string;
  storedAt: string;
  removed: string[];
  before: { aligned: number; conflicting: number };
  after: { aligned: number; conflicting: number };
  /** After − before on the same images, paired 95% interval and McNemar p (null for repairs stored before it). */
  change: ExplainRepairResult['change'];
  /** The result in words, with Wilson 95% and paired intervals (as the app shows it). */
  sentence: string;
}

export interface ExplanationsData {
  graphs: ExplanationRow[];
  repairs: RepairRow[];
}

export function explanationsData(stored: StoredExplanations): ExplanationsData {
  return {
    graphs: stored.graphs.map(({ createdAt, value: g }) => ({
      class: g.class,
      className: g.className,
      storedAt: createdAt,
      images: g.images,
      nodes: g.nodes.length,
      edges: g.edges.length,
      jaccard: g.stability.jaccard,
      spearman: g.stability.spearman,
      sufficiency: g.faithfulness.sufficiency,
      necessity: g.faithfulness.necessity,
      baselines: g.faithfulness.baselines.map((b) => ({
        name: b.name,
        jaccard: g.stability.baselines.find((s) => s.name === b.name)?.jaccard ?? null,
        sufficiency: b.sufficiency,
        necessity: b.necessity,
      })),
      rivals: (g.rivals ?? []).map((r) => r.sentence),
    })),
    repairs: stored.repairs.map(({ createdAt, value: r }) => {
      const summary = repairSummary(r);
      return {
        class: r.class,
        className: r.className,
        storedAt: createdAt,
        removed: r.removed.map((n) => n.id),
        before: { aligned: r.before.aligned, conflicting: r.before.conflicting },
        after: { aligned: r.after.aligned, conflicting: r.after.conflicting },
        change: summary.change,
        sentence: summary.sentence,
      };
    }),
  };
}

/** A paired change as `+22 [12, 31] pp, p < 0.001`, or `—` for a repair stored before it. */
function changeCell(c: PairedAccuracyChange | undefined): string {
  if (!c) return '—';
  const pp = (x: number) => (100 * x).toFixed(1);
  return `${c.difference > 0 ? '+' : ''}${pp(c.difference)} [${pp(c.interval[0])}, ${pp(c.interval[1])}] pp, ${pValueText(c.p)}`;
}

export function explanationsHtml(d: ExplanationsData): string {
  if (d.graphs.length === 0 && d.repairs.length === 0) {
    return note('No explanatory graph stored yet: npm run causeway -- graph --project DIR --class C (or "Explain class…" in the app).', 'missing');
  }
  const graphs = d.graphs.map((g): Cell[] => [
    g.className,
    utc(g.storedAt),
    g.images,
    `${g.nodes} / ${g.edges}`,
    fixed(g.jaccard),
    fixed(g.spearman),
    fixed(g.sufficiency),
    fixed(g.necessity),
  ]);
  const baselines = d.graphs.flatMap((g) =>
    g.baselines.map((b): Cell[] => [g.className, b.name, fixed(b.jaccard), fixed(b.sufficiency), fixed(b.necessity)]),
  );
  const repairs = d.repairs.map((r): Cell[] => [
    r.className,
    utc(r.storedAt),
    r.removed.join(', ') || 'none',
    pct(r.before.aligned),
    pct(r.before.conflicting),
    pct(r.after.aligned),
    pct(r.after.conflicting),
    changeCell(r.change?.conflicting),
    changeCell(r.change?.aligned),
  ]);
  return [
    graphs.length
      ? table(['class', 'stored', 'images', 'nodes / edges', 'Jaccard', 'Spearman', 'sufficiency', 'necessity'], graphs, {
          numeric: [2, 4, 5, 6, 7],
          caption: 'Stability across bootstrap resamples and input noise (Jaccard of node sets, Spearman of effects); faithfulness as p_c when only the graph’s channels are kept (sufficiency) or removed (necessity)',
          className: 'explanations',
        })
      : '',
    baselines.length
      ? table(['class', 'baseline channel set (same size)', 'Jaccard', 'sufficiency', 'necessity'], baselines, {
          numeric: [2, 3, 4],
          caption: 'The same measures for the baselines’ channel sets of equal size (Grad-CAM weights, gradient × activation, Taylor, random)',
          className: 'explanation-baselines',
        }) + d.graphs.flatMap((g) => g.rivals.map((s) => note(`${g.className}: ${s}`))).join('')
      : '',
    repairs.length
      ? table(['class', 'stored', 'removed channels', 'aligned before', 'conflicting before', 'aligned after', 'conflicting after', 'conflicting change', 'aligned change'], repairs, {
          numeric: [3, 4, 5, 6],
          caption:
            'Repair: accuracy on bias-aligned and bias-conflicting held-out images before and after removing the channels that carry the spurious feature; ' +
            'each change is after − before on the same images, with its paired 95% interval (Newcombe) and exact McNemar p',
          className: 'repairs',
        }) + d.repairs.map((r) => note(`${r.className}: ${r.sentence}`)).join('')
      : '',
  ].join('');
}
