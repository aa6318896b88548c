"""scikit-learn reference timings for bench/ridge-bench.ts: random 10,000 × 512 → 512 (float32 data,
as φ tables; sklearn converts to float64). Two BLAS threads (the target machine has 2 cores).
    /usr/bin/python3 bench/sklearn_ridge_bench.py [rows] [p] [q] [repeats]
Prints one JSON line per estimator with the best of `repeats` fits.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "2"

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.linear_model import LinearRegression, Ridge, RidgeCV

try:
    from threadpoolctl import threadpool_limits

    threadpool_limits(2)
except ImportError:
    pass

n, p, q, repeats = [int(a) for a in (sys.argv[1:] + ["10000", "512", "512", "3"][len(sys.argv) - 1 :])][:4]
rng = np.random.default_rng(0)
X = rng.random((n, p), dtype=np.float32)
Y = rng.random((n, q), dtype=np.float32)
print(json.dumps({"bench": "setup", "rows": n, "p": p, "q": q, "sklearn": sklearn.__version__, "numpy": np.__version__}))

for label, make in (
    ("LinearRegression", lambda: LinearRegression()),
    ("Ridge(alpha=1.0)", lambda: Ridge(alpha=1.0)),
    ("Ridge(alpha=1.0) float64 input", None),
    ("RidgeCV(25 alphas, GCV/LOO)", lambda: RidgeCV(alphas=np.logspace(-3, 4, 25))),
):
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        if make is None:
            Ridge(alpha=1.0).fit(X.astype(np.float64), Y.astype(np.float64))
        else:
            make().fit(X, Y)
        runs.append(time.perf_counter() - t0)
    print(json.dumps({"bench": label, "rows": n, "p": p, "q": q, "best_s": round(min(runs), 4), "runs_s": [round(r, 4) for r in runs]}))
