"""govsim.nonlinear perfect foresight: labelled frames, shocks from the API, events, errors, and
`govsim run` (perfect_foresight JSON block, check_dynare on nk_zlb, exit code 3)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govsim as gs

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
SHARED = Path(os.environ.get("GOVSIM_SHARED_DIR", str(REPO.parent / "shared")))
CASES = SHARED / "reference" / "dynare" / "cases"

SMALL = (REPO / "tests" / "fixtures" / "models" / "small_zlb.mod").read_text()


@pytest.fixture(scope="module")
def small():
    return gs.dsge.Model.from_string(SMALL, name="small_zlb")


def test_paths_are_labelled(small):
    pf = gs.nonlinear.perfect_foresight(small, periods=30, shocks={"e": {1: -0.03}})
    assert pf.ok()
    assert list(pf.paths.columns) == ["y", "pi", "R", "Rn", "z"]
    assert pf.paths.index.name == "period" and len(pf.paths) == 32
    assert pf.exo.loc[1, "e"] == -0.03 and pf.exo.loc[2, "e"] == 0.0
    assert pf.binding_periods("R", 0.0)[0] == 1
    assert (pf.paths["R"] >= 0).all()
    assert pf.max_residual < 1e-12
    assert "Success" in repr(pf)
    # a list starts in period 1; a DataFrame indexed by period works too
    pf2 = gs.nonlinear.perfect_foresight(small, periods=30, shocks=pd.DataFrame({"e": [-0.03]}, index=[1]))
    np.testing.assert_allclose(pf2.paths.to_numpy(), pf.paths.to_numpy(), atol=1e-12)
    pf3 = gs.nonlinear.perfect_foresight(small, periods=30, shocks={"e": [-0.03]})
    np.testing.assert_allclose(pf3.paths.to_numpy(), pf.paths.to_numpy(), atol=1e-12)


def test_surprise_vs_anticipated(small):
    ant = gs.nonlinear.perfect_foresight(small, periods=30, events=[("e", 4, -0.03, 1)])
    sur = gs.nonlinear.perfect_foresight(small, periods=30, events=[gs.nonlinear.ShockEvent("e", 4, -0.03, 4)])
    assert abs(sur.paths.loc[2, "y"]) < 1e-12          # nothing happens before a surprise
    assert abs(ant.paths.loc[2, "y"]) > 1e-6           # anticipation moves output early


def test_errors(small):
    with pytest.raises(gs.ModelError):
        gs.nonlinear.perfect_foresight(small, periods=10, shocks={"nope": {1: 1.0}})
    with pytest.raises(gs.OptionsError):
        gs.nonlinear.perfect_foresight(small, periods=10, shocks={"e": {11: 1.0}})
    with pytest.raises(gs.SolveError):
        gs.nonlinear.perfect_foresight(small, periods=30, shocks={"e": {1: -0.5}}, max_iterations=1, homotopy=False)
    r = gs.nonlinear.perfect_foresight(small, periods=30, shocks={"e": {1: -0.5}}, max_iterations=1, homotopy=False,
                                       raise_on_failure=False)
    assert not r.ok() and r.worst_period >= 1 and r.worst_equation


def test_plot(small, tmp_path):
    pf = gs.nonlinear.perfect_foresight(small, periods=20, shocks={"e": {1: -0.03}})
    fig = pf.plot(["y", "R"], path=str(tmp_path / "pf.png"))
    assert (tmp_path / "pf.png").exists()
    import matplotlib.pyplot as plt
    plt.close(fig)


def _cli():
    if not CLI.exists():
        pytest.skip(f"govsim CLI not built at {CLI}")
    return str(CLI)


def test_run_json_and_exit_codes(tmp_path):
    (tmp_path / "m.mod").write_text(SMALL + "shocks; var e; periods 1:2; values -0.03; end;\n"
                                    "perfect_foresight_setup(periods=40);\nperfect_foresight_solver;\n")
    p = subprocess.run([_cli(), "run", "m.mod", "--json", "o.json"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    b = json.loads((tmp_path / "o.json").read_text())["perfect_foresight"]
    assert b["status"] == "Success" and b["endo_names"] == ["y", "pi", "R", "Rn", "z"]
    assert np.asarray(b["paths"]).shape == (42, 5)
    (tmp_path / "f.mod").write_text(SMALL + "shocks; var e; periods 1; values -0.5; end;\n"
                                    "perfect_foresight_setup(periods=40);\n"
                                    "perfect_foresight_solver(maxit=1, no_homotopy);\n")
    p = subprocess.run([_cli(), "run", "f.mod", "--json", "o.json"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 3, p.stderr
    (tmp_path / "g.mod").write_text(SMALL + "perfect_foresight_setup(periods=x);\n")
    p = subprocess.run([_cli(), "run", "g.mod"], cwd=tmp_path, capture_output=True, text=True)
    assert p.returncode == 2


@pytest.mark.parametrize("case", ["nk_zlb", "nk_zlb_noZLB"])
def test_check_dynare_pf(case):
    check = SHARED / "tools" / "check_dynare.py"
    if not check.exists() or not (CASES / case).is_dir():
        pytest.skip(f"shared Dynare references not found under {SHARED} (set GOVSIM_SHARED_DIR)")
    p = subprocess.run(["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable, str(check),
                        _cli(), str(CASES / case) + "/"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0 and f"{case}: ok" in p.stdout, p.stdout + p.stderr
