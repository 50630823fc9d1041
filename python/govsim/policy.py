"""Counter-cyclical policy tuning: losses, optimal simple rules, robust rules, frontiers, calibration.

>>> from govsim import dsge, policy
>>> m = dsge.Model.from_file("nk3_osr.mod")
>>> r = policy.optimal_simple_rule(m, {"pi": 1, "y": 0.25, "i": 0.1}, param_names=["phi_pi", "phi_y"])
>>> r.params          # pandas Series

Losses: Dynare's variance loss (``loss``, C++), the discounted loss along a shock scenario
(``scenario_loss``; ``optimal_simple_rule(..., scenario=path)`` tunes for it) and user-defined
Python losses (``optimal_simple_rule(m, loss=lambda sol: ...)``; ``minimize`` for any objective).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._threads import limit_blas_in_threads
from ._deprecated import renamed_arguments

_p = _core.policy
_d = _core.dsge


def _core_model(model):
    return getattr(model, "core", model)


def loss_weights(model, weights=None) -> "_p.LossWeights":
    """LossWeights from {var: w} / {(v1, v2): w} (or the model's optim_weights when None)."""
    core = _core_model(model)
    if weights is None:
        return _p.LossWeights.from_model(core)
    return _weights_over(list(core.endo_names), weights)


def loss(model, weights=None, params: Optional[Mapping[str, float]] = None) -> float:
    """Quadratic loss sum W_ij cov(y_i, y_j) of the model (at `params` if given); NaN when unstable."""
    core = _core_model(model)
    labels = list((params or {}).keys())
    s = _d.ModelSolver(core, labels)
    r = s.solve(np.asarray([float(params[k]) for k in labels]))
    return _p.quadratic_loss(r.solution, loss_weights(core, weights)) if r.ok() else float("nan")


# ------------------------------------------------------------------------------------- constraints
def _constraint_list(constraints) -> List[dict]:
    """Normalise constraints: a callable, a dict or a list of them -> list of dicts."""
    if constraints is None:
        return []
    if callable(constraints) or isinstance(constraints, Mapping):
        constraints = [constraints]
    out = []
    for k, c in enumerate(constraints):
        d = {"fun": c} if callable(c) else dict(c)
        unknown = set(d) - {"fun", "type", "on", "jac", "tol", "name"}
        if unknown:
            raise _core.OptionsError(f"constraint {k}: unknown key(s) {', '.join(sorted(unknown))} "
                                     "(fun, type, on, jac, tol, name)")
        if not callable(d.get("fun")):
            raise _core.OptionsError(f"constraint {k}: 'fun' must be callable")
        d.setdefault("type", "ineq")
        d.setdefault("on", "params")
        d.setdefault("tol", 1e-8)
        d.setdefault("name", f"c{k}")
        if d["type"] not in ("ineq", "eq"):
            raise _core.OptionsError(f"constraint {k}: type must be 'ineq' (fun <= 0) or 'eq' (fun = 0)")
        if d["on"] not in ("params", "solution"):
            raise _core.OptionsError(f"constraint {k}: on must be 'params' or 'solution'")
        if d.get("jac") is not None and (d["on"] != "params" or not callable(d["jac"])):
            raise _core.OptionsError(f"constraint {k}: jac must be a callable, for on='params' constraints only")
        out.append(d)
    return out


def _as_float(v) -> float:
    v = float(v)
    return v if np.isfinite(v) else float("nan")


def _param_constraint(d: dict, names: List[str], labelled: bool) -> "_p.Constraint":
    """The compiled Constraint of a normalised constraint dict; fn sees a Series or an array."""
    fun, jac, n = d["fun"], d.get("jac"), len(names)

    def arg(x):
        x = np.asarray(x, float)
        return pd.Series(x, index=names) if labelled else x

    def value(x):
        try:
            return _as_float(fun(arg(x)))
        except _core.SolveError:
            return float("nan")

    if jac is None:
        return _p.Constraint(value, equality=d["type"] == "eq", tolerance=float(d["tol"]), name=str(d["name"]))

    def with_grad(x, need):
        v = value(x)
        if not need:
            return v
        return v, _gradient_array(jac(arg(x)), n, f"constraint '{d['name']}' jac")

    return _p.Constraint(with_grad, equality=d["type"] == "eq", tolerance=float(d["tol"]), analytic_gradient=True,
                         name=str(d["name"]))


def _minimizer(algorithm="auto", lower=None, upper=None, on_iteration=None, constraints=(), **kw):
    """MinimizeOptions from keywords (its field names: xtol_rel, max_evaluations, seed, ...)."""
    o = _p.MinimizeOptions(algorithm=algorithm, **kw)
    if lower is not None:
        o.lower = np.asarray(lower, float)
    if upper is not None:
        o.upper = np.asarray(upper, float)
    if on_iteration is not None:
        o.on_iteration = on_iteration
    o.constraints = list(constraints)
    return o


def _osr_options(names, start, lower, upper, minimizer, solution_constraints=(), objective=None):
    o = _p.OsrOptions(params=list(names), minimizer=minimizer, solution_constraints=list(solution_constraints))
    if start is not None:
        o.start = np.asarray(start, float)
    if lower is not None:
        o.lower = np.asarray(lower, float)
    if upper is not None:
        o.upper = np.asarray(upper, float)
    if objective is not None:
        o.objective = objective
    return o


def _gradient_array(g, n: int, what: str) -> np.ndarray:
    g = np.asarray(g, float).ravel()
    if g.size != n:
        raise _core.DimensionError(f"{what}: gradient has {g.size} entries, expected {n}")
    return g


def _constraint_series(core_result, names: List[str]) -> pd.Series:
    return pd.Series(np.asarray(core_result.constraint_values, float), index=list(names), name="constraint",
                     dtype=float)


class _Optimum:
    """ok(), summary() and the displays shared by the optimization results."""

    _title = ""

    def ok(self) -> bool:
        return self.status == _core.Status.Success

    def summary(self) -> str:
        return self.core.summary()

    def __repr__(self) -> str:
        from ._display import optimum_repr

        return optimum_repr(self, type(self).__name__)

    def _repr_html_(self) -> str:
        from ._display import optimum_html

        return optimum_html(self, self._title)


@dataclass(repr=False)
class OsrResult(_Optimum):
    """Optimal simple rule: labelled optimum, losses, status and the solution there."""

    _title = "Optimal simple rule"

    params: pd.Series
    start: pd.Series
    loss: float
    loss_start: float
    status: "_core.Status"
    evaluations: int
    covariance: pd.DataFrame
    core: object
    #: constraint values at the optimum (<= tol for 'ineq', |.| <= tol for 'eq' when feasible)
    constraints: pd.Series = None
    #: all constraints hold at the optimum
    feasible: bool = True


def _bounds_arrays(bounds, names, who: str):
    """(lower, upper) arrays over ``names`` from a {name: (lo, hi)} mapping (None, None without
    bounds); a bound on a parameter not in ``names`` is an OptionsError naming it."""
    if not bounds:
        return None, None
    unknown = [k for k in bounds if k not in names]
    if unknown:
        raise _core.OptionsError(f"{who}: bounds for parameters not tuned: {', '.join(unknown)}")
    lower = np.array([bounds.get(n, (-np.inf, np.inf))[0] for n in names], float)
    upper = np.array([bounds.get(n, (-np.inf, np.inf))[1] for n in names], float)
    return lower, upper


@limit_blas_in_threads
@renamed_arguments(params="param_names")
def optimal_simple_rule(model, weights=None, param_names: Optional[Sequence[str]] = None, start=None, bounds=None,
                        algorithm: str = "auto", on_iteration: Optional[Callable] = None, *,
                        loss: Optional[Callable] = None, scenario=None, periods: int = 40, discount: float = 1.0,
                        constraints=None, progress=False, **kw) -> OsrResult:
    """Tune the parameters named in ``param_names`` (default: osr_params) to minimize a loss;
    bounds = {name: (lo, hi)}. (``params=`` is the deprecated former name of ``param_names``.)

    The loss is, in order of precedence:

    * ``loss``: a user-defined Python callable ``loss(solution) -> float`` receiving the
      :class:`govsim.dsge.PerturbationResult` at the trial parameters (use ``solution.moments()``,
      ``solution.irf(...)``, ``solution.ghx`` ...); a callable passed as ``weights`` is taken as
      ``loss``. Return NaN/inf (or raise govsim.SolveError) to mark a point infeasible.
    * ``scenario``: the discounted quadratic loss ``sum_t discount^t y_t' W y_t`` along a
      deterministic shock path (DataFrame periods x shocks, dict shock -> value(s), or array),
      over ``periods`` periods from the impact, with ``W`` from ``weights``;
    * otherwise the unconditional loss ``sum_ij W_ij cov(y_i, y_j)`` (Dynare's osr), in C++.

    Points without a unique stable solution are infeasible (penalized), never an error.

    Parameters
    ----------
    constraints : callable, dict or list of them, optional
        Nonlinear constraints ``fun <= 0`` (``type="ineq"``, the default) or ``fun = 0``
        (``type="eq"``). A dict has keys ``fun``, and optionally ``type``, ``on``, ``jac``,
        ``tol`` (feasibility tolerance, default 1e-8) and ``name``. With ``on="params"`` (the
        default; a bare callable) ``fun`` receives the parameter Series, e.g. the Taylor-principle
        margin ``lambda p: 1 + p.phi_y - p.phi_pi`` (phi_pi - 1 - phi_y >= 0), and ``jac`` may give
        its gradient. With ``on="solution"`` ``fun`` receives the
        :class:`govsim.dsge.PerturbationResult` at the trial parameters, e.g. a cap on var(i):
        ``{"fun": lambda s: s.moments()["variance"]["i"] - 0.5, "on": "solution"}``; such
        constraints count as violated where the model has no unique stable solution.
    algorithm : str
        ``"auto"`` (default) is nelder-mead without constraints and cobyla with them; also
        subplex, bobyqa, lbfgs, slsqp, multistart, crs, cobyla, mma (inequalities only), auglag
        (keyword ``auglag_local``). An algorithm that cannot handle constraints raises
        ``OptionsError``.

    progress : bool, ProgressBar or callable
        True draws a progress bar (tqdm.auto when installed); a callable is called as
        ``progress(done, total)``. ``on_iteration`` receives the IterationInfo itself.

    Returns
    -------
    OsrResult
        ``params``, ``loss``, ... and ``constraints`` (a Series of constraint values at the
        optimum, parameter constraints first, then solution constraints) and ``feasible``.
    """
    core = _core_model(model)
    if callable(weights) and not isinstance(weights, _p.LossWeights):
        if loss is not None:
            raise _core.OptionsError("optimal_simple_rule: pass either a callable weights or loss=, not both")
        loss, weights = weights, None
    names = list(param_names) if param_names is not None else list(core.osr_params)
    if not names:
        raise _core.OptionsError("optimal_simple_rule: no parameters to tune (param_names= or osr_params)")
    lo, hi = _bounds_arrays(bounds, names, "optimal_simple_rule")
    st = None if start is None else np.array([start[n] for n in names] if isinstance(start, Mapping) else start, float)
    cons = _constraint_list(constraints)
    with _Progress(progress, on_iteration, "osr") as on_iteration:
        return _rule(model, core, names, weights, st, lo, hi, algorithm, on_iteration, loss, scenario, periods,
                     discount, kw, cons)


class _Progress:
    """``with _Progress(progress, on_iteration, label) as cb``: the compiled callback, bar closed at exit."""

    def __init__(self, progress, on_iteration, label: str, unit: str = "improvements"):
        from ._progress import progress_callback

        self.cb, self.bar = progress_callback(progress, on_iteration, label, unit)

    def __enter__(self):
        return self.cb

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False


def _rule(model, core, names, weights, st, lo, hi, algorithm, on_iteration, loss, scenario, periods, discount, kw,
          cons) -> OsrResult:
    """The compiled OSR driver; a Python loss (user callable or scenario loss) is its objective
    (OsrOptions::objective), evaluated at the driver's solution of each trial point."""
    from .dsge import PerturbationResult, Model

    if loss is not None and not callable(loss):
        raise _core.OptionsError("optimal_simple_rule: loss must be a callable loss(solution) -> float")
    pymodel = model if isinstance(model, Model) else None
    w = loss_weights(core, weights)
    objective = None
    if loss is not None:
        def objective(sol_core):
            try:
                return _as_float(loss(PerturbationResult(sol_core, pymodel)))
            except _core.SolveError:
                return float("nan")
    elif scenario is not None:
        S = _shock_matrix(list(core.exo_names), scenario)

        def objective(sol_core):
            return float(_p.scenario_loss(sol_core, w, S, int(periods), float(discount)))
    minimizer = _minimizer(algorithm, on_iteration=on_iteration,
                           constraints=[_param_constraint(d, names, True) for d in cons if d["on"] == "params"], **kw)
    r = _p.optimal_simple_rule(core, w, _osr_options(names, st, lo, hi, minimizer, _solution_constraints(cons, pymodel),
                                                     objective))
    return _osr_result(core, r)


def _solution_constraints(cons, pymodel) -> list:
    """The compiled SolutionConstraint of each on='solution' constraint."""
    from .dsge import PerturbationResult

    out = []
    for d in cons:
        if d["on"] == "solution":
            def sfun(x, sol, fun=d["fun"]):
                try:
                    return _as_float(fun(PerturbationResult(sol, pymodel)))
                except _core.SolveError:
                    return float("nan")
            out.append(_p.SolutionConstraint(sfun, equality=d["type"] == "eq", tolerance=float(d["tol"]),
                                             name=str(d["name"])))
    return out


def _osr_result(core, r) -> OsrResult:
    endo = list(core.endo_names)
    cov = np.asarray(r.covariance)
    cov_df = pd.DataFrame(cov, index=endo, columns=endo) if cov.size else pd.DataFrame()
    return OsrResult(pd.Series(np.asarray(r.params), index=list(r.param_names), name="optimum"),
                     pd.Series(np.asarray(r.start), index=list(r.param_names), name="start"),
                     r.loss, r.loss_start, r.status, r.evaluations, cov_df, r,
                     _constraint_series(r, list(r.constraint_names)), bool(r.feasible))


# ------------------------------------------------------------------- user-defined and scenario losses
def _shock_matrix(exo: List[str], shocks) -> np.ndarray:
    """Shock path as an array periods x exo from a DataFrame, a dict or an array."""
    if isinstance(shocks, pd.DataFrame):
        unknown = [c for c in shocks.columns if c not in exo]
        if unknown:
            raise _core.ModelError(f"scenario: unknown shock(s) {', '.join(map(str, unknown))} "
                                   f"(shocks: {', '.join(exo)})")
        return shocks.reindex(columns=exo).fillna(0.0).to_numpy(dtype=float)
    if isinstance(shocks, Mapping):
        unknown = [k for k in shocks if k not in exo]
        if unknown:
            raise _core.ModelError(f"scenario: unknown shock(s) {', '.join(map(str, unknown))} "
                                   f"(shocks: {', '.join(exo)})")
        cols = {k: np.atleast_1d(np.asarray(v, float)) for k, v in shocks.items()}
        T = max([len(v) for v in cols.values()] + [1])
        M = np.zeros((T, len(exo)))
        for k, v in cols.items():
            M[: len(v), exo.index(k)] = v
        return M
    M = np.atleast_2d(np.asarray(shocks, float))
    if M.shape[1] != len(exo):
        raise _core.DimensionError(f"scenario: the shock array has {M.shape[1]} columns, expected {len(exo)} "
                                   f"({', '.join(exo)})")
    return M


def scenario_loss(model, weights=None, shocks=None, periods: int = 40, discount: float = 1.0,
                  params: Optional[Mapping[str, float]] = None) -> float:
    """Discounted loss ``sum_{t=0}^{periods-1} discount^t y_t' W y_t`` along a shock scenario.

    ``y_t`` are deviations from the steady state after the deterministic shocks ``shocks`` (row 0
    is the impact period; a DataFrame periods x shocks, a dict shock -> value or list of values,
    or an array periods x shocks); ``W`` comes from ``weights`` ({var: w}, {(v1, v2): w}, or the
    model's optim_weights). ``model`` is a Model (solved at ``params`` if given) or a
    PerturbationResult. Returns NaN when the model has no unique stable solution there."""
    if shocks is None:
        raise _core.OptionsError("scenario_loss: no shocks given")
    if periods < 0:
        raise _core.OptionsError("scenario_loss: periods must be >= 0")
    sol_core = None
    if hasattr(model, "ghx") and hasattr(model, "core") and hasattr(model.core, "ghu"):
        sol_core = model.core                       # python PerturbationResult
        mcore = _core_model(model.model) if getattr(model, "model", None) is not None else None
    elif hasattr(model, "ghu") and hasattr(model, "state_indices"):
        sol_core, mcore = model, None               # _core PerturbationResult
    else:
        mcore = _core_model(model)
    if sol_core is None:
        labels = list((params or {}).keys())
        r = _d.ModelSolver(mcore, labels).solve(np.asarray([float(params[k]) for k in labels]))
        if not r.ok():
            return float("nan")
        sol_core = r.solution
    endo, exo = list(sol_core.endo_names), list(sol_core.exo_names)
    if weights is None and mcore is None:
        raise _core.OptionsError("scenario_loss: weights are required when a solution is passed")
    w = loss_weights(mcore, weights) if mcore is not None else _weights_over(endo, weights)
    return float(_p.scenario_loss(sol_core, w, _shock_matrix(exo, shocks), int(periods), float(discount)))


def _weights_over(endo: List[str], weights) -> "_p.LossWeights":
    """LossWeights over the variables ``endo`` from {var: w} / {(v1, v2): w} (symmetric)."""
    if isinstance(weights, _p.LossWeights):
        return weights
    W = np.zeros((len(endo), len(endo)))
    for k, v in dict(weights).items():
        a, b = (k, k) if isinstance(k, str) else k
        if a not in endo or b not in endo:
            raise _core.ModelError(f"loss weights: unknown variable '{a if a not in endo else b}'")
        w = float(v)
        if not np.isfinite(w):
            raise _core.ModelError(f"loss weights: the weight of {k!r} is {w}; give a finite number")
        if a == b and w < 0:
            raise _core.ModelError(f"loss weights: negative weight {w:g} on '{a}'; weights must be >= 0 "
                                   f"(a negative weight rewards volatility)")
        W[endo.index(a), endo.index(b)] = W[endo.index(b), endo.index(a)] = w
    if W.any() and np.linalg.eigvalsh(W).min() < -1e-12 * max(1.0, np.abs(W).max()):
        raise _core.ModelError("loss weights are not positive semidefinite: cross weights are too large for "
                               "the variances")
    return _p.LossWeights(endo, W)


@dataclass(repr=False)
class MinimizeResult(_Optimum):
    """Result of :func:`minimize`: labelled optimum, objective values, status and the core result."""

    _title = "Minimization"

    x: pd.Series
    f: float
    f_start: float
    status: "_core.Status"
    evaluations: int
    core: object
    #: constraint values at the optimum, by constraint name
    constraints: pd.Series = None
    #: all constraints hold at the optimum
    feasible: bool = True



def minimize(f: Callable, start, bounds=None, algorithm: str = "auto",
             on_iteration: Optional[Callable] = None, *, constraints=None, jac=None, progress=False,
             **kw) -> MinimizeResult:
    """Minimize a user-defined Python objective with govsim's NLopt driver.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; with ``jac=True`` ``f(x) -> (value, gradient)``. NaN or inf values
        (or raising govsim.SolveError) mark infeasible points (penalized).
    start : dict or array_like
        ``{name: value}`` (then ``f`` receives a labelled Series) or an array (an ndarray).
    bounds : dict or pair of arrays, optional
        ``{name: (lo, hi)}`` or ``(lower, upper)``.
    algorithm : str
        ``"auto"`` (default): nelder-mead, or lbfgs with an analytic gradient; with constraints
        cobyla, or slsqp with an analytic gradient. Also subplex, bobyqa, lbfgs, slsqp, multistart,
        crs, cobyla, mma (inequality constraints only) and auglag (keyword ``auglag_local``: the
        unconstrained local algorithm it wraps). An algorithm that cannot handle constraints
        raises ``OptionsError``.
    constraints : callable, dict or list of them, optional
        ``fun(x) <= 0`` (``type="ineq"``, default) or ``fun(x) = 0`` (``type="eq"``); dict keys
        ``fun``, ``type``, ``jac`` (gradient callable), ``tol`` (default 1e-8), ``name``. ``fun``
        receives the same kind of ``x`` as ``f``.
    jac : bool or callable, optional
        Analytic gradient of ``f``: ``True`` when ``f`` returns ``(value, gradient)``, or a
        callable ``jac(x) -> gradient``. Used by gradient-based algorithms; without it they use
        central finite differences.
    progress : bool, ProgressBar or callable
        True draws a progress bar; a callable is called as ``progress(done, total)``.
    **kw
        xtol_rel, ftol_rel, max_evaluations, restarts, multistart, seed, penalty, auglag_local.

    Returns
    -------
    MinimizeResult
        ``x`` (Series), ``f``, ``f_start``, ``status``, ``evaluations``, ``constraints`` (values
        at the optimum) and ``feasible``.
    """
    if not callable(f):
        raise _core.OptionsError("minimize: f must be callable")
    if isinstance(start, Mapping):
        names = list(start)
        x0 = np.array([float(start[n]) for n in names])
    else:
        x0 = np.atleast_1d(np.asarray(start, float))
        names = [f"x{k}" for k in range(x0.size)]
    lo = hi = None
    if bounds is not None:
        if isinstance(bounds, Mapping):
            unknown = [k for k in bounds if k not in names]
            if unknown:
                raise _core.OptionsError(f"minimize: bounds for unknown parameters: {', '.join(map(str, unknown))}")
            lo = np.array([bounds.get(n, (-np.inf, np.inf))[0] for n in names], float)
            hi = np.array([bounds.get(n, (-np.inf, np.inf))[1] for n in names], float)
        else:
            lo, hi = (np.asarray(b, float) for b in bounds)
    labelled = isinstance(start, Mapping)
    if jac is not None and jac is not True and not callable(jac):
        raise _core.OptionsError("minimize: jac must be True (f returns (value, gradient)) or a callable")
    cons = _constraint_list(constraints)
    if any(d["on"] != "params" for d in cons):
        raise _core.OptionsError("minimize: constraints act on x (on='solution' is for optimal_simple_rule)")

    def arg(x):
        x = np.asarray(x, float)
        return pd.Series(x, index=names) if labelled else x

    def value_of(x):
        try:
            return f(arg(x))
        except _core.SolveError:
            return float("nan")

    if jac is None:
        def g(x):
            return _as_float(value_of(x))
    else:
        def g(x, need):
            out = value_of(x)
            if np.isscalar(out) and not np.isfinite(float(out)):
                return (float("nan"), np.zeros(x0.size)) if need else float("nan")
            if jac is True:
                if not isinstance(out, tuple) or len(out) != 2:
                    if need or not np.isscalar(out):
                        raise _core.OptionsError("minimize: with jac=True, f must return (value, gradient)")
                    return _as_float(out)
                v, grad = out
            else:
                v, grad = out, (jac(arg(x)) if need else None)
            v = _as_float(v)
            if not need:
                return v
            return v, _gradient_array(grad, x0.size, "minimize: jac") if np.isfinite(v) else np.zeros(x0.size)

    with _Progress(progress, on_iteration, "minimize") as cb:
        r = _p.minimize(g, x0, _minimizer(algorithm, lo, hi, cb, [_param_constraint(d, names, labelled) for d in cons],
                                          analytic_gradient=jac is not None, **kw))
    return MinimizeResult(pd.Series(np.asarray(r.x), index=names, name="optimum"), r.f, r.f_start, r.status,
                           r.evaluations, r, _constraint_series(r, [str(d["name"]) for d in cons]),
                           bool(r.feasible))


@renamed_arguments(params="param_names")
def robust_rule(models: Sequence, weights=None, param_names: Optional[Sequence[str]] = None, probabilities=None,
                worst_case: bool = False, labels: Optional[Sequence[str]] = None, bounds=None, progress=False, **kw):
    """One rule for several models: returns (params Series, per-model DataFrame of losses, core result).

    bounds = {name: (lo, hi)} as in optimal_simple_rule."""
    cores = [_core_model(m) for m in models]
    ws = [loss_weights(c, weights) for c in cores]
    names = list(param_names) if param_names is not None else list(cores[0].osr_params)
    if bounds:
        unknown = [k for k in bounds if k not in names]
        if unknown:
            raise _core.OptionsError(f"robust_rule: bounds for parameters not tuned: {', '.join(unknown)}")
        kw.setdefault("lower", np.array([bounds.get(n, (-np.inf, np.inf))[0] for n in names], float))
        kw.setdefault("upper", np.array([bounds.get(n, (-np.inf, np.inf))[1] for n in names], float))
    with _Progress(progress, kw.pop("on_iteration", None), "robust rule") as cb:
        lower, upper, start = kw.pop("lower", None), kw.pop("upper", None), kw.pop("start", None)
        kw.setdefault("algorithm", "nelder-mead")
        opts = _osr_options(names, start, lower, upper, _minimizer(on_iteration=cb, **kw))
        agg = _p.RobustAggregation.WorstCase if worst_case else _p.RobustAggregation.WeightedAverage
        r = _p.robust_simple_rule(cores, ws, None if probabilities is None else np.asarray(probabilities, float),
                                  agg, opts)
    labels = list(labels) if labels else [f"model {k}" for k in range(len(cores))]
    table = pd.DataFrame({"loss_start": np.asarray(r.model_losses_start), "loss": np.asarray(r.model_losses)},
                         index=pd.Index(labels, name="model"))
    return pd.Series(np.asarray(r.params), index=names, name="robust optimum"), table, r


@renamed_arguments(params="param_names")
def frontier(model, var_x: str, var_y: str, weights_y: Iterable[float], param_names: Optional[Sequence[str]] = None,
             extra_weights: Optional[Mapping] = None, **kw) -> pd.DataFrame:
    """Efficient policy frontier: for each weight lambda, minimize var(x) + lambda var(y) (+ extras).

    Returns a DataFrame indexed by lambda with var(x), var(y), the loss and the optimal parameters."""
    core = _core_model(model)
    rows = []
    start = None
    for lam in weights_y:
        w = {var_x: 1.0, var_y: float(lam)}
        w.update(extra_weights or {})
        r = optimal_simple_rule(core, w, param_names=param_names, start=start, **kw)
        row = {"lambda": float(lam), "loss": r.loss, "status": r.status.name}
        if not r.covariance.empty:
            row[f"var({var_x})"] = r.covariance.loc[var_x, var_x]
            row[f"var({var_y})"] = r.covariance.loc[var_y, var_y]
        row.update(r.params.to_dict())
        if r.ok():
            start = r.params.to_dict()
        rows.append(row)
    return pd.DataFrame(rows).set_index("lambda")


def plot_frontier(table: pd.DataFrame, var_x: str, var_y: str, ax=None, path: Optional[str] = None):
    """Chart of a frontier table: var(y) against var(x), points labelled by lambda."""
    from .plotting import _pyplot

    plt = _pyplot()
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(table[f"var({var_x})"], table[f"var({var_y})"], "o-")
    for lam, r in table.iterrows():
        ax.annotate(f"{lam:g}", (r[f"var({var_x})"], r[f"var({var_y})"]), fontsize=8, xytext=(3, 3),
                    textcoords="offset points")
    ax.set_xlabel(f"var({var_x}): unconditional variance (squared model units)")
    ax.set_ylabel(f"var({var_y}): unconditional variance (squared model units)")
    ax.set_title("Policy frontier (labels: weight on " + var_y + ")")
    if path:
        from ._atomic import save_figure

        save_figure(fig or ax.figure, path, dpi=100, bbox_inches="tight")
    return fig or ax.figure


# ---------------------------------------------------------------------------------------- calibration
@dataclass
class CalibrationResult:
    """Calibrated parameters, distance and the fit per target."""

    params: pd.Series
    distance: float
    distance_start: float
    status: "_core.Status"
    fit: pd.DataFrame


def _target_value(sol, cov, endo, t, cache):
    """Model value of one calibration target from the compiled moments and IRF engines
    (autocovariances A^k Var(y); IRFs to one-standard-deviation shocks as in Dynare, the column
    of chol(Sigma_e + 1e-14 I))."""
    typ = t.get("type", "std")
    v = t["var"]
    i = endo.index(v)
    if typ == "std":
        return float(np.sqrt(cov[i, i]))
    if typ == "var":
        return float(cov[i, i])
    if typ in ("corr", "cov"):
        j = endo.index(t["var2"])
        c = cov[i, j]
        return float(c if typ == "cov" else c / np.sqrt(cov[i, i] * cov[j, j]))
    if typ == "autocorr":
        lag = int(t.get("lag", 1))
        if lag < 1:
            raise _core.OptionsError("calibration target autocorr: lag must be >= 1")
        key = ("autocov", lag)
        if key not in cache:
            cache[key] = np.asarray(_d.autocovariances(sol, cov, lag)[-1])
        return float(cache[key][i, i] / cov[i, i])
    if typ == "irf":
        shock = t["shock"]
        period = int(t.get("period", 1))
        key = ("irf", max(period, int(t.get("horizon", 40)) + 1))
        if key not in cache:
            cache[key] = _d.impulse_responses(sol, _d.IrfOptions(periods=key[1], include_auxiliary=True))
        return float(np.asarray(cache[key].response(shock))[period - 1, i])
    raise _core.OptionsError(f"calibration target type '{typ}' (std, var, cov, corr, autocorr, irf)")


def calibrate(model, params: Mapping, targets: List[Mapping], algorithm: str = "nelder-mead",
              max_evaluations: int = 20000, progress=False) -> CalibrationResult:
    """Match target moments / IRFs: minimize sum weight * (model - target)^2 with NLopt.

    params: {name: start} or {name: [start, lower, upper]}; targets: dicts with type (std, var, cov, corr,
    autocorr, irf), var (and var2 / lag / shock, period), value and optional weight. ``progress``:
    True (a bar), False, a ProgressBar or a callable ``progress(done, total)``."""
    core = _core_model(model)
    names = list(params)
    if not names:
        raise _core.OptionsError("calibrate: no parameters")
    if not targets:
        raise _core.OptionsError("calibrate: no targets")
    spec = {k: (v if isinstance(v, (list, tuple)) else [v, -np.inf, np.inf]) for k, v in params.items()}
    x0 = np.array([float(spec[k][0]) for k in names])
    lo = np.array([float(spec[k][1]) if len(spec[k]) > 1 and spec[k][1] is not None else -np.inf for k in names])
    hi = np.array([float(spec[k][2]) if len(spec[k]) > 2 and spec[k][2] is not None else np.inf for k in names])
    solver = _d.ModelSolver(core, names)
    endo = list(core.endo_names)
    for t in targets:
        for key in ("var", "var2"):
            if key in t and t[key] not in endo:
                raise _core.ModelError(f"calibrate: unknown variable '{t[key]}'")
        if "value" not in t:
            raise _core.OptionsError(f"calibrate: target {t} has no value")

    def model_values(x):
        r = solver.solve(np.asarray(x, float))
        if not r.ok():
            return None
        c = _d.unconditional_covariance(r.solution)
        if not c.ok():
            return None
        cov = np.asarray(c.covariance)
        cache = {}
        return [_target_value(r.solution, cov, endo, t, cache) for t in targets]

    def dist(x):
        v = model_values(x)
        if v is None:
            return float("nan")
        return float(sum(float(t.get("weight", 1.0)) * (a - float(t["value"])) ** 2 for a, t in zip(v, targets)))

    with _Progress(progress, None, "calibrate") as cb:
        r = _p.minimize(dist, x0, _minimizer(algorithm, lo, hi, cb, max_evaluations=max_evaluations))
    vals = model_values(np.asarray(r.x)) or [np.nan] * len(targets)
    vals0 = model_values(x0) or [np.nan] * len(targets)
    fit = pd.DataFrame({
        "type": [t.get("type", "std") for t in targets],
        "var": [t["var"] for t in targets],
        "target": [float(t["value"]) for t in targets],
        "start": vals0, "fitted": vals,
        "weight": [float(t.get("weight", 1.0)) for t in targets]})
    fit["error"] = fit["fitted"] - fit["target"]
    return CalibrationResult(pd.Series(np.asarray(r.x), index=names, name="calibrated"), r.f, r.f_start,
                             r.status, fit)


_DEPRECATED = {"MinimizeOutcome": "MinimizeResult"}


def __getattr__(name):
    from ._deprecated import resolve

    return resolve(globals(), __name__, name, _DEPRECATED)
