"""Deprecated names kept for one release: old class names (aliases of the C++ names) and renamed
keyword arguments (:func:`renamed_arguments`).

Each module lists ``_DEPRECATED = {old: new}`` and forwards its module ``__getattr__`` here:
``from govsim.dsge import FirstOrderSolution`` still works, with a DeprecationWarning, and is
the class ``PerturbationResult`` itself (so ``isinstance`` checks keep working).
"""
from __future__ import annotations

import warnings


def resolve(namespace: dict, module: str, name: str, renamed: dict):
    if name in renamed:
        new = renamed[name]
        warnings.warn(f"{module}.{name} is deprecated: use {module}.{new} (the C++ name)", DeprecationWarning,
                      stacklevel=3)
        return namespace[new]
    raise AttributeError(f"module {module!r} has no attribute {name!r}")


def renamed_arguments(**renamed):
    """Decorator: keyword arguments renamed ``old=new`` keep working for one release, with a
    DeprecationWarning; giving both the old and the new name is an error."""
    import functools

    def deco(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            for old, new in renamed.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{f.__name__}: give {new}= ({old}= is its deprecated name), not both")
                    warnings.warn(f"{f.__name__}({old}=...) is deprecated: use {new}=...", DeprecationWarning,
                                  stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return f(*args, **kwargs)

        wrapper.__deprecated_arguments__ = dict(renamed)
        return wrapper

    return deco
