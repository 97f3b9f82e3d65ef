"""The data model of Part II: a two-class Gaussian mixture, a Gaussian generator
fitted on n̂ real samples, symmetric label noise, a verifier and the ridge classifier.

Rows are samples (scikit-learn's convention); the papers write samples as
columns, so the book's ``X.T @ X`` is the papers' ``X X^T``.

Where each formula is derived
-----------------------------
* α, λ, ε*: chapter "Synthetic data: when does it help?" (sympy cell).
* the ridge classifier's closed form: same chapter, and Part II "The model".
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .._deprecation import renamed_parameters
from .._random import check_random_state
from .._validation import check_array, check_integer, check_scalar, check_vector
from ._checks import check_no_bool, count, probability, single_probability

__all__ = [
    "verification",
    "critical_noise",
    "gaussian_mixture",
    "GaussianGenerator",
    "fit_gaussian_generator",
    "corrupt_and_verify",
    "ridge_classifier",
    "conditional_accuracy",
    "mean_vector",
]


def verification(eps, rho, phi):
    r"""Keep rate α and signal λ of a verifier under symmetric label noise.

    A synthetic label is wrong with probability ``eps``; the verifier keeps a
    correct label with probability ``phi`` and a wrong one with probability
    ``rho``. Then

    .. math:: \alpha = \phi(1-\varepsilon)+\rho\varepsilon,\qquad
              \lambda = \phi(1-\varepsilon)-\rho\varepsilon .

    α is the expected fraction of synthetic samples kept, λ = E[q ỹ y] the
    expected label agreement carried by a kept sample. Vectorised over
    broadcastable arrays.

    Parameters
    ----------
    eps, rho, phi : float or array_like in [0, 1]

    Returns
    -------
    alpha, lam : float or numpy.ndarray

    Examples
    --------
    >>> from synthlib.rmt import verification
    >>> alpha, lam = verification(0.3, 0.2, 0.8)
    >>> round(alpha, 2), round(lam, 2)
    (0.62, 0.5)
    """
    eps = probability(eps, "eps")
    rho = probability(rho, "rho")
    phi = probability(phi, "phi")
    alpha = phi * (1 - eps) + rho * eps
    lam = phi * (1 - eps) - rho * eps
    return alpha, lam


def critical_noise(rho, phi):
    r"""The label-noise level ε* = ϕ/(ϕ+ρ) at which λ changes sign.

    Below ε* a kept synthetic sample carries, on average, the right label
    (λ > 0); above it, the wrong one.

    Parameters
    ----------
    rho, phi : float or array_like in [0, 1], not both 0

    Examples
    --------
    >>> from synthlib.rmt import critical_noise
    >>> round(critical_noise(0.3, 0.8), 5)
    0.72727
    >>> critical_noise(0.0, 1.0)   # oracle verifier: every noise level below 1 is fine
    1.0
    """
    rho = probability(rho, "rho")
    phi = probability(phi, "phi")
    total = np.asarray(phi + rho, dtype=float)
    if np.any(total == 0):
        raise ValueError("rho=0 and phi=0 together are invalid: a verifier that keeps nothing has no "
                         "critical noise; expected rho + phi > 0")
    out = phi / total
    return float(out) if np.ndim(out) == 0 else out


@renamed_parameters(keyword_only_from="random_state")
def gaussian_mixture(n, mu, *, random_state=None):
    """Draw ``n`` samples x = y μ + z, z ~ N(0, I_p), with exactly balanced labels y = ±1.

    The first ``n // 2`` samples have y = -1 and the rest y = +1 (the paper's
    convention); shuffle if order matters.

    Parameters
    ----------
    n : int >= 2
        Both classes are drawn (``n // 2`` samples of class -1, the rest of class +1).
    mu : array_like (p,), p >= 1
        Class mean.
    random_state : None, int or numpy.random.Generator, keyword only

    Returns
    -------
    X : ndarray of shape (n, p)
    y : ndarray of shape (n,) with values in {-1, +1}

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import gaussian_mixture
    >>> X, y = gaussian_mixture(6, np.array([1.0, 0.0]), random_state=0)
    >>> X.shape, y.tolist()
    ((6, 2), [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
    """
    n = count(n, "n", low=0)
    if n < 2:
        raise ValueError(f"n={n!r} is out of range: expected n >= 2, so that both classes (y = -1 and "
                         "y = +1) get a sample")
    return _mixture(n, _mean_vector(mu, "mu"), check_random_state(random_state))


def _mixture(n, mu, rng):
    """The draw of :func:`gaussian_mixture`, without its checks (any ``n >= 0``: the pipeline's real
    sample may have one row or none)."""
    y = np.where(np.arange(n) < n // 2, -1.0, 1.0)
    X = y[:, None] * mu[None, :] + rng.standard_normal((n, mu.size))
    return X, y


@dataclass(frozen=True)
class GaussianGenerator:
    r"""A Gaussian fitted on n̂ real samples: synthetic x̃ = y μ̂ + Ĉ^{1/2} z̃.

    Ĉ is stored through its centred residuals ``R`` (shape (n̂, p)) with
    Ĉ = RᵀR / n̂, so drawing from N(0, Ĉ) needs no matrix square root:
    ``Rᵀ g / sqrt(n̂)`` with g ~ N(0, I_{n̂}) has exactly covariance Ĉ (used
    when n̂ <= p); for n̂ > p a Cholesky factor of Ĉ is cheaper.

    Attributes
    ----------
    mu_hat : ndarray (p,)
        Finite, p >= 1.
    residuals : ndarray (n̂, p)
        Finite, n̂ >= 1 rows.
    """

    mu_hat: np.ndarray
    residuals: np.ndarray

    def __post_init__(self):
        mu_hat = _mean_vector(self.mu_hat, "mu_hat")
        residuals = check_array(self.residuals, "residuals", ndim=2)   # n̂ × p: no per-entry Python scan
        if residuals.shape[1] != mu_hat.size:
            raise ValueError(f"residuals has {residuals.shape[1]} columns but mu_hat has {mu_hat.size} entries: "
                             "expected equal (one column per feature)")
        object.__setattr__(self, "mu_hat", mu_hat)
        object.__setattr__(self, "residuals", residuals)

    @property
    def n_hat(self) -> int:
        """Number of real samples the generator was fitted on."""
        return self.residuals.shape[0]

    @property
    def C_hat(self) -> np.ndarray:
        """The fitted covariance Ĉ = RᵀR / n̂ (p × p)."""
        return self.residuals.T @ self.residuals / self.n_hat

    @renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
    def sample(self, n_syn, *, random_state=None):
        """Draw ``n_syn`` synthetic samples with balanced true labels.

        Parameters
        ----------
        n_syn : int >= 0
        random_state : None, int or numpy.random.Generator, keyword only

        Returns
        -------
        X : ndarray (n_syn, p)
        y : ndarray (n_syn,) of true labels ±1 (before any label noise)

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import fit_gaussian_generator, gaussian_mixture
        >>> gen = fit_gaussian_generator(*gaussian_mixture(10, np.array([1.0, 0.0]), random_state=0))
        >>> X, y = gen.sample(4, random_state=1)
        >>> X.shape, y.tolist()
        ((4, 2), [-1.0, -1.0, 1.0, 1.0])
        """
        n_syn = count(n_syn, "n_syn", low=0)
        rng = check_random_state(random_state)
        y = np.where(np.arange(n_syn) < n_syn // 2, -1.0, 1.0)
        n_hat, p = self.residuals.shape
        L = None
        if n_hat > p:
            # any factor L with L Lᵀ = Ĉ works; Cholesky costs p³/3 once, then (n_syn × p)(p × p)
            try:
                L = np.linalg.cholesky(self.C_hat)
            except np.linalg.LinAlgError:   # a singular Ĉ (degenerate fitting data): residual route
                L = None
        if L is None:
            # Rᵀg/√n̂ has covariance RᵀR/n̂ = Ĉ exactly: an (n_syn × n̂)(n̂ × p) product
            noise = rng.standard_normal((n_syn, n_hat)) @ self.residuals / np.sqrt(n_hat)
        else:
            noise = rng.standard_normal((n_syn, p)) @ L.T
        return y[:, None] * self.mu_hat[None, :] + noise, y

    def draw(self, n_syn, *, random_state=None):
        """Draw ``n_syn`` points μ̂ + Rᵀg/√n̂ (g ~ N(0, I_n̂)), without labels, always through the residuals.

        The one-class form (fit with ``y=None``): the points have mean μ̂ and covariance Ĉ
        exactly. Costs O(n_syn · n̂ · p), whatever n̂ versus p.

        Parameters
        ----------
        n_syn : int >= 0
        random_state : None, int or numpy.random.Generator, keyword only

        Returns
        -------
        ndarray (n_syn, p)

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import fit_gaussian_generator
        >>> gen = fit_gaussian_generator(np.random.default_rng(0).normal(size=(50, 3)))
        >>> gen.draw(4, random_state=1).shape
        (4, 3)
        """
        n_syn = count(n_syn, "n_syn", low=0)
        rng = check_random_state(random_state)
        n_hat = self.n_hat
        return self.mu_hat + rng.standard_normal((n_syn, n_hat)) @ self.residuals / np.sqrt(n_hat)


def fit_gaussian_generator(X, y=None, mu=None):
    r"""Fit the paper's Gaussian generator on labelled real data (or one Gaussian on one class).

    μ̂ = (1/n̂) Σ yᵢ xᵢ and Ĉ = (1/n̂) Σ (yᵢxᵢ − c)(yᵢxᵢ − c)ᵀ, centred at
    ``c = mu`` when the true mean is given (the official code's convention,
    which makes Ĉ an exact white Wishart matrix) and at ``c = μ̂`` otherwise.
    With ``y=None`` the rows are taken as they are (yᵢ = 1): one Gaussian fitted on
    one class, μ̂ = mean of the rows, Ĉ their covariance (divided by n̂); draw from
    it with :meth:`GaussianGenerator.draw`.

    Parameters
    ----------
    X : array_like (n̂, p)
    y : array_like (n̂,) of ±1, or None
        A ``y`` with one label only is accepted with a ``UserWarning`` (the
        paper's estimator needs no balance, but one label usually means the
        one-class fit ``y=None`` was meant).
    mu : array_like (p,), optional
        Centre of Ĉ (default μ̂).

    Returns
    -------
    GaussianGenerator

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import gaussian_mixture, fit_gaussian_generator
    >>> mu = np.array([1.0, 0.0, 0.0])
    >>> X, y = gaussian_mixture(400, mu, random_state=1)
    >>> gen = fit_gaussian_generator(X, y, mu=mu)
    >>> gen.n_hat, gen.C_hat.shape
    (400, (3, 3))
    >>> one_class = fit_gaussian_generator(X[y > 0])   # one Gaussian on the class +1 rows
    >>> bool(np.allclose(one_class.mu_hat, X[y > 0].mean(axis=0)))
    True
    """
    X = check_array(X, "X", ndim=2)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X has shape {X.shape}: expected at least one sample and one feature")
    if y is None:
        signed = X
    else:
        y = check_array(check_no_bool(y, "y"), "y", ndim=1)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {y.shape[0]} entries but X has {X.shape[0]} rows: expected equal")
        if not np.all(np.isin(y, (-1.0, 1.0))):
            raise ValueError("y contains values other than -1 and +1: expected labels ±1")
        if np.all(y == y[0]):
            warnings.warn(f"y holds one label only ({y[0]:+g} in all {y.size} rows): mu_hat and C_hat are then "
                          "fitted on one class, which estimates the mixture only because y x has the same law "
                          "in both classes; to fit one Gaussian to the rows of one class, pass y=None",
                          UserWarning, stacklevel=2)
        signed = y[:, None] * X
    mu_hat = signed.mean(axis=0)
    centre = mu_hat if mu is None else _mean_vector(mu, "mu", size=X.shape[1])
    return GaussianGenerator(mu_hat=mu_hat, residuals=signed - centre[None, :])


@renamed_parameters(keyword_only_from="random_state")
def corrupt_and_verify(y, eps, rho, phi, *, random_state=None):
    """Flip each label with probability ``eps``, then keep it with probability
    ``phi`` if it is still correct and ``rho`` if it was flipped.

    Parameters
    ----------
    y : array_like (m,), m >= 1
        True labels.
    eps, rho, phi : float in [0, 1]
    random_state : None, int or numpy.random.Generator, keyword only

    Returns
    -------
    y_noisy : ndarray, the (possibly flipped) labels
    keep : ndarray of bool, the verifier's decisions q

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import corrupt_and_verify
    >>> y = np.ones(100_000)
    >>> y_noisy, keep = corrupt_and_verify(y, eps=0.3, rho=0.2, phi=0.8, random_state=0)
    >>> round(float(keep.mean()), 2), round(float((keep * y_noisy * y).mean()), 2)   # alpha, lambda
    (0.62, 0.5)
    """
    y = check_array(check_no_bool(y, "y"), "y", ndim=1)
    eps, rho, phi = (single_probability(v, name) for v, name in ((eps, "eps"), (rho, "rho"), (phi, "phi")))
    return _corrupt_and_verify(y, eps, rho, phi, check_random_state(random_state))


def _corrupt_and_verify(y, eps, rho, phi, rng):
    """The draw of :func:`corrupt_and_verify`, without its checks (``y`` may be empty: the pipeline at
    ``n_syn = 0``)."""
    flipped = rng.random(y.size) < eps
    y_noisy = np.where(flipped, -y, y)
    keep = rng.random(y.size) < np.where(flipped, rho, phi)
    return y_noisy, keep


def ridge_classifier(X, y, gamma, N=None, weights=None):
    r"""The regularised least-squares classifier of the book.

    .. math:: w = \arg\min_w \frac1N\sum_i q_i (y_i - w^\top x_i)^2 + \gamma\|w\|^2
              = \Big(\frac1N X^\top D_q X + \gamma I\Big)^{-1}\frac1N X^\top D_q y .

    Parameters
    ----------
    X : ndarray (n, p)
    y : ndarray (n,)
    gamma : float > 0
    N : int, optional
        Normaliser of the loss. The papers divide by the number of samples
        *before* verification (n + m); defaults to ``len(y)``.
    weights : ndarray (n,), optional
        Sample weights q (the verifier's 0/1 decisions); defaults to ones.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import ridge_classifier
    >>> X = np.array([[1.0, 0.0], [-1.0, 0.0]]); y = np.array([1.0, -1.0])
    >>> ridge_classifier(X, y, gamma=1.0).round(3).tolist()
    [0.5, 0.0]
    """
    X = check_array(X, "X", ndim=2)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X has shape {X.shape}: expected at least one sample and one feature")
    y = check_array(check_no_bool(y, "y"), "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries: expected equal")
    gamma = check_scalar(gamma, "gamma", low=0, low_inclusive=False)
    N = X.shape[0] if N is None else check_integer(N, "N", low=1)
    q = (np.ones(X.shape[0]) if weights is None
         else check_array(check_no_bool(weights, "weights"), "weights", shape=(X.shape[0],)))
    if np.any(q < 0):
        raise ValueError(f"weights contains {float(q[q < 0][0])!r}: expected weights >= 0")
    Xq = X * q[:, None]
    p = X.shape[1]
    scale = float(np.max(np.einsum("ij,ij->j", Xq, X))) / N   # largest diagonal entry of XᵀD_qX/N
    w = None
    if gamma > 1e-8 * scale:   # well conditioned: the normal equations keep their digits
        with np.errstate(all="ignore"):
            if X.shape[0] < p:
                # Woodbury: solve in the n-dimensional sample space when n < p
                K = Xq @ X.T / N + gamma * np.eye(X.shape[0])
                w = X.T @ np.linalg.solve(K, q * y) / N
            else:
                G = Xq.T @ X / N + gamma * np.eye(p)
                w = np.linalg.solve(G, Xq.T @ y / N)
    if w is None or not np.all(np.isfinite(w)):
        # γ tiny against the data's scale: (XᵀDX/N + γI) is singular to working precision when
        # n < p; the SVD of B = D^{1/2}X/√N gives w = V diag(s/(s² + γ)) Uᵀc, c = D^{1/2}y/√N
        root = np.sqrt(q / N)
        big = np.float64(np.max(np.abs(X)))
        B, c = (root[:, None] * X) / big, root * y   # scaled so that huge entries do not overflow
        U, sv, Vt = np.linalg.svd(B, full_matrices=False)
        w = Vt.T @ (_ridge_shrink(sv, gamma / big / big) * (U.T @ c)) / big
    if not np.all(np.isfinite(w)):
        raise ValueError("X is too large to fit: the ridge solution overflows; expected entries of X "
                         "well below 1e150 in magnitude")
    return w


def conditional_accuracy(w, mu):
    r"""Exact test accuracy Φ(μᵀw/‖w‖) of sign(wᵀx) on x = yμ + z, z ~ N(0, I).

    Signed: a classifier pointing the wrong way scores below 1/2.
    ``w`` may be a single vector (p,) or a stack (trials, p). Scale invariant:
    ``w`` and ``c w`` (c > 0) score the same, however large or small c.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import conditional_accuracy
    >>> mu = np.array([1.0, 0.0])
    >>> round(conditional_accuracy(mu, mu), 4), round(conditional_accuracy(-mu, mu), 4)
    (0.8413, 0.1587)
    >>> round(conditional_accuracy(1e200 * np.ones(2), mu), 4)   # 1/√2 along mu
    0.7602
    """
    w = check_array(check_no_bool(w, "w"), "w")
    mu = _mean_vector(mu, "mu")
    if w.ndim not in (1, 2):
        raise ValueError(f"w has {w.ndim} dimension(s) (shape {w.shape}): expected 1 or 2")
    if w.shape[-1] != mu.size:
        raise ValueError(f"w has {w.shape[-1]} features but mu has {mu.size}: expected equal")
    if w.ndim == 2 and w.shape[0] == 0:
        raise ValueError("w is empty (shape (0, p)): expected at least one classifier")
    # normalise before the dot product: w = 1e200·1 would overflow ‖w‖, w = 1e-200·1 underflow it
    scale = np.max(np.abs(w), axis=-1, keepdims=True)
    if np.any(scale == 0):
        raise ValueError("w is the zero vector: its accuracy is undefined (every prediction ties)")
    w = w / scale
    out = ndtr((w @ mu) / np.linalg.norm(w, axis=-1))
    return float(out) if np.ndim(out) == 0 else out


def _ridge_shrink(sv, gamma):
    """s/(s² + γ) for the singular values s, with those at rounding level (below
    max(shape) · eps · s_max, pure noise of a rank-deficient matrix) set to 0 as in a
    pseudo-inverse."""
    cutoff = sv.size * np.finfo(float).eps * (sv.max() if sv.size else 0.0) * 10
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sv > cutoff, sv / (sv ** 2 + gamma), 0.0)


def mean_vector(p, mu_norm=1.0):
    """The class mean μ = ‖μ‖ e₁ of the book's examples: zeros except entry 0 = ``mu_norm``.

    Every direction gives the same law (the data are rotation invariant), so the book puts
    μ along the first axis.

    Parameters
    ----------
    p : int >= 1
        Dimension.
    mu_norm : float >= 0
        ‖μ‖.

    Examples
    --------
    >>> from synthlib.rmt import mean_vector
    >>> mean_vector(3, 1.5).tolist()
    [1.5, 0.0, 0.0]
    """
    p = count(p, "p", low=1)
    mu_norm = check_scalar(mu_norm, "mu_norm", low=0)
    mu = np.zeros(p)
    mu[0] = mu_norm
    return mu


def _mean_vector(mu, name, size=None):
    """A finite, non-empty mean vector (p >= 1)."""
    mu = check_vector(check_no_bool(mu, name), name, size=size)
    if mu.size == 0:
        raise ValueError(f"{name} is empty: expected a vector of dimension p >= 1")
    return mu
