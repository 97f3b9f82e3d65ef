r"""The worked examples of Part III (spec part III §3), with their closed forms.

=====  =================================================================  ===========================
label  model                                                              factory
=====  =================================================================  ===========================
E1     2-D Gaussians, squared loss, aligned *biased* generator            :func:`aligned_gaussian`
E2     same model, aligned *realistic* generator :math:`a(n_1)`           :func:`realistic_gaussian`
E3     mean-shift model under global symmetry (cube/Rademacher/sphere)    :func:`mean_shift`
E4     logistic model under local symmetry                                :func:`logistic_symmetric`
E5     data-generating process of the local-symmetry Wald test            :func:`symmetry_test_dgp`
E6     end-to-end TG-VTSS studies (linear, nonlinear)                      :func:`tg_linear`, :func:`tg_nonlinear`
=====  =================================================================  ===========================

The labels E1–E6 are the book's; the paper's own numbering is uncertain
(spec §3). All closed forms are DERIVED for the book and checked with sympy in
``tests/imbalance/test_algebra.py``.

Label conventions follow each model: E1, E2, E5, E6 use ``y = 0`` (majority)
and ``y = 1`` (minority); E3 and E4 use ``y = -1`` (majority) and ``y = +1``
(minority), the targets of their losses. ``sample`` returns the majority rows
first, then the minority rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats
from scipy.special import expit

from .._random import check_random_state
from .._validation import check_array, check_integer, check_scalar
from ._generators import Generator, Oracle, _check_minority, draw_synthetic
from ._losses import synthetic_size
from ._numerics import _logistic_newton, _regularised_inverse, _ridge_prefix_path

__all__ = [
    "aligned_gaussian",
    "realistic_gaussian",
    "mean_shift",
    "logistic_symmetric",
    "symmetry_test_dgp",
    "tg_linear",
    "tg_nonlinear",
    "AlignedGaussian",
    "MeanShift",
    "LogisticSymmetric",
    "SymmetryTestDGP",
    "TGLinear",
    "TGNonlinear",
    "SemiOracle",
    "ridge_fit",
    "ridge_excess_curves",
    "RidgeCurves",
]


def _counts(n0, n1):
    n0 = check_integer(n0, "n0", low=1)
    n1 = check_integer(n1, "n1", low=1)
    if n1 > n0:
        raise ValueError(f"n1={n1} > n0={n0}: the examples take class 1 as the minority; "
                         "swap the counts")
    return n0, n1


def _theta_rows(theta, d):
    th = check_array(theta, "theta")
    if th.shape[-1] != d:
        raise ValueError(f"theta has shape {th.shape}: expected (..., {d})")
    return th


def ridge_fit(X, t, alpha=1e-6):
    r"""Ridge least squares without intercept, :math:`(X^\top X+\alpha I)^{-1}X^\top t`.

    The estimator of examples E1–E3 (spec §3).

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance.examples import ridge_fit
    >>> ridge_fit(np.eye(2), [1.0, 2.0], alpha=0.0).tolist()
    [1.0, 2.0]
    """
    X = check_array(X, "X", ndim=2)
    t = check_array(t, "t", shape=(X.shape[0],))
    alpha = check_scalar(alpha, "alpha", low=0)
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ t)


def _gaussian_ls_score_cov(mean, theta, target):
    r"""Covariance of :math:`-2(y-\theta^\top x)x` for :math:`x\sim N(m,I)` (Isserlis)."""
    m = np.asarray(mean, dtype=float)
    e0 = target - theta @ m
    tt = theta @ theta
    d = m.size
    inner = ((e0**2 + tt) * np.eye(d) + tt * np.outer(m, m) + np.outer(theta, theta)
             - e0 * (np.outer(m, theta) + np.outer(theta, m)))
    return 4.0 * inner


# ============================================================================ E1 / E2
class AlignedGaussian:
    r"""Examples E1/E2: :math:`P_0=N(0,I_2)`, :math:`P_1=N((\mu,0),I_2)`, :math:`P_{\rm syn}=N((a,0),I_2)`.

    Squared loss :math:`(y-\theta^\top x)^2`, :math:`y\in\{0,1\}`, no intercept
    (spec §3, E1). DERIVED closed forms: :math:`R_{\rm bal}(\theta)=\|\theta\|^2+\tfrac12(1-\theta^\top\mu_1)^2`,
    :math:`\theta^*=\mu_1/(2+\mu^2)`, :math:`H=2I+\mu_1\mu_1^\top`,
    :math:`\nabla\phi(\theta^*)=\frac{4\mu}{\mu^2+2}e_1`,
    :math:`\nabla\psi(\theta^*)=\frac{2(a-\mu)(a\mu-2)}{\mu^2+2}e_1` (collinear, so
    the theory target cancels the bias exactly at the population level).

    Use :func:`aligned_gaussian` (E1) or :func:`realistic_gaussian` (E2).
    """

    d = 2

    def __init__(self, mu=1.0, a=0.5, label="E1"):
        self.mu = check_scalar(mu, "mu", low=0, low_inclusive=False)
        self.a = check_scalar(a, "a")
        self.label = label
        self.mu1 = np.array([self.mu, 0.0])
        self.mu_syn = np.array([self.a, 0.0])
        self.theta_star = self.mu1 / (2.0 + self.mu**2)
        self.H = 2.0 * np.eye(2) + np.outer(self.mu1, self.mu1)

    def __repr__(self):
        return f"AlignedGaussian(mu={self.mu!r}, a={self.a!r})  # {self.label}"

    # sampling ----------------------------------------------------------------
    def sample(self, n0, n1, random_state=None):
        """``n0`` majority rows (y = 0) then ``n1`` minority rows (y = 1)."""
        n0, n1 = _counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([rng.standard_normal((n0, 2)), self.mu1 + rng.standard_normal((n1, 2))])
        return X, np.r_[np.zeros(n0, dtype=int), np.ones(n1, dtype=int)]

    def sample_minority(self, n, random_state=None):
        """Draws from the true minority law :math:`P_1`."""
        return self.mu1 + check_random_state(random_state).standard_normal((check_integer(n, "n", low=0), 2))

    def sample_synthetic(self, n, random_state=None):
        """Draws from the generator's law :math:`P_{\\rm syn}=N((a,0),I)`."""
        return self.mu_syn + check_random_state(random_state).standard_normal((check_integer(n, "n", low=0), 2))

    def synthetic_generator(self):
        """The example's (mismatched) generator, as a synthlib generator."""
        return Oracle(self.sample_synthetic)

    # closed forms ---------------------------------------------------------------
    def balanced_risk(self, theta):
        th = _theta_rows(theta, 2)
        return np.sum(th**2, axis=-1) + 0.5 * (1.0 - th @ self.mu1) ** 2

    def excess_risk(self, theta):
        r""":math:`(\theta-\theta^*)^\top(I+\tfrac12\mu_1\mu_1^\top)(\theta-\theta^*)`, exact.

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> e1 = examples.aligned_gaussian()
        >>> round(float(e1.excess_risk(e1.population_minimizer(2000, 100, 1900))), 7)
        0.0161695
        """
        diff = _theta_rows(theta, 2) - self.theta_star
        M = np.eye(2) + 0.5 * np.outer(self.mu1, self.mu1)
        return np.einsum("...i,ij,...j->...", diff, M, diff)

    def population_minimizer(self, n0, n1, n_syn):
        r"""Exact minimiser of :math:`R_{\rm aug}` for counts :math:`(n_0,n_1,\tilde n)`.

        :math:`\theta_{{\rm aug},1}=\frac{n_1\mu+\tilde na}{n_0+n_1(1+\mu^2)+\tilde n(1+a^2)}`,
        :math:`\theta_{{\rm aug},2}=0` (normal equations; spec §3, E1).

        Examples
        --------
        >>> from fractions import Fraction
        >>> from synthlib.imbalance import examples
        >>> th = examples.aligned_gaussian().population_minimizer(20, 1, 19)
        >>> Fraction(th[0]).limit_denominator(1000)
        Fraction(14, 61)
        """
        n0 = check_integer(n0, "n0", low=0)
        n1 = check_integer(n1, "n1", low=0)
        n_syn = check_integer(n_syn, "n_syn", low=0)
        num = n1 * self.mu + n_syn * self.a
        den = n0 + n1 * (1 + self.mu**2) + n_syn * (1 + self.a**2)
        return np.array([num / den, 0.0])

    @property
    def grad_phi(self):
        return np.array([4.0 * self.mu / (self.mu**2 + 2.0), 0.0])

    @property
    def grad_psi(self):
        return np.array([2.0 * (self.a - self.mu) * (self.a * self.mu - 2.0) / (self.mu**2 + 2.0), 0.0])

    @property
    def theory_target_ratio(self):
        r""":math:`\tilde n_T/D=\mu/(a(\mu^2+2)-\mu(1+a^2))`, or ``None`` if not positive."""
        den = self.a * (self.mu**2 + 2) - self.mu * (1 + self.a**2)
        return None if den <= 0 else float(self.mu / den)

    def expansion_inputs(self):
        r"""Keyword arguments of :func:`excess_risk_expansion` at :math:`\theta^*`.

        Score covariances by Isserlis' theorem; :math:`\nabla^2\phi=-2\mu_1\mu_1^\top`,
        :math:`\nabla^2\psi=2(\mu_s\mu_s^\top-\mu_1\mu_1^\top)`.
        """
        th = self.theta_star
        return dict(
            grad_phi=self.grad_phi, grad_psi=self.grad_psi, H=self.H,
            Sigma0=_gaussian_ls_score_cov(np.zeros(2), th, 0.0),
            Sigma1=_gaussian_ls_score_cov(self.mu1, th, 1.0),
            Sigma_syn=_gaussian_ls_score_cov(self.mu_syn, th, 1.0),
            hess_phi=-2.0 * np.outer(self.mu1, self.mu1),
            hess_psi=2.0 * (np.outer(self.mu_syn, self.mu_syn) - np.outer(self.mu1, self.mu1)),
        )

    def simulate(self, n1, gamma, *, ratio=20, trials=100, alpha=1e-6, random_state=None):
        r"""Monte-Carlo excess risk and parameter error of ridge ERM at one multiplier.

        Draws ``n0 = ratio * n1`` majority and ``n1`` minority rows and
        ``round(gamma (n0 - n1))`` synthetic rows from :math:`P_{\rm syn}`, fits
        :func:`ridge_fit` and returns the closed-form excess balanced risk and
        :math:`\|\hat\theta-\theta^*\|` of each trial (spec §3, E1 design).

        Returns
        -------
        excess, param_error : numpy.ndarray of shape (trials,)

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> ex, err = examples.aligned_gaussian().simulate(200, 1.0, trials=20, random_state=0)
        >>> 0.014 < float(ex.mean()) < 0.019
        True
        """
        n1 = check_integer(n1, "n1", low=1)
        ratio = check_integer(ratio, "ratio", low=1)
        trials = check_integer(trials, "trials", low=1)
        gamma = check_scalar(gamma, "gamma", low=0)
        n0 = ratio * n1
        n_syn = synthetic_size(gamma, n0, n1)
        rng = check_random_state(random_state)
        ex = np.empty(trials)
        err = np.empty(trials)
        for r in range(trials):
            X, y = self.sample(n0, n1, rng)
            Xs = self.sample_synthetic(n_syn, rng)
            th = ridge_fit(np.vstack([X, Xs]), np.r_[y, np.ones(n_syn)], alpha)
            ex[r] = self.excess_risk(th)
            err[r] = np.linalg.norm(th - self.theta_star)
        return ex, err


def aligned_gaussian(mu=1.0, a=0.5):
    r"""Example E1: aligned *biased* generator; :math:`\tilde n_T=4D` at :math:`(\mu,a)=(1,\tfrac12)`.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e1 = examples.aligned_gaussian()
    >>> e1.theta_star.round(6).tolist(), e1.theory_target_ratio
    ([0.333333, 0.0], 4.0)
    """
    return AlignedGaussian(mu=mu, a=a, label="E1")


def realistic_gaussian(n1, c=1.0, mu=1.0):
    r"""Example E2: the generator mean :math:`(1-c/\sqrt{\ln n_1})\mu_1` approaches :math:`\mu_1` slowly.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> round(examples.realistic_gaussian(100).a, 4), round(examples.realistic_gaussian(100).theory_target_ratio, 3)
    (0.534, 3.156)
    >>> examples.realistic_gaussian(10).theory_target_ratio is None
    True
    """
    n1 = check_integer(n1, "n1", low=2)
    c = check_scalar(c, "c", low=0)
    mu = check_scalar(mu, "mu", low=0, low_inclusive=False)
    return AlignedGaussian(mu=mu, a=mu * (1.0 - c / np.sqrt(np.log(n1))), label="E2")


# ============================================================================ E3
_NOISES = ("cube", "rademacher", "sphere")


class MeanShift:
    r"""Example E3: :math:`X\mid y=\pm1\sim\pm\mu+\xi`, :math:`\mu=\delta e_1`, squared loss, labels ±1.

    The noise :math:`\xi` (mean 0, covariance :math:`I_d`) is uniform on the cube
    :math:`[-\sqrt3,\sqrt3]^d`, Rademacher, or uniform on the sphere of radius
    :math:`\sqrt d`. DERIVED: :math:`R_0\equiv R_1`, so :math:`\phi\equiv0`
    (global symmetry); :math:`\theta^*=\mu/(1+\|\mu\|^2)`,
    :math:`R^*=1/(1+\|\mu\|^2)`, :math:`H=2(I+\mu\mu^\top)`. The minority is +1.
    """

    def __init__(self, d=20, delta=1.0, noise="cube"):
        self.d = check_integer(d, "d", low=1)
        self.delta = check_scalar(delta, "delta")
        if noise not in _NOISES:
            raise ValueError(f"noise={noise!r} is invalid: expected one of {_NOISES}")
        self.noise = noise
        self.mu = np.zeros(self.d)
        self.mu[0] = self.delta
        self.theta_star = self.mu / (1.0 + self.delta**2)
        self.R_star = 1.0 / (1.0 + self.delta**2)
        self.H = 2.0 * (np.eye(self.d) + np.outer(self.mu, self.mu))

    def __repr__(self):
        return f"MeanShift(d={self.d}, delta={self.delta!r}, noise={self.noise!r})"

    def sample_noise(self, n, random_state=None):
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        if self.noise == "cube":
            return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(n, self.d))
        if self.noise == "rademacher":
            return rng.choice([-1.0, 1.0], size=(n, self.d))
        g = rng.standard_normal((n, self.d))
        return np.sqrt(self.d) * g / np.linalg.norm(g, axis=1, keepdims=True)

    def sample(self, n0, n1, random_state=None):
        """``n0`` majority rows (y = -1) then ``n1`` minority rows (y = +1)."""
        n0, n1 = _counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([-self.mu + self.sample_noise(n0, rng), self.mu + self.sample_noise(n1, rng)])
        return X, np.r_[-np.ones(n0, dtype=int), np.ones(n1, dtype=int)]

    def sample_minority(self, n, random_state=None):
        return self.mu + self.sample_noise(n, random_state)

    def semi_oracle(self):
        r"""The Semi-Oracle generator: estimated mean :math:`\bar X^{(1)}` plus the true noise law."""
        return SemiOracle(self)

    def balanced_risk(self, theta):
        th = _theta_rows(theta, self.d)
        return (1.0 - th @ self.mu) ** 2 + np.sum(th**2, axis=-1)

    def excess_risk(self, theta):
        r""":math:`(\theta-\theta^*)^\top(I+\mu\mu^\top)(\theta-\theta^*)`, exact."""
        diff = _theta_rows(theta, self.d) - self.theta_star
        return np.sum(diff**2, axis=-1) + (diff @ self.mu) ** 2

    def grad_psi(self, mean, second_moment):
        r""":math:`\nabla\psi(\theta^*)=-2(m_s-\mu)+2(S_s-I-\mu\mu^\top)\theta^*` for a synthetic
        law with mean :math:`m_s` and second moment :math:`S_s=\mathbb E xx^\top`."""
        m = check_array(mean, "mean", shape=(self.d,))
        S = check_array(second_moment, "second_moment", shape=(self.d, self.d))
        return -2.0 * (m - self.mu) + 2.0 * (S - np.eye(self.d) - np.outer(self.mu, self.mu)) @ self.theta_star

    def _noise_moments(self):
        """E ξ1^4 and E ξ1^2 ξ2^2 of the noise law."""
        if self.noise == "cube":
            return 9.0 / 5.0, 1.0
        if self.noise == "rademacher":
            return 1.0, 1.0
        return 3.0 * self.d / (self.d + 2.0), self.d / (self.d + 2.0)

    @property
    def oracle_constant(self):
        r""":math:`C=\tfrac12\operatorname{tr}(H^{-1}\Sigma)`: an Oracle generator has excess :math:`\approx C/N`.

        DERIVED: the score covariance at :math:`\theta^*` is
        :math:`\Sigma=\frac{4}{(1+\delta^2)^2}\operatorname{diag}\big(\delta^2(\mathbb E\xi_1^4-1)+(1-\delta^2)^2,\
        1+\delta^2\mathbb E\xi_1^2\xi_2^2,\dots\big)`, the same for both classes.
        Cube 9.6, Rademacher 9.5, sphere 9.28 at :math:`d=20`, :math:`\delta=1`.

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> [round(examples.mean_shift(noise=z).oracle_constant, 2) for z in ("cube", "rademacher", "sphere")]
        [9.6, 9.5, 9.28]
        """
        k4, m22 = self._noise_moments()
        dl2 = self.delta**2
        scale = 4.0 / (1.0 + dl2) ** 2
        first = (dl2 * (k4 - 1.0) + (1.0 - dl2) ** 2) / (2.0 * (1.0 + dl2))
        rest = (self.d - 1) * (1.0 + dl2 * m22) / 2.0
        return 0.5 * scale * (first + rest)


class SemiOracle(Generator):
    r"""Semi-Oracle of E3: :math:`\bar X^{(1)}+\xi` with the true noise law of ``example``."""

    def __init__(self, example=None):
        self.example = example

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        X = _check_minority(X_minority, 1, "SemiOracle")
        return X.mean(axis=0) + self.example.sample_noise(self._n(n), random_state)


def mean_shift(d=20, delta=1.0, noise="cube"):
    r"""Example E3 (global symmetry): every synthetic point can only add mismatch.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e3 = examples.mean_shift()
    >>> float(e3.theta_star[0]), e3.R_star
    (0.5, 0.5)
    """
    return MeanShift(d=d, delta=delta, noise=noise)


@dataclass(frozen=True)
class RidgeCurves:
    """Output of :func:`ridge_excess_curves`: arrays of shape (trials, len(gammas)) per generator."""

    gammas: np.ndarray
    sizes: np.ndarray
    excess: dict
    param_error: dict


def ridge_excess_curves(example, generators, gammas, n0, n1, *, trials=100, alpha=1e-8,
                        random_state=None):
    r"""Excess balanced risk of ridge ERM along a γ grid, for several generators (E1–E3 design).

    In each trial the real data are drawn once and shared by all generators and
    multipliers; each generator draws one pool of the largest size and the
    sizes :math:`\mathrm{round}(\gamma(n_0-n_1))` use its prefixes (spec §3, E3).
    Synthetic rows get target 1 (the minority label of E1–E3). The fits use
    running sums of :math:`X^\top X` over the prefixes.

    Parameters
    ----------
    example : AlignedGaussian or MeanShift
    generators : dict name -> generator
    gammas : array_like of float >= 0
    n0, n1 : int
    trials : int
    alpha : float
        Ridge penalty (E1/E2: 1e-6, E3: 1e-8).
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    RidgeCurves

    Examples
    --------
    >>> from synthlib.imbalance import Oracle, examples
    >>> e3 = examples.mean_shift()
    >>> cur = examples.ridge_excess_curves(e3, {"oracle": Oracle(e3)}, [0.0, 1.0], 2000, 100,
    ...                                    trials=5, random_state=0)
    >>> cur.excess["oracle"].shape
    (5, 2)
    """
    gammas = np.atleast_1d(check_scalar(gammas, "gammas", low=0, allow_array=True))
    n0, n1 = _counts(n0, n1)
    trials = check_integer(trials, "trials", low=1)
    sizes = synthetic_size(gammas, n0, n1)
    order = np.argsort(sizes, kind="stable")
    rng = check_random_state(random_state)
    excess = {k: np.empty((trials, gammas.size)) for k in generators}
    perr = {k: np.empty((trials, gammas.size)) for k in generators}
    d = example.d
    for r in range(trials):
        X, y = example.sample(n0, n1, rng)
        t = y.astype(float)
        is_min = y == 1
        for name, gen in generators.items():
            pool = draw_synthetic(gen, X[is_min], int(sizes.max()), rng, X_majority=X[~is_min])
            thetas = _ridge_prefix_path(X, t, pool, np.ones(pool.shape[0]), sizes[order],
                                        np.full(d, float(alpha)))
            ex = example.excess_risk(thetas)
            excess[name][r, order] = ex
            perr[name][r, order] = np.linalg.norm(thetas - example.theta_star, axis=1)
    return RidgeCurves(gammas=gammas, sizes=sizes, excess=excess, param_error=perr)


# ============================================================================ E4
def _sigma_prime(z):
    s = expit(z)
    return s * (1.0 - s)


class LogisticSymmetric:
    r"""Example E4: a well-specified logistic model under local symmetry (spec §3, E4).

    :math:`x=Tv+W\in\mathbb R^d`, :math:`v=e_1`, :math:`T=-a` w.p. :math:`\alpha`
    and :math:`b` otherwise; :math:`W=(0,\sigma_wZ+s\,m)` with a random sign
    :math:`s` and :math:`m=(2.5,2.5,2.5,0,\dots)`; :math:`P(Y=1\mid x)=\sigma(c\,x_1)`,
    labels ±1, minority +1. DERIVED: :math:`\theta^*=c\,e_1` is a stationary
    point of each class risk iff :math:`\mathbb E[\sigma'(cT)T]=0`, i.e.
    :math:`\alpha=\frac{b\sigma'(cb)}{a\sigma'(ca)+b\sigma'(cb)}`.
    """

    def __init__(self, d=20, a=5.0, b=1.0, c=1.0, sigma_w=1.0, mix_mu=2.5):
        self.d = check_integer(d, "d", low=2)
        self.a = check_scalar(a, "a", low=0, low_inclusive=False)
        self.b = check_scalar(b, "b", low=0, low_inclusive=False)
        self.c = check_scalar(c, "c", low=0, low_inclusive=False)
        self.sigma_w = check_scalar(sigma_w, "sigma_w", low=0)
        self.mix_mu = check_scalar(mix_mu, "mix_mu")
        sa, sb = _sigma_prime(self.c * self.a), _sigma_prime(self.c * self.b)
        self.alpha = float(self.b * sb / (self.a * sa + self.b * sb))
        self.theta_star = np.zeros(self.d)
        self.theta_star[0] = self.c
        self._m = np.zeros(self.d - 1)
        self._m[: min(3, self.d - 1)] = self.mix_mu
        self._test_cache = {}

    def __repr__(self):
        return f"LogisticSymmetric(d={self.d}, a={self.a!r}, b={self.b!r}, c={self.c!r})"

    @property
    def minority_share(self):
        r""":math:`P(Y=+1)=\alpha\sigma(-ca)+(1-\alpha)\sigma(cb)`."""
        return float(self.alpha * expit(-self.c * self.a) + (1 - self.alpha) * expit(self.c * self.b))

    def sample_x(self, n, random_state=None):
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        T = np.where(rng.random(n) < self.alpha, -self.a, self.b)
        X = np.zeros((n, self.d))
        X[:, 0] = T
        signs = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        X[:, 1:] = self.sigma_w * rng.standard_normal((n, self.d - 1)) + signs[:, None] * self._m
        return X

    def sample(self, n, random_state=None):
        """``n`` rows of the joint law (class counts random), labels ±1."""
        rng = check_random_state(random_state)
        X = self.sample_x(n, rng)
        y = np.where(rng.random(X.shape[0]) < expit(X @ self.theta_star), 1, -1)
        return X, y

    def _sample_class(self, label, n, rng):
        out, have = [], 0
        share = self.minority_share if label == 1 else 1 - self.minority_share
        while have < n:
            batch = int(1.2 * (n - have) / share) + 64
            X, y = self.sample(batch, rng)
            keep = X[y == label]
            out.append(keep)
            have += keep.shape[0]
        return np.vstack(out)[:n]

    def sample_minority(self, n, random_state=None):
        """Rejection sampling from :math:`x\\mid Y=+1` (the Oracle of E4)."""
        return self._sample_class(1, check_integer(n, "n", low=0), check_random_state(random_state))

    def balanced_log_loss(self, theta, X, y):
        """Balanced logistic loss of ``theta`` (no intercept) on labelled rows (labels ±1)."""
        th = _theta_rows(theta, self.d)
        z = X @ th.T if th.ndim > 1 else X @ th
        pos = y == 1
        lp = np.logaddexp(0.0, -z[pos])
        ln = np.logaddexp(0.0, z[~pos])
        return 0.5 * lp.mean(axis=0) + 0.5 * ln.mean(axis=0)

    def test_set(self, n_per_class=20000, random_state=0):
        """A balanced test set (cached per size and integer seed)."""
        key = (n_per_class, random_state)
        if isinstance(random_state, (int, np.integer)) and key in self._test_cache:
            return self._test_cache[key]
        rng = check_random_state(random_state)
        Xp = self._sample_class(1, n_per_class, rng)
        Xn = self._sample_class(-1, n_per_class, rng)
        out = (np.vstack([Xn, Xp]), np.r_[-np.ones(n_per_class, dtype=int), np.ones(n_per_class, dtype=int)])
        if isinstance(random_state, (int, np.integer)):
            self._test_cache[key] = out
        return out

    def excess_risk(self, theta, n_per_class=20000, random_state=0):
        r"""Empirical excess balanced log-loss over :math:`\theta^*` on a balanced test set.

        No closed form exists for E4; as in the paper's study, the excess is
        measured on a balanced test set (20 000 per class, cached by seed) as
        :math:`\hat R_{\rm bal}(\theta)-\hat R_{\rm bal}(\theta^*)` on the same rows.
        """
        X, y = self.test_set(n_per_class, random_state)
        return self.balanced_log_loss(theta, X, y) - self.balanced_log_loss(self.theta_star, X, y)

    def fit(self, X, y, C=1e6, theta0=None):
        r"""``LogisticRegression(C=C, fit_intercept=False)``'s objective, by Newton steps."""
        t = (np.asarray(y) == 1).astype(float)
        theta, _ = _logistic_newton(np.asarray(X, dtype=float), t, C=C, theta0=theta0)
        return theta


def logistic_symmetric(d=20, a=5.0, b=1.0, c=1.0, sigma_w=1.0, mix_mu=2.5):
    r"""Example E4: logistic local symmetry; :math:`\alpha=0.855384` at :math:`(a,b,c)=(5,1,1)`.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e4 = examples.logistic_symmetric()
    >>> round(e4.alpha, 6), round(e4.minority_share, 4)
    (0.855384, 0.1114)
    """
    return LogisticSymmetric(d=d, a=a, b=b, c=c, sigma_w=sigma_w, mix_mu=mix_mu)


# ============================================================================ E5
B0 = float((5.0 - np.sqrt(21.0)) / 2.0)


class SymmetryTestDGP:
    r"""Example E5: :math:`X^{(0)}=-e_1+U_0\odot(2,1,\dots,1)`, :math:`X^{(1)}=b\,e_1+U_1`.

    :math:`U\sim U[-\sqrt3,\sqrt3]^d`; "centred" squared loss
    :math:`(x^\top\theta-(y-\tfrac12))^2`, no intercept. DERIVED:
    :math:`\theta^*=\frac{1+b}{2(6+b^2)}e_1`, :math:`\nabla\phi(\theta^*)=g_1(b)e_1`
    with :math:`g_1(b)=\frac{2(5b-1-b^2)}{6+b^2}`, which vanishes at
    :math:`b_0=(5-\sqrt{21})/2` (the null of the Wald test).
    """

    def __init__(self, d=5, b=None):
        self.d = check_integer(d, "d", low=1)
        self.b = B0 if b is None else check_scalar(b, "b")
        self.theta_star = np.zeros(self.d)
        self.theta_star[0] = (1.0 + self.b) / (2.0 * (6.0 + self.b**2))
        self._scale0 = np.ones(self.d)
        self._scale0[0] = 2.0

    def __repr__(self):
        return f"SymmetryTestDGP(d={self.d}, b={self.b!r})"

    @staticmethod
    def g1(b):
        return 2.0 * (5.0 * b - 1.0 - b * b) / (6.0 + b * b)

    @classmethod
    def b_for_gradient(cls, g):
        """The ``b`` near :math:`b_0` with :math:`g_1(b)=g` (g1 is increasing on [-0.5, 1.5])."""
        g = check_scalar(g, "g", low=cls.g1(-0.5), high=cls.g1(1.5))
        return float(optimize.brentq(lambda b: cls.g1(b) - g, -0.5, 1.5, xtol=1e-14))

    @property
    def grad_phi(self):
        out = np.zeros(self.d)
        out[0] = self.g1(self.b)
        return out

    def _uniform(self, n, rng):
        return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(n, self.d))

    def sample(self, n0, n1, random_state=None):
        """``n0`` rows of class 0 then ``n1`` rows of class 1."""
        n0, n1 = _counts(n0, n1)
        rng = check_random_state(random_state)
        e1 = np.zeros(self.d)
        e1[0] = 1.0
        X0 = -e1 + self._uniform(n0, rng) * self._scale0
        X1 = self.b * e1 + self._uniform(n1, rng)
        return np.vstack([X0, X1]), np.r_[np.zeros(n0, dtype=int), np.ones(n1, dtype=int)]

    def population_covariance(self, n0, n1, *, n_mc=100_000, random_state=0):
        r"""Covariance :math:`V_n` of :math:`g_\phi` at :math:`\theta^*` (Monte Carlo scores, exact Hessians)."""
        n0, n1 = _counts(n0, n1)
        X, y = self.sample(n_mc, n_mc, random_state)
        th = self.theta_star
        s = 2.0 * (X @ th - (y - 0.5))[:, None] * X
        S0 = np.cov(s[y == 0], rowvar=False).reshape(self.d, self.d)
        S1 = np.cov(s[y == 1], rowvar=False).reshape(self.d, self.d)
        H0 = 2.0 * np.diag(np.r_[5.0, np.ones(self.d - 1)])
        H1 = 2.0 * np.diag(np.r_[1.0 + self.b**2, np.ones(self.d - 1)])
        H = 0.5 * (H0 + H1)
        GH = (H0 - H1) @ np.linalg.inv(H)
        A0 = np.eye(self.d) - 0.5 * GH
        A1 = -np.eye(self.d) - 0.5 * GH
        return A0 @ S0 @ A0.T / n0 + A1 @ S1 @ A1.T / n1

    def local_power(self, n0, n1, *, alpha=0.05, n_mc=100_000, random_state=0):
        r"""Power :math:`P(\chi^2_d(\lambda_n)>\chi^2_{d,1-\alpha})`, :math:`\lambda_n=g^\top V_n^{-1}g`."""
        V = self.population_covariance(n0, n1, n_mc=n_mc, random_state=random_state)
        g = self.grad_phi
        lam = float(g @ _regularised_inverse(V) @ g)
        cutoff = stats.chi2.ppf(1 - alpha, self.d)
        return float(stats.ncx2.sf(cutoff, self.d, lam)) if lam > 0 else float(alpha)


def symmetry_test_dgp(d=5, b=None):
    r"""Example E5; ``b=None`` is the null :math:`b_0=(5-\sqrt{21})/2`.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e5 = examples.symmetry_test_dgp()
    >>> round(e5.b, 10), bool(abs(e5.grad_phi[0]) < 1e-12)
    (0.2087121525, True)
    """
    return SymmetryTestDGP(d=d, b=b)


# ============================================================================ E6
class TGLinear:
    r"""E6 linear study: :math:`P_0=N(0,I_d)`, :math:`P_1=\tfrac12N(\delta e_1+\tfrac s2e_2,I)+\tfrac12N(\delta e_1-\tfrac s2e_2,I)`."""

    def __init__(self, d=5, delta=2.0, mix_sep=3.5):
        self.d = check_integer(d, "d", low=2)
        self.delta = check_scalar(delta, "delta")
        self.mix_sep = check_scalar(mix_sep, "mix_sep")

    def __repr__(self):
        return f"TGLinear(d={self.d}, delta={self.delta!r}, mix_sep={self.mix_sep!r})"

    def sample_minority(self, n, random_state=None):
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        # the last normal column picks the mixture component (its sign): one row per
        # point keeps draws prefix-consistent
        z = rng.standard_normal((n, self.d + 1))
        X = z[:, : self.d]
        X[:, 0] += self.delta
        X[:, 1] += np.where(z[:, self.d] < 0, 0.5, -0.5) * self.mix_sep
        return X

    def sample(self, n0, n1, random_state=None):
        n0, n1 = _counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([rng.standard_normal((n0, self.d)), self.sample_minority(n1, rng)])
        return X, np.r_[np.zeros(n0, dtype=int), np.ones(n1, dtype=int)]


def tg_linear(d=5, delta=2.0, mix_sep=3.5):
    """E6 linear DGP (TG linear study, spec §5): SMOTE interpolates across the two minority modes.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> X, y = examples.tg_linear().sample(4000, 200, random_state=0)
    >>> X.shape, int(y.sum())
    ((4200, 5), 200)
    """
    return TGLinear(d=d, delta=delta, mix_sep=mix_sep)


class TGNonlinear:
    r"""E6 nonlinear study: majority :math:`0.7N(0,\Sigma)+0.3N(1.5e_1,\Sigma)`, minority a noisy ring.

    :math:`\Sigma` has correlation 0.5 between coordinates 1 and 2; the ring has
    centre :math:`(\delta,0)`, radius :math:`2.2+N(0,0.12^2)` and
    :math:`N(0,0.08^2)` noise; other minority coordinates are :math:`N(0,0.08^2)`.
    """

    def __init__(self, d=5, delta=4.8):
        self.d = check_integer(d, "d", low=2)
        self.delta = check_scalar(delta, "delta")
        cov = np.eye(self.d)
        cov[0, 1] = cov[1, 0] = 0.5
        self._chol = np.linalg.cholesky(cov)

    def __repr__(self):
        return f"TGNonlinear(d={self.d}, delta={self.delta!r})"

    def sample_majority(self, n, random_state=None):
        rng = check_random_state(random_state)
        X = rng.standard_normal((n, self.d)) @ self._chol.T
        X[:, 0] += np.where(rng.random(n) < 0.3, 1.5, 0.0)
        return X

    def sample_minority(self, n, random_state=None):
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        angle = rng.uniform(0, 2 * np.pi, n)
        radius = 2.2 + 0.12 * rng.standard_normal(n)
        X = 0.08 * rng.standard_normal((n, self.d))
        X[:, 0] += self.delta + radius * np.cos(angle)
        X[:, 1] += radius * np.sin(angle)
        return X

    def sample(self, n0, n1, random_state=None):
        n0, n1 = _counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([self.sample_majority(n0, rng), self.sample_minority(n1, rng)])
        return X, np.r_[np.zeros(n0, dtype=int), np.ones(n1, dtype=int)]


def tg_nonlinear(d=5, delta=4.8):
    """E6 nonlinear DGP (TG nonlinear study, spec §5).

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> X, y = examples.tg_nonlinear().sample(100, 10, random_state=0)
    >>> X.shape
    (110, 5)
    """
    return TGNonlinear(d=d, delta=delta)
