"""govsim's ARIO against BoARIO on the NDL flood of issue 7, side by side.

BoARIO is not a dependency of govsim: give the directory that holds its ``boario`` package
(``--boario PATH`` or env ``BOARIO_PATH``). Without it, or without the world table, the script
says so and exits 0. If ``pymrio`` is not importable, a small stand-in written here (an IOSystem
with Z, Y, x, A and the region / sector / final demand category getters BoARIO reads) is
registered before BoARIO is imported.

    PYTHONPATH=build/python BOARIO_PATH=/path/to/boario-src /usr/bin/python3 bench/compare_boario.py [--days 730]

Case: USD 20 bn (table unit: USD million) of capital destroyed in NDL, spread over its 23 sectors
by value added (x - column sums of Z), rebuilt 55 % by F and 45 % by D29 with rebuild_tau 180,
capital 4 x value added, alpha 1.0 / 1.25 / 365, inventories 90 days, psi 0.80, inventory
restoration 60 days, order type "alt", event on day 1 (BoARIO's default occurrence).

``--case matrix``: the same damage, but the rebuilding demand is given as matrices (BoARIO's settable
``rebuilding_demand_indus`` / ``rebuilding_demand_house``; govsim's ``ario_event(rebuilding_demand=...,
households_rebuilding_demand=...)``), with rebuilding factor 1.2: manufacturing industries are rebuilt 30 %
by NDL F, 35 % by NDL D29, 20 % by DEU D29 and 15 % by BEL F, the other industries 60 % by NDL F, 10 % by
NDL D29, 20 % by DEU F and 10 % by BEL D26 (neither split follows the table's purchase shares), plus USD 1 bn
of household capital in NDL's household consumption column rebuilt 60 % by NDL F, 20 % by BEL F and 20 % by
NDL D26.
"""
import argparse
import os
import sys
import time
import types

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(os.environ.get("GOVSIM_SHARED_DIR") or os.path.join(HERE, "..", "..", "shared"),
                     "data", "io", "world_2000_26r23s")
REGION, TOTAL = "NDL", 20000.0
REBUILDING = {"F": 0.55, "D29": 0.45}
PARAMS = dict(order_type="alt", alpha_base=1.0, alpha_max=1.25, alpha_tau=365, main_inv_dur=90)
PSI, INV_TAU, REBUILD_TAU = 0.80, 60, 180


# ---------------------------------------------------------------- pymrio stand-in
class _ShimMeta:
    metadata = {"name": "world_2000_26r23s", "description": "stand-in", "system": "ixi", "version": "n/a"}

    def __str__(self):
        return "compare_boario pymrio stand-in"


class ShimIOSystem:
    """The part of pymrio.IOSystem that BoARIO's model and event code read."""

    def __init__(self, Z, Y, x=None):
        self.Z, self.Y, self.meta = Z, Y, _ShimMeta()
        self.x = x if x is not None else (Z.sum(axis=1) + Y.sum(axis=1)).to_frame("indout")
        xv = self.x.to_numpy().ravel()
        inv = np.divide(1.0, xv, out=np.zeros_like(xv), where=xv != 0)
        self.A = Z * inv[np.newaxis, :]   # pymrio's calc_A: Z diag(1/x)
        self.unit = pd.DataFrame({"unit": "M.USD"}, index=Z.index)

    def get_regions(self):
        return pd.Index(self.Z.index.get_level_values(0).unique(), name="region")

    def get_sectors(self):
        return pd.Index(self.Z.index.get_level_values(1).unique(), name="sector")

    def get_Y_categories(self):
        return pd.Index(self.Y.columns.get_level_values(1).unique(), name="category")


def _calc_A(Z, x):
    """pymrio's calc_A: Z diag(1/x), 0 where x is 0."""
    xv = np.asarray(x).ravel()
    inv = np.divide(1.0, xv, out=np.zeros_like(xv, dtype=float), where=xv != 0)
    return Z * inv[np.newaxis, :]


def install_pymrio_shim():
    try:
        import pymrio  # noqa: F401  a real installation wins
        return "pymrio"
    except ImportError:
        pass
    pkg = types.ModuleType("pymrio")
    core = types.ModuleType("pymrio.core")
    ms = types.ModuleType("pymrio.core.mriosystem")
    ms.IOSystem = ShimIOSystem
    pkg.IOSystem, pkg.core, core.mriosystem = ShimIOSystem, core, ms
    pkg.calc_A = _calc_A  # newer BoARIO checks A against pymrio.calc_A
    sys.modules.update({"pymrio": pkg, "pymrio.core": core, "pymrio.core.mriosystem": ms})
    return "stand-in"


def read_world():
    Z = pd.read_csv(os.path.join(WORLD, "Z.csv"), header=[0, 1], index_col=[0, 1])
    Y = pd.read_csv(os.path.join(WORLD, "Y.csv"), header=[0, 1], index_col=[0, 1])
    x = pd.read_csv(os.path.join(WORLD, "x.csv"), index_col=[0, 1])[["x"]].rename(columns={"x": "indout"})
    for df in (Z, Y, x):
        df.index = df.index.set_names(["region", "sector"])
    Z.columns = Z.columns.set_names(["region", "sector"])
    Y.columns = Y.columns.set_names(["region", "category"])
    return Z, Y, x


def ndl_damage(Z, x):
    va = (x["indout"] - Z.sum(axis=0)).clip(lower=0.0)
    va = va[va.index.get_level_values(0) == REGION]
    return TOTAL * va / va.sum()


MATRIX_FACTOR = 1.2
MANUFACTURING_SPLIT = {("NDL", "F"): 0.30, ("NDL", "D29"): 0.35, ("DEU", "D29"): 0.20, ("BEL", "F"): 0.15}
OTHER_SPLIT = {("NDL", "F"): 0.60, ("NDL", "D29"): 0.10, ("DEU", "F"): 0.20, ("BEL", "D26"): 0.10}
HOUSEHOLD_COLUMN, HOUSEHOLD_TOTAL = ("NDL", "household_consumption"), 1000.0
HOUSEHOLD_SPLIT = {("NDL", "F"): 0.60, ("BEL", "F"): 0.20, ("NDL", "D26"): 0.20}


RECOVERY_TIME = 120


def _half_then_linear(elapsed_temporal_unit, init_impact_stock, recovery_time):
    """A recovery curve of one's own: manufacturing (the odd industries) recovers linearly over
    recovery_time, the others lose half their damage at once and the rest over 2 x recovery_time."""
    s = np.asarray(elapsed_temporal_unit, dtype=float)
    init = np.asarray(init_impact_stock, dtype=float)
    odd = np.arange(init.size) % 2 == 1
    lin = np.clip(1.0 - s / recovery_time, 0.0, None)
    slow = 0.5 * np.clip(1.0 - s / (2.0 * recovery_time), 0.0, None)
    return init * np.where(odd, lin, slow)


def boario_recovery_function(case):
    return {"recover": "linear", "recover-convexe": "convexe", "recover-custom": _half_then_linear}[case]


def govsim_recovery(case):
    return {"recover": "linear", "recover-convexe": "convexe", "recover-custom": _half_then_linear}[case]


def custom_rebuilding(Z, Y, dmg):
    """The --case matrix rebuilding demand: industries (supplier x damaged industry) and households
    (supplier x final-demand column), in the table's order, rebuilding factor included."""
    ind = pd.DataFrame(0.0, index=Z.index, columns=Z.columns)
    for (reg, sec), d in dmg.items():
        split = MANUFACTURING_SPLIT if sec.startswith("D") else OTHER_SPLIT
        for sup, share in split.items():
            ind.loc[sup, (reg, sec)] += MATRIX_FACTOR * share * d
    hh = pd.DataFrame(0.0, index=Z.index, columns=Y.columns)
    for sup, share in HOUSEHOLD_SPLIT.items():
        hh.loc[sup, HOUSEHOLD_COLUMN] += MATRIX_FACTOR * share * HOUSEHOLD_TOTAL
    return ind, hh


# ---------------------------------------------------------------- runs
def run_boario(days, duration=1, case="shares"):
    import boario
    boario.logger.disabled = True
    from boario.event import EventKapitalRebuild
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation
    Z, Y, x = read_world()
    install_pymrio_shim()
    import pymrio
    mrio = pymrio.IOSystem(Z=Z, Y=Y, x=x)
    if hasattr(mrio, "calc_all"):  # a real pymrio: compute A
        mrio.calc_all()
    model = ARIOPsiModel(mrio, psi_param=PSI, inventory_restoration_tau=INV_TAU, rebuild_tau=REBUILD_TAU,
                         monetary_factor=10**6, **PARAMS)
    sim = Simulation(model, n_temporal_units_to_sim=days)
    dmg = ndl_damage(Z, x)
    kw = dict(rebuild_tau=REBUILD_TAU, rebuilding_sectors=REBUILDING, occurrence=1, duration=duration,
              event_monetary_factor=10**6)  # damage in the table's unit (USD million)
    if case == "matrix":
        kw["rebuilding_factor"] = MATRIX_FACTOR
    if case.startswith("recover"):  # exogenous recovery, no rebuilding demand
        from boario.event import EventKapitalRecover
        ev = EventKapitalRecover.from_series(dmg, recovery_time=RECOVERY_TIME, occurrence=1, duration=duration,
                                             event_monetary_factor=10**6,
                                             recovery_function=boario_recovery_function(case))
    elif hasattr(EventKapitalRebuild, "from_series"):  # BoARIO 0.5
        ev = EventKapitalRebuild.from_series(dmg, **kw)
    else:  # BoARIO >= 0.6: module-level constructor
        from boario.event import from_series
        ev = from_series(dmg, event_type="rebuild", **kw)
    if case == "matrix":  # the user-given rebuilding demand replaces the one derived from the shares
        ind, hh = custom_rebuilding(Z, Y, dmg)
        ev.rebuilding_demand_indus = ind.to_numpy()
        ev.rebuilding_demand_house = hh.to_numpy()
    sim.add_event(ev)
    t0 = time.perf_counter()
    try:
        sim.loop(progress=False)  # BoARIO 0.5
    except TypeError:
        sim.loop()  # newer: progress is a Simulation option, off by default
    sec = time.perf_counter() - t0
    if sim.has_crashed:
        raise RuntimeError("BoARIO run crashed")
    prod = sim.production_realised
    ndl = prod.loc[:, prod.columns.get_level_values(0) == REGION].sum(axis=1).to_numpy()
    base = model.X_0.reshape(model.n_regions, model.n_sectors)[list(model.regions).index(REGION)].sum()
    return {"path": ndl, "base": base, "ms_per_day": 1000 * sec / days, "capital_seen": ev.total_impact,
            "k_stock": getattr(model, "k_stock", None), "model": model, "sim": sim}


def run_govsim(days, duration=1, case="shares"):
    import govsim
    from govsim import dynamic_io as dio
    w = govsim.io.read_csv_folder(WORLD)
    if case.startswith("recover"):
        ev = dio.ario_event(w, region=REGION, total=TOTAL, recovery=govsim_recovery(case), tau=RECOVERY_TIME,
                            occurrence=1, duration=duration)
    elif case == "matrix":
        Z, Y, x = read_world()
        ind, hh = custom_rebuilding(Z, Y, ndl_damage(Z, x))
        ev = dio.ario_event(w, rebuilding_demand=ind, households_rebuilding_demand=hh, rebuilding_factor=MATRIX_FACTOR,
                            tau=REBUILD_TAU, occurrence=1, duration=duration)
    else:
        ev = dio.ario_event(w, region=REGION, total=TOTAL, rebuilding=REBUILDING, tau=REBUILD_TAU, occurrence=1,
                            **({"duration": duration} if duration != 1 else {}))
    t0 = time.perf_counter()
    r = dio.ario(w, ev, periods=days, psi=PSI, inventory_restoration_tau=INV_TAU, rebuild_tau=REBUILD_TAU,
                 capital_to_value_added=4.0, **PARAMS)
    sec = time.perf_counter() - t0
    cols = r.production.columns
    mask = cols.get_level_values(0) == REGION if isinstance(cols, pd.MultiIndex) else \
        np.array([str(c).startswith(REGION) for c in cols])
    ndl = r.production.loc[:, mask].sum(axis=1).to_numpy()
    return {"path": ndl, "base": r.baseline[mask].sum(), "ms_per_day": 1000 * sec / days, "run": r}


def summarise(res):
    path, base = res["path"], res["base"]
    rel = path / base
    day = int(np.argmin(path))
    return {"trough day": day, "trough depth (%)": 100 * (1 - rel[day]),
            "cumulative NDL loss (USD m)": float(np.sum(base - path)),
            "NDL production day 0 / baseline": rel[0], "ms per day": res["ms_per_day"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boario", default=os.environ.get("BOARIO_PATH"),
                    help="directory holding the boario package (default env BOARIO_PATH)")
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--duration", type=int, default=1,
                    help="days between the event and the start of rebuilding (BoARIO's Event duration)")
    ap.add_argument("--case", choices=("shares", "matrix", "recover", "recover-convexe", "recover-custom"),
                    default="shares",
                    help="rebuilding by sector shares (default) or by a user-given rebuilding-demand matrix")
    ap.add_argument("--print-path", default="",
                    help="comma-separated days whose NDL production / baseline to print for both (e.g. 0,10,180)")
    a = ap.parse_args(argv)
    if not a.boario or not os.path.isdir(os.path.join(a.boario, "boario")):
        print("compare_boario: SKIPPED - no BoARIO installation given (--boario PATH or BOARIO_PATH "
              "must be a directory containing the boario package)")
        return 0
    if not os.path.isdir(WORLD):
        print(f"compare_boario: SKIPPED - world table not found at {WORLD} (set GOVSIM_SHARED_DIR)")
        return 0
    sys.path.insert(0, os.path.abspath(a.boario))
    shim = install_pymrio_shim()
    b = run_boario(a.days, a.duration, a.case)
    g = run_govsim(a.days, a.duration, a.case)
    sb, sg = summarise(b), summarise(g)
    rb, rg = b["path"] / b["base"], g["path"] / g["base"]
    print(f"NDL flood ({a.case}), {a.days} days, duration {a.duration} (pymrio: {shim}); BoARIO capital destroyed as seen by its event "
          f"{b['capital_seen']:.1f} USD m")
    print(f"{'':34s}{'BoARIO':>14s}{'govsim':>14s}{'govsim-BoARIO':>16s}")
    for k in sb:
        fmt = "{:14.0f}" if k == "trough day" else "{:14.4f}"
        print(f"{k:34s}" + fmt.format(sb[k]) + fmt.format(sg[k]) + "{:16.4f}".format(sg[k] - sb[k]))
    d = np.abs(rg - rb)
    print(f"{'max |diff| of NDL production / baseline':44s}{d.max():.3e} (day {int(np.argmax(d))})")
    print(f"{'baseline NDL daily production (USD m)':44s}BoARIO {b['base']:.3f}, govsim {g['base']:.3f}")
    for day in [int(v) for v in a.print_path.split(",") if v.strip()]:
        print(f"day {day:4d}: NDL production / baseline  BoARIO {rb[day]:.15f}  govsim {rg[day]:.15f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
