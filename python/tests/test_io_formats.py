"""Readers of published IO formats (fixtures in their layouts), the table writer, aggregation by
concordance, BEA normalisation and the BoARIO event parameters of ARIO.

Fixtures in tests/data/io_formats were written in the published layouts (WIOD 2016 and 2013 WIOT
sheets saved as CSV, OECD ICIO 2023 CSV); expected.npz holds the numbers they were written from.
pymrio/EXIOBASE folders and Eurostat downloads are written here in their layouts.
"""
import os
import sys

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import io as gio

HERE = os.path.join(os.path.dirname(__file__), "data", "io_formats")
EXP = np.load(os.path.join(HERE, "expected.npz"))


def close(a, b, rtol=1e-12, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=rtol, atol=atol)


# ------------------------------------------------------------------------------------- WIOD
def test_wiod_2016_csv():
    t = gio.read_wiod(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv"))
    assert t.regions == ["AUT", "ROW"]
    assert list(t.index) == [("AUT", "A01"), ("AUT", "C10-C12"), ("ROW", "A01"), ("ROW", "C10-C12")]
    close(t.Z, EXP["Z"])
    close(t.Y, EXP["Y"])
    close(t.x, EXP["x"])
    assert list(t.Y.columns[:5]) == ["AUT/CONS_h", "AUT/CONS_np", "AUT/CONS_g", "AUT/GFCF", "AUT/INVEN"]
    assert list(t.value_added.index) == ["TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM"]
    close(t.value_added, EXP["P"])
    # columns balance: intermediate + primary inputs = output
    close(t.Z.sum(axis=0) + t.value_added.sum(axis=0), t.x, rtol=1e-13)
    assert t.unit == "millions of US$"
    named = gio.read_wiod(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv"), labels="name")
    assert named.sectors[1].startswith("Manufacture of food")


def test_wiod_2013_csv_and_xlsx(tmp_path):
    t = gio.read_wiod(os.path.join(HERE, "wiot09_row_sep12.csv"))
    assert t.regions == ["AUT", "ROU"]  # ROM read as ROU
    assert t.sectors == ["AtB", "15t16", "AtB", "15t16"]
    close(t.Z, EXP["Z"])
    close(t.Y, EXP["Y"])
    assert [c.split("/")[1] for c in t.Y.columns[:5]] == ["c37", "c38", "c39", "c41", "c42"]
    assert len(t.value_added) == 6  # r61-r66; totals r60 and r69 dropped
    close(t.value_added, EXP["P"])
    openpyxl = pytest.importorskip("openpyxl")
    raw = pd.read_csv(os.path.join(HERE, "wiot09_row_sep12.csv"), header=None, dtype=object, keep_default_na=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in raw.itertuples(index=False):
        ws.append([_excel_cell(v) for v in row])
    p = tmp_path / "wiot09_row_sep12.xlsx"
    wb.save(p)
    tx = gio.read_wiod(str(p))
    close(tx.Z, t.Z)
    close(tx.value_added, t.value_added)


def _excel_cell(v):
    if v == "":
        return None
    try:
        return float(v)
    except ValueError:
        return v


def test_wiod_bad_input(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(gs.DataError, match="not a WIOD sheet"):
        gio.read_wiod(str(p))
    lines = open(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv")).read().splitlines()
    lines[7] = lines[7].replace(",3.0,20.0,", ",3.0,x20,")
    p.write_text("\n".join(lines))
    with pytest.raises(gs.DataError, match="x20"):
        gio.read_wiod(str(p))
    with pytest.raises(gs.DataError, match="no such file"):
        gio.read_wiod(str(tmp_path / "missing.xlsb"))


# ------------------------------------------------------------------------------------- OECD
def test_oecd_icio_merges_china_parts():
    raw = gio.read_oecd_icio(os.path.join(HERE, "ICIO2023_2019.csv"), merge_subregions=False)
    assert raw.regions == ["AUT", "CN1", "CN2"]
    assert raw.sectors[:2] == ["A01_02", "C10T12"]
    close(raw.Z, EXP["Zo"])
    close(raw.Y, EXP["Yo"])
    close(raw.x, EXP["xo"])
    close(raw.value_added.loc["TLS"], EXP["tls"])
    close(raw.value_added.loc["VA"], EXP["vao"])
    assert raw.Y.columns[0] == "AUT/HFCE"
    t = gio.read_oecd_icio(os.path.join(HERE, "ICIO2023_2019.csv"))
    assert t.regions == ["AUT", "CHN"]
    # merged table = 0/1 summation of the split one
    S = np.zeros((4, 6))
    S[0, 0] = S[1, 1] = 1
    S[2, 2] = S[2, 4] = S[3, 3] = S[3, 5] = 1
    close(t.Z, S @ EXP["Zo"] @ S.T)
    close(t.x, S @ EXP["xo"])
    R = np.zeros((12, 18))
    for j in range(18):
        R[(j // 6 if j < 6 else 1) * 6 + j % 6, j] = 1
    close(t.Y, S @ EXP["Yo"] @ R.T)
    assert list(t.Y.columns[6:8]) == ["CHN/HFCE", "CHN/NPISH"]


# --------------------------------------------------------------------------- pymrio / EXIOBASE
def _mrio_frames(regions=("AT", "DE"), sectors=("Paddy rice", "Steel"), cats=("Final consumption expenditure by households", "Exports: Total (fob)")):
    rng = np.random.default_rng(7)
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    cidx = pd.MultiIndex.from_product([regions, cats], names=["region", "category"])
    n = len(idx)
    Z = pd.DataFrame(rng.uniform(0, 5, (n, n)), index=idx, columns=idx)
    Y = pd.DataFrame(rng.uniform(5, 20, (n, len(cidx))), index=idx, columns=cidx)
    return Z, Y


def _write_pymrio(folder, Z, Y, extensions):
    os.makedirs(folder, exist_ok=True)
    Z.to_csv(os.path.join(folder, "Z.txt"), sep="\t")
    Y.to_csv(os.path.join(folder, "Y.txt"), sep="\t")
    x = (Z.sum(axis=1) + Y.sum(axis=1)).to_frame("indout")
    x.to_csv(os.path.join(folder, "x.txt"), sep="\t")
    pd.DataFrame({"unit": "M.EUR"}, index=Z.index).to_csv(os.path.join(folder, "unit.txt"), sep="\t")
    for name, F in extensions.items():
        d = os.path.join(folder, name)
        os.makedirs(d, exist_ok=True)
        F.to_csv(os.path.join(d, "F.txt"), sep="\t")
        pd.DataFrame(0.0, index=F.index, columns=Y.columns).to_csv(os.path.join(d, "F_Y.txt"), sep="\t")
        pd.DataFrame({"unit": "kg"}, index=F.index).to_csv(os.path.join(d, "unit.txt"), sep="\t")
    return x


def test_pymrio_folder_and_exiobase_38(tmp_path):
    Z, Y = _mrio_frames()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va_total = x - Z.sum(axis=0)
    fi = pd.DataFrame([0.4 * va_total, 0.6 * va_total], index=pd.Index(
        ["Taxes less subsidies on products purchased: Total", "Compensation of employees; wages, salaries, & employers' social contributions: Low-skilled"],
        name="stressor"))
    em = pd.DataFrame(np.arange(8.0).reshape(2, 4), index=pd.MultiIndex.from_tuples(
        [("CO2 - combustion", "air"), ("CH4 - agriculture", "air")], names=["stressor", "compartment"]), columns=Z.columns)
    folder = tmp_path / "IOT_2022_pxp"
    _write_pymrio(folder, Z, Y, {"factor_inputs": fi, "air_emissions": em})
    t = gio.read_exiobase3(str(folder))
    close(t.Z, Z.to_numpy())
    close(t.Y, Y.to_numpy())
    close(t.x, x.to_numpy())
    assert t.regions == ["AT", "DE"]
    assert list(t.value_added.index) == list(fi.index)
    close(t.value_added, fi.to_numpy())
    assert list(t.satellite.index) == ["air_emissions/CO2 - combustion | air", "air_emissions/CH4 - agriculture | air"]
    close(t.satellite, em.to_numpy())
    assert t.unit == "M.EUR"
    # consumption-based account of an extension works on what was read
    fp = t.footprint("air_emissions/CO2 - combustion | air")
    close(fp["production_based"].sum(), fp["consumption_based"].sum(), rtol=1e-12)
    # pymrio reader: extensions chosen; a zip archive of the folder reads the same
    p = gio.read_pymrio(str(folder), extensions=[], value_added=None)
    assert p.satellite.shape[0] == 0
    import shutil
    z = shutil.make_archive(str(tmp_path / "IOT_2022_pxp"), "zip", root_dir=tmp_path, base_dir="IOT_2022_pxp")
    tz = gio.read_exiobase3(z)
    close(tz.Z, t.Z)
    close(tz.satellite, t.satellite)
    with pytest.raises(gs.DataError, match="no extension folder 'water'"):
        gio.read_pymrio(str(folder), extensions=["water"])


def test_exiobase_34_satellite_folder(tmp_path):
    Z, Y = _mrio_frames()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va_total = x - Z.sum(axis=0)
    sat = pd.DataFrame([0.3 * va_total, 0.7 * va_total, pd.Series(5.0, index=Z.columns)], index=pd.Index(
        ["Taxes less subsidies on products purchased: Total", "Operating surplus: Consumption of fixed capital",
         "Employment: Low-skilled male"], name="stressor"))
    _write_pymrio(tmp_path / "IOT_2011_ixi", Z, Y, {"satellite": sat})
    t = gio.read_exiobase3(str(tmp_path / "IOT_2011_ixi"))
    assert list(t.value_added.index) == list(sat.index[:2])
    assert list(t.satellite.index) == ["satellite/Employment: Low-skilled male"]
    close(t.Z.sum(axis=0) + t.value_added.sum(axis=0), t.x, rtol=1e-12)


# ----------------------------------------------------------------------------------- Eurostat
CODES = ["CPA_A01", "CPA_C10-12"]
FD = ["P3_S14", "P3_S15", "P3_S13", "P51G", "P5M", "P6"]
VA = ["D21X31", "D1", "D29X39", "B2A3G"]


def _eurostat_cells():
    rng = np.random.default_rng(11)
    Z = rng.uniform(1, 10, (2, 2)).round(1)
    Y = rng.uniform(0, 30, (2, 6)).round(1)
    x = Z.sum(1) + Y.sum(1)
    V = np.vstack([rng.uniform(0, 2, (3, 2)).round(1), np.zeros((1, 2))])
    V[3] = x - Z.sum(0) - V[:3].sum(0)
    cells = {}
    for i, r in enumerate(CODES):
        for j, c in enumerate(CODES):
            cells[(c, r)] = Z[i, j]
        for j, c in enumerate(FD):
            cells[(c, r)] = Y[i, j]
        cells[("TOTAL", r)] = Z[i].sum() + Y[i].sum()
    for k, r in enumerate(VA):
        for j, c in enumerate(CODES):
            cells[(c, r)] = V[k, j]
    for j, c in enumerate(CODES):
        cells[(c, "P1")] = x[j]
        cells[(c, "B1G")] = V[1:].sum(0)[j]
    return Z, Y, x, V, cells


def test_eurostat_tsv_and_sdmx(tmp_path):
    Z, Y, x, V, cells = _eurostat_cells()
    # TSV: "freq,unit,stk_flow,induse,prod_na,geo\TIME_PERIOD" + one column per year; flags; ':'
    lines = ["freq,unit,stk_flow,induse,prod_na,geo\\TIME_PERIOD\t2019 \t2020 "]
    for (c, r), v in cells.items():
        for geo in ("AT", "BE"):
            lines.append(f"A,MIO_EUR,TOTAL,{c},{r},{geo}\t{v:g} \t{v * 2:g} p")
        # domestic and imported flows: 80 % / 20 % of the intermediate and final use of products
        dom, imp = (round(0.8 * v, 6), round(0.2 * v, 6)) if r in CODES else (v, None)
        lines.append(f"A,MIO_EUR,DOM,{c},{r},AT\t{dom!r} \t: ")
        if imp is not None:
            lines.append(f"A,MIO_EUR,IMP,{c},{r},AT\t{imp!r} \t: ")
    p = tmp_path / "estat_naio_10_cp1700.tsv"
    p.write_text("\n".join(lines) + "\n")
    t = gio.read_eurostat(str(p), geo="AT", time=2019)
    assert t.sectors == CODES
    close(t.Z, Z)
    close(t.Y, Y)
    close(t.x, x)
    assert list(t.value_added.index) == VA
    close(t.value_added, V)
    t20 = gio.read_eurostat(str(p), geo="AT", time="2020")  # flagged values ("p") read as numbers
    close(t20.Z, 2 * Z)
    d = gio.read_eurostat(str(p), geo="AT", time=2019, stk_flow="DOM")
    close(d.Z, 0.8 * Z)
    assert list(d.value_added.index) == VA + ["IMP"]
    close(d.value_added.loc["IMP"], 0.2 * Z.sum(axis=0))
    close(d.Z.sum(axis=0) + d.value_added.sum(axis=0), x, rtol=1e-12)  # columns still add up to output
    with pytest.raises(gs.DataError, match="several values of geo"):
        gio.read_eurostat(str(p), time=2019)
    with pytest.raises(gs.DataError, match="geo='FR'"):
        gio.read_eurostat(str(p), geo="FR", time=2019)
    # SDMX-CSV
    rows = ["DATAFLOW,LAST UPDATE,freq,unit,stk_flow,induse,prod_na,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"]
    for (c, r), v in cells.items():
        rows.append(f"ESTAT:NAIO_10_CP1700(1.0),05/06/24 23:00:00,A,MIO_EUR,TOTAL,{c},{r},AT,2019,{v!r},")
    q = tmp_path / "estat_naio_10_cp1700.csv"
    q.write_text("\n".join(rows) + "\n")
    s = gio.read_eurostat(str(q))
    close(s.Z, Z)
    close(s.value_added, V)
    bad = tmp_path / "bad.tsv"
    bad.write_text(lines[0] + "\nA,MIO_EUR,TOTAL,CPA_A01,CPA_A01,AT\tabc \t1 \n")
    with pytest.raises(gs.DataError, match="abc"):
        gio.read_eurostat(str(bad))


def test_eurostat_supply_use(tmp_path):
    rng = np.random.default_rng(5)
    prods, inds = ["CPA_A01", "CPA_C10-12"], ["A01", "C10-C12"]
    V = np.array([[50.0, 3.0], [2.0, 80.0]])  # industries x products
    U = rng.uniform(2, 10, (2, 2)).round(1)
    E = rng.uniform(5, 20, (2, 3)).round(1)
    W = rng.uniform(5, 15, (2, 2)).round(1)

    def tsv(path, cells):
        lines = ["freq,unit,stk_flow,induse,prod_na,geo\\TIME_PERIOD\t2019 "]
        lines += [f"A,MIO_EUR,TOTAL,{c},{r},AT\t{v!r} " for (c, r), v in cells.items()]
        path.write_text("\n".join(lines) + "\n")

    sup = {(inds[i], prods[p]): V[i, p] for i in range(2) for p in range(2)}
    use = {(inds[j], prods[p]): U[p, j] for p in range(2) for j in range(2)}
    use.update({(fd, prods[p]): E[p, k] for p in range(2) for k, fd in enumerate(["P3_S14", "P51G", "P6"])})
    use.update({(inds[j], va): W[k, j] for k, va in enumerate(["D1", "B2A3G"]) for j in range(2)})
    tsv(tmp_path / "cp15.tsv", sup)
    tsv(tmp_path / "cp16.tsv", use)
    t = gio.read_eurostat_supply_use(str(tmp_path / "cp15.tsv"), str(tmp_path / "cp16.tsv"), normalisation="make")
    q = V.sum(0)
    D = V / q
    close(t.Z, D @ U)
    close(t.Y, D @ E)
    close(t.x, V.sum(1))
    assert t.sectors == inds


# ------------------------------------------------------------------------------------ writer
@pytest.fixture(scope="module")
def world():
    t = gio.read_wiod(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv"))
    sat = pd.DataFrame([[1.0, 2, 3, 4], [0.5, 0.25, 0, 1]], index=["co2", "jobs"], columns=t.index)
    return gio.IOTable(t.Z, t.Y, t.x.to_numpy(), value_added=t.value_added, satellite=sat, unit=t.unit,
                       final_demand_regions=list(t.core.final_demand_regions))


def _same(a, b):
    assert list(a.index) == list(b.index)
    for f in ("Z", "Y", "value_added", "satellite"):
        fa, fb = getattr(a, f), getattr(b, f)
        assert list(fa.index) == list(fb.index) and list(fa.columns) == list(fb.columns), f
        assert np.array_equal(fa.to_numpy(), fb.to_numpy()), f
    assert np.array_equal(a.x.to_numpy(), b.x.to_numpy())
    assert list(a.core.final_demand_regions) == list(b.core.final_demand_regions)
    assert a.unit == b.unit


def test_write_read_roundtrip_csv(world, tmp_path):
    gio.write_table(world, str(tmp_path / "w"))
    _same(world, gio.read_table(str(tmp_path / "w")))
    # the CSV folder is also what read_csv_folder reads
    back = gio.read_csv_folder(str(tmp_path / "w"))
    close(back.Z, world.Z, rtol=1e-15)
    national = gio.load_us_bea_2017(aggregate=True)
    gio.write_table(national, str(tmp_path / "us"))
    _same(national, gio.read_table(str(tmp_path / "us")))
    agg = world.aggregate(regions={"AUT": "EU", "ROW": "ROW"})
    gio.write_table(agg, str(tmp_path / "agg"))
    _same(agg, gio.read_table(str(tmp_path / "agg")))


def test_write_read_roundtrip_parquet(world, tmp_path):
    pytest.importorskip("pyarrow")
    gio.write_table(world, str(tmp_path / "p"), format="parquet")
    assert os.path.exists(tmp_path / "p" / "Z.parquet")
    _same(world, gio.read_table(str(tmp_path / "p")))


def test_parquet_without_pyarrow_names_the_package(world, tmp_path, monkeypatch):
    # sys.modules[name] = None makes `import name` raise ImportError, as when it is not installed
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"write_table\(format='parquet'\) needs the pyarrow package"):
        gio.write_table(world, str(tmp_path / "p"), format="parquet")
    assert not os.path.exists(tmp_path / "p")  # nothing half-written
    folder = gio.write_table(world, str(tmp_path / "c"))
    open(os.path.join(folder, "Z.parquet"), "wb").close()  # a folder that holds Parquet files
    with pytest.raises(ImportError, match="read_table: .* holds Parquet files; reading them needs the pyarrow package"):
        gio.read_table(folder)


def test_write_table_bad_format(world, tmp_path):
    with pytest.raises(gs.OptionsError, match="format"):
        gio.write_table(world, str(tmp_path), format="xlsx")


# -------------------------------------------------------------------------------- aggregation
def test_aggregate_sectors_and_regions_by_summation(world):
    Z, Y, x = world.Z.to_numpy(), world.Y.to_numpy(), world.x.to_numpy()
    # regions: both into one; sectors: both into one -> 1 x 1 world
    t = world.aggregate(sectors={"A01": "all", "C10-C12": "all"}, regions={"AUT": "W", "ROW": "W"})
    close(t.Z, [[Z.sum()]], rtol=1e-14)
    close(t.x, [x.sum()], rtol=1e-14)
    assert t.Y.shape == (1, 5)
    close(t.Y.to_numpy().ravel(), Y.reshape(4, 2, 5).sum(axis=(0, 1)), rtol=1e-14)
    close(t.satellite.to_numpy().ravel(), world.satellite.sum(axis=1), rtol=1e-14)
    # a concordance matrix (0/1 DataFrame) gives the same as the dict
    M = pd.DataFrame([[1, 0], [0, 1]], index=["A01", "C10-C12"], columns=["agri", "food"])
    a = gio.aggregate(world, sectors=M)
    b = world.aggregate({"A01": "agri", "C10-C12": "food"})
    close(a.Z, b.Z, rtol=0)
    assert a.sectors == ["agri", "food", "agri", "food"]
    # two-column DataFrame
    c = world.aggregate(sectors=pd.DataFrame({"code": ["A01", "C10-C12"], "group": ["g", "g"]}))
    S = np.kron(np.eye(2), np.ones((1, 2)))
    close(c.Z, S @ Z @ S.T, rtol=1e-14)
    close(c.value_added, world.value_added.to_numpy() @ S.T, rtol=1e-14)
    # Leontief output of the aggregate equals the aggregated output (identity on x)
    close(c.x, S @ x, rtol=1e-14)
    with pytest.raises(gs.DataError, match="no group for sector"):
        world.aggregate({"A01": "g"})
    with pytest.raises(gs.DataError, match="one 1 per"):
        gio.aggregate(world, sectors=pd.DataFrame([[1, 1], [0, 1]], index=["A01", "C10-C12"], columns=["a", "b"]))


def test_aggregate_to_matches_summation():
    t = gio.load_us_bea_2017(aggregate=True)
    a, mapping = gio.aggregate_to(t, 8, return_mapping=True)
    assert a.n == 8 and len(set(mapping.values())) == 8
    groups = list(dict.fromkeys(mapping[s] for s in t.sectors))
    S = np.array([[1.0 if mapping[s] == g else 0.0 for s in t.sectors] for g in groups])
    close(a.Z, S @ t.Z.to_numpy() @ S.T, rtol=1e-13)
    close(a.x, S @ t.x.to_numpy(), rtol=1e-13)
    assert gio.aggregate_to(t, 8).sectors == a.sectors  # deterministic
    with pytest.raises(gs.OptionsError):
        gio.aggregate_to(t, 0)


# --------------------------------------------------------------------------- BEA normalisation
def test_bea_normalisation_reproduces_bea_requirements():
    folder = os.path.join(gio.data_dir(), "us_bea_2017")
    use = pd.read_csv(os.path.join(folder, "use_2017_detail_PRO_before_redef.csv"), index_col=0)
    make = pd.read_csv(os.path.join(folder, "make_2017_detail_before_redef.csv"), index_col=0)
    com = [c for c in use.index if not c.startswith(("T0", "V0"))]
    ind = [c for c in use.columns if not c.startswith(("T0", "F"))]
    g = use.loc["T008", ind].to_numpy(float)   # BEA total industry output (Use table)
    q = use.loc[com, "T007"].to_numpy(float)   # BEA total commodity output (Use table)
    U = use.loc[com, ind].to_numpy(float)
    V = make.loc[ind].reindex(columns=com, fill_value=0).to_numpy(float)
    # BEA's derivation (Concepts and Methods of the U.S. Input-Output Accounts, ch. 12): B = U g^-1,
    # make table without its scrap column, D = V q^-1, p = scrap share of industry output,
    # W = (I - p^)^-1 D; total requirements: industry x commodity W (I - B W)^-1, commodity x
    # commodity (I - B W)^-1, industry x industry (I - W B)^-1
    B = U / g
    s = com.index("S00401")
    p = V[:, s] / g
    V0 = V.copy()
    V0[:, s] = 0.0
    D = np.where(V0.sum(0) > 0, V0 / np.where(q != 0, q, 1), 0.0)
    W = D / (1 - p)[:, None]
    t = gio.load_us_bea_2017()
    close(t.x, g, rtol=1e-15)
    close(t.A, W @ B, rtol=1e-10, atol=1e-15)
    L = t.leontief_inverse().to_numpy()
    close(L, np.linalg.inv(np.eye(len(ind)) - W @ B), rtol=1e-9, atol=1e-12)
    TR = W @ np.linalg.inv(np.eye(len(com)) - B @ W)      # industry-by-commodity total requirements
    close(L @ W, TR, rtol=1e-8, atol=1e-12)
    assert t.value_added.loc["inputs without domestic output"].sum() >= U[s].sum()  # scrap inputs
    c = gio.load_us_bea_2017(kind="commodity")            # commodity x commodity: (I - B W)^-1
    close(c.A.to_numpy(), B @ W, rtol=1e-9, atol=1e-14)
    m = gio.load_us_bea_2017(normalisation="make")
    close(m.x, V.sum(1), rtol=1e-15)
    assert not np.allclose(m.A.to_numpy(), t.A.to_numpy(), rtol=1e-9, atol=0)
    with pytest.raises(ValueError, match="normalisation"):
        gio.load_us_bea_2017(normalisation="both")
    with pytest.raises(gs.DataError, match="normalisation='use'"):
        gio.from_make_use(make.loc[ind, com[:3]], use.loc[com[:3], ind])


# ------------------------------------------------------------------------ ARIO event params
def test_ario_event_parameters_from_python():
    from govsim import dynamic_io as dio

    t = gio.read_wiod(os.path.join(HERE, "WIOT2014_Nov16_ROW.csv"))
    base = dict(region="AUT", total=5.0, rebuilding={"C10-C12": 1.0}, tau=30)
    r1 = dio.ario(t, dio.ario_event(t, **base), periods=120)
    r7 = dio.ario(t, dio.ario_event(t, duration=7, name="flood", **base), periods=120)
    assert (r7.rebuild_demand.iloc[:8].to_numpy() == 0).all()
    close(r7.rebuild_demand.iloc[8].sum(), r1.rebuild_demand.iloc[2].sum(), rtol=1e-12)
    rf = dio.ario(t, dio.ario_event(t, rebuilding_factor=2.0, **base), periods=60)
    close(rf.rebuild_demand.iloc[2].sum(), 2 * r1.rebuild_demand.iloc[2].sum(), rtol=1e-12)
    eh = dio.ario_event(t, households_damage={"AUT/CONS_h": 3.0}, rebuilding={"A01": 1.0}, tau=30)
    rh = dio.ario(t, eh, periods=30)
    assert rh.damage.to_numpy().max() == 0.0
    close(rh.rebuild_demand.iloc[2].sum(), 3.0 / 365 * 365 / 30, rtol=1e-12)  # table per year; demand per day
    ea = dio.ario_event(t, production_capacity_loss={("AUT", "A01"): 0.2}, recovery="convexe", tau=10)
    ra = dio.ario(t, ea, periods=40)
    cap = ra.production_capacity / ra.overproduction
    close(cap.iloc[1, 0], 0.8 * ra.baseline.iloc[0], rtol=1e-12)
    # day 13: s = 13 - occurrence - duration = 11 days of recovery, BoARIO's "convexe" (1 - 1/tau)^(4 s)
    close(cap.iloc[13, 0], (1 - 0.2 * (1 - 0.1) ** 44) * ra.baseline.iloc[0], rtol=1e-12)
    with pytest.raises(ValueError, match="whole number"):
        dio.ario_event(t, duration=1.5, **base)
    with pytest.raises(KeyError, match="NOPE"):
        dio.ario_event(t, households_damage={"NOPE": 1.0}, rebuilding={"A01": 1.0})


def test_cli_ario_duration_matches_python(tmp_path):
    import json
    import subprocess
    from pathlib import Path

    from govsim import dynamic_io as dio

    repo = Path(__file__).resolve().parents[2]
    cli = Path(os.environ.get("GOVSIM_BUILD_DIR", str(repo / "build"))) / "bin" / "govsim"
    if not cli.exists():
        pytest.skip(f"govsim CLI not built at {cli}")
    table = str(repo / "data" / "mrio_3r4s")
    args = [str(cli), "io", "ario", "--table", table, "--region", "South", "--damage", "150", "--rebuild", "CON=0.7",
            "--rebuild", "MAN=0.3", "--days", "60", "-q", "--json", "-"]
    out = {}
    for dur in (1, 7):
        r = subprocess.run(args + ["--duration", str(dur)], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        out[dur] = json.loads(r.stdout)
    w = gio.read_csv_folder(table)
    run = dio.ario(w, dio.ario_event(w, region="South", total=150, rebuilding={"CON": 0.7, "MAN": 0.3}, tau=60,
                                     duration=7), periods=60)
    tr = out[7]["troughs"]
    south = tr["index"].index("South")
    loss_col = tr["columns"].index("production_loss")
    close(tr["data"][south][loss_col], run.troughs.loc["South", "production_loss"], rtol=1e-12)
    assert out[7]["troughs"]["data"][south][loss_col] != out[1]["troughs"]["data"][south][loss_col]
    r = subprocess.run(args + ["--duration", "-2"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "duration" in r.stderr
