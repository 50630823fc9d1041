"""``govsim network ...`` (network New Keynesian models from IO tables) and ``govsim sweep``.

    govsim network build --sectors 15 --theta 0.75 --target sticky --out model.mod
    govsim network irf --sectors 15 --shock e_z_MFC --periods 20 --json out.json
    govsim network hulten --sectors 15 --json
    govsim network targets --sectors 15 --scenario e_z_MFC=0.01 --json
    govsim sweep spec.json [--scheduler local|threads|sync|tcp://host:8786] [--workers 2] --json out.json
"""
import json
import sys


def _cli():
    from .. import cli_support

    return cli_support


def _model_args(p):
    p.add_argument("--table", default="us", help="'us' (shipped BEA 2017, 22 sectors) or a CSV folder")
    p.add_argument("--sectors", type=int, default=15, help="aggregate to this many sectors (default 15)")
    p.add_argument("--theta", type=float, default=0.75, help="Calvo parameter of every sector (0 = flexible)")
    p.add_argument("--theta-sector", action="append", metavar="SECTOR=THETA", help="per-sector Calvo (repeatable)")
    p.add_argument("--target", default="cpi", help="inflation index of the Taylor rule: cpi, sticky, domar")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="model parameter: beta, sigma, phi, phi_pi, phi_y, rho_i, rho_z, rho_g, sd_z, sd_g, sd_m")
    p.add_argument("--json", nargs="?", const="-", metavar="FILE", help="machine-readable results")


def _build(args):
    from .. import network

    cli = _cli()
    if args.sectors < 1:
        raise ValueError("--sectors must be >= 1")
    table = cli.load_table(args.table)
    if args.sectors > table.n:
        raise ValueError(f"--sectors {args.sectors}: the table has {table.n} sectors")
    table = network.aggregate_to(table, args.sectors)
    per = cli.parse_assignments(args.theta_sector, "--theta-sector")
    cal = network.calibrate(table)
    theta = {s: per.get(s, args.theta) for s in cal.sectors} if per else args.theta
    params = cli.parse_assignments(args.param, "--param")
    return network.build_from_calibration(cal, theta=theta, target=args.target, **params), table


def _cmd_build(args) -> int:
    cli = _cli()
    nm, _ = _build(args)
    nm.solve()  # fail with exit 3 when the model is indeterminate
    if args.out:
        nm.write_mod(args.out)
    if args.json:
        cli.emit_json({"sectors": nm.sectors, "out": args.out, "variables": len(nm.model.endo_names),
                        "shocks": nm.model.exo_names, "calibration": cli.frame_json(nm.calibration.frame())},
                       args.json)
    if args.json != "-":
        if not args.out:
            sys.stdout.write(nm.mod_text())
        else:
            print(f"wrote {args.out}: {len(nm.sectors)} sectors, {len(nm.model.endo_names)} variables")
    return cli.EXIT_OK


def _cmd_irf(args) -> int:
    from .. import network

    cli = _cli()
    nm, _ = _build(args)
    if args.periods < 1:
        raise ValueError("--periods must be >= 1")
    r = nm.irf(args.shock, args.periods)
    vars_ = args.vars.split(",") if args.vars else ["gdp", "ygap", "pic", "pitarget", "inom"]
    unknown = [v for v in vars_ if v not in r.columns]
    if unknown:
        raise ValueError(f"--vars: unknown variable(s) {unknown}")
    contrib = network.contributions(nm, args.shock, args.periods)
    if args.json:
        cli.emit_json({"shock": args.shock, "irf": cli.frame_json(r[vars_]),
                        "sector_inflation": cli.frame_json(nm.sectoral_irf(args.shock, "pi", args.periods)),
                        "contribution_cpi_impact": contrib["cpi"].iloc[0].to_dict(),
                        "contribution_gdp_impact": contrib["gdp"].iloc[0].to_dict()}, args.json)
    if args.json != "-":
        cli.print_table(r[vars_] * 100, f"IRF to {args.shock} (percent)", "{:,.4f}")
    return cli.EXIT_OK


def _cmd_hulten(args) -> int:
    from .. import network

    cli = _cli()
    args.theta, args.theta_sector = 0.0, None
    nm, _ = _build(args)
    h = network.hulten_check(nm)
    if args.json:
        cli.emit_json({"max_abs_error": float(h["error"].abs().max()), "table": cli.frame_json(h)}, args.json)
    if args.json != "-":
        cli.print_table(h, "Hulten: TFP response to a sector's productivity vs its Domar weight", "{:.3e}")
    return cli.EXIT_OK


def _cmd_targets(args) -> int:
    from .. import network

    cli = _cli()
    scen = cli.parse_assignments(args.scenario, "--scenario")
    if not scen:
        raise ValueError("give --scenario SHOCK=STDERR (repeatable), e.g. e_z_MFC=0.01")
    nm, table = _build(args)
    per = cli.parse_assignments(args.theta_sector, "--theta-sector")
    theta = [per.get(s, args.theta) for s in nm.sectors]
    params = cli.parse_assignments(args.param, "--param")
    res = network.compare_targets(nm.calibration, scen, theta=theta, targets=args.targets.split(","),
                                  loss_weights="welfare" if args.loss == "welfare" else None, **params)
    if args.json:
        cli.emit_json({"scenario": scen, "table": cli.frame_json(res)}, args.json)
    if args.json != "-":
        cli.print_table(res, "Optimal simple rules by inflation target", "{:.4g}")
    return cli.EXIT_NUMERICAL if (res["status"] != "Success").any() else cli.EXIT_OK


def _cmd_sweep(args) -> int:
    from .. import network

    cli = _cli()
    try:
        with open(args.spec) as f:
            spec = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f"{args.spec}: not JSON ({e})") from None
    if not isinstance(spec, dict):
        raise ValueError(f"{args.spec}: the spec must be a JSON object")
    sched = None if args.scheduler == "serial" else args.scheduler

    def progress(done, total):
        if not args.quiet and sys.stderr.isatty():
            sys.stderr.write(f"\rsweep: {done}/{total} chunks")
            sys.stderr.flush()

    r = network.sweep(spec, scheduler=sched, n_workers=args.workers, progress=progress)
    if not args.quiet and sys.stderr.isatty():
        sys.stderr.write("\n")
    if args.json:
        cli.emit_json({"info": r.info, "table": cli.frame_json(r.table.reset_index())}, args.json)
    if args.json != "-":
        print(r.summary())
        best = r.table.sort_values("loss").groupby("scenario").head(1)
        cli.print_table(best, "best rule per scenario", "{:.4g}")
    return cli.EXIT_OK


def add_parser(sub) -> None:
    n = sub.add_parser("network", help="multi-sector New Keynesian models generated from an IO table")
    nsub = n.add_subparsers(dest="network_command", metavar="NETWORK_COMMAND")
    nsub.required = True
    b = nsub.add_parser("build", help="generate the model; write the .mod file (Dynare runs it)")
    _model_args(b)
    b.add_argument("--out", help=".mod file to write (default: print it)")
    b.set_defaults(func=_cmd_build)
    i = nsub.add_parser("irf", help="aggregate and sectoral responses to one shock")
    _model_args(i)
    i.add_argument("--shock", required=True, help="e_z_<SECTOR>, e_g_<SECTOR> or e_m")
    i.add_argument("--periods", type=int, default=20)
    i.add_argument("--vars", help="comma-separated variables (default gdp,ygap,pic,pitarget,inom)")
    i.set_defaults(func=_cmd_irf)
    h = nsub.add_parser("hulten", help="flexible-price check: TFP response = Domar weight")
    _model_args(h)
    h.set_defaults(func=_cmd_hulten)
    t = nsub.add_parser("targets", help="optimal simple rules for several inflation targets under a scenario")
    _model_args(t)
    t.add_argument("--scenario", action="append", metavar="SHOCK=STDERR", help="shocks of the scenario (repeatable)")
    t.add_argument("--targets", default="cpi,sticky", help="comma-separated targets (default cpi,sticky)")
    t.add_argument("--loss", choices=["simple", "welfare"], default="simple",
                   help="simple: var(pic) + 0.25 var(ygap); welfare: network.welfare_weights")
    t.set_defaults(func=_cmd_targets)
    s = sub.add_parser("sweep", help="scenarios x rules x parameter draws, serially or on Dask")
    s.add_argument("spec", help="JSON spec (see govsim.network.sweep)")
    s.add_argument("--scheduler", default="serial",
                   help="serial (default), sync, threads, local (LocalCluster) or a scheduler address tcp://host:8786")
    s.add_argument("--workers", type=int, default=2, help="workers of the local cluster (default 2)")
    s.add_argument("--quiet", action="store_true")
    s.add_argument("--json", nargs="?", const="-", metavar="FILE", help="machine-readable results")
    s.set_defaults(func=_cmd_sweep)
