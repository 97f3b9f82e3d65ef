"""Spec part III §6, algebra checks 1-8 (sympy, exact) and check 16 (arithmetic).

Each check derives the closed form from the model's definition with sympy and
then compares synthlib's implementation against it.
"""
import numpy as np
import pytest
import sympy as sp

from synthlib.imbalance import (
    alignment,
    bias_vector,
    examples,
    excess_risk_expansion,
    gqs_from_moments,
    theory_target_size,
)


def expectation(expr, noise, moments):
    """E[expr] for a polynomial in independent noise coordinates with the given moments.

    ``moments[k]`` is E[z^k] of one coordinate (all coordinates share the law).
    """
    poly = sp.Poly(sp.expand(expr), *noise)
    total = 0
    for degrees, coeff in poly.terms():
        term = coeff
        for k in degrees:
            term *= moments[k]
        total += term
    return sp.simplify(total)


# moments of a standard normal and of the uniform law on [-sqrt3, sqrt3] (mean 0, variance 1)
GAUSS = {0: 1, 1: 0, 2: 1, 3: 0, 4: 3}
UNIFORM = {0: 1, 1: 0, 2: 1, 3: 0, 4: sp.Rational(9, 5)}


# ---------------------------------------------------------------------------- check 1
def test_check1_augmented_risk_identity():
    R0, R1, Rs = sp.symbols("R0 R1 R_syn")
    n0, n1, nt = sp.symbols("n0 n1 ntilde", positive=True)
    N = n0 + n1 + nt
    R_aug = (n0 * R0 + n1 * R1 + nt * Rs) / N
    R_bal = (R0 + R1) / 2
    phi, psi = R0 - R1, Rs - R1
    pi0, pit = n0 / N, nt / N
    assert sp.simplify(R_aug - (R_bal + (pi0 - sp.Rational(1, 2)) * phi + pit * psi)) == 0
    assert sp.simplify((pi0 - sp.Rational(1, 2)) - (n0 - n1 - nt) / (2 * N)) == 0


# ---------------------------------------------------------------------------- E1 in sympy
MU, A = sp.symbols("mu a", positive=True)
T1, T2 = sp.symbols("theta1 theta2", real=True)
Z1, Z2 = sp.symbols("z1 z2", real=True)


def e1_class_risk(mean, label):
    """E (y - theta'x)^2 for x ~ N(mean, I_2), derived from the Gaussian moments."""
    x = (mean[0] + Z1, mean[1] + Z2)
    return expectation((label - T1 * x[0] - T2 * x[1]) ** 2, (Z1, Z2), GAUSS)


@pytest.fixture(scope="module")
def e1_symbolic():
    R0 = e1_class_risk((0, 0), 0)
    R1 = e1_class_risk((MU, 0), 1)
    Rs = e1_class_risk((A, 0), 1)
    R_bal = (R0 + R1) / 2
    sol = sp.solve([sp.diff(R_bal, T1), sp.diff(R_bal, T2)], [T1, T2], dict=True)[0]
    grad = lambda f: [sp.simplify(sp.diff(f, t).subs(sol)) for t in (T1, T2)]  # noqa: E731
    return dict(R0=R0, R1=R1, Rs=Rs, R_bal=R_bal, theta_star=sol,
                u=grad(R0 - R1), v=grad(Rs - R1))


def test_check2_e1_closed_forms(e1_symbolic):
    s = e1_symbolic
    assert sp.simplify(s["theta_star"][T1] - MU / (MU**2 + 2)) == 0
    assert s["theta_star"][T2] == 0
    assert sp.simplify(s["u"][0] - 4 * MU / (MU**2 + 2)) == 0 and s["u"][1] == 0
    assert sp.simplify(s["v"][0] - 2 * (A - MU) * (A * MU - 2) / (MU**2 + 2)) == 0 and s["v"][1] == 0
    ratio = sp.simplify(1 / (1 - 2 * s["v"][0] / s["u"][0]))       # (2.3) with collinear gradients
    assert sp.simplify(ratio - MU / (A * (MU**2 + 2) - MU * (1 + A**2))) == 0
    assert ratio.subs({MU: 1, A: sp.Rational(1, 2)}) == 4
    # synthlib agrees: the example's closed forms and the generic formula (2.3)
    e1 = examples.aligned_gaussian(mu=1.0, a=0.5)
    np.testing.assert_allclose(e1.theta_star, [1 / 3, 0], rtol=1e-15)
    np.testing.assert_allclose(e1.grad_phi, [4 / 3, 0], rtol=1e-15)
    np.testing.assert_allclose(e1.grad_psi, [0.5, 0], rtol=1e-15)
    assert e1.theory_target_ratio == pytest.approx(4.0, rel=1e-14)
    assert theory_target_size(e1.grad_phi, e1.grad_psi, 2000, 100) == pytest.approx(4 * 1900, rel=1e-13)
    for mu, a in [(1.3, 0.4), (0.7, 0.2), (2.0, 1.1)]:
        ex = examples.aligned_gaussian(mu=mu, a=a)
        exact = float(ratio.subs({MU: mu, A: a}))
        got = theory_target_size(ex.grad_phi, ex.grad_psi, 300, 100)
        if exact > 0:
            assert got == pytest.approx(200 * exact, rel=1e-12)
        else:
            assert got is None


def test_check2_exact_cancellation_for_every_ratio(e1_symbolic):
    """The population minimiser equals theta* at the same gamma for every r = n0/n1."""
    s = e1_symbolic
    r, n1, g = sp.symbols("r n1 gamma", positive=True)
    n0, nt = r * n1, g * (r - 1) * n1
    R_aug = (n0 * s["R0"] + n1 * s["R1"] + nt * s["Rs"]) / (n0 + n1 + nt)
    th = sp.solve([sp.diff(R_aug, T1), sp.diff(R_aug, T2)], [T1, T2], dict=True)[0]
    # matches the example's population_minimizer formula
    assert sp.simplify(th[T1] - (n1 * MU + nt * A) / (n0 + n1 * (1 + MU**2) + nt * (1 + A**2))) == 0
    gamma_exact = sp.solve(sp.Eq(th[T1], s["theta_star"][T1]), g)
    assert len(gamma_exact) == 1
    assert sp.simplify(gamma_exact[0] - MU / (A * (MU**2 + 2) - MU * (1 + A**2))) == 0
    assert not gamma_exact[0].has(r)
    # the spec's check: (2r-1)/(6r-3) = 1/3 at gamma = 4, (mu, a) = (1, 1/2)
    val = th[T1].subs({MU: 1, A: sp.Rational(1, 2), g: 4})
    assert sp.simplify(val - sp.Rational(1, 3)) == 0


def test_check3_e1_balancing_floor(e1_symbolic):
    s = e1_symbolic
    e1 = examples.aligned_gaussian()
    r, n1 = sp.symbols("r n1", positive=True)
    subs = {MU: 1, A: sp.Rational(1, 2)}
    R_aug = lambda n0, nt: (n0 * s["R0"] + n1 * s["R1"] + nt * s["Rs"]) / (n0 + n1 + nt)  # noqa: E731
    th20 = sp.solve([sp.diff(R_aug(20 * n1, 19 * n1), T1), sp.diff(R_aug(20 * n1, 19 * n1), T2)],
                    [T1, T2], dict=True)[0]
    theta1 = sp.simplify(th20[T1].subs(subs))
    assert theta1 == sp.Rational(14, 61)
    err = sp.Rational(1, 3) - theta1
    gap = s["R_bal"].subs({T1: theta1, T2: 0}) - s["R_bal"].subs({T1: sp.Rational(1, 3), T2: 0})
    excess = sp.simplify(gap.subs(subs))
    assert float(err) == pytest.approx(0.1038251, abs=5e-8)
    assert float(excess) == pytest.approx(0.0161695, abs=5e-8)
    assert sp.simplify(excess - sp.Rational(3, 2) * err**2) == 0
    # r -> infinity at gamma = 1
    thr = sp.solve([sp.diff(R_aug(r * n1, (r - 1) * n1), T1)], [T1], dict=True)[0][T1]
    assert sp.limit(thr.subs(subs).subs(T2, 0), r, sp.oo) == sp.Rational(2, 9)
    # synthlib's closed forms
    th = e1.population_minimizer(2000, 100, 1900)
    assert th[0] == pytest.approx(14 / 61, rel=1e-14)
    assert float(np.linalg.norm(th - e1.theta_star)) == pytest.approx(0.1038251, abs=5e-8)
    assert float(e1.excess_risk(th)) == pytest.approx(0.0161695, abs=5e-8)
    # gamma = 0 and gamma = 4 rows of the spec
    assert e1.population_minimizer(2000, 100, 0)[0] == pytest.approx(1 / 22)
    assert float(e1.excess_risk(e1.population_minimizer(2000, 100, 0))) == pytest.approx(0.124311, abs=5e-7)
    assert float(e1.excess_risk(e1.population_minimizer(2000, 100, 7600))) == pytest.approx(0.0, abs=1e-15)


# ---------------------------------------------------------------------------- check 4
def test_check4_residual_bias_is_orthogonal_to_grad_phi():
    u1, u2, v1, v2 = sp.symbols("u1 u2 v1 v2", real=True)
    n0, n1 = sp.symbols("n0 n1", positive=True)
    u, v = sp.Matrix([u1, u2]), sp.Matrix([v1, v2])
    D = n0 - n1
    c = (v.dot(u)) / (u.dot(u))
    nT = D / (1 - 2 * c)
    N = n0 + n1 + nT
    b = ((D - nT) / 2 * u + nT * v) / N
    assert sp.simplify(b - nT / N * (v - c * u)) == sp.zeros(2, 1)
    assert sp.simplify(b.dot(u)) == 0
    # synthlib at random gradients: same residual, orthogonal to u
    rng = np.random.default_rng(4)
    for _ in range(20):
        un, vn = rng.normal(size=3), 0.3 * rng.normal(size=3)
        n_t = theory_target_size(un, vn, 5000, 300)
        if n_t is None:
            assert 2 * vn @ un >= un @ un
            continue
        # bias_vector needs an integer size; evaluate the formula at the exact real target
        N_t = 5300 + n_t
        b_exact = ((4700 - n_t) / 2 * un + n_t * vn) / N_t
        cn = vn @ un / (un @ un)
        np.testing.assert_allclose(b_exact, n_t / N_t * (vn - cn * un), atol=1e-14)
        assert abs(b_exact @ un) < 1e-12
        nb = int(round(n_t))
        np.testing.assert_allclose(bias_vector(un, vn, 5000, 300, nb),
                                   ((4700 - nb) / 2 * un + nb * vn) / (5300 + nb), rtol=1e-13)


# ---------------------------------------------------------------------------- check 5
def test_check5_gqs_is_bias_variance_ratio_at_balancing_scalar():
    n0, n1, h, dl, s0, s1, ss = sp.symbols("n0 n1 h delta S0 S1 S_syn", positive=True)
    D, N = n0 - n1, 2 * n0                       # at n_syn = D, N = 2 n0
    pit = D / N
    bias = sp.Rational(1, 2) * (pit * dl) ** 2 / h            # (2.2): b = pi~ delta, ½ b'H^{-1}b
    sigma_aug = n0 / N * s0 + n1 / N * s1 + pit * ss
    variance = sigma_aug / h / (2 * N)
    gqs = (D**2 / (2 * n0)) * dl**2 / h / ((s0 / 2 + n1 / (2 * n0) * s1 + D / (2 * n0) * ss) / h)
    assert sp.simplify(gqs - bias / variance) == 0


def test_check5_gqs_is_bias_variance_ratio_at_balancing_matrix():
    n0, n1 = sp.symbols("n0 n1", positive=True)
    h11, h12, h22 = sp.symbols("h11 h12 h22", real=True)
    H = sp.Matrix([[h11, h12], [h12, h22]])
    dl = sp.Matrix(sp.symbols("d1 d2", real=True))
    S = [sp.Matrix(2, 2, sp.symbols(f"{k}_11 {k}_12 {k}_12 {k}_22")) for k in ("a", "b", "c")]
    D, N = n0 - n1, 2 * n0
    pit = D / N
    Hinv = H.inv()
    b = pit * dl
    bias = (b.T * Hinv * b)[0] / 2
    sigma_aug = n0 / N * S[0] + n1 / N * S[1] + pit * S[2]
    variance = (Hinv * sigma_aug).trace() / (2 * N)
    sigma_gqs = S[0] / 2 + n1 / (2 * n0) * S[1] + D / (2 * n0) * S[2]
    gqs = (D**2 / (2 * n0)) * (dl.T * Hinv * dl)[0] / (Hinv * sigma_gqs).trace()
    assert sp.simplify(gqs - bias / variance) == 0
    # synthlib: gqs_from_moments equals the expansion's bias/variance ratio (H_aug = H) at n_syn = D
    rng = np.random.default_rng(5)
    for _ in range(5):
        p = 3
        M = rng.normal(size=(p, p))
        Hn = M @ M.T + p * np.eye(p)
        Ss = [(lambda B: B @ B.T)(rng.normal(size=(p, p))) for _ in range(3)]
        d = 0.1 * rng.normal(size=p)
        n0n, n1n = 3000, 250
        exp = excess_risk_expansion(np.zeros(p), d, Hn, n0n, n1n, n0n - n1n,
                                    Sigma0=Ss[0], Sigma1=Ss[1], Sigma_syn=Ss[2])
        assert gqs_from_moments(d, Hn, *Ss, n0n, n1n) == pytest.approx(exp.bias / exp.variance, rel=1e-6)


# ---------------------------------------------------------------------------- check 6
def test_check6_mean_shift_global_symmetry():
    d = 3
    m = sp.Matrix(sp.symbols("m1:4", real=True))
    th = sp.Matrix(sp.symbols("t1:4", real=True))
    xi = sp.symbols("xi1:4", real=True)
    x_plus = m + sp.Matrix(xi)
    x_minus = -m + sp.Matrix(xi)
    # only mean 0 and covariance I of the noise enter: uniform moments used, any law works
    R1 = expectation((1 - (th.T * x_plus)[0]) ** 2, xi, UNIFORM)
    R0 = expectation((-1 - (th.T * x_minus)[0]) ** 2, xi, UNIFORM)
    assert sp.simplify(R0 - R1) == 0                              # phi == 0 identically
    R_bal = (R0 + R1) / 2
    sol = sp.solve([sp.diff(R_bal, t) for t in th], list(th), dict=True)[0]
    mm = (m.T * m)[0]
    for i in range(d):
        assert sp.simplify(sol[th[i]] - m[i] / (1 + mm)) == 0
    assert sp.simplify(R_bal.subs(sol) - 1 / (1 + mm)) == 0
    e3 = examples.mean_shift(p=20, delta=1.0)
    assert e3.theta_star[0] == 0.5 and e3.R_star == 0.5
    assert float(e3.balanced_risk(e3.theta_star)) == pytest.approx(0.5, rel=1e-15)


# ---------------------------------------------------------------------------- check 7
def test_check7_logistic_symmetry_condition():
    a, b, c, t = sp.symbols("a b c t", positive=True)
    dsig = sp.diff(1 / (1 + sp.exp(-t)), t)                     # sigma'(t)
    # sigma' is even, so sigma'(-ca) = sigma'(ca)
    assert sp.simplify(dsig.subs(t, -t) - dsig) == 0
    sa, sb = sp.symbols("s_a s_b", positive=True)               # sigma'(ca), sigma'(cb)
    alpha = b * sb / (a * sa + b * sb)
    moment = alpha * (-a) * sa + (1 - alpha) * b * sb           # E[sigma'(cT) T], T in {-a, b}
    assert sp.simplify(moment) == 0
    val = float(alpha.subs({sa: dsig.subs(t, 5), sb: dsig.subs(t, 1), a: 5, b: 1}))
    assert val == pytest.approx(0.855384, abs=5e-7)
    assert examples.logistic_symmetric().mixture_weight == pytest.approx(val, rel=1e-12)


# ---------------------------------------------------------------------------- check 8
def test_check8_wald_null_and_theta_star():
    b = sp.symbols("b", real=True)
    d = 2
    th = sp.symbols("t1 t2", real=True)
    u = sp.symbols("u1 u2", real=True)
    x0 = [-1 + 2 * u[0], u[1]]                      # -e1 + U ⊙ (2, 1)
    x1 = [b + u[0], u[1]]                           # b e1 + U
    lin = lambda x: th[0] * x[0] + th[1] * x[1]     # noqa: E731
    R0 = expectation((lin(x0) + sp.Rational(1, 2)) ** 2, u, UNIFORM)    # centred target y - 1/2 = -1/2
    R1 = expectation((lin(x1) - sp.Rational(1, 2)) ** 2, u, UNIFORM)
    R_bal = (R0 + R1) / 2
    sol = sp.solve([sp.diff(R_bal, t) for t in th], th, dict=True)[0]
    assert sp.simplify(sol[th[0]] - (1 + b) / (2 * (6 + b**2))) == 0 and sol[th[1]] == 0
    g1 = sp.simplify(sp.diff(R0 - R1, th[0]).subs(sol))
    assert sp.simplify(g1 - 2 * (5 * b - 1 - b**2) / (6 + b**2)) == 0
    assert sp.simplify(sp.diff(R0 - R1, th[1]).subs(sol)) == 0
    b0 = (5 - sp.sqrt(21)) / 2
    assert sp.simplify(g1.subs(b, b0)) == 0
    e5 = examples.symmetry_test_dgp(p=d)
    assert e5.b == pytest.approx(float(b0), abs=1e-15)
    assert e5.theta_star[0] == pytest.approx(float(((1 + b0) / (2 * (6 + b0**2))).evalf(30)), rel=1e-14)
    for bb in (-0.3, 0.5, 1.2):
        assert examples.SymmetryTestDGP.g1(bb) == pytest.approx(float(g1.subs(b, bb)), rel=1e-13)
        assert examples.SymmetryTestDGP.b_for_gradient(float(g1.subs(b, bb))) == pytest.approx(bb, abs=1e-10)


# ---------------------------------------------------------------------------- check 16
def test_check16_theory_target_arithmetic():
    cos = 0.152379
    u = np.array([0.636935, 0.0])
    v = 0.0246354 * np.array([cos, np.sqrt(1 - cos**2)])
    geo = alignment(u, v)
    assert geo.cosine == pytest.approx(cos, rel=1e-12)
    assert geo.denominator == pytest.approx(0.988213, abs=5e-7)
    target = theory_target_size(u, v, n0=3200, n1=160)          # D = 3040
    assert round(target) == 3076
    assert target == pytest.approx(3040 / geo.denominator, rel=1e-12)


def test_expansion_e1_variance_constant():
    """Spec §3, E1: C = ½ tr(H H_aug^-1 Σ_aug H_aug^-1) = 1.249 at gamma = 4, r = 20."""
    e1 = examples.aligned_gaussian()
    n1 = 1000
    exp = excess_risk_expansion(**e1.expansion_inputs(), n0=20 * n1, n1=n1, n_syn=4 * 19 * n1)
    assert exp.N == 97 * n1
    assert exp.bias == pytest.approx(0.0, abs=1e-20)
    assert exp.variance * exp.N == pytest.approx(1.249, abs=5e-4)
