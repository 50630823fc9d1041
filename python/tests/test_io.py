"""govsim.io on synthetic tables: every number is checked against an independent numpy
computation (explicit inverses, explicit deletions), plus conversions, labels, errors and repr."""
import math

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import io as gio

RTOL = 1e-10


def close(a, b, rtol=RTOL, atol=0.0):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = max(np.abs(b).max(), 1e-300)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol + rtol * scale)


# ---------------------------------------------------------------------------------- fixtures
def random_table(n=30, k=3, seed=7, density=0.7):
    """A balanced random table: Z with zeros, k final-demand columns, value added = x - Z'1
    split into compensation and surplus, an employment row."""
    rng = np.random.default_rng(seed)
    Z = rng.uniform(0.0, 10.0, (n, n)) * (rng.uniform(size=(n, n)) < density)
    Y = rng.uniform(20.0, 120.0, (n, k))
    x = Z.sum(1) + Y.sum(1)
    v = x - Z.sum(0)
    assert (v > 0).all()
    share = rng.uniform(0.3, 0.7, n)
    VA = np.vstack([share * v, (1 - share) * v])
    emp = rng.uniform(0.5, 5.0, n) * x / 100
    return Z, Y, x, VA, emp


@pytest.fixture(scope="module")
def raw():
    return random_table()


@pytest.fixture(scope="module")
def names(raw):
    n = raw[0].shape[0]
    return [f"S{i:02d}" for i in range(n)]


@pytest.fixture(scope="module")
def table(raw, names):
    Z, Y, x, VA, emp = raw
    return gio.IOTable(Z, Y, x, sectors=names, final_demand=["households", "government", "exports"],
                       value_added=VA, value_added_names=["compensation", "surplus"],
                       satellite=emp.reshape(1, -1), satellite_names=["employment"], unit="EUR m")


@pytest.fixture(scope="module")
def ref(raw):
    """Independent numpy quantities."""
    Z, Y, x, VA, emp = raw
    n = len(x)
    A = Z / x
    L = np.linalg.inv(np.eye(n) - A)
    B = Z / x[:, None]
    G = np.linalg.inv(np.eye(n) - B)
    return dict(A=A, L=L, B=B, G=G, f=x - A @ x, v=x - Z.sum(0), n=n)


# ---------------------------------------------------------------------------------- Leontief
def test_coefficients_and_inverses_match_numpy(table, raw, ref):
    Z, Y, x, _, _ = raw
    close(table.A.to_numpy(), ref["A"])
    close(table.B.to_numpy(), ref["B"])
    close(table.Z.to_numpy(), Z)
    close(table.Y.to_numpy(), Y)
    close(table.x.to_numpy(), x)
    close(table.leontief_inverse().to_numpy(), ref["L"])
    close(table.ghosh_inverse().to_numpy(), ref["G"])


def test_factor_and_solve_matches_explicit_inverse(table, ref):
    rng = np.random.default_rng(1)
    F = rng.normal(size=(ref["n"], 5))
    out = table.output_change(F)
    assert out.shape == (ref["n"], 5)
    close(out.to_numpy(), ref["L"] @ F)
    # the table reproduces its own output from its final demand
    close(table.output_change(table.Y.sum(axis=1).to_numpy()).to_numpy(), table.x.to_numpy(), rtol=1e-12)


def test_unit_shock_total_equals_output_multiplier(table, ref):
    m = table.multipliers()["output"].to_numpy()
    close(m, ref["L"].sum(0))
    E = np.eye(ref["n"])
    close(table.output_change(E).sum(axis=0).to_numpy(), m)
    # any shock: total output change = multiplier-weighted shock
    f = np.random.default_rng(3).normal(size=ref["n"])
    assert table.output_change(f).sum() == pytest.approx(m @ f, rel=1e-12)


def test_account_multipliers_match_numpy(table, raw, ref):
    Z, Y, x, VA, emp = raw
    mult = table.multipliers()
    assert list(mult.columns) == ["output", "compensation", "surplus", "value_added", "employment"]
    for name, row in [("compensation", VA[0]), ("surplus", VA[1]), ("value_added", VA.sum(0)), ("employment", emp)]:
        c = row / x
        close(mult[name].to_numpy(), c @ ref["L"])
        close(table.multipliers(kind="type_I")[name].to_numpy(), (c @ ref["L"]) / c)
    # value added per unit of final demand is exactly one for a table with no imports
    close(mult["value_added"].to_numpy(), np.ones(ref["n"]), rtol=1e-12)


def test_type_II_multipliers_match_augmented_inverse(table, raw, ref):
    Z, Y, x, VA, emp = raw
    n = ref["n"]
    Ab = np.zeros((n + 1, n + 1))
    Ab[:n, :n] = ref["A"]
    Ab[:n, n] = Y[:, 0] / VA[0].sum()
    Ab[n, :n] = VA[0] / x
    Lb = np.linalg.inv(np.eye(n + 1) - Ab)
    hh = ("compensation", "households")
    m2 = table.multipliers(households=hh, kind="type_II_simple")
    close(m2["output"].to_numpy(), Lb[:n, :n].sum(0))
    close(m2["household_income"].to_numpy(), Lb[n, :n])
    close(m2["employment"].to_numpy(), (emp / x) @ Lb[:n, :n])
    r2 = table.multipliers(households=hh, kind="type_II")
    close(r2["employment"].to_numpy(), (emp / x) @ Lb[:n, :n] / (emp / x))
    s = table.multipliers(households=hh)
    close(s["output_type_II"].to_numpy(), Lb[:n, :n].sum(0))
    assert (s["output_type_II"] > s["output"]).all()
    close(gio._cio.household_augmented_coefficients(table.core, gio._cio.HouseholdClosure(*hh)), Ab)
    with pytest.raises(ValueError, match="households"):
        table.multipliers(kind="type_II")
    with pytest.raises(ValueError, match="unknown kind"):
        table.multipliers(kind="type_III")


# ---------------------------------------------------------------------------------- price and Ghosh
def test_price_model_uniform_cost_shock(table, ref):
    v = np.ones(ref["n"]) @ (np.eye(ref["n"]) - ref["A"])  # value added per unit of output
    for s in (0.1, -0.05, 0.37):
        close(table.price_change(s * v).to_numpy(), np.full(ref["n"], s), rtol=1e-12)
    dv = np.random.default_rng(5).uniform(0, 0.02, (ref["n"], 3))
    close(table.price_change(dv).to_numpy(), ref["L"].T @ dv)


def test_price_change_from_sector_prices_matches_numpy(table, ref, names):
    A = ref["A"]
    fixed = {names[2]: 0.2, names[7]: -0.05}
    S = [2, 7]
    N = [i for i in range(ref["n"]) if i not in S]
    dpS = np.array([0.2, -0.05])
    # non-fixed prices pass costs through: dp_N = A_NN' dp_N + A_SN' dp_S
    dpN = np.linalg.solve(np.eye(len(N)) - A[np.ix_(N, N)].T, A[np.ix_(S, N)].T @ dpS)
    out = table.price_change_from_sector_prices(fixed)
    assert out[names[2]] == 0.2 and out[names[7]] == -0.05
    close(out.iloc[N].to_numpy(), dpN)
    # every sector fixed at the same change: prices move uniformly
    all_fixed = table.price_change_from_sector_prices({s: 0.1 for s in names[:1]})
    assert np.isfinite(all_fixed).all()


def test_leontief_ghosh_duality(table, raw, ref):
    Z, Y, x, VA, _ = raw
    v = table.primary_inputs()
    close(v.to_numpy(), x - Z.sum(0))
    close(v.to_numpy() @ ref["G"], x)
    close(v.to_numpy() @ table.ghosh_inverse().to_numpy(), x)
    close(table.ghosh_inverse().to_numpy(), np.diag(1 / x) @ ref["L"] @ np.diag(x))


def test_ghosh_output_change_matches_numpy(table, ref):
    dv = np.random.default_rng(11).normal(size=(ref["n"], 4))
    close(table.ghosh_output_change(dv).to_numpy(), (dv.T @ ref["G"]).T)
    one = table.ghosh_output_change({"S03": 10.0})
    close(one.to_numpy(), 10.0 * ref["G"][3])


# ---------------------------------------------------------------------------------- linkages, extraction
def test_linkages_match_numpy(table, ref):
    k = table.linkages()
    L, G = ref["L"], ref["G"]
    close(k["backward"].to_numpy(), L.sum(0))
    close(k["forward"].to_numpy(), G.sum(1))
    close(k["power_of_dispersion"].to_numpy(), L.sum(0) / L.sum(0).mean())
    close(k["sensitivity_of_dispersion"].to_numpy(), L.sum(1) / L.sum(1).mean())
    fn = G.sum(1) / G.sum(1).mean()
    close(k["forward_normalized"].to_numpy(), fn)
    pod = L.sum(0) / L.sum(0).mean()
    want = np.where((pod > 1) & (fn > 1), "key", np.where(pod > 1, "backward-oriented",
                                                           np.where(fn > 1, "forward-oriented", "weak")))
    assert list(k["classification"]) == list(want)


def explicit_extraction(A, x):
    """Hypothetical extraction by deleting / zeroing and re-inverting for every sector."""
    n = len(x)
    f = x - A @ x
    Z = A * x
    B = Z / np.where(x > 0, x, 1.0)[:, None]
    v = x - Z.sum(0)
    total, backward, forward = np.zeros(n), np.zeros(n), np.zeros(n)
    for j in range(n):
        keep = [i for i in range(n) if i != j]
        xt = np.linalg.solve(np.eye(n - 1) - A[np.ix_(keep, keep)], f[keep])
        total[j] = x.sum() - xt.sum()
        Ab = A.copy()
        Ab[:, j] = 0.0
        backward[j] = x.sum() - np.linalg.solve(np.eye(n) - Ab, f).sum()
        Bf = B.copy()
        Bf[j, :] = 0.0
        forward[j] = x.sum() - np.linalg.solve((np.eye(n) - Bf).T, v).sum()
    return total, backward, forward


def check_extraction(t, rtol=1e-9):
    A = t.A.to_numpy()
    x = t.x.to_numpy()
    total, backward, forward = explicit_extraction(A, x)
    e = t.extraction()
    assert list(e.columns) == ["total", "backward", "forward", "total_percent", "backward_percent",
                               "forward_percent"]
    close(e["total"].to_numpy(), total, rtol=rtol)
    close(e["backward"].to_numpy(), backward, rtol=rtol)
    close(e["forward"].to_numpy(), forward, rtol=rtol)
    close(e["total_percent"].to_numpy(), 100 * total / x.sum(), rtol=rtol)
    close(e["backward_percent"].to_numpy(), 100 * backward / x.sum(), rtol=rtol)
    close(e["forward_percent"].to_numpy(), 100 * forward / x.sum(), rtol=rtol)
    return e


def test_hypothetical_extraction_matches_explicit_deletion(table):
    check_extraction(table)


def test_extraction_progress_callback(table):
    calls = []
    table.extraction(progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


# ---------------------------------------------------------------------------------- MRIO
@pytest.fixture(scope="module")
def mrio():
    regions, sectors = ["NOR", "SOU", "EAS"], ["agr", "man", "ser", "ene"]
    n = len(regions) * len(sectors)
    rng = np.random.default_rng(21)
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    Z = rng.uniform(0, 10, (n, n))
    for r in range(len(regions)):  # stronger domestic blocks
        Z[4 * r:4 * r + 4, 4 * r:4 * r + 4] *= 4
    cols = pd.MultiIndex.from_product([regions, ["households", "investment"]], names=["region", "category"])
    Y = rng.uniform(30, 90, (n, len(cols)))
    x = Z.sum(1) + Y.sum(1)
    va = x - Z.sum(0)
    co2 = rng.uniform(0.1, 1.0, n) * x
    t = gio.IOTable(pd.DataFrame(Z, index=idx, columns=idx), pd.DataFrame(Y, index=idx, columns=cols),
                    value_added=pd.DataFrame([va], index=["value_added"], columns=idx),
                    satellite=pd.DataFrame([co2], index=["co2"], columns=idx))
    return t, dict(Z=Z, Y=Y, x=x, value_added=va, co2=co2, regions=regions, sectors=sectors, idx=idx, n=n)


def test_mrio_labels_and_repr(mrio):
    t, d = mrio
    assert t.is_multiregional
    assert t.regions == d["regions"]
    assert isinstance(t.index, pd.MultiIndex) and list(t.index.names) == ["region", "sector"]
    assert list(t.index) == list(d["idx"])
    assert t.Y.columns[0] == "NOR/households"
    assert repr(t) == "IOTable(12 sectors, 3 regions, 6 final-demand categories)"
    assert isinstance(t.output_change({("SOU", "man"): 1.0}).index, pd.MultiIndex)
    assert t.output_change({"SOU/man": 1.0}).equals(t.output_change({("SOU", "man"): 1.0}))


def test_mrio_regional_multipliers_match_numpy(mrio):
    t, d = mrio
    n = d["n"]
    L = np.linalg.inv(np.eye(n) - d["Z"] / d["x"])
    region_of = np.repeat(np.arange(3), 4)
    by_region = np.vstack([L[region_of == r].sum(0) for r in range(3)])
    close(t.regional_multiplier_matrix().to_numpy(), by_region)
    rm = t.regional_multipliers()
    close(rm["total"].to_numpy(), L.sum(0))
    close(rm["domestic"].to_numpy(), by_region[region_of, np.arange(n)])
    close(rm["spillover"].to_numpy(), L.sum(0) - by_region[region_of, np.arange(n)])
    assert list(t.regional_multiplier_matrix().index) == d["regions"]


def test_mrio_effects_by_region(mrio):
    t, d = mrio
    n = d["n"]
    L = np.linalg.inv(np.eye(n) - d["Z"] / d["x"])
    f = np.zeros(n)
    f[5] = -100.0  # SOU/man
    eff = t.effects_by_region({("SOU", "man"): -100.0})
    close(eff.iloc[:, 0].to_numpy(), np.array([(L @ f)[4 * r:4 * r + 4].sum() for r in range(3)]))
    assert eff.attrs["origin"] == "SOU"
    assert eff.attrs["domestic"]["output_change"] == pytest.approx((L @ f)[4:8].sum(), rel=1e-12)
    assert eff.attrs["spillover"]["output_change"] == pytest.approx((L @ f).sum() - (L @ f)[4:8].sum(), rel=1e-12)


@pytest.mark.parametrize("account", ["co2", "value_added"])
def test_mrio_footprint_matches_numpy(mrio, account):
    t, d = mrio
    n = d["n"]
    L = np.linalg.inv(np.eye(n) - d["Z"] / d["x"])
    e = d[account] / d["x"]
    flows = np.zeros((3, 3))
    for c in range(3):
        Yc = d["Y"][:, 2 * c:2 * c + 2].sum(1)
        emb = e * (L @ Yc)
        for p in range(3):
            flows[p, c] = emb[4 * p:4 * p + 4].sum()
    fp = t.footprint(account)
    close(fp.attrs["flows"].to_numpy(), flows)
    close(fp["consumption_based"].to_numpy(), flows.sum(0))
    close(fp["production_based"].to_numpy(), [d[account][4 * r:4 * r + 4].sum() for r in range(3)])
    # every unit is produced somewhere and consumed somewhere
    assert fp["consumption_based"].sum() == pytest.approx(fp["production_based"].sum(), rel=1e-10)


def test_mrio_functions_need_regions(table):
    with pytest.raises(gs.DataError, match="no region"):
        table.regional_multipliers()


# ---------------------------------------------------------------------------------- Make/Use
@pytest.fixture(scope="module")
def make_use():
    rng = np.random.default_rng(4)
    ni, nc = 6, 7
    ind = [f"I{i}" for i in range(ni)]
    com = [f"C{c}" for c in range(nc)]
    V = np.diag(rng.uniform(200, 400, ni)) @ np.eye(ni, nc) + rng.uniform(0, 20, (ni, nc)) * (rng.uniform(size=(ni, nc)) < 0.4)
    V[:, 6] = 0.0  # C6: no domestic output (like noncomparable imports)
    U = rng.uniform(0, 15, (nc, ni))
    E = rng.uniform(10, 60, (nc, 2))
    W = rng.uniform(20, 60, (2, ni))
    return dict(V=pd.DataFrame(V, index=ind, columns=com), U=pd.DataFrame(U, index=com, columns=ind),
                E=pd.DataFrame(E, index=com, columns=["F1", "F2"]),
                W=pd.DataFrame(W, index=["comp", "gos"], columns=ind))


def test_make_use_industry_by_industry(make_use):
    V, U, E, W = (make_use[k].to_numpy() for k in "VUEW")
    g, q = V.sum(1), V.sum(0)
    D = V / np.where(q > 0, q, 1.0)
    D[:, q == 0] = 0.0
    t = gio.from_make_use(make_use["V"], make_use["U"], make_use["E"], make_use["W"], kind="industry",
                          normalisation="make")
    assert t.sectors == list(make_use["V"].index)
    close(t.Z.to_numpy(), D @ U)
    close(t.Y.to_numpy(), D @ E)
    close(t.x.to_numpy(), g)
    assert list(t.value_added.index) == ["comp", "gos", "inputs without domestic output"]
    close(t.value_added.to_numpy()[2], U[6])
    close(t.leontief_inverse().to_numpy(), np.linalg.inv(np.eye(6) - (D @ U) / g))


def test_make_use_commodity_by_commodity(make_use):
    V, U, E, W = (make_use[k].to_numpy() for k in "VUEW")
    g, q = V.sum(1), V.sum(0)
    t = gio.from_make_use(make_use["V"], make_use["U"], make_use["E"], make_use["W"], kind="commodity",
                          normalisation="make")
    assert t.sectors == list(make_use["U"].index)
    close(t.Z.to_numpy(), U @ np.diag(1 / g) @ V)
    close(t.Y.to_numpy(), E)
    close(t.x.to_numpy(), q)
    close(t.value_added.to_numpy(), W @ np.diag(1 / g) @ V)
    assert t.diagnostics.zero_output == [6]
    assert np.isfinite(t.multipliers().to_numpy(dtype=float)).all()


def test_make_use_aligns_make_columns_by_label(make_use):
    shuffled = make_use["V"][make_use["V"].columns[::-1]]
    a = gio.from_make_use(make_use["V"], make_use["U"], make_use["E"], kind="industry", normalisation="make")
    b = gio.from_make_use(shuffled, make_use["U"], make_use["E"], kind="industry", normalisation="make")
    close(a.Z.to_numpy(), b.Z.to_numpy(), rtol=1e-14)
    with pytest.raises(ValueError, match="kind"):
        gio.from_make_use(make_use["V"], make_use["U"], kind="mixed")
    bad = make_use["V"].rename(columns={"C0": "C99"})
    with pytest.raises(gs.DataError, match="C99"):
        gio.from_make_use(bad, make_use["U"])


# ---------------------------------------------------------------------------------- aggregation
def test_aggregation_sums(table, raw, names):
    Z, Y, x, VA, emp = raw
    groups = {s: ("G" + str(i % 4)) for i, s in enumerate(names)}
    a = table.aggregate(groups)
    assert a.sectors == ["G0", "G1", "G2", "G3"]
    S = np.zeros((4, len(names)))
    for i in range(len(names)):
        S[i % 4, i] = 1.0
    close(a.Z.to_numpy(), S @ Z @ S.T)
    close(a.Y.to_numpy(), S @ Y)
    close(a.x.to_numpy(), S @ x)
    close(a.value_added.to_numpy(), VA @ S.T)
    close(a.satellite.to_numpy(), (emp @ S.T).reshape(1, -1))
    assert list(a.Y.columns) == list(table.Y.columns)
    # a sequence concordance gives the same table
    b = table.aggregate([groups[s] for s in names])
    close(b.Z.to_numpy(), a.Z.to_numpy(), rtol=0)
    with pytest.raises(gs.DataError, match="no group"):
        table.aggregate({names[0]: "G0"})


def test_mrio_aggregation_within_regions(mrio):
    t, d = mrio
    a = t.aggregate({"agr": "primary", "ene": "primary", "man": "secondary", "ser": "tertiary"})
    assert a.is_multiregional and a.n == 9
    assert list(a.index) == [(r, s) for r in d["regions"] for s in ["primary", "secondary", "tertiary"]]
    assert a.x.sum() == pytest.approx(d["x"].sum(), rel=1e-12)
    assert a.footprint("co2")["consumption_based"].sum() == pytest.approx(d["co2"].sum(), rel=1e-10)


# ---------------------------------------------------------------------------------- input types
def test_dataframe_ndarray_and_dict_inputs_agree(raw, names, table):
    Z, Y, x, VA, emp = raw
    fd = ["households", "government", "exports"]
    df = gio.IOTable(pd.DataFrame(Z, index=names, columns=names), pd.DataFrame(Y, index=names, columns=fd),
                     pd.Series(x, index=names),
                     value_added=pd.DataFrame(VA, index=["compensation", "surplus"], columns=names),
                     satellite=pd.Series(emp, index=names, name="employment"))
    listy = gio.IOTable(Z.tolist(), Y.tolist(), list(x), sectors=names, final_demand=fd)
    assert df.sectors == table.sectors == listy.sectors
    assert list(df.Y.columns) == fd and list(df.satellite.index) == ["employment"]
    pd.testing.assert_frame_equal(df.multipliers(), table.multipliers())
    pd.testing.assert_series_equal(df.x, table.x)
    shock_dict = {"S04": -10.0, "S11": 3.0}
    vec = np.zeros(len(names))
    vec[4], vec[11] = -10.0, 3.0
    a = table.output_change(shock_dict)
    b = table.output_change(pd.Series(shock_dict))
    c = table.output_change(vec)
    d = table.output_change(pd.DataFrame({"scenario": shock_dict}))
    e = table.output_change({4: -10.0, 11: 3.0})
    f = listy.output_change(shock_dict)
    for other in (b, c, d, e, f):
        np.testing.assert_array_equal(a.to_numpy(), other.to_numpy())
    assert isinstance(a, pd.Series) and list(a.index) == names
    assert d.name == "scenario"
    two = table.output_change(pd.DataFrame({"up": {"S01": 1.0}, "down": {"S02": -1.0}}).fillna(0.0))  # NaN is an error
    assert list(two.columns) == ["up", "down"]
    # a single value-added row given as a Series
    one = gio.IOTable(Z, Y, x, sectors=names, value_added=pd.Series(VA.sum(0), index=names, name="va"))
    assert list(one.value_added.index) == ["va"]


def test_default_labels_and_repr(raw, table):
    Z, Y, x, _, _ = raw
    t = gio.IOTable(Z, Y)
    assert t.sectors[:2] == ["s0", "s1"]
    close(t.x.to_numpy(), x, rtol=1e-14)
    assert repr(table) == "IOTable(30 sectors, 3 final-demand categories)"
    html = table._repr_html_()
    assert "IOTable" in html and "EUR m" in html
    assert table.unit == "EUR m"
    assert "LeontiefModel(n=30, dense, status=" in repr(table.leontief)
    assert "max row imbalance" in repr(table.diagnostics)
    assert table.diagnostics.max_row_imbalance < 1e-12


def test_bad_shocks(table):
    with pytest.raises(gs.DimensionError):
        table.output_change(np.ones(5))
    with pytest.raises(gs.DataError):
        table.output_change(np.full(30, np.nan))
    with pytest.raises(gs.GovsimError, match="NOPE"):
        table.output_change({"NOPE": 1.0})
    with pytest.raises(gs.DimensionError):
        table.output_change({99: 1.0})


# ---------------------------------------------------------------------------------- bad input
def test_nan_in_Z_names_row_and_column():
    Z = np.array([[1.0, 2.0, 0.5], [0.3, np.nan, 1.0], [0.2, 0.1, 0.4]])
    with pytest.raises(gs.DataError) as e:
        gio.IOTable(Z, np.full(3, 10.0), sectors=["farm", "mill", "shop"])
    assert "'mill'" in str(e.value) and "row" in str(e.value) and "column" in str(e.value)
    Z[1, 1], Z[2, 0] = 0.0, np.inf
    with pytest.raises(gs.DataError, match="row 'shop', column 'farm'"):
        gio.IOTable(Z, np.full(3, 10.0), sectors=["farm", "mill", "shop"])


def test_negative_gross_output_names_sector():
    Z = np.array([[1.0, 2.0], [0.5, 1.0]])
    with pytest.raises(gs.DataError, match="'mill'.*negative"):
        gio.IOTable(Z, [[5.0], [-4.0]], sectors=["farm", "mill"])
    with pytest.raises(gs.DataError, match="'farm'"):
        gio.IOTable(Z, [[5.0], [4.0]], x=[-1.0, 10.0], sectors=["farm", "mill"])


def test_mismatched_labels_are_dimension_errors():
    Z = np.eye(3)
    with pytest.raises(gs.DimensionError, match="2 sector labels for 3"):
        gio.IOTable(Z, np.ones(3) * 5, sectors=["a", "b"])
    with pytest.raises(gs.DimensionError):
        gio.IOTable(Z, np.ones((3, 2)), final_demand=["only_one"])
    with pytest.raises(gs.DimensionError):
        gio.IOTable(Z, np.ones((4, 1)))
    with pytest.raises(gs.DimensionError):
        gio.IOTable(np.ones((3, 2)), np.ones(3))
    with pytest.raises(gs.DimensionError):
        gio.IOTable(Z, np.ones(3) * 5, regions=["r1", "r2"])
    with pytest.raises(gs.DimensionError):
        gio.IOTable(Z, np.ones(3) * 5, value_added=np.ones((1, 2)))
    with pytest.raises(gs.DataError, match="duplicate label 'a'"):
        gio.IOTable(Z, np.ones(3) * 5, sectors=["a", "b", "a"])


def test_spectral_radius_at_least_one_names_sectors():
    # 'mill' uses more intermediate inputs than it produces
    Z = np.array([[1.0, 2.0, 0.0], [2.0, 11.0, 0.0], [0.0, 1.0, 1.0]])
    x = np.array([10.0, 9.0, 10.0])
    with pytest.raises(gs.ModelError) as e:
        gio.IOTable(Z, x=x, sectors=["farm", "mill", "shop"])
    msg = str(e.value)
    assert "spectral radius" in msg and "'mill'" in msg and "'farm'" not in msg
    # column sums above one but a spectral radius below one is accepted
    Z2 = np.array([[1.0, 15.0, 0.0], [0.5, 2.0, 1.0], [1.0, 1.0, 1.0]])
    t = gio.IOTable(Z2, x=[10.0, 10.0, 10.0], sectors=["a", "b", "c"])
    assert t.diagnostics.max_column_sum_A > 1
    rho = max(abs(np.linalg.eigvals(Z2 / 10.0)))
    assert rho < 1
    assert t.spectral_radius() == pytest.approx(rho, rel=1e-6)


# Plain power iteration on |A| never converges for a periodic (cyclic) A; the productivity check
# is an exact M-matrix test and the spectral radius comes from iterating on I + |A|.
def test_spectral_radius_of_periodic_matrix():
    Z = np.array([[0.0, 40.0], [5.0, 0.0]])  # A = [[0, 4], [0.5, 0]]: eigenvalues +-sqrt(2)
    with pytest.raises(gs.ModelError):
        gio.IOTable(Z, x=[10.0, 10.0], sectors=["a", "b"])


# Reducible case: a sector that sells nothing to other sectors (a zero row of A, as in many real
# tables) must not hide a spectral radius above one (here 1.26; L would have negative entries).
def test_spectral_radius_check_with_a_zero_row():
    Z = np.array([[1.0, 2.0, 0.0], [2.0, 11.0, 1.0], [0.0, 0.0, 0.0]])
    assert max(abs(np.linalg.eigvals(Z / [10.0, 9.0, 10.0]))) > 1.26
    with pytest.raises(gs.ModelError, match="'mill'"):
        gio.IOTable(Z, x=[10.0, 9.0, 10.0], sectors=["farm", "mill", "shop"])


def test_spectral_radius_diagnostic_of_periodic_matrix():
    Z = np.array([[0.0, 15.0], [0.1, 0.0]])  # A = [[0, 1.5], [0.01, 0]]: rho = 0.1225
    t = gio.IOTable(Z, x=[10.0, 10.0], sectors=["a", "b"])
    assert t.spectral_radius() == pytest.approx(np.sqrt(0.015), rel=1e-6)


def test_singular_leontief_model_reports_status():
    A = np.asfortranarray([[0.5, 0.5], [0.5, 0.5]])  # eigenvalue 1
    m = gio._cio.LeontiefModel(A)
    assert m.status == gs.Status.Singular
    assert not m.ok() and m.message
    with pytest.raises(gs.SolveError):
        m.solve(np.ones((2, 1)))
    with pytest.raises(gs.SolveError):
        m.solve_transpose(np.ones((2, 1)))
    ok = gio._cio.LeontiefModel(np.asfortranarray([[0.2, 0.1], [0.3, 0.4]]))
    assert ok.status == gs.Status.Success
    close(ok.solve(np.eye(2)), np.linalg.inv(np.eye(2) - [[0.2, 0.1], [0.3, 0.4]]))


def test_zero_output_sector_is_handled(raw, names):
    Z, Y, x, VA, emp = (a.copy() for a in raw)
    j = 5
    Z[j, :] = 0.0
    Z[:, j] = 0.0
    Y[j, :] = 0.0
    VA[:, j] = 0.0
    emp[j] = 0.0
    x = Z.sum(1) + Y.sum(1)
    t = gio.IOTable(Z, Y, x, sectors=names, value_added=VA, satellite=emp.reshape(1, -1))
    assert t.diagnostics.zero_output == [j]
    A = t.A.to_numpy()
    assert np.all(A[:, j] == 0.0) and np.isfinite(A).all()
    assert np.isfinite(t.B.to_numpy()).all()
    m = t.multipliers()
    assert np.isfinite(m["output"]).all() and m["output"].iloc[j] == pytest.approx(1.0)
    ext = t.extraction()
    assert np.isfinite(ext.to_numpy()).all() and (ext.iloc[j] == 0).all()
    assert np.isfinite(t.linkages()[["backward", "forward"]].to_numpy()).all()
    assert np.isfinite(t.price_change(np.full(len(x), 0.01))).all()
    assert np.isfinite(t.ghosh_inverse().to_numpy()).all()
    # keep the other sectors exact
    keep = [i for i in range(len(x)) if i != j]
    Lk = np.linalg.inv(np.eye(len(keep)) - Z[np.ix_(keep, keep)] / x[keep])
    close(t.leontief_inverse().to_numpy()[np.ix_(keep, keep)], Lk)
    with pytest.raises(gs.DataError, match=f"'{names[j]}'"):
        t.ghosh_output_change({names[j]: 1.0})
