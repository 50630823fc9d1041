#!/usr/bin/env python3
"""Which tool is closer to the exact first-order solution? An independent check of one corpus file.

For a file that `run_corpus.py --keep` left in a scratch directory (the JSON record holds the
directory and the compared command), this script

1. loads the model as it stands at the compared `stoch_simul` (the file cut before that line)
   with govsim's Python API and evaluates the static residuals at each tool's steady state
   (max |f(ys)| relative to the largest term of each equation);
2. takes the dynamic Jacobian at govsim's steady state, [Jm J0 Jp Ju] (lagged states, current,
   leads, shocks), and measures each tool's decision rules in the first-order conditions
       R_x = Jp ghx ghx_s + J0 ghx + Jm,    R_u = Jp ghx ghu_s + J0 ghu + Ju
   (ghx_s, ghu_s: the rows of the state variables): per equation, its largest |R| over the largest
   entry of |Jp||ghx||ghx_s| + |J0||ghx| + |Jm| (a backward error of the quadratic matrix equation);
3. refines the solution by Newton's method with residuals in extended precision (long double):
   each step solves J0' dX + Jp dX N = -R (J0' = J0 + Jp ghx on the state columns, N = ghx_s)
   column by column in the Schur basis of N, until the correction stops shrinking. The result X* is the exact
   solution for this Jacobian to about 1e-18 relative; each tool's ghx, ghu and IRFs (the
   recursion y_1 = ghu c_j, y_t = ghx y_{t-1,s} with c_j the j-th column of chol(Sigma_e)) are
   compared with it in the harness's measure (see run_corpus.deviation);
4. estimates the conditioning: X* again for the Jacobian with every entry perturbed by a random
   relative 2^-53 (what evaluating it in double precision leaves), and the same measure between
   the two X*. A difference between the tools of that size cannot be attributed to either.

Usage:
  PYTHONPATH=build/python /usr/bin/python3 bench/corpus/accuracy.py RECORDS.json DYNARE_CACHE ID [ID ...]

RECORDS.json: the --json output of a `run_corpus.py --keep` run; DYNARE_CACHE: its --dynare-cache.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_corpus as rc  # noqa: E402

LD = np.longdouble


def sylvester(M, Jp, N, C):
    """X with M X + Jp X N = C: with the complex Schur form N = Q T Q*, column k of Y = X Q
    solves (M + T_kk Jp) y_k = (C Q)_k - Jp sum_{i<k} y_i T_ik (M + lambda Jp is regular for the
    eigenvalues lambda of N, the stable ones, when the model has a unique stable solution)."""
    import scipy.linalg as sl
    if N.shape[0] == 0:
        return np.zeros((M.shape[0], 0))
    T, Q = sl.schur(np.asarray(N, float), output="complex")
    CQ = np.asarray(C, float) @ Q
    Y = np.zeros(CQ.shape, complex)
    for k in range(T.shape[0]):
        rhs = CQ[:, k] - Jp @ (Y[:, :k] @ T[:k, k])
        Y[:, k] = np.linalg.solve(M + T[k, k] * Jp, rhs)
    return np.real(Y @ Q.conj().T)


class FirstOrder:
    """The first-order conditions of a model at its steady state, in govsim's variable order."""

    def __init__(self, J, endo, states, exo):
        self.n, self.endo, self.states, self.exo = len(endo), endo, states, exo
        self.sidx = [endo.index(s) for s in states]

        def block(cols):
            return np.column_stack([J[c].to_numpy(float) if c in J.columns else np.zeros(len(J))
                                    for c in cols]) if cols else np.zeros((len(J), 0))
        self.Jm = block([f"{s}(-1)" for s in states])
        self.J0 = block(list(endo))
        self.Jp = block([f"{v}(+1)" for v in endo])
        self.Ju = block(list(exo))

    def residual_x(self, G, dtype=float):
        Jp, J0, Jm = (np.asarray(a, dtype) for a in (self.Jp, self.J0, self.Jm))
        G = np.asarray(G, dtype)
        Gs = G[self.sidx, :]
        R = Jp @ G @ Gs + J0 @ G + Jm
        scale = np.abs(Jp) @ np.abs(G) @ np.abs(Gs) + np.abs(J0) @ np.abs(G) + np.abs(Jm)
        return R, scale

    def residual_u(self, G, H, dtype=float):
        Jp, J0, Ju = (np.asarray(a, dtype) for a in (self.Jp, self.J0, self.Ju))
        G, H = np.asarray(G, dtype), np.asarray(H, dtype)
        R = Jp @ G @ H[self.sidx, :] + J0 @ H + Ju
        scale = np.abs(Jp) @ np.abs(G) @ np.abs(H[self.sidx, :]) + np.abs(J0) @ np.abs(H) + np.abs(Ju)
        return R, scale

    def m_matrix(self, G):
        M = np.array(self.J0, float)
        M[:, self.sidx] += self.Jp @ np.asarray(G, float)
        return M

    def refine(self, G0, H0, steps=8):
        """Newton's method on R_x (extended-precision residuals), then H from R_u."""
        G = np.asarray(G0, LD)
        last = np.inf
        for _ in range(steps):
            R, _ = self.residual_x(G, LD)
            dG = sylvester(self.m_matrix(G), self.Jp, np.asarray(G, float)[self.sidx, :], -np.asarray(R, float))
            G = G + np.asarray(dG, LD)
            size = float(np.max(np.abs(dG))) if dG.size else 0.0
            if size == 0.0 or size >= last:
                break
            last = size
        H = np.asarray(H0, LD)
        M = self.m_matrix(G)
        for _ in range(steps):
            R, _ = self.residual_u(G, H, LD)
            dH = -np.linalg.solve(M, np.asarray(R, float))
            H = H + np.asarray(dH, LD)
            if not dH.size or np.max(np.abs(dH)) <= 1e-19 * max(float(np.max(np.abs(H))), 1e-300):
                break
        return G, H


def rel_backward(R, scale):
    if R.size == 0:
        return 0.0
    # per equation: its largest residual over its largest term (an entrywise ratio would divide
    # the round-off of structural zeros by itself)
    # (rows whose terms are all round-off of structural zeros: against 1e-13 of the largest term)
    num = np.max(np.abs(np.asarray(R, float)), axis=1)
    den = np.max(np.asarray(scale, float), axis=1)
    return float(np.max(num / np.maximum(den, 1e-13 * max(float(np.max(den)), 1e-300))))


def irfs(G, H, sidx, c, periods):
    """(periods x n) response to the impulse H c."""
    y = np.asarray(H, LD) @ np.asarray(c, LD)
    out = [y]
    for _ in range(periods - 1):
        y = np.asarray(G, LD) @ y[sidx]
        out.append(y)
    return np.array(out, LD)


def analyse(rec, cache):
    import govsim
    scratch = rec["scratch"]
    gdir = os.path.join(scratch, "govsim")
    name = rec["file"]
    cmd = rec.get("command") or {"index": 1, "line": None}
    gov = json.load(open(os.path.join(gdir, "govsim.json")))["stoch_simul"]
    gov = gov if isinstance(gov, list) else [gov]
    g = gov[cmd["index"] - 1]
    # Dynare's result of that command (run_corpus pairs them), from its cache
    dyn = rc.dyn_arrays(json.load(open(os.path.join(cache, f"{rec['id']}-{rec['hash']}.json")))["dump"])
    # the model as it stands at the compared command
    lines = open(os.path.join(gdir, name)).read().split("\n")
    cut = os.path.join(gdir, "accuracy_cut.mod")
    with open(cut, "w") as f:
        f.write("\n".join(lines[: (cmd["line"] - 1) if cmd.get("line") else len(lines)]) + "\n")
    m = govsim.dsge.Model.from_file(cut)
    endo = list(g["endo_names"])
    exo = list(g["exo_names"])
    states = list(g["state_names"])
    ys_g = np.asarray(g["steady_state"], float)
    out = {"id": rec["id"]}
    # 1. steady state residuals
    decl = list(m.declared_endo_names)
    d_names = dyn["endo_names"]
    d_ys = dyn["steady_state"].ravel()
    ys_d = ys_g.copy()
    for i, n in enumerate(endo):
        if n in d_names and n in decl:
            ys_d[i] = d_ys[d_names.index(n)]
    import re
    for i, n in enumerate(endo):  # lead/lag auxiliaries: the steady state of their variable
        a = re.match(r"AUX_ENDO_(LAG|LEAD)_(\d+)_\d+$", n)
        if a and int(a.group(2)) < len(decl) and decl[int(a.group(2))] in endo:
            ys_d[i] = ys_d[endo.index(decl[int(a.group(2))])]
    import pandas as pd
    for tag, ys in (("govsim", ys_g), ("dynare", ys_d)):
        try:
            r = m.static_residuals(pd.Series(ys, index=endo)).to_numpy(float)
            out[f"ss_residual_{tag}"] = float(np.max(np.abs(r)))
        except Exception as e:  # a model whose static form needs only declared variables
            r = m.static_residuals(pd.Series(ys[[endo.index(n) for n in decl]], index=decl)).to_numpy(float)
            out[f"ss_residual_{tag}"] = float(np.max(np.abs(r)))
    out["ss_scale"] = float(np.max(np.abs(ys_g)))
    # Newton polish of the steady state (double precision), distance of each tool's to it
    names_static = list(m.static_residuals(pd.Series(ys_g, index=endo)).index)
    y = pd.Series(ys_g, index=endo)
    for _ in range(5):
        r = m.static_residuals(y).to_numpy(float)
        Js = m.static_jacobian(y)
        step = np.linalg.lstsq(Js.to_numpy(float), -r, rcond=None)[0]
        y = y.add(pd.Series(step, index=Js.columns), fill_value=0.0)
    out["ss_residual_polished"] = float(np.max(np.abs(m.static_residuals(y).to_numpy(float))))
    yp = y.reindex(endo).to_numpy(float)
    di = [endo.index(n) for n in decl]
    out["ss_govsim_vs_polished"] = rc.deviation(ys_g[di], yp[di])[1]
    out["ss_dynare_vs_polished"] = rc.deviation(ys_d[di], yp[di])[1]
    # 2. first-order conditions at govsim's steady state
    J = m.dynamic_jacobian(pd.Series(ys_g, index=endo))
    fo = FirstOrder(J, endo, states, exo)
    Gg = np.array(g["ghx"], float).reshape(len(endo), len(states))
    Hg = np.array(g["ghu"], float).reshape(len(endo), len(exo))
    # Dynare's rules in govsim's order (rows by name, state columns by name)
    inv = dyn["inv_order_var"].ravel().astype(int) - 1
    d_states = [d_names[int(i) - 1] for i in dyn["state_var"].ravel()]
    Gd, Hd = Gg.copy(), Hg.copy()
    ok_map = set(states) == set(d_states)
    for i, n in enumerate(endo):
        if n in d_names:
            r = d_names.index(n)
            Gd[i, :] = [dyn["ghx"][inv[r], d_states.index(s)] if s in d_states else np.nan for s in states]
            Hd[i, :] = [dyn["ghu"][inv[r], dyn_exo] for dyn_exo in [list(dyn["exo_names"]).index(e) for e in exo]]
    out["states_matched"] = ok_map
    for tag, G, H in (("govsim", Gg, Hg), ("dynare", Gd, Hd)):
        out[f"qme_backward_{tag}"] = rel_backward(*fo.residual_x(G, LD))
        out[f"ghu_backward_{tag}"] = rel_backward(*fo.residual_u(G, H, LD))
    # 3. the exact solution for this Jacobian
    Gs, Hs = fo.refine(Gg, Hg)
    out["qme_backward_refined"] = rel_backward(*fo.residual_x(Gs, LD))
    Gs64, Hs64 = np.asarray(Gs, float), np.asarray(Hs, float)
    for tag, G, H in (("govsim", Gg, Hg), ("dynare", Gd, Hd)):
        out[f"ghx_vs_exact_{tag}"] = rc.deviation(G, Gs64)[1]
        out[f"ghu_vs_exact_{tag}"] = rc.deviation(H, Hs64)[1]
    # IRFs: same impulse as the tools (columns of chol(Sigma_e))
    Sigma = m.Sigma_e.loc[exo, exo].to_numpy(float)
    keep = np.diag(Sigma) > 1e-13
    L = np.zeros_like(Sigma)
    if keep.any():
        L[np.ix_(keep, keep)] = np.linalg.cholesky(Sigma[np.ix_(keep, keep)])
    periods = max((len(v) for v in dyn["irfs"].values()), default=0)

    def irf_dev(G, H, ref_G, ref_H, which):
        """Largest deviation of IRFs (which: 'govsim', 'dynare' or a (G, H) pair) from those of ref."""
        worst = 0.0
        for j, e in enumerate(exo):
            if not keep[j] or periods == 0:
                continue
            ref = np.asarray(irfs(ref_G, ref_H, fo.sidx, L[:, j], periods), float)
            keys = {key[: -len(e) - 1]: key for key in dyn["irfs"] if key.endswith("_" + e)}
            keys = {v: key for v, key in keys.items() if v in endo}
            if not keys:
                continue
            scale = max(float(np.max(np.abs(dyn["irfs"][key]))) for key in keys.values())
            mine = np.asarray(irfs(G, H, fo.sidx, L[:, j], periods), float) if which == "pair" else None
            for v, key in keys.items():
                r = ref[:, endo.index(v)]
                dv = dyn["irfs"][key]
                if which == "dynare":
                    x = dv
                elif which == "govsim":
                    x = np.asarray(g.get("irfs", {}).get(e, {}).get(v, []), float)[: len(dv)]
                else:
                    x = mine[: len(dv), endo.index(v)]
                if len(x) == len(dv):
                    worst = max(worst, rc.deviation(x, r[: len(dv)], floor=1e-8 * scale)[1])
        return worst

    out["irf_vs_exact_govsim"] = irf_dev(None, None, Gs, Hs, "govsim")
    out["irf_vs_exact_dynare"] = irf_dev(None, None, Gs, Hs, "dynare")
    # the same at Dynare's steady state (where Dynare linearized)
    if np.max(np.abs(ys_d - ys_g)) > 0:
        fod = FirstOrder(m.dynamic_jacobian(pd.Series(ys_d, index=endo)), endo, states, exo)
        Gsd, Hsd = fod.refine(Gd, Hd)
        out["qme_backward_dynare_at_dynare_ss"] = rel_backward(*fod.residual_x(Gd, LD))
        out["ghx_vs_exact_dynare_at_dynare_ss"] = rc.deviation(Gd, np.asarray(Gsd, float))[1]
        out["ghu_vs_exact_dynare_at_dynare_ss"] = rc.deviation(Hd, np.asarray(Hsd, float))[1]
        out["irf_vs_exact_dynare_at_dynare_ss"] = irf_dev(None, None, Gsd, Hsd, "dynare")
        out["exact_ghx_ss_effect"] = rc.deviation(np.asarray(Gs, float), np.asarray(Gsd, float))[1]
        out["exact_irf_ss_effect"] = irf_dev(Gs, Hs, Gsd, Hsd, "pair")
    # exact solution at govsim's steady state against Dynare, in the harness's measure
    out["exact_vs_dynare_ghx"] = rc.deviation(Gs64, Gd)[1]
    out["exact_vs_dynare_ghu"] = rc.deviation(Hs64, Hd)[1]
    # 4. conditioning: the exact solution for a Jacobian perturbed by 2^-53 relative
    rng = np.random.default_rng(0)
    J2 = J * (1.0 + 2.0 ** -53 * rng.choice([-1.0, 1.0], size=J.shape))
    fo2 = FirstOrder(J2, endo, states, exo)
    G2, H2 = fo2.refine(Gs64, Hs64)
    out["ghx_conditioning"] = rc.deviation(np.asarray(G2, float), Gs64)[1]
    out["ghu_conditioning"] = rc.deviation(np.asarray(H2, float), Hs64)[1]
    os.remove(cut)
    return out


def main():
    records = {r["id"]: r for r in json.load(open(sys.argv[1]))}
    for cid in sys.argv[3:]:
        res = analyse(records[cid], sys.argv[2])
        print(json.dumps(res, indent=1), flush=True)


if __name__ == "__main__":
    main()
