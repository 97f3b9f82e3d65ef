"""The one-dispatch model API, the one Monte-Carlo result type, and the deprecated spellings.

New names give the same numbers as the old ones; every old spelling (``m=``, positional
``random_state``, ``simulate(None, None, model, ...)``, ``PipelineSimulation``, ``result.m``)
still works and emits a FutureWarning.
"""
from __future__ import annotations

import numpy as np
import pytest

import synthlib
import synthlib.rmt as rmt
from synthlib.rmt import (
    CovarianceModel,
    GeneratorSpectrum,
    SimulationResult,
    generator_model,
    simulate,
    simulate_grid,
    simulate_pipeline,
    simulate_toy,
    theory,
    theory_grid,
)

P = 12
MU = np.eye(P)[0] * 1.2
RNG = np.random.default_rng(0)
A = RNG.standard_normal((P, 20))
C_HAT = A @ A.T / 20
C_REAL = np.diag(np.linspace(0.5, 2.0, P))
PIPE = dict(p=10, n=20, n_hat=15, mu_norm=1.0, eps=0.2, rho=0.1, phi=0.9, gamma=1.0, trials=4, random_state=11)


@pytest.mark.parametrize("C_real", [None, C_REAL], ids=["identity", "C_real"])
def test_generator_model_dispatches_once_and_its_methods_match_the_shortcuts(C_real):
    model = generator_model(MU, MU + 0.1, C_HAT, C_real=C_real)
    assert isinstance(model, CovarianceModel if C_real is not None else GeneratorSpectrum)
    eps = np.linspace(0, 1, 4)
    a = model.theory(20, 40, eps, 0.2, 0.9, 0.5)
    b = theory(MU, MU + 0.1, C_HAT, 20, 40, eps, 0.2, 0.9, 0.5, C_real=C_real)
    np.testing.assert_array_equal(a.accuracy, b.accuracy)
    grid = theory_grid(None, None, model, 20, 40, eps, 0.2, 0.9, 0.5, chunk_size=3)
    np.testing.assert_allclose(grid.accuracy, a.accuracy, rtol=1e-12)
    s1 = model.simulate(20, 40, 0.2, 0.2, 0.9, 0.5, trials=4, random_state=3)
    s2 = simulate(MU, MU + 0.1, C_HAT, 20, 40, 0.2, 0.2, 0.9, 0.5, trials=4, random_state=3, C_real=C_real)
    assert s1 == s2
    sims = simulate_grid(None, None, model, 20, [40, 80], 0.2, 0.2, 0.9, 0.5, trials=4, random_state=3)
    assert sims.accuracy.shape == (2,)


def test_simulation_result_summary_and_band():
    sim = generator_model(MU, MU, np.eye(P)).simulate(20, 40, 0.2, 0.2, 0.9, 0.5, trials=6, random_state=1,
                                                      resolvent_trace=True)
    for name in ("accuracy", "mean", "second_moment", "risk", "resolvent_trace"):
        s = sim.summary(name)
        assert isinstance(s, synthlib.MonteCarloSummary) and s.trials == 6
        assert float(s.mean) == getattr(sim, name) and float(s.se) == getattr(sim, f"{name}_se")
        lower, upper = sim.band(name)
        assert lower == pytest.approx(getattr(sim, name) - 1.959963984540054 * getattr(sim, f"{name}_se"))
        assert lower < getattr(sim, name) < upper
    with pytest.raises(ValueError, match="name"):
        sim.summary("variance")
    plain = simulate_toy(10, 20, 20, 20, 1.0, 0.1, 0.1, 0.9, 1.0, 3, random_state=0)
    with pytest.raises(ValueError, match="resolvent_trace"):
        plain.summary("resolvent_trace")


def test_pipeline_returns_the_one_simulation_result():
    r = simulate_pipeline(n_syn=[0, 10, 30], **PIPE)
    assert type(r) is SimulationResult
    assert r.n_syn.tolist() == [0, 10, 30] and r.draws.shape == (4, 3)
    np.testing.assert_allclose(r.accuracy, r.draws.mean(axis=0))
    np.testing.assert_allclose(r.risk, r.second_moment - 2 * r.mean + 1)
    assert np.all(r.second_moment >= r.mean ** 2) and np.all((r.kept_fraction >= 0) & (r.kept_fraction <= 1))
    s = r.summary("accuracy")
    np.testing.assert_array_equal(s.draws, r.draws)
    np.testing.assert_allclose(s.se, r.draws.std(axis=0, ddof=1) / 2)


# ------------------------------------------------------------------ old spellings still work and warn

def test_old_keyword_m_warns_and_gives_the_same_numbers():
    model = generator_model(MU, MU, C_HAT)
    pairs = [
        (lambda **k: theory(MU, MU, C_HAT, 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).accuracy, 30),
        (lambda **k: rmt.theory_toy(P, 10, 15, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).accuracy, 30),
        (lambda **k: rmt.theory_synthetic_only(P, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).accuracy,
         30),
        (lambda **k: rmt.solve_deltas(np.ones(P), 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).delta_s, 30),
        (lambda **k: rmt.solve_deltas_toy(P, 10, 15, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).delta_g, 30),
        (lambda **k: rmt.solve_delta_synthetic_only(P, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k), 30),
        (lambda **k: model.theory(10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).accuracy, 30),
        (lambda **k: model.simulate(10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3, random_state=0,
                                    **k).accuracy, 30),
        (lambda **k: simulate(MU, MU, C_HAT, 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3, random_state=0,
                              **k).accuracy, 30),
        (lambda **k: simulate_toy(P, 10, 15, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3,
                                  random_state=0, **k).accuracy, 30),
        (lambda **k: rmt.simulate_synthetic_only(P, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3,
                                                 random_state=0, **k).accuracy, 30),
        (lambda **k: theory_grid(MU, MU, C_HAT, 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, **k).accuracy, 30),
        (lambda **k: simulate_grid(MU, MU, C_HAT, 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3,
                                   random_state=0, **k).accuracy, 30),
        (lambda **k: rmt.simulate_toy_grid(P, 10, 15, mu_norm=1.0, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, trials=3,
                                           random_state=0, **k).accuracy, 30),
        (lambda **k: simulate_pipeline(**PIPE, **k).draws, [0, 10]),
        (lambda **k: rmt.fit_gaussian_generator(np.eye(3), np.ones(3)).sample(random_state=0, **k)[0], 4),
    ]
    for call, value in pairs:
        new = call(n_syn=value)
        with pytest.warns(FutureWarning, match="'m' is deprecated.*'n_syn'"):
            old = call(m=value)
        np.testing.assert_array_equal(old, new)
    with pytest.raises(TypeError, match="both"):
        theory(MU, MU, C_HAT, 10, eps=0.1, rho=0.2, phi=0.8, gamma=1.0, m=30, n_syn=30)


def test_positional_random_state_warns_and_gives_the_same_numbers():
    new = simulate_toy(P, 10, 15, 30, 1.0, 0.1, 0.2, 0.8, 1.0, 3, random_state=5)
    with pytest.warns(FutureWarning, match="positional argument 'random_state'"):
        old = simulate_toy(P, 10, 15, 30, 1.0, 0.1, 0.2, 0.8, 1.0, 3, 5)
    assert old == new
    with pytest.warns(FutureWarning, match="random_state"):
        X_old, _ = rmt.gaussian_mixture(4, MU, 2)
    np.testing.assert_array_equal(X_old, rmt.gaussian_mixture(4, MU, random_state=2)[0])
    with pytest.warns(FutureWarning, match="random_state"):
        W = rmt.white_wishart(4, 6, 1)
    np.testing.assert_array_equal(W, rmt.white_wishart(4, 6, random_state=1))


def test_old_model_call_pipeline_class_and_attribute_warn():
    model = generator_model(MU, MU, C_HAT)
    with pytest.warns(FutureWarning, match="model.simulate"):
        old = simulate(None, None, model, 10, 30, 0.1, 0.2, 0.8, 1.0, trials=3, random_state=0)
    assert old == model.simulate(10, 30, 0.1, 0.2, 0.8, 1.0, trials=3, random_state=0)
    with pytest.warns(FutureWarning, match="PipelineSimulation"):
        alias = rmt.PipelineSimulation
    result = simulate_pipeline(n_syn=[0, 10], **PIPE)
    assert alias is SimulationResult and isinstance(result, alias)
    with pytest.warns(FutureWarning, match="'m' is deprecated"):
        assert result.m.tolist() == [0, 10]
    assert "PipelineSimulation" not in rmt.__all__
    with pytest.raises(AttributeError):
        rmt.no_such_name   # noqa: B018
