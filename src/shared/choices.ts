/**
 * Every list of choices the user picks from, declared once: the zod schemas (shared/features), the
 * domain rooms (engine, scm, evaluation, causal-effect), the CLI's checks and the renderer's pickers
 * all read these. No runtime dependencies, so the renderer and the sandboxed preload may import it.
 * Property kinds are the one list not here: each carries its parameters and its edit function, so it
 * is declared in main/properties/edit-registry.ts and reaches the UI through `properties.kinds`.
 */

/** The names of a list of choices, as a zod enum wants them. */
export function namesOf<T extends { name: string }>(list: readonly T[]): [T['name'], ...T['name'][]] {
  return list.map((c) => c.name) as [T['name'], ...T['name'][]];
}

/** Layer families whose channels become SCM variables besides merges and the logits (default conv only). */
export const nodeLayerFamilies = ['conv', 'dense'] as const;
export type NodeLayerFamily = (typeof nodeLayerFamilies)[number];

/** φ, the per-filter summary of an activation map (METHODS §1); `binary` thresholds fro. */
export const phiKinds = ['fro', 'binary', 'mean', 'max', 'std'] as const;
export type PhiKind = (typeof phiKinds)[number];
/** The kinds the engine computes from a tensor (binary is made from fro with dataset statistics). */
export const tensorPhiKinds = ['fro', 'mean', 'max', 'std'] as const satisfies readonly PhiKind[];
export const defaultPhi: PhiKind = 'fro';

/**
 * The structural-equation regressors: continuous ones fit continuous φ, binary ones (classifiers)
 * fit binary φ. `options` names the regressor options each takes (checked in scm/regressors/options.ts).
 */
export const regressors = [
  { name: 'linear', family: 'continuous', label: 'linear (least squares)', options: ['precision'] },
  { name: 'ridge', family: 'continuous', label: 'ridge (default)', options: ['precision', 'standardize', 'alpha', 'selection', 'alphas', 'folds', 'seed'] },
  { name: 'lasso', family: 'continuous', label: 'lasso', options: ['precision', 'standardize', 'alpha', 'tol', 'maxIter'] },
  { name: 'lars', family: 'continuous', label: 'lars', options: ['precision', 'standardize', 'maxFeatures'] },
  { name: 'mlp', family: 'continuous', label: 'mlp (non-linear)', options: ['hidden', 'learningRate', 'batchSize', 'maxEpochs', 'patience', 'l2', 'validationFraction', 'seed'] },
  { name: 'logistic', family: 'binary', label: 'logistic (default for binary φ)', options: ['precision', 'standardize', 'C', 'tol', 'maxIter'] },
  { name: 'svm', family: 'binary', label: 'linear SVM', options: ['precision', 'solver', 'standardize', 'C', 'tol', 'maxIter', 'seed'] },
  { name: 'random-forest', family: 'binary', label: 'random forest', options: ['nTrees', 'maxDepth', 'minSamplesLeaf', 'featuresPerSplit', 'bootstrap', 'maxBins', 'seed'] },
] as const;
export type RegressorName = (typeof regressors)[number]['name'];
export const regressorNames = namesOf(regressors);
export type RegressorFamily = 'continuous' | 'binary';

/** The family of φ a regressor fits. */
export function regressorFamily(name: RegressorName): RegressorFamily {
  return regressors.find((r) => r.name === name)!.family;
}

/** The regressor a build uses when none is chosen: ridge for continuous φ, logistic for binary. */
export function defaultRegressor(phi: PhiKind): RegressorName {
  return phi === 'binary' ? 'logistic' : 'ridge';
}

/** Filter-importance criteria the evaluation compares with true ablation (METHODS §2). */
export const criteria = [
  { name: 'scm', label: 'SCM importance' },
  { name: 'l1-norm', label: 'L1 weight norm' },
  { name: 'l2-norm', label: 'L2 weight norm' },
  { name: 'activation-mean', label: 'activation mean' },
  { name: 'activation-variance', label: 'activation variance' },
  { name: 'taylor', label: 'first-order Taylor' },
  { name: 'bn-gamma', label: 'BatchNorm |γ|' },
  { name: 'random', label: 'random' },
] as const;
export type CriterionName = (typeof criteria)[number]['name'];
export const criterionLabels = Object.fromEntries(criteria.map((c) => [c.name, c.label])) as Record<CriterionName, string>;

/** What a masked cell of a pixel causal-effect map is filled with (METHODS §4). */
export const fills = [
  { name: 'zero', label: 'zero' },
  { name: 'mean', label: 'dataset mean' },
  { name: 'blur', label: 'blurred image' },
] as const;
export type FillKind = (typeof fills)[number]['name'];
export const fillKinds = namesOf(fills);

/** L∞ attacks for adversarial examples (METHODS §4). */
export const attacks = [
  { name: 'fgsm', label: 'FGSM' },
  { name: 'pgd', label: 'PGD (10 steps)' },
] as const;
export type AttackKind = (typeof attacks)[number]['name'];
export const attackKinds = namesOf(attacks);

/** What an intervention does to the chosen filters' φ. */
export const interventionKinds = [
  { name: 'zero', label: 'zero' },
  { name: 'scale', label: 'scale by' },
  { name: 'constant', label: 'set to constant' },
] as const;
export type InterventionKind = (typeof interventionKinds)[number]['name'];
export const interventionKindNames = namesOf(interventionKinds);

/** How a query answers (METHODS §1): each image with its own noise, or the population. */
export const queryModes = [
  { name: 'counterfactual', label: 'counterfactual (these images)' },
  { name: 'interventional', label: 'interventional (population)' },
] as const;
export type QueryMode = (typeof queryModes)[number]['name'];
export const queryModeNames = namesOf(queryModes);

/** What a report is exported as. */
export const reportFormats = ['pdf', 'html', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];
