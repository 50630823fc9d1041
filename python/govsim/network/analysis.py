"""Analyses of a generated network model: Hulten's theorem, sector contributions, IO
comparisons, welfare weights and optimal rules for several inflation targets."""
from __future__ import annotations

from typing import Dict, Mapping, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._deprecated import renamed_arguments
from .calibration import Calibration, calibrate, kappa, target_weights
from .generator import _DEFAULTS, NetworkModel, build_from_calibration

def hulten_check(nm: NetworkModel) -> pd.DataFrame:
    """Impact response of aggregate TFP (gdp - l) to a unit productivity shock in each sector
    against the model's Domar weight (``error``; exact to rounding when all prices are flexible)
    and, when the calibration came from a table, against the table's gross output over GDP
    (``domar_table``, ``error_table``: the table's own imbalance with ``final_demand="net"``)."""
    ghu = nm.solve().ghu
    S = nm.sectors
    resp = np.array([ghu.loc["gdp", f"e_z_{s}"] - ghu.loc["l", f"e_z_{s}"] for s in S])
    lam = nm.calibration.domar.to_numpy()
    out = pd.DataFrame({"response": resp, "domar": lam, "error": resp - lam}, index=pd.Index(S, name="sector"))
    if nm.calibration.domar_data is not None:
        out["domar_table"] = np.asarray(nm.calibration.domar_data, float)
        out["error_table"] = resp - out["domar_table"].to_numpy()
    return out


def contributions(nm: NetworkModel, shock: str, periods: int = 20, size: Optional[float] = None) -> Dict[str, pd.DataFrame]:
    """Sector contributions to aggregate CPI inflation (beta_i pi_i), to the targeted index
    (w_i pi_i) and to real GDP (lambda_i times the sector's net output growth, Divisia: y_i minus
    the share-weighted intermediate input growth, plus lambda_i g_i); each DataFrame has periods
    x sectors and its rows sum to pic, pitarget and gdp."""
    r = nm.irf(shock, periods, size)
    cal = nm.calibration
    S = cal.sectors
    lam = cal.domar.to_numpy()
    wt = np.asarray(nm.options["target_weights"])
    pi = r[[f"pi_{s}" for s in S]].to_numpy()
    p = r[[f"p_{s}" for s in S]].to_numpy()
    mc = r[[f"mc_{s}" for s in S]].to_numpy()
    y = r[[f"y_{s}" for s in S]].to_numpy()
    g = r[[f"g_{s}" for s in S]].to_numpy()
    # intermediate use x_ij = y_i + (epsilon-1) z_i - epsilon (p_j - p_i - mc_i);
    # net output (Divisia): y_i - sum_j omega_ij x_ij
    eps = float(nm.options["epsilon"])
    z = r[[f"z_{s}" for s in S]].to_numpy()
    x_in = (y + (eps - 1) * z)[:, :, None] - eps * (p[:, None, :] - (p + mc)[:, :, None])
    net = y - np.einsum("ij,tij->ti", cal.omega, x_in)
    va = lam[None, :] * net
    idx = r.index
    cols = pd.Index(S, name="sector")
    return {"cpi": pd.DataFrame(pi * cal.beta_c[None, :], index=idx, columns=cols),
            "target": pd.DataFrame(pi * wt[None, :], index=idx, columns=cols),
            "gdp": pd.DataFrame(va + 0 * g, index=idx, columns=cols)}


def flexible_price_comparison(nm: NetworkModel, sector: str, table=None) -> pd.DataFrame:
    """Flexible-price model responses to a 1% productivity gain in ``sector`` against the IO
    answers: prices relative to the wage vs the Leontief price model (cost change -0.01 per unit
    of output in ``sector``, Δp = L' Δv) and real gross output vs the Ghosh supply model
    (primary inputs of ``sector`` +1%). Leontief prices agree exactly with Cobb-Douglas; Ghosh
    quantities do not (Ghosh fixes allocation coefficients, Cobb-Douglas fixes expenditure
    shares), which the table shows."""
    cal = nm.calibration
    S = cal.sectors
    if sector not in S:
        raise _core.OptionsError(f"unknown sector '{sector}' (sectors: {', '.join(S)})")
    flex = build_from_calibration(cal, theta=0.0, **{k: nm.options[k] for k in _DEFAULTS})
    ghu = flex.solve().ghu
    e = f"e_z_{sector}"
    model_price = np.array([ghu.loc[f"p_{s}", e] - ghu.loc["w", e] for s in S]) * 0.01
    model_output = np.array([ghu.loc[f"y_{s}", e] for s in S]) * 0.01
    j = S.index(sector)
    dv = np.zeros(cal.n)
    dv[j] = -0.01
    leontief_price = np.linalg.solve(np.eye(cal.n) - cal.omega, dv)  # (I - A')^-1 dv, A_ji = omega_ij
    out = pd.DataFrame({"model_price": model_price, "leontief_price": leontief_price,
                        "model_output": model_output}, index=pd.Index(S, name="sector"))
    if table is not None:
        if table.n != cal.n:
            raise _core.DimensionError("flexible_price_comparison: table and model have different sizes")
        cost = table.price_change(pd.Series(dv, index=table.index))
        out["table_leontief_price"] = np.asarray(cost).reshape(-1)
        va = table.value_added.to_numpy(float).sum(axis=0)
        dva = np.zeros(cal.n)
        dva[j] = 0.01 * va[j]
        gh = np.asarray(table.ghosh_output_change(pd.Series(dva, index=table.index))).reshape(-1)
        out["ghosh_output"] = gh / table.x.to_numpy(float)
    return out


def welfare_weights(nm: NetworkModel, variety_elasticity: float = 6.0) -> Dict[str, float]:
    """Loss weights of a Woodford-style second-order welfare approximation for the network
    economy, without the relative-price-gap terms of the full network loss (Rubbo 2023):
    (sigma + phi) for the output gap and lambda_i * variety_elasticity / kappa_i for sector i's
    inflation (flexible sectors: 0). Stickier and more central sectors weigh more."""
    o = nm.options
    th = np.asarray(o["theta"])
    lam = nm.calibration.domar.to_numpy()
    k = kappa(th, o["beta"])
    w = {"ygap": float(o["sigma"] + o["phi"])}
    for s, t, l_, kk in zip(nm.sectors, th, lam, k):
        if t > 0:
            w[f"pi_{s}"] = float(l_ * variety_elasticity / kk)
    return w


@renamed_arguments(params="param_names")
def compare_targets(cal_or_table, scenario: Mapping[str, float], theta=0.75, targets=("cpi", "sticky"),
                    loss_weights: Optional[Mapping[str, float]] = None, param_names=("phi_pi", "phi_y"),
                    bounds: Optional[Mapping] = None, **model_params) -> pd.DataFrame:
    """Optimal simple rules for several inflation targets under a shock scenario.

    ``scenario``: {shock: stderr} (other shocks switched off), e.g. {"e_z_MFC": 0.01}.
    ``loss_weights`` (default {"pic": 1, "ygap": 0.25}) is the common loss every rule is judged
    by; ``"welfare"`` uses :func:`welfare_weights` (sectoral inflation weighted by Domar weight
    over the NKPC slope). Returns one row per target: optimal parameters, loss at the optimum and at the start,
    and the standard deviations of CPI inflation, the sticky-price index and the output gap."""
    from .. import policy

    cal = cal_or_table if isinstance(cal_or_table, Calibration) else calibrate(cal_or_table)
    base = build_from_calibration(cal, theta=theta, **model_params)
    off = {k: 0.0 for k in base.model.exo_names}
    bad = [k for k in scenario if k not in off]
    if bad:
        raise _core.OptionsError(f"scenario: unknown shock(s) {bad}")
    off.update({k: float(v) for k, v in scenario.items()})
    if isinstance(loss_weights, str):
        if loss_weights != "welfare":
            raise _core.OptionsError(f"loss_weights: a dict or 'welfare', got {loss_weights!r}")
        lw = welfare_weights(base)
    else:
        lw = dict(loss_weights or {"pic": 1.0, "ygap": 0.25})
    bnds = dict(bounds or {"phi_pi": (1.01, 20.0), "phi_y": (0.0, 10.0), "rho_i": (0.0, 0.99)})
    bnds = {k: v for k, v in bnds.items() if k in param_names}
    th = np.asarray(base.options["theta"])
    sticky_w = target_weights(cal, th, "sticky") if np.any(th > 0) else cal.beta_c
    rows = []
    for tg in targets:
        nm = build_from_calibration(cal, theta=theta, target=tg, shock_stderr=off, **model_params)
        r = policy.optimal_simple_rule(nm.model, lw, param_names=list(param_names), bounds=bnds)
        row = {"target": tg if isinstance(tg, str) else "custom", "loss": r.loss, "loss_start": r.loss_start,
               "status": r.status.name}
        row.update(r.params.to_dict())
        if not r.covariance.empty:
            cov = r.covariance
            pis = [f"pi_{s}" for s in cal.sectors]
            row["std_pic"] = float(np.sqrt(cov.loc["pic", "pic"]))
            row["std_sticky_index"] = float(np.sqrt(sticky_w @ cov.loc[pis, pis].to_numpy() @ sticky_w))
            row["std_ygap"] = float(np.sqrt(cov.loc["ygap", "ygap"]))
        rows.append(row)
    return pd.DataFrame(rows).set_index("target")
