"""Benchmark: synthlib's VTSS against a plain scikit-learn / imbalanced-learn loop.

Setting (issue "Part III", acceptance): the TG linear data of spec §5
(n0 = 4000, n1 = 200, d = 5), a 100-point grid gamma in [0.5, 1.5], 5-fold
stratified CV, imbalanced-learn's SMOTE (k = 5).

* logistic loss: VTSS (one SMOTE pool per fold, nested prefixes, Newton steps
  warm-started along the grid) versus a plain loop that refits SMOTE with the
  dict ``sampling_strategy`` for every (gamma, fold) and fits a fresh
  ``LogisticRegression`` each time;
* squared loss: VTSS's closed-form route (running sums of z z^T and z t over
  the prefixes) versus the same plain loop with a fresh ``LinearRegression``.

Two plain loops are timed. "plain, same draws" asks SMOTE for the largest size
of the fold at every gamma and keeps the first rows, so it fits on exactly the
points VTSS uses: it must select the same gamma, which shows that the fast
routes change the time and nothing else. "plain, fresh draws" asks SMOTE for
each size separately (the literal loop); its SMOTE points differ, so its
selection can differ by Monte-Carlo noise of the synthetic draws.

Run: .venv/bin/python benchmarks/bench_vtss.py  (one to three minutes on 2 shared cores)
"""
from __future__ import annotations

import time
import warnings

import numpy as np
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import StratifiedKFold

from synthlib.imbalance import VTSS, balanced_log_loss, balanced_squared_loss, examples, synthetic_size

N0, N1, D_FEAT = 4000, 200, 5
GAMMAS = np.linspace(0.5, 1.5, 100)
FOLDS = 5
SEED = 0
# a tight tolerance so that scikit-learn's fits are precise enough to rank 100 close sizes
LOGISTIC = LogisticRegression(C=1e6, tol=1e-10, max_iter=3000)
LEAST_SQUARES = LinearRegression()


def plain_loop(X, y, estimator, loss, same_draws):
    """Fresh SMOTE fit_resample (dict sampling_strategy) and a fresh estimator per (gamma, fold)."""
    cv = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    losses = np.zeros((GAMMAS.size, FOLDS))
    for k, (train, val) in enumerate(cv.split(X, y)):
        Xf, yf = X[train], y[train]
        n1f = int(np.sum(yf == 1))
        n0f = yf.size - n1f
        sizes = synthetic_size(GAMMAS, n0f, n1f)
        for j, s in enumerate(sizes):
            ask = int(sizes.max()) if same_draws else int(s)
            sampler = ImbSMOTE(k_neighbors=5, random_state=SEED,
                               sampling_strategy={1: n1f + ask})
            Xr, yr = sampler.fit_resample(Xf, yf)
            Xr, yr = Xr[: yf.size + s], yr[: yf.size + s]
            model = clone(estimator)
            if loss == "log_loss":
                model.fit(Xr, yr)
                losses[j, k] = balanced_log_loss(y[val], model.predict_proba(X[val])[:, 1])
            else:
                model.fit(Xr, yr.astype(float))
                losses[j, k] = balanced_squared_loss(y[val], model.predict(X[val]))
    best = int(np.argmin(losses.mean(axis=1)))
    n_syn = synthetic_size(GAMMAS[best], N0, N1)
    Xr, yr = ImbSMOTE(k_neighbors=5, random_state=SEED,
                      sampling_strategy={1: N1 + n_syn}).fit_resample(X, y)
    clone(estimator).fit(Xr, yr if loss == "log_loss" else yr.astype(float))
    return GAMMAS[best], losses.mean(axis=1)


def run_vtss(X, y, estimator, fast_path="auto"):
    model = VTSS(estimator, ImbSMOTE(k_neighbors=5, random_state=SEED), gammas=GAMMAS,
                 cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED), fast_path=fast_path,
                 random_state=SEED)
    return model.fit(X, y)


def timed(fn, *args, repeat=1, **kwargs):
    """Result and the best wall time of ``repeat`` runs (the machine is shared: the minimum
    is the least disturbed measurement, as in ``timeit``)."""
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return out, best


def main():
    warnings.simplefilter("ignore", category=UserWarning)
    X, y = examples.tg_linear(d=D_FEAT).sample(N0, N1, random_state=SEED)
    print(f"VTSS benchmark: n0={N0}, n1={N1}, d={D_FEAT}, {GAMMAS.size}-point grid "
          f"gamma in [{GAMMAS[0]}, {GAMMAS[-1]}], {FOLDS}-fold stratified CV, imbalanced-learn SMOTE(k=5)")
    print("times: best of 5 runs for VTSS, of 3 runs for the least-squares plain loops, one run "
          "for the logistic plain loops")
    print(f"{'':34s}{'time [s]':>10s}{'speed-up':>10s}{'gamma':>9s}  selection")
    for title, est, loss, target in [("logistic loss (LogisticRegression C=1e6)", LOGISTIC, "log_loss", 5),
                                     ("squared loss (LinearRegression)", LEAST_SQUARES, "squared", 50)]:
        print(f"-- {title}")
        reps = 1 if loss == "log_loss" else 3          # the logistic plain loops take minutes
        model, t_fast = timed(run_vtss, X, y, est, repeat=5)
        (g_same, curve_same), t_same = timed(plain_loop, X, y, est, loss, True, repeat=reps)
        (g_fresh, _), t_fresh = timed(plain_loop, X, y, est, loss, False, repeat=reps)
        gap = float(np.max(np.abs(curve_same - model.cv_results_["mean_val_loss"])))
        print(f"{'synthlib VTSS (' + model.fit_route_ + ')':34s}{t_fast:10.2f}{'':>10s}{model.gamma_:9.4f}")
        print(f"{'plain loop, same draws':34s}{t_same:10.2f}{t_same / t_fast:9.1f}x{g_same:9.4f}  "
              f"{'same' if g_same == model.gamma_ else 'DIFFERENT'} gamma "
              f"(max |loss difference| over the grid {gap:.1e})")
        print(f"{'plain loop, fresh draws per size':34s}{t_fresh:10.2f}{t_fresh / t_fast:9.1f}x{g_fresh:9.4f}  "
              f"{'same' if g_fresh == model.gamma_ else 'different'} gamma (other SMOTE points)")
        ok = min(t_same, t_fresh) / t_fast >= target
        print(f"   target >= {target}x: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
