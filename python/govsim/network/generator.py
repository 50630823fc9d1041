"""The network New Keynesian model generated from a :class:`Calibration`.

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
"""
from __future__ import annotations

from typing import Mapping, Optional

import numpy as np
import pandas as pd

from .. import _core
from .. import dsge as _dsge
from .calibration import Calibration, calibrate, kappa, target_weights

_DEFAULTS = dict(beta=0.99, sigma=1.0, phi=1.0, epsilon=1.0, eta=1.0, phi_pi=1.5, phi_y=0.125, rho_i=0.0,
                 rho_z=0.9, rho_g=0.8,
                 sd_z=0.01, sd_g=0.01, sd_m=0.0025)


def _fmt(v: float) -> str:
    """Shortest exact decimal of a double (the .mod text reproduces the value bit for bit)."""
    return repr(float(v))


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
        from .._atomic import atomic_write

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


def build(table, theta=0.75, target="cpi", final_demand: str = "net", irf: int = 40,
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
