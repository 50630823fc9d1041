"""Public helpers for ``govsim`` command-line plug-ins (modules in :mod:`govsim.commands`).

A plug-in adds subcommands with ``add_parser(subparsers)`` / ``add_io_parser(io_subparsers)``
and uses these helpers for a consistent interface: :class:`CliError` for bad input (exit status 2
with a one-line ``govsim: error: ...``), the exit codes, ``--table``/``--json`` arguments, tables
printed like the built-in commands and JSON written as ``--json`` documents.

``python -m govsim.cli_support irf-png SPEC.json`` draws the IRF charts of ``govsim run
--irf-png DIR`` with matplotlib: SPEC is a list of ``{"title", "path", "series": {var: values}}``.
"""
from __future__ import annotations

import json
import math
import os
import sys

EXIT_OK, EXIT_USAGE, EXIT_NUMERICAL, EXIT_INTERRUPTED = 0, 2, 3, 130

__all__ = ["CliError", "EXIT_OK", "EXIT_USAGE", "EXIT_NUMERICAL", "EXIT_INTERRUPTED", "clean", "emit_json", "frame_json", "print_table",
           "load_table", "add_table_arg", "parse_assignments"]


class CliError(Exception):
    """Bad input detected by a command: ``govsim: error: <message>``, exit status 2."""


def clean(v):
    """JSON-safe values: NaN/Inf -> None, numpy -> Python."""
    import numpy as np

    if isinstance(v, dict):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if isinstance(v, np.ndarray):
        return clean(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


def emit_json(payload: dict, target: str) -> None:
    """Write ``payload`` as indented JSON to ``target`` ('-' = stdout)."""
    text = json.dumps(clean(payload), indent=1, allow_nan=False)
    if target == "-":
        sys.stdout.write(text + "\n")
    else:
        from ._atomic import atomic_write

        atomic_write(target, text + "\n")


def frame_json(df) -> dict:
    """A DataFrame as ``{"index": [...], "columns": [...], "data": rows}``."""
    idx = ["/".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in df.index]
    return {"index": idx, "columns": [str(c) for c in df.columns], "data": df.to_numpy().tolist()}


def print_table(df, title: str, fmt: str = "{:,.3f}") -> None:
    """Print a titled table with a number format."""
    import pandas as pd

    print(title)
    with pd.option_context("display.max_rows", 200, "display.width", 160, "display.max_columns", 20):
        print(df.to_string(float_format=lambda v: fmt.format(v)))
    print()


def load_table(spec: str):
    """An IO table from ``--table``: 'us' (22 sectors), 'us-detail' (402 industries) or a CSV folder."""
    from . import io

    if spec in ("us", "us-22"):
        return io.load_us_bea_2017(aggregate=True)
    if spec in ("us-detail", "us-402"):
        return io.load_us_bea_2017()
    if os.path.isdir(spec):
        return io.read_csv_folder(spec)
    raise CliError(f"unknown table '{spec}': use 'us' (22 sectors), 'us-detail' (402 industries) or a folder "
                   f"with Z.csv and Y.csv")


def add_table_arg(p) -> None:
    """Add ``--table`` and ``--json [FILE]`` to an argparse parser."""
    p.add_argument("--table", default="us",
                   help="'us' (BEA 2017, 22 sectors; default), 'us-detail' (402 industries) or a CSV folder")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE",
                   help="write machine-readable results (to stdout when FILE is omitted)")


def parse_assignments(items, what: str) -> dict:
    """``['MFC=-100', 'AGR=5']`` -> ``{'MFC': -100.0, 'AGR': 5.0}``; CliError on bad items."""
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


def _irf_png(spec_path: str) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from .plotting import plot_irf

    with open(spec_path) as f:
        charts = json.load(f)
    for c in charts:
        series = {k: [math.nan if v is None else v for v in vals] for k, vals in c["series"].items()}
        if c.get("kind") == "forecast":
            _forecast_png(c["title"], c["path"], series)
            continue
        df = pd.DataFrame(series)
        df.index = pd.RangeIndex(1, len(df) + 1, name="period")
        fig = plot_irf(df, title=c["title"], path=c["path"])
        plt.close(fig)
    return EXIT_OK


def _forecast_png(title: str, path: str, series: dict) -> None:
    """Fan chart of a conditional forecast (Dynare's plot_conditional_forecast figure): shaded
    conditional band, conditional mean (solid), unconditional mean and band (dashed)."""
    import matplotlib.pyplot as plt

    from ._atomic import save_figure

    t = list(range(1, len(series["conditional mean"]) + 1))
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    ax.fill_between(t, series["conditional lower"], series["conditional upper"], color="0.85",
                    label="conditional band")
    ax.plot(t, series["conditional mean"], "-k", lw=2.5, label="conditional mean")
    ax.plot(t, series["unconditional mean"], "--k", lw=2.0, label="unconditional mean")
    ax.plot(t, series["unconditional lower"], "--k", lw=0.8, label="unconditional band")
    ax.plot(t, series["unconditional upper"], "--k", lw=0.8)
    ax.set_xlabel("period")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path, dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "irf-png":
        sys.exit(_irf_png(sys.argv[2]))
    print("usage: python -m govsim.cli_support irf-png SPEC.json", file=sys.stderr)
    sys.exit(EXIT_USAGE)
