"""Deprecation helpers: old public names keep working, with a warning, until the book stops using them.

Public names are a contract (CONTRIBUTING.md, "Renaming a public name"). A renamed
function, class, parameter or attribute keeps its old spelling as an alias that emits a
:class:`FutureWarning` (shown by default, as scikit-learn does for its deprecations)
naming the new spelling; CHANGELOG.md lists every old → new pair.

Three tools cover every case:

* :func:`renamed_parameters` — a keyword argument renamed (``m=`` → ``n_syn=``), and
  positional use of arguments that became keyword-only (``random_state``);
* :func:`deprecated_alias` — a function or class renamed: the old name is a thin wrapper
  (for a class, a subclass) that warns when called;
* :func:`module_getattr` — a module-level ``__getattr__`` that serves old names of a
  module (constants, classes, functions) with a warning, without listing them in
  ``__all__``.
"""
from __future__ import annotations

import functools
import inspect
import warnings

__all__ = ["renamed_parameters", "deprecated_alias", "module_getattr", "warn_renamed"]


def warn_renamed(old: str, new: str, *, what: str = "name", stacklevel: int = 3) -> None:
    """Emit the one deprecation warning text of the library."""
    warnings.warn(f"the {what} {old!r} is deprecated and will be removed; use {new!r} instead "
                  "(see CHANGELOG.md)", FutureWarning, stacklevel=stacklevel)


def renamed_parameters(renames: dict | None = None, *, keyword_only_from: str | None = None):
    """Decorator: accept old keyword names (with a warning) and late positional arguments.

    Parameters
    ----------
    renames : dict, optional
        ``{old_name: new_name}``. A call passing ``old_name=`` warns and is forwarded as
        ``new_name=``; passing both raises ``TypeError`` like any duplicate argument.
    keyword_only_from : str, optional
        Name of the first parameter that is now keyword-only. Old callers that passed it
        (and the ones after it, in their old order) positionally get a warning and keep
        working. The order used is that of the wrapped function's signature.

    Examples
    --------
    >>> import warnings
    >>> from synthlib._deprecation import renamed_parameters
    >>> @renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
    ... def draw(n_syn, *, random_state=None):
    ...     return n_syn, random_state
    >>> draw(3, random_state=1)
    (3, 1)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     draw(m=3), draw(3, 1)
    ((3, None), (3, 1))
    >>> for w in caught:
    ...     print(str(w.message).split(";")[0])
    the keyword argument 'm' is deprecated and will be removed
    the positional argument 'random_state' is deprecated and will be removed
    """
    renames = dict(renames or {})

    def decorate(func):
        sig = inspect.signature(func)
        params = list(sig.parameters.values())
        late = []
        if keyword_only_from is not None:
            names = [p.name for p in params]
            if keyword_only_from not in names:
                raise TypeError(f"{func.__qualname__} has no parameter {keyword_only_from!r}")
            late = [p.name for p in params[names.index(keyword_only_from):]
                    if p.kind == inspect.Parameter.KEYWORD_ONLY]
        n_positional = sum(p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                           for p in params)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__qualname__}() got both {old!r} (deprecated) and {new!r}")
                    warn_renamed(old, new, what="keyword argument")
                    kwargs[new] = kwargs.pop(old)
            if late and len(args) > n_positional:
                extra = args[n_positional:]
                if len(extra) > len(late):
                    raise TypeError(f"{func.__qualname__}() takes at most {n_positional + len(late)} "
                                    f"positional arguments ({len(args)} given)")
                for name, value in zip(late, extra, strict=False):
                    if name in kwargs:
                        raise TypeError(f"{func.__qualname__}() got multiple values for argument {name!r}")
                    warn_renamed(name, f"{name}=...", what="positional argument")
                    kwargs[name] = value
                args = args[:n_positional]
            return func(*args, **kwargs)

        return wrapper

    return decorate


def deprecated_alias(obj, old_name: str):
    """A warning alias of the function or class ``obj`` under its old name ``old_name``.

    For a class the alias is a subclass, so ``isinstance`` checks keep working both ways
    for objects built under the new name.

    Examples
    --------
    >>> import warnings
    >>> from synthlib._deprecation import deprecated_alias
    >>> def new_name(x):
    ...     return 2 * x
    >>> old_name = deprecated_alias(new_name, "old_name")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     old_name(2)
    4
    >>> caught[0].category.__name__
    'FutureWarning'
    """
    new_name = obj.__name__
    if inspect.isclass(obj):
        def __init__(self, *args, **kwargs):
            warn_renamed(old_name, new_name, what="class")
            obj.__init__(self, *args, **kwargs)

        # scikit-learn reads the constructor's signature for get_params: keep the real one
        __init__.__signature__ = inspect.signature(obj.__init__)
        alias = type(old_name, (obj,), {"__init__": __init__, "__module__": obj.__module__,
                                        "__doc__": f"Deprecated alias of :class:`{new_name}`."})
        return alias

    @functools.wraps(obj)
    def alias(*args, **kwargs):
        warn_renamed(old_name, new_name, what="function")
        return obj(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__doc__ = f"Deprecated alias of :func:`{new_name}`."
    return alias


def module_getattr(module_name: str, aliases: dict):
    """A module ``__getattr__`` serving ``aliases`` (``{old: (new_name, object)}``) with a warning.

    Examples
    --------
    >>> from synthlib._deprecation import module_getattr
    >>> getattr_ = module_getattr("demo", {"OLD": ("NEW", 3)})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     getattr_("OLD")
    3
    """
    def __getattr__(name):
        if name in aliases:
            new, value = aliases[name]
            warn_renamed(f"{module_name}.{name}", f"{module_name}.{new}", stacklevel=3)
            return value
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__
