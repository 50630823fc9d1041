"""Estimation of DSGE models: Kalman filter and smoother, maximum likelihood, posterior mode, MCMC.

>>> from govsim import dsge, estimation
>>> m = dsge.Model.from_file("nk3_est.mod")
>>> est = estimation.Estimation(m, data)       # data: DataFrame with the varobs columns
>>> est.log_likelihood()                        # at the initial values
>>> mode = est.mode()                           # DataFrame: mode, std
>>> draws = est.mcmc(chains=4, draws=5000)
"""
from __future__ import annotations

from typing import Callable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core

_e = _core.estimation
Prior = _e.Prior
EstimatedParameter = _e.EstimatedParameter


def _core_model(model):
    return getattr(model, "core", model)


class Estimation:
    """Likelihood / posterior of `model` for `data` (DataFrame with the observed variables as columns)."""

    def __init__(self, model, data: pd.DataFrame, varobs: Optional[Sequence[str]] = None, params=None,
                 presample: int = 0):
        core = _core_model(model)
        self.model = model
        self.varobs = list(varobs) if varobs is not None else list(core.varobs)
        if isinstance(data, pd.DataFrame):
            missing = [v for v in self.varobs if v not in data.columns]
            if missing:
                raise _core.DataError(f"estimation: data have no column(s) {', '.join(missing)}")
            self.index = data.index
            arr = data[self.varobs].to_numpy(dtype=float)
        else:
            arr = np.asarray(data, float)
            self.index = pd.RangeIndex(1, arr.shape[0] + 1)
        self.params = list(params) if params is not None else list(_e.estimated_parameters(core))
        self.core = _e.Estimator(core, self.params, self.varobs, arr, _e.KalmanOptions(presample=presample))
        self.labels = list(self.core.labels())

    def _theta(self, theta):
        if theta is None:
            return np.asarray(self.core.initial())
        if isinstance(theta, Mapping):
            return np.array([float(theta[k]) for k in self.labels])
        return np.asarray(theta, float)

    @property
    def initial(self) -> pd.Series:
        return pd.Series(np.asarray(self.core.initial()), index=self.labels, name="initial")

    def log_likelihood(self, theta=None) -> float:
        return self.core.log_likelihood(self._theta(theta))

    def log_posterior(self, theta=None) -> float:
        return self.core.log_posterior(self._theta(theta))

    def mode(self, algorithm: str = "nelder-mead", on_iteration: Optional[Callable] = None, **kw) -> pd.DataFrame:
        """Posterior mode (ML without priors): DataFrame with columns mode, std; attrs hold the log values."""
        r = _e.posterior_mode(self.core, algorithm=algorithm, on_iteration=on_iteration, **kw)
        self.last_mode = r
        df = pd.DataFrame({"mode": np.asarray(r.mode), "std": np.asarray(r.std_at_mode)},
                          index=pd.Index(self.labels, name="parameter"))
        df.attrs.update(log_likelihood=r.log_likelihood, log_posterior=r.log_posterior,
                        log_marginal_laplace=r.log_marginal_laplace, status=r.status.name)
        return df

    def smoother(self, theta=None):
        """Smoothed states and shocks (DataFrames indexed like the data)."""
        r, ss = self.core.smoother(self._theta(theta))
        if not r.ok():
            raise _core.SolveError(r.summary())
        states = pd.DataFrame(np.asarray(r.states), index=self.index, columns=list(r.state_names))
        shocks = pd.DataFrame(np.asarray(r.shocks), index=self.index, columns=list(r.exo_names))
        self._last_smoother = (r, ss)
        return states, shocks

    def shock_decomposition(self, var: str, theta=None) -> pd.DataFrame:
        """Historical decomposition of `var` (deviation from steady state): one column per shock + initial."""
        self.smoother(theta)
        r, ss = self._last_smoother
        d = _e.shock_decomposition(ss, r)
        i = list(d.var_names).index(var)
        return pd.DataFrame([np.asarray(c)[i] for c in d.contributions], index=self.index,
                            columns=list(d.components))

    def mcmc(self, chains: int = 2, draws: int = 2000, start=None, proposal_cov=None, progress=False,
             **kw):
        """Random-walk Metropolis-Hastings from the mode (computed if needed). Returns (draws DataFrame with
        a (chain, draw) index, summary DataFrame, core result).

        ``progress=True`` shows a progress bar on stderr (tqdm when installed, a text bar otherwise);
        a :class:`govsim._progress.ProgressBar` can be passed instead (e.g. one writing to a file).
        ``on_iteration`` (a callable taking IterationInfo) is called too; returning False stops the
        chains (None or True continue). Ctrl-C stops them within one progress interval and the
        draws done so far are returned (status UserStopped). With ``checkpoint_dir`` each chain
        is appended to ``chain_<k>.ckpt`` and resumed from there; a checkpoint written for other
        inputs, damaged, or longer than ``draws`` raises DataError saying what differs.
        Other keywords: burnin, jscale, init_scale, seed, threads, checkpoint_dir, checkpoint_every,
        resume."""
        from ._progress import make_progress

        if start is None or proposal_cov is None:
            m = getattr(self, "last_mode", None) or _e.posterior_mode(self.core)
            self.last_mode = m
            start = np.asarray(m.mode) if start is None else start
            proposal_cov = np.asarray(m.covariance) if proposal_cov is None else proposal_cov
        user_cb = kw.pop("on_iteration", None)
        bar = make_progress(progress, "MCMC", "draws")
        cb = user_cb
        if bar is not None:
            def cb(info):
                bar(info)
                if user_cb is None:
                    return True
                r = user_cb(info)  # only an explicit False stops; None continues
                return not (r is False or (isinstance(r, np.bool_) and not r))
        try:
            r = _e.random_walk_metropolis(self.core, self._theta(start), np.asarray(proposal_cov, float),
                                          chains=chains, draws=draws, on_iteration=cb, **kw)
        finally:
            if bar is not None:
                done = [len(np.asarray(c)) for c in r.chains] if "r" in locals() else []
                if done:
                    bar.update(int(sum(done)), int(chains) * int(draws))
                bar.close()
        frames = [pd.DataFrame(np.asarray(c), columns=self.labels) for c in r.chains]
        allc = pd.concat(frames, keys=range(len(frames)), names=["chain", "draw"])
        st = np.asarray(r.summary_table)
        summary = pd.DataFrame(st, index=pd.Index(self.labels, name="parameter"),
                               columns=["mean", "std", "q05", "median", "q95"])
        summary["rhat"] = np.asarray(r.rhat)
        summary.attrs.update(acceptance=np.asarray(r.acceptance).tolist(), status=r.status.name)
        return allc, summary, r
