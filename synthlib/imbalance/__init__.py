"""Part III: imbalanced learning, the bias decomposition and validation-tuned synthetic size.

Seed paper: Ma & Zhang, *Synthetic Augmentation in Imbalanced Learning: When It
Helps, When It Hurts, and How Much to Add* (arXiv 2601.16120). Its text was not
available; statements marked RECONSTRUCTED or DERIVED in the docstrings are
the book's reconstructions (spec part III §0).

Public API
----------
* meta-estimator: :class:`VTSS`
* generators (``sample(X_minority, n, random_state)``): :class:`GaussianFit`,
  :class:`SMOTE`, :class:`Jitter`, :class:`Oracle`, :class:`ImblearnGenerator`,
  :class:`FunctionGenerator`, :func:`as_generator`
* theory: :func:`bias_vector`, :func:`excess_risk_expansion`,
  :func:`theory_target_size`, :func:`alignment`
* diagnostics (TG-VTSS): :func:`local_symmetry_test`,
  :func:`generator_quality_score`, :func:`gqs_from_moments`,
  :func:`tg_vtss_candidates`
* losses and sizes: :func:`balanced_log_loss`, :func:`balanced_squared_loss`,
  :func:`synthetic_size`
* worked examples E1–E6: :mod:`synthlib.imbalance.examples`
"""
from . import examples
from ._decomposition import (Alignment, ExcessRiskExpansion, alignment, bias_vector,
                             excess_risk_expansion, theory_target_size)
from ._diagnostics import (GeneratorQuality, SymmetryTest, TGVTSSDecision, generator_quality_score,
                           gqs_from_moments, local_symmetry_test, tg_vtss_candidates)
from ._generators import (SMOTE, FunctionGenerator, GaussianFit, Generator, ImblearnGenerator, Jitter,
                          Oracle, as_generator)
from ._losses import balanced_log_loss, balanced_squared_loss, synthetic_size
from ._vtss import DEFAULT_GAMMAS, VTSS

__all__ = [
    "VTSS",
    "DEFAULT_GAMMAS",
    "Generator",
    "GaussianFit",
    "SMOTE",
    "Jitter",
    "Oracle",
    "ImblearnGenerator",
    "FunctionGenerator",
    "as_generator",
    "bias_vector",
    "excess_risk_expansion",
    "ExcessRiskExpansion",
    "theory_target_size",
    "alignment",
    "Alignment",
    "local_symmetry_test",
    "SymmetryTest",
    "generator_quality_score",
    "GeneratorQuality",
    "gqs_from_moments",
    "tg_vtss_candidates",
    "TGVTSSDecision",
    "balanced_log_loss",
    "balanced_squared_loss",
    "synthetic_size",
    "examples",
]
