/**
 * `logistic`: L2-regularized logistic regression with sklearn `LogisticRegression`'s objective
 * (C = 1, intercept not penalized): minimize C·Σᵢ log(1 + exp(−ỹᵢ(xᵢ·w + b))) + ½‖w‖², one model
 * per output, on standardized X by default (= sklearn `make_pipeline(StandardScaler(),
 * LogisticRegression())`; coefficients are mapped back to original units).
 *
 * Solver: L-BFGS run for all outputs in lockstep (lbfgs-margin.ts: two products over the whole layer
 * per iteration, float64 for small problems, TensorFlow.js float32 for large ones). An output stops
 * when the largest gradient entry of the mean objective is ≤ tol (default 1e-6, tighter than sklearn's 1e-4 so the
 * result does not depend on where the solver stopped). Outputs whose training column is constant
 * predict that constant (coef 0, intercept ±50: σ(±50) is 1 or 0 in float64).
 */
import { createProductOperator } from '../../engine/matrix-products.js';
import { lockstepLbfgs, logisticLoss, sigmoid } from './lbfgs-margin.js';
import { LinearFamilyRegressor, standardizeRows, toOriginalUnits } from './linear-model.js';
import type { LogisticOptions } from './options.js';
import type { DenseMatrix, LinearModel, ProbabilisticRegressor } from './types.js';
import { constantColumns } from './validate.js';

export const constantIntercept = 50;

export class LogisticRegression extends LinearFamilyRegressor implements ProbabilisticRegressor {
  readonly name = 'logistic' as const;
  readonly kind = 'binary' as const;

  constructor(override readonly options: LogisticOptions) {
    super(options);
  }

  predictProba(X: DenseMatrix): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i]);
    return z;
  }

  protected async fitLinear(X: DenseMatrix, Y: DenseMatrix): Promise<{ model: LinearModel; info: Record<string, unknown> }> {
    const o = this.options;
    const { rows: n, cols: p } = X;
    const q = Y.cols;
    const { mean, scale, Xs } = standardizeRows(X, o.standardize);
    const constant = constantColumns(Y);
    const outputs = constant.flatMap((c, k) => (c === null ? [k] : []));
    const B = new Float64Array(p * q);
    const b0 = new Float64Array(q);
    constant.forEach((c, k) => {
      if (c !== null) b0[k] = c === 1 ? constantIntercept : -constantIntercept;
    });
    const info: Record<string, unknown> = { C: o.C, constantOutputs: constant.flatMap((c, k) => (c === null ? [] : [k])) };
    if (outputs.length > 0) {
      const op = await createProductOperator({ rows: n, cols: p, data: Xs }, { precision: o.precision, expectedColumns: outputs.length });
      try {
        const result = lockstepLbfgs(op, Y, outputs, o, logisticLoss);
        outputs.forEach((k, a) => {
          for (let j = 0; j < p; j++) B[j * q + k] = result.w[j * outputs.length + a];
          b0[k] = result.b[a];
        });
        Object.assign(info, {
          iterations: result.iterations,
          unconvergedOutputs: result.unconverged.map((a) => outputs[a]),
          precision: op.precision,
        });
      } finally {
        op.dispose();
      }
    }
    return { model: toOriginalUnits(B, scale, mean, b0), info };
  }
}

