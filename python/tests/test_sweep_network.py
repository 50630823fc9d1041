"""Network sweeps on Dask: identical to the serial run, reproducible by seed, one build per worker."""
import numpy as np
import pandas as pd
import pytest

import govsim
from govsim import network

SPEC = {"model": {"sectors": 6, "theta": 0.75},
        "scenarios": {"monetary": {"e_m": 0.0025}, "mixed": {"e_m": 0.001, "e_g_GOV": 0.01}},
        "rules": {"phi_pi": [1.2, 1.5, 2.5], "phi_y": [0.0, 0.25]},
        "draws": {"n": 3, "seed": 11, "theta": [0.5, 0.9]},
        "chunk": 3}


@pytest.fixture(scope="module")
def serial():
    return network.sweep(SPEC)


def test_serial_table(serial):
    t = serial.table
    assert len(t) == 2 * 3 * 2 * 3 == serial.info["tasks"]
    assert list(t.index) == list(range(len(t)))
    assert (t["status"] == "Success").all()
    assert np.isfinite(t["loss"]).all()
    # a stronger inflation response lowers inflation volatility after a monetary shock
    s = t[(t.scenario == "monetary") & (t.draw == 0) & (t.phi_y == 0.0)].set_index("phi_pi")["std_pic"]
    assert s.loc[2.5] < s.loc[1.2]


def test_reproducible_by_seed(serial):
    again = network.sweep(SPEC)
    pd.testing.assert_frame_equal(serial.table, again.table, check_exact=True)
    other = network.sweep(dict(SPEC, draws={"n": 3, "seed": 12, "theta": [0.5, 0.9]}))
    assert not np.array_equal(other.table["loss"].to_numpy(), serial.table["loss"].to_numpy())


# Other threads and worker processes may run OpenBLAS with a different number of threads than the
# serial run (Dask's workers use one), which changes summation order: equal to 1e-12, not bit for bit.
def test_threads_scheduler_equals_serial(serial):
    pd.testing.assert_frame_equal(serial.table, network.sweep(SPEC, scheduler="threads").table, check_exact=False,
                                  rtol=1e-12, atol=0)


def test_local_cluster_two_workers_equals_serial(serial):
    pytest.importorskip("distributed")
    r = network.sweep(SPEC, scheduler="local", n_workers=2)
    pd.testing.assert_frame_equal(serial.table, r.table, check_exact=False, rtol=1e-12, atol=0)
    assert r.info["workers"] == 2
    # the model is built at most once per worker, not per task (6 chunks here)
    assert all(v <= 1 for v in r.info["builds_per_worker"].values())
    assert r.info["builds"] >= 1


def test_bad_specs():
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, bogus=1))
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, scenarios={"x": {"e_nope": 0.1}}))
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, rules={"sigma": [1, 2]}))
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, loss={"nope": 1}))
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, draws={"n": 2, "theta": [0.5, 1.5]}))


def test_theta_by_sector_in_spec():
    spec = dict(SPEC, model={"sectors": 6, "theta": {"GOV": 0.0, "FIN": 0.5}}, draws={"n": 2, "seed": 1})
    r = network.sweep(spec)
    assert (r.table["status"] == "Success").all()
    with pytest.raises(govsim.OptionsError):
        network.sweep(dict(SPEC, model={"sectors": 6, "theta": {"NOPE": 0.5}}))


@pytest.mark.parametrize("scheduler", [None, "sync", "threads"])
def test_ctrl_c_returns_the_chunks_done(serial, scheduler):
    info = serial.info
    if info["chunks"] < 2:
        pytest.skip("the spec has a single chunk")

    def stop_after_first(done, total):
        if done == 1:
            raise KeyboardInterrupt

    r = network.sweep(SPEC, scheduler=scheduler, progress=stop_after_first)
    assert r.info["interrupted"] and 0 < r.info["tasks_done"] < info["tasks"]
    assert r.info["scheduler"] == (scheduler or "serial")
    pd.testing.assert_frame_equal(r.table, serial.table.loc[r.table.index], check_exact=True)


def test_threaded_sweep_reports_progress_and_equals_serial(serial):
    seen = []
    r = network.sweep(SPEC, scheduler="threads", progress=lambda done, total: seen.append((done, total)))
    assert not r.info.get("interrupted")
    assert seen == [(k, serial.info["chunks"]) for k in range(1, serial.info["chunks"] + 1)]
    pd.testing.assert_frame_equal(r.table, serial.table, check_exact=True)
