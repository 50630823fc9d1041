"""`govsim policy compare`: the welfare comparison of commitment, discretion and simple rules from
the command line (one model: compare_policies; several: compare_policies_robust), its JSON and
chart outputs and its exit codes, run through the installed program like the other CLI tests."""
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from test_cli_run import CLI, cli

FIX = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "optimal_policy"
MODEL = FIX / "nk_cp_policy.mod"
RULE = "i = phi_pi*pi + phi_x*x"
BOUNDS = ["--bounds", "phi_pi=1.01:50", "--bounds", "phi_x=0:10"]


def govsim(*args, timeout=600):
    cli()
    return subprocess.run([str(CLI), "policy", "compare", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def variant(tmp_path, name, **params):
    text = MODEL.read_text()
    for k, v in params.items():
        text = text.replace(f"\n{k} = ", f"\n{k} = {v}; // was ", 1)
    p = tmp_path / f"{name}.mod"
    p.write_text(text)
    return p


def test_one_model_equals_compare_policies(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    from govsim import dsge, optimal_policy

    out, png = tmp_path / "cmp.json", tmp_path / "cmp.png"
    r = govsim(MODEL, "--rule", RULE, *BOUNDS, "--json", out, "--chart", png)
    assert r.returncode == 0, r.stderr
    assert "WELFARE COMPARISON" in r.stdout and "TUNED RULE" in r.stdout
    j = json.loads(out.read_text())
    assert j["rule_params"] == ["phi_pi", "phi_x"]  # found in the rule
    t = j["table"]
    assert t["index"] == ["commitment", "discretion", "optimal simple rule", "given rule"]
    col = t["columns"].index("expected_discounted_loss")
    losses = {k: row[col] for k, row in zip(t["index"], t["data"])}
    # the discretion row is Dynare 5.3's unconditional planner objective for discretion
    assert losses["discretion"] == pytest.approx(0.014617158724302351, rel=1e-9)
    c = optimal_policy.compare_policies(dsge.Model.from_file(str(MODEL)), RULE, ["phi_pi", "phi_x"],
                                        bounds={"phi_pi": (1.01, 50.0), "phi_x": (0.0, 10.0)}, chart=False)
    for k, v in c.table["expected_discounted_loss"].items():
        assert losses[k] == pytest.approx(v, rel=1e-12), k
    assert j["tuned_rule"] == pytest.approx({k: float(v) for k, v in c.rule_params.items()}, rel=1e-9)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_several_models_equal_compare_policies_robust(tmp_path):
    from govsim import dsge, optimal_policy

    base, flat = variant(tmp_path, "base"), variant(tmp_path, "flat", kappa=0.05)
    out = tmp_path / "robust.json"
    r = govsim(base, flat, "--rule", RULE, "--params", "phi_pi,phi_x", *BOUNDS, "--weights", "3,1", "--json", out)
    assert r.returncode == 0, r.stderr
    assert "ROBUST WELFARE COMPARISON" in r.stdout and "RULE COEFFICIENTS" in r.stdout
    j = json.loads(out.read_text())
    assert j["weights"] == {"base": 0.75, "flat": 0.25}
    t = j["table"]
    assert t["columns"] == ["base", "flat", "average", "worst"]
    ref = optimal_policy.compare_policies_robust(
        [dsge.Model.from_file(str(base)), dsge.Model.from_file(str(flat))], RULE, ["phi_pi", "phi_x"],
        weights=[3, 1], labels=["base", "flat"], bounds={"phi_pi": (1.01, 50.0), "phi_x": (0.0, 10.0)}, chart=False)
    assert t["index"] == list(ref.table.index)
    np.testing.assert_allclose(np.array(t["data"], float), ref.table.to_numpy(float), rtol=1e-9)
    assert j["rules"]["index"] == list(ref.rules.index)


def test_json_to_stdout_is_the_only_output(tmp_path):
    r = govsim(MODEL, "--rule", RULE, *BOUNDS, "--json")
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert j["models"] == [str(MODEL)]


@pytest.mark.parametrize("args, message", [
    (["missing.mod", "--rule", RULE], "model file 'missing.mod' not found"),
    ([MODEL, "--rule", "phi_pi*pi"], "must be an equation"),
    ([MODEL, "--rule", "i = 1.5*pi"], "uses no declared parameter"),
    ([MODEL, "--rule", RULE, "--bounds", "phi_pi=5"], "must look like NAME=LO:HI"),
    ([MODEL, "--rule", RULE, "--bounds", "rho_u=0:1"], "'rho_u' is not a tuned rule parameter"),
    ([MODEL, "--rule", RULE, "--discount", "1.5"], "--discount must be in (0, 1)"),
    ([MODEL, "--rule", RULE, "--weights", "1"], "--weights and --labels need several models"),
    ([MODEL, MODEL, "--rule", RULE, "--weights", "1,x"], "comma-separated numbers"),
    ([MODEL, MODEL, "--rule", RULE, "--weights", "1,2,3"], "3 weight(s) for 2 models"),
    ([MODEL, MODEL, "--rule", RULE, "--labels", "a,a"], "distinct labels"),
    ([MODEL, "--rule", RULE, "--chart", "out.txt"], "--chart must name"),
    ([MODEL, "--rule", "i = phi_z*pi", "--params", "phi_z"], "phi_z"),
    ([MODEL, "--rule", RULE, "--instruments", "zz"], "zz"),
])
def test_bad_input_exit_2(tmp_path, args, message):
    r = govsim(*args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_unwritable_json_is_exit_2_and_leaves_nothing(tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    r = govsim(MODEL, "--rule", RULE, *BOUNDS, "--json", d)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert list(d.iterdir()) == []


def test_numerical_failure_exit_3(tmp_path):
    # an explosive cost-push process (rho_u = 1.5): no policy has a stable solution -> exit 3
    bad = variant(tmp_path, "explosive", rho_u=1.5)
    r = govsim(bad, "--rule", RULE, *BOUNDS)
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert "numerical failure" in r.stderr and "Traceback" not in r.stderr
