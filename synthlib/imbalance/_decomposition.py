r"""The bias decomposition of the augmented risk and the theory-guided synthetic size.

Everything here is spec part III §1.2 and §2. The paper's text was not
available; the statements are RECONSTRUCTED from its abstract, a secondary
summary and the authors' code, and the formulas below are DERIVED for the
book (they are checked symbolically in ``tests/imbalance/test_algebra.py``).

Notation: :math:`u=\nabla\phi(\theta^*)` with :math:`\phi=R_0-R_1` the
majority-minus-minority risk difference, :math:`v=\nabla\psi(\theta^*)` with
:math:`\psi=R_{\rm syn}-R_1` the synthetic-minus-real minority risk
difference, :math:`D=n_0-n_1`, :math:`N=n_0+n_1+\tilde n`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_integer, check_psd_matrix

__all__ = [
    "bias_vector",
    "excess_risk_expansion",
    "ExcessRiskExpansion",
    "theory_target_size",
    "alignment",
    "Alignment",
]


def _check_counts(n0, n1, n_syn=None):
    n0 = check_integer(n0, "n0", low=1)
    n1 = check_integer(n1, "n1", low=1)
    if n1 > n0:
        raise ValueError(
            f"n1={n1} > n0={n0}: the theory takes class 0 as the majority and class 1 as the "
            "minority that synthetic points are added to; swap the two counts (and the roles "
            "of the classes in phi) if your minority is class 0"
        )
    if n_syn is None:
        return n0, n1
    n_syn = check_integer(n_syn, "n_syn", low=0)
    return n0, n1, n_syn


def _check_gradients(grad_phi, grad_psi):
    u = np.atleast_1d(check_array(grad_phi, "grad_phi"))
    v = np.atleast_1d(check_array(grad_psi, "grad_psi"))
    if u.ndim != 1 or v.ndim != 1 or u.shape != v.shape:
        raise ValueError(
            f"grad_phi has shape {u.shape} and grad_psi has shape {v.shape}: expected two "
            "vectors of the same length p (the parameter dimension)"
        )
    return u, v


def _as_matrix(value, name, p, psd=False):
    """A (p, p) matrix (a number c stands for c I); ``psd``: symmetric positive semi-definite."""
    arr = check_array(value, name)
    if arr.ndim == 0:
        arr = arr * np.eye(p)
    if arr.shape != (p, p):
        raise ValueError(f"{name} has shape {arr.shape}: expected ({p}, {p}) to match the gradients")
    if psd:
        check_psd_matrix(arr, name)
    return arr


def bias_vector(grad_phi, grad_psi, n0, n1, n_syn):
    r"""The bias vector :math:`b(\theta^*)=\nabla R_{\rm aug}(\theta^*)` (spec eq. 1.2).

    .. math:: b=\Big(\pi_0-\tfrac12\Big)\nabla\phi(\theta^*)+\tilde\pi\,\nabla\psi(\theta^*)
              =\frac1N\Big[\tfrac{D-\tilde n}{2}\nabla\phi(\theta^*)+\tilde n\,\nabla\psi(\theta^*)\Big].

    DERIVED from the identity :math:`R_{\rm aug}=R_{\rm bal}+(\pi_0-\tfrac12)\phi+\tilde\pi\psi`
    and :math:`\nabla R_{\rm bal}(\theta^*)=0`; it is the bias vector quoted
    by the secondary summary of the paper (the paper's own statement is
    RECONSTRUCTED).

    Parameters
    ----------
    grad_phi, grad_psi : array_like of shape (p,) or float
        :math:`\nabla\phi(\theta^*)` and :math:`\nabla\psi(\theta^*)`.
    n0, n1 : int
        Real majority and minority counts, ``n0 >= n1``.
    n_syn : int
        Number of synthetic minority points :math:`\tilde n`.

    Returns
    -------
    numpy.ndarray of shape (p,)

    Examples
    --------
    Example E1 (spec §3): :math:`u=(4/3,0)`, :math:`v=(1/2,0)`; at
    :math:`\tilde n=4D` the bias vanishes.

    >>> from synthlib.imbalance import bias_vector
    >>> bias_vector([4/3, 0], [0.5, 0], 2000, 100, 4 * 1900).round(12).tolist()
    [0.0, 0.0]
    >>> bias_vector([4/3, 0], [0.5, 0], 2000, 100, 0).round(4).tolist()
    [0.6032, 0.0]
    """
    u, v = _check_gradients(grad_phi, grad_psi)
    n0, n1, n_syn = _check_counts(n0, n1, n_syn)
    N = n0 + n1 + n_syn
    return (0.5 * (n0 - n1 - n_syn) * u + n_syn * v) / N


@dataclass(frozen=True)
class ExcessRiskExpansion:
    r"""Second-order expansion of the expected excess balanced risk (spec eq. 2.1).

    Attributes
    ----------
    bias : float
        :math:`\tfrac12 b^\top H_{\rm aug}^{-1}HH_{\rm aug}^{-1}b`.
    variance : float
        :math:`\frac1{2N}\operatorname{tr}(HH_{\rm aug}^{-1}\Sigma_{\rm aug}H_{\rm aug}^{-1})`.
    b : numpy.ndarray
        The bias vector :func:`bias_vector`.
    shift : numpy.ndarray
        First-order population shift :math:`\theta_{\rm aug}-\theta^*=-H_{\rm aug}^{-1}b`
        (exact for quadratic losses).
    H_aug, Sigma_aug : numpy.ndarray
        :math:`H+(\pi_0-\tfrac12)\nabla^2\phi+\tilde\pi\nabla^2\psi` and
        :math:`\pi_0\Sigma_0+\pi_1\Sigma_1+\tilde\pi\Sigma_{\rm syn}`.
    N : int
        Total sample size :math:`n_0+n_1+\tilde n`.
    param_bias, param_variance : float
        The two parts of :math:`\mathbb E\|\hat\theta-\theta^*\|^2`:
        :math:`\|H_{\rm aug}^{-1}b\|^2` and
        :math:`\operatorname{tr}(H_{\rm aug}^{-1}\Sigma_{\rm aug}H_{\rm aug}^{-1})/N`.
    """

    bias: float
    variance: float
    b: np.ndarray
    shift: np.ndarray
    H_aug: np.ndarray
    Sigma_aug: np.ndarray
    N: int
    param_bias: float
    param_variance: float

    @property
    def total(self) -> float:
        """bias + variance: the predicted expected excess balanced risk."""
        return self.bias + self.variance

    @property
    def param_error_sq(self) -> float:
        r"""Predicted :math:`\mathbb E\|\hat\theta-\theta^*\|^2`."""
        return self.param_bias + self.param_variance


def excess_risk_expansion(grad_phi, grad_psi, H, n0, n1, n_syn, *, Sigma0, Sigma1, Sigma_syn,
                          hess_phi=None, hess_psi=None):
    r"""Bias and variance parts of the expected excess balanced risk (spec eq. 2.1/2.2).

    .. math::
        \mathbb E R_{\rm bal}(\hat\theta)-R_{\rm bal}(\theta^*)\approx
        \tfrac12 b^\top H_{\rm aug}^{-1}HH_{\rm aug}^{-1}b
        +\frac{1}{2N}\operatorname{tr}\big(HH_{\rm aug}^{-1}\Sigma_{\rm aug}H_{\rm aug}^{-1}\big).

    RECONSTRUCTED statement (the paper's "Theorem 2"), DERIVED here by a
    second-order Taylor expansion under the reconstructed Assumption 1 (local
    strong convexity, Lipschitz gradients, finite score moments, synthetic
    draws independent of the real sample). When ``hess_phi`` and ``hess_psi``
    are omitted, :math:`H_{\rm aug}=H` and the result is the simplified form
    (2.2), accurate near balancing. The variance part assumes independent
    synthetic draws: SMOTE-type generators reuse real points and break this.

    Parameters
    ----------
    grad_phi, grad_psi : array_like of shape (p,)
        :math:`\nabla\phi(\theta^*)`, :math:`\nabla\psi(\theta^*)`.
    H : array_like of shape (p, p) or float
        Hessian of the balanced risk at :math:`\theta^*` (symmetric PSD).
    n0, n1, n_syn : int
    Sigma0, Sigma1, Sigma_syn : array_like of shape (p, p) or float
        Covariances (symmetric PSD) of the per-sample gradient at :math:`\theta^*` under
        :math:`P_0`, :math:`P_1` and :math:`P_{\rm syn}` (label 1).
    hess_phi, hess_psi : array_like of shape (p, p), optional
        :math:`\nabla^2\phi(\theta^*)`, :math:`\nabla^2\psi(\theta^*)`.

    Returns
    -------
    ExcessRiskExpansion

    Examples
    --------
    Example E1 at :math:`\tilde n=4D`, :math:`n_0=20n_1`: the bias vanishes
    and the excess is :math:`\approx 1.249/N` (spec §3, E1).

    >>> from synthlib.imbalance import excess_risk_expansion, examples
    >>> e1 = examples.aligned_gaussian()
    >>> n1 = 100; n0 = 20 * n1; n_syn = 4 * (n0 - n1)
    >>> exp = excess_risk_expansion(**e1.expansion_inputs(), n0=n0, n1=n1, n_syn=n_syn)
    >>> round(exp.bias, 12), round(exp.variance * exp.N, 3)
    (0.0, 1.249)
    """
    u, v = _check_gradients(grad_phi, grad_psi)
    p = u.size
    n0, n1, n_syn = _check_counts(n0, n1, n_syn)
    H = _as_matrix(H, "H", p, psd=True)
    S0 = _as_matrix(Sigma0, "Sigma0", p, psd=True)
    S1 = _as_matrix(Sigma1, "Sigma1", p, psd=True)
    Ss = _as_matrix(Sigma_syn, "Sigma_syn", p, psd=True)
    N = n0 + n1 + n_syn
    pi0, pi1, pis = n0 / N, n1 / N, n_syn / N
    H_aug = H.copy()
    if hess_phi is not None:
        H_aug = H_aug + (pi0 - 0.5) * _as_matrix(hess_phi, "hess_phi", p)
    if hess_psi is not None:
        H_aug = H_aug + pis * _as_matrix(hess_psi, "hess_psi", p)
    b = bias_vector(u, v, n0, n1, n_syn)
    Sigma_aug = pi0 * S0 + pi1 * S1 + pis * Ss
    try:
        H_aug_inv = np.linalg.inv(H_aug)
    except np.linalg.LinAlgError:
        raise ValueError("H_aug is singular: the expansion needs a locally strongly convex "
                         "augmented risk (reconstructed Assumption 1)") from None
    shift = -H_aug_inv @ b
    bias = 0.5 * float(shift @ H @ shift)
    M = H_aug_inv @ Sigma_aug @ H_aug_inv
    variance = float(np.trace(H @ M)) / (2 * N)
    return ExcessRiskExpansion(bias=bias, variance=variance, b=b, shift=shift, H_aug=H_aug,
                               Sigma_aug=Sigma_aug, N=N, param_bias=float(shift @ shift),
                               param_variance=float(np.trace(M)) / N)


def _inner(a, b, metric):
    return float(a @ b) if metric is None else float(a @ metric @ b)


def theory_target_size(grad_phi, grad_psi, n0, n1, *, metric=None):
    r"""Theory-guided synthetic size that cancels the bias along :math:`\nabla\phi` (spec eq. 2.3).

    .. math::
        \tilde n_T=\frac{n_0-n_1}{1-2\langle\nabla\psi,\nabla\phi\rangle/\|\nabla\phi\|^2}
        =\frac{D}{1-2\frac{\|\nabla\psi\|}{\|\nabla\phi\|}\cos\angle(\nabla\phi,\nabla\psi)},

    gradients taken at :math:`\theta^*`. DERIVED by solving
    :math:`\langle b(\tilde n),\nabla\phi\rangle=0` (RECONSTRUCTED "Theorem 5":
    bias cancellation); it is the "theory target" of the authors' revised code.
    Aligned mismatch (cos > 0) asks for more synthetic data than balancing,
    anti-aligned for less. Only the component of the bias along
    :math:`\nabla\phi` is removed; the residual is
    :math:`(\tilde n_T/N)\|\nabla\psi\|\,|\sin\angle|`.

    Parameters
    ----------
    grad_phi, grad_psi : array_like of shape (p,)
    n0, n1 : int
        Real majority and minority counts, ``n0 >= n1``.
    metric : array_like of shape (p, p), optional
        A symmetric PSD matrix: use :math:`\langle a,b\rangle_M=a^\top Mb` (e.g. :math:`M=H^{-1}`)
        instead of the Euclidean inner product (spec §8.6).

    Returns
    -------
    float or None
        :math:`\tilde n_T` (not rounded), or ``None`` when no positive size
        cancels the leading bias: when :math:`2\langle v,u\rangle\ge\|u\|^2`,
        or under local symmetry :math:`\nabla\phi(\theta^*)=0`.

    Examples
    --------
    Example E1 (:math:`\mu=1`, :math:`a=1/2`): the target is :math:`4D`.

    >>> from synthlib.imbalance import theory_target_size
    >>> theory_target_size([4/3, 0.0], [0.5, 0.0], n0=2000, n1=100)
    7600.0
    >>> theory_target_size([1.0, 0.0], [0.6, 0.0], n0=2000, n1=100) is None
    True
    """
    u, v = _check_gradients(grad_phi, grad_psi)
    n0, n1 = _check_counts(n0, n1)
    if metric is not None:
        metric = _as_matrix(metric, "metric", u.size, psd=True)
    uu = _inner(u, u, metric)
    if uu <= 0.0:
        return None
    denominator = 1.0 - 2.0 * _inner(v, u, metric) / uu
    if denominator <= 0.0:
        return None
    return float((n0 - n1) / denominator)


@dataclass(frozen=True)
class Alignment:
    r"""Geometry of :math:`u=\nabla\phi(\theta^*)` and :math:`v=\nabla\psi(\theta^*)`.

    Attributes
    ----------
    norm_phi, norm_psi : float
        :math:`\|u\|`, :math:`\|v\|`.
    cosine, sine : float
        Of the angle between them (``nan`` if either is zero).
    denominator : float
        :math:`1-2\|v\|\cos/\|u\|`, the denominator of :func:`theory_target_size`.
    """

    norm_phi: float
    norm_psi: float
    cosine: float
    sine: float
    denominator: float


def alignment(grad_phi, grad_psi):
    r"""Norms, angle and target denominator of the two gradients (spec §1.3, eq. 2.3).

    Examples
    --------
    The revised-code printout quoted in spec §6 check 16:

    >>> import numpy as np
    >>> from synthlib.imbalance import alignment
    >>> c = 0.152379
    >>> u = [0.636935, 0.0]
    >>> v = 0.0246354 * np.array([c, np.sqrt(1 - c * c)])
    >>> round(alignment(u, v).denominator, 6)
    0.988213
    """
    u, v = _check_gradients(grad_phi, grad_psi)
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    if nu == 0.0 or nv == 0.0:
        cos = sin = float("nan")
        denom = 1.0 if nv == 0.0 and nu > 0 else float("nan")
    else:
        cos = float(np.clip(u @ v / (nu * nv), -1.0, 1.0))
        sin = float(np.sqrt(max(0.0, 1.0 - cos * cos)))
        denom = 1.0 - 2.0 * nv * cos / nu
    return Alignment(norm_phi=nu, norm_psi=nv, cosine=cos, sine=sin, denominator=denom)
