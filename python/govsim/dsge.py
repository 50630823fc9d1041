"""DSGE models: Dynare .mod reader, steady state, derivatives (thin pandas layer over govsim._core.dsge).

>>> from govsim.dsge import Model
>>> m = Model.from_file("rbc.mod")
>>> m.params["beta"]
0.99
>>> m.set_param("beta", 0.98)
>>> m.steady_state()          # pandas Series labelled with the variable names
"""
from __future__ import annotations

import copy as _copy
from typing import Dict, Iterable, Mapping, Optional

import numpy as np
import pandas as pd

from . import _core

_d = _core.dsge

# Compiled names re-exported unchanged (C++ and Python names are the same).
SymbolType = _d.SymbolType
ModelForm = _d.ModelForm
Command = _d.Command
SteadyStateOptions = _d.SteadyStateOptions
SteadyStateResult = _d.SteadyStateResult
ModelDerivatives = _d.ModelDerivatives
LinearizedModel = _d.LinearizedModel
linearize = _d.linearize
parse_model = _d.parse_model
parse_model_file = _d.parse_model_file
preprocess_model = _d.preprocess_model
solve_steady_state = _d.solve_steady_state

__all__ = [
    "Model",
    "ModelBuilder",
    "SymbolType",
    "ModelForm",
    "Command",
    "SteadyStateOptions",
    "SteadyStateResult",
    "ModelDerivatives",
    "LinearizedModel",
    "linearize",
    "parse_model",
    "parse_model_file",
    "preprocess_model",
    "solve_steady_state",
]


def _defines(defines: Optional[Mapping[str, object]]) -> Dict[str, str]:
    out = {}
    for k, v in (defines or {}).items():
        if isinstance(v, bool):
            v = "true" if v else "false"
        elif isinstance(v, str) and not (v.startswith('"') or v.startswith("[")):
            try:
                float(v)
            except ValueError:
                v = '"' + v + '"'
        out[k] = str(v)
    return out


class Model:
    """A DSGE model with pandas-labelled inspection.

    Build with :meth:`from_file`, :meth:`from_string` or :class:`ModelBuilder`. The compiled
    model is available as ``model.core`` (a ``govsim._core.dsge.Model``).
    """

    def __init__(self, core: "_d.Model"):
        if not isinstance(core, _d.Model):
            raise TypeError("Model wraps a govsim._core.dsge.Model; use Model.from_file or Model.from_string")
        self.core = core

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path, defines: Optional[Mapping[str, object]] = None, include_paths: Iterable[str] = ()) -> "Model":
        """Read a .mod file (``defines`` as Dynare's ``-D``, e.g. ``{"ZLB": 0}``)."""
        return cls(_d.parse_model_file(str(path), _defines(defines), [str(p) for p in include_paths]))

    @classmethod
    def from_string(cls, text: str, name: str = "<string>", defines: Optional[Mapping[str, object]] = None,
                    include_paths: Iterable[str] = ()) -> "Model":
        """Read .mod source text."""
        return cls(_d.parse_model(text, name, _defines(defines), [str(p) for p in include_paths]))

    def copy(self) -> "Model":
        """Independent copy (parameter values are per copy)."""
        return Model(_copy.copy(self.core))

    # ---- symbols and parameters ---------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.core.name

    @property
    def endo_names(self):
        return list(self.core.endo_names)

    @property
    def declared_endo_names(self):
        return list(self.core.endo_names)[: self.core.n_declared_endo]

    @property
    def exo_names(self):
        return list(self.core.exo_names)

    @property
    def param_names(self):
        return list(self.core.param_names)

    @property
    def params(self) -> pd.Series:
        """Parameter values by name (a copy; change them with :meth:`set_param`)."""
        return pd.Series(np.asarray(self.core.params), index=self.param_names, name="value", dtype=float)

    @params.setter
    def params(self, values) -> None:
        self.set_params(values)

    def param(self, name: str) -> float:
        return self.core.param(name)

    def set_param(self, name: str, value: float) -> None:
        self.core.set_param(name, float(value))

    def set_params(self, values) -> None:
        """Set parameters from a dict/Series (by name) or a full vector."""
        if isinstance(values, (Mapping, pd.Series)):
            for k, v in values.items():
                self.core.set_param(str(k), float(v))
        else:
            self.core.set_params(np.asarray(values, dtype=float))

    def __getitem__(self, name: str) -> float:
        return self.core.param(name)

    def __setitem__(self, name: str, value: float) -> None:
        self.core.set_param(name, float(value))

    # ---- inspection ---------------------------------------------------------------------------
    @property
    def equations(self):
        """Equations written back as text (auxiliary equations last)."""
        return list(self.core.equation_strings)

    @property
    def equation_labels(self):
        names = self.core.equation_names
        return [n if n else f"eq{i + 1}" for i, n in enumerate(names)]

    @property
    def commands(self):
        return list(self.core.commands)

    @property
    def warnings(self):
        return [str(w) for w in self.core.warnings]

    @property
    def Sigma_e(self) -> pd.DataFrame:
        return pd.DataFrame(self.core.Sigma_e, index=self.exo_names, columns=self.exo_names)

    def variables(self) -> pd.DataFrame:
        """Endogenous variables with LaTeX and long names."""
        rows = [(s.name, s.tex_name, s.long_name) for s in self.core.endo_symbols]
        return pd.DataFrame(rows, columns=["name", "tex_name", "long_name"]).set_index("name")

    def to_json(self) -> str:
        return self.core.to_json()

    # ---- computations -------------------------------------------------------------------------
    def steady_state_result(self, **options) -> "_d.SteadyStateResult":
        """Full steady-state result (status, message, worst equations)."""
        return _d.solve_steady_state(self.core, _d.SteadyStateOptions(**options))

    def steady_state(self, raise_on_failure: bool = True, include_auxiliary: bool = False, **options) -> pd.Series:
        """Steady state as a Series labelled with the variable names.

        Raises govsim.SolveError when the solver fails and ``raise_on_failure`` is true.
        """
        r = self.steady_state_result(**options)
        if raise_on_failure and not r.ok():
            raise _core.SolveError(r.summary())
        s = pd.Series(np.asarray(r.values), index=list(r.names), name="steady_state", dtype=float)
        return s if include_auxiliary else s.iloc[: self.core.n_declared_endo]

    def _full_ss(self, steady_state) -> np.ndarray:
        if steady_state is None:
            return np.asarray(self.steady_state_result().values)
        if isinstance(steady_state, pd.Series):
            if len(steady_state) == self.core.n_endo:
                return steady_state.reindex(self.endo_names).to_numpy(dtype=float)
            guess = np.asarray(self.core.initval_endo())
            ss = pd.Series(guess, index=self.endo_names)
            ss.update(steady_state)
            # auxiliaries follow their original variables
            for a in self.core.aux_variables:
                if a.orig_type == SymbolType.Endogenous:
                    ss.iloc[a.endo_index] = ss.iloc[a.orig_index]
            return ss.to_numpy(dtype=float)
        return np.asarray(steady_state, dtype=float)

    def static_residuals(self, values=None) -> pd.Series:
        """Static residuals by equation (default: at the steady state)."""
        y = self._full_ss(values)
        return pd.Series(np.asarray(self.core.static_residuals(y)), index=self.equation_labels, name="residual")

    def static_jacobian(self, values=None) -> pd.DataFrame:
        y = self._full_ss(values)
        return pd.DataFrame(self.core.static_jacobian(y), index=self.equation_labels, columns=self.endo_names)

    def dynamic_jacobian(self, steady_state=None) -> pd.DataFrame:
        """Dynamic Jacobian at the steady state with Dynare's columns (lagged, current, leads, exo)."""
        y = self._full_ss(steady_state)
        x = self.core.dynamic_point(y)
        return pd.DataFrame(self.core.dynamic_jacobian(x, y), index=self.equation_labels,
                            columns=list(self.core.dynamic_column_names))

    def linearize(self, steady_state=None) -> "_d.LinearizedModel":
        return _d.linearize(self.core, self._full_ss(steady_state))

    def derivatives(self, order: int = 1, form: str = "dynamic", with_params: bool = False) -> "_d.ModelDerivatives":
        f = ModelForm.Dynamic if form == "dynamic" else ModelForm.Static
        return _d.ModelDerivatives(self.core, f, order, with_params)

    def __repr__(self) -> str:
        return repr(self.core)

    def _repr_html_(self) -> str:
        eqs = "".join(f"<li><code>{e}</code></li>" for e in self.equations[: self.core.n_declared_equations])
        params = self.params.to_frame().to_html()
        return (f"<div><b>DSGE model '{self.name}'</b>: {self.core.n_declared_endo} endogenous, "
                f"{self.core.n_exo} shocks, {self.core.n_params} parameters"
                f"<ol>{eqs}</ol>{params}</div>")


class ModelBuilder:
    """Build a model without writing a .mod file (methods chain; see govsim._core.dsge.ModelBuilder)."""

    def __init__(self, name: str = "model"):
        self.core = _d.ModelBuilder(name)

    def __getattr__(self, attr):
        fn = getattr(self.core, attr)
        if not callable(fn) or attr in ("build", "mod_text"):
            return fn

        def chained(*args, **kwargs):
            fn(*args, **kwargs)
            return self

        return chained

    def build(self) -> Model:
        return Model(self.core.build())

    def mod_text(self) -> str:
        return self.core.mod_text()
