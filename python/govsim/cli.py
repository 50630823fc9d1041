"""The ``govsim`` command line.

Readable tables by default, ``--json`` for scripts (``--json`` alone writes to stdout,
``--json FILE`` to a file, written atomically), exit status 0 on success, 2 on bad input (with a
one-line message on stderr, never a traceback), 3 when a numerical algorithm fails, 130 on Ctrl-C.

    govsim demo                        shock simulation on the shipped US table, with a PNG chart
    govsim io summary                  size, balance and productivity of a table
    govsim io shock --sector MFC --change -10000
    govsim io multipliers --top 10
    govsim io linkages
    govsim io extraction --top 10
    govsim io price --sector MIN --change 0.2
    govsim run model.mod --json out.json --irf-png charts/   Dynare .mod: steady, check, stoch_simul(order=1)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from typing import Optional

EXIT_OK, EXIT_USAGE, EXIT_NUMERICAL, EXIT_INTERRUPTED = 0, 2, 3, 130


class CliError(Exception):
    """Bad input detected by the command line itself."""


# ---------------------------------------------------------------------------------------- output
def _clean(v):
    """JSON-safe values: NaN/Inf -> None, numpy -> Python."""
    import numpy as np

    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return _clean(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


def _emit_json(payload: dict, target: str) -> None:
    text = json.dumps(_clean(payload), indent=1, allow_nan=False)
    if target == "-":
        sys.stdout.write(text + "\n")
    else:
        from ._atomic import atomic_write

        atomic_write(target, text + "\n")


def _frame_json(df) -> dict:
    """A DataFrame as {"index": [...], "columns": [...], "data": rows}."""
    idx = ["/".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in df.index]
    return {"index": idx, "columns": [str(c) for c in df.columns], "data": df.to_numpy().tolist()}


def _print_table(df, title: str, fmt: str = "{:,.3f}") -> None:
    import pandas as pd

    print(title)
    with pd.option_context("display.max_rows", 200, "display.width", 160, "display.max_columns", 20):
        print(df.to_string(float_format=lambda v: fmt.format(v)))
    print()


# ---------------------------------------------------------------------------------------- tables
def _load_table(spec: str):
    from . import io

    if spec in ("us", "us-22"):
        return io.load_us_bea_2017(aggregate=True)
    if spec in ("us-detail", "us-402"):
        return io.load_us_bea_2017()
    if os.path.isdir(spec):
        return io.read_csv_folder(spec)
    raise CliError(f"unknown table '{spec}': use 'us' (22 sectors), 'us-detail' (402 industries) or a folder "
                   f"with Z.csv and Y.csv")


def _add_table_arg(p) -> None:
    p.add_argument("--table", default="us",
                   help="'us' (BEA 2017, 22 sectors; default), 'us-detail' (402 industries) or a CSV folder")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE",
                   help="write machine-readable results (to stdout when FILE is omitted)")


def _parse_assignments(items, what: str) -> dict:
    """['MFC=-100', 'AGR=5'] -> {'MFC': -100.0, 'AGR': 5.0}."""
    out = {}
    for it in items or []:
        if "=" not in it:
            raise CliError(f"{what} '{it}' must look like SECTOR=VALUE")
        k, v = it.rsplit("=", 1)
        try:
            out[k] = float(v)
        except ValueError:
            raise CliError(f"{what} '{it}': '{v}' is not a number") from None
        if not math.isfinite(out[k]):
            raise CliError(f"{what} '{it}': the value must be a finite number")
        if not k.strip():
            raise CliError(f"{what} '{it}': empty sector name")
    return out


# ---------------------------------------------------------------------------------------- demo
# A pandemic-style demand shock on the shipped US table: percent changes of final demand.
DEMO_SCENARIO = {"ACC": -0.40, "ART": -0.50, "TRN": -0.20, "RET": -0.10, "EDU": -0.05, "HEA": -0.05}


def cmd_demo(args) -> int:
    import numpy as np
    import pandas as pd

    from . import io

    t0 = time.perf_counter()
    table = io.load_us_bea_2017(aggregate=True)
    names = io.sector_names_us_bea_2017(aggregate=True)
    f = table.Y.drop(columns=["F05000"], errors="ignore").sum(axis=1)  # final demand net of imports row
    shock = pd.Series({s: f[s] * pct for s, pct in DEMO_SCENARIO.items()}, name="final_demand_change")
    dx = table.output_change(shock)
    va_coef = table.value_added.loc[["V00100", "V00200", "V00300"]].sum() / table.x
    comp_coef = table.value_added.loc["V00100"] / table.x
    dva = dx * va_coef
    dcomp = dx * comp_coef
    mult = table.multipliers()
    # Cost-push companion: a 20% rise in energy (mining, utilities) prices.
    dp = table.price_change_from_sector_prices({"MIN": 0.20, "UTL": 0.20})
    elapsed = time.perf_counter() - t0

    result = pd.DataFrame({
        "name": [names[s] for s in table.sectors],
        "final_demand_change": shock.reindex(table.sectors).fillna(0.0).to_numpy(),
        "output_change": dx.to_numpy(),
        "output_change_pct": 100 * dx.to_numpy() / table.x.to_numpy(),
        "value_added_change": dva.to_numpy(),
        "price_change_pct_energy": 100 * dp.to_numpy(),
    }, index=table.index)
    total_shock, total_dx = shock.sum(), dx.sum()
    summary = {
        "table": "US BEA 2017, 22 sectors (industry by industry), USD million",
        "scenario": {k: v for k, v in DEMO_SCENARIO.items()},
        "final_demand_change": total_shock,
        "output_change": total_dx,
        "output_change_pct": 100 * total_dx / table.x.sum(),
        "value_added_change": dva.sum(),
        "compensation_change": dcomp.sum(),
        "aggregate_output_multiplier": total_dx / total_shock,
        "cpi_proxy_change_pct_energy": 100 * float((dp * table.Y["F01000"]).sum() / table.Y["F01000"].sum()),
        "seconds": elapsed,
    }
    out_dir = args.out or "."
    os.makedirs(out_dir, exist_ok=True)
    png = os.path.join(out_dir, "govsim_demo.png")
    _demo_figure(result, summary, png)
    summary["chart"] = os.path.abspath(png)

    if args.json:
        _emit_json({"summary": summary, "sectors": _frame_json(result)}, args.json)
        return EXIT_OK
    print("govsim demo: a pandemic-style demand shock on the US economy (BEA 2017 input-output table)")
    print("Final demand falls: " + ", ".join(f"{names[k]} {100 * v:+.0f}%" for k, v in DEMO_SCENARIO.items()))
    print()
    print(f"  final demand change     {total_shock:14,.0f} USD million")
    print(f"  gross output change     {total_dx:14,.0f} USD million ({summary['output_change_pct']:+.2f}% of output)")
    print(f"  value added change      {dva.sum():14,.0f} USD million")
    print(f"  compensation change     {dcomp.sum():14,.0f} USD million")
    print(f"  output per unit shock   {summary['aggregate_output_multiplier']:14.3f}")
    print()
    top = result.reindex(result["output_change"].abs().sort_values(ascending=False).index)
    _print_table(top[["name", "final_demand_change", "output_change", "output_change_pct"]].head(10),
                 "Largest output losses by sector (USD million, %):", "{:,.1f}")
    _print_table(mult.sort_values("output", ascending=False)[["output"]].head(5).rename(
        index=names), "Largest output multipliers:", "{:.3f}")
    print(f"A 20% rise in mining and utilities prices raises consumer prices by "
          f"{summary['cpi_proxy_change_pct_energy']:.2f}% (cost push through the network).")
    print(f"Chart written to {png}  ({elapsed:.2f} s)")
    return EXIT_OK


def _demo_figure(result, summary, path: str) -> None:
    """Two panels: output change by sector and the energy price pass-through."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plotting import plot_output_change, plot_price_change

    fig, axes = plt.subplots(1, 2, figsize=(13, 6.5), gridspec_kw={"width_ratios": [3, 2]})
    by_name = result.set_index("name")
    plot_output_change(by_name["output_change"] / 1000, top=None, ax=axes[0], unit="USD billion",
                       title=f"Demand shock: output {summary['output_change'] / 1000:,.0f} bn "
                             f"({summary['output_change_pct']:+.1f}%)")
    plot_price_change(by_name["price_change_pct_energy"] / 100, top=None, ax=axes[1],
                      title="Cost push: mining, utilities +20%")
    for ax in axes:
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle("govsim demo - US BEA 2017 input-output table, 22 sectors")
    fig.tight_layout()
    from ._atomic import save_figure

    try:
        save_figure(fig, path, dpi=110)
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------- io
def cmd_io(args) -> int:
    import pandas as pd

    table = _load_table(args.table)
    sub = args.io_command
    if sub == "summary":
        d = table.diagnostics
        info = {
            "sectors": table.n, "regions": table.regions, "final_demand": list(table.Y.columns),
            "value_added": list(table.value_added.index), "satellite": list(table.satellite.index),
            "total_output": float(table.x.sum()), "max_row_imbalance": d.max_row_imbalance,
            "max_column_imbalance": d.max_column_imbalance, "zero_output_sectors": [table.index[i] for i in d.zero_output],
            "max_column_sum_A": d.max_column_sum_A, "nonzeros": d.nnz,
        }
        if args.json:
            _emit_json(info, args.json)
        else:
            for k, v in info.items():
                print(f"{k:22s} {v}")
        return EXIT_OK
    if sub == "shock":
        changes = _parse_assignments(args.change, "--change")
        if not changes:
            raise CliError("give at least one --change SECTOR=VALUE (final-demand change in table units)")
        dx = table.output_change(changes)
        df = pd.DataFrame({"output_change": dx, "output_change_pct": 100 * dx / table.x.where(table.x != 0)})
        payload = {"total_output_change": float(dx.sum()), "sectors": _frame_json(df)}
        if table.is_multiregional:
            reg = table.effects_by_region(changes)
            payload["by_region"] = _frame_json(reg)
        if args.json:
            _emit_json(payload, args.json)
        else:
            print(f"total output change: {dx.sum():,.3f}\n")
            _print_table(df.reindex(dx.abs().sort_values(ascending=False).index).head(args.top),
                         f"Largest {args.top} effects:")
        return EXIT_OK
    if sub == "price":
        fixed = _parse_assignments(args.change, "--change")
        if not fixed:
            raise CliError("give at least one --change SECTOR=RELATIVE_PRICE_CHANGE (0.1 = +10%)")
        dp = table.price_change_from_sector_prices(fixed)
        if args.json:
            _emit_json({"price_change": _frame_json(dp.to_frame())}, args.json)
        else:
            _print_table((100 * dp).to_frame("price_change_pct").sort_values("price_change_pct", ascending=False)
                         .head(args.top), "Price changes (%):")
        return EXIT_OK
    if sub == "multipliers":
        hh = tuple(args.households.split(",")) if args.households else None
        if hh is not None and len(hh) != 2:
            raise CliError("--households takes INCOME_ACCOUNT,CONSUMPTION_CATEGORY, e.g. V00100,F01000")
        df = table.multipliers(households=hh)
        return _show(df.sort_values("output", ascending=False), args, "Multipliers (per unit of final demand):")
    if sub == "linkages":
        df = table.linkages()
        return _show(df.sort_values("power_of_dispersion", ascending=False), args, "Linkages:")
    if sub == "extraction":
        df = table.extraction()
        return _show(df.sort_values("total", ascending=False), args, "Hypothetical extraction (output loss):")
    raise CliError(f"unknown io command {sub!r}")


def _show(df, args, title) -> int:
    if args.json:
        _emit_json(_frame_json(df), args.json)
    else:
        _print_table(df.head(args.top), title)
    return EXIT_OK


# ---------------------------------------------------------------------------------------- run
# stoch_simul options handled by `govsim run`; others are named in a warning and ignored.
_STOCH_OPTIONS = {"order", "irf", "periods", "drop", "ar", "nograph", "graph", "noprint", "nocorr", "nomoments",
                  "nofunctions", "irf_plot_threshold", "nodisplay", "graph_format", "conditional_variance_decomposition",
                  "qz_criterium"}
_DONE_COMMANDS = {"steady", "check", "stoch_simul"}


def _warn(where, msg: str) -> None:
    loc = f"{where.file}:{where.line}: " if where is not None and getattr(where, "file", "") else ""
    print(f"{loc}warning: {msg}", file=sys.stderr)


def _int_option(cmd, key, default):
    if not cmd.has_option(key):
        return default
    v = cmd.option(key)
    try:
        return int(float(v))
    except ValueError:
        raise CliError(f"{cmd.where.file}:{cmd.where.line}: {cmd.name}: option {key}={v!r} is not a number") from None


def _horizons(v: str):
    v = v.strip().strip("[]()")
    out = []
    for part in v.replace(",", " ").split():
        if ":" in part:
            a, b = part.split(":", 1)
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def _define_items(items) -> dict:
    out = {}
    for it in items or []:
        if "=" not in it:
            out[it] = "1"
        else:
            k, v = it.split("=", 1)
            out[k] = v
    return out


def _fmt_frame(df, title: str, fmt: str = "{:.6f}") -> None:
    import pandas as pd

    print(title)
    with pd.option_context("display.max_rows", 500, "display.width", 200, "display.max_columns", 50):
        print(df.to_string(float_format=lambda v: fmt.format(v)))
    print()


def _eig_table(sol):
    ev = sol.eigenvalues
    ev = ev[["modulus", "real", "imag"]].sort_values("modulus", kind="stable").reset_index(drop=True)
    ev.index = ev.index + 1
    return ev


def _bk_lines(sol) -> str:
    c = sol.core
    lines = [f"There are {c.n_explosive} eigenvalue(s) larger than 1 in modulus",
             f"for {c.n_forward} forward-looking variable(s)", ""]
    if c.ok():
        lines.append("The rank condition is verified.")
    else:
        lines.append(f"Blanchard-Kahn conditions are not satisfied ({c.status.name}).")
    return "\n".join(lines)


class RunContext:
    """What a ``govsim run`` command handler sees (see :mod:`govsim.commands`).

    Attributes: ``model`` (govsim.dsge.Model), ``args`` (parsed CLI arguments), ``quiet`` (no
    tables on stdout), ``endo_names`` (reported variables), ``include_aux``; methods
    ``steady()`` (steady-state vector, cached), ``solve(qz)`` (first-order solution, cached),
    ``add(key, obj)`` (record a JSON object; repeated keys become lists) and ``warn(where, msg)``.
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)


def cmd_run(args) -> int:
    import numpy as np

    from . import _core, dsge

    path = args.model
    if not os.path.isfile(path):
        raise CliError(f"{path}: no such file")
    defines = _define_items(args.define)
    model = dsge.Model.from_file(path, defines=defines)
    quiet = args.quiet or args.json == "-"  # JSON on stdout: no tables
    for w in model.core.warnings:
        _warn(w.where, w.message)
    include_aux = args.include_aux
    n_decl = model.core.n_declared_endo
    endo_all = model.endo_names
    endo_names = endo_all if include_aux else endo_all[:n_decl]
    out = {"endo_names": endo_names, "exo_names": model.exo_names, "param_names": model.param_names,
           "params": {k: float(v) for k, v in model.params.items()}}
    results = {}
    cache = {}

    def steady():
        if "ss" not in cache:
            r = model.steady_state_result()
            if not r.ok():
                raise _core.SolveError(r.summary())
            cache["ss"] = np.asarray(r.values)
        return cache["ss"]

    def solve(qz=1.0 + 1e-6):
        key = ("sol", qz)
        if key not in cache:
            cache[key] = model.solve(raise_on_failure=False, steady_state=steady(), qz_criterium=qz)
        return cache[key]

    def add(name, obj):
        results.setdefault(name, []).append(obj)

    def eig_json(sol):
        ev = sol.eigenvalues
        return {"real": ev["real"].tolist(), "imag": ev["imag"].tolist(), "modulus": ev["modulus"].tolist()}

    model_name = os.path.splitext(os.path.basename(path))[0]
    from . import commands as _ext

    handlers = _ext.run_handlers()
    declarative = _ext.declarative_commands()
    ctx = RunContext(model=model, args=args, quiet=quiet, endo_names=endo_names, include_aux=include_aux,
                     steady=steady, solve=solve, add=add, warn=_warn, model_name=model_name, results=results)
    for cmd in model.commands:
        name = cmd.name
        where = cmd.where
        if name in declarative:
            continue
        if name in handlers and (name not in _DONE_COMMANDS or name == "stoch_simul" and
                                 _int_option(cmd, "order", 2) != 1):
            handlers[name](ctx, cmd)
            continue
        if name not in _DONE_COMMANDS:
            _warn(where, f"command '{name}' is not implemented yet: skipped")
            continue
        if name == "steady":
            ss = steady()
            if not quiet:
                import pandas as pd
                _fmt_frame(pd.DataFrame({"value": ss[: len(endo_names)]}, index=endo_names),
                           "STEADY-STATE RESULTS:")
            add("steady", {"steady_state": ss[: len(endo_names)].tolist()})
        elif name == "check":
            sol = solve()
            if not quiet:
                _fmt_frame(_eig_table(sol), "EIGENVALUES:")
                print(_bk_lines(sol) + "\n")
            add("check", {"eigenvalues": eig_json(sol), "n_explosive": sol.n_explosive, "n_forward": sol.n_forward,
                          "blanchard_kahn_ok": bool(sol.ok()), "status": sol.status.name})
            if not sol.ok():
                raise _core.SolveError(f"{where.file}:{where.line}: check: {sol.status.name}: {sol.message}")
        elif name == "stoch_simul":
            unsupported = [k for k, _ in cmd.options if k not in _STOCH_OPTIONS]
            if unsupported:
                _warn(where, "stoch_simul: unsupported option(s) ignored: " + ", ".join(unsupported))
            order = _int_option(cmd, "order", 2)
            if order != 1:
                _warn(where, f"stoch_simul(order={order}) is not implemented yet (only order=1): skipped")
                continue
            irf_periods = _int_option(cmd, "irf", 40)
            periods = _int_option(cmd, "periods", 0)
            drop = _int_option(cmd, "drop", 100)
            ar = _int_option(cmd, "ar", 5)
            threshold = float(cmd.option("irf_plot_threshold")) if cmd.has_option("irf_plot_threshold") else 1e-10
            qz = float(cmd.option("qz_criterium")) if cmd.has_option("qz_criterium") else 1.0 + 1e-6
            nograph = cmd.has_option("nograph") and not cmd.has_option("graph")
            noprint = cmd.has_option("noprint") or quiet
            var_list = list(cmd.args) or endo_names
            unknown = [v for v in var_list if v not in endo_all]
            if unknown:
                raise CliError(f"{where.file}:{where.line}: stoch_simul: unknown variable(s) {', '.join(unknown)}")
            sol = solve(qz)
            if not sol.ok():
                raise _core.SolveError(f"{where.file}:{where.line}: stoch_simul: {sol.status.name}: {sol.message}")
            n = len(endo_names)
            ghx = np.asarray(sol.core.ghx)[:n]
            ghu = np.asarray(sol.core.ghu)[:n]
            block = {"endo_names": endo_names, "exo_names": sol.exo_names,
                     "steady_state": np.asarray(sol.core.steady_state)[:n].tolist(),
                     "state_names": sol.state_names, "ghx": ghx.tolist(), "ghu": ghu.tolist(),
                     "eigenvalues": eig_json(sol), "n_explosive": sol.n_explosive, "n_forward": sol.n_forward,
                     "options": {k: v for k, v in cmd.options}, "var_list": var_list}
            if not noprint:
                _print_policy(sol, n, endo_names)
            # IRFs (all declared variables, or all with --include-aux)
            irfs = None
            if irf_periods > 0:
                irfs = sol.irf(periods=irf_periods, include_auxiliary=include_aux, as_dict=True)
                block["irfs"] = {s: {v: df[v].tolist() for v in df.columns} for s, df in irfs.items()}
            # theoretical moments
            mo = None
            if not cmd.has_option("nomoments"):
                try:
                    mo = sol.moments(ar=ar, include_auxiliary=include_aux)
                except _core.SolveError as e:  # unit root: IRFs and decision rules are still valid
                    _warn(where, f"stoch_simul: theoretical moments not computed: {e}")
            if mo is not None:
                vl = var_list
                block["moments"] = {
                    "var_list": vl,
                    "mean": mo.mean[vl].tolist(),
                    "std": mo.std[vl].tolist(),
                    "var": mo.var.loc[vl, vl].to_numpy().tolist(),
                    "correlation": mo.correlation.loc[vl, vl].to_numpy().tolist(),
                    "autocorr": {str(k): a.loc[vl, vl].to_numpy().tolist() for k, a in mo.autocorrelation.items()},
                }
                if mo.variance_decomposition is not None:
                    block["moments"]["variance_decomposition"] = mo.variance_decomposition.loc[vl].to_numpy().tolist()
                    block["moments"]["variance_decomposition_cols"] = sol.exo_names
                if not noprint:
                    _print_moments(mo, vl, nocorr=cmd.has_option("nocorr"))
            if cmd.has_option("conditional_variance_decomposition"):
                hs = _horizons(cmd.option("conditional_variance_decomposition"))
                cvd = sol.conditional_variance_decomposition(hs)
                block["conditional_variance_decomposition"] = {
                    "horizons": hs, "cols": sol.exo_names,
                    "values": {str(h): cvd.loc[h].loc[var_list].to_numpy().tolist() for h in hs}}
                if not noprint:
                    _fmt_frame(cvd, "CONDITIONAL VARIANCE DECOMPOSITION (in percent)", "{:.2f}")
            if periods > 0:
                sim = sol.simulate(periods=periods, drop=drop, seed=args.seed, include_auxiliary=include_aux)
                block["simulation"] = {"periods": periods, "drop": drop, "seed": args.seed,
                                       "var_names": list(sim.columns), "endo": sim.to_numpy().tolist()}
                if not noprint:
                    d = sim[var_list]
                    _fmt_frame(d.agg(["mean", "std", "var"]).T, "MOMENTS OF SIMULATED VARIABLES")
            if args.irf_png and irfs:
                from .plotting import plot_irf
                import pandas as pd

                os.makedirs(args.irf_png, exist_ok=True)
                for s, df in irfs.items():
                    keep = [v for v in var_list if v in df.columns and df[v].abs().max() >= threshold]
                    if not keep:
                        continue
                    fig = plot_irf(df[keep], title=f"{model_name}: responses to {s}",
                                   path=os.path.join(args.irf_png, f"{model_name}_IRF_{s}.png"))
                    import matplotlib.pyplot as plt
                    plt.close(fig)
            elif not nograph and irfs and not quiet:
                print("(IRF charts: use --irf-png DIR)\n")
            add("stoch_simul", block)
    out["steady_state"] = steady()[: len(endo_names)].tolist()
    for k, v in results.items():
        out[k] = v[0] if len(v) == 1 else v
    if args.json:
        _emit_json(out, args.json)
    return EXIT_OK


def _print_policy(sol, n, names) -> None:
    import numpy as np
    import pandas as pd

    c = sol.core
    rows = {}
    ss = np.asarray(c.steady_state)[:n]
    rows["Constant"] = ss
    ghx, ghu = np.asarray(c.ghx)[:n], np.asarray(c.ghu)[:n]
    for j, s in enumerate(sol.state_names):
        rows[f"{s}(-1)"] = ghx[:, j]
    for j, e in enumerate(sol.exo_names):
        rows[e] = ghu[:, j]
    df = pd.DataFrame(rows, index=names).T
    df = df.where(df.abs() >= 1e-10, 0.0) if len(df) else df
    _fmt_frame(df, "POLICY AND TRANSITION FUNCTIONS")


def _print_moments(mo, vl, nocorr=False) -> None:
    _fmt_frame(mo.summary().loc[vl].rename(columns={"mean": "MEAN", "std": "STD. DEV.", "variance": "VARIANCE"}),
               "THEORETICAL MOMENTS")
    if mo.variance_decomposition is not None:
        _fmt_frame(mo.variance_decomposition.loc[vl], "VARIANCE DECOMPOSITION (in percent)", "{:.2f}")
    if not nocorr:
        _fmt_frame(mo.correlation.loc[vl, vl], "MATRIX OF CORRELATIONS", "{:.4f}")
    if len(mo.autocorr.columns):
        _fmt_frame(mo.autocorr.loc[vl], "COEFFICIENTS OF AUTOCORRELATION (by lag)", "{:.4f}")


# ---------------------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(prog="govsim", description="Policy simulation of whole economies: input-output "
                                "and DSGE models.")
    p.add_argument("--version", action="version", version=f"govsim {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    d = sub.add_parser("demo", help="shock simulation on the shipped US table, with a PNG chart")
    d.add_argument("--out", help="folder for the chart (default: current folder)")
    d.add_argument("--json", nargs="?", const="-", metavar="FILE", help="machine-readable results")
    d.set_defaults(func=cmd_demo)

    io = sub.add_parser("io", help="input-output analysis")
    iosub = io.add_subparsers(dest="io_command", metavar="IO_COMMAND")
    iosub.required = True
    s = iosub.add_parser("summary", help="size, balance and productivity of a table")
    _add_table_arg(s)
    s = iosub.add_parser("shock", help="output change for final-demand changes")
    _add_table_arg(s)
    s.add_argument("--change", action="append", metavar="SECTOR=VALUE",
                   help="final-demand change of a sector, in table units (repeatable)")
    s.add_argument("--top", type=int, default=15)
    s = iosub.add_parser("price", help="price changes when some sectors' prices are set (cost push)")
    _add_table_arg(s)
    s.add_argument("--change", action="append", metavar="SECTOR=CHANGE", help="relative price change, 0.1 = +10%")
    s.add_argument("--top", type=int, default=15)
    s = iosub.add_parser("multipliers", help="output, value-added and satellite multipliers")
    _add_table_arg(s)
    s.add_argument("--households", metavar="INCOME,CONSUMPTION", help="type II: e.g. V00100,F01000")
    s.add_argument("--top", type=int, default=15)
    s = iosub.add_parser("linkages", help="backward/forward linkages and key sectors")
    _add_table_arg(s)
    s.add_argument("--top", type=int, default=15)
    s = iosub.add_parser("extraction", help="hypothetical extraction of every sector")
    _add_table_arg(s)
    s.add_argument("--top", type=int, default=15)
    io.set_defaults(func=cmd_io)
    from . import commands as _ext

    for mod in _ext.modules():
        if hasattr(mod, "add_io_parser"):
            mod.add_io_parser(iosub)

    r = sub.add_parser("run", help="run a Dynare .mod file (steady, check, stoch_simul at order 1)")
    r.add_argument("model", help="the .mod file")
    r.add_argument("--json", metavar="FILE", help="write the results as JSON ('-' for stdout)")
    r.add_argument("--irf-png", metavar="DIR", help="write IRF charts as PNG files into DIR")
    r.add_argument("-D", dest="define", action="append", metavar="NAME=VALUE", help="macro definition (repeatable)")
    r.add_argument("--include-aux", action="store_true", help="also report auxiliary variables")
    r.add_argument("--seed", type=int, default=1, help="seed of stoch_simul(periods=...) simulations (default 1)")
    r.add_argument("-q", "--quiet", action="store_true", help="no tables on stdout")
    r.set_defaults(func=cmd_run)
    for mod in _ext.modules():
        if hasattr(mod, "add_parser"):
            mod.add_parser(sub)
    return p


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    if isinstance(e, KeyError) and len(e.args) == 1:
        text = f"unknown name {e.args[0]!r}"
    return text.splitlines()[0] if text else type(e).__name__


def main(argv: Optional[list] = None) -> int:
    """Run the command line; returns the exit status.

    Exit status: 0 success; 2 bad input (usage, unreadable or invalid files and options, an
    output that cannot be written); 3 numerical failure (a solver, an optimizer or the memory
    needed); 130 interrupted (Ctrl-C). Errors print one line on stderr, never a traceback
    (``GOVSIM_DEBUG=1`` shows it).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    from . import _core
    from ._atomic import OutputError

    debug = os.environ.get("GOVSIM_DEBUG", "") not in ("", "0")
    try:
        return args.func(args)
    except CliError as e:
        print(f"govsim: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except _core.SolveError as e:
        print(f"govsim: numerical failure: {e}", file=sys.stderr)
        return EXIT_NUMERICAL
    except KeyboardInterrupt:
        print("govsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OutputError as e:
        if debug:
            raise
        print(f"govsim: error: {_first_line(e)}", file=sys.stderr)
        return EXIT_USAGE
    except (MemoryError, RecursionError, FloatingPointError, ArithmeticError) as e:
        if debug:
            raise
        what = "not enough memory" if isinstance(e, MemoryError) else _first_line(e)
        print(f"govsim: numerical failure: {what}", file=sys.stderr)
        return EXIT_NUMERICAL
    except (_core.GovsimError, OSError, ValueError, LookupError, TypeError, AttributeError,
            UnicodeError) as e:
        if debug:
            raise
        msg = _first_line(e)
        if isinstance(e, OSError) and getattr(e, "filename", None) and e.strerror:
            msg = f"{e.filename}: {e.strerror}"
        print(f"govsim: error: {msg}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # a bug: still one line and a documented status
        if debug:
            raise
        print(f"govsim: internal error: {type(e).__name__}: {_first_line(e)} (GOVSIM_DEBUG=1 shows the "
              f"traceback)", file=sys.stderr)
        return EXIT_NUMERICAL


if __name__ == "__main__":
    # Run through the imported module, so that plug-ins raising govsim.cli.CliError are caught
    # (under `python -m govsim.cli` this file is also loaded as __main__, a different module).
    from govsim.cli import main as _main

    sys.exit(_main())
