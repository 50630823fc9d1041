"""govsim.dsge: .mod reader, steady state, derivatives and builder from Python."""
import math
import os
import pathlib

import numpy as np
import pandas as pd
import pytest

from govsim import _core
from govsim import dsge

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "models"
SHARED = pathlib.Path(os.environ.get("GOVSIM_SHARED_DIR", ROOT.parent / "shared"))
DYNARE = SHARED / "reference" / "dynare"

RBC = (FIXTURES / "rbc_ssm.mod").read_text() + "stoch_simul(order=1, irf=40) y c;\n"


def test_from_string_params_and_steady_state():
    m = dsge.Model.from_string(RBC, "rbc.mod")
    assert m.endo_names == ["y", "c", "k", "i", "l", "r", "w", "z"]
    assert isinstance(m.params, pd.Series)
    assert m.params["beta"] == 0.99
    ss = m.steady_state()
    assert isinstance(ss, pd.Series)
    assert list(ss.index) == m.endo_names
    assert ss["y"] == pytest.approx(1.27692072575306, rel=1e-12)
    m.set_param("beta", 0.98)
    m["delta"] = 0.03
    assert m.steady_state()["r"] == pytest.approx(1 / 0.98 - 1 + 0.03)
    assert m.static_residuals().abs().max() < 1e-12
    assert m.Sigma_e.loc["e", "e"] == pytest.approx(1e-4)
    cmd = m.commands[0]
    assert cmd.name == "stoch_simul"
    assert cmd.options == [("order", "1"), ("irf", "40")]
    assert list(cmd.args) == ["y", "c"]
    assert "Model('rbc'" in repr(m)
    assert "<ol>" in m._repr_html_()


def test_jacobians_are_labelled():
    m = dsge.Model.from_string(RBC, "rbc.mod")
    J = m.dynamic_jacobian()
    assert list(J.columns[:2]) == ["k(-1)", "z(-1)"]
    assert J.columns[-1] == "e"
    lm = m.linearize()
    np.testing.assert_allclose(lm.jacobian, J.to_numpy())
    assert list(lm.lagged) == [2, 7]
    d = m.derivatives(order=2)
    v = d.evaluate(m.core.dynamic_point(np.asarray(m.steady_state(include_auxiliary=True))), np.asarray(m.core.params))
    np.testing.assert_allclose(v.jacobian, J.to_numpy(), atol=1e-14)
    assert v.hessian.nnz() > 0


def test_errors_are_typed():
    with pytest.raises(_core.ParseError) as e:
        dsge.Model.from_string("var y;\nparameters kappa;\nkappa = 1;\nmodel;\n y = kapa*y(-1);\nend;\n", "nk3.mod")
    assert "unknown symbol 'kapa' (did you mean 'kappa'?) at nk3.mod:5:6" in str(e.value)
    assert isinstance(e.value, _core.GovsimError)
    with pytest.raises(_core.ModelError):
        dsge.Model.from_string("var y x;\nmodel;\n y = 1;\nend;\n")
    bad = dsge.Model.from_string("var x;\nmodel;\n x^2 + 1 = 0;\nend;\ninitval; x = 1; end;\n")
    with pytest.raises(_core.SolveError):
        bad.steady_state()
    r = bad.steady_state_result()
    assert not r.ok() and r.worst_equations


def test_warnings_for_unknown_commands():
    m = dsge.Model.from_string("var y;\nmodel; y = 0; end;\nfoo_bar(x=1);\n", "w.mod")
    assert m.warnings == ["unknown command 'foo_bar' ignored at w.mod:3:1"]


def test_fixtures_and_defines():
    m = dsge.Model.from_file(FIXTURES / "macro_sectors.mod")
    assert m.endo_names == ["q_agr", "q_man", "q_ser"]
    src = "@#ifndef N\n@#define N = 2\n@#endif\nvar\n@#for i in 1:N\n x@{i}\n@#endfor\n;\nmodel;\n@#for i in 1:N\n x@{i} = 0;\n@#endfor\nend;\n"
    assert dsge.Model.from_string(src).core.n_endo == 2
    assert dsge.Model.from_string(src, defines={"N": 4}).core.n_endo == 4


def test_builder():
    b = dsge.ModelBuilder("two")
    b.endogenous("a").endogenous("b").exogenous("e").parameter("rho", 0.5)
    b.equation("a = rho*a(-1) + e", "a_eq").equation("b = a + a(-2)")
    b.shock_stderr("e", 0.1)
    m = b.build()
    assert m.core.n_endo == 3  # one auxiliary for a(-2)
    assert m.equation_labels[0] == "a_eq"
    assert m.steady_state().abs().max() < 1e-14
    assert "model;" in b.mod_text()


@pytest.mark.skipif(not DYNARE.is_dir(), reason="../shared/reference/dynare not available")
def test_reference_models_steady_state():
    import json
    for case in ["nk3", "rbc"]:
        ref = json.loads((DYNARE / "cases" / case / "ref.json").read_text())
        m = dsge.Model.from_file(DYNARE / "cases" / case / "model.mod")
        ss = m.steady_state()
        np.testing.assert_allclose(ss.to_numpy(), np.array(ref["steady_state"], dtype=float), atol=1e-10, rtol=0)
    for f in sorted((DYNARE / "models").glob("*.mod")):
        m = dsge.Model.from_file(f)
        assert m.steady_state_result().ok(), f
