"""`govsim run` (the native program: run_commands + renderer) and govsim.dsge.run.

The JSON document is checked against independent computations through the Python API
(first-order solution, IRFs, moments), identities (the conditional variance decomposition tends
to the unconditional one, repeated commands, seeds), Dynare references (test_cli_run.py runs
check_dynare.py), option validation (exit 2 with the option and file:line), atomic JSON writes
and the dispatch of the single `govsim` program.
"""
import glob
import json
import os
import shutil
import stat
import subprocess

import numpy as np
import pytest

import govsim as gs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("GOVSIM_BUILD_DIR", os.path.join(ROOT, "build"))
GOVSIM = os.path.join(BUILD, "bin", "govsim")
RBC = os.path.join(ROOT, "examples", "models", "rbc.mod")
RBC_TAIL = "stoch_simul(order=1, irf=20, nograph);"


@pytest.fixture(scope="module", autouse=True)
def _require_program():
    if not os.access(GOVSIM, os.X_OK):
        pytest.skip(f"{GOVSIM} not built")


def run(args, cwd, env=None):
    return subprocess.run([GOVSIM, "run", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def _copy(src, tmp_path):
    folder = os.path.dirname(src)
    for f in os.listdir(folder):
        if f.endswith((".mod", ".inc", ".csv")) and os.path.isfile(os.path.join(folder, f)):
            shutil.copy(os.path.join(folder, f), tmp_path)
    return os.path.join(str(tmp_path), os.path.basename(src))


def _variant(tmp_path, tail, name="v.mod"):
    src = open(RBC).read()
    assert RBC_TAIL in src
    p = tmp_path / name
    p.write_text(src.replace(RBC_TAIL, tail))
    return str(p)


def _one(x):
    return x[-1] if isinstance(x, list) else x


@pytest.mark.parametrize("src", sorted(glob.glob(os.path.join(ROOT, "examples", "models", "*.mod"))),
                         ids=os.path.basename)
def test_json_equals_python_api(src, tmp_path):
    """The rendered JSON holds the numbers of the Python API's own solution, IRFs and moments."""
    path = _copy(src, tmp_path)
    p = run([os.path.basename(path), "--json", "out.json", "-q"], tmp_path)
    if p.returncode != 0:
        pytest.skip(f"{os.path.basename(src)} does not run: {p.stderr.strip()[-200:]}")
    j = json.load(open(tmp_path / "out.json"))
    m = gs.dsge.Model.from_file(path)
    n = m.core.n_declared_endo
    assert j["endo_names"] == m.endo_names[:n]
    ss = np.asarray(m.steady_state_result().values)[:n]
    np.testing.assert_allclose(j["steady_state"], ss, rtol=1e-12, atol=1e-14)
    if "stoch_simul" not in j:
        return
    s = _one(j["stoch_simul"])
    sol = m.solve(steady_state=np.asarray(m.steady_state_result().values))
    np.testing.assert_allclose(np.asarray(s["ghx"], float).reshape(n, -1), np.asarray(sol.core.ghx)[:n],
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.asarray(s["ghu"], float), np.asarray(sol.core.ghu)[:n], rtol=1e-12, atol=1e-14)
    if "irfs" in s:
        periods = len(next(iter(next(iter(s["irfs"].values())).values())))
        irfs = sol.irf(periods=periods, as_dict=True)
        for shock, by_var in s["irfs"].items():
            for v, vals in by_var.items():
                np.testing.assert_allclose(vals, irfs[shock][v].to_numpy(), rtol=1e-12, atol=1e-14)
    if "moments" in s:
        mo = sol.moments(ar=len(s["moments"]["autocorr"]))
        vl = s["moments"]["var_list"]
        np.testing.assert_allclose(s["moments"]["var"], mo.var.loc[vl, vl].to_numpy(), rtol=1e-10, atol=1e-14)


def test_variants_and_identities(tmp_path):
    tail = ("stoch_simul(order=1, irf=8, periods=200, drop=50, ar=3, nocorr, "
            "conditional_variance_decomposition=[1 4:6 2000]) y c k;\n"
            "stoch_simul(order=1, irf=0, nomoments, noprint, hp_filter=1600);")
    p = _variant(tmp_path, tail)
    r = run([os.path.basename(p), "--json", "o.json", "--seed", "7"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "v.mod:" in r.stderr and "unsupported option(s) ignored: hp_filter" in r.stderr
    j = json.load(open(tmp_path / "o.json"))
    first, second = j["stoch_simul"]  # a repeated command gives a list
    assert "irfs" not in second and "moments" not in second
    assert first["var_list"] == ["y", "c", "k"]
    cvd = first["conditional_variance_decomposition"]
    assert cvd["horizons"] == [1, 4, 5, 6, 2000]
    # at a long horizon the conditional decomposition is the unconditional one
    np.testing.assert_allclose(cvd["values"]["2000"], first["moments"]["variance_decomposition"], rtol=1e-8)
    sim = first["simulation"]
    assert sim["seed"] == 7 and len(sim["endo"]) == 200
    # same seed, same draws; another seed, other draws
    r2 = run([os.path.basename(p), "--json", "o2.json", "--seed", "7", "-q"], tmp_path)
    r3 = run([os.path.basename(p), "--json", "o3.json", "--seed", "8", "-q"], tmp_path)
    assert r2.returncode == r3.returncode == 0
    assert json.load(open(tmp_path / "o2.json"))["stoch_simul"][0]["simulation"]["endo"] == sim["endo"]
    assert json.load(open(tmp_path / "o3.json"))["stoch_simul"][0]["simulation"]["endo"] != sim["endo"]
    assert "CONDITIONAL VARIANCE DECOMPOSITION" in r.stdout and "MOMENTS OF SIMULATED VARIABLES" in r.stdout
    assert "MATRIX OF CORRELATIONS" not in r.stdout  # nocorr


@pytest.mark.parametrize("option,expect", [
    ("irf=-5", "option irf=-5: must be a whole number >= 0"),
    ("irf=2.7", "option irf=2.7: must be a whole number >= 0, not a fraction"),
    ("periods=-10", "option periods=-10: must be a whole number >= 0"),
    ("periods=10.7", "option periods=10.7: must be a whole number >= 0, not a fraction"),
    ("order=0", "option order=0: must be a whole number in [1, 3]"),
    ("periods=1e12", "option periods=1e12: the simulated series would need"),
    ("irf=1e9", "option irf=1e9: the impulse responses would need"),
    ("ar=1e9", "option ar=1e9: the autocorrelation matrices would need"),
    ("qz_criterium=abc", "option qz_criterium=abc: must be a finite number"),
])
def test_bad_option_values_exit_2(tmp_path, option, expect):
    p = _variant(tmp_path, f"stoch_simul({option});")
    r = run([os.path.basename(p), "--json", "o.json"], tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("govsim: error: v.mod:") and expect in lines[-1], lines
    assert "GB of memory" in lines[-1] or "would need" not in expect
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize("seed", ["-1", "18446744073709551616", "1.5", "abc"])
def test_bad_seed_exit_2(tmp_path, seed):
    p = _copy(RBC, tmp_path)
    r = run([os.path.basename(p), "--seed", seed, "-q"], tmp_path)
    assert r.returncode == 2
    assert "--seed" in r.stderr.strip().splitlines()[-1]


def test_json_write_is_atomic(tmp_path):
    p = _copy(RBC, tmp_path)
    out = tmp_path / "ro" / "out.json"
    out.parent.mkdir()
    out.write_text("previous\n")
    os.chmod(out.parent, stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(out.parent, os.W_OK):
            pytest.skip("running as a user who can write to read-only folders")
        r = run([os.path.basename(p), "-q", "--json", str(out)], tmp_path)
        assert r.returncode == 2
        assert r.stderr.strip().splitlines()[-1].startswith("govsim: error: cannot write the JSON: ")
        assert out.read_text() == "previous\n"
        assert os.listdir(out.parent) == ["out.json"]
    finally:
        os.chmod(out.parent, stat.S_IRWXU)


def test_json_write_error_on_full_device(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    p = _copy(RBC, tmp_path)
    r = run([os.path.basename(p), "-q", "--json", "/dev/full"], tmp_path)
    assert r.returncode == 2
    assert "No space left on device" in r.stderr


def test_json_replaces_previous_file_whole(tmp_path):
    p = _copy(RBC, tmp_path)
    (tmp_path / "o.json").write_text("x" * 10_000_000)
    r = run([os.path.basename(p), "-q", "--json", "o.json"], tmp_path)
    assert r.returncode == 0, r.stderr
    json.load(open(tmp_path / "o.json"))
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".o.json")]  # no temporary file left


def test_json_write_error_keeps_previous_file(tmp_path):
    """A write that fails half-way (file size limit: EFBIG, as a full disk) leaves the old file."""
    import resource
    import signal

    p = _copy(RBC, tmp_path)
    (tmp_path / "o.json").write_text("previous\n")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    r = subprocess.run([GOVSIM, "run", os.path.basename(p), "-q", "--json", "o.json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=600, preexec_fn=limit)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1] == "govsim: error: cannot write the JSON: o.json: File too large"
    assert (tmp_path / "o.json").read_text() == "previous\n"
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".o.json")]


def test_run_needs_no_python(tmp_path):
    """`govsim run` runs in the native program: no interpreter is started."""
    p = _copy(RBC, tmp_path)
    env = dict(os.environ, GOVSIM_PYTHON="/nonexistent/python")
    r = run([os.path.basename(p), "--json", "-"], tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["endo_names"][0] == "y"


def test_other_subcommands_go_to_python(tmp_path):
    r = subprocess.run([GOVSIM, "io", "summary", "--json"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["sectors"] == 22
    h = subprocess.run([GOVSIM, "--help"], capture_output=True, text=True, timeout=600)
    assert h.returncode == 0 and " run " in h.stdout and " io " in h.stdout


def test_python_cli_run_delegates(tmp_path):
    import sys

    p = _copy(RBC, tmp_path)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(BUILD, "python")
    r = subprocess.run([sys.executable, "-m", "govsim.cli", "run", os.path.basename(p), "--json", "-"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["stoch_simul"]["var_list"] == j["endo_names"]


def test_python_run_result():
    res = gs.dsge.run(RBC)
    assert res.ok() and res.warnings == []
    m = gs.dsge.Model.from_file(RBC)
    sol = m.solve()
    ghx = res.ghx()
    assert list(ghx.index) == res.endo_names
    np.testing.assert_allclose(ghx.to_numpy(), np.asarray(sol.core.ghx)[: len(res.endo_names)], rtol=1e-12)
    irf = res.irfs()["e"]
    assert irf.index[0] == 1 and len(irf) == 20
    np.testing.assert_allclose(irf["y"].to_numpy(), sol.irf(periods=20, as_dict=True)["e"]["y"].to_numpy(),
                               rtol=1e-12)
    assert res.steady_state.index.tolist() == res.endo_names
    assert res.moments().columns.tolist() == ["mean", "std", "variance"]
    assert [r.command for r in res.results] == [c.name for c in m.commands]


def test_python_run_raises_with_location(tmp_path):
    p = _variant(tmp_path, "stoch_simul(order=1, irf=-5);")
    with pytest.raises(gs.OptionsError, match=r"v.mod:\d+: stoch_simul: option irf=-5"):
        gs.dsge.run(p)
    res = gs.dsge.run(p, raise_on_failure=False)
    assert not res.ok() and res.failure == gs.dsge.RunFailure.BadInput


def test_cli_support_is_the_plugin_interface():
    from govsim import cli, cli_support

    assert cli.CliError is cli_support.CliError
    assert (cli_support.EXIT_OK, cli_support.EXIT_USAGE, cli_support.EXIT_NUMERICAL) == (0, 2, 3)
    assert cli_support.parse_assignments(["A=1", "B=-2.5"], "--change") == {"A": 1.0, "B": -2.5}
    with pytest.raises(cli_support.CliError, match="'x' is not a number"):
        cli_support.parse_assignments(["A=x"], "--change")
    import pandas as pd

    assert cli_support.frame_json(pd.DataFrame({"v": [1.0]}, index=["a"])) == {
        "index": ["a"], "columns": ["v"], "data": [[1.0]]}
    assert cli_support.clean({"a": float("nan"), "b": np.float64(2.0)}) == {"a": None, "b": 2.0}
