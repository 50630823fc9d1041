"""Dynamic IO benchmarks: ARIO ms per simulated day on the 598-industry world table (BoARIO on
this machine: about 56 ms/day) and DIIM on a 5,000-sector random table.

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_dynamic_io.py [--quick] [--adaptive] [--diim-only|--ario-only]
"""
import os
import sys
import time

import numpy as np

import govsim
from govsim import dynamic_io as dio

BOARIO_MS_PER_DAY = 56.0
HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(os.environ.get("GOVSIM_SHARED_DIR") or os.path.join(HERE, "..", "..", "shared"),
                     "data", "io", "world_2000_26r23s")


def bench_ario(days: int) -> None:
    if not os.path.isdir(WORLD):
        print("ARIO: world table not found, skipped")
        return
    w = govsim.io.read_csv_folder(WORLD)
    ev = dio.ario_event(w, region="NDL", total=20000.0, rebuilding={"F": 0.55, "D29": 0.45}, tau=180)
    dio.ario(w, ev, periods=5)  # warm-up
    best = best_cpu = float("inf")
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        r = dio.ario(w, ev, periods=days)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    ms, ms_cpu = 1000 * best / days, 1000 * best_cpu / days
    # Wall time is what a user waits; process CPU time is what the run costs when it has a core to
    # itself (the two agree on an idle machine; on a loaded one wall time is several times larger).
    print(f"ARIO world table ({w.n} industries), {days} days, best of 5 (whole dio.ario call): "
          f"{ms:.3f} ms/day wall ({BOARIO_MS_PER_DAY / ms:.0f}x BoARIO's ~{BOARIO_MS_PER_DAY} ms/day), "
          f"{ms_cpu:.3f} ms/day CPU ({BOARIO_MS_PER_DAY / ms_cpu:.0f}x), load average {os.getloadavg()[0]:.1f}; "
          f"NDL trough day {r.troughs.loc['NDL', 'trough_day']}, depth {100 * r.troughs.loc['NDL', 'trough_depth']:.3f} %")


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_diim(n: int, adaptive: bool) -> None:
    """DIIM on an n-sector random table, 365 days with dense output every day: dense (every A*
    entry non-zero) and sparse (1 % density, stored sparse). Krylov is the exact LTI path,
    adaptive the Odeint Dormand-Prince 5(4) path, discrete the difference equation."""
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    x = 100 + 900 * rng.random(n)
    q0 = np.zeros(n)
    q0[:10] = 0.3
    times = np.arange(0, 366, 1.0)
    A = rng.random((n, n))
    A *= 0.6 / A.sum(axis=0)
    Z = A * x
    Y = (x - Z.sum(axis=1)).reshape(-1, 1)
    dense = govsim.io.IOTable(Z, Y)
    del A, Z
    S = sp.random(n, n, density=0.01, random_state=2, format="csc")
    S = S @ sp.diags(0.6 / np.maximum(np.asarray(S.sum(axis=0)).ravel(), 1e-12))
    Zs = (S @ sp.diags(x)).tocsc()
    Ys = (x - np.asarray(Zs.sum(axis=1)).ravel()).reshape(-1, 1)
    sparse = govsim.io.IOTable(Zs, Ys, sparse=True)
    runs = [("dense", dense, "krylov", False), ("sparse", sparse, "krylov", False),
            ("sparse", sparse, "adaptive", False), ("dense", dense, "discrete", True),
            ("sparse", sparse, "discrete", True)]
    if adaptive:
        runs.insert(1, ("dense", dense, "adaptive", False))
    print(f"DIIM {n} sectors, 365 days, output every day (sparse table: {Zs.nnz:,} non-zeros):")
    for label, table, method, discrete in runs:
        c0 = time.process_time()
        p, el = _timed(lambda: dio.diim(table, q0=q0, times=times, resilience=0.05, discrete=discrete,
                                        method="auto" if discrete else method))
        cpu = time.process_time() - c0
        print(f"  {label:6s} {method:9s} {el:8.3f} s total, {1000 * el / 365:8.3f} ms/day wall "
              f"({1000 * cpu / 365:8.3f} ms/day CPU), {p._r.iterations} A* products / rhs evaluations / steps")
        if label == "sparse" and method == "krylov":
            ref = p
        if label == "sparse" and method == "adaptive":
            gap = float(np.abs(p.inoperability.values - ref.inoperability.values).max())
            print(f"  sparse: max |krylov - adaptive| over all days and sectors {gap:.2e}")
    print(f"  (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if "--diim-only" not in sys.argv:
        bench_ario(100 if quick else 730)
    if "--ario-only" in sys.argv:
        sys.exit(0)
    bench_diim(1000 if quick else 5000, adaptive="--adaptive" in sys.argv)
