"""``govsim io diim`` and ``govsim io ario``: dynamic input-output from the command line.

    govsim io diim --table us --q0 MFC=0.3 --resilience 0.05 --days 365 --json
    govsim io ario --table path/to/world_mrio_folder --region NDL --damage 20000 \
        --rebuild F=0.55 --rebuild D29=0.45 --rebuild-tau 180 --days 730 --json out.json
"""
import sys


def _cli():
    from .. import cli_support

    return cli_support


def _assign(items, what):
    return _cli().parse_assignments(items, what)


def _diim(args) -> int:
    from .. import dynamic_io as dio

    cli = _cli()
    table = cli.load_table(args.table)
    if args.days < 1:
        raise ValueError("--days must be >= 1")
    if args.resilience < 0:
        raise ValueError("--resilience must be >= 0")
    q0, pert = _assign(args.q0, "--q0"), _assign(args.perturbation, "--perturbation")
    if not q0 and not pert:
        raise ValueError("give --q0 SECTOR=Q and/or --perturbation SECTOR=C")
    for k, v in q0.items():
        if not 0 <= v <= 1:
            raise ValueError(f"--q0 {k}={v}: inoperability must be in [0, 1]")
    times = list(range(0, args.days + 1, max(1, args.every)))
    if times[-1] != args.days:
        times.append(args.days)
    p = dio.diim(table, q0=q0, perturbation=pert, times=times, resilience=args.resilience, discrete=args.discrete,
                 method=args.method)
    rank = p.ranking.head(args.top)
    if args.json:
        cli.emit_json({"summary": p.summary(), "ranking": cli.frame_json(rank),
                        "steady_state": cli.frame_json(p.steady_state.to_frame()),
                        "inoperability": cli.frame_json(p.inoperability)}, args.json)
    if args.json != "-":
        cli.print_table(rank, f"DIIM: sectors by cumulative loss over {args.days} days", "{:,.4f}")
    return cli.EXIT_OK


def _ario(args) -> int:
    from .. import dynamic_io as dio

    cli = _cli()
    table = cli.load_table(args.table)
    if args.days < 1:
        raise ValueError("--days must be >= 1")
    if args.damage is None or args.damage < 0:
        raise ValueError("--damage TOTAL (>= 0, table units) is required")
    rebuild = _assign(args.rebuild, "--rebuild")
    if args.recovery == "rebuild" and not rebuild:
        raise ValueError("--recovery rebuild needs --rebuild SECTOR=SHARE (repeatable)")
    ev = dio.ario_event(table, region=args.region or "", total=args.damage, rebuilding=rebuild or None,
                        tau=args.rebuild_tau, recovery=args.recovery, duration=args.duration,
                        occurrence=args.occurrence, rebuilding_factor=args.rebuilding_factor)
    stop_every = max(1, args.days // 10)

    def progress(info):
        if not args.quiet and args.json != "-" and info.iteration % stop_every == 0:
            print(f"  day {info.iteration}/{info.total}", file=sys.stderr)
        return True

    r = dio.ario(table, ev, periods=args.days, rebuild_tau=args.rebuild_tau, psi=args.psi,
                 main_inv_dur=args.inventory_days, inventory_restoration_tau=args.restoration_tau,
                 alpha_base=args.alpha_base, alpha_max=args.alpha_max, alpha_tau=args.alpha_tau,
                 order_type=args.order_type, capital_to_value_added=args.capital_ratio, on_iteration=progress)
    troughs = r.troughs.sort_values("trough_depth", ascending=False).head(args.top)
    if args.json:
        rel = r.relative_production("region")
        cli.emit_json({"summary": r.summary(), "troughs": cli.frame_json(r.troughs),
                        "loss_by_sector": cli.frame_json(r.loss_by_sector.to_frame()),
                        "relative_production": cli.frame_json(rel),
                        "max_accounting_residual": float(r.accounting["residual"].max())}, args.json)
    if args.json != "-":
        cli.print_table(troughs, f"ARIO: {args.days} days, regions by trough depth")
    return cli.EXIT_OK


def add_io_parser(iosub) -> None:
    cli = _cli()
    s = iosub.add_parser("diim", help="dynamic inoperability (DIIM) recovery paths and loss ranking")
    cli.add_table_arg(s)
    s.add_argument("--q0", action="append", metavar="SECTOR=Q", help="initial inoperability (repeatable)")
    s.add_argument("--perturbation", action="append", metavar="SECTOR=C",
                   help="constant normalized demand reduction c* (repeatable)")
    s.add_argument("--resilience", type=float, default=0.05, help="resilience coefficient k per day (default 0.05)")
    s.add_argument("--days", type=int, default=365)
    s.add_argument("--every", type=int, default=1, help="report every N days")
    s.add_argument("--discrete", action="store_true", help="discrete-time DIIM")
    s.add_argument("--method", choices=["auto", "krylov", "adaptive"], default="auto",
                   help="continuous-time solver: exact Krylov matrix exponential or adaptive Runge-Kutta")
    s.add_argument("--top", type=int, default=15)
    s.set_defaults(func=_diim)

    a = iosub.add_parser("ario", help="ARIO disaster recovery (BoARIO defaults) on an (MR)IO table")
    cli.add_table_arg(a)
    a.add_argument("--region", help="region hit (MRIO); omit for the whole table")
    a.add_argument("--damage", type=float, help="capital destroyed, table units, spread by value added")
    a.add_argument("--rebuild", action="append", metavar="SECTOR=SHARE", help="rebuilding sector and share")
    a.add_argument("--recovery", choices=["rebuild", "linear", "convex", "concave", "convex_scaled", "s_shaped"],
                   default="rebuild")
    a.add_argument("--occurrence", type=int, default=1, help="day of the event (default 1)")
    a.add_argument("--duration", type=int, default=1,
                   help="days between the event and the start of rebuilding or recovery (default 1)")
    a.add_argument("--rebuilding-factor", type=float, default=1.0,
                   help="rebuilding demand per unit of capital destroyed (default 1)")
    a.add_argument("--rebuild-tau", type=float, default=60.0)
    a.add_argument("--days", type=int, default=365)
    a.add_argument("--psi", type=float, default=0.80)
    a.add_argument("--inventory-days", type=float, default=90.0)
    a.add_argument("--restoration-tau", type=float, default=60.0)
    a.add_argument("--alpha-base", type=float, default=1.0)
    a.add_argument("--alpha-max", type=float, default=1.25)
    a.add_argument("--alpha-tau", type=float, default=365.0)
    a.add_argument("--order-type", choices=["alt", "noalt"], default="alt")
    a.add_argument("--capital-ratio", type=float, default=4.0, help="capital / value added (default 4)")
    a.add_argument("--top", type=int, default=10)
    a.add_argument("-q", "--quiet", action="store_true")
    a.set_defaults(func=_ario)
