"""Bad input raises ValueError naming the parameter; non-convergence raises with the residual."""
from __future__ import annotations

import numpy as np
import pytest

from synthlib import ConvergenceError
from synthlib.rmt import (
    generator_spectrum,
    mp_density,
    mp_edges,
    mp_stieltjes,
    simulate,
    simulate_grid,
    simulate_synthetic_only,
    simulate_toy,
    solve_delta_synthetic_only,
    solve_deltas,
    solve_deltas_toy,
    theory,
    theory_synthetic_only,
    theory_toy,
)

P = 5
MU = np.eye(P)[0]
GOOD_GENERAL = dict(mu=MU, mu_hat=MU, C_hat=np.eye(P), n=10, n_syn=20, eps=0.1, rho=0.2, phi=0.8, gamma=1.0)
GOOD_TOY = dict(p=P, n=10, n_hat=15, n_syn=20, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0)
GOOD_SYN = dict(p=P, n_syn=20, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0)

COMMON_BAD = [
    ("eps", 1.2), ("eps", -0.1), ("eps", np.nan), ("rho", 2.0), ("phi", -1.0), ("gamma", 0.0),
    ("gamma", -1.0), ("gamma", np.inf), ("n_syn", -1), ("eps", "a lot"), ("eps", np.array([0.1, np.nan])),
]


@pytest.mark.parametrize(("name", "value"), COMMON_BAD + [("n", -3), ("n", np.nan)])
def test_theory_rejects(name, value):
    with pytest.raises(ValueError, match=name):
        theory(**{**GOOD_GENERAL, name: value})


@pytest.mark.parametrize(("name", "value"), COMMON_BAD + [("n", -3), ("p", 0), ("n_hat", 0), ("n_hat", np.nan),
                                                        ("mu_norm", -1.0)])
def test_theory_toy_rejects(name, value):
    with pytest.raises(ValueError, match=name):
        theory_toy(**{**GOOD_TOY, name: value})


@pytest.mark.parametrize(("name", "value"), COMMON_BAD + [("p", -1), ("n_syn", 0), ("mu_norm", np.nan)])
def test_theory_synthetic_only_rejects(name, value):
    with pytest.raises(ValueError, match=name):
        theory_synthetic_only(**{**GOOD_SYN, name: value})


@pytest.mark.parametrize(("name", "value"), COMMON_BAD + [("n", -3), ("n", 2.5), ("trials", 1), ("trials", 0),
                                                        ("n_syn", 3.5)])
def test_simulate_rejects(name, value):
    with pytest.raises(ValueError, match=name):
        simulate(**{**GOOD_GENERAL, name: value}, **({} if name == "trials" else {"trials": 2}))


@pytest.mark.parametrize(("name", "value"), COMMON_BAD + [("p", 0), ("n_hat", 0), ("trials", 1),
                                                        ("mu_norm", -2.0), ("n", -1)])
def test_simulate_toy_rejects(name, value):
    kwargs = {**GOOD_TOY, "trials": 2, name: value}
    with pytest.raises(ValueError, match=name):
        simulate_toy(**kwargs)


def test_matrix_and_vector_inputs():
    with pytest.raises(ValueError, match="mu_hat"):
        theory(**{**GOOD_GENERAL, "mu_hat": np.ones(P + 1)})
    with pytest.raises(ValueError, match="C_hat"):
        theory(**{**GOOD_GENERAL, "C_hat": np.eye(P + 1)})
    with pytest.raises(ValueError, match="C_hat is not positive semi-definite"):
        theory(**{**GOOD_GENERAL, "C_hat": np.diag([1.0, 1, 1, 1, -1])})
    with pytest.raises(ValueError, match="C_hat is not symmetric"):
        theory(**{**GOOD_GENERAL, "C_hat": np.eye(P) + np.triu(np.ones((P, P)), 1)})
    C = np.eye(P)
    C[0, 0] = np.nan
    with pytest.raises(ValueError, match="C_hat"):
        theory(**{**GOOD_GENERAL, "C_hat": C})
    with pytest.raises(ValueError, match="mu"):
        theory(**{**GOOD_GENERAL, "mu": np.full(P, np.nan)})
    with pytest.raises(ValueError, match="mu"):
        generator_spectrum(np.zeros(0), np.zeros(0), np.zeros((0, 0)))
    with pytest.raises(ValueError, match="C_hat"):
        simulate(**{**GOOD_GENERAL, "C_hat": -np.eye(P)}, trials=2)


def test_mismatched_parameter_shapes_are_named():
    with pytest.raises(ValueError, match=r"eps.*m|m.*eps"):
        theory_toy(**{**GOOD_TOY, "eps": np.zeros(3), "n_syn": np.ones(4) * 20})
    with pytest.raises(ValueError, match="gamma"):
        theory(**{**GOOD_GENERAL, "eps": np.zeros(3), "gamma": np.ones(2)})
    with pytest.raises(ValueError, match="eps"):
        simulate(**{**GOOD_GENERAL, "eps": [0.1, 0.2]}, trials=2)   # sweeps go through simulate_grid
    with pytest.raises(ValueError, match="phi"):
        simulate_grid(**{**GOOD_GENERAL, "phi": [0.1, 0.2, 0.3], "eps": [0.1, 0.2]}, trials=2)


def test_convention_is_checked():
    for call in (lambda c: theory(**GOOD_GENERAL, convention=c), lambda c: theory_toy(**GOOD_TOY, convention=c),
                 lambda c: theory_synthetic_only(**GOOD_SYN, convention=c),
                 lambda c: solve_deltas(np.ones(3), 1, 2, 0.1, 0.1, 0.9, 1.0, convention=c)):
        with pytest.raises(ValueError, match="convention"):
            call("paper")
        with pytest.raises(ValueError, match="convention"):
            call(None)


def test_no_training_data_is_refused():
    with pytest.raises(ValueError, match="no training data"):
        theory(**{**GOOD_GENERAL, "n": 0, "rho": 0.0, "eps": 1.0})        # α = 0, n = 0
    with pytest.raises(ValueError, match="n=0 and n_syn=0"):
        theory_toy(**{**GOOD_TOY, "n": 0, "n_syn": 0})
    with pytest.raises(ValueError, match="alpha"):
        theory_synthetic_only(**{**GOOD_SYN, "phi": 0.0, "eps": 0.0})
    with pytest.raises(ValueError, match="no training data"):
        simulate(**{**GOOD_GENERAL, "n": 0, "phi": 0.0, "rho": 0.0}, trials=2)
    # real data alone is fine: α = 0 with n > 0
    assert 0.5 < theory(**{**GOOD_GENERAL, "phi": 0.0, "rho": 0.0}).accuracy < 1


def test_marchenko_pastur_inputs():
    with pytest.raises(ValueError, match="eta_hat"):
        mp_edges(0.0)
    with pytest.raises(ValueError, match="eta_hat"):
        mp_density(1.0, -1.0)
    with pytest.raises(ValueError, match="x"):
        mp_density([1.0, np.nan], 0.5)
    with pytest.raises(ValueError, match="z=0"):
        mp_stieltjes(0.0, 2.0)
    with pytest.raises(ValueError, match="z"):
        mp_stieltjes(np.nan, 0.5)


def test_solvers_validate_and_report_non_convergence():
    with pytest.raises(ValueError, match="eigvals"):
        solve_deltas([1.0, -1.0], 1, 2, 0.1, 0.1, 0.9, 1.0)
    with pytest.raises(ValueError, match="gamma"):
        solve_deltas_toy(10, 10, 10, 10, 0.1, 0.1, 0.9, 0.0)
    with pytest.raises(ValueError, match="n_syn"):
        solve_delta_synthetic_only(10, 0, 0.1, 0.1, 0.9, 1.0)
    with pytest.raises(ConvergenceError) as info:
        solve_deltas(np.linspace(0.1, 3, 50), 100, 200, 0.2, 0.1, 0.9, 0.01, max_iter=1)
    assert info.value.iterations == 1 and info.value.residual > 0
    assert "residual" in str(info.value)
    with pytest.raises(ConvergenceError):
        solve_deltas_toy(100, 100, 100, 200, 0.2, 0.1, 0.9, 0.01, max_iter=2)


def test_results_never_contain_nan():
    eps = np.linspace(0, 1, 11)
    for result in (theory(**{**GOOD_GENERAL, "eps": eps}), theory_toy(**{**GOOD_TOY, "eps": eps}),
                   theory_synthetic_only(**{**GOOD_SYN, "eps": eps})):
        for value in (result.accuracy, result.mean, result.second_moment, result.risk, result.h):
            assert np.all(np.isfinite(value))
    sim = simulate_synthetic_only(**GOOD_SYN, trials=2, random_state=0)
    assert np.isfinite([sim.accuracy, sim.accuracy_se, sim.risk, sim.risk_se]).all()
