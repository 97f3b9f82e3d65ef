"""Parameter sweeps through joblib.

Each helper broadcasts its scalar parameters, flattens the grid, runs the
points (or chunks of points) through :class:`joblib.Parallel` and stacks
the results back into the broadcast shape. ``n_jobs=None`` runs serially
unless a joblib backend context says otherwise, so
``with joblib.parallel_config(backend="dask"):`` (or Ray's backend) scales a
sweep to a cluster without code changes. Simulation points get independent
random streams spawned from ``random_state``, so the numbers do not depend
on ``n_jobs`` or on the backend.
"""
from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed

from .._deprecation import renamed_parameters
from .._random import spawn
from .._validation import check_bool, check_integer, check_n_jobs
from ._checks import broadcast_parameters, check_solver_options, count
from ._fixed_point import MAX_ITER, TOL
from ._general import as_model
from ._results import SimulationResult, TheoryResult, stack_results
from ._simulate import simulate_toy

__all__ = ["theory_grid", "simulate_grid", "simulate_toy_grid"]


def _as_count(value):
    """A grid value meant as a sample size: an int when integral (others are refused downstream)."""
    return int(value) if float(value).is_integer() else float(value)


@renamed_parameters({"m": "n_syn"})
def theory_grid(mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma, convention="corrected", *, n_jobs=None,
                chunk_size=4096, C_real=None, tol=TOL, max_iter=MAX_ITER):
    r""":func:`theory` over a large broadcast grid, in chunks run through joblib.

    :func:`theory` is already vectorised; this helper only splits very large
    grids into chunks of ``chunk_size`` points so that they can run on
    several workers (Ĉ is decomposed once, in the caller).

    Parameters
    ----------
    mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma, convention, C_real, tol, max_iter
        As in :func:`theory` (``C_hat`` may be a model built by :func:`generator_model`;
        ``mu`` and ``mu_hat`` are then ignored and may be ``None``).
    n_jobs : int or None
        joblib workers, a non-zero integer (``-1``: every core; ``None``: serial unless a
        backend context is active).
    chunk_size : int >= 1

    Returns
    -------
    TheoryResult
        Arrays of the broadcast shape.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import theory_grid
    >>> p = 50; mu = np.zeros(p); mu[0] = 1.0
    >>> r = theory_grid(mu, mu, np.eye(p), 100, [[100], [400]], np.linspace(0, 1, 4), 0.2, 0.8, 1.0,
    ...                 chunk_size=3)
    >>> r.accuracy.shape
    (2, 4)
    """
    model = as_model(mu, mu_hat, C_hat, C_real)
    n_jobs = check_n_jobs(n_jobs)
    chunk_size = check_integer(chunk_size, "chunk_size", low=1)
    tol, max_iter = check_solver_options(tol, max_iter)
    shape, P = broadcast_parameters(n=n, n_syn=n_syn, eps=eps, rho=rho, phi=phi, gamma=gamma)
    size = int(np.prod(shape))
    starts = range(0, size, chunk_size)
    chunks = Parallel(n_jobs=n_jobs)(
        delayed(model.theory)(*(P[k][s:s + chunk_size] for k in ("n", "n_syn", "eps", "rho", "phi", "gamma")),
                              convention=convention, tol=tol, max_iter=max_iter)
        for s in starts)
    return stack_results(chunks, shape, TheoryResult)


@renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
def simulate_grid(mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma, trials, *, random_state=None,
                  n_jobs=None, resolvent_trace=False, blas_threads=1, C_real=None):
    r""":func:`simulate` at every point of a broadcast parameter grid, through joblib.

    Parameters
    ----------
    mu, mu_hat, C_hat, C_real
        As in :func:`simulate` (``C_hat`` may be a model built by :func:`generator_model`;
        ``mu`` and ``mu_hat`` are then ignored and may be ``None``).
    n, n_syn, eps, rho, phi, gamma : scalars or broadcastable arrays
    trials : int >= 2
        Trials per grid point.
    random_state : None, int or numpy.random.Generator, keyword only
        One independent stream is spawned per grid point.
    n_jobs : int or None
    resolvent_trace, blas_threads : as in :func:`simulate`

    Returns
    -------
    SimulationResult
        Arrays of the broadcast shape.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import simulate_grid
    >>> p = 20; mu = np.zeros(p); mu[0] = 1.0
    >>> r = simulate_grid(mu, mu, np.eye(p), 40, 80, [0.1, 0.9], 0.2, 0.8, 1.0, trials=5, random_state=0)
    >>> r.accuracy.shape, bool(r.accuracy[0] > r.accuracy[1])
    ((2,), True)
    """
    model = as_model(mu, mu_hat, C_hat, C_real)
    trials = count(trials, "trials", low=2)
    n_jobs, resolvent_trace = check_n_jobs(n_jobs), check_bool(resolvent_trace, "resolvent_trace")
    shape, P = broadcast_parameters(n=n, n_syn=n_syn, eps=eps, rho=rho, phi=phi, gamma=gamma)
    streams = spawn(random_state, int(np.prod(shape)))
    results = Parallel(n_jobs=n_jobs)(
        delayed(model.simulate)(_as_count(P["n"][i]), _as_count(P["n_syn"][i]), P["eps"][i], P["rho"][i],
                                P["phi"][i], P["gamma"][i], trials, random_state=streams[i],
                                resolvent_trace=resolvent_trace, blas_threads=blas_threads)
        for i in range(len(streams)))
    return stack_results(results, shape, SimulationResult)


@renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
def simulate_toy_grid(p, n, n_hat, n_syn, mu_norm, eps, rho, phi, gamma, trials, *, random_state=None,
                      n_jobs=None, resolvent_trace=False, blas_threads=1):
    r""":func:`simulate_toy` at every point of a broadcast parameter grid, through joblib.

    Parameters as in :func:`simulate_toy`, any of them (but ``trials``) an
    array; one independent random stream per grid point; ``n_jobs`` as in
    :func:`simulate_grid`.

    Examples
    --------
    >>> from synthlib.rmt import simulate_toy_grid
    >>> r = simulate_toy_grid([20, 40], 40, 40, 80, 1.0, 0.1, 0.0, 1.0, 1.0, trials=4, random_state=0)
    >>> r.accuracy.shape, r.trials
    ((2,), 4)
    """
    trials = count(trials, "trials", low=2)
    n_jobs, resolvent_trace = check_n_jobs(n_jobs), check_bool(resolvent_trace, "resolvent_trace")
    shape, P = broadcast_parameters(p=p, n=n, n_hat=n_hat, n_syn=n_syn, mu_norm=mu_norm, eps=eps, rho=rho,
                                    phi=phi, gamma=gamma)
    streams = spawn(random_state, int(np.prod(shape)))

    results = Parallel(n_jobs=n_jobs)(
        delayed(simulate_toy)(_as_count(P["p"][i]), _as_count(P["n"][i]), _as_count(P["n_hat"][i]),
                              _as_count(P["n_syn"][i]),
                              P["mu_norm"][i], P["eps"][i], P["rho"][i], P["phi"][i], P["gamma"][i],
                              trials, random_state=streams[i], resolvent_trace=resolvent_trace,
                              blas_threads=blas_threads)
        for i in range(len(streams)))
    return stack_results(results, shape, SimulationResult)
