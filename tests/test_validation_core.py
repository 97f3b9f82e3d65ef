"""The generic argument checks of synthlib._validation added for the bad-input sweep, and the
core and Part II behaviours built on them (messages name the parameter; valid input unchanged)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import synthlib  # noqa: E402
import synthlib.rmt as rmt  # noqa: E402
from synthlib._validation import check_axes, check_count_vector, check_n_jobs, check_string  # noqa: E402

# --- check_count_vector -------------------------------------------------------------------------


def test_count_vector_accepts_integers_and_integral_floats():
    out = check_count_vector([0, 4.0, np.int64(8)], "sizes")
    assert out.dtype == np.int64 and out.tolist() == [0, 4, 8]
    assert check_count_vector(np.array([3, 1]), "sizes", low=1, high=3).tolist() == [3, 1]


@pytest.mark.parametrize("bad", [3, 2.5, np.nan, True, "3", [], [[1, 2]], [True, False], [1, 1.5], [1, np.nan],
                                 [1, np.inf], [1, -1], ["1", "2"], [1, None], [[1], [2, 3]]])
def test_count_vector_refuses(bad):
    with pytest.raises(ValueError, match="sizes"):
        check_count_vector(bad, "sizes")


def test_count_vector_upper_bound():
    with pytest.raises(ValueError, match=r"sizes contains 9, out of range: expected 0 <= sizes <= 8"):
        check_count_vector([1, 9], "sizes", high=8)


# --- check_n_jobs -------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [(None, None), (1, 1), (-1, -1), (np.int64(2), 2), (4.0, 4)])
def test_n_jobs_valid(value, expected):
    assert check_n_jobs(value) == expected


@pytest.mark.parametrize("bad", [0, 2.5, True, False, "two", np.nan, [1]])
def test_n_jobs_refused(bad):
    with pytest.raises(ValueError, match="n_jobs"):
        check_n_jobs(bad)


# --- check_string and check_axes ----------------------------------------------------------------


def test_check_string():
    assert check_string("x", "caption") == "x"
    assert check_string(None, "caption", none_ok=True) is None
    for bad in (None, 3, b"x", ["x"]):
        with pytest.raises(ValueError, match="caption"):
            check_string(bad, "caption")


def test_check_axes():
    fig, ax = plt.subplots()
    try:
        assert check_axes(ax) is ax
        for bad in (3, "ax", fig, np.array([ax])):
            with pytest.raises(ValueError, match=r"\bax\b"):
                check_axes(bad)
    finally:
        plt.close(fig)


# --- the core: figures, slider, ridge path -------------------------------------------------------


def test_figure_helpers_name_their_parameters():
    fig, ax = synthlib.new_figure(ncols=2.0)
    try:
        assert len(ax) == 2
        with pytest.raises(ValueError, match="chance"):
            synthlib.plot_simulation(ax[0], [0, 1], [0.4, 0.6], [0.01, 0.02], chance=np.nan)
        with pytest.raises(ValueError, match="ax"):
            synthlib.plot_theory_vs_simulation("ax", [0, 1], [0.4, 0.6], [0, 1], [0.4, 0.6], [0.01, 0.02])
        assert not ax[0].lines   # refused before anything is drawn
        with pytest.raises(ValueError, match="caption"):
            synthlib.add_caption(ax[0], None)
    finally:
        plt.close(fig)
    for kwargs, name in ((dict(ncols=0), "ncols"), (dict(nrows=True), "nrows"), (dict(nrows="2"), "nrows")):
        with pytest.raises(ValueError, match=name):
            synthlib.new_figure(**kwargs)


def test_simulation_caption_checks_trials_and_seed():
    assert synthlib.simulation_caption(n=3, trials=np.int64(4), seed=None).startswith("n=3; Monte Carlo: 4 trials")
    with pytest.raises(ValueError, match="trials"):
        synthlib.simulation_caption(trials="100 or 40", seed=0)
    with pytest.raises(ValueError, match="seed"):
        synthlib.simulation_caption(trials=3, seed=-1)


def test_slider_value_below_low_names_low():
    with pytest.raises(ValueError, match=r"value=0\.3 is out of range: expected low <= value <= high \(low=0\.4"):
        synthlib.slider("eps", 0.3, 0.4, 1.0, 0.05)


def _ridge_data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(6, 3)), rng.normal(size=6)


@pytest.mark.parametrize("change, name", [
    (dict(X_real=np.ones((4, 3))), "X_real"),
    (dict(y_real=np.r_[np.nan, np.ones(4)]), "y_real"),
    (dict(X_syn=np.ones((6, 2))), "X_syn"),
    (dict(y_syn=np.ones((2, 2, 6))), "y_syn"),
    (dict(sizes=[0, 7]), "sizes"),
    (dict(sizes=[4, 2]), "sizes"),
    (dict(penalty=np.ones(2)), "penalty"),
    (dict(penalty=-1e-9), "penalty"),
    (dict(syn_weights=-np.ones(6)), "syn_weights"),
    (dict(syn_weights=np.ones((3, 6)), y_syn=np.ones((2, 6))), "syn_weights"),
    (dict(normalise="yes"), "normalise"),
])
def test_ridge_prefix_path_names_the_bad_argument(change, name):
    X, y, Xs, ys = _ridge_data()
    kwargs = dict(X_real=X, y_real=y, X_syn=Xs, y_syn=ys, sizes=[0, 3, 6], penalty=0.5)
    kwargs.update(change)
    with pytest.raises(ValueError, match=name):
        synthlib.ridge_prefix_path(**kwargs)


def test_ridge_prefix_path_keeps_its_empty_cases():
    X, y, Xs, ys = _ridge_data()
    no_real = synthlib.ridge_prefix_path(X[:0], y[:0], Xs, ys, [2, 6], 0.5)
    no_pool = synthlib.ridge_prefix_path(X, y, Xs[:0], ys[:0], [0], 0.5)
    assert no_real.shape == (2, 3) and no_pool.shape == (1, 3)
    np.testing.assert_array_equal(no_pool[0], np.linalg.solve(X.T @ X + 0.5 * np.eye(3), X.T @ y))


# --- Part II -------------------------------------------------------------------------------------


def test_gaussian_mixture_needs_both_classes():
    for n in (0, 1):
        with pytest.raises(ValueError, match=r"n=\d is out of range: expected n >= 2.*both classes"):
            rmt.gaussian_mixture(n, np.ones(2), random_state=0)


def test_pipeline_with_one_real_sample_and_no_synthetic_still_runs():
    r = rmt.simulate_pipeline(p=3, n=1, n_hat=4, n_syn=[0, 4], mu_norm=1.0, eps=0.1, rho=0.1, phi=0.9,
                              gamma=0.5, trials=2, random_state=0)
    assert np.all(np.isfinite(r.accuracy))
    r0 = rmt.simulate_pipeline(p=3, n=4, n_hat=4, n_syn=[0], mu_norm=1.0, eps=0.1, rho=0.1, phi=0.9,
                               gamma=0.5, trials=2, random_state=0)
    assert np.all(np.isfinite(r0.accuracy))


def test_fit_gaussian_generator_warns_on_one_label():
    X = np.random.default_rng(0).normal(size=(6, 2))
    with pytest.warns(UserWarning, match=r"\by\b holds one label only"):
        gen = rmt.fit_gaussian_generator(X, np.ones(6))
    np.testing.assert_array_equal(gen.mu_hat, rmt.fit_gaussian_generator(X).mu_hat)


@pytest.mark.parametrize("kwargs, name", [
    (dict(mu_hat=np.array([np.nan, 0.0]), residuals=np.ones((3, 2))), "mu_hat"),
    (dict(mu_hat=np.zeros((2, 1, 1)), residuals=np.ones((3, 2))), "mu_hat"),
    (dict(mu_hat=np.zeros(2), residuals=np.ones((0, 2))), "residuals"),
    (dict(mu_hat=np.zeros(2), residuals=np.ones((3, 3))), "residuals"),
    (dict(mu_hat=np.zeros(2), residuals=np.ones((3, 2, 1))), "residuals"),
])
def test_gaussian_generator_checks_its_fields(kwargs, name):
    with pytest.raises(ValueError, match=name):
        rmt.GaussianGenerator(**kwargs)


def test_corrupt_and_verify_and_ridge_classifier_messages():
    with pytest.raises(ValueError, match=r"\by is empty"):
        rmt.corrupt_and_verify(np.array([]), 0.1, 0.1, 0.9, random_state=0)
    with pytest.raises(ValueError, match="X has 7 rows but y has 8 entries"):
        rmt.ridge_classifier(np.ones((7, 2)), np.ones(8), 0.5)


@pytest.mark.parametrize("z", [np.array([]), np.array(["1+1j"]), np.zeros((2, 1, 1)), "1", True])
def test_mp_stieltjes_refuses(z):
    with pytest.raises(ValueError, match=r"\bz\b"):
        rmt.mp_stieltjes(z, 0.5)


def test_grids_check_n_jobs_and_resolvent_trace_up_front():
    mu = rmt.mean_vector(3, 1.0)
    with pytest.raises(ValueError, match="n_jobs"):
        rmt.theory_grid(mu, mu, np.eye(3), 5, 10, 0.1, 0.1, 0.9, 0.5, n_jobs=True)
    with pytest.raises(ValueError, match="resolvent_trace"):
        rmt.simulate_toy_grid(3, 5, 4, 10, 1.0, 0.1, 0.1, 0.9, 0.5, trials=2, resolvent_trace="no")
    with pytest.raises(ValueError, match="resolvent_trace"):
        rmt.simulate(mu, mu, np.eye(3), 5, 10, 0.1, 0.1, 0.9, 0.5, trials=2, resolvent_trace=2)
