"""Part II: random-matrix theory of ridge classification on real plus verified synthetic data.

The real data of the paper have identity covariance; ``theory(..., C_real=...)``,
``simulate(..., C_real=...)`` and :func:`covariance_model` extend the model to any real
covariance (DERIVED for the book, chapter "Real data, offline").
"""
from .._mixture import (GaussianGenerator, conditional_accuracy, corrupt_and_verify, critical_noise,
                        fit_gaussian_generator, gaussian_mixture, ridge_classifier, verification)
# the literal end-to-end pipeline of chapter 1 (the transparent reference route)
from .._mixture import PipelineSimulation, simulate_pipeline
from ._covariance import CovarianceModel, covariance_model
from ._fixed_point import solve_delta_synthetic_only, solve_deltas, solve_deltas_toy
from ._marchenko_pastur import mp_atom, mp_density, mp_edges, mp_stieltjes
from ._results import Deltas, SimulationResult, TheoryResult
from ._simulate import simulate, simulate_synthetic_only, simulate_toy, white_wishart
from ._sweep import simulate_grid, simulate_toy_grid, theory_grid
from ._synthetic_only import theory_synthetic_only
from ._theory import GeneratorSpectrum, generator_spectrum, theory
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
    "simulate_pipeline",
    "PipelineSimulation",
    "mp_edges",
    "mp_atom",
    "mp_density",
    "mp_stieltjes",
    "white_wishart",
    "solve_deltas",
    "solve_deltas_toy",
    "solve_delta_synthetic_only",
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
