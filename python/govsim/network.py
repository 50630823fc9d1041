"""Multi-sector New Keynesian models generated from input-output tables (production networks).

The generator turns an :class:`govsim.io.IOTable` into a log-linear New Keynesian model with a
production network, in the spirit of Pasten, Schoenle and Weber (2020), La'O and Tahbaz-Salehi
(2022) and Rubbo (2023), builds it with :class:`govsim.dsge.ModelBuilder` and returns a
:class:`govsim.dsge.Model`; ``NetworkModel.mod_text()`` is a .mod file that Dynare runs.

>>> from govsim import io, network
>>> table = network.aggregate_to(io.load_us_bea_2017(aggregate=True), 15)
>>> nm = network.build(table, theta=0.75)          # NetworkModel
>>> sol = nm.model.solve()
>>> nm.irf("e_z_MFC", periods=20)[["gdp", "pic"]]   # labelled DataFrame

Calibration (documented choice)
-------------------------------
For sector i with gross output x_i, intermediate purchases Z_ji from sector j and value added
VA_i (all value-added rows of the table: compensation, taxes, operating surplus):

* intermediate shares ``omega_ij = Z_ji / (sum_k Z_ki + VA_i)``: cost shares with total cost =
  intermediates + value added (= x_i in a balanced table);
* labor share ``alpha_i = 1 - sum_j omega_ij`` = the value-added share (all primary inputs are
  treated as labor, so production has constant returns);
* consumption shares ``beta_i`` = the sector's share in final demand (``final_demand="total"``:
  all final-demand columns, negative entries such as imports dropped, negatives floored at 0;
  ``"household"``: the first final-demand column, personal consumption F01000 in BEA tables; or a
  column name);
* elasticities (CES, one nest): ``epsilon`` between labor and intermediate inputs and among
  inputs, ``eta`` among consumption goods; 1 (the default) is Cobb-Douglas. At first order the
  marginal-cost equation depends only on cost shares; the elasticities enter input demands;
* Domar weights of the model ``lambda' = beta' (I - Omega)^-1`` (sales over GDP in the model's
  steady state, which is closed: all final demand is consumption). ``Calibration.domar_data``
  has the table's sales over value added for comparison.

Log-linear model (deviations from the efficient zero-inflation steady state; prices relative to
the consumer price index)::

    mc_i  = sum_j omega_ij p_j + alpha_i w - z_i - p_i                 real marginal cost
    pi_i  = beta pi_i(+1) + kappa_i mc_i,  kappa_i = (1-theta_i)(1-beta theta_i)/theta_i
            (theta_i = 0: flexible, mc_i = 0)
    p_i   = p_i(-1) + pi_i - pic   (i < N),   sum_i beta_i p_i = 0,   pic = sum_i beta_i pi_i
    y_i   = (beta_i/lambda_i)(c - eta p_i) + g_i
            + sum_k (omega_ki lambda_k/lambda_i)(y_k + (epsilon-1) z_k - epsilon (p_i - p_k - mc_k))
    l     = sum_i alpha_i lambda_i (y_i + (epsilon-1) z_i - epsilon (w - p_i - mc_i))   labor market
    w     = sigma c + phi l                                             labor supply
    c     = c(+1) - (i - pic(+1))/sigma                                 Euler equation
    gdp   = c + sum_i lambda_i g_i                                      real value added
    gdp_n = ((1+phi) sum_i lambda_i z_i + sigma sum_i lambda_i g_i)/(sigma+phi)   flexible-price GDP
    ygap  = gdp - gdp_n
    pitarget = sum_i w_i pi_i                                           index targeted by the rule
    i     = rho_i i(-1) + (1-rho_i)(phi_pi pitarget + phi_y ygap) + e_m
    z_i   = rho_z z_i(-1) + e_z_i,   g_i = rho_g g_i(-1) + e_g_i

(cost minimisation with Hicks-neutral productivity, x_ij = y_i + (epsilon-1) z_i - epsilon (p_j -
p_i - mc_i) and l_i = y_i + (epsilon-1) z_i - epsilon (w - p_i - mc_i), is substituted; p_i + mc_i is
the nominal marginal cost relative to the CPI); the production
function is then implied by the marginal-cost equation. Consumption demand is
c_i = c - eta p_i.) g_i is
exogenous demand for good i as a fraction of its sales. With flexible prices real marginal
costs are zero, and the first-order response of GDP minus labor (aggregate TFP) to z_i is the
Domar weight lambda_i (Hulten's theorem); with sigma = 1 labor does not move and GDP itself
responds by lambda_i.

Inflation targets (``target=``): ``"cpi"`` (beta weights), ``"sticky"`` (weights proportional
to lambda_i theta_i/(1-theta_i): Domar weight times the price duration, a stickiness-and-network
weighted index in the spirit of Rubbo's divine-coincidence index), ``"domar"`` (lambda/sum) or
a dict / array of weights.

Dask sweeps
-----------
:func:`sweep` runs scenarios x rule parameters x parameter draws: serially (``scheduler=None``),
on a local cluster (``"local"``, 2 workers by default), on Dask's threaded or synchronous
schedulers (``"threads"``, ``"sync"``) or on any scheduler address (``"tcp://host:8786"``).
Each worker builds a model once per specification (cache keyed by a hash of the spec), and
results are identical to the serial run (draws come from ``numpy.random.default_rng(seed)`` on
the client).

Multi-machine cluster::

    # machine A (scheduler; port 8786 for workers/clients, 8787 dashboard)
    dask scheduler --port 8786
    # every worker machine (same govsim build and Python on the PYTHONPATH)
    dask worker tcp://A:8786 --nworkers 2 --nthreads 1
    # client
    govsim sweep spec.json --scheduler tcp://A:8786 --json out.json
    # or from Python: network.sweep(spec, scheduler="tcp://A:8786")

(Debian's python3-distributed installs the ``dask`` command; older setups use
``dask-scheduler`` / ``dask-worker``.) Every worker needs the same govsim build on its
PYTHONPATH (e.g. ``PYTHONPATH=/path/to/build/python dask worker ...``). Prefer one thread per
worker process (``--nthreads 1``): the model cache is per thread, so that gives one model build
per process. Results do not depend on the cluster: evaluations run with single-threaded BLAS and
the table is assembled in task order. Scripts that start a ``"local"`` cluster must guard their
entry point with ``if __name__ == "__main__":`` (worker processes are spawned).
"""
from __future__ import annotations

import contextlib

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from . import dsge as _dsge

__all__ = ["Calibration", "NetworkModel", "calibrate", "aggregate_to", "build", "build_from_calibration",
           "target_weights", "welfare_weights", "dynare_irfs", "compare_with_dynare", "hulten_check", "flexible_price_comparison", "contributions", "compare_targets",
           "sweep", "SweepResult"]

_DEFAULTS = dict(beta=0.99, sigma=1.0, phi=1.0, epsilon=1.0, eta=1.0, phi_pi=1.5, phi_y=0.125, rho_i=0.0,
                 rho_z=0.9, rho_g=0.8,
                 sd_z=0.01, sd_g=0.01, sd_m=0.0025)


# ------------------------------------------------------------------------------------ calibration
def _fmt(v: float) -> str:
    """Shortest exact decimal of a double (the .mod text reproduces the value bit for bit)."""
    return repr(float(v))


def _sanitize(names) -> list:
    out, seen = [], set()
    for s in names:
        n = re.sub(r"[^A-Za-z0-9_]", "_", str(s)).strip("_") or "S"
        if n[0].isdigit():
            n = "S" + n
        base, k = n, 2
        while n in seen:
            n = f"{base}_{k}"
            k += 1
        seen.add(n)
        out.append(n)
    return out


@dataclass
class Calibration:
    """Network shares: ``omega`` (N x N, row i = inputs of sector i), ``alpha`` (labor / value-added
    shares), ``beta_c`` (consumption shares), sector names; derived Domar weights ``domar``."""

    sectors: list
    omega: np.ndarray
    alpha: np.ndarray
    beta_c: np.ndarray
    domar_data: Optional[np.ndarray] = None

    def __post_init__(self):
        self.omega = np.atleast_2d(np.asarray(self.omega, float))
        n = self.omega.shape[0]
        self.alpha = np.asarray(self.alpha, float).reshape(n)
        self.beta_c = np.asarray(self.beta_c, float).reshape(n)
        if self.omega.shape != (n, n) or len(self.sectors) != n:
            raise _core.DimensionError(f"calibration: omega is {self.omega.shape}, {len(self.sectors)} sector names")
        if np.any(self.omega < 0) or np.any(self.alpha <= 0) or np.any(self.beta_c < 0):
            raise _core.DataError("calibration: shares must be >= 0 and labor shares > 0")
        if np.max(np.abs(self.alpha + self.omega.sum(axis=1) - 1)) > 1e-12:
            raise _core.DataError("calibration: alpha_i + sum_j omega_ij must be 1 (constant returns)")
        if abs(self.beta_c.sum() - 1) > 1e-12:
            raise _core.DataError("calibration: consumption shares must sum to 1")
        self.sectors = _sanitize(self.sectors)

    @property
    def n(self) -> int:
        return len(self.sectors)

    @property
    def domar(self) -> pd.Series:
        """Model Domar weights lambda' = beta' (I - Omega)^-1 (sales / GDP)."""
        lam = np.linalg.solve((np.eye(self.n) - self.omega).T, self.beta_c)
        return pd.Series(lam, index=self.sectors, name="domar")

    def frame(self) -> pd.DataFrame:
        """Per-sector shares as a labelled DataFrame."""
        d = pd.DataFrame({"alpha": self.alpha, "beta_c": self.beta_c, "domar": self.domar.values,
                          "intermediate_share": self.omega.sum(axis=1)}, index=pd.Index(self.sectors, name="sector"))
        if self.domar_data is not None:
            d["domar_data"] = self.domar_data
        return d

    def to_dict(self) -> dict:
        return {"sectors": list(self.sectors), "omega": self.omega.tolist(), "alpha": self.alpha.tolist(),
                "beta_c": self.beta_c.tolist()}

    @classmethod
    def from_dict(cls, d: Mapping) -> "Calibration":
        return cls(list(d["sectors"]), np.asarray(d["omega"]), np.asarray(d["alpha"]), np.asarray(d["beta_c"]))


def calibrate(table, final_demand: str = "total") -> Calibration:
    """Shares of the network model from an IOTable (see the module docstring for the choices)."""
    Z = table.Z.to_numpy(float)
    n = Z.shape[0]
    va = table.value_added
    VA = va.to_numpy(float).sum(axis=0) if va is not None and va.size else table.x.to_numpy(float) - Z.sum(axis=0)
    cost = Z.sum(axis=0) + VA
    if np.any(cost <= 0):
        raise _core.DataError("network calibration: a sector has no inputs (total cost <= 0)")
    omega = (Z / cost[None, :]).T
    alpha = 1.0 - omega.sum(axis=1)
    if np.any(alpha <= 0):
        bad = [table.sectors[k] for k in np.where(alpha <= 0)[0]]
        raise _core.DataError(f"network calibration: value added <= 0 in {bad}")
    Y = table.Y
    if final_demand == "total":
        f = np.clip(Y.to_numpy(float), 0, None).sum(axis=1)
    elif final_demand == "household":
        f = Y.iloc[:, 0].to_numpy(float)
    elif final_demand in list(Y.columns):
        f = Y[final_demand].to_numpy(float)
    else:
        raise _core.OptionsError(f"final_demand must be 'total', 'household' or a column of {list(Y.columns)}")
    f = np.clip(f, 0, None)
    if f.sum() <= 0:
        raise _core.DataError("network calibration: final demand is zero")
    x = table.x.to_numpy(float)
    return Calibration(list(table.sectors), omega, alpha, f / f.sum(), domar_data=x / VA.sum())


def aggregate_to(table, n: int, return_mapping: bool = False):
    """Aggregate an IOTable to ``n`` sectors deterministically: repeatedly merge the smallest
    group (gross output) with the group it is most linked to relative to their joint size,
    (Z_ij + Z_ji) / (x_i + x_j). A group is named after its members joined by '_' (up to three
    codes; larger groups are named after their largest member plus '_grp').
    ``return_mapping=True`` also returns the {sector: group} dict."""
    n = int(n)
    if n < 1 or n > table.n:
        raise _core.OptionsError(f"aggregate_to: n must be in [1, {table.n}], got {n}")
    secs = list(table.sectors)
    x0 = table.x.to_numpy(float)
    members = {s: [s] for s in secs}
    Z = table.Z.to_numpy(float).copy()
    x = x0.copy()
    keys = list(secs)
    while len(keys) > n:
        k = int(np.argmin(x))
        link = (Z[k, :] + Z[:, k]) / (x[k] + x)
        link[k] = -1.0
        j = int(np.argmax(link))
        members[keys[j]] = members[keys[j]] + members.pop(keys[k])
        Z[j, :] += Z[k, :]
        Z[:, j] += Z[:, k]
        x[j] += x[k]
        Z = np.delete(np.delete(Z, k, axis=0), k, axis=1)
        x = np.delete(x, k)
        del keys[k]
    mapping = {}
    for key in keys:
        mem = sorted(members[key], key=secs.index)
        name = "_".join(mem) if len(mem) <= 3 else max(mem, key=lambda m: x0[secs.index(m)]) + "_grp"
        for m in mem:
            mapping[m] = name
    out = table.aggregate(mapping)
    return (out, mapping) if return_mapping else out


def target_weights(cal: Calibration, theta, target="cpi") -> np.ndarray:
    """Weights of the inflation index the rule targets (see module docstring)."""
    theta = np.broadcast_to(np.asarray(theta, float), (cal.n,))
    lam = cal.domar.to_numpy()
    if isinstance(target, str):
        if target == "cpi":
            w = cal.beta_c.copy()
        elif target == "domar":
            w = lam.copy()
        elif target == "sticky":
            w = lam * theta / (1 - theta)
        else:
            raise _core.OptionsError(f"target must be 'cpi', 'sticky', 'domar' or weights, got {target!r}")
    elif isinstance(target, Mapping):
        unknown = [k for k in target if k not in cal.sectors]
        if unknown:
            raise _core.OptionsError(f"target weights: unknown sector(s) {unknown}")
        w = np.array([float(target.get(s, 0.0)) for s in cal.sectors])
    else:
        w = np.asarray(target, float).reshape(-1)
        if w.size != cal.n:
            raise _core.DimensionError(f"target weights: {w.size} values for {cal.n} sectors")
    if w.sum() <= 0 or np.any(w < 0):
        raise _core.OptionsError("target weights must be >= 0 with a positive sum (all sectors flexible?)")
    return w / w.sum()


def kappa(theta, beta: float) -> np.ndarray:
    """NKPC slope (1-theta)(1-beta theta)/theta (inf for theta = 0)."""
    t = np.asarray(theta, float)
    with np.errstate(divide="ignore"):
        return np.where(t > 0, (1 - t) * (1 - beta * t) / np.where(t > 0, t, 1), np.inf)


# ------------------------------------------------------------------------------------ model
class NetworkModel:
    """A generated network NK model: ``model`` (govsim.dsge.Model), ``calibration``, ``options``."""

    def __init__(self, model, calibration: Calibration, options: dict, mod_text: str):
        self.model = model
        self.calibration = calibration
        self.options = options
        self._mod_text = mod_text
        self._solution = None

    @property
    def sectors(self) -> list:
        return self.calibration.sectors

    def mod_text(self) -> str:
        """The .mod file (linear model, parameters, shocks, stoch_simul) that Dynare runs."""
        return self._mod_text

    def write_mod(self, path: str) -> str:
        from ._atomic import atomic_write

        return atomic_write(path, self._mod_text)

    def solve(self):
        if self._solution is None:
            self._solution = self.model.solve()
        return self._solution

    def irf(self, shock: str, periods: int = 40, size: Optional[float] = None) -> pd.DataFrame:
        """IRFs (one std by default, ``size`` in shock units) as a DataFrame with variable columns."""
        if shock not in self.model.exo_names:
            raise _core.ModelError(f"unknown shock '{shock}' (shocks: {', '.join(self.model.exo_names)})")
        return self.solve().irf(periods=periods, shock=shock, size=size)

    def sectoral_irf(self, shock: str, variable: str = "pi", periods: int = 40, size=None) -> pd.DataFrame:
        """Responses of one sectoral variable family (pi, p, y, mc, z, g) for every sector."""
        r = self.irf(shock, periods, size)
        out = r[[f"{variable}_{s}" for s in self.sectors]]
        out.columns = pd.Index(self.sectors, name="sector")
        return out

    def __repr__(self) -> str:
        return f"NetworkModel({self.calibration.n} sectors, target={self.options['target']!r})"


def build(table, theta=0.75, target="cpi", final_demand: str = "total", irf: int = 40,
          shock_stderr: Optional[Mapping[str, float]] = None, **params) -> NetworkModel:
    """Generate the network NK model from an IOTable (see :func:`build_from_calibration`)."""
    return build_from_calibration(calibrate(table, final_demand), theta=theta, target=target, irf=irf,
                                  shock_stderr=shock_stderr, **params)


def build_from_calibration(cal: Calibration, theta=0.75, target="cpi", irf: int = 40, name: str = "network_nk",
                           shock_stderr: Optional[Mapping[str, float]] = None, **params) -> NetworkModel:
    """Generate the model from shares.

    ``theta``: Calvo probability of not adjusting (number, array or {sector: theta}; 0 =
    flexible), ``target``: inflation index of the Taylor rule, ``params``: any of beta, sigma,
    phi (inverse Frisch), phi_pi, phi_y, rho_i, rho_z, rho_g, sd_z, sd_g, sd_m;
    ``shock_stderr``: {shock: stderr} overriding sd_z/sd_g/sd_m per shock (0 switches a shock off).
    """
    unknown = sorted(set(params) - set(_DEFAULTS))
    if unknown:
        raise _core.OptionsError(f"network model: unknown parameter(s) {unknown} (known: {sorted(_DEFAULTS)})")
    p = dict(_DEFAULTS, **params)
    n = cal.n
    S = cal.sectors
    if isinstance(theta, Mapping):
        bad = [k for k in theta if k not in S]
        if bad:
            raise _core.OptionsError(f"theta: unknown sector(s) {bad}")
        th = np.array([float(theta.get(s, 0.75)) for s in S])
    else:
        th = np.broadcast_to(np.asarray(theta, float), (n,)).copy()
    if np.any(th < 0) or np.any(th >= 1):
        raise _core.OptionsError("theta must be in [0, 1)")
    if p["sigma"] <= 0 or p["phi"] < 0 or not 0 < p["beta"] < 1:
        raise _core.OptionsError("need sigma > 0, phi >= 0, 0 < beta < 1")
    all_flexible_sticky = isinstance(target, str) and target == "sticky" and np.all(th == 0)
    wt = target_weights(cal, th, "cpi" if all_flexible_sticky else target)
    lam = cal.domar.to_numpy()
    om, al, bc = cal.omega, cal.alpha, cal.beta_c
    b = _dsge.ModelBuilder(name)
    b.linear(True)
    for v in ("c", "w", "l", "gdp", "gdp_n", "ygap", "pic", "pitarget", "inom"):
        b.endogenous(v)
    for s in S:
        for v in ("p", "pi", "mc", "y", "z", "g"):
            b.endogenous(f"{v}_{s}")
    for s in S:
        b.exogenous(f"e_z_{s}")
    for s in S:
        b.exogenous(f"e_g_{s}")
    b.exogenous("e_m")
    if p["epsilon"] <= 0 or p["eta"] <= 0:
        raise _core.OptionsError("need elasticities epsilon > 0 and eta > 0")
    for k in ("beta", "sigma", "phi", "epsilon", "eta", "phi_pi", "phi_y", "rho_i", "rho_z", "rho_g"):
        b.parameter(k, float(p[k]))
    kap = kappa(th, p["beta"])
    for s, t, kk in zip(S, th, kap):
        b.parameter(f"theta_{s}", float(t))
        if t > 0:
            b.parameter(f"kappa_{s}", float(kk))

    def lin(terms):
        """'a*x + b*y' from [(coef, var)], skipping zero coefficients."""
        parts = [f"{_fmt(c)}*{v}" for c, v in terms if c != 0]
        return " + ".join(parts) if parts else "0"

    for i, s in enumerate(S):
        rhs = lin([(om[i, j], f"p_{S[j]}") for j in range(n)] + [(al[i], "w")])
        b.equation(f"mc_{s} = {rhs} - z_{s} - p_{s}", f"mc_{s}")
        if th[i] > 0:
            b.equation(f"pi_{s} = beta*pi_{s}(+1) + kappa_{s}*mc_{s}", f"nkpc_{s}")
        else:
            b.equation(f"mc_{s} = 0", f"flex_{s}")
        terms = [f"{_fmt(bc[i] / lam[i])}*(c - eta*p_{s})"] if bc[i] > 0 else []
        for k in range(n):
            if om[k, i] != 0:
                terms.append(f"{_fmt(om[k, i] * lam[k] / lam[i])}*(y_{S[k]} + (epsilon-1)*z_{S[k]}"
                             f" - epsilon*(p_{s} - p_{S[k]} - mc_{S[k]}))")
        terms.append(f"g_{s}")
        b.equation(f"y_{s} = " + " + ".join(terms), f"clear_{s}")
        b.equation(f"z_{s} = rho_z*z_{s}(-1) + e_z_{s}", f"z_{s}")
        b.equation(f"g_{s} = rho_g*g_{s}(-1) + e_g_{s}", f"g_{s}")
        if i < n - 1:
            b.equation(f"p_{s} = p_{s}(-1) + pi_{s} - pic", f"price_{s}")
    b.equation(lin([(bc[j], f"p_{S[j]}") for j in range(n)]) + " = 0", "cpi_normalisation")
    b.equation("pic = " + lin([(bc[j], f"pi_{S[j]}") for j in range(n)]), "cpi_inflation")
    b.equation("pitarget = " + lin([(wt[j], f"pi_{S[j]}") for j in range(n)]), "target_index")
    b.equation("l = " + " + ".join(f"{_fmt(al[j] * lam[j])}*(y_{S[j]} + (epsilon-1)*z_{S[j]}"
                                   f" - epsilon*(w - p_{S[j]} - mc_{S[j]}))" for j in range(n)),
               "labor_market")
    b.equation("w = sigma*c + phi*l", "labor_supply")
    b.equation("c = c(+1) - (inom - pic(+1))/sigma", "euler")
    b.equation("gdp = c + " + lin([(lam[j], f"g_{S[j]}") for j in range(n)]), "gdp")
    tfp = lin([(lam[j], f"z_{S[j]}") for j in range(n)])
    gsum = lin([(lam[j], f"g_{S[j]}") for j in range(n)])
    b.equation(f"gdp_n = ((1+phi)*({tfp}) + sigma*({gsum}))/(sigma+phi)", "natural_gdp")
    b.equation("ygap = gdp - gdp_n", "output_gap")
    b.equation("inom = rho_i*inom(-1) + (1-rho_i)*(phi_pi*pitarget + phi_y*ygap) + e_m", "taylor_rule")
    sd = {f"e_z_{s}": float(p["sd_z"]) for s in S}
    sd.update({f"e_g_{s}": float(p["sd_g"]) for s in S})
    sd["e_m"] = float(p["sd_m"])
    bad = [k for k in (shock_stderr or {}) if k not in sd]
    if bad:
        raise _core.OptionsError(f"shock_stderr: unknown shock(s) {bad}")
    sd.update({k: float(v) for k, v in (shock_stderr or {}).items()})
    for k, v in sd.items():
        b.shock_stderr(k, v)
    b.command("stoch_simul", [("order", "1"), ("irf", str(int(irf))), ("nograph", ""), ("noprint", "")])
    text = b.mod_text()
    model = b.build()
    opts = dict(p, theta=th.tolist(), target=target if isinstance(target, str) else "custom",
                target_weights=wt.tolist())
    return NetworkModel(model, cal, opts, text)


# ------------------------------------------------------------------------------------ analyses
def hulten_check(nm: NetworkModel) -> pd.DataFrame:
    """Impact response of aggregate TFP (gdp - l) to a unit productivity shock in each sector
    against the Domar weight; exact (to rounding) when all prices are flexible."""
    ghu = nm.solve().ghu
    S = nm.sectors
    resp = np.array([ghu.loc["gdp", f"e_z_{s}"] - ghu.loc["l", f"e_z_{s}"] for s in S])
    lam = nm.calibration.domar.to_numpy()
    return pd.DataFrame({"response": resp, "domar": lam, "error": resp - lam}, index=pd.Index(S, name="sector"))


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


def compare_targets(cal_or_table, scenario: Mapping[str, float], theta=0.75, targets=("cpi", "sticky"),
                    loss_weights: Optional[Mapping[str, float]] = None, params=("phi_pi", "phi_y"),
                    bounds: Optional[Mapping] = None, **model_params) -> pd.DataFrame:
    """Optimal simple rules for several inflation targets under a shock scenario.

    ``scenario``: {shock: stderr} (other shocks switched off), e.g. {"e_z_MFC": 0.01}.
    ``loss_weights`` (default {"pic": 1, "ygap": 0.25}) is the common loss every rule is judged
    by; ``"welfare"`` uses :func:`welfare_weights` (sectoral inflation weighted by Domar weight
    over the NKPC slope). Returns one row per target: optimal parameters, loss at the optimum and at the start,
    and the standard deviations of CPI inflation, the sticky-price index and the output gap."""
    from . import policy

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
    bnds = {k: v for k, v in bnds.items() if k in params}
    th = np.asarray(base.options["theta"])
    sticky_w = target_weights(cal, th, "sticky") if np.any(th > 0) else cal.beta_c
    rows = []
    for tg in targets:
        nm = build_from_calibration(cal, theta=theta, target=tg, shock_stderr=off, **model_params)
        r = policy.optimal_simple_rule(nm.model, lw, params=list(params), bounds=bnds)
        row = {"target": tg if isinstance(tg, str) else "custom", "loss": r.loss, "loss_start": r.loss_start,
               "status": r.status}
        row.update(r.params.to_dict())
        if not r.covariance.empty:
            cov = r.covariance
            pis = [f"pi_{s}" for s in cal.sectors]
            row["std_pic"] = float(np.sqrt(cov.loc["pic", "pic"]))
            row["std_sticky_index"] = float(np.sqrt(sticky_w @ cov.loc[pis, pis].to_numpy() @ sticky_w))
            row["std_ygap"] = float(np.sqrt(cov.loc["ygap", "ygap"]))
        rows.append(row)
    return pd.DataFrame(rows).set_index("target")


# ------------------------------------------------------------------------------------ Dynare check
def dynare_irfs(nm: NetworkModel, workdir: str, octave: str = "octave", dynare_path: str = "/usr/lib/dynare/matlab",
                timeout: float = 600.0) -> Dict[str, pd.DataFrame]:
    """Write the model's .mod file into ``workdir``, run it in Dynare under Octave and read
    ``oo_.irfs`` back: {shock: DataFrame periods x variables}. Dynare leaves out responses whose
    largest absolute value is below 1e-10; they are returned as zeros. Raises RuntimeError
    when Octave/Dynare fail (the message has the end of their output)."""
    import os
    import subprocess

    os.makedirs(workdir, exist_ok=True)
    name = "network_nk"
    nm.write_mod(os.path.join(workdir, name + ".mod"))
    out_csv = os.path.join(workdir, "irfs.csv")
    script = (f"addpath('{dynare_path}'); cd('{workdir}'); dynare {name}.mod noclearall; "
              "fn = fieldnames(oo_.irfs); fid = fopen('irfs.csv', 'w'); "
              "for k = 1:numel(fn), fprintf(fid, '%s', fn{k}); fprintf(fid, ',%.17g', oo_.irfs.(fn{k})); "
              "fprintf(fid, '\\n'); end; fclose(fid);")
    proc = subprocess.run([octave, "--no-gui", "--quiet", "--eval", script], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0 or not os.path.exists(out_csv):
        raise RuntimeError("Dynare run failed: " + (proc.stdout + proc.stderr)[-2000:])
    endo = nm.model.endo_names
    shocks = sorted(nm.model.exo_names, key=len, reverse=True)
    series: Dict[str, Dict[str, np.ndarray]] = {s: {} for s in nm.model.exo_names}
    with open(out_csv) as f:
        for line in f:
            parts = line.strip().split(",")
            key = parts[0]
            shock = next((s for s in shocks if key.endswith("_" + s)), None)
            if shock is None:
                continue
            var = key[: -len(shock) - 1]
            series[shock][var] = np.array([float(v) for v in parts[1:]])
    periods = max((len(v) for d in series.values() for v in d.values()), default=0)
    out = {}
    for s, d in series.items():
        df = pd.DataFrame({v: d.get(v, np.zeros(periods)) for v in endo},
                          index=pd.RangeIndex(1, periods + 1, name="period"))
        out[s] = df
    return out


def compare_with_dynare(nm: NetworkModel, workdir: str, **kw) -> pd.DataFrame:
    """Largest absolute IRF difference govsim vs Dynare per shock (Dynare's horizon)."""
    dyn = dynare_irfs(nm, workdir, **kw)
    rows = []
    for s, d in dyn.items():
        mine = nm.solve().irf(periods=len(d), shock=s)
        diff = (mine.reindex(columns=d.columns).to_numpy() - d.to_numpy())
        rows.append({"shock": s, "max_abs_diff": float(np.max(np.abs(diff))),
                     "max_abs_irf": float(np.max(np.abs(d.to_numpy())))})
    return pd.DataFrame(rows).set_index("shock")


# ------------------------------------------------------------------------------------ sweeps
@dataclass
class SweepResult:
    """Sweep output: ``table`` (one row per scenario x rule x draw, in task order) and ``info``
    (scheduler, tasks, seconds, model builds per worker)."""

    table: pd.DataFrame
    info: dict = field(default_factory=dict)

    def summary(self) -> str:
        i = self.info
        return (f"sweep: {i.get('tasks')} evaluations in {i.get('seconds', float('nan')):.2f} s on "
                f"{i.get('scheduler')} ({i.get('builds')} model builds)")


_SWEEP_KEYS = {"model", "scenarios", "rules", "draws", "loss", "chunk"}
_LOCAL = __import__("threading").local()
_BUILDS = {"count": 0}


def _resolve_model_spec(m: Mapping) -> dict:
    """Model part of a sweep spec with the calibration in it (workers never read tables)."""
    m = dict(m)
    if "calibration" not in m:
        from . import io as _io
        tab = m.pop("table", "us")
        if tab in ("us", "us-22"):
            table = _io.load_us_bea_2017(aggregate=True)
        else:
            table = _io.read_csv_folder(tab)
        n = int(m.pop("sectors", table.n))
        m["calibration"] = calibrate(aggregate_to(table, n), m.pop("final_demand", "total")).to_dict()
    theta = m.get("theta", 0.75)
    sectors = Calibration.from_dict(m["calibration"]).sectors
    if isinstance(theta, Mapping):
        bad = [k for k in theta if k not in sectors]
        if bad:
            raise _core.OptionsError(f"sweep spec: theta for unknown sector(s) {bad}")
        m["theta"] = [float(theta.get(s, 0.75)) for s in sectors]
    else:
        m["theta"] = np.broadcast_to(np.asarray(theta, float), (len(sectors),)).tolist()
    return m


def normalize_sweep_spec(spec: Mapping) -> dict:
    """Validate a sweep spec and fill defaults (see :func:`sweep`)."""
    unknown = sorted(set(spec) - _SWEEP_KEYS)
    if unknown:
        raise _core.OptionsError(f"sweep spec: unknown key(s) {unknown} (known: {sorted(_SWEEP_KEYS)})")
    s = {"model": _resolve_model_spec(spec.get("model", {})),
         "scenarios": dict(spec.get("scenarios") or {"monetary": {"e_m": 0.0025}}),
         "rules": {k: [float(v) for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
                   for k, vs in dict(spec.get("rules") or {"phi_pi": [1.5], "phi_y": [0.125]}).items()},
         "draws": dict(spec.get("draws") or {"n": 0, "seed": 0}),
         "loss": dict(spec.get("loss") or {"pic": 1.0, "ygap": 0.25}),
         "chunk": int(spec.get("chunk", 8))}
    if s["chunk"] < 1:
        raise _core.OptionsError("sweep spec: chunk must be >= 1")
    bad = [k for k in s["rules"] if k not in ("phi_pi", "phi_y", "rho_i")]
    if bad:
        raise _core.OptionsError(f"sweep spec: rules may vary phi_pi, phi_y, rho_i, not {bad}")
    d = s["draws"]
    d.setdefault("n", 0)
    d.setdefault("seed", 0)
    d.setdefault("theta", [0.5, 0.9])
    if int(d["n"]) < 0 or len(d["theta"]) != 2 or not 0 <= d["theta"][0] <= d["theta"][1] < 1:
        raise _core.OptionsError("sweep spec: draws.n >= 0 and draws.theta = [low, high] within (0, 1)")
    # check the model once on the client (bad shocks or variables fail here, not on a worker)
    nm, _ = _cached_model(s["model"])
    for name, sc in s["scenarios"].items():
        bad = [k for k in sc if k not in nm.model.exo_names]
        if bad:
            raise _core.OptionsError(f"sweep spec: scenario {name!r}: unknown shock(s) {bad}")
    bad = [k for k in s["loss"] if k not in nm.model.endo_names]
    if bad:
        raise _core.OptionsError(f"sweep spec: loss: unknown variable(s) {bad}")
    return s


def _spec_key(model_spec: Mapping) -> str:
    return hashlib.sha256(json.dumps(model_spec, sort_keys=True).encode()).hexdigest()


def _cached_model(model_spec: Mapping):
    """(NetworkModel, ModelSolver) built once per worker thread and model spec."""
    cache = getattr(_LOCAL, "models", None)
    if cache is None:
        cache = _LOCAL.models = {}
    key = _spec_key(model_spec)
    if key not in cache:
        from . import policy as _policy  # noqa: F401  (binds govsim._core.policy)
        m = dict(model_spec)
        cal = Calibration.from_dict(m.pop("calibration"))
        nm = build_from_calibration(cal, **m)
        labels = ["phi_pi", "phi_y", "rho_i"] + [f"kappa_{s}" for s, t in zip(cal.sectors, nm.options["theta"])
                                                 if t > 0]
        cache[key] = (nm, _core.policy.ModelSolver(nm.model.core, labels))
        _BUILDS["count"] += 1
    return cache[key]


def _build_count() -> int:
    return _BUILDS["count"]


def _tasks(spec: Mapping) -> list:
    """All (task id, scenario, rule dict, draw id, theta draw) in a fixed order."""
    import itertools

    cal_n = len(spec["model"]["calibration"]["sectors"])
    d = spec["draws"]
    base_theta = np.asarray(spec["model"]["theta"], float)
    rng = np.random.default_rng(int(d["seed"]))
    draws = [(0, None)] if int(d["n"]) == 0 else []
    for k in range(int(d["n"])):
        draws.append((k, rng.uniform(d["theta"][0], d["theta"][1], cal_n).tolist()))
    names = list(spec["rules"])
    out = []
    for sc in spec["scenarios"]:
        for vals in itertools.product(*[spec["rules"][k] for k in names]):
            for did, th in draws:
                if th is not None:  # flexible sectors stay flexible
                    th = [0.0 if b == 0 else t for t, b in zip(th, base_theta)]
                out.append((len(out), sc, dict(zip(names, vals)), did, th))
    return out


class _SingleThreadBlas:
    """Run OpenBLAS single-threaded inside the block: multithreaded BLAS may sum in another
    order, and Dask workers run with one BLAS thread (OPENBLAS_NUM_THREADS=1), so every
    scheduler gives the same bits only when the serial run does the same. Re-entrant across
    threads (a counter restores the thread count when the last block exits)."""

    _lock = __import__("threading").Lock()
    _depth = 0
    _saved: list = []

    @staticmethod
    def _openblas_libs():
        import ctypes
        import os

        try:
            with open("/proc/self/maps") as f:
                paths = sorted({ln.split()[-1] for ln in f
                                if "blas" in os.path.basename(ln.split()[-1]).lower() and ".so" in ln.split()[-1]})
        except OSError:
            return []
        libs = []
        for p in paths:
            try:
                lib = ctypes.CDLL(p)
                libs.append((lib.openblas_set_num_threads, lib.openblas_get_num_threads))
            except (OSError, AttributeError):
                continue
        return libs

    def __enter__(self):
        cls = _SingleThreadBlas
        with cls._lock:
            if cls._depth == 0:
                cls._saved = [(set_, get()) for set_, get in cls._openblas_libs()]
                for set_, _ in cls._saved:
                    set_(1)
            cls._depth += 1
        return self

    def __exit__(self, *exc):
        cls = _SingleThreadBlas
        with cls._lock:
            cls._depth -= 1
            if cls._depth == 0:
                for set_, n in cls._saved:
                    set_(n)
        return False


def _evaluate_chunk(spec_json: str, chunk: list) -> list:
    """Evaluate tasks on this worker (model from the per-worker cache), BLAS single-threaded."""
    with _SingleThreadBlas():
        return _evaluate_chunk_impl(spec_json, chunk)


def _evaluate_chunk_impl(spec_json: str, chunk: list) -> list:
    from scipy.linalg import solve_discrete_lyapunov

    spec = json.loads(spec_json)
    nm, solver = _cached_model(spec["model"])
    labels = list(solver.labels())
    base = dict(zip(labels, np.asarray(solver.current_values(), float)))
    endo = nm.model.endo_names
    exo = nm.model.exo_names
    beta = float(nm.options["beta"])
    rows = []
    for tid, sc, rule, did, th in chunk:
        vals = dict(base)
        vals.update(rule)
        if th is not None:
            for s, t in zip(nm.sectors, th):
                if t > 0:
                    vals[f"kappa_{s}"] = float((1 - t) * (1 - beta * t) / t)
        r = solver.solve(np.array([vals[k] for k in labels]))
        row = {"task": tid, "scenario": sc, "draw": did, **rule, "status": str(r.status).split(".")[-1]}
        if r.ok():
            sol = r.solution
            ghx, ghu = np.asarray(sol.ghx), np.asarray(sol.ghu)
            si = list(sol.state_indices)
            sd = np.zeros(len(exo))
            for k, v in spec["scenarios"][sc].items():
                sd[exo.index(k)] = float(v)
            Se = np.diag(sd ** 2)
            A, B = ghx[si, :], ghu[si, :]
            Ss = solve_discrete_lyapunov(A, B @ Se @ B.T)
            cov = ghx @ Ss @ ghx.T + ghu @ Se @ ghu.T
            loss = sum(float(w) * cov[endo.index(v), endo.index(v)] for v, w in spec["loss"].items())
            row.update(loss=loss, std_pic=float(np.sqrt(cov[endo.index("pic"), endo.index("pic")])),
                       std_ygap=float(np.sqrt(cov[endo.index("ygap"), endo.index("ygap")])),
                       std_gdp=float(np.sqrt(cov[endo.index("gdp"), endo.index("gdp")])))
        else:
            row.update(loss=float("nan"), std_pic=float("nan"), std_ygap=float("nan"), std_gdp=float("nan"))
        rows.append(row)
    return rows


def sweep(spec: Mapping, scheduler: Optional[str] = None, n_workers: int = 2, client=None,
          progress=None) -> SweepResult:
    """Run scenarios x rule parameters x parameter draws.

    ``spec``: {"model": {"table": "us", "sectors": 15, "theta": 0.75, "target": "cpi", ...model
    parameters} (or "calibration": Calibration.to_dict()), "scenarios": {name: {shock: stderr}},
    "rules": {"phi_pi": [...], "phi_y": [...], "rho_i": [...]} (grid), "draws": {"n": 4, "seed":
    1, "theta": [0.5, 0.9]} (sector Calvo parameters drawn uniformly; 0 = baseline only),
    "loss": {var: weight}, "chunk": tasks per Dask task}.

    ``scheduler``: None (serial, in this process), "sync", "threads", "local" (LocalCluster
    with ``n_workers`` processes, one thread each) or a scheduler address "tcp://host:8786";
    ``client``: an existing distributed.Client. ``progress(done, total)`` is called as chunks
    finish. The table is the same, bit for bit, whatever the scheduler. Ctrl-C during a serial or
    distributed sweep returns the finished chunks (``info["interrupted"]``, ``info["tasks_done"]``). Draws change the NKPC
    slopes (kappa_i); the weights of a "sticky" target index stay those of the baseline theta.
    """
    import time

    s = normalize_sweep_spec(spec)
    tasks = _tasks(s)
    ch = s["chunk"]
    chunks = [tasks[k:k + ch] for k in range(0, len(tasks), ch)]
    spec_json = json.dumps(s, sort_keys=True)
    t0 = time.perf_counter()
    info = {"tasks": len(tasks), "chunks": len(chunks)}
    results = [None] * len(chunks)
    if scheduler is None and client is None:
        before = _build_count()
        try:
            for k, c in enumerate(chunks):
                results[k] = _evaluate_chunk(spec_json, c)
                if progress:
                    progress(k + 1, len(chunks))
        except KeyboardInterrupt:  # Ctrl-C: return the chunks done so far
            info["interrupted"] = True
        info.update(scheduler="serial", builds=_build_count() - before)
    elif scheduler in ("sync", "threads") and client is None:
        import dask

        before = _build_count()
        parts = [dask.delayed(_evaluate_chunk, pure=False)(spec_json, c) for c in chunks]
        from ._threads import blas_single_thread

        with blas_single_thread() if scheduler != "sync" else contextlib.nullcontext():
            results = list(dask.compute(*parts, scheduler="synchronous" if scheduler == "sync" else "threads"))
        info.update(scheduler=scheduler, builds=_build_count() - before)
    else:
        from distributed import Client, LocalCluster, as_completed

        own = []
        try:
            if client is None:
                if scheduler == "local":
                    cluster = LocalCluster(n_workers=int(n_workers), threads_per_worker=1, processes=True,
                                           dashboard_address=None)
                    own.append(cluster)
                    client = Client(cluster)
                else:
                    client = Client(scheduler)
                own.insert(0, client)
            before = client.run(_build_count)
            futs = client.map(_evaluate_chunk, [spec_json] * len(chunks), chunks, pure=False)
            pos = {f.key: k for k, f in enumerate(futs)}
            done = 0
            try:
                for f in as_completed(futs):
                    results[pos[f.key]] = f.result()
                    done += 1
                    if progress:
                        progress(done, len(chunks))
            except KeyboardInterrupt:  # Ctrl-C: cancel the rest, return the chunks done so far
                info["interrupted"] = True
                client.cancel(futs)
            after = client.run(_build_count)
            info.update(scheduler=str(scheduler or client.scheduler.address),
                        workers=len(after), builds_per_worker={w: after[w] - before.get(w, 0) for w in after})
            info["builds"] = sum(info["builds_per_worker"].values())
        finally:
            for o in own:
                o.close()
    info["seconds"] = time.perf_counter() - t0
    rows = [r for part in results if part is not None for r in part]
    info["tasks_done"] = len(rows)
    table = pd.DataFrame(rows).set_index("task") if rows else pd.DataFrame(index=pd.Index([], name="task"))
    return SweepResult(table, info)
