"""Estimation of DSGE models: Kalman filter and smoother, maximum likelihood, posterior mode, MCMC.

>>> from govsim import dsge, estimation
>>> m = dsge.Model.from_file("nk3_est.mod")
>>> est = estimation.Estimator(m, data)       # data: DataFrame with the varobs columns
>>> est.log_likelihood()                        # at the initial values
>>> mode = est.mode()                           # DataFrame: mode, std
>>> mode.summary()                              # mode, sd, normal-approximation interval
>>> res = est.mcmc(chains=4, draws=5000)        # unpacks as draws, table, core
>>> res = est.mcmc(options=estimation.McmcOptions(chains=4, draws=5000, seed=7))  # the same, as a struct
>>> res.summary()                               # mean, sd, 90% HPD interval, ESS, split R-hat
>>> fig = res.plot_trace(); fig = res.plot_posterior()
"""
from __future__ import annotations

from typing import Callable, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._threads import limit_blas_in_threads
from ._deprecated import renamed_arguments

_e = _core.estimation
Prior = _e.Prior
EstimatedParameter = _e.EstimatedParameter
KalmanOptions = _e.KalmanOptions
ModeOptions = _e.ModeOptions
McmcOptions = _e.McmcOptions


def _core_model(model):
    return getattr(model, "core", model)


def _options(cls, options, **fields):
    """`options` (default ``cls()``: the C++ defaults) with the keyword conveniences that were given
    (not None) set: the one place where keywords fill the compiled Options structs (an unknown
    name is an OptionsError naming it)."""
    base = cls() if options is None else options
    if not isinstance(base, cls):
        raise _core.OptionsError(f"options must be a {cls.__name__}, not {type(base).__name__}")
    return base.replace(**{k: v for k, v in fields.items() if v is not None})


class ModeResult(pd.DataFrame):
    """Posterior mode or maximum-likelihood estimate: a DataFrame (index: parameters; columns
    ``mode``, ``std``; ``attrs``: log likelihood, log posterior, Laplace log marginal density,
    status) with :meth:`summary` and a compact HTML view in Jupyter."""

    @property
    def _constructor(self):
        return pd.DataFrame   # derived frames (slices, arithmetic) are plain DataFrames

    def summary(self, prob: float = 0.9) -> pd.DataFrame:
        """mode, sd, normal-approximation credible interval and t-ratio (see :func:`govsim._display.mode_summary`)."""
        from ._display import mode_summary

        return mode_summary(self, prob)

    def _repr_html_(self) -> str:
        from ._display import mode_html

        return mode_html(self)


class McmcResult(tuple):
    """Result of :meth:`Estimator.mcmc`; unpacks as ``draws, table, core``.

    ``draws``: DataFrame of all draws with a (chain, draw) index, burn-in included; ``table``: the
    compiled sampler's quick table (mean, std, q05, median, q95, rhat after burn-in); ``core``: the
    compiled result. :meth:`summary` gives the full table (HPD or percentile intervals, ESS, split
    R-hat); :meth:`plot_trace` and :meth:`plot_posterior` draw the chains and the densities.
    """

    def __new__(cls, draws, table, core, burnin: float = 0.5, priors=None, mode=None):
        self = super().__new__(cls, (draws, table, core))
        self.burnin = float(burnin)
        self.priors = dict(priors or {})
        self.mode = mode
        return self

    draws = property(lambda self: self[0])
    table = property(lambda self: self[1])
    core = property(lambda self: self[2])

    @property
    def status(self) -> "_core.Status":
        return self[2].status

    @property
    def acceptance(self) -> list:
        return list(np.asarray(self[2].acceptance, float))

    def kept(self) -> pd.DataFrame:
        """Draws after burn-in (the first ``burnin`` fraction of each chain dropped)."""
        n = self.draws.index.get_level_values("draw")
        per = self.draws.groupby(level="chain").size().min()
        return self.draws[n >= int(np.floor(self.burnin * per))]

    def summary(self, prob: float = 0.9, interval: str = "hpd") -> pd.DataFrame:
        """Posterior table after burn-in: mode (if known), mean, sd, median, the ``prob`` credible
        interval (``interval="hpd"``: highest posterior density, columns ``hpd90_lower``/``..upper``;
        ``"percentile"``: equal tails, ``q5``/``q95``), MC standard error, ESS and split R-hat."""
        from ._display import posterior_summary

        return posterior_summary(self.draws, prob=prob, interval=interval, burnin=self.burnin, mode=self.mode)

    @renamed_arguments(params="param_names")
    def plot_trace(self, param_names=None, **kw):
        """Trace plots of the chains (see :func:`govsim.plotting.plot_trace`)."""
        from .plotting import plot_trace

        return plot_trace(self.draws, param_names=param_names, burnin=self.burnin, **kw)

    @renamed_arguments(params="param_names")
    def plot_posterior(self, param_names=None, prior: bool = True, **kw):
        """Posterior densities with the priors and the mode (see :func:`govsim.plotting.plot_posterior`)."""
        from .plotting import plot_posterior

        return plot_posterior(self.draws, param_names=param_names, burnin=self.burnin,
                              priors=self.priors if prior else None, mode=self.mode, **kw)

    def __repr__(self) -> str:
        from ._display import mcmc_repr

        return mcmc_repr(self)

    def _repr_html_(self) -> str:
        from ._display import mcmc_html

        return mcmc_html(self)


class Estimator:
    """Likelihood / posterior of `model` for `data` (DataFrame with the observed variables as columns)."""

    def __init__(self, model, data: pd.DataFrame, varobs: Optional[Sequence[str]] = None, params=None,
                 presample: Optional[int] = None, *, kalman: Optional[KalmanOptions] = None):
        """``kalman``: :class:`KalmanOptions` of the filter; ``presample`` sets its field of that name."""
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
        kalman = _options(KalmanOptions, kalman, presample=presample)
        self.core = _e.Estimator(core, self.params, self.varobs, arr, kalman)
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

    @limit_blas_in_threads
    def log_likelihood(self, theta=None) -> float:
        return self.core.log_likelihood(self._theta(theta))

    @limit_blas_in_threads
    def log_posterior(self, theta=None) -> float:
        return self.core.log_posterior(self._theta(theta))

    @limit_blas_in_threads
    def mode(self, algorithm: Optional[str] = None, on_iteration: Optional[Callable] = None, *,
             options: Optional[ModeOptions] = None, progress=False, **kw) -> pd.DataFrame:
        """Posterior mode (ML without priors): DataFrame with columns mode, std; attrs hold the log values.

        ``options``: :class:`ModeOptions`; ``algorithm``, ``on_iteration`` and the keywords
        (max_evaluations, xtol_rel, hessian_step) set its fields of those names.
        ``progress``: True (a bar), False, a ProgressBar or a callable ``progress(done, total)``."""
        from ._progress import progress_callback

        o = _options(ModeOptions, options, algorithm=algorithm, **kw)
        cb, bar = progress_callback(progress, on_iteration if on_iteration is not None else o.on_iteration,
                                    "mode", "evaluations")
        try:
            r = _e.posterior_mode(self.core, _options(ModeOptions, o, on_iteration=cb))
        finally:
            if bar is not None:
                bar.close()
        self.last_mode = r
        df = pd.DataFrame({"mode": np.asarray(r.mode), "std": np.asarray(r.std_at_mode)},
                          index=pd.Index(self.labels, name="parameter"))
        df = ModeResult(df)
        df.attrs.update(log_likelihood=r.log_likelihood, log_posterior=r.log_posterior,
                        log_marginal_laplace=r.log_marginal_laplace, status=r.status.name,
                        bayesian=bool(self.core.bayesian()))
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
        out = pd.DataFrame([np.asarray(c)[i] for c in d.contributions], index=self.index,
                           columns=list(d.components))
        out.attrs["variable"] = var
        return out

    @limit_blas_in_threads
    def mcmc(self, chains: Optional[int] = None, draws: Optional[int] = None, start=None, proposal_cov=None,
             progress=False, *, options: Optional[McmcOptions] = None, **kw):
        """Random-walk Metropolis-Hastings from the mode (computed if needed). Returns (draws DataFrame with
        a (chain, draw) index, summary DataFrame, core result).

        ``progress=True`` shows a progress bar on stderr (tqdm.auto when installed, a text bar
        otherwise); a :class:`govsim._progress.ProgressBar` (e.g. one writing to a file) or a
        callable ``progress(done, total)`` can be passed instead.
        ``on_iteration`` (a callable taking IterationInfo) is called too; returning False stops the
        chains (None or True continue). Ctrl-C stops them within one progress interval and the
        draws done so far are returned (status UserStopped). With ``checkpoint_dir`` each chain
        is appended to ``chain_<k>.ckpt`` and resumed from there; a checkpoint written for other
        inputs, damaged, or longer than ``draws`` raises DataError saying what differs.
        ``options``: :class:`McmcOptions`; ``chains``, ``draws`` and the other keywords (burnin,
        jscale, init_scale, seed, threads, checkpoint_dir, checkpoint_every, resume, on_iteration)
        set its fields of those names (unset: the C++ defaults, 2 chains of 2000 draws)."""
        from ._progress import progress_callback

        if start is None or proposal_cov is None:
            m = getattr(self, "last_mode", None) or _e.posterior_mode(self.core)
            self.last_mode = m
            start = np.asarray(m.mode) if start is None else start
            proposal_cov = np.asarray(m.covariance) if proposal_cov is None else proposal_cov
        o = _options(McmcOptions, options, chains=chains, draws=draws, **kw)
        cb, bar = progress_callback(progress, o.on_iteration, "MCMC", "draws")
        try:
            r = _e.random_walk_metropolis(self.core, self._theta(start), np.asarray(proposal_cov, float),
                                          _options(McmcOptions, o, on_iteration=cb))
        finally:
            if bar is not None:
                done = [len(np.asarray(c)) for c in r.chains] if "r" in locals() else []
                if done:
                    bar.update(int(sum(done)), o.chains * o.draws)
                bar.close()
        frames = [pd.DataFrame(np.asarray(c), columns=self.labels) for c in r.chains]
        allc = pd.concat(frames, keys=range(len(frames)), names=["chain", "draw"])
        st = np.asarray(r.summary_table)
        summary = pd.DataFrame(st, index=pd.Index(self.labels, name="parameter"),
                               columns=["mean", "std", "q05", "median", "q95"])
        summary["rhat"] = np.asarray(r.rhat)
        summary.attrs.update(acceptance=np.asarray(r.acceptance).tolist(), status=r.status.name)
        mode = pd.Series(np.asarray(self.last_mode.mode), index=self.labels) if getattr(self, "last_mode", None) else None
        return McmcResult(allc, summary, r, burnin=o.burnin, priors=self.priors(), mode=mode)

    def priors(self) -> dict:
        """Prior of each estimated parameter (label -> ``Prior``; empty for maximum likelihood)."""
        return {lab: p.prior for lab, p in zip(self.labels, self.params) if p.prior.shape}

    def __repr__(self) -> str:
        from ._display import estimation_rows, text_block

        return text_block(f"<Estimator of '{getattr(self.model, 'name', 'model')}'>", estimation_rows(self))

    def _repr_html_(self) -> str:
        from ._display import estimation_html

        return estimation_html(self)


_DEPRECATED = {"Estimation": "Estimator"}


def __getattr__(name):
    from ._deprecated import resolve

    return resolve(globals(), __name__, name, _DEPRECATED)
