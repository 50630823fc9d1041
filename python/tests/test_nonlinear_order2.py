"""govsim.nonlinear second order: labelled matrices, mean, pruned simulation and IRFs, Euler
errors, and `govsim run` with stoch_simul(order=2) (check_dynare on rbc_order2)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import govsim as gs

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
SHARED = Path(os.environ.get("GOVSIM_SHARED_DIR", str(REPO.parent / "shared")))
CASES = SHARED / "reference" / "dynare" / "cases"
RBC = REPO / "examples" / "models" / "rbc.mod"


@pytest.fixture(scope="module")
def rbc():
    if not RBC.exists():
        pytest.skip("examples/models/rbc.mod missing")
    return gs.dsge.Model.from_file(str(RBC))


def test_labels_and_mean(rbc):
    so = gs.nonlinear.solve_second_order(rbc)
    assert so.ok()
    nx, nu = len(so.state_names), len(so.exo_names)
    assert so.ghxx.shape == (len(so.endo_names), nx * nx)
    assert so.ghxx.columns[1] == f"{so.state_names[0]}*{so.state_names[1]}"
    assert so.ghxu.shape[1] == nx * nu and so.ghuu.shape[1] == nu * nu
    assert list(so.ghs2.index) == so.endo_names
    # the ghxx columns are symmetric in the two factors
    G = so.ghxx.to_numpy().reshape(-1, nx, nx)
    np.testing.assert_allclose(G, G.transpose(0, 2, 1), atol=1e-12)
    assert np.isfinite(so.mean.to_numpy()).all()
    assert "Success" in repr(so)


def test_simulation_and_irf(rbc):
    so = gs.nonlinear.solve_second_order(rbc)
    sim = so.simulate(periods=300, seed=3, drop=50)
    assert sim.shape == (300, len(so.endo_names)) and sim.index[0] == 1
    assert np.isfinite(sim.to_numpy()).all()
    irf = so.irf(periods=20)
    assert set(irf) == set(so.exo_names)
    first = rbc.solve().irf(periods=20, as_dict=True)
    s = so.exo_names[0]
    # impact response of the second-order rule is close to first order for a small shock
    np.testing.assert_allclose(irf[s].iloc[0].to_numpy(), first[s][so.endo_names].iloc[0].to_numpy(),
                               rtol=0.05, atol=1e-6)


def test_euler_errors_fall_with_order(rbc):
    so = gs.nonlinear.solve_second_order(rbc)
    sim = so.simulate(periods=200, seed=5)
    idx = [rbc.endo_names.index(s) for s in so.state_names]
    states = sim[so.state_names].to_numpy() - np.asarray(so.core.steady_state)[idx]
    e1 = so.euler_errors(rbc, states, order=1).abs().mean()
    e2 = so.euler_errors(rbc, states, order=2).abs().mean()
    assert e2.iloc[0] < e1.iloc[0]


def _cli():
    if not CLI.exists():
        pytest.skip(f"govsim CLI not built at {CLI}")
    return str(CLI)


def test_run_order2_json(tmp_path):
    if not RBC.exists():
        pytest.skip("examples/models/rbc.mod missing")
    text = RBC.read_text()
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("stoch_simul"))
    (tmp_path / "m.mod").write_text(text + "\nstoch_simul(order=2, irf=5, periods=50, nograph);\n")
    p = subprocess.run([_cli(), "run", "m.mod", "--json", "o.json"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "POLICY AND TRANSITION FUNCTIONS (order 2)" in p.stdout
    b = json.loads((tmp_path / "o.json").read_text())["stoch_simul"]
    for k in ("ghx", "ghu", "ghxx", "ghxu", "ghuu", "ghs2", "irfs", "moments", "state_names", "simulation"):
        assert k in b
    assert b["order"] == 2 and len(b["simulation"]["endo"]) == 50
    (tmp_path / "t.mod").write_text(text + "\nstoch_simul(order=3, irf=0);\n")
    p = subprocess.run([_cli(), "run", "t.mod"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0 and "order=3" in p.stderr


def test_check_dynare_order2():
    check = SHARED / "tools" / "check_dynare.py"
    if not check.exists() or not (CASES / "rbc_order2").is_dir():
        pytest.skip(f"shared Dynare references not found under {SHARED} (set GOVSIM_SHARED_DIR)")
    p = subprocess.run(["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable, str(check),
                        _cli(), str(CASES / "rbc_order2") + "/"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and "rbc_order2: ok" in p.stdout, p.stdout + p.stderr
