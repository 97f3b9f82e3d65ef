r"""Example E3: the mean-shift model under global symmetry, and its Semi-Oracle generator."""
from __future__ import annotations

import numpy as np

from ..._random import check_random_state
from ..._validation import check_array, check_integer, check_scalar
from .._generators import SyntheticGenerator, _check_minority, _sample_api
from ._common import CallableGradient, Example, dimension_api, draw_api, theta_rows

__all__ = ["MeanShift", "SemiOracle", "mean_shift"]

_NOISES = ("cube", "rademacher", "sphere")


class MeanShift(Example):
    r"""Example E3: :math:`X\mid y=\pm1\sim\pm\mu+\xi`, :math:`\mu=\delta e_1`, squared loss, labels ±1.

    The noise :math:`\xi` (mean 0, covariance :math:`I_p`) is uniform on the cube
    :math:`[-\sqrt3,\sqrt3]^p`, Rademacher, or uniform on the sphere of radius
    :math:`\sqrt p`. DERIVED: :math:`R_0\equiv R_1`, so :math:`\phi\equiv0`
    (global symmetry); :math:`\theta^*=\mu/(1+\|\mu\|^2)`,
    :math:`R^*=1/(1+\|\mu\|^2)`, :math:`H=2(I+\mu\mu^\top)`. The minority is +1.

    Parameters
    ----------
    p : int >= 1, default 20
        Dimension (formerly ``d``, which still works with a ``FutureWarning``).
    delta : float
    noise : {"cube", "rademacher", "sphere"}
    """

    labels = (-1, 1)

    @dimension_api
    def __init__(self, p=20, delta=1.0, noise="cube"):
        self.p = check_integer(p, "p", low=1)
        self.delta = check_scalar(delta, "delta")
        if noise not in _NOISES:
            raise ValueError(f"noise={noise!r} is invalid: expected one of {_NOISES}")
        self.noise = noise
        self.mu = np.zeros(self.p)
        self.mu[0] = self.delta
        self.theta_star = self.mu / (1.0 + self.delta**2)
        self.R_star = 1.0 / (1.0 + self.delta**2)
        self.H = 2.0 * (np.eye(self.p) + np.outer(self.mu, self.mu))

    def __repr__(self):
        return f"MeanShift(p={self.p}, delta={self.delta!r}, noise={self.noise!r})"

    @draw_api
    def sample_noise(self, n, *, random_state=None):
        """``n`` draws of the noise law :math:`\\xi` (mean 0, covariance :math:`I_p`)."""
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        if self.noise == "cube":
            return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(n, self.p))
        if self.noise == "rademacher":
            return rng.choice([-1.0, 1.0], size=(n, self.p))
        g = rng.standard_normal((n, self.p))
        return np.sqrt(self.p) * g / np.linalg.norm(g, axis=1, keepdims=True)

    def _majority(self, n, rng):
        return -self.mu + self.sample_noise(n, random_state=rng)

    def _minority(self, n, rng):
        return self.mu + self.sample_noise(n, random_state=rng)

    def semi_oracle(self):
        r"""The Semi-Oracle generator: estimated mean :math:`\bar X^{(1)}` plus the true noise law."""
        return SemiOracle(self)

    def balanced_risk(self, theta):
        r""":math:`R_{\rm bal}(\theta)=(1-\theta^\top\mu)^2+\|\theta\|^2`, exact."""
        th = theta_rows(theta, self.p)
        return (1.0 - th @ self.mu) ** 2 + np.sum(th**2, axis=-1)

    def excess_risk(self, theta):
        r""":math:`(\theta-\theta^*)^\top(I+\mu\mu^\top)(\theta-\theta^*)`, exact."""
        diff = theta_rows(theta, self.p) - self.theta_star
        return np.sum(diff**2, axis=-1) + (diff @ self.mu) ** 2

    @property
    def grad_phi(self):
        r""":math:`\nabla\phi(\theta^*)=0`: the two class risks coincide (global symmetry)."""
        return np.zeros(self.p)

    @property
    def grad_psi(self):
        r""":math:`\nabla\psi(\theta^*)` of the example's default synthetic law, the true minority law: 0.

        For another synthetic law use :meth:`grad_psi_for_law`. (This used to be a method
        ``grad_psi(mean, second_moment)``; calling the property's value that way still
        works, with a ``FutureWarning``.)
        """
        return CallableGradient(np.zeros(self.p), self.grad_psi_for_law,
                                "MeanShift.grad_psi", "MeanShift.grad_psi_for_law")

    def grad_psi_for_law(self, mean, second_moment):
        r""":math:`\nabla\psi(\theta^*)=-2(m_s-\mu)+2(S_s-I-\mu\mu^\top)\theta^*` of a synthetic law.

        Parameters
        ----------
        mean : array_like of shape (p,)
            Mean :math:`m_s` of the synthetic law.
        second_moment : array_like of shape (p, p)
            Its second moment :math:`S_s=\mathbb E\,xx^\top`.

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.imbalance import examples
        >>> e3 = examples.mean_shift(p=3)
        >>> e3.grad_psi_for_law(e3.mu, np.eye(3) + np.outer(e3.mu, e3.mu)).tolist()   # the true law
        [0.0, 0.0, 0.0]
        """
        m = check_array(mean, "mean", shape=(self.p,))
        S = check_array(second_moment, "second_moment", shape=(self.p, self.p))
        return -2.0 * (m - self.mu) + 2.0 * (S - np.eye(self.p) - np.outer(self.mu, self.mu)) @ self.theta_star

    def _noise_moments(self):
        """E ξ1^4 and E ξ1^2 ξ2^2 of the noise law."""
        if self.noise == "cube":
            return 9.0 / 5.0, 1.0
        if self.noise == "rademacher":
            return 1.0, 1.0
        return 3.0 * self.p / (self.p + 2.0), self.p / (self.p + 2.0)

    @property
    def oracle_constant(self):
        r""":math:`C=\tfrac12\operatorname{tr}(H^{-1}\Sigma)`: an Oracle generator has excess :math:`\approx C/N`.

        DERIVED: the score covariance at :math:`\theta^*` is
        :math:`\Sigma=\frac{4}{(1+\delta^2)^2}\operatorname{diag}\big(\delta^2(\mathbb E\xi_1^4-1)+(1-\delta^2)^2,\
        1+\delta^2\mathbb E\xi_1^2\xi_2^2,\dots\big)`, the same for both classes.
        Cube 9.6, Rademacher 9.5, sphere 9.28 at :math:`p=20`, :math:`\delta=1`.

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
        rest = (self.p - 1) * (1.0 + dl2 * m22) / 2.0
        return 0.5 * scale * (first + rest)


class SemiOracle(SyntheticGenerator):
    r"""Semi-Oracle of E3: :math:`\bar X^{(1)}+\xi` with the true noise law of ``example``.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import examples
    >>> e3 = examples.mean_shift(p=3)
    >>> examples.SemiOracle(e3).sample(np.ones((4, 3)), 2, random_state=0).shape
    (2, 3)
    """

    def __init__(self, example=None):
        self.example = example

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """``n_syn`` draws of the minority mean plus the example's noise."""
        if not hasattr(self.example, "sample_noise"):
            raise ValueError(f"SemiOracle(example={self.example!r}) is invalid: expected an E3 "
                             "example (examples.mean_shift())")
        X = _check_minority(X_minority, 1, "SemiOracle", X_majority=X_majority)
        if X.shape[1] != self.example.p:
            raise ValueError(f"X_minority has {X.shape[1]} column(s): expected p={self.example.p} "
                             "to match the example")
        return X.mean(axis=0) + self.example.sample_noise(self._n(n_syn), random_state=random_state)


@dimension_api
def mean_shift(p=20, delta=1.0, noise="cube"):
    r"""Example E3 (global symmetry): every synthetic point can only add mismatch.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e3 = examples.mean_shift()
    >>> float(e3.theta_star[0]), e3.R_star
    (0.5, 0.5)
    """
    return MeanShift(p=p, delta=delta, noise=noise)
