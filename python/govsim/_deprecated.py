"""Old Python class names kept for one release as deprecated aliases of the C++ names.

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
