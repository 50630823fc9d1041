#!/usr/bin/python3
"""Nonlinear simulation benchmarks: govsim vs Dynare 5.3 on Octave, measured in the same run.

1. Perfect foresight on nk_zlb (9 variables, 100 periods, ZLB binding 9 quarters):
   Dynare's `perfect_foresight_setup; perfect_foresight_solver` timed with tic/toc in Octave
   (after a first run, so that nothing is compiled or loaded during the timing) against govsim's
   `make_perfect_foresight_problem` + `solve_perfect_foresight` (in-process, C++ through Python).
2. Perfect foresight on a 40-variable model over 400 periods (examples/models/sw_scale.mod, a
   linear Smets-Wouters-scale model; a demand shock in periods 1-4), same timing on both sides.
3. Second-order solve on rbc: Dynare's `resol` at order 2 (steady state, derivatives, first and
   second order) against govsim's steady state + linearize + first order + second order.

Both sides take the best mean over several repetitions. Usage:
    PYTHONPATH=build/python /usr/bin/python3 bench/bench_nonlinear.py [--quick] [--json out.json]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("GOVSIM_SHARED_DIR", os.path.join(os.path.dirname(REPO), "shared"))
DYNARE_MATLAB = "/usr/lib/dynare/matlab"


def strip_verbatim(src):
    return re.sub(r"verbatim\s*;.*?end\s*;", "", src, flags=re.S)


def octave(script, cwd):
    p = subprocess.run(["octave", "--no-gui", "--norc", "-q", "--eval", script], cwd=cwd, capture_output=True,
                       text=True, timeout=1800)
    f = os.path.join(cwd, "bench_time.txt")
    if not os.path.exists(f):
        raise RuntimeError(f"Octave timing failed: {(p.stderr or p.stdout).strip()[-500:]}")
    return [float(x) for x in open(f).read().split()]


def dynare_pf(work, name, loops):
    script = (f"addpath('{DYNARE_MATLAB}'); dynare {name}.mod noclearall nolog; "
              f"ts = zeros(1, {loops}); for j = 1:{loops}, t0 = tic; perfect_foresight_setup; "
              f"perfect_foresight_solver; ts(j) = toc(t0); end; "
              f"fid = fopen('bench_time.txt', 'w'); fprintf(fid, '%.9g %d', min(ts), oo_.deterministic_simulation.status); "
              f"fclose(fid);")
    t, status = octave(script, work)
    if int(status) != 1:
        raise RuntimeError("Dynare's perfect foresight solver failed")
    return t


def dynare_resol2(work, name, loops):
    script = (f"addpath('{DYNARE_MATLAB}'); dynare {name}.mod noclearall nolog; options_.order = 2; "
              f"[dr, info] = resol(0, M_, options_, oo_); "
              f"t0 = tic; for j = 1:{loops}, [dr, info] = resol(0, M_, options_, oo_); end; t = toc(t0); "
              f"fid = fopen('bench_time.txt', 'w'); fprintf(fid, '%.9g %d', t/{loops}, info(1)); fclose(fid);")
    t, info = octave(script, work)
    if int(info) != 0:
        raise RuntimeError(f"resol info = {info}")
    return t


def best_of(fn, repeat, min_time=0.3):
    best = float("inf")
    for _ in range(repeat):
        n, t0 = 0, time.perf_counter()
        while n < 3 or time.perf_counter() - t0 < min_time:
            fn()
            n += 1
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument("--json", help="write the results to this file")
    ap.add_argument("--no-dynare", action="store_true", help="govsim timings only")
    args = ap.parse_args()
    import numpy as np
    import govsim as gs

    d = gs._core.dsge
    nl = gs._core.nonlinear
    repeat = 2 if args.quick else 5
    loops = 3 if args.quick else 10
    have_dynare = not args.no_dynare and shutil.which("octave") and os.path.isdir(DYNARE_MATLAB)
    rows = []
    tmp = tempfile.mkdtemp(prefix="govsim_bench_nl_")
    try:
        # 1. nk_zlb --------------------------------------------------------------------------
        zsrc = os.path.join(SHARED, "reference", "dynare", "models", "nk_zlb.mod")
        if os.path.exists(zsrc):
            src = strip_verbatim(open(zsrc).read())
            with open(os.path.join(tmp, "nkzlb.mod"), "w") as f:
                f.write(src)
            m = gs.dsge.Model.from_file(os.path.join(tmp, "nkzlb.mod"))

            def run_zlb():
                p = nl.make_perfect_foresight_problem(m.core, 100)
                r = nl.solve_perfect_foresight(m.core, p, nl.PerfectForesightOptions(periods=100, tolerance=1e-8))
                assert r.ok()
                return r

            r = run_zlb()
            g = best_of(run_zlb, repeat)
            rec = {"case": "perfect foresight nk_zlb (9 vars x 100 periods, ZLB)", "govsim_s": g,
                   "newton_iterations": r.iterations}
            if have_dynare:
                rec["dynare_s"] = dynare_pf(tmp, "nkzlb", loops)
            rows.append(rec)
        # 2. sw_scale over 400 periods ---------------------------------------------------------
        sw = open(os.path.join(REPO, "examples", "models", "sw_scale.mod")).read()
        sw = re.sub(r"shocks\s*;.*?end\s*;", "", sw, flags=re.S)
        sw = re.sub(r"stoch_simul\s*\([^;]*\)\s*[^;]*;", "", sw)
        sw += ("\nsteady;\nshocks;\n  var eb; periods 1:4; values 0.5;\n  var eg; periods 2; values -1;\nend;\n"
               "perfect_foresight_setup(periods=400);\nperfect_foresight_solver;\n")
        with open(os.path.join(tmp, "swpf.mod"), "w") as f:
            f.write(sw)
        msw = gs.dsge.Model.from_file(os.path.join(tmp, "swpf.mod"))

        def run_sw():
            p = nl.make_perfect_foresight_problem(msw.core, 400)
            r = nl.solve_perfect_foresight(msw.core, p, nl.PerfectForesightOptions(periods=400, tolerance=1e-8))
            assert r.ok(), r.summary()
            return r

        r = run_sw()
        g = best_of(run_sw, repeat)
        rec = {"case": f"perfect foresight sw_scale ({msw.core.n_endo} vars x 400 periods)", "govsim_s": g,
               "newton_iterations": r.iterations}
        if have_dynare:
            rec["dynare_s"] = dynare_pf(tmp, "swpf", max(1, loops // 2))
        rows.append(rec)
        # 3. second order on rbc ---------------------------------------------------------------
        rsrc = os.path.join(REPO, "examples", "models", "rbc.mod")
        rb = open(rsrc).read()
        rb = re.sub(r"stoch_simul\s*\([^;]*\)\s*[^;]*;", "stoch_simul(order=2, irf=0, nograph, nomoments);", rb)
        with open(os.path.join(tmp, "rbc2.mod"), "w") as f:
            f.write(rb)
        mr = gs.dsge.Model.from_file(os.path.join(tmp, "rbc2.mod"))

        def run_o2():
            ss = d.solve_steady_state(mr.core, d.SteadyStateOptions())
            fo = d.solve_first_order(d.linearize(mr.core, np.asarray(ss.values)), d.PerturbationOptions())
            so = nl.solve_second_order(mr.core, fo, nl.SecondOrderOptions(compute_mean=False))
            assert so.ok()

        g = best_of(run_o2, repeat)
        first = mr.solve()
        g2 = best_of(lambda: nl.solve_second_order(mr.core, first.core, nl.SecondOrderOptions(compute_mean=False)),
                     repeat)
        rec = {"case": "second order rbc (steady state + derivatives + orders 1 and 2)", "govsim_s": g,
               "govsim_second_order_step_s": g2}
        if have_dynare:
            rec["dynare_s"] = dynare_resol2(tmp, "rbc2", 20 if args.quick else 100)
        rows.append(rec)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'case':66s} {'govsim ms':>10s} {'Dynare ms':>10s} {'ratio':>8s}")
    for r in rows:
        dy = r.get("dynare_s")
        ratio = f"{dy / r['govsim_s']:.0f}x" if dy else "-"
        print(f"{r['case']:66s} {1e3 * r['govsim_s']:10.3f} {1e3 * dy if dy else float('nan'):10.2f} {ratio:>8s}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
