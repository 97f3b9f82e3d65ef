"""Random-state handling shared by every function of synthlib that draws.

The book's seed policy: a chapter fixes one integer seed and derives every
other stream from it with :func:`spawn`, so the same seed always gives the
same numbers, and two experiments of one chapter never share a stream.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_random_state", "spawn", "sklearn_seed"]


def check_random_state(random_state=None) -> np.random.Generator:
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        ``None`` gives a fresh generator seeded from the operating system;
        an integer ``>= 0`` gives ``numpy.random.default_rng(random_state)``;
        a ``Generator`` is returned unchanged (so the caller's stream advances);
        a legacy ``RandomState`` is wrapped around its bit generator.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    ValueError
        If ``random_state`` is a negative integer or of any other type.

    Examples
    --------
    >>> from synthlib import check_random_state
    >>> rng = check_random_state(0)
    >>> float(rng.standard_normal()) == float(check_random_state(0).standard_normal())
    True
    >>> check_random_state(rng) is rng
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        # share the legacy object's stream rather than copying it
        return np.random.Generator(random_state._bit_generator)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(
                f"random_state={random_state!r} is invalid: an integer seed must be >= 0"
            )
        return np.random.default_rng(int(random_state))
    raise ValueError(
        f"random_state={random_state!r} is invalid: expected None, an integer >= 0 "
        "or a numpy.random.Generator"
    )


def spawn(random_state, n: int) -> list[np.random.Generator]:
    """Derive ``n`` independent generators from one seed or generator.

    A chapter calls ``spawn(SEED, k)`` once and hands one child to each
    experiment, so adding an experiment never changes the numbers of another.

    Examples
    --------
    >>> from synthlib import spawn
    >>> a, b = spawn(2026, 2)
    >>> float(a.random()) != float(b.random())
    True
    >>> float(spawn(2026, 2)[0].random()) == float(spawn(2026, 2)[0].random())
    True
    """
    if not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n={n!r} is invalid: expected an integer >= 0")
    rng = check_random_state(random_state)
    return list(rng.spawn(int(n)))


def sklearn_seed(random_state) -> int:
    """An integer seed for scikit-learn or imbalanced-learn, drawn from ``random_state``.

    scikit-learn does not accept ``numpy.random.Generator`` (scikit-learn
    issue #16988), so synthlib draws a 32-bit integer from the caller's
    generator and passes that on.

    Examples
    --------
    >>> from synthlib._random import sklearn_seed
    >>> sklearn_seed(3) == sklearn_seed(3)
    True
    """
    return int(check_random_state(random_state).integers(0, 2**31 - 1))
