"""Optimal policy: Ramsey policy under commitment and optimal discretionary policy.

>>> from govsim import dsge, optimal_policy
>>> m = dsge.Model.from_file("nk_cp_ramsey.mod")      # has planner_objective and ramsey_model
>>> r = optimal_policy.ramsey(m)
>>> r.steady_state, r.multipliers, r.planner_objective_value
>>> r.solution.irf(12)                                 # IRFs of the Ramsey system (multipliers included)

Commitment (``ramsey``) derives the planner's first-order conditions symbolically, as Dynare's
``ramsey_model`` does (Lagrange multipliers ``MULT_1..MULT_n`` become endogenous variables), finds
the Ramsey steady state (a ``steady_state_model`` block is treated as conditional on the
instruments) and solves the system at first order. Discretion (``discretion``) solves linear
models with a quadratic loss with Dennis's (2007) algorithm, as Dynare's ``discretionary_policy``.
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._core_result import CoreResult
from .dsge import PerturbationResult, Model

_op = _core.optimal_policy


def _core_model(model):
    return getattr(model, "core", model)


class RamseyPolicy(CoreResult):
    """Ramsey policy of a model: the derived model, its steady state, first-order solution and welfare.

    ``model`` is the Ramsey model (first-order conditions then original equations) as a
    :class:`govsim.dsge.Model`; ``solution`` its :class:`govsim.dsge.PerturbationResult` (IRFs,
    moments, simulations); ``mod_text`` the derived model as .mod text.
    """

    def __init__(self, core):
        self.core = core
        self.model = Model(core.ramsey.model)
        self.solution = PerturbationResult(core.solution, self.model) if core.ok() else None

    @property
    def instruments(self):
        return list(self.core.ramsey.instruments)

    @property
    def multiplier_names(self):
        return list(self.core.ramsey.multipliers)

    @property
    def mod_text(self) -> str:
        return self.core.ramsey.mod_text

    @property
    def discount(self) -> float:
        return float(self.core.ramsey.discount)

    @property
    def steady_state(self) -> pd.Series:
        """Steady state of every variable of the Ramsey model (multipliers included)."""
        return pd.Series(np.asarray(self.core.steady_state), index=list(self.core.ramsey.model.endo_names),
                         name="steady_state")

    @property
    def multipliers(self) -> pd.Series:
        """Steady-state values of the Lagrange multipliers."""
        return self.steady_state[self.multiplier_names]

    @property
    def planner_objective_value(self) -> dict:
        """Welfare at order 1 (Dynare's evaluate_planner_objective)."""
        o = self.core.objective
        return {"unconditional": float(o.unconditional),
                "conditional_steady_initial_multiplier": float(o.conditional_steady_initial_multiplier),
                "conditional_zero_initial_multiplier": float(o.conditional_zero_initial_multiplier)}

    def to_dict(self) -> dict:
        """JSON-ready summary: instruments, multipliers, steady state, planner objective value."""
        return {"instruments": self.instruments,
                "multipliers": {k: float(v) for k, v in self.multipliers.items()},
                "steady_state": {k: float(v) for k, v in self.steady_state.items()},
                "planner_objective_value": self.planner_objective_value,
                "status": _status(self.core.status), "message": self.message}

    def __repr__(self) -> str:
        return (f"RamseyPolicy(instruments={self.instruments}, multipliers={len(self.multiplier_names)}, "
                f"status={_status(self.core.status)})")


class DiscretionPolicy(CoreResult):
    """Optimal discretionary policy: decision rules (``solution``), loss weights and loss."""

    def __init__(self, core, model: Optional[Model]):
        self.core = core
        self.model = model
        self.solution = PerturbationResult(core.solution, model) if core.ok() else None

    @property
    def instruments(self):
        return list(self.core.instruments)

    @property
    def discount(self) -> float:
        return float(self.core.discount)

    @property
    def loss(self) -> dict:
        """Unconditional and conditional discounted loss (Dynare's planner objective value)."""
        o = self.core.objective
        return {"unconditional": float(o.unconditional), "conditional": float(o.conditional)}

    @property
    def loss_weights(self) -> pd.DataFrame:
        """Hessian of the loss wrt the endogenous variables."""
        names = list(self.core.solution.endo_names) if self.core.ok() else None
        return pd.DataFrame(np.asarray(self.core.loss_weights), index=names, columns=names)

    def to_dict(self) -> dict:
        return {"instruments": self.instruments, "discount": self.discount, "loss": self.loss,
                "iterations": int(self.core.iterations), "status": _status(self.core.status),
                "message": self.message}

    def __repr__(self) -> str:
        return f"DiscretionPolicy(instruments={self.instruments}, status={_status(self.core.status)})"


def _status(st) -> str:
    return getattr(st, "name", str(st))


def _planner_options(o, instruments, planner_objective, planner_discount, tolerance):
    """Fill the fields Ramsey and discretion options share (None keeps the model's statements)."""
    if instruments is not None:
        o.instruments = list(instruments)
    if planner_objective is not None:
        o.planner_objective = str(planner_objective)
    if planner_discount is not None:
        o.planner_discount = str(planner_discount)
    o.tolerance = float(tolerance)
    return o


def ramsey(model, instruments: Optional[Sequence[str]] = None, planner_objective: Optional[str] = None,
           planner_discount=None, tolerance: float = 1e-12, objective_order: int = 1,
           raise_on_failure: bool = True) -> RamseyPolicy:
    """Ramsey policy (commitment) of a model with fewer equations than variables.

    ``instruments``, ``planner_objective`` (one-period objective, maximised, .mod syntax) and
    ``planner_discount`` (number or expression of the parameters) default to the model's
    ``planner_objective`` and ``ramsey_model``/``ramsey_policy`` statements.
    ``objective_order=2`` evaluates the welfare of linear-quadratic problems at second order (the
    welfare cost of fluctuations; Dynare's ``stoch_simul(order=2)`` for a linear model). Raises
    govsim.SolveError when the steady state or the first-order solution fails, unless
    ``raise_on_failure`` is false.
    """
    o = _planner_options(_op.RamseyOptions(), instruments, planner_objective, planner_discount, tolerance)
    o.objective_order = int(objective_order)
    r = RamseyPolicy(_op.solve_ramsey(_core_model(model), o))
    if raise_on_failure and not r.ok():
        raise _core.SolveError(f"Ramsey policy: {_status(r.status)}: {r.message}")
    return r


def discretion(model, instruments: Optional[Sequence[str]] = None, planner_objective: Optional[str] = None,
               planner_discount=None, tolerance: float = 1e-13, max_iterations: int = 3000,
               raise_on_failure: bool = True) -> DiscretionPolicy:
    """Optimal discretionary policy of a linear model with a quadratic loss (minimised).

    Defaults come from the model's ``planner_objective`` and ``discretionary_policy`` statements.
    Raises govsim.SolveError when the Dennis iteration fails, unless ``raise_on_failure`` is false.
    """
    o = _planner_options(_op.DiscretionOptions(), instruments, planner_objective, planner_discount, tolerance)
    o.max_iterations = int(max_iterations)
    core = _op.solve_discretion(_core_model(model), o)
    wrapper = model if isinstance(model, Model) else Model(_core_model(model))
    r = DiscretionPolicy(core, wrapper)
    if raise_on_failure and not r.ok():
        raise _core.SolveError(f"discretionary policy: {_status(r.status)}: {r.message}")
    return r


# ------------------------------------------------------------------------------------ comparison
def _fmt(v: float) -> str:
    return repr(float(v))


def model_with_rule(model, rule: str, name: Optional[str] = None) -> Model:
    """The model (written without its policy rule) with the equation ``rule`` added.

    The rule's parameters must be declared in the model. Returns a new :class:`govsim.dsge.Model`.
    """
    core = _core_model(model)
    lines = ["var " + " ".join(core.endo_names) + ";"]
    if core.n_exo:
        lines.append("varexo " + " ".join(core.exo_names) + ";")
    pn = list(core.param_names)
    if pn:
        lines.append("parameters " + " ".join(pn) + ";")
        for k, v in zip(pn, np.asarray(core.params)):
            if np.isfinite(v):
                lines.append(f"{k} = {_fmt(v)};")
    lines.append("model;")
    for i in range(core.n_declared_equations):
        lines.append(core.equation_string(i) + ";")
    lines.append(rule.strip().rstrip(";") + ";")
    lines.append("end;")
    S = np.asarray(core.Sigma_e)
    ex = list(core.exo_names)
    if len(ex):
        lines.append("shocks;")
        for i in range(len(ex)):
            if S[i, i] != 0:
                lines.append(f"var {ex[i]} = {_fmt(S[i, i])};")
            for j in range(i + 1, len(ex)):
                if S[i, j] != 0:
                    lines.append(f"var {ex[i]}, {ex[j]} = {_fmt(S[i, j])};")
        lines.append("end;")
    return Model.from_string("\n".join(lines) + "\n", name=name or (getattr(core, "name", "model") + "_rule"))


class PolicyComparison:
    """Result of :func:`compare_policies`: ``table`` (one row per policy), ``figure``, the tuned
    rule (``rule_params``) and the solved policies (``commitment``, ``discretion``, ``osr``)."""

    def __init__(self, table, figure, rule_params, commitment, discretion, osr):
        self.table = table
        self.figure = figure
        self.rule_params = rule_params
        self.commitment = commitment
        self.discretion = discretion
        self.osr = osr

    def _repr_html_(self) -> str:
        return self.table.to_html(float_format=lambda v: f"{v:.6g}")

    def __repr__(self) -> str:
        return self.table.to_string()


def _expected_loss(sol, names, W, U0, beta):
    """E[sum beta^t L_t] = (L(ybar) + 1/2 tr(W Var(y))) / (1 - beta) over the variables `names`."""
    mo = sol.moments(include_auxiliary=True)
    V = mo.var.loc[names, names].to_numpy()
    per = U0 + 0.5 * float(np.trace(W @ V))
    return per, per / (1.0 - beta), mo.std[names]


def compare_policies(model, rule: str, rule_params: Sequence[str], instruments: Optional[Sequence[str]] = None,
                     planner_objective: Optional[str] = None, planner_discount=None, bounds=None,
                     chart: bool = True, ax=None) -> PolicyComparison:
    """Commitment vs discretion vs the best simple rule vs a given rule, on one model and its shocks.

    ``model`` is a linear model written without its policy rule, with a quadratic loss
    (``planner_objective``, minimised) and the instruments and discount of its
    ``discretionary_policy`` statement (or the arguments). ``rule`` is the policy rule as an
    equation (e.g. ``"i = phi_pi*pi + phi_x*x"``) whose parameters ``rule_params`` are declared in
    the model with their given (e.g. estimated) values. The simple rule is tuned with
    :func:`govsim.policy.optimal_simple_rule` on the unconditional loss.

    Every policy is ranked by the same measure: the unconditional expected discounted loss
    ``(L(ybar) + 1/2 tr(W Var(y))) / (1 - beta)`` (Dynare's unconditional planner objective for
    discretion), with ``W`` the Hessian of the loss. The table has per-period and discounted
    losses, the gain relative to discretion and to the given rule in percent, and the standard
    deviations of the model's variables; the figure is a bar chart of the losses.
    """
    from . import policy as _policy

    d = discretion(model, instruments=instruments, planner_objective=planner_objective,
                   planner_discount=planner_discount)
    beta = d.discount
    core = _core_model(model)
    objective = planner_objective if planner_objective is not None else _planner_objective_text(core)
    c = ramsey(model, instruments=d.instruments, planner_objective=objective, planner_discount=repr(beta))
    names = list(core.endo_names)
    W = np.asarray(d.core.loss_weights)
    U0 = 0.0
    rows = {}
    stds = {}
    per, tot, sd = _expected_loss(c.solution, names, W, U0, beta)
    rows["commitment"] = (per, tot)
    stds["commitment"] = sd
    per, tot, sd = _expected_loss(d.solution, names, W, U0, beta)
    rows["discretion"] = (per, tot)
    stds["discretion"] = sd
    rm = model_with_rule(model, rule)
    given = rm.solve()
    per, tot, sd = _expected_loss(given, names, W, U0, beta)
    given_row = (per, tot)
    weights = _core.policy.LossWeights(names, W)
    o = _policy.optimal_simple_rule(rm, weights, params=list(rule_params), bounds=bounds)
    tuned = model_with_rule(model, rule)
    for k, v in o.params.items():
        tuned.core.set_param(k, float(v))
    ts = tuned.solve()
    per, tot, sd = _expected_loss(ts, names, W, U0, beta)
    rows["optimal simple rule"] = (per, tot)
    stds["optimal simple rule"] = sd
    rows["given rule"] = given_row
    stds["given rule"] = _expected_loss(given, names, W, U0, beta)[2]
    table = pd.DataFrame(rows, index=["loss_per_period", "expected_discounted_loss"]).T
    table["gain_vs_discretion_pct"] = 100.0 * (1.0 - table["expected_discounted_loss"] / rows["discretion"][1])
    table["gain_vs_given_rule_pct"] = 100.0 * (1.0 - table["expected_discounted_loss"] / given_row[1])
    sd_table = pd.DataFrame(stds).T.add_prefix("std_")
    table = table.join(sd_table)
    table.index.name = "policy"
    fig = None
    if chart:
        import matplotlib.pyplot as plt
        if ax is None:
            fig, ax = plt.subplots(figsize=(6.5, 3.5))
        else:
            fig = ax.figure
        ax.bar(table.index, table["expected_discounted_loss"], color=["#1b9e77", "#d95f02", "#7570b3", "#999999"])
        ax.set_ylabel("expected discounted loss")
        ax.set_title("Welfare ranking of policies (lower is better)")
        for i, v in enumerate(table["expected_discounted_loss"]):
            ax.text(i, v, f"{v:.4g}", ha="center", va="bottom", fontsize=8)
        fig.tight_layout()
    return PolicyComparison(table, fig, o.params, c, d, o)


def _planner_objective_text(core) -> str:
    """Text of the model's planner_objective statement."""
    for cmd in core.commands:
        if cmd.name == "planner_objective" and len(cmd.args):
            return cmd.args[0]
    raise _core.ModelError("compare_policies: the model has no planner_objective (pass planner_objective=)")


# ----------------------------------------------------------------------------- conditional forecasts
class ConditionalForecast(CoreResult):
    """Result of :func:`conditional_forecast`: ``paths`` (levels, periods 0..T, all variables),
    ``shocks`` (periods 1..T, controlled ones solved for), ``max_target_error``."""

    def __init__(self, core):
        self.core = core
        n = core.paths.shape[0]
        self.paths = pd.DataFrame(np.asarray(core.paths), index=pd.RangeIndex(0, n, name="period"),
                                  columns=list(core.endo_names))
        self.shocks = pd.DataFrame(np.asarray(core.shocks), index=pd.RangeIndex(1, core.shocks.shape[0] + 1,
                                                                                 name="period"),
                                   columns=list(core.exo_names))

    @property
    def max_target_error(self) -> float:
        return float(self.core.max_target_error)

    def __repr__(self) -> str:
        return (f"ConditionalForecast(periods={self.shocks.shape[0]}, status={_status(self.core.status)}, "
                f"max_target_error={self.max_target_error:.3g})")


def conditional_forecast(model, targets, controlled_shocks: Sequence[str], periods: int = 40,
                         timing: str = "unanticipated", method: str = "auto", shocks=None,
                         perfect_foresight_periods: Optional[int] = None, raise_on_failure: bool = True,
                         tolerance: float = 1e-10) -> ConditionalForecast:
    """Shocks that make variables follow target paths (Dynare's conditional_forecast, IRIS plans).

    ``targets`` maps a variable to its levels in periods 1, 2, ... (list, array or Series; NaN =
    free). Target k is hit with shock ``controlled_shocks[k]``; other shocks keep their baseline
    (``shocks``: periods x exo DataFrame/array for the linear method; the model's deterministic
    shocks for perfect foresight).

    ``method``: ``"linear"`` (first-order decision rules, unanticipated shocks, from the steady
    state; ``model`` may also be a :class:`govsim.dsge.PerturbationResult`), ``"perfect_foresight"``
    (nonlinear, max/min constraints such as a zero lower bound, ``timing`` ``"unanticipated"`` or
    ``"anticipated"``), or ``"auto"`` (linear for unanticipated timing on a linear solution,
    otherwise perfect foresight). Raises govsim.SolveError when the targets cannot be met unless
    ``raise_on_failure`` is false.
    """
    if timing not in ("unanticipated", "anticipated"):
        raise _core.OptionsError(f"conditional_forecast: timing must be 'unanticipated' or 'anticipated', not {timing!r}")
    if method not in ("auto", "linear", "perfect_foresight"):
        raise _core.OptionsError(f"conditional_forecast: unknown method {method!r}")
    tp = []
    for var, vals in dict(targets).items():
        tp.append(_op.TargetPath(str(var), np.asarray(vals, dtype=float).ravel()))
    o = _op.ConditionalForecastOptions()
    o.controlled_shocks = [str(s) for s in controlled_shocks]
    o.periods = int(periods)
    o.tolerance = float(tolerance)
    o.timing = _op.ShockTiming.Anticipated if timing == "anticipated" else _op.ShockTiming.Unanticipated
    is_solution = isinstance(model, PerturbationResult)
    if method == "auto":
        method = "linear" if timing == "unanticipated" and (is_solution or _core_model(model).linear) else \
            "perfect_foresight"
    if method == "linear":
        sol = model if is_solution else (model if isinstance(model, Model) else Model(_core_model(model))).solve()
        base = np.zeros((0, 0))
        if shocks is not None:
            ex = list(sol.core.exo_names)
            base = (shocks.reindex(columns=ex).fillna(0.0).to_numpy() if isinstance(shocks, pd.DataFrame)
                    else np.asarray(shocks, dtype=float))
        r = ConditionalForecast(_op.conditional_forecast(sol.core, tp, o, np.zeros(0), base))
    else:
        if is_solution:
            raise _core.OptionsError("conditional_forecast: the perfect-foresight method needs the model, not a solution")
        core = _core_model(model)
        T = int(perfect_foresight_periods or max(100, 4 * periods))
        prob = _core.nonlinear.make_perfect_foresight_problem(core, T)
        r = ConditionalForecast(_op.conditional_forecast_perfect_foresight(core, prob, tp, o))
    if raise_on_failure and not r.ok():
        raise _core.SolveError(f"conditional forecast: {_status(r.status)}: {r.message}")
    return r
