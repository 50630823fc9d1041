"""govsim.optimal_policy: Ramsey (commitment) and discretion checked against Dynare 5.3 numbers."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "optimal_policy"


def _model(name):
    from govsim import dsge
    return dsge.Model.from_file(str(FIX / name))


def test_ramsey_rotemberg_matches_dynare():
    from govsim import optimal_policy
    r = optimal_policy.ramsey(_model("nk_rotemberg_ramsey.mod"))
    assert r.ok() and r.instruments == ["R"]
    assert r.multiplier_names == [f"MULT_{i}" for i in range(1, 8)]
    # Dynare 5.3: oo_.dr.ys, oo_.planner_objective_value (tests/fixtures/optimal_policy/nk_rotemberg_ramsey.mod)
    assert r.steady_state["R"] == pytest.approx(1.0101010101010099, rel=1e-12)
    assert r.steady_state["c"] == pytest.approx(0.9128709291752769, rel=1e-12)
    assert r.multipliers["MULT_6"] == pytest.approx(-9.174311926605494, rel=1e-10)
    w = r.planner_objective_value
    assert w["unconditional"] == pytest.approx(-50.782744506364352, rel=1e-12)
    assert w["conditional_zero_initial_multiplier"] == pytest.approx(-50.77362305557304, rel=1e-12)
    # impact of the technology shock on c and of the markup shock on pi (Dynare ghu)
    ghu = r.solution.ghu
    assert ghu.loc["c", "ea"] == pytest.approx(0.91287092917527723, rel=1e-9)
    irf = r.solution.irf(12)
    assert isinstance(irf, (pd.DataFrame, dict))
    d = r.to_dict()
    assert set(d) >= {"instruments", "multipliers", "steady_state", "planner_objective_value"}
    assert "module" not in r.mod_text and "MULT_1" in r.mod_text


def test_ramsey_options_override_the_file():
    from govsim import optimal_policy
    m = _model("nk_cp_ramsey.mod")
    r1 = optimal_policy.ramsey(m)
    r2 = optimal_policy.ramsey(m, planner_objective="-(pi^2 + alpha_x*x^2)", planner_discount="beta")
    # doubling the objective doubles the multipliers and leaves the allocation unchanged
    np.testing.assert_allclose(r2.solution.ghu.loc["pi"], r1.solution.ghu.loc["pi"], rtol=1e-10)
    np.testing.assert_allclose(r2.solution.ghu.loc["MULT_1"], 2 * r1.solution.ghu.loc["MULT_1"], rtol=1e-10)
    assert r2.discount == 0.99


def test_discretion_matches_gali_closed_form():
    from govsim import optimal_policy
    m = _model("nk_cp_discretion.mod")
    d = optimal_policy.discretion(m)
    p = m.params
    psi = 1 / (p["kappa"] ** 2 + p["alpha_x"] * (1 - p["beta"] * p["rho_u"]))
    assert d.solution.ghu.loc["pi", "eu"] == pytest.approx(p["alpha_x"] * psi, rel=1e-10)
    assert d.solution.ghu.loc["x", "eu"] == pytest.approx(-p["kappa"] * psi, rel=1e-10)
    # Dynare 5.3 oo_.planner_objective_value
    assert d.loss["unconditional"] == pytest.approx(0.014617158724302351, rel=1e-9)
    assert d.loss["conditional"] == pytest.approx(0.014422910767789867, rel=1e-9)
    assert d.loss_weights.loc["x", "x"] == pytest.approx(2 * p["alpha_x"])


def test_errors_are_specific():
    from govsim import _core, optimal_policy
    m = _model("nk_cp_discretion.mod")
    with pytest.raises(_core.ModelError, match="instrument 'zz'"):
        optimal_policy.discretion(m, instruments=["zz"])
    with pytest.raises(_core.ModelError, match="instrument"):
        optimal_policy.ramsey(m, instruments=["i", "x"])
    r = optimal_policy.discretion(m, max_iterations=2, raise_on_failure=False)
    assert not r.ok() and "did not converge" in r.message
    with pytest.raises(_core.SolveError):
        optimal_policy.discretion(m, max_iterations=2)


def test_compare_policies_ranks_commitment_first():
    import matplotlib
    matplotlib.use("Agg")
    from govsim import optimal_policy
    m = _model("nk_cp_policy.mod")
    c = optimal_policy.compare_policies(m, "i = phi_pi*pi + phi_x*x", ["phi_pi", "phi_x"],
                                        bounds={"phi_pi": (1.01, 50.0), "phi_x": (0.0, 10.0)})
    t = c.table
    assert list(t.index) == ["commitment", "discretion", "optimal simple rule", "given rule"]
    L = t["expected_discounted_loss"]
    # the discretion row equals Dynare's unconditional planner objective for discretion
    assert L["discretion"] == pytest.approx(0.014617158724302351, rel=1e-9)
    # commitment beats discretion (stabilisation bias); the tuned rule beats the given one
    assert L["commitment"] < L["discretion"]
    assert L["optimal simple rule"] <= L["given rule"] + 1e-15
    assert t.loc["commitment", "gain_vs_discretion_pct"] > 0
    assert c.figure is not None
    # the commitment loss equals 1/2 tr(W Var) from the Ramsey solution's own moments
    mo = c.commitment.solution.moments()
    v = mo.var.loc[["pi", "x"], ["pi", "x"]].to_numpy()
    ax = m.params["alpha_x"]
    assert L["commitment"] == pytest.approx((v[0, 0] + ax * v[1, 1]) / (1 - 0.99), rel=1e-10)


def test_conditional_forecast_matches_dynare():
    from govsim import optimal_policy
    m = _model("nk_cp_rule.mod")
    targets = {"pi": [0.005] * 3 + [0.002] * 3, "x": [-0.01, -0.01]}
    r = optimal_policy.conditional_forecast(m, targets, ["ei", "eu"], periods=8)
    # Dynare 5.3 oo_.conditional_forecast.cond.Mean (all shocks controlled: exact)
    dyn_i = [0, 0.0084364617940199376, 0.0084364617940199376, -0.015389612240244963, -0.0037732374926715065,
             -0.0097297560012377226, -0.01270801525552083, 0.00021172913205979958, 0.00010586456602989979]
    np.testing.assert_allclose(r.paths["i"].to_numpy(), dyn_i, rtol=0, atol=1e-12)
    a = optimal_policy.conditional_forecast(m, targets, ["ei", "eu"], periods=8, timing="anticipated")
    np.testing.assert_allclose(a.paths["pi"].iloc[1:7].to_numpy(), targets["pi"], atol=1e-10)
    assert a.shocks.shape == (8, 2)
    with pytest.raises(Exception, match="timing"):
        optimal_policy.conditional_forecast(m, targets, ["ei", "eu"], timing="sometimes")


def test_conditional_forecast_at_the_zero_lower_bound():
    from govsim import dsge, nonlinear, optimal_policy
    txt = (ROOT / "tests" / "fixtures" / "models" / "small_zlb.mod").read_text() + "shocks; var e; stderr 0.01; end;\n"
    m = dsge.Model.from_string(txt, "small_zlb")
    target = {"y": [-0.03] * 4}
    lin = optimal_policy.conditional_forecast(m, target, ["e"], periods=8, method="linear")
    assert (lin.paths["R"].iloc[1:5] < -0.01).all()  # the linear forecast ignores the bound
    for timing in ("unanticipated", "anticipated"):
        r = optimal_policy.conditional_forecast(m, target, ["e"], periods=8, timing=timing,
                                                method="perfect_foresight")
        assert r.max_target_error < 1e-10
        np.testing.assert_allclose(r.paths["y"].iloc[1:5], -0.03, atol=1e-10)
        assert (r.paths["R"] >= -1e-12).all() and (r.paths["R"].iloc[1:5].abs() < 1e-12).all()  # at the bound
        assert abs(r.shocks["e"].iloc[0] - lin.shocks["e"].iloc[0]) > 1e-3
    # the anticipated shock path, fed back as a deterministic scenario known from period 1, gives the targets
    a = optimal_policy.conditional_forecast(m, target, ["e"], periods=8, timing="anticipated",
                                            method="perfect_foresight")
    sim = nonlinear.perfect_foresight(m, periods=100, shocks={"e": list(a.shocks["e"])})
    y = sim.paths["y"].to_numpy()
    np.testing.assert_allclose(y[1:5], -0.03, atol=1e-9)
