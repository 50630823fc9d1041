"""Table-driven bad-input suite: every case asserts the exception class (Python API) or the
exit status (command line) and a specific message. No case may end in a traceback, a crash, a
silent NaN or exit 0.

Command-line cases run ``govsim.cli.main`` in-process (fast), the ``govsim run`` cases the
native program as a subprocess; a few also run the installed launcher as a subprocess to check
that no traceback reaches the terminal.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import _core, cli, dsge, estimation
from govsim import policy as gpolicy

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("GOVSIM_BUILD_DIR", str(REPO / "build")))

S = ["agr", "man", "ser"]
Z = pd.DataFrame([[10.0, 20.0, 5.0], [15.0, 40.0, 25.0], [5.0, 30.0, 50.0]], index=S, columns=S)
Y = pd.DataFrame({"hh": [50.0, 100.0, 120.0], "gov": [15.0, 60.0, 90.0]}, index=S)
X = Z.sum(axis=1) + Y.sum(axis=1)
VA = pd.DataFrame([X.to_numpy() - Z.sum(axis=0).to_numpy()], index=["comp"], columns=S)

GOOD = "var y;\nvarexo e;\nparameters r;\nr = 0.5;\nmodel; y = r*y(-1) + e; end;\nshocks; var e; stderr 1; end;\n"
EST = GOOD + "varobs y;\nestimated_params; r, 0.5, -0.99, 0.99; stderr e, 1, 0.01, 10; end;\n"


# ------------------------------------------------------------------------------ fixtures
def _folder(root: Path, name: str, Zf=Z, Yf=Y, va=None, x=None, raw_z=None) -> str:
    d = root / name
    d.mkdir()
    if raw_z is not None:
        (d / "Z.csv").write_text(raw_z)
    else:
        Zf.to_csv(d / "Z.csv")
    Yf.to_csv(d / "Y.csv")
    if va is not None:
        va.to_csv(d / "primary_inputs.csv")
    if x is not None:
        x.rename("x").to_frame().to_csv(d / "x.csv")
    return str(d)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    f = {"root": str(root)}
    f["good"] = _folder(root, "good", va=VA, x=X)
    f["empty"] = str(root / "empty")
    os.mkdir(f["empty"])
    f["zcols"] = _folder(root, "zcols", Zf=Z.rename(columns={"ser": "srv"}))
    f["yrows"] = _folder(root, "yrows", Yf=Y.rename(index={"agr": "farm"}))
    f["imbal"] = _folder(root, "imbal", va=pd.concat([VA, VA.rename(index={"comp": "T00OTOP"})]), x=X)
    f["nanz"] = _folder(root, "nanz", Zf=Z.where(Z != 40.0))
    f["textz"] = _folder(root, "textz", raw_z=",agr,man,ser\nagr,1,2,x\nman,1,2,3\nser,1,2,3\n")
    f["emptyz"] = _folder(root, "emptyz", raw_z="")
    f["nonsq"] = _folder(root, "nonsq", Zf=Z.iloc[:, :2])
    f["dupz"] = _folder(root, "dupz", raw_z=",agr,agr,ser\nagr,1,2,3\nagr,1,2,3\nser,1,2,3\n")
    f["explosive"] = _folder(root, "explosive", Zf=Z * 10, x=X)
    f["xneg"] = _folder(root, "xneg", x=-X)
    f["xlab"] = _folder(root, "xlab", x=X.rename({"man": "mfg"}))
    mods = {
        "nul.mod": "var y;\nvar\0 x;\n",
        "negvar.mod": GOOD.replace("var e; stderr 1;", "var e = -4;"),
        "noinc.mod": GOOD + '@#include "missing.inc"\n',
        "leak.mod": GOOD + '@#include "secret.txt"\n',
        "syntax.mod": GOOD.replace("+ e;", "+ ;"),
        "est_inf.mod": EST + "estimation(datafile=data_inf, mode_compute=4, mh_replic=0);\n",
    }
    (root / "secret.txt").write_text("password=hunter2\n")
    (root / "data_inf.csv").write_text("y\n0.1\ninf\n0.3\n")
    for n, t in mods.items():
        (root / n).write_text(t)
        f[n.replace(".", "_")] = str(root / n)
    spec = {"model": 5, "params": {}, "targets": []}
    (root / "spec_model5.json").write_text(json.dumps(spec))
    (root / "spec_bad.json").write_text("{not json")
    (root / "spec_list.json").write_text("[1, 2]")
    (root / "spec_missing_model.json").write_text(json.dumps({"model": "nope.mod", "params": {}, "targets": []}))
    f["out_file"] = str(root / "a_file.txt")
    Path(f["out_file"]).write_text("previous content\n")
    return f


# ------------------------------------------------------------------------------ CLI table
# (id, argv with {placeholders}, exit status, message regex on stderr)
CLI_CASES = [
    ("shock-nan", ["io", "shock", "--change", "MFC=nan"], 2, r"MFC=nan.*finite number"),
    ("shock-inf", ["io", "shock", "--change", "MFC=inf"], 2, r"finite number"),
    ("shock-neg-inf", ["io", "shock", "--change", "MFC=-inf"], 2, r"finite number"),
    ("shock-NaN-case", ["io", "shock", "--change", "MFC=NaN"], 2, r"finite number"),
    ("shock-no-equals", ["io", "shock", "--change", "MFC"], 2, r"must look like SECTOR=VALUE"),
    ("shock-not-number", ["io", "shock", "--change", "MFC=ten"], 2, r"'ten' is not a number"),
    ("shock-empty-sector", ["io", "shock", "--change", "=5"], 2, r"empty sector name"),
    ("shock-unknown-sector", ["io", "shock", "--change", "XYZ=5"], 2, r"XYZ"),
    ("shock-none", ["io", "shock"], 2, r"give at least one --change"),
    ("shock-hex-nan", ["io", "shock", "--change", "MFC=1e999"], 2, r"finite number"),
    ("price-nan", ["io", "price", "--change", "MIN=nan"], 2, r"finite number"),
    ("price-none", ["io", "price"], 2, r"give at least one --change"),
    ("price-unknown", ["io", "price", "--change", "QQQ=0.1"], 2, r"QQQ"),
    ("hh-one-part", ["io", "multipliers", "--households", "V00100"], 2, r"INCOME_ACCOUNT,CONSUMPTION_CATEGORY"),
    ("hh-unknown", ["io", "multipliers", "--households", "NOPE,F01000"], 2, r"NOPE"),
    ("table-unknown", ["io", "summary", "--table", "mars"], 2, r"unknown table 'mars'"),
    ("table-empty-dir", ["io", "summary", "--table", "{empty}"], 2, r"no Z.csv"),
    ("table-zcols", ["io", "summary", "--table", "{zcols}"], 2, r"Z columns do not match.*'ser'.*'srv'"),
    ("table-yrows", ["io", "summary", "--table", "{yrows}"], 2, r"Y rows do not match.*'agr'.*'farm'"),
    ("table-imbalance", ["io", "summary", "--table", "{imbal}"], 2, r"differs from intermediate inputs"),
    ("table-nan", ["io", "summary", "--table", "{nanz}"], 2, r"(?i)nan|not a finite|non-finite"),
    ("table-text", ["io", "summary", "--table", "{textz}"], 2, r"(?i)could not convert|not a number|x"),
    ("table-emptyz", ["io", "summary", "--table", "{emptyz}"], 2, r"cannot be read as CSV"),
    ("table-nonsquare", ["io", "summary", "--table", "{nonsq}"], 2, r"(?i)Z columns do not match|square|columns"),
    ("table-dup", ["io", "summary", "--table", "{dupz}"], 2, r"duplicate label 'agr'"),
    ("table-explosive", ["io", "shock", "--table", "{explosive}", "--change", "agr=1"], 2,
     r"(?i)spectral radius|negative|productive|output"),
    ("table-xneg", ["io", "summary", "--table", "{xneg}"], 2, r"(?i)negative|output"),
    ("table-xlabels", ["io", "summary", "--table", "{xlab}"], 2, r"x do not match.*'man'.*'mfg'"),
    ("json-dir", ["io", "summary", "--json", "{root}"], 2, r"is a folder"),
    ("json-no-folder", ["io", "summary", "--json", "{root}/no/such/out.json"], 2, r"does not exist"),
    ("top-not-int", ["io", "linkages", "--top", "many"], 2, r"invalid int value"),
    ("io-no-sub", ["io"], 2, r"required|IO_COMMAND"),
    ("io-bad-sub", ["io", "frobnicate"], 2, r"invalid choice"),
    ("no-command", [], 2, r"required|COMMAND"),
    ("bad-command", ["launch"], 2, r"invalid choice"),
    ("demo-out-file", ["demo", "--out", "{out_file}"], 2, r"(?i)exists|not a directory|a_file"),
    ("demo-json-dir", ["demo", "--out", "{root}", "--json", "{root}"], 2, r"is a folder"),
    ("diim-q0-nan", ["io", "diim", "--q0", "MFC=nan"], 2, r"finite number"),
    ("diim-q0-text", ["io", "diim", "--q0", "MFC=abc"], 2, r"not a number"),
    ("diim-days-text", ["io", "diim", "--q0", "MFC=0.1", "--days", "x"], 2, r"invalid"),
    ("ario-rebuild-nan", ["io", "ario", "--damage", "1000", "--rebuild", "CON=nan"], 2, r"finite number"),
    ("ario-days-text", ["io", "ario", "--days", "soon"], 2, r"invalid"),
    ("calibrate-model-5", ["calibrate", "{root}/spec_model5.json"], 2, r"'model' must be the path of a .mod file, got 5"),
    ("calibrate-bad-json", ["calibrate", "{root}/spec_bad.json"], 2, r"cannot read the specification"),
    ("calibrate-list", ["calibrate", "{root}/spec_list.json"], 2, r"needs 'model', 'params' and 'targets'"),
    ("calibrate-missing-file", ["calibrate", "{root}/nope.json"], 2, r"cannot read the specification"),
    ("calibrate-dir-spec", ["calibrate", "{root}"], 2, r"cannot read the specification|Is a directory"),
    ("calibrate-missing-model", ["calibrate", "{root}/spec_missing_model.json"], 2, r"nope.mod' not found"),
]


# `govsim run` is the native program (build/bin/govsim); these run it as a subprocess.
RUN_CASES = [
    ("run-missing", ["run", "{root}/nope.mod"], 2, r"error: \S*/nope.mod: no such file"),
    ("run-dir", ["run", "{root}"], 2, r"error: \S*bad\d*: is a folder, not a model file"),
    ("run-nul", ["run", "{nul_mod}"], 2, r"NUL byte in the source .* at nul.mod:2:4"),
    ("run-negvar", ["run", "{negvar_mod}"], 2, r"variance of 'e' is negative \(-4\)"),
    ("run-noinclude", ["run", "{noinc_mod}"], 2, r"cannot open included file 'missing.inc'"),
    ("run-leak", ["run", "{leak_mod}"], 2, r"^(?!.*hunter2).*not a model file \(content not shown\)"),
    ("run-syntax", ["run", "{syntax_mod}"], 2, r"syntax.mod:5"),
    ("run-est-inf-data", ["run", "{est_inf_mod}", "-q"], 2,
     r"est_inf.mod:\d+.*datafile 'data_inf' line 3, column y: 'inf' is not a finite number"),
    ("run-seed-text", ["run", "{syntax_mod}", "--seed", "abc"], 2, r"argument --seed: 'abc' is not an integer"),
]


def _fmt(argv, files):
    return [a.format(**files) if "{" in a else a for a in argv]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_bad_input(case, files, capsys):
    _, argv, status, message = case
    try:
        rc = cli.main(_fmt(argv, files))
    except SystemExit as e:  # argparse usage errors
        rc = e.code
    err = capsys.readouterr().err
    assert rc == status, err
    assert "Traceback" not in err
    import re

    assert re.search(message, err, re.S), err


@pytest.mark.skipif(not (BUILD / "bin" / "govsim").exists(), reason="native govsim not built")
@pytest.mark.parametrize("case", RUN_CASES, ids=[c[0] for c in RUN_CASES])
def test_run_bad_input(case, files):
    import re

    _, argv, status, message = case
    p = subprocess.run([str(BUILD / "bin" / "govsim")] + _fmt(argv, files), capture_output=True, text=True,
                       timeout=300, cwd=os.path.dirname(files["root"]))  # datafile= from the .mod folder
    assert p.returncode == status, p.stderr
    assert "Traceback" not in p.stderr
    assert re.search(message, p.stderr, re.S), p.stderr


def test_failed_json_write_keeps_previous_file(files, capsys, monkeypatch):
    target = files["out_file"]
    before = Path(target).read_text()
    import govsim._atomic as at

    real = at.os.fsync

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(at.os, "fsync", full_disk)
    rc = cli.main(["io", "summary", "--json", target])
    monkeypatch.setattr(at.os, "fsync", real)
    err = capsys.readouterr().err
    assert rc == 2 and "No space left on device" in err and "Traceback" not in err
    assert Path(target).read_text() == before
    assert not [p for p in os.listdir(os.path.dirname(target)) if p.endswith(".tmp")]
    assert cli.main(["io", "summary", "--json", target]) == 0
    assert json.loads(Path(target).read_text())["sectors"] == 22


@pytest.mark.skipif(not (BUILD / "bin" / "govsim").exists(), reason="launcher not built")
@pytest.mark.parametrize("argv", [["io", "shock", "--change", "MFC=nan"], ["calibrate", "{root}/spec_model5.json"],
                                  ["io", "summary", "--json", "{root}"], ["run", "{nul_mod}"]])
def test_launcher_prints_no_traceback(argv, files):
    p = subprocess.run([str(BUILD / "bin" / "govsim")] + _fmt(argv, files), capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 2 and "Traceback" not in p.stderr and p.stderr.strip(), p.stderr


# ------------------------------------------------------------------------------ Python API table
def _table():
    return gs.io.IOTable(Z, Y, value_added=VA)


def _model():
    return dsge.Model.from_string(GOOD)


def _sol():
    return _model().solve()


def _est_data(n=40):
    rng = np.random.default_rng(0)
    return pd.DataFrame({"y": rng.standard_normal(n)})


def _est(**kw):
    return estimation.Estimator(dsge.Model.from_string(EST), _est_data(), **kw)


def _parse(text):
    return lambda: dsge.Model.from_string(text)


def _mcmc(**kw):
    base = dict(chains=1, draws=10, start=np.array([0.5, 1.0]), proposal_cov=np.eye(2) * 0.01)
    base.update(kw)
    return lambda: _est().mcmc(**base)


PE, ME, DE, OE, DIM = _core.ParseError, _core.ModelError, _core.DataError, _core.OptionsError, _core.DimensionError
GE = _core.GovsimError
nan, inf = float("nan"), float("inf")

API_CASES = [
    # ---- IOTable construction
    ("io-z-nonsquare", lambda: gs.io.IOTable(np.ones((3, 2)), np.ones((3, 1))), GE, r"(?i)square|columns|rows"),
    ("io-z-nan", lambda: gs.io.IOTable(Z.where(Z != 40), Y), DE, r"(?i)nan|finite"),
    ("io-z-inf", lambda: gs.io.IOTable(Z.replace(40.0, inf), Y), DE, r"(?i)inf|finite"),
    ("io-y-nan", lambda: gs.io.IOTable(Z, Y.where(Y != 100)), DE, r"(?i)nan|finite"),
    ("io-y-rows-short", lambda: gs.io.IOTable(Z, Y.iloc[:2]), DE, r"Y rows.*missing 'ser'"),
    ("io-y-rows-extra", lambda: gs.io.IOTable(Z, pd.concat([Y, Y.rename(index={"agr": "xtra"}).iloc[:1]])), DE,
     r"not in the table's sectors 'xtra'"),
    ("io-y-rows-renamed", lambda: gs.io.IOTable(Z, Y.rename(index={"man": "MAN"})), DE, r"missing 'man'.*'MAN'"),
    ("io-y-dup", lambda: gs.io.IOTable(Z, pd.concat([Y, Y.iloc[:1]])), DE, r"duplicate label 'agr'"),
    ("io-z-cols-renamed", lambda: gs.io.IOTable(Z.rename(columns={"agr": "a"}), Y), DE, r"Z columns.*'agr'.*'a'"),
    ("io-z-cols-dup", lambda: gs.io.IOTable(Z.set_axis(["agr", "agr", "ser"], axis=1), Y), DE,
     r"Z columns: duplicate label 'agr'"),
    ("io-x-labels", lambda: gs.io.IOTable(Z, Y, X.rename({"ser": "svc"})), DE, r"x do not match.*'ser'.*'svc'"),
    ("io-x-negative", lambda: gs.io.IOTable(Z, Y, -X), GE, r"(?i)negative|output"),
    ("io-x-nan", lambda: gs.io.IOTable(Z, Y, X.where(X != X.iloc[0])), DE, r"(?i)nan|finite"),
    ("io-va-cols", lambda: gs.io.IOTable(Z, Y, value_added=VA.rename(columns={"man": "m"})), DE,
     r"value_added columns.*'man'.*'m'"),
    ("io-va-nan", lambda: gs.io.IOTable(Z, Y, value_added=VA.where(VA > 100)), DE, r"(?i)nan|finite"),
    ("io-sat-cols", lambda: gs.io.IOTable(Z, Y, satellite=VA.rename(columns={"ser": "s"})), DE,
     r"satellite columns.*'ser'"),
    ("io-explosive", lambda: gs.io.IOTable(Z * 10, Y, X).leontief, GE, r"(?i)spectral radius|productive|negative"),
    ("io-imbalance-limit", lambda: gs.io.IOTable(Z, Y, X * 2, max_relative_imbalance=0.01), GE, r"(?i)imbalance|balance"),
    # ---- shocks
    ("shock-dict-nan", lambda: _table().output_change({"agr": nan}), DE, r"value for 'agr' is nan"),
    ("shock-dict-inf", lambda: _table().output_change({"agr": inf}), DE, r"value for 'agr' is inf"),
    ("shock-dict-text", lambda: _table().output_change({"agr": "ten"}), DE, r"not a number: 'ten'"),
    ("shock-dict-none", lambda: _table().output_change({"agr": None}), DE, r"not a number: None"),
    ("shock-dict-unknown", lambda: _table().output_change({"zzz": 1.0}), GE, r"zzz"),
    ("shock-dict-position", lambda: _table().output_change({7: 1.0}), DIM, r"sector position 7 outside 0..2"),
    ("shock-series-nan", lambda: _table().output_change(pd.Series({"man": nan})), DE, r"'man' is nan"),
    ("shock-series-neg-inf", lambda: _table().output_change(pd.Series({"man": -inf})), DE, r"'man' is -inf"),
    ("shock-frame-nan-cell", lambda: _table().output_change(pd.DataFrame({"s1": [1.0, nan]}, index=["agr", "ser"])),
     DE, r"NaN or infinite value for 'ser' in column\(s\) s1"),
    ("shock-frame-inf-cell", lambda: _table().output_change(pd.DataFrame({"a": [inf], "b": [1.0]}, index=["man"])),
     DE, r"for 'man' in column\(s\) a"),
    ("shock-array-nan", lambda: _table().output_change(np.array([1.0, nan, 0.0])), DE, r"non-finite"),
    ("shock-array-short", lambda: _table().output_change(np.array([1.0, 2.0])), DIM, r"2 rows, the table has 3"),
    ("price-dict-nan", lambda: _table().price_change({"agr": nan}), DE, r"'agr' is nan"),
    ("price-fixed-nan", lambda: _table().price_change_from_sector_prices({"agr": nan}), DE, r"NaN or infinite.*agr"),
    ("ghosh-nan", lambda: _table().ghosh_output_change({"ser": nan}), DE, r"'ser' is nan"),
    ("regions-nan", lambda: _table().output_change(pd.Series({"agr": inf})), DE, r"is inf"),
    ("multipliers-kind", lambda: _table().multipliers(kind="fancy"), ValueError, r"unknown kind 'fancy'"),
    ("multipliers-type2-no-hh", lambda: _table().multipliers(kind="type_II"), ValueError, r"need households"),
    ("multipliers-hh-unknown", lambda: _table().multipliers(households=("nope", "hh")), GE, r"nope"),
    ("aggregate-missing", lambda: _table().aggregate({"agr": "A"}), DE, r"no group for sector"),
    ("footprint-unknown", lambda: _table().footprint("co2"), GE, r"co2|region"),
    # ---- read_csv_folder arguments
    ("csv-on-imbalance", lambda: gs.io.read_csv_folder(".", on_imbalance="shout"), ValueError, r"on_imbalance"),
    ("csv-tolerance", lambda: gs.io.read_csv_folder(".", balance_tolerance=-1), ValueError, r"balance_tolerance"),
    ("csv-not-folder", lambda: gs.io.read_csv_folder("/no/such/folder"), DE, r"not a folder"),
    # ---- .mod reader
    ("mod-nul", _parse("var y;\0\n"), PE, r"NUL byte.*<string>:1:7"),
    ("mod-negative-variance", _parse(GOOD.replace("var e; stderr 1;", "var e = -4;")), PE,
     r"variance of 'e' is negative"),
    ("mod-negative-stderr", _parse(GOOD.replace("stderr 1", "stderr -1")), PE, r"stderr of 'e' is negative"),
    ("mod-stderr-unassigned", _parse(GOOD.replace("parameters r;", "parameters r s;").replace("stderr 1", "stderr s")),
     PE, r"stderr of 'e' is not a finite number"),
    ("mod-variance-nan", _parse(GOOD.replace("var e; stderr 1;", "var e = 0/0;")), PE, r"not a finite number"),
    ("mod-variance-variable", _parse(GOOD.replace("var e; stderr 1;", "var e = y;")), GE, r"not a finite number|'y'"),
    ("mod-corr-big", _parse(GOOD.replace("varexo e;", "varexo e u;").replace("+ e;", "+ e + u;")
                            .replace("stderr 1; end;", "stderr 1; var u; stderr 1; corr e, u = 2; end;")),
     PE, r"outside \[-1, 1\]"),
    ("mod-corr-unknown", _parse(GOOD.replace("stderr 1; end;", "stderr 1; corr e, zz = 0.1; end;")), GE, r"zz"),
    ("mod-shock-unknown", _parse(GOOD.replace("var e; stderr 1;", "var q; stderr 1;")), GE, r"'q'"),
    ("mod-missing-semicolon", _parse("var y\nvarexo e;\n"), PE, r"(?i)semicolon|expected"),
    ("mod-undeclared", _parse(GOOD.replace("r*y(-1)", "r*z(-1)")), GE, r"'z'"),
    ("mod-too-few-eq", _parse(GOOD.replace("var y;", "var y w;")), ME, r"(?i)equation"),
    # a name repeated within one declaration is a warning (as in Dynare); across kinds an error
    ("mod-duplicate", _parse(GOOD.replace("parameters r;", "parameters r y;")), PE,
     r"symbol 'y' declared twice \(as endogenous and parameter\) at <string>:3:14"),
    ("mod-unterminated-comment", _parse(GOOD + "/* never closed\n"), PE, r"unterminated comment"),
    ("mod-unbalanced", _parse(GOOD.replace("r*y(-1)", "r*(y(-1)")), PE, r"(?i)expected|paren|'\)'"),
    ("mod-include-missing", _parse('@#include "nope.inc"\n' + GOOD), PE, r"cannot open included file 'nope.inc'"),
    ("mod-include-empty", _parse('@#include ""\n' + GOOD), PE, r"needs a file name"),
    ("mod-include-number", _parse('@#include 5\n' + GOOD), PE, r"expects a string"),
    ("mod-for-unterminated", _parse("@#for i in 1:3\n" + GOOD), PE, r"@#for without @#endfor"),
    ("mod-if-unterminated", _parse("@#if 1\n" + GOOD), PE, r"@#if without @#endif"),
    ("mod-endif-alone", _parse("@#endif\n" + GOOD), PE, r"@#endif without @#if"),
    ("mod-error-directive", _parse('@#error "stop here"\n' + GOOD), PE, r"@#error: stop here"),
    ("mod-unknown-directive", _parse("@#frobnicate\n" + GOOD), PE, r"unknown macro directive"),
    ("mod-macro-unknown-var", _parse("@#if nope > 1\n@#endif\n" + GOOD), PE, r"unknown macro variable 'nope'"),
    ("mod-lead-on-param", _parse(GOOD.replace("r*y(-1)", "r(1)*y(-1)")), GE, r"'r'"),
    ("mod-no-model-block", _parse("var y;\nvarexo e;\n"), ME, r"no model block"),
    ("mod-bad-number", _parse(GOOD.replace("r = 0.5;", "r = 0.5.1;")), PE, r"(?i)semicolon|number|expected"),
    ("mod-assign-var", _parse(GOOD.replace("r = 0.5;", "y = 0.5;")), PE, r"cannot assign a value to"),
    ("mod-file-missing", lambda: dsge.Model.from_file("/no/such/model.mod"), GE, r"cannot open model file"),
    ("mod-file-dir", lambda: dsge.Model.from_file("/"), GE, r"'/' is a folder, not a model file"),
    ("mod-periods-bad", _parse(GOOD.replace("var e; stderr 1;", "var e; periods 0; values 1;")), PE,
     r"invalid period"),
    ("mod-periods-values", _parse(GOOD.replace("var e; stderr 1;", "var e; periods 1 2; values 1 2 3;")), PE,
     r"different lengths"),
    # ---- DSGE API
    ("ss-guess-nan", lambda: _model().steady_state(initial_guess=np.array([nan])), DE,
     r"initial guess of 'y' is not a finite number"),
    ("ss-guess-inf", lambda: _model().steady_state(initial_guess=np.array([inf])), DE, r"initial guess of 'y'"),
    ("ss-guess-size", lambda: _model().steady_state(initial_guess=np.array([1.0, 2.0])), DIM, r"2 values for 1"),
    ("ss-exo-nan", lambda: _model().steady_state(exo=np.array([nan])), DE, r"exogenous 'e' is not a finite"),
    ("linearize-ss-nan", lambda: _model().linearize(pd.Series({"y": nan})), DE, r"NaN or infinite for: y"),
    ("solve-ss-nan", lambda: _model().solve(steady_state=pd.Series({"y": inf})), DE, r"NaN or infinite for: y"),
    ("irf-size-nan", lambda: _sol().irf(size=nan), DE, r"size of shock 'e' is nan"),
    ("irf-size-dict-inf", lambda: _sol().irf(shock="e", size={"e": inf}), DE, r"size of shock 'e' is inf"),
    ("irf-path-nan", lambda: _sol().irf(shocks=pd.DataFrame({"e": [1.0, nan]})), DE,
     r"irf path: NaN or infinite value for shock 'e' at period 1"),
    ("irf-path-array-inf", lambda: _sol().irf(shocks=np.array([[inf]])), DE, r"irf path: .*row 1, column 1"),
    ("irf-path-unknown", lambda: _sol().irf(shocks=pd.DataFrame({"u": [1.0]})), ME, r"unknown shock\(s\) in the path: u"),
    ("irf-unknown-shock", lambda: _sol().irf(shock="u"), ME, r"unknown shock 'u'"),
    ("sim-shocks-nan-cell", lambda: _sol().simulate(periods=3, shocks=pd.DataFrame({"e": [0.1, nan, 0.0]})), DE,
     r"simulate shocks: NaN or infinite value for shock 'e' at period 1"),
    ("sim-shocks-array-nan", lambda: _sol().simulate(periods=2, shocks=np.array([[0.0], [nan]])), DE,
     r"row 2, column 1"),
    ("sim-shocks-unknown", lambda: _sol().simulate(periods=2, shocks=pd.DataFrame({"u": [0.0, 0.0]})), ME,
     r"unknown shock\(s\) in shocks: u"),
    ("param-unknown", lambda: _model().set_param("zz", 1.0), GE, r"zz"),
    ("param-nan", lambda: _model().set_param("r", nan), DE, r"parameter 'r': nan is not a finite number"),
    ("param-setitem-inf", lambda: _model().__setitem__("r", inf), DE, r"parameter 'r': inf is not a finite"),
    ("param-text", lambda: _model().set_param("r", "high"), DE, r"'high' is not a number"),
    ("params-dict-nan", lambda: _model().set_params({"r": nan}), DE, r"parameter 'r'"),
    ("params-vector-nan", lambda: _model().set_params(np.array([nan])), DE, r"NaN or infinite: r"),
    ("diim-q0-nan-api", lambda: gs.dynamic_io.diim(_table(), q0={"agr": nan}), DE,
     r"q0: NaN or infinite value for 'agr'"),
    ("diim-resilience-inf", lambda: gs.dynamic_io.diim(_table(), q0={"agr": 0.1}, resilience=inf), DE,
     r"resilience: NaN or infinite"),
    ("osr-start-nan", lambda: gpolicy.optimal_simple_rule(_model(), {"y": 1.0}, param_names=["r"], start={"r": nan}),
     OE, r"starting point is not finite"),
    # ---- estimation
    ("est-inf-data", lambda: estimation.Estimator(dsge.Model.from_string(EST), _est_data().replace(
        _est_data().iloc[3, 0], inf)), DE, r"infinite value in the data \(row 4, column 1\)"),
    ("est-neg-inf-data", lambda: estimation.Estimator(dsge.Model.from_string(EST), pd.DataFrame({"y": [0.0, -inf]})),
     DE, r"row 2, column 1"),
    ("est-presample", lambda: _est(presample=40), DE, r"presample=40 leaves no observation in the 40 periods"),
    ("est-presample-more", lambda: _est(presample=99), DE, r"presample=99 leaves no observation"),
    ("est-presample-negative", lambda: _est(presample=-1), OE, r"presample must be >= 0"),
    ("est-missing-column", lambda: estimation.Estimator(dsge.Model.from_string(EST), pd.DataFrame({"z": [1.0]})),
     DE, r"no column\(s\) y"),
    ("est-empty-data", lambda: estimation.Estimator(dsge.Model.from_string(EST), pd.DataFrame({"y": []})), DE,
     r"empty"),
    ("mcmc-one-draw", _mcmc(draws=1), OE, r"keeps 1 draw per chain"),
    ("mcmc-two-draws-burnin", _mcmc(draws=2), OE, r"keeps 1 draw per chain"),
    ("mcmc-zero-chains", _mcmc(chains=0), OE, r"chains must be >= 1"),
    ("mcmc-zero-draws", _mcmc(draws=0), OE, r"draws must be >= 1"),
    ("mcmc-burnin-one", _mcmc(burnin=1.0), OE, r"burnin must be in \[0, 1\)"),
    ("mcmc-burnin-nan", _mcmc(burnin=nan), OE, r"burnin must be in \[0, 1\)"),
    ("mcmc-jscale-zero", _mcmc(jscale=0.0), OE, r"jscale must be positive"),
    ("mcmc-jscale-nan", _mcmc(jscale=nan), OE, r"jscale must be positive"),
    ("mcmc-cov-nan", _mcmc(proposal_cov=np.array([[nan, 0], [0, 1.0]])), DE, r"proposal covariance has NaN"),
    ("mcmc-cov-inf", _mcmc(proposal_cov=np.array([[inf, 0], [0, 1.0]])), GE, r"proposal covariance"),
    ("mcmc-cov-not-pd", _mcmc(proposal_cov=-np.eye(2)), OE, r"not positive definite"),
    ("mcmc-cov-shape", _mcmc(proposal_cov=np.eye(3)), DIM, r"must be 2x2"),
    ("mcmc-start-nan", _mcmc(start=np.array([nan, 1.0])), DE, r"start values are not finite"),
    ("mcmc-every-zero", _mcmc(checkpoint_every=0), OE, r"checkpoint_every must be >= 1"),
    ("mcmc-checkpoint-file", _mcmc(checkpoint_dir="/proc/version"), DE, r"cannot create the checkpoint folder"),
    # ---- policy
    ("osr-negative-weight", lambda: gpolicy.loss_weights(_model(), {"y": -1.0}), ME, r"negative weight -1 on 'y'"),
    ("osr-nan-weight", lambda: gpolicy.loss_weights(_model(), {"y": nan}), ME, r"weight of 'y' is nan"),
    ("osr-unknown-weight", lambda: gpolicy.loss_weights(_model(), {"q": 1.0}), ME, r"unknown variable 'q'"),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_bad_input(case):
    _, fn, exc, message = case
    with pytest.raises(exc, match=message):
        fn()


def test_osr_rejects_negative_and_indefinite_weights():
    text = ("var y i; varexo e; parameters a phi; a = 0.5; phi = 1.5;\n"
            "model; y = a*y(-1) - 0.1*i + e; i = phi*y; end;\nshocks; var e; stderr 1; end;\n")
    m = dsge.Model.from_string(text)
    names = list(m.core.endo_names)
    W = np.zeros((len(names), len(names)))
    W[0, 0] = -1.0
    with pytest.raises(ME, match="negative loss weight -1 on 'y'"):
        _core.policy.optimal_simple_rule(m.core, _core.policy.LossWeights(names, W),
                                         _core.policy.OsrOptions(params=["phi"]))
    W = np.array([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ME, match="not positive semidefinite"):
        _core.policy.optimal_simple_rule(m.core, _core.policy.LossWeights(names, W),
                                         _core.policy.OsrOptions(params=["phi"]))


def test_suite_size():
    # the reliability target: at least 150 table-driven cases across the CLI and the Python API
    assert len(CLI_CASES) + len(API_CASES) >= 150
