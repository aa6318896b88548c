/**
 * `causeway query --project DIR --do "LAYER:CH=VALUE,…" [--mode counterfactual|interventional] [--verify] [--json]`:
 * the SCM's answer over the held-out images (counterfactual by default: each image keeps its own
 * abducted noise), and with --verify the same intervention in the real network.
 */
import { parseDoSpec } from '../../scm/do-spec.js';
import { latestBuild } from '../../scm/latest-build.js';
import { realQuery, scmQuery } from '../../scm/scm-query.js';
import { outcomeOf } from '../../scm/outcome.js';
import { logitsLayer } from '../../scm/scm-structure.js';
import { percent, table } from '../format.js';
import { type Flags, requireString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';
import { UsageError } from '../cli-error.js';
import { queryModeFrom } from '../query-mode.js';
import { describeQueryMode } from '../../scm/query-mode.js';
import { abduceNoise } from '../../scm/propagate.js';
import { buildFidelity } from '../../features/build/build-fidelity.js';
import { evaluateHowFor, fidelityText, fidelityWarnings } from '../fidelity-output.js';

export const queryUsage =
  'query --project DIR --do "LAYER:CH=VALUE,…" [--mode counterfactual|interventional] [--verify] [--json]   (VALUE: c, or xS to scale; e.g. conv1:3=0,conv2:0-3=x0.5)';

export async function queryCommand(flags: Flags) {
  const mode = queryModeFrom(flags);
  const session = await openProjectFromFlags(flags, { readonly: true });
  try {
    const built = await latestBuild(session);
    const channels = new Map(built.scm.layers.map((l) => [l.name, l.channels]));
    let interventions;
    try {
      interventions = parseDoSpec(requireString(flags, 'do'), (l) => channels.get(l));
    } catch (error) {
      throw new UsageError(`--do ${(error as Error).message}`);
    }
    const noise = mode === 'counterfactual' ? abduceNoise(built.scm, built.evaluation.layers, built.evaluation.n) : undefined;
    const baseline = scmQuery(built.scm, built.evaluation, [], { mode, noise });
    const scm = scmQuery(built.scm, built.evaluation, interventions, { mode, noise });
    const real = flags.verify
      ? await realQuery(session.model, session.dataset, built.evaluationIndices, session.settings.preprocessing, interventions)
      : undefined;
    const logits = logitsLayer(built.scm.layers);
    const networkBaseline = outcomeOf(built.evaluation.layers[logits.name], built.evaluation.labels, logits.channels);
    const brief = (o: { accuracy: number; perClass: { class: number; n: number; accuracy: number }[] }) => ({
      accuracy: o.accuracy,
      perClass: o.perClass,
    });
    // The fidelity of this answer mode: its mean error on the evaluation's random k-filter zeroings.
    const fidelity = buildFidelity(session, built, evaluateHowFor(session.dir));
    const answer = fidelity.queries ? { ...fidelity.queries[mode], mode, draws: fidelity.queries.draws, ks: fidelity.queries.ks } : null;
    const warnings = fidelityWarnings([fidelity.chained, answer]);
    const json = {
      interventions,
      n: scm.n,
      mode,
      modeDescription: describeQueryMode(mode, built.scm.phi),
      scm: { ...brief(scm), meanMargin: scm.meanMargin, baselineMargin: baseline.meanMargin, meanProbabilities: scm.meanProbabilities, affectedLayers: scm.affectedLayers, baselineAccuracy: baseline.accuracy },
      ...(real ? { real: { ...brief(real), meanMargin: real.meanMargin, baselineMargin: networkBaseline.meanMargin, meanProbabilities: real.meanProbabilities, baselineAccuracy: built.validation.modelAccuracy } } : {}),
      fidelity: { chained: fidelity.chained, answer: fidelity.evaluated ? answer : ('notEvaluated' as const), notEvaluated: fidelity.notEvaluated },
      warnings,
    };
    const names = session.dataset.info.classNames;
    const text = [
      `do(${requireString(flags, 'do')}) on ${scm.n} held-out images; SCM answer: ${describeQueryMode(mode, built.scm.phi)}`,
      `SCM accuracy ${percent(baseline.accuracy)} → ${percent(scm.accuracy)}${real ? `   real network ${percent(built.validation.modelAccuracy)} → ${percent(real.accuracy)}` : ''}`,
      `affected layers: ${scm.affectedLayers.join(', ')}`,
      ...fidelityText([answer, fidelity.chained], fidelity.notEvaluated),
      '',
      table(
        scm.perClass.map((c, k) => [names[k] ?? k, c.n, percent(c.accuracy), real ? percent(real.perClass[k].accuracy) : '']),
        ['class', 'images', 'SCM', real ? 'real' : ''],
      ),
    ].join('\n');
    return { json, text, warnings };
  } finally {
    session.close();
  }
}
