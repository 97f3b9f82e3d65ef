"""Part III: imbalanced learning, the bias decomposition and validation-tuned synthetic size.

Seed paper: Ma & Zhang, *Synthetic Augmentation in Imbalanced Learning: When It
Helps, When It Hurts, and How Much to Add* (arXiv 2601.16120). Its text was not
available; statements marked RECONSTRUCTED or DERIVED in the docstrings are
the book's reconstructions (spec part III §0).

Public API
----------
* meta-estimator: :class:`VTSS`
* generators (``sample(X_minority, n_syn, *, random_state=None)``): :class:`SyntheticGenerator`,
  :class:`GaussianFit`, :class:`SMOTEGenerator`, :class:`Jitter`, :class:`Oracle`, :class:`ImblearnGenerator`,
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
from .._deprecation import module_getattr
from . import examples
from ._decomposition import (
                             Alignment,
                             ExcessRiskExpansion,
                             alignment,
                             bias_vector,
                             excess_risk_expansion,
                             theory_target_size,
)
from ._diagnostics import (
                             GeneratorQuality,
                             SymmetryTest,
                             TGVTSSDecision,
                             generator_quality_score,
                             gqs_from_moments,
                             gqs_noise_floor,
                             local_symmetry_test,
                             tg_vtss_candidates,
)
from ._generators import (
                             FunctionGenerator,
                             GaussianFit,
                             ImblearnGenerator,
                             Jitter,
                             Oracle,
                             SMOTEGenerator,
                             SyntheticGenerator,
                             as_generator,
)
from ._losses import balanced_log_loss, balanced_squared_loss, synthetic_size
from ._moments import LossMoments, logistic_fit, loss_moments
from ._vtss import DEFAULT_MULTIPLIERS, VTSS

__all__ = [
    "VTSS",
    "DEFAULT_MULTIPLIERS",
    "SyntheticGenerator",
    "GaussianFit",
    "SMOTEGenerator",
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
    "gqs_noise_floor",
    "tg_vtss_candidates",
    "TGVTSSDecision",
    "balanced_log_loss",
    "balanced_squared_loss",
    "synthetic_size",
    "logistic_fit",
    "loss_moments",
    "LossMoments",
    "examples",
]

# old names (not in __all__): served with a FutureWarning
__getattr__ = module_getattr(__name__, {
    "Generator": ("SyntheticGenerator", SyntheticGenerator),
    "SMOTE": ("SMOTEGenerator", SMOTEGenerator),
    "DEFAULT_GAMMAS": ("DEFAULT_MULTIPLIERS", DEFAULT_MULTIPLIERS),
})
