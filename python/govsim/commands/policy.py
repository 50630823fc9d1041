"""The ``govsim calibrate`` subcommand: fit model parameters to target moments / IRFs (JSON in, JSON
out), and ``govsim policy compare``: the welfare comparison of commitment, discretion and simple
rules on one model (:func:`govsim.optimal_policy.compare_policies`) or across several
(:func:`govsim.optimal_policy.compare_policies_robust`).

(``osr`` and ``estimation`` in .mod files are commands of ``govsim run``, executed by the
library's command interpreter, govsim::dsge::run_commands.)
"""
from __future__ import annotations

import json
import math
import os
import re
import sys

from ..cli_support import EXIT_NUMERICAL, EXIT_OK, CliError, emit_json, frame_json, print_table


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

    pol = subparsers.add_parser("policy", help="optimal policy: welfare comparison of policies")
    psub = pol.add_subparsers(dest="policy_command", metavar="POLICY_COMMAND")
    psub.required = True
    c = psub.add_parser(
        "compare", help="commitment vs discretion vs simple rules, on one model or robustly across several",
        description="Rank commitment (Ramsey), discretion, the simple rule tuned on the loss and the rule with "
                    "the file's parameter values by the unconditional expected discounted loss. Each MODEL.mod is "
                    "a linear model written without its policy rule, with a quadratic loss (its planner_objective "
                    "or --loss) and the instruments and discount of its discretionary_policy statement (or "
                    "--instruments / --discount). With several models the rules are also tuned for the weighted "
                    "average and the worst case over the models. Exit status: 0 ok, 2 bad input, 3 numerical "
                    "failure.")
    c.add_argument("models", nargs="+", metavar="MODEL.mod", help=".mod file(s) without the policy rule")
    c.add_argument("--rule", required=True, metavar="EQUATION",
                   help="the simple rule as an equation, e.g. 'i = phi_pi*pi + phi_x*x'")
    c.add_argument("--params", metavar="P1,P2",
                   help="rule parameters to tune (default: the declared parameters the rule uses)")
    c.add_argument("--bounds", action="append", metavar="NAME=LO:HI",
                   help="bounds of a rule parameter in the tuning, e.g. phi_pi=1.01:50 (repeatable)")
    c.add_argument("--loss", metavar="EXPRESSION",
                   help="quadratic loss to minimise, e.g. 'pi^2 + 0.25*x^2' (default: the planner_objective)")
    c.add_argument("--instruments", metavar="I1,I2", help="policy instruments (default: discretionary_policy's)")
    c.add_argument("--discount", type=float, metavar="BETA", help="planner discount (default: the file's)")
    c.add_argument("--weights", metavar="W1,W2,...", help="model weights for the average (several models; "
                                                        "default: equal)")
    c.add_argument("--labels", metavar="L1,L2,...", help="model labels (several models; default: file names)")
    c.add_argument("--json", nargs="?", const="-", metavar="FILE", help="write the results as JSON")
    c.add_argument("--chart", metavar="FILE.png", help="write the bar chart of the losses")
    c.set_defaults(func=cmd_policy_compare)


def cmd_calibrate(args) -> int:
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
           "status": res.status.name, "fit": res.fit.reset_index().to_dict(orient="records")}
    if args.json:
        emit_json(out, args.json)
    else:
        print("CALIBRATED PARAMETERS")
        for k, v in out["params"].items():
            print(f"  {k:<16} {v:.6f}")
        print(f"\nWeighted distance {res.distance:.6g} (start {res.distance_start:.6g}), status {res.status.name}\n")
        print(res.fit.to_string())
    return EXIT_OK if res.status == "Success" else EXIT_NUMERICAL


# ---------------------------------------------------------------------------------------- policy compare
def _names(text, what: str):
    if text is None:
        return None
    out = [t.strip() for t in text.split(",")]
    if not out or any(not t for t in out):
        raise CliError(f"policy compare: {what} must be a comma-separated list of names, got {text!r}")
    return out


def _bounds(items, params) -> dict:
    out = {}
    for it in items or []:
        name, sep, rng = it.partition("=")
        lo, sep2, hi = rng.partition(":")
        if not sep or not sep2 or not name.strip():
            raise CliError(f"policy compare: --bounds {it!r} must look like NAME=LO:HI")
        try:
            a, b = float(lo), float(hi)
        except ValueError:
            raise CliError(f"policy compare: --bounds {it!r}: LO and HI must be numbers") from None
        if math.isnan(a) or math.isnan(b) or a >= b:
            raise CliError(f"policy compare: --bounds {it!r}: LO must be below HI")
        if name.strip() not in params:
            raise CliError(f"policy compare: --bounds {it!r}: '{name.strip()}' is not a tuned rule parameter "
                           f"({', '.join(params)})")
        out[name.strip()] = (a, b)
    return out or None


def _rule_params(rule: str, model) -> list:
    """The declared parameters the rule uses, in order of appearance."""
    declared = set(model.core.param_names)
    seen = []
    for tok in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", rule):
        if tok in declared and tok not in seen:
            seen.append(tok)
    return seen


def cmd_policy_compare(args) -> int:
    from .. import optimal_policy as op
    from ..dsge import Model

    if "=" not in args.rule:
        raise CliError(f"policy compare: --rule must be an equation 'lhs = rhs', got {args.rule!r}")
    for m in args.models:
        if not os.path.isfile(m):
            raise CliError(f"policy compare: model file '{m}' not found")
    models = [Model.from_file(m) for m in args.models]
    params = _names(args.params, "--params")
    if params is None:
        params = _rule_params(args.rule, models[0])
        if not params:
            raise CliError(f"policy compare: the rule {args.rule!r} uses no declared parameter to tune (give --params)")
    instruments = _names(args.instruments, "--instruments")
    bounds = _bounds(args.bounds, params)
    discount = None
    if args.discount is not None:
        if not (math.isfinite(args.discount) and 0.0 < args.discount < 1.0):
            raise CliError(f"policy compare: --discount must be in (0, 1), got {args.discount}")
        discount = repr(float(args.discount))
    if args.chart:
        if not args.chart.lower().endswith((".png", ".svg", ".pdf")):
            raise CliError(f"policy compare: --chart must name a .png, .svg or .pdf file, got {args.chart!r}")
        import matplotlib

        matplotlib.use("Agg")
    chart = bool(args.chart)
    out = {"models": list(args.models), "rule": args.rule, "rule_params": params}
    if len(models) == 1:
        if args.weights or args.labels:
            raise CliError("policy compare: --weights and --labels need several models")
        r = op.compare_policies(models[0], args.rule, params, instruments=instruments, planner_objective=args.loss,
                                planner_discount=discount, bounds=bounds, chart=chart)
        table = r.table
        out["table"] = frame_json(table)
        out["tuned_rule"] = {k: float(v) for k, v in r.rule_params.items()}
        title = "WELFARE COMPARISON (expected discounted loss; lower is better)"
    else:
        labels = _names(args.labels, "--labels")
        if labels is None:
            labels = [os.path.splitext(os.path.basename(m))[0] for m in args.models]
            if len(set(labels)) != len(labels):
                labels = None
        weights = None
        if args.weights is not None:
            try:
                weights = [float(w) for w in args.weights.split(",")]
            except ValueError:
                raise CliError(f"policy compare: --weights must be comma-separated numbers, got {args.weights!r}") \
                    from None
            if len(weights) != len(models):
                raise CliError(f"policy compare: {len(weights)} weight(s) for {len(models)} models")
            if not all(math.isfinite(w) and w >= 0 for w in weights) or sum(weights) <= 0:
                raise CliError("policy compare: --weights must be non-negative numbers with a positive sum")
        r = op.compare_policies_robust(models, args.rule, params, weights=weights, labels=labels,
                                       instruments=instruments, planner_objective=args.loss,
                                       planner_discount=discount, bounds=bounds, chart=chart)
        table = r.table
        out["table"] = frame_json(table)
        out["rules"] = frame_json(r.rules)
        out["weights"] = {str(k): float(v) for k, v in r.weights.items()}
        title = "ROBUST WELFARE COMPARISON (expected discounted loss per model; lower is better)"
    if args.chart:
        from .._atomic import save_figure

        save_figure(r.figure, args.chart, dpi=120)
    if args.json:
        emit_json(out, args.json)
    if args.json != "-":
        print_table(table, title, "{:.6g}")
        if len(models) == 1:
            print("TUNED RULE: " + ", ".join(f"{k} = {float(v):.6g}" for k, v in r.rule_params.items()) + "\n")
        else:
            print_table(r.rules, "RULE COEFFICIENTS", "{:.6g}")
    losses = table.select_dtypes("number").to_numpy(float)
    if not math.isfinite(float(losses[0, 0])):
        print("govsim: numerical failure: the loss of commitment is not finite", file=sys.stderr)
        return EXIT_NUMERICAL
    return EXIT_OK
