"""Display helpers: MCMC diagnostics (ESS, split R-hat, HPD intervals), estimation summary
tables, and the compact HTML / text representations that Jupyter shows for govsim objects.

The diagnostics follow Gelman et al. (2013), *Bayesian Data Analysis*, 3rd ed., section 11.4-11.5
(split R-hat, effective sample size) with Geyer's (1992) initial positive and initial monotone
sequence estimators for the autocorrelation sum, as Vehtari et al. (2021), *Rank-normalization,
folding, and localization: an improved R-hat*, Bayesian Analysis 16(2), compute them before their
rank normalisation; the rank-normalised split R-hat of that paper (bulk and folded tail) is given
beside the classic one.

Everything here is pure numpy/pandas and never needs matplotlib.
"""
from __future__ import annotations

import html as _html
from typing import Iterable, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

__all__ = [
    "autocovariance",
    "effective_sample_size",
    "split_rhat",
    "rank_normalized_rhat",
    "hpd_interval",
    "posterior_summary",
    "mode_summary",
    "chains_array",
]


# ------------------------------------------------------------------------------------------------
# MCMC diagnostics
# ------------------------------------------------------------------------------------------------
def chains_array(draws, burnin: float = 0.0) -> Tuple[np.ndarray, list]:
    """Draws as an array (chains, draws, parameters) and the parameter names.

    ``draws`` is a DataFrame with a (chain, draw) MultiIndex (what
    :meth:`govsim.estimation.Estimator.mcmc` returns), a DataFrame or array of one chain, or an
    array (chains, draws[, parameters]). ``burnin`` is the fraction of each chain dropped first.
    """
    if isinstance(draws, pd.Series):
        draws = draws.to_frame()
    if isinstance(draws, pd.DataFrame):
        names = [str(c) for c in draws.columns]
        if isinstance(draws.index, pd.MultiIndex):
            keys = list(dict.fromkeys(draws.index.get_level_values(0)))
            parts = [draws.xs(k, level=0).to_numpy(dtype=float) for k in keys]
            lengths = {len(p) for p in parts}
            if len(lengths) != 1:
                raise ValueError(f"chains have different lengths {sorted(lengths)}")
            arr = np.stack(parts)
        else:
            arr = draws.to_numpy(dtype=float)[None, :, :]
    else:
        arr = np.asarray(draws, dtype=float)
        if arr.ndim == 1:
            arr = arr[None, :, None]
        elif arr.ndim == 2:
            arr = arr[:, :, None]
        if arr.ndim != 3:
            raise ValueError(f"draws must have 1 to 3 dimensions (chains, draws, parameters), got {arr.ndim}")
        names = [f"x{i}" for i in range(arr.shape[2])]
    if not 0.0 <= burnin < 1.0:
        raise ValueError(f"burnin must be a fraction in [0, 1), got {burnin}")
    start = int(np.floor(burnin * arr.shape[1]))
    arr = arr[:, start:, :]
    if arr.shape[1] < 4:
        raise ValueError(f"too few draws per chain after burn-in ({arr.shape[1]}); need at least 4")
    return arr, names


def _split(x: np.ndarray) -> np.ndarray:
    """(chains, n) -> (2 chains, n // 2): each chain cut in halves (a middle draw of an odd chain dropped)."""
    n = x.shape[1] // 2
    return np.concatenate([x[:, :n], x[:, x.shape[1] - n:]], axis=0)


def autocovariance(x) -> np.ndarray:
    """Autocovariances of a series for lags 0..n-1 (divisor n, as the usual biased estimator), by FFT."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n == 0:
        return np.zeros(0)
    y = x - x.mean()
    m = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(y, m)
    return np.fft.irfft(f * np.conjugate(f), m)[:n] / n


def effective_sample_size(chains, split: bool = True) -> float:
    """Effective sample size of one scalar quantity from several chains.

    ``chains`` is (chains, draws) (a 1-D array is one chain). With ``split`` (default) each chain
    is cut in halves first (Gelman et al. 2013). The autocorrelation at lag t combines the chains
    as ``rho_t = 1 - (W - mean_m acov_m(t)) / var_plus`` and the sum is truncated by Geyer's
    initial positive sequence (pairs ``rho_2k + rho_2k+1`` while positive) made monotone
    (initial monotone sequence); ``ESS = M N / (-1 + 2 sum_k P_k)``.

    For an AR(1) chain with coefficient rho this tends to ``N (1 - rho) / (1 + rho)``.
    Antithetic chains can exceed ``M N``; as in Stan the estimate is capped at
    ``M N log10(M N)``. Returns NaN for a constant quantity or non-finite draws.
    """
    x = np.asarray(chains, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    if split and x.shape[1] >= 4:
        x = _split(x)
    m, n = x.shape
    if not np.all(np.isfinite(x)):
        return float("nan")
    acov = np.stack([autocovariance(c) for c in x])        # (m, n)
    chain_var = acov[:, 0] * n / (n - 1.0)
    w = chain_var.mean()
    var_plus = w * (n - 1.0) / n
    if m > 1:
        var_plus += x.mean(axis=1).var(ddof=1)
    if not var_plus > 0:
        return float("nan")
    rho = 1.0 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer's initial positive sequence on pairs, then the initial monotone sequence.
    pairs = []
    for k in range(0, n - 1, 2):
        p = rho[k] + rho[k + 1]
        if p <= 0:
            break
        if pairs and p > pairs[-1]:
            p = pairs[-1]
        pairs.append(p)
    tau = -1.0 + 2.0 * float(np.sum(pairs))
    tau = max(tau, 1.0 / np.log10(m * n)) if m * n > 1 else tau
    return float(m * n / tau)


def split_rhat(chains) -> float:
    """Split potential scale reduction factor R-hat (Gelman et al. 2013, eq. 11.4) of one quantity.

    ``chains`` is (chains, draws); each chain is cut in halves, then with n draws per half,
    W the mean within-half variance and B/n the variance of the half means,
    ``R-hat = sqrt(((n - 1)/n W + B/n) / W)``. Near 1 when the chains agree; values above about
    1.01 (Vehtari et al. 2021) or 1.1 (Gelman et al. 2013) signal chains that have not mixed.
    A single chain gives the split R-hat of its two halves. NaN for a constant quantity.
    """
    x = np.asarray(chains, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    x = _split(x)
    n = x.shape[1]
    if n < 2 or not np.all(np.isfinite(x)):
        return float("nan")
    w = x.var(axis=1, ddof=1).mean()
    b_over_n = x.mean(axis=1).var(ddof=1)
    if not w > 0:
        return float("nan")
    return float(np.sqrt(((n - 1.0) / n * w + b_over_n) / w))


def _average_ranks(v: np.ndarray) -> np.ndarray:
    """Ranks 1..S of a flat array, ties given the average of their ranks."""
    order = np.argsort(v, kind="mergesort")
    s = v[order]
    ranks = np.empty(len(v))
    # runs of equal values share the mean of the positions they occupy
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    ends = np.r_[starts[1:], len(s)]
    for a, b in zip(starts, ends):
        ranks[order[a:b]] = 0.5 * (a + 1 + b)
    return ranks


def _normal_scores(x: np.ndarray) -> np.ndarray:
    """Rank normalisation (Vehtari et al. 2021, eq. 14): pooled ranks r over all S draws mapped to
    ``Phi^-1((r - 3/8) / (S + 1/4))`` (Blom's offsets), same shape as ``x``."""
    r = _average_ranks(x.ravel())
    p = (r - 0.375) / (r.size + 0.25)
    try:
        from scipy.special import ndtri
    except ImportError:  # scipy is optional: the standard library's inverse normal CDF, draw by draw
        from statistics import NormalDist

        inv = NormalDist().inv_cdf
        return np.array([inv(float(q)) for q in p]).reshape(x.shape)
    return ndtri(p).reshape(x.shape)


def rank_normalized_rhat(chains) -> float:
    """Rank-normalised split R-hat of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021),
    *Rank-normalization, folding, and localization: an improved R-hat for assessing convergence
    of MCMC*, Bayesian Analysis 16(2), section 4.

    The chains (chains, draws) are split in halves; the bulk R-hat is the split R-hat of the
    rank-normalised draws (pooled ranks, Blom's normal scores), the tail R-hat that of the
    rank-normalised folded draws ``|x - median(x)|``; the result is the larger of the two. It is
    invariant to monotone transformations, defined for heavy-tailed draws and, through the folded
    draws, flags chains with different scales. The paper recommends using draws only when it is
    below 1.01. NaN for a constant quantity or non-finite draws.
    """
    x = np.asarray(chains, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    if x.shape[1] < 4 or not np.all(np.isfinite(x)):
        return float("nan")
    x = _split(x)
    if np.all(x == x.flat[0]):
        return float("nan")

    def basic(z):  # split R-hat formula on chains already split
        n = z.shape[1]
        w = z.var(axis=1, ddof=1).mean()
        if not w > 0:
            return float("nan")
        return float(np.sqrt(((n - 1.0) / n * w + z.mean(axis=1).var(ddof=1)) / w))

    bulk = basic(_normal_scores(x))
    tail = basic(_normal_scores(np.abs(x - np.median(x))))
    return float(np.nanmax([bulk, tail])) if not (np.isnan(bulk) and np.isnan(tail)) else float("nan")


def hpd_interval(x, prob: float = 0.9) -> Tuple[float, float]:
    """Shortest interval holding a fraction ``prob`` of the draws (highest posterior density
    interval of a unimodal posterior), from the sorted draws."""
    if not 0.0 < prob < 1.0:
        raise ValueError(f"prob must be in (0, 1), got {prob}")
    s = np.sort(np.asarray(x, dtype=float).ravel())
    n = len(s)
    k = int(np.ceil(prob * n))
    if k >= n:
        return float(s[0]), float(s[-1])
    widths = s[k:] - s[: n - k]
    i = int(np.argmin(widths))
    return float(s[i]), float(s[i + k])


def _interval_columns(prob: float, interval: str) -> Tuple[str, str]:
    pct = 100.0 * prob
    if interval == "hpd":
        return f"hpd{pct:g}_lower", f"hpd{pct:g}_upper"
    lo = 100.0 * (1.0 - prob) / 2.0
    return f"q{lo:g}", f"q{100.0 - lo:g}"


def posterior_summary(draws, prob: float = 0.9, interval: str = "hpd", burnin: float = 0.0,
                      mode=None) -> pd.DataFrame:
    """Posterior summary of MCMC draws, one row per parameter.

    Columns: ``mean``, ``sd``, ``median``, the credible interval (``hpd90_lower``/``hpd90_upper``
    for the highest-posterior-density interval, or ``q5``/``q95`` for the equal-tailed percentile
    interval with ``interval="percentile"``; the numbers follow ``prob``), ``mcse_mean``
    (sd / sqrt(ESS)), ``ess`` (effective sample size, Geyer's initial monotone sequence on split
    chains), ``r_hat`` (split R-hat across chains) and ``rank_r_hat`` (rank-normalised split R-hat,
    the larger of bulk and tail, Vehtari et al. 2021); with ``mode`` (a Series or the mode
    table) a ``mode`` column first. ``attrs`` record the interval kind, probability, number of
    chains and draws per chain used.
    """
    if interval not in ("hpd", "percentile"):
        raise ValueError(f"interval must be 'hpd' or 'percentile', got {interval!r}")
    if not 0.0 < prob < 1.0:
        raise ValueError(f"prob must be in (0, 1), got {prob}")
    arr, names = chains_array(draws, burnin)
    lo_name, hi_name = _interval_columns(prob, interval)
    rows = []
    for j in range(arr.shape[2]):
        x = arr[:, :, j]
        flat = x.ravel()
        if interval == "hpd":
            lo, hi = hpd_interval(flat, prob)
        else:
            lo, hi = np.quantile(flat, [(1 - prob) / 2, 1 - (1 - prob) / 2])
        ess = effective_sample_size(x)
        sd = flat.std(ddof=1)
        rows.append({"mean": flat.mean(), "sd": sd, "median": np.median(flat), lo_name: lo, hi_name: hi,
                     "mcse_mean": sd / np.sqrt(ess) if ess > 0 else np.nan, "ess": ess,
                     "r_hat": split_rhat(x), "rank_r_hat": rank_normalized_rhat(x)})
    df = pd.DataFrame(rows, index=pd.Index(names, name="parameter"))
    if mode is not None:
        m = mode["mode"] if isinstance(mode, pd.DataFrame) else pd.Series(mode)
        df.insert(0, "mode", m.reindex(df.index).to_numpy(dtype=float))
    df.attrs.update(interval=interval, prob=prob, chains=arr.shape[0], draws_per_chain=arr.shape[1],
                    description=(f"{100 * prob:g}% {'HPD' if interval == 'hpd' else 'equal-tailed percentile'} "
                                 f"interval; ESS (Geyer initial monotone sequence), split R-hat and rank-normalised "
                                 f"split R-hat over "
                                 f"{arr.shape[0]} chain(s) x {arr.shape[1]} draws"))
    return df


def mode_summary(mode: pd.DataFrame, prob: float = 0.9) -> pd.DataFrame:
    """Summary of a posterior mode / ML estimate: ``mode``, ``sd`` (from the inverse Hessian) and
    the normal-approximation (Laplace) interval ``mode +- z sd`` with ``z`` the normal quantile
    of ``(1 + prob) / 2``: columns ``normal90_lower``/``normal90_upper`` for prob 0.9, plus the
    t-ratio ``mode / sd``. There are no draws, so no ESS or R-hat."""
    from statistics import NormalDist

    if not 0.0 < prob < 1.0:
        raise ValueError(f"prob must be in (0, 1), got {prob}")
    z = NormalDist().inv_cdf(0.5 + prob / 2.0)
    m = mode["mode"].astype(float)
    sd = mode["std"].astype(float)
    pct = f"{100 * prob:g}"
    with np.errstate(divide="ignore", invalid="ignore"):
        t = m / sd
    df = pd.DataFrame({"mode": m, "sd": sd, f"normal{pct}_lower": m - z * sd, f"normal{pct}_upper": m + z * sd,
                       "t_ratio": t}, index=mode.index)
    df.attrs.update({k: v for k, v in mode.attrs.items()})
    df.attrs.update(interval="normal", prob=prob,
                    description=f"{pct}% interval from the normal approximation at the mode (mode +- {z:.4f} sd)")
    return df


# ------------------------------------------------------------------------------------------------
# HTML and text
# ------------------------------------------------------------------------------------------------
_STYLE = ("<style>.govsim-repr table{border-collapse:collapse;font-size:12px}"
          ".govsim-repr th{text-align:left;padding:1px 8px 1px 0;font-weight:600}"
          ".govsim-repr td{text-align:left;padding:1px 8px 1px 0}"
          ".govsim-repr .ok{color:#1e8449;font-weight:600}.govsim-repr .bad{color:#c0392b;font-weight:600}"
          ".govsim-repr summary{cursor:pointer}</style>")


def esc(x) -> str:
    return _html.escape(str(x))


def fmt(v, digits: int = 6) -> str:
    """Compact number: integers as is, floats with ``digits`` significant digits."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return f"{int(v):,}"
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return "nan"
        return f"{float(v):.{digits}g}"
    return str(v)


def status_text(st) -> str:
    return getattr(st, "name", str(st).split(".")[-1])


def html_block(title: str, rows: Iterable[Tuple[str, object]], status=None, ok: Optional[bool] = None,
               details: Sequence[Tuple[str, str]] = ()) -> str:
    """A titled two-column table (key, value) with an optional coloured status line and
    collapsible sections ``(summary, html)``."""
    parts = [_STYLE, '<div class="govsim-repr">', f"<b>{esc(title)}</b>", "<table>"]
    if status is not None:
        cls = "ok" if ok else "bad"
        parts.append(f'<tr><th>status</th><td class="{cls}">{esc(status)}</td></tr>')
    for k, v in rows:
        parts.append(f"<tr><th>{esc(k)}</th><td>{esc(fmt(v))}</td></tr>")
    parts.append("</table>")
    for summary, body in details:
        parts.append(f"<details><summary>{esc(summary)}</summary>{body}</details>")
    parts.append("</div>")
    return "".join(parts)


def text_block(title: str, rows: Iterable[Tuple[str, object]], status=None) -> str:
    """Plain-text counterpart of :func:`html_block` for ``__repr__``."""
    rows = list(rows)
    if status is not None:
        rows.insert(0, ("status", status))
    if not rows:
        return title
    w = max(len(k) for k, _ in rows)
    return title + "\n" + "\n".join(f"  {k:<{w}}  {fmt(v)}" for k, v in rows)


def _frame_html(df, max_rows: int = 12, float_format="{:.6g}") -> str:
    if df is None:
        return ""
    d = df.head(max_rows)
    more = f"<p>... {len(df) - max_rows} more rows</p>" if len(df) > max_rows else ""
    try:
        return d.to_html(float_format=float_format.format, border=0) + more
    except Exception:  # pragma: no cover - exotic frames
        return esc(d) + more


def _names(names, k: int = 8) -> str:
    names = [str(n) for n in names]
    return ", ".join(names[:k]) + (f", ... ({len(names)} in all)" if len(names) > k else "")


# ---- DSGE ----------------------------------------------------------------------------------------
def _model_rows(m):
    c = m.core
    n_aux = len(m.endo_names) - c.n_declared_endo
    rows = [("endogenous", f"{c.n_declared_endo}" + (f" (+{n_aux} auxiliary)" if n_aux else "")),
            ("shocks", f"{c.n_exo}: {_names(m.exo_names)}"),
            ("parameters", c.n_params),
            ("equations", c.n_declared_equations)]
    try:
        varobs = list(c.varobs)
    except Exception:
        varobs = []
    if varobs:
        rows.append(("observed", _names(varobs)))
    cmds = [getattr(k, "name", str(k)) for k in m.commands]
    if cmds:
        rows.append(("commands", _names(cmds)))
    if m.warnings:
        rows.append(("warnings", len(m.warnings)))
    return rows


def model_html(m) -> str:
    eqs = "".join(f"<li><code>{esc(e)}</code></li>" for e in m.equations[: m.core.n_declared_equations])
    return html_block(f"DSGE model '{m.name}'", _model_rows(m),
                      details=[("equations", f"<ol>{eqs}</ol>"),
                               ("parameters", _frame_html(m.params.to_frame(), max_rows=200))])


def model_repr(m) -> str:
    return text_block(f"<DSGE model '{m.name}'>", _model_rows(m))


def _solution_rows(sol, order: int):
    rows = [("order", order), ("variables", len(sol.endo_names)),
            ("states", f"{len(sol.state_names)}: {_names(sol.state_names)}"),
            ("shocks", f"{len(sol.exo_names)}: {_names(sol.exo_names)}")]
    core = sol.core
    ev = np.asarray(getattr(core, "eigenvalues", []), dtype=complex)
    if ev.size:
        with np.errstate(invalid="ignore"):
            mod = np.abs(ev)
        fin = mod[np.isfinite(mod)]
        stable = fin[fin < 1.0 + 1e-6]
        rows.append(("eigenvalues", f"{ev.size} ({int(np.sum(~(mod < 1.0 + 1e-6)))} explosive)"))
        if stable.size:
            rows.append(("largest stable modulus", float(stable.max())))
    if hasattr(core, "n_forward"):
        rows.append(("forward-looking", int(core.n_forward)))
    return rows


def solution_html(sol, order: int = 1) -> str:
    ok = bool(sol.ok())
    details = []
    if ok:
        details.append(("steady state", _frame_html(sol.steady_state.to_frame(), max_rows=200)))
        details.append(("ghu (impact of the shocks)", _frame_html(sol.ghu, max_rows=200)))
        if order == 2:
            details.append(("ghs2 (risk correction)", _frame_html(sol.ghs2.to_frame(), max_rows=200)))
    msg = getattr(sol.core, "message", "")
    rows = _solution_rows(sol, order)
    if msg and not ok:
        rows.insert(0, ("message", msg))
    return html_block(f"{'First' if order == 1 else 'Second'}-order solution", rows,
                      status=status_text(sol.core.status), ok=ok, details=details)


def solution_repr(sol, order: int = 1) -> str:
    name = type(sol).__name__
    rows = _solution_rows(sol, order)
    msg = getattr(sol.core, "message", "")
    if msg and not sol.ok():
        rows.insert(0, ("message", msg))
    return text_block(f"<{name}>", rows, status=status_text(sol.core.status))


def moments_html(mo) -> str:
    rows = [("variables", len(mo.var_list)), ("autocorrelation lags", len(mo.autocorrelation)),
            ("variance decomposition", "yes" if mo.variance_decomposition is not None else "no")]
    tbl = mo.summary()
    details = []
    if mo.variance_decomposition is not None:
        details.append(("variance decomposition (%)", _frame_html(mo.variance_decomposition, max_rows=200,
                                                                  float_format="{:.2f}")))
    return html_block("Theoretical moments", rows, details=details) + _frame_html(tbl, max_rows=20)


# ---- estimation ----------------------------------------------------------------------------------
def estimation_rows(e):
    rows = [("parameters", f"{len(e.labels)}: {_names(e.labels)}"), ("observed", _names(e.varobs)),
            ("observations", len(e.index))]
    try:
        rows.append(("priors", "yes (posterior)" if e.core.bayesian() else "no (maximum likelihood)"))
    except Exception:
        pass
    return rows


def estimation_html(e) -> str:
    return html_block(f"Estimation of '{getattr(e.model, 'name', 'model')}'", estimation_rows(e))


def mode_rows(res):
    a = res.attrs
    rows = []
    for k in ("log_likelihood", "log_posterior", "log_marginal_laplace"):
        if k in a and a[k] is not None:
            rows.append((k.replace("_", " "), float(a[k])))
    rows.append(("parameters", len(res)))
    return rows


def mode_html(res) -> str:
    st = res.attrs.get("status", "")
    return html_block("Posterior mode" if res.attrs.get("bayesian", True) else "Maximum likelihood",
                      mode_rows(res), status=st or None, ok=st == "Success") + \
        _frame_html(res.summary(), max_rows=50)


def mcmc_rows(res):
    acc = np.asarray(res.acceptance, dtype=float)
    s = res.summary()
    rows = [("chains", s.attrs["chains"]), ("draws per chain (after burn-in)", s.attrs["draws_per_chain"]),
            ("burn-in fraction", res.burnin),
            ("acceptance", ", ".join(f"{a:.3f}" for a in acc)),
            ("min ESS", float(s["ess"].min())), ("max split R-hat", float(s["r_hat"].max())),
            ("max rank-normalised R-hat", float(s["rank_r_hat"].max()))]
    return rows, s


def mcmc_html(res) -> str:
    rows, s = mcmc_rows(res)
    return html_block("MCMC (random-walk Metropolis-Hastings)", rows, status=status_text(res.status),
                      ok=res.status == "Success") + \
        f"<p>{esc(s.attrs['description'])}</p>" + _frame_html(s, max_rows=50)


def mcmc_repr(res) -> str:
    rows, s = mcmc_rows(res)
    return text_block("<McmcResult>", rows, status=status_text(res.status)) + "\n" + s.to_string(float_format="{:.4g}".format)


# ---- input-output --------------------------------------------------------------------------------
def _iotable_rows(t):
    d = t.diagnostics
    rows = [("sectors", t.n if not t.is_multiregional else f"{t.n} ({len(t.regions)} regions x "
                                                          f"{len(set(t.sectors))} sectors)")]
    if t.is_multiregional:
        rows.append(("regions", _names(t.regions)))
    rows.append(("final-demand categories", _names(list(t.Y.columns))))
    unit = t.unit or "n/a"
    rows += [("unit", unit), ("total gross output", float(t.x.sum())),
             ("total final demand", float(t.Y.to_numpy().sum()))]
    va = t.value_added
    if va.shape[0]:
        rows.append(("value-added rows", _names(list(va.index))))
    sat = t.satellite
    if sat.shape[0]:
        rows.append(("satellite accounts", _names(list(sat.index))))
    rows += [("max row imbalance", float(d.max_row_imbalance)), ("zero-output sectors", len(d.zero_output)),
             ("max column sum of A", float(d.max_column_sum_A))]
    return rows


def iotable_html(t) -> str:
    return html_block("IOTable", _iotable_rows(t),
                      details=[("gross output by sector", _frame_html(t.x.to_frame(), max_rows=30))])


def iotable_repr(t) -> str:
    return text_block("<IOTable>", _iotable_rows(t))


def _top(s: pd.Series, k: int = 3) -> str:
    s = s.sort_values(ascending=False).head(k)
    return ", ".join(f"{'/'.join(map(str, i)) if isinstance(i, tuple) else i} ({v:.4g})" for i, v in s.items())


def diim_rows(p):
    t = p.inoperability.index
    rows = [("sectors", p.inoperability.shape[1]),
            ("horizon", f"{fmt(float(t[0]))} .. {fmt(float(t[-1]))} ({len(t)} points)"),
            ("total cumulative loss", float(p.cumulative_loss.sum())),
            ("largest losses", _top(p.cumulative_loss)),
            ("max inoperability", float(p.inoperability.to_numpy().max()))]
    return rows


def diim_html(p) -> str:
    return html_block("DIIM paths", diim_rows(p), status=status_text(p.status), ok=bool(p.ok()),
                      details=[("ranking", _frame_html(p.ranking, max_rows=20))])


def ario_rows(r):
    rows = [("industries", r.production.shape[1]), ("days", r.production.shape[0]),
            ("total production loss", float(r.production_loss.sum())),
            ("largest regional losses", _top(r.loss_by_region)),
            ("deepest trough", _top(r.troughs["trough_depth"], 1)),
            ("max accounting residual", float(np.abs(r.accounting["residual"]).max()) if len(r.accounting) else 0.0)]
    return rows


def ario_html(r) -> str:
    return html_block("ARIO run", ario_rows(r), status=status_text(r.status), ok=bool(r.ok()),
                      details=[("troughs by region", _frame_html(r.troughs, max_rows=40))])


# ---- nonlinear ----------------------------------------------------------------------------------
def perfect_foresight_html(pf) -> str:
    """Perfect-foresight paths: status, horizon, largest residual and where it is, first periods."""
    rows = [("variables", pf.paths.shape[1]),
            ("periods", f"{pf.paths.shape[0] - 2} simulated (0 = initial, {pf.paths.shape[0] - 1} = terminal)"),
            ("max residual", float(pf.max_residual))]
    if not pf.ok():
        rows.append(("worst equation", f"{pf.worst_equation} in period {pf.worst_period}"))
        rows.insert(0, ("message", pf.message))
    return html_block("Perfect-foresight solution", rows, status=status_text(pf.status), ok=bool(pf.ok()),
                      details=[("paths (first periods)", _frame_html(pf.paths, max_rows=12))])


def _periods_text(periods) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    periods = sorted(int(p) for p in periods)
    runs, start = [], None
    for i, p in enumerate(periods):
        if start is None:
            start = p
        if i + 1 == len(periods) or periods[i + 1] != p + 1:
            runs.append(f"{start}" if start == p else f"{start}-{p}")
            start = None
    return ", ".join(runs) if runs else "none"


def occbin_html(ob) -> str:
    """OccBin paths: status, horizon, periods in which the constraint binds."""
    bp = ob.binding_periods
    rows = [("variables", ob.paths.shape[1]), ("periods", ob.paths.shape[0] - 2),
            ("constraint binds", f"{len(bp)} period(s): {_periods_text(bp)}")]
    return html_block("OccBin solution", rows, status=status_text(ob.core.status), ok=bool(ob.ok()),
                      details=[("paths (first periods)", _frame_html(ob.paths, max_rows=12))])


# ---- policy -------------------------------------------------------------------------------------
def _optimum_parts(r):
    """Rows and the start/optimum table of an OsrResult or MinimizeResult."""
    if hasattr(r, "params"):          # OsrResult
        x, x0, f, f0 = r.params, r.start, r.loss, r.loss_start
        what = "loss"
    else:                             # MinimizeResult
        x, x0, f, f0 = r.x, None, r.f, r.f_start
        what = "objective"
    rows = [(what, float(f)), (f"{what} at the start", float(f0))]
    if np.isfinite(f0) and f0 != 0 and np.isfinite(f):
        rows.append((f"change", f"{100.0 * (f / f0 - 1.0):+.2f}%"))
    rows.append(("evaluations", int(r.evaluations)))
    if getattr(r, "constraints", None) is not None and len(r.constraints):
        rows.append(("constraints", f"{len(r.constraints)}, {'all hold' if r.feasible else 'VIOLATED'}"))
    table = pd.DataFrame({"optimum": x})
    if x0 is not None:
        table.insert(0, "start", x0.reindex(table.index))
    return rows, table


def optimum_html(r, title: str) -> str:
    rows, table = _optimum_parts(r)
    body = _frame_html(table, max_rows=50)
    if getattr(r, "constraints", None) is not None and len(r.constraints):
        body += "<details><summary>constraint values</summary>" + _frame_html(r.constraints.to_frame("value"),
                                                                              max_rows=50) + "</details>"
    return html_block(title, rows, status=status_text(r.status), ok=r.status == "Success" and bool(r.feasible)) + body


def optimum_repr(r, name: str) -> str:
    rows, table = _optimum_parts(r)
    return text_block(f"<{name}>", rows, status=status_text(r.status)) + "\n" + table.to_string(float_format="{:.6g}".format)


# ---- .mod file runs -----------------------------------------------------------------------------
def _status_of(x):
    """(status name, ok) of a compiled result that has a status, else (None, None)."""
    st = getattr(x, "status", None)
    if st is None:
        return None, None
    name = status_text(st)
    return name, name == "Success"


def _stoch_simul_tables(run, c):
    """Decision rule (listed variables on the lagged states and the shocks) and moments of a
    StochSimulResult, labelled."""
    n = len(run.endo_names)
    first = c.first
    ghx = pd.DataFrame(np.asarray(first.ghx)[:n], index=run.endo_names,
                       columns=[f"{v}(-1)" for v in first.state_names])  # the states enter lagged
    ghu = pd.DataFrame(np.asarray(first.ghu)[:n], index=run.endo_names, columns=list(first.exo_names))
    vl = [v for v in c.var_list if v in ghu.index] or list(ghu.index)
    tables = [("decision rule: listed variables on the lagged states and the shocks",
               pd.concat([ghx.loc[vl], ghu.loc[vl]], axis=1))]
    mo = c.moments
    if mo is not None:
        names = list(mo.var_names)
        df = pd.DataFrame({"mean": np.asarray(mo.mean), "std": np.asarray(mo.std_dev),
                           "variance": np.diag(np.asarray(mo.covariance))}, index=names)
        tables.append(("moments", df.loc[[v for v in vl if v in df.index]]))
    return tables


def _command_parts(run, k: int, c):
    """Status, key rows and detail tables of the k-th command result of a RunResult (by result type:
    ``discretionary_policy`` and ``ramsey_policy`` also record a stoch_simul-like result)."""
    kind = type(c).__name__
    rows, tables = [], []
    status, ok = "Success", True
    if kind == "SteadyResult":
        v = np.asarray(c.steady_state)
        names = run.endo_names if len(run.endo_names) == v.size else [f"y{i}" for i in range(v.size)]
        tables.append(("steady state", pd.Series(v, index=names, name="steady_state").to_frame()))
    elif kind == "CheckResult":
        status, ok = _status_of(c)
        rows += [("explosive eigenvalues", int(c.n_explosive)), ("forward-looking variables", int(c.n_forward)),
                 ("Blanchard-Kahn", "satisfied" if c.blanchard_kahn_ok() else "not satisfied")]
        if c.message:
            rows.append(("message", c.message))
    elif kind == "StochSimulResult":
        status, ok = _status_of(c.first)
        rows += [("order", int(c.order)), ("variables listed", _names(c.var_list))]
        if ok:
            tables += _stoch_simul_tables(run, c)
            if c.irfs is not None:
                rows.append(("impulse responses", f"{len(list(c.irfs.shock_names))} shock(s)"))
            if c.simulation is not None:
                rows.append(("simulated periods", int(np.asarray(c.simulation.paths).shape[0])))
    elif kind == "OsrRunResult":
        o = c.result
        status, ok = _status_of(o)
        rows.append(("loss", float(o.loss)))
        tables.append(("optimal coefficients", pd.Series(np.asarray(o.params), index=list(o.param_names),
                                                         name="value").to_frame()))
    elif kind == "EstimationRunResult":
        rows.append(("parameters", _names(c.labels)))
        rows.append(("method", "posterior mode" if c.bayesian else "maximum likelihood"))
        if c.mode is not None:
            status, ok = _status_of(c.mode)
            rows.append(("log posterior" if c.bayesian else "log likelihood",
                         float(c.mode.log_posterior if c.bayesian else c.mode.log_likelihood)))
            tables.append(("mode", pd.DataFrame({"mode": np.asarray(c.mode.mode),
                                                 "std": np.asarray(c.mode.std_at_mode)}, index=list(c.labels))))
        elif c.at_initial is not None:
            status, ok = _status_of(c.at_initial)
            rows.append(("log likelihood at the initial values", float(c.at_initial.log_likelihood)))
        if c.mcmc is not None:
            st, good = _status_of(c.mcmc)
            if ok and not good:
                status, ok = st, good
            acc = np.asarray(c.mcmc.acceptance, dtype=float)
            rows.append(("MCMC", f"{len(acc)} chain(s), {int(c.mcmc.draws_done)} draws, acceptance "
                                 + ", ".join(f"{a:.3f}" for a in acc)))
    elif kind == "PerfectForesightRunResult":
        p = c.result
        status, ok = _status_of(p)
        rows += [("periods", int(c.periods)), ("max residual", float(p.max_residual))]
    elif kind in ("RamseyRunResult", "DiscretionRunResult"):
        p = c.result
        status, ok = _status_of(p)
        if getattr(p, "message", "") and not ok:
            rows.append(("message", p.message))
        if kind == "DiscretionRunResult":
            rows.append(("instruments", _names(p.instruments)))
            rows.append(("iterations", int(p.iterations)))
        obj = getattr(p, "objective", None)
        if obj is not None and hasattr(obj, "unconditional"):
            rows.append(("planner objective (unconditional)", float(obj.unconditional)))
    elif kind == "PlannerObjectiveRunResult":
        v = c.ramsey if c.ramsey is not None else c.discretion
        rows.append(("policy", c.policy))
        if v is not None:
            rows.append(("unconditional", float(v.unconditional)))
    if status is None:
        status, ok = "Success", True
    return status, ok, rows, tables


def run_rows(run):
    rows = [("commands", len(run.core.results)), ("variables", f"{len(run.endo_names)}: {_names(run.endo_names)}"),
            ("shocks", f"{len(run.core.exo_names)}: {_names(run.core.exo_names)}"),
            ("parameters", len(run.core.param_names))]
    if not run.ok():
        rows.insert(0, ("error", run.error_message))
    if run.core.warnings:
        rows.append(("warnings", len(run.core.warnings)))
    return rows


def run_html(run) -> str:
    """A RunResult: run status, then one collapsible section per command (status, key numbers,
    steady state, decision rule and moments tables)."""
    ok = bool(run.ok())
    details = []
    if len(run.core.steady_state):
        details.append(("steady state", _frame_html(run.steady_state.to_frame(), max_rows=200)))
    for k, c in enumerate(run.core.results):
        status, good, rows, tables = _command_parts(run, k, c)
        where = f" (line {c.where.line})" if getattr(c.where, "line", 0) else ""
        body = html_block(f"{c.command}{where}", rows, status=status, ok=good).replace(_STYLE, "", 1)
        for title, df in tables:
            body += f"<p><i>{esc(title)}</i></p>" + _frame_html(df, max_rows=40)
        details.append((f"{k + 1}. {c.command}{where}: {status}", body))
    if run.core.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in run.warnings)
        details.append(("warnings", f"<ul>{items}</ul>"))
    status = "ok" if ok else status_text(run.failure)
    return html_block("Run of a .mod file", run_rows(run), status=status, ok=ok, details=details)


# ---- network sweeps -----------------------------------------------------------------------------
_SWEEP_FIXED = ("scenario", "draw", "status", "loss", "std_pic", "std_ygap", "std_gdp")


def sweep_summary(res) -> pd.DataFrame:
    """Per scenario and rule: evaluations, failures and the loss's mean, min and max over draws."""
    t = res.table
    if t.empty:
        return pd.DataFrame()
    rule_cols = [c for c in t.columns if c not in _SWEEP_FIXED]
    keys = ["scenario"] + rule_cols
    g = t.groupby(keys, sort=False, dropna=False)
    out = pd.DataFrame({"evaluations": g.size(),
                        "failed": g["status"].apply(lambda s: int((s != "Success").sum())),
                        "mean loss": g["loss"].mean(), "min loss": g["loss"].min(), "max loss": g["loss"].max()})
    return out


def sweep_rows(res):
    i = res.info
    rows = [("evaluations", f"{i.get('tasks_done', len(res.table))} of {i.get('tasks', len(res.table))}"),
            ("scheduler", i.get("scheduler", "")), ("seconds", float(i.get("seconds", float("nan")))),
            ("model builds", i.get("builds", ""))]
    t = res.table
    if not t.empty:
        rows.insert(1, ("scenarios", _names(pd.unique(t["scenario"]))))
        failed = int((t["status"] != "Success").sum())
        rows.append(("failed evaluations", failed))
        s = sweep_summary(res)
        best = s["mean loss"].dropna()
        if len(best):
            for sc, grp in best.groupby(level=0, sort=False):
                k = grp.idxmin()
                rule = ", ".join(f"{n}={fmt(v)}" for n, v in zip(s.index.names[1:], k[1:]))
                rows.append((f"best rule for {sc}", f"{rule} (mean loss {fmt(float(grp.min()))})"))
    return rows


def sweep_html(res) -> str:
    i = res.info
    t = res.table
    done = i.get("tasks_done", len(t)) == i.get("tasks", len(t))
    failed = 0 if t.empty else int((t["status"] != "Success").sum())
    ok = done and failed == 0
    status = "interrupted" if i.get("interrupted") else ("complete" if ok else
                                                         ("complete, with failures" if done else "incomplete"))
    return html_block("Network policy sweep", sweep_rows(res), status=status, ok=ok,
                      details=[("loss by scenario and rule", _frame_html(sweep_summary(res), max_rows=60)),
                               ("evaluations", _frame_html(t, max_rows=20))])
