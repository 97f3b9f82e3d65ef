r"""The general deterministic equivalent with a non-identity real covariance (DERIVED for the book).

Real samples x = yμ + z with z ~ N(0, C_r) for any PSD C_r (the source
paper and its code take C_r = I); synthetic samples, label noise,
verification and the ridge classifier as in :func:`~synthlib.rmt.theory`.
With Σ_r = μμᵀ + C_r and Σ_s = μ̂μ̂ᵀ + Ĉ the second moments of a
label-signed real and synthetic sample,

.. math::
    \bar Q = \Big(\frac{\pi}{1+\delta_r}\Sigma_r + \frac{\alpha(1-\pi)}{1+\delta_s}\Sigma_s
             + \gamma I\Big)^{-1},\qquad
    \delta_r = \tfrac1N\operatorname{tr} C_r\bar Q,\quad
    \delta_s = \tfrac1N\operatorname{tr}\hat C\bar Q ,

m = μᵀQ̄v as before, and ν = E[wᵀ(μμᵀ + C_r)w] from the same 2×2
second-order system with the traces t₁ = (1/N) tr(Q̄C_rQ̄C_r),
t₃ = (1/N) tr(Q̄C_rQ̄Ĉ), t₂ = (1/N) tr(Q̄ĈQ̄Ĉ). The test accuracy on a real
test point is Φ(m/√(ν − m²)), the limit of the exact conditional accuracy
Φ(μᵀw/√(wᵀC_r w)).

**DERIVED** for this book (not a statement of the source paper): the
leave-one-out derivation of the paper's theorem (chapter 4) goes through line by
line, because it uses the noise covariance only through the quadratic
forms (1/N) uᵀQ₋u ≈ (1/N) tr C Q̄ and E[Q₋uuᵀQ₋] = Q̄ΣQ̄; the identity
enters nowhere else. Checked against Monte Carlo with explicit Gaussian
data in ``tests/rmt/test_rmt_real_covariance.py`` and in the chapter
"Real data, offline".

Computation. I, C_r and Ĉ have no common eigenbasis in general, so the
bulk resolvent M = (γI + a_r C_r + a_s Ĉ)⁻¹ (a_r = π/(1+δ_r),
a_s = α(1−π)/(1+δ_s), rank-one mean terms dropped from the traces as in
the eigenbasis route) is formed densely: one p×p inverse per Newton step
and grid point, in the eigenbasis of C_r (so C_r is diagonal). That is
cheap for the p ≤ a few hundred of the book (p = 64 for the digits). The
rank-two mean part is added by Woodbury, exactly as in the eigenbasis
route, and the two routes share the assembly of m and ν, so C_r = I
reproduces :func:`~synthlib.rmt.theory` to rounding.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from .._deprecation import renamed_parameters
from .._threads import blas_threads_limit
from ._checks import check_mean_vectors, check_psd_eigh
from ._engine import assemble_moments, run_theory
from ._fixed_point import MAX_ITER, TOL, newton_fixed_point
from ._simulate import simulate_factors

__all__ = ["CovarianceModel", "covariance_model"]

#: grid points × p² matrix entries handled at once (bounds the memory of the dense tables)
_CHUNK_ENTRIES = 4_000_000


@dataclass(frozen=True, eq=False)
class CovarianceModel:
    r"""The model (μ, μ̂, Ĉ, C_r) stored in the eigenbasis of the real covariance C_r.

    Build it with :func:`covariance_model` or :func:`~synthlib.rmt.generator_model`
    (with ``C_real``), then call :meth:`theory` and :meth:`simulate` as often as needed.

    Attributes
    ----------
    real_eigenvalues : ndarray (p,)
        Eigenvalues c_i of C_r, ascending, clipped at 0.
    mu_coords, mu_hat_coords : ndarray (p,)
        μ and μ̂ in the eigenbasis of C_r.
    C_hat_coords : ndarray (p, p)
        Ĉ in the eigenbasis of C_r.
    synthetic_factor : ndarray (p, r)
        F with F Fᵀ = ``C_hat_coords``, r = rank of Ĉ (for the simulation).
    """

    real_eigenvalues: np.ndarray
    mu_coords: np.ndarray
    mu_hat_coords: np.ndarray
    C_hat_coords: np.ndarray
    synthetic_factor: np.ndarray

    @property
    def p(self) -> int:
        """Dimension."""
        return self.real_eigenvalues.size

    @property
    def mu_norm(self) -> float:
        """‖μ‖."""
        return float(np.linalg.norm(self.mu_coords))

    @property
    def bayes_accuracy(self) -> float:
        r"""Φ(√(μᵀC_r⁺μ)): the best accuracy of any linear classifier on x = yμ + N(0, C_r).

        With a singular C_r and μ outside its range the classes are perfectly
        separable and this is 1.
        """
        c, a = self.real_eigenvalues, self.mu_coords
        tiny = 1e-12 * max(1.0, float(c[-1]))
        if np.any((c <= tiny) & (np.abs(a) > 1e-12 * max(1.0, self.mu_norm))):
            return 1.0
        positive = c > tiny
        return float(ndtr(np.sqrt(np.sum(a[positive] ** 2 / c[positive]))))

    @renamed_parameters({"m": "n_syn"})
    def theory(self, n, n_syn, eps, rho, phi, gamma, convention="corrected", *, tol=TOL, max_iter=MAX_ITER):
        """Deterministic-equivalent accuracy; as :func:`~synthlib.rmt.theory` with ``C_real``.

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import generator_model
        >>> p = 400; mu = np.zeros(p); mu[0] = 1.5
        >>> C_real = np.diag(np.r_[0.5, np.ones(p - 1)])   # less noise along mu
        >>> model = generator_model(mu, mu, np.eye(p), C_real=C_real)
        >>> round(model.theory(200, 800, 0.4, 0.1, 0.5, 0.1).accuracy, 4)
        0.8246
        """
        step = max(1, _CHUNK_ENTRIES // (self.p * self.p))
        with blas_threads_limit(1):   # many small inverses: threads only add overhead
            return run_theory(self._kernel, step, n, n_syn, eps, rho, phi, gamma, convention, tol, max_iter)

    @renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
    def simulate(self, n, n_syn, eps, rho, phi, gamma, trials, *, random_state=None, resolvent_trace=False,
                 blas_threads=1):
        """Exact Monte Carlo of this model; as :func:`~synthlib.rmt.simulate` with ``C_real``.

        The real sufficient statistics are drawn in the eigenbasis of C_r, and the test metrics
        are the exact conditional ones on a real test point, Φ(μᵀw/√(wᵀC_r w)).

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.rmt import generator_model
        >>> p = 50; mu = np.zeros(p); mu[0] = 1.5
        >>> model = generator_model(mu, mu, np.eye(p), C_real=np.diag(np.linspace(0.2, 3.0, p)))
        >>> sim = model.simulate(100, 200, 0.2, 0.1, 0.9, 0.5, trials=200, random_state=0)
        >>> th = model.theory(100, 200, 0.2, 0.1, 0.9, 0.5)
        >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.005)
        True
        """
        return simulate_factors(self.mu_coords, self.mu_hat_coords, self.synthetic_factor, n, n_syn, eps, rho,
                                phi, gamma, trials, random_state, resolvent_trace, blas_threads,
                                real_variances=self.real_eigenvalues)

    def _kernel(self, F, convention, tol, max_iter):
        return _dense_kernel(self, F, convention, tol, max_iter)


def covariance_model(mu, mu_hat, C_hat, C_real=None, *, blas_threads=1):
    r"""Set up the general model with real covariance C_r (``None``: the identity).

    The theory this model supports (:meth:`CovarianceModel.theory`, and
    :func:`~synthlib.rmt.theory` with ``C_real``) is **DERIVED** for the book,
    not a statement of the source paper; see the module notes. It reduces to
    the paper's theorem when C_r = I.

    Parameters
    ----------
    mu : array_like (p,)
        Mean of the real data (class +1): x = yμ + z, z ~ N(0, C_r).
    mu_hat : array_like (p,)
        Mean of the synthetic data (the generator's μ̂).
    C_hat : array_like (p, p)
        Symmetric PSD covariance of the synthetic data (may be singular).
    C_real : array_like (p, p) or None
        Symmetric PSD covariance of the real data (may be singular).
    blas_threads : int or None
        BLAS threads for the set-up's eigendecompositions.

    Returns
    -------
    CovarianceModel

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import covariance_model
    >>> model = covariance_model(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.eye(2),
    ...                          C_real=np.diag([0.25, 4.0]))
    >>> model.real_eigenvalues.tolist(), round(model.bayes_accuracy, 4)   # Φ(1/0.5) = Φ(2)
    ([0.25, 4.0], 0.9772)
    """
    mu, mu_hat = check_mean_vectors(mu, mu_hat)
    p = mu.size
    with blas_threads_limit(blas_threads, name="blas_threads"):
        syn_values, syn_vectors = check_psd_eigh(C_hat, "C_hat", p)
        if C_real is None:
            real_values, basis = np.ones(p), np.eye(p)
        else:
            real_values, basis = check_psd_eigh(C_real, "C_real", p)
        rotated = basis.T @ syn_vectors
        C_hat_coords = (rotated * syn_values) @ rotated.T
        C_hat_coords = (C_hat_coords + C_hat_coords.T) / 2
        rank = syn_values > 1e-12 * max(1.0, float(syn_values[-1]))
        factor = rotated[:, rank] * np.sqrt(syn_values[rank])
        return CovarianceModel(real_eigenvalues=real_values, mu_coords=basis.T @ mu,
                               mu_hat_coords=basis.T @ mu_hat, C_hat_coords=C_hat_coords,
                               synthetic_factor=factor)


def _bulk_resolvent(model: CovarianceModel, coef_r, coef_s, gamma):
    """M = (γI + a_r C_r + a_s Ĉ)⁻¹ at each grid point, in the eigenbasis of C_r; shape (g, p, p)."""
    A = coef_s[:, None, None] * model.C_hat_coords[None]
    diagonal = gamma[:, None] + coef_r[:, None] * model.real_eigenvalues[None, :]
    A[:, np.arange(model.p), np.arange(model.p)] += diagonal
    return np.linalg.inv(A)


def _traces(model: CovarianceModel, M):
    """tr C_rM, tr ĈM, tr(C_rMC_rM), tr(C_rMĈM), tr(ĈMĈM) and ĈM (C_r diagonal)."""
    c = model.real_eigenvalues
    CM = model.C_hat_coords[None] @ M                    # ĈM
    tr_real = np.einsum("i,gii->g", c, M)
    tr_syn = np.einsum("gii->g", CM)
    rr = np.einsum("i,gij,j->g", c, M * M, c)            # Σ c_i c_j M_ij²
    rs = np.einsum("i,gij,gji->g", c, M, CM)             # Σ c_i M_ij (ĈM)_ji
    ss = np.einsum("gij,gji->g", CM, CM)
    return tr_real, tr_syn, rr, rs, ss


def _dense_kernel(model: CovarianceModel, F, convention, tol, max_iter):
    """Deltas, m, ν, h and (1/p) tr Q̄ at the flat grid points of ``F``, real covariance C_r."""
    pi, N, alpha, gamma = F["pi"], F["N"], F["alpha"], F["gamma"]
    kept_share = alpha * (1 - pi)
    kappa = np.ones_like(alpha) if convention == "corrected" else alpha

    def evaluate(x, rows, gamma):
        dr, ds = x[:, 0], x[:, 1]
        M = _bulk_resolvent(model, pi[rows] / (1 + dr), kept_share[rows] / (1 + ds), gamma[rows])
        tr_real, tr_syn, rr, rs, ss = _traces(model, M)
        n_rows = N[rows]
        F_ = np.stack([dr - tr_real / n_rows, ds - kappa[rows] * tr_syn / n_rows], axis=1)
        # dM/dδ_r = (π/(1+δ_r)²) M C_r M, dM/dδ_s = (α(1−π)/(1+δ_s)²) M Ĉ M
        grad_r = pi[rows] / (1 + dr) ** 2 / n_rows
        grad_s = kept_share[rows] / (1 + ds) ** 2 / n_rows
        J = np.empty((x.shape[0], 2, 2))
        J[:, 0, 0] = 1 - grad_r * rr
        J[:, 0, 1] = -grad_s * rs
        J[:, 1, 0] = -kappa[rows] * grad_r * rs
        J[:, 1, 1] = 1 - kappa[rows] * grad_s * ss
        return F_, J

    x = newton_fixed_point(evaluate, np.zeros((np.size(pi), 2)), gamma, tol=tol, max_iter=max_iter,
                           what="fixed point (delta_r, delta_s) with C_real")
    dr, ds = x[:, 0], x[:, 1]
    M = _bulk_resolvent(model, pi / (1 + dr), kept_share / (1 + ds), gamma)
    _, _, rr, rs, ss = _traces(model, M)
    V = np.stack([model.mu_coords, model.mu_hat_coords], axis=1)      # (p, 2)
    MV = M @ V                                                         # (g, p, 2)
    G = np.einsum("pi,gpj->gij", V, MV)                                # VᵀMV
    G_real = np.einsum("gpi,p,gpj->gij", MV, model.real_eigenvalues, MV)   # VᵀMC_rMV
    G_syn = np.einsum("gpi,pq,gqj->gij", MV, model.C_hat_coords, MV)       # VᵀMĈMV
    G2 = np.einsum("gpi,gpj->gij", MV, MV)                                 # VᵀM²V
    traces = dict(M=np.einsum("gii->g", M), t1=rr / N, t3=rs / N, t2=ss / N)
    return assemble_moments(F, dr, ds, G=G, G_real=G_real, G_syn=G_syn, G2=G2, traces=traces, p=model.p)
