"""`govsim run` handlers for ``osr`` and ``estimation``, and the ``govsim calibrate`` subcommand.

JSON contract (``govsim run model.mod --json out.json``):

- ``osr`` -> ``{"params": {name: value}, "loss": x, "loss_start": x, "status": s, ...}``
- ``estimation`` -> ``{"log_likelihood": x}`` at the initial values when ``mode_compute=0``, otherwise
  ``{"mode": {...}, "std_at_mode": {...}, "log_likelihood_at_mode": x, "log_posterior_at_mode": x}``
  (plus ``"mcmc"`` when ``mh_replic > 0``). Shock standard deviations are named ``stderr <shock>``.

The MCMC draws show a progress bar on stderr when it is a terminal (or when GOVSIM_PROGRESS=1),
unless ``--quiet``.
"""
from __future__ import annotations

import json
import os
import sys

DECLARATIVE = {"osr_params", "osr_params_bounds", "optim_weights", "estimated_params", "varobs",
               "estimated_params_init", "estimated_params_bounds"}

_OSR_OPTIONS = {"opt_algo", "irf", "ar", "nograph", "graph", "irf_plot_threshold", "noprint", "nodisplay",
                "maxit", "tolf", "tolx", "nomoments", "nocorr", "graph_format"}
_EST_OPTIONS = {"datafile", "mode_compute", "lik_init", "presample", "nograph", "first_obs", "nobs", "mh_replic",
                "mh_nblocks", "mh_jscale", "mh_drop", "mh_init_scale", "nodisplay", "graph_format", "mode_check",
                "plot_priors", "noprint", "optim", "smoother", "order", "kalman_algo", "prefilter"}


def _where(cmd):
    return f"{cmd.where.file}:{cmd.where.line}"


def _int(cmd, key, default):
    from ..cli import _int_option
    return _int_option(cmd, key, default)


def _float(cmd, key, default):
    from ..cli import CliError
    if not cmd.has_option(key):
        return default
    try:
        return float(cmd.option(key))
    except ValueError:
        raise CliError(f"{_where(cmd)}: {cmd.name}: option {key}={cmd.option(key)!r} is not a number") from None


def _progress(quiet):
    if quiet or not sys.stderr.isatty():
        return None

    def cb(info):
        if info.total:
            pct = 100.0 * info.iteration / info.total
            sys.stderr.write(f"\r{info.stage}: {info.iteration}/{info.total} ({pct:5.1f}%)")
        else:
            sys.stderr.write(f"\r{info.stage}: {info.iteration} improvements, objective {info.objective:.10g}")
        sys.stderr.flush()
        return True
    return cb


def _mcmc_progress(quiet):
    """A progress bar for the MCMC draws on stderr (a terminal, or GOVSIM_PROGRESS=1), else None."""
    if quiet or not (sys.stderr.isatty() or os.environ.get("GOVSIM_PROGRESS") == "1"):
        return None
    from .._progress import ProgressBar
    return ProgressBar(label="MCMC", unit="draws", use_tqdm=sys.stderr.isatty())


def run_osr(ctx, cmd):
    from .. import _core
    from ..cli import CliError

    unsupported = [k for k, _ in cmd.options if k not in _OSR_OPTIONS]
    if unsupported:
        ctx.warn(cmd.where, "osr: unsupported option(s) ignored: " + ", ".join(unsupported))
    core = ctx.model.core
    if not list(core.osr_params):
        raise CliError(f"{_where(cmd)}: osr: no osr_params declared")
    if not list(core.optim_weights):
        raise CliError(f"{_where(cmd)}: osr: no optim_weights block")
    try:
        w = _core.policy.LossWeights.from_model(core)
    except _core.ModelError as e:
        raise CliError(f"{_where(cmd)}: osr: {e}") from None
    cb = _progress(ctx.quiet)
    r = _core.policy.optimal_simple_rule(core, w, on_iteration=cb)
    if cb:
        sys.stderr.write("\n")
    names = list(r.param_names)
    block = {"params": {n: float(v) for n, v in zip(names, r.params)}, "loss": r.loss, "loss_start": r.loss_start,
             "status": r.status.name, "start": {n: float(v) for n, v in zip(names, r.start)},
             "iterations": r.iterations, "evaluations": r.evaluations, "infeasible": r.infeasible,
             "algorithm": r.algorithm}
    if r.solution.ok():
        import numpy as np
        endo = ctx.endo_names
        var_list = list(cmd.args) or endo
        cov = np.asarray(r.covariance)
        idx = [list(r.solution.endo_names).index(v) for v in var_list]
        block["moments"] = {"var_list": var_list, "var": cov[np.ix_(idx, idx)].tolist()}
    if not ctx.quiet:
        print("OPTIMAL VALUE OF THE PARAMETERS:\n")
        for n in names:
            print(f"  {n:<12} {block['params'][n]:.6f}")
        print(f"\nObjective function: {r.loss:.10g} (at the start: {r.loss_start:.10g})")
        print(f"{r.evaluations} evaluations, status {r.status.name}\n")
    ctx.add("osr", block)
    if not r.ok():
        raise _core.SolveError(f"{_where(cmd)}: osr: {r.summary()}")


def _read_data(path, varobs, cmd, source_file=""):
    import numpy as np
    import pandas as pd
    from ..cli import CliError

    # relative to the .mod file's folder, as in Dynare (not to the working directory)
    base = os.path.dirname(source_file) if source_file else os.getcwd()
    cands = [path] if os.path.isabs(path) else [os.path.join(base, path)]
    if not os.path.splitext(path)[1]:
        cands = [c + ext for c in cands for ext in (".csv", "")]
    for c in cands:
        if os.path.isfile(c):
            if not c.endswith(".csv"):
                raise CliError(f"{_where(cmd)}: estimation: datafile '{path}': only CSV files are supported")
            df = pd.read_csv(c)
            bad = [v for v in varobs if v in df.columns and np.isinf(df[v].to_numpy(dtype=float)).any()]
            if bad:
                raise CliError(f"{_where(cmd)}: estimation: datafile '{path}' has infinite values in "
                               f"{', '.join(bad)} (use an empty cell or NaN for a missing observation)")
            missing = [v for v in varobs if v not in df.columns]
            if missing:
                raise CliError(f"{_where(cmd)}: estimation: datafile '{path}' has no column(s) {', '.join(missing)}")
            return df[varobs].to_numpy(dtype=float)
    raise CliError(f"{_where(cmd)}: estimation: datafile '{path}' not found")


def run_estimation(ctx, cmd):
    import numpy as np
    from .. import _core
    from ..cli import CliError

    unsupported = [k for k, _ in cmd.options if k not in _EST_OPTIONS]
    if unsupported:
        ctx.warn(cmd.where, "estimation: unsupported option(s) ignored: " + ", ".join(unsupported))
    core = ctx.model.core
    varobs = list(core.varobs)
    if not varobs or not list(core.estimated_params):
        what = "varobs" if not varobs else "estimated_params"
        ctx.warn(cmd.where, f"estimation: no {what} declared: skipped")
        return
    if not cmd.has_option("datafile"):
        raise CliError(f"{_where(cmd)}: estimation: the datafile option is required")
    if _int(cmd, "lik_init", 1) != 1:
        raise CliError(f"{_where(cmd)}: estimation: only lik_init=1 is supported")
    data = _read_data(cmd.option("datafile").strip("'\""), varobs, cmd, core.source_file)
    first = _int(cmd, "first_obs", 1)
    nobs = _int(cmd, "nobs", data.shape[0] - first + 1)
    if first < 1 or first - 1 + nobs > data.shape[0] or nobs < 1:
        raise CliError(f"{_where(cmd)}: estimation: first_obs/nobs outside the {data.shape[0]} rows of the data")
    data = data[first - 1: first - 1 + nobs]
    try:
        params = _core.estimation.estimated_parameters(core)
        est = _core.estimation.Estimator(core, params, varobs, data,
                                         _core.estimation.KalmanOptions(presample=_int(cmd, "presample", 0)))
    except (_core.ModelError, _core.OptionsError) as e:
        raise CliError(f"{_where(cmd)}: estimation: {e}") from None
    labels = list(est.labels())
    mode_compute = _int(cmd, "mode_compute", 4)
    theta0 = np.asarray(est.initial())
    if mode_compute == 0:
        k = est.filter(theta0)
        if not k.ok():
            raise _core.SolveError(f"{_where(cmd)}: estimation: likelihood at the initial values: {k.summary()}")
        lp = est.log_prior(theta0) if est.bayesian() else 0.0
        block = {"log_likelihood": k.log_likelihood, "log_posterior": k.log_likelihood + lp,
                 "params": dict(zip(labels, theta0.tolist())), "n_observations": k.n_observations}
        if not ctx.quiet:
            print(f"Log-likelihood at the initial values: {k.log_likelihood:.10f}\n")
        mode = None
    else:
        cb = _progress(ctx.quiet)
        mode = _core.estimation.posterior_mode(est, on_iteration=cb)
        if cb:
            sys.stderr.write("\n")
        block = {"mode": dict(zip(labels, np.asarray(mode.mode).tolist())),
                 "std_at_mode": dict(zip(labels, np.asarray(mode.std_at_mode).tolist())),
                 "log_likelihood_at_mode": mode.log_likelihood, "log_posterior_at_mode": mode.log_posterior,
                 "status": mode.status.name, "evaluations": mode.evaluations}
        if est.bayesian():
            block["log_marginal_density_laplace"] = mode.log_marginal_laplace
        if not ctx.quiet:
            print("RESULTS FROM " + ("POSTERIOR" if est.bayesian() else "MAXIMUM LIKELIHOOD") + " ESTIMATION")
            for n, v, s in zip(labels, mode.mode, mode.std_at_mode):
                print(f"  {n:<16} {v:12.6f} {s:12.6f}")
            print(f"Log-likelihood at the mode: {mode.log_likelihood:.8f}\n")
        if not mode.ok() and mode.status.name not in ("Singular",):
            ctx.add("estimation", block)
            raise _core.SolveError(f"{_where(cmd)}: estimation: {mode.summary()}")
    mh = _int(cmd, "mh_replic", 0)
    if mh > 0:
        if mode is None or not np.all(np.isfinite(np.asarray(mode.std_at_mode))):
            ctx.warn(cmd.where, "estimation: mh_replic needs a mode with a valid Hessian (mode_compute != 0): skipped")
        else:
            bar = _mcmc_progress(ctx.quiet)
            chains = _int(cmd, "mh_nblocks", 2)
            try:
                r = _core.estimation.random_walk_metropolis(
                    est, np.asarray(mode.mode), np.asarray(mode.covariance), chains=chains,
                    draws=mh, jscale=_float(cmd, "mh_jscale", 0.2), burnin=_float(cmd, "mh_drop", 0.5),
                    init_scale=_float(cmd, "mh_init_scale", 1.0), seed=ctx.args.seed or 1, on_iteration=bar)
            finally:
                if bar is not None:
                    if "r" in locals():
                        bar.update(int(r.draws_done) * chains, chains * mh)
                    bar.close()
            st = np.asarray(r.summary_table)
            block["mcmc"] = {"acceptance": np.asarray(r.acceptance).tolist(),
                             "rhat": dict(zip(labels, np.asarray(r.rhat).tolist())),
                             "posterior_mean": dict(zip(labels, st[:, 0].tolist())),
                             "posterior_std": dict(zip(labels, st[:, 1].tolist())),
                             "q05": dict(zip(labels, st[:, 2].tolist())),
                             "q95": dict(zip(labels, st[:, 4].tolist())), "status": r.status.name}
    ctx.add("estimation", block)


RUN_HANDLERS = {"osr": run_osr, "estimation": run_estimation}


# ---------------------------------------------------------------------------------------- calibrate
def add_parser(subparsers):
    p = subparsers.add_parser(
        "calibrate", help="fit model parameters to target moments / IRFs (JSON in, JSON out)",
        description="Calibrate parameters of a .mod model so that theoretical moments and impulse responses "
                    "match targets. The spec (JSON file or '-' for stdin) has: model, params {name: [start, lower, "
                    "upper]}, targets: list of {type: std|var|corr|autocorr|irf, var, var2, shock, period, value, "
                    "weight}, optional algorithm.")
    p.add_argument("spec", help="JSON specification file ('-' for stdin)")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the result as JSON")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args) -> int:
    from ..cli import CliError, EXIT_OK, EXIT_NUMERICAL, _emit_json
    from .. import policy

    try:
        spec = json.load(sys.stdin if args.spec == "-" else open(args.spec))
    except (OSError, ValueError) as e:
        raise CliError(f"calibrate: cannot read the specification: {e}") from None
    if not isinstance(spec, dict) or "model" not in spec or "params" not in spec or "targets" not in spec:
        raise CliError("calibrate: the specification needs 'model', 'params' and 'targets'")
    if not isinstance(spec["model"], str) or not spec["model"]:
        raise CliError(f"calibrate: 'model' must be the path of a .mod file, got {spec['model']!r}")
    if not isinstance(spec["params"], dict) or not isinstance(spec["targets"], list):
        raise CliError("calibrate: 'params' must be an object {name: [start, lower, upper]} and 'targets' a list")
    base = os.path.dirname(os.path.abspath(args.spec)) if args.spec != "-" else os.getcwd()
    mpath = spec["model"] if os.path.isabs(spec["model"]) else os.path.join(base, spec["model"])
    if not os.path.isfile(mpath):
        raise CliError(f"calibrate: model file '{spec['model']}' not found")
    from ..dsge import Model
    model = Model.from_file(mpath)
    res = policy.calibrate(model, spec["params"], spec["targets"], algorithm=spec.get("algorithm", "nelder-mead"))
    out = {"params": res.params.to_dict(), "distance": res.distance, "distance_start": res.distance_start,
           "status": res.status, "fit": res.fit.reset_index().to_dict(orient="records")}
    if args.json:
        _emit_json(out, args.json)
    else:
        print("CALIBRATED PARAMETERS")
        for k, v in out["params"].items():
            print(f"  {k:<16} {v:.6f}")
        print(f"\nWeighted distance {res.distance:.6g} (start {res.distance_start:.6g}), status {res.status}\n")
        print(res.fit.to_string())
    return EXIT_OK if res.status == "Success" else EXIT_NUMERICAL
