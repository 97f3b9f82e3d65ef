"""Random-state handling shared by every function of synthlib that draws.

The book's seed policy: a chapter fixes one integer seed and derives every
other stream from it with :func:`spawn`, so the same seed always gives the
same numbers, and two experiments of one chapter never share a stream.
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validation import check_integer

__all__ = ["check_random_state", "spawn", "sklearn_seed"]


def check_random_state(random_state=None) -> np.random.Generator:
    """Turn ``random_state`` into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator, numpy.random.SeedSequence, \
            numpy.random.BitGenerator or numpy.random.RandomState
        ``None`` gives a fresh generator seeded from the operating system;
        an integer ``>= 0`` (an integral float such as ``3.0`` included)
        gives ``numpy.random.default_rng(random_state)``; a ``Generator`` is
        returned unchanged (so the caller's stream advances); a
        ``SeedSequence`` or ``BitGenerator`` goes through ``default_rng``.
        A legacy ``RandomState`` seeds a new generator from four 32-bit words
        it draws: the stream is *derived* from the ``RandomState`` (the same
        seed gives the same numbers, and the ``RandomState`` advances), not
        shared with it. NumPy offers no public access to a ``RandomState``'s
        bit generator, and the derived generator can :meth:`~numpy.random.Generator.spawn`.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    ValueError
        If ``random_state`` is a negative or non-integral number, a bool, or
        of any other type.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib import check_random_state
    >>> rng = check_random_state(0)
    >>> float(rng.standard_normal()) == float(check_random_state(0).standard_normal())
    True
    >>> check_random_state(rng) is rng
    True
    >>> a = check_random_state(np.random.RandomState(3)).random()
    >>> bool(a == check_random_state(np.random.RandomState(3)).random())
    True
    """
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (np.random.SeedSequence, np.random.BitGenerator)):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.RandomState):
        words = random_state.randint(0, 2**32, size=4, dtype=np.uint64)
        return np.random.default_rng(np.random.SeedSequence([int(w) for w in words]))
    if isinstance(random_state, numbers.Real) and not isinstance(random_state, (bool, np.bool_)):
        seed = float(random_state) if not isinstance(random_state, numbers.Integral) else None
        if seed is None or (np.isfinite(seed) and seed.is_integer()):
            seed = int(random_state)
            if seed < 0:
                raise ValueError(
                    f"random_state={random_state!r} is invalid: an integer seed must be >= 0"
                )
            return np.random.default_rng(seed)
    raise ValueError(
        f"random_state={random_state!r} is invalid: expected None, an integer >= 0, "
        "a numpy.random.Generator, SeedSequence, BitGenerator or RandomState"
    )


def spawn(random_state, n: int) -> list[np.random.Generator]:
    """Derive ``n`` independent generators from one seed or generator.

    A chapter calls ``spawn(SEED, k)`` once and hands one child to each
    experiment, so adding an experiment never changes the numbers of another.
    A generator whose bit generator cannot spawn (one built on a legacy
    seeding) spawns from a seed sequence drawn from its own stream.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        As in :func:`check_random_state`.
    n : int >= 0
        Number of children.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib import spawn
    >>> a, b = spawn(2026, 2)
    >>> float(a.random()) != float(b.random())
    True
    >>> float(spawn(2026, 2)[0].random()) == float(spawn(2026, 2)[0].random())
    True
    >>> len(spawn(np.random.RandomState(0), 2))
    2
    """
    n = check_integer(n, "n", low=0)
    rng = check_random_state(random_state)
    try:
        return list(rng.spawn(n))
    except TypeError:   # "The underlying SeedSequence does not implement spawning."
        seq = np.random.SeedSequence([int(w) for w in rng.integers(0, 2**32, size=4, dtype=np.uint64)])
        return [np.random.default_rng(child) for child in seq.spawn(n)]


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
