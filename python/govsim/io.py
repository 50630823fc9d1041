"""Input-output analysis with labelled pandas results.

The heavy lifting happens in C++ (``govsim._core.io``): ``I - A`` is factored once (LAPACK LU
for dense tables, sparse LU for large sparse ones) and reused by every method of
:class:`IOTable`. Results are pandas objects labelled by sector, or by (region, sector) for
multi-regional tables.

Examples
--------
>>> import govsim as gs
>>> t = gs.io.load_us_bea_2017(aggregate=True)
>>> dx = t.output_change({"MFC": -10_000})       # a USD 10 bn fall in final demand
>>> t.multipliers().sort_values("output", ascending=False).head()
"""
from __future__ import annotations

import os
from typing import Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._core import DataError, DimensionError

_cio = _core.io

ArrayLike = Union[np.ndarray, pd.DataFrame, pd.Series, Sequence, Mapping]

__all__ = [
    "IOTable",
    "from_make_use",
    "load_us_bea_2017",
    "data_dir",
    "read_csv_folder",
    "classify_primary_input_row",
    "sector_names_us_bea_2017",
]


def data_dir() -> str:
    """Folder with the shipped data (the US BEA 2017 tables)."""
    env = os.environ.get("GOVSIM_DATA_DIR")
    if env:
        return env
    from ._paths import DATA_DIR

    return DATA_DIR


def _as_matrix(a, name: str) -> np.ndarray:
    m = np.asarray(a, dtype=float)
    if m.ndim == 1:
        m = m.reshape(-1, 1)
    if m.ndim != 2:
        raise DimensionError(f"{name} must be a vector or a matrix, got {m.ndim} dimensions")
    return np.asfortranarray(m)


def _labels_of(df) -> list:
    return [str(v) for v in df]


def _label_keys(index) -> list:
    """Labels of a pandas axis as comparable keys: str, or a tuple of str for a MultiIndex."""
    if isinstance(index, pd.MultiIndex):
        return [tuple(str(v) for v in t) for t in index]
    return [str(v) for v in index]


def _is_positional(index) -> bool:
    """True for pandas' default 0..n-1 RangeIndex: the axis carries no labels, so it is read by
    position."""
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _show_keys(keys, limit: int = 8) -> str:
    shown = ["/".join(k) if isinstance(k, tuple) else k for k in keys[:limit]]
    more = f" and {len(keys) - limit} more" if len(keys) > limit else ""
    return ", ".join(repr(s) for s in shown) + more


def _align_axis(obj, axis: int, target: list, what: str):
    """Reorder ``obj`` (a DataFrame, or a Series when ``axis == 0``) along ``axis`` to the
    labels ``target`` (keys as returned by :func:`_label_keys`).

    Labelled tables are aligned by label, never by position: labels that are missing, extra or
    repeated raise :class:`DataError` naming them. An axis with pandas' default RangeIndex
    carries no labels and is kept in its order (its length is checked later).
    """
    index = obj.index if axis == 0 else obj.columns
    if _is_positional(index):
        return obj
    keys = _label_keys(index)
    if keys == target:
        return obj
    seen, dup = set(), []
    for k in keys:
        if k in seen:
            dup.append(k)
        seen.add(k)
    if dup:
        raise DataError(f"{what}: duplicate label {_show_keys(dup)}")
    tset = set(target)
    missing = [k for k in target if k not in seen]
    extra = [k for k in keys if k not in tset]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {_show_keys(missing)}")
        if extra:
            parts.append(f"not in the table's sectors {_show_keys(extra)}")
        raise DataError(f"{what} do not match the row labels of Z: " + "; ".join(parts))
    pos = {k: i for i, k in enumerate(keys)}
    order = [pos[k] for k in target]
    return obj.iloc[order] if axis == 0 else obj.iloc[:, order]


def _align_accounts(rows, target: list, n: int, what: str):
    """Align an account block (rows = accounts, columns = sectors) to the sector labels; a
    Series, or a one-column DataFrame indexed by sector, is one account."""
    if isinstance(rows, pd.Series):
        return _align_axis(rows, 0, target, what)
    if isinstance(rows, pd.DataFrame):
        if rows.shape[1] == 1 and n != 1 and not _is_positional(rows.index) and \
                set(_label_keys(rows.index)) == set(target):
            return _align_axis(rows, 0, target, what)
        return _align_axis(rows, 1, target, what)
    return rows


def _account_rows(rows, names, n: int, what: str) -> tuple:
    """Rows of an account block (value added or satellite) as an m x n matrix and m names.

    Accepts a DataFrame (rows = accounts, names from its index), a Series or vector (one
    account), or an array; an n x 1 column is read as one account.
    """
    if isinstance(rows, pd.Series):
        rows = rows.to_frame().T
    if isinstance(rows, pd.DataFrame) and names is None:
        names = _labels_of(rows.index)
    m = _as_matrix(rows, what)
    if m.shape[0] == n and m.shape[1] == 1 and n != 1:
        m = np.asfortranarray(m.T)
    names = list(names) if names is not None else [f"{what}_{i}" for i in range(m.shape[0])]
    return m, names


class IOTable:
    """An input-output table with labels, validated on construction.

    Parameters
    ----------
    Z : array or DataFrame, n x n
        Intermediate flows: row i sells to column j.
    Y : array or DataFrame, n x k
        Final demand by category (columns). A vector is one category.
    x : array or Series, optional
        Gross output; by default the row sums of Z plus Y.
    sectors : list of str, optional
        Sector names (taken from a DataFrame's index when omitted).
    regions : list of str, optional
        Region of each row for a multi-regional table. A DataFrame with a two-level
        (region, sector) index provides both.
    final_demand : list of str, optional
        Final-demand category names (DataFrame columns when omitted).
    final_demand_regions : list of str, optional
        Region owning each final-demand column (MRIO footprints). A two-level column
        index (region, category) on Y provides it.
    value_added, satellite : array or DataFrame, m x n, optional
        Primary-input rows (compensation, taxes, surplus, imports) and satellite accounts
        (employment, emissions); the DataFrame index gives their names.
    sparse : bool
        Store Z sparse (for large sparse tables: memory O(nnz)).
    max_relative_imbalance : float
        Reject tables whose rows are unbalanced beyond this relative tolerance
        (default: accept and report in :attr:`diagnostics`).

    Raises
    ------
    DimensionError, DataError, ModelError
        Inconsistent shapes or labels; NaN/Inf or negative output (naming the entry); a
        spectral radius of A at or above one (naming the sectors).
    """

    def __init__(self, Z, Y=None, x=None, *, sectors=None, regions=None, final_demand=None,
                 final_demand_regions=None, value_added=None, value_added_names=None, satellite=None,
                 satellite_names=None, unit: str = "", sparse: bool = False,
                 max_relative_imbalance: float = float("inf"), _core_table=None):
        if _core_table is not None:
            self._t = _core_table
            self._model = None
            return
        d = _cio.IOTableData()
        if isinstance(Z, pd.DataFrame):
            idx = Z.index
            if sectors is None:
                if isinstance(idx, pd.MultiIndex) and idx.nlevels == 2:
                    regions = [str(r) for r in idx.get_level_values(0)] if regions is None else regions
                    sectors = [str(s) for s in idx.get_level_values(1)]
                else:
                    sectors = _labels_of(idx)
        n = np.shape(Z)[0]
        if sectors is None:
            sectors = [f"s{i}" for i in range(n)]
        # Align every labelled block to the row labels of Z (or to sectors/regions for an
        # unlabelled Z): labels, never positions, say which sector an entry belongs to.
        target = None
        if isinstance(Z, pd.DataFrame) and not _is_positional(Z.index):
            target = _label_keys(Z.index)
        elif regions is not None:
            target = [(str(r), str(s)) for r, s in zip(regions, sectors)]
        else:
            target = [str(s) for s in sectors]
        seen, dup = set(), []
        for k in target:
            if k in seen and k not in dup:
                dup.append(k)
            seen.add(k)
        if dup:
            raise DataError(f"Z rows: duplicate label {_show_keys(dup)}")
        if isinstance(Z, pd.DataFrame):
            Z = _align_axis(Z, 1, target, "Z columns")
        if isinstance(Y, (pd.DataFrame, pd.Series)):
            Y = _align_axis(Y, 0, target, "Y rows")
        if isinstance(x, pd.Series):
            x = _align_axis(x, 0, target, "x")
        value_added = _align_accounts(value_added, target, n, "value_added columns")
        satellite = _align_accounts(satellite, target, n, "satellite columns")
        if sparse:
            try:
                import scipy.sparse as sp
            except ImportError as e:  # pragma: no cover
                raise ImportError("sparse tables need scipy (Debian: python3-scipy)") from e
            d.Z_sparse = sp.csc_matrix(Z.values if isinstance(Z, pd.DataFrame) else Z, dtype=float)
        else:
            d.Z = _as_matrix(Z, "Z")
        if Y is None:
            Y = np.zeros((n, 0))
        if isinstance(Y, pd.Series):
            Y = Y.to_frame(Y.name or "final_demand")
        if isinstance(Y, pd.DataFrame):
            cols = Y.columns
            if final_demand is None:
                if isinstance(cols, pd.MultiIndex) and cols.nlevels == 2:
                    final_demand_regions = ([str(r) for r in cols.get_level_values(0)]
                                            if final_demand_regions is None else final_demand_regions)
                    final_demand = [f"{r}/{c}" for r, c in cols]
                else:
                    final_demand = _labels_of(cols)
        d.Y = _as_matrix(Y, "Y")
        if x is not None:
            d.x = np.asarray(x, dtype=float).ravel()
        d.sectors = [str(s) for s in sectors]
        d.regions = [str(r) for r in regions] if regions is not None else []
        d.final_demand = [str(s) for s in final_demand] if final_demand is not None else []
        d.final_demand_regions = [str(r) for r in final_demand_regions] if final_demand_regions is not None else []
        if value_added is not None:
            d.value_added, d.value_added_names = _account_rows(value_added, value_added_names, n, "value_added")
        if satellite is not None:
            d.satellite, d.satellite_names = _account_rows(satellite, satellite_names, n, "satellite")
        d.unit = unit
        opts = _cio.IOTableOptions()
        opts.max_relative_imbalance = max_relative_imbalance
        self._t = _cio.IOTable(d, opts)
        self._model = None

    # ------------------------------------------------------------------ labels and data
    @property
    def core(self):
        """The underlying ``govsim._core.io.IOTable``."""
        return self._t

    @property
    def n(self) -> int:
        """Number of (region, sector) rows."""
        return self._t.n

    @property
    def index(self) -> pd.Index:
        """Row labels: sector names, or a (region, sector) MultiIndex for an MRIO table."""
        if self._t.is_multiregional:
            return pd.MultiIndex.from_arrays([self._t.regions, self._t.sectors], names=["region", "sector"])
        return pd.Index(self._t.sectors, name="sector")

    @property
    def sectors(self) -> list:
        return list(self._t.sectors)

    @property
    def regions(self) -> list:
        """Distinct regions in order (empty for a single-region table)."""
        return list(self._t.region_list())

    @property
    def is_multiregional(self) -> bool:
        return self._t.is_multiregional

    @property
    def unit(self) -> str:
        return self._t.unit

    @property
    def diagnostics(self):
        """Balance, zero-output sectors and productivity found at construction."""
        return self._t.diagnostics

    def spectral_radius(self) -> float:
        """Spectral radius of A (of |A| if A has negative entries), by power iteration."""
        return self._t.spectral_radius().estimate

    @property
    def Z(self) -> pd.DataFrame:
        return pd.DataFrame(self._t.Z, index=self.index, columns=self.index)

    @property
    def Y(self) -> pd.DataFrame:
        return pd.DataFrame(self._t.Y, index=self.index, columns=list(self._t.final_demand_names))

    @property
    def x(self) -> pd.Series:
        return pd.Series(self._t.x, index=self.index, name="gross_output")

    @property
    def value_added(self) -> pd.DataFrame:
        return pd.DataFrame(self._t.value_added, index=list(self._t.value_added_names), columns=self.index)

    @property
    def satellite(self) -> pd.DataFrame:
        return pd.DataFrame(self._t.satellite, index=list(self._t.satellite_names), columns=self.index)

    @property
    def A(self) -> pd.DataFrame:
        """Technical coefficients A = Z x^-1."""
        return pd.DataFrame(self._t.A(), index=self.index, columns=self.index)

    @property
    def B(self) -> pd.DataFrame:
        """Allocation (Ghosh) coefficients B = x^-1 Z."""
        return pd.DataFrame(self._t.B(), index=self.index, columns=self.index)

    def primary_inputs(self) -> pd.Series:
        """x minus column sums of Z: all primary inputs, imports included (the v of x' = v'G)."""
        return pd.Series(self._t.primary_inputs(), index=self.index, name="primary_inputs")

    def __repr__(self) -> str:
        return repr(self._t)

    def _repr_html_(self) -> str:
        from ._display import iotable_html

        return iotable_html(self)

    # ------------------------------------------------------------------ the model
    @property
    def leontief(self):
        """The factored ``I - A`` (``govsim._core.io.LeontiefModel``), built on first use."""
        if self._model is None:
            self._model = _cio.LeontiefModel(self._t)
            if not self._model.ok():
                raise _core.SolveError(f"I - A cannot be factored: {self._model.message}")
        return self._model

    def _vectors(self, shock, name: str) -> tuple:
        """Turn a shock given as dict/Series/DataFrame/array into an n x k matrix and its columns."""
        n = self.n

        def number(key, value):
            try:
                f = float(value)
            except (TypeError, ValueError):
                raise DataError(f"{name}: the value for {key!r} is not a number: {value!r}") from None
            if not np.isfinite(f):
                raise DataError(f"{name}: the value for {key!r} is {f} (NaN and infinity are not changes)")
            return f

        if isinstance(shock, Mapping) and not isinstance(shock, pd.Series):
            v = np.zeros((n, 1))
            for key, value in shock.items():
                v[self._position(key), 0] += number(key, value)
            return v, [name]
        if isinstance(shock, pd.Series):
            v = np.zeros((n, 1))
            for key, value in shock.items():
                v[self._position(key), 0] += number(key, value)
            return v, [shock.name or name]
        if isinstance(shock, pd.DataFrame):
            v = np.zeros((n, shock.shape[1]))
            for key, row in shock.iterrows():
                vals = row.to_numpy(dtype=float)
                bad = [str(c) for c, x in zip(shock.columns, vals) if not np.isfinite(x)]
                if bad:
                    raise DataError(f"{name}: NaN or infinite value for {key!r} in column(s) {', '.join(bad)} "
                                    f"(write 0 for no change)")
                v[self._position(key), :] += vals
            return v, [str(c) for c in shock.columns]
        m = np.asarray(shock, dtype=float)
        if m.ndim == 1:
            m = m.reshape(-1, 1)
        if m.shape[0] != n:
            raise DimensionError(f"{name}: {m.shape[0]} rows, the table has {n} sectors")
        if not np.all(np.isfinite(m)):
            raise DataError(f"{name} has non-finite entries")
        return np.asfortranarray(m), [f"{name}_{j}" if m.shape[1] > 1 else name for j in range(m.shape[1])]

    def _position(self, key) -> int:
        if isinstance(key, (int, np.integer)):
            if not 0 <= key < self.n:
                raise DimensionError(f"sector position {key} outside 0..{self.n - 1}")
            return int(key)
        if isinstance(key, tuple):
            key = "/".join(str(k) for k in key)
        return self._t.index_of(str(key))

    def _frame(self, m: np.ndarray, cols) -> Union[pd.Series, pd.DataFrame]:
        if m.shape[1] == 1:
            return pd.Series(m[:, 0], index=self.index, name=cols[0])
        return pd.DataFrame(m, index=self.index, columns=cols)

    # ------------------------------------------------------------------ analyses
    def output_change(self, final_demand_change) -> Union[pd.Series, pd.DataFrame]:
        """Change in gross output for a change in final demand: Δx = L Δf.

        Parameters
        ----------
        final_demand_change : dict, Series, DataFrame or array
            ``{"sector": change}``, a Series indexed by sector, an n-vector, or an n x k matrix /
            DataFrame whose columns are separate scenarios (all solved at once).
        """
        v, cols = self._vectors(final_demand_change, "output_change")
        return self._frame(self.leontief.output_change(v), cols)

    def leontief_inverse(self) -> pd.DataFrame:
        """L = (I - A)^-1 (formed explicitly; prefer :meth:`output_change` for shocks)."""
        return pd.DataFrame(self.leontief.leontief_inverse(), index=self.index, columns=self.index)

    def ghosh_inverse(self) -> pd.DataFrame:
        """G = (I - B)^-1 (formed explicitly)."""
        return pd.DataFrame(_cio.ghosh_inverse(self._t, self.leontief), index=self.index, columns=self.index)

    def price_change(self, cost_change) -> Union[pd.Series, pd.DataFrame]:
        """Leontief price model: price changes (relative, 0.01 = +1%) for changes in primary-input
        cost per unit of output: Δp = L' Δv."""
        v, cols = self._vectors(cost_change, "price_change")
        return self._frame(_cio.price_change(self.leontief, v), cols)

    def price_change_from_sector_prices(self, fixed: Mapping) -> pd.Series:
        """Price changes when some sectors' prices are set exogenously, e.g. ``{"MIN": 0.10}``
        for a 10% rise in mining prices; every other price adjusts through costs."""
        pos = [self._position(k) for k in fixed]
        vals = np.array(list(fixed.values()), dtype=float)
        bad = [str(k) for k, x in zip(fixed, vals) if not np.isfinite(x)]
        if bad:
            raise DataError(f"price_change_from_sector_prices: NaN or infinite price change for {', '.join(bad)}")
        out = _cio.price_change_from_sector_prices(self.leontief, pos, vals)
        return pd.Series(out, index=self.index, name="price_change")

    def ghosh_output_change(self, primary_input_change) -> Union[pd.Series, pd.DataFrame]:
        """Ghosh supply model: Δx' = Δv' G for absolute changes in primary inputs by sector."""
        v, cols = self._vectors(primary_input_change, "ghosh_output_change")
        return self._frame(_cio.ghosh_output_change(self._t, self.leontief, v), cols)

    def multipliers(self, households: Optional[tuple] = None, kind: str = "simple") -> pd.DataFrame:
        """Multipliers of every sector (rows): output and one column per value-added and
        satellite account.

        Parameters
        ----------
        households : (income_account, consumption_category), optional
            Close the model with households for type II multipliers, e.g.
            ``("V00100", "F01000")`` for compensation and personal consumption.
        kind : {"simple", "type_I", "type_II", "type_II_simple"}
            ``simple``: c'L per unit of final demand; ``type_I``: ratio c'L / c;
            ``type_II_simple`` / ``type_II``: the same with households endogenous
            (requires ``households``).
        """
        hh = _cio.HouseholdClosure(*households) if households is not None else None
        m = _cio.compute_multipliers(self._t, self.leontief, hh)
        names = list(m.account_names)
        if kind in ("simple", "type_I"):
            out = pd.DataFrame({"output": m.output}, index=self.index)
            acc = m.account_simple if kind == "simple" else m.account_type_I
        elif kind in ("type_II", "type_II_simple"):
            if hh is None:
                raise ValueError("type II multipliers need households=(income_account, consumption_category)")
            out = pd.DataFrame({"output": m.output_type_II, "household_income": m.household_income_type_II},
                               index=self.index)
            acc = m.account_simple_type_II if kind == "type_II_simple" else m.account_type_II
        else:
            raise ValueError(f"unknown kind {kind!r}; choose simple, type_I, type_II_simple or type_II")
        for i, name in enumerate(names):
            out[name] = acc[i, :]
        if kind == "simple" and hh is not None:
            out["output_type_II"] = m.output_type_II
        return out

    def linkages(self) -> pd.DataFrame:
        """Backward (Leontief) and forward (Ghosh) linkages, Rasmussen dispersion indices and the
        key-sector classification."""
        k = _cio.compute_linkages(self._t, self.leontief)
        return pd.DataFrame({
            "backward": k.backward,
            "forward": k.forward,
            "power_of_dispersion": k.power_of_dispersion,
            "sensitivity_of_dispersion": k.sensitivity_of_dispersion,
            "forward_normalized": k.forward_normalized,
            "classification": k.classification,
        }, index=self.index)

    def extraction(self, progress=None) -> pd.DataFrame:
        """Hypothetical extraction of every sector: total, backward and forward output losses
        (absolute and percent of total output), without one inversion per sector.

        ``progress``: True (a bar), False, a ProgressBar or a callable ``progress(done, total)``,
        called after each block of solves.
        """
        from ._progress import make_progress

        opts = _cio.ExtractionOptions()
        bar = make_progress(progress, "extraction", "sectors")
        if bar is not None:
            def cb(info):
                bar.update(info.iteration + 1, info.total)
                return True
            opts.on_iteration = cb
        try:
            r = _cio.hypothetical_extraction(self._t, self.leontief, opts)
        finally:
            if bar is not None:
                bar.close()
        return pd.DataFrame({
            "total": r.total, "backward": r.backward, "forward": r.forward,
            "total_percent": r.total_percent, "backward_percent": r.backward_percent,
            "forward_percent": r.forward_percent,
        }, index=self.index)

    # ------------------------------------------------------------------ multi-regional
    def effects_by_region(self, final_demand_change, origin: Optional[str] = None) -> pd.DataFrame:
        """Output change summed by region, for an MRIO table.

        With ``origin`` (default: the region of the largest shocked entry), the result also has
        the domestic share (in ``origin``) and the spillover to other regions.
        """
        v, cols = self._vectors(final_demand_change, "output_change")
        dx = self.leontief.output_change(v)
        by_region = _cio.sum_by_region(self._t, dx)
        out = pd.DataFrame(by_region, index=pd.Index(self.regions, name="region"), columns=cols)
        if origin is None:
            origin = self._t.regions[int(np.argmax(np.abs(v).sum(axis=1)))]
        out.attrs["origin"] = origin
        out.attrs["domestic"] = out.loc[origin].to_dict()
        out.attrs["spillover"] = (out.sum() - out.loc[origin]).to_dict()
        return out

    def regional_multipliers(self) -> pd.DataFrame:
        """Output multipliers split into the part produced at home (domestic) and abroad."""
        r = _cio.regional_multipliers(self._t, self.leontief)
        return pd.DataFrame({"total": r.total, "domestic": r.domestic, "spillover": r.spillover}, index=self.index)

    def regional_multiplier_matrix(self) -> pd.DataFrame:
        """Regions x sectors: output generated in each region per unit of final demand."""
        r = _cio.regional_multipliers(self._t, self.leontief)
        return pd.DataFrame(r.by_region, index=pd.Index(list(r.regions), name="region"), columns=self.index)

    def footprint(self, account: str) -> pd.DataFrame:
        """Production-based vs consumption-based accounts of a satellite or value-added row by
        region; ``.attrs["flows"]`` holds the producing x consuming region matrix."""
        f = _cio.footprint(self._t, self.leontief, account)
        regions = pd.Index(list(f.regions), name="region")
        out = pd.DataFrame({"production_based": f.production_based, "consumption_based": f.consumption_based},
                           index=regions)
        out.attrs["flows"] = pd.DataFrame(f.flows, index=regions.rename("producing"),
                                          columns=regions.rename("consuming"))
        return out

    # ------------------------------------------------------------------ restructuring
    def aggregate(self, mapping=None, names: Optional[Mapping] = None, *, sectors=None, regions=None) -> "IOTable":
        """Aggregate sectors and/or regions with a concordance (see :func:`govsim.io.aggregate`).

        ``mapping`` / ``sectors``: dict or Series from sector name to group name (applied within
        each region of an MRIO table), a two-column DataFrame, a 0/1 concordance matrix, or a
        sequence with the group of each row. ``regions``: the same for regions.
        """
        if regions is not None or sectors is not None or isinstance(mapping, pd.DataFrame):
            from .io_formats import aggregate as _agg

            return _agg(self, sectors=sectors if sectors is not None else mapping, regions=regions)
        if isinstance(mapping, pd.Series):
            mapping = mapping.to_dict()
        secs = self._t.sectors
        if isinstance(mapping, Mapping):
            missing = [s for s in secs if s not in mapping]
            if missing:
                raise DataError(f"aggregate: no group for sector(s) {missing[:5]}")
            grp_of_row = [str(mapping[s]) for s in secs]
        else:
            grp_of_row = [str(g) for g in mapping]
        regs = self._t.regions if self.is_multiregional else [""] * self.n
        keys, group = [], []
        pos = {}
        for r, g in zip(regs, grp_of_row):
            k = (r, g)
            if k not in pos:
                pos[k] = len(keys)
                keys.append(k)
            group.append(pos[k])
        t = self._t.aggregate(group, [k[1] for k in keys], [k[0] for k in keys] if self.is_multiregional else [])
        return IOTable(None, _core_table=t)


def _labelled_totals(values, labels, name: str) -> np.ndarray:
    """``values`` (mapping or Series by label) in the order of ``labels``; a missing label is a DataError."""
    v = pd.Series(values).rename(index=str).reindex(labels)
    if v.isna().any():
        raise DataError(f"from_make_use: {name} has no value for {list(v.index[v.isna()])[:5]}")
    return v.to_numpy(float)


def from_make_use(make: pd.DataFrame, use: pd.DataFrame, final_demand: Optional[pd.DataFrame] = None,
                  value_added: Optional[pd.DataFrame] = None, satellite: Optional[pd.DataFrame] = None,
                  kind: str = "industry", unit: str = "", normalisation: str = "use",
                  industry_output=None, commodity_output=None, scrap=None) -> IOTable:
    """Symmetric table from Make (industries x commodities) and Use (commodities x industries)
    DataFrames under the industry technology assumption.

    ``kind="industry"`` gives an industry-by-industry table (Z = D U with market shares
    D = V q^-1), ``kind="commodity"`` a commodity-by-commodity one (Z = U g^-1 V). Make's columns
    are aligned to Use's commodity rows by label.

    ``normalisation`` chooses the output totals g (industries) and q (commodities):
    ``"use"`` (default) takes them from the Use table, g = column sums of Use + value added and
    q = row sums of Use + final demand, as BEA's requirement tables do (so that the total
    requirements equal BEA's published tables: industry-by-commodity D (I - B D)^-1 with
    B = U g^-1); it needs ``final_demand`` and ``value_added``, or the published totals as
    ``industry_output`` / ``commodity_output`` (Series by label; BEA's T008 row and T007 column).
    ``"make"`` takes them from the Make table (g = row sums, q = column sums of V). ``x`` is g
    (industry tables) or q.

    ``scrap``: commodity code(s) of scrap (BEA: ``"S00401"``), removed from the Make table as BEA
    does before deriving its requirement tables: the market shares become
    W = (I - p^)^-1 D with p the share of scrap in each industry's output g, so that an industry's
    other products carry its whole output; scrap used as an input then has no domestic market
    share (it joins the row "inputs without domestic output").
    """
    commodities = [str(c) for c in use.index]
    industries = [str(i) for i in use.columns]
    make = make.copy()
    make.index = [str(i) for i in make.index]
    make.columns = [str(c) for c in make.columns]
    unknown = sorted(set(make.columns) - set(commodities))
    if unknown:
        raise DataError(f"from_make_use: make table has commodities not in the use table: {unknown[:5]}")
    missing_ind = sorted(set(industries) - set(make.index))
    if missing_ind:
        raise DataError(f"from_make_use: industries of the use table missing from the make table: {missing_ind[:5]}")
    V = make.reindex(index=industries, columns=commodities, fill_value=0.0)
    scrap_cols = [] if scrap is None else [str(scrap)] if isinstance(scrap, str) else [str(c) for c in scrap]
    if scrap_cols:
        unknown = [c for c in scrap_cols if c not in commodities]
        if unknown:
            raise DataError(f"from_make_use: scrap commodities {unknown} are not rows of the use table")
    d = _cio.MakeUseData()
    d.make = np.asfortranarray(V.to_numpy(dtype=float))
    d.use = np.asfortranarray(use.to_numpy(dtype=float))
    d.industries, d.commodities = industries, commodities
    if final_demand is not None:
        fd = final_demand.reindex(index=use.index)
        d.final_demand = np.asfortranarray(fd.to_numpy(dtype=float))
        d.final_demand_names = [str(c) for c in final_demand.columns]
    if value_added is not None:
        va = value_added.reindex(columns=use.columns)
        d.value_added = np.asfortranarray(va.to_numpy(dtype=float))
        d.value_added_names = [str(r) for r in value_added.index]
    if satellite is not None:
        sa = satellite.reindex(columns=use.columns)
        d.satellite = np.asfortranarray(sa.to_numpy(dtype=float))
        d.satellite_names = [str(r) for r in satellite.index]
    d.unit = unit
    k = {"industry": _cio.MakeUseTable.IndustryByIndustry,
         "commodity": _cio.MakeUseTable.CommodityByCommodity}.get(kind)
    if k is None:
        raise ValueError(f"kind must be 'industry' or 'commodity', got {kind!r}")
    if normalisation == "use":
        if industry_output is None and value_added is None or commodity_output is None and final_demand is None:
            raise DataError("from_make_use: normalisation='use' takes output totals from the Use table and needs "
                            "final_demand and value_added (or industry_output and commodity_output); pass them, "
                            "or normalisation='make'")
        if industry_output is not None:
            d.industry_output = _labelled_totals(industry_output, industries, "industry_output")
        else:
            d.industry_output = use.to_numpy(dtype=float).sum(axis=0) + np.asarray(d.value_added).sum(axis=0)
        if commodity_output is not None:
            d.commodity_output = _labelled_totals(commodity_output, commodities, "commodity_output")
        else:
            d.commodity_output = use.to_numpy(dtype=float).sum(axis=1) + np.asarray(d.final_demand).sum(axis=1)
    elif normalisation != "make":
        raise ValueError(f"normalisation must be 'use' or 'make', got {normalisation!r}")
    if scrap_cols:
        Vs = V.to_numpy(dtype=float)
        g = np.asarray(d.industry_output, dtype=float) if normalisation == "use" else Vs.sum(axis=1)
        if normalisation == "make":
            d.industry_output = g  # industry output still includes the scrap it makes
        pos = [commodities.index(c) for c in scrap_cols]
        p = np.divide(Vs[:, pos].sum(axis=1), g, out=np.zeros_like(g), where=g != 0)
        if np.any(p >= 1):
            raise DataError(f"from_make_use: industries making only scrap: {[industries[i] for i in np.where(p >= 1)[0]][:5]}")
        Vs[:, pos] = 0.0
        d.make = np.asfortranarray(Vs / (1.0 - p)[:, None])  # market shares W = (I - p^)^-1 D
    return IOTable(None, _core_table=_cio.from_make_use(d, k))


def load_us_bea_2017(aggregate: bool = False, kind: str = "industry", names: bool = False,
                     normalisation: str = "use") -> IOTable:
    """The shipped US BEA 2017 benchmark detail table (public domain), as an IOTable.

    Parameters
    ----------
    aggregate : bool
        False: 402 industries (BEA detail codes). True: 22 sectors by NAICS prefix (see
        ``data/us_bea_2017/concordance_22.csv``).
    kind : {"industry", "commodity"}
        Industry-by-industry or commodity-by-commodity (industry technology assumption).
    names : bool
        Label sectors with names instead of codes.
    normalisation : {"use", "make"}
        ``"use"`` (default) follows BEA's derivation of its requirement tables: output totals from
        the Use table (total industry output T008, total commodity output T007) and market shares
        adjusted for scrap (S00401), so that the Leontief inverse is BEA's industry-by-industry
        total requirements (I - W B)^-1. ``"make"``: totals from the Make table, no scrap
        adjustment (see :func:`from_make_use`).

    Final demand has BEA's 20 categories (F01000 personal consumption ... F05000 imports, which
    is negative); value added has V00100 compensation, V00200 taxes less subsidies, V00300 gross
    operating surplus (plus, for industry tables, the inputs of commodities without domestic
    output). Units: USD million.
    """
    folder = os.path.join(data_dir(), "us_bea_2017")
    use = pd.read_csv(os.path.join(folder, "use_2017_detail_PRO_before_redef.csv"), index_col=0)
    make = pd.read_csv(os.path.join(folder, "make_2017_detail_before_redef.csv"), index_col=0)
    use.index = use.index.astype(str)
    make.index = make.index.astype(str)
    commodities = [c for c in use.index if not c.startswith(("T0", "V0"))]
    industries = [c for c in use.columns if not c.startswith(("T0", "F"))]
    fd_cols = [c for c in use.columns if c.startswith("F")]
    va_rows = [r for r in use.index if r.startswith("V0")]
    U = use.loc[commodities, industries]
    E = use.loc[commodities, fd_cols]
    W = use.loc[va_rows, industries]
    V = make.loc[industries, [c for c in make.columns if c not in ("T008",)]]
    totals = {}
    if normalisation == "use" and "T008" in use.index and "T007" in use.columns:
        # BEA's published totals (their components are rounded to USD million separately)
        totals = dict(industry_output=use.loc["T008", industries], commodity_output=use.loc[commodities, "T007"],
                      scrap="S00401")
    t = from_make_use(V, U, E, W, kind=kind, unit="USD million (2017)", normalisation=normalisation, **totals)
    if aggregate:
        conc = pd.read_csv(os.path.join(folder, "concordance_22.csv"), dtype=str)
        if kind != "industry":
            raise ValueError("the 22-sector concordance is defined for industry-by-industry tables")
        t = t.aggregate(dict(zip(conc["code"], conc["sector"])))
        if names:
            nm = dict(zip(conc["sector"], conc["sector_name"]))
            return _relabel(t, [nm[s] for s in t.sectors])
    elif names:
        codes = pd.read_csv(os.path.join(folder, "industry_codes.csv" if kind == "industry" else "commodity_codes.csv"),
                            dtype=str)
        nm = dict(zip(codes.iloc[:, 0], codes.iloc[:, 1]))
        seen = {}
        labels = []
        for s in t.sectors:
            lab = nm.get(s, s)
            if lab in seen:  # a few BEA names repeat across codes
                lab = f"{lab} ({s})"
            seen[lab] = 1
            labels.append(lab)
        return _relabel(t, labels)
    return t


def sector_names_us_bea_2017(aggregate: bool = True) -> dict:
    """Code -> name for the shipped BEA table (22 sectors if ``aggregate``, else 402 industries)."""
    folder = os.path.join(data_dir(), "us_bea_2017")
    if aggregate:
        conc = pd.read_csv(os.path.join(folder, "concordance_22.csv"), dtype=str)
        return dict(zip(conc["sector"], conc["sector_name"]))
    codes = pd.read_csv(os.path.join(folder, "industry_codes.csv"), dtype=str)
    return dict(zip(codes.iloc[:, 0], codes.iloc[:, 1]))


def _relabel(t: IOTable, labels) -> IOTable:
    d = t.core
    return IOTable(d.Z, d.Y, d.x, sectors=labels, final_demand=list(d.final_demand_names),
                   value_added=d.value_added, value_added_names=list(d.value_added_names),
                   satellite=d.satellite if d.satellite.shape[0] else None,
                   satellite_names=list(d.satellite_names) if d.satellite.shape[0] else None, unit=d.unit)


# Naming rule of read_csv_folder for rows of a primary-inputs file (matched case-insensitively on
# the row label with spaces, dashes and dots read as underscores).
_SUBTOTAL_WORDS = ("total",)
_SUBTOTAL_NAMES = {"gross_output", "output", "x", "primary_inputs"}
_SATELLITE_PREFIXES = ("sat:", "sat_", "satellite:", "satellite_")
_VALUE_ADDED_WORDS = ("compensation", "wage", "salar", "tax", "subsid", "surplus", "mixed_income", "import",
                      "depreciation", "fixed_capital")
_SATELLITE_WORDS = ("employment", "employees", "employed", "jobs", "persons", "fte", "hours", "emission",
                    "co2", "ghg", "ch4", "n2o", "energy_use", "water", "land_use", "headcount")


def _norm_label(label) -> str:
    out = str(label).strip().lower()
    for ch in " -.":
        out = out.replace(ch, "_")
    return out


def classify_primary_input_row(label) -> str:
    """Role of a row of a primary-inputs file under :func:`read_csv_folder`'s naming rule:
    ``"subtotal"``, ``"satellite"`` or ``"value_added"``.

    - subtotal: the label contains ``total`` (``Total value added``, ``subtotal``), or is one of ``gross_output``, ``output``,
      ``x``, ``primary_inputs`` (a row named ``value_added`` or ``GVA`` is a component: tables list
      taxes on products and imports beside it);
    - value added: the label contains one of ``compensation``, ``wage``, ``salar``, ``tax``,
      ``subsid``, ``surplus``, ``mixed_income``, ``import``, ``depreciation``, ``fixed_capital``
      (so ``Compensation of employees`` is value added);
    - satellite: the label starts with ``sat:``, ``sat_``, ``satellite:`` or ``satellite_``, or
      contains one of ``employment``, ``employees``, ``employed``, ``jobs``, ``persons``, ``fte``,
      ``hours``, ``emission``, ``co2``, ``ghg``, ``ch4``, ``n2o``, ``energy_use``, ``water``,
      ``land_use``, ``headcount``;
    - value added: every other row (for example ``V00100``, ``operating surplus``).

    Codes that follow no such rule (``T00OTOP``, ``EMP``) are named with ``read_csv_folder``'s
    ``total_rows=`` and ``satellite_rows=``; the balance check catches the ones left over.

    Labels are compared in lower case with spaces, dashes and dots read as underscores.
    """
    raw = str(label).strip().lower()
    norm = _norm_label(label)
    if any(w in norm for w in _SUBTOTAL_WORDS) or norm in _SUBTOTAL_NAMES:
        return "subtotal"
    if raw.startswith(_SATELLITE_PREFIXES) or norm.startswith(_SATELLITE_PREFIXES):
        return "satellite"
    if any(w in norm for w in _VALUE_ADDED_WORDS):
        return "value_added"
    if any(w in norm for w in _SATELLITE_WORDS):
        return "satellite"
    return "value_added"


def read_csv_folder(path: str, value_added_rows: Optional[Sequence[str]] = None, *,
                    satellite_rows: Optional[Sequence[str]] = None,
                    total_rows: Optional[Sequence[str]] = None,
                    balance_tolerance: float = 0.01, on_imbalance: str = "raise") -> IOTable:
    """Read a table stored as CSV files in a folder.

    Expected files: ``Z.csv`` (required), ``Y.csv`` (required), ``x.csv`` (optional),
    ``value_added.csv`` or ``primary_inputs.csv`` (optional, rows = items) and ``satellite.csv``
    (optional, rows = accounts). The first column holds the row labels; a multi-regional table
    has two label columns (region, sector) and two header rows (region, sector or category), as
    written by ``DataFrame.to_csv`` for a MultiIndex. Every file is aligned to the row labels of
    ``Z.csv`` by label (not by position); labels that do not match raise :class:`DataError`
    naming them.

    The primary-inputs file may mix value-added components, subtotals and satellite accounts
    (employment, emissions). Each row is one of the three:

    - rows named in ``value_added_rows``, ``satellite_rows`` or ``total_rows`` have that role
      (when ``value_added_rows`` is given, every other row not named as satellite is dropped);
    - any other row follows the naming rule of :func:`classify_primary_input_row` (subtotals
      such as ``Total value added`` are dropped, ``employment``-like rows become satellite
      accounts, the rest are value added).

    Parameters
    ----------
    balance_tolerance : float
        Largest accepted relative gap ``|x - colsum(Z) - value added| / x`` of a sector when the
        folder has a value-added block (default 1%).
    on_imbalance : {"raise", "warn", "ignore"}
        What a larger gap does: :class:`DataError` (default) or a ``UserWarning`` naming the
        worst sectors; ``"ignore"`` skips the check.
    """
    import warnings

    if on_imbalance not in ("raise", "warn", "ignore"):
        raise ValueError(f"on_imbalance must be 'raise', 'warn' or 'ignore', got {on_imbalance!r}")
    if not (balance_tolerance >= 0):
        raise ValueError(f"balance_tolerance must be a number >= 0, got {balance_tolerance!r}")

    def has(name):
        return os.path.isfile(os.path.join(path, name))

    if not os.path.isdir(path):
        raise DataError(f"{path}: not a folder")
    if not has("Z.csv"):
        raise DataError(f"{path}: no Z.csv (expected Z.csv, Y.csv and optionally x.csv, value_added.csv, "
                        f"satellite.csv)")

    def read(name, **kw):
        try:
            return pd.read_csv(os.path.join(path, name), **kw)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as e:
            raise DataError(f"{os.path.join(path, name)}: cannot be read as CSV: {e}") from None

    with open(os.path.join(path, "Z.csv"), errors="replace") as f:
        first = f.readline().split(",")[0].strip().lower()
    mrio = first == "region"
    rd = (lambda n: read(n, header=[0, 1], index_col=[0, 1])) if mrio else (lambda n: read(n, index_col=0))
    Z = rd("Z.csv")
    if mrio:
        Z.columns = pd.MultiIndex.from_tuples([tuple(str(v) for v in c) for c in Z.columns])
        Z.index = pd.MultiIndex.from_tuples([tuple(str(v) for v in c) for c in Z.index])
    else:
        Z.index = Z.index.map(str)
        Z.columns = Z.columns.map(str)
    Y = rd("Y.csv") if has("Y.csv") else None
    if Y is not None:
        Y.index = Z.index.__class__.from_tuples([tuple(str(v) for v in c) for c in Y.index]) if mrio \
            else Y.index.map(str)
    x = None
    if has("x.csv"):
        xs = read("x.csv", index_col=[0, 1] if mrio else 0)
        x = xs.iloc[:, 0]
        x.index = pd.MultiIndex.from_tuples([tuple(str(v) for v in c) for c in x.index]) if mrio \
            else x.index.map(str)

    def accounts(name):
        a = read(name, header=[0, 1] if mrio else 0, index_col=0)
        if mrio:
            a.columns = pd.MultiIndex.from_tuples([tuple(str(v) for v in c) for c in a.columns])
        else:
            a.columns = a.columns.map(str)
        a.index = a.index.map(str)
        return a

    va = None
    sat_from_va = None
    for name in ("value_added.csv", "primary_inputs.csv"):
        if has(name):
            block = accounts(name)
            labels = list(block.index)
            for arg, what in ((value_added_rows, "value_added_rows"), (satellite_rows, "satellite_rows"),
                              (total_rows, "total_rows")):
                unknown = [str(r) for r in (arg or []) if str(r) not in labels]
                if unknown:
                    raise DataError(f"{os.path.join(path, name)}: {what} names rows not in the file: "
                                    f"{', '.join(map(repr, unknown))}")
            sat_set = {str(r) for r in satellite_rows or []}
            tot_set = {str(r) for r in total_rows or []}
            va_set = {str(r) for r in value_added_rows} if value_added_rows is not None else None
            keep, sats = [], []
            for r in labels:
                if r in sat_set:
                    sats.append(r)
                elif r in tot_set:
                    continue
                elif va_set is not None:
                    if r in va_set:
                        keep.append(r)
                else:
                    role = classify_primary_input_row(r)
                    if role == "value_added":
                        keep.append(r)
                    elif role == "satellite":
                        sats.append(r)
            va = block.loc[keep]
            sat_from_va = block.loc[sats] if sats else None
            break
    sat = accounts("satellite.csv") if has("satellite.csv") else None
    if sat_from_va is not None:
        sat = sat_from_va if sat is None else pd.concat([sat, sat_from_va])
    table = IOTable(Z, Y, x, value_added=va, satellite=sat, unit="")
    if va is not None and on_imbalance != "ignore" and va.shape[0]:
        xv = table.x.to_numpy()
        gap = xv - table.Z.to_numpy().sum(axis=0) - table.value_added.to_numpy().sum(axis=0)
        scale = np.where(np.abs(xv) > 0, np.abs(xv), 1.0)
        rel = np.abs(gap) / scale
        bad = np.flatnonzero(rel > balance_tolerance)
        if bad.size:
            worst = bad[np.argsort(-rel[bad])][:5]
            labels = ["/".join(k) if isinstance(k, tuple) else str(k) for k in table.index[worst]]
            detail = ", ".join(f"{lab} {100 * rel[i]:.1f}%" for lab, i in zip(labels, worst))
            msg = (f"{path}: gross output differs from intermediate inputs plus value added by more than "
                   f"{100 * balance_tolerance:g}% in {bad.size} of {table.n} sectors (worst: {detail}); "
                   f"value-added rows used: {', '.join(map(str, va.index))}. Name subtotal and satellite "
                   f"rows with total_rows= / satellite_rows= (or value_added_rows=), or pass "
                   f"on_imbalance='warn'")
            if on_imbalance == "raise":
                raise DataError(msg)
            warnings.warn(msg, UserWarning, stacklevel=2)
    return table


# Published formats, the writer and aggregation live in io_formats.
from .io_formats import (aggregate, aggregate_to, read_eurostat, read_eurostat_supply_use,  # noqa: E402
                         read_exiobase3, read_oecd_icio, read_pymrio, read_table, read_wiod, write_table)

__all__ += ["aggregate", "aggregate_to", "read_eurostat", "read_eurostat_supply_use", "read_exiobase3",
            "read_oecd_icio", "read_pymrio", "read_table", "read_wiod", "write_table"]
