"""Reader safety: @#include follows Dynare's rules (including file's folder, then @#includepath),
included non-model files are never quoted in messages, NUL bytes are located errors, ParseError
carries file/line/column/excerpt, shocks values are checked, source_file is recorded."""
import numpy as np
import pytest

from govsim import _core, dsge

HEAD = "var y;\nvarexo e;\nparameters r;\nr = 0.5;\n"


def test_include_relative_to_including_file_then_includepath(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "lib").mkdir()
    (tmp_path / "a" / "main.mod").write_text(HEAD + 'model;\n@#include "b/eq.inc"\nend;\n')
    # nested include: relative to b/eq.inc's own folder first, then the include path
    (tmp_path / "a" / "b" / "eq.inc").write_text('@#includepath "../../lib"\n@#include "rhs.inc"\n')
    (tmp_path / "lib" / "rhs.inc").write_text("y = r*y(-1) + e;\n")
    (tmp_path / "a" / "b" / "rhs.inc").write_text("y = 2*r*y(-1) + e;\n")
    monkeypatch.chdir(tmp_path)          # the working directory plays no part
    m = dsge.Model.from_file(str(tmp_path / "a" / "main.mod"))
    assert "2*r" in m.equations[0].replace(" ", "") or "2" in str(m.equations[0])
    (tmp_path / "a" / "b" / "rhs.inc").unlink()
    m = dsge.Model.from_file(str(tmp_path / "a" / "main.mod"))
    assert "2" not in str(m.equations[0])
    assert m.core.source_file == str(tmp_path / "a" / "main.mod")
    (tmp_path / "lib" / "rhs.inc").unlink()
    (tmp_path / "rhs.inc").write_text("y = r*y(-1) + e;\n")   # only in the working directory
    with pytest.raises(_core.ParseError, match=r"cannot open included file 'rhs.inc' \(looked in") as ei:
        dsge.Model.from_file(str(tmp_path / "a" / "main.mod"))
    assert ei.value.file == "eq.inc" and ei.value.line == 2 and ei.value.column == 1


def test_included_non_model_file_is_not_quoted(tmp_path):
    secret = "s3cr3t_token:hunter2"
    (tmp_path / "notes.txt").write_text(f"{secret}\nmore {secret}\n")
    (tmp_path / "m.mod").write_text(HEAD + "model; y = r*y(-1) + e; end;\n" + '@#include "notes.txt"\n')
    with pytest.raises(_core.ParseError) as ei:
        dsge.Model.from_file(str(tmp_path / "m.mod"))
    e = ei.value
    assert "not a model file (content not shown)" in str(e)
    assert "s3cr3t" not in str(e) and "hunter2" not in str(e) and e.excerpt == ""
    assert (e.file, e.line) == ("notes.txt", 1)
    (tmp_path / "bad.inc").write_text(f"y = = {secret};\n")  # a model file is quoted as usual
    (tmp_path / "m2.mod").write_text(HEAD + 'model;\n@#include "bad.inc"\nend;\n')
    with pytest.raises(_core.ParseError) as ei:
        dsge.Model.from_file(str(tmp_path / "m2.mod"))
    assert ei.value.excerpt.startswith("y = =")


def test_nul_byte_and_parse_error_attributes(tmp_path):
    with pytest.raises(_core.ParseError, match=r"NUL byte in the source \(not a text file\?\) at <string>:2:4") as ei:
        dsge.Model.from_string("var y;\nvar\0x;\n")
    assert (ei.value.file, ei.value.line, ei.value.column, ei.value.excerpt) == ("<string>", 2, 4, "var\\0x;")
    with pytest.raises(_core.ParseError) as ei:
        dsge.Model.from_string(HEAD + "model; y = r*y(-1) + ; end;\n")
    e = ei.value
    assert e.file == "<string>" and e.line == 5 and e.column > 1 and "y = r*y(-1) + ;" in e.excerpt
    assert _core.ParseError("plain").line is None      # raised from Python: attributes exist


@pytest.mark.parametrize("shocks, message", [
    ("var e = -4;", "variance of 'e' is negative"),
    ("var e; stderr -0.1;", "stderr of 'e' is negative"),
    ("var e; stderr s;", "stderr of 'e' is not a finite number"),
    ("var e = 1/0;", "variance of 'e' is not a finite number"),
])
def test_bad_shock_values(shocks, message):
    with pytest.raises(_core.ParseError, match=message):
        dsge.Model.from_string("var y;\nvarexo e;\nparameters r s;\nr = 0.5;\nmodel; y = r*y(-1) + e; end;\n"
                               f"shocks;\n{shocks}\nend;\n")


def test_parameter_valued_stderr_uses_the_assigned_value():
    m = dsge.Model.from_string(HEAD.replace("parameters r;", "parameters r s;") + "s = 0.1;\n"
                               "model; y = r*y(-1) + e; end;\nshocks; var e; stderr s; end;\n")
    assert np.isclose(m.Sigma_e.iloc[0, 0], 0.01, rtol=1e-15)


def test_datafile_relative_to_the_mod_file(tmp_path):
    import subprocess
    from pathlib import Path

    prog = Path(__file__).resolve().parents[2] / "build" / "bin" / "govsim"
    if not prog.exists():
        pytest.skip("native govsim not built")

    (tmp_path / "models").mkdir()
    rng = np.random.default_rng(1)
    y = np.zeros(60)
    for t in range(1, 60):
        y[t] = 0.6 * y[t - 1] + rng.standard_normal()
    (tmp_path / "models" / "obs.csv").write_text("y\n" + "\n".join(map(repr, y)) + "\n")
    (tmp_path / "models" / "m.mod").write_text(
        "var y; varexo e; parameters rho; rho = 0.5;\nmodel; y = rho*y(-1) + e; end;\n"
        "shocks; var e; stderr 1; end;\nvarobs y;\nestimated_params; rho, 0.5, -0.99, 0.99; end;\n"
        "estimation(datafile=obs, mode_compute=4);\n")
    (tmp_path / "elsewhere").mkdir()

    def run():
        return subprocess.run([str(prog), "run", str(tmp_path / "models" / "m.mod"), "-q"], capture_output=True,
                              text=True, timeout=300, cwd=tmp_path / "elsewhere")

    p = run()
    assert p.returncode == 0, p.stderr
    (tmp_path / "elsewhere" / "obs.csv").write_text("y\n1\n2\n")   # the working directory is not searched
    (tmp_path / "models" / "obs.csv").unlink()
    p = run()
    assert p.returncode == 2 and "datafile 'obs' not found" in p.stderr, p.stderr
