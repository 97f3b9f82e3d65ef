"""The Marchenko–Pastur law (spec §3.0): density, atom, edges, Stieltjes transform; sympy derivations."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad

from synthlib.rmt import (
    critical_noise,
    mp_atom,
    mp_density,
    mp_edges,
    mp_stieltjes,
    solve_delta_synthetic_only,
    verification,
    white_wishart,
)

ETAS = (0.01, 0.1, 0.5, 1.0, 2.0)


def test_edges_and_atom():
    assert mp_edges(0.25) == (0.25, 2.25)
    a, b = mp_edges(np.array([0.01, 4.0]))
    np.testing.assert_allclose(a, [0.81, 1.0])
    np.testing.assert_allclose(b, [1.21, 9.0])
    assert mp_atom(0.5) == 0.0 and mp_atom(1.0) == 0.0 and mp_atom(4.0) == pytest.approx(0.75)


@pytest.mark.parametrize("eta", ETAS)
def test_density_mass_and_moments(eta):
    a, b = mp_edges(eta)
    mass = quad(mp_density, a, b, args=(eta,), limit=200)[0]
    assert mass + mp_atom(eta) == pytest.approx(1.0, abs=1e-7)
    # E λ = (1/p) tr Ĉ → 1 and E λ² → 1 + η̂ (the atom contributes nothing)
    first = quad(lambda x: x * mp_density(x, eta), a, b, limit=200)[0]
    second = quad(lambda x: x * x * mp_density(x, eta), a, b, limit=200)[0]
    assert first == pytest.approx(1.0, abs=1e-7)
    assert second == pytest.approx(1.0 + eta, abs=1e-6)
    outside = mp_density(np.array([a - 1e-3, b + 1e-3, -1.0]), eta)
    np.testing.assert_array_equal(outside, 0.0)


def test_density_diverges_at_zero_when_eta_is_one():
    assert mp_density(0.0, 1.0) == np.inf
    assert mp_density(0.0, 0.5) == 0.0


@pytest.mark.parametrize("eta", ETAS)
def test_stieltjes_is_the_right_root(eta):
    rng = np.random.default_rng(0)
    z = rng.uniform(-2, 6, 50) + 1j * rng.uniform(0.01, 3, 50)
    m = mp_stieltjes(z, eta)
    np.testing.assert_allclose(eta * z * m ** 2 + (z - 1 + eta) * m + 1, 0, atol=1e-11)
    assert np.all(m.imag > 0)                                     # Herglotz branch
    np.testing.assert_allclose(mp_stieltjes(z.conj(), eta), m.conj(), rtol=1e-12)
    np.testing.assert_allclose(mp_stieltjes(1e8 + 0j, eta), -1e-8, rtol=1e-6)  # m(z) ~ -1/z
    # against the definition ∫ ν(dx)/(x − z), atom included
    a, b = mp_edges(eta)
    for point in (1 + 0.5j, -1 + 0.2j, b + 1 + 0.1j):
        re = quad(lambda x, z=point: (mp_density(x, eta) / (x - z)).real, a, b, limit=200)[0]
        im = quad(lambda x, z=point: (mp_density(x, eta) / (x - z)).imag, a, b, limit=200)[0]
        expected = re + 1j * im - mp_atom(eta) / point
        assert mp_stieltjes(point, eta) == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize("eta", ETAS)
def test_stieltjes_boundary_value_gives_density(eta):
    a, b = mp_edges(eta)
    x = np.linspace(a, b, 23)[1:-1]
    np.testing.assert_allclose(mp_stieltjes(x, eta).imag / np.pi, mp_density(x, eta), rtol=1e-10, atol=1e-13)
    # below the bulk (and off the atom) m is real
    if a > 0.05:
        assert abs(mp_stieltjes(a / 2, eta).imag) < 1e-14
    if eta < 1:
        assert mp_stieltjes(0.0, eta) == pytest.approx(1 / (1 - eta))   # ∫ ν(dx)/x


def test_eigenvalue_histogram_follows_the_law():
    # Figure 1: p = 500, n̂ = 5000 (η̂ = 0.1); and η̂ = 2 for the atom
    rng = np.random.default_rng(2026)
    for p, n_hat in ((500, 5000), (400, 200)):
        eta = p / n_hat
        Z = rng.standard_normal((p, n_hat))
        eigvals = np.linalg.eigvalsh(Z @ Z.T / n_hat)
        a, b = mp_edges(eta)
        zero = eigvals < 1e-8
        assert zero.mean() == pytest.approx(mp_atom(eta), abs=1e-12)
        bulk = np.sort(eigvals[~zero])
        assert bulk[0] > a - 0.05 and bulk[-1] < b + 0.05
        # Kolmogorov distance between the empirical law of the bulk and the continuous part
        grid = bulk[:: max(1, bulk.size // 40)]
        cdf = np.array([quad(mp_density, a, x, args=(eta,), limit=200)[0] for x in grid]) / min(1, 1 / eta)
        empirical = np.searchsorted(bulk, grid, side="right") / bulk.size
        assert np.max(np.abs(cdf - empirical)) < 0.02


def test_white_wishart_has_the_law_of_a_sample_covariance():
    rng = np.random.default_rng(4)
    p, n_hat, reps = 6, 9, 4000
    bartlett = np.array([white_wishart(p, n_hat, random_state=rng) for _ in range(reps)])
    direct = []
    for _ in range(reps):
        Z = rng.standard_normal((p, n_hat))
        direct.append(Z @ Z.T / n_hat)
    direct = np.array(direct)
    # E Ĉ = I and Var(Ĉ_ij) = (1 + δ_ij)/n̂ for both routes
    expected_var = (1 + np.eye(p)) / n_hat
    for sample in (bartlett, direct):
        np.testing.assert_allclose(sample.mean(axis=0), np.eye(p), atol=0.03)
        np.testing.assert_allclose(sample.var(axis=0), expected_var, rtol=0.15)
    # the spectra agree in law (compare eigenvalue quantiles)
    q = np.linspace(0.05, 0.95, 10)
    np.testing.assert_allclose(np.quantile(np.linalg.eigvalsh(bartlett), q),
                               np.quantile(np.linalg.eigvalsh(direct), q), atol=0.03)
    low_rank = white_wishart(5, 3, random_state=0)
    assert low_rank.shape == (5, 5) and np.linalg.matrix_rank(low_rank) == 3
    with pytest.raises(ValueError, match="n_hat"):
        white_wishart(5, 0)


# ------------------------------------------------------------------ sympy derivations

def test_sympy_density_from_the_stieltjes_quadratic():
    x, eta = sp.symbols("x eta", positive=True)
    m = sp.symbols("m")
    z = x  # evaluate at z = x + i0 inside the bulk
    roots = sp.solve(sp.Eq(eta * z * m ** 2 + (z - 1 + eta) * m + 1, 0), m)
    assert len(roots) == 2
    discriminant = sp.expand((z - 1 + eta) ** 2 - 4 * eta * z)
    a, b = (1 - sp.sqrt(eta)) ** 2, (1 + sp.sqrt(eta)) ** 2
    assert sp.simplify(sp.expand((x - a) * (x - b)) - discriminant) == 0   # D = (x − a)(x − b)
    # inside (a, b) D < 0, the roots are conjugate and Im m = √(−D)/(2ηx): the density is Im m/π
    density = sp.sqrt(-discriminant) / (2 * sp.pi * eta * x)
    f = sp.lambdify((x, eta), density, "numpy")
    for eta_value in ETAS:
        lo, hi = mp_edges(eta_value)
        points = np.linspace(lo, hi, 13)[1:-1]
        np.testing.assert_allclose(f(points, eta_value), mp_density(points, eta_value), rtol=1e-12)
        # and the library's transform solves the sympy quadratic
        zs = points + 0.3j
        quadratic = sp.lambdify((m, x, eta), eta * x * m ** 2 + (x - 1 + eta) * m + 1, "numpy")
        np.testing.assert_allclose(quadratic(mp_stieltjes(zs, eta_value), zs, eta_value), 0, atol=1e-12)


def test_sympy_atom_from_the_pole_at_zero():
    z, eta = sp.symbols("z eta", positive=True)
    # the root with m ~ −c/z at 0: residue −(1 − 1/η) for η > 1
    root = (-(z - 1 + eta) - sp.sqrt((z - 1 + eta) ** 2 - 4 * eta * z)) / (2 * eta * z)
    residue = sp.limit(z * root.subs(eta, 2), z, 0, "+")
    assert sp.nsimplify(residue) == -sp.Rational(1, 2)
    assert mp_atom(2.0) == pytest.approx(float(-residue))


def test_sympy_synthetic_only_delta_is_the_positive_root():
    delta, gamma, alpha, eta = sp.symbols("delta gamma alpha eta", positive=True)
    # the corrected fixed point δ = η/(γ + α/(1+δ)) (Q̄ = (α/(1+δ) I + γ I)⁻¹, δ = (p/m)(1/p) tr Q̄)
    fixed_point = sp.numer(sp.together(delta - eta / (gamma + alpha / (1 + delta))))
    quadratic = gamma * delta ** 2 + (gamma + alpha - eta) * delta - eta
    assert sp.expand(fixed_point - quadratic) == 0 or sp.expand(fixed_point + quadratic) == 0
    roots = sp.solve(quadratic, delta)
    for p, m_, eps, rho, phi, g in [(200, 400, 0.3, 0.3, 0.5, 0.1), (100, 100, 0.0, 0.3, 0.8, 1.0),
                                    (500, 50, 0.9, 0.1, 0.9, 0.01)]:
        a_value = float(verification(eps, rho, phi)[0])
        values = {gamma: g, alpha: a_value, eta: p / m_}
        numeric = sorted(float(sp.N(r.subs(values))) for r in roots)
        assert numeric[0] < 0 < numeric[1]   # product of the roots is −η/γ < 0
        assert solve_delta_synthetic_only(p, m_, eps, rho, phi, g) == pytest.approx(numeric[1], rel=1e-12)
        code_values = {gamma: g, alpha: a_value, eta: a_value * p / m_}   # the code: η_eff = α η_s
        code_root = max(float(sp.N(r.subs(code_values))) for r in roots)
        assert solve_delta_synthetic_only(p, m_, eps, rho, phi, g, "paper_code") == pytest.approx(code_root,
                                                                                                   rel=1e-12)


def test_sympy_alpha_lambda_critical_noise():
    eps, rho, phi = sp.symbols("epsilon rho phi", positive=True)
    lam = phi * (1 - eps) + rho * eps - 2 * rho * eps   # E[q ỹ y] = ϕ(1−ε) − ρε
    (eps_star,) = sp.solve(sp.Eq(lam, 0), eps)
    assert sp.simplify(eps_star - phi / (phi + rho)) == 0
    assert critical_noise(0.3, 0.8) == pytest.approx(float(eps_star.subs({rho: 0.3, phi: 0.8})))
