"""`govsim run` on Dynare's conditional-forecast commands (conditional_forecast_paths,
conditional_forecast, plot_conditional_forecast) against Dynare 5.3 (imcforecast.m, run in Octave
on the same files), the JSON contract, the Python RunResult accessor and the exit-2 errors."""
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from test_cli_run import CLI, cli

MODEL = """
var y x pi i u g;
varexo eu ei eg;
parameters beta kappa sigma rho_u rho_g phi_pi phi_x ybar;
beta = 0.99; kappa = 0.1275; sigma = 1; rho_u = 0.5; rho_g = 0.8; phi_pi = 1.5; phi_x = 0.125; ybar = 2;
model(linear);
pi = beta*pi(+1) + kappa*x + u;
x = x(+1) - 1/sigma*(i - pi(+1)) + g;
u = rho_u*u(-1) + eu;
g = rho_g*g(-1) + eg;
i = phi_pi*pi + phi_x*x + ei;
y = ybar + x;
end;
shocks;
var eu; stderr 0.01;
var ei; stderr 0.0025;
var eg; stderr EG_STDERR;
end;
stoch_simul(order=1, irf=0, nograph, nomoments, noprint);
conditional_forecast_paths;
var y;
periods 1:3, 4:5;
values 2.01, 1.99;
var pi;
periods 1 2;
values 0.004 0.003;
end;
conditional_forecast(parameter_set=calibration, controlled_varexo=(ei, eu), periods=8, replic=5000, conf_sig=0.9);
plot_conditional_forecast(periods=6) y pi;
"""

# Dynare 5.3, oo_.conditional_forecast of MODEL (rows: periods 0..8; controlled shocks: periods 1..5).
# DYN_NOISELESS: eg has stderr 0, so every replication is the same path: Dynare's mean is exact.
# DYN_MC: eg has stderr 0.005 (replic=5000, conf_sig=0.9): simulated mean and percentile bands.
DYN_NOISELESS = {
    'cond.mean.y': [2.0, 2.010000000000172, 2.010000000000172, 2.010000000000172, 1.9899999999998286, 1.9899999999998286, 1.9998567275744834, 1.9999283637873595, 1.9999641818938545],
    'cond.mean.x': [0.0, 0.00999999999999858, 0.00999999999999858, 0.00999999999999858, -0.009999999999999724, -0.009999999999999724, -0.0001432724252491705, -7.163621262458525e-05, -3.581810631229262e-05],
    'cond.mean.pi': [0.0, 0.0040000000000000036, 0.003000000000000091, 0.0021374999999999133, -0.0008437500000000036, -0.0010593749999999562, 8.954526578074036e-05, 4.477263289037018e-05, 2.238631644518509e-05],
    'cond.mean.i': [0.0, -0.010678986710963883, -0.010429817275747804, -0.010214908637872423, 0.009892545681062369, 0.009946272840530521, 0.00011640884551495651, 5.8204422757478256e-05, 2.9102211378739128e-05],
    'cond.mean.u': [0.0, 0.0016046719269102226, 0.001015801495016717, 0.0005079007475083585, 0.00025395037375417926, 0.00012697518687708963, 6.348759343854483e-05, 3.1743796719272415e-05, 1.5871898359636207e-05],
    'cond.mean.g': [0.0, 7.632575414546796e-20, 7.121402932655702e-20, 5.697122346123814e-20, 4.557697876898764e-20, 3.6461583015190544e-20, 2.9169266412154496e-20, 2.3335413129724283e-20, 1.8668330503779415e-20],
    'shock.mean.ei': [-0.01792898671096514, -0.016179817275746806, -0.014671158637873273, 0.012408170681062838, 0.012785335340531397],
    'shock.mean.eu': [0.0016046719269102226, 0.00021346553156145789, 0.0, 0.0, 0.0],
}
DYN_MC = {
    'cond.mean.y': [2.0, 2.010000000000172, 2.010000000000172, 2.010000000000172, 1.9899999999998286, 1.9899999999998286, 1.999657702650506, 1.999688663131269, 1.999711936869275],
    'cond.mean.pi': [0.0, 0.0040000000000000036, 0.003000000000000091, 0.002172958326822229, -0.0009074961078262165, -0.0010977460818873143, -2.8759368184955126e-05, -0.00010031235107555851, -0.0001313115783593219],
    'cond.mean.i': [0.0, -0.011228250227487637, -0.010590053880256594, -0.010145703772360732, 0.009584037011683696, 0.009764653815843507, -8.592622096331503e-05, -0.00018938563520380856, -0.00023297525888018122],
    'cond.lo.y': [2.0, 2.01, 2.01, 2.01, 1.99, 1.99, 1.981854583236678, 1.9823013880667337, 1.9818815538166823],
    'cond.lo.pi': [0.0, 0.003999999999999999, 0.002999999999999999, -0.0032979984562738125, -0.008264397890560615, -0.009055511246588266, -0.01070375099234425, -0.010690148700161068, -0.010970212901897857],
    'cond.lo.i': [0.0, -0.034341162844204784, -0.04015027390908184, -0.04256690286370045, -0.02481084413900983, -0.02582209839168015, -0.018200598788700787, -0.018253114361201635, -0.01872545800157038],
    'cond.hi.y': [2.0, 2.01, 2.01, 2.01, 1.99, 1.99, 2.0174770913790914, 2.01697322211449, 2.017606597349573],
    'cond.hi.pi': [0.0, 0.004000000000000001, 0.003000000000000001, 0.007873369938920436, 0.006349258488358799, 0.006851070044129508, 0.01067218738694828, 0.010491731124048432, 0.010818307339386646],
    'cond.hi.i': [0.0, 0.011961824137297926, 0.019038446355437354, 0.022457124635640785, 0.0436896086847478, 0.044896426490770934, 0.018202623653494905, 0.017858504303916983, 0.018420214792596562],
    'uncond.mean.y': [2.0, 1.9999277790283676, 1.9999587897076394, 2.0000550242465103, 2.0000761915434757, 2.0000874290610158, 2.0001637009375584, 2.0002611384377125, 2.000169582472549],
    'uncond.mean.pi': [0.0, -4.427006674549897e-05, -2.5261116710110713e-05, 3.372880495489999e-05, 4.670395092438427e-05, 5.3592333077027755e-05, 0.00010034552662924287, 0.00016007284042761079, 0.00010395079447255012],
    'uncond.mean.i': [0.0, -7.54327215722325e-05, -4.3042961609973085e-05, 5.7471238246682676e-05, 7.957986932017698e-05, 9.131713224301447e-05, 0.00017098090713884586, 0.0002727515653560669, 0.00017712400077773722],
    'uncond.lo.y': [2.0, 1.9888521376917705, 1.9858544532912865, 1.984431360145162, 1.983788763447773, 1.9832909358072446, 1.9823013096592232, 1.98300534258798, 1.9821813725187192],
    'uncond.lo.pi': [0.0, -0.006833425212977184, -0.008670948102697019, -0.009543276834095409, -0.009937176251966036, -0.010242335022001484, -0.01084895681946651, -0.01041739817323356, -0.010922475980112084],
    'uncond.lo.i': [0.0, -0.011643620607994455, -0.014774615492634723, -0.016260995232997857, -0.016932168946977414, -0.01745213555709664, -0.018485771521796854, -0.017750429436352865, -0.018611042405328234],
    'uncond.hi.y': [2.0, 2.010805913452866, 2.0139380637498783, 2.015322916686663, 2.016633365055375, 2.017061601730651, 2.0179038895341983, 2.01787986516813, 2.0179775321391213],
    'uncond.hi.pi': [0.0, 0.00662381714057895, 0.008543765038987839, 0.009392653257449734, 0.01019593290653991, 0.010458433753163517, 0.010974739978895717, 0.01096001350450265, 0.011019881479509611],
    'uncond.hi.i': [0.0, 0.01128646489247668, 0.014557905527216529, 0.016004344472007485, 0.017373069991731726, 0.01782035084607666, 0.018700096160118376, 0.018675003402770195, 0.018777013736654607],
    'shock.mean.ei': [-0.018478250227487628, -0.016340053880256646, -0.014655141262594023, 0.012195281173422947, 0.01266127293867452],
    'shock.mean.eu': [0.0016771867437500964, 0.00019836286522338748, 0.0, 0.0, 0.0],
}

ORDER = ["y", "x", "pi", "i", "u", "g"]


def run_json(tmp_path, text, name="cf"):
    cli()
    mod = tmp_path / f"{name}.mod"
    mod.write_text(text)
    out = tmp_path / f"{name}.json"
    r = subprocess.run([str(CLI), "run", str(mod), "--json", str(out)], capture_output=True, text=True, timeout=300)
    return r, (json.loads(out.read_text()) if out.exists() else None)


def test_noiseless_conditional_forecast_equals_dynare(tmp_path):
    r, j = run_json(tmp_path, MODEL.replace("EG_STDERR", "0"))
    assert r.returncode == 0, r.stderr
    cf = j["conditional_forecast"]
    assert cf["periods"] == 8 and cf["constrained_periods"] == 5 and cf["replic"] == 5000
    assert cf["controlled_varexo"] == ["ei", "eu"] and cf["constrained_vars"] == ["y", "pi"]
    assert cf["constrained_paths"]["y"] == [2.01, 2.01, 2.01, 1.99, 1.99]
    assert cf["constrained_paths"]["pi"] == [0.004, 0.003, None, None, None]
    for v in ORDER:
        ours = np.array(cf["cond"]["mean"][v])
        ref = np.array(DYN_NOISELESS[f"cond.mean.{v}"])
        # Dynare solves with inv() and meets its targets to 2e-13; the paths agree to that
        assert np.max(np.abs(ours - ref)) < 1e-12, v
        # no free shock has variance: bands collapse on the mean, and the simulation repeats it
        assert np.max(np.abs(np.array(cf["cond"]["upper"][v]) - ours)) < 1e-15
        assert np.max(np.abs(np.array(cf["cond"]["simulated"]["mean"][v]) - ours)) < 1e-12
        assert cf["uncond"]["mean"][v] == [2.0 if v == "y" else 0.0] * 9
    # the targets hold exactly (Dynare misses by 1.7e-13)
    assert np.max(np.abs(np.array(cf["cond"]["mean"]["y"][1:6]) - [2.01, 2.01, 2.01, 1.99, 1.99])) < 1e-14
    assert np.max(np.abs(np.array(cf["cond"]["mean"]["pi"][1:3]) - [0.004, 0.003])) < 1e-15
    for e in ("ei", "eu"):
        ours = np.array(cf["controlled_shocks"]["mean"][e])
        assert ours.shape == (5,)
        assert np.max(np.abs(ours - DYN_NOISELESS[f"shock.mean.{e}"])) < 1e-12, e
    assert cf["controlled_shocks"]["mean"]["eu"][2:] == [0.0, 0.0, 0.0]  # pi is free after period 2
    assert j["plot_conditional_forecast"] == {"variables": ["y", "pi"], "periods": 6}
    assert "CONDITIONAL FORECAST OF y" in r.stdout and "CONSTRAINED PATHS" in r.stdout


def test_bands_agree_with_dynare_simulation_within_monte_carlo_error(tmp_path):
    r, j = run_json(tmp_path, MODEL.replace("EG_STDERR", "0.005"))
    assert r.returncode == 0, r.stderr
    cf = j["conditional_forecast"]
    R, z = 5000, 1.6448536269514722
    for which in ("cond", "uncond"):
        for v in ("y", "pi", "i"):
            mean = np.array(cf[which]["mean"][v])
            std = np.array(cf[which]["std"][v])
            lo, hi = np.array(cf[which]["lower"][v]), np.array(cf[which]["upper"][v])
            assert np.allclose(lo, mean - z * std, rtol=0, atol=1e-15)
            # Dynare's mean over 5000 draws: within 4 standard errors of the exact mean
            assert np.all(np.abs(np.array(DYN_MC[f"{which}.mean.{v}"]) - mean) <= 4 * std / math.sqrt(R) + 1e-12), \
                (which, v)
            # its 5% and 95% order statistics: standard error sqrt(p(1-p)/R)/phi(z) std = 0.030 std
            for key, ours in (("lo", lo), ("hi", hi)):
                assert np.all(np.abs(np.array(DYN_MC[f"{which}.{key}.{v}"]) - ours) <= 0.15 * std + 1e-12), \
                    (which, key, v)
            # our own replications (seeded) summarised the same way
            sim = np.array(cf[which]["simulated"]["mean"][v])
            assert np.all(np.abs(sim - mean) <= 4 * std / math.sqrt(R) + 1e-12)
    # constrained periods: every replication meets the targets, so Dynare's mean is exact there
    assert np.max(np.abs(np.array(DYN_MC["cond.mean.y"][1:6]) - cf["cond"]["mean"]["y"][1:6])) < 1e-12
    assert np.max(np.array(cf["cond"]["std"]["y"][1:6])) == 0.0
    assert max(cf["uncond"]["std"]["y"][1:]) > 1e-3  # the free demand shock moves y when unconstrained
    sh = cf["controlled_shocks"]
    for e in ("ei", "eu"):
        mean, std = np.array(sh["mean"][e]), np.array(sh["std"][e])
        assert np.all(np.abs(np.array(DYN_MC[f"shock.mean.{e}"]) - mean) <= 4 * std / math.sqrt(R) + 1e-12), e


def test_python_run_result_accessor(tmp_path):
    import govsim.dsge as gd

    mod = tmp_path / "cf.mod"
    mod.write_text(MODEL.replace("EG_STDERR", "0"))
    res = gd.run(str(mod))
    f = res.conditional_forecast()
    assert list(f["cond_mean"].columns) == ["y", "x", "pi", "i", "u", "g"]
    assert f["cond_mean"].index.name == "period" and len(f["cond_mean"]) == 9
    assert np.max(np.abs(f["cond_mean"]["pi"].to_numpy() - DYN_NOISELESS["cond.mean.pi"])) < 1e-12
    assert np.max(np.abs(f["controlled_shocks"]["ei"].to_numpy() - DYN_NOISELESS["shock.mean.ei"])) < 1e-12
    assert math.isnan(f["constrained_paths"].loc[3, "pi"]) and f["constrained_paths"].loc[4, "y"] == 1.99
    assert (f["uncond_mean"]["y"] == 2.0).all()
    assert [r.command for r in res.results][-2:] == ["conditional_forecast", "plot_conditional_forecast"]


@pytest.mark.parametrize("change, message", [
    (("parameter_set=calibration", "parameter_set=posterior_mode"), "parameter_set=posterior_mode needs estimation"),
    (("parameter_set=calibration, ", ""), "parameter_set is required"),
    (("controlled_varexo=(ei, eu)", "controlled_varexo=(ei)"), "2 constrained variable(s) but 1 controlled"),
    (("controlled_varexo=(ei, eu)", "controlled_varexo=(ei, ez)"), "'ez' is not an exogenous variable"),
    (("periods=8", "periods=4"), "periods=4 is shorter than the constrained paths (5 periods)"),
    (("conf_sig=0.9", "conf_sig=1.5"), "conf_sig must be in (0, 1)"),
    (("replic=5000", "replic=0"), "replic"),
    (("plot_conditional_forecast(periods=6) y pi;", "plot_conditional_forecast(periods=6);"), "list the variables"),
    (("plot_conditional_forecast(periods=6) y pi;", "plot_conditional_forecast(periods=6) y zz;"), "zz"),
    (("var pi;\nperiods 1 2;", "var eg;\nperiods 1 2;"), "must be an endogenous variable"),
    (("values 0.004 0.003;", "values 0.004 0.003;\nvar y;\nperiods 1;\nvalues 2;"), "'y' has two paths"),
])
def test_bad_input_is_a_located_exit_2(tmp_path, change, message):
    text = MODEL.replace("EG_STDERR", "0.005")
    assert change[0] in text
    r, _ = run_json(tmp_path, text.replace(change[0], change[1], 1))
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert message in r.stderr, r.stderr
    assert "cf.mod:" in r.stderr
    assert "Traceback" not in r.stderr


def test_forecast_without_paths_block_and_plot_without_forecast(tmp_path):
    text = MODEL.replace("EG_STDERR", "0.005")
    start, end = text.index("conditional_forecast_paths;"), text.index("conditional_forecast(")
    r, _ = run_json(tmp_path, text[:start] + text[end:])
    assert r.returncode == 2 and "no conditional_forecast_paths block" in r.stderr
    r, _ = run_json(tmp_path, text[:start] + "plot_conditional_forecast y;\n")
    assert r.returncode == 2 and "needs a conditional_forecast before it" in r.stderr


def test_unreachable_target_is_a_numerical_failure(tmp_path):
    # the monetary shock cannot move the cost-push process u: exit 3, not a wrong number
    text = MODEL.replace("EG_STDERR", "0.005").replace("var pi;\nperiods 1 2;", "var u;\nperiods 1 2;")
    text = text.replace("controlled_varexo=(ei, eu)", "controlled_varexo=(eu, ei)")
    r, j = run_json(tmp_path, text.replace("var y;\nperiods 1:3, 4:5;\nvalues 2.01, 1.99;\n", "var g;\nperiods 1;\nvalues 0.01;\n"))
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert "controlling the variables was not successful" in r.stderr and "cf.mod:" in r.stderr
    if j is not None:  # the results before the failure: the forecast's status, no paths
        assert j["conditional_forecast"]["status"] == "Singular" and "cond" not in j["conditional_forecast"]


# Dynare 5.3 on HISTVAL: histval sets u(0) = 0.01 and Dynare starts every variable histval does not
# set at 0 (here k, whose steady state is 2); pi is constrained in periods 1, 2 and 4 (free in 3).
HISTVAL = """
var pi x i u k;
varexo eu ei;
parameters beta kappa sigma rho_u phi_pi phi_x;
beta = 0.99; kappa = 0.1275; sigma = 1; rho_u = 0.5; phi_pi = 1.5; phi_x = 0.125;
model(linear);
pi = beta*pi(+1) + kappa*x + u;
x = x(+1) - 1/sigma*(i - pi(+1));
u = rho_u*u(-1) + eu;
i = phi_pi*pi + phi_x*x + ei;
k = 0.5*k(-1) + x + 1;
end;
shocks;
var eu; stderr 0;
var ei; stderr 0.0025;
end;
histval;
u(0) = 0.01;
end;
stoch_simul(order=1, irf=0, nograph, nomoments, noprint);
conditional_forecast_paths;
var pi;
periods 1:2, 4;
values 0.005, 0.002;
end;
conditional_forecast(parameter_set=calibration, controlled_varexo=(ei), periods=6, replic=100);
"""
DYN_HISTVAL = {
    'cond.mean.pi': [0.0, 0.005000000000000004, 0.005000000000000004, 0.00176304654442877, 0.0020000000000000013, 0.0004407616361071924, 0.0002203808180535962],
    'cond.mean.u': [0.010000000000000007, 0.005000000000000004, 0.002500000000000002, 0.001250000000000001, 0.0006250000000000001, 0.00031250000000000006, 0.00015625000000000003],
    'cond.mean.k': [0.0, 0.9726209242512215, 1.4922287673884795, 1.7432935092231512, 1.8790086838684699, 1.938799123316464, 1.969046952349345],
    'uncond.mean.k': [0.0, 0.9887165021156548, 1.4887165021156554, 1.7415373765867423, 1.8693582510578304, 1.9339739069111466, 1.9666343441466838],
    'shock.mean.ei': [0.02118580436405864, -0.015215921347382443, 0.0, -0.011546627395669157],
}


def test_histval_initial_state_as_dynare(tmp_path):
    r, j = run_json(tmp_path, HISTVAL, "hv")
    assert r.returncode == 0, r.stderr
    cf = j["conditional_forecast"]
    assert cf["constrained_paths"]["pi"] == [0.005, 0.005, None, 0.002]
    for key in ("cond.mean.pi", "cond.mean.u", "cond.mean.k", "uncond.mean.k"):
        which, _, v = key.split(".")
        assert np.max(np.abs(np.array(cf[which]["mean"][v]) - DYN_HISTVAL[key])) < 1e-12, key
    assert np.max(np.abs(np.array(cf["controlled_shocks"]["mean"]["ei"]) - DYN_HISTVAL["shock.mean.ei"])) < 1e-12


def test_one_value_for_several_ranges_is_refused_as_dynare(tmp_path):
    # Dynare 5.3: "conditional_forecast_paths: variable pi: number of periods is different from
    # number of shock values"
    text = MODEL.replace("EG_STDERR", "0").replace("values 0.004 0.003;", "values 0.004;")
    r, _ = run_json(tmp_path, text)
    assert r.returncode == 2 and "'periods' and 'values' have different lengths (2 and 1)" in r.stderr
    assert "cf.mod:" in r.stderr


def test_plot_conditional_forecast_charts(tmp_path):
    cli()
    mod = tmp_path / "cf.mod"
    mod.write_text(MODEL.replace("EG_STDERR", "0.005"))
    charts = tmp_path / "charts"
    r = subprocess.run([str(CLI), "run", str(mod), "--irf-png", str(charts), "-q"], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    for v in ("y", "pi"):  # the variables plot_conditional_forecast lists
        assert (charts / f"cf_conditional_forecast_{v}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (charts / "cf_conditional_forecast_x.png").exists()
