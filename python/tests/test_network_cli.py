"""govsim network / govsim sweep command lines: outputs, JSON and exit codes."""
import json

from govsim import cli


def test_build_writes_mod(tmp_path, capsys):
    out = tmp_path / "m.mod"
    assert cli.main(["network", "build", "--sectors", "5", "--out", str(out), "--json", str(tmp_path / "b.json")]) == 0
    text = out.read_text()
    assert "model(linear);" in text and "stoch_simul" in text
    j = json.loads((tmp_path / "b.json").read_text())
    assert len(j["sectors"]) == 5


def test_irf_and_hulten_json(tmp_path):
    assert cli.main(["network", "irf", "--sectors", "15", "--shock", "e_z_MFC", "--periods", "5",
                     "--json", str(tmp_path / "i.json")]) == 0
    j = json.loads((tmp_path / "i.json").read_text())
    assert j["irf"]["columns"] == ["gdp", "ygap", "pic", "pitarget", "inom"] and len(j["irf"]["data"]) == 5
    assert cli.main(["network", "hulten", "--sectors", "15", "--json", str(tmp_path / "h.json")]) == 0
    assert json.loads((tmp_path / "h.json").read_text())["max_abs_error"] < 1e-8


def test_exit_codes(tmp_path, capsys):
    assert cli.main(["network", "irf", "--shock", "e_nope"]) == 2
    assert cli.main(["network", "build", "--theta", "1.5"]) == 2
    assert cli.main(["network", "build", "--sectors", "99"]) == 2
    assert cli.main(["network", "build", "--param", "phi_pi=0.5", "--out", str(tmp_path / "x.mod")]) == 3
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert cli.main(["sweep", str(bad)]) == 2
    assert "error" in capsys.readouterr().err


def test_sweep_cli(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"model": {"sectors": 5}, "scenarios": {"m": {"e_m": 0.0025}},
                                "rules": {"phi_pi": [1.5, 2.0]}, "draws": {"n": 2, "seed": 3}}))
    assert cli.main(["sweep", str(spec), "--scheduler", "threads", "--json", str(tmp_path / "o.json")]) == 0
    j = json.loads((tmp_path / "o.json").read_text())
    assert j["info"]["tasks"] == 4 and len(j["table"]["data"]) == 4
