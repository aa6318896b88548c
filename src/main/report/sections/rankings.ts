/**
 * Filter rankings: per layer the most and least important filters by SCM importance (the paper's
 * Table 7: accuracy drop under do(r = 0), ties by margin drop), and — when the project is evaluated —
 * every criterion's top filters beside the true single-filter ablation, with its per-layer fidelity.
 */
import { fixed, pts, sig } from '../format.js';
import { type Cell, esc, note, table } from '../html.js';
import type { StoredResults } from '../stored-results.js';
import type { ScmFidelityDto } from '../../../shared/fidelity.js';
import { fidelityLinesHtml, storedFidelity } from '../fidelity-lines.js';

export const rankedPerSide = 3;

export function evaluateCommandFor(dir: string): string {
  return `npm run causeway -- evaluate --project ${dir}`;
}

export interface RankEntry {
  /** 1 = most important. */
  rank: number;
  channel: number;
  /** The SCM's ordering key: its predicted drop in mean true-class margin. */
  importance: number;
  marginDrop: number;
  /** The SCM's predicted accuracy drop, reported beside the margin (absent in rankings stored before it was). */
  accuracyDrop?: number;
}

export interface CriterionTop {
  name: string;
  label: string;
  /** The criterion's most important channels, best first (ties by channel index). */
  top: number[];
  spearman: number;
  kendall: number;
  precisionAt10: number;
}

export interface LayerRankingData {
  name: string;
  channels: number;
  most: RankEntry[];
  /** Least important first. */
  least: RankEntry[];
  /** With an evaluation: the truth's split-half reliability in this layer (the ceiling of every ρ). */
  truthReliability?: number;
  /** With an evaluation: the true ablation's top filters, then every criterion. */
  truthTop?: { channel: number; accuracyDrop: number; marginDrop: number }[];
  criteria?: CriterionTop[];
}

export interface RankingsData {
  /** Set when the project has no stored ranking: the command that makes one. */
  missing: string | null;
  evaluated: boolean;
  /** Set when the project has no evaluation: the command that makes one. */
  evaluateCommand: string | null;
  layers: LayerRankingData[];
  /** The SCM ranking's ρ with the truth (interval, noise ceiling, best baseline) and the drops' agreement. */
  fidelity?: Pick<ScmFidelityDto, 'ranking' | 'surrogate' | 'notEvaluated'>;
}

export function rankingsData(r: StoredResults): RankingsData {
  const evaluateCommand = r.evaluation ? null : evaluateCommandFor(r.dir);
  if (!r.ranking) return { missing: `npm run causeway -- rank --project ${r.dir}`, evaluated: false, evaluateCommand, layers: [] };
  const evaluation = r.evaluation?.report;
  const { ranking, surrogate, notEvaluated } = storedFidelity(r);
  return {
    missing: null,
    evaluated: evaluation !== undefined,
    evaluateCommand,
    fidelity: { ranking, surrogate, notEvaluated },
    layers: r.ranking.map((layer) => {
      const entries = layer.ranking.map((c, i) => ({ rank: i + 1, channel: c.channel, importance: c.importance, marginDrop: c.marginDrop, ...(c.accuracyDrop === undefined ? {} : { accuracyDrop: c.accuracyDrop }) }));
      const data: LayerRankingData = {
        name: layer.name,
        channels: entries.length,
        most: entries.slice(0, rankedPerSide),
        least: entries.slice(-rankedPerSide).reverse(),
      };
      const evaluated = evaluation?.layers.find((l) => l.name === layer.name);
      if (evaluated) {
        const { accuracyDrop, marginDrop } = evaluated.truth;
        data.truthReliability = evaluated.truth.reliability?.reliability ?? Number.NaN;
        data.truthTop = order(marginDrop.map((m) => [m]))
          .slice(0, rankedPerSide)
          .map((k) => ({ channel: k, accuracyDrop: accuracyDrop[k], marginDrop: marginDrop[k] }));
        data.criteria = evaluated.criteria.map((c) => ({
          name: c.name,
          label: evaluation!.criteria.find((s) => s.name === c.name)?.label ?? c.name,
          top: order(c.scores.map((s) => [s])).slice(0, rankedPerSide),
          spearman: c.spearman,
          kendall: c.kendall,
          precisionAt10: c.precisionAt10,
        }));
      }
      return data;
    }),
  };
}

/** Channel indices by descending keys (lexicographic), ties by ascending index: display order only. */
function order(keys: number[][]): number[] {
  return keys
    .map((key, channel) => ({ key, channel }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
      return a.channel - b.channel;
    })
    .map((x) => x.channel);
}

function entryCell(e: RankEntry | undefined): Cell {
  if (!e) return '';
  const accuracy = e.accuracyDrop === undefined ? '' : ` · acc ${esc(pts(e.accuracyDrop))}`;
  return { html: `<b>#${e.channel}</b><br><small>m ${esc(sig(e.marginDrop, 3))}${accuracy}</small>` };
}

const layersPerTable = 5;

export function rankingsHtml(d: RankingsData): string {
  if (d.missing) return note(`No filter ranking stored for this build. Make one with: ${d.missing}`, 'missing');
  const n = rankedPerSide;
  const scm = table(
    ['layer', 'filters', ...Array.from({ length: n }, (_, i) => `most ${i + 1}`), ...Array.from({ length: n }, (_, i) => `least ${i + 1}`)],
    d.layers.map((l) => [l.name, l.channels, ...pad(l.most, n).map(entryCell), ...pad(l.least, n).map(entryCell)]),
    { caption: 'SCM importance: filter #, SCM accuracy drop when it is zeroed (pt) and drop of the mean true-class margin (m)', className: 'ranking', numeric: [1] },
  );
  const parts = [scm];
  if (d.fidelity && d.evaluated) parts.push(fidelityLinesHtml([d.fidelity.ranking, d.fidelity.surrogate]));
  if (!d.evaluated) {
    parts.push(note(`Other criteria and their fidelity appear here once the project is evaluated: ${d.evaluateCommand}`, 'missing'));
    return parts.join('');
  }
  // Tables of at most `layersPerTable` layers, as even as possible (6 layers: 3 + 3, not 5 + 1).
  const perTable = Math.ceil(d.layers.length / Math.ceil(d.layers.length / layersPerTable));
  for (let i = 0; i < d.layers.length; i += perTable) {
    const group = d.layers.slice(i, i + perTable).filter((l) => l.criteria);
    // Union over the group: a merge layer has no weight-norm or |γ| criterion, the convs beside it do.
    const names = [...new Set(group.flatMap((l) => l.criteria!.map((c) => c.name)))];
    const labelOf = (name: string) => group.flatMap((l) => l.criteria!).find((c) => c.name === name)!.label;
    const truthRow: Cell[] = [
      'true ablation',
      ...group.map((l) => ({
        html: `<b>${esc(l.truthTop!.map((t) => `#${t.channel}`).join(' '))}</b><br><small>margin ${esc(l.truthTop!.map((t) => fixed(t.marginDrop, 2)).join(', '))} · reliability ${esc(fixed(l.truthReliability, 2))}</small>`,
      })),
    ];
    const rows = names.map((name): Cell[] => [
      labelOf(name),
      ...group.map((l): Cell => {
        const c = l.criteria!.find((x) => x.name === name);
        return c ? { html: `<b>${esc(c.top.map((k) => `#${k}`).join(' '))}</b><br><small>ρ ${esc(fixed(c.spearman, 2))} · τ ${esc(fixed(c.kendall, 2))} · P ${esc(fixed(c.precisionAt10, 2))}</small>` } : '—';
      }),
    ]);
    parts.push(
      table(['criterion', ...group.map((l) => l.name)], [truthRow, ...rows], {
        caption: `Criteria side by side${d.layers.length > layersPerTable ? ` (layers ${i + 1}–${i + group.length})` : ''}: top ${n} filters per layer (true ablation: by margin drop, with the truth's split-half reliability, the ceiling of ρ); ρ, τ: Spearman and Kendall vs true ablation; P: precision@10%`,
        className: 'criteria',
      }),
    );
  }
  return parts.join('');
}

function pad<T>(xs: T[], n: number): (T | undefined)[] {
  return Array.from({ length: n }, (_, i) => xs[i]);
}
