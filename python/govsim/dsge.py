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
import warnings
from typing import Dict, Iterable, Mapping, Optional

import numpy as np
import pandas as pd

from . import _core
from ._core_result import CoreResult
from ._threads import limit_blas_in_threads

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
PerturbationOptions = _d.PerturbationOptions
solve_first_order = _d.solve_first_order
impulse_responses = _d.impulse_responses
sized_impulse_responses = _d.sized_impulse_responses
shock_path_response = _d.shock_path_response
simulate = _d.simulate
simulate_with_shocks = _d.simulate_with_shocks
theoretical_moments = _d.theoretical_moments
conditional_variance_decomposition = _d.conditional_variance_decomposition
CovarianceResult = _d.CovarianceResult
unconditional_covariance = _d.unconditional_covariance
autocovariances = _d.autocovariances
covariance_factor = _d.covariance_factor
ModelSolver = _d.ModelSolver
ModelSolveResult = _d.ModelSolveResult

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
    "MomentsResult",
    "PerturbationOptions",
    "PerturbationResult",
    "solve_first_order",
    "impulse_responses",
    "sized_impulse_responses",
    "shock_path_response",
    "simulate",
    "simulate_with_shocks",
    "theoretical_moments",
    "conditional_variance_decomposition",
    "CovarianceResult",
    "unconditional_covariance",
    "autocovariances",
    "covariance_factor",
    "ModelSolver",
    "ModelSolveResult",
    "ParameterSeries",
]




def _finite_param(name, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise _core.DataError(f"parameter '{name}': {value!r} is not a number") from None
    if not np.isfinite(v):
        raise _core.DataError(f"parameter '{name}': {v} is not a finite number")
    return v

def _check_finite_array(a: np.ndarray, what: str) -> None:
    """DataError naming the first non-finite cell (NaN is never read as 0)."""
    bad = np.argwhere(~np.isfinite(a))
    if bad.size:
        r, c = bad[0]
        raise _core.DataError(f"{what}: NaN or infinite value at row {r + 1}, column {c + 1} "
                              f"({len(bad)} cell(s) in all); write 0 for no shock")


def _check_finite_frame(df: pd.DataFrame, what: str) -> None:
    """DataError naming the first NaN/inf cell of a shocks DataFrame (missing columns are 0)."""
    vals = df.to_numpy(dtype=float)
    bad = np.argwhere(~np.isfinite(vals))
    if bad.size:
        r, c = bad[0]
        raise _core.DataError(f"{what}: NaN or infinite value for shock '{df.columns[c]}' at period "
                              f"{df.index[r]!r} ({len(bad)} cell(s) in all); write 0 for no shock")

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


class ParameterSeries(pd.Series):
    """The parameter values of a :class:`Model` as a Series whose item assignment writes through
    to the model (``m.params["beta"] = 0.98``). Unknown names raise ModelError instead of adding
    an entry; operations that derive a new Series return a plain, detached pandas Series."""

    _metadata = ["_model"]

    def __init__(self, *args, model=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._model = model

    @property
    def _constructor(self):
        return pd.Series

    def __setitem__(self, key, value):
        model = getattr(self, "_model", None)
        if model is None:
            return super().__setitem__(key, value)
        keys = list(key) if isinstance(key, (list, tuple, pd.Index, np.ndarray)) else [key]
        values = (list(value) if np.ndim(value) else [value] * len(keys)) if len(keys) != 1 or np.ndim(value) \
            else [value]
        if len(values) != len(keys):
            raise _core.DimensionError(f"params: {len(values)} values for {len(keys)} parameters")
        for k, v in zip(keys, values):
            if not isinstance(k, str) or k not in self.index:
                raise _core.ModelError(f"unknown parameter {k!r} (parameters: {', '.join(map(str, self.index))})")
            model.set_param(k, float(v))
            super().__setitem__(k, float(v))

    # .loc/.at (labels) and .iloc/.iat (positions) write through as well
    @property
    def loc(self):
        return _WriteThrough(self, pd.Series.loc.fget(self), positional=False)

    @property
    def at(self):
        return _WriteThrough(self, pd.Series.at.fget(self), positional=False)

    @property
    def iloc(self):
        return _WriteThrough(self, pd.Series.iloc.fget(self), positional=True)

    @property
    def iat(self):
        return _WriteThrough(self, pd.Series.iat.fget(self), positional=True)


class _WriteThrough:
    """Indexer of a ParameterSeries: reads as pandas does, assignments go to the model."""

    def __init__(self, series, indexer, positional: bool):
        self._series, self._indexer, self._positional = series, indexer, positional

    def __getitem__(self, key):
        return self._indexer[key]

    def __setitem__(self, key, value):
        labels = self._series.index[key] if self._positional else key
        if isinstance(labels, pd.Index):
            labels = list(labels)
        self._series[labels] = value


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
    def params(self) -> "ParameterSeries":
        """Parameter values by name. Assigning an entry sets the model's parameter
        (``m.params["beta"] = 0.98``, ``m.params.beta = 0.98``); an unknown name raises
        ModelError. Derived Series (arithmetic, ``.copy()``) are plain, detached Series."""
        return ParameterSeries(np.asarray(self.core.params, dtype=float), index=self.param_names, name="value",
                               dtype=float, model=self)

    @params.setter
    def params(self, values) -> None:
        self.set_params(values)

    def param(self, name: str) -> float:
        return self.core.param(name)

    def set_param(self, name: str, value: float) -> None:
        """Set one parameter; NaN or infinity raise DataError (the model would fail later)."""
        self.core.set_param(name, _finite_param(name, value))

    def set_params(self, values) -> None:
        """Set parameters from a dict/Series (by name) or a full vector (finite numbers)."""
        if isinstance(values, (Mapping, pd.Series)):
            for k, v in values.items():
                self.core.set_param(str(k), _finite_param(k, v))
        else:
            arr = np.asarray(values, dtype=float)
            bad = [self.param_names[i] if i < len(self.param_names) else str(i)
                   for i in np.flatnonzero(~np.isfinite(arr.reshape(-1)))]
            if bad:
                raise _core.DataError(f"parameter value(s) NaN or infinite: {', '.join(bad)}")
            self.core.set_params(arr)

    def __getitem__(self, name: str) -> float:
        return self.core.param(name)

    def __setitem__(self, name: str, value: float) -> None:
        self.core.set_param(name, _finite_param(name, value))

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

    @limit_blas_in_threads
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
        out = self._full_ss_values(steady_state)
        if not np.all(np.isfinite(out)):
            bad = [n for n, v in zip(self.endo_names, out) if not np.isfinite(v)]
            raise _core.DataError(f"steady state values are NaN or infinite for: {', '.join(map(str, bad[:10]))}")
        return out

    def _full_ss_values(self, steady_state) -> np.ndarray:
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

    @limit_blas_in_threads
    def solve(self, order: int = 1, raise_on_failure: bool = True, steady_state=None, qz_criterium: float = 1.0 + 1e-6,
              loglinear: bool = False, **steady_state_options) -> "PerturbationResult":
        """Perturbation solution, as Dynare's ``stoch_simul(order=1)`` (a :class:`PerturbationResult`)
        or, with ``order=2``, ``stoch_simul(order=2)`` (a :class:`govsim.nonlinear.SecondOrderResult`).

        The steady state is computed first (or taken from ``steady_state``, a Series or vector).
        Raises govsim.SolveError when the steady state fails or the Blanchard-Kahn conditions do
        not hold (status Indeterminate / NoStableSolution / Singular, with the counts and the
        eigenvalue moduli in the message), unless ``raise_on_failure`` is false: then the returned
        solution carries the status and its matrices are empty. Safe to call from several threads
        on the same model (the long computations release the GIL).

        ``loglinear=True`` gives the rules in logs, as Dynare's ``stoch_simul(loglinear)``: steady
        state in logs, ghx/ghu scaled by the steady state (auxiliaries of lagged shocks stay in
        levels); IRFs, moments and simulations of the result are then in logs. It needs a strictly
        positive steady state (else SolveError naming the variables) and order 1, as in Dynare.
        """
        if loglinear and order != 1:
            raise _core.OptionsError("solve: loglinear works at order 1 only (as in Dynare)")
        if order == 2:
            from .nonlinear import solve_second_order

            if steady_state_options:
                raise _core.OptionsError("solve(order=2): steady-state options are not supported; pass steady_state=")
            return solve_second_order(self, steady_state=steady_state, qz_criterium=qz_criterium,
                                      raise_on_failure=raise_on_failure)
        if order != 1:
            raise _core.OptionsError(f"solve: order must be 1 or 2, got {order!r}")
        if steady_state is None:
            r = self.steady_state_result(**steady_state_options)
            if not r.ok():
                if raise_on_failure:
                    raise _core.SolveError(r.summary())
            y = np.asarray(r.values)
        else:
            y = self._full_ss(steady_state)
        lin = _d.linearize(self.core, y)
        res = _d.solve_first_order(lin, _d.PerturbationOptions(qz_criterium=qz_criterium))
        if loglinear and res.ok():
            res = _d.log_linear_rules(res, self.core)
        if raise_on_failure and not res.ok():
            raise _core.SolveError(f"{res.status.name}: {res.message}")
        return PerturbationResult(res, self)

    def derivatives(self, order: int = 1, form: str = "dynamic", with_params: bool = False) -> "_d.ModelDerivatives":
        f = ModelForm.Dynamic if form == "dynamic" else ModelForm.Static
        return _d.ModelDerivatives(self.core, f, order, with_params)

    def __repr__(self) -> str:
        return repr(self.core)

    def _repr_html_(self) -> str:
        from ._display import model_html

        return model_html(self)


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


# ------------------------------------------------------------------------------------------------
# First-order solution
# ------------------------------------------------------------------------------------------------
def _status_name(st) -> str:
    return getattr(st, "name", str(st).split(".")[-1])


class MomentsResult:
    """Theoretical moments of a first-order solution (Dynare's ``oo_.mean``, ``oo_.var``, ...).

    Attributes: ``mean`` and ``std`` (Series), ``var`` / ``covariance`` and ``correlation``
    (DataFrames), ``autocorrelation`` (dict lag -> DataFrame, ``(i, j) = corr(y_i,t, y_j,t-k)``),
    ``autocorr`` (DataFrame variables x lags, the diagonal: Dynare's printed table) and
    ``variance_decomposition`` (percent, shock columns; None when not computed), ``stationary``
    (bool Series: with unit roots, as Dynare, the non-stationary variables' entries are NaN).
    """

    def __init__(self, core):
        self.core = core
        names, shocks = list(core.var_names), list(core.exo_names)
        self.var_list = names
        self.mean = pd.Series(np.asarray(core.mean), index=names, name="mean")
        self.covariance = pd.DataFrame(np.asarray(core.covariance), index=names, columns=names)
        self.var = self.covariance
        self.std = pd.Series(np.asarray(core.std_dev), index=names, name="std")
        self.variance = pd.Series(np.diag(np.asarray(core.covariance)), index=names, name="variance")
        self.correlation = pd.DataFrame(np.asarray(core.correlation), index=names, columns=names)
        self.autocorrelation = {k + 1: pd.DataFrame(np.asarray(a), index=names, columns=names)
                                for k, a in enumerate(core.autocorrelation)}
        self.autocorr = pd.DataFrame({k: np.diag(a.to_numpy()) for k, a in self.autocorrelation.items()},
                                     index=names)
        self.autocorr.columns.name = "lag"
        vd = np.asarray(core.variance_decomposition)
        self.variance_decomposition = (pd.DataFrame(vd, index=names, columns=shocks) if vd.size else None)
        st = list(core.stationary)
        self.stationary = pd.Series(st if st else [True] * len(names), index=names, name="stationary", dtype=bool)

    def summary(self) -> pd.DataFrame:
        """Dynare's THEORETICAL MOMENTS table: mean, standard deviation and variance."""
        return pd.DataFrame({"mean": self.mean, "std": self.std, "variance": self.variance})

    def to_dict(self) -> dict:
        return {"mean": self.mean, "std": self.std, "var": self.covariance, "correlation": self.correlation,
                "autocorrelation": self.autocorrelation, "variance_decomposition": self.variance_decomposition}

    def __getitem__(self, key):
        return self.to_dict()[key]

    def __repr__(self) -> str:
        return f"MomentsResult({len(self.var_list)} variables, lags 1..{len(self.autocorrelation)})"

    def _repr_html_(self) -> str:
        from ._display import moments_html

        return moments_html(self)


class PerturbationResult(CoreResult):
    """First-order solution ``y_t - ybar = ghx (y_{t-1}[states] - ybar[states]) + ghu u_t``.

    ``ghx`` and ``ghu`` are DataFrames (rows: declared variables in declaration order; columns:
    ``state_names`` and the shocks); ``eigenvalues`` has columns real, imag, modulus; the compiled
    result is ``.core`` (a ``govsim._core.dsge.PerturbationResult``).
    """

    def __init__(self, core: "_d.PerturbationResult", model: Optional[Model] = None):
        self.core = core
        self.model = model
        self.n_declared = int(core.n_declared) if core.n_declared else len(core.endo_names)

    # ---- labels -------------------------------------------------------------------------------
    @property
    def endo_names(self):
        return list(self.core.endo_names)[: self.n_declared]

    @property
    def exo_names(self):
        return list(self.core.exo_names)

    @property
    def state_names(self):
        return list(self.core.state_names)

    @property
    def n_explosive(self) -> int:
        return int(self.core.n_explosive)

    @property
    def n_forward(self) -> int:
        return int(self.core.n_forward)

    @property
    def steady_state(self) -> pd.Series:
        return pd.Series(np.asarray(self.core.steady_state)[: self.n_declared], index=self.endo_names,
                         name="steady_state")

    @property
    def ghx(self) -> pd.DataFrame:
        g = np.asarray(self.core.ghx)
        return pd.DataFrame(g[: self.n_declared] if g.size else np.zeros((0, len(self.state_names))),
                            index=self.endo_names if g.size else [], columns=self.state_names)

    @property
    def ghu(self) -> pd.DataFrame:
        g = np.asarray(self.core.ghu)
        return pd.DataFrame(g[: self.n_declared] if g.size else np.zeros((0, len(self.exo_names))),
                            index=self.endo_names if g.size else [], columns=self.exo_names)

    @property
    def eigenvalues(self) -> pd.DataFrame:
        ev = np.asarray(self.core.eigenvalues, dtype=complex)
        with np.errstate(invalid="ignore"):
            mod = np.abs(ev)
        return pd.DataFrame({"real": ev.real, "imag": ev.imag, "modulus": mod})

    def _require(self):
        if not self.core.ok():
            raise _core.SolveError(f"{_status_name(self.core.status)}: {self.core.message}")

    def _frame(self, mat, names, start: int = 1) -> pd.DataFrame:
        mat = np.asarray(mat)
        return pd.DataFrame(mat, index=pd.RangeIndex(start, start + mat.shape[0], name="period"), columns=list(names))

    # ---- IRFs ---------------------------------------------------------------------------------
    def irf(self, periods: int = 40, shock=None, size=None, shocks=None, include_auxiliary: bool = False,
            as_dict: bool = False, path=None):
        """Impulse responses, deviations from the steady state in model units; period 1 = impact.

        * default: one standard deviation per shock, Dynare's convention (column j of
          ``chol(Sigma_e + 1e-14 I)``); a DataFrame with MultiIndex columns (shock, variable);
        * ``shock="eps_d"``: only that shock, a DataFrame with variable columns;
          a list of shocks selects several;
        * ``size``: impulse in the shock's own units instead of one std (a number, applied to each
          selected shock in turn, or a dict shock -> size);
        * ``shocks``: a shock path (the name used for shock paths across govsim), a DataFrame
          (rows = periods from the impact period, columns = shocks, missing shocks are zero) or an
          array periods x shocks; returns the joint response as a DataFrame with variable columns
          (``path=`` is the deprecated former name);
        * ``as_dict=True``: a dict shock -> DataFrame instead of MultiIndex columns.
        """
        self._require()
        if path is not None:
            if shocks is not None:
                raise _core.OptionsError("irf: give the shock path as shocks= (path= is its deprecated name), not both")
            warnings.warn("irf(path=...) is deprecated: pass the shock path as shocks=...", DeprecationWarning,
                          stacklevel=2)
            shocks = path
        if shocks is not None and isinstance(shocks, (str, list, tuple)) and not (
                isinstance(shocks, (list, tuple)) and shocks and not isinstance(shocks[0], str)):
            raise _core.OptionsError("irf: shocks= takes a shock path (DataFrame or array); select shocks by name "
                                     "with shock=")
        opts = _d.IrfOptions(periods=int(periods), include_auxiliary=include_auxiliary)
        if shocks is not None:
            path = shocks
            if isinstance(path, pd.DataFrame):
                unknown = [c for c in path.columns if c not in self.exo_names]
                if unknown:
                    raise _core.ModelError(f"unknown shock(s) in the path: {', '.join(map(str, unknown))}")
                _check_finite_frame(path, "irf path")
                p = path.reindex(columns=self.exo_names).fillna(0.0).to_numpy(dtype=float)
            else:
                p = np.atleast_2d(np.asarray(path, dtype=float))
                _check_finite_array(p, "irf path")
            resp = _d.shock_path_response(self.core, p, opts)
            names = list(self.core.endo_names)[: np.asarray(resp).shape[1]]
            return self._frame(resp, names)
        if isinstance(shock, str):
            selected = [shock]
        elif shock is None:
            selected = self.exo_names
        else:
            selected = list(shock)
        for s in selected:
            if s not in self.exo_names:
                raise _core.ModelError(f"unknown shock '{s}' (shocks: {', '.join(self.exo_names)})")
        if size is None:
            res = _d.impulse_responses(self.core, opts)
            frames = {s: self._frame(res.response(s), res.var_names) for s in selected}
        else:
            frames = {}
            for s in selected:
                v = float(size.get(s, 0.0)) if isinstance(size, Mapping) else float(size)
                if not np.isfinite(v):
                    raise _core.DataError(f"irf: the size of shock '{s}' is {v}; give a finite number")
                sizes = np.zeros(len(self.exo_names))
                sizes[self.exo_names.index(s)] = v
                res = _d.sized_impulse_responses(self.core, sizes, opts)
                frames[s] = self._frame(res.response(s), res.var_names)
        if isinstance(shock, str) and not as_dict:
            out = frames[shock]
            out.columns.name = "variable"
            out.attrs["shock"] = shock
            return out
        if as_dict:
            return frames
        out = pd.concat(frames, axis=1, names=["shock", "variable"])
        return out

    # ---- simulation ---------------------------------------------------------------------------
    def simulate(self, periods: int = 100, seed: int = 1, drop: int = 0, deviations: bool = False,
                 include_auxiliary: bool = False, shocks=None) -> pd.DataFrame:
        """Stochastic simulation (levels; deviations with ``deviations=True``) from the steady
        state, seeded (std::mt19937_64). ``shocks`` (DataFrame periods x shocks) simulates with
        given shocks instead. The shocks used are in ``df.attrs["shocks"]``."""
        self._require()
        o = _d.SimulationOptions(periods=int(periods), drop=int(drop), seed=int(seed),
                                 include_auxiliary=include_auxiliary, deviations=deviations)
        if shocks is not None:
            if isinstance(shocks, pd.DataFrame):
                unknown = [str(c) for c in shocks.columns if c not in self.exo_names]
                if unknown:
                    raise _core.ModelError(f"unknown shock(s) in shocks: {', '.join(unknown)}")
                _check_finite_frame(shocks, "simulate shocks")
                shocks = shocks.reindex(columns=self.exo_names).fillna(0.0).to_numpy(dtype=float)
            shocks = np.atleast_2d(np.asarray(shocks, dtype=float))
            _check_finite_array(shocks, "simulate shocks")
            r = _d.simulate_with_shocks(self.core, shocks, o)
        else:
            r = _d.simulate(self.core, o)
        if not r.ok():
            raise _core.SolveError(r.message)
        df = self._frame(r.paths, r.var_names)
        df.attrs["shocks"] = self._frame(r.shocks, r.exo_names)
        return df

    # ---- moments ------------------------------------------------------------------------------
    def moments(self, ar: int = 5, include_auxiliary: bool = False) -> MomentsResult:
        """Theoretical moments: mean, variance/covariance, correlation, autocorrelations 1..ar,
        variance decomposition (see :class:`MomentsResult`). With unit roots, as Dynare, the
        non-stationary variables' entries are NaN (``stationary`` flags the others)."""
        self._require()
        r = _d.theoretical_moments(self.core, _d.MomentsOptions(max_lag=int(ar), include_auxiliary=include_auxiliary))
        if not r.ok():
            raise _core.SolveError(f"{_status_name(r.status)}: {r.message}")
        return MomentsResult(r)

    def variance_decomposition(self) -> pd.DataFrame:
        """Unconditional variance decomposition in percent (rows: variables, columns: shocks)."""
        return self.moments(ar=0).variance_decomposition

    def conditional_variance_decomposition(self, horizons=(1, 4, 8, 40)) -> pd.DataFrame:
        """Forecast-error variance decomposition in percent, index (horizon, variable), shock columns
        (horizon 1 = impact)."""
        self._require()
        if isinstance(horizons, (int, np.integer)):
            horizons = [int(horizons)]
        r = _d.conditional_variance_decomposition(self.core, [int(h) for h in horizons])
        if not r.ok():
            raise _core.SolveError(r.message)
        frames = {int(h): pd.DataFrame(np.asarray(d), index=list(r.var_names), columns=list(r.exo_names))
                  for h, d in zip(r.horizons, r.decomposition)}
        return pd.concat(frames, names=["horizon", "variable"])

    def summary(self) -> str:
        return self.core.summary()

    def __repr__(self) -> str:
        return f"PerturbationResult({_status_name(self.core.status)}, {len(self.endo_names)} variables, " \
               f"states {self.state_names})"

    def _repr_html_(self) -> str:
        from ._display import solution_html

        return solution_html(self, order=1)


# ------------------------------------------------------------------------------ running a .mod file
RunOptions = _d.RunOptions
RunFailure = _d.RunFailure
run_commands = _d.run_commands


class RunResult:
    """Typed results of a .mod file's commands (the C++ ``RunResult``), with labelled accessors.

    ``results`` holds one compiled result per command in source order (``SteadyResult``,
    ``CheckResult``, ``StochSimulResult``, ``OsrRunResult``, ``EstimationRunResult``,
    ``PerfectForesightRunResult``, ``RamseyRunResult``, ``DiscretionRunResult``,
    ``PlannerObjectiveRunResult``); :meth:`of` selects them by command name. The accessors
    below take the ``i``-th result of a command (the last one by default).
    """

    def __init__(self, core: "_d.RunResult"):
        self.core = core

    # -- run-level information
    def ok(self) -> bool:
        """True when every command ran."""
        return self.core.ok()

    @property
    def failure(self):
        """``RunFailure.None_``, ``BadInput`` or ``Numerical``."""
        return self.core.failure

    @property
    def error_message(self) -> str:
        """The error that stopped the run ('' when ok)."""
        return self.core.error_message

    @property
    def endo_names(self) -> list:
        """Reported endogenous variables."""
        return list(self.core.endo_names)

    @property
    def warnings(self) -> list:
        """Warnings as ``file:line: message`` strings, in order."""
        return [(f"{w.where.file}:{w.where.line}: " if w.where.file else "") + w.message for w in self.core.warnings]

    @property
    def results(self) -> list:
        """The compiled per-command results, in source order."""
        return list(self.core.results)

    @property
    def params(self) -> pd.Series:
        """Parameter values."""
        return pd.Series(np.asarray(self.core.params), index=list(self.core.param_names), name="value")

    @property
    def steady_state(self) -> pd.Series:
        """Steady state of the reported variables."""
        return pd.Series(np.asarray(self.core.steady_state), index=self.endo_names, name="steady_state")

    def of(self, command: str) -> list:
        """Results of one command (``"stoch_simul"``, ``"osr"``...), in order."""
        return [r for r in self.core.results if r.command == command]

    def _one(self, command: str, i: int):
        rs = self.of(command)
        if not rs:
            raise KeyError(f"the run has no {command} result")
        return rs[i]

    # -- stoch_simul
    def ghx(self, i: int = -1) -> pd.DataFrame:
        """Decision-rule coefficients on the states (rows: reported variables)."""
        s = self._one("stoch_simul", i)
        n = len(self.endo_names)
        return pd.DataFrame(np.asarray(s.first.ghx)[:n], index=self.endo_names, columns=list(s.first.state_names))

    def ghu(self, i: int = -1) -> pd.DataFrame:
        """Decision-rule coefficients on the shocks (rows: reported variables)."""
        s = self._one("stoch_simul", i)
        n = len(self.endo_names)
        return pd.DataFrame(np.asarray(s.first.ghu)[:n], index=self.endo_names, columns=list(s.first.exo_names))

    def irfs(self, i: int = -1) -> Dict[str, pd.DataFrame]:
        """Impulse responses: ``{shock: DataFrame(periods x variables)}``, period 1 = impact."""
        s = self._one("stoch_simul", i)
        if s.irfs is None:
            return {}
        irf = s.irfs
        out = {}
        for k, shock in enumerate(irf.shock_names):
            r = np.asarray(irf.responses[k])
            out[shock] = pd.DataFrame(r, index=pd.RangeIndex(1, r.shape[0] + 1, name="period"),
                                      columns=list(irf.var_names))
        return out

    def moments(self, i: int = -1) -> Optional[pd.DataFrame]:
        """Mean, standard deviation and variance of the listed variables (None with nomoments)."""
        s = self._one("stoch_simul", i)
        mo = s.moments
        if mo is None:
            return None
        names = list(mo.var_names)
        df = pd.DataFrame({"mean": np.asarray(mo.mean), "std": np.asarray(mo.std_dev),
                           "variance": np.diag(np.asarray(mo.covariance))}, index=names)
        return df.loc[list(s.var_list)]

    def covariance(self, i: int = -1) -> Optional[pd.DataFrame]:
        """Theoretical covariance matrix of the listed variables."""
        s = self._one("stoch_simul", i)
        mo = s.moments
        if mo is None:
            return None
        names = list(mo.var_names)
        return pd.DataFrame(np.asarray(mo.covariance), index=names, columns=names).loc[list(s.var_list),
                                                                                         list(s.var_list)]

    def variance_decomposition(self, i: int = -1) -> Optional[pd.DataFrame]:
        """Variance decomposition in percent (rows: listed variables, columns: shocks)."""
        s = self._one("stoch_simul", i)
        mo = s.moments
        if mo is None or np.asarray(mo.variance_decomposition).size == 0:
            return None
        return pd.DataFrame(np.asarray(mo.variance_decomposition), index=list(mo.var_names),
                            columns=list(mo.exo_names)).loc[list(s.var_list)]

    def simulation(self, i: int = -1) -> Optional[pd.DataFrame]:
        """Simulated paths (``periods`` > 0), rows = periods after the burn-in."""
        s = self._one("stoch_simul", i)
        if s.simulation is None:
            return None
        return pd.DataFrame(np.asarray(s.simulation.paths), columns=list(s.simulation.var_names))

    # -- other commands
    def osr_params(self, i: int = -1) -> pd.Series:
        """Optimal rule coefficients of an ``osr`` command."""
        o = self._one("osr", i).result
        return pd.Series(np.asarray(o.params), index=list(o.param_names), name="value")

    def estimation_mode(self, i: int = -1) -> pd.DataFrame:
        """Posterior mode (or ML estimate) and standard deviations of an ``estimation`` command."""
        e = self._one("estimation", i)
        if e.mode is None:
            raise KeyError("the estimation ran with mode_compute=0: see .of('estimation')[i].at_initial")
        return pd.DataFrame({"mode": np.asarray(e.mode.mode), "std": np.asarray(e.mode.std_at_mode)},
                            index=list(e.labels))

    def perfect_foresight(self, i: int = -1) -> pd.DataFrame:
        """Perfect-foresight paths (rows: periods 0..T+1, columns: reported variables)."""
        p = self._one("perfect_foresight_solver", i).result
        n = len(self.endo_names)
        return pd.DataFrame(np.asarray(p.paths)[:, :n], index=pd.RangeIndex(0, np.asarray(p.paths).shape[0],
                                                                               name="period"),
                            columns=self.endo_names)

    def __repr__(self) -> str:
        status = "ok" if self.ok() else f"{self.failure.name}: {self.error_message}"
        cmds = ", ".join(r.command for r in self.core.results)
        return f"RunResult({status}; {cmds}; {len(self.core.warnings)} warning(s))"

    def _repr_html_(self) -> str:
        from ._display import run_html

        return run_html(self)


def run(model_or_path, include_auxiliary: bool = False, seed: int = 1, defines: Optional[Mapping[str, object]] = None,
        raise_on_failure: bool = True, max_memory_bytes: float = 8e9) -> RunResult:
    """Run the commands of a .mod file (or of a :class:`Model`) in order, as ``govsim run`` does.

    Returns a :class:`RunResult`. With ``raise_on_failure`` (default) bad input raises
    ``govsim.OptionsError`` and a numerical failure ``govsim.SolveError``; otherwise inspect
    ``result.failure`` and ``result.error_message``.
    """
    if isinstance(model_or_path, Model):
        core = model_or_path.core
    elif isinstance(model_or_path, _d.Model):
        core = model_or_path
    else:
        core = _d.parse_model_file(str(model_or_path), _defines(defines), [])
    opts = _d.RunOptions(include_auxiliary=include_auxiliary, seed=seed, max_memory_bytes=max_memory_bytes)
    res = RunResult(_d.run_commands(core, opts))
    if raise_on_failure and not res.ok():
        if res.failure == _d.RunFailure.Numerical:
            raise _core.SolveError(res.error_message)
        raise _core.OptionsError(res.error_message)
    return res


__all__ += ["RunOptions", "RunFailure", "RunResult", "run", "run_commands"]


_DEPRECATED = {"FirstOrderSolution": "PerturbationResult", "Moments": "MomentsResult"}


def __getattr__(name):
    from ._deprecated import resolve

    return resolve(globals(), __name__, name, _DEPRECATED)
