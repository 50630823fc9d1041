"""govsim.estimation: likelihood (Dynare nk3), ML, smoother, shock decomposition, MCMC, `govsim run` estimation."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
SHARED = Path(os.environ.get("GOVSIM_SHARED_DIR", str(REPO.parent / "shared")))
CASE = SHARED / "reference" / "dynare" / "cases" / "nk3_est"


def _est():
    from govsim import dsge, estimation
    if not CASE.is_dir():
        pytest.skip(f"shared Dynare references not found under {SHARED} (set GOVSIM_SHARED_DIR)")
    m = dsge.Model.from_file(str(CASE / "model.mod"))
    data = pd.read_csv(CASE / "nk3_sim200_obs.csv")
    return estimation.Estimator(m, data)


def test_loglik_matches_dynare():
    e = _est()
    assert abs(e.log_likelihood() - (-748.5819484788057)) < 1e-8
    assert e.labels[-3:] == ["stderr eps_d", "stderr eps_s", "stderr eps_m"]


def test_ml_mode_smoother_and_decomposition():
    e = _est()
    mode = e.mode()
    assert mode.attrs["status"] == "Success"
    assert mode.attrs["log_likelihood"] > e.log_likelihood()
    truth = e.initial
    assert ((mode["mode"] - truth).abs() < 4 * mode["std"]).all()
    states, shocks = e.smoother()
    data = pd.read_csv(CASE / "nk3_sim200_obs.csv")
    assert np.allclose(states["y"].to_numpy(), data["y"].to_numpy(), atol=1e-8)
    d = e.shock_decomposition("pi")
    assert list(d.columns) == ["eps_d", "eps_s", "eps_m", "initial"]
    assert np.allclose(d.sum(axis=1).to_numpy(), states["pi"].to_numpy(), atol=1e-9)


def test_mcmc_reproducible_with_checkpoints(tmp_path):
    e = _est()
    mode = e.mode()
    kw = dict(chains=2, draws=400, seed=3, start=mode["mode"].to_numpy(), proposal_cov=e.last_mode.covariance)
    d1, s1, r1 = e.mcmc(**kw)
    d2, s2, r2 = e.mcmc(checkpoint_dir=str(tmp_path / "ck"), checkpoint_every=50, **kw)
    assert d1.equals(d2)
    assert set(os.listdir(tmp_path / "ck")) == {"chain_0.ckpt", "chain_1.ckpt"}
    assert list(s1.columns) == ["mean", "std", "q05", "median", "q95", "rhat"]
    assert 0.05 < min(s1.attrs["acceptance"]) < 0.95


def test_run_estimation_mode(tmp_path):
    if not CLI.exists():
        pytest.skip("govsim CLI not built")
    if not CASE.is_dir():
        pytest.skip("shared references missing")
    for f in CASE.iterdir():
        shutil.copy(f, tmp_path / f.name)
    mod = (tmp_path / "model.mod").read_text().replace("mode_compute=0", "mode_compute=4")
    (tmp_path / "ml.mod").write_text(mod)
    p = subprocess.run([str(CLI), "run", "ml.mod", "--json", "out.json"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    j = json.loads((tmp_path / "out.json").read_text())["estimation"]
    assert set(j["mode"]) == set(j["std_at_mode"]) and "stderr eps_d" in j["mode"]
    assert j["log_likelihood_at_mode"] > -748.5819484788057
    assert j["log_posterior_at_mode"] == pytest.approx(j["log_likelihood_at_mode"])
    (tmp_path / "bad.mod").write_text(mod.replace("nk3_sim200_obs.csv", "missing.csv"))
    p = subprocess.run([str(CLI), "run", "bad.mod"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert p.returncode == 2 and "missing.csv" in p.stderr
