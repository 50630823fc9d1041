#!/usr/bin/env python3
"""Compare govsim's first-order solutions with Dynare's (the Debian dynare + octave packages).

For every examples/models/*.mod (and the nk3 / rbc cases of the shared Dynare reference when
present) this runs, each in its own scratch directory,

  * Dynare on Octave: `dynare <model> noclearall nolog`, then an Octave dump of oo_.dr.ghx,
    ghu, order_var, inv_order_var, state_var, oo_.var, oo_.irfs, M_.endo_names / exo_names
    written with fprintf %.17g (full double precision);
  * govsim: `govsim run <model>.mod --json out.json`;

and compares the decision rules (Dynare's DR-ordered rows mapped to declaration order with
inv_order_var; columns matched by state name, ghu columns by shock name), the IRFs (every
variable / shock pair Dynare stores) and the variance matrix of the declared variables.

Agreement uses the tolerance of issue 4's checks: |govsim - dynare| <= 1e-8 |dynare| + 1e-10
for every entry. The table reports, per block, the largest relative deviation
max |g - d| / max(|d|, 1e-8 max|D|) (the floor keeps entries that are zero up to rounding from
dominating; for IRFs max|D| is over all IRFs of the same shock). A model that Dynare or govsim rejects is reported, not a crash.

Usage: /usr/bin/python3 bench/compare_dynare.py [--models a.mod,b.mod] [--json PATH] [--keep]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOVSIM = os.environ.get("GOVSIM_BIN", os.path.join(ROOT, "build", "bin", "govsim"))
SHARED = os.environ.get("GOVSIM_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
DYNARE_MATLAB = os.environ.get("DYNARE_MATLAB", "/usr/lib/dynare/matlab")
RTOL, ATOL = 1e-8, 1e-10

DUMP_M = r"""
function govsim_dump(fname, M_, oo_)
  fid = fopen(fname, 'w');
  names(fid, 'endo_names', M_.endo_names);
  names(fid, 'exo_names', M_.exo_names);
  mat(fid, 'ghx', oo_.dr.ghx);
  mat(fid, 'ghu', oo_.dr.ghu);
  mat(fid, 'order_var', oo_.dr.order_var);
  mat(fid, 'inv_order_var', oo_.dr.inv_order_var);
  mat(fid, 'state_var', oo_.dr.state_var);
  if isfield(oo_.dr, 'eigval'), mat(fid, 'eigval_mod', abs(oo_.dr.eigval)); end
  if isfield(oo_, 'var'), mat(fid, 'var', oo_.var); end
  if isfield(oo_, 'irfs') && isstruct(oo_.irfs)
    f = fieldnames(oo_.irfs);
    for i = 1:numel(f), mat(fid, ['irf:' f{i}], oo_.irfs.(f{i})); end
  end
  fclose(fid);
end
function names(fid, key, c)
  if ischar(c), c = cellstr(c); end
  fprintf(fid, '%s', key);
  for i = 1:numel(c), fprintf(fid, ' %s', strtrim(c{i})); end
  fprintf(fid, '\n');
end
function mat(fid, key, A)
  fprintf(fid, '%s %d %d', key, size(A, 1), size(A, 2));
  fprintf(fid, ' %.17g', A);
  fprintf(fid, '\n');
end
"""


def run_dynare(workdir, modfile, timeout=600):
    """Run Dynare in workdir; returns (dict or None, error message or None)."""
    base = os.path.splitext(os.path.basename(modfile))[0]
    with open(os.path.join(workdir, "govsim_dump.m"), "w") as f:
        f.write(DUMP_M)
    script = (f"addpath('{DYNARE_MATLAB}'); "
              f"try, dynare {base}.mod noclearall nolog; "
              f"govsim_dump('dynare_dump.txt', M_, oo_); "
              f"catch err, fid = fopen('dynare_error.txt', 'w'); fprintf(fid, '%s', err.message); "
              f"fclose(fid); exit(3); end")
    try:
        p = subprocess.run(["octave", "--no-gui", "--norc", "-q", "--eval", script], cwd=workdir,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s"
    err_file = os.path.join(workdir, "dynare_error.txt")
    dump = os.path.join(workdir, "dynare_dump.txt")
    if os.path.exists(err_file):
        return None, open(err_file).read().strip().splitlines()[0][:200] if open(err_file).read().strip() else "error"
    if p.returncode != 0 or not os.path.exists(dump):
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"octave exit {p.returncode}: {tail[0][:200]}"
    out = {"irfs": {}}
    with open(dump) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            key = parts[0]
            if key in ("endo_names", "exo_names"):
                out[key] = parts[1:]
                continue
            r, c = int(parts[1]), int(parts[2])
            a = np.array([float(x) for x in parts[3:]], dtype=float).reshape((r, c), order="F")
            if key.startswith("irf:"):
                out["irfs"][key[4:]] = a.ravel()
            else:
                out[key] = a
    return out, None


def run_govsim(workdir, modfile, timeout=600):
    base = os.path.basename(modfile)
    try:
        p = subprocess.run([GOVSIM, "run", base, "--json", "govsim_out.json"], cwd=workdir,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s"
    path = os.path.join(workdir, "govsim_out.json")
    if p.returncode != 0 or not os.path.exists(path):
        msg = (p.stderr or p.stdout).strip().splitlines()
        return None, f"exit {p.returncode}: {msg[-1][:200] if msg else 'no output'}"
    with open(path) as f:
        d = json.load(f)
    ss = d.get("stoch_simul")
    if isinstance(ss, list):
        ss = ss[-1]
    if ss is None:
        return None, "no stoch_simul in --json output"
    return ss, None


def deviation(g, d, floor=None):
    """(agree, max relative deviation, max absolute deviation) of arrays g against reference d."""
    g = np.asarray(g, float)
    d = np.asarray(d, float)
    if g.shape != d.shape:
        return False, float("inf"), float("inf")
    if d.size == 0:
        return True, 0.0, 0.0
    diff = np.abs(g - d)
    agree = bool(np.all(diff <= RTOL * np.abs(d) + ATOL))
    if floor is None:
        floor = 1e-8 * float(np.max(np.abs(d)))
    floor = max(floor, 1e-300)
    rel = float(np.max(diff / np.maximum(np.abs(d), floor)))
    return agree, rel, float(np.max(diff))


def compare(dyn, gov):
    """Block-by-block comparison; returns dict block -> (agree, rel, abs, note)."""
    res = {}
    endo = dyn["endo_names"]
    exo = dyn["exo_names"]
    g_endo = gov["endo_names"]
    g_exo = gov["exo_names"]
    # Dynare decision rules: rows in DR order -> declaration order.
    inv = dyn["inv_order_var"].ravel().astype(int) - 1
    ghx_decl = dyn["ghx"][inv, :]
    ghu_decl = dyn["ghu"][inv, :]
    states = [endo[int(i) - 1] for i in dyn["state_var"].ravel()]
    g_states = list(gov["state_names"])
    # Auxiliary states for lagged shocks are numbered differently (Dynare: symbol id of the
    # shock; govsim: its own index): pair the unmatched AUX_EXO_LAG states in order.
    d_aux = [s for s in states if s.startswith("AUX_EXO_LAG_") and s not in g_states]
    g_aux = [s for s in g_states if s.startswith("AUX_EXO_LAG_") and s not in states]
    renamed = {}
    if len(d_aux) == len(g_aux):
        for ds, gs in zip(d_aux, g_aux):
            renamed[gs] = ds
        g_states = [renamed.get(s, s) for s in g_states]
    rows = [n for n in g_endo if n in endo]
    note = []
    missing_states = [s for s in states if s not in g_states]
    if renamed:
        note.append("aux names " + ", ".join(f"{g}~{d}" for g, d in renamed.items()))
    if missing_states:
        note.append(f"states not in govsim: {missing_states}")
    common_states = [s for s in states if s in g_states]
    G = np.array(gov["ghx"], float).reshape(len(g_endo), len(g_states)) if g_states else np.zeros((len(g_endo), 0))
    gi = [g_endo.index(n) for n in rows]
    di = [endo.index(n) for n in rows]
    gx = G[np.ix_(gi, [g_states.index(s) for s in common_states])]
    dx = ghx_decl[np.ix_(di, [states.index(s) for s in common_states])]
    a, r, ab = deviation(gx, dx)
    if missing_states or len(g_states) != len(states):
        a = False
        note.append(f"state count govsim {len(g_states)} vs dynare {len(states)}")
    res["ghx"] = (a, r, ab)
    U = np.array(gov["ghu"], float).reshape(len(g_endo), len(g_exo))
    gu = U[np.ix_(gi, [g_exo.index(e) for e in exo])]
    res["ghu"] = deviation(gu, ghu_decl[np.ix_(di, list(range(len(exo))))])
    # IRFs: Dynare stores var_shock for variables above irf_plot_threshold.
    gi_irf = gov.get("irfs", {})
    worst = (True, 0.0, 0.0)
    n_irf, missing = 0, 0
    scale = {}
    for key, dv in dyn["irfs"].items():
        for e in exo:
            if key.endswith("_" + e):
                scale[e] = max(scale.get(e, 0.0), float(np.max(np.abs(dv))))
    for key, dv in dyn["irfs"].items():
        shock = next((e for e in sorted(exo, key=len, reverse=True) if key.endswith("_" + e)), None)
        if shock is None:
            continue
        var = key[: -len(shock) - 1]
        gv = gi_irf.get(shock, {}).get(var)
        if gv is None:
            missing += 1
            continue
        gv = np.asarray(gv, float)[: len(dv)]
        n_irf += 1
        a, r, ab = deviation(gv, dv, floor=1e-8 * scale.get(shock, 0.0))
        worst = (worst[0] and a, max(worst[1], r), max(worst[2], ab))
    if missing:
        note.append(f"{missing} Dynare IRFs without a govsim counterpart")
        worst = (False, worst[1], worst[2])
    res["irf"] = worst + (n_irf,)
    # Variance of the declared variables (Dynare: var_list = all declared endogenous).
    mom = gov.get("moments") or {}
    if "var" in dyn and mom.get("var") is not None:
        vl = mom.get("var_list", g_endo)
        Vg = np.array(mom["var"], float)
        dvl = [n for n in endo if not n.startswith("AUX_")][: dyn["var"].shape[0]]
        common = [n for n in dvl if n in vl]
        res["var"] = deviation(Vg[np.ix_([vl.index(n) for n in common], [vl.index(n) for n in common])],
                               dyn["var"][np.ix_([dvl.index(n) for n in common], [dvl.index(n) for n in common])])
    else:
        res["var"] = (None, float("nan"), float("nan"))
        note.append("no variance (unit root or moments skipped)")
    res["note"] = "; ".join(note)
    return res


def model_list(selected=None):
    models = []
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "models", "*.mod"))):
        models.append((os.path.splitext(os.path.basename(path))[0], path, None))
    for case in ("nk3", "rbc"):
        d = os.path.join(SHARED, "reference", "dynare", "cases", case)
        if os.path.exists(os.path.join(d, "model.mod")):
            models.append((f"ref/{case}", os.path.join(d, "model.mod"), d))
    if selected:
        keep = set(selected)
        models = [m for m in models if m[0] in keep or os.path.basename(m[1]) in keep]
    return models


def fmt(x):
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    return f"{x:.1e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", help="comma-separated model names (default: all)")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "compare_dynare.json"))
    ap.add_argument("--keep", action="store_true", help="keep the scratch directories")
    args = ap.parse_args()
    models = model_list(args.models.split(",") if args.models else None)
    rows, records = [], []
    for name, path, casedir in models:
        work = tempfile.mkdtemp(prefix="govsim_cmp_")
        try:
            # Dynare names its outputs after the file: copy under a safe name.
            base = name.replace("ref/", "ref_") if casedir else name
            if casedir:
                for f in os.listdir(casedir):
                    if f.endswith((".mod", ".inc", ".m")) and f != "model.mod":
                        shutil.copy(os.path.join(casedir, f), work)
            target = os.path.join(work, base + ".mod")
            shutil.copy(path, target)
            print(f"[{name}] dynare ...", file=sys.stderr, flush=True)
            dyn, derr = run_dynare(work, target)
            print(f"[{name}] govsim ...", file=sys.stderr, flush=True)
            gov, gerr = run_govsim(work, target)
            rec = {"model": name, "dynare_error": derr, "govsim_error": gerr}
            if derr or gerr:
                status = ("dynare rejects: " + derr if derr else "") + \
                         ("; " if derr and gerr else "") + ("govsim rejects: " + gerr if gerr else "")
                agree = "both reject" if derr and gerr else "n/a"
                rows.append((name, agree, "-", "-", "-", "-", "-", status))
            else:
                try:
                    c = compare(dyn, gov)
                except Exception as e:  # a comparison bug must not hide the other models
                    rows.append((name, "error", "-", "-", "-", "-", "-", f"comparison failed: {e!r}"))
                    records.append(rec)
                    continue
                flags = [c[k][0] for k in ("ghx", "ghu", "irf", "var") if c[k][0] is not None]
                agree = "yes" if all(flags) else "no"
                mabs = max(c[k][2] for k in ("ghx", "ghu", "irf", "var") if c[k][0] is not None)
                rows.append((name, agree, fmt(c["ghx"][1]), fmt(c["ghu"][1]), fmt(c["irf"][1]),
                             fmt(c["var"][1]), fmt(mabs), f"{len(dyn['endo_names'])} endo, {c['irf'][3]} IRFs"
                             + (("; " + c["note"]) if c["note"] else "")))
                rec.update({k: {"agree": c[k][0], "max_rel": c[k][1], "max_abs": c[k][2]}
                            for k in ("ghx", "ghu", "irf", "var")})
                rec["agree"] = agree == "yes"
                rec["note"] = c["note"]
            records.append(rec)
        finally:
            if args.keep:
                print(f"[{name}] scratch: {work}", file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)
    print("| model | agree | ghx max rel | ghu max rel | IRF max rel | var max rel | max abs (all) | notes |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print(f"\nagree: |govsim - dynare| <= {RTOL:g} |dynare| + {ATOL:g} for every entry of every block")
    if args.json:
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)


if __name__ == "__main__":
    main()
