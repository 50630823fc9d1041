"""The ``govsim calibrate`` subcommand: fit model parameters to target moments / IRFs (JSON in, JSON out).

(``osr`` and ``estimation`` in .mod files are commands of ``govsim run``, executed by the
library's command interpreter, govsim::dsge::run_commands.)
"""
from __future__ import annotations

import json
import os
import sys

from ..cli_support import EXIT_NUMERICAL, EXIT_OK, CliError, emit_json


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
