"""Part II: random-matrix theory of ridge classification on real plus verified synthetic data."""
from .._mixture import (GaussianGenerator, conditional_accuracy, corrupt_and_verify, critical_noise,
                        fit_gaussian_generator, gaussian_mixture, ridge_classifier, verification)

__all__ = [
    "verification",
    "critical_noise",
    "gaussian_mixture",
    "GaussianGenerator",
    "fit_gaussian_generator",
    "corrupt_and_verify",
    "ridge_classifier",
    "conditional_accuracy",
]
