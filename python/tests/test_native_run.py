"""The native `govsim run` (build/bin/govsim_native) against the Python CLI (`python -m govsim.cli run`).

Both call the same C++ functions, so the JSON documents must be identical: the test compares the
files byte for byte and, after json.loads, for exact equality; it also compares exit codes,
stderr messages and (for the fast path) the printed tables. Files with commands the native path
does not run (osr, perfect_foresight_*, order=2, ...) must give the Python behaviour.
"""
import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("GOVSIM_BUILD_DIR", os.path.join(ROOT, "build"))
NATIVE = os.path.join(BUILD, "bin", "govsim_native")
LAUNCHER = os.path.join(BUILD, "bin", "govsim")
PYPATH = os.path.join(BUILD, "python")
PYTHON = "/usr/bin/python3"


def _shared_dir():
    d = os.environ.get("GOVSIM_SHARED_DIR") or os.path.join(ROOT, "..", "shared")
    return d if os.path.isdir(d) else None


def _cases():
    out = [pytest.param(p, id="examples/" + os.path.basename(p)) for p in sorted(glob.glob(
        os.path.join(ROOT, "examples", "models", "*.mod")))]
    sh = _shared_dir()
    if sh:
        for p in sorted(glob.glob(os.path.join(sh, "reference", "dynare", "cases", "*", "model.mod"))):
            out.append(pytest.param(p, id="shared/" + os.path.basename(os.path.dirname(p))))
    return out


def _env():
    env = dict(os.environ)
    env["GOVSIM_PYTHON"] = PYTHON
    env["GOVSIM_PYTHONPATH"] = PYPATH
    env.pop("GOVSIM_NATIVE_DEBUG", None)
    return env


def _run_native(args, cwd, debug=False):
    env = _env()
    if debug:
        env["GOVSIM_NATIVE_DEBUG"] = "1"
    return subprocess.run([NATIVE, "run", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _run_python(args, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = PYPATH + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.run([PYTHON, "-m", "govsim.cli", "run", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module", autouse=True)
def _require_native():
    if not os.access(NATIVE, os.X_OK):
        pytest.skip(f"{NATIVE} not built")


def _copy_case(src, tmp_path):
    """Copy the .mod file and its folder's include files; return the copied path."""
    folder = os.path.dirname(src)
    if os.path.samefile(folder, str(tmp_path)):
        return src
    for f in os.listdir(folder):
        if f.endswith((".mod", ".inc", ".csv", ".m")) and os.path.isfile(os.path.join(folder, f)):
            shutil.copy(os.path.join(folder, f), tmp_path)
    return os.path.join(str(tmp_path), os.path.basename(src))


def _compare(src, tmp_path, extra=()):
    path = _copy_case(src, tmp_path)
    name = os.path.basename(path)
    nat = _run_native([name, "--json", "native.json", *extra], cwd=tmp_path, debug=True)
    py = _run_python([name, "--json", "python.json", *extra], cwd=tmp_path)
    assert nat.returncode == py.returncode, (nat.stderr, py.stderr)
    fell_back = "falling back to Python" in nat.stderr
    nat_err = "\n".join(l for l in nat.stderr.splitlines() if not l.startswith("govsim_native: falling back"))
    # messages: the error line is the same (Python tracebacks only arise in fallback mode)
    assert nat_err.strip().splitlines()[-1:] == py.stderr.strip().splitlines()[-1:]
    if py.returncode == 0:
        a = open(os.path.join(tmp_path, "native.json")).read()
        b = open(os.path.join(tmp_path, "python.json")).read()
        assert json.loads(a) == json.loads(b)
        assert a == b  # same bytes: shortest round-trip numbers, same layout
    else:
        assert not os.path.exists(os.path.join(tmp_path, "native.json"))
    if not fell_back:
        assert nat.stdout == py.stdout
        assert nat_err.strip() == py.stderr.strip()
    return fell_back


@pytest.mark.parametrize("src", _cases())
def test_native_matches_python(src, tmp_path):
    _compare(src, tmp_path)


@pytest.mark.parametrize("src", [os.path.join(ROOT, "examples", "models", "rbc.mod"),
                                 os.path.join(ROOT, "examples", "models", "leads_lags.mod")])
def test_native_matches_python_include_aux(src, tmp_path):
    assert not _compare(src, tmp_path, ["--include-aux", "-q"])


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


RBC_TAIL = "stoch_simul(order=1, irf=20, nograph);"


def _rbc_variant(tmp_path, tail, name="v.mod"):
    src = open(os.path.join(ROOT, "examples", "models", "rbc.mod")).read()
    src = src.replace(RBC_TAIL, tail)
    assert tail in src
    return _write(tmp_path, name, src)


@pytest.mark.parametrize("tail", [
    # simulation with a seed, a variable list, lags, conditional variance decomposition
    "stoch_simul(order=1, irf=8, periods=200, drop=50, ar=3, nocorr, conditional_variance_decomposition=[1 4:6]) y c k;",
    # repeated commands become lists; noprint; nomoments; irf=0
    "stoch_simul(order=1, irf=0, nomoments, noprint); stoch_simul(order=1, irf=3, ar=0);",
    # unknown options are named in a warning, then ignored
    "stoch_simul(order=1, irf=5, hp_filter=1600, nograph);",
    # unknown variable: exit 2 with the Python message
    "stoch_simul(order=1) y nonexistent_var;",
])
def test_native_matches_python_variants(tmp_path, tail):
    assert not _compare(_rbc_variant(tmp_path, tail), tmp_path, ["--seed", "7"])


def test_numerical_failure_exit_3(tmp_path):
    # a steady state that cannot be found: exit 3 from both
    src = ("var y; varexo e; parameters a; a = 1;\nmodel; exp(y) = -a + e; end;\n"
           "shocks; var e; stderr 1; end;\nsteady;\n")
    p = _write(tmp_path, "bad.mod", src)
    assert not _compare(p, tmp_path)


def test_parse_error_exit_2(tmp_path):
    p = _write(tmp_path, "syntax.mod", "var y; varexo e;\nmodel; y = ; end;\n")
    assert not _compare(p, tmp_path)


@pytest.mark.parametrize("tail", [
    "stoch_simul(order=1, irf=20, loglinear, nograph);",
    "stoch_simul(loglinear, order=2, irf=5);",
])
def test_loglinear_rejected_exit_2(tmp_path, tail):
    # Rules in logs are other numbers than the level rules: a located exit-2 error from both paths
    # (at every order), never the level rules under the option's name.
    p = _rbc_variant(tmp_path, tail)
    assert not _compare(p, tmp_path)
    nat = _run_native([os.path.basename(p)], cwd=tmp_path)
    assert nat.returncode == 2
    line = open(p).read()[: open(p).read().index(tail)].count("\n") + 1
    assert f"v.mod:{line}: stoch_simul: option 'loglinear' (decision rules in logs) is not supported" in nat.stderr


def test_missing_file_exit_2(tmp_path):
    nat = _run_native(["absent.mod"], cwd=tmp_path)
    py = _run_python(["absent.mod"], cwd=tmp_path)
    assert nat.returncode == py.returncode == 2
    assert nat.stderr == py.stderr


@pytest.mark.parametrize("tail", [
    "osr_params a; optim_weights; y 1; end; osr y;",
    "perfect_foresight_setup(periods=20); perfect_foresight_solver;",
    "stoch_simul(order=2, irf=5);",
])
def test_fallback_gives_python_behaviour(tmp_path, tail):
    p = _rbc_variant(tmp_path, RBC_TAIL + "\n" + tail.replace(" a;", " alpha;"))
    nat = _run_native([os.path.basename(p), "--json", "native.json"], cwd=tmp_path)
    py = _run_python([os.path.basename(p), "--json", "python.json"], cwd=tmp_path)
    assert nat.returncode == py.returncode
    assert nat.stdout == py.stdout
    if py.returncode == 0:
        assert json.load(open(tmp_path / "native.json")) == json.load(open(tmp_path / "python.json"))


def test_unsupported_cli_option_falls_back(tmp_path):
    p = _copy_case(os.path.join(ROOT, "examples", "models", "rbc.mod"), tmp_path)
    nat = _run_native([os.path.basename(p), "-q", "--irf-png", "png"], cwd=tmp_path, debug=True)
    assert nat.returncode == 0, nat.stderr
    assert "falling back to Python" in nat.stderr
    assert os.listdir(tmp_path / "png")


def test_launcher_uses_native(tmp_path):
    if not os.access(LAUNCHER, os.X_OK):
        pytest.skip("launcher not configured")
    p = _copy_case(os.path.join(ROOT, "examples", "models", "rbc.mod"), tmp_path)
    r = subprocess.run([LAUNCHER, "run", os.path.basename(p), "--json", "-"], cwd=tmp_path, capture_output=True,
                       text=True, env={k: v for k, v in os.environ.items() if not k.startswith("GOVSIM_PYTHON")})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["endo_names"][0] == "y"
    assert "GOVSIM_PYTHONPATH" in open(LAUNCHER).read() and "govsim_native" in open(LAUNCHER).read()
