"""Symbolic (sympy) derivations of the formulas synthlib computes, checked against the library.

Chapter 1 derives α, λ and ε* in an executed sympy cell; these tests repeat the derivation
independently of the chapter and compare with synthlib on grids.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from synthlib.rmt import critical_noise, ridge_classifier, verification

eps, rho, phi = sp.symbols("epsilon rho phi", nonnegative=True)


def _verification_expectations():
    # joint law of (flip F, keep q): F ~ Bernoulli(eps); q | F ~ Bernoulli(rho if F else phi)
    alpha = lam = 0
    for flipped, p_flip in ((0, 1 - eps), (1, eps)):
        keep_prob = rho if flipped else phi
        agreement = -1 if flipped else 1
        alpha += p_flip * keep_prob
        lam += p_flip * keep_prob * agreement
    return sp.expand(alpha), sp.expand(lam)


def test_alpha_lambda_closed_forms():
    alpha, lam = _verification_expectations()
    assert sp.simplify(alpha - (phi * (1 - eps) + rho * eps)) == 0
    assert sp.simplify(lam - (phi * (1 - eps) - rho * eps)) == 0
    f_alpha, f_lam = sp.lambdify((eps, rho, phi), alpha), sp.lambdify((eps, rho, phi), lam)
    grid = np.random.default_rng(0).random((3, 500))
    a_lib, l_lib = verification(*grid)
    assert np.allclose(a_lib, f_alpha(*grid)) and np.allclose(l_lib, f_lam(*grid))


def test_critical_noise_is_the_unique_root_of_lambda():
    _, lam = _verification_expectations()
    roots = sp.solve(sp.Eq(lam, 0), eps)
    assert len(roots) == 1
    assert sp.simplify(roots[0] - phi / (phi + rho)) == 0
    # lambda is decreasing in eps (slope -(phi + rho)), so lambda > 0 exactly below eps*
    assert sp.simplify(sp.diff(lam, eps) + phi + rho) == 0
    f = sp.lambdify((rho, phi), roots[0])
    r, p = np.meshgrid(np.linspace(0.01, 1, 11), np.linspace(0.01, 1, 11))
    assert np.allclose(critical_noise(r, p), f(r, p))


def test_ridge_closed_form_is_the_stationary_point():
    """Gradient of (1/N) Σ q_i (y_i − wᵀx_i)² + γ‖w‖² vanishes at synthlib's w (symbolic in 2-d)."""
    w1, w2, g = sp.symbols("w1 w2 gamma", positive=True)
    rng = np.random.default_rng(4)
    X = rng.integers(-3, 4, size=(5, 2))
    y = np.array([1, -1, 1, 1, -1])
    q = np.array([1, 0, 1, 1, 1])
    N = 7
    w = sp.Matrix([w1, w2])
    loss = sum(int(q[i]) * (int(y[i]) - (sp.Matrix(X[i]).T * w)[0]) ** 2 for i in range(5)) / N
    loss += g * (w1 ** 2 + w2 ** 2)
    sol = sp.solve([sp.diff(loss, w1), sp.diff(loss, w2)], [w1, w2], dict=True)[0]
    for gamma in (0.1, 1.0, 3.0):
        exact = np.array([float(sol[w1].subs(g, gamma)), float(sol[w2].subs(g, gamma))])
        lib = ridge_classifier(X.astype(float), y.astype(float), gamma=gamma, N=N, weights=q)
        assert np.allclose(lib, exact, atol=1e-12)
