"""govsim: policy simulation of whole economies.

Input-output analysis (:mod:`govsim.io`), DSGE models (:mod:`govsim.dsge`) and policy tuning,
on a C++ core. Results are pandas objects labelled with sector and variable names.
"""
from . import _core
from ._core import (DataError, DimensionError, GovsimError, ModelError, OptionsError, ParseError, SolveError,
                    Status)
from . import dsge, io, plotting

__version__ = _core.__version__

# Feature modules loaded on first access (PEP 562), so that importing govsim stays fast.
_LAZY_SUBMODULES = ("policy", "optimal_policy", "estimation", "nonlinear", "dynamic_io", "network")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'govsim' has no attribute {name!r}")

__all__ = [
    "io",
    "dsge",
    "plotting",
    "GovsimError",
    "DimensionError",
    "DataError",
    "OptionsError",
    "ModelError",
    "SolveError",
    "ParseError",
    "Status",
    "__version__",
]
