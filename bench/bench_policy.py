#!/usr/bin/env python3
"""Policy and estimation: govsim against Dynare 5.3 on Octave, in the same run.

Measured (govsim through its Python API on the compiled core; Dynare inside one Octave session,
timed with tic/toc so that Octave's start-up and Dynare's preprocessor are not counted):

- log-likelihood evaluations per second at the initial values:
  * nk3 (the shared case nk3_est: 6 variables, 3 observables, 200 periods, 9 parameters), when
    /work/shared (or $GOVSIM_SHARED_DIR) is present;
  * sw_scale (examples/models/sw_scale.mod, 40 variables, 7 shocks, 7 observables, 200 simulated
    periods, 30 estimated parameters, maximum-likelihood set-up);
  Dynare: after one `estimation(mode_compute=0)` run, `dsge_likelihood` is called R times on the
  estimation's own data set, options and bounds. The two log-likelihoods are printed side by side.
- osr wall time on nk3 (nk3_osr): govsim `optimal_simple_rule` against Dynare's `osr(...)` called
  again after the first `dynare` run, parameters reset to the calibration before each call.
- MCMC draws per second on nk3 with priors: govsim `random_walk_metropolis` (2 chains, on 2 threads
  and on 1) against Dynare's MH (mh_nblocks=2), timed as the difference between
  `estimation(mode_compute=4, mh_replic=N)` and the same with mh_replic=0 in one Octave session
  (so Dynare's figure includes its posterior statistics after the draws; `nodiagnostic`).

Octave here has no `io` package, so the data go to Dynare as a .mat file.

Usage: PYTHONPATH=build/python /usr/bin/python3 bench/bench_policy.py [--repeat R] [--mh N] [--json PATH]
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

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("GOVSIM_SHARED_DIR", os.path.join(os.path.dirname(ROOT), "shared"))
DYNARE_MATLAB = os.environ.get("DYNARE_MATLAB", "/usr/lib/dynare/matlab")
CASES = os.path.join(SHARED, "reference", "dynare", "cases")

from govsim import _core, dsge, estimation  # noqa: E402

SW_PARAMS = ["crhoa", "crhob", "crhog", "crhoqs", "crhoms", "crhopinf", "crhow", "cmap", "cmaw", "csadjcost",
             "csigma", "chabb", "cprobw", "csigl", "cprobp", "cindw", "cindp", "czcap", "cfc", "crpi", "crr",
             "cry", "crdy"]
SW_OBS = ["dy", "dc", "dinve", "dw", "pinfobs", "robs", "labobs"]

NK3_PRIORS = """
estimated_params;
  phi_pi, gamma_pdf, 1.5, 0.25;
  phi_y, gamma_pdf, 0.15, 0.05;
  rho_i, beta_pdf, 0.7, 0.1;
  rho_d, beta_pdf, 0.7, 0.1;
  rho_s, beta_pdf, 0.5, 0.15;
  rho_m, beta_pdf, 0.3, 0.1;
  stderr eps_d, inv_gamma_pdf, 1.0, 1.0;
  stderr eps_s, inv_gamma_pdf, 0.5, 1.0;
  stderr eps_m, inv_gamma_pdf, 0.25, 1.0;
end;
"""

LIK_SCRIPT = """
addpath('{dyn}');
dynare {mod} noclearall nolog;
global M_ options_ oo_ estim_params_ bayestopt_ dataset_ dataset_info
xparam1 = [estim_params_.var_exo(:,2); estim_params_.var_endo(:,2); estim_params_.corrx(:,3); ...
           estim_params_.corrn(:,3); estim_params_.param_vals(:,2)];
n = numel(xparam1);
if isempty(options_.qz_criterium), options_.qz_criterium = 1+1e-6; end
B.lb = -Inf(n,1); B.ub = Inf(n,1);
f = dsge_likelihood(xparam1, dataset_, dataset_info, options_, M_, estim_params_, bayestopt_, B, oo_);
R = {repeat};
tic; for r = 1:R, f = dsge_likelihood(xparam1, dataset_, dataset_info, options_, M_, estim_params_, bayestopt_, B, oo_); end; t = toc;
printf('GOVSIM_BENCH loglik=%.12f evals_per_s=%.6f\\n', -f, R/t);
"""

OSR_SCRIPT = """
addpath('{dyn}');
dynare {mod} noclearall nolog;
global M_ options_ oo_
p0 = M_.params; options_.noprint = 1;
R = {repeat}; t = zeros(R,1);
for r = 1:R
  M_.params = p0;
  tic; res = osr(var_list_, M_.osr.param_names, M_.osr.variable_indices, M_.osr.variable_weights); t(r) = toc;
end
printf('GOVSIM_BENCH osr_best=%.6f osr_mean=%.6f loss=%.12f\\n', min(t), mean(t), res.objective_function);
"""

MH_SCRIPT = """
addpath('{dyn}');
tic; dynare {mod0} noclearall nolog; t0 = toc;
tic; dynare {mod1} noclearall nolog; t1 = toc;
printf('GOVSIM_BENCH t_mode=%.6f t_mh=%.6f\\n', t0, t1);
"""


def octave(script, cwd):
    path = os.path.join(cwd, "bench_script.m")
    with open(path, "w") as f:
        f.write(script)
    p = subprocess.run(["octave", "--no-gui", "--norc", "-q", "--eval", "bench_script"], cwd=cwd,
                       capture_output=True, text=True, timeout=3600)
    m = re.search(r"GOVSIM_BENCH (.*)", p.stdout)
    if not m:
        raise RuntimeError(f"octave failed:\n{p.stdout[-1500:]}\n{p.stderr[-1500:]}")
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def write_mat(path, data):
    import scipy.io as sio

    sio.savemat(path, {c: data[c].to_numpy().reshape(-1, 1) for c in data.columns})


def rate(fn, repeat, min_time=1.0):
    """Calls per second: best of 3 batches of `repeat` calls (at least min_time per batch)."""
    fn()
    best = 0.0
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while True:
            for _ in range(repeat):
                fn()
            n += repeat
            el = time.perf_counter() - t0
            if el >= min_time:
                break
        best = max(best, n / el)
    return best


# ------------------------------------------------------------------------------------ likelihood
def nk3_case(work):
    case = os.path.join(CASES, "nk3_est")
    if not os.path.isdir(case):
        return None
    for f in os.listdir(case):
        shutil.copy(os.path.join(case, f), work)
    data = pd.read_csv(os.path.join(work, "nk3_sim200_obs.csv"))
    text = open(os.path.join(work, "model.mod")).read().replace("datafile='nk3_sim200_obs.csv'", "datafile='obs.mat'")
    return text, data


def sw_case(work):
    src = open(os.path.join(ROOT, "examples", "models", "sw_scale.mod")).read()
    base = re.sub(r"stoch_simul\([^;]*;", "", src)
    m = dsge.Model.from_string(base, name="sw_scale")
    data = m.solve().simulate(periods=200, seed=1, drop=100)[SW_OBS].reset_index(drop=True)
    vals = m.params
    lines = [f"  stderr {e}, {np.sqrt(m.Sigma_e.loc[e, e]):.10g};" for e in m.exo_names]
    lines += [f"  {p}, {vals[p]:.10g};" for p in SW_PARAMS]
    text = (base + "\nvarobs " + " ".join(SW_OBS) + ";\nestimated_params;\n" + "\n".join(lines) + "\nend;\n"
            "estimation(datafile='obs.mat', mode_compute=0, lik_init=1, presample=0, nograph);\n")
    return text, data


def bench_likelihood(name, make, repeat, rows):
    work = tempfile.mkdtemp(prefix=f"bench_policy_{name}_")
    got = make(work)
    if got is None:
        print(f"[{name}] skipped: {CASES} not found", file=sys.stderr)
        return
    text, data = got
    mod = f"{name}_lik"
    with open(os.path.join(work, mod + ".mod"), "w") as f:
        f.write(text)
    write_mat(os.path.join(work, "obs.mat"), data)
    model = dsge.Model.from_string(text, name=mod, include_paths=[work])
    est = estimation.Estimator(model, data)
    theta = np.asarray(est.core.initial())
    ll = est.core.log_likelihood(theta)
    g = rate(lambda: est.core.log_likelihood(theta), 20)
    d = octave(LIK_SCRIPT.format(dyn=DYNARE_MATLAB, mod=mod, repeat=repeat), work)
    rows.append({"what": f"log-likelihood evaluations/s, {name} ({model.core.n_endo} vars, {len(est.labels)} params)",
                 "govsim": g, "dynare": d["evals_per_s"], "ratio": g / d["evals_per_s"],
                 "govsim_loglik": ll, "dynare_loglik": d["loglik"]})
    print(f"[{name}] loglik govsim {ll:.10f} dynare {d['loglik']:.10f}; {g:.0f} vs {d['evals_per_s']:.1f} evals/s",
          file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------------- osr
def bench_osr(repeat, rows):
    case = os.path.join(CASES, "nk3_osr")
    if not os.path.isdir(case):
        print("[osr] skipped: nk3_osr not found", file=sys.stderr)
        return
    work = tempfile.mkdtemp(prefix="bench_policy_osr_")
    for f in os.listdir(case):
        shutil.copy(os.path.join(case, f), work)
    shutil.move(os.path.join(work, "model.mod"), os.path.join(work, "nk3_osr.mod"))
    core = dsge.Model.from_file(os.path.join(work, "nk3_osr.mod")).core
    w = _core.policy.LossWeights.from_model(core)
    times = []
    for _ in range(max(5, repeat // 20)):
        t0 = time.perf_counter()
        r = _core.policy.optimal_simple_rule(core, w)
        times.append(time.perf_counter() - t0)
    d = octave(OSR_SCRIPT.format(dyn=DYNARE_MATLAB, mod="nk3_osr", repeat=5), work)
    rows.append({"what": "osr wall time on nk3 (ms, best)", "govsim": 1e3 * min(times), "dynare": 1e3 * d["osr_best"],
                 "ratio": d["osr_best"] / min(times), "govsim_loss": r.loss, "dynare_loss": d["loss"]})
    print(f"[osr] loss govsim {r.loss:.10f} dynare {d['loss']:.10f}; {1e3 * min(times):.2f} ms vs "
          f"{1e3 * d['osr_best']:.1f} ms", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------------------------------ MCMC
def bench_mcmc(mh, rows):
    work = tempfile.mkdtemp(prefix="bench_policy_mh_")
    got = nk3_case(work)
    if got is None:
        print("[mcmc] skipped: nk3_est not found", file=sys.stderr)
        return
    text, data = got
    text = re.sub(r"estimated_params;.*?end;", NK3_PRIORS, text, flags=re.S)
    text = re.sub(r"estimation\([^;]*;", "", text)
    write_mat(os.path.join(work, "obs.mat"), data)
    est_cmd = ("estimation(datafile='obs.mat', mode_compute=4, lik_init=1, presample=0, mh_replic={n}, "
               "mh_nblocks=2, mh_jscale=0.5, nodiagnostic, nograph);\n")
    for mod, n in (("nk3_mode", 0), ("nk3_mh", mh)):
        with open(os.path.join(work, mod + ".mod"), "w") as f:
            f.write(text + est_cmd.format(n=n))
    model = dsge.Model.from_string(text, name="nk3_bayes", include_paths=[work])
    e = estimation.Estimator(model, data)
    mode = e.mode()
    out = {}
    for threads in (2, 1):
        t0 = time.perf_counter()
        _, summ, r = e.mcmc(chains=2, draws=mh, jscale=0.5, seed=1, threads=threads)
        out[threads] = 2 * mh / (time.perf_counter() - t0)
    d = octave(MH_SCRIPT.format(dyn=DYNARE_MATLAB, mod0="nk3_mode", mod1="nk3_mh"), work)
    dyn = 2 * mh / max(d["t_mh"] - d["t_mode"], 1e-9)
    rows.append({"what": f"MCMC draws/s, nk3 with priors, 2 chains x {mh} (govsim on 2 threads)",
                 "govsim": out[2], "dynare": dyn, "ratio": out[2] / dyn})
    rows.append({"what": f"MCMC draws/s, nk3 with priors, 2 chains x {mh} (govsim on 1 thread)",
                 "govsim": out[1], "dynare": dyn, "ratio": out[1] / dyn})
    print(f"[mcmc] acceptance {summ.attrs['acceptance']}; govsim {out[2]:.0f}/{out[1]:.0f} draws/s, dynare "
          f"{dyn:.0f} draws/s (mode run {d['t_mode']:.1f} s, with MH {d['t_mh']:.1f} s)", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=100, help="dsge_likelihood calls timed in Octave")
    ap.add_argument("--mh", type=int, default=2000, help="MCMC draws per chain")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "bench_policy.json"))
    args = ap.parse_args()
    rows = []
    bench_likelihood("nk3", nk3_case, args.repeat, rows)
    bench_likelihood("sw_scale", sw_case, max(10, args.repeat // 5), rows)
    bench_osr(args.repeat, rows)
    bench_mcmc(args.mh, rows)
    print("| measure | govsim | Dynare 5.3 (Octave) | govsim / Dynare |")
    print("|---|---|---|---|")
    for r in rows:
        osr = r["what"].startswith("osr")
        print(f"| {r['what']} | {r['govsim']:.{2 if osr else 0}f} | {r['dynare']:.{1 if osr else 1}f} | "
              f"{r['ratio']:.0f}x {'faster' if osr else ''} |")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump({"repeat": args.repeat, "mh": args.mh, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
