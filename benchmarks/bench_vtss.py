"""Benchmark: synthlib's VTSS against a plain scikit-learn / imbalanced-learn loop.

Setting (issue "Part III", acceptance): the TG linear data of spec §5
(n0 = 4000, n1 = 200, d = 5), a 100-point grid multiplier in [0.5, 1.5], 5-fold
stratified CV, imbalanced-learn's SMOTE (k = 5).

* logistic loss: VTSS (one SMOTE pool per fold, nested prefixes, Newton steps
  warm-started along the grid) versus a plain loop that refits SMOTE with the
  dict ``sampling_strategy`` for every (multiplier, fold) and fits a fresh
  ``LogisticRegression`` each time;
* squared loss: VTSS's closed-form route (running sums of z z^T and z t over
  the prefixes) versus the same plain loop with a fresh ``LinearRegression``.

Two plain loops are timed. "plain, same draws" asks SMOTE for the largest size
of the fold at every multiplier and keeps the first rows, so it fits on exactly the
points VTSS uses: it must select the same multiplier, which shows that the fast
routes change the time and nothing else. "plain, fresh draws" asks SMOTE for
each size separately (the literal loop); its SMOTE points differ, so its
selection can differ by Monte-Carlo noise of the synthetic draws.

High dimension (issue "library", item 7, scale): p = 10,000 features, n1 = 200 minority
and n0 = 2,000 majority rows, an 11-point grid, 3-fold CV, ``LogisticRegression(C=1)``.
The Newton route would form 10,000 x 10,000 Hessians there; ``route="auto"`` must choose a
cheaper route by its cost rule, and is timed beside the plain reference ``route="refit"``
(a fresh clone per (fold, multiplier)); both must select the same multiplier.

Run: .venv/bin/python benchmarks/bench_vtss.py [--part tg|high-dim|all]
(the TG part takes one to three minutes on 2 shared cores, the high-dimensional part a few)
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import StratifiedKFold

from synthlib.imbalance import VTSS, balanced_log_loss, balanced_squared_loss, examples, synthetic_size

N0, N1, D_FEAT = 4000, 200, 5
MULTIPLIERS = np.linspace(0.5, 1.5, 100)
FOLDS = 5
SEED = 0
# a tight tolerance so that scikit-learn's fits are precise enough to rank 100 close sizes
LOGISTIC = LogisticRegression(C=1e6, tol=1e-10, max_iter=3000)
LEAST_SQUARES = LinearRegression()


def plain_loop(X, y, estimator, loss, same_draws):
    """Fresh SMOTE fit_resample (dict sampling_strategy) and a fresh estimator per (multiplier, fold)."""
    cv = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    losses = np.zeros((MULTIPLIERS.size, FOLDS))
    for k, (train, val) in enumerate(cv.split(X, y)):
        Xf, yf = X[train], y[train]
        n1f = int(np.sum(yf == 1))
        n0f = yf.size - n1f
        sizes = synthetic_size(MULTIPLIERS, n0f, n1f)
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
    n_syn = synthetic_size(MULTIPLIERS[best], N0, N1)
    Xr, yr = ImbSMOTE(k_neighbors=5, random_state=SEED,
                      sampling_strategy={1: N1 + n_syn}).fit_resample(X, y)
    clone(estimator).fit(Xr, yr if loss == "log_loss" else yr.astype(float))
    return MULTIPLIERS[best], losses.mean(axis=1)


def run_vtss(X, y, estimator, route="auto", multipliers=MULTIPLIERS, folds=FOLDS):
    model = VTSS(estimator, ImbSMOTE(k_neighbors=5, random_state=SEED), multipliers=multipliers,
                 cv=StratifiedKFold(folds, shuffle=True, random_state=SEED), route=route,
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


def tg_part():
    X, y = examples.tg_linear(p=D_FEAT).sample(N0, N1, random_state=SEED)
    print(f"VTSS benchmark: n0={N0}, n1={N1}, p={D_FEAT}, {MULTIPLIERS.size}-point grid "
          f"multiplier in [{MULTIPLIERS[0]}, {MULTIPLIERS[-1]}], {FOLDS}-fold stratified CV, "
          "imbalanced-learn SMOTE(k=5)")
    print("times: best of 5 runs for VTSS, of 3 runs for the least-squares plain loops, one run "
          "for the logistic plain loops")
    print(f"{'':34s}{'time [s]':>10s}{'speed-up':>10s}{'mult.':>9s}  selection")
    for title, est, loss, target in [("logistic loss (LogisticRegression C=1e6)", LOGISTIC, "log_loss", 5),
                                     ("squared loss (LinearRegression)", LEAST_SQUARES, "squared", 50)]:
        print(f"-- {title}")
        reps = 1 if loss == "log_loss" else 3          # the logistic plain loops take minutes
        model, t_fast = timed(run_vtss, X, y, est, repeat=5)
        (g_same, curve_same), t_same = timed(plain_loop, X, y, est, loss, True, repeat=reps)
        (g_fresh, _), t_fresh = timed(plain_loop, X, y, est, loss, False, repeat=reps)
        gap = float(np.max(np.abs(curve_same - model.cv_results_["mean_val_loss"])))
        print(f"{'synthlib VTSS (' + model.route_ + ')':34s}{t_fast:10.2f}{'':>10s}{model.multiplier_:9.4f}")
        print(f"{'plain loop, same draws':34s}{t_same:10.2f}{t_same / t_fast:9.1f}x{g_same:9.4f}  "
              f"{'same' if g_same == model.multiplier_ else 'DIFFERENT'} multiplier "
              f"(max |loss difference| over the grid {gap:.1e})")
        print(f"{'plain loop, fresh draws per size':34s}{t_fresh:10.2f}{t_fresh / t_fast:9.1f}x{g_fresh:9.4f}  "
              f"{'same' if g_fresh == model.multiplier_ else 'different'} multiplier (other SMOTE points)")
        ok = min(t_same, t_fresh) / t_fast >= target
        print(f"   target >= {target}x: {'met' if ok else 'NOT met'}")


HD_N0, HD_N1, HD_P = 2000, 200, 10_000
HD_MULTIPLIERS = np.linspace(0.5, 1.5, 11)
HD_FOLDS = 3


def high_dim_part():
    """route="auto" against the plain reference route="refit" at p = 10,000, side by side."""
    X, y = examples.tg_linear(p=HD_P).sample(HD_N0, HD_N1, random_state=SEED)
    print(f"\nVTSS in high dimension: n0={HD_N0}, n1={HD_N1}, p={HD_P}, {HD_MULTIPLIERS.size}-point "
          f"grid multiplier in [{HD_MULTIPLIERS[0]}, {HD_MULTIPLIERS[-1]}], {HD_FOLDS}-fold CV, "
          "imbalanced-learn SMOTE(k=5), LogisticRegression(C=1); one run each")
    est = LogisticRegression(C=1.0, tol=1e-8, max_iter=1000)
    auto, t_auto = timed(run_vtss, X, y, est, "auto", HD_MULTIPLIERS, HD_FOLDS)
    refit, t_refit = timed(run_vtss, X, y, est, "refit", HD_MULTIPLIERS, HD_FOLDS)
    gap = float(np.max(np.abs(auto.cv_results_["mean_val_loss"] - refit.cv_results_["mean_val_loss"])))
    print(f"{'':34s}{'time [s]':>10s}{'ratio':>10s}{'multiplier':>11s}")
    print(f"{'synthlib VTSS auto (' + auto.route_ + ')':34s}{t_auto:10.2f}{'':>10s}{auto.multiplier_:11.4f}")
    print(f"{'plain reference (route=refit)':34s}{t_refit:10.2f}{t_refit / t_auto:9.1f}x"
          f"{refit.multiplier_:11.4f}  {'same' if refit.multiplier_ == auto.multiplier_ else 'DIFFERENT'} "
          f"multiplier (max |loss difference| over the grid {gap:.1e})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["tg", "high-dim", "all"], default="all")
    args = parser.parse_args()
    warnings.simplefilter("ignore", category=UserWarning)
    if args.part in ("tg", "all"):
        tg_part()
    if args.part in ("high-dim", "all"):
        high_dim_part()


if __name__ == "__main__":
    main()
