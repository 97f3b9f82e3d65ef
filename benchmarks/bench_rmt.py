"""Benchmark of synthlib.rmt (Part II): Monte Carlo, theory curves, widget updates.

Run:  .venv/bin/python benchmarks/bench_rmt.py

Prints, in one run:

1. Monte-Carlo time to reach an accuracy standard error of 0.002 at the
   Figure-3 setting (p = 500, n = n̂ = 1000, m = 4000, ‖μ‖ = 0.7, γ = 1,
   ε = 0.1, oracle pruning), synthlib's ``simulate_toy`` versus a plain
   reference written here that follows the official code's route (every
   sample drawn, Ĉ^{1/2} by eigendecomposition, p×p inverse, explicit test
   set of 2n points, empirical accuracy). Both are timed on a fixed number
   of trials; the time to reach the target is (trials needed) × (time per
   trial) with trials needed = max(2, ⌈(per-trial SD / 0.002)²⌉).
2. A 200-point accuracy-versus-ε curve of the general theory at p = 1000
   after one eigendecomposition of Ĉ (target <= 50 ms).
3. One widget update at default settings (target <= 200 ms).

Both Monte-Carlo routes run with one BLAS thread, synthlib's default; on a
shared 2-core machine multi-threaded BLAS is far slower for these sizes, so
this is the conservative comparison.
"""
from __future__ import annotations

import math
import time

import numpy as np
from threadpoolctl import threadpool_limits

from synthlib.rmt import (
    critical_noise,
    generator_spectrum,
    mp_density,
    mp_edges,
    simulate_toy,
    theory_synthetic_only,
    theory_toy,
)

TARGET_SE = 0.002
FIG3 = dict(p=500, n=1000, n_hat=1000, n_syn=4000, mu_norm=0.7, eps=0.1, rho=0.0, phi=1.0, gamma=1.0)


# ---------------------------------------------------------------- the reference route

def reference_trial(rng, p, n, n_hat, n_syn, mu_norm, eps, rho, phi, gamma):
    m = n_syn
    """One trial the way the official code does it (utils.empirical_accuracy_toy), written afresh."""
    mu = np.zeros(p)
    mu[0] = mu_norm
    # generator covariance: a fresh Wishart, and its square root by eigendecomposition
    Z = rng.standard_normal((p, n_hat))
    C_hat = Z @ Z.T / n_hat
    eigvals, eigvecs = np.linalg.eigh(C_hat)
    root = (eigvecs * np.sqrt(np.clip(eigvals, 0, None))) @ eigvecs.T
    # real data, balanced classes (rows are samples)
    y = np.where(np.arange(n) < n // 2, -1.0, 1.0)
    X = y[:, None] * mu + rng.standard_normal((n, p))
    # synthetic data with mean μ, label noise and Bernoulli verification
    y_syn = np.where(np.arange(m) < m // 2, -1.0, 1.0)
    X_syn = y_syn[:, None] * mu + rng.standard_normal((m, p)) @ root
    flipped = rng.random(m) < eps
    y_noisy = np.where(flipped, -y_syn, y_syn)
    keep = rng.random(m) < np.where(flipped, rho, phi)
    # ridge classifier through an explicit p×p inverse, normalised by N = n + m
    N = n + m
    Xq = X_syn * keep[:, None]
    Q = np.linalg.inv((X.T @ X + Xq.T @ X_syn) / N + gamma * np.eye(p))
    w = Q @ (X.T @ y + Xq.T @ y_noisy) / N
    # empirical accuracy on a test set of 2n fresh points (signed; the code folds it to max(acc, 1-acc))
    y_test = np.where(np.arange(2 * n) < n, -1.0, 1.0)
    X_test = y_test[:, None] * mu + rng.standard_normal((2 * n, p))
    return float(np.mean(np.where(X_test @ w >= 0, 1.0, -1.0) == y_test))


def time_reference(trials, seed=1):
    rng = np.random.default_rng(seed)
    accuracies = []
    start = time.perf_counter()
    with threadpool_limits(1):
        for _ in range(trials):
            accuracies.append(reference_trial(rng, **FIG3))
    elapsed = time.perf_counter() - start
    return elapsed / trials, float(np.std(accuracies, ddof=1)), float(np.mean(accuracies))


def time_synthlib(trials, seed=2, **overrides):
    params = {**FIG3, **overrides}
    start = time.perf_counter()
    result = simulate_toy(**params, trials=trials, random_state=seed)
    elapsed = time.perf_counter() - start
    return elapsed / trials, float(result.accuracy_sd), result


def trials_needed(sd):
    return max(2, math.ceil((sd / TARGET_SE) ** 2))


def best_of(function, repeats=7):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), float(np.median(times))


# ---------------------------------------------------------------- a widget update

def widget_compute(eps=0.2, rho=0.2, phi=0.9, share=0.5, p_over_n=0.5, n_hat=1000, gamma=1.0, n=1000,
                   mu_norm=0.7):
    """What one update of the Part II explorer recomputes: accuracy versus synthetic share (toy theory,
    both conventions, 100 points), accuracy versus ε (toy and synthetic only, 200 points each) and the
    Marchenko–Pastur density of Ĉ (400 points)."""
    p = p_over_n * n
    shares = np.linspace(0.001, 0.95, 100)
    m_grid = np.floor(shares * n / (1 - shares))
    m_now = math.floor(share * n / (1 - share))
    eps_grid = np.linspace(0, 1, 200)
    out = {
        "share": shares,
        "by_share": {c: theory_toy(p, n, n_hat, m_grid, mu_norm, eps, rho, phi, gamma, convention=c).accuracy
                     for c in ("corrected", "paper_code")},
        "by_eps": theory_toy(p, n, n_hat, m_now, mu_norm, eps_grid, rho, phi, gamma).accuracy,
        "synthetic_only": theory_synthetic_only(p, max(m_now, 1), mu_norm, eps_grid, rho, phi, gamma).accuracy,
        "eps_star": critical_noise(rho, phi) if rho + phi > 0 else None,
    }
    a, b = mp_edges(p / n_hat)
    x = np.linspace(max(a - 0.1, 0), b + 0.1, 400)
    out["mp"] = (x, mp_density(x, p / n_hat))
    return out


def main():
    total_start = time.perf_counter()
    print("synthlib.rmt benchmark (1 BLAS thread for both Monte-Carlo routes)\n")

    # 1. Monte Carlo -----------------------------------------------------------------------------
    print("1. Monte Carlo to accuracy SE 0.002, Figure-3 setting "
          "(p=500, n=n_hat=1000, m=4000, |mu|=0.7, gamma=1, eps=0.1, oracle pruning)")
    ref_trials, syn_trials = 40, 40
    ref_time, ref_sd, ref_mean = time_reference(ref_trials)
    syn_time, syn_sd, syn_result = time_synthlib(syn_trials)
    binomial_sd = math.sqrt(ref_mean * (1 - ref_mean) / (2 * FIG3["n"]))
    ref_needed, syn_needed = trials_needed(ref_sd), trials_needed(syn_sd)
    ref_total, syn_total = ref_needed * ref_time, syn_needed * syn_time
    theory = theory_toy(**FIG3)
    print(f"   {'route':<34}{'s/trial':>9}{'SD/trial':>10}{'trials':>8}{'time to SE 0.002':>19}")
    print(f"   {'reference (official-code route)':<34}{ref_time:>9.3f}{ref_sd:>10.4f}{ref_needed:>8d}"
          f"{ref_total:>17.2f} s")
    print(f"   {'synthlib simulate_toy':<34}{syn_time:>9.3f}{syn_sd:>10.4f}{syn_needed:>8d}"
          f"{syn_total:>17.3f} s")
    print(f"   speed-up: {ref_total / syn_total:.0f}x  (target >= 20x); per trial alone: {ref_time / syn_time:.1f}x")
    print(f"   (reference SD measured on {ref_trials} trials, synthlib SD on {syn_trials} trials)")
    # the reference's SD cannot be below the test-set binomial part plus the conditional spread
    floor_sd = math.hypot(binomial_sd, syn_sd)
    floor_needed = trials_needed(floor_sd)
    print(f"   with the reference SD at its analytic floor sqrt(acc(1-acc)/2n + SD_cond^2) = {floor_sd:.4f}: "
          f"{floor_needed} trials, {floor_needed * ref_time:.2f} s, "
          f"speed-up {floor_needed * ref_time / syn_total:.0f}x")
    print(f"   means: reference {ref_mean:.4f}, synthlib {syn_result.accuracy:.4f} +- {syn_result.accuracy_se:.4f}, "
          f"theory (corrected) {theory.accuracy:.4f}")
    start = time.perf_counter()
    actual = simulate_toy(**FIG3, trials=syn_needed, random_state=3)
    print(f"   actually run: synthlib, {syn_needed} trials -> accuracy {actual.accuracy:.4f} "
          f"+- {actual.accuracy_se:.4f} in {time.perf_counter() - start:.3f} s")
    big_time, _, _ = time_synthlib(10, n_syn=40_000)
    print(f"   cost per trial does not grow with n + m: m=4000 {syn_time * 1e3:.1f} ms, "
          f"m=40000 {big_time * 1e3:.1f} ms\n")

    # 2. Theory curve ----------------------------------------------------------------------------
    print("2. 200-point accuracy-versus-eps curve, general theory, p=1000 (Wishart C_hat, n_hat=2000, "
          "mu_hat != mu)")
    rng = np.random.default_rng(4)
    p, n_hat = 1000, 2000
    Z = rng.standard_normal((p, n_hat))
    mu = np.zeros(p)
    mu[0] = 1.0
    mu_hat = mu + rng.standard_normal(p) / np.sqrt(n_hat)
    start = time.perf_counter()
    spectrum = generator_spectrum(mu, mu_hat, Z @ Z.T / n_hat)
    eig_time = time.perf_counter() - start
    eps = np.linspace(0, 1, 200)
    for convention in ("corrected", "paper_code"):
        best, median = best_of(lambda c=convention: spectrum.theory(1000, 4000, eps, 0.2, 0.8, 1.0, convention=c))
        print(f"   {convention:<11}: best {best * 1e3:6.1f} ms, median {median * 1e3:6.1f} ms  (target <= 50 ms)")
    best, median = best_of(lambda: spectrum.theory(1000, 4000, eps, 0.2, 0.8, 0.01))
    print(f"   corrected, gamma=0.01: best {best * 1e3:6.1f} ms, median {median * 1e3:6.1f} ms")
    print(f"   (the one eigendecomposition, done once before: {eig_time:.2f} s)\n")

    # 3. Widget update ---------------------------------------------------------------------------
    print("3. One explorer update at default settings (toy theory vs share x2 conventions, vs eps, "
          "synthetic-only vs eps, MP density)")
    best, median = best_of(widget_compute, repeats=11)
    print(f"   best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms  (target <= 200 ms)\n")
    print(f"total benchmark time {time.perf_counter() - total_start:.1f} s")


if __name__ == "__main__":
    main()
