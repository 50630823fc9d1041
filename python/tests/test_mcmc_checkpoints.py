"""MCMC checkpoints: fingerprint of the inputs, per-line checksums, appended draws; estimation
edge cases (one-draw chains, presample, infinite data, bad proposals); progress callbacks."""
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
