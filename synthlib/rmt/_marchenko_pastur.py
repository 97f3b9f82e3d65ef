r"""The Marchenko–Pastur law of a white Wishart matrix Ĉ = (1/n̂) Z Zᵀ.

With p/n̂ → η̂ the eigenvalue distribution of Ĉ tends to

.. math:: \nu_{\hat\eta}(dx) = \frac{\sqrt{(b-x)^+(x-a)^+}}{2\pi\hat\eta x}\,dx
          + \big(1-\hat\eta^{-1}\big)^+\delta_0,\qquad a,b=(1\mp\sqrt{\hat\eta})^2 .

Derived (chapter "A random-matrix toolkit") from the
Stieltjes transform m(z) = ∫ ν(dx)/(x − z), which solves

.. math:: \hat\eta z\,m^2 + (z - 1 + \hat\eta)\,m + 1 = 0 .

The official code's density omits the atom at 0 when η̂ > 1; here it is
reported separately by :func:`mp_atom`.
"""
from __future__ import annotations

import numbers

import numpy as np

from .._validation import check_array
from ._checks import positive

__all__ = ["mp_edges", "mp_atom", "mp_density", "mp_stieltjes"]


def mp_edges(eta_hat):
    r"""Edges a = (1 − √η̂)², b = (1 + √η̂)² of the Marchenko–Pastur bulk.

    Parameters
    ----------
    eta_hat : float or array_like, > 0
        Aspect ratio p / n̂.

    Returns
    -------
    a, b : float or ndarray

    Examples
    --------
    >>> from synthlib.rmt import mp_edges
    >>> mp_edges(0.25)
    (0.25, 2.25)
    """
    eta = positive(eta_hat, "eta_hat")
    root = np.sqrt(eta)
    lower, upper = (1 - root) ** 2, (1 + root) ** 2
    if np.ndim(lower) == 0:
        return float(lower), float(upper)
    return lower, upper


def mp_atom(eta_hat):
    r"""Mass (1 − 1/η̂)⁺ of the atom at 0 (the p − n̂ zero eigenvalues when p > n̂).

    Examples
    --------
    >>> from synthlib.rmt import mp_atom
    >>> mp_atom(0.5), mp_atom(2.0)
    (0.0, 0.5)
    """
    eta = positive(eta_hat, "eta_hat")
    out = np.maximum(0.0, 1.0 - 1.0 / np.asarray(eta))
    return float(out) if np.ndim(out) == 0 else out


def mp_density(x, eta_hat):
    r"""Density of the continuous part of the Marchenko–Pastur law.

    .. math:: f(x) = \frac{\sqrt{(b-x)^+(x-a)^+}}{2\pi\hat\eta x}

    It integrates to min(1, 1/η̂); the rest of the mass, (1 − 1/η̂)⁺, is the
    atom at 0 returned by :func:`mp_atom`. At η̂ = 1 the density diverges at
    x = 0 and ``inf`` is returned there.

    Parameters
    ----------
    x : float or array_like (0, 1 or 2 dimensions, not empty)
        Points (any real numbers; the density is 0 outside [a, b]).
    eta_hat : float or array_like, > 0
        Aspect ratio p / n̂, broadcast against ``x``.

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.integrate import quad
    >>> from synthlib.rmt import mp_density, mp_edges, mp_atom
    >>> a, b = mp_edges(2.0)
    >>> mass = quad(mp_density, a, b, args=(2.0,))[0]
    >>> round(mass + mp_atom(2.0), 6)
    1.0
    >>> float(mp_density(3.0, 0.1))
    0.0
    """
    x = check_array(x, "x")
    if x.ndim > 2:
        raise ValueError(f"x has {x.ndim} dimensions (shape {x.shape}): expected a number, a vector or a matrix")
    eta = np.asarray(positive(eta_hat, "eta_hat"))
    x, eta = np.broadcast_arrays(x, eta)
    a, b = (1 - np.sqrt(eta)) ** 2, (1 + np.sqrt(eta)) ** 2
    out = np.zeros(x.shape)
    inside = (x > a) & (x < b) & (x > 0)
    xi, ei = x[inside], eta[inside]
    out[inside] = np.sqrt((b[inside] - xi) * (xi - a[inside])) / (2 * np.pi * ei * xi)
    out[(x == 0) & (eta == 1)] = np.inf
    return float(out) if out.ndim == 0 else out


def mp_stieltjes(z, eta_hat):
    r"""Stieltjes transform m(z) = ∫ ν(dx)/(x − z) of the Marchenko–Pastur law (atom included).

    m is the root of η̂ z m² + (z − 1 + η̂) m + 1 = 0 on the branch with
    m(z) ~ −1/z at infinity, i.e. Im m > 0 when Im z > 0. It is written with
    √(z−a)·√(z−b), which is analytic off [a, b] and behaves like z at
    infinity, and evaluated in whichever of the two algebraically equal forms
    avoids cancellation. For real z inside [a, b] the boundary value
    m(x + i0) is returned, so Im m(x)/π is the density there.

    Parameters
    ----------
    z : complex or array_like (0, 1 or 2 dimensions, not empty)
        Points off the support (or on it, see above). ``z = 0`` is a pole when
        η̂ > 1 (the atom) and a singularity when η̂ = 1, so it is refused then.
    eta_hat : float or array_like, > 0

    Returns
    -------
    complex or ndarray of complex

    Examples
    --------
    >>> from synthlib.rmt import mp_stieltjes
    >>> m = mp_stieltjes(1 + 0.5j, 0.5)
    >>> m.imag > 0
    True
    >>> abs(0.5 * (1 + 0.5j) * m**2 + ((1 + 0.5j) - 1 + 0.5) * m + 1) < 1e-12
    True
    >>> round(mp_stieltjes(0.0, 0.5).real, 12)   # ∫ ν(dx)/x = 1/(1 - η̂)
    2.0
    """
    z = _complex_points(z, "z")
    eta = np.asarray(positive(eta_hat, "eta_hat"), dtype=float)
    z, eta = np.broadcast_arrays(z, eta)
    if np.any((z == 0) & (eta >= 1)):
        raise ValueError("z=0 is invalid when eta_hat >= 1: the transform has a pole there "
                         "(the atom at 0); expected z != 0")
    a, b = (1 - np.sqrt(eta)) ** 2, (1 + np.sqrt(eta)) ** 2
    # a real z on the support is read as x + i0, the boundary value from the upper half plane
    z_eval = np.where((z.imag == 0) & (z.real >= a) & (z.real <= b), z.real + 0j, z)
    root = np.sqrt(z_eval - a + 0j) * np.sqrt(z_eval - b + 0j)
    root = np.where((z.imag == 0) & (z.real > a) & (z.real < b), 1j * np.abs(root), root)
    linear = z_eval - 1 + eta
    with np.errstate(divide="ignore", invalid="ignore"):
        # (root - linear) / (2 eta z) and -2 / (linear + root) are the same root;
        # use the one whose denominator does not cancel
        big = np.abs(linear + root) >= np.abs(root - linear)
        out = np.where(big, -2.0 / (linear + root), (root - linear) / (2 * eta * z_eval))
    return complex(out) if out.ndim == 0 else out


def _complex_points(value, name):
    """Finite complex numbers (or real ones) in an array of at most 2 dimensions, not empty; strings,
    booleans and objects that are not numbers refused."""
    if isinstance(value, (str, bytes, bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is invalid: expected complex numbers")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):   # ragged nested sequences
        raise ValueError(f"{name} is invalid: expected complex numbers in a rectangular array") from None
    if raw.dtype.kind == "O" and all(isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))
                                     for v in raw.flat):
        raw = raw.astype(complex)
    if raw.dtype.kind not in "iufc":
        raise ValueError(f"{name} is invalid: expected complex numbers, got an array of dtype {raw.dtype}")
    if raw.ndim > 2:
        raise ValueError(f"{name} has {raw.ndim} dimensions (shape {raw.shape}): expected a number, a vector "
                         "or a matrix")
    if raw.size == 0:
        raise ValueError(f"{name} is empty (shape {raw.shape}): expected at least one point")
    z = raw.astype(complex)
    if not np.all(np.isfinite(z)):
        raise ValueError(f"{name} contains NaN or infinite values: expected finite numbers")
    return z
