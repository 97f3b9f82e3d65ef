"""BLAS thread control for the library's many small linear-algebra calls.

Multi-threaded OpenBLAS spins its threads on every call; for the p ≲ 1000
matrices of the book, and above all on a shared machine, that makes an
eigendecomposition or a Monte-Carlo trial up to 50x slower than on one
thread (measured: ``eigh`` of a 400×400 matrix 2.5 s versus 35 ms on a busy
2-core machine). The library therefore runs its linear algebra on
``blas_threads`` threads (default 1) and leaves parallelism to joblib
(``n_jobs`` of the sweep helpers).
"""
from __future__ import annotations

import contextlib
import functools

from threadpoolctl import ThreadpoolController

from ._validation import check_integer

__all__ = ["blas_threads_limit"]


@functools.lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    # inspecting the loaded BLAS libraries once is the expensive part; limiting is then ~10 µs
    return ThreadpoolController()


def blas_threads_limit(threads, *, name="threads"):
    """Context manager limiting BLAS to ``threads`` threads (``None``: leave the default).

    Parameters
    ----------
    threads : int >= 1 or None
    name : str
        The caller's name for ``threads`` in error messages (e.g. ``"blas_threads"``).

    Examples
    --------
    >>> from synthlib import blas_threads
    >>> with blas_threads(1):
    ...     pass
    >>> blas_threads(0)
    Traceback (most recent call last):
    ...
    ValueError: threads=0 is out of range: expected threads >= 1
    """
    if threads is None:
        return contextlib.nullcontext()
    return _controller().limit(limits=check_integer(threads, name, low=1), user_api="blas")
