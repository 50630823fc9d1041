"""Dynamic input-output: inoperability (IIM and DIIM), ARIO disaster recovery, dynamic Leontief.

The numerics run in C++ (``govsim._core.dynamic_io``); this module takes an :class:`govsim.io.IOTable`
and dicts or Series, and returns pandas objects labelled by sector (and region) and by day.

- :func:`inoperability` -- static IIM, demand side (``q = A* q + c*``) or supply side;
- :func:`diim` -- dynamic IIM ``dq/dt = K (A* q + c* - q)`` (Odeint Dormand-Prince 5(4)) or in
  discrete time; :class:`DiimResult` holds the time x sector frame and loss rankings;
- :func:`ario` -- ARIO (Hallegatte 2008/2014) with BoARIO's documented defaults;
  :class:`ArioResult` holds daily frames and summaries (loss by region/sector, trough day/depth);
- :func:`dynamic_leontief` -- ``x = A x + B dx/dt + f``.
"""
from __future__ import annotations

import warnings
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._progress import progress_callback

_dio = _core.dynamic_io

__all__ = ["inoperability", "diim", "DiimResult", "ario", "ArioResult", "ario_event", "ario_rebuilding_demand",
           "ArioRebuildingDemand", "dynamic_leontief",
           "interdependency_matrix", "plot_diim", "plot_ario"]


def _sector_vector(table, values, name: str, default: float = 0.0) -> np.ndarray:
    """dict / Series / array -> numpy vector in table order; dict keys may be sector names or
    'region/sector' labels. NaN or infinite entries raise DataError naming the sector."""
    out = _sector_vector_values(table, values, name, default)
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        labels = list(table.core.labels)
        raise _core.DataError(f"{name}: NaN or infinite value for {', '.join(repr(labels[i]) for i in bad[:5])}")
    return out


def _sector_vector_values(table, values, name: str, default: float = 0.0) -> np.ndarray:
    n = table.n
    if values is None:
        return np.full(n, default)
    if isinstance(values, (dict, pd.Series)):
        out = np.full(n, default, dtype=float)
        labels = list(table.core.labels)
        pos = {lab: i for i, lab in enumerate(labels)}
        for k, v in dict(values).items():
            key = "/".join(map(str, k)) if isinstance(k, tuple) else str(k)
            if key in pos:
                out[pos[key]] = float(v)
                continue
            hits = [i for i, s in enumerate(table.core.sectors) if s == key]
            if not hits:
                raise KeyError(f"{name}: unknown sector '{key}'")
            out[hits] = float(v)
        return out
    arr = np.asarray(values, dtype=float).reshape(-1)
    if arr.size == 1:
        return np.full(n, float(arr[0]))
    if arr.size != n:
        raise _core.DimensionError(f"{name} has {arr.size} entries, expected {n}")
    return arr


def _raise(res, what: str, raise_on_failure: bool):
    if raise_on_failure and not res.ok():
        raise _core.SolveError(f"{what}: {res.summary()}")


def interdependency_matrix(table) -> pd.DataFrame:
    """A* = diag(x)^-1 Z, labelled by sector."""
    return pd.DataFrame(np.asarray(_dio.interdependency_matrix(table.core)), index=table.index, columns=table.index)


def inoperability(table, perturbation, direction: str = "demand", raise_on_failure: bool = True) -> pd.DataFrame:
    """Static inoperability: columns ``inoperability``, ``economic_loss``, ``rank`` (by loss).

    ``perturbation`` is c* (direction="demand": final-demand reduction / output) or delta
    (direction="supply": primary-supply reduction / output), as a dict, Series or array.
    """
    d = {"demand": _dio.InoperabilityDirection.Demand, "supply": _dio.InoperabilityDirection.Supply}
    if direction not in d:
        raise ValueError("direction must be 'demand' or 'supply'")
    c = _sector_vector(table, perturbation, "perturbation")
    r = _dio.static_inoperability(table.core, c, d[direction])
    _raise(r, "inoperability", raise_on_failure)
    df = pd.DataFrame({"inoperability": np.asarray(r.inoperability), "economic_loss": np.asarray(r.economic_loss)},
                      index=table.index)
    rank = np.empty(table.n, dtype=int)
    rank[np.asarray(r.loss_rank)] = np.arange(1, table.n + 1)
    df["rank"] = rank
    return df


class DiimResult:
    """Result of :func:`diim`: ``inoperability`` (time x sector), ``steady_state``,
    ``cumulative_loss`` and ``ranking`` (sectors by cumulative loss)."""

    def __init__(self, table, res):
        self._r = res
        self.inoperability = pd.DataFrame(np.asarray(res.inoperability), index=pd.Index(res.times, name="time"),
                                          columns=table.index)
        self.steady_state = pd.Series(np.asarray(res.steady_state), index=table.index, name="steady_state")
        self.cumulative_loss = pd.Series(np.asarray(res.cumulative_loss), index=table.index, name="cumulative_loss")
        self.average_inoperability = pd.Series(np.asarray(res.average_inoperability), index=table.index,
                                               name="average_inoperability")
        self.ranking = pd.DataFrame({"cumulative_loss": self.cumulative_loss,
                                     "average_inoperability": self.average_inoperability}).iloc[list(res.loss_rank)]
        self.status = res.status
        self.message = res.message

    def ok(self) -> bool:
        return self._r.ok()

    def summary(self) -> str:
        return self._r.summary()

    def __repr__(self) -> str:
        return f"<DiimResult {self.summary()}>"

    def _repr_html_(self) -> str:
        from ._display import diim_html

        return diim_html(self)

    def plot(self, top: int = 8, ax=None):
        return plot_diim(self, top=top, ax=ax)


def diim(table, q0=None, perturbation=None, times: Optional[Sequence[float]] = None, *, resilience=0.05,
         discrete: bool = False, perturbation_path=None, rel_tol: float = 1e-10, abs_tol: float = 1e-10,
         method: str = "auto", sparse: Optional[bool] = None, krylov_dimension: int = 30,
         on_iteration=None, raise_on_failure: bool = True) -> DiimResult:
    """Dynamic inoperability ``dq/dt = K (A* q + c* - q)`` from ``q(0) = q0``.

    ``q0``, ``perturbation`` (constant c*) and ``resilience`` (diagonal of K, per unit of time)
    are dicts, Series, arrays or scalars. ``times`` defaults to 0..365. ``perturbation_path`` is a
    function t -> array (replaces the constant c*). ``discrete=True`` steps
    ``q(t+1) = q(t) + K (A* q + c* - q)``.

    ``method`` (continuous time): ``"krylov"`` evaluates the exact solution of the linear
    time-invariant system (matrix exponential by restarted Krylov projections, products with A*
    only); ``"adaptive"`` integrates with Odeint's Dormand-Prince 5(4) (needed for
    ``perturbation_path``); ``"auto"`` picks Krylov when the perturbation is constant.
    ``sparse``: store A* sparse (default: as the table is stored). A* is built in C++ from the
    table, so no n x n matrix is copied through Python.
    """
    times = list(np.arange(0, 366, dtype=float)) if times is None else [float(t) for t in times]
    o = _dio.DiimOptions()
    o.resilience = _sector_vector(table, resilience, "resilience", default=0.0)
    o.time = _dio.DiimTime.Discrete if discrete else _dio.DiimTime.Continuous
    o.rel_tol, o.abs_tol = rel_tol, abs_tol
    if perturbation_path is not None:
        o.perturbation_path = lambda t: np.asarray(perturbation_path(t), dtype=float)
    if on_iteration is not None:
        o.on_iteration = on_iteration
    methods = {"auto": _dio.DiimMethod.Auto, "krylov": _dio.DiimMethod.Krylov, "adaptive": _dio.DiimMethod.Adaptive}
    if method not in methods:
        raise ValueError(f"method must be one of {sorted(methods)}")
    if method == "krylov" and perturbation_path is not None:
        raise ValueError("method='krylov' needs a constant perturbation; use 'adaptive' with perturbation_path")
    o.method = methods[method]
    o.krylov_dimension = int(krylov_dimension)
    o.storage = {None: _dio.MatrixStorage.Auto, True: _dio.MatrixStorage.Sparse,
                 False: _dio.MatrixStorage.Dense}[None if sparse is None else bool(sparse)]
    r = _dio.dynamic_inoperability(table=table.core, q0=_sector_vector(table, q0, "q0"),
                                   perturbation=_sector_vector(table, perturbation, "perturbation"), times=times,
                                   options=o)
    _raise(r, "diim", raise_on_failure)
    return DiimResult(table, r)


_RECOVERY = {"rebuild": "Rebuild", "linear": "Linear", "convex": "Convex", "concave": "Concave",
             "convex_scaled": "ConvexScaled", "s_shaped": "SShaped",
             # BoARIO's names of its recovery functions
             "convexe": "ConvexScaled", "convexe noscale": "Convex"}


def ario_event(table, damage=None, *, region=None, total: Optional[float] = None, sectors=None,
               regional_shares=None, sector_shares="value_added",
               rebuilding: Optional[dict] = None, tau: float = 0.0, occurrence: int = 1, duration: int = 1,
               recovery: str = "rebuild", name: str = "", rebuilding_factor: float = 1.0,
               households_damage=None, production_capacity_loss=None, monetary_factor: float = 0.0,
               rebuilding_demand=None, households_rebuilding_demand=None):
    """An ARIO event, with the parameters of BoARIO's events.

    Parameters
    ----------
    damage : dict, Series or array, optional
        Capital destroyed per industry. Or give ``total`` with ``region`` (see below).
    region, total, sectors, regional_shares, sector_shares
        A total amount of destroyed capital spread over industries, as BoARIO's
        ``Event.from_scalar_regions_sectors``: ``region`` is one region or a list (None: the whole
        table), ``sectors`` the affected sectors (default all); the total goes to the regions by
        ``regional_shares`` ({region: share}, default equal shares) and, within each region, to the
        sectors by ``sector_shares``: ``"value_added"`` (default; BoARIO's ``"gdp"``: in proportion
        to value added x - column sums of Z, negative value added counting 0), ``"equal"``, or
        {sector: share}. Shares must sum to 1.
    rebuilding : dict
        Rebuilding sectors to shares (sum 1), e.g. ``{"F": 0.55, "D29": 0.45}`` (recovery 'rebuild').
    tau : float
        Rebuilding or recovery time in days (0: the model's ``rebuild_tau``).
    occurrence : int
        Day of the event (BoARIO's default 1).
    duration : int
        Days between the event and the start of rebuilding or recovery (BoARIO's
        ``Event(duration=...)``, default 1).
    recovery : str
        'rebuild' (rebuilding demand) or an exogenous curve: 'linear', 'convex' (BoARIO's
        'convexe noscale'), 'convex_scaled' (BoARIO's 'convexe'), 's_shaped' (BoARIO's
        'concave') or 'concave' (1 - (s/tau)^2). BoARIO's names are accepted too. Or a function
        of one's own with BoARIO's signature, ``f(elapsed_temporal_unit, init_impact_stock,
        recovery_time)`` called with those keywords: the days of recovery s (0 on day occurrence +
        duration), the initial damage per industry (array, table unit) and ``tau``; it returns the
        damage left per industry (negative entries count as 0).
    name : str
        Label of the event (used in error messages).
    rebuilding_factor : float
        Rebuilding demand = factor x damage (BoARIO's ``rebuilding_factor``).
    households_damage : dict, Series or array, optional
        Household capital destroyed by final-demand column (name -> amount, or a vector with one
        entry per column of ``table.Y``); rebuilt like the damage, without capacity loss
        (BoARIO's ``households_impact``).
    production_capacity_loss : dict, Series or array, optional
        Share of production capacity lost per industry, in [0, 1] (BoARIO's ``EventArbitraryProd``);
        it recovers with the event's curve and ``tau``.
    monetary_factor : float
        Unit of ``damage`` when it differs from the model's ``monetary_factor`` (BoARIO's
        ``event_monetary_factor``); 0 = the table's unit.
    rebuilding_demand : DataFrame or array, optional
        The rebuilding demand itself, supplier industries (rows) x damaged industries (columns),
        in the event's unit and including ``rebuilding_factor`` (BoARIO's settable
        ``EventKapitalRebuild.rebuilding_demand_indus``). It replaces the split by ``rebuilding``
        shares and purchase shares, so any distribution among sectors and supplying regions can
        be given. The damage of industry j is then column j's sum / ``rebuilding_factor``;
        ``damage`` may be omitted (if given it must agree). A DataFrame is aligned on the table's
        labels (missing rows and columns are 0). :func:`ario_rebuilding_demand` returns the
        default matrix, to start from.
    households_rebuilding_demand : DataFrame or array, optional
        The same for household capital: supplier industries x final-demand columns (BoARIO's
        ``rebuilding_demand_house``).
    """
    if total is None and (sectors is not None or regional_shares is not None or
                          not (isinstance(sector_shares, str) and sector_shares == "value_added")):
        raise ValueError("ario_event: sectors, regional_shares and sector_shares spread a total; give total=")
    e = _dio.ArioEvent()
    if rebuilding_demand is not None:
        e.rebuilding_demand = _industry_matrix(table, rebuilding_demand, list(table.core.labels),
                                               "rebuilding_demand", "damaged industries")
    if households_rebuilding_demand is not None:
        e.households_rebuilding_demand = _industry_matrix(table, households_rebuilding_demand,
                                                          list(table.core.final_demand_names),
                                                          "households_rebuilding_demand", "final-demand columns")
    if damage is not None:
        e.damage = _sector_vector(table, damage, "damage")
    elif total is not None:
        simple = (region is None or isinstance(region, str)) and sectors is None and regional_shares is None \
            and isinstance(sector_shares, str) and sector_shares == "value_added"
        e.damage = np.asarray(_dio.distribute_damage(table.core, region or "", float(total))) if simple else \
            _spread_damage(table, float(total), region, sectors, regional_shares, sector_shares)
    elif rebuilding_demand is not None:
        pass  # the damage is the matrix's column sums / rebuilding_factor
    elif production_capacity_loss is None and households_damage is None and households_rebuilding_demand is None:
        raise ValueError("ario_event: give damage, or region and total, or rebuilding_demand, or "
                         "production_capacity_loss")
    else:
        e.damage = np.zeros(table.n)
    if callable(recovery):
        user = recovery

        def _recovery_function(s, initial, tau):
            left = np.asarray(user(elapsed_temporal_unit=s, init_impact_stock=np.asarray(initial),
                                   recovery_time=tau), dtype=float).reshape(-1)
            return left

        e.recovery = _dio.CapitalRecovery.Linear  # exogenous recovery, by the user's function
        e.recovery_function = _recovery_function
        recovery = "custom"
    elif recovery not in _RECOVERY:
        raise ValueError(f"recovery must be one of {sorted(_RECOVERY)} or a function")
    else:
        e.recovery = getattr(_dio.CapitalRecovery, _RECOVERY[recovery])
    if (rebuilding_demand is not None or households_rebuilding_demand is not None) and recovery != "rebuild":
        raise ValueError("ario_event: rebuilding_demand and households_rebuilding_demand need recovery='rebuild'")
    if rebuilding:
        e.rebuilding_sectors = list(rebuilding)
        e.rebuilding_shares = [float(v) for v in rebuilding.values()]
    if recovery == "rebuild" and (damage is not None or total is not None) and rebuilding_demand is None or \
            recovery == "rebuild" and households_damage is not None and households_rebuilding_demand is None:
        if not rebuilding:
            raise ValueError("ario_event: recovery='rebuild' needs rebuilding={sector: share} or rebuilding_demand")
    if isinstance(duration, bool) or int(duration) != duration:
        raise ValueError(f"ario_event: duration must be a whole number of days, got {duration!r}")
    e.tau = float(tau)
    e.occurrence = int(occurrence)
    e.duration = int(duration)
    e.name = str(name)
    e.rebuilding_factor = float(rebuilding_factor)
    e.monetary_factor = float(monetary_factor)
    if households_damage is not None:
        cols = list(table.core.final_demand_names)
        if isinstance(households_damage, (dict, pd.Series)):
            v = np.zeros(len(cols))
            for k, val in dict(households_damage).items():
                key = "/".join(map(str, k)) if isinstance(k, tuple) else str(k)
                if key not in cols:
                    raise KeyError(f"households_damage: unknown final-demand column {key!r}")
                v[cols.index(key)] += float(val)
        else:
            v = np.asarray(households_damage, dtype=float).ravel()
        e.households_damage = v
    if production_capacity_loss is not None:
        e.production_capacity_loss = _sector_vector(table, production_capacity_loss, "production_capacity_loss")
    return e


def _shares(given, keys, name: str) -> np.ndarray:
    """{key: share} over ``keys`` (missing keys 0), checked: known keys, >= 0, sum 1."""
    unknown = [k for k in given if k not in keys]
    if unknown:
        raise KeyError(f"ario_event: {name} names unknown entries {unknown[:5]}")
    w = np.array([float(given.get(k, 0.0)) for k in keys])
    if not np.all(np.isfinite(w)) or (w < 0).any() or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"ario_event: {name} must be finite, >= 0 and sum to 1 (sum {w.sum():.12g})")
    return w


def _spread_damage(table, total: float, region, sectors, regional_shares, sector_shares) -> np.ndarray:
    """BoARIO's from_scalar_regions_sectors: damage(r, s) = total x regional share x sector share in r."""
    if not (np.isfinite(total) and total >= 0):
        raise ValueError("ario_event: total must be finite and >= 0")
    core = table.core
    sec = list(core.sectors)
    reg = list(core.regions) if table.is_multiregional else ["" for _ in sec]
    all_regions = list(dict.fromkeys(reg))
    if region is None:
        regions = all_regions
    else:
        regions = [region] if isinstance(region, str) else list(region)
        if not table.is_multiregional:
            raise ValueError("ario_event: region= needs a multi-regional table")
        bad = [r for r in regions if r not in all_regions]
        if bad:
            raise KeyError(f"ario_event: unknown region(s) {bad}")
        if len(set(regions)) != len(regions):
            raise ValueError(f"ario_event: region lists a region twice: {regions}")
    sectors_l = list(dict.fromkeys(sec)) if sectors is None else ([sectors] if isinstance(sectors, str) else list(sectors))
    bad = [s_ for s_ in sectors_l if s_ not in sec]
    if bad:
        raise KeyError(f"ario_event: unknown sector(s) {bad}")
    rw = np.full(len(regions), 1.0 / len(regions)) if regional_shares is None else \
        _shares(dict(regional_shares), regions, "regional_shares")
    va = np.clip(np.asarray(table.x, dtype=float) - np.asarray(table.Z, dtype=float).sum(axis=0), 0.0, None)
    out = np.zeros(table.n)
    for r, wr in zip(regions, rw):
        idx = [i for i in range(table.n) if reg[i] == r and sec[i] in sectors_l]
        if isinstance(sector_shares, str):
            if sector_shares == "value_added":
                w = va[idx]
                if not w.sum() > 0:
                    raise ValueError(f"ario_event: the affected sectors of region {r!r} have no value added")
                w = w / w.sum()
            elif sector_shares == "equal":
                w = np.full(len(idx), 1.0 / len(idx))
            else:
                raise ValueError("ario_event: sector_shares must be 'value_added', 'equal' or {sector: share}")
        else:
            w = _shares(dict(sector_shares), sectors_l, "sector_shares")
            w = np.array([w[sectors_l.index(sec[i])] for i in idx])
        out[idx] += total * wr * w
    return out


def _industry_matrix(table, values, columns, name: str, what: str) -> np.ndarray:
    """DataFrame (aligned on the table's industry labels and ``columns``) or array -> n x len(columns)."""
    labels = list(table.core.labels)
    if isinstance(values, pd.DataFrame):
        def keys(index):
            return ["/".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in index]
        rows, cols = keys(values.index), keys(values.columns)
        for got, known, kind in ((rows, labels, "supplier industries"), (cols, columns, what)):
            unknown = [k for k in got if k not in set(known)]
            if unknown:
                raise KeyError(f"{name}: unknown {kind} {unknown[:5]}")
        df = pd.DataFrame(values.to_numpy(dtype=float), index=rows, columns=cols)
        df = df.T.groupby(level=0).sum().T.groupby(level=0).sum()
        out = df.reindex(index=labels, columns=columns, fill_value=0.0).to_numpy(dtype=float)
    else:
        out = np.asarray(values, dtype=float)
        if out.shape != (len(labels), len(columns)):
            raise _core.DimensionError(f"{name} has shape {out.shape}, expected {(len(labels), len(columns))} "
                                       f"(supplier industries x {what})")
    if not np.all(np.isfinite(out)) or (out < 0).any():
        raise _core.DataError(f"{name}: entries must be finite and >= 0")
    return out


class ArioRebuildingDemand:
    """Rebuilding demand of one event when its rebuilding starts, in the table's unit:
    ``industries`` (supplier industry x damaged industry), ``households`` (supplier industry x
    final-demand column), ``damage`` (capital destroyed per industry) and ``by_supplier`` (row sums
    of both: what each industry is asked to deliver in all)."""

    def __init__(self, table, rd):
        idx = table.index
        self.industries = pd.DataFrame(np.asarray(rd.industries), index=idx, columns=idx)
        self.households = pd.DataFrame(np.asarray(rd.households), index=idx,
                                       columns=pd.Index(list(table.core.final_demand_names), name="final_demand"))
        self.damage = pd.Series(np.asarray(rd.damage), index=idx, name="damage")
        self.by_supplier = (self.industries.sum(axis=1) + self.households.sum(axis=1)).rename("rebuilding_demand")

    def __repr__(self) -> str:
        return (f"<ArioRebuildingDemand industries {self.industries.to_numpy().sum():.6g}, "
                f"households {self.households.to_numpy().sum():.6g}>")


def ario_rebuilding_demand(table, event, *, monetary_factor: float = 1.0) -> ArioRebuildingDemand:
    """The rebuilding demand ``event`` (from :func:`ario_event`) addresses to the suppliers when its
    rebuilding starts, as :func:`ario` computes it: ``rebuilding_factor x share_p x damage_j x
    Z(i, j) / sum over suppliers i' of p of Z(i', j)`` for supplier i of rebuilding product p,
    or the ``rebuilding_demand`` given to the event. ``monetary_factor`` is the model's (as in
    :func:`ario`). Edit ``.industries`` and pass it back as ``ario_event(rebuilding_demand=...)``
    to give another distribution."""
    o = _dio.ArioOptions()
    o.monetary_factor = float(monetary_factor)
    return ArioRebuildingDemand(table, _dio.ArioModel(table.core, o).rebuilding_demand(event))


class ArioResult:
    """Result of :func:`ario`: daily frames (day x industry) ``production``, ``production_capacity``,
    ``final_demand_unmet``, ``rebuild_demand``, ``rebuild_unmet``, ``inventories``, ``damage``,
    ``overproduction``; summaries ``production_loss`` (by industry), ``loss_by_region``,
    ``loss_by_sector``, ``troughs`` (day and depth per region) and ``accounting`` (daily residual
    and smallest stock)."""

    _FRAMES = ("production", "production_capacity", "final_demand_unmet", "rebuild_demand", "rebuild_unmet",
               "inventories", "damage", "overproduction")

    def __init__(self, table, res):
        self._r = res
        days = pd.RangeIndex(res.iterations, name="day")
        for f in self._FRAMES:
            setattr(self, f, pd.DataFrame(np.asarray(getattr(res, f))[:res.iterations], index=days,
                                          columns=table.index))
        self.baseline = pd.Series(np.asarray(res.baseline_production), index=table.index, name="baseline")
        self.production_loss = pd.Series(np.asarray(res.production_loss), index=table.index, name="production_loss")
        self.loss_by_region = pd.Series(np.asarray(res.production_loss_by_region), index=pd.Index(res.regions, name="region"),
                                        name="production_loss")
        self.loss_by_sector = pd.Series(np.asarray(res.production_loss_by_sector), index=pd.Index(res.sectors, name="sector"),
                                        name="production_loss")
        self.troughs = pd.DataFrame({"trough_day": list(res.trough_day), "trough_depth": np.asarray(res.trough_depth),
                                     "production_loss": np.asarray(res.production_loss_by_region),
                                     "final_demand_unmet": np.asarray(res.final_demand_unmet_by_region)},
                                    index=pd.Index(res.regions, name="region"))
        self.accounting = pd.DataFrame({"residual": np.asarray(res.conservation_error)[:res.iterations],
                                        "min_stock": np.asarray(res.min_stock)[:res.iterations]}, index=days)
        self.status = res.status
        self.message = res.message

    def ok(self) -> bool:
        return self._r.ok()

    def summary(self) -> str:
        return self._r.summary()

    def __repr__(self) -> str:
        return f"<ArioResult {self.summary()}>"

    def _repr_html_(self) -> str:
        from ._display import ario_html

        return ario_html(self)

    def relative_production(self, by: str = "region") -> pd.DataFrame:
        """Production / baseline, day x region (by='region') or day x sector (by='sector')."""
        level = "region" if by == "region" else "sector"
        if isinstance(self.production.columns, pd.MultiIndex):
            p = self.production.T.groupby(level=level).sum().T
            b = self.baseline.groupby(level=level).sum()
        else:
            p = self.production.sum(axis=1).to_frame("all") if by == "region" else self.production
            b = pd.Series({"all": self.baseline.sum()}) if by == "region" else self.baseline
        return p / b

    def plot(self, regions=None, ax=None):
        return plot_ario(self, regions=regions, ax=ax)


def ario(table, events, *, periods: int = 365, order_type: str = "alt", alpha_base: float = 1.0,
         alpha_max: float = 1.25, alpha_tau: float = 365.0, rebuild_tau: float = 60.0, main_inv_dur: float = 90.0,
         inventory_duration=None, psi: float = 0.80, inventory_restoration_tau: float = 60.0,
         year_to_temporal_unit: float = 365.0, capital_to_value_added: float = 4.0, capital=None,
         monetary_factor: float = 1.0, on_iteration=None, progress=False, raise_on_failure: bool = True,
         n_steps: Optional[int] = None) -> ArioResult:
    """Run ARIO with BoARIO's default parameters (override any of them by keyword).

    ``events``: one event or a list from :func:`ario_event`. ``periods``: number of daily steps
    (``n_steps=`` is the deprecated former name). ``inventory_duration``: dict {sector: days}
    (``float('inf')`` = never constraining). ``progress``: True (a bar), False, a ProgressBar or
    ``progress(done, total)``; ``on_iteration(info)`` returning False stops the run. Returns an
    :class:`ArioResult`.
    """
    if n_steps is not None:
        warnings.warn("ario(n_steps=...) is deprecated: pass the number of days as periods=...", DeprecationWarning,
                      stacklevel=2)
        periods = n_steps
    o = _dio.ArioOptions()
    if order_type not in ("alt", "noalt"):
        raise ValueError("order_type must be 'alt' or 'noalt'")
    o.order_type = _dio.OrderType.Alt if order_type == "alt" else _dio.OrderType.NoAlt
    o.alpha_base, o.alpha_max, o.alpha_tau = alpha_base, alpha_max, alpha_tau
    o.rebuild_tau, o.main_inv_dur, o.psi = rebuild_tau, main_inv_dur, psi
    o.inventory_restoration_tau = inventory_restoration_tau
    o.year_to_temporal_unit = year_to_temporal_unit
    o.capital_to_value_added = capital_to_value_added
    o.monetary_factor = monetary_factor
    o.n_steps = int(periods)
    if capital is not None:
        o.capital = _sector_vector(table, capital, "capital")
    if inventory_duration is not None:
        names = list(dict.fromkeys(table.core.sectors))
        d = dict(inventory_duration)
        unknown = set(d) - set(names)
        if unknown:
            raise KeyError(f"inventory_duration: unknown sectors {sorted(unknown)}")
        o.inventory_duration = np.array([float(d.get(s, main_inv_dur)) for s in names])
    callback, bar = progress_callback(progress, on_iteration, "ARIO", "days")
    if callback is not None:
        o.on_iteration = callback
    if not isinstance(events, (list, tuple)):
        events = [events]
    model = _dio.ArioModel(table.core, o)
    try:
        r = model.run(list(events))
    finally:
        if bar is not None:
            bar.close()
    _raise(r, "ario", raise_on_failure)
    return ArioResult(table, r)


def dynamic_leontief(A, B, x0, f, times: Sequence[float], *, labels=None, raise_on_failure: bool = True) -> pd.DataFrame:
    """Integrate ``x = A x + B dx/dt + f``; returns output paths (time x sector).

    Raises :class:`govsim.SolveError` (with the reason) when B is singular or ill conditioned.
    """
    A_, B_ = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    r = _dio.dynamic_leontief(A_, B_, np.asarray(x0, dtype=float), np.asarray(f, dtype=float), [float(t) for t in times])
    _raise(r, "dynamic_leontief", raise_on_failure)
    if labels is None:
        labels = A.index if isinstance(A, pd.DataFrame) else range(A_.shape[0])
    return pd.DataFrame(np.asarray(r.output), index=pd.Index(r.times, name="time"), columns=labels)


def plot_diim(paths: DiimResult, top: int = 8, ax=None, time_unit: str = "days"):
    """Inoperability paths of the ``top`` sectors by cumulative loss (legend outside the axes,
    "region/sector" names for multi-regional tables). Returns the Axes."""
    from .plotting import plot_lines

    cols = list(paths.ranking.index[:top])
    fig = plot_lines(paths.inoperability[cols], ax=ax, title=f"DIIM recovery paths: {len(cols)} sectors with the "
                     f"largest cumulative loss", xlabel=f"time ({time_unit})",
                     ylabel="inoperability q(t) (share of output lost)", legend_title="sector")
    return ax if ax is not None else fig.axes[0]


def plot_ario(run: ArioResult, regions=None, ax=None):
    """Production relative to baseline by region (the regions with the deepest troughs by
    default), in percent. Returns the Axes."""
    from .plotting import plot_lines

    rel = run.relative_production("region")
    if regions is None:
        regions = list(run.troughs.sort_values("trough_depth", ascending=False).index[:5])
    fig = plot_lines(100 * (rel[regions] - 1), ax=ax, title="ARIO: production by region", xlabel="day",
                     ylabel="production vs baseline (%)", legend_title="region")
    a = ax if ax is not None else fig.axes[0]
    a.axhline(0, color="grey", lw=0.8)
    return a


_DEPRECATED = {"DiimPaths": "DiimResult", "ArioRun": "ArioResult"}


def __getattr__(name):
    from ._deprecated import resolve

    return resolve(globals(), __name__, name, _DEPRECATED)
