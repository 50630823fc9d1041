"""Nonlinear shock simulation: perfect foresight, OccBin-style ZLB, second order, scenarios.

Results are pandas objects labelled with variable names and periods.

Examples
--------
>>> import govsim as gs
>>> m = gs.dsge.Model.from_file("nk_zlb.mod")
>>> pf = gs.nonlinear.perfect_foresight(m, periods=100, shocks={"e_z": {1: -0.02, 2: -0.02}})
>>> pf.paths["R"].head()           # period 0 = initial steady state
>>> so = gs.nonlinear.solve_second_order(gs.dsge.Model.from_file("rbc.mod"))
>>> so.ghxx                        # DataFrame, columns "k*k", ...
"""
from __future__ import annotations

from typing import Dict, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._core_result import CoreResult
from ._deprecated import renamed_arguments
from .dsge import Model

_n = _core.nonlinear

__all__ = ["PerfectForesightResult", "perfect_foresight", "ShockEvent"]

ShockEvent = _n.ShockEvent


def _core_model(model):
    return model.core if isinstance(model, Model) else model


# ------------------------------------------------------------------------------- perfect foresight
class PerfectForesightResult(CoreResult):
    """Paths of a perfect-foresight simulation.

    ``paths`` is a DataFrame indexed by period (0 = initial condition, T+1 = terminal condition)
    with one column per variable; ``exo`` holds the exogenous paths; ``deviations`` the paths
    minus the terminal values. ``status``, ``ok()``, ``summary()``, and the period and equation
    of the largest residual (``worst_period``, ``worst_equation``) describe the solve.
    """

    def __init__(self, core, n_declared: int, include_auxiliary: bool = False):
        self.core = core
        k = len(core.endo_names) if include_auxiliary else n_declared
        P = np.asarray(core.paths)
        idx = pd.RangeIndex(P.shape[0], name="period")
        self.paths = pd.DataFrame(P[:, :k], index=idx, columns=list(core.endo_names)[:k])
        self.exo = pd.DataFrame(np.asarray(core.exo), index=idx, columns=list(core.exo_names))

    @property
    def worst_period(self) -> int:
        return self.core.worst_period

    @property
    def worst_equation(self) -> str:
        return self.core.worst_equation_name

    @property
    def max_residual(self) -> float:
        return self.core.max_residual

    @property
    def deviations(self) -> pd.DataFrame:
        return self.paths - self.paths.iloc[-1]

    def summary(self) -> str:
        return self.core.summary()

    @renamed_arguments(tol="tolerance")
    def binding_periods(self, variable: str, bound: float, tolerance: float = 1e-10) -> list:
        """Simulated periods in which ``variable`` sits within ``tolerance`` of ``bound`` (e.g. the
        ZLB). ``tol=`` is the deprecated former name of ``tolerance``."""
        s = self.paths[variable].iloc[1:-1]
        return [int(t) for t in s.index[np.abs(s.to_numpy() - bound) <= tolerance]]

    def plot(self, variables: Optional[Sequence[str]] = None, periods: Optional[int] = None, ax=None,
             path: Optional[str] = None, title: Optional[str] = None):
        """Line chart of the paths (one panel per variable)."""
        from .plotting import _pyplot

        plt = _pyplot()
        v = list(variables) if variables is not None else list(self.paths.columns)
        d = self.paths[v] if periods is None else self.paths[v].iloc[: periods + 1]
        ncol = min(3, len(v))
        nrow = (len(v) + ncol - 1) // ncol
        fig, axes = plt.subplots(nrow, ncol, figsize=(4 * ncol, 2.8 * nrow), squeeze=False)
        for k, name in enumerate(v):
            a = axes[k // ncol][k % ncol]
            a.plot(d.index, d[name], lw=1.6)
            a.axhline(self.paths[name].iloc[-1], color="grey", lw=0.7, ls="--", label="terminal steady state")
            a.set_title(name)
            a.set_xlabel("period (0 = initial condition)", fontsize=8)
            if k % ncol == 0:
                a.set_ylabel("level (model units)", fontsize=8)
            a.grid(alpha=0.3)
        for k in range(len(v), nrow * ncol):
            axes[k // ncol][k % ncol].axis("off")
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        if path:
            from ._atomic import save_figure

            save_figure(fig, path, dpi=110)
        return fig

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from ._display import perfect_foresight_html

        return perfect_foresight_html(self)


def _shock_table(shocks, exo_names, T) -> Dict[str, Dict[int, float]]:
    """{shock: {period: value}} from a dict of dicts/Series/lists or a DataFrame indexed by period."""
    if shocks is None:
        return {}
    if isinstance(shocks, pd.DataFrame):
        shocks = {c: shocks[c].dropna().to_dict() for c in shocks.columns}
    out = {}
    for name, path in shocks.items():
        if name not in exo_names:
            raise _core.ModelError(f"unknown exogenous variable '{name}' (known: {', '.join(exo_names)})")
        if isinstance(path, pd.Series):
            path = path.dropna().to_dict()
        elif not isinstance(path, Mapping):
            path = {t + 1: v for t, v in enumerate(path)}  # a sequence starts in period 1
        for t in path:
            if not 1 <= int(t) <= T:
                raise _core.OptionsError(f"shock '{name}': period {t} is outside 1..{T}")
        out[name] = {int(t): float(v) for t, v in path.items()}
    return out


def perfect_foresight(model, periods: int = 100, shocks=None, events: Optional[Iterable] = None,
                      initial: Optional[Mapping[str, float]] = None, terminal: Optional[Mapping[str, float]] = None,
                      use_model_shocks: bool = True, tolerance: float = 1e-10, max_iterations: int = 50,
                      homotopy: bool = True, raise_on_failure: bool = True, include_auxiliary: bool = False,
                      on_iteration=None) -> PerfectForesightResult:
    """Perfect-foresight simulation (Dynare's perfect_foresight_setup + perfect_foresight_solver).

    Parameters
    ----------
    model : govsim.dsge.Model
    periods : int
        Simulated periods T; the paths have T+2 rows (initial and terminal periods included).
    shocks : dict or DataFrame, optional
        Levels of exogenous variables by period (1-based), e.g. ``{"e_z": {1: -0.02}}`` or a
        list starting in period 1; these shocks are anticipated from period 1. They are applied
        on top of the model's own ``shocks`` block unless ``use_model_shocks`` is false.
    events : iterable of ShockEvent or (shock, period, value, known_from) tuples, optional
        Shocks learnt in period ``known_from`` (``known_from == period`` is a surprise).
    initial, terminal : dict, optional
        Values overriding the initial condition (period 0, as histval) or terminal condition.
    raise_on_failure : bool
        Raise govsim.SolveError when Newton and the homotopy fail.
    """
    core = _core_model(model)
    prob = _n.make_perfect_foresight_problem(core, int(periods))
    names = list(core.endo_names)
    exo_names = list(core.exo_names)
    X = np.asarray(prob.exo).copy()
    if not use_model_shocks:
        X[1:, :] = X[-1, :]
    for name, path in _shock_table(shocks, exo_names, periods).items():
        j = exo_names.index(name)
        for t, v in path.items():
            X[t, j] = v
    prob.exo = X
    for attr, vals in (("initial", initial), ("terminal", terminal)):
        if vals:
            y = np.asarray(getattr(prob, attr)).copy()
            for k, v in vals.items():
                if k not in names:
                    raise _core.ModelError(f"unknown endogenous variable '{k}'")
                y[names.index(k)] = v
            setattr(prob, attr, y)
    opts = _n.PerfectForesightOptions(periods=int(periods), tolerance=tolerance, max_iterations=max_iterations,
                                      homotopy=homotopy, on_iteration=on_iteration)
    if events:
        ev = [e if isinstance(e, _n.ShockEvent) else _n.ShockEvent(*e) for e in events]
        res = _n.solve_perfect_foresight_events(core, prob, ev, opts)
    else:
        res = _n.solve_perfect_foresight(core, prob, opts)
    if raise_on_failure and not res.ok():
        raise _core.SolveError(res.summary())
    return PerfectForesightResult(res, core.n_declared_endo, include_auxiliary)


# ------------------------------------------------------------------------------ second order
def _kron_labels(a, b):
    return [f"{x}*{y}" for x in a for y in b]


class SecondOrderResult:
    """Second-order decision rule with labelled matrices (Dynare's ghx, ghu, ghxx, ghxu, ghuu, ghs2).

    Columns of ``ghxx`` are ``"x_i*x_j"`` with the first factor the slow index, as Dynare.
    """

    def __init__(self, core, include_auxiliary: bool = False):
        self.core = core
        k = len(core.endo_names) if include_auxiliary else core.n_declared
        self._k = k
        self.endo_names = list(core.endo_names)[:k]
        self.state_names = list(core.state_names)
        self.exo_names = list(core.exo_names)

    def _frame(self, mat, cols):
        return pd.DataFrame(np.asarray(mat)[: self._k], index=self.endo_names, columns=cols)

    @property
    def ghx(self):
        return self._frame(self.core.ghx, self.state_names)

    @property
    def ghu(self):
        return self._frame(self.core.ghu, self.exo_names)

    @property
    def ghxx(self):
        return self._frame(self.core.ghxx, _kron_labels(self.state_names, self.state_names))

    @property
    def ghxu(self):
        return self._frame(self.core.ghxu, _kron_labels(self.state_names, self.exo_names))

    @property
    def ghuu(self):
        return self._frame(self.core.ghuu, _kron_labels(self.exo_names, self.exo_names))

    @property
    def ghs2(self):
        return pd.Series(np.asarray(self.core.ghs2)[: self._k], index=self.endo_names, name="ghs2")

    @property
    def steady_state(self):
        return pd.Series(np.asarray(self.core.steady_state)[: self._k], index=self.endo_names, name="steady_state")

    @property
    def mean(self):
        """Pruned second-order mean (steady state + correction)."""
        return pd.Series(np.asarray(self.core.mean)[: self._k], index=self.endo_names, name="mean")

    def ok(self) -> bool:
        return self.core.ok()

    def summary(self) -> str:
        return self.core.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from ._display import solution_html

        return solution_html(self, order=2)

    def simulate(self, periods: int = 200, seed: int = 1, drop: int = 0, shocks=None, pruned: bool = True):
        """Pruned (default) second-order simulation from the steady state; levels, one row per period."""
        Sig = np.asarray(self.core.Sigma_e)
        if shocks is None:
            rng = np.random.default_rng(seed)
            L = np.asarray(_core.dsge.covariance_factor(Sig))
            shocks = rng.standard_normal((periods + drop, len(Sig))) @ L.T
        e = np.asarray(shocks, dtype=float)
        P = np.asarray(_n.simulate_second_order(self.core, e, pruned).paths)[drop:, : self._k]
        return pd.DataFrame(P, index=pd.RangeIndex(1, len(P) + 1, name="period"), columns=self.endo_names)

    def irf(self, periods: int = 40, shock=None, size: float = 1.0) -> Dict[str, pd.DataFrame]:
        """Pruned responses to a one-standard-deviation shock (times ``size``), as deviations from
        the path without shocks started at the steady state (both drift by the ghs2 term)."""
        Sig = np.asarray(self.core.Sigma_e)
        L = np.asarray(_core.dsge.covariance_factor(Sig))
        base = np.asarray(_n.simulate_second_order(self.core, np.zeros((periods, len(Sig))), True).paths)
        out = {}
        for j, s in enumerate(self.exo_names):
            if shock is not None and s != shock:
                continue
            e = np.zeros((periods, len(Sig)))
            e[0] = size * L[:, j]
            P = np.asarray(_n.simulate_second_order(self.core, e, True).paths)
            out[s] = pd.DataFrame((P - base)[:, : self._k], index=pd.RangeIndex(1, periods + 1, name="period"),
                                  columns=self.endo_names)
        return out

    def euler_errors(self, model, states, order: int = 2, nodes: int = 10) -> pd.DataFrame:
        """E_t residual of every equation at the given state deviations (rows) under this rule."""
        S = np.asarray(states.to_numpy() if isinstance(states, pd.DataFrame) else states, dtype=float)
        E = np.asarray(_n.euler_equation_errors(_core_model(model), self.core, S, order, nodes))
        labels = getattr(model, "equation_labels", None) or [f"equation {i + 1}" for i in range(E.shape[1])]
        return pd.DataFrame(E, columns=list(labels)[: E.shape[1]])


def solve_second_order(model, steady_state=None, qz_criterium: float = 1.0 + 1e-6, raise_on_failure: bool = True,
                       include_auxiliary: bool = False) -> SecondOrderResult:
    """Second-order perturbation (Dynare's stoch_simul(order=2) decision rule)."""
    first = model.solve(steady_state=steady_state, qz_criterium=qz_criterium, raise_on_failure=raise_on_failure)
    so = _n.solve_second_order(model.core, first.core)
    if raise_on_failure and not so.ok():
        raise _core.SolveError(so.summary())
    return SecondOrderResult(so, include_auxiliary)


__all__ += ["SecondOrderResult", "solve_second_order"]


# ------------------------------------------------------------------------------ OccBin
class OccBinResult:
    """Piecewise-linear (OccBin) paths: ``paths`` (periods 0..T+1), ``binding_periods``."""

    def __init__(self, core, n_declared: int):
        self.core = core
        P = np.asarray(core.paths)
        self.paths = pd.DataFrame(P[:, :n_declared], index=pd.RangeIndex(P.shape[0], name="period"),
                                  columns=list(core.endo_names)[:n_declared])
        self.binding = pd.Series(np.asarray(core.binding, dtype=bool), index=self.paths.index, name="binding")

    @property
    def binding_periods(self) -> list:
        return list(self.core.binding_periods())

    def ok(self) -> bool:
        return self.core.ok()

    def summary(self) -> str:
        return self.core.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from ._display import occbin_html

        return occbin_html(self)


def occbin(model, variable: str, shadow: str, bound: float, lower: bool = True, periods: int = 100, shocks=None,
           use_model_shocks: bool = True, raise_on_failure: bool = True) -> OccBinResult:
    """OccBin-style piecewise-linear solution of ``variable >= bound`` (``lower``) with shocks known
    from period 1 (same shock conventions as :func:`perfect_foresight`)."""
    core = _core_model(model)
    prob = _n.make_perfect_foresight_problem(core, int(periods))
    X = np.asarray(prob.exo).copy()
    if not use_model_shocks:
        X[1:, :] = X[-1, :]
    exo_names = list(core.exo_names)
    for name, path in _shock_table(shocks, exo_names, periods).items():
        for t, v in path.items():
            X[t, exo_names.index(name)] = v
    prob.exo = X
    res = _n.solve_occbin(core, _n.OccBinConstraint(variable, shadow, float(bound), lower), prob)
    if raise_on_failure and not res.ok():
        raise _core.SolveError(res.summary())
    return OccBinResult(res, core.n_declared_endo)


# ------------------------------------------------------------------------------ scenarios
class ScenarioComparison:
    """Policy alternatives under one scenario: ``table`` (loss and summary statistics per
    alternative), ``paths`` ({alternative: DataFrame}), ``deviations``, ``best`` and ``plot()``."""

    def __init__(self, core, n_declared: int):
        self.core = core
        self.paths = {}
        rows = {}
        for o in core.outcomes:
            r = o.result
            P = np.asarray(r.paths)
            if P.size:
                df = pd.DataFrame(P[:, :n_declared], index=pd.RangeIndex(P.shape[0], name="period"),
                                  columns=list(r.endo_names)[:n_declared])
                self.paths[o.name] = df
            rows[o.name] = {"loss": o.loss, "status": r.status.name}
        self.table = pd.DataFrame.from_dict(rows, orient="index")
        self.table.index.name = "alternative"
        if len(self.table):
            fin = self.table["loss"].astype(float)
            best = fin.min()
            self.table["relative_loss"] = fin / best if best and np.isfinite(best) else np.nan

    @property
    def best(self) -> Optional[str]:
        b = self.core.best()
        return None if b < 0 else self.core.outcomes[b].name

    def ok(self) -> bool:
        return self.core.ok()

    def deviations(self, name: str) -> pd.DataFrame:
        d = self.paths[name]
        return d - d.iloc[-1]

    def summary_table(self, variables: Sequence[str]) -> pd.DataFrame:
        """Loss plus the trough and peak deviation of each variable, per alternative."""
        t = self.table.copy()
        for v in variables:
            t[f"{v}_min"] = [self.deviations(n)[v].min() if n in self.paths else np.nan for n in t.index]
            t[f"{v}_max"] = [self.deviations(n)[v].max() if n in self.paths else np.nan for n in t.index]
        return t

    def plot(self, variables: Sequence[str], periods: Optional[int] = None, path: Optional[str] = None,
             title: Optional[str] = None):
        """One panel per variable, one line per alternative, plus a bar chart of the losses."""
        from .plotting import _pyplot

        plt = _pyplot()
        v = list(variables)
        fig, axes = plt.subplots(1, len(v) + 1, figsize=(4 * (len(v) + 1), 3.2), squeeze=False)
        for k, name in enumerate(v):
            a = axes[0][k]
            for alt, df in self.paths.items():
                d = df[name] if periods is None else df[name].iloc[: periods + 1]
                a.plot(d.index, d.to_numpy(), label=alt, lw=1.5)
            a.set_title(name)
            a.set_xlabel("period (0 = initial condition)", fontsize=8)
            a.grid(alpha=0.3)
        axes[0][0].set_ylabel("level (model units)", fontsize=8)
        axes[0][0].legend(fontsize=8, title="policy", title_fontsize=8)
        a = axes[0][-1]
        a.bar(list(self.table.index), self.table["loss"].astype(float).to_numpy(), color="#4575b4")
        a.set_title("loss by policy")
        a.set_ylabel("loss: discounted weighted squared deviations", fontsize=8)
        a.tick_params(axis="x", rotation=30, labelsize=8)
        for lab in a.get_xticklabels():
            lab.set_horizontalalignment("right")
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        if path:
            from ._atomic import save_figure

            save_figure(fig, path, dpi=110)
        return fig

    def summary(self) -> str:
        return self.core.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return self.table._repr_html_()


def _events(events, shocks):
    ev = [e if isinstance(e, _n.ShockEvent) else _n.ShockEvent(*e) for e in (events or [])]
    for name, path in (shocks or {}).items():
        if isinstance(path, pd.Series):
            path = path.dropna().to_dict()
        elif not isinstance(path, Mapping):
            path = {t + 1: v for t, v in enumerate(path)}
        for t, v in path.items():
            ev.append(_n.ShockEvent(name, int(t), float(v), 1))
    return ev


def compare_policies(model, alternatives: Mapping[str, Mapping[str, float]], shocks=None, events=None,
                     periods: int = 100, weights=None, discount: float = 1.0, name: str = "scenario",
                     use_model_shocks: bool = False) -> ScenarioComparison:
    """Simulate one external event under several policy alternatives and score each.

    Parameters
    ----------
    alternatives : {name: {parameter: value}}; an empty dict keeps the model's values.
    shocks : {shock: {period: level}} anticipated from period 1; ``events`` adds ShockEvents or
        (shock, period, value, known_from) tuples (``known_from == period`` is a surprise).
    weights : {var: w} or {(var1, var2): w}; default: the model's optim_weights.
    """
    core = _core_model(model)
    w = []
    for k, v in (weights or {}).items():
        a, b = (k, k) if isinstance(k, str) else k
        w.append((a, b, float(v)))
    alts = [_n.PolicyAlternative(n, [(p, float(x)) for p, x in ps.items()]) for n, ps in alternatives.items()]
    sc = _n.Scenario(name, int(periods), _events(events, shocks), use_model_shocks)
    res = _n.compare_policies(core, sc, alts, w, discount, _n.PerfectForesightOptions(periods=int(periods)))
    return ScenarioComparison(res, core.n_declared_endo)


__all__ += ["OccBinResult", "occbin", "ScenarioComparison", "compare_policies"]


_DEPRECATED = {"SecondOrderSolution": "SecondOrderResult", "PerfectForesightSolution": "PerfectForesightResult",
               "OccBinSolution": "OccBinResult", "PolicyComparison": "ScenarioComparison"}


def __getattr__(name):
    from ._deprecated import resolve

    return resolve(globals(), __name__, name, _DEPRECATED)
