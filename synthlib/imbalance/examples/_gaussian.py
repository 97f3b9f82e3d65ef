r"""Examples E1 and E2: aligned two-dimensional Gaussians with a biased / realistic generator."""
from __future__ import annotations

import numpy as np

from ..._random import check_random_state
from ..._validation import check_integer, check_scalar
from .._generators import Oracle
from .._losses import synthetic_size
from .._numerics import single_blas_thread
from ._common import Example, draw_api, ridge_keywords, theta_rows
from ._experiments import SimulationDraws, ridge_fit

__all__ = ["AlignedGaussian", "aligned_gaussian", "realistic_gaussian"]


def _gaussian_ls_score_cov(mean, theta, target):
    r"""Covariance of :math:`-2(y-\theta^\top x)x` for :math:`x\sim N(m,I)` (Isserlis)."""
    m = np.asarray(mean, dtype=float)
    e0 = target - theta @ m
    tt = theta @ theta
    p = m.size
    inner = ((e0**2 + tt) * np.eye(p) + tt * np.outer(m, m) + np.outer(theta, theta)
             - e0 * (np.outer(m, theta) + np.outer(theta, m)))
    return 4.0 * inner


class AlignedGaussian(Example):
    r"""Examples E1/E2: :math:`P_0=N(0,I_2)`, :math:`P_1=N((\mu,0),I_2)`, :math:`P_{\rm syn}=N((a,0),I_2)`.

    Squared loss :math:`(y-\theta^\top x)^2`, :math:`y\in\{0,1\}`, no intercept
    (spec §3, E1). DERIVED closed forms: :math:`R_{\rm bal}(\theta)=\|\theta\|^2+\tfrac12(1-\theta^\top\mu_1)^2`,
    :math:`\theta^*=\mu_1/(2+\mu^2)`, :math:`H=2I+\mu_1\mu_1^\top`,
    :math:`\nabla\phi(\theta^*)=\frac{4\mu}{\mu^2+2}e_1`,
    :math:`\nabla\psi(\theta^*)=\frac{2(a-\mu)(a\mu-2)}{\mu^2+2}e_1` (collinear, so
    the theory target cancels the bias exactly at the population level).

    Use :func:`aligned_gaussian` (E1) or :func:`realistic_gaussian` (E2).
    """

    p = 2

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
    def _majority(self, n, rng):
        return rng.standard_normal((n, 2))

    def _minority(self, n, rng):
        return self.mu1 + rng.standard_normal((n, 2))

    @draw_api
    def sample_synthetic(self, n, *, random_state=None):
        """Draws from the generator's law :math:`P_{\\rm syn}=N((a,0),I)`."""
        return self.mu_syn + check_random_state(random_state).standard_normal((check_integer(n, "n", low=0), 2))

    def synthetic_generator(self):
        """The example's (mismatched) generator, as a synthlib generator."""
        return Oracle(self.sample_synthetic)

    # closed forms ---------------------------------------------------------------
    def balanced_risk(self, theta):
        r""":math:`R_{\rm bal}(\theta)=\|\theta\|^2+\tfrac12(1-\theta^\top\mu_1)^2`, exact."""
        th = theta_rows(theta, 2)
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
        diff = theta_rows(theta, 2) - self.theta_star
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
        if n0 + n1 + n_syn == 0:
            raise ValueError("n0 = n1 = n_syn = 0: the augmented risk of an empty sample has no minimiser")
        num = n1 * self.mu + n_syn * self.a
        den = n0 + n1 * (1 + self.mu**2) + n_syn * (1 + self.a**2)
        return np.array([num / den, 0.0])

    @property
    def grad_phi(self):
        r""":math:`\nabla\phi(\theta^*)=\frac{4\mu}{\mu^2+2}e_1`."""
        return np.array([4.0 * self.mu / (self.mu**2 + 2.0), 0.0])

    @property
    def grad_psi(self):
        r""":math:`\nabla\psi(\theta^*)=\frac{2(a-\mu)(a\mu-2)}{\mu^2+2}e_1` of the example's generator."""
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

    @ridge_keywords({"ratio": "imbalance_ratio"})
    @single_blas_thread
    def simulate(self, n1, multiplier, *, imbalance_ratio=20, trials=100, gamma=1e-6, random_state=None):
        r"""Monte-Carlo excess risk and parameter error of ridge ERM at one multiplier.

        Draws ``n0 = imbalance_ratio * n1`` majority and ``n1`` minority rows and
        ``round(multiplier (n0 - n1))`` synthetic rows from :math:`P_{\rm syn}`, fits
        :func:`ridge_fit` with penalty ``gamma`` and returns the closed-form excess
        balanced risk and :math:`\|\hat\theta-\theta^*\|` of each trial (spec §3, E1 design).

        Old keywords keep working with a ``FutureWarning``: ``ratio`` (now
        ``imbalance_ratio``) and, from before the vocabulary of the book, ``gamma`` as the
        multiplier with ``alpha`` as the ridge. A call that passes ``alpha=``, or
        ``gamma=`` without a multiplier, is read the old way (``gamma`` → ``multiplier``,
        ``alpha`` → ``gamma``); otherwise ``gamma`` is the ridge penalty.

        Returns
        -------
        SimulationDraws
            ``(excess, param_error)``, arrays of shape (trials,); ``.summary()`` gives their
            :class:`synthlib.MonteCarloSummary`.

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> ex, err = examples.aligned_gaussian().simulate(200, 1.0, trials=20, random_state=0)
        >>> 0.014 < float(ex.mean()) < 0.019
        True
        """
        n1 = check_integer(n1, "n1", low=1)
        imbalance_ratio = check_integer(imbalance_ratio, "imbalance_ratio", low=1)
        trials = check_integer(trials, "trials", low=1)
        multiplier = check_scalar(multiplier, "multiplier", low=0)
        gamma = check_scalar(gamma, "gamma", low=0)
        n0 = imbalance_ratio * n1
        n_syn = synthetic_size(multiplier, n0, n1)
        rng = check_random_state(random_state)
        ex = np.empty(trials)
        err = np.empty(trials)
        for r in range(trials):
            X, y = self.sample(n0, n1, random_state=rng)
            Xs = self.sample_synthetic(n_syn, random_state=rng)
            th = ridge_fit(np.vstack([X, Xs]), np.r_[y, np.ones(n_syn)], gamma)
            ex[r] = self.excess_risk(th)
            err[r] = np.linalg.norm(th - self.theta_star)
        return SimulationDraws(ex, err)


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
