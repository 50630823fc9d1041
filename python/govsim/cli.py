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
    govsim run model.mod --json out.json --irf-png charts/   Dynare .mod: every command, in order

The ``govsim`` program is native (apps/govsim.cpp): it executes ``run`` itself (the command
interpreter govsim::dsge::run_commands and its renderer) and hands every other subcommand to
this module. ``python -m govsim.cli run ...`` starts the native program. Plug-ins in
:mod:`govsim.commands` add subcommands using the helpers of :mod:`govsim.cli_support`.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional

from .cli_support import (EXIT_INTERRUPTED, EXIT_NUMERICAL, EXIT_OK, EXIT_USAGE, CliError, add_table_arg, clean,
                          emit_json, frame_json, load_table, parse_assignments, print_table)

# Former private names, kept for plug-ins written against them (use govsim.cli_support).
_clean, _emit_json, _frame_json, _print_table = clean, emit_json, frame_json, print_table
_load_table, _add_table_arg, _parse_assignments = load_table, add_table_arg, parse_assignments


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
def _native_program() -> str:
    """The native ``govsim`` program (which executes ``run``)."""
    try:
        from ._paths import GOVSIM_PROGRAM
    except ImportError:  # a package copied without its configured _paths.py
        GOVSIM_PROGRAM = ""
    if GOVSIM_PROGRAM and os.access(GOVSIM_PROGRAM, os.X_OK):
        return GOVSIM_PROGRAM
    import shutil

    found = shutil.which("govsim")
    if not found:
        raise CliError("the native govsim program is not installed (it runs `govsim run`)")
    return found


def cmd_run(args) -> int:
    """``govsim run``: executed by the native program."""
    prog = _native_program()
    sys.stdout.flush()
    os.execv(prog, [prog, "run", *args.run_args])
    return EXIT_USAGE  # not reached


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

    r = sub.add_parser("run", add_help=False,
                       help="run a Dynare .mod file (steady, check, stoch_simul, osr, estimation, perfect foresight); "
                            "`govsim run --help` for its options")
    r.add_argument("run_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
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
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["run"]:  # executed by the native program, options and all
        try:
            return cmd_run(argparse.Namespace(run_args=argv[1:]))
        except CliError as e:
            print(f"govsim: error: {e}", file=sys.stderr)
            return EXIT_USAGE
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
