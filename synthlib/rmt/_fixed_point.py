r"""Fixed points (δ_r, δ_s[, δ_g]) of the deterministic equivalents, vectorised over grids.

Every grid point is solved at once by a safeguarded Newton iteration: a
Newton step is taken when it keeps the δ's non-negative and the residual
did not grow at the last step; otherwise a relaxed fixed-point step
δ ← δ + ω(T(δ) − δ) is taken instead. With ω = 1 this is the plain step
δ ← T(δ), which stays positive and converges from anywhere because T is
monotone; but near p/N = 1 at small γ the plain step creeps (δ grows like
γ^{-1/2} by steps of order one), so ω doubles, per component, while the
step keeps its direction, and falls back to 1 when it overshoots. Convergence
means the relative residual max_i |δ_i − T(δ)_i| / |δ_i| <= ``tol`` at every
grid point; otherwise :class:`~synthlib.ConvergenceError` reports the worst
residual.

Where each equation comes from (the paper's Part II theorems):

* general (chapter 4): δ_r = (1/N) Σ_i 1/d_i, δ_s = (κ/N) Σ_i λ_i/d_i with
  d_i = γ + π/(1+δ_r) + α(1−π)λ_i/(1+δ_s) over the eigenvalues λ_i of Ĉ,
  κ = 1 (corrected, DERIVED) or κ = α (paper code);
* toy (chapter 5): δ_r = η/b, δ_g = βη̂/b, δ_s = κ δ_r/(1+δ_g);
* synthetic only (chapter 6): the positive root of a quadratic, in closed form.
"""
from __future__ import annotations

import numpy as np

from .._deprecation import renamed_parameters
from .._validation import ConvergenceError, check_vector
from ._checks import (
    broadcast_parameters,
    check_convention,
    check_finite_output,
    check_no_bool,
    check_solver_options,
    floating_point_guard,
    nonnegative,
    positive,
    probability,
    sample_size_or_infinity,
    scalar_or_array,
)
from ._model import verification
from ._results import Deltas

__all__ = ["solve_deltas", "solve_deltas_toy", "solve_delta_synthetic_only", "newton_fixed_point"]

#: default relative tolerance of every fixed point (the official code iterates to 1e-12)
TOL = 1e-12
#: default iteration cap; Newton needs ~10, the plain fallback may need more
MAX_ITER = 2000


#: iterations of the direct attempt before the rows still open switch to continuation in γ
DIRECT_ITER = 200


def newton_fixed_point(evaluate, x0, gamma, *, tol=TOL, max_iter=MAX_ITER, what="fixed point"):
    """Solve x = T(x) at every row of ``x0`` by safeguarded Newton on F(x) = x − T(x).

    Rows still open after :data:`DIRECT_ITER` iterations (near p/N = 1 at tiny γ, where δ
    grows like γ^{-1/2} and the iteration creeps) are solved again by continuation in γ:
    from γ' = 1 down to their own γ by factors of 100, each stage warm-started at 10×
    the previous solution (δ scales like γ^{-1/2} there), each stage with ``max_iter``
    iterations.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(x, rows, gamma) -> (F, J)`` for the rows ``rows`` of the grid at the
        penalties ``gamma`` (the whole grid's array): ``x`` has shape (k, d), ``F`` shape
        (k, d) and the Jacobian ``J`` of F shape (k, d, d) (d = 2 here).
    x0 : ndarray (G, d)
        Starting points (non-negative).
    gamma : ndarray (G,)
        The ridge penalties of the grid points.
    tol, max_iter : float in (0, 1), int >= 1
    what : str
        Named in the error message.

    Returns
    -------
    x : ndarray (G, d)

    Raises
    ------
    ConvergenceError
        With the largest remaining residual, if some row has not converged.
    """
    tol, max_iter = check_solver_options(tol, max_iter)
    gamma = np.asarray(gamma, dtype=float)
    x = np.array(x0, dtype=float, copy=True)
    rows = np.arange(x.shape[0])
    open_rows, residual = _iterate(lambda z, r: evaluate(z, r, gamma), x, rows, tol, min(max_iter, DIRECT_ITER))
    if open_rows.size and max_iter > DIRECT_ITER:
        # continuation: γ' = max(γ, 100^{-k}), k = 0, 1, ... until γ' = γ at every open row
        stages = int(np.ceil(np.log(1.0 / max(float(np.min(gamma[open_rows])), 1e-300)) / np.log(100.0)))
        x[open_rows] = 0.0
        still = open_rows
        previous_gamma = None
        for k in range(max(stages, 0) + 1):
            stage_gamma = gamma.copy()
            stage_gamma[open_rows] = np.maximum(gamma[open_rows], 100.0 ** (-k))
            if previous_gamma is not None:
                # warm start: where γ' moved by 100, δ ~ γ'^{-1/2} moves by at most 10
                moved = open_rows[stage_gamma[open_rows] < previous_gamma[open_rows]]
                x[moved] *= 10.0
            still, residual = _iterate(lambda z, r, g=stage_gamma: evaluate(z, r, g), x, open_rows, tol, max_iter)
            previous_gamma = stage_gamma
        open_rows = still
    if open_rows.size:
        worst = float(np.max(residual)) if residual.size else float("nan")
        raise ConvergenceError(f"the {what} did not converge at {open_rows.size} grid point(s)", worst, max_iter)
    return x


def _iterate(evaluate, x, active, tol, max_iter):
    """Iterate the rows ``active`` of ``x`` in place; return the rows still open and their residuals."""
    previous = np.full(x.shape[0], np.inf)
    omega = np.ones(x.shape)              # relaxation of the fallback step, per row and component
    last_sign = np.zeros(x.shape)         # sign of the last fallback step (0: none yet)
    residual = np.zeros(0)
    for _ in range(max_iter):
        xa = x[active]
        F, J = evaluate(xa, active)
        # relative residual; a δ that is exactly 0 at its fixed point (δ_g when Ĉ = I) has F = 0
        with np.errstate(over="ignore", invalid="ignore"):
            residual = np.max(np.abs(F) / np.maximum(np.abs(xa), 1e-300), axis=1)
        residual = np.where(np.isfinite(residual), residual, np.inf)
        open_ = residual > tol
        if not np.any(open_):
            return active[:0], residual[:0]
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
        use_newton = np.all(np.isfinite(newton) & (newton >= 0), axis=1) & (res_open <= prev_open)
        # fallback: x + ω (T(x) − x); ω doubles while the step keeps its sign, resets on a reversal
        sign = -np.sign(F)
        om = np.where(sign == last_sign[active], np.minimum(2 * omega[active], 1e12), 1.0)
        relaxed = xa - om * F
        bad = ~np.isfinite(relaxed) | (relaxed < 0)
        om = np.where(bad, 1.0, om)
        relaxed = np.where(bad, xa - F, relaxed)   # = T(x): positive whenever x is
        x[active] = np.where(use_newton[:, None], newton, relaxed)
        omega[active] = np.where(use_newton[:, None], 1.0, om)
        last_sign[active] = np.where(use_newton[:, None], 0.0, sign)
        previous[active] = res_open
    # the last step moved x without a check: measure once more
    F, _ = evaluate(x[active], active)
    with np.errstate(over="ignore", invalid="ignore"):
        residual = np.max(np.abs(F) / np.maximum(np.abs(x[active]), 1e-300), axis=1)
    residual = np.where(np.isfinite(residual), residual, np.inf)
    keep = residual > tol
    return active[keep], residual[keep]


# ---------------------------------------------------------------- general model (chapter 4)

def spectral_fixed_point(levels, counts, pi, kept_share, gamma, N, kappa, *, tol=TOL, max_iter=MAX_ITER):
    r"""(δ_r, δ_s) over flat parameter arrays, for a spectrum given as distinct levels with counts.

    ``kept_share`` is α(1−π) and ``kappa`` is 1 (corrected) or α (paper code).
    Returns an array of shape (G, 2).
    """
    levels = np.asarray(levels, dtype=float)
    weights = np.stack([counts, counts * levels, counts * levels ** 2], axis=1)  # (K, 3)

    def evaluate(x, rows, gamma):
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

    return newton_fixed_point(evaluate, np.zeros((np.size(pi), 2)), gamma, tol=tol, max_iter=max_iter,
                              what="fixed point (delta_r, delta_s)")


@renamed_parameters({"m": "n_syn"})
def solve_deltas(eigvals, n, n_syn, eps, rho, phi, gamma, convention="corrected", *, tol=TOL,
                 max_iter=MAX_ITER):
    r"""Fixed point (δ_r, δ_s) of the general deterministic equivalent (chapter 4).

    With d_i = γ + π/(1+δ_r) + α(1−π)λ_i/(1+δ_s) over the eigenvalues λ_i of Ĉ,

    * ``"corrected"`` (DERIVED): δ_r = (1/N) Σ 1/d_i, δ_s = (1/N) Σ λ_i/d_i;
    * ``"paper_code"``: δ_s carries an extra factor α (the official code).

    The rank-one mean terms of tr Q̄ are dropped (they are O(1/N)), as in the
    code; the oracle-pruning invariance (check C1) holds exactly either way.
    Vectorised: the scalar parameters broadcast against each other.

    Parameters
    ----------
    eigvals : array_like (p,)
        Eigenvalues of Ĉ (>= 0). Rounding noise below zero, as ``numpy.linalg.eigvalsh``
        returns for a singular PSD matrix (−1e-16 or so), is clipped to 0: values down to
        −1e-10 · max(1, max |λ|) · p are accepted.
    n, n_syn : float or array_like >= 0, not both 0
        Real and synthetic (before pruning) sample sizes; N = n + n_syn.
    eps, rho, phi : float or array_like in [0, 1]
    gamma : float or array_like > 0
    convention : {"corrected", "paper_code"}
    tol : float in (0, 1), keyword only
        Relative residual at which the iteration stops.
    max_iter : int >= 1, keyword only

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
    tol, max_iter = check_solver_options(tol, max_iter)
    eigvals = check_vector(check_no_bool(eigvals, "eigvals"), "eigvals")
    if eigvals.size == 0:
        raise ValueError("eigvals is empty: expected the p >= 1 eigenvalues of C_hat")
    floor = -1e-10 * max(1.0, float(np.max(np.abs(eigvals)))) * eigvals.size
    if np.any(eigvals < floor):
        raise ValueError(f"eigvals contains {float(eigvals[eigvals < floor][0])!r}: expected eigenvalues >= 0 "
                         f"(rounding noise down to {floor:.3g} is clipped)")
    eigvals = np.clip(eigvals, 0.0, None)
    shape, P = broadcast_parameters(n=nonnegative(n, "n"), n_syn=nonnegative(n_syn, "n_syn"),
                                    eps=probability(eps, "eps"), rho=probability(rho, "rho"),
                                    phi=probability(phi, "phi"), gamma=positive(gamma, "gamma"))
    N = P["n"] + P["n_syn"]
    if np.any(N == 0):
        raise ValueError("n=0 and n_syn=0 together are invalid: expected n + n_syn > 0")
    alpha, _ = verification(P["eps"], P["rho"], P["phi"])
    alpha = np.asarray(alpha)
    pi = P["n"] / N
    kappa = np.ones_like(alpha) if convention == "corrected" else alpha
    levels, counts = np.unique(eigvals, return_counts=True)
    x = spectral_fixed_point(levels, counts.astype(float), pi, alpha * (1 - pi), P["gamma"], N, kappa,
                             tol=tol, max_iter=max_iter)
    return Deltas(delta_r=scalar_or_array(x[:, 0], shape), delta_s=scalar_or_array(x[:, 1], shape))


# ---------------------------------------------------------------- toy model (chapter 5)

def toy_fixed_point(eta, eta_hat, pi, alpha, gamma, kappa, *, tol=TOL, max_iter=MAX_ITER):
    r"""(δ_r, δ_s, δ_g) of the toy model over flat parameter arrays; returns shape (G, 3).

    Solved in the two unknowns (δ_r, δ_g): δ_s = κ δ_r/(1+δ_g) is explicit.
    The Jacobian is analytic.
    """
    kept_share = alpha * (1 - pi)

    def parts(dr, dg, rows, gamma):
        ds = kappa[rows] * dr / (1 + dg)
        b0 = gamma[rows] + pi[rows] / (1 + dr)
        beta = kept_share[rows] / (1 + ds)
        b = b0 + beta / (1 + dg)
        return ds, b0, beta, b

    def evaluate(x, rows, gamma):
        dr, dg = x[:, 0], x[:, 1]
        ds, b0, beta, b = parts(dr, dg, rows, gamma)
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

    x = newton_fixed_point(evaluate, np.zeros((np.size(pi), 2)), gamma, tol=tol, max_iter=max_iter,
                           what="toy fixed point (delta_r, delta_s, delta_g)")
    rows = np.arange(x.shape[0])
    ds = parts(x[:, 0], x[:, 1], rows, gamma)[0]
    return np.stack([x[:, 0], ds, x[:, 1]], axis=1)


def toy_parameters(p, n, n_hat, n_syn, eps, rho, phi, gamma, **extra):
    """Validate and broadcast the toy model's parameters (shared with the toy theory)."""
    shape, P = broadcast_parameters(p=positive(p, "p"), n=nonnegative(n, "n"),
                                    n_hat=sample_size_or_infinity(n_hat, "n_hat"),
                                    n_syn=nonnegative(n_syn, "n_syn"), eps=probability(eps, "eps"),
                                    rho=probability(rho, "rho"), phi=probability(phi, "phi"),
                                    gamma=positive(gamma, "gamma"), **extra)
    N = P["n"] + P["n_syn"]
    if np.any(N == 0):
        raise ValueError("n=0 and n_syn=0 together are invalid: expected n + n_syn > 0")
    P["N"] = N
    P["eta"] = P["p"] / N
    P["eta_hat"] = P["p"] / P["n_hat"]  # 0 when n_hat = inf: Ĉ = I
    P["pi"] = P["n"] / N
    alpha, lam = verification(P["eps"], P["rho"], P["phi"])
    P["alpha"], P["lam"] = np.asarray(alpha), np.asarray(lam)
    return shape, P


@renamed_parameters({"m": "n_syn"})
@floating_point_guard
def solve_deltas_toy(p, n, n_hat, n_syn, eps, rho, phi, gamma, convention="corrected", *, tol=TOL,
                     max_iter=MAX_ITER):
    r"""Three-scalar fixed point (δ_r, δ_s, δ_g) of the toy model (chapter 5).

    With b₀ = γ + π/(1+δ_r), β = α(1−π)/(1+δ_s), b = b₀ + β/(1+δ_g),
    η = p/N and η̂ = p/n̂:

    .. math:: \delta_r = \eta/b,\qquad \delta_g = \beta\hat\eta/b,\qquad
              \delta_s = \kappa\,\delta_r/(1+\delta_g),

    κ = 1 (``"corrected"``, DERIVED) or κ = α (``"paper_code"``, the
    official code's ``Delta_bars``). ``n_hat=numpy.inf`` gives Ĉ = I.
    Vectorised over broadcastable parameters; ``tol`` and ``max_iter`` as in
    :func:`solve_deltas`.

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
    tol, max_iter = check_solver_options(tol, max_iter)
    shape, P = toy_parameters(p, n, n_hat, n_syn, eps, rho, phi, gamma)
    kappa = np.ones_like(P["alpha"]) if convention == "corrected" else P["alpha"]
    x = check_finite_output(toy_fixed_point(P["eta"], P["eta_hat"], P["pi"], P["alpha"], P["gamma"], kappa,
                                            tol=tol, max_iter=max_iter), "the toy deltas")
    return Deltas(*(scalar_or_array(x[:, j], shape) for j in range(3)))


# ---------------------------------------------------------------- synthetic only (chapter 6)

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


@renamed_parameters({"m": "n_syn"})
@floating_point_guard
def solve_delta_synthetic_only(p, n_syn, eps, rho, phi, gamma, convention="corrected"):
    r"""The single δ of synthetic-only training with Ĉ = I, μ̂ = μ (chapter 6), in closed form.

    δ is the positive root of γδ² + (γ + α − η_eff)δ − η_eff = 0 with
    η_s = p/n_syn and η_eff = η_s (``"corrected"``, DERIVED: δ = (1/m) tr Q̄) or
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
    shape, P = broadcast_parameters(p=positive(p, "p"), n_syn=positive(n_syn, "n_syn"),
                                    eps=probability(eps, "eps"), rho=probability(rho, "rho"),
                                    phi=probability(phi, "phi"), gamma=positive(gamma, "gamma"))
    alpha, _ = verification(P["eps"], P["rho"], P["phi"])
    delta = check_finite_output(synthetic_only_delta(P["p"] / P["n_syn"], np.asarray(alpha), P["gamma"], convention),
                                "delta")
    return scalar_or_array(delta, shape)
