/** `causeway rank --project DIR [--layer NAME] [--json]`: filters ranked by SCM importance per layer. */
import { latestBuild } from '../../scm/latest-build.js';
import { rankFilters } from '../../scm/rankings.js';
import { combineHashes } from '../../store/hashing.js';
import { table } from '../format.js';
import { type Flags, optionalString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import type { LayerRanking } from '../../scm/rankings.js';
import type { ProjectSession } from '../../services/project-session.js';
import { ProjectStore } from '../../store/project-store.js';

/** Caches the ranking; where the project cannot be written, the ranking is still shown and a warning names the file. */
function storeRanking(session: ProjectSession, key: string, ranking: LayerRanking[]): void {
  try {
    if (!session.store.readonly) {
      session.store.putArtifact('ranking', key, ranking);
      return;
    }
    const writable = ProjectStore.open(session.dir, { verify: false });
    try {
      writable.putArtifact('ranking', key, ranking);
    } finally {
      writable.close();
    }
  } catch (error) {
    process.stderr.write(`causeway rank: warning: the ranking was not cached: ${(error as Error).message}\n`);
  }
}

export const rankUsage = 'rank --project DIR [--layer NAME] [--json]';

export async function rankCommand(flags: Flags) {
  // Read-only until there is something to store: a cached ranking is read in a read-only folder too.
  const session = await openProjectFromFlags(flags, { readonly: true });
  try {
    const built = await latestBuild(session);
    const only = optionalString(flags, 'layer');
    const layers = built.scm.layers.filter((l) => l.kind !== 'logits' && (!only || l.name === only)).map((l) => l.name);
    if (only && layers.length === 0) throw new Error(`no ranked node layer named ${only}; layers: ${built.scm.layers.map((l) => l.name).join(', ')}`);
    const key = combineHashes(built.keys.equations, built.keys.evaluation, 'scm-ranking');
    let all = session.store.getArtifact<LayerRanking[]>('ranking', key)?.value;
    if (!all) {
      all = rankFilters(built.scm, built.evaluation.layers, built.evaluation.labels);
      storeRanking(session, key, all);
    }
    const chosen = all.filter((r) => layers.includes(r.name));
    const json = { method: 'scm', layers: chosen.map((r) => ({ name: r.name, ranking: r.ranking })) };
    const pct = (x: number) => `${(x * 100).toFixed(2)} pt`;
    const text = chosen
      .map((r) => {
        const rows = r.ranking.length <= 6 ? r.ranking : [...r.ranking.slice(0, 3), ...r.ranking.slice(-3)];
        return `${r.name} (${r.ranking.length} filters; 3 most and 3 least important)\n${table(
          rows.map((c) => [c.channel, pct(c.importance), c.marginDrop.toFixed(4)]),
          ['channel', 'accuracy drop', 'margin drop'],
        )}`;
      })
      .join('\n\n');
    return { json, text };
  } finally {
    session.close();
  }
}
