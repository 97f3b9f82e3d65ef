"""BLAS thread control lives in :mod:`synthlib._threads` (shared with chapter 1's pipeline)."""
from .._threads import blas_threads_limit

__all__ = ["blas_threads_limit"]
