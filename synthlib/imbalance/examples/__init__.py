r"""The worked examples of Part III (spec part III §3), with their closed forms.

=====  =================================================================  ===========================
label  model                                                              factory
=====  =================================================================  ===========================
E1     2-D Gaussians, squared loss, aligned *biased* generator            :func:`aligned_gaussian`
E2     same model, aligned *realistic* generator :math:`a(n_1)`           :func:`realistic_gaussian`
E3     mean-shift model under global symmetry (cube/Rademacher/sphere)    :func:`mean_shift`
E4     logistic model under local symmetry                                :func:`logistic_symmetric`
E5     data-generating process of the local-symmetry Wald test            :func:`symmetry_test_dgp`
E6     end-to-end TG-VTSS studies (linear, nonlinear)                      :func:`tg_linear`, :func:`tg_nonlinear`
=====  =================================================================  ===========================

The labels E1–E6 are the book's; the paper's own numbering is uncertain
(spec §3). All closed forms are DERIVED for the book and checked with sympy in
``tests/imbalance/test_algebra.py``.

**One protocol.** Every example has

* ``sample(n0, n1, *, random_state=None)``: ``n0`` majority rows, then ``n1`` minority
  rows, with their labels;
* ``sample_minority(n, *, random_state=None)``: draws of the true minority law (what an
  :class:`~synthlib.imbalance.Oracle` generator returns);
* ``p``, the dimension, and ``theta_star``;
* the properties ``grad_phi`` (:math:`\nabla\phi(\theta^*)`) and, where the example has
  a synthetic law of its own, ``grad_psi`` (:math:`\nabla\psi(\theta^*)`).

Label conventions follow each model: E1, E2, E5, E6 use ``y = 0`` (majority)
and ``y = 1`` (minority); E3 and E4 use ``y = -1`` (majority) and ``y = +1``
(minority), the targets of their losses.

The experiment helpers :func:`ridge_fit`, :func:`ridge_excess_curves` and the
Monte-Carlo results :class:`RidgeCurves`, :class:`SimulationDraws` (each with a
``summary(...)`` giving :class:`synthlib.MonteCarloSummary`) live here too.

Old spellings keep working with a ``FutureWarning``: ``d=`` (now ``p=``), a positional
``random_state``, ``LogisticSymmetric.alpha`` (now ``mixture_weight``),
``LogisticSymmetric.sample(n, rng)`` (now ``sample_joint``), ``MeanShift.grad_psi(m, S)``
(now ``grad_psi_for_law``), the ridge keyword ``alpha`` (now ``gamma``) and the
multiplier keywords ``gamma``/``gammas`` (now ``multiplier``/``multipliers``).
"""
from ._experiments import RidgeCurves, SimulationDraws, ridge_excess_curves, ridge_fit
from ._gaussian import AlignedGaussian, aligned_gaussian, realistic_gaussian
from ._logistic import LogisticSymmetric, logistic_symmetric
from ._mean_shift import MeanShift, SemiOracle, mean_shift
from ._symmetry_test import B0 as B0  # the null b_0 of E5 (module constant, not in __all__)
from ._symmetry_test import SymmetryTestDGP, symmetry_test_dgp
from ._tg import TGLinear, TGNonlinear, tg_linear, tg_nonlinear

__all__ = [
    "aligned_gaussian",
    "realistic_gaussian",
    "mean_shift",
    "logistic_symmetric",
    "symmetry_test_dgp",
    "tg_linear",
    "tg_nonlinear",
    "AlignedGaussian",
    "MeanShift",
    "LogisticSymmetric",
    "SymmetryTestDGP",
    "TGLinear",
    "TGNonlinear",
    "SemiOracle",
    "ridge_fit",
    "ridge_excess_curves",
    "RidgeCurves",
    "SimulationDraws",
]
