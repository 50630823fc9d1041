"""MCMC checkpoints: fingerprint of the inputs, per-line checksums, appended draws; estimation
edge cases (one-draw chains, presample, infinite data, bad proposals); progress callbacks; the
estimation options as bound C++ structs (KalmanOptions, ModeOptions, McmcOptions): keyword
constructors and replace() fill them in one place, the keyword conveniences of Estimator set their
fields, and both spellings give the same numbers."""
import os

import numpy as np
import pandas as pd
import pytest

from govsim import _core, dsge, estimation

MOD = """
var y; varexo e; parameters rho;
rho = 0.5;
model; y = rho*y(-1) + e; end;
shocks; var e; stderr 1; end;
varobs y;
estimated_params; rho, 0.5, -0.99, 0.99; stderr e, 1, 0.01, 10; end;
"""


def _data(n=80, rho=0.6, seed=0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = rho * y[t - 1] + rng.standard_normal()
    return pd.DataFrame({"y": y})


def _est(data=None, **kw):
    return estimation.Estimator(dsge.Model.from_string(MOD), _data() if data is None else data, **kw)


KW = dict(chains=2, seed=7, start=np.array([0.5, 1.0]), proposal_cov=np.diag([0.01, 0.01]), burnin=0.5)


def _fnv(text: str) -> str:
    h = 1469598103934665603
    for b in text.encode():
        h ^= b
        h = (h * 1099511628211) % (1 << 64)
    return f"{h:016x}"


def test_resume_appends_and_is_bit_exact(tmp_path):
    e = _est()
    full, _, _ = e.mcmc(draws=60, **KW)
    ck = str(tmp_path / "ck")
    e.mcmc(draws=30, checkpoint_dir=ck, checkpoint_every=10, **KW)
    lines30 = open(os.path.join(ck, "chain_0.ckpt")).read().splitlines()
    d, _, r = e.mcmc(draws=60, checkpoint_dir=ck, checkpoint_every=10, **KW)
    assert r.ok() and d.equals(full)
    lines60 = open(os.path.join(ck, "chain_0.ckpt")).read().splitlines()
    assert lines60[:len(lines30)] == lines30          # appended, not rewritten
    assert len(lines60) - len(lines30) == 30
    # an interrupted append (unfinished last line) is dropped and the chain continues exactly
    with open(os.path.join(ck, "chain_1.ckpt"), "r+") as f:
        text = f.read()
        f.seek(0)
        f.truncate()
        f.write(text[:-15])
    d2, _, r2 = e.mcmc(draws=60, checkpoint_dir=ck, checkpoint_every=10, **KW)
    assert r2.ok() and d2.equals(full)


def _checkpoint(tmp_path, e, draws=20):
    ck = str(tmp_path / "ck")
    e.mcmc(draws=draws, checkpoint_dir=ck, checkpoint_every=5, **KW)
    return ck, os.path.join(ck, "chain_0.ckpt")


def test_changed_inputs_are_named(tmp_path):
    e = _est()
    ck, _ = _checkpoint(tmp_path, e)
    other = _est(_data(seed=1))
    with pytest.raises(_core.DataError, match=r"other inputs: target \(model, parameters, priors, data"):
        other.mcmc(draws=40, checkpoint_dir=ck, **KW)
    kw = dict(KW, proposal_cov=np.diag([0.02, 0.01]))
    with pytest.raises(_core.DataError, match="proposal covariance"):
        e.mcmc(draws=40, checkpoint_dir=ck, **kw)
    kw = dict(KW, seed=8)
    with pytest.raises(_core.DataError, match=r"seed \(checkpoint 7, now 8\)"):
        e.mcmc(draws=40, checkpoint_dir=ck, **kw)
    with pytest.raises(_core.DataError, match=r"jscale"):
        e.mcmc(draws=40, checkpoint_dir=ck, jscale=0.3, **KW)
    with pytest.raises(_core.DataError, match="holds 20 draws, more than the 10 requested"):
        e.mcmc(draws=10, checkpoint_dir=ck, **KW)
    # resume=False starts afresh
    d, _, r = e.mcmc(draws=10, checkpoint_dir=ck, resume=False, **KW)
    assert r.ok() and len(d) == 20


def _edit_line(path, index, fn):
    lines = open(path).read().splitlines()
    lines[index] = fn(lines[index])
    open(path, "w").write("\n".join(lines) + "\n")


@pytest.mark.parametrize("edit, message", [
    (lambda l: l.replace("0x1", "0x2", 1), "checksum mismatch"),
    (lambda l: (lambda body: body + " " + _fnv(body))("d nan 0x1p+0 -0x1p+5 a"), "non-finite value"),
    (lambda l: (lambda body: body + " " + _fnv(body))("d 0x1.2p-1 0x1p+0 -0x1p+5 r"), "rejected draw differs"),
])
def test_corrupted_draws_are_errors(tmp_path, edit, message):
    e = _est()
    _, path = _checkpoint(tmp_path, e)
    _edit_line(path, -3, edit)
    with pytest.raises(_core.DataError, match=message):
        e.mcmc(draws=40, checkpoint_dir=str(tmp_path / "ck"), **KW)


def test_wrong_header_and_header_damage(tmp_path):
    e = _est()
    ck, path = _checkpoint(tmp_path, e)
    _edit_line(path, 0, lambda l: "govsim-mcmc 1")
    with pytest.raises(_core.DataError, match="not a govsim MCMC checkpoint"):
        e.mcmc(draws=40, checkpoint_dir=ck, **KW)
    ck, path = _checkpoint(tmp_path / "b", e)
    _edit_line(path, 3, lambda l: l + "0")
    with pytest.raises(_core.DataError, match="header|other inputs"):
        e.mcmc(draws=40, checkpoint_dir=ck, **KW)


def test_estimation_edge_cases():
    e = _est()
    with pytest.raises(_core.OptionsError, match="keeps 1 draw per chain; posterior summaries need at least 2"):
        e.mcmc(draws=1, **KW)
    d, s, r = e.mcmc(draws=4, **KW)               # the documented minimum: 2 kept draws
    assert r.ok() and s["mean"].notna().all()
    with pytest.raises(_core.DataError, match="proposal covariance has NaN"):
        e.mcmc(draws=10, **dict(KW, proposal_cov=np.array([[np.nan, 0], [0, 1.0]])))
    with pytest.raises(_core.DataError, match="start values are not finite"):
        e.mcmc(draws=10, **dict(KW, start=np.array([np.inf, 1.0])))
    bad = _data()
    bad.iloc[5, 0] = np.inf
    with pytest.raises(_core.DataError, match=r"infinite value in the data \(row 6, column 1\)"):
        _est(bad)
    with pytest.raises(_core.DataError, match="presample=80 leaves no observation in the 80 periods"):
        _est(presample=80)


def test_callbacks_returning_none_do_not_stop():
    e = _est()
    calls = []
    d, _, r = e.mcmc(draws=300, on_iteration=lambda info: calls.append(info.iteration), **KW)
    assert r.ok() and r.draws_done == 300 and calls
    d, _, r = e.mcmc(draws=300, on_iteration=lambda info: info.iteration < 100, **KW)
    assert r.status.name == "UserStopped" and r.draws_done < 300
    d, _, r = e.mcmc(draws=300, on_iteration=lambda info: np.bool_(info.iteration < 100), **KW)
    assert r.status.name == "UserStopped"
    m = e.mode(on_iteration=lambda info: None)
    assert m.attrs["status"] == "Success"


# ---- options structs ------------------------------------------------------------------------------
def _ar1_loglik(y, rho, sigma, presample):
    """Exact Gaussian AR(1) log-likelihood (stationary start), periods after `presample` (numpy)."""
    var = np.r_[sigma ** 2 / (1 - rho ** 2), np.full(len(y) - 1, sigma ** 2)]
    mean = np.r_[0.0, rho * y[:-1]]
    c = -0.5 * (np.log(2 * np.pi * var) + (y - mean) ** 2 / var)
    return float(c[presample:].sum())


def test_options_are_the_cpp_structs_with_keyword_constructors():
    o = estimation.McmcOptions(chains=3, draws=50, seed=9)
    assert (o.chains, o.draws, o.seed) == (3, 50, 9)
    d = estimation.McmcOptions()   # unset fields: the C++ defaults, not copies in the bindings
    assert (d.chains, d.draws, d.burnin, d.jscale, d.checkpoint_every, d.resume) == (2, 2000, 0.5, 0.2, 500, True)
    r = o.replace(draws=70)
    assert (r.chains, r.draws, r.seed) == (3, 70, 9) and o.draws == 50   # a copy
    m = estimation.ModeOptions(algorithm="bobyqa", max_evaluations=300)
    assert (m.algorithm, m.max_evaluations, m.hessian_step) == ("bobyqa", 300, 1e-4)
    k = estimation.KalmanOptions(presample=4)
    assert (k.presample, k.lik_init, k.riccati_tol) == (4, 1, 1e-6)
    assert estimation.ModeOptions is _core.estimation.ModeOptions


@pytest.mark.parametrize("cls", [estimation.McmcOptions, estimation.ModeOptions, estimation.KalmanOptions])
def test_unknown_option_names_are_errors(cls):
    with pytest.raises(_core.OptionsError, match=f"{cls.__name__}: unknown option 'mh_replic'"):
        cls(mh_replic=10)
    with pytest.raises(_core.OptionsError, match="unknown option 'mh_replic'"):
        cls().replace(mh_replic=10)


def test_presample_keyword_and_kalman_options_agree_with_numpy():
    y = _data()["y"].to_numpy()
    for presample in (0, 3):
        ref = _ar1_loglik(y, 0.5, 1.0, presample)
        a = _est(presample=presample).log_likelihood()
        b = _est(kalman=estimation.KalmanOptions(presample=presample)).log_likelihood()
        assert a == b
        assert abs(a - ref) < 1e-10 * abs(ref)
    bad = estimation.KalmanOptions(presample=-1)
    with pytest.raises(_core.OptionsError, match="presample must be >= 0"):
        _est(kalman=bad)


def test_mode_keywords_and_options_give_the_same_mode():
    e = _est()
    a = e.mode("bobyqa", max_evaluations=2000)
    b = e.mode(options=estimation.ModeOptions(algorithm="bobyqa", max_evaluations=2000))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # keywords override the struct's fields
    c = e.mode(options=estimation.ModeOptions(algorithm="cobyla"), algorithm="bobyqa", max_evaluations=2000)
    pd.testing.assert_frame_equal(a, c, check_exact=True)
    with pytest.raises(_core.OptionsError, match="ModeOptions: unknown option 'maxit'"):
        e.mode(maxit=10)
    with pytest.raises(_core.OptionsError, match="options must be a ModeOptions"):
        e.mode(options=estimation.McmcOptions())


def test_mcmc_keywords_and_options_give_the_same_draws():
    e = _est()
    common = dict(start=np.array([0.5, 1.0]), proposal_cov=np.diag([0.01, 0.01]))
    d1, s1, r1 = e.mcmc(chains=2, draws=300, seed=5, jscale=0.5, **common)
    opts = estimation.McmcOptions(chains=2, draws=300, seed=5, jscale=0.5)
    d2, s2, r2 = e.mcmc(options=opts, **common)
    assert d1.equals(d2) and s1.equals(s2)
    d3, _, r3 = e.mcmc(options=opts.replace(draws=1000), draws=300, **common)   # the keyword wins
    assert d3.equals(d1)
    res = e.mcmc(options=opts.replace(burnin=0.25), **common)
    assert res.burnin == 0.25   # read from the struct, not a copied default
    seen = []
    e.mcmc(options=opts.replace(on_iteration=lambda info: seen.append(info.iteration)), **common)
    assert seen and seen[-1] <= 600
