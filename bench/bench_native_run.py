#!/usr/bin/env python3
"""End to end: `build/bin/govsim run model.mod` (the native program) against Dynare on Octave.

Same models and the same scratch copies as bench/bench_dsge.py (nk3 when the shared reference is
present, rbc, sw_scale; `stoch_simul(order=1, irf=40, nograph);`), best of N wall times of
subprocesses:

- govsim: `build/bin/govsim run X.mod` (run_commands + renderer, no Python start-up; the script
  checks that no interpreter is needed by pointing GOVSIM_PYTHON at a missing file);
- dynare: `octave --eval "addpath ...; dynare X.mod noclearall nolog"`.

A second table times `govsim run` on the other commands (shared cases: stoch_simul(order=2),
perfect foresight, osr, estimation with mode_compute=0 and a mode search), without Dynare.

Usage: /usr/bin/python3 bench/bench_native_run.py [--repeat N] [--json PATH]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_dsge as bd  # noqa: E402  (models, prepare, wall)

ROOT = bd.ROOT
GOVSIM = os.path.join(ROOT, "build", "bin", "govsim")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "bench_native_run.json"))
    args = ap.parse_args()
    env = dict(os.environ, GOVSIM_PYTHON="/nonexistent/python")
    rows = []
    for name, path, casedir in bd.models():
        work, target = bd.prepare(name, path, casedir)
        mod = os.path.basename(target)
        chk = subprocess.run([GOVSIM, "run", mod, "-q"], cwd=work, env=env, capture_output=True, text=True)
        if chk.returncode != 0:
            raise RuntimeError(f"{name}: govsim run failed without Python: {chk.stderr.strip()[-300:]}")
        native = bd.wall([GOVSIM, "run", mod], work, args.repeat)
        dynare = bd.wall(["octave", "--no-gui", "--norc", "-q", "--eval",
                          f"addpath('{bd.DYNARE_MATLAB}'); dynare {mod} noclearall nolog"], work, args.repeat)
        rows.append({"model": name, "native": native, "dynare": dynare})
        shutil.rmtree(work, ignore_errors=True)
        print(f"[{name}] done", file=sys.stderr, flush=True)
    print("| model | govsim run (ms) | dynare (ms) | dynare / govsim |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {1e3 * r['native']:.1f} | {1e3 * r['dynare']:.0f} | {r['dynare'] / r['native']:.0f}x |")
    other = []
    cases = os.path.join(bd.SHARED, "reference", "dynare", "cases")
    for case in ("rbc_order2", "nk_zlb", "nk3_osr", "nk3_est"):
        d = os.path.join(cases, case)
        if not os.path.isfile(os.path.join(d, "model.mod")):
            continue
        work = tempfile.mkdtemp(prefix="govsim_bench_")
        for f in os.listdir(d):
            if os.path.isfile(os.path.join(d, f)):
                shutil.copy(os.path.join(d, f), work)
        t = bd.wall([GOVSIM, "run", "model.mod", "-q"], work, args.repeat)
        other.append({"case": case, "govsim": t})
        shutil.rmtree(work, ignore_errors=True)
    if other:
        print()
        print("| shared case | commands | govsim run (ms) |")
        print("|---|---|---|")
        what = {"rbc_order2": "stoch_simul(order=2)", "nk_zlb": "perfect_foresight_setup/solver",
                "nk3_osr": "osr", "nk3_est": "estimation(mode_compute=0)"}
        for r in other:
            print(f"| {r['case']} | {what[r['case']]} | {1e3 * r['govsim']:.1f} |")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"repeat": args.repeat, "models": rows, "other": other}, f, indent=1)


if __name__ == "__main__":
    main()
