/** Structural-equation regressors and their metrics (METHODS §1). */
export { createRegressor, isLinearRegressor, isProbabilisticRegressor, restoreRegressor } from './regressor.js';
export type * from './types.js';
export { defaultRidgeAlphas, regressorNames, resolveOptions, type RegressorName, type RegressorOptions } from './options.js';
export { linearPredict } from './linear-model.js';
export { accuracy, layerMetrics, meanSquaredError, outputMetrics, r2Score, summarize, type LayerMetrics, type OutputMetrics, type Summary } from './metrics.js';
