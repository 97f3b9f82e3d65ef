r"""Example E5: the data-generating process of the local-symmetry Wald test."""
from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from ..._deprecation import renamed_parameters
from ..._validation import check_integer, check_scalar
from .._numerics import _regularised_inverse, single_blas_thread
from ._common import Example, check_counts, dimension_api

__all__ = ["SymmetryTestDGP", "symmetry_test_dgp", "B0"]

#: the null of the Wald test: :math:`g_1(b_0)=0`
B0 = float((5.0 - np.sqrt(21.0)) / 2.0)


class SymmetryTestDGP(Example):
    r"""Example E5: :math:`X^{(0)}=-e_1+U_0\odot(2,1,\dots,1)`, :math:`X^{(1)}=b\,e_1+U_1`.

    :math:`U\sim U[-\sqrt3,\sqrt3]^p`; "centred" squared loss
    :math:`(x^\top\theta-(y-\tfrac12))^2`, no intercept. DERIVED:
    :math:`\theta^*=\frac{1+b}{2(6+b^2)}e_1`, :math:`\nabla\phi(\theta^*)=g_1(b)e_1`
    with :math:`g_1(b)=\frac{2(5b-1-b^2)}{6+b^2}`, which vanishes at
    :math:`b_0=(5-\sqrt{21})/2` (the null of the Wald test).

    Parameters
    ----------
    p : int >= 1, default 5
        Dimension (formerly ``d``).
    b : float or None
        ``None`` is the null :math:`b_0`.
    """

    @dimension_api
    def __init__(self, p=5, b=None):
        self.p = check_integer(p, "p", low=1)
        self.b = B0 if b is None else check_scalar(b, "b")
        self.theta_star = np.zeros(self.p)
        self.theta_star[0] = (1.0 + self.b) / (2.0 * (6.0 + self.b**2))
        self._scale0 = np.ones(self.p)
        self._scale0[0] = 2.0

    def __repr__(self):
        return f"SymmetryTestDGP(p={self.p}, b={self.b!r})"

    @staticmethod
    def g1(b):
        r""":math:`g_1(b)=\frac{2(5b-1-b^2)}{6+b^2}`, the first coordinate of :math:`\nabla\phi(\theta^*)`.

        ``b`` is a finite real number or a non-empty array of them (elementwise).
        """
        b = check_scalar(b, "b", allow_array=True)
        return 2.0 * (5.0 * b - 1.0 - b * b) / (6.0 + b * b)

    @classmethod
    def b_for_gradient(cls, g):
        """The ``b`` near :math:`b_0` with :math:`g_1(b)=g` (g1 is increasing on [-0.5, 1.5])."""
        g = check_scalar(g, "g", low=cls.g1(-0.5), high=cls.g1(1.5))
        return float(optimize.brentq(lambda b: cls.g1(b) - g, -0.5, 1.5, xtol=1e-14))

    @property
    def grad_phi(self):
        r""":math:`\nabla\phi(\theta^*)=g_1(b)e_1`."""
        out = np.zeros(self.p)
        out[0] = self.g1(self.b)
        return out

    def _uniform(self, n, rng):
        return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(n, self.p))

    def _majority(self, n, rng):
        e1 = np.zeros(self.p)
        e1[0] = 1.0
        return -e1 + self._uniform(n, rng) * self._scale0

    def _minority(self, n, rng):
        e1 = np.zeros(self.p)
        e1[0] = 1.0
        return self.b * e1 + self._uniform(n, rng)

    @single_blas_thread
    def population_covariance(self, n0, n1, *, n_mc=100_000, random_state=0):
        r"""Covariance :math:`V_n` of :math:`g_\phi` at :math:`\theta^*` (Monte Carlo scores, exact Hessians)."""
        n0, n1 = check_counts(n0, n1)
        n_mc = check_integer(n_mc, "n_mc", low=2)
        X, y = self.sample(n_mc, n_mc, random_state=random_state)
        th = self.theta_star
        s = 2.0 * (X @ th - (y - 0.5))[:, None] * X
        S0 = np.cov(s[y == 0], rowvar=False).reshape(self.p, self.p)
        S1 = np.cov(s[y == 1], rowvar=False).reshape(self.p, self.p)
        H0 = 2.0 * np.diag(np.r_[5.0, np.ones(self.p - 1)])
        H1 = 2.0 * np.diag(np.r_[1.0 + self.b**2, np.ones(self.p - 1)])
        H = 0.5 * (H0 + H1)
        GH = (H0 - H1) @ np.linalg.inv(H)
        A0 = np.eye(self.p) - 0.5 * GH
        A1 = -np.eye(self.p) - 0.5 * GH
        return A0 @ S0 @ A0.T / n0 + A1 @ S1 @ A1.T / n1

    @renamed_parameters({"alpha": "level"})
    def local_power(self, n0, n1, *, level=0.05, n_mc=100_000, random_state=0):
        r"""Power :math:`P(\chi^2_p(\lambda_n)>\chi^2_{p,1-\alpha})`, :math:`\lambda_n=g^\top V_n^{-1}g`.

        ``level`` is the test level :math:`\alpha` (formerly the keyword ``alpha``).
        """
        level = check_scalar(level, "level", low=0, high=1, low_inclusive=False, high_inclusive=False)
        V = self.population_covariance(n0, n1, n_mc=n_mc, random_state=random_state)
        g = self.grad_phi
        lam = float(g @ _regularised_inverse(V) @ g)
        cutoff = stats.chi2.ppf(1 - level, self.p)
        return float(stats.ncx2.sf(cutoff, self.p, lam)) if lam > 0 else float(level)


@dimension_api
def symmetry_test_dgp(p=5, b=None):
    r"""Example E5; ``b=None`` is the null :math:`b_0=(5-\sqrt{21})/2`.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e5 = examples.symmetry_test_dgp()
    >>> round(e5.b, 10), bool(abs(e5.grad_phi[0]) < 1e-12)
    (0.2087121525, True)
    """
    return SymmetryTestDGP(p=p, b=b)
