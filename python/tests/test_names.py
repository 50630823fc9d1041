"""One name per concept across the Python API: parameter *names* are ``param_names=`` (a list of
names), parameter *values* are ``params=`` (a mapping name -> value, as ``Model.params``); shock
paths are ``shocks=``, horizons ``periods=``, tolerances ``tolerance=``. Former names still work for
one release with a DeprecationWarning (govsim._deprecated.renamed_arguments)."""
import inspect
import os
import warnings

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import _deprecated, estimation, network, nonlinear, optimal_policy, plotting, policy

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")

# function -> {former name: current name}
RENAMED = {
    policy.optimal_simple_rule: {"params": "param_names"},
    policy.robust_rule: {"params": "param_names"},
    policy.frontier: {"params": "param_names"},
    plotting.plot_trace: {"params": "param_names"},
    plotting.plot_posterior: {"params": "param_names"},
    estimation.McmcResult.plot_trace: {"params": "param_names"},
    estimation.McmcResult.plot_posterior: {"params": "param_names"},
    network.compare_targets: {"params": "param_names"},
    optimal_policy.compare_policies: {"rule_params": "param_names"},
    optimal_policy.compare_policies_robust: {"rule_params": "param_names"},
    nonlinear.PerfectForesightResult.binding_periods: {"tol": "tolerance"},
}


@pytest.mark.parametrize("fn", list(RENAMED), ids=lambda f: f.__qualname__)
def test_renamed_arguments_are_declared(fn):
    sig = inspect.signature(fn)
    for old, new in RENAMED[fn].items():
        assert new in sig.parameters and old not in sig.parameters
    assert fn.__deprecated_arguments__ == RENAMED[fn]


def _public_callables():
    import govsim.dynamic_io
    import govsim.io
    for mod in (gs.dsge, govsim.io, govsim.dynamic_io, estimation, network, nonlinear, optimal_policy, plotting,
                policy):
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", "").split(".")[0] != "govsim":
                continue
            if inspect.isfunction(obj):
                yield f"{mod.__name__}.{name}", obj
            elif inspect.isclass(obj):
                for mname, meth in vars(obj).items():
                    if inspect.isfunction(meth) and not mname.startswith("_"):
                        yield f"{mod.__name__}.{name}.{mname}", meth


def test_params_means_values_and_param_names_means_names():
    seen = {"params": 0, "param_names": 0}
    for qual, fn in _public_callables():
        for p in inspect.signature(fn).parameters.values():
            ann = str(p.annotation)
            if p.name == "params":
                seen["params"] += 1
                assert "Sequence" not in ann, f"{qual}: params= takes values; a list of names is param_names="
            if p.name == "param_names":
                seen["param_names"] += 1
                assert "Mapping" not in ann, f"{qual}: param_names= takes names; values are params="
            assert p.name not in ("horizon", "n_periods", "shock_path", "tol", "rule_params", "io_table"), \
                f"{qual}: {p.name}= is not the API's name for it"
    assert seen["params"] >= 3 and seen["param_names"] >= 8


def test_renamed_arguments_decorator():
    @_deprecated.renamed_arguments(old="new")
    def f(a, new=None):
        return a, new

    with pytest.warns(DeprecationWarning, match=r"f\(old=\.\.\.\) is deprecated: use new="):
        assert f(1, old=2) == (1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(1, new=3) == (1, 3)
    with pytest.raises(TypeError, match="give new= .old= is its deprecated name., not both"):
        f(1, old=2, new=3)


def test_former_names_still_work():
    rng = np.random.default_rng(0)
    idx = pd.MultiIndex.from_product([range(2), range(50)], names=["chain", "draw"])
    d = pd.DataFrame({"a": rng.normal(size=100), "b": rng.normal(size=100)}, index=idx)
    with pytest.warns(DeprecationWarning, match="param_names"):
        fig = plotting.plot_trace(d, params=["b"])
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ["b"]

    m = gs.dsge.Model.from_file(os.path.join(ROOT, "examples", "models", "nk_demand.mod"))
    kw = dict(weights={"pi": 1.0, "y": 0.25, "i": 5.0}, bounds={"phi_pi": (1.0, 5.0), "phi_y": (0.0, 1.0)})
    new = policy.optimal_simple_rule(m, param_names=["phi_pi", "phi_y"], **kw)
    with pytest.warns(DeprecationWarning, match="optimal_simple_rule"):
        old = policy.optimal_simple_rule(m, params=["phi_pi", "phi_y"], **kw)
    pd.testing.assert_series_equal(old.params, new.params)

    pf = nonlinear.perfect_foresight(m, periods=20, shocks={"eps_d": {1: 1.0}})
    with pytest.warns(DeprecationWarning, match="tolerance"):
        assert pf.binding_periods("pi", 0.0, tol=1e3) == pf.binding_periods("pi", 0.0, tolerance=1e3)
