"""Calibration of the network New Keynesian model from an input-output table.

Tables are aggregated by :func:`govsim.io.aggregate_to` (``network.aggregate_to`` is the same
function) or by a concordance with :func:`govsim.io.aggregate`.

Calibration (documented choice)
-------------------------------
For sector i with gross output x_i, intermediate purchases Z_ji from sector j and value added
VA_i (all value-added rows of the table: compensation, taxes, operating surplus):

* intermediate shares ``omega_ij = Z_ji / (sum_k Z_ki + VA_i)``: cost shares with total cost =
  intermediates + value added (= x_i in a balanced table);
* labor share ``alpha_i = 1 - sum_j omega_ij`` = the value-added share (all primary inputs are
  treated as labor, so production has constant returns);
* consumption shares ``beta_i = f_i / sum_k f_k`` from final demand. The default
  (``final_demand="net"``) takes ``f_i`` = the sum of all final-demand columns as the table
  records them: exports and investment included, imports (negative entries) and changes in
  inventories (of either sign) netted out. Then ``x = Z 1 + f`` row by row, so with the cost
  shares above ``x' = f' (I - Omega)^-1`` and ``sum_k f_k`` = GDP (value added) in a balanced
  table: the model's Domar weights ``lambda' = beta' (I - Omega)^-1`` equal the table's
  ``x_i / GDP`` (gross output over the sum of the value-added rows) and Hulten's theorem holds
  against the table itself, not only against the model. A sector whose net final demand is
  negative (imports above its final use) has no consumption share: an error asks for one of the
  other choices. Alternatives: ``"total"``: positive final-demand entries only (imports and
  inventory draw-downs dropped; Domar weights then differ from the table's); ``"household"``:
  the first final-demand column (personal consumption F01000 in BEA tables); or a column name;
* elasticities (CES, one nest): ``epsilon`` between labor and intermediate inputs and among
  inputs, ``eta`` among consumption goods; 1 (the default) is Cobb-Douglas. At first order the
  marginal-cost equation depends only on cost shares; the elasticities enter input demands;
* Domar weights of the model ``lambda' = beta' (I - Omega)^-1`` (sales over GDP in the model's
  steady state, which is closed: all final demand is consumption). ``Calibration.domar_data``
  has the table's gross output over GDP, ``x_i / sum_k VA_k``; with ``final_demand="net"`` the
  two differ only by the table's own imbalances (``x - Z 1 - f`` and ``x - Z' 1 - VA``), which
  :func:`govsim.network.hulten_check` reports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np
import pandas as pd

from .. import _core
from ..io import aggregate_to  # noqa: F401 re-exported: table aggregation lives in govsim.io

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


def calibrate(table, final_demand: str = "net") -> Calibration:
    """Shares of the network model from an IOTable (see the module docstring for the choices).

    ``final_demand``: ``"net"`` (default; all final-demand columns as recorded, so that the
    model's Domar weights are the table's gross output over GDP), ``"total"``, ``"household"``
    or a final-demand column name."""
    Z = table.Z.to_numpy(float)
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
    if final_demand == "net":
        f = Y.to_numpy(float).sum(axis=1)
        neg = [str(table.sectors[k]) for k in np.where(f < 0)[0]]
        if neg:
            raise _core.DataError(f"network calibration: net final demand (imports and inventory changes netted "
                                  f"out) is negative in {neg}; aggregate those sectors or use "
                                  "final_demand='total' or 'household'")
    elif final_demand == "total":
        f = np.clip(Y.to_numpy(float), 0, None).sum(axis=1)
    elif final_demand == "household":
        f = Y.iloc[:, 0].to_numpy(float)
    elif final_demand in list(Y.columns):
        f = Y[final_demand].to_numpy(float)
    else:
        raise _core.OptionsError(f"final_demand must be 'net', 'total', 'household' or a column of {list(Y.columns)}")
    f = np.clip(f, 0, None)
    if f.sum() <= 0:
        raise _core.DataError("network calibration: final demand is zero")
    x = table.x.to_numpy(float)
    return Calibration(list(table.sectors), omega, alpha, f / f.sum(), domar_data=x / VA.sum())


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
