"""Policy-sweep throughput of govsim.network.sweep: serial baseline, a local Dask cluster with 1
and with 2 worker processes (15-sector US network NK model; scenarios x rules x Calvo draws).

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_sweep.py [--quick] [--json out.json]

Cluster start-up is timed separately from the sweep (a long-lived cluster pays it once); every
run is checked to equal the serial table bit for bit.
"""
import argparse
import json
import os
import time

import pandas as pd

from govsim import network


def make_spec(quick: bool) -> dict:
    return {"model": {"sectors": 15, "theta": 0.75},
            "scenarios": {"manufacturing": {"e_z_MFC": 0.01}, "monetary": {"e_m": 0.0025},
                          "demand": {"e_g_GOV": 0.01, "e_g_CON": 0.01}},
            "rules": {"phi_pi": [1.25, 1.5, 2.0, 3.0], "phi_y": [0.0, 0.125, 0.5], "rho_i": [0.0, 0.7]},
            "draws": {"n": 2 if quick else 10, "seed": 1, "theta": [0.4, 0.9]},
            "chunk": 12}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", help="write the numbers here")
    args = ap.parse_args()
    spec = make_spec(args.quick)
    network.sweep(dict(spec, draws={"n": 1, "seed": 0}))  # warm-up (imports, first build)
    serial = network.sweep(spec)
    n = serial.info["tasks"]
    rows = [{"run": "serial (this process)", "workers": 0, "startup_s": 0.0, "sweep_s": serial.info["seconds"],
             "evals_per_s": n / serial.info["seconds"], "identical": True, "builds": serial.info["builds"]}]
    from distributed import Client, LocalCluster

    for w in (1, 2):
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        client.run(lambda: __import__("govsim.network"))
        start = time.perf_counter() - t0
        try:
            network.sweep(dict(spec, draws={"n": 1, "seed": 0}), client=client)  # workers build and cache the model
            r = network.sweep(spec, client=client)
        finally:
            client.close()
            cluster.close()
        rows.append({"run": f"LocalCluster {w} worker{'s' if w > 1 else ''}", "workers": w, "startup_s": start,
                     "sweep_s": r.info["seconds"], "evals_per_s": n / r.info["seconds"],
                     "identical": bool(serial.table.equals(r.table)), "builds": r.info["builds"]})
    df = pd.DataFrame(rows).set_index("run")
    print(f"{n} evaluations (15-sector model, {len(spec['scenarios'])} scenarios x 24 rules x "
          f"{spec['draws']['n']} draws), load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
    print(df.to_string(float_format=lambda v: f"{v:.3f}"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"evaluations": n, "load_average": os.getloadavg()[0], "runs": df.reset_index().to_dict("records")},
                      f, indent=1)


if __name__ == "__main__":
    main()
