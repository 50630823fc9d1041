"""govsim._display: MCMC diagnostics against closed forms and independent numpy code, estimation
summary tables, and the HTML/text views of models, solutions and results."""
import os
import pathlib
import re
import sys

import numpy as np
import pandas as pd
import pytest

import govsim as gs
from govsim import _display as d

RNG_SEED = 20261204


def ar1(rho, chains, n, rng, shift=None):
    """Stationary AR(1) chains x_t = rho x_{t-1} + e_t, e ~ N(0, 1)."""
    e = rng.standard_normal((chains, n))
    x = np.empty((chains, n))
    x[:, 0] = e[:, 0] / np.sqrt(1.0 - rho ** 2)
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + e[:, t]
    if shift is not None:
        x += np.asarray(shift, float)[:, None]
    return x


# ---------------------------------------------------------------------------------- diagnostics
def test_autocovariance_matches_direct_sums():
    x = np.random.default_rng(1).standard_normal(257)
    y = x - x.mean()
    direct = np.array([np.dot(y[: len(y) - k], y[k:]) / len(y) for k in range(len(y))])
    assert np.allclose(d.autocovariance(x), direct, rtol=0, atol=1e-12)


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_ess_of_ar1_chains_matches_closed_form(rho):
    # ESS of an AR(1) with coefficient rho tends to N (1 - rho) / (1 + rho)
    rng = np.random.default_rng(RNG_SEED)
    m, n = 4, 20000
    x = ar1(rho, m, n, rng)
    expected = m * n * (1 - rho) / (1 + rho)
    assert d.effective_sample_size(x) == pytest.approx(expected, rel=0.08)
    # one long chain, not split, agrees too
    long = ar1(rho, 1, 100000, rng)[0]
    assert d.effective_sample_size(long, split=False) == pytest.approx(100000 * (1 - rho) / (1 + rho), rel=0.1)


def _ess_reference(chains):
    """Independent implementation: split chains, direct-sum autocovariances, Geyer's initial
    positive sequence made monotone (Gelman et al. 2013, 11.5)."""
    x = np.asarray(chains, float)
    half = x.shape[1] // 2
    x = np.vstack([x[:, :half], x[:, x.shape[1] - half:]])
    m, n = x.shape
    means = x.mean(axis=1)
    dev = x - means[:, None]
    s2 = (dev ** 2).sum(axis=1) / (n - 1)
    W = s2.mean()
    B = n * means.var(ddof=1)
    var_plus = (n - 1) / n * W + B / n
    rho = []
    for t in range(n):
        acov_t = np.mean([np.dot(dev[j, : n - t], dev[j, t:]) / n for j in range(m)])
        rho.append(1.0 - (W - acov_t) / var_plus)
    rho[0] = 1.0
    total, prev = 0.0, np.inf
    for k in range(0, n - 1, 2):
        p = rho[k] + rho[k + 1]
        if p <= 0:
            break
        prev = min(prev, p)
        total += prev
    return m * n / (2 * total - 1)


def test_ess_matches_independent_direct_computation():
    rng = np.random.default_rng(7)
    x = ar1(0.7, 3, 400, rng)
    assert d.effective_sample_size(x) == pytest.approx(_ess_reference(x), rel=1e-10)


def test_split_rhat_matches_formula_and_flags_shifted_chains():
    rng = np.random.default_rng(RNG_SEED + 1)
    same = ar1(0.5, 4, 5000, rng)
    r = d.split_rhat(same)
    # independent computation, BDA3 eq. (11.1)-(11.4) on the 8 half chains
    halves = np.vstack([same[:, :2500], same[:, 2500:]])
    n = halves.shape[1]
    W = np.mean([np.var(h, ddof=1) for h in halves])
    B = n * np.var([h.mean() for h in halves], ddof=1)
    assert r == pytest.approx(np.sqrt(((n - 1) / n * W + B / n) / W), rel=1e-12)
    assert abs(r - 1.0) < 0.01
    # two chains centred one standard deviation of the target apart
    sd = 1 / np.sqrt(1 - 0.5 ** 2)
    shifted = ar1(0.5, 4, 5000, rng, shift=[0, 0, 2 * sd, 2 * sd])
    assert d.split_rhat(shifted) > 1.1
    # a trend inside one chain is caught by the split
    trend = same[:1] + np.linspace(0, 6, 5000)[None, :]
    assert d.split_rhat(trend) > 1.1
    assert np.isnan(d.split_rhat(np.ones((2, 100))))


def _rank_rhat_reference(x):
    """Vehtari et al. (2021), section 4, written out with scipy: split, pooled average ranks,
    z = Phi^-1((r - 3/8) / (S + 1/4)), R-hat of z and of the folded draws, the larger one."""
    stats = pytest.importorskip("scipy.stats")
    from scipy.special import ndtri

    n = x.shape[1] // 2
    halves = np.vstack([x[:, :n], x[:, x.shape[1] - n:]])

    def z_scale(a):
        r = stats.rankdata(a, method="average").reshape(a.shape)
        return ndtri((r - 0.375) / (a.size + 0.25))

    def rhat(a):
        m = a.shape[1]
        W = np.mean([np.var(c, ddof=1) for c in a])
        B = m * np.var([c.mean() for c in a], ddof=1)
        return np.sqrt(((m - 1) / m * W + B / m) / W)

    return max(rhat(z_scale(halves)), rhat(z_scale(np.abs(halves - np.median(halves)))))


def test_rank_normalized_rhat_matches_paper_formulas():
    rng = np.random.default_rng(RNG_SEED + 5)
    same = ar1(0.5, 4, 2001, rng)  # odd length: the middle draw is dropped by the split
    r = d.rank_normalized_rhat(same)
    assert r == pytest.approx(_rank_rhat_reference(same), rel=1e-12)
    assert abs(r - 1.0) < 0.01
    # ties (a discrete quantity) get average ranks
    disc = np.round(same)
    assert d.rank_normalized_rhat(disc) == pytest.approx(_rank_rhat_reference(disc), rel=1e-12)
    # invariant to a monotone transformation, unlike the classic split R-hat
    assert d.rank_normalized_rhat(np.exp(3 * same)) == pytest.approx(r, rel=1e-12)
    assert d.split_rhat(np.exp(3 * same)) != pytest.approx(d.split_rhat(same), rel=1e-6)
    # same location, different scales: the classic R-hat misses it, the folded (tail) part flags it
    scaled = rng.standard_normal((4, 2000)) * np.array([1.0, 1.0, 4.0, 4.0])[:, None]
    assert d.split_rhat(scaled) < 1.01
    assert d.rank_normalized_rhat(scaled) > 1.05
    assert d.rank_normalized_rhat(scaled) == pytest.approx(_rank_rhat_reference(scaled), rel=1e-12)
    # shifted chains are flagged; Cauchy draws give a finite value near 1
    sd = 1 / np.sqrt(1 - 0.5 ** 2)
    assert d.rank_normalized_rhat(ar1(0.5, 4, 2000, rng, shift=[0, 0, 2 * sd, 2 * sd])) > 1.1
    cauchy = rng.standard_cauchy((4, 2000))
    assert abs(d.rank_normalized_rhat(cauchy) - 1.0) < 0.01
    assert np.isnan(d.rank_normalized_rhat(np.ones((2, 100))))
    assert np.isnan(d.rank_normalized_rhat(np.array([[1.0, np.nan, 2.0, 3.0, 4.0]])))


def test_rank_normalized_rhat_without_scipy_agrees(monkeypatch):
    x = ar1(0.3, 2, 300, np.random.default_rng(RNG_SEED + 6), shift=[0.0, 0.5])
    with_scipy = d.rank_normalized_rhat(x)
    monkeypatch.setitem(sys.modules, "scipy.special", None)  # the standard-library fallback
    assert d.rank_normalized_rhat(x) == pytest.approx(with_scipy, rel=1e-13)


def test_hpd_interval_closed_forms():
    rng = np.random.default_rng(3)
    z = rng.standard_normal(400000)
    lo, hi = d.hpd_interval(z, 0.9)
    assert lo == pytest.approx(-1.6448536, abs=0.015) and hi == pytest.approx(1.6448536, abs=0.015)
    # exponential(1): the 90% HPD interval is [0, -ln 0.1], the equal-tailed one [-ln .95, -ln .05]
    e = rng.exponential(1.0, 400000)
    lo, hi = d.hpd_interval(e, 0.9)
    assert lo == pytest.approx(0.0, abs=2e-3) and hi == pytest.approx(-np.log(0.1), abs=0.02)
    with pytest.raises(ValueError):
        d.hpd_interval(e, 1.5)


def test_posterior_summary_table():
    rng = np.random.default_rng(11)
    x = np.stack([ar1(0.6, 3, 3000, rng), rng.exponential(2.0, (3, 3000))], axis=2)
    idx = pd.MultiIndex.from_product([range(3), range(3000)], names=["chain", "draw"])
    draws = pd.DataFrame(x.reshape(-1, 2), index=idx, columns=["a", "b"])
    s = d.posterior_summary(draws, prob=0.9, burnin=0.5)
    assert list(s.columns) == ["mean", "sd", "median", "hpd90_lower", "hpd90_upper", "mcse_mean", "ess", "r_hat",
                               "rank_r_hat"]
    kept = x[:, 1500:, :]
    assert s.loc["a", "mean"] == pytest.approx(kept[:, :, 0].mean(), rel=1e-12)
    assert s.loc["b", "sd"] == pytest.approx(kept[:, :, 1].std(ddof=1), rel=1e-12)
    assert s.loc["a", "ess"] == pytest.approx(d.effective_sample_size(kept[:, :, 0]), rel=1e-12)
    assert s.loc["a", "r_hat"] == pytest.approx(d.split_rhat(kept[:, :, 0]), rel=1e-12)
    assert s.loc["b", "rank_r_hat"] == pytest.approx(d.rank_normalized_rhat(kept[:, :, 1]), rel=1e-12)
    assert s.attrs["chains"] == 3 and s.attrs["draws_per_chain"] == 1500 and "HPD" in s.attrs["description"]
    p = d.posterior_summary(draws, prob=0.95, interval="percentile", burnin=0.5)
    assert ["q2.5", "q97.5"] == [c for c in p.columns if c.startswith("q")]
    assert p.loc["b", "q97.5"] == pytest.approx(np.quantile(kept[:, :, 1].ravel(), 0.975), rel=1e-12)
    # HPD of a skewed posterior is shorter than the equal-tailed interval
    q = d.posterior_summary(draws, prob=0.9, interval="percentile", burnin=0.5)
    assert s.loc["b", "hpd90_upper"] - s.loc["b", "hpd90_lower"] < q.loc["b", "q95"] - q.loc["b", "q5"]
    with pytest.raises(ValueError):
        d.posterior_summary(draws, interval="central")


def test_mode_summary_normal_interval():
    mode = pd.DataFrame({"mode": [1.5, 0.2], "std": [0.1, 0.05]}, index=["a", "b"])
    s = d.mode_summary(mode, prob=0.95)
    assert s.loc["a", "normal95_lower"] == pytest.approx(1.5 - 1.959963985 * 0.1, rel=1e-9)
    assert s.loc["b", "normal95_upper"] == pytest.approx(0.2 + 1.959963985 * 0.05, rel=1e-9)
    assert s.loc["a", "t_ratio"] == pytest.approx(15.0)


# ---------------------------------------------------------------------------------- HTML views
def strip(html):
    return re.sub(r"<style>.*?</style>", "", html)


NK = """
var y pi i ud us um;
varexo eps_d eps_s eps_m;
parameters beta sigma kappa phi_pi phi_y rho_i rho_d rho_s rho_m;
beta = 0.99; sigma = 1.0; kappa = 0.17;
phi_pi = 1.5; phi_y = 0.125; rho_i = 0.8;
rho_d = 0.8; rho_s = 0.5; rho_m = 0.3;
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
varobs y pi i;
"""
PRIORS = """
estimated_params;
  phi_pi, gamma_pdf, 1.5, 0.25;
  rho_d, beta_pdf, 0.7, 0.1;
  stderr eps_d, inv_gamma_pdf, 1.0, 1.0;
end;
"""


def test_model_and_solution_html():
    m = gs.dsge.Model.from_string(NK, name="nk_small")
    h = strip(m._repr_html_())
    assert "nk_small" in h and ">6<" in h and "eps_d, eps_s, eps_m" in h and "<ol>" in h
    sol = m.solve()
    h = strip(sol._repr_html_())
    assert 'class="ok">Success' in h and "rho_d" not in h
    largest = max(a for a in sol.eigenvalues["modulus"] if a < 1)
    assert f"{largest:.6g}" in h
    assert f"{len(sol.state_names)}: " in h
    mo = sol.moments()
    h = strip(mo._repr_html_())
    assert f"{mo.std['y']:.6g}" in h and "variance decomposition" in h
    bad = m.copy()
    bad.set_param("phi_pi", 0.5)
    b = bad.solve(raise_on_failure=False)
    h = strip(b._repr_html_())
    assert 'class="bad">Indeterminate' in h and "Blanchard-Kahn" in h


def test_second_order_html():
    from govsim import nonlinear

    m = gs.dsge.Model.from_string(NK, name="nk_small")
    so = nonlinear.solve_second_order(m)
    h = strip(so._repr_html_())
    assert "Second-order solution" in h and 'class="ok">' in h and "ghs2" in h


@pytest.fixture(scope="module")
def estimated():
    from govsim import estimation

    m = gs.dsge.Model.from_string(NK, name="nk_small")
    data = m.solve().simulate(periods=150, seed=5, drop=50, deviations=True)[["y", "pi", "i"]]
    e = estimation.Estimator(gs.dsge.Model.from_string(NK + PRIORS, name="nk_small"), data)
    mode = e.mode()
    res = e.mcmc(chains=2, draws=800, seed=4, jscale=0.6)
    return e, mode, res


def test_estimation_mode_and_mcmc_summaries(estimated):
    e, mode, res = estimated
    assert "observations" in repr(e) and "150" in strip(e._repr_html_())
    s = mode.summary()
    assert list(s.columns)[:2] == ["mode", "sd"] and s.loc["phi_pi", "mode"] == mode.loc["phi_pi", "mode"]
    h = strip(mode._repr_html_())
    assert f"{mode.attrs['log_posterior']:.6g}" in h and "normal90_lower" in h
    draws, table, core = res  # unpacks as before
    assert draws.index.names == ["chain", "draw"] and list(table.columns)[0] == "mean"
    t = res.summary()
    assert list(t.columns) == ["mode", "mean", "sd", "median", "hpd90_lower", "hpd90_upper", "mcse_mean", "ess", "r_hat",
                               "rank_r_hat"]
    assert t.attrs["draws_per_chain"] == 400  # burn-in 0.5 dropped
    # the compiled sampler's own table uses the same kept draws: means agree
    assert np.allclose(t["mean"].to_numpy(), table["mean"].to_numpy(), rtol=1e-12)
    assert ((t["hpd90_lower"] < t["mean"]) & (t["mean"] < t["hpd90_upper"])).all()
    assert (t["ess"] > 5).all() and (t["ess"] < 800).all()
    h = strip(res._repr_html_())
    assert f"{t['ess'].min():.6g}" in h and f"{t['r_hat'].max():.6g}" in h and "HPD" in h
    assert f"{t['rank_r_hat'].max():.6g}" in h
    assert "split R-hat" in repr(res)
    p = res.summary(prob=0.8, interval="percentile")
    assert "q10" in p.columns and "q90" in p.columns
    assert set(e.priors()) == set(e.labels)


def test_io_html():
    from govsim import dynamic_io as dio

    rng = np.random.default_rng(2)
    n = 5
    t = gs.io.IOTable(rng.uniform(0, 10, (n, n)), rng.uniform(50, 100, (n, 2)),
                      sectors=[f"s{i}" for i in range(n)], unit="EUR m")
    h = strip(t._repr_html_())
    assert "EUR m" in h and f"{t.x.sum():.6g}" in h and ">5<" in h
    p = dio.diim(t, perturbation={"s1": 0.05}, resilience=0.1, times=range(0, 30))
    h = strip(p._repr_html_())
    assert 'class="ok">' in h and f"{p.cumulative_loss.sum():.6g}" in h and "s1" in h


def test_perfect_foresight_html():
    from govsim import nonlinear

    m = gs.dsge.Model.from_string("""
var c k; varexo e; parameters alpha beta delta; alpha = 0.33; beta = 0.99; delta = 0.025;
model;
  1/c = beta/c(+1)*(alpha*exp(e)*k^(alpha-1) + 1 - delta);
  k = exp(e(-1))*k(-1)^alpha - c + (1 - delta)*k(-1);
end;
steady_state_model;
  k = ((1/beta - 1 + delta)/alpha)^(1/(alpha - 1)); c = k^alpha - delta*k;
end;
""", name="rbc_small")
    pf = nonlinear.perfect_foresight(m, periods=40, shocks={"e": {1: 0.01}})
    h = strip(pf._repr_html_())
    assert 'class="ok">' in h and "40 simulated" in h and f"{pf.max_residual:.6g}" in h


def test_occbin_html():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from test_nonlinear_pf import SMALL

    small = gs.dsge.Model.from_string(SMALL, name="small_zlb")
    ob = gs.nonlinear.occbin(small, "R", "Rn", 0.0, periods=60, shocks={"e": {1: -0.03, 2: -0.01}})
    h = strip(ob._repr_html_())
    bp = ob.binding_periods
    assert 'class="ok">' in h and f"{len(bp)} period(s): {bp[0]}" in h
    assert d._periods_text([1, 2, 3, 7, 9, 10]) == "1-3, 7, 9-10" and d._periods_text([]) == "none"


def test_policy_results_html_and_repr():
    from govsim import policy

    m = gs.dsge.Model.from_string(NK + "\noptim_weights; pi 1; y 0.25; end;\nosr_params phi_pi phi_y;\n",
                                  name="nk_osr")
    r = policy.optimal_simple_rule(m, bounds={"phi_pi": (1.01, 5.0), "phi_y": (0.0, 2.0)})
    h = strip(r._repr_html_())
    assert f"{r.loss:.6g}" in h and f"{r.loss_start:.6g}" in h and "phi_pi" in h
    assert f"{100 * (r.loss / r.loss_start - 1):+.2f}%" in h
    text = repr(r)
    assert text.startswith("<OsrResult>") and "phi_y" in text and "covariance" not in text
    q = policy.minimize(lambda x: float((x[0] - 1) ** 2 + 2), [0.0], algorithm="lbfgs")
    assert "objective" in strip(q._repr_html_()) and f"{q.f:.6g}" in repr(q)


# ---- .mod file runs and network sweeps ----------------------------------------------------------
def _text(html):
    """Visible text of an HTML repr, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", strip(html)))


def _g(v):
    return f"{float(v):.6g}"


def test_run_result_html_per_command():
    root = pathlib.Path(__file__).resolve().parents[2]
    r = gs.dsge.run(str(root / "examples" / "models" / "nk_demand.mod"))
    t = _text(r._repr_html_())
    assert "Run of a .mod file status ok commands 3" in t
    assert "1. steady (line 45): Success" in t and "2. check (line 46): Success" in t
    chk = r.of("check")[0]
    assert f"explosive eigenvalues {chk.n_explosive} forward-looking variables {chk.n_forward} " \
           "Blanchard-Kahn satisfied" in t
    assert "3. stoch_simul (line 48): Success" in t and "order 1 variables listed y, pi, i, r" in t
    # decision rule: the lagged states then the shocks, rows = the listed variables
    ghx, ghu = r.ghx(), r.ghu()
    head = " ".join(f"{c}(-1)" for c in ghx.columns) + " " + " ".join(ghu.columns)
    assert head in t
    row_y = " ".join(_g(v) for v in list(ghx.loc["y"]) + list(ghu.loc["y"]))
    assert f"y {row_y} pi" in t
    mo = r.moments()
    for v in ("y", "pi", "i", "r"):
        assert f"{v} {_g(mo.loc[v, 'mean'])} {_g(mo.loc[v, 'std'])} {_g(mo.loc[v, 'variance'])}" in t
    ss = r.steady_state
    assert "steady state steady_state " + " ".join(f"{k} {_g(v)}" for k, v in ss.items()) in t

    # a run that stops: the status names the failure and the message is shown
    m = gs.dsge.Model.from_file(str(root / "examples" / "models" / "nk_demand.mod"))
    m["phi_pi"] = 0.5  # indeterminate
    bad = gs.dsge.run(m, raise_on_failure=False)
    assert not bad.ok()
    h = bad._repr_html_()
    assert 'class="bad">' + bad.failure.name in h
    assert gs._display.esc(bad.error_message) in h


def test_run_result_html_estimation_and_discretion():
    root = pathlib.Path(__file__).resolve().parents[2]
    here = os.getcwd()
    os.chdir(root / "examples" / "estimation")  # datafile= is read beside the .mod file
    try:
        r = gs.dsge.run("nk_est.mod")
    finally:
        os.chdir(here)
    t = _text(r._repr_html_())
    e = r.of("estimation")[0]
    assert f"method posterior mode log posterior {_g(e.mode.log_posterior)}" in t
    mode = r.estimation_mode()
    for k in mode.index:
        assert f"{k} {_g(mode.loc[k, 'mode'])} {_g(mode.loc[k, 'std'])}" in t
    p = gs.dsge.run(str(root / "examples" / "optimal_policy" / "nk_costpush_policy.mod"))
    t = _text(p._repr_html_())
    d = [c for c in p.core.results if type(c).__name__ == "DiscretionRunResult"][0]
    assert f"instruments i iterations {d.result.iterations} planner objective (unconditional) " \
           f"{_g(d.result.objective.unconditional)}" in t
    # the stoch_simul-like result the command records has its decision rule and moments too
    assert "2. discretionary_policy (line 24): Success" in t and "decision rule" in t and "moments" in t


def test_sweep_result_html():
    spec = {"model": {"sectors": 6, "theta": 0.75},
            "scenarios": {"monetary": {"e_m": 0.0025}, "mixed": {"e_m": 0.001, "e_g_GOV": 0.01}},
            "rules": {"phi_pi": [1.5, 2.5], "phi_y": [0.0, 0.25]}, "draws": {"n": 2, "seed": 3, "theta": [0.5, 0.9]}}
    res = gs.network.sweep(spec)
    t = _text(res._repr_html_())
    tab = res.table
    assert "Network policy sweep status complete" in t and f"evaluations {len(tab)} of {len(tab)}" in t
    assert "scenarios monetary, mixed" in t and "failed evaluations 0" in t
    g = tab.groupby(["scenario", "phi_pi", "phi_y"], sort=False)["loss"].mean()
    for sc in ("monetary", "mixed"):
        best = g.loc[sc].idxmin()
        assert f"best rule for {sc} phi_pi={_g(best[0])}, phi_y={_g(best[1])} (mean loss {_g(g.loc[sc].min())})" in t
    # the table by scenario and rule: evaluations, failures, mean / min / max loss over the draws
    s = gs._display.sweep_summary(res)
    row = s.loc[("mixed", 2.5, 0.25)]
    one = tab[(tab.scenario == "mixed") & (tab.phi_pi == 2.5) & (tab.phi_y == 0.25)]["loss"]
    assert row["evaluations"] == 2 and row["failed"] == 0
    assert row["mean loss"] == pytest.approx(one.mean(), rel=1e-15) and row["max loss"] == one.max()
    assert f"{_g(row['mean loss'])} {_g(row['min loss'])} {_g(row['max loss'])}" in t
    # an interrupted sweep with a failed evaluation says so
    part = gs.network.SweepResult(tab.iloc[:5].assign(status=["Success"] * 4 + ["Indeterminate"]),
                                  dict(res.info, tasks_done=5, interrupted=True))
    h = part._repr_html_()
    assert 'class="bad">interrupted' in h and "failed evaluations 1" in _text(h)
    assert f"evaluations 5 of {len(tab)}" in _text(h)
