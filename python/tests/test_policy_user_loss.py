"""govsim.policy: scenario losses, user-defined losses and minimize; progress bars for MCMC (Python and CLI)."""
import io
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govsim import _core, dsge, estimation, policy
from govsim._progress import ProgressBar

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
NK = REPO / "examples" / "models" / "nk_demand.mod"
W = {"pi": 1.0, "y": 0.5, "i": 1.0}
RULE = ["phi_pi", "phi_y"]
BOUNDS = {"phi_pi": (1.01, 10.0), "phi_y": (0.0, 5.0)}


@pytest.fixture(scope="module")
def model():
    return dsge.Model.from_file(str(NK))


def _numpy_scenario_loss(sol, weights, shocks, periods, discount):
    """Independent reference: iterate y_t = ghx y_{t-1}[states] + ghu e_t with numpy."""
    ghx, ghu = sol.ghx, sol.ghu
    endo = list(ghx.index)
    Wm = np.zeros((len(endo), len(endo)))
    for k, v in weights.items():
        Wm[endo.index(k), endo.index(k)] = v
    states = [endo.index(s) for s in ghx.columns]
    y = np.zeros(len(endo))
    total, f = 0.0, 1.0
    for t in range(periods):
        e = shocks[t] if t < len(shocks) else np.zeros(ghu.shape[1])
        y = ghx.to_numpy() @ y[states] + ghu.to_numpy() @ e
        total += f * y @ Wm @ y
        f *= discount
    return total


def test_scenario_loss_matches_numpy(model):
    sol = model.solve()
    exo = sol.exo_names
    path = pd.DataFrame({"eps_d": [0.5, 0.5, 0.5], "eps_u": [0.0, 0.2, 0.0]})
    ref = _numpy_scenario_loss(sol, W, path.reindex(columns=exo).fillna(0).to_numpy(), 40, 0.99)
    assert policy.scenario_loss(model, W, path, periods=40, discount=0.99) == pytest.approx(ref, rel=1e-12)
    # a solution, a dict of lists and an array give the same number
    assert policy.scenario_loss(sol, W, {"eps_d": [0.5] * 3, "eps_u": [0, 0.2]}, 40, 0.99) == pytest.approx(ref, rel=1e-12)
    arr = path.reindex(columns=exo).fillna(0).to_numpy()
    assert policy.scenario_loss(model, W, arr, 40, 0.99) == pytest.approx(ref, rel=1e-12)
    # at other rule coefficients, without touching the model
    other = model.copy()
    other.set_params({"phi_pi": 3.0})
    ref2 = _numpy_scenario_loss(other.solve(), W, arr, 40, 0.99)
    assert policy.scenario_loss(model, W, path, 40, 0.99, params={"phi_pi": 3.0}) == pytest.approx(ref2, rel=1e-12)
    assert model["phi_pi"] == 1.8
    # an indeterminate rule (phi_pi < 1) has no loss
    assert np.isnan(policy.scenario_loss(model, W, path, 40, 0.99, params={"phi_pi": 0.5}))


def test_scenario_loss_bad_input(model):
    with pytest.raises(_core.ModelError, match="eps_zz"):
        policy.scenario_loss(model, W, {"eps_zz": 1.0})
    with pytest.raises(_core.DimensionError, match="columns"):
        policy.scenario_loss(model, W, np.ones((2, 2)))
    with pytest.raises(_core.OptionsError):
        policy.scenario_loss(model, W, None)
    with pytest.raises(_core.ModelError, match="nope"):
        policy.scenario_loss(model, {"nope": 1.0}, {"eps_d": 1.0})


def test_osr_on_scenario_lowers_the_scenario_loss(model):
    sc = {"eps_d": [0.5] * 4}
    r = policy.optimal_simple_rule(model, W, param_names=RULE, bounds=BOUNDS, scenario=sc, discount=0.99, periods=60)
    assert r.ok()
    assert r.loss_start == pytest.approx(policy.scenario_loss(model, W, sc, 60, 0.99), rel=1e-12)
    assert r.loss == pytest.approx(policy.scenario_loss(model, W, sc, 60, 0.99, params=r.params.to_dict()),
                                   rel=1e-10)
    assert r.loss < 0.6 * r.loss_start
    assert all(BOUNDS[k][0] - 1e-12 <= v <= BOUNDS[k][1] + 1e-12 for k, v in r.params.items())
    # a local perturbation inside the box does not improve on the optimum
    for d in ([-0.05, 0], [0, 0.05], [0, -0.05]):
        p = {k: min(max(v + dv, BOUNDS[k][0]), BOUNDS[k][1]) for (k, v), dv in zip(r.params.items(), d)}
        assert policy.scenario_loss(model, W, sc, 60, 0.99, params=p) >= r.loss - 1e-9
    assert list(r.covariance.index) == list(model.endo_names)


def test_user_defined_loss_reproduces_the_variance_loss(model):
    ref = policy.optimal_simple_rule(model, W, param_names=RULE, bounds=BOUNDS)
    calls = []

    def my_loss(sol):
        calls.append(1)
        v = sol.moments(ar=0).variance
        return v["pi"] + 0.5 * v["y"] + 1.0 * v["i"]

    r = policy.optimal_simple_rule(model, loss=my_loss, param_names=RULE, bounds=BOUNDS)
    assert r.ok() and r.evaluations <= len(calls) <= r.evaluations + 1  # + the start point
    assert r.loss == pytest.approx(ref.loss, rel=1e-7)
    assert r.loss_start == pytest.approx(ref.loss_start, rel=1e-12)
    np.testing.assert_allclose(r.params.to_numpy(), ref.params.to_numpy(), atol=1e-3)
    # a callable in place of the weights is the same thing
    r2 = policy.optimal_simple_rule(model, my_loss, param_names=RULE, bounds=BOUNDS)
    assert r2.loss == pytest.approx(r.loss, rel=1e-12)


def test_user_defined_loss_on_irfs_and_infeasible_points(model):
    seen = []

    def peak_loss(sol):
        seen.append(sol.ok())
        irf = sol.irf(periods=12, shock="eps_d")
        return float((irf["y"] ** 2).sum() + (irf["i"] ** 2).sum())

    # the box allows phi_pi < 1 (indeterminacy): those points never reach the callable
    box = {"phi_pi": (0.5, 5), "phi_y": (0, 3)}
    r = policy.optimal_simple_rule(model, peak_loss, param_names=RULE, bounds=box, start={"phi_pi": 1.2, "phi_y": 0.2},
                                   max_evaluations=400)
    assert all(seen) and r.ok()
    assert np.isfinite(r.loss) and r.loss < r.loss_start and r.params["phi_pi"] > 1.0
    # an infeasible start is reported, not raised
    bad = policy.optimal_simple_rule(model, peak_loss, param_names=RULE, bounds=box, start={"phi_pi": 0.8, "phi_y": 0.2},
                                     max_evaluations=50)
    assert not bad.ok() and bad.loss_start >= 1e9 and "feasible" in bad.summary()
    with pytest.raises(_core.OptionsError):
        policy.optimal_simple_rule(model, peak_loss, loss=peak_loss, param_names=RULE)


def test_minimize_labelled_and_array():
    o = policy.minimize(lambda s: (s["a"] - 1) ** 2 + (s["b"] + 2) ** 2, {"a": 0.0, "b": 0.0})
    assert o.ok() and list(o.x.index) == ["a", "b"]
    np.testing.assert_allclose(o.x.to_numpy(), [1.0, -2.0], atol=1e-6)
    o2 = policy.minimize(lambda x: float(np.sum((x - 3.0) ** 2)), np.zeros(3), bounds={"x1": (-1, 1)})
    np.testing.assert_allclose(o2.x.to_numpy(), [3.0, 1.0, 3.0], atol=1e-6)
    o3 = policy.minimize(lambda s: s["a"] ** 2 if s["a"] > 0.5 else float("nan"), {"a": 2.0},
                         bounds={"a": (0, 3)})
    assert o3.x["a"] == pytest.approx(0.5, abs=1e-4)
    with pytest.raises(_core.OptionsError):
        policy.minimize(42, {"a": 1.0})


# ------------------------------------------------------------------------------------------ progress
class _Info:
    def __init__(self, it, total):
        self.iteration, self.total, self.objective, self.stage = it, total, 0.0, "mcmc"


def test_progress_bar_text():
    buf = io.StringIO()
    bar = ProgressBar("MCMC", "draws", stream=buf, width=20, min_interval=0.0)
    assert bar(_Info(50, 200)) is True
    assert "|#####---------------|  25.0% 50/200 draws" in buf.getvalue()
    bar(_Info(200, 200))
    bar.close()
    out = buf.getvalue()
    assert "|" + "#" * 20 + "| 100.0% 200/200 draws" in out and out.endswith("\n") and out.count("\r") >= 2
    assert "draws/s" in out
    bar.close()                          # idempotent
    assert buf.getvalue() == out
    unknown = ProgressBar("opt", "it", stream=io.StringIO())
    unknown.update(7)
    assert unknown.text().startswith("opt: 7 it")


def _small_estimation():
    text = NK.read_text() + """
varobs y pi i;
estimated_params;
  rho_d, beta_pdf, 0.8, 0.1;
  stderr eps_d, inv_gamma_pdf, 0.5, 1.0;
end;
"""
    m = dsge.Model.from_string(text.replace("stoch_simul(order=1, irf=40, ar=4, nograph) y pi i r;", ""),
                               name="nk_demand_est")
    data = dsge.Model.from_file(str(NK)).solve().simulate(periods=120, seed=5, deviations=True)[["y", "pi", "i"]]
    return m, data


def test_mcmc_progress_bar_python():
    m, data = _small_estimation()
    e = estimation.Estimator(m, data)
    buf = io.StringIO()
    bar = ProgressBar("MCMC", "draws", stream=buf, min_interval=0.0)
    stops = []
    draws, summary, r = e.mcmc(chains=2, draws=300, seed=2, progress=bar,
                               on_iteration=lambda info: stops.append(info.iteration) or True)
    out = buf.getvalue()
    assert "600/600 draws" in out and "100.0%" in out and out.endswith("\n")
    assert stops and max(stops) <= 600           # the user's callback still runs
    assert r.ok() and len(draws) == 600
    # the bar does not change the draws
    d2, _, _ = e.mcmc(chains=2, draws=300, seed=2)
    assert draws.equals(d2)
    # a user callback returning False still stops the run
    d3, _, r3 = e.mcmc(chains=2, draws=3000, seed=2, progress=ProgressBar(stream=io.StringIO()),
                       on_iteration=lambda info: info.iteration < 200, threads=1)
    assert r3.status.name == "UserStopped" and len(d3) < 6000


def test_cli_mcmc_progress_bar(tmp_path):
    if not CLI.exists():
        pytest.skip("govsim CLI not built")
    m, data = _small_estimation()
    data.to_csv(tmp_path / "obs.csv", index=False)
    text = NK.read_text().replace("stoch_simul(order=1, irf=40, ar=4, nograph) y pi i r;", "") + """
varobs y pi i;
estimated_params;
  rho_d, beta_pdf, 0.8, 0.1;
  stderr eps_d, inv_gamma_pdf, 0.5, 1.0;
end;
estimation(datafile='obs.csv', mode_compute=4, mh_replic=400, mh_nblocks=2, mh_jscale=0.8, nograph);
"""
    (tmp_path / "est.mod").write_text(text)
    env = dict(os.environ, GOVSIM_PROGRESS="1")
    p = subprocess.run([str(CLI), "run", "est.mod", "--json", "out.json"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600, env=env)
    assert p.returncode == 0, p.stderr
    assert "MCMC |" in p.stderr and "800/800 draws" in p.stderr
    j = json.loads((tmp_path / "out.json").read_text())["estimation"]
    assert j["mcmc"]["status"] == "Success" and set(j["mcmc"]["rhat"]) == {"rho_d", "stderr eps_d"}
    q = subprocess.run([str(CLI), "run", "est.mod", "--quiet"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=600, env=env)
    assert q.returncode == 0 and "MCMC |" not in q.stderr
