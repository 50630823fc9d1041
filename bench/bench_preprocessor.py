#!/usr/bin/env python3
"""Reading and differentiating a large .mod file: govsim vs Dynare's preprocessor.

Generates a multi-sector model from examples/models/multisector.mod with ``@#define N = <n>``
(7 equations per sector + 3 aggregate: N = 50 gives 353 equations) and times, in the same run
(best of ``--repeat``, time.perf_counter):

  govsim   govsim.dsge.Model.from_file(path)            (macro expansion, parsing, checks)
           + first-order symbolic derivatives of the dynamic and the static model, compiled
             to tapes (Model.derivatives(order=1, form="dynamic"/"static"))
           + one evaluation of the dynamic Jacobian at the steady state
  dynare   dynare-preprocessor model.mod nolog  (Debian's dynare package), as a subprocess in
           a fresh scratch folder each time: macro expansion, parsing, first-order derivatives
           of the static and dynamic models (stoch_simul(order=1)), writing the MATLAB files.

With ``--order 2`` the model ends with stoch_simul(order=2) so that Dynare computes second
derivatives too, and govsim builds order-2 tapes.

Usage:
    PYTHONPATH=build/python /usr/bin/python3 bench/bench_preprocessor.py [--sectors 50] [--repeat 5]
        [--order 1] [--preprocessor PATH]
Prints a markdown table on stdout.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TEMPLATE = os.path.join(ROOT, "examples", "models", "multisector.mod")


def find_preprocessor(explicit: str | None) -> str | None:
    for cand in [explicit, shutil.which("dynare-preprocessor"),
                 "/usr/lib/dynare/preprocessor/dynare-preprocessor"]:
        if cand and os.path.exists(cand):
            return cand
    return None


def generate(folder: str, sectors: int, order: int) -> str:
    text = open(TEMPLATE).read()
    text = "@#define N = %d\n" % sectors + text
    text = re.sub(r"stoch_simul\(order=1,", "stoch_simul(order=%d," % order, text)
    path = os.path.join(folder, "multisector%d.mod" % sectors)
    with open(path, "w") as f:
        f.write(text)
    return path


def best(fn, repeat: int):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), sorted(times)[len(times) // 2], out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sectors", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--order", type=int, default=1, choices=[1, 2])
    ap.add_argument("--preprocessor", default=None)
    args = ap.parse_args()

    import govsim.dsge as gd

    work = tempfile.mkdtemp(prefix="govsim_bench_pp_")
    try:
        path = generate(work, args.sectors, args.order)

        def run_govsim():
            m = gd.Model.from_file(path)
            dd = m.derivatives(order=args.order, form="dynamic")
            ds = m.derivatives(order=args.order, form="static")
            return m, dd, ds

        # warm-up (imports, page cache), then timed runs
        m, _, _ = run_govsim()
        n_eq = len(m.equations)
        t_gov, t_gov_med, _ = best(run_govsim, args.repeat)
        t_parse, _, _ = best(lambda: gd.Model.from_file(path), args.repeat)
        import numpy as np
        y = np.asarray(m.steady_state_result().values)
        x = m.core.dynamic_point(y)
        jac = m.core.dynamic_jacobian(x, y)
        t_jac, _, _ = best(lambda: m.core.dynamic_jacobian(x, y), 20)
        print(f"govsim: {n_eq} equations, Jacobian {jac.shape}, "
              f"best {t_gov*1e3:.1f} ms (parse only {t_parse*1e3:.1f} ms)", file=sys.stderr)

        pp = find_preprocessor(args.preprocessor)
        t_dyn = t_dyn_med = None
        dyn_version = ""
        if pp is None:
            print("dynare-preprocessor not found: install Debian's dynare package", file=sys.stderr)
        else:
            try:
                dyn_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "dynare"],
                                             capture_output=True, text=True).stdout.strip()
            except OSError:
                pass

            def run_dynare():
                d = tempfile.mkdtemp(dir=work)
                local = os.path.join(d, os.path.basename(path))
                shutil.copy(path, local)
                r = subprocess.run([pp, os.path.basename(local), "nolog"], cwd=d,
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    raise RuntimeError("dynare-preprocessor failed:\n" + r.stdout + r.stderr)
                return d

            d = run_dynare()  # warm-up, and check the size Dynare saw
            drv = open(os.path.join(d, "+" + os.path.splitext(os.path.basename(path))[0], "driver.m")).read()
            m_eq = re.search(r"M_\.orig_eq_nbr = (\d+);", drv)
            print(f"dynare-preprocessor {dyn_version}: {m_eq.group(1) if m_eq else '?'} equations", file=sys.stderr)
            t_dyn, t_dyn_med, _ = best(run_dynare, args.repeat)

        print(f"### {args.sectors}-sector model, {n_eq} equations, order {args.order} (best of {args.repeat})\n")
        print("| step | govsim | Dynare preprocessor |")
        print("|---|---:|---:|")
        print(f"| read (macro + parse + checks) | {t_parse*1e3:.1f} ms | |")
        dyn_cell = f"{t_dyn*1e3:.1f} ms (median {t_dyn_med*1e3:.1f})" if t_dyn else "n/a"
        print(f"| read + static and dynamic derivatives (order {args.order}) | "
              f"{t_gov*1e3:.1f} ms (median {t_gov_med*1e3:.1f}) | {dyn_cell} |")
        print(f"| evaluate the dense dynamic Jacobian (compiled tape, best of 20) | {t_jac*1e3:.2f} ms | |")
        if t_dyn:
            print(f"\nratio Dynare / govsim (read + derivatives): **{t_dyn / t_gov:.2f}x** "
                  f"(dynare {dyn_version}, `{pp} model.mod nolog`)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
