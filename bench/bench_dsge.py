#!/usr/bin/env python3
"""DSGE first order: govsim against Dynare 5.3 on Octave (Debian packages), in the same run.

Models: nk3 (the shared Dynare reference case, when present), rbc (examples/models/rbc.mod)
and sw_scale (examples/models/sw_scale.mod, 40 variables, 7 shocks, Smets-Wouters scale).
Each model is copied to a scratch directory with its stoch_simul line replaced by
`stoch_simul(order=1, irf=40, nograph);` so that both tools do the same work.

(a) solve only: govsim `Model.solve()` from the Python API (steady state, Jacobian,
    generalized Schur, decision rules) against Dynare's `[dr, info] = resol(0, M_, options_,
    oo_)` (steady state, Jacobian, dr1 / QZ), timed in Octave with tic/toc over a loop after a
    first `dynare` run. Both: mean of a timed loop after a warm-up call.
(b) end to end: wall time of `govsim run model.mod` against `octave --eval "dynare model.mod"`
    (parse, steady state, check, solve, IRFs, moments, printed tables), both as subprocesses,
    best of N. Octave's own start-up (`octave --eval 1`) and govsim's in-process Python API
    end to end (from_file + solve + irf + moments) are reported alongside.

Usage: /usr/bin/python3 bench/bench_dsge.py [--repeat N] [--models nk3,rbc,sw_scale] [--json PATH]
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "build", "python"))
GOVSIM = os.environ.get("GOVSIM_BIN", os.path.join(ROOT, "build", "bin", "govsim"))
SHARED = os.environ.get("GOVSIM_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
DYNARE_MATLAB = os.environ.get("DYNARE_MATLAB", "/usr/lib/dynare/matlab")
STOCH = "stoch_simul(order=1, irf=40, nograph);"


def models():
    out = []
    nk3 = os.path.join(SHARED, "reference", "dynare", "cases", "nk3")
    if os.path.exists(os.path.join(nk3, "model.mod")):
        out.append(("nk3", os.path.join(nk3, "model.mod"), nk3))
    else:
        print("nk3: shared reference absent, skipped", file=sys.stderr)
    out.append(("rbc", os.path.join(ROOT, "examples", "models", "rbc.mod"), None))
    out.append(("sw_scale", os.path.join(ROOT, "examples", "models", "sw_scale.mod"), None))
    return out


def prepare(name, path, casedir):
    work = tempfile.mkdtemp(prefix="govsim_bench_")
    if casedir:
        for f in os.listdir(casedir):
            if f.endswith((".inc", ".mod")) and f != "model.mod":
                shutil.copy(os.path.join(casedir, f), work)
    src = open(path).read()
    src, n = re.subn(r"stoch_simul\s*\([^;]*\)\s*[^;]*;", STOCH, src)
    if n == 0:
        src += "\n" + STOCH + "\n"
    target = os.path.join(work, name + ".mod")
    with open(target, "w") as f:
        f.write(src)
    return work, target


def wall(cmd, cwd, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr.strip()[-300:]}")
        best = min(best, dt)
    return best


def dynare_resol(work, name, loops):
    script = (f"addpath('{DYNARE_MATLAB}'); dynare {name}.mod noclearall nolog; "
              f"[dr, info] = resol(0, M_, options_, oo_); "
              f"tic; for j = 1:{loops}, [dr, info] = resol(0, M_, options_, oo_); end; t = toc; "
              f"fid = fopen('resol_time.txt', 'w'); fprintf(fid, '%.9g %d %d', t/{loops}, info(1), numel(M_.endo_names)); fclose(fid);")
    p = subprocess.run(["octave", "--no-gui", "--norc", "-q", "--eval", script], cwd=work,
                       capture_output=True, text=True)
    f = os.path.join(work, "resol_time.txt")
    if not os.path.exists(f):
        raise RuntimeError(f"resol timing failed: {p.stderr.strip()[-300:]}")
    t, info, n = open(f).read().split()
    if int(info) != 0:
        raise RuntimeError(f"resol info = {info}")
    return float(t), int(n)


def govsim_solve(target, min_time=1.0, min_loops=20):
    from govsim import dsge
    m = dsge.Model.from_file(target)
    m.solve()  # warm-up
    loops, t0 = 0, time.perf_counter()
    while loops < min_loops or time.perf_counter() - t0 < min_time:
        m.solve()
        loops += 1
    return (time.perf_counter() - t0) / loops


def govsim_api_e2e(target, repeat):
    from govsim import dsge
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        s = dsge.Model.from_file(target).solve()
        s.irf(periods=40)
        s.moments()
        best = min(best, time.perf_counter() - t0)
    return best


def ms(x):
    return f"{1e3 * x:.2f}" if x < 1 else f"{1e3 * x:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="end-to-end repetitions (best of N)")
    ap.add_argument("--resol-loops", type=int, default=50)
    ap.add_argument("--models", help="subset, comma-separated")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "bench_dsge.json"))
    args = ap.parse_args()
    sel = set(args.models.split(",")) if args.models else None
    tmp = tempfile.mkdtemp(prefix="govsim_bench_")
    octave_start = wall(["octave", "--no-gui", "--norc", "-q", "--eval", "1;"], tmp, args.repeat)
    shutil.rmtree(tmp, ignore_errors=True)
    rows = []
    for name, path, casedir in models():
        if sel and name not in sel:
            continue
        work, target = prepare(name, path, casedir)
        rec = {"model": name}
        try:
            print(f"[{name}] resol ...", file=sys.stderr, flush=True)
            rec["dynare_resol"], rec["n_endo_dynare"] = dynare_resol(work, name, args.resol_loops)
            print(f"[{name}] govsim solve ...", file=sys.stderr, flush=True)
            rec["govsim_solve"] = govsim_solve(target)
            print(f"[{name}] end to end ...", file=sys.stderr, flush=True)
            rec["dynare_e2e"] = wall(["octave", "--no-gui", "--norc", "-q", "--eval",
                                      f"addpath('{DYNARE_MATLAB}'); dynare {name}.mod noclearall nolog"],
                                     work, args.repeat)
            rec["govsim_e2e"] = wall([GOVSIM, "run", name + ".mod"], work, max(args.repeat, 5))
            rec["govsim_api_e2e"] = govsim_api_e2e(target, max(args.repeat, 5))
        except Exception as e:
            rec["error"] = str(e)
            print(f"[{name}] error: {e}", file=sys.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows.append(rec)
    print(f"Octave start-up alone (octave --eval 1): {ms(octave_start)} ms\n")
    print("| model | endo (Dynare, incl. aux) | govsim solve (ms) | Dynare resol (ms) | solve ratio (target >= 5) "
          "| govsim run (ms) | dynare (ms) | end-to-end ratio (target >= 20) | govsim Python API end to end (ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['model']} | error: {r['error']} |||||||")
            continue
        print(f"| {r['model']} | {r['n_endo_dynare']} | {ms(r['govsim_solve'])} | {ms(r['dynare_resol'])} | "
              f"{r['dynare_resol'] / r['govsim_solve']:.1f}x | {ms(r['govsim_e2e'])} | {ms(r['dynare_e2e'])} | "
              f"{r['dynare_e2e'] / r['govsim_e2e']:.1f}x | {ms(r['govsim_api_e2e'])} |")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"octave_startup": octave_start, "models": rows}, f, indent=1)


if __name__ == "__main__":
    main()
