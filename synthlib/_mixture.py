"""The data model of the book: a two-class Gaussian mixture, a Gaussian generator
fitted on n̂ real samples, symmetric label noise and a verifier.

Rows are samples (scikit-learn's convention); the papers write samples as
columns, so the book's ``X.T @ X`` is the papers' ``X X^T``.

Where each formula is derived
-----------------------------
* α, λ, ε*: chapter "Synthetic data: when does it help?" (sympy cell) and
  spec part II §1.3.
* the ridge classifier's closed form: same chapter, and Part II "The model".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from ._random import check_random_state
from ._threads import blas_threads_limit
from ._validation import check_array, check_integer, check_probability, check_scalar, check_vector

__all__ = [
    "verification",
    "critical_noise",
    "gaussian_mixture",
    "GaussianGenerator",
    "fit_gaussian_generator",
    "corrupt_and_verify",
    "ridge_classifier",
    "conditional_accuracy",
    "simulate_pipeline",
    "PipelineSimulation",
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
    eps = check_probability(eps, "eps", allow_array=True)
    rho = check_probability(rho, "rho", allow_array=True)
    phi = check_probability(phi, "phi", allow_array=True)
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
    rho = check_probability(rho, "rho", allow_array=True)
    phi = check_probability(phi, "phi", allow_array=True)
    total = np.asarray(phi + rho, dtype=float)
    if np.any(total == 0):
        raise ValueError("rho=0 and phi=0 together are invalid: a verifier that keeps nothing has no "
                         "critical noise; expected rho + phi > 0")
    out = phi / total
    return float(out) if np.ndim(out) == 0 else out


def gaussian_mixture(n, mu, random_state=None):
    """Draw ``n`` samples x = y μ + z, z ~ N(0, I_p), with exactly balanced labels y = ±1.

    The first ``n // 2`` samples have y = -1 and the rest y = +1 (the paper's
    convention); shuffle if order matters.

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
    n = check_integer(n, "n", low=1)
    mu = check_vector(mu, "mu")
    rng = check_random_state(random_state)
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
    residuals : ndarray (n̂, p)
    """

    mu_hat: np.ndarray
    residuals: np.ndarray

    @property
    def n_hat(self) -> int:
        """Number of real samples the generator was fitted on."""
        return self.residuals.shape[0]

    @property
    def C_hat(self) -> np.ndarray:
        """The fitted covariance Ĉ = RᵀR / n̂ (p × p)."""
        return self.residuals.T @ self.residuals / self.n_hat

    def sample(self, m, random_state=None):
        """Draw ``m`` synthetic samples with balanced true labels.

        Returns
        -------
        X : ndarray (m, p)
        y : ndarray (m,) of true labels ±1 (before any label noise)
        """
        m = check_integer(m, "m", low=0)
        rng = check_random_state(random_state)
        y = np.where(np.arange(m) < m // 2, -1.0, 1.0)
        n_hat, p = self.residuals.shape
        if n_hat <= p:
            # Rᵀg/√n̂ has covariance RᵀR/n̂ = Ĉ exactly: an (m × n̂)(n̂ × p) product
            noise = rng.standard_normal((m, n_hat)) @ self.residuals / np.sqrt(n_hat)
        else:
            # any factor L with L Lᵀ = Ĉ works; Cholesky costs p³/3 once, then (m × p)(p × p)
            L = np.linalg.cholesky(self.C_hat)
            noise = rng.standard_normal((m, p)) @ L.T
        return y[:, None] * self.mu_hat[None, :] + noise, y


def fit_gaussian_generator(X, y, mu=None):
    r"""Fit the paper's Gaussian generator on labelled real data.

    μ̂ = (1/n̂) Σ yᵢ xᵢ and Ĉ = (1/n̂) Σ (yᵢxᵢ − c)(yᵢxᵢ − c)ᵀ, centred at
    ``c = mu`` when the true mean is given (the official code's convention,
    which makes Ĉ an exact white Wishart matrix) and at ``c = μ̂`` otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import gaussian_mixture, fit_gaussian_generator
    >>> mu = np.array([1.0, 0.0, 0.0])
    >>> X, y = gaussian_mixture(400, mu, random_state=1)
    >>> gen = fit_gaussian_generator(X, y, mu=mu)
    >>> gen.n_hat, gen.C_hat.shape
    (400, (3, 3))
    """
    X = check_array(X, "X", ndim=2)
    y = check_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} entries but X has {X.shape[0]} rows: expected equal")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("y contains values other than -1 and +1: expected labels ±1")
    signed = y[:, None] * X
    mu_hat = signed.mean(axis=0)
    centre = mu_hat if mu is None else check_vector(mu, "mu", size=X.shape[1])
    return GaussianGenerator(mu_hat=mu_hat, residuals=signed - centre[None, :])


def corrupt_and_verify(y, eps, rho, phi, random_state=None):
    """Flip each label with probability ``eps``, then keep it with probability
    ``phi`` if it is still correct and ``rho`` if it was flipped.

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
    y = check_array(y, "y", ndim=1)
    eps = check_probability(eps, "eps")
    rho = check_probability(rho, "rho")
    phi = check_probability(phi, "phi")
    rng = check_random_state(random_state)
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
    y = check_array(y, "y", shape=(X.shape[0],))
    gamma = check_scalar(gamma, "gamma", low=0, low_inclusive=False)
    N = X.shape[0] if N is None else check_integer(N, "N", low=1)
    q = np.ones(X.shape[0]) if weights is None else check_array(weights, "weights", shape=(X.shape[0],))
    Xq = X * q[:, None]
    p = X.shape[1]
    if X.shape[0] < p:
        # Woodbury: solve in the n-dimensional sample space when n < p
        K = Xq @ X.T / N + gamma * np.eye(X.shape[0])
        return X.T @ np.linalg.solve(K, q * y) / N
    G = Xq.T @ X / N + gamma * np.eye(p)
    return np.linalg.solve(G, Xq.T @ y / N)


def conditional_accuracy(w, mu):
    r"""Exact test accuracy Φ(μᵀw/‖w‖) of sign(wᵀx) on x = yμ + z, z ~ N(0, I).

    Signed: a classifier pointing the wrong way scores below 1/2.
    ``w`` may be a single vector (p,) or a stack (trials, p).

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import conditional_accuracy
    >>> mu = np.array([1.0, 0.0])
    >>> round(conditional_accuracy(mu, mu), 4), round(conditional_accuracy(-mu, mu), 4)
    (0.8413, 0.1587)
    """
    w = check_array(w, "w")
    mu = check_vector(mu, "mu")
    if w.shape[-1] != mu.size:
        raise ValueError(f"w has {w.shape[-1]} features but mu has {mu.size}: expected equal")
    norm = np.linalg.norm(w, axis=-1)
    if np.any(norm == 0):
        raise ValueError("w is the zero vector: its accuracy is undefined (every prediction ties)")
    out = ndtr((w @ mu) / norm)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class PipelineSimulation:
    """Monte-Carlo accuracy of the literal pipeline, one entry per synthetic size.

    Attributes
    ----------
    m : ndarray of int
        Synthetic sizes (before verification), ascending.
    synthetic_share : ndarray
        m / (n + m), the x-axis of the book's figures.
    accuracy, accuracy_se : ndarray
        Mean exact test accuracy Φ(μᵀw/‖w‖) over trials and its standard error.
    draws : ndarray (trials, len(m))
        Per-trial accuracies.
    kept_fraction : ndarray
        Mean fraction of synthetic samples the verifier kept (estimates α).
    """

    m: np.ndarray
    synthetic_share: np.ndarray
    accuracy: np.ndarray
    accuracy_se: np.ndarray
    draws: np.ndarray
    kept_fraction: np.ndarray


def simulate_pipeline(*, p, n, n_hat, m, mu_norm, eps, rho, phi, gamma, trials, random_state=None):
    r"""Simulate the whole pipeline literally, as a practitioner would run it.

    Each trial draws ``n`` real training samples and, independently, ``n_hat``
    real samples on which the Gaussian generator is fitted (centred at its own
    estimate μ̂); draws the synthetic samples with their true labels; flips each
    label with probability ``eps``; lets the verifier keep it with probability
    ``phi`` (correct label) or ``rho`` (wrong label); fits the ridge classifier
    on real plus kept synthetic samples with loss normalised by N = n + m; and
    scores it with the exact accuracy Φ(μᵀw/‖w‖). μ = ``mu_norm`` e₁.

    Within a trial the synthetic sizes are nested prefixes of one synthetic
    sample, so the curve over ``m`` is smooth (common random numbers) while
    trials stay independent.

    This is the transparent reference route, O(trials · (n + max m) · p²); Part II's
    :func:`synthlib.rmt.simulate` draws the same classifier by cheaper exact routes.

    Parameters
    ----------
    p, n, n_hat : int
        Dimension, real training size, generator's fitting size (n_hat >= 2).
    m : int or sequence of int
        Synthetic sizes before verification.
    mu_norm : float > 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    PipelineSimulation

    Examples
    --------
    >>> from synthlib.rmt import simulate_pipeline
    >>> r = simulate_pipeline(p=20, n=40, n_hat=40, m=[0, 40], mu_norm=1.0, eps=0.0,
    ...                       rho=0.0, phi=1.0, gamma=1.0, trials=5, random_state=0)
    >>> r.synthetic_share.tolist()
    [0.0, 0.5]
    >>> bool((r.accuracy > 0.5).all())
    True
    """
    p = check_integer(p, "p", low=1)
    n = check_integer(n, "n", low=0)
    n_hat = check_integer(n_hat, "n_hat", low=2)
    m_arr = np.atleast_1d(np.asarray(m))
    if m_arr.ndim != 1 or m_arr.size == 0:
        raise ValueError(f"m={m!r} is invalid: expected an integer or a non-empty sequence of integers >= 0")
    m_arr = np.array([check_integer(int(v) if float(v).is_integer() else v, "m", low=0) for v in m_arr])
    if np.any(np.diff(m_arr) < 0):
        raise ValueError(f"m={m_arr.tolist()} is invalid: expected synthetic sizes in ascending order")
    if n == 0 and m_arr[0] == 0:
        raise ValueError("n=0 together with m=0 leaves no training data: expected n + m >= 1")
    mu_norm = check_scalar(mu_norm, "mu_norm", low=0, low_inclusive=False)
    eps = check_probability(eps, "eps")
    rho = check_probability(rho, "rho")
    phi = check_probability(phi, "phi")
    gamma = check_scalar(gamma, "gamma", low=0, low_inclusive=False)
    trials = check_integer(trials, "trials", low=2)
    rng = check_random_state(random_state)

    mu = np.zeros(p)
    mu[0] = mu_norm
    draws = np.empty((trials, m_arr.size))
    kept = np.zeros(m_arr.size)
    with blas_threads_limit(1):   # small matrices: one BLAS thread is fastest (see _threads)
        _pipeline_trials(draws, kept, rng, mu, n, n_hat, m_arr, eps, rho, phi, gamma)
    mean = draws.mean(axis=0)
    se = draws.std(axis=0, ddof=1) / np.sqrt(trials)
    share = m_arr / (n + m_arr)
    return PipelineSimulation(m=m_arr, synthetic_share=share, accuracy=mean, accuracy_se=se,
                              draws=draws, kept_fraction=kept)


def _pipeline_trials(draws, kept, rng, mu, n, n_hat, m_arr, eps, rho, phi, gamma):
    trials, p = draws.shape[0], mu.size
    m_max = int(m_arr[-1])
    eye = np.eye(p)
    for t in range(trials):
        X, y = gaussian_mixture(n, mu, rng) if n > 0 else (np.empty((0, p)), np.empty(0))
        gen = fit_gaussian_generator(*gaussian_mixture(n_hat, mu, rng))
        Xs, ys = gen.sample(m_max, rng)
        # shuffle so every prefix is (nearly) class balanced
        order = rng.permutation(m_max)
        Xs, ys = Xs[order], ys[order]
        ys_noisy, keep = corrupt_and_verify(ys, eps, rho, phi, rng)
        S = X.T @ X
        b = X.T @ y
        start = 0
        for k, mk in enumerate(m_arr):
            block = slice(start, int(mk))
            Xk = Xs[block][keep[block]]
            S = S + Xk.T @ Xk
            b = b + Xk.T @ ys_noisy[block][keep[block]]
            start = int(mk)
            N = n + int(mk)
            w = np.linalg.solve(S / N + gamma * eye, b / N)
            draws[t, k] = conditional_accuracy(w, mu) if np.any(w) else 0.5
            kept[k] += keep[:mk].mean() / trials if mk > 0 else 0.0
