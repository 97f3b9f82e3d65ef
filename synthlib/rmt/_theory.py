r"""The general model in the eigenbasis of Ĉ: the deterministic equivalent conditional on the
generator (μ̂, Ĉ) with identity real covariance (chapter 4), and its exact Monte Carlo.

Everything is computed in the eigenbasis of Ĉ = U diag(λ) Uᵀ. There,
Q̄ = (D + a_r μμᵀ + a_s μ̂μ̂ᵀ)⁻¹ with D diagonal, d_i = γ + a_r + a_s λ_i,
a_r = π/(1+δ_r), a_s = α(1−π)/(1+δ_s). With the p×2 matrix V = [Uᵀμ, Uᵀμ̂]
and S = diag(a_r, a_s), Woodbury gives Q̄V = D⁻¹V (I + S G)⁻¹, G = VᵀD⁻¹V,
so every quantity of the theorem is a 2×2 computation on sums
Σ_i w_i / d_i and Σ_i w_i / d_i² with weights w_i from the eigenvalues and
the projections of μ, μ̂. One eigendecomposition of Ĉ, then O(p) per
parameter point and no p×p inversion. Eigenvalues that coincide (Ĉ = I)
are merged, so Ĉ = I costs O(1) per point.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._deprecation import renamed_parameters
from .._threads import blas_threads_limit
from ._checks import check_mean_vectors, check_psd_eigh
from ._engine import assemble_moments, run_theory
from ._fixed_point import MAX_ITER, TOL, spectral_fixed_point
from ._simulate import simulate_factors

__all__ = ["GeneratorSpectrum", "generator_spectrum"]

# columns of the weight table: multiplicity c, c·λ, c·λ², then the mean projections
_C, _CL, _CLL, _AA, _AB, _BB, _AAL, _ABL, _BBL = range(9)


@dataclass(frozen=True, eq=False)
class GeneratorSpectrum:
    r"""The model (μ, μ̂, Ĉ) stored in the eigenbasis of Ĉ, for fast theory and simulation.

    Build it with :func:`generator_spectrum` or :func:`generator_model` (one
    eigendecomposition), then call :meth:`theory` and :meth:`simulate` as often as needed.

    Attributes
    ----------
    eigenvalues : ndarray (p,)
        Eigenvalues of Ĉ, ascending, clipped at 0.
    mu_coords, mu_hat_coords : ndarray (p,)
        Uᵀμ and Uᵀμ̂ in the eigenbasis.
    """

    eigenvalues: np.ndarray
    mu_coords: np.ndarray
    mu_hat_coords: np.ndarray
    levels: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)

    @property
    def p(self) -> int:
        """Dimension."""
        return self.eigenvalues.size

    @property
    def mu_norm(self) -> float:
        """‖μ‖."""
        return float(np.linalg.norm(self.mu_coords))

    @renamed_parameters({"m": "n_syn"})
    def theory(self, n, n_syn, eps, rho, phi, gamma, convention="corrected", *, tol=TOL, max_iter=MAX_ITER):
        """Deterministic-equivalent accuracy; the parameters and the result as in :func:`theory`.

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import generator_model
        >>> p = 400; mu = np.zeros(p); mu[0] = 1.5
        >>> model = generator_model(mu, mu, np.eye(p))
        >>> round(model.theory(200, 800, 0.4, 0.1, 0.5, 0.1).accuracy, 4)   # check C2
        0.7879
        """
        step = max(1, _CHUNK_ENTRIES // self.levels.size)
        with blas_threads_limit(1):   # small products: threads only add overhead
            return run_theory(self._kernel, step, n, n_syn, eps, rho, phi, gamma, convention, tol, max_iter)

    @renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
    def simulate(self, n, n_syn, eps, rho, phi, gamma, trials, *, random_state=None, resolvent_trace=False,
                 blas_threads=1):
        """Exact Monte Carlo of this model; the parameters and the result as in :func:`simulate`.

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import generator_model
        >>> p = 50; mu = np.zeros(p); mu[0] = 1.5
        >>> model = generator_model(mu, mu, np.eye(p))
        >>> sim = model.simulate(100, 200, 0.2, 0.1, 0.9, 0.5, trials=200, random_state=0)
        >>> th = model.theory(100, 200, 0.2, 0.1, 0.9, 0.5)
        >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.005)
        True
        """
        return simulate_factors(self.mu_coords, self.mu_hat_coords, np.sqrt(self.eigenvalues), n, n_syn, eps,
                                rho, phi, gamma, trials, random_state, resolvent_trace, blas_threads)

    def _kernel(self, F, convention, tol, max_iter):
        return _spectral_kernel(self, F, convention, tol, max_iter)


def generator_spectrum(mu, mu_hat, C_hat, *, blas_threads=1):
    r"""Eigendecompose Ĉ once and express μ, μ̂ in its eigenbasis.

    Parameters
    ----------
    mu : array_like (p,)
        Mean of the real data (class +1).
    mu_hat : array_like (p,)
        Mean of the synthetic data (the generator's μ̂).
    C_hat : array_like (p, p)
        Symmetric positive semi-definite covariance of the synthetic data.
    blas_threads : int or None
        BLAS threads for the eigendecomposition (default 1, the fastest on a
        shared machine; ``None`` leaves the BLAS default).

    Returns
    -------
    GeneratorSpectrum

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import generator_spectrum
    >>> spec = generator_spectrum(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.diag([2.0, 0.5]))
    >>> spec.eigenvalues.tolist(), spec.p
    ([0.5, 2.0], 2)
    """
    mu, mu_hat = check_mean_vectors(mu, mu_hat)
    p = mu.size
    with blas_threads_limit(blas_threads, name="blas_threads"):
        eigvals, eigvecs = check_psd_eigh(C_hat, "C_hat", p)
        a, b = eigvecs.T @ mu, eigvecs.T @ mu_hat
    # merge numerically equal eigenvalues: the sums only depend on d_i, a function of λ_i
    scale = max(1.0, float(eigvals[-1]))
    new_level = np.concatenate([[True], np.diff(eigvals) > 1e-12 * scale])
    group = np.cumsum(new_level) - 1
    n_levels = int(group[-1]) + 1
    counts = np.bincount(group, minlength=n_levels).astype(float)
    levels = np.bincount(group, weights=eigvals, minlength=n_levels) / counts

    def aggregate(values):
        return np.bincount(group, weights=values, minlength=n_levels)

    weights = np.stack([counts, counts * levels, counts * levels ** 2,
                        aggregate(a * a), aggregate(a * b), aggregate(b * b),
                        aggregate(a * a) * levels, aggregate(a * b) * levels, aggregate(b * b) * levels],
                       axis=1)
    return GeneratorSpectrum(eigenvalues=eigvals, mu_coords=a, mu_hat_coords=b, levels=levels,
                             weights=weights)


#: grid points × distinct eigenvalues handled at once (bounds the memory of the G × K tables)
_CHUNK_ENTRIES = 2_000_000


def _spectral_kernel(spec: GeneratorSpectrum, F, convention, tol, max_iter):
    """Deltas, m, ν, h and (1/p) tr Q̄ at the flat grid points of ``F`` (chapter 4)."""
    pi, N, alpha, gamma = F["pi"], F["N"], F["alpha"], F["gamma"]
    kept_share = alpha * (1 - pi)
    kappa = np.ones_like(alpha) if convention == "corrected" else alpha
    deltas = spectral_fixed_point(spec.levels, spec.weights[:, _C], pi, kept_share, gamma, N, kappa,
                                  tol=tol, max_iter=max_iter)
    dr, ds = deltas[:, 0], deltas[:, 1]
    coef_r, coef_s = pi / (1 + dr), kept_share / (1 + ds)
    inv = 1.0 / (gamma[:, None] + coef_r[:, None] + coef_s[:, None] * spec.levels[None, :])
    W = spec.weights
    first = inv @ W                 # Σ w_i / d_i
    second = (inv * inv) @ W        # Σ w_i / d_i²
    G = _sym(first, _AA, _AB, _BB)       # VᵀD⁻¹V
    G2 = _sym(second, _AA, _AB, _BB)     # VᵀD⁻²V (= VᵀD⁻¹ C_real D⁻¹V, C_real = I)
    GL = _sym(second, _AAL, _ABL, _BBL)  # VᵀD⁻¹ΛD⁻¹V
    traces = dict(M=first[:, _C], t1=second[:, _C] / N, t3=second[:, _CL] / N,
                  t2=second[:, _CLL] / N)
    return assemble_moments(F, dr, ds, G=G, G_real=G2, G_syn=GL, G2=G2, traces=traces, p=spec.p)


def _sym(table, i_aa, i_ab, i_bb):
    """Stack the 2×2 symmetric matrices [[aa, ab], [ab, bb]] read from columns of ``table``."""
    out = np.empty((table.shape[0], 2, 2))
    out[:, 0, 0], out[:, 1, 1] = table[:, i_aa], table[:, i_bb]
    out[:, 0, 1] = out[:, 1, 0] = table[:, i_ab]
    return out


