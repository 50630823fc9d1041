"""BLAS threads stay at one inside concurrent govsim calls; Ctrl-C stops a long MCMC run and
returns the draws done so far."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from govsim import _threads, dsge

threadpoolctl = pytest.importorskip("threadpoolctl")

MOD = "var y;\nvarexo e;\nparameters r;\nr = 0.5;\nmodel; y = r*y(-1) + e; end;\nshocks; var e; stderr 1; end;\n"


def _blas_threads():
    info = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    return max(i["num_threads"] for i in info) if info else None


def test_blas_single_threaded_inside_worker_threads():
    if _blas_threads() is None:
        pytest.skip("no BLAS visible to threadpoolctl")
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        seen = []
        barrier = threading.Barrier(3)

        @_threads.limit_blas_in_threads
        def work():
            barrier.wait(timeout=30)      # three calls overlap
            seen.append(_blas_threads())
            return dsge.Model.from_string(MOD).solve().ghx.iloc[0, 0]

        with ThreadPoolExecutor(3) as ex:
            vals = list(ex.map(lambda _: work(), range(3)))
        assert seen == [1, 1, 1]
        assert np.allclose(vals, 0.5, rtol=0, atol=1e-14)
        assert _blas_threads() == 2               # restored after the last one
        # the main thread is not limited
        assert dsge.Model.from_string(MOD).solve() is not None and _blas_threads() == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_mcmc_and_returns_the_draws_done(tmp_path):
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent("""
        import sys, time, numpy as np, pandas as pd
        from govsim import dsge, estimation
        mod = '''var y; varexo e; parameters rho; rho = 0.5;
        model; y = rho*y(-1) + e; end; shocks; var e; stderr 1; end; varobs y;
        estimated_params; rho, 0.5, -0.99, 0.99; stderr e, 1, 0.01, 10; end;'''
        rng = np.random.default_rng(0)
        est = estimation.Estimator(dsge.Model.from_string(mod), pd.DataFrame({"y": rng.standard_normal(200)}))
        print("ready", flush=True)
        t0 = time.time()
        d, s, r = est.mcmc(chains=2, draws=10_000_000, start=np.array([0.5, 1.0]),
                           proposal_cov=np.eye(2) * 0.01, threads=2)
        print("done", r.status.name, r.draws_done, round(time.time() - t0, 1), r.message, flush=True)
    """))
    env = dict(os.environ)
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env)
    assert p.stdout.readline().strip() == "ready"
    import time
    time.sleep(3.0)
    t0 = time.time()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    elapsed = time.time() - t0
    assert p.returncode == 0, err
    status, draws = out.split()[1], int(out.split()[2])
    assert status == "UserStopped" and 0 < draws < 10_000_000
    assert "interrupted (Ctrl-C)" in out
    assert elapsed < 30      # within a second on an idle machine; generous on a loaded one
