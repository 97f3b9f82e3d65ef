"""Sweeps past one machine, for real: joblib's Dask backend on a real ``distributed`` cluster.

A ``LocalCluster`` (a real scheduler and two worker *processes* talking TCP on 127.0.0.1,
no dashboard) stands in for a remote cluster; the code under test is the code a reader runs
against ``Client("tcp://scheduler:8786")``. Each sweep runs twice, serially (no backend
context) and under ``joblib.parallel_config(backend="dask")``, and the results must be equal
bit for bit: the random streams belong to the grid points (spawned from ``random_state``),
not to the workers. The scheduler's task stream proves that the work did reach the workers.
"""
from __future__ import annotations

import dataclasses

import joblib
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_task_stream
from sklearn.linear_model import LogisticRegression

from synthlib.imbalance import VTSS, GaussianFit
from synthlib.rmt import simulate_grid, theory_grid

pytestmark = pytest.mark.slow  # starts two worker processes


@pytest.fixture(scope="module")
def client():
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                       dashboard_address=None) as cluster,
          Client(cluster) as dask_client):
        yield dask_client


def _on_dask(client, compute):
    """Run ``compute()`` under the Dask backend; return its value and the workers that ran tasks."""
    with get_task_stream(client) as stream, joblib.parallel_config(backend="dask"):
        value = compute()
    return value, {task["worker"] for task in stream.data}


def assert_identical(a, b, where="result"):
    """Equal bit for bit, through dataclasses, dicts, arrays and scalars."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_identical(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        # .items(), not a[key]: cv_results_ serves deprecated keys through __getitem__ with a warning
        a, b = dict(a.items()), dict(b.items())
        assert a.keys() == b.keys(), where
        for key in a:
            assert_identical(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype and a.shape == b.shape, where
        if a.dtype.kind in "fc":  # same bits, NaN included
            assert a.tobytes() == b.tobytes(), f"{where} differs"
        else:
            np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, float) and isinstance(b, float):
        assert np.float64(a).tobytes() == np.float64(b).tobytes(), f"{where}: {a!r} != {b!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _model(p=40):
    mu = np.zeros(p)
    mu[0] = 1.2
    rng = np.random.default_rng(7)
    mu_hat = mu + rng.standard_normal(p) / np.sqrt(200)
    Z = rng.standard_normal((p, 200))
    return mu, mu_hat, Z @ Z.T / 200


def test_helper_detects_a_difference():
    assert_identical({"a": np.array([1.0, np.nan])}, {"a": np.array([1.0, np.nan])})
    with pytest.raises(AssertionError):
        assert_identical({"a": np.array([1.0, 2.0])}, {"a": np.array([1.0, np.nextafter(2.0, 3.0)])})


def test_theory_grid_on_dask_equals_serial(client):
    mu, mu_hat, C_hat = _model()
    # positional: mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma; grid 3 x 6 x 2
    args = (mu, mu_hat, C_hat, 80, [[[40]], [[160]], [[640]]], np.linspace(0, 0.5, 6)[:, None], 0.1, 0.9,
            [0.1, 1.0])
    serial = theory_grid(*args, chunk_size=5)
    # the very same call: n_jobs=None is serial alone and goes to the cluster inside the backend context
    parallel, workers = _on_dask(client, lambda: theory_grid(*args, chunk_size=5))
    assert len(workers) >= 1, "no task reached a Dask worker"
    assert serial.accuracy.shape == (3, 6, 2)
    assert_identical(serial, parallel, "theory_grid")


def test_simulate_grid_on_dask_equals_serial(client):
    mu, mu_hat, C_hat = _model(p=20)
    args = (mu, mu_hat, C_hat, 40, [20, 80], [0.0, 0.3], 0.1, 0.9, 1.0)
    serial = simulate_grid(*args, trials=6, random_state=2026)
    parallel, workers = _on_dask(client, lambda: simulate_grid(*args, trials=6, random_state=2026, n_jobs=2))
    assert len(workers) >= 1, "no task reached a Dask worker"
    assert serial.accuracy.shape == (2,)
    assert_identical(serial, parallel, "simulate_grid")
    # a different seed gives different numbers: the comparison above is not vacuous
    other = simulate_grid(*args, trials=6, random_state=2027)
    assert not np.array_equal(other.accuracy, serial.accuracy)


def _imbalanced(n0=240, n1=24, p=4, seed=11):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.standard_normal((n0, p)), rng.standard_normal((n1, p)) + 0.8])
    y = np.r_[np.zeros(n0, int), np.ones(n1, int)]
    return X, y


def test_vtss_refit_route_on_dask_equals_serial(client):
    X, y = _imbalanced()

    def fit(n_jobs):
        return VTSS(LogisticRegression(), GaussianFit(), multipliers=np.linspace(0.5, 1.5, 5), cv=3,
                    route="refit", n_jobs=n_jobs, random_state=0).fit(X, y)

    serial = fit(None)
    parallel, workers = _on_dask(client, lambda: fit(2))
    assert len(workers) >= 1, "no task reached a Dask worker"
    assert serial.route_ == parallel.route_ == "refit"
    assert serial.multiplier_ == parallel.multiplier_
    assert_identical(serial.cv_results_, parallel.cv_results_, "cv_results_")
    assert_identical(serial.best_estimator_.coef_, parallel.best_estimator_.coef_, "coef_")
    assert_identical(serial.best_estimator_.intercept_, parallel.best_estimator_.intercept_, "intercept_")
