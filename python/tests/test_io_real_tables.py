"""govsim.io on real tables, checked against numpy and published figures.

The shared tables live in ``<repo>/../shared/data/io`` (or ``$GOVSIM_SHARED_DIR/data/io``);
tests that need them skip with a message when they are absent. The US BEA 2017 tables shipped
in ``<repo>/data/us_bea_2017`` are always tested.
"""
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import io as gio

from test_io import check_extraction, close

REPO = Path(__file__).resolve().parents[2]


def shared_io_dir() -> Path:
    base = os.environ.get("GOVSIM_SHARED_DIR")
    return (Path(base) if base else REPO.parent / "shared") / "data" / "io"


def dataset(name: str) -> Path:
    d = shared_io_dir() / name
    if not d.is_dir():
        pytest.skip(f"shared IO table {name!r} not found at {d} "
                    "(set GOVSIM_SHARED_DIR to the folder holding data/io)")
    return d


# ---------------------------------------------------------------------------------- Brazil 2020
@pytest.fixture(scope="module")
def brazil():
    d = dataset("brazil_2020_51")
    Z = pd.read_csv(d / "Z.csv", index_col=0)
    Y = pd.read_csv(d / "Y.csv", index_col=0)
    x = pd.read_csv(d / "x.csv", index_col=0)["x"]
    P = pd.read_csv(d / "primary_inputs.csv", index_col=0)
    va = P.loc[["imports", "taxes_on_products", "margins", "compensation_of_employees",
                "gross_operating_surplus_mixed_income", "other_taxes_on_production",
                "other_subsidies_on_production"]]
    t = gio.IOTable(Z, Y, x, value_added=va, satellite=P.loc[["employment_persons"]], unit="BRL million")
    return t, dict(Z=Z.to_numpy(), Y=Y.to_numpy(), x=x.to_numpy(), P=P)


def test_brazil_known_figures(brazil):
    t, _ = brazil
    assert t.n == 51 and t.sectors[0] == "S01"
    m = t.multipliers()["output"]
    assert m.idxmax() == "S14"
    assert round(m.max(), 4) == 2.5456
    rho = max(abs(np.linalg.eigvals(t.A.to_numpy())))
    assert round(rho, 3) == 0.480
    cut = -0.1 * t.Y.loc["S06"].sum()
    assert round(t.output_change({"S06": cut}).sum()) == -166385


def test_brazil_balance(brazil):
    t, d = brazil
    diag = t.diagnostics
    assert diag.max_row_imbalance < 1e-12
    assert diag.zero_output == []
    # imports + taxes + margins + value added close the columns (gross_value_added's parts)
    assert diag.max_column_imbalance < 1e-9
    close(t.primary_inputs().to_numpy(), d["x"] - d["Z"].sum(0))


def test_brazil_matches_numpy(brazil):
    t, d = brazil
    n = t.n
    A = d["Z"] / d["x"]
    L = np.linalg.inv(np.eye(n) - A)
    close(t.leontief_inverse().to_numpy(), L)
    F = d["Y"]
    close(t.output_change(t.Y).to_numpy(), L @ F)
    close(t.output_change(F.sum(1)).to_numpy(), d["x"], rtol=1e-10)
    emp = d["P"].loc["employment_persons"].to_numpy()
    mult = t.multipliers()
    close(mult["employment_persons"].to_numpy(), (emp / d["x"]) @ L)
    close(mult["output"].to_numpy(), L.sum(0))
    # every unit of final demand ends up as value added or as a primary input (imports, taxes)
    close(mult["value_added"].to_numpy(), np.ones(n), rtol=1e-9)
    G = np.linalg.inv(np.eye(n) - d["Z"] / d["x"][:, None])
    close(t.ghosh_inverse().to_numpy(), G)
    close(t.primary_inputs().to_numpy() @ G, d["x"])


def test_brazil_type_II(brazil):
    t, d = brazil
    n = t.n
    comp = d["P"].loc["compensation_of_employees"].to_numpy()
    hc = t.Y["household_consumption"].to_numpy()
    Ab = np.zeros((n + 1, n + 1))
    Ab[:n, :n] = d["Z"] / d["x"]
    Ab[:n, n] = hc / comp.sum()
    Ab[n, :n] = comp / d["x"]
    Lb = np.linalg.inv(np.eye(n + 1) - Ab)
    m2 = t.multipliers(households=("compensation_of_employees", "household_consumption"), kind="type_II_simple")
    close(m2["output"].to_numpy(), Lb[:n, :n].sum(0))
    close(m2["household_income"].to_numpy(), Lb[n, :n])


def test_brazil_price_models(brazil):
    t, d = brazil
    n = t.n
    A = t.A.to_numpy()
    v = np.ones(n) - A.sum(0)
    close(t.price_change(0.05 * v).to_numpy(), np.full(n, 0.05), rtol=1e-12)
    p = t.price_change_from_sector_prices({"S03": 0.2})  # oil and gas +20%
    N = [i for i in range(n) if i != 2]
    close(p.iloc[N].to_numpy(), np.linalg.solve(np.eye(n - 1) - A[np.ix_(N, N)].T, A[2, N] * 0.2))
    assert p["S03"] == 0.2 and p["S14"] > 0.05  # refining passes most of crude on


def test_brazil_extraction_matches_explicit_deletion(brazil):
    t, _ = brazil
    e = check_extraction(t, rtol=1e-9)
    assert (e["total"] >= e["backward"]).all()


def test_brazil_linkages(brazil):
    t, d = brazil
    k = t.linkages()
    L = t.leontief_inverse().to_numpy()
    close(k["power_of_dispersion"].to_numpy(), L.sum(0) / L.sum(0).mean())
    assert k.loc["S14", "classification"] == "key"
    assert set(k["classification"]) <= {"key", "backward-oriented", "forward-oriented", "weak"}


# ---------------------------------------------------------------------------------- World MRIO
@pytest.fixture(scope="module")
def world():
    d = dataset("world_2000_26r23s")
    Z = pd.read_csv(d / "Z.csv", index_col=[0, 1], header=[0, 1])
    Y = pd.read_csv(d / "Y.csv", index_col=[0, 1], header=[0, 1])
    x = pd.read_csv(d / "x.csv", index_col=[0, 1]).iloc[:, 0]
    P = pd.read_csv(d / "primary_inputs.csv", index_col=0, header=[0, 1])
    t = gio.IOTable(Z, Y, x, value_added=P.loc[["value_added"]], unit="USD million")
    return t, dict(Z=Z.to_numpy(), Y=Y, x=x.to_numpy(), va=P.loc["value_added"].to_numpy(dtype=float))


@pytest.fixture(scope="module")
def world_L(world):
    _, d = world
    n = len(d["x"])
    return np.linalg.inv(np.eye(n) - d["Z"] / d["x"])


def test_world_labels(world):
    t, _ = world
    assert t.n == 598 and len(t.regions) == 26 and t.regions[0] == "AUS" and t.regions[-1] == "ROW"
    assert isinstance(t.index, pd.MultiIndex) and t.index[24] == ("AUT", "C")
    assert repr(t) == "IOTable(598 sectors, 26 regions, 104 final-demand categories)"
    rho = max(abs(np.linalg.eigvals(t.A.to_numpy())))
    assert round(rho, 3) == 0.580
    assert t.diagnostics.max_row_imbalance < 1e-8


def test_world_leontief_matches_numpy(world, world_L):
    t, d = world
    close(t.leontief_inverse().to_numpy(), world_L)
    F = np.random.default_rng(0).normal(size=(t.n, 10))
    close(t.output_change(F).to_numpy(), world_L @ F)


def test_world_regional_multipliers(world, world_L):
    t, d = world
    L = world_L
    reg = np.repeat(np.arange(26), 23)
    by = np.vstack([L[reg == r].sum(0) for r in range(26)])
    close(t.regional_multiplier_matrix().to_numpy(), by)
    rm = t.regional_multipliers()
    dom = by[reg, np.arange(t.n)]
    close(rm["domestic"].to_numpy(), dom)
    close(rm["spillover"].to_numpy(), L.sum(0) - dom)
    close((rm["domestic"] + rm["spillover"]).to_numpy(), rm["total"].to_numpy(), rtol=1e-13)
    eff = t.effects_by_region({("BRA", "D15t16"): -1000.0})
    col = L[:, t.index.get_loc(("BRA", "D15t16"))] * -1000.0
    close(eff.iloc[:, 0].to_numpy(), [col[reg == r].sum() for r in range(26)])
    assert eff.attrs["origin"] == "BRA"


def test_world_value_added_footprint(world, world_L):
    t, d = world
    L = world_L
    e = d["va"] / d["x"]
    regions = t.regions
    Yr = np.column_stack([d["Y"].xs(r, axis=1, level=0).sum(1).to_numpy() for r in regions])
    emb = e[:, None] * (L @ Yr)
    reg = np.repeat(np.arange(26), 23)
    flows = np.vstack([emb[reg == r].sum(0) for r in range(26)])
    fp = t.footprint("value_added")
    close(fp.attrs["flows"].to_numpy(), flows)
    close(fp["consumption_based"].to_numpy(), flows.sum(0))
    close(fp["production_based"].to_numpy(), [d["va"][reg == r].sum() for r in range(26)])
    assert list(fp.index) == regions
    assert fp["consumption_based"].sum() == pytest.approx(fp["production_based"].sum(), rel=1e-8)


def test_world_extraction_is_fast_and_consistent(world, world_L):
    t, d = world
    e = t.extraction()
    L = world_L
    x = d["x"]
    close(e["total"].to_numpy(), x * L.sum(0) / np.diag(L), rtol=1e-9)
    close(e["forward"].to_numpy(), (L @ x - x) / np.diag(L), rtol=1e-9)
    # spot-check the closed form by explicit deletion for a few sectors
    A = d["Z"] / x
    f = x - A @ x
    for j in (0, 150, 597):
        keep = np.arange(t.n) != j
        xt = np.linalg.solve(np.eye(t.n - 1) - A[np.ix_(keep, keep)], f[keep])
        assert e["total"].iloc[j] == pytest.approx(x.sum() - xt.sum(), rel=1e-8)


# ---------------------------------------------------------------------------------- US BEA 2017
@pytest.fixture(scope="module")
def us():
    return gio.load_us_bea_2017()


def bea_frames(folder: Path):
    use = pd.read_csv(folder / "use_2017_detail_PRO_before_redef.csv", index_col=0)
    make = pd.read_csv(folder / "make_2017_detail_before_redef.csv", index_col=0)
    com = [c for c in use.index if not c.startswith(("T0", "V0"))]
    ind = [c for c in use.columns if not c.startswith(("T0", "F"))]
    return use, make, com, ind


def test_shipped_bea_matches_numpy_formulas():
    # Make-table totals (normalisation="make"); the default Use-table totals are checked against
    # BEA's requirement formulas in test_io_formats.py
    us = gio.load_us_bea_2017(normalisation="make")
    use, make, com, ind = bea_frames(REPO / "data" / "us_bea_2017")
    V = make.loc[ind, com].to_numpy(dtype=float)
    U = use.loc[com, ind].to_numpy(dtype=float)
    E = use.loc[com, [c for c in use.columns if c.startswith("F")]].to_numpy(dtype=float)
    q, g = V.sum(0), V.sum(1)
    D = np.divide(V, q, out=np.zeros_like(V), where=q != 0)
    assert us.n == 402 and us.sectors == ind
    close(us.Z.to_numpy(), D @ U, rtol=1e-12)
    close(us.Y.to_numpy(), D @ E, rtol=1e-12)
    close(us.x.to_numpy(), g)
    assert list(us.Y.columns)[6] == "F04000"  # exports
    A = (D @ U) / g
    L = np.linalg.inv(np.eye(402) - A)
    close(us.multipliers()["output"].to_numpy(), L.sum(0), rtol=1e-9)
    f = np.zeros(402)
    f[5] = -1000.0
    close(us.output_change(f).to_numpy(), L @ f, rtol=1e-9)
    cc = gio.load_us_bea_2017(kind="commodity", normalisation="make")
    close(cc.Z.to_numpy(), (U / np.where(g > 0, g, 1.0)) @ V, rtol=1e-12)
    close(cc.x.to_numpy(), q)
    assert sorted(cc.sectors[i] for i in cc.diagnostics.zero_output) == ["S00300", "S00402"]


def test_shipped_bea_balance(us):
    d = us.diagnostics
    # BEA rounding and the industry-technology redistribution: well under 1% per row
    assert d.max_row_imbalance < 0.01
    assert d.max_column_imbalance < 0.01
    assert d.zero_output == []
    assert list(us.value_added.index) == ["V00100", "V00200", "V00300", "inputs without domestic output"]
    rel = abs(us.Y.sum().sum() + us.Z.sum().sum() - us.x.sum()) / us.x.sum()
    assert rel < 1e-3


# The US table has a column sum of A above one (S00201) and zero rows in A: the productivity check
# must still pass, and the spectral radius must match numpy's eigenvalues.
def test_shipped_bea_spectral_radius(us):
    rho = max(abs(np.linalg.eigvals(us.A.to_numpy())))
    assert us.spectral_radius() == pytest.approx(rho, rel=1e-4)


def test_shipped_bea_aggregated(us):
    agg = gio.load_us_bea_2017(aggregate=True)
    conc = pd.read_csv(REPO / "data" / "us_bea_2017" / "concordance_22.csv", dtype=str)
    assert agg.n == 22 and agg.sectors == list(dict.fromkeys(conc.set_index("code").loc[us.sectors, "sector"]))
    assert agg.x.sum() == pytest.approx(us.x.sum(), rel=1e-12)
    assert agg.Z.to_numpy().sum() == pytest.approx(us.Z.to_numpy().sum(), rel=1e-12)
    group = conc.set_index("code").loc[us.sectors, "sector"].to_numpy()
    S = (np.array(agg.sectors)[:, None] == group[None, :]).astype(float)
    close(agg.Z.to_numpy(), S @ us.Z.to_numpy() @ S.T, rtol=1e-12)
    close(agg.value_added.to_numpy(), us.value_added.to_numpy() @ S.T, rtol=1e-12)
    L = np.linalg.inv(np.eye(22) - agg.A.to_numpy())
    close(agg.leontief_inverse().to_numpy(), L, rtol=1e-10)
    named = gio.load_us_bea_2017(aggregate=True, names=True)
    assert "Mining" in named.sectors and len(named.sectors) == 22
    close(named.multipliers()["output"].to_numpy(), agg.multipliers()["output"].to_numpy(), rtol=1e-14)
    with pytest.raises(ValueError):
        gio.load_us_bea_2017(aggregate=True, kind="commodity")


def test_shipped_bea_detail_names():
    t = gio.load_us_bea_2017(names=True)
    assert t.n == 402 and len(set(t.sectors)) == 402
    assert not any(s.startswith(("1111", "2111")) for s in t.sectors[:3])


def test_shared_bea_equals_shipped():
    us = gio.load_us_bea_2017(normalisation="make")
    folder = dataset("us_bea_2017_detail")
    use, make, com, ind = bea_frames(folder)
    t = gio.from_make_use(make.loc[ind, com], use.loc[com, ind],
                          use.loc[com, [c for c in use.columns if c.startswith("F")]],
                          use.loc[["V00100", "V00200", "V00300"], ind], normalisation="make")
    np.testing.assert_array_equal(t.Z.to_numpy(), us.Z.to_numpy())
    np.testing.assert_array_equal(t.x.to_numpy(), us.x.to_numpy())
    # industry output agrees with the Use table's total row (T008) up to BEA rounding
    t008 = use.loc["T008", ind].to_numpy(dtype=float)
    assert np.abs(t.x.to_numpy() - t008).max() <= 5
