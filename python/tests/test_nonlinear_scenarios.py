"""govsim.nonlinear OccBin and scenario comparison: frames, binding periods, loss table, chart."""
import numpy as np
import pytest

import govsim as gs

from test_nonlinear_pf import SMALL


@pytest.fixture(scope="module")
def small():
    return gs.dsge.Model.from_string(SMALL, name="small_zlb")


def test_occbin_equals_pf_on_piecewise_linear(small):
    sh = {"e": {1: -0.03, 2: -0.01}}
    ob = gs.nonlinear.occbin(small, "R", "Rn", 0.0, periods=60, shocks=sh)
    pf = gs.nonlinear.perfect_foresight(small, periods=60, shocks=sh)
    assert ob.ok() and ob.binding_periods and ob.binding_periods[0] == 1
    np.testing.assert_allclose(ob.paths.to_numpy(), pf.paths.to_numpy(), atol=1e-9)
    assert ob.binding.dtype == bool and ob.binding.index.name == "period"
    with pytest.raises(gs.ModelError):
        gs.nonlinear.occbin(small, "nope", "Rn", 0.0, periods=10)


def test_compare_policies(small, tmp_path):
    cmp = gs.nonlinear.compare_policies(small, {"base": {}, "hawk": {"phi": 3.0}, "dove": {"phi": 1.1}},
                                        shocks={"e": {1: -0.03}}, events=[("e", 5, -0.01, 5)], periods=40,
                                        weights={"pi": 1.0, "y": 0.25})
    t = cmp.table
    assert list(t.index) == ["base", "hawk", "dove"] and (t["status"] == "Success").all()
    assert t["relative_loss"].min() == pytest.approx(1.0)
    assert cmp.best == t["loss"].astype(float).idxmin()
    st = cmp.summary_table(["y", "R"])
    assert {"y_min", "R_max"} <= set(st.columns)
    assert set(cmp.paths) == {"base", "hawk", "dove"} and len(cmp.paths["base"]) == 42
    fig = cmp.plot(["y", "pi", "R"], path=str(tmp_path / "cmp.png"))
    assert (tmp_path / "cmp.png").exists()
    import matplotlib.pyplot as plt
    plt.close(fig)
    with pytest.raises(gs.ModelError):
        gs.nonlinear.compare_policies(small, {"x": {"nope": 1.0}}, shocks={"e": {1: -0.01}}, weights={"y": 1})
    with pytest.raises(gs.OptionsError):
        gs.nonlinear.compare_policies(small, {"x": {}}, shocks={"e": {1: -0.01}})  # no weights anywhere
