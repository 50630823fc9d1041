#!/usr/bin/env python3
"""Run a corpus of published .mod files through Dynare 5.3 (Octave) and `govsim run`; compare.

The corpus lives outside the repository (third-party files are never committed; see
MANIFEST.md for where each file comes from). Layout: one folder per file,

    CORPUS/<id>/<name>.mod        (plus any file it @#includes)

This script fetches nothing. For every folder it

1. normalizes the .mod text (below) and writes it, under the original file name, into a
   scratch directory; the SAME normalized text is given to both tools;
2. runs Dynare in Octave (`dynare <name> noclearall nolog nograph nostrict`, then a small Octave function that
   writes M_ / oo_ to JSON with 17 significant digits: steady state, ghx, ghu with
   order_var / inv_order_var / state_var (Dynare's DR order), IRFs, theoretical variances);
3. runs `govsim run <name>.mod --json out.json`;
4. compares steady state, ghx, ghu (rows mapped from Dynare's DR order to declaration order,
   columns matched by state / shock name), every IRF Dynare stores and the variance matrix
   (see `deviation`: every entry of at least 1e-3 of its block's largest to 1e-8 relative,
   smaller ones to 1e-11 of the block's largest; IRFs are scaled per shock);
5. times both end to end (wall clock of the whole process: Octave start, preprocessing, steady
   state, solution, IRFs, moments; govsim: the whole `govsim run`), and the CPU time (user +
   system) of each process, which depends less on the load of a shared machine.

Normalization (applied identically to both tools; every change is listed per file in the JSON
output under "normalized"):

* every `stoch_simul(...)` becomes `stoch_simul(order=1, irf=K[, loglinear]);` without a
  variable list: K is the file's irf= value (40 if absent or 0); `loglinear` is kept because it
  changes the model's decision rules. Dropped: order= (first-order decision rules and
  IRFs are what is compared; Dynare's higher-order IRFs are simulated with random draws),
  periods= (would replace theoretical moments by simulated ones), hp_filter=, bandpass_filter,
  irf_shocks=, replic=, drop=, pruning, k_order_solver, dr=, aim_solver, nomoments, nocorr,
  noprint, nodisplay, nograph, graph_format=, tex, ar=, conditional_variance_decomposition=,
  relative_irf, irf_plot_threshold=, and the variable list (all variables are compared);
* a file without `stoch_simul` gets `stoch_simul(order=1, irf=40);` appended (e.g. estimation
  files, whose decision rules at the calibrated values are what both tools can produce);
* commands that need data or are outside the comparison are commented out:
  estimation, shock_decomposition, realtime_shock_decomposition, identification,
  calib_smoother, dynare_sensitivity, forecast, moment_calibration, irf_calibration,
  plot_shock_decomposition, model_diagnostics.

Dynare options: `nograph` (no figures) and `nostrict` (older published files declare shocks
they do not use, which Dynare 5.3 otherwise rejects and which govsim warns about).

Which command is compared: in the Dynare copy each (normalized) stoch_simul is followed on the
same line by a native MATLAB call writing oo_ to its own JSON file (dynare.json for the first
command, dynare-<k>.json for the k-th), so MATLAB post-processing after it (loops over parameter
values calling Dynare's stoch_simul function, plots, tables) can neither change nor lose the
compared numbers. When that code fails in Octave, Dynare stops there: the last file written is
the last command Dynare completed (the note says so when it is not the file's last). `govsim run
--json` holds one result per command, in run order; the commands left after macro processing
(`dynare-preprocessor onlymacro`, which drops `@#if` branches not taken) give the position of
Dynare's command among them, and govsim's result at that position is compared. The two tools
therefore compare the same command, with the parameter values and shock variances in force at
it in Dynare (govsim must apply assignments and shocks blocks in file order to match).

Dynare results are cached by a hash of the normalized text (--dynare-cache), so that re-running
the comparison against a new govsim build does not re-run Octave.

Usage:
  /usr/bin/python3 bench/corpus/run_corpus.py CORPUS [--only id1,id2] [--govsim PATH]
      [--dynare-cache DIR] [--json PATH] [--markdown PATH] [--timeout S] [--no-dynare]
"""
import argparse
import hashlib
import json
import resource
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import compare_dynare as cd  # noqa: E402  (decision-rule / IRF / variance comparison)

DYNARE_MATLAB = os.environ.get("DYNARE_MATLAB", "/usr/lib/dynare/matlab")
RTOL, ATOL = cd.RTOL, cd.ATOL

DUMP_M = r"""
function govsim_corpus_dump(fname)
  % Writes the result of the stoch_simul just run, then removes oo_.irfs: Dynare only
  % overwrites the IRFs it computes, so a later stoch_simul (e.g. after a shock's variance was
  % set to zero) would otherwise leave stale IRFs of an earlier one in oo_.irfs.
  global M_ oo_
  write_json(fname, M_, oo_);
  if isfield(oo_, 'irfs'), oo_ = rmfield(oo_, 'irfs'); end
end
function write_json(fname, M_, oo_)
  fid = fopen(fname, 'w');
  fprintf(fid, '{');
  names(fid, 'endo_names', M_.endo_names); fprintf(fid, ',');
  names(fid, 'exo_names', M_.exo_names); fprintf(fid, ',');
  fprintf(fid, '"orig_endo_nbr": %d,', M_.orig_endo_nbr);
  % the steady state stoch_simul linearized at (oo_.steady_state is only updated by `steady`)
  if isfield(oo_, 'dr') && isfield(oo_.dr, 'ys'), mat(fid, 'steady_state', oo_.dr.ys);
  else, mat(fid, 'steady_state', oo_.steady_state); end
  if isfield(M_, 'aux_vars') && ~isempty(M_.aux_vars)
    a = zeros(numel(M_.aux_vars), 4);
    for i = 1:numel(M_.aux_vars)
      v = M_.aux_vars(i);
      oi = 0; ol = 0;
      if isfield(v, 'orig_index') && ~isempty(v.orig_index), oi = v.orig_index; end
      if isfield(v, 'orig_lead_lag') && ~isempty(v.orig_lead_lag), ol = v.orig_lead_lag; end
      a(i, :) = [v.endo_index, v.type, oi, ol];
    end
    fprintf(fid, ','); mat(fid, 'aux_vars', a);
  end
  if isfield(oo_, 'dr') && isfield(oo_.dr, 'ghx')
    fprintf(fid, ','); mat(fid, 'ghx', oo_.dr.ghx);
    fprintf(fid, ','); mat(fid, 'ghu', oo_.dr.ghu);
    fprintf(fid, ','); mat(fid, 'order_var', oo_.dr.order_var);
    fprintf(fid, ','); mat(fid, 'inv_order_var', oo_.dr.inv_order_var);
    fprintf(fid, ','); mat(fid, 'state_var', oo_.dr.state_var);
  end
  if isfield(oo_, 'var') && ~isempty(oo_.var), fprintf(fid, ','); mat(fid, 'var', oo_.var); end
  fprintf(fid, ',"irfs": {');
  if isfield(oo_, 'irfs') && isstruct(oo_.irfs)
    f = fieldnames(oo_.irfs);
    for i = 1:numel(f)
      if i > 1, fprintf(fid, ','); end
      mat(fid, f{i}, oo_.irfs.(f{i}));
    end
  end
  fprintf(fid, '}}');
  fclose(fid);
end
function names(fid, key, c)
  if ischar(c), c = cellstr(c); end
  fprintf(fid, '"%s": [', key);
  for i = 1:numel(c)
    if i > 1, fprintf(fid, ','); end
    fprintf(fid, '"%s"', strtrim(c{i}));
  end
  fprintf(fid, ']');
end
function mat(fid, key, A)
  % column-major data with its shape; non-finite values as null
  fprintf(fid, '"%s": {"shape": [%d, %d], "data": [', key, size(A, 1), size(A, 2));
  A = double(A(:));
  for i = 1:numel(A)
    if i > 1, fprintf(fid, ','); end
    if isfinite(A(i)), fprintf(fid, '%.17g', A(i)); else, fprintf(fid, 'null'); end
  end
  fprintf(fid, ']}');
end
"""

# Dynare's default steady-state tolerance (solve_tolf = eps^(1/3), about 6e-6 on the residuals)
# leaves steady states that are only accurate to about 1e-8 relative, and decision rules
# evaluated there inherit the error: a 1e-8 comparison needs Dynare's solver to converge
# fully. These statements (native MATLAB, which Dynare executes before `steady` and
# `stoch_simul`; put in front of the first line so that line numbers stay the same) go into
# the Dynare copy only: they change no model equation or value, only how far Dynare iterates.
# When Dynare cannot reach that tolerance (large models with large steady-state values), it is
# run again with 1e-11, 1e-9, then its default tolerance, and the table says so.
DYNARE_TOLERANCE = "options_.solve_tolf = 1e-13; options_.solve_tolx = 1e-13; "

DROPPED_COMMANDS = ("estimation", "shock_decomposition", "realtime_shock_decomposition",
                    "identification", "calib_smoother", "dynare_sensitivity", "forecast",
                    "moment_calibration", "irf_calibration", "plot_shock_decomposition",
                    "model_diagnostics")


def comment_spans(text):
    """Spans [a, b) of comments (//, %, /* */) and strings, so commands inside them are skipped."""
    spans = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            spans.append((i, j))
            i = j
        elif text.startswith("//", i) or c == "%":
            j = text.find("\n", i)
            j = n if j < 0 else j
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def in_spans(pos, spans):
    return any(a <= pos < b for a, b in spans)


def statement_end(text, start):
    """Index just after the ';' ending the statement that starts at `start` (parentheses balanced)."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == ";" and depth <= 0:
            return i + 1
        i += 1
    return len(text)


def stoch_simul_options(stmt):
    """(irf value or None, loglinear?) from the text of one stoch_simul statement."""
    m = re.match(r"stoch_simul\s*\((.*)\)", stmt.strip().rstrip(";").strip(), re.S)
    opts = m.group(1) if m else ""
    irf = re.search(r"\birf\s*=\s*(\d+)", opts)
    return (int(irf.group(1)) if irf else None), bool(re.search(r"\bloglinear\b", opts))


def dump_call(k):
    """The native MATLAB call after the k-th (1-based) stoch_simul of the Dynare copy: it writes
    that command's oo_ to dynare.json (k = 1) or dynare-<k>.json, so that the harness knows
    which command Dynare completed last and pairs it with govsim's result of the same command."""
    return f" govsim_corpus_dump('{dump_name(k)}');"


def dump_name(k):
    return "dynare.json" if k == 1 else f"dynare-{k}.json"


def normalize(text, dynare=False):
    """Normalized .mod text and the list of changes made (see the module docstring).

    dynare=True: the Dynare copy, where each stoch_simul is followed (same line) by the native
    MATLAB call that writes oo_ to JSON."""
    changes = []
    spans = comment_spans(text)
    out, pos = [], 0
    n_stoch = 0
    pattern = re.compile(r"(?<![\w.])(stoch_simul|" + "|".join(DROPPED_COMMANDS) + r")\b(?=\s*[(;\s])")
    for m in pattern.finditer(text):
        if m.start() < pos or in_spans(m.start(), spans):
            continue
        # must start a statement: only whitespace since the previous ';', newline or block keyword
        before = text[:m.start()].rstrip(" \t")
        if before and before[-1] not in ";\n":
            continue
        end = statement_end(text, m.start())
        stmt = text[m.start():end]
        out.append(text[pos:m.start()])
        line = text.count("\n", 0, m.start()) + 1
        if m.group(1) == "stoch_simul":
            n_stoch += 1
            irf, loglin = stoch_simul_options(stmt)
            k = irf if irf else 40
            new = f"stoch_simul(order=1, irf={k}{', loglinear' if loglin else ''});"
            if " ".join(stmt.split()) != new:
                changes.append(f"line {line}: `{' '.join(stmt.split())[:120]}` -> `{new}`")
            # keep the line count so that error locations stay comparable with the original
            out.append(new + (dump_call(n_stoch) if dynare else "") + "\n" * stmt.count("\n"))
        else:
            changes.append(f"line {line}: commented out `{' '.join(stmt.split())[:80]}`")
            out.append("\n".join("// " + s for s in stmt.split("\n")))
        pos = end
    out.append(text[pos:])
    new_text = "".join(out)
    if not n_stoch:
        new_text += "\nstoch_simul(order=1, irf=40);" + (dump_call(1) if dynare else "") + "\n"
        changes.append("appended `stoch_simul(order=1, irf=40);` (the file has none)")
    return new_text, changes


def find_mod(folder):
    mods = sorted(f for f in os.listdir(folder) if f.endswith(".mod"))
    if not mods:
        return None
    if len(mods) == 1:
        return mods[0]
    # the main file is the one no other file includes
    included = set()
    for f in mods:
        included.update(re.findall(r'@#include\s+"([^"]+)"', open(os.path.join(folder, f), errors="replace").read()))
    main = [f for f in mods if f not in {os.path.basename(i) for i in included}]
    return main[0] if main else mods[0]


def prepare(folder, work):
    """Copy the corpus folder into work/dynare and work/govsim, normalize the main file.

    Returns (name, changes, hash, live): live = [(k, line)] for the stoch_simul commands that
    remain after macro processing (`@#if` branches not taken drop some), in the order they run:
    k = the command's number in the file (its Dynare dump, see dump_call), line = its line. The
    Dynare copy differs only by one first line that tightens
    Dynare's steady-state solver tolerance (see DYNARE_TOLERANCE)."""
    name = find_mod(folder)
    text = open(os.path.join(folder, name), errors="replace").read()
    new, changes = normalize(text)
    new_dynare, _ = normalize(text, dynare=True)
    h = hashlib.sha256()
    for sub in ("dynare", "govsim"):
        os.makedirs(os.path.join(work, sub))
        for f in sorted(os.listdir(folder)):
            src = os.path.join(folder, f)
            if os.path.isfile(src):
                shutil.copy(src, os.path.join(work, sub))
                if sub == "dynare":
                    h.update(f.encode())
                    h.update(open(src, "rb").read())
        with open(os.path.join(work, sub, name), "w") as f:
            f.write(DYNARE_TOLERANCE + new_dynare if sub == "dynare" else new)
    h.update((DYNARE_TOLERANCE + new_dynare + DUMP_M).encode())
    line_of = {}
    for m in re.finditer(r"govsim_corpus_dump\('([^']+)'\)", new_dynare):
        line_of[m.group(1)] = new_dynare.count("\n", 0, m.start()) + 1
    k_of = {dump_name(k): k for k in range(1, len(line_of) + 1)}
    live = [(k_of[f], line_of[f]) for f in macro_expanded_dumps(os.path.join(work, "dynare"), name, list(line_of))]
    return name, changes, h.hexdigest()[:16], live


def macro_expanded_dumps(folder, name, textual):
    """Dump file names of the stoch_simul commands left after Dynare's macro processor (in run
    order; an `@#for` loop repeats one), or the textual list when the preprocessor is missing."""
    exe = shutil.which("dynare-preprocessor")
    if not exe:
        return textual
    out = "govsim_corpus_macro.mod"
    try:
        subprocess.run([exe, name, "onlymacro", f"savemacro={out}"], cwd=folder, capture_output=True,
                       timeout=120)
        text = open(os.path.join(folder, out), errors="replace").read()
    except (OSError, subprocess.SubprocessError):
        return textual
    finally:
        if os.path.exists(os.path.join(folder, out)):
            os.remove(os.path.join(folder, out))
    return re.findall(r"govsim_corpus_dump\('([^']+)'\)", text)


def child_cpu():
    """CPU seconds (user + system) used so far by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_dynare(work, name, timeout):
    work = os.path.join(work, "dynare")
    base = os.path.splitext(name)[0]
    with open(os.path.join(work, "govsim_corpus_dump.m"), "w") as f:
        f.write(DUMP_M)
    script = (f"addpath('{DYNARE_MATLAB}'); t0 = tic; failed = '';"
              f"try, dynare {base}.mod noclearall nolog nograph nostrict; "
              f"catch err, failed = err.message; end; "
              f"elapsed = toc(t0); global M_ oo_; "
              f"fid = fopen('dynare_status.txt', 'w'); fprintf(fid, '%.6f\\n%s', elapsed, failed); fclose(fid);")
    t0, c0 = time.perf_counter(), child_cpu()
    try:
        p = subprocess.run(["octave", "--no-gui", "--no-window-system", "--norc", "-q", "--eval", script],
                           cwd=work, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout} s", "time": timeout}
    wall = time.perf_counter() - t0
    res = {"time": wall, "cpu": child_cpu() - c0}
    st = os.path.join(work, "dynare_status.txt")
    if os.path.exists(st):
        lines = open(st, errors="replace").read().split("\n", 1)
        res["time_inside"] = float(lines[0])
        if len(lines) > 1 and lines[1].strip():
            res["run_error"] = lines[1].strip().splitlines()[0][:300]
    # the last command Dynare completed: the highest k with a dump (Octave stops at the first
    # failing MATLAB statement, possibly between two stoch_simul commands; commands in `@#if`
    # branches not taken write none)
    done = [int(m.group(1) or 1) for m in (re.fullmatch(r"dynare(?:-(\d+))?\.json", f) for f in os.listdir(work)) if m]
    k = max(done, default=1)
    dump = os.path.join(work, dump_name(k))
    if os.path.exists(dump):
        with open(dump) as f:
            res["dump"] = json.load(f)
        res["command"] = k
    else:
        tail = (p.stderr or p.stdout).strip().splitlines()[-1:] or ["no output"]
        res["error"] = res.get("run_error") or f"octave exit {p.returncode}: {tail[0][:300]}"
    return res


def run_govsim(govsim, work, name, timeout):
    work = os.path.join(work, "govsim")
    t0, c0 = time.perf_counter(), child_cpu()
    try:
        p = subprocess.run([govsim, "run", name, "--json", "govsim.json", "--include-aux"], cwd=work,
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "error": f"timeout after {timeout} s", "time": timeout, "exit": None}
    wall = time.perf_counter() - t0
    res = {"time": wall, "cpu": child_cpu() - c0, "exit": p.returncode}
    msg = [l for l in (p.stderr or "").strip().splitlines() if l.strip()]
    res["warnings"] = [l[:300] for l in msg if "warning" in l][:20]
    path = os.path.join(work, "govsim.json")
    if p.returncode != 0:
        err = [l for l in msg if "error" in l or "failure" in l] or msg[-1:] or ["no output"]
        res["status"] = {2: "error (exit 2)", 3: "numerical (exit 3)"}.get(p.returncode, f"crash (exit {p.returncode})")
        res["error"] = err[-1][:300]
        return res
    if not os.path.exists(path):
        res["status"] = "no JSON"
        return res
    with open(path) as f:
        d = json.load(f)
    ss = d.get("stoch_simul")
    # `govsim run --json` holds one result per command, a list when a command ran several times
    res["ss_list"] = ss if isinstance(ss, list) else ([] if ss is None else [ss])
    res["status"] = "ran"
    res["out"] = d
    res["ss"] = res["ss_list"][-1] if res["ss_list"] else None
    return res


FLOOR = 1e-3  # entries below 1e-3 x the block's largest |entry| are compared in absolute terms


def deviation(g, d, floor=None):
    """(agree, max deviation, max abs deviation) of g against the Dynare reference d.

    S = the block's scale: max |d|, or floor / 1e-8 when the caller gives a floor (for IRFs,
    compare_dynare passes 1e-8 x the largest response to the same shock). The deviation is

        max |g - d| / max(|d|, 1e-3 S)

    and the block agrees when it is <= 1e-8: every entry of at least 1e-3 of the block's largest
    agrees to 1e-8 relative, every smaller one to 1e-11 of the block's scale. Smaller entries
    (IRFs passing through zero, covariances of nearly uncorrelated variables, structural zeros
    that compute as 1e-13 S in either tool) carry the round-off of the whole block, about
    1e-12 S in the corpus, so a relative test on them would compare round-off."""
    g = np.asarray(g, float)
    d = np.asarray(d, float)
    if g.shape != d.shape:
        return False, float("inf"), float("inf")
    if d.size == 0:
        return True, 0.0, 0.0
    if not np.all(np.isfinite(g)):
        return False, float("inf"), float("inf")
    S = float(np.max(np.abs(d)))
    if floor is not None:
        S = max(S, floor / 1e-8)
    diff = np.abs(g - d)
    if S == 0.0:
        m = float(np.max(diff))
        return m == 0.0, (0.0 if m == 0.0 else float("inf")), m
    dev = float(np.max(diff / np.maximum(np.abs(d), FLOOR * S)))
    return bool(dev <= RTOL), dev, float(np.max(diff))


cd.deviation = deviation  # compare_dynare.compare uses the same measure


def dyn_arrays(dump):
    """The Dynare dump as numpy arrays, in the shape compare_dynare.compare expects."""
    def arr(v):
        a = np.array([np.nan if x is None else x for x in v["data"]], float)
        return a.reshape(v["shape"], order="F")
    endo = list(dump["endo_names"])
    # Dynare names a lag auxiliary AUX_ENDO_LAG_<symbol id>_<lag>, govsim
    # AUX_ENDO_LAG_<0-based index of the variable>_<lag>: rename Dynare's to govsim's scheme
    # using M_.aux_vars (type 1 = endogenous lag; orig_index is 1-based).
    if "aux_vars" in dump:
        for ei, typ, oi, ol in arr(dump["aux_vars"]).astype(int).tolist():
            if typ == 1 and oi > 0:
                endo[ei - 1] = f"AUX_ENDO_LAG_{oi - 1}_{abs(ol)}"
            elif typ == 0 and oi > 0:
                endo[ei - 1] = f"AUX_ENDO_LEAD_{oi - 1}_{abs(ol)}"
            elif typ == 3 and oi > 0:
                # shock lags: Dynare AUX_EXO_LAG_<id>_k = e(-k); govsim AUX_EXO_LAG_<shock index>_0 = e and
                # AUX_ENDO_LAG_<index of that auxiliary>_k = its k-th lag (resolved in compare_all)
                endo[ei - 1] = f"AUX_EXO_LAG_{oi - 1}_0" if ol == 0 else f"@EXO_LAG_{oi - 1}_{abs(ol)}"
    out = {"endo_names": endo, "exo_names": dump["exo_names"], "irfs": {}}
    for k in ("steady_state", "ghx", "ghu", "order_var", "inv_order_var", "state_var", "var"):
        if k in dump:
            out[k] = arr(dump[k])
    for k, v in dump.get("irfs", {}).items():
        out["irfs"][k] = arr(v).ravel()
    out["orig_endo_nbr"] = dump.get("orig_endo_nbr", len(dump["endo_names"]))
    return out


def compare_var(dyn, ss):
    """Variance block: (agree or None, max rel, max abs, note). Dynare's oo_.var holds the
    declared variables (no variable list after normalization) and NaN for the nonstationary ones
    when the model has unit roots: only its finite entries are compared."""
    if "var" not in dyn:
        return (None, float("nan"), float("nan"), "Dynare computed no variances")
    D = dyn["var"]
    dvl = [n for n in dyn["endo_names"][: dyn["orig_endo_nbr"]]][: D.shape[0]]
    finite = np.isfinite(D)
    mom = ss.get("moments") or {}
    if mom.get("var") is None:
        if finite.any():
            return (None, float("nan"), float("nan"),
                    f"govsim computed no variances (Dynare: {int(np.sqrt(finite.sum()))} stationary variables)")
        return (None, float("nan"), float("nan"), "")
    vl = list(mom.get("var_list", ss["endo_names"]))
    G = np.array(mom["var"], float)
    common = [n for n in dvl if n in vl]
    gi = [vl.index(n) for n in common]
    di = [dvl.index(n) for n in common]
    Dm, Gm, F = D[np.ix_(di, di)], G[np.ix_(gi, gi)], finite[np.ix_(di, di)]
    a, r, ab = cd.deviation(Gm[F], Dm[F])
    return (a, r, ab, "")


def compare_all(dyn, gov):
    """Block comparison: dict block -> (agree, max rel, max abs[, n]) plus 'note'."""
    ss = gov["ss"]
    # govsim's name for the k-th lag of shock i: the lag auxiliary of AUX_EXO_LAG_<i>_0
    # (govsim was run with --include-aux, so its endo_names list the auxiliaries in index order)
    g_all = list(ss["endo_names"])
    names = []
    for n in dyn["endo_names"]:
        if n.startswith("@EXO_LAG_"):
            i, k = n[len("@EXO_LAG_"):].split("_")
            base = f"AUX_EXO_LAG_{i}_0"
            n = f"AUX_ENDO_LAG_{g_all.index(base)}_{k}" if base in g_all else n
        names.append(n)
    dyn = dict(dyn, endo_names=names)
    res = {}
    # steady state of the declared variables
    g_ss = dict(zip(ss["endo_names"], np.asarray(ss["steady_state"], float)))
    names = [n for n in dyn["endo_names"][: dyn["orig_endo_nbr"]] if n in g_ss]
    d_ss = dyn["steady_state"].ravel()
    idx = [dyn["endo_names"].index(n) for n in names]
    res["steady"] = cd.deviation([g_ss[n] for n in names], d_ss[idx])
    missing = [n for n in dyn["endo_names"][: dyn["orig_endo_nbr"]] if n not in g_ss]
    c = cd.compare(dyn, ss)
    res.update(c)
    res["var"] = compare_var(dyn, ss)
    note = [x for x in c["note"].split("; ") if x and not x.startswith("no variance")]
    if res["var"][0] is None and res["var"][3]:
        note.append(res["var"][3])
    res["note"] = "; ".join(note)
    if missing:
        res["steady"] = (False,) + tuple(res["steady"][1:])
        res["note"] = (res["note"] + "; " if res["note"] else "") + f"variables not in govsim: {missing[:5]}"
    return res


def fmt(x):
    if x is None or (isinstance(x, float) and (np.isnan(x) or np.isinf(x))):
        return "-" if x is None or np.isnan(x) else "inf"
    return f"{x:.1e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="folder with one sub-folder per .mod file")
    ap.add_argument("--only", help="comma-separated ids")
    ap.add_argument("--govsim", default=os.environ.get("GOVSIM_BIN", os.path.join(ROOT, "build", "bin", "govsim")))
    ap.add_argument("--dynare-cache", default=os.path.join(ROOT, "bench", "results", "corpus_dynare_cache"))
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results", "corpus.json"))
    ap.add_argument("--markdown", help="write the table here too")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--no-dynare", action="store_true", help="use cached Dynare results only")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    ids = sorted(d for d in os.listdir(args.corpus) if os.path.isdir(os.path.join(args.corpus, d)))
    if args.only:
        keep = set(args.only.split(","))
        ids = [i for i in ids if i in keep]
    os.makedirs(args.dynare_cache, exist_ok=True)
    records = []
    for cid in ids:
        work = tempfile.mkdtemp(prefix="govsim_corpus_")
        rec = {"id": cid}
        try:
            name, changes, h, live = prepare(os.path.join(args.corpus, cid), work)
            rec.update(file=name, normalized=changes, hash=h)
            cache = os.path.join(args.dynare_cache, f"{cid}-{h}.json")
            if os.path.exists(cache):
                dyn = json.load(open(cache))
            elif args.no_dynare:
                rec["govsim_status"] = "skipped"
                rec["note"] = "no cached Dynare result (--no-dynare)"
                continue
            else:
                print(f"[{cid}] dynare ...", file=sys.stderr, flush=True)
                dyn = run_dynare(work, name, args.timeout)
                if "dump" not in dyn and "steady state" in (dyn.get("error") or ""):
                    # Large models whose steady-state values are large cannot always bring the
                    # residuals below 1e-13: run Dynare again with looser tolerances, down to its default.
                    first = dyn.get("error")
                    path = os.path.join(work, "dynare", name)
                    body = open(path).read()[len(DYNARE_TOLERANCE):]
                    for tol in ("1e-11", "1e-9", None):
                        head = DYNARE_TOLERANCE.replace("1e-13", tol) if tol else ""
                        with open(path, "w") as f:
                            f.write(head + body)
                        print(f"[{cid}] dynare (solve_tolf {tol or 'default'}) ...", file=sys.stderr, flush=True)
                        dyn = run_dynare(work, name, args.timeout)
                        dyn["tolerance"] = (f"Dynare solve_tolf = {tol}" if tol else "Dynare default solve_tolf") + \
                            " (with 1e-13: " + first[:100] + ")"
                        if "dump" in dyn or "steady state" not in (dyn.get("error") or ""):
                            break
                with open(cache, "w") as f:
                    json.dump(dyn, f)
            print(f"[{cid}] govsim ...", file=sys.stderr, flush=True)
            gov = run_govsim(args.govsim, work, name, args.timeout)
            rec["dynare_time"] = dyn.get("time")
            rec["dynare_time_inside"] = dyn.get("time_inside")
            rec["dynare_error"] = dyn.get("error")
            rec["dynare_run_error"] = dyn.get("run_error")
            rec["dynare_tolerance"] = dyn.get("tolerance")
            rec["govsim_time"] = gov.get("time")
            rec["dynare_cpu"] = dyn.get("cpu")
            rec["govsim_cpu"] = gov.get("cpu")
            rec["govsim_status"] = gov["status"]
            rec["govsim_error"] = gov.get("error")
            rec["govsim_warnings"] = gov.get("warnings", [])
            if "dump" in dyn:
                rec["n_endo"] = dyn["dump"].get("orig_endo_nbr")
            if "dump" in dyn and gov["status"] == "ran" and gov.get("ss") is not None:
                # pair the commands: Dynare's last completed stoch_simul (k of n) with govsim's
                # result of the same command (govsim runs every command; Octave stops at the first
                # MATLAB statement it cannot run)
                k, n = dyn.get("command", 1), len(live)
                pos = [i for i, (kk, _) in enumerate(live) if kk == k]
                if len(gov["ss_list"]) != n or not pos:
                    gov["ss"] = None
                    rec["govsim_status"] = "comparison failed"
                    rec["note"] = (f"govsim ran {len(gov['ss_list'])} stoch_simul commands, the file has {n} "
                                   "after macro processing: cannot pair them with Dynare's")
                else:
                    i = pos[-1]  # a command repeated by @#for: Dynare's dump is its last run
                    gov["ss"] = gov["ss_list"][i]
                    rec["command"] = {"index": i + 1, "of": n, "line": live[i][1]}
                    if i + 1 < n:
                        rec["command_note"] = (f"compared: stoch_simul {i + 1} of {n} (line {live[i][1]}), the "
                                               "last one Dynare completed")
            elif gov["status"] == "ran" and gov.get("ss") is None:
                rec["govsim_status"] = "no stoch_simul result"
            if "dump" in dyn and gov["status"] == "ran" and gov.get("ss") is not None:
                try:
                    c = compare_all(dyn_arrays(dyn["dump"]), gov)
                    blocks = ("steady", "ghx", "ghu", "irf", "var")
                    flags = [c[k][0] for k in blocks if c[k][0] is not None]
                    rec["blocks"] = {k: {"agree": c[k][0], "max_rel": c[k][1], "max_abs": c[k][2]} for k in blocks}
                    rec["n_irf"] = c["irf"][3]
                    rec["note"] = "; ".join(x for x in (rec.get("command_note"), c["note"]) if x)
                    rec["max_rel"] = max(c[k][1] for k in blocks if c[k][0] is not None)
                    rec["match"] = bool(all(flags))
                    rec["govsim_status"] = "match" if rec["match"] else "MISMATCH"
                    if rec["match"] and c["var"][0] is None and "govsim computed no variances" in c["var"][3]:
                        rec["govsim_status"] = "match (no variances)"
                except Exception as e:  # a comparison bug must not hide the other files
                    rec["govsim_status"] = "comparison failed"
                    rec["note"] = repr(e)[:300]
        except Exception as e:
            rec["govsim_status"] = "harness error"
            rec["note"] = repr(e)[:300]
        finally:
            if args.keep:
                rec["scratch"] = work
            else:
                shutil.rmtree(work, ignore_errors=True)
        records.append(rec)
        print(f"[{cid}] {rec.get('govsim_status')} {rec.get('max_rel', '')} "
              f"{rec.get('govsim_error') or rec.get('dynare_error') or rec.get('note') or ''}", file=sys.stderr, flush=True)
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(records, f, indent=1)
    table = render(records, args.govsim)
    print(table)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(table)


REASONS = [  # (pattern in govsim's message, feature it names) for the summary of failures
    ("unknown symbol 'steady_state'", "steady_state() operator in the model"),
    ("INV_GAMMA_PDF", "upper-case prior names in estimated_params"),
    ("unknown symbol 'inf'", "inf bounds in estimated_params"),
    ("estimated_params line", "estimated_params line with bounds only"),
    ("declared twice", "a name repeated in one declaration"),
    ("Jacobian has NaN", "parameters assigned in steady_state_model (endogenous calibration)"),
    ("_steady_state_helper", "MATLAB function called in steady_state_model"),
    ("option 'loglinear'", "stoch_simul(loglinear) (rules in logs)"),
    ("steady-state solver met NaN", "MATLAB steady-state file (<name>_steadystate.m)"),
    ("unterminated string", "native MATLAB statement (transpose ')"),
    ("expected an option name", "native MATLAB statement (indexed assignment)"),
    ("found '['", "native MATLAB statement (matrix)"),
    ("unexpected character '~'", "native MATLAB statement (~)"),
    ("found string", "native MATLAB statement (string assignment)"),
    ("MATLAB code outside a verbatim", "native MATLAB statement (close / options_)"),
    ("found '-'", "native MATLAB statement (expression statement)"),
    ("unknown symbol", "native MATLAB statement (MATLAB function)"),
]


def reason_of(msg):
    for pat, what in REASONS:
        if pat in (msg or ""):
            return what
    return (msg or "")[:80]


def analysis_notes():
    """Per-file findings on the remaining mismatches (analysis.json beside this script: the cause
    found with accuracy.py or by reading the file), appended to the table's reason column."""
    path = os.path.join(HERE, "analysis.json")
    return json.load(open(path)) if os.path.exists(path) else {}


def render(records, govsim):
    """Markdown: per-file table, summary with failures grouped by reason, large-model timings."""
    notes = analysis_notes()
    lines = ["| file | vars | Dynare ok? | govsim status | max rel diff | Dynare s | govsim s | ratio | reason / note |",
             "|---|---|---|---|---|---|---|---|---|"]
    counts, reasons = {}, {}
    n_ok = n_match = n_match_nv = 0
    for r in records:
        dyn_ok = r.get("dynare_error") is None
        st = r.get("govsim_status")
        if dyn_ok:
            n_ok += 1
            counts[st] = counts.get(st, 0) + 1
            if st == "match":
                n_match += 1
            elif st == "match (no variances)":
                n_match_nv += 1
            elif st not in ("match",):
                if st == "MISMATCH" and r.get("blocks"):
                    key = "blocks over 1e-8: " + ", ".join(
                        f"{b} {v['max_rel']:.1e}" for b, v in r["blocks"].items() if v["agree"] is False)
                    reasons.setdefault(f"{st}: {r['id']}", []).append(key)
                else:
                    key = reason_of(r.get("govsim_error")) if r.get("govsim_error") else (r.get("note") or st)
                    reasons.setdefault(f"{st}: {key}", []).append(r["id"])
        dt, gt = r.get("dynare_time"), r.get("govsim_time")
        ok_run = st in ("match", "match (no variances)", "MISMATCH")
        ratio = f"{dt / gt:.0f}x" if dt and gt and ok_run and dyn_ok else "-"
        reason = r.get("govsim_error") or r.get("note") or ""
        if st == "MISMATCH" and r.get("blocks"):
            reason = "over 1e-8: " + ", ".join(f"{b} {v['max_rel']:.1e}" for b, v in r["blocks"].items()
                                                 if v["agree"] is False) + ("; " + reason if reason else "")
            if r["id"] in notes:
                reason += "; " + notes[r["id"]]
        if not dyn_ok:
            reason = "Dynare: " + (r.get("dynare_error") or "") + ("; govsim: " + reason if reason else "")
        else:
            if r.get("dynare_tolerance"):
                reason += ("; " if reason else "") + r["dynare_tolerance"]
            if r.get("dynare_run_error"):
                reason += ("; " if reason else "") + "(Dynare's MATLAB code after stoch_simul fails in Octave)"
        reason = reason.replace("|", "/").replace("\n", " ")
        dts = f"{dt:.1f}" if dt else "-"
        if r.get("dynare_error", "") and "timeout" in r.get("dynare_error", ""):
            dts = f"> {dt:.0f}"
        lines.append(f"| {r['id']} | {r.get('n_endo', '-')} | {'yes' if dyn_ok else 'no'} | {st} | "
                     f"{fmt(r.get('max_rel'))} | {dts} | {gt or 0:.2f} | {ratio} | "
                     f"{reason if r['id'] in notes else reason[:220]} |")
    out = lines + [""]
    out.append(f"**{len(records)} files; Dynare 5.3 runs {n_ok}; govsim matches Dynare on {n_match + n_match_nv} "
               f"of them ({100.0 * (n_match + n_match_nv) / max(n_ok, 1):.0f}%): {n_match} in every block, "
               f"{n_match_nv} in steady state, decision rules and IRFs with no variances reported by govsim "
               f"(unit roots).**")
    out.append("")
    out.append("| govsim outcome on the files Dynare runs | files |")
    out.append("|---|---|")
    for k in sorted(counts):
        out.append(f"| {k} | {counts[k]} |")
    out.append("")
    if reasons:
        out.append("| failure (govsim status: feature) | files |")
        out.append("|---|---|")
        for k in sorted(reasons, key=lambda k: -len(reasons[k])):
            out.append(f"| {k.replace('|', '/')} | {len(reasons[k])}: {', '.join(reasons[k])} |")
        out.append("")
    big = [r for r in records if (r.get("n_endo") or 0) >= 100 or (r.get("dynare_error") or "").startswith("timeout")]
    if big:
        out.append("| large model | vars | Dynare s (wall) | govsim s (wall) | ratio (wall) | Dynare CPU s | "
                   "govsim CPU s | ratio (CPU) | govsim status |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for r in big:
            dt, gt = r.get("dynare_time"), r.get("govsim_time")
            dc, gc = r.get("dynare_cpu"), r.get("govsim_cpu")
            timeout = "timeout" in (r.get("dynare_error") or "")
            ratio = (f"> {dt / gt:.0f}x" if timeout else f"{dt / gt:.0f}x") if dt and gt else "-"
            cratio = f"{dc / gc:.0f}x" if dc and gc and not timeout else "-"
            out.append(f"| {r['id']} | {r.get('n_endo', '-')} | {('> ' if timeout else '')}{dt or 0:.1f} | "
                       f"{gt or 0:.2f} | {ratio} | {f'{dc:.1f}' if dc else '-'} | {f'{gc:.2f}' if gc else '-'} | "
                       f"{cratio} | {r.get('govsim_status')} |")
        out.append("")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
