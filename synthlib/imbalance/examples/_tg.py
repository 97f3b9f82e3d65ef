r"""Example E6: the two end-to-end TG-VTSS studies of the revised code (linear, nonlinear)."""
from __future__ import annotations

import numpy as np

from ..._random import check_random_state
from ..._validation import check_integer, check_scalar
from ._common import Example, dimension_api, draw_api

__all__ = ["TGLinear", "TGNonlinear", "tg_linear", "tg_nonlinear"]


class TGLinear(Example):
    r"""E6 linear study: :math:`P_0=N(0,I_p)`, a two-mode minority.

    :math:`P_1=\tfrac12N(\delta e_1+\tfrac s2e_2,I)+\tfrac12N(\delta e_1-\tfrac s2e_2,I)`.

    Parameters
    ----------
    p : int >= 2, default 5
        Dimension (formerly ``d``).
    delta, mix_sep : float
    """

    @dimension_api
    def __init__(self, p=5, delta=2.0, mix_sep=3.5):
        self.p = check_integer(p, "p", low=2)
        self.delta = check_scalar(delta, "delta")
        self.mix_sep = check_scalar(mix_sep, "mix_sep")

    def __repr__(self):
        return f"TGLinear(p={self.p}, delta={self.delta!r}, mix_sep={self.mix_sep!r})"

    def _majority(self, n, rng):
        return rng.standard_normal((n, self.p))

    def _minority(self, n, rng):
        # the last normal column picks the mixture component (its sign): one row per
        # point keeps draws prefix-consistent
        z = rng.standard_normal((n, self.p + 1))
        X = z[:, : self.p]
        X[:, 0] += self.delta
        X[:, 1] += np.where(z[:, self.p] < 0, 0.5, -0.5) * self.mix_sep
        return X


@dimension_api
def tg_linear(p=5, delta=2.0, mix_sep=3.5):
    """E6 linear DGP (TG linear study, spec §5): SMOTE interpolates across the two minority modes.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> X, y = examples.tg_linear().sample(4000, 200, random_state=0)
    >>> X.shape, int(y.sum())
    ((4200, 5), 200)
    """
    return TGLinear(p=p, delta=delta, mix_sep=mix_sep)


class TGNonlinear(Example):
    r"""E6 nonlinear study: majority :math:`0.7N(0,\Sigma)+0.3N(1.5e_1,\Sigma)`, minority a noisy ring.

    :math:`\Sigma` has correlation 0.5 between coordinates 1 and 2; the ring has
    centre :math:`(\delta,0)`, radius :math:`2.2+N(0,0.12^2)` and
    :math:`N(0,0.08^2)` noise; other minority coordinates are :math:`N(0,0.08^2)`.

    Parameters
    ----------
    p : int >= 2, default 5
        Dimension (formerly ``d``).
    delta : float
    """

    @dimension_api
    def __init__(self, p=5, delta=4.8):
        self.p = check_integer(p, "p", low=2)
        self.delta = check_scalar(delta, "delta")
        cov = np.eye(self.p)
        cov[0, 1] = cov[1, 0] = 0.5
        self._chol = np.linalg.cholesky(cov)

    def __repr__(self):
        return f"TGNonlinear(p={self.p}, delta={self.delta!r})"

    @draw_api
    def sample_majority(self, n, *, random_state=None):
        """``n`` draws of the majority mixture."""
        return self._majority(check_integer(n, "n", low=0), check_random_state(random_state))

    def _majority(self, n, rng):
        X = rng.standard_normal((n, self.p)) @ self._chol.T
        X[:, 0] += np.where(rng.random(n) < 0.3, 1.5, 0.0)
        return X

    def _minority(self, n, rng):
        angle = rng.uniform(0, 2 * np.pi, n)
        radius = 2.2 + 0.12 * rng.standard_normal(n)
        X = 0.08 * rng.standard_normal((n, self.p))
        X[:, 0] += self.delta + radius * np.cos(angle)
        X[:, 1] += radius * np.sin(angle)
        return X


@dimension_api
def tg_nonlinear(p=5, delta=4.8):
    """E6 nonlinear DGP (TG nonlinear study, spec §5).

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> X, y = examples.tg_nonlinear().sample(100, 10, random_state=0)
    >>> X.shape
    (110, 5)
    """
    return TGNonlinear(p=p, delta=delta)
