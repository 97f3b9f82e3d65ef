"""Part II: random-matrix theory of ridge classification on real plus verified synthetic data.

The real data of the paper have identity covariance; ``theory(..., C_real=...)``,
``simulate(..., C_real=...)`` and :func:`covariance_model` extend the model to any real
covariance (DERIVED for the book, chapter "Real data, offline").

Layout (each module imports only those above it, and the core):

* ``_checks``, ``_model`` (the data model: mixture, generator, verifier, ridge), ``_results``;
* ``_fixed_point`` (the δ's), ``_engine`` (m, ν and the accuracy from the δ's and traces),
  ``_simulate`` (exact Monte Carlo from sufficient statistics), ``_marchenko_pastur``;
* ``_theory`` (:class:`GeneratorSpectrum`), ``_covariance`` (:class:`CovarianceModel`),
  ``_toy``, ``_synthetic_only``;
* ``_general`` (:func:`generator_model`, :func:`theory`, :func:`simulate`), ``_sweep`` (grids),
  ``_pipeline`` (chapter 1's literal pipeline).
"""
from .._deprecation import module_getattr
from ._covariance import CovarianceModel, covariance_model
from ._fixed_point import solve_delta_synthetic_only, solve_deltas, solve_deltas_toy
from ._general import generator_model, simulate, theory
from ._marchenko_pastur import mp_atom, mp_density, mp_edges, mp_stieltjes
from ._model import (
                     GaussianGenerator,
                     conditional_accuracy,
                     corrupt_and_verify,
                     critical_noise,
                     fit_gaussian_generator,
                     gaussian_mixture,
                     mean_vector,
                     ridge_classifier,
                     verification,
)
from ._pipeline import simulate_pipeline
from ._results import Deltas, SimulationResult, TheoryResult
from ._simulate import simulate_synthetic_only, simulate_toy, white_wishart
from ._sweep import simulate_grid, simulate_toy_grid, theory_grid
from ._synthetic_only import theory_synthetic_only
from ._theory import GeneratorSpectrum, generator_spectrum
from ._toy import theory_toy

__all__ = [
    "verification",
    "critical_noise",
    "gaussian_mixture",
    "GaussianGenerator",
    "fit_gaussian_generator",
    "corrupt_and_verify",
    "ridge_classifier",
    "conditional_accuracy",
    "mean_vector",
    "simulate_pipeline",
    "mp_edges",
    "mp_atom",
    "mp_density",
    "mp_stieltjes",
    "white_wishart",
    "solve_deltas",
    "solve_deltas_toy",
    "solve_delta_synthetic_only",
    "generator_model",
    "GeneratorSpectrum",
    "generator_spectrum",
    "theory",
    "CovarianceModel",
    "covariance_model",
    "theory_toy",
    "theory_synthetic_only",
    "simulate",
    "simulate_toy",
    "simulate_synthetic_only",
    "theory_grid",
    "simulate_grid",
    "simulate_toy_grid",
    "Deltas",
    "TheoryResult",
    "SimulationResult",
]

# deprecated names: served with a FutureWarning, not listed in __all__
__getattr__ = module_getattr("synthlib.rmt", {"PipelineSimulation": ("SimulationResult", SimulationResult)})
