"""``govsim run`` handlers for nonlinear commands.

- ``perfect_foresight_setup(periods=N)`` builds the stacked problem (steady state, histval,
  endval, shocks periods/values);
- ``perfect_foresight_solver(tolf=, maxit=, no_homotopy)`` solves it and records
  ``perfect_foresight``: ``{"endo_names", "paths" (rows = periods 0..T+1), "status", ...}``;
- ``stoch_simul(order=2)`` records the order-1 block plus ``ghxx``, ``ghxu``, ``ghuu``, ``ghs2``
  (Dynare's convention, Kronecker columns with the first factor slow).
"""
from __future__ import annotations

import numpy as np

from .. import _core

_PF_SETUP_OPTIONS = {"periods"}
_PF_SOLVER_OPTIONS = {"tolf", "tolx", "maxit", "no_homotopy", "stack_solve_algo", "noprint"}


def _num(ctx, cmd, key, default, kind=float):
    if not cmd.has_option(key):
        return default
    v = cmd.option(key)
    try:
        return kind(float(v))
    except ValueError:
        raise _core.OptionsError(f"{cmd.where.file}:{cmd.where.line}: {cmd.name}: option {key}={v!r} is not a "
                                 f"number") from None


def _warn_unknown(ctx, cmd, known):
    bad = [k for k, _ in cmd.options if k not in known]
    if bad:
        ctx.warn(cmd.where, f"{cmd.name}: unsupported option(s) ignored: " + ", ".join(bad))


def pf_setup(ctx, cmd):
    from .. import _core

    _warn_unknown(ctx, cmd, _PF_SETUP_OPTIONS)
    periods = _num(ctx, cmd, "periods", 100, int)
    if periods < 1:
        raise _core.OptionsError(f"{cmd.where.file}:{cmd.where.line}: perfect_foresight_setup: periods must be >= 1")
    ctx.pf_problem = _core.dsge.make_perfect_foresight_problem(ctx.model.core, periods)


def pf_solver(ctx, cmd):
    from .. import _core
    from ..cli import _fmt_frame

    _warn_unknown(ctx, cmd, _PF_SOLVER_OPTIONS)
    prob = getattr(ctx, "pf_problem", None)
    if prob is None:  # Dynare requires the setup first; default it as Dynare's periods would be missing
        raise _core.OptionsError(f"{cmd.where.file}:{cmd.where.line}: perfect_foresight_solver needs perfect_foresight_setup "
                       f"before it")
    opts = _core.dsge.PerfectForesightOptions(periods=prob.periods)
    opts.tolerance = _num(ctx, cmd, "tolf", 1e-10)
    opts.max_iterations = _num(ctx, cmd, "maxit", 50, int)
    opts.homotopy = not cmd.has_option("no_homotopy")
    res = _core.dsge.solve_perfect_foresight(ctx.model.core, prob, opts)
    names = ctx.endo_names
    k = len(names)
    P = np.asarray(res.paths)[:, :k]
    block = {"endo_names": names, "exo_names": list(res.exo_names), "paths": P.tolist(),
             "exo": np.asarray(res.exo).tolist(), "status": res.status.name, "iterations": res.iterations,
             "max_residual": res.max_residual, "worst_period": res.worst_period,
             "worst_equation": res.worst_equation_name, "homotopy_steps": res.homotopy_steps,
             "periods": int(prob.periods)}
    if not res.ok():
        block["message"] = res.message
    ctx.add("perfect_foresight", block)
    if not ctx.quiet:
        import pandas as pd

        print(res.summary() + "\n")
        df = pd.DataFrame(P, columns=names)
        df.index.name = "period"
        show = df.iloc[: min(len(df), 21)]
        _fmt_frame(show, "PERFECT FORESIGHT PATHS (first 20 periods; period 0 = initial condition)")
    if not res.ok():
        raise _core.SolveError(f"{cmd.where.file}:{cmd.where.line}: perfect_foresight_solver: {res.summary()}")


RUN_HANDLERS = {
    "perfect_foresight_setup": pf_setup,
    "perfect_foresight_solver": pf_solver,
}


# ------------------------------------------------------------------------------ stoch_simul(order=2)
def stoch_simul_order2(ctx, cmd):
    """stoch_simul with order=2: first-order block plus ghxx, ghxu, ghuu, ghs2 and the mean."""
    from ..cli import _STOCH_OPTIONS, _fmt_frame

    where = cmd.where
    order = _num(ctx, cmd, "order", 2, int)
    if order != 2:
        ctx.warn(where, f"stoch_simul(order={order}) is not implemented (orders 1 and 2): skipped")
        return
    if ctx.model.core.linear:
        ctx.warn(where, "stoch_simul(order=2) on a model(linear): the second-order terms are zero, use order=1: "
                        "skipped")
        return
    unsupported = [k for k, _ in cmd.options if k not in _STOCH_OPTIONS]
    if unsupported:
        ctx.warn(where, "stoch_simul: unsupported option(s) ignored: " + ", ".join(unsupported))
    qz = _num(ctx, cmd, "qz_criterium", 1.0 + 1e-6)
    irf_periods = _num(ctx, cmd, "irf", 40, int)
    ar = _num(ctx, cmd, "ar", 5, int)
    periods = _num(ctx, cmd, "periods", 0, int)
    drop = _num(ctx, cmd, "drop", 100, int)
    noprint = cmd.has_option("noprint") or ctx.quiet
    names = ctx.endo_names
    var_list = list(cmd.args) or names
    unknown = [v for v in var_list if v not in ctx.model.endo_names]
    if unknown:
        raise _core.OptionsError(f"{where.file}:{where.line}: stoch_simul: unknown variable(s) {', '.join(unknown)}")
    sol = ctx.solve(qz)
    if not sol.ok():
        raise _core.SolveError(f"{where.file}:{where.line}: stoch_simul: {sol.status.name}: {sol.message}")
    so = _core.dsge.solve_second_order(ctx.model.core, sol.core)
    if not so.ok():
        raise _core.SolveError(f"{where.file}:{where.line}: stoch_simul(order=2): {so.summary()}")
    n = len(names)
    ev = sol.eigenvalues
    block = {"endo_names": names, "exo_names": sol.exo_names, "order": 2,
             "steady_state": np.asarray(sol.core.steady_state)[:n].tolist(), "state_names": sol.state_names,
             "ghx": np.asarray(so.ghx)[:n].tolist(), "ghu": np.asarray(so.ghu)[:n].tolist(),
             "ghxx": np.asarray(so.ghxx)[:n].tolist(), "ghxu": np.asarray(so.ghxu)[:n].tolist(),
             "ghuu": np.asarray(so.ghuu)[:n].tolist(), "ghs2": np.asarray(so.ghs2)[:n].tolist(),
             "eigenvalues": {"real": ev["real"].tolist(), "imag": ev["imag"].tolist(),
                             "modulus": ev["modulus"].tolist()},
             "n_explosive": sol.n_explosive, "n_forward": sol.n_forward,
             "options": {k: v for k, v in cmd.options}, "var_list": var_list}
    mean = np.asarray(so.mean)[:n] if len(so.mean) else None
    if irf_periods > 0:
        from ..nonlinear import SecondOrderSolution

        s2 = SecondOrderSolution(so)
        irfs = s2.irf(periods=irf_periods)
        block["irfs"] = {s: {v: df[v].tolist() for v in names} for s, df in irfs.items()}
    if not cmd.has_option("nomoments"):
        try:
            mo = sol.moments(ar=ar, include_auxiliary=ctx.include_aux)
            vl = var_list
            block["moments"] = {
                "var_list": vl,
                "mean": [float(mean[names.index(v)]) for v in vl] if mean is not None else mo.mean[vl].tolist(),
                "std": mo.std[vl].tolist(), "var": mo.var.loc[vl, vl].to_numpy().tolist(),
                "correlation": mo.correlation.loc[vl, vl].to_numpy().tolist(),
                "autocorr": {str(k): a.loc[vl, vl].to_numpy().tolist() for k, a in mo.autocorrelation.items()},
            }
        except _core.SolveError as e:
            ctx.warn(where, f"stoch_simul: theoretical moments not computed: {e}")
    if periods > 0:
        rng = np.random.default_rng(ctx.args.seed)
        Sig = np.asarray(so.Sigma_e)
        L = np.linalg.cholesky(Sig + 1e-14 * np.eye(len(Sig))) if len(Sig) else np.zeros((0, 0))
        e = rng.standard_normal((periods + drop, len(Sig))) @ L.T
        sim = np.asarray(_core.dsge.simulate_second_order(so, e, True).paths)[drop:, :n]
        block["simulation"] = {"periods": periods, "drop": drop, "seed": ctx.args.seed, "pruned": True,
                               "var_names": names, "endo": sim.tolist()}
    if not noprint:
        import pandas as pd

        rows = {"Constant": np.asarray(so.steady_state)[:n] + 0.5 * np.asarray(so.ghs2)[:n]}
        for j, s in enumerate(sol.state_names):
            rows[f"{s}(-1)"] = np.asarray(so.ghx)[:n, j]
        for j, x in enumerate(sol.exo_names):
            rows[x] = np.asarray(so.ghu)[:n, j]
        nx, nu = len(sol.state_names), len(sol.exo_names)
        for i, a in enumerate(sol.state_names):
            for j, b in enumerate(sol.state_names[i:], start=i):
                f = 0.5 if i == j else 1.0
                rows[f"{a}(-1),{b}(-1)"] = f * (np.asarray(so.ghxx)[:n, i * nx + j] +
                                                (np.asarray(so.ghxx)[:n, j * nx + i] if i != j else 0))
        for i, a in enumerate(sol.state_names):
            for j, b in enumerate(sol.exo_names):
                rows[f"{a}(-1),{b}"] = np.asarray(so.ghxu)[:n, i * nu + j]
        for i, a in enumerate(sol.exo_names):
            for j, b in enumerate(sol.exo_names[i:], start=i):
                f = 0.5 if i == j else 1.0
                rows[f"{a},{b}"] = f * (np.asarray(so.ghuu)[:n, i * nu + j] +
                                        (np.asarray(so.ghuu)[:n, j * nu + i] if i != j else 0))
        _fmt_frame(pd.DataFrame(rows, index=names).T, "POLICY AND TRANSITION FUNCTIONS (order 2)")
        if mean is not None:
            _fmt_frame(pd.DataFrame({"steady state": np.asarray(so.steady_state)[:n], "mean (order 2)": mean},
                                    index=names), "SECOND-ORDER MEAN (pruned)")
    ctx.add("stoch_simul", block)


RUN_HANDLERS["stoch_simul"] = stoch_simul_order2
