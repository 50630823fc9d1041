#!/usr/bin/env python3
"""Optimal policy: govsim against Dynare 5.3 on Octave, end to end on the same .mod file.

For each model of tests/fixtures/optimal_policy, Dynare runs the file (`ramsey_model` +
`stoch_simul(order=1)` + `evaluate_planner_objective`, or `discretionary_policy`) R times in one
Octave session, each run timed with tic/toc around `dynare file noclearall nolog` (preprocessor,
derivation of the first-order conditions, steady state, solution, planner objective; Octave's
start-up excluded). govsim parses the same file and runs solve_ramsey / solve_discretion (parse,
symbolic derivation, steady state, first-order solution, planner objective), best of R. The
planner objective values of both are printed side by side. The "order 2" rows run the same files
with `stoch_simul(order=2, irf=0, nograph)` (Dynare: second-order solution of the Ramsey model and
the order-2 welfare; govsim: solve_ramsey with objective_order=2, which adds the second-order
solution of the nonlinear Ramsey models and the order-2 welfare).

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/bench_optimal_policy.py [--repeat R] [--json PATH]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIX = os.path.join(ROOT, "tests", "fixtures", "optimal_policy")
CASES = [("nk_cp_ramsey", "ramsey", 1), ("nk_rotemberg_ramsey", "ramsey", 1),
         ("nk_rotemberg_ramsey_nossm", "ramsey", 1), ("sw_ramsey", "ramsey", 1),
         ("nk_cp_discretion", "discretion", 1), ("nk_cp_discretion_lagged", "discretion", 1),
         ("nk_rotemberg_ramsey", "ramsey", 2), ("nk_rotemberg_ramsey_nossm", "ramsey", 2)]
ORDER1 = "stoch_simul(order=1, irf=12, nograph);"


def case_file(name, order, tmp):
    """The fixture (order 1) or its order-2 variant, written to tmp; returns the model name."""
    with open(os.path.join(FIX, name + ".mod")) as f:
        text = f.read()
    if order == 2:
        assert ORDER1 in text, name
        text = text.replace(ORDER1, "stoch_simul(order=2, irf=0, nograph);")
        name = name + "_order2"
    with open(os.path.join(tmp, name + ".mod"), "w") as f:
        f.write(text)
    return name


def dynare_times(name, repeat, tmp):
    script = f"""
addpath /usr/lib/dynare/matlab;
t = zeros(1, {repeat});
for r = 1:{repeat}
  tic; dynare {name} noclearall nolog; t(r) = toc;
end
global oo_
p = oo_.planner_objective_value;
fprintf('BENCH_TIMES %s\\n', sprintf('%.6f ', t));
fprintf('BENCH_W %.17g\\n', p.unconditional);
"""
    with open(os.path.join(tmp, "bench_script.m"), "w") as f:
        f.write(script)
    p = subprocess.run(["octave", "--no-gui", "--norc", "-q", "--eval", "bench_script"], cwd=tmp,
                       capture_output=True, text=True, timeout=1800)
    m = re.search(r"BENCH_TIMES ([0-9. ]+)", p.stdout)
    w = re.search(r"BENCH_W (\S+)", p.stdout)
    if not m:
        raise RuntimeError(f"octave failed on {name}:\n{p.stdout[-1500:]}\n{p.stderr[-1500:]}")
    return [float(x) for x in m.group(1).split()], float(w.group(1))


def govsim_time(path, kind, repeat, order):
    from govsim import _core
    best, value = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        m = _core.dsge.parse_model_file(path, {}, [])
        if kind == "ramsey":
            o = _core.optimal_policy.RamseyOptions()
            o.objective_order = order
            r = _core.optimal_policy.solve_ramsey(m, o)
            value = r.objective.unconditional
        else:
            r = _core.optimal_policy.solve_discretion(m)
            value = r.objective.unconditional
        best = min(best, time.perf_counter() - t0)
        assert r.ok(), r.message
    return best, value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind, order in CASES:
            print(f"{name} order {order} ...", file=sys.stderr)
            run_name = case_file(name, order, tmp)
            dt, dw = dynare_times(run_name, a.repeat, tmp)
            gt, gw = govsim_time(os.path.join(tmp, run_name + ".mod"), kind, max(a.repeat, 5), order)
            rows.append({"model": name, "kind": kind, "order": order, "dynare_s": min(dt), "govsim_s": gt,
                         "speedup": min(dt) / gt, "W_dynare": dw, "W_govsim": gw})
    print("| model | policy | order | Dynare 5.3 (s, best of R) | govsim (s) | speed-up | planner objective Dynare | govsim |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['kind']} | {r['order']} | {r['dynare_s']:.3f} | {r['govsim_s'] * 1e3:.2f} ms | "
              f"{r['speedup']:.0f}x | {r['W_dynare'] + 0.0:.12g} | {r['W_govsim'] + 0.0:.12g} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
