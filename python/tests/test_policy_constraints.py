"""Nonlinear constraints and analytic gradients in govsim.policy (minimize, optimal_simple_rule)."""
import os
from pathlib import Path

import numpy as np
import pytest

from govsim import _core, dsge, policy

ROOT = Path(__file__).resolve().parents[2]
DEMAND = ROOT / "examples" / "models" / "nk_demand.mod"


def quad(x):
    return (x[0] - 2.0) ** 2 + (x[1] - 1.0) ** 2


def quad_grad(x):
    return np.array([2 * (x[0] - 2.0), 2 * (x[1] - 1.0)])


@pytest.mark.parametrize("algorithm", ["auto", "cobyla", "slsqp", "mma", "auglag"])
def test_constrained_quadratic_active_inequality(algorithm):
    # min (x-2)^2 + (y-1)^2  s.t.  x + y <= 1  ->  (1, 0), f = 2, constraint active
    # MMA's conservative approximations approach the boundary slowly with difference gradients
    con = {"fun": lambda p: p.x + p.y - 1.0, "name": "sum"}
    if algorithm == "mma":
        con["jac"] = lambda p: np.ones(2)
    r = policy.minimize(quad, {"x": 0.0, "y": 0.0}, algorithm=algorithm, constraints=con)
    assert r.ok(), r.summary()
    assert r.feasible
    assert r.x["x"] == pytest.approx(1.0, abs=1e-6)
    assert r.x["y"] == pytest.approx(0.0, abs=1e-6)
    assert r.f == pytest.approx(2.0, abs=1e-6)
    assert list(r.constraints.index) == ["sum"]
    assert r.constraints["sum"] <= 1e-8 and abs(r.constraints["sum"]) < 1e-6


def test_equality_constraint_with_jacobians():
    r = policy.minimize(quad, np.zeros(2), jac=quad_grad,
                        constraints=[{"fun": lambda x: x[0] - x[1] - 2.0, "type": "eq",
                                      "jac": lambda x: np.array([1.0, -1.0])}])
    assert r.ok(), r.summary()
    assert r.core.algorithm == "slsqp"
    np.testing.assert_allclose(r.x.to_numpy(), [2.5, 0.5], atol=1e-6)
    assert r.f == pytest.approx(0.5, abs=1e-6)


def test_analytic_gradient_fewer_evaluations():
    def rosen(x):
        return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2

    def rosen_both(x):
        g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
        return rosen(x), g

    fd = policy.minimize(rosen, [-1.2, 1.0], algorithm="lbfgs")
    an = policy.minimize(rosen_both, [-1.2, 1.0], algorithm="lbfgs", jac=True)
    assert an.ok(), an.summary()
    np.testing.assert_allclose(an.x.to_numpy(), [1.0, 1.0], atol=1e-6)
    assert an.evaluations < fd.evaluations
    # auto with a gradient picks lbfgs
    assert policy.minimize(rosen_both, [-1.2, 1.0], jac=True).core.algorithm == "lbfgs"


def test_bad_algorithm_and_specs_raise():
    con = lambda x: x[0] + x[1] - 1.0  # noqa: E731
    for alg in ("nelder-mead", "subplex", "lbfgs"):
        with pytest.raises(_core.OptionsError, match="cannot handle nonlinear constraints"):
            policy.minimize(quad, np.zeros(2), algorithm=alg, constraints=con)
    with pytest.raises(_core.OptionsError, match="inequality constraints only"):
        policy.minimize(quad, np.zeros(2), algorithm="mma", constraints={"fun": con, "type": "eq"})
    with pytest.raises(_core.OptionsError):
        policy.minimize(quad, np.zeros(2), constraints={"fun": con, "type": ">="})
    with pytest.raises(_core.OptionsError):
        policy.minimize(quad, np.zeros(2), constraints={"fun": con, "bogus": 1})
    # a wrong gradient shape is raised, not swallowed by NLopt
    with pytest.raises(_core.DimensionError):
        policy.minimize(quad, np.zeros(2), algorithm="lbfgs", jac=lambda x: np.zeros(3))


@pytest.fixture(scope="module")
def demand():
    if not DEMAND.exists():
        pytest.skip("examples/models/nk_demand.mod not found")
    return dsge.Model.from_file(str(DEMAND))


W = {"pi": 1.0, "y": 1.0, "i": 0.1}
B = {"phi_pi": (0.0, 10.0), "phi_y": (0.0, 10.0)}


def test_osr_binding_coefficient_constraint(demand):
    free = policy.optimal_simple_rule(demand, W, param_names=["phi_pi", "phi_y"], bounds=B)
    assert free.ok()
    assert free.params["phi_y"] > 0.6
    con = policy.optimal_simple_rule(demand, W, param_names=["phi_pi", "phi_y"], bounds=B,
                                     constraints=[{"fun": lambda p: p.phi_y - 0.5, "name": "phi_y cap"},
                                                  {"fun": lambda p: 1.0 + p.phi_y - p.phi_pi,
                                                   "name": "taylor margin"}])
    assert con.ok(), con.summary()
    assert con.feasible
    assert con.params["phi_y"] <= 0.5 + 1e-8
    assert con.params["phi_y"] == pytest.approx(0.5, abs=1e-6)
    assert con.loss >= free.loss
    assert list(con.constraints.index) == ["phi_y cap", "taylor margin"]
    assert con.constraints["taylor margin"] <= 1e-8
    assert con.core.algorithm == "cobyla"


def test_osr_moment_cap_and_python_loss(demand):
    free = policy.optimal_simple_rule(demand, W, param_names=["phi_pi", "phi_y"], bounds=B)
    cap = 0.8 * free.covariance.loc["i", "i"]

    def var_i(sol):
        return np.asarray(dsge.unconditional_covariance(sol.core).covariance)[
            list(sol.core.endo_names).index("i")] [list(sol.core.endo_names).index("i")] - cap

    spec = {"fun": var_i, "on": "solution", "name": "var(i) cap", "tol": 1e-9}
    r = policy.optimal_simple_rule(demand, W, param_names=["phi_pi", "phi_y"], bounds=B, constraints=spec)
    assert r.ok(), r.summary()
    assert r.covariance.loc["i", "i"] <= cap + 1e-8
    assert r.covariance.loc["i", "i"] == pytest.approx(cap, rel=1e-5)
    assert r.loss >= free.loss
    # same constraint through the Python-loss path agrees
    wl = policy.loss_weights(demand, W)
    r2 = policy.optimal_simple_rule(demand, param_names=["phi_pi", "phi_y"], bounds=B, constraints=spec,
                                    loss=lambda sol: policy._p.quadratic_loss(sol.core, wl))
    assert r2.ok(), r2.summary()
    assert r2.loss == pytest.approx(r.loss, rel=1e-6)
    assert r2.constraints["var(i) cap"] <= 1e-8
    with pytest.raises(_core.OptionsError):
        policy.optimal_simple_rule(demand, W, param_names=["phi_pi", "phi_y"], bounds=B, algorithm="subplex",
                                   constraints=spec)


def test_options_are_bound_structs_with_keyword_constructors():
    p = _core.policy
    o = p.MinimizeOptions(algorithm="cobyla", xtol_rel=1e-8, max_evaluations=50, seed=7)
    assert o.algorithm == p.Algorithm.cobyla and o.xtol_rel == 1e-8 and o.max_evaluations == 50 and o.seed == 7
    o.algorithm = "slsqp"  # names convert to the enum
    assert o.algorithm == p.Algorithm.slsqp
    o.lower = np.zeros(2)
    np.testing.assert_array_equal(o.lower, np.zeros(2))
    with pytest.raises(_core.OptionsError, match="unknown option 'xtol'"):
        p.MinimizeOptions(xtol=1e-3)
    with pytest.raises(TypeError):  # not an algorithm name
        p.MinimizeOptions(algorithm="simplex")
    c = p.Constraint(lambda x: x[0] + x[1] - 1.0, name="budget")
    assert c.name == "budget" and not c.equality and c.tolerance == 1e-8
    o.constraints = [c]
    r = p.minimize(lambda x: float((x[0] - 2) ** 2 + (x[1] - 2) ** 2), np.zeros(2),
                   p.MinimizeOptions(algorithm="cobyla", constraints=[c]))
    assert r.ok() and abs(r.x[0] - 0.5) < 1e-5 and abs(r.x[1] - 0.5) < 1e-5
    assert list(r.constraint_values) == pytest.approx([0.0], abs=1e-7)
    oo = p.OsrOptions(params=["phi_pi"], minimizer=p.MinimizeOptions(max_evaluations=10))
    assert oo.params == ["phi_pi"] and oo.minimizer.max_evaluations == 10 and not oo.objective
    oo.objective = lambda sol: 0.0
    assert oo.objective
    with pytest.raises(_core.OptionsError):
        oo.objective = 3


def test_python_errors_in_callbacks_propagate():
    def boom(x):
        raise KeyError("inside the objective")

    with pytest.raises(KeyError, match="inside the objective"):
        _core.policy.minimize(boom, np.zeros(2))
    with pytest.raises(ZeroDivisionError):
        policy.minimize(lambda x: float(np.sum(x ** 2)), np.ones(2), constraints=lambda x: 1 / 0)
