#!/usr/bin/env python3
"""End to end: `build/bin/govsim run model.mod` (native fast path) against Dynare on Octave.

Same models and the same scratch copies as bench/bench_dsge.py (nk3 when the shared reference is
present, rbc, sw_scale; `stoch_simul(order=1, irf=40, nograph);`). In one run, best of N wall
times of subprocesses:

- native: `build/bin/govsim run X.mod` (launcher -> build/bin/govsim_native; the script checks it
  did not fall back to Python);
- python: `/usr/bin/python3 -m govsim.cli run X.mod` (the previous path);
- dynare: `octave --eval "addpath ...; dynare X.mod noclearall nolog"`.

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
    env = dict(os.environ, GOVSIM_NATIVE_DEBUG="1")
    pyenv = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "build", "python"))
    rows = []
    for name, path, casedir in bd.models():
        work, target = bd.prepare(name, path, casedir)
        mod = os.path.basename(target)
        chk = subprocess.run([GOVSIM, "run", mod, "-q"], cwd=work, env=env, capture_output=True, text=True)
        if chk.returncode != 0 or "falling back" in chk.stderr:
            raise RuntimeError(f"{name}: native path not taken: {chk.stderr.strip()[-300:]}")
        native = bd.wall([GOVSIM, "run", mod], work, args.repeat)
        os.environ["PYTHONPATH"] = pyenv["PYTHONPATH"]  # bd.wall inherits the environment
        try:
            python = bd.wall(["/usr/bin/python3", "-m", "govsim.cli", "run", mod], work, args.repeat)
        except RuntimeError as e:  # e.g. govsim._core being rebuilt by a concurrent build
            print(f"[{name}] Python CLI not timed: {str(e)[-120:]}", file=sys.stderr)
            python = None
        dynare = bd.wall(["octave", "--no-gui", "--norc", "-q", "--eval",
                          f"addpath('{bd.DYNARE_MATLAB}'); dynare {mod} noclearall nolog"], work, args.repeat)
        rows.append({"model": name, "native": native, "python": python, "dynare": dynare})
        shutil.rmtree(work, ignore_errors=True)
        print(f"[{name}] done", file=sys.stderr, flush=True)
    print("| model | govsim run, native (ms) | govsim run, Python CLI (ms) | dynare (ms) | dynare / native | dynare / Python |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {1e3 * r['native']:.1f} | {'-' if r['python'] is None else format(1e3 * r['python'], '.0f')} | {1e3 * r['dynare']:.0f} | "
              f"{r['dynare'] / r['native']:.0f}x | "
              f"{'-' if r['python'] is None else format(r['dynare'] / r['python'], '.1f') + 'x'} |")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"repeat": args.repeat, "models": rows}, f, indent=1)


if __name__ == "__main__":
    main()
