"""govsim.dsge first-order solution layer: labelled frames, IRF conventions, failures, threads."""
import concurrent.futures as cf

import numpy as np
import pandas as pd
import pytest

import govsim
from govsim import _core
from govsim.dsge import PerturbationResult, Model

NK3 = """
var y pi i ud us um;
varexo eps_d eps_s eps_m;
parameters beta sigma varphi theta kappa phi_pi phi_y rho_i rho_d rho_s rho_m;
beta = 0.99; sigma = 1.0; varphi = 1.0; theta = 0.75;
kappa = (1-theta)*(1-beta*theta)/theta*(sigma+varphi);
phi_pi = 1.5; phi_y = 0.125; rho_i = 0.8; rho_d = 0.8; rho_s = 0.5; rho_m = 0.3;
model(linear);
  y  = y(+1) - (1/sigma)*(i - pi(+1)) + ud;
  pi = beta*pi(+1) + kappa*y + us;
  i  = rho_i*i(-1) + (1-rho_i)*(phi_pi*pi + phi_y*y) + um;
  ud = rho_d*ud(-1) + eps_d;
  us = rho_s*us(-1) + eps_s;
  um = rho_m*um(-1) + eps_m;
end;
shocks;
  var eps_d; stderr 1.0;
  var eps_s; stderr 0.5;
  var eps_m; stderr 0.25;
end;
"""

RBC_LEAD2 = """
var c k z;
varexo e;
parameters alpha beta delta rho;
alpha = 0.33; beta = 0.99; delta = 0.025; rho = 0.9;
model;
  1/c = beta/c(+1)*(alpha*exp(z(+1))*k^(alpha-1) + 1 - delta);
  k = exp(z)*k(-1)^alpha + (1-delta)*k(-1) - c;
  z = rho*z(-1) + e;
end;
initval; k = 30; c = 2; z = 0; end;
shocks; var e; stderr 0.01; end;
"""


@pytest.fixture(scope="module")
def nk3():
    return Model.from_string(NK3, "nk3.mod")


@pytest.fixture(scope="module")
def sol(nk3):
    return nk3.solve()


def test_labelled_frames(sol, nk3):
    assert isinstance(sol, PerturbationResult)
    assert sol.status == govsim.Status.Success
    assert list(sol.ghx.index) == nk3.declared_endo_names == ["y", "pi", "i", "ud", "us", "um"]
    assert list(sol.ghx.columns) == sol.state_names == ["i", "ud", "us", "um"]
    assert list(sol.ghu.columns) == ["eps_d", "eps_s", "eps_m"]
    assert list(sol.eigenvalues.columns) == ["real", "imag", "modulus"]
    assert (sol.eigenvalues["modulus"] > 1 + 1e-6).sum() == sol.n_explosive == sol.n_forward == 2
    # AR(1) blocks are exact
    assert sol.ghx.loc["ud", "ud"] == pytest.approx(0.8)
    assert sol.ghu.loc["um", "eps_m"] == pytest.approx(1.0)
    np.testing.assert_array_equal(sol.ghx.to_numpy(), np.asarray(sol.core.ghx)[:6])


def test_irf_one_std_matches_core(sol):
    irf = sol.irf(periods=30)
    assert isinstance(irf.columns, pd.MultiIndex)
    assert list(irf.columns.names) == ["shock", "variable"]
    assert irf.shape == (30, 18)
    assert irf.index[0] == 1  # period 1 = impact
    core = _core.dsge.impulse_responses(sol.core, _core.dsge.IrfOptions(periods=30))
    for s in sol.exo_names:
        np.testing.assert_array_equal(irf[s].to_numpy(), np.asarray(core.response(s)))
    # impact = ghu * std (diagonal Sigma_e), then y_t = A y_{t-1}
    std = np.sqrt(np.diag(sol.core.Sigma_e))
    np.testing.assert_allclose(irf["eps_s"].iloc[0].to_numpy(), sol.ghu["eps_s"].to_numpy() * std[1], rtol=1e-12,
                               atol=1e-14)
    A = np.asarray(sol.core.A)
    np.testing.assert_allclose(irf["eps_d"].iloc[1].to_numpy(), A @ irf["eps_d"].iloc[0].to_numpy(), atol=1e-13)


def test_irf_sized_single_and_path(sol):
    one = sol.irf(shock="eps_m")
    assert list(one.columns) == sol.endo_names
    sized = sol.irf(shock="eps_m", size=1.0)
    np.testing.assert_allclose(sized.to_numpy(), one.to_numpy() / 0.25, rtol=1e-10, atol=1e-14)
    by_dict = sol.irf(size={"eps_d": -2.0}, as_dict=True)
    np.testing.assert_allclose(by_dict["eps_d"].iloc[0].to_numpy(), -2.0 * sol.ghu["eps_d"].to_numpy(), atol=1e-13)
    # a path of four equal impulses equals the sum of shifted unit responses
    path = pd.DataFrame({"eps_d": [0.5] * 4})
    r = sol.irf(shocks=path, periods=12)
    unit = sol.irf(shock="eps_d", size=0.5, periods=12).to_numpy()
    expect = sum(np.vstack([np.zeros((k, unit.shape[1])), unit[: 12 - k]]) for k in range(4))
    np.testing.assert_allclose(r.to_numpy(), expect, atol=1e-12)
    with pytest.raises(govsim.ModelError):
        sol.irf(shocks=pd.DataFrame({"nope": [1.0]}))
    with pytest.raises(govsim.ModelError):
        sol.irf(shock="nope")


def test_irf_shock_path_is_named_shocks(sol):
    """shocks= is the shock-path name across the API; path= still works for one release, with a warning."""
    path = pd.DataFrame({"eps_d": [0.5, 0.25]})
    new = sol.irf(shocks=path, periods=6)
    with pytest.warns(DeprecationWarning, match="shocks="):
        old = sol.irf(path=path, periods=6)
    np.testing.assert_array_equal(new.to_numpy(), old.to_numpy())
    with pytest.raises(govsim.OptionsError, match="select shocks by name with shock="):
        sol.irf(shocks="eps_d")
    with pytest.raises(govsim.OptionsError, match="not both"):
        sol.irf(shocks=path, path=path)


def test_moments_and_decompositions(sol):
    m = sol.moments(ar=3)
    assert list(m.var.index) == sol.endo_names
    assert m.var.loc["ud", "ud"] == pytest.approx(1.0 / (1 - 0.8 ** 2))
    assert sorted(m.autocorrelation) == [1, 2, 3]
    assert m.autocorr.loc["ud", 2] == pytest.approx(0.64)
    assert np.allclose(np.diag(m.correlation), 1.0)
    vd = sol.variance_decomposition()
    assert list(vd.columns) == sol.exo_names
    np.testing.assert_allclose(vd.sum(axis=1), 100.0)
    cvd = sol.conditional_variance_decomposition([1, 4, 40])
    assert list(cvd.index.names) == ["horizon", "variable"]
    np.testing.assert_allclose(cvd.sum(axis=1), 100.0)
    # converges to the unconditional decomposition
    far = sol.conditional_variance_decomposition([2000]).loc[2000]
    np.testing.assert_allclose(far.to_numpy(), vd.to_numpy(), atol=1e-6)


def test_simulate_seeded(sol):
    a = sol.simulate(50, seed=7)
    b = sol.simulate(50, seed=7)
    c = sol.simulate(50, seed=8)
    assert a.shape == (50, 6) and list(a.columns) == sol.endo_names
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a.to_numpy(), c.to_numpy())
    assert list(a.attrs["shocks"].columns) == sol.exo_names


def test_indeterminate_raises_with_counts():
    m = Model.from_string(NK3, "nk3.mod")
    m.set_param("phi_pi", 0.5)
    with pytest.raises(govsim.SolveError) as e:
        m.solve()
    msg = str(e.value)
    assert "Indeterminate" in msg and "1 eigenvalue(s) larger than 1" in msg and "2 forward-looking" in msg
    s = m.solve(raise_on_failure=False)
    assert s.status == govsim.Status.Indeterminate and not s.ok()
    assert s.n_explosive == 1 and s.n_forward == 2
    with pytest.raises(govsim.SolveError):
        s.irf()


def test_unit_root_moments_reported():
    m = Model.from_string(NK3, "nk3.mod")
    m.set_param("rho_d", 1.0)
    s = m.solve()  # a unit root counts as stable (|lambda| < 1 + 1e-6), as in Dynare
    assert s.ok()
    assert s.eigenvalues["modulus"].sub(1.0).abs().min() < 1e-8
    mo = s.moments()  # as Dynare: the stationary variables' moments, NaN for the others
    assert not mo.stationary.all() and mo.stationary.any()
    for v in mo.var_list:
        assert np.isnan(mo.var.loc[v, v]) == (not mo.stationary[v])
    assert s.irf(shock="eps_d")["ud"].iloc[-1] == pytest.approx(1.0)  # the shock never dies out


def test_nonlinear_model_with_aux_free_solution():
    m = Model.from_string(RBC_LEAD2, "rbc2.mod")
    s = m.solve()
    assert set(s.state_names) == {"k", "z"}
    assert s.irf(shock="e").loc[1, "z"] == pytest.approx(0.01)


def test_solve_order_2_is_the_second_order_solver(nk3):
    so = nk3.solve(order=2)
    ref = govsim.nonlinear.solve_second_order(nk3)
    assert type(so).__name__ == "SecondOrderResult" and so.ok()
    np.testing.assert_array_equal(so.ghxx.to_numpy(), ref.ghxx.to_numpy())
    np.testing.assert_array_equal(so.ghs2.to_numpy(), ref.ghs2.to_numpy())
    # the first-order block is the first-order solution
    np.testing.assert_allclose(so.ghx.to_numpy(), nk3.solve().ghx.to_numpy(), rtol=0, atol=1e-12)
    for bad in (0, 3, 1.5):
        with pytest.raises(govsim.OptionsError):
            nk3.solve(order=bad)


def test_params_assignment_writes_through_or_raises(nk3):
    m = nk3.copy()
    name = m.param_names[0]
    old = m.params[name]
    m.params[name] = old + 0.01
    assert m.param(name) == old + 0.01 and m.params[name] == old + 0.01
    setattr(m.params, name, old + 0.02)
    assert m.param(name) == old + 0.02
    m.params.loc[name] = old + 0.03
    assert m.param(name) == old + 0.03
    m.params.iloc[0] = old + 0.04
    assert m.param(name) == old + 0.04
    two = m.param_names[:2]
    m.params[two] = [1.25, 1.5]
    assert [m.param(k) for k in two] == [1.25, 1.5]
    with pytest.raises(govsim.ModelError, match="unknown parameter 'no_such_param'"):
        m.params["no_such_param"] = 1.0
    with pytest.raises(govsim.ModelError):
        m.params.loc["no_such_param"] = 1.0
    assert "no_such_param" not in m.param_names
    # derived Series are plain and detached: changing them leaves the model alone
    d = m.params * 2
    assert type(d) is pd.Series
    d[name] = -1.0
    c = m.params.copy()
    c[name] = -2.0
    assert m.param(name) == 1.25


def test_threads_identical(nk3):
    ref = nk3.solve()
    ref_irf = ref.irf()
    ref_var = ref.moments().var

    def work(_):
        s = nk3.solve()
        return s.ghx, s.ghu, s.irf(), s.moments().var

    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(work, range(32)))
    for ghx, ghu, irf, var in results:
        pd.testing.assert_frame_equal(ghx, ref.ghx, check_exact=True)
        pd.testing.assert_frame_equal(ghu, ref.ghu, check_exact=True)
        pd.testing.assert_frame_equal(irf, ref_irf, check_exact=True)
        pd.testing.assert_frame_equal(var, ref_var, check_exact=True)


def test_plot_irf(sol, tmp_path):
    pytest.importorskip("matplotlib")
    from govsim.plotting import plot_irf

    fig = plot_irf(sol.irf(periods=12), variables=["y", "pi", "i"], path=tmp_path / "irf.png")
    assert len([a for a in fig.axes if a.get_visible()]) == 3
    assert (tmp_path / "irf.png").stat().st_size > 1000
    fig2 = plot_irf(sol.irf(shock="eps_d"), ncols=2)
    assert len([a for a in fig2.axes if a.get_visible()]) == 6
    import matplotlib.pyplot as plt

    plt.close(fig)
    plt.close(fig2)


def test_python_classes_carry_the_cpp_names():
    import warnings

    from govsim import dynamic_io, estimation, nonlinear, policy

    pairs = [(govsim.dsge, "FirstOrderSolution", "PerturbationResult"), (govsim.dsge, "Moments", "MomentsResult"),
             (estimation, "Estimation", "Estimator"), (nonlinear, "SecondOrderSolution", "SecondOrderResult"),
             (nonlinear, "PerfectForesightSolution", "PerfectForesightResult"),
             (nonlinear, "OccBinSolution", "OccBinResult"), (nonlinear, "PolicyComparison", "ScenarioComparison"),
             (policy, "MinimizeOutcome", "MinimizeResult"), (dynamic_io, "DiimPaths", "DiimResult"),
             (dynamic_io, "ArioRun", "ArioResult")]
    for mod, old, new in pairs:
        with pytest.warns(DeprecationWarning, match=new):
            alias = getattr(mod, old)
        assert alias is getattr(mod, new)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(Model.from_string(NK3).solve(),
                          govsim.dsge.PerturbationResult)
    with pytest.raises(AttributeError):
        govsim.dsge.NoSuchThing


def test_solve_loglinear_rules_in_logs():
    # log y = 0.1 + 0.9 log y(-1) + e and log c = log 0.5 + log y: exact in logs (Dynare's loglinear)
    m = Model.from_string("var y c; varexo e; parameters rho; rho = 0.9;\nmodel;\n  y = exp(0.1)*y(-1)^rho*exp(e);\n"
                          "  c = 0.5*y;\nend;\ninitval; y = 1; c = 0.5; end;\nshocks; var e; stderr 0.01; end;\n",
                          "ll.mod")
    s = m.solve(loglinear=True)
    assert s.steady_state.to_numpy() == pytest.approx([1.0, 1.0 + np.log(0.5)], rel=1e-12)
    assert s.ghx.loc["c", "y"] == pytest.approx(0.9, rel=1e-12) and s.ghu.loc["y", "e"] == pytest.approx(1.0, rel=1e-12)
    level = m.solve()
    assert level.ghx.loc["c", "y"] == pytest.approx(0.5 * 0.9, rel=1e-12)  # dc/dy(-1) in levels
    assert s.moments().var.loc["y", "y"] == pytest.approx(1e-4 / (1 - 0.81), rel=1e-10)
    with pytest.raises(govsim.OptionsError):
        m.solve(order=2, loglinear=True)
