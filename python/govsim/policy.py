"""Counter-cyclical policy tuning: losses, optimal simple rules, robust rules, frontiers, calibration.

>>> from govsim import dsge, policy
>>> m = dsge.Model.from_file("nk3_osr.mod")
>>> r = policy.optimal_simple_rule(m, {"pi": 1, "y": 0.25, "i": 0.1}, params=["phi_pi", "phi_y"])
>>> r.params          # pandas Series
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core

_p = _core.policy


def _core_model(model):
    return getattr(model, "core", model)


def loss_weights(model, weights=None) -> "_p.LossWeights":
    """LossWeights from {var: w} / {(v1, v2): w} (or the model's optim_weights when None)."""
    core = _core_model(model)
    if weights is None:
        return _p.LossWeights.from_model(core)
    if isinstance(weights, _p.LossWeights):
        return weights
    names = list(core.endo_names)
    W = np.zeros((len(names), len(names)))
    for k, w in dict(weights).items():
        a, b = (k, k) if isinstance(k, str) else k
        if a not in names or b not in names:
            raise _core.ModelError(f"loss weights: unknown variable '{a if a not in names else b}'")
        W[names.index(a), names.index(b)] = W[names.index(b), names.index(a)] = float(w)
    return _p.LossWeights(names, W)


def loss(model, weights=None, params: Optional[Mapping[str, float]] = None) -> float:
    """Quadratic loss sum W_ij cov(y_i, y_j) of the model (at `params` if given); NaN when unstable."""
    core = _core_model(model)
    labels = list((params or {}).keys())
    s = _p.ModelSolver(core, labels)
    r = s.solve(np.asarray([float(params[k]) for k in labels]))
    return _p.quadratic_loss(r.solution, loss_weights(core, weights)) if r.ok() else float("nan")


@dataclass
class OsrResult:
    """Optimal simple rule: labelled optimum, losses, status and the solution there."""

    params: pd.Series
    start: pd.Series
    loss: float
    loss_start: float
    status: str
    evaluations: int
    covariance: pd.DataFrame
    core: object

    def ok(self) -> bool:
        return self.status == "Success"

    def summary(self) -> str:
        return self.core.summary()


def optimal_simple_rule(model, weights=None, params: Optional[Sequence[str]] = None, start=None, bounds=None,
                        algorithm: str = "nelder-mead", on_iteration: Optional[Callable] = None, **kw) -> OsrResult:
    """Tune `params` (default: osr_params) to minimize the loss; bounds = {name: (lo, hi)}."""
    core = _core_model(model)
    names = list(params) if params is not None else list(core.osr_params)
    lo = hi = None
    if bounds:
        lo = np.array([bounds.get(n, (-np.inf, np.inf))[0] for n in names], float)
        hi = np.array([bounds.get(n, (-np.inf, np.inf))[1] for n in names], float)
    st = None if start is None else np.array([start[n] for n in names] if isinstance(start, Mapping) else start, float)
    r = _p.optimal_simple_rule(core, loss_weights(core, weights), params=names, start=st, lower=lo, upper=hi,
                               algorithm=algorithm, on_iteration=on_iteration, **kw)
    endo = list(core.endo_names)
    cov = np.asarray(r.covariance)
    cov_df = pd.DataFrame(cov, index=endo, columns=endo) if cov.size else pd.DataFrame()
    return OsrResult(pd.Series(np.asarray(r.params), index=list(r.param_names), name="optimum"),
                     pd.Series(np.asarray(r.start), index=list(r.param_names), name="start"),
                     r.loss, r.loss_start, r.status.name, r.evaluations, cov_df, r)


def robust_rule(models: Sequence, weights=None, params: Optional[Sequence[str]] = None, probabilities=None,
                worst_case: bool = False, labels: Optional[Sequence[str]] = None, **kw):
    """One rule for several models: returns (params Series, per-model DataFrame of losses, core result)."""
    cores = [_core_model(m) for m in models]
    ws = [loss_weights(c, weights) for c in cores]
    names = list(params) if params is not None else list(cores[0].osr_params)
    r = _p.robust_simple_rule(cores, ws, probabilities=None if probabilities is None else np.asarray(probabilities, float),
                              worst_case=worst_case, params=names, **kw)
    labels = list(labels) if labels else [f"model {k}" for k in range(len(cores))]
    table = pd.DataFrame({"loss_start": np.asarray(r.model_losses_start), "loss": np.asarray(r.model_losses)},
                         index=pd.Index(labels, name="model"))
    return pd.Series(np.asarray(r.params), index=names, name="robust optimum"), table, r


def frontier(model, var_x: str, var_y: str, weights_y: Iterable[float], params: Optional[Sequence[str]] = None,
             extra_weights: Optional[Mapping] = None, **kw) -> pd.DataFrame:
    """Efficient policy frontier: for each weight lambda, minimize var(x) + lambda var(y) (+ extras).

    Returns a DataFrame indexed by lambda with var(x), var(y), the loss and the optimal parameters."""
    core = _core_model(model)
    endo = list(core.endo_names)
    rows = []
    start = None
    for lam in weights_y:
        w = {var_x: 1.0, var_y: float(lam)}
        w.update(extra_weights or {})
        r = optimal_simple_rule(core, w, params=params, start=start, **kw)
        row = {"lambda": float(lam), "loss": r.loss, "status": r.status}
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
    import matplotlib

    if path:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(table[f"var({var_x})"], table[f"var({var_y})"], "o-")
    for lam, r in table.iterrows():
        ax.annotate(f"{lam:g}", (r[f"var({var_x})"], r[f"var({var_y})"]), fontsize=8, xytext=(3, 3),
                    textcoords="offset points")
    ax.set_xlabel(f"var({var_x})")
    ax.set_ylabel(f"var({var_y})")
    ax.set_title("Policy frontier (labels: weight on " + var_y + ")")
    if path:
        (fig or ax.figure).savefig(path, dpi=100, bbox_inches="tight")
    return fig or ax.figure


# ---------------------------------------------------------------------------------------- calibration
@dataclass
class CalibrationResult:
    """Calibrated parameters, distance and the fit per target."""

    params: pd.Series
    distance: float
    distance_start: float
    status: str
    fit: pd.DataFrame


def _target_value(sol, cov, endo, t, irf_cache):
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
        # Cov(y_t, y_{t-lag}) through the state recursion
        A = np.zeros((len(endo), len(endo)))
        si = list(sol.state_indices)
        A[:, si] = np.asarray(sol.ghx)
        M = np.linalg.matrix_power(A, lag) @ cov
        return float(M[i, i] / cov[i, i])
    if typ == "irf":
        shock = t["shock"]
        if shock not in irf_cache:
            ghx, ghu = np.asarray(sol.ghx), np.asarray(sol.ghu)
            si = list(sol.state_indices)
            k = list(sol.exo_names).index(shock)
            sd = np.sqrt(np.asarray(sol.Sigma_e)[k, k])
            y = ghu[:, k] * sd
            path = [y]
            for _ in range(int(t.get("horizon", 40))):
                y = ghx @ y[si]
                path.append(y)
            irf_cache[shock] = np.array(path)
        return float(irf_cache[shock][int(t.get("period", 1)) - 1, i])
    raise _core.OptionsError(f"calibration target type '{typ}' (std, var, cov, corr, autocorr, irf)")


def calibrate(model, params: Mapping, targets: List[Mapping], algorithm: str = "nelder-mead",
              max_evaluations: int = 20000) -> CalibrationResult:
    """Match target moments / IRFs: minimize sum weight * (model - target)^2 with NLopt.

    params: {name: start} or {name: [start, lower, upper]}; targets: dicts with type (std, var, cov, corr,
    autocorr, irf), var (and var2 / lag / shock, period), value and optional weight."""
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
    solver = _p.ModelSolver(core, names)
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
        c = _p.unconditional_covariance(r.solution)
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

    r = _p.minimize(dist, x0, algorithm=algorithm, lower=lo, upper=hi, max_evaluations=max_evaluations)
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
                             r.status.name, fit)
