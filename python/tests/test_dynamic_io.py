"""govsim.dynamic_io: labels, conversions, errors and the CLI (numerics are tested in C++)."""
import json
import os

import numpy as np
import pandas as pd
import pytest

import govsim
from govsim import dynamic_io as dio

SHARED = os.environ.get("GOVSIM_SHARED_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
WORLD = os.path.join(SHARED, "data", "io", "world_2000_26r23s")


@pytest.fixture(scope="module")
def us():
    return govsim.io.load_us_bea_2017(aggregate=True)


def test_static_inoperability_labels_and_ranking(us):
    df = dio.inoperability(us, {"MFC": 0.1})
    assert list(df.columns) == ["inoperability", "economic_loss", "rank"]
    assert df.index.equals(us.index)
    assert df["rank"].idxmin() == "MFC"
    np.testing.assert_allclose(df["economic_loss"], df["inoperability"] * us.x, rtol=1e-12)
    sup = dio.inoperability(us, {"MFC": 0.1}, direction="supply")
    assert sup.loc["MFC", "inoperability"] >= 0.1
    with pytest.raises(KeyError):
        dio.inoperability(us, {"nope": 0.1})
    with pytest.raises(ValueError):
        dio.inoperability(us, {"MFC": 0.1}, direction="sideways")


def test_diim_frames_and_steady_state(us):
    p = dio.diim(us, perturbation={"MFC": 0.05}, times=[0, 10, 100, 3000], resilience=0.05)
    assert isinstance(p.inoperability, pd.DataFrame)
    assert list(p.inoperability.index) == [0, 10, 100, 3000]
    static = dio.inoperability(us, {"MFC": 0.05})["inoperability"]
    np.testing.assert_allclose(p.steady_state, static, atol=1e-13)
    np.testing.assert_allclose(p.inoperability.loc[3000], static, atol=1e-9)
    assert p.ranking.index[0] == "MFC"
    d = dio.diim(us, q0={"MFC": 0.3}, times=range(0, 50), discrete=True)
    assert d.ok() and d.inoperability.iloc[-1]["MFC"] < 0.3
    with pytest.raises(govsim._core.OptionsError):
        dio.diim(us, q0={"MFC": 0.3}, resilience=-1.0)


def test_diim_methods_and_sparse_agree(us):
    kw = dict(q0={"MFC": 0.3}, perturbation={"AGR": 0.02}, times=range(0, 61, 5), resilience=0.05)
    k = dio.diim(us, method="krylov", **kw)
    a = dio.diim(us, method="adaptive", **kw)
    s = dio.diim(us, sparse=True, **kw)
    assert "krylov" in k.summary() and "adaptive" in a.summary() and "krylov" in s.summary()
    np.testing.assert_allclose(k.inoperability, a.inoperability, atol=1e-9)
    np.testing.assert_allclose(s.inoperability, k.inoperability, atol=1e-13)
    np.testing.assert_allclose(s.cumulative_loss, k.cumulative_loss, rtol=1e-10)
    # a scipy.sparse A* goes to the sparse overload
    sp = pytest.importorskip("scipy.sparse")
    A = dio.interdependency_matrix(us).values
    q0 = np.zeros(us.n)
    q0[0] = 0.2
    r1 = govsim._core.dynamic_io.dynamic_inoperability(A, us.core.x, q0, np.zeros(us.n), [0.0, 30.0])
    r2 = govsim._core.dynamic_io.dynamic_inoperability(sp.csc_matrix(A), us.core.x, q0, np.zeros(us.n), [0.0, 30.0])
    np.testing.assert_allclose(np.asarray(r2.inoperability), np.asarray(r1.inoperability), atol=1e-13)
    with pytest.raises(ValueError):
        dio.diim(us, method="magic", **kw)
    with pytest.raises(ValueError):
        dio.diim(us, method="krylov", q0={"MFC": 0.3}, perturbation_path=lambda t: np.zeros(us.n))


def test_ario_baseline_and_event(us):
    base = dio.ario(us, [], periods=50)
    np.testing.assert_allclose(base.production.to_numpy(), np.tile(base.baseline.to_numpy(), (50, 1)), rtol=1e-10)
    ev = dio.ario_event(us, total=5000.0, rebuilding={"CON": 1.0}, tau=90)
    r = dio.ario(us, ev, periods=200)
    assert r.production.shape == (200, us.n)
    assert r.production.columns.equals(us.index)
    assert (r.accounting["min_stock"] >= 0).all()
    assert r.accounting["residual"].max() < 1e-9 * r.baseline.sum()
    assert r.troughs.loc["all", "trough_depth"] > 0
    assert r.relative_production().shape == (200, 1)
    with pytest.raises(govsim._core.ModelError):
        dio.ario(us, dio.ario_event(us, total=1.0, rebuilding={"ZZZ": 1.0}))
    with pytest.raises(ValueError):
        dio.ario_event(us, total=1.0)  # rebuild without rebuilding sectors


def test_dynamic_leontief_singular_raises():
    A = np.array([[0.1, 0.2], [0.3, 0.1]])
    B = np.array([[1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(govsim._core.SolveError, match="singular"):
        dio.dynamic_leontief(A, B, [1, 1], [0.5, 0.5], [0, 1])
    x = dio.dynamic_leontief(A, np.eye(2) * 2, [1, 1], [0.5, 0.5], [0, 1, 2])
    assert x.shape == (3, 2)


def test_cli_diim_and_ario_json(capsys, us):
    from govsim import cli

    assert cli.main(["io", "diim", "--q0", "MFC=0.3", "--days", "30", "--every", "10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ranking"]["index"][0] == "MFC"
    assert cli.main(["io", "diim", "--q0", "MFC=3"]) == 2
    assert cli.main(["io", "ario", "--damage", "5000", "--rebuild", "CON=1", "--days", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["max_accounting_residual"] < 1e-6
    assert cli.main(["io", "ario", "--damage", "5000", "--rebuild", "ZZZ=1"]) == 2


def test_ario_ndl_world_table():
    if not os.path.isdir(WORLD):
        pytest.skip("shared world table not found (set GOVSIM_SHARED_DIR)")
    w = govsim.io.read_csv_folder(WORLD)
    ev = dio.ario_event(w, region="NDL", total=20000.0, rebuilding={"F": 0.55, "D29": 0.45}, tau=180)
    r = dio.ario(w, ev, periods=730)
    ndl = r.troughs.loc["NDL"]
    print(f"NDL: trough day {ndl.trough_day}, depth {100 * ndl.trough_depth:.3f} %, "
          f"cumulative loss {ndl.production_loss:.1f} USD million")
    assert ndl.trough_depth > 0 and ndl.production_loss > 0
    assert r.accounting["residual"].max() < 1e-12 * r.baseline.sum()


def test_ario_horizon_is_periods_and_reports_progress():
    """periods= is the horizon name across the API (n_steps= warns); progress= takes a callable."""
    us = govsim.io.load_us_bea_2017(aggregate=True)
    seen = []
    r = dio.ario(us, [], periods=12, progress=lambda done, total: seen.append(done))
    assert len(r.production) == 12 and seen
    with pytest.warns(DeprecationWarning, match="periods="):
        old = dio.ario(us, [], n_steps=12)
    np.testing.assert_array_equal(np.asarray(old.production), np.asarray(r.production))
