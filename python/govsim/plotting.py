"""Charts: input-output results (multipliers, linkages, output and price changes), impulse
responses, MCMC traces, prior/posterior densities and historical shock decompositions.

matplotlib is imported only when a function is called, so ``import govsim`` never needs it.
Without a display (no ``DISPLAY`` and no ``MPLBACKEND`` set, as on CI machines) the
non-interactive Agg backend is selected; inside Jupyter the notebook's inline backend is kept.

Every function draws on ``ax`` when given (so charts can be combined in subplots), otherwise
on a new figure; it returns the :class:`matplotlib.figure.Figure` and, with ``path``, also
saves it as a PNG.

Examples
--------
>>> import govsim as gs
>>> from govsim import plotting
>>> t = gs.io.load_us_bea_2017(aggregate=True, names=True)
>>> fig = plotting.plot_multipliers(t, top=10, path="multipliers.png")
>>> fig = plotting.plot_linkages(t.linkages())

Estimation results (see :mod:`govsim.estimation`):

>>> res = est.mcmc(chains=2, draws=3000)
>>> fig = plotting.plot_trace(res)                      # chains, burn-in shaded
>>> fig = plotting.plot_posterior(res)                  # densities, priors dashed, mode
>>> fig = plotting.plot_shock_decomposition(est.shock_decomposition("y"), last=60)
"""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd

from ._deprecated import renamed_arguments

__all__ = ["plot_multipliers", "plot_linkages", "plot_output_change", "plot_price_change", "plot_irf", "plot_trace",
           "plot_posterior", "plot_shock_decomposition", "plot_lines", "abbreviate"]

_MAX_LABEL = 45  # characters shown of a sector name on an axis


def _pyplot():
    """Import pyplot, choosing Agg when there is no display and no backend was requested."""
    import matplotlib

    if ("matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
            and sys.platform.startswith("linux")):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _figure_and_axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def _legend_room(fig, inches: float = 0.7) -> float:
    """Fraction of the figure height kept free at the bottom for a figure legend with a title."""
    return min(0.3, inches / fig.get_figheight())


def _finish(fig, path: Optional[Union[str, os.PathLike]]):
    if path is not None:
        from ._atomic import save_figure

        save_figure(fig, path, dpi=120, bbox_inches="tight", format="png")
    return fig


def _label(key) -> str:
    """Axis label of a row key: "region/sector" for MultiIndex keys, shortened if long."""
    s = _full_label(key)
    return s if len(s) <= _MAX_LABEL else s[: _MAX_LABEL - 1] + "\u2026"


def _full_label(key) -> str:
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


_STOP_WORDS = {"and", "of", "the", "for", "in", "on", "to", "with", "from", "by", "a", "an", "n.e.c.", "nec",
               "other", "except"}


def _word_prefix(body: str, room: int, others: Sequence[str]) -> str:
    """``body`` cut at the last word boundary within ``room`` characters (or the first one), with
    more words taken while another label in ``others`` starts with the cut; an ellipsis marks a cut."""
    import re

    ends = [m.start() for m in re.finditer(r"\s", body)] + [len(body)]
    first = max([i for i, e in enumerate(ends) if e <= room] or [0])
    for e in ends[first:]:
        if e >= len(body):
            return body
        words = body[:e].split()
        while len(words) > 1 and words[-1].strip(",;:&").lower() in _STOP_WORDS:
            words.pop()
        cand = " ".join(words).rstrip(" ,;:-&(")
        if cand and not any(o != body and o.startswith(cand) for o in others):
            return cand + "\u2026"
    return body


def abbreviate(labels: Sequence, max_len: int = 24) -> dict:
    """Short, unique labels for long ones: ``{full label: short label}``.

    Labels of at most ``max_len`` characters are kept. A longer label is cut at a word boundary
    after about ``max_len`` characters, taking more words where needed to tell it from the other
    labels, and ends in an ellipsis (``"Manufacturing: metals, machinery, electronics"`` ->
    ``"Manufacturing: metals\u2026"``); a code in parentheses at the end is kept after the cut
    name (``"Electricity, gas, steam and air conditioning (D35)"`` -> ``"Electricity, gas\u2026 (D35)"``);
    a region prefix of a (region, sector) key is kept whole. Remaining clashes get a numeric
    suffix. Charts show the short labels and a key mapping them back to the full names.
    """
    import re

    items = []
    for key in labels:
        full = _full_label(key)
        prefix, body = "", full
        if isinstance(key, tuple) and len(key) > 1:
            prefix = "/".join(str(k) for k in key[:-1]) + "/"
            body = str(key[-1])
        code = re.search(r"\s*\(([A-Za-z0-9_.\-]{1,10})\)\s*$", body)
        suffix = f" ({code.group(1)})" if code else ""
        if code:
            body = body[: code.start()]
        items.append((full, prefix, body, suffix))
    bodies = [b for _, _, b, _ in items]
    out, used = {}, set()
    for full, prefix, body, suffix in items:
        if full in out:
            continue
        if len(full) <= max_len:
            short = full
        else:
            room = max(8, max_len - len(prefix) - len(suffix) - 1)
            short = prefix + _word_prefix(body, room, bodies) + suffix
        base, k = short, 2
        while short in used:
            short, k = f"{base}{k}", k + 1
        used.add(short)
        out[full] = short
    return out


def _add_key(ax, mapping: dict, title: str = "full names", fontsize: float = 7.0) -> None:
    """A key beside ``ax`` (right) mapping the abbreviations used on the axis to the full names."""
    from matplotlib.patches import Rectangle

    pairs = [(a, f) for f, a in mapping.items() if a != f]
    if not pairs:
        return
    handles = [Rectangle((0, 0), 0, 0, visible=False) for _ in pairs]
    leg = ax.legend(handles, [f"{a} = {f}" for a, f in pairs], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                    fontsize=fontsize, title=title, title_fontsize=fontsize + 0.5, handlelength=0,
                    handletextpad=0, frameon=False, borderaxespad=0.0)
    leg._govsim_key = True  # marks the legend as the abbreviation key (used by the tests)


def _axis_labels(keys, labels: str, max_len: int):
    """Tick labels for ``keys`` and the abbreviation mapping (empty when none is needed)."""
    if labels not in ("auto", "full", "abbreviate", "truncate"):
        raise ValueError(f"labels must be 'auto', 'full', 'abbreviate' or 'truncate', got {labels!r}")
    if labels == "truncate":
        return [_label(k) for k in keys], {}
    full = [_full_label(k) for k in keys]
    if labels == "full" or (labels == "auto" and all(len(f) <= max_len for f in full)):
        return full, {}
    mapping = abbreviate(list(keys), max_len=0 if labels == "abbreviate" else max_len)
    return [mapping[f] for f in full], {f: mapping[f] for f in full if mapping[f] != f}


def _as_series(data, column: Optional[str], what: str) -> pd.Series:
    """One labelled column of results out of a Series or DataFrame."""
    if isinstance(data, pd.Series):
        return data
    if isinstance(data, pd.DataFrame):
        if column is None:
            if data.shape[1] != 1:
                raise ValueError(f"{what}: the DataFrame has {data.shape[1]} columns "
                                 f"({list(data.columns)[:5]}); choose one with column=...")
            column = data.columns[0]
        if column not in data.columns:
            raise KeyError(f"{what}: no column {column!r}; available: {list(data.columns)}")
        return data[column]
    raise TypeError(f"{what}: expected a pandas Series or DataFrame, got {type(data).__name__}")


def _hbar(s: pd.Series, *, top: Optional[int], by_magnitude: bool, ax, path, title: str, xlabel: str,
          figsize=None, labels: str = "auto", max_label: int = 28):
    """Horizontal bars, largest at the top; negative bars in a second colour. Long sector names
    are abbreviated (``labels="auto"``) with a key beside the chart."""
    s = pd.Series(np.asarray(s, dtype=float), index=s.index).dropna()
    if top is not None:
        if top < 1:
            raise ValueError(f"top must be >= 1, got {top}")
        order = s.abs() if by_magnitude else s
        s = s.loc[order.sort_values(ascending=False).index[:top]]
    s = (s.loc[s.abs().sort_values().index] if by_magnitude else s.sort_values())
    if labels == "auto" and ax is not None:
        labels = "truncate"   # no room for a key beside axes the caller laid out: names cut at 45 characters
    ticks, mapping = _axis_labels(s.index, labels, max_label)
    if figsize is None:
        figsize = (8.0 + (3.5 if mapping else 0.0), max(2.5, 0.32 * len(s) + 1.2))
    fig, ax = _figure_and_axes(ax, figsize)
    colors = np.where(s.to_numpy() < 0, "#c0392b", "#2e86c1")
    ax.barh(range(len(s)), s.to_numpy(), color=colors)
    ax.set_yticks(range(len(s)))
    ax.set_yticklabels(ticks)
    ax.axvline(0.0, color="0.3", linewidth=0.8)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    if mapping:
        _add_key(ax, dict(reversed(list(mapping.items()))))  # top bar first in the key
    fig.tight_layout()
    return _finish(fig, path)


def plot_multipliers(data, column: str = "output", top: Optional[int] = 15, ax=None, path=None,
                     title: Optional[str] = None, unit: Optional[str] = None, labels: str = "auto"):
    """Bar chart of the sectors with the largest multipliers.

    Parameters
    ----------
    data : DataFrame, Series or IOTable
        The result of :meth:`govsim.io.IOTable.multipliers` (one row per sector), one of its
        columns, or a table (its simple multipliers are computed).
    column : str, default "output"
        Which multiplier to show when ``data`` has several columns (``"output"``,
        ``"value_added"``, a satellite account...).
    top : int or None, default 15
        Number of sectors shown (the largest); None shows all.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    path : str or path-like, optional
        Save the figure as a PNG there.
    title : str, optional
        Chart title (default: "<column> multipliers").
    unit : str, optional
        Value-axis label (default: output and value-added multipliers are "per unit of final
        demand"; satellite multipliers "<account> per unit of final demand").
    labels : {"auto", "full", "abbreviate", "truncate"}, default "auto"
        Sector names longer than 28 characters are abbreviated on the axis, with a key beside
        the chart ("auto" on a new figure; on a given ``ax`` "auto" cuts names at 45 characters
        instead, as there is no room for a key); "full" keeps every name, "abbreviate" shortens
        them and adds the key, "truncate" cuts them.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    if hasattr(data, "multipliers") and callable(data.multipliers):
        data = data.multipliers()
    s = _as_series(data, column if isinstance(data, pd.DataFrame) else None, "plot_multipliers")
    name = column if isinstance(data, pd.DataFrame) else (s.name or "multiplier")
    pretty = str(name).replace("_", " ")
    if unit is None:
        unit = ("output per unit of final demand" if pretty in ("output", "multiplier", "simple", "total")
                else f"{pretty} per unit of final demand")
    return _hbar(s, top=top, by_magnitude=False, ax=ax, path=path,
                 title=title if title is not None else f"{pretty.capitalize()} multipliers", xlabel=unit, labels=labels)


def plot_linkages(linkages: pd.DataFrame, label: Union[str, Sequence[str]] = "key", ax=None, path=None,
                  title: Optional[str] = "Backward and forward linkages", labels: str = "auto"):
    """Key-sector chart: Rasmussen power of dispersion against normalized forward linkage.

    Sectors right of the vertical line at 1 sell more than average to other sectors (forward
    linkage, Ghosh); sectors above the horizontal line at 1 buy more than average (backward
    linkage, Leontief). The upper-right quadrant holds the key sectors.

    Parameters
    ----------
    linkages : DataFrame
        The result of :meth:`govsim.io.IOTable.linkages`, with columns ``power_of_dispersion``,
        ``forward_normalized`` and (for ``label="key"``) ``classification``.
    label : {"key", "all", "none"} or sequence of str, default "key"
        Which points get a text label: key sectors only, every sector, none, or the listed
        sectors.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    path : str or path-like, optional
        Save the figure as a PNG there.
    title : str, optional
        Chart title.
    labels : {"auto", "full", "abbreviate"}, default "auto"
        Point labels longer than 20 characters are abbreviated, with a key beside the chart
        (on a given ``ax``, "auto" cuts them at 45 characters instead).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    if not isinstance(linkages, pd.DataFrame):
        raise TypeError("plot_linkages: expected the DataFrame returned by IOTable.linkages()")
    missing = [c for c in ("power_of_dispersion", "forward_normalized") if c not in linkages.columns]
    if missing:
        raise KeyError(f"plot_linkages: missing column(s) {missing}; pass IOTable.linkages()")
    fwd = linkages["forward_normalized"].to_numpy(dtype=float)
    bwd = linkages["power_of_dispersion"].to_numpy(dtype=float)
    cls = (linkages["classification"].astype(str).to_numpy() if "classification" in linkages.columns
           else np.where((fwd > 1) & (bwd > 1), "key", "other"))
    if isinstance(label, str):
        if label == "key":
            show = cls == "key"
        elif label == "all":
            show = np.ones(len(cls), dtype=bool)
        elif label == "none":
            show = np.zeros(len(cls), dtype=bool)
        else:
            raise ValueError(f"plot_linkages: label must be 'key', 'all', 'none' or a list of sectors, got {label!r}")
    else:
        wanted = {_label(k) for k in label} | {str(k) for k in label}
        show = np.array([_label(k) in wanted or str(k) in wanted for k in linkages.index])
    shown = [k for k, sh in zip(linkages.index, show) if sh]
    if labels == "auto" and ax is not None:
        labels = "truncate"   # no room for a key beside axes the caller laid out
    ticks, mapping = _axis_labels(shown, labels, 20)
    short = dict(zip([_full_label(k) for k in shown], ticks))
    fig, ax = _figure_and_axes(ax, (10.5, 6.0) if mapping else (7.5, 6.0))
    colors = {"key": "#c0392b", "backward-oriented": "#2e86c1", "forward-oriented": "#27ae60", "weak": "0.6"}
    for c in dict.fromkeys(cls):
        sel = cls == c
        ax.scatter(fwd[sel], bwd[sel], s=36, color=colors.get(c, "0.4"), label=c, alpha=0.85,
                   edgecolor="white", linewidth=0.5)
    ax.axvline(1.0, color="0.3", linewidth=0.8, linestyle="--")
    ax.axhline(1.0, color="0.3", linewidth=0.8, linestyle="--")
    for k, xv, yv, sh in zip(linkages.index, fwd, bwd, show):
        if sh:
            ax.annotate(short[_full_label(k)], (xv, yv), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.set_xlabel("forward linkage (Ghosh row sum / mean of row sums; 1 = average)")
    ax.set_ylabel("backward linkage: power of dispersion\n(Leontief column sum / mean; 1 = average)")
    ax.text(0.99, 0.99, "key sectors", transform=ax.transAxes, ha="right", va="top", fontsize=8, color="0.35")
    ax.text(0.01, 0.01, "weak", transform=ax.transAxes, ha="left", va="bottom", fontsize=8, color="0.35")
    classes = ax.legend(fontsize=8, loc="lower right", frameon=False)
    if mapping:
        ax.add_artist(classes)
        _add_key(ax, mapping)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return _finish(fig, path)


def plot_output_change(change, top: Optional[int] = 15, column: Optional[str] = None, ax=None, path=None,
                       title: Optional[str] = "Change in gross output", unit: str = "", labels: str = "auto"):
    """Horizontal bars of the sectors whose output changes most.

    Parameters
    ----------
    change : Series or DataFrame
        The result of :meth:`govsim.io.IOTable.output_change` (or any per-sector values); a
        DataFrame needs ``column`` unless it has a single column.
    top : int or None, default 15
        Number of sectors shown, those with the largest absolute change; None shows all.
    column : str, optional
        Scenario (column) to show when ``change`` is a DataFrame.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    path : str or path-like, optional
        Save the figure as a PNG there.
    title : str, optional
        Chart title.
    unit : str, optional
        Unit written on the value axis (e.g. the table's ``unit``); without it the axis says
        "table units".
    labels : {"auto", "full", "abbreviate"}, default "auto"
        Long sector names abbreviated with a key beside the chart (see :func:`plot_multipliers`).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    s = _as_series(change, column, "plot_output_change")
    return _hbar(s, top=top, by_magnitude=True, ax=ax, path=path, title=title,
                 xlabel=f"output change ({unit or 'table units'})", labels=labels)


def plot_price_change(change, top: Optional[int] = 15, column: Optional[str] = None, ax=None, path=None,
                      title: Optional[str] = "Price change", percent: bool = True, labels: str = "auto"):
    """Horizontal bars of the sectors whose prices rise (or fall) most.

    Parameters
    ----------
    change : Series or DataFrame
        Relative price changes (0.01 = +1%), e.g. from
        :meth:`govsim.io.IOTable.price_change_from_sector_prices`.
    top : int or None, default 15
        Number of sectors shown, those with the largest absolute change; None shows all.
    column : str, optional
        Scenario (column) to show when ``change`` is a DataFrame.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    path : str or path-like, optional
        Save the figure as a PNG there.
    title : str, optional
        Chart title.
    percent : bool, default True
        Show the changes in percent (multiplied by 100).
    labels : {"auto", "full", "abbreviate"}, default "auto"
        Long sector names abbreviated with a key beside the chart (see :func:`plot_multipliers`).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    s = _as_series(change, column, "plot_price_change")
    if percent:
        s = s * 100.0
    return _hbar(s, top=top, by_magnitude=True, ax=ax, path=path, title=title,
                 xlabel="price change (%)" if percent else "price change (relative, 0.01 = 1%)", labels=labels)


def _irf_columns(irfs, shock_name):
    """(shock list, variable list, lines(v) -> [(shock, Series)]) of an IRF DataFrame/dict."""
    if isinstance(irfs, dict):
        irfs = pd.concat(irfs, axis=1, names=["shock", "variable"])
    if isinstance(irfs, pd.Series):
        irfs = irfs.to_frame()
    if not isinstance(irfs, pd.DataFrame):
        raise TypeError(f"plot_irf: expected a DataFrame or a dict of DataFrames, got {type(irfs).__name__}")
    if isinstance(irfs.columns, pd.MultiIndex):
        shock_list = list(dict.fromkeys(irfs.columns.get_level_values(0)))
        var_all = list(dict.fromkeys(irfs.columns.get_level_values(1)))
        lines = lambda v, sl: [(s, irfs[(s, v)]) for s in sl if (s, v) in irfs.columns]  # noqa: E731
    else:
        shock_list = [shock_name if shock_name is not None else irfs.attrs.get("shock")]
        var_all = list(irfs.columns)
        lines = lambda v, sl: [(shock_list[0], irfs[v])]  # noqa: E731
    return irfs, shock_list, var_all, lines


def plot_irf(irfs, variables: Optional[Sequence[str]] = None, shocks: Optional[Sequence[str]] = None, ncols: int = 3,
             title: Optional[str] = None, path=None, figsize=None, threshold: float = 0.0, by: str = "variable",
             unit: str = "deviation from steady state", period_label: str = "period (1 = impact)",
             shock: Optional[str] = None, legend_title: str = "shock"):
    """Impulse responses on a grid of subplots (Dynare's IRF charts).

    ``irfs`` is what :meth:`govsim.dsge.PerturbationResult.irf` returns: a DataFrame with
    MultiIndex columns (shock, variable), a DataFrame with variable columns (a single shock, whose
    name is taken from ``shock`` or ``irfs.attrs["shock"]``, or a shock path), or a dict
    shock -> DataFrame. ``variables``/``shocks`` select and order the panels and lines; variables
    whose largest absolute response is below ``threshold`` are left out (Dynare's
    ``irf_plot_threshold``).

    Layout: ``by="variable"`` (default) draws one panel per variable titled by the variable, with
    one line per shock (legend titled "shock") or, for a single shock, the figure titled
    "Responses to <shock>"; ``by="shock"`` draws a grid with one row per shock and one column per
    variable, each panel titled "<variable> to <shock>". The value axis says ``unit``, the time
    axis ``period_label``. A dict of scenarios (e.g. the same shock path under two policies) is
    drawn the same way; ``legend_title`` then names what the lines are. Returns the Figure; with ``path`` also saves it as a PNG.

    >>> sol = govsim.dsge.Model.from_file("nk.mod").solve()
    >>> fig = plot_irf(sol.irf(periods=20), path="irf.png")
    """
    if by not in ("variable", "shock"):
        raise ValueError(f"plot_irf: by must be 'variable' or 'shock', got {by!r}")
    irfs, shock_list, var_all, lines = _irf_columns(irfs, shock)
    if shocks is not None:
        missing = [s for s in shocks if s not in shock_list]
        if missing:
            raise KeyError(f"plot_irf: no shock(s) {missing}; available: {shock_list}")
        shock_list = list(shocks)
    if variables is not None:
        missing = [v for v in variables if v not in var_all]
        if missing:
            raise KeyError(f"plot_irf: no variable(s) {missing}; available: {var_all}")
        var_all = list(variables)
    var_list = [v for v in var_all if any(np.nanmax(np.abs(x.to_numpy(dtype=float))) >= threshold
                                          for _, x in lines(v, shock_list) if len(x))]
    if not var_list:
        raise ValueError("plot_irf: no response to plot (all below the threshold?)")
    plt = _pyplot()
    single = len(shock_list) == 1
    if by == "shock":
        panels = [(s, v) for s in shock_list for v in var_list]
        ncols = len(var_list)
    else:
        panels = [(None, v) for v in var_list]
        ncols = max(1, min(ncols, len(var_list)))
    nrows = -(-len(panels) // ncols)
    legend = by == "variable" and not single
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (3.6 * ncols, 2.7 * nrows + (0.7 if legend else 0.0)),
                             squeeze=False)
    for k, (sel, v) in enumerate(panels):
        ax = axes[k // ncols][k % ncols]
        for s, x in lines(v, shock_list if sel is None else [sel]):
            ax.plot(x.index, x.to_numpy(dtype=float), label=str(s) if s is not None else None, linewidth=1.6)
        ax.axhline(0.0, color="black", linewidth=0.7)
        if by == "shock":
            ax.set_title(f"{v} to {sel}" if sel is not None else str(v), fontsize=10)
        else:
            ax.set_title(str(v), fontsize=10)
        ax.grid(alpha=0.3)
        if k % ncols == 0:
            ax.set_ylabel(unit, fontsize=8)
        if k // ncols == nrows - 1 or k + ncols >= len(panels):
            ax.set_xlabel(period_label, fontsize=8)
    for k in range(len(panels), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if legend:
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False, title=legend_title,
                   title_fontsize=9)
    heading = title
    if single and shock_list[0] is not None and legend_title == "shock":
        what = f"Responses to {shock_list[0]}"
        heading = f"{title}: {what.lower()}" if title and str(shock_list[0]) not in title else (title or what)
    if heading:
        fig.suptitle(heading)
    fig.tight_layout(rect=(0, _legend_room(fig) if legend else 0, 1, 1))
    return _finish(fig, path)


# ------------------------------------------------------------------------------------------------
# Estimation: MCMC traces, posterior densities, shock decompositions
# ------------------------------------------------------------------------------------------------
def _param_grid(n: int, ncols: int, width: float = 3.8, height: float = 2.7, figsize=None):
    plt = _pyplot()
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (width * ncols, height * nrows + 0.7), squeeze=False)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    return fig, [axes[k // ncols][k % ncols] for k in range(n)]


def _select_params(names, params, what):
    if params is None:
        return list(names)
    if isinstance(params, str):
        params = [params]
    missing = [p for p in params if p not in names]
    if missing:
        raise KeyError(f"{what}: no parameter(s) {missing}; available: {list(names)}")
    return list(params)


@renamed_arguments(params="param_names")
def plot_trace(draws, param_names: Optional[Sequence[str]] = None, burnin: float = 0.0, ncols: int = 2,
               title: Optional[str] = "MCMC traces", path=None, figsize=None):
    """Trace plots: the value of each parameter against the draw number, one line per chain.

    ``draws`` is the draws DataFrame of :meth:`govsim.estimation.Estimator.mcmc` ((chain, draw)
    index, one column per parameter), a McmcResult, or an array (chains, draws, parameters).
    The burn-in (first ``burnin`` fraction of each chain) is shaded grey. One panel per
    parameter, titled by the parameter; ``param_names`` selects the parameters (default all).
    Returns the Figure (PNG at ``path`` when given).
    """
    from ._display import chains_array

    if hasattr(draws, "draws") and hasattr(draws, "burnin"):
        burnin = draws.burnin if burnin == 0.0 else burnin
        draws = draws.draws
    arr, names = chains_array(draws, 0.0)
    sel = _select_params(names, param_names, "plot_trace")
    fig, axes = _param_grid(len(sel), ncols, width=5.0, height=2.4, figsize=figsize)
    n = arr.shape[1]
    cut = int(np.floor(burnin * n))
    for ax, p in zip(axes, sel):
        j = names.index(p)
        for c in range(arr.shape[0]):
            ax.plot(np.arange(n), arr[c, :, j], linewidth=0.5, alpha=0.85, label=f"chain {c}")
        if cut > 0:
            ax.axvspan(0, cut, color="0.85", zorder=0, label="burn-in")
        ax.set_title(p, fontsize=10)
        ax.set_xlabel("draw", fontsize=8)
        ax.set_ylabel("value", fontsize=8)
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, _legend_room(fig), 1, 1))
    return _finish(fig, path)


def _kde(x: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density of ``x`` on ``grid`` (Silverman's rule-of-thumb bandwidth)."""
    x = np.asarray(x, float)
    sd = x.std(ddof=1)
    iqr = np.subtract(*np.quantile(x, [0.75, 0.25]))
    h = 0.9 * min(sd, iqr / 1.34 if iqr > 0 else sd) * len(x) ** (-0.2)
    if not h > 0:
        return np.zeros_like(grid)
    out = np.zeros_like(grid, dtype=float)
    for start in range(0, len(x), 4096):   # blocks keep memory at 4096 x len(grid)
        z = (grid[None, :] - x[start:start + 4096, None]) / h
        out += np.exp(-0.5 * z * z).sum(axis=0)
    return out / (len(x) * h * np.sqrt(2.0 * np.pi))


def _prior_density(prior, grid: np.ndarray) -> np.ndarray:
    """Prior density on ``grid`` from a govsim Prior (``log_pdf``) or a callable pdf."""
    if hasattr(prior, "log_pdf"):
        with np.errstate(over="ignore"):
            return np.array([np.exp(prior.log_pdf(float(g))) for g in grid])
    if callable(prior):
        return np.asarray([float(prior(float(g))) for g in grid])
    raise TypeError(f"prior must be a govsim Prior or a callable pdf, got {type(prior).__name__}")


def _prior_range(prior):
    """(lower, upper) holding the bulk of a govsim Prior (mean +- 4 sd within the support, trimmed
    where the density is below 1% of its peak, so heavy tails do not squash the chart), or None."""
    mean, sd = getattr(prior, "mean", None), getattr(prior, "std", None)
    if mean is None or sd is None or not np.isfinite(mean) or not sd > 0:
        return None
    lo = max(mean - 4.0 * sd, getattr(prior, "lower", -np.inf))
    hi = min(mean + 4.0 * sd, getattr(prior, "upper", np.inf))
    if not hi > lo:
        return None
    grid = np.linspace(lo, hi, 400)
    dens = _prior_density(prior, grid)
    keep = np.nonzero(np.isfinite(dens) & (dens >= 0.01 * np.nanmax(dens)))[0]
    return (grid[keep[0]], grid[keep[-1]]) if keep.size else (lo, hi)


@renamed_arguments(params="param_names")
def plot_posterior(draws, param_names: Optional[Sequence[str]] = None, burnin: float = 0.0, priors=None, mode=None,
                   ncols: int = 3, bins: int = 40, title: Optional[str] = "Priors and posteriors", path=None,
                   figsize=None, prior_range: bool = True):
    """Posterior densities (histogram and kernel density of the draws after burn-in) with the
    prior density (dashed) and the mode (vertical line), one panel per parameter (Dynare's
    prior/posterior chart).

    ``draws``: the draws DataFrame of :meth:`govsim.estimation.Estimator.mcmc`, a McmcResult
    (then burn-in, priors and mode come with it), or an array (chains, draws, parameters).
    ``priors``: dict parameter -> govsim ``Prior`` (``Estimator.priors()``) or a callable pdf.
    ``mode``: Series or mode table (``Estimator.mode()``). With ``prior_range`` the x axis
    covers the prior's mean +- 3 sd as well as the draws. ``param_names`` selects the parameters
    (default all). Returns the Figure.
    """
    from ._display import chains_array

    if hasattr(draws, "draws") and hasattr(draws, "burnin"):
        burnin = draws.burnin if burnin == 0.0 else burnin
        priors = draws.priors if priors is None else priors
        mode = draws.mode if mode is None else mode
        draws = draws.draws
    arr, names = chains_array(draws, burnin)
    sel = _select_params(names, param_names, "plot_posterior")
    if isinstance(mode, pd.DataFrame):
        mode = mode["mode"]
    priors = dict(priors or {})
    fig, axes = _param_grid(len(sel), ncols, figsize=figsize)
    for ax, p in zip(axes, sel):
        x = arr[:, :, names.index(p)].ravel()
        lo, hi = float(np.min(x)), float(np.max(x))
        pr = priors.get(p)
        if pr is not None and prior_range:
            rng = _prior_range(pr)
            if rng is not None:
                lo, hi = min(lo, rng[0]), max(hi, rng[1])
        pad = 0.05 * (hi - lo if hi > lo else 1.0)
        grid = np.linspace(lo - pad, hi + pad, 300)
        ax.hist(x, bins=bins, density=True, color="#aed6f1", edgecolor="white", linewidth=0.3, label="posterior draws")
        ax.plot(grid, _kde(x, grid), color="#1f618d", linewidth=1.6, label="posterior (kernel density)")
        if pr is not None:
            ax.plot(grid, _prior_density(pr, grid), color="0.25", linestyle="--", linewidth=1.2, label="prior")
        if mode is not None and p in getattr(mode, "index", []):
            ax.axvline(float(mode[p]), color="#c0392b", linewidth=1.0, label="mode")
        ax.set_title(p, fontsize=10)
        ax.set_xlabel("parameter value", fontsize=8)
        ax.set_ylabel("density", fontsize=8)
        ax.set_xlim(grid[0], grid[-1])
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:   # a parameter without prior on the first panel must not hide the prior's entry
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False, fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, _legend_room(fig), 1, 1))
    return _finish(fig, path)


def plot_shock_decomposition(decomposition: pd.DataFrame, variable: Optional[str] = None, last: Optional[int] = None,
                             ax=None, path=None, title: Optional[str] = None,
                             unit: str = "deviation from steady state", colors=None):
    """Historical shock decomposition: stacked bars of each shock's contribution (positive ones
    stacked upwards, negative ones downwards) and a line of the variable (their sum).

    ``decomposition`` is :meth:`govsim.estimation.Estimator.shock_decomposition` (rows: periods,
    columns: shocks and ``initial``); ``variable`` names the decomposed variable in the title and
    legend; ``last`` keeps the last periods only. Returns the Figure.
    """
    if not isinstance(decomposition, pd.DataFrame) or decomposition.shape[1] == 0:
        raise TypeError("plot_shock_decomposition: expected the DataFrame of Estimator.shock_decomposition()")
    d = decomposition.astype(float)
    if last is not None:
        if last < 1:
            raise ValueError(f"last must be >= 1, got {last}")
        d = d.iloc[-int(last):]
    variable = variable or decomposition.attrs.get("variable") or "variable"
    fig, ax = _figure_and_axes(ax, (max(8.0, min(16.0, 0.16 * len(d) + 4.0)), 4.0))
    x = np.arange(len(d))
    pos_base, neg_base = np.zeros(len(d)), np.zeros(len(d))
    palette = colors or {}
    cycle = ["#2e86c1", "#e67e22", "#27ae60", "#c0392b", "#8e44ad", "#16a085", "#d4ac0d", "#7f8c8d",
             "#34495e", "#e84393"]
    for k, col in enumerate(d.columns):
        v = d[col].to_numpy()
        color = palette.get(col, "0.7" if str(col) == "initial" else cycle[k % len(cycle)])
        pos, neg = np.clip(v, 0, None), np.clip(v, None, 0)
        ax.bar(x, pos, bottom=pos_base, width=0.85, color=color, label=str(col) if str(col) != "initial"
               else "initial values")
        ax.bar(x, neg, bottom=neg_base, width=0.85, color=color)
        pos_base += pos
        neg_base += neg
    ax.plot(x, d.sum(axis=1).to_numpy(), color="black", linewidth=1.4, label=f"{variable} (sum)")
    ax.axhline(0.0, color="0.3", linewidth=0.7)
    step = max(1, len(d) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([str(i) for i in d.index[::step]], rotation=45 if len(str(d.index[-1])) > 4 else 0,
                       ha="right" if len(str(d.index[-1])) > 4 else "center", fontsize=8)
    ax.set_xlim(-0.6, len(d) - 0.4)
    ax.set_xlabel(str(d.index.name) if d.index.name else "period")
    ax.set_ylabel(f"{variable}: {unit}")
    ax.set_title(title or f"Historical shock decomposition of {variable}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title="contribution",
              title_fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return _finish(fig, path)


def plot_lines(frame: pd.DataFrame, ax=None, path=None, title: Optional[str] = None, xlabel: str = "",
               ylabel: str = "", legend_title: Optional[str] = None, figsize=(9.0, 4.5)):
    """Line chart of the columns of ``frame`` against its index, with readable legend labels
    ("region/sector" for MultiIndex columns instead of tuples) in a legend outside the axes.
    Used by the dynamic IO and network charts. Returns the Figure."""
    fig, ax = _figure_and_axes(ax, figsize)
    for col in frame.columns:
        ax.plot(frame.index, frame[col].to_numpy(dtype=float), linewidth=1.5, label=_full_label(col))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    if len(frame.columns) > 1 or legend_title:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, title=legend_title,
                  title_fontsize=8)
    fig.tight_layout()
    return _finish(fig, path)
