"""govsim.policy: optimal simple rules (Dynare nk3), frontier, robust rules, calibration, `govsim calibrate`."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
SHARED = Path(os.environ.get("GOVSIM_SHARED_DIR", str(REPO.parent / "shared")))
CASES = SHARED / "reference" / "dynare" / "cases"


def _nk3():
    from govsim import dsge
    if not (CASES / "nk3_osr").is_dir():
        pytest.skip(f"shared Dynare references not found under {SHARED} (set GOVSIM_SHARED_DIR)")
    return dsge.Model.from_file(str(CASES / "nk3_osr" / "model.mod"))


def test_osr_matches_dynare():
    from govsim import policy
    m = _nk3()
    r = policy.optimal_simple_rule(m)
    assert r.ok()
    assert abs(r.loss - 1.1146888766187635) / 1.1146888766187635 < 1e-8
    assert r.loss_start == pytest.approx(4.447133356, rel=1e-9)
    assert r.params["phi_pi"] == pytest.approx(9.866815898944893, rel=1e-3)
    assert r.params["phi_y"] == pytest.approx(5.291811961676658, rel=1e-3)
    # the loss equals the weighted covariance at the optimum; explicit weights give the same answer
    c = r.covariance
    assert c.loc["pi", "pi"] + 0.25 * c.loc["y", "y"] + 0.1 * c.loc["i", "i"] == pytest.approx(r.loss, rel=1e-12)
    assert policy.loss(m, {"pi": 1, "y": 0.25, "i": 0.1}, r.params.to_dict()) == pytest.approx(r.loss, rel=1e-12)
    assert np.isnan(policy.loss(m, None, {"phi_pi": 0.5, "phi_y": 0.0}))  # indeterminate: no loss


def test_frontier_is_monotone(tmp_path):
    from govsim import policy
    m = _nk3()
    t = policy.frontier(m, "pi", "y", [0.05, 0.25, 1.0], param_names=["phi_pi", "phi_y"], extra_weights={"i": 0.1})
    assert list(t.index) == [0.05, 0.25, 1.0] and (t["status"] == "Success").all()
    assert t["var(y)"].is_monotonic_decreasing and t["var(pi)"].is_monotonic_increasing
    fig = policy.plot_frontier(t, "pi", "y", path=str(tmp_path / "f.png"))
    assert (tmp_path / "f.png").stat().st_size > 1000
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_robust_rule_reports_each_model():
    from govsim import policy
    m1 = _nk3()
    m2 = m1.copy()
    m2.set_param("rho_d", 0.95)
    p, table, core = policy.robust_rule([m1, m2], labels=["base", "persistent"], worst_case=True)
    assert list(table.index) == ["base", "persistent"]
    assert core.loss == pytest.approx(table["loss"].max())
    assert (table["loss"] <= table["loss_start"]).all()


def test_calibration_hits_targets():
    from govsim import policy
    m = _nk3()
    r = policy.calibrate(m, {"rho_d": [0.5, 0.0, 0.99], "rho_s": [0.2, 0.0, 0.99]},
                         [{"type": "autocorr", "var": "ud", "lag": 1, "value": 0.6},
                          {"type": "autocorr", "var": "us", "lag": 1, "value": 0.4, "weight": 2}])
    assert r.status == "Success"
    assert r.params["rho_d"] == pytest.approx(0.6, abs=1e-6) and r.params["rho_s"] == pytest.approx(0.4, abs=1e-6)
    assert r.fit["error"].abs().max() < 1e-6
    with pytest.raises(Exception):
        policy.calibrate(m, {"rho_d": 0.5}, [{"type": "std", "var": "nope", "value": 1}])


def test_calibrate_cli(tmp_path):
    if not CLI.exists():
        pytest.skip("govsim CLI not built")
    _nk3()
    spec = {"model": str(CASES / "nk3_osr" / "model.mod"), "params": {"rho_d": [0.5, 0, 0.99]},
            "targets": [{"type": "irf", "var": "ud", "shock": "eps_d", "period": 3, "value": 0.49}]}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    p = subprocess.run([str(CLI), "calibrate", "spec.json", "--json", "out.json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["params"]["rho_d"] == pytest.approx(0.7, abs=1e-5)  # 1 * rho^2 = 0.49
    assert out["fit"][0]["fitted"] == pytest.approx(0.49, abs=1e-8)
    (tmp_path / "bad.json").write_text("{}")
    p = subprocess.run([str(CLI), "calibrate", "bad.json"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 2


def test_run_osr_and_estimation_cases():
    check = SHARED / "tools" / "check_dynare.py"
    if not CLI.exists() or not check.exists():
        pytest.skip("CLI or shared references missing")
    p = subprocess.run(["/usr/bin/python3", str(check), str(CLI), str(CASES / "nk3_osr") + "/",
                        str(CASES / "nk3_est") + "/"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
