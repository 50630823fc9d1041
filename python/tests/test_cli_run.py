"""`govsim run model.mod`: agreement with Dynare (check_dynare.py on the shared reference cases),
JSON contract, and exit codes on bad input (2) and numerical failure (3)."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
CLI = BUILD / "bin" / "govsim"
SHARED = Path(os.environ.get("GOVSIM_SHARED_DIR", str(REPO.parent / "shared")))
CHECK = SHARED / "tools" / "check_dynare.py"
CASES = SHARED / "reference" / "dynare" / "cases"

NK = """
var y pi i ud;
varexo eps_d;
parameters beta kappa phi_pi rho_d;
beta = 0.99; kappa = 0.1; phi_pi = 1.5; rho_d = 0.8;
model(linear);
  y  = y(+1) - (i - pi(+1)) + ud;
  pi = beta*pi(+1) + kappa*y;
  i  = phi_pi*pi;
  ud = rho_d*ud(-1) + eps_d;
end;
shocks; var eps_d; stderr 1; end;
steady;
check;
stoch_simul(order=1, irf=12, ar=2, nograph, tex) y pi;
shock_decomposition;
stoch_simul(order=1, irf=8, nograph, noprint);
"""


def cli():
    if not CLI.exists():
        pytest.skip(f"govsim CLI not built at {CLI}; build the tree or set GOVSIM_BUILD_DIR")
    return str(CLI)


def run(args, cwd):
    return subprocess.run([cli(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("case", ["nk3", "rbc"])
def test_check_dynare(case):
    if not CHECK.exists() or not (CASES / case).is_dir():
        pytest.skip(f"shared Dynare references not found under {SHARED} (set GOVSIM_SHARED_DIR)")
    p = subprocess.run(["/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable, str(CHECK),
                        cli(), str(CASES / case) + "/"], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"{case}: ok" in p.stdout


def test_run_json_contract(tmp_path):
    (tmp_path / "nk.mod").write_text(NK)
    p = run(["run", "nk.mod", "--json", "out.json", "--irf-png", "charts"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "POLICY AND TRANSITION FUNCTIONS" in p.stdout and "EIGENVALUES" in p.stdout
    assert "unsupported option(s) ignored: tex" in p.stderr
    assert "nk.mod:16: warning" in p.stderr and "skipped" in p.stderr  # a command govsim does not run
    assert "shock_decomposition" in p.stderr
    j = json.loads((tmp_path / "out.json").read_text())
    assert j["endo_names"] == ["y", "pi", "i", "ud"] and j["exo_names"] == ["eps_d"]
    assert j["params"]["phi_pi"] == 1.5 and len(j["steady_state"]) == 4
    ss = j["stoch_simul"]
    assert isinstance(ss, list) and len(ss) == 2  # run twice -> list
    first = ss[0]
    assert first["moments"]["var_list"] == ["y", "pi"]
    assert len(first["moments"]["var"]) == 2 and set(first["moments"]["autocorr"]) == {"1", "2"}
    assert first["moments"]["variance_decomposition_cols"] == ["eps_d"]
    assert len(first["irfs"]["eps_d"]["y"]) == 12 and set(first["irfs"]["eps_d"]) == {"y", "pi", "i", "ud"}
    assert first["irfs"]["eps_d"]["ud"][0] == pytest.approx(1.0)
    assert len(first["ghx"]) == 4 and len(first["ghu"][0]) == 1
    assert set(first["eigenvalues"]) == {"real", "imag", "modulus"}
    assert first["n_explosive"] == first["n_forward"] == 2
    assert j["check"]["blanchard_kahn_ok"] is True
    assert (tmp_path / "charts" / "nk_IRF_eps_d.png").stat().st_size > 1000


def test_define_and_parse_warning(tmp_path):
    (tmp_path / "m.mod").write_text("@#ifndef RHO\n@#define RHO = 0.5\n@#endif\n"
                                    "var x; varexo e; parameters r; r = @{RHO};\n"
                                    "model; x = r*x(-1) + e; end;\nshocks; var e; stderr 1; end;\n"
                                    "foo_bar;\nstoch_simul(order=1, irf=5, nograph);\n")
    p = run(["run", "m.mod", "-D", "RHO=0.9", "--json", "o.json", "-q"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "m.mod:" in p.stderr and "warning" in p.stderr
    j = json.loads((tmp_path / "o.json").read_text())
    assert j["params"]["r"] == pytest.approx(0.9)
    assert j["stoch_simul"]["irfs"]["e"]["x"][1] == pytest.approx(0.9)


def test_parse_error_exit_2(tmp_path):
    (tmp_path / "bad.mod").write_text("var y;\nvarexo e;\nmodel;\n  y = 0.5*y(-1) + ;\nend;\n")
    p = run(["run", "bad.mod"], tmp_path)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.mod:4:" in lines[0]


LOGLIN = ("var y c; varexo e; parameters rho; rho = 0.9;\nmodel;\n  y = exp(0.1)*y(-1)^rho*exp(e);\n"
          "  c = 0.5*y;\nend;\ninitval; y = 1; c = 0.5; end;\nshocks; var e; stderr 0.01; end;\n")


def test_loglinear_rules_in_logs(tmp_path):
    # log y = 0.1 + 0.9 log y(-1) + e and log c = log 0.5 + log y exactly: in logs the steady state is
    # 1 and 1 + log 0.5, ghx = 0.9 and ghu = 1 for both (Dynare's stoch_simul(loglinear)).
    (tmp_path / "ll.mod").write_text(LOGLIN + "stoch_simul(order=1, irf=3, loglinear, nograph);\n")
    p = run(["run", "ll.mod", "--json", "-"], tmp_path)
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)["stoch_simul"]
    assert s["loglinear"] is True
    assert s["steady_state"] == pytest.approx([1.0, 1.0 + math.log(0.5)], rel=1e-12)
    assert s["ghx"] == [[pytest.approx(0.9, rel=1e-12)], [pytest.approx(0.9, rel=1e-12)]]
    assert s["ghu"] == [[pytest.approx(1.0, rel=1e-12)], [pytest.approx(1.0, rel=1e-12)]]
    assert s["irfs"]["e"]["c"] == pytest.approx([0.01 * math.sqrt(1 + 1e-10) * 0.9 ** t for t in range(3)], rel=1e-12)
    assert s["moments"]["var"][0][0] == pytest.approx(1e-4 / (1 - 0.81), rel=1e-10)


def test_loglinear_order_2_exit_2_and_nonpositive_steady_state_exit_3(tmp_path):
    (tmp_path / "ll.mod").write_text(LOGLIN + "stoch_simul(loglinear, order=2, irf=5);\n")
    p = run(["run", "ll.mod"], tmp_path)
    assert p.returncode == 2
    assert "ll.mod:8: stoch_simul: option 'loglinear' works at order 1 only" in p.stderr, p.stderr
    (tmp_path / "neg.mod").write_text(LOGLIN.replace("c = 0.5*y;", "c = 0.5*y - 10;").replace("c = 0.5;", "c = -9.5;")
                                      + "stoch_simul(order=1, loglinear);\n")
    p = run(["run", "neg.mod"], tmp_path)
    assert p.returncode == 3
    assert "strictly positive steady state; not positive: c (-" in p.stderr, p.stderr


def test_matlab_function_file_named_exit_2(tmp_path):
    (tmp_path / "f.mod").write_text("var y; varexo e; parameters a; a = 2;\nmodel; y = a + e; end;\n"
                                    "steady_state_model;\n  y = my_helper(a);\nend;\n")
    (tmp_path / "my_helper.m").write_text("function h = my_helper(a)\nh = fsolve(@(x) x - a, 1);\n")
    p = run(["run", "f.mod"], tmp_path)
    assert p.returncode == 2
    assert "f.mod:4:" in p.stderr and "MATLAB function file my_helper.m" in p.stderr, p.stderr


def test_missing_file_exit_2(tmp_path):
    p = run(["run", "nope.mod"], tmp_path)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def test_blanchard_kahn_failure_exit_3(tmp_path):
    (tmp_path / "nk.mod").write_text(NK.replace("phi_pi = 1.5", "phi_pi = 0.5"))
    p = run(["run", "nk.mod", "--json", "o.json"], tmp_path)
    assert p.returncode == 3, p.stderr
    assert "Indeterminate" in p.stderr


def test_aux_variables_and_unit_root(tmp_path):
    (tmp_path / "a.mod").write_text("var x z lev; varexo e; parameters r; r = 0.5;\n"
                                    "model(linear); x = r*x(-3) + e; z = 0.5*z(+2) + x; lev = lev(-1) + x; end;\n"
                                    "shocks; var e; stderr 1; end;\nstoch_simul(order=1, irf=6, nograph);\n")
    p = run(["run", "a.mod", "--json", "-"], tmp_path)
    assert p.returncode == 0, p.stderr
    assert "non-stationary variable(s) lev" in p.stderr  # lev has a unit root
    j = json.loads(p.stdout)
    assert j["endo_names"] == ["x", "z", "lev"] and len(j["stoch_simul"]["ghx"]) == 3
    assert set(j["stoch_simul"]["irfs"]["e"]) == {"x", "z", "lev"}
    mo = j["stoch_simul"]["moments"]  # as Dynare: the stationary variables' moments, null for lev
    assert mo["var"][2] == [None, None, None] and mo["std"][2] is None and mo["autocorr"]["1"][0][2] is None
    assert mo["var"][0][0] > 0 and mo["var"][0][1] is not None
    p = run(["run", "a.mod", "--json", "-", "--include-aux"], tmp_path)
    j = json.loads(p.stdout)
    assert len(j["endo_names"]) > 3 and len(j["stoch_simul"]["ghx"]) == len(j["endo_names"])


@pytest.mark.parametrize("options, named", [
    ("hp_filter=1600", "hp_filter"),
    ("bandpass_filter", "bandpass_filter"),
    ("irf_shocks=(eps_d)", "irf_shocks"),
    ("relative_irf", "relative_irf"),
])
def test_options_that_change_numbers_are_refused(tmp_path, options, named):
    """Dynare reports filtered moments / other IRFs under these options: never unfiltered numbers with exit 0."""
    src = NK.replace("stoch_simul(order=1, irf=12, ar=2, nograph, tex) y pi;",
                     f"stoch_simul(order=1, irf=12, ar=2, nograph, {options}) y pi;")
    (tmp_path / "nk.mod").write_text(src)
    p = run(["run", "nk.mod"], tmp_path)
    assert p.returncode == 2, p.stdout + p.stderr
    assert "nk.mod:15:" in p.stderr and named in p.stderr and "Traceback" not in p.stderr
