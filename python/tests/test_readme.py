"""Every code snippet of README.md runs as written.

``python`` blocks run in a fresh interpreter and ``sh`` blocks line by line in bash, both from a
scratch folder that sees the repository's data/, examples/ and python/ (so files the snippets write
land there, not in the repository), with the built ``govsim`` command first on PATH. ``cpp``
blocks are built with CMake against a scratch installation of the build tree
(``find_package(govsim)``, as examples/consumer) and run from the same folder. Not run:
``scripts/dev`` lines (the test suite is itself run by ``scripts/dev test``) and ``console``
transcripts of multi-machine set-ups. The test fails if the README gains a block of any other kind.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks():
    text = (REPO / "README.md").read_text()
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def test_readme_block_kinds_are_known():
    kinds = {k for k, _ in blocks()}
    assert kinds <= {"python", "sh", "cpp", "console"}, f"README block kinds not covered by this test: {kinds}"
    assert sum(k == "python" for k, _ in blocks()) >= 4


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    d = tmp_path_factory.mktemp("readme")
    for name in ("data", "examples", "python"):
        (d / name).symlink_to(REPO / name)
    return d


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(BUILD / "python"), env.get("PYTHONPATH", "")] if p)
    env["PATH"] = str(BUILD / "bin") + os.pathsep + env.get("PATH", "")
    env["MPLBACKEND"] = "Agg"
    return env


PY = [(i, b) for i, (k, b) in enumerate(blocks()) if k == "python"]
SH = [(i, b) for i, (k, b) in enumerate(blocks()) if k == "sh"]
CPP = [(i, b) for i, (k, b) in enumerate(blocks()) if k == "cpp"]


@pytest.mark.parametrize("idx,code", PY, ids=[f"python-block-{i}" for i, _ in PY])
def test_readme_python_block_runs(idx, code, scratch):
    if not (BUILD / "python" / "govsim").exists():
        pytest.skip(f"govsim not built at {BUILD}")
    r = subprocess.run([sys.executable, "-c", code], cwd=scratch, env=_env(), capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, f"README python block {idx} failed:\n{code}\n--- stderr ---\n{r.stderr[-3000:]}"


@pytest.mark.parametrize("idx,code", SH, ids=[f"sh-block-{i}" for i, _ in SH])
def test_readme_sh_block_runs(idx, code, scratch):
    if not (BUILD / "bin" / "govsim").exists():
        pytest.skip(f"govsim CLI not built at {BUILD / 'bin'}")
    for line in code.splitlines():
        cmd = line.split("#", 1)[0].strip() if not line.lstrip().startswith("export") else line.strip()
        if not cmd or cmd.startswith("scripts/dev"):
            continue
        r = subprocess.run(["bash", "-c", cmd], cwd=scratch, env=_env(), capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"README command failed: {cmd}\n--- stderr ---\n{r.stderr[-3000:]}"


@pytest.mark.parametrize("idx,code", CPP, ids=[f"cpp-block-{i}" for i, _ in CPP])
def test_readme_cpp_block_builds_and_runs(idx, code, scratch, tmp_path):
    import shutil

    if not (BUILD / "CMakeCache.txt").exists() or shutil.which("cmake") is None:
        pytest.skip(f"no CMake build tree at {BUILD}")
    prefix, proj = tmp_path / "prefix", tmp_path / "proj"
    proj.mkdir()
    (proj / "main.cpp").write_text(code)
    (proj / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.18)\nproject(readme_snippet LANGUAGES CXX)\n"
        "find_package(govsim REQUIRED CONFIG)\nadd_executable(snippet main.cpp)\n"
        "target_link_libraries(snippet PRIVATE govsim::govsim)\n")
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    steps = [["cmake", "--install", str(BUILD), "--prefix", str(prefix)],
             ["cmake", "-S", str(proj), "-B", str(proj / "build"), *gen, f"-DCMAKE_PREFIX_PATH={prefix}",
              "-DCMAKE_BUILD_TYPE=Release"],
             ["cmake", "--build", str(proj / "build")]]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    r = subprocess.run([str(proj / "build" / "snippet")], cwd=scratch, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"README C++ block {idx} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
    assert "solved" in r.stdout


def test_shipped_estimation_example_matches_dynare():
    """examples/estimation/nk_est.mod on nk_est_data.csv: posterior mode and std as Dynare 5.3 prints them
    (`dynare nk_est.mod` with the data as a .m file, mode_compute=4), to Dynare's 4 printed decimals."""
    pd = pytest.importorskip("pandas")
    gs = pytest.importorskip("govsim")
    m = gs.dsge.Model.from_file(str(REPO / "examples" / "estimation" / "nk_est.mod"))
    r = gs.estimation.Estimator(m, pd.read_csv(REPO / "examples" / "estimation" / "nk_est_data.csv")).mode()
    dynare = {"phi_pi": (1.7969, 0.0612), "phi_y": (0.1910, 0.0247), "rho_d": (0.8485, 0.0064),
              "rho_u": (0.4759, 0.0732), "stderr eps_d": (0.5324, 0.0356), "stderr eps_u": (0.1605, 0.0200),
              "stderr eps_i": (0.0979, 0.0063)}
    for name, (mode, std) in dynare.items():
        assert abs(r.loc[name, "mode"] - mode) <= 5.1e-5, name
        assert abs(r.loc[name, "std"] - std) <= 5.1e-5, name
    assert abs(r.attrs["log_marginal_laplace"] - (-254.667240)) < 1e-3  # Dynare's Laplace log data density


def test_readme_osr_example_is_sensible():
    gs = pytest.importorskip("govsim")
    m = gs.dsge.Model.from_file(str(REPO / "examples" / "models" / "nk_demand.mod"))
    osr = gs.policy.optimal_simple_rule(m, weights={"pi": 1, "y": 0.25, "i": 5}, param_names=["phi_pi", "phi_y"],
                                        bounds={"phi_pi": (1.0, 5.0), "phi_y": (0.0, 1.0)})
    assert osr.ok()
    assert 3.5 < osr.params["phi_pi"] < 4.8 and 0.0 <= osr.params["phi_y"] < 0.05
    # the optimum beats the calibrated rule (phi_pi 1.8, phi_y 0.2, the start)
    assert osr.start["phi_pi"] == 1.8 and osr.loss < osr.loss_start
