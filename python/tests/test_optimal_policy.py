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


def _policy_models():
    from govsim import dsge

    def mk(**kw):
        m = dsge.Model.from_file(str(FIX / "nk_cp_policy.mod"))
        for k, v in kw.items():
            m.core.set_param(k, v)
        return m
    return [mk(), mk(kappa=0.05), mk(rho_u=0.8)]


RULE, RULE_PARAMS = "i = phi_pi*pi + phi_x*x", ["phi_pi", "phi_x"]
BOUNDS = {"phi_pi": (1.01, 50.0), "phi_x": (0.0, 10.0)}


def test_compare_policies_robust_identities():
    import matplotlib
    matplotlib.use("Agg")
    from govsim import optimal_policy
    models = _policy_models()
    labels = ["base", "flat", "persistent"]
    r = optimal_policy.compare_policies_robust(models, RULE, RULE_PARAMS, labels=labels, bounds=BOUNDS)
    t = r.table
    assert list(t.columns) == labels + ["average", "worst"]
    rules = ["rule tuned on base", "rule tuned on flat", "rule tuned on persistent", "robust rule (average)",
             "robust rule (worst case)", "given rule"]
    assert list(t.index) == ["commitment", "discretion"] + rules
    assert list(r.rules.index) == rules and list(r.rules.columns) == RULE_PARAMS
    # the discretion entry of the base model is Dynare's unconditional planner objective
    assert t.loc["discretion", "base"] == pytest.approx(0.014617158724302351, rel=1e-9)
    # average and worst columns are the (equal-weight) mean and the maximum of the model columns
    np.testing.assert_allclose(t["average"], t[labels].mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(t["worst"], t[labels].max(axis=1), rtol=0)
    # on every model, commitment beats every simple rule (it is the best policy there)
    for lab in labels:
        assert (t.loc[rules, lab] >= t.loc["commitment", lab] * (1 - 1e-10)).all()
    # the robust rules are optimal for their criterion among all rules compared
    assert (t.loc["robust rule (average)", "average"] <= t.loc[rules, "average"] * (1 + 1e-12)).all()
    assert (t.loc["robust rule (worst case)", "worst"] <= t.loc[rules, "worst"] * (1 + 1e-12)).all()
    # each model-specific rule is the best rule on its own model (up to the optimizer's tolerance)
    for lab in labels:
        assert t.loc[f"rule tuned on {lab}", lab] <= t.loc[rules, lab].min() * (1 + 1e-6)
    # an entry recomputed independently: the rule tuned on "flat" applied to "persistent",
    # 1/2 tr(W Var) / (1 - beta) from the solved rule model's moments
    m = optimal_policy.model_with_rule(models[2], RULE)
    for k, v in r.rules.loc["rule tuned on flat"].items():
        m.core.set_param(k, float(v))
    v = m.solve().moments().var
    ax = models[2].params["alpha_x"]
    expect = 0.5 * (2 * v.loc["pi", "pi"] + 2 * ax * v.loc["x", "x"]) / (1 - 0.99)
    assert t.loc["rule tuned on flat", "persistent"] == pytest.approx(expect, rel=1e-10)
    assert r.figure is not None


def test_compare_policies_robust_one_model_is_the_single_model_comparison():
    from govsim import optimal_policy
    m = _policy_models()[0]
    r = optimal_policy.compare_policies_robust([m], RULE, RULE_PARAMS, labels=["base"], bounds=BOUNDS, chart=False)
    c = optimal_policy.compare_policies(m, RULE, RULE_PARAMS, bounds=BOUNDS, chart=False)
    L = c.table["expected_discounted_loss"]
    t = r.table["base"]
    for row in ("commitment", "discretion", "given rule"):
        assert t[row] == pytest.approx(L[row], rel=1e-12)
    # the robust rules on one model are the optimal simple rule: same loss (the optimum lies on a
    # flat ridge in (phi_pi, phi_x), so the coefficients agree less tightly than the loss)
    for row in ("robust rule (average)", "robust rule (worst case)", "rule tuned on base"):
        assert t[row] == pytest.approx(L["optimal simple rule"], rel=1e-6)


def test_compare_policies_robust_weights_and_errors():
    from govsim import _core, optimal_policy
    models = _policy_models()[:2]
    r = optimal_policy.compare_policies_robust(models, RULE, RULE_PARAMS, labels=["a", "b"], weights=[3, 1],
                                               bounds=BOUNDS, chart=False)
    assert r.weights.tolist() == [0.75, 0.25]
    t = r.table
    np.testing.assert_allclose(t["average"], 0.75 * t["a"] + 0.25 * t["b"], rtol=1e-14)
    assert (t.loc["robust rule (average)", "average"] <= t.iloc[2:]["average"] * (1 + 1e-12)).all()
    with pytest.raises(_core.OptionsError, match="weights"):
        optimal_policy.compare_policies_robust(models, RULE, RULE_PARAMS, weights=[1, -1], chart=False)
    with pytest.raises(_core.OptionsError, match="labels"):
        optimal_policy.compare_policies_robust(models, RULE, RULE_PARAMS, labels=["a", "a"], chart=False)
    with pytest.raises(_core.ParseError, match="phi_z"):
        optimal_policy.compare_policies_robust(models, "i = phi_z*pi", ["phi_z"], chart=False)
    with pytest.raises(_core.ModelError, match="phi_q"):
        optimal_policy.compare_policies_robust(models, RULE, ["phi_pi", "phi_q"], chart=False)


def _octave_draws():
    """Octave's draws of eu in Dynare's conditional_forecast (replic x periods x n_exo, exo eu ei)."""
    eu = np.loadtxt(FIX / "cf_bands_octave_draws.csv", delimiter=",", comments="#")
    z = np.zeros(eu.shape + (2,))
    z[:, :, 0] = eu
    return z


def test_conditional_forecast_bands_reproduce_dynare_and_are_exact():
    import matplotlib
    matplotlib.use("Agg")
    from govsim import optimal_policy
    m = _model("nk_cp_rule.mod")
    target = {"pi": [0.005] * 4}
    # Dynare 5.3 conditional_forecast(parameter_set=calibration, controlled_varexo=(ei), periods=6,
    # replic=200, conf_sig=0.8) after randn('state', 7): oo_.conditional_forecast.cond.Mean.x,
    # .ci.x and controlled_exo_variables.Mean.ei, periods 0..2 (the draws Octave made are the fixture)
    r = optimal_policy.conditional_forecast_bands(m, target, ["ei"], periods=6, draws=_octave_draws())
    assert r.replic == 200
    sim = r.simulated
    np.testing.assert_allclose(sim[("x", "mean")].iloc[:3], [0.0, 0.02634831958877965, 0.0494008020326301],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(sim[("x", "lower")].iloc[1:3], [-0.14874659399131646, -0.16386827354498917],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(sim[("x", "upper")].iloc[1:3], [0.19856072988733858, 0.23804279166634623],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.simulated_shocks[("ei", "mean")].iloc[:2],
                               [-0.03755064423482661, -0.06275233029522376], rtol=0, atol=1e-12)
    # exact bands: the mean is the conditional forecast; the targeted variable has no uncertainty
    # while targeted; the simulated bands of many draws approach the exact ones
    base = optimal_policy.conditional_forecast(m, target, ["ei"], periods=6)
    t = r.table
    np.testing.assert_allclose(t[("x", "mean")], base.paths["x"], rtol=0, atol=1e-15)
    assert (t[("pi", "std")].iloc[1:5] == 0).all() and t[("pi", "std")].iloc[5] > 0
    z = 1.2815515655446004  # normal quantile of 0.9
    np.testing.assert_allclose(t[("x", "upper")] - t[("x", "mean")], z * t[("x", "std")], rtol=1e-12, atol=1e-16)
    big = optimal_policy.conditional_forecast_bands(m, target, ["ei"], periods=6, replic=20000, seed=5)
    sd = t[("x", "std")].iloc[1:]
    half = 0.5 * (big.simulated[("x", "upper")] - big.simulated[("x", "lower")]).iloc[1:]
    assert (abs(half - z * sd) <= 0.04 * sd).all()
    assert list(t.columns.get_level_values("statistic")[:4]) == ["mean", "std", "lower", "upper"]
    assert r.plot(["pi", "x"]) is not None
    assert optimal_policy.conditional_forecast_bands(m, target, ["ei"], periods=6).simulated is None


def test_conditional_forecast_bands_bad_input():
    from govsim import _core, optimal_policy
    m = _model("nk_cp_rule.mod")
    with pytest.raises(_core.OptionsError, match="conf_sig"):
        optimal_policy.conditional_forecast_bands(m, {"pi": [0.0]}, ["ei"], periods=3, conf_sig=1.5)
    with pytest.raises(_core.DimensionError, match="draws"):
        optimal_policy.conditional_forecast_bands(m, {"pi": [0.0]}, ["ei"], periods=3, draws=np.zeros((5, 2, 2)))
    with pytest.raises(_core.ModelError, match="unknown shock 'zz'"):
        optimal_policy.conditional_forecast_bands(m, {"pi": [0.0]}, ["zz"], periods=3)


# ---------------------------------------------------------------- govsim run (command interpreter)
def _govsim_run_json(name, tmp_path):
    import json
    import os
    import subprocess
    exe = os.path.join(os.environ.get("GOVSIM_BUILD_DIR", str(ROOT / "build")), "bin", "govsim")
    if not os.access(exe, os.X_OK):
        pytest.skip(f"{exe} not built")
    out = tmp_path / (name + ".json")
    p = subprocess.run([exe, "run", "--json", str(out), str(FIX / (name + ".mod"))], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    return json.loads(out.read_text()), p.stdout


@pytest.mark.parametrize("name", ["nk_cp_ramsey", "nk_rotemberg_ramsey", "nk_rotemberg_ramsey_nossm", "sw_ramsey"])
def test_govsim_run_ramsey_equals_python_api(name, tmp_path):
    from govsim import optimal_policy
    j, text = _govsim_run_json(name, tmp_path)
    r = optimal_policy.ramsey(_model(name + ".mod"))
    assert r.ok()
    d = r.to_dict()
    jr = j["ramsey"]
    assert jr["instruments"] == d["instruments"]
    assert list(jr["multipliers"]) == list(d["multipliers"])
    for key in ("multipliers", "steady_state", "planner_objective_value"):
        np.testing.assert_allclose([jr[key][k] for k in d[key]], list(d[key].values()), rtol=1e-8, atol=1e-12)
    # the stoch_simul after ramsey_model is that of the Ramsey system (multipliers included)
    names = list(r.core.ramsey.model.endo_names)
    assert j["endo_names"] == names
    s = j["stoch_simul"]
    n = len(names)
    np.testing.assert_allclose(np.asarray(s["ghx"], float).reshape(n, -1), np.asarray(r.solution.core.ghx)[:n],
                               rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(np.asarray(s["ghu"], float).reshape(n, -1), np.asarray(r.solution.core.ghu)[:n],
                               rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(j["steady_state"], r.steady_state[names].to_numpy(), rtol=1e-8, atol=1e-12)
    w = j["planner_objective_value"]
    assert w["policy"] == "ramsey"
    np.testing.assert_allclose([w["value"][k] for k in d["planner_objective_value"]],
                               list(d["planner_objective_value"].values()), rtol=1e-8, atol=1e-12)
    assert "RAMSEY POLICY (commitment)" in text and "PLANNER OBJECTIVE (ramsey)" in text


def test_govsim_run_ramsey_rotemberg_matches_dynare(tmp_path):
    j, _ = _govsim_run_json("nk_rotemberg_ramsey", tmp_path)
    # Dynare 5.3: oo_.dr.ys, oo_.dr.ghu, oo_.planner_objective_value
    assert j["ramsey"]["steady_state"]["R"] == pytest.approx(1.0101010101010099, rel=1e-10)
    assert j["ramsey"]["multipliers"]["MULT_6"] == pytest.approx(-9.174311926605494, rel=1e-8)
    w = j["planner_objective_value"]["value"]
    assert w["unconditional"] == pytest.approx(-50.782744506364352, rel=1e-10)
    assert w["conditional_steady_initial_multiplier"] == pytest.approx(-50.78274450636435, rel=1e-10)
    assert w["conditional_zero_initial_multiplier"] == pytest.approx(-50.77362305557304, rel=1e-10)
    s = j["stoch_simul"]
    ghu = np.asarray(s["ghu"], float).reshape(len(j["endo_names"]), -1)
    assert ghu[j["endo_names"].index("c"), s["exo_names"].index("ea")] == pytest.approx(0.91287092917527723, rel=1e-8)
    assert set(s["irfs"]) == set(s["exo_names"]) and len(s["irfs"]["ea"]["c"]) == 12


def test_govsim_run_discretion_matches_dynare_and_python_api(tmp_path):
    from govsim import optimal_policy
    j, text = _govsim_run_json("nk_cp_discretion", tmp_path)
    d = optimal_policy.discretion(_model("nk_cp_discretion.mod"))
    jd = j["discretion"]
    assert jd["instruments"] == ["i"] and jd["discount"] == 0.99 and jd["status"] == "Success"
    # Dynare 5.3 oo_.planner_objective_value
    assert jd["loss"]["unconditional"] == pytest.approx(0.014617158724302351, rel=1e-8)
    assert jd["loss"]["conditional"] == pytest.approx(0.014422910767789867, rel=1e-8)
    assert jd["loss"] == pytest.approx(d.loss, rel=1e-10)
    s = j["stoch_simul"]
    n = len(j["endo_names"])
    np.testing.assert_allclose(np.asarray(s["ghu"], float).reshape(n, -1), np.asarray(d.solution.core.ghu)[:n],
                               rtol=1e-8, atol=1e-12)
    # Gali (2015), ch. 5: pi = alpha_x Psi u, x = -kappa Psi u under discretion
    p = _model("nk_cp_discretion.mod").params
    psi = 1 / (p["kappa"] ** 2 + p["alpha_x"] * (1 - p["beta"] * p["rho_u"]))
    ghu = np.asarray(s["ghu"], float).reshape(n, -1)
    assert ghu[j["endo_names"].index("pi"), 0] == pytest.approx(p["alpha_x"] * psi, rel=1e-10)
    assert ghu[j["endo_names"].index("x"), 0] == pytest.approx(-p["kappa"] * psi, rel=1e-10)
    assert len(s["irfs"]["eu"]["pi"]) == 12
    assert "DISCRETIONARY POLICY" in text


def test_python_run_exposes_optimal_policy_results():
    from govsim import dsge
    r = dsge.run(str(FIX / "nk_cp_ramsey.mod"))
    assert r.ok()
    ramsey = r.of("ramsey_model")[0]
    assert list(ramsey.result.ramsey.instruments) == ["i"]
    w = r.of("evaluate_planner_objective")[0]
    assert w.policy == "ramsey"
    assert w.ramsey.unconditional == pytest.approx(ramsey.result.objective.unconditional, rel=1e-14)
    assert r.of("stoch_simul")[0].first.endo_names == ramsey.result.ramsey.model.endo_names


def test_govsim_run_ramsey_policy_equals_ramsey_model_then_stoch_simul(tmp_path):
    import json
    import os
    import subprocess
    j, _ = _govsim_run_json("nk_cp_ramsey", tmp_path)
    text = (FIX / "nk_cp_ramsey.mod").read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("stoch_simul")]
    lines = [ln.replace("ramsey_model(planner_discount=0.99, instruments=(i));",
                        "ramsey_policy(planner_discount=0.99, instruments=(i), order=1, irf=12, nograph);")
             for ln in lines]
    assert any(ln.startswith("ramsey_policy") for ln in lines)
    (tmp_path / "rp.mod").write_text("\n".join(lines) + "\n")
    exe = os.path.join(os.environ.get("GOVSIM_BUILD_DIR", str(ROOT / "build")), "bin", "govsim")
    p = subprocess.run([exe, "run", "--json", "rp.json", "rp.mod"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    k = json.loads((tmp_path / "rp.json").read_text())
    assert k["ramsey"] == j["ramsey"] and k["planner_objective_value"] == j["planner_objective_value"]
    for key in ("ghx", "ghu", "irfs", "moments"):
        assert k["stoch_simul"][key] == j["stoch_simul"][key]


@pytest.mark.parametrize("name,command", [("nk_cp_ramsey", "ramsey_model"),
                                          ("nk_cp_discretion", "discretionary_policy")])
def test_govsim_run_bad_instrument_exit_2(name, command, tmp_path):
    import os
    import subprocess
    (tmp_path / "bad.mod").write_text((FIX / (name + ".mod")).read_text().replace("instruments=(i)",
                                                                                   "instruments=(zz)"))
    exe = os.path.join(os.environ.get("GOVSIM_BUILD_DIR", str(ROOT / "build")), "bin", "govsim")
    p = subprocess.run([exe, "run", "bad.mod"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert p.returncode == 2
    assert f"bad.mod:20: {command}:" in p.stderr and "instrument 'zz' is not an endogenous variable" in p.stderr
