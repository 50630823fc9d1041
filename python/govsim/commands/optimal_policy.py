"""`govsim run` handlers for optimal policy: ``ramsey_model``, ``ramsey_policy``,
``discretionary_policy`` and ``evaluate_planner_objective``.

JSON objects:

- ``ramsey`` -> ``{"instruments": [...], "multipliers": {MULT_i: steady value}, "steady_state": {...},
  "planner_objective_value": {"unconditional", "conditional_steady_initial_multiplier",
  "conditional_zero_initial_multiplier"}, "discount": b, "steady_state_method": s}``; a later
  ``stoch_simul`` (or ``ramsey_policy`` itself) reports the Ramsey system in ``stoch_simul``
  (multipliers included in the IRFs);
- ``discretion`` -> ``{"instruments", "discount", "loss": {"unconditional", "conditional"},
  "iterations", "loss_weights"}`` plus a ``stoch_simul`` object of the discretionary solution;
- ``planner_objective_value`` -> the welfare of the last optimal policy solved.
"""
import numpy as np

DECLARATIVE = {"planner_objective"}

_RAMSEY_OPTIONS = {"planner_discount", "instruments", "order", "irf", "nograph", "graph", "noprint", "ar",
                   "nomoments", "nocorr"}


def _where(cmd):
    return f"{cmd.where.file}:{cmd.where.line}"


def _int(cmd, key, default):
    from ..cli import CliError
    if not cmd.has_option(key):
        return default
    try:
        v = float(cmd.option(key))
    except ValueError:
        raise CliError(f"{_where(cmd)}: {cmd.name}: option {key}={cmd.option(key)!r} is not a number") from None
    if v != int(v) or v < 0:
        raise CliError(f"{_where(cmd)}: {cmd.name}: option {key}={cmd.option(key)!r} must be a non-negative integer")
    return int(v)


def _install(ctx, sol, steady_state):
    """Later commands (stoch_simul, check) of the run see the optimal-policy solution."""
    cache = getattr(ctx, "cache", None)
    if cache is not None:
        cache["ss"] = np.asarray(steady_state)
        cache[("sol", 1.0 + 1e-6)] = sol


def _stoch_block(ctx, cmd, sol, names):
    """The ``stoch_simul`` JSON object of a solution (decision rules, IRFs, moments)."""
    core = sol.core
    all_names = list(core.endo_names)
    idx = [all_names.index(v) for v in names]
    block = {"endo_names": names, "exo_names": sol.exo_names,
             "steady_state": np.asarray(core.steady_state)[idx].tolist(), "state_names": sol.state_names,
             "ghx": np.asarray(core.ghx)[idx].tolist(), "ghu": np.asarray(core.ghu)[idx].tolist(),
             "options": {k: v for k, v in cmd.options}}
    irf = _int(cmd, "irf", 40)
    if irf > 0:
        irfs = sol.irf(periods=irf, include_auxiliary=True, as_dict=True)
        block["irfs"] = {s: {v: df[v].tolist() for v in names if v in df.columns} for s, df in irfs.items()}
    if not cmd.has_option("nomoments"):
        mo = sol.moments(ar=_int(cmd, "ar", 5), include_auxiliary=True)
        vl = [v for v in names if v in mo.std.index]
        block["moments"] = {"var_list": vl, "mean": mo.mean[vl].tolist(), "std": mo.std[vl].tolist(),
                            "var": mo.var.loc[vl, vl].to_numpy().tolist()}
    return block


def _ramsey(ctx, cmd, with_stoch):
    from .. import _core, optimal_policy
    from ..cli import CliError

    unsupported = [k for k, _ in cmd.options if k not in _RAMSEY_OPTIONS]
    if unsupported:
        ctx.warn(cmd.where, f"{cmd.name}: unsupported option(s) ignored: " + ", ".join(unsupported))
    if with_stoch and _int(cmd, "order", 1) != 1:
        ctx.warn(cmd.where, f"{cmd.name}(order={cmd.option('order')}): only order=1 is implemented; solving at order 1")
    # order of the planner objective: the command's (ramsey_policy) or the next stoch_simul's
    order = _int(cmd, "order", 0)
    if not order:
        cmds = list(ctx.model.commands)
        key = (cmd.where.line, cmd.where.column)
        idx = next((k for k, c in enumerate(cmds) if (c.where.line, c.where.column) == key), None)
        nxt = [c for c in cmds[idx + 1:] if c.name == "stoch_simul"] if idx is not None else []
        order = _int(nxt[0], "order", 2) if nxt else 1
    objective_order = 2 if order >= 2 and ctx.model.core.linear else 1
    if order >= 2 and objective_order == 1:
        ctx.warn(cmd.where, f"{cmd.name}: the planner objective is evaluated at order 1 (order 2 is implemented "
                 "for linear-quadratic problems)")
    try:
        r = optimal_policy.ramsey(ctx.model, objective_order=objective_order, raise_on_failure=False)
    except _core.ModelError as e:
        raise CliError(f"{_where(cmd)}: {cmd.name}: {e}") from None
    if not r.ok():
        raise _core.SolveError(f"{_where(cmd)}: {cmd.name}: {r.status.name}: {r.message}")
    ctx.optimal_policy = r
    _install(ctx, r.solution, r.core.steady_state)
    d = r.to_dict()
    d["discount"] = r.discount
    d["steady_state_method"] = r.core.steady_state_method
    ctx.add("ramsey", d)
    if not ctx.quiet:
        print("RAMSEY POLICY (commitment)\n")
        print(f"  instruments: {', '.join(r.instruments)}; planner discount {r.discount:g}\n")
        print("  steady state:")
        for k, v in r.steady_state.items():
            print(f"    {k:<16} {v: .8g}")
        print()
    if with_stoch:
        names = list(r.model.endo_names)
        ctx.add("stoch_simul", _stoch_block(ctx, cmd, r.solution, names))


def run_ramsey_model(ctx, cmd):
    _ramsey(ctx, cmd, with_stoch=False)


def run_ramsey_policy(ctx, cmd):
    _ramsey(ctx, cmd, with_stoch=True)


def run_discretionary_policy(ctx, cmd):
    from .. import _core, optimal_policy
    from ..cli import CliError

    try:
        d = optimal_policy.discretion(ctx.model, raise_on_failure=False)
    except _core.ModelError as e:
        raise CliError(f"{_where(cmd)}: discretionary_policy: {e}") from None
    if not d.ok():
        raise _core.SolveError(f"{_where(cmd)}: discretionary_policy: {d.status.name}: {d.message}")
    ctx.optimal_policy = d
    _install(ctx, d.solution, d.core.solution.steady_state)
    block = d.to_dict()
    block["loss_weights"] = {"names": list(d.core.solution.endo_names),
                             "W": np.asarray(d.core.loss_weights).tolist()}
    ctx.add("discretion", block)
    if not ctx.quiet:
        print("DISCRETIONARY POLICY\n")
        print(f"  instruments: {', '.join(d.instruments)}; planner discount {d.discount:g}")
        print(f"  loss: unconditional {d.loss['unconditional']:.10g}, conditional {d.loss['conditional']:.10g}\n")
    ctx.add("stoch_simul", _stoch_block(ctx, cmd, d.solution, ctx.endo_names))


def run_evaluate_planner_objective(ctx, cmd):
    from ..cli import CliError

    r = getattr(ctx, "optimal_policy", None)
    if r is None:
        raise CliError(f"{_where(cmd)}: evaluate_planner_objective: no ramsey_model, ramsey_policy or "
                       "discretionary_policy before it")
    v = r.planner_objective_value if hasattr(r, "planner_objective_value") else r.loss
    ctx.add("planner_objective_value", v)
    if not ctx.quiet:
        print("PLANNER OBJECTIVE VALUE\n")
        for k, x in v.items():
            print(f"  {k:<40} {x:.10g}")
        print()


RUN_HANDLERS = {"ramsey_model": run_ramsey_model, "ramsey_policy": run_ramsey_policy,
                "discretionary_policy": run_discretionary_policy,
                "evaluate_planner_objective": run_evaluate_planner_objective}
