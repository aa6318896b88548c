/**
 * `causeway properties --project DIR --property NAME[,NAME…] [--class C] [--images N] [--steps T]
 * [--seed S] [--json]`: gradual property interventions (METHODS §5) — per image the EPGM with its
 * shuffle p-value, Pearson ρ with t and the prediction flips; per property and tracked class the
 * median EPGM and the share significant.
 */
import { describeEditKinds } from '../../properties/edit-registry.js';
import type { ProgressListener } from '../../util/progress.js';
import { runPropertiesOn } from '../../features/properties/properties-service.js';
import type { PropertyRunRequest } from '../../features/properties/properties-service.js';
import { UsageError } from '../cli-error.js';
import { percent, seconds, table } from '../format.js';
import { type Flags, numberList, optionalInteger, optionalString } from '../options.js';
import { openProjectFromFlags } from '../project-options.js';

export const propertiesUsage =
  'properties --project DIR --property NAME[,NAME…] [--sequences DIR] [--class C] [--label L] [--images N | --indices I,J,…] [--steps T] [--seed S] [--permutations P] [--json]' +
  `   (NAME: ${describeEditKinds()
    .map((k) => k.name)
    .join('|')}, with optional :key=value parameters, e.g. blur:sigma=3, patch:color=00ff00:at=tl)`;

export const propertiesValues = ['property', 'sequences', 'class', 'label', 'images', 'indices', 'steps', 'seed', 'permutations'];

/** A class by index or by name. */
function classFlag(flags: Flags, name: string, classNames: string[]): number | undefined {
  const text = optionalString(flags, name);
  if (text === undefined) return undefined;
  const byName = classNames.indexOf(text);
  const value = byName >= 0 ? byName : Number(text);
  if (!Number.isInteger(value) || value < 0 || value >= classNames.length) {
    throw new UsageError(`--${name} must be a class index 0…${classNames.length - 1} or a class name (${classNames.join(', ')}), got "${text}"`);
  }
  return value;
}

export async function propertiesCommand(flags: Flags, _onText?: (text: string) => void, onProgress?: ProgressListener, signal?: AbortSignal) {
  const properties = optionalString(flags, 'property')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sequences = optionalString(flags, 'sequences');
  if (!properties?.length && !sequences) throw new UsageError('--property is required (or --sequences DIR)');
  const indices = optionalString(flags, 'indices');
  if (indices !== undefined && flags.images !== undefined) throw new UsageError('give --images or --indices, not both');
  const session = await openProjectFromFlags(flags);
  try {
    const classNames = session.dataset.info.classNames;
    const request: PropertyRunRequest = {
      properties,
      sequences,
      targetClass: classFlag(flags, 'class', classNames),
      label: classFlag(flags, 'label', classNames),
      images: optionalInteger(flags, 'images'),
      indices: indices === undefined ? undefined : numberList(indices, 'indices'),
      steps: optionalInteger(flags, 'steps'),
      seed: optionalInteger(flags, 'seed', 0),
      permutations: optionalInteger(flags, 'permutations'),
    };
    const result = await runPropertiesOn(session, request, { onProgress, signal });
    const json = {
      properties: result.properties.map((g) => ({
        name: g.name,
        class: g.class,
        className: g.className,
        n: g.summary.n,
        medianEpgm: g.summary.medianEpgm,
        shareSignificant: g.summary.shareSignificant,
        shareLarge: g.summary.shareLarge,
        largeCutoff: g.summary.largeCutoff,
        images: g.images.map(({ index, label, source, epgm, p, rho, rhoP, flips, change }) => ({ index, label, source, epgm, p, rho, rhoP, flips, change })),
      })),
      steps: result.steps,
      seed: result.seed,
      permutations: result.permutations,
      seconds: result.seconds,
    };
    const text = [
      ...result.properties.map((g) => {
        const head = `${g.name} → p(${g.className}) over ${g.summary.n} image(s): median EPGM ${g.summary.medianEpgm.toExponential(2)}, significant ${percent(g.summary.shareSignificant)} (p < ${result.alpha}), significant and large (EPGM·T ≥ ${g.summary.largeCutoff}, calibrated on control properties) ${percent(g.summary.shareLarge)}`;
        const rows = [...g.images]
          .sort((a, b) => b.epgm - a.epgm)
          .slice(0, 5)
          .map((i) => [i.source ?? i.index, i.epgm.toExponential(2), i.p.toFixed(3), i.rho.toFixed(3), i.flips, i.change.toFixed(3)]);
        return `${head}\n${table(rows, ['image', 'EPGM', 'p', 'ρ', 'flips', 'y_T − y_0'])}`;
      }),
      `T = ${result.steps}, ${result.permutations} permutations, seed ${result.seed}; ${seconds(result.seconds)}`,
    ].join('\n\n');
    return { json, text };
  } finally {
    session.close();
  }
}
