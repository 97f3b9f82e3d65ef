r"""Fixed points (δ_r, δ_s[, δ_g]) of the deterministic equivalents, vectorised over grids.

Every grid point is solved at once by a safeguarded Newton iteration: a
Newton step is taken when it keeps the δ's non-negative and the residual
did not grow at the last step; otherwise the plain fixed-point step
δ ← T(δ), which stays positive and converges from anywhere because T is
monotone, is taken instead. Convergence means the relative residual
max_i |δ_i − T(δ)_i| / |δ_i| <= ``tol`` at every grid point;
otherwise :class:`~synthlib.ConvergenceError` reports the worst residual.

Where each equation comes from (spec part II):

* general (§3.1): δ_r = (1/N) Σ_i 1/d_i, δ_s = (κ/N) Σ_i λ_i/d_i with
  d_i = γ + π/(1+δ_r) + α(1−π)λ_i/(1+δ_s) over the eigenvalues λ_i of Ĉ,
  κ = 1 (corrected, DERIVED) or κ = α (paper code);
* toy (§3.3): δ_r = η/b, δ_g = βη̂/b, δ_s = κ δ_r/(1+δ_g);
* synthetic only (§3.4): the positive root of a quadratic, in closed form.
"""
from __future__ import annotations

import numpy as np

from .._mixture import verification
from .._validation import ConvergenceError, check_vector
from ._checks import (broadcast_parameters, check_convention, nonnegative, positive, probability,
                      sample_size_or_infinity, scalar_or_array)
from ._results import Deltas

__all__ = ["solve_deltas", "solve_deltas_toy", "solve_delta_synthetic_only", "newton_fixed_point"]

#: default relative tolerance of every fixed point (the official code iterates to 1e-12)
TOL = 1e-12
#: default iteration cap; Newton needs ~10, the plain fallback may need more
MAX_ITER = 2000


def newton_fixed_point(evaluate, x0, *, tol=TOL, max_iter=MAX_ITER, what="fixed point"):
    """Solve x = T(x) at every row of ``x0`` by safeguarded Newton on F(x) = x − T(x).

    Parameters
    ----------
    evaluate : callable
        ``evaluate(x, rows) -> (F, J)`` for the rows ``rows`` of the grid:
        ``x`` has shape (k, d), ``F`` shape (k, d) and the Jacobian ``J`` of F
        shape (k, d, d) (d = 2 here).
    x0 : ndarray (G, d)
        Starting points (non-negative).
    tol, max_iter : float, int
    what : str
        Named in the error message.

    Returns
    -------
    x : ndarray (G, d)
    iterations : int

    Raises
    ------
    ConvergenceError
        With the largest remaining residual, if some row has not converged.
    """
    x = np.array(x0, dtype=float, copy=True)
    active = np.arange(x.shape[0])
    previous = np.full(x.shape[0], np.inf)
    residual = np.zeros(0)
    for iteration in range(1, max_iter + 1):
        xa = x[active]
        F, J = evaluate(xa, active)
        # relative residual; a δ that is exactly 0 at its fixed point (δ_g when Ĉ = I) has F = 0
        residual = np.max(np.abs(F) / np.maximum(np.abs(xa), 1e-300), axis=1)
        residual = np.where(np.isfinite(residual), residual, np.inf)
        open_ = residual > tol
        if not np.any(open_):
            return x, iteration
        active, xa, F, J = active[open_], xa[open_], F[open_], J[open_]
        res_open, prev_open = residual[open_], previous[active]
        with np.errstate(all="ignore"):
            if xa.shape[1] == 2:
                det = J[:, 0, 0] * J[:, 1, 1] - J[:, 0, 1] * J[:, 1, 0]
                step = np.stack([J[:, 1, 1] * F[:, 0] - J[:, 0, 1] * F[:, 1],
                                 J[:, 0, 0] * F[:, 1] - J[:, 1, 0] * F[:, 0]], axis=1) / det[:, None]
            else:  # pragma: no cover - every solver of this module is two-dimensional
                step = np.linalg.solve(J, F[..., None])[..., 0]
        newton = xa - step
        plain = xa - F  # = T(x): positive whenever x is
        use_newton = np.all(np.isfinite(newton) & (newton >= 0), axis=1) & (res_open <= prev_open)
        x[active] = np.where(use_newton[:, None], newton, plain)
        previous[active] = res_open
    worst = float(np.max(residual)) if residual.size else float("nan")
    raise ConvergenceError(f"the {what} did not converge at {active.size} grid point(s)", worst, max_iter)


# ---------------------------------------------------------------- general model (§3.1)

def spectral_fixed_point(levels, counts, pi, kept_share, gamma, N, kappa, *, tol=TOL, max_iter=MAX_ITER):
    r"""(δ_r, δ_s) over flat parameter arrays, for a spectrum given as distinct levels with counts.

    ``kept_share`` is α(1−π) and ``kappa`` is 1 (corrected) or α (paper code).
    Returns an array of shape (G, 2).
    """
    levels = np.asarray(levels, dtype=float)
    weights = np.stack([counts, counts * levels, counts * levels ** 2], axis=1)  # (K, 3)

    def evaluate(x, rows):
        dr, ds = x[:, 0], x[:, 1]
        coef_r = pi[rows] / (1 + dr)
        coef_s = kept_share[rows] / (1 + ds)
        inv = 1.0 / (gamma[rows, None] + coef_r[:, None] + coef_s[:, None] * levels[None, :])
        first = inv @ weights[:, :2]
        second = (inv * inv) @ weights
        n_rows = N[rows]
        F = np.stack([dr - first[:, 0] / n_rows, ds - kappa[rows] * first[:, 1] / n_rows], axis=1)
        # d d_i/d δ_r = -π/(1+δ_r)², d d_i/d δ_s = -α(1-π) λ_i/(1+δ_s)²
        grad_r = pi[rows] / (1 + dr) ** 2 / n_rows
        grad_s = kept_share[rows] / (1 + ds) ** 2 / n_rows
        J = np.empty((x.shape[0], 2, 2))
        J[:, 0, 0] = 1 - grad_r * second[:, 0]
        J[:, 0, 1] = -grad_s * second[:, 1]
        J[:, 1, 0] = -kappa[rows] * grad_r * second[:, 1]
        J[:, 1, 1] = 1 - kappa[rows] * grad_s * second[:, 2]
        return F, J

    x, _ = newton_fixed_point(evaluate, np.zeros((np.size(pi), 2)), tol=tol, max_iter=max_iter,
                              what="fixed point (delta_r, delta_s)")
    return x


def solve_deltas(eigvals, n, m, eps, rho, phi, gamma, convention="corrected", *, tol=TOL,
                 max_iter=MAX_ITER):
    r"""Fixed point (δ_r, δ_s) of the general deterministic equivalent (spec §3.1).

    With d_i = γ + π/(1+δ_r) + α(1−π)λ_i/(1+δ_s) over the eigenvalues λ_i of Ĉ,

    * ``"corrected"`` (DERIVED): δ_r = (1/N) Σ 1/d_i, δ_s = (1/N) Σ λ_i/d_i;
    * ``"paper_code"``: δ_s carries an extra factor α (the official code).

    The rank-one mean terms of tr Q̄ are dropped (they are O(1/N)), as in the
    code; the oracle-pruning invariance (check C1) holds exactly either way.
    Vectorised: the scalar parameters broadcast against each other.

    Parameters
    ----------
    eigvals : array_like (p,)
        Eigenvalues of Ĉ (>= 0).
    n, m : float or array_like >= 0, not both 0
        Real and synthetic (before pruning) sample sizes; N = n + m.
    eps, rho, phi : float or array_like in [0, 1]
    gamma : float or array_like > 0
    convention : {"corrected", "paper_code"}

    Returns
    -------
    Deltas
        ``delta_r``, ``delta_s`` (floats, or arrays of the broadcast shape).

    Raises
    ------
    ConvergenceError
        If the iteration has not converged after ``max_iter`` steps.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import solve_deltas
    >>> d = solve_deltas(np.ones(400), 200, 800, 0.4, 0.1, 0.5, 0.1)   # check C2
    >>> round(d.delta_r, 3), round(d.delta_s, 3)
    (1.317, 1.317)
    >>> d = solve_deltas(np.ones(400), 200, 800, [0.0, 0.4], 0.1, 0.5, 0.1, convention="paper_code")
    >>> d.delta_s.round(4).tolist()
    [0.4035, 0.3366]
    """
    convention = check_convention(convention)
    eigvals = check_vector(eigvals, "eigvals")
    if np.any(eigvals < 0):
        raise ValueError(f"eigvals contains {float(eigvals[eigvals < 0][0])!r}: expected eigenvalues >= 0")
    shape, P = broadcast_parameters(n=nonnegative(n, "n"), m=nonnegative(m, "m"),
                                    eps=probability(eps, "eps"), rho=probability(rho, "rho"),
                                    phi=probability(phi, "phi"), gamma=positive(gamma, "gamma"))
    N = P["n"] + P["m"]
    if np.any(N == 0):
        raise ValueError("n=0 and m=0 together are invalid: expected n + m > 0")
    alpha, _ = verification(P["eps"], P["rho"], P["phi"])
    alpha = np.asarray(alpha)
    pi = P["n"] / N
    kappa = np.ones_like(alpha) if convention == "corrected" else alpha
    levels, counts = np.unique(eigvals, return_counts=True)
    x = spectral_fixed_point(levels, counts.astype(float), pi, alpha * (1 - pi), P["gamma"], N, kappa,
                             tol=tol, max_iter=max_iter)
    return Deltas(delta_r=scalar_or_array(x[:, 0], shape), delta_s=scalar_or_array(x[:, 1], shape))


# ---------------------------------------------------------------- toy model (§3.3)

def toy_fixed_point(eta, eta_hat, pi, alpha, gamma, kappa, *, tol=TOL, max_iter=MAX_ITER):
    r"""(δ_r, δ_s, δ_g) of the toy model over flat parameter arrays; returns shape (G, 3).

    Solved in the two unknowns (δ_r, δ_g): δ_s = κ δ_r/(1+δ_g) is explicit.
    The Jacobian is analytic.
    """
    kept_share = alpha * (1 - pi)

    def parts(dr, dg, rows):
        ds = kappa[rows] * dr / (1 + dg)
        b0 = gamma[rows] + pi[rows] / (1 + dr)
        beta = kept_share[rows] / (1 + ds)
        b = b0 + beta / (1 + dg)
        return ds, b0, beta, b

    def evaluate(x, rows):
        dr, dg = x[:, 0], x[:, 1]
        ds, b0, beta, b = parts(dr, dg, rows)
        F = np.stack([dr - eta[rows] / b, dg - beta * eta_hat[rows] / b], axis=1)
        # derivatives of ds, beta and b with respect to (dr, dg)
        ds_r, ds_g = kappa[rows] / (1 + dg), -ds / (1 + dg)
        beta_s = -kept_share[rows] / (1 + ds) ** 2
        beta_r, beta_g = beta_s * ds_r, beta_s * ds_g
        b_r = -pi[rows] / (1 + dr) ** 2 + beta_r / (1 + dg)
        b_g = beta_g / (1 + dg) - beta / (1 + dg) ** 2
        J = np.empty((x.shape[0], 2, 2))
        J[:, 0, 0] = 1 + eta[rows] * b_r / b ** 2
        J[:, 0, 1] = eta[rows] * b_g / b ** 2
        J[:, 1, 0] = -eta_hat[rows] * (beta_r * b - beta * b_r) / b ** 2
        J[:, 1, 1] = 1 - eta_hat[rows] * (beta_g * b - beta * b_g) / b ** 2
        return F, J

    x, _ = newton_fixed_point(evaluate, np.zeros((np.size(pi), 2)), tol=tol, max_iter=max_iter,
                              what="toy fixed point (delta_r, delta_s, delta_g)")
    rows = np.arange(x.shape[0])
    ds = parts(x[:, 0], x[:, 1], rows)[0]
    return np.stack([x[:, 0], ds, x[:, 1]], axis=1)


def toy_parameters(p, n, n_hat, m, eps, rho, phi, gamma, **extra):
    """Validate and broadcast the toy model's parameters (shared with the toy theory)."""
    shape, P = broadcast_parameters(p=positive(p, "p"), n=nonnegative(n, "n"),
                                    n_hat=sample_size_or_infinity(n_hat, "n_hat"),
                                    m=nonnegative(m, "m"), eps=probability(eps, "eps"),
                                    rho=probability(rho, "rho"), phi=probability(phi, "phi"),
                                    gamma=positive(gamma, "gamma"), **extra)
    N = P["n"] + P["m"]
    if np.any(N == 0):
        raise ValueError("n=0 and m=0 together are invalid: expected n + m > 0")
    P["N"] = N
    P["eta"] = P["p"] / N
    P["eta_hat"] = P["p"] / P["n_hat"]  # 0 when n_hat = inf: Ĉ = I
    P["pi"] = P["n"] / N
    alpha, lam = verification(P["eps"], P["rho"], P["phi"])
    P["alpha"], P["lam"] = np.asarray(alpha), np.asarray(lam)
    return shape, P


def solve_deltas_toy(p, n, n_hat, m, eps, rho, phi, gamma, convention="corrected", *, tol=TOL,
                     max_iter=MAX_ITER):
    r"""Three-scalar fixed point (δ_r, δ_s, δ_g) of the toy model (spec §3.3).

    With b₀ = γ + π/(1+δ_r), β = α(1−π)/(1+δ_s), b = b₀ + β/(1+δ_g),
    η = p/N and η̂ = p/n̂:

    .. math:: \delta_r = \eta/b,\qquad \delta_g = \beta\hat\eta/b,\qquad
              \delta_s = \kappa\,\delta_r/(1+\delta_g),

    κ = 1 (``"corrected"``, DERIVED) or κ = α (``"paper_code"``, the
    official code's ``Delta_bars``). ``n_hat=numpy.inf`` gives Ĉ = I.
    Vectorised over broadcastable parameters.

    Returns
    -------
    Deltas
        ``delta_r``, ``delta_s``, ``delta_g``.

    Examples
    --------
    >>> from synthlib.rmt import solve_deltas_toy
    >>> d = solve_deltas_toy(500, 1000, 1000, 1000, 0.1, 0.0, 1.0, 1.0)   # check B3
    >>> [round(v, 4) for v in (d.delta_r, d.delta_s, d.delta_g)]
    [0.139, 0.1251, 0.1112]
    >>> d = solve_deltas_toy(500, 1000, 1000, 1000, 0.1, 0.0, 1.0, 1.0, convention="paper_code")
    >>> [round(v, 4) for v in (d.delta_r, d.delta_s, d.delta_g)]
    [0.1387, 0.1122, 0.1122]
    """
    convention = check_convention(convention)
    shape, P = toy_parameters(p, n, n_hat, m, eps, rho, phi, gamma)
    kappa = np.ones_like(P["alpha"]) if convention == "corrected" else P["alpha"]
    x = toy_fixed_point(P["eta"], P["eta_hat"], P["pi"], P["alpha"], P["gamma"], kappa,
                        tol=tol, max_iter=max_iter)
    return Deltas(*(scalar_or_array(x[:, j], shape) for j in range(3)))


# ---------------------------------------------------------------- synthetic only (§3.4)

def synthetic_only_delta(eta_s, alpha, gamma, convention):
    r"""Positive root of γδ² + (γ + α − η_eff)δ − η_eff = 0 (flat arrays, no validation)."""
    eta_eff = eta_s if convention == "corrected" else alpha * eta_s
    linear = alpha + gamma - eta_eff
    disc = np.sqrt(linear ** 2 + 4 * gamma * eta_eff)
    with np.errstate(divide="ignore", invalid="ignore"):
        # the two forms of the same root; the second avoids cancellation when linear > 0
        direct = (disc - linear) / (2 * gamma)
        stable = 2 * eta_eff / (linear + disc)
    return np.where(linear > 0, stable, direct)


def solve_delta_synthetic_only(p, m, eps, rho, phi, gamma, convention="corrected"):
    r"""The single δ of synthetic-only training with Ĉ = I, μ̂ = μ (spec §3.4), in closed form.

    δ is the positive root of γδ² + (γ + α − η_eff)δ − η_eff = 0 with
    η_s = p/m and η_eff = η_s (``"corrected"``, DERIVED: δ = (1/m) tr Q̄) or
    η_eff = α η_s (``"paper_code"``, the official ``Delta_synth``).

    Examples
    --------
    >>> from synthlib.rmt import solve_delta_synthetic_only
    >>> round(solve_delta_synthetic_only(200, 400, 0.3, 0.3, 0.5, 0.1), 3)   # check C4
    2.045
    >>> round(solve_delta_synthetic_only(200, 400, 0.3, 0.3, 0.5, 0.1, "paper_code"), 3)
    0.582
    """
    convention = check_convention(convention)
    shape, P = broadcast_parameters(p=positive(p, "p"), m=positive(m, "m"), eps=probability(eps, "eps"),
                                    rho=probability(rho, "rho"), phi=probability(phi, "phi"),
                                    gamma=positive(gamma, "gamma"))
    alpha, _ = verification(P["eps"], P["rho"], P["phi"])
    delta = synthetic_only_delta(P["p"] / P["m"], np.asarray(alpha), P["gamma"], convention)
    return scalar_or_array(delta, shape)
