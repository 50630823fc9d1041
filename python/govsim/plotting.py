"""Charts for input-output results (multipliers, linkages, output and price changes).

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
"""
from __future__ import annotations

import os
import sys
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd

__all__ = ["plot_multipliers", "plot_linkages", "plot_output_change", "plot_price_change", "plot_irf"]

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


def _finish(fig, path: Optional[Union[str, os.PathLike]]):
    if path is not None:
        fig.savefig(os.fspath(path), dpi=120, bbox_inches="tight", format="png")
    return fig


def _label(key) -> str:
    """Axis label of a row key: "region/sector" for MultiIndex keys, shortened if long."""
    s = "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
    return s if len(s) <= _MAX_LABEL else s[: _MAX_LABEL - 1] + "\u2026"


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
          figsize=None):
    """Horizontal bars, largest at the top; negative bars in a second colour."""
    s = pd.Series(np.asarray(s, dtype=float), index=s.index).dropna()
    if top is not None:
        if top < 1:
            raise ValueError(f"top must be >= 1, got {top}")
        order = s.abs() if by_magnitude else s
        s = s.loc[order.sort_values(ascending=False).index[:top]]
    s = (s.loc[s.abs().sort_values().index] if by_magnitude else s.sort_values())
    if figsize is None:
        figsize = (8.0, max(2.5, 0.32 * len(s) + 1.2))
    fig, ax = _figure_and_axes(ax, figsize)
    colors = np.where(s.to_numpy() < 0, "#c0392b", "#2e86c1")
    ax.barh([_label(k) for k in s.index], s.to_numpy(), color=colors)
    ax.axvline(0.0, color="0.3", linewidth=0.8)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return _finish(fig, path)


def plot_multipliers(data, column: str = "output", top: Optional[int] = 15, ax=None, path=None,
                     title: Optional[str] = None):
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

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    if hasattr(data, "multipliers") and callable(data.multipliers):
        data = data.multipliers()
    s = _as_series(data, column if isinstance(data, pd.DataFrame) else None, "plot_multipliers")
    name = column if isinstance(data, pd.DataFrame) else (s.name or "multiplier")
    return _hbar(s, top=top, by_magnitude=False, ax=ax, path=path,
                 title=title if title is not None else f"{str(name).replace('_', ' ')} multipliers",
                 xlabel="per unit of final demand")


def plot_linkages(linkages: pd.DataFrame, label: Union[str, Sequence[str]] = "key", ax=None, path=None,
                  title: Optional[str] = "Backward and forward linkages"):
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
    fig, ax = _figure_and_axes(ax, (7.5, 6.0))
    fwd = linkages["forward_normalized"].to_numpy(dtype=float)
    bwd = linkages["power_of_dispersion"].to_numpy(dtype=float)
    cls = (linkages["classification"].astype(str).to_numpy() if "classification" in linkages.columns
           else np.where((fwd > 1) & (bwd > 1), "key", "other"))
    colors = {"key": "#c0392b", "backward-oriented": "#2e86c1", "forward-oriented": "#27ae60", "weak": "0.6"}
    for c in dict.fromkeys(cls):
        sel = cls == c
        ax.scatter(fwd[sel], bwd[sel], s=36, color=colors.get(c, "0.4"), label=c, alpha=0.85,
                   edgecolor="white", linewidth=0.5)
    ax.axvline(1.0, color="0.3", linewidth=0.8, linestyle="--")
    ax.axhline(1.0, color="0.3", linewidth=0.8, linestyle="--")
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
    for k, xv, yv, s in zip(linkages.index, fwd, bwd, show):
        if s:
            ax.annotate(_label(k), (xv, yv), xytext=(4, 3), textcoords="offset points", fontsize=8)
    ax.set_xlabel("forward linkage (Ghosh row sums / mean)")
    ax.set_ylabel("power of dispersion (Leontief column sums / mean)")
    ax.text(0.99, 0.99, "key sectors", transform=ax.transAxes, ha="right", va="top", fontsize=8, color="0.35")
    ax.text(0.01, 0.01, "weak", transform=ax.transAxes, ha="left", va="bottom", fontsize=8, color="0.35")
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return _finish(fig, path)


def plot_output_change(change, top: Optional[int] = 15, column: Optional[str] = None, ax=None, path=None,
                       title: Optional[str] = "Change in gross output", unit: str = ""):
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
        Unit written on the value axis (e.g. the table's ``unit``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    s = _as_series(change, column, "plot_output_change")
    return _hbar(s, top=top, by_magnitude=True, ax=ax, path=path, title=title,
                 xlabel=f"output change ({unit})" if unit else "output change")


def plot_price_change(change, top: Optional[int] = 15, column: Optional[str] = None, ax=None, path=None,
                      title: Optional[str] = "Price change", percent: bool = True):
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

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on.
    """
    s = _as_series(change, column, "plot_price_change")
    if percent:
        s = s * 100.0
    return _hbar(s, top=top, by_magnitude=True, ax=ax, path=path, title=title,
                 xlabel="price change (%)" if percent else "price change (relative)")


def plot_irf(irfs, variables: Optional[Sequence[str]] = None, shocks: Optional[Sequence[str]] = None, ncols: int = 3,
             title: Optional[str] = None, path=None, figsize=None, threshold: float = 0.0):
    """Impulse responses on a grid of subplots, one per variable (Dynare's IRF charts).

    ``irfs`` is what :meth:`govsim.dsge.PerturbationResult.irf` returns: a DataFrame with
    MultiIndex columns (shock, variable) (one line per shock in each panel), a DataFrame with
    variable columns (one line per panel, e.g. a single shock or a shock path), or a dict
    shock -> DataFrame. ``variables``/``shocks`` select and order the panels and lines; variables
    whose largest absolute response is below ``threshold`` are left out (Dynare's
    ``irf_plot_threshold``). Returns the Figure; with ``path`` also saves it as a PNG.

    >>> sol = govsim.dsge.Model.from_file("nk.mod").solve()
    >>> fig = plot_irf(sol.irf(periods=20), path="irf.png")
    """
    if isinstance(irfs, dict):
        irfs = pd.concat(irfs, axis=1, names=["shock", "variable"])
    if isinstance(irfs, pd.Series):
        irfs = irfs.to_frame()
    if not isinstance(irfs, pd.DataFrame):
        raise TypeError(f"plot_irf: expected a DataFrame or a dict of DataFrames, got {type(irfs).__name__}")
    if isinstance(irfs.columns, pd.MultiIndex):
        shock_list = list(dict.fromkeys(irfs.columns.get_level_values(0)))
        var_all = list(dict.fromkeys(irfs.columns.get_level_values(1)))
        if shocks is not None:
            missing = [s for s in shocks if s not in shock_list]
            if missing:
                raise KeyError(f"plot_irf: no shock(s) {missing}; available: {shock_list}")
            shock_list = list(shocks)
        lines = lambda v: [(s, irfs[(s, v)]) for s in shock_list if (s, v) in irfs.columns]  # noqa: E731
    else:
        shock_list = [None]
        var_all = list(irfs.columns)
        lines = lambda v: [(None, irfs[v])]  # noqa: E731
    if variables is not None:
        missing = [v for v in variables if v not in var_all]
        if missing:
            raise KeyError(f"plot_irf: no variable(s) {missing}; available: {var_all}")
        var_all = list(variables)
    var_list = [v for v in var_all if any(np.nanmax(np.abs(x.to_numpy(dtype=float))) >= threshold
                                          for _, x in lines(v) if len(x))]
    if not var_list:
        raise ValueError("plot_irf: no response to plot (all below the threshold?)")
    ncols = max(1, min(ncols, len(var_list)))
    nrows = -(-len(var_list) // ncols)
    plt = _pyplot()
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (3.6 * ncols, 2.6 * nrows), squeeze=False)
    for k, v in enumerate(var_list):
        ax = axes[k // ncols][k % ncols]
        for s, x in lines(v):
            ax.plot(x.index, x.to_numpy(dtype=float), label=str(s) if s is not None else None, linewidth=1.6)
        ax.axhline(0.0, color="black", linewidth=0.7)
        ax.set_title(str(v))
        ax.grid(alpha=0.3)
    for k in range(len(var_list), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if shock_list != [None] and len(shock_list) > 1:
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6), frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.05 if len(shock_list) > 1 else 0, 1, 1))
    return _finish(fig, path)
