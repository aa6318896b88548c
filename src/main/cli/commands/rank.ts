/**
 * `causeway rank --project DIR [--layer NAME] [--mode counterfactual|interventional] [--json]`: filters
 * ranked per layer by the SCM's drop in mean true-class margin under do(r = 0) (counterfactual by
 * default), the accuracy drop beside it.
 */
import { latestBuild } from '../../scm/latest-build.js';
import { describeQueryMode } from '../../scm/query-mode.js';
import { rankingArtifact } from '../../scm/artifacts.js';
import { type LayerRanking, rankFilters } from '../../scm/rankings.js';
import { readArtifact } from '../../store/artifact-kind.js';
import { table } from '../format.js';
import { type Flags, optionalString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import { queryModeFrom } from '../query-mode.js';
import type { ProjectSession } from '../../project/project-session.js';
import { ProjectStore } from '../../store/project-store.js';
import { buildFidelity } from '../../features/build/build-fidelity.js';
import { cachedEvaluation } from '../../features/rankings/rankings-extension.js';
import { evaluateHowFor, fidelityText, fidelityWarnings } from '../fidelity-output.js';

/** Caches the ranking; where the project cannot be written, the ranking is still shown and a warning names the file. */
function storeRanking(session: ProjectSession, key: string, ranking: LayerRanking[]): void {
  try {
    if (!session.store.readonly) {
      session.store.putArtifact(rankingArtifact.name, key, ranking);
      return;
    }
    const writable = ProjectStore.open(session.dir, { verify: false });
    try {
      writable.putArtifact(rankingArtifact.name, key, ranking);
    } finally {
      writable.close();
    }
  } catch (error) {
    process.stderr.write(`causeway rank: warning: the ranking was not cached: ${(error as Error).message}\n`);
  }
}

export const rankUsage = 'rank --project DIR [--layer NAME] [--mode counterfactual|interventional] [--json]';

export async function rankCommand(flags: Flags) {
  const mode = queryModeFrom(flags);
  // Read-only until there is something to store: a cached ranking is read in a read-only folder too.
  const session = await openProjectFromFlags(flags, { readonly: true });
  try {
    const built = await latestBuild(session);
    const only = optionalString(flags, 'layer');
    const layers = built.scm.layers.filter((l) => l.kind !== 'logits' && (!only || l.name === only)).map((l) => l.name);
    if (only && layers.length === 0) throw new Error(`no ranked node layer named ${only}; layers: ${built.scm.layers.map((l) => l.name).join(', ')}`);
    const key = rankingArtifact.key(built.keys.equations, built.keys.evaluation, mode);
    let all = readArtifact(session.store, rankingArtifact, built.keys.equations, built.keys.evaluation, mode);
    if (!all) {
      all = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels, { mode });
      storeRanking(session, key, all);
    }
    const chosen = all.filter((r) => layers.includes(r.name));
    // The ranking's measured fidelity (over all layers, as the app and the report show it).
    const evaluation = cachedEvaluation(session.store, built);
    const fidelity = buildFidelity(session, built, evaluateHowFor(session.dir), evaluation);
    const warnings = fidelityWarnings([fidelity.ranking]);
    // The evaluation measured one answer mode's ranking; asked for the other, say whose ρ this is.
    const measuredFor = fidelity.ranking ? (evaluation?.surrogate.mode ?? null) : null;
    const otherMode = measuredFor !== null && measuredFor !== mode ? ` (measured for the ${measuredFor} ranking, not this ${mode} one)` : '';
    const json = {
      method: 'scm',
      mode,
      modeDescription: describeQueryMode(mode, built.scm.phi),
      key: 'drop in mean true-class margin under do(r = 0); accuracy drop beside it (ties)',
      layers: chosen.map((r) => ({ name: r.name, ranking: r.ranking })),
      fidelity: {
        ranking: fidelity.evaluated ? (fidelity.ranking && { ...fidelity.ranking, measuredFor }) : ('notEvaluated' as const),
        notEvaluated: fidelity.notEvaluated,
      },
      warnings,
    };
    const pct = (x: number) => `${(x * 100).toFixed(2)} pt`;
    const text = [
      `SCM ranking, ${describeQueryMode(mode, built.scm.phi)}; ordered by the drop in mean true-class margin`,
      ...fidelityText([fidelity.ranking], fidelity.notEvaluated).map((l) => l + otherMode),
      ...chosen.map((r) => {
        const rows = r.ranking.length <= 6 ? r.ranking : [...r.ranking.slice(0, 3), ...r.ranking.slice(-3)];
        return `\n${r.name} (${r.ranking.length} filters; 3 most and 3 least important)\n${table(
          rows.map((c) => [c.channel, c.marginDrop.toFixed(4), pct(c.accuracyDrop)]),
          ['channel', 'margin drop', 'accuracy drop'],
        )}`;
      }),
    ].join('\n');
    return { json, text, warnings };
  } finally {
    session.close();
  }
}
