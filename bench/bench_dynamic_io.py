"""Dynamic IO benchmarks: ARIO ms per simulated day on the 598-industry world table (BoARIO on
this machine: about 56 ms/day) and DIIM on a 5,000-sector random table.

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_dynamic_io.py [--quick]
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
    dio.ario(w, ev, n_steps=5)  # warm-up
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        r = dio.ario(w, ev, n_steps=days)
        best = min(best, time.perf_counter() - t0)
    ms = 1000 * best / days
    print(f"ARIO world table ({w.n} industries), {days} days: {ms:.3f} ms/day "
          f"(BoARIO ~{BOARIO_MS_PER_DAY} ms/day: {BOARIO_MS_PER_DAY / ms:.0f}x faster); "
          f"NDL trough day {r.troughs.loc['NDL', 'trough_day']}, depth {100 * r.troughs.loc['NDL', 'trough_depth']:.3f} %")


def bench_diim(n: int) -> None:
    rng = np.random.default_rng(1)
    A = rng.random((n, n))
    A *= 0.6 / A.sum(axis=0)
    x = 100 + 900 * rng.random(n)
    Z = A * x
    Y = (x - Z.sum(axis=1)).reshape(-1, 1)
    t = govsim.io.IOTable(Z, Y)
    q0 = np.zeros(n)
    q0[:10] = 0.3
    t0 = time.perf_counter()
    p = dio.diim(t, q0=q0, times=np.arange(0, 366, 1.0), resilience=0.05)
    el = time.perf_counter() - t0
    print(f"DIIM {n} sectors, 365 days (dense output daily): {el:.2f} s, {p._r.iterations} rhs evaluations")
    t0 = time.perf_counter()
    dio.diim(t, q0=q0, times=np.arange(0, 366, 1.0), resilience=0.05, discrete=True)
    print(f"DIIM {n} sectors, discrete 365 steps: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    bench_ario(100 if quick else 730)
    bench_diim(1000 if quick else 5000)
