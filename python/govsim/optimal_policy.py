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
from ._deprecated import renamed_arguments
from .dsge import PerturbationResult, Model

_op = _core.optimal_policy


def _core_model(model):
    return getattr(model, "core", model)


class RamseyPolicy(CoreResult):
    """Ramsey policy of a model: the derived model, its steady state, first-order solution and welfare.

    ``model`` is the Ramsey model (first-order conditions then original equations) as a
    :class:`govsim.dsge.Model`; ``solution`` its :class:`govsim.dsge.PerturbationResult` (IRFs,
    moments, simulations); ``second_order`` its :class:`govsim.nonlinear.SecondOrderResult` when the
    welfare was evaluated at order 2 on a nonlinear Ramsey model (else None); ``mod_text`` the
    derived model as .mod text.
    """

    def __init__(self, core):
        self.core = core
        self.model = Model(core.ramsey.model)
        self.solution = PerturbationResult(core.solution, self.model) if core.ok() else None

    @property
    def instruments(self):
        return list(self.core.ramsey.instruments)

    @property
    def second_order(self):
        """Second-order decision rule of the Ramsey model (ghxx, ghxu, ghuu, ghs2), or None."""
        if self.core.second is None:
            return None
        from .nonlinear import SecondOrderResult
        return SecondOrderResult(self.core.second, include_auxiliary=True)

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
        """Welfare at the order asked for (Dynare's evaluate_planner_objective)."""
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
    ``objective_order=2`` evaluates the welfare at second order as Dynare's
    ``evaluate_planner_objective`` after ``stoch_simul(order=2)``: with the second-order solution of
    the Ramsey model (``second_order``) for a nonlinear model, the linear-quadratic formulas for a
    linear one (the welfare cost of fluctuations). Raises
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
        from ._display import number_formatter
        return self.table.to_html(float_format=number_formatter("{:.6g}"))

    def __repr__(self) -> str:
        return self.table.to_string()


def _expected_loss(sol, names, W, U0, beta):
    """E[sum beta^t L_t] = (L(ybar) + 1/2 tr(W Var(y))) / (1 - beta) over the variables `names`."""
    mo = sol.moments(include_auxiliary=True)
    V = mo.var.loc[names, names].to_numpy()
    per = U0 + 0.5 * float(np.trace(W @ V))
    return per, per / (1.0 - beta), mo.std[names]


@renamed_arguments(rule_params="param_names")
def compare_policies(model, rule: str, param_names: Sequence[str], instruments: Optional[Sequence[str]] = None,
                     planner_objective: Optional[str] = None, planner_discount=None, bounds=None,
                     chart: bool = True, ax=None) -> PolicyComparison:
    """Commitment vs discretion vs the best simple rule vs a given rule, on one model and its shocks.

    ``model`` is a linear model written without its policy rule, with a quadratic loss
    (``planner_objective``, minimised) and the instruments and discount of its
    ``discretionary_policy`` statement (or the arguments). ``rule`` is the policy rule as an
    equation (e.g. ``"i = phi_pi*pi + phi_x*x"``) whose parameters ``param_names`` (``rule_params=`` is the deprecated former name) are declared in
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
    o = _policy.optimal_simple_rule(rm, weights, param_names=list(param_names), bounds=bounds)
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


class RobustPolicyComparison:
    """Result of :func:`compare_policies_robust`.

    ``table``: expected discounted loss of each policy (rows) on each model (columns), then the
    weighted ``average`` and the ``worst`` over the models; ``rules``: the coefficients of every
    simple rule (rows) compared; ``weights``: the model weights; ``figure``: grouped bar chart;
    ``comparisons``: the single-model solutions (``commitment`` and ``discretion`` per model)."""

    def __init__(self, table, rules, weights, figure, commitment, discretion, robust):
        self.table = table
        self.rules = rules
        self.weights = weights
        self.figure = figure
        self.commitment = commitment
        self.discretion = discretion
        self.robust = robust

    def _repr_html_(self) -> str:
        from ._display import number_formatter
        return self.table.to_html(float_format=number_formatter("{:.6g}"))

    def __repr__(self) -> str:
        return self.table.to_string()


@renamed_arguments(rule_params="param_names")
def compare_policies_robust(models, rule: str, param_names: Sequence[str], weights=None,
                            labels: Optional[Sequence[str]] = None, instruments: Optional[Sequence[str]] = None,
                            planner_objective: Optional[str] = None, planner_discount=None, bounds=None,
                            chart: bool = True, ax=None) -> RobustPolicyComparison:
    """Commitment, discretion and simple rules compared across several models (robust policy).

    Each of ``models`` is a linear model written without its policy rule, with its quadratic loss
    and discount as in :func:`compare_policies` (the models may differ in parameters, equations
    and shocks; the rule and its parameters ``param_names`` must exist in all of them; ``rule_params=``
    is the deprecated former name).
    ``weights`` (list, or dict by label; default equal) weigh the models in the average;
    ``labels`` name them (default: the model names when distinct, else ``model 1``, ...).

    Rows of the table:

    * ``commitment`` and ``discretion``: each model's own optimal policy (a benchmark: no single
      policy achieves the commitment row on every model);
    * ``rule tuned on <label>``: the simple rule tuned on one model
      (:func:`govsim.policy.optimal_simple_rule`), applied to every model;
    * ``robust rule (average)`` and ``robust rule (worst case)``: one rule minimising the weighted
      average or the largest of the models' losses (:func:`govsim.policy.robust_rule`'s machinery,
      started from the best of the model-specific rules);
    * ``given rule``: the rule with each model's own parameter values.

    Every entry is the unconditional expected discounted loss ``1/2 tr(W Var(y)) / (1 - beta)``
    of that model, the measure of :func:`compare_policies`. Rules without a unique stable
    solution on a model get an infinite loss there.
    """
    from . import policy as _policy

    models = list(models)
    if not models:
        raise _core.OptionsError("compare_policies_robust: no models")
    M = len(models)
    if labels is None:
        labels = [getattr(_core_model(m), "name", "") for m in models]
        if len(set(labels)) != M or not all(labels):
            labels = [f"model {k + 1}" for k in range(M)]
    labels = [str(l) for l in labels]
    if len(labels) != M or len(set(labels)) != M:
        raise _core.OptionsError(f"compare_policies_robust: give {M} distinct labels")
    p = np.full(M, 1.0 / M) if weights is None else np.asarray(
        [weights[l] for l in labels] if isinstance(weights, dict) else weights, dtype=float).ravel()
    if p.size != M or not np.all(np.isfinite(p)) or (p < 0).any() or p.sum() <= 0:
        raise _core.OptionsError(f"compare_policies_robust: weights must be {M} non-negative numbers with a "
                                 "positive sum")
    p = p / p.sum()
    rule_params = list(param_names)

    per_model = []
    for m in models:
        d = discretion(m, instruments=instruments, planner_objective=planner_objective,
                       planner_discount=planner_discount)
        core = _core_model(m)
        objective = planner_objective if planner_objective is not None else _planner_objective_text(core)
        c = ramsey(m, instruments=d.instruments, planner_objective=objective, planner_discount=repr(d.discount))
        names = list(core.endo_names)
        W = np.asarray(d.core.loss_weights)
        rm = model_with_rule(m, rule)
        missing = [k for k in rule_params if k not in list(rm.core.param_names)]
        if missing:
            raise _core.ModelError(f"compare_policies_robust: rule parameter(s) {', '.join(missing)} not declared "
                                   f"in model '{labels[len(per_model)]}'")
        # LossWeights scaled so that the OSR loss sum W_ij cov_ij is the expected discounted loss
        lw = _core.policy.LossWeights(names, 0.5 * W / (1.0 - d.discount))
        given = [float(rm.params[k]) for k in rule_params]
        per_model.append(dict(d=d, c=c, names=names, W=W, rule_model=rm, lw=lw, given=given))

    def loss_of(k, values):
        e = per_model[k]
        sol = _solve_with(e["rule_model"], rule_params, values)
        r = _core.policy.quadratic_loss(sol, e["lw"]) if sol is not None else float("nan")
        return float(r) if np.isfinite(r) else float("inf")

    rows, rules = {}, {}
    rows["commitment"] = [_expected_loss(e["c"].solution, e["names"], e["W"], 0.0, e["d"].discount)[1]
                          for e in per_model]
    rows["discretion"] = [_expected_loss(e["d"].solution, e["names"], e["W"], 0.0, e["d"].discount)[1]
                          for e in per_model]
    tuned = []
    for k, e in enumerate(per_model):
        o = _policy.optimal_simple_rule(e["rule_model"], e["lw"], param_names=rule_params, bounds=bounds)
        vals = [float(o.params[n]) for n in rule_params]
        tuned.append(vals)
        rules[f"rule tuned on {labels[k]}"] = vals
        rows[f"rule tuned on {labels[k]}"] = [loss_of(j, vals) for j in range(M)]

    def aggregate(losses, worst):
        losses = np.asarray(losses, float)
        return float(losses.max()) if worst else float(p @ losses)

    cores = [e["rule_model"].core for e in per_model]
    lws = [e["lw"] for e in per_model]
    lower, upper = _policy._bounds_arrays(bounds, rule_params, "compare_policies_robust")
    robust = {}
    for name, worst in (("robust rule (average)", False), ("robust rule (worst case)", True)):
        candidates = tuned + [r for r in robust.values()]
        start = min(candidates, key=lambda v: aggregate([loss_of(j, v) for j in range(M)], worst))
        opts = _policy._osr_options(rule_params, start, lower, upper,
                                    _policy._minimizer(algorithm="nelder-mead", lower=lower, upper=upper,
                                                       xtol_rel=1e-10, ftol_rel=1e-14))
        agg = _core.policy.RobustAggregation.WorstCase if worst else _core.policy.RobustAggregation.WeightedAverage
        r = _core.policy.robust_simple_rule(cores, lws, p, agg, opts)
        vals = [float(v) for v in np.asarray(r.params)]
        if not r.ok() or aggregate([loss_of(j, vals) for j in range(M)], worst) > \
                aggregate([loss_of(j, start) for j in range(M)], worst):
            vals = list(start)  # the search did not improve on the best model-specific rule
        robust[name] = vals
        rules[name] = vals
        rows[name] = [loss_of(j, vals) for j in range(M)]
    same = all(e["given"] == per_model[0]["given"] for e in per_model)
    rules["given rule"] = per_model[0]["given"] if same else [np.nan] * len(rule_params)  # NaN: differs by model
    rows["given rule"] = [loss_of(j, per_model[j]["given"]) for j in range(M)]

    table = pd.DataFrame(rows, index=labels).T
    table["average"] = table[labels].to_numpy() @ p
    table["worst"] = table[labels].max(axis=1)
    table.index.name = "policy"
    table.columns.name = "model"
    rules_table = pd.DataFrame(rules, index=rule_params).T
    rules_table.index.name = "rule"
    fig = None
    if chart:
        fig = _robust_chart(table, labels, ax)
    return RobustPolicyComparison(table, rules_table, pd.Series(p, index=labels, name="weight"), fig,
                                  {l: e["c"] for l, e in zip(labels, per_model)},
                                  {l: e["d"] for l, e in zip(labels, per_model)}, robust)


def _solve_with(rule_model, names, values):
    """First-order solution of the rule model at the rule parameters `values` (None if unstable)."""
    s = _core.dsge.ModelSolver(rule_model.core, list(names))
    r = s.solve(np.asarray(values, float))
    return r.solution if r.ok() else None


def _robust_chart(table, labels, ax=None):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.8))
    else:
        fig = ax.figure
    cols = list(labels) + ["average", "worst"]
    n = len(cols)
    width = 0.8 / n
    x = np.arange(len(table.index))
    for j, c in enumerate(cols):
        vals = table[c].to_numpy(float)
        ax.bar(x + (j - (n - 1) / 2) * width, np.where(np.isfinite(vals), vals, np.nan), width, label=str(c),
               hatch="//" if c in ("average", "worst") else None)
    ax.set_xticks(x)
    ax.set_xticklabels(table.index, rotation=25, ha="right", fontsize=8)
    ax.set_ylabel("expected discounted loss")
    ax.set_title("Policies across models (lower is better)")
    ax.legend(fontsize=8, ncol=min(n, 4))
    fig.tight_layout()
    return fig


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


class ConditionalForecastBands(CoreResult):
    """Result of :func:`conditional_forecast_bands`.

    ``forecast``: the mean forecast (a :class:`ConditionalForecast`, free shocks at their baseline);
    ``table``: periods x (variable, statistic) with statistics ``mean``, ``std``, ``lower``,
    ``upper`` (exact for the linear model: mean -/+ z std, z the normal quantile of
    (1 + conf_sig)/2); ``shocks``: the same for the shocks (controlled ones vary with the free
    shocks); ``simulated`` and ``simulated_shocks``: with ``replic`` draws, the mean and
    Dynare's percentile bands over the draws (``mean``, ``lower``, ``upper``), else None."""

    def __init__(self, core):
        self.core = core
        self.forecast = ConditionalForecast(core.forecast)
        self.conf_sig = float(core.conf_sig)
        self.replic = int(core.replic)
        f = self.forecast
        self.table = _stat_frame(f.paths.index, list(f.paths.columns),
                                 {"mean": f.paths.to_numpy(), "std": core.std, "lower": core.lower, "upper": core.upper})
        self.shocks = _stat_frame(f.shocks.index, list(f.shocks.columns),
                                  {"mean": f.shocks.to_numpy(), "std": core.shock_std, "lower": core.shock_lower,
                                   "upper": core.shock_upper})
        self.simulated = self.simulated_shocks = None
        if self.replic > 0 and core.ok():
            self.simulated = _stat_frame(f.paths.index, list(f.paths.columns),
                                         {"mean": core.sim_mean, "lower": core.sim_lower, "upper": core.sim_upper})
            self.simulated_shocks = _stat_frame(f.shocks.index, list(f.shocks.columns),
                                                {"mean": core.sim_shock_mean, "lower": core.sim_shock_lower,
                                                 "upper": core.sim_shock_upper})

    def plot(self, variables: Optional[Sequence[str]] = None, simulated: bool = False, ax=None):
        """Fan chart: the mean path and the band of each variable (default: all), one panel each.

        ``simulated=True`` draws the percentile bands of the simulation instead of the exact ones."""
        import matplotlib.pyplot as plt

        t = self.simulated if simulated else self.table
        if t is None:
            raise _core.OptionsError("ConditionalForecastBands.plot: no simulation (pass replic= to "
                                     "conditional_forecast_bands)")
        variables = list(variables) if variables is not None else list(self.forecast.paths.columns)
        unknown = [v for v in variables if v not in self.forecast.paths.columns]
        if unknown:
            raise _core.ModelError(f"ConditionalForecastBands.plot: unknown variable(s) {', '.join(unknown)}")
        if ax is None:
            ncol = min(3, len(variables))
            nrow = -(-len(variables) // ncol)
            fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 2.8 * nrow), squeeze=False)
            axes = axes.ravel()
            for a in axes[len(variables):]:
                a.set_visible(False)
        else:
            axes = np.atleast_1d(ax).ravel()
            fig = axes[0].figure
        pct = f"{100 * self.conf_sig:g}%"
        for a, v in zip(axes, variables):
            a.fill_between(t.index, t[(v, "lower")], t[(v, "upper")], alpha=0.3,
                           label=f"{pct} band" + (" (simulated)" if simulated else ""))
            a.plot(self.forecast.paths.index, self.forecast.paths[v], label="mean")
            a.set_title(v)
            a.set_xlabel("period")
            a.set_ylabel("level")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        return fig

    def __repr__(self) -> str:
        return (f"ConditionalForecastBands(periods={self.forecast.shocks.shape[0]}, conf_sig={self.conf_sig:g}, "
                f"replic={self.replic}, status={_status(self.core.status)})")


def _stat_frame(index, names, stats: dict) -> pd.DataFrame:
    """periods x (variable, statistic) frame from {statistic: periods x variables arrays}."""
    blocks = {k: pd.DataFrame(np.asarray(v), index=index, columns=names) for k, v in stats.items()}
    df = pd.concat(blocks, axis=1).swaplevel(0, 1, axis=1)
    order = pd.MultiIndex.from_product([names, list(stats)], names=["variable", "statistic"])
    return df.reindex(columns=order)


def conditional_forecast_bands(model, targets, controlled_shocks: Sequence[str], periods: int = 40,
                               conf_sig: float = 0.8, replic: int = 0, seed: int = 0, draws=None, shocks=None,
                               raise_on_failure: bool = True) -> ConditionalForecastBands:
    """First-order conditional forecast with uncertainty bands (Dynare's conditional_forecast).

    The targets are met exactly; the shocks that are not controlled are random, N(0, Sigma_e)
    around their baseline ``shocks``; the controlled shocks are not drawn, as in Dynare's
    ``imcforecast``. The forecast is linear in the free shocks, so the bands in ``table`` are
    exact (mean -/+ z std). With ``replic`` > 0 (Dynare's default is 5000) the forecast is also
    simulated from ``seed`` and summarised as Dynare does (mean over the draws and the order
    statistics round(replic (1 -/+ conf_sig)/2)); ``draws`` (replic x periods x n_exo standard
    normals) replaces the generated draws, e.g. to reproduce another program's.

    ``model`` is a model (solved at first order) or a :class:`govsim.dsge.PerturbationResult`;
    ``targets`` and ``controlled_shocks`` as in :func:`conditional_forecast`.
    """
    if not 0.0 < float(conf_sig) < 1.0:
        raise _core.OptionsError(f"conditional_forecast_bands: conf_sig must be in (0, 1), not {conf_sig!r}")
    if int(replic) < 0:
        raise _core.OptionsError(f"conditional_forecast_bands: replic must be non-negative, not {replic!r}")
    sol = model if isinstance(model, PerturbationResult) else \
        (model if isinstance(model, Model) else Model(_core_model(model))).solve()
    tp = [_op.TargetPath(str(var), np.asarray(vals, dtype=float).ravel()) for var, vals in dict(targets).items()]
    o = _op.ConditionalForecastOptions()
    o.controlled_shocks = [str(s) for s in controlled_shocks]
    o.periods = int(periods)
    b = _op.ForecastBandsOptions()
    b.conf_sig = float(conf_sig)
    b.replic = int(replic)
    b.seed = int(seed)
    ex = list(sol.core.exo_names)
    if draws is not None:
        z = np.asarray(draws, dtype=float)
        if z.ndim != 3 or z.shape[1:] != (int(periods), len(ex)):
            raise _core.DimensionError(f"conditional_forecast_bands: draws must be replic x periods x n_exo "
                                       f"(? x {int(periods)} x {len(ex)}), got {z.shape}")
        b.draws = [np.ascontiguousarray(d) for d in z]
    base = np.zeros((0, 0))
    if shocks is not None:
        base = (shocks.reindex(columns=ex).fillna(0.0).to_numpy() if isinstance(shocks, pd.DataFrame)
                else np.asarray(shocks, dtype=float))
    r = ConditionalForecastBands(_op.conditional_forecast_bands(sol.core, tp, o, b, np.zeros(0), base))
    if raise_on_failure and not r.ok():
        raise _core.SolveError(f"conditional forecast bands: {_status(r.status)}: {r.message}")
    return r
