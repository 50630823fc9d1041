"""Scenario x rule x parameter-draw sweeps of the network model, serial or on Dask.

Dask sweeps
-----------
:func:`sweep` runs scenarios x rule parameters x parameter draws: serially (``scheduler=None``),
on a local cluster (``"local"``, 2 workers by default), on Dask's threaded or synchronous
schedulers (``"threads"``, ``"sync"``) or on any scheduler address (``"tcp://host:8786"``).
Each worker builds a model once per specification (cache keyed by a hash of the spec), and
results are identical to the serial run (draws come from ``numpy.random.default_rng(seed)`` on
the client).

Multi-machine cluster::

    # machine A (scheduler; port 8786 for workers/clients, 8787 dashboard)
    dask scheduler --port 8786
    # every worker machine (same govsim build and Python on the PYTHONPATH)
    dask worker tcp://A:8786 --nworkers 2 --nthreads 1
    # client
    govsim sweep spec.json --scheduler tcp://A:8786 --json out.json
    # or from Python: network.sweep(spec, scheduler="tcp://A:8786")

(Debian's python3-distributed installs the ``dask`` command; older setups use
``dask-scheduler`` / ``dask-worker``.) Every worker needs the same govsim build on its
PYTHONPATH (e.g. ``PYTHONPATH=/path/to/build/python dask worker ...``). Prefer one thread per
worker process (``--nthreads 1``): the model cache is per thread, so that gives one model build
per process. Results do not depend on the cluster: evaluations run with single-threaded BLAS and
the table is assembled in task order. Scripts that start a ``"local"`` cluster must guard their
entry point with ``if __name__ == "__main__":`` (worker processes are spawned).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from typing import Mapping, Optional

import numpy as np
import pandas as pd

from .. import _core, dsge
from .calibration import Calibration, aggregate_to, calibrate
from .generator import build_from_calibration

@dataclass
class SweepResult:
    """Sweep output: ``table`` (one row per scenario x rule x draw, in task order) and ``info``
    (scheduler, tasks, seconds, model builds per worker)."""

    table: pd.DataFrame
    info: dict = field(default_factory=dict)

    def summary(self) -> str:
        i = self.info
        return (f"sweep: {i.get('tasks')} evaluations in {i.get('seconds', float('nan')):.2f} s on "
                f"{i.get('scheduler')} ({i.get('builds')} model builds)")

    def _repr_html_(self) -> str:
        from .._display import sweep_html

        return sweep_html(self)


_SWEEP_KEYS = {"model", "scenarios", "rules", "draws", "loss", "chunk"}
_LOCAL = __import__("threading").local()
_BUILDS = {"count": 0}


def _resolve_model_spec(m: Mapping) -> dict:
    """Model part of a sweep spec with the calibration in it (workers never read tables)."""
    m = dict(m)
    if "calibration" not in m:
        from .. import io as _io
        tab = m.pop("table", "us")
        if tab in ("us", "us-22"):
            table = _io.load_us_bea_2017(aggregate=True)
        else:
            table = _io.read_csv_folder(tab)
        n = int(m.pop("sectors", table.n))
        m["calibration"] = calibrate(aggregate_to(table, n), m.pop("final_demand", "net")).to_dict()
    theta = m.get("theta", 0.75)
    sectors = Calibration.from_dict(m["calibration"]).sectors
    if isinstance(theta, Mapping):
        bad = [k for k in theta if k not in sectors]
        if bad:
            raise _core.OptionsError(f"sweep spec: theta for unknown sector(s) {bad}")
        m["theta"] = [float(theta.get(s, 0.75)) for s in sectors]
    else:
        m["theta"] = np.broadcast_to(np.asarray(theta, float), (len(sectors),)).tolist()
    return m


def normalize_sweep_spec(spec: Mapping) -> dict:
    """Validate a sweep spec and fill defaults (see :func:`sweep`)."""
    unknown = sorted(set(spec) - _SWEEP_KEYS)
    if unknown:
        raise _core.OptionsError(f"sweep spec: unknown key(s) {unknown} (known: {sorted(_SWEEP_KEYS)})")
    s = {"model": _resolve_model_spec(spec.get("model", {})),
         "scenarios": dict(spec.get("scenarios") or {"monetary": {"e_m": 0.0025}}),
         "rules": {k: [float(v) for v in (vs if isinstance(vs, (list, tuple)) else [vs])]
                   for k, vs in dict(spec.get("rules") or {"phi_pi": [1.5], "phi_y": [0.125]}).items()},
         "draws": dict(spec.get("draws") or {"n": 0, "seed": 0}),
         "loss": dict(spec.get("loss") or {"pic": 1.0, "ygap": 0.25}),
         "chunk": int(spec.get("chunk", 8))}
    if s["chunk"] < 1:
        raise _core.OptionsError("sweep spec: chunk must be >= 1")
    bad = [k for k in s["rules"] if k not in ("phi_pi", "phi_y", "rho_i")]
    if bad:
        raise _core.OptionsError(f"sweep spec: rules may vary phi_pi, phi_y, rho_i, not {bad}")
    d = s["draws"]
    d.setdefault("n", 0)
    d.setdefault("seed", 0)
    d.setdefault("theta", [0.5, 0.9])
    if int(d["n"]) < 0 or len(d["theta"]) != 2 or not 0 <= d["theta"][0] <= d["theta"][1] < 1:
        raise _core.OptionsError("sweep spec: draws.n >= 0 and draws.theta = [low, high] within (0, 1)")
    # check the model once on the client (bad shocks or variables fail here, not on a worker)
    nm, _ = _cached_model(s["model"])
    for name, sc in s["scenarios"].items():
        bad = [k for k in sc if k not in nm.model.exo_names]
        if bad:
            raise _core.OptionsError(f"sweep spec: scenario {name!r}: unknown shock(s) {bad}")
    bad = [k for k in s["loss"] if k not in nm.model.endo_names]
    if bad:
        raise _core.OptionsError(f"sweep spec: loss: unknown variable(s) {bad}")
    return s


def _spec_key(model_spec: Mapping) -> str:
    return hashlib.sha256(json.dumps(model_spec, sort_keys=True).encode()).hexdigest()


def _cached_model(model_spec: Mapping):
    """(NetworkModel, ModelSolver) built once per worker thread and model spec."""
    cache = getattr(_LOCAL, "models", None)
    if cache is None:
        cache = _LOCAL.models = {}
    key = _spec_key(model_spec)
    if key not in cache:
        m = dict(model_spec)
        cal = Calibration.from_dict(m.pop("calibration"))
        nm = build_from_calibration(cal, **m)
        labels = ["phi_pi", "phi_y", "rho_i"] + [f"kappa_{s}" for s, t in zip(cal.sectors, nm.options["theta"])
                                                 if t > 0] + [f"stderr {e}" for e in nm.model.exo_names]
        cache[key] = (nm, dsge.ModelSolver(nm.model.core, labels))
        _BUILDS["count"] += 1
    return cache[key]


def _build_count() -> int:
    return _BUILDS["count"]


def _tasks(spec: Mapping) -> list:
    """All (task id, scenario, rule dict, draw id, theta draw) in a fixed order."""
    import itertools

    cal_n = len(spec["model"]["calibration"]["sectors"])
    d = spec["draws"]
    base_theta = np.asarray(spec["model"]["theta"], float)
    rng = np.random.default_rng(int(d["seed"]))
    draws = [(0, None)] if int(d["n"]) == 0 else []
    for k in range(int(d["n"])):
        draws.append((k, rng.uniform(d["theta"][0], d["theta"][1], cal_n).tolist()))
    names = list(spec["rules"])
    out = []
    for sc in spec["scenarios"]:
        for vals in itertools.product(*[spec["rules"][k] for k in names]):
            for did, th in draws:
                if th is not None:  # flexible sectors stay flexible
                    th = [0.0 if b == 0 else t for t, b in zip(th, base_theta)]
                out.append((len(out), sc, dict(zip(names, vals)), did, th))
    return out


class _SingleThreadBlas:
    """Run OpenBLAS single-threaded inside the block: multithreaded BLAS may sum in another
    order, and Dask workers run with one BLAS thread (OPENBLAS_NUM_THREADS=1), so every
    scheduler gives the same bits only when the serial run does the same. Re-entrant across
    threads (a counter restores the thread count when the last block exits)."""

    _lock = __import__("threading").Lock()
    _depth = 0
    _saved: list = []

    @staticmethod
    def _openblas_libs():
        import ctypes
        import os

        try:
            with open("/proc/self/maps") as f:
                paths = sorted({ln.split()[-1] for ln in f
                                if "blas" in os.path.basename(ln.split()[-1]).lower() and ".so" in ln.split()[-1]})
        except OSError:
            return []
        libs = []
        for p in paths:
            try:
                lib = ctypes.CDLL(p)
                libs.append((lib.openblas_set_num_threads, lib.openblas_get_num_threads))
            except (OSError, AttributeError):
                continue
        return libs

    def __enter__(self):
        cls = _SingleThreadBlas
        with cls._lock:
            if cls._depth == 0:
                cls._saved = [(set_, get()) for set_, get in cls._openblas_libs()]
                for set_, _ in cls._saved:
                    set_(1)
            cls._depth += 1
        return self

    def __exit__(self, *exc):
        cls = _SingleThreadBlas
        with cls._lock:
            cls._depth -= 1
            if cls._depth == 0:
                for set_, n in cls._saved:
                    set_(n)
        return False


def _evaluate_chunk(spec_json: str, chunk: list) -> list:
    """Evaluate tasks on this worker (model from the per-worker cache), BLAS single-threaded."""
    with _SingleThreadBlas():
        return _evaluate_chunk_impl(spec_json, chunk)


def _evaluate_chunk_impl(spec_json: str, chunk: list) -> list:
    spec = json.loads(spec_json)
    nm, solver = _cached_model(spec["model"])
    labels = list(solver.labels())
    base = dict(zip(labels, np.asarray(solver.current_values(), float)))
    endo = nm.model.endo_names
    beta = float(nm.options["beta"])
    rows = []
    for tid, sc, rule, did, th in chunk:
        vals = dict(base)
        vals.update(rule)
        if th is not None:
            for s, t in zip(nm.sectors, th):
                if t > 0:
                    vals[f"kappa_{s}"] = float((1 - t) * (1 - beta * t) / t)
        # the scenario's standard deviations; every other shock is switched off
        for e in nm.model.exo_names:
            vals[f"stderr {e}"] = float(spec["scenarios"][sc].get(e, 0.0))
        r = solver.solve(np.array([vals[k] for k in labels]))
        row = {"task": tid, "scenario": sc, "draw": did, **rule, "status": r.status.name}
        c = dsge.unconditional_covariance(r.solution) if r.ok() else None
        if c is not None and c.ok():
            cov = np.asarray(c.covariance)
            loss = sum(float(w) * cov[endo.index(v), endo.index(v)] for v, w in spec["loss"].items())
            row.update(loss=loss, std_pic=float(np.sqrt(cov[endo.index("pic"), endo.index("pic")])),
                       std_ygap=float(np.sqrt(cov[endo.index("ygap"), endo.index("ygap")])),
                       std_gdp=float(np.sqrt(cov[endo.index("gdp"), endo.index("gdp")])))
        else:
            if c is not None:
                row["status"] = c.status.name
            row.update(loss=float("nan"), std_pic=float("nan"), std_ygap=float("nan"), std_gdp=float("nan"))
        rows.append(row)
    return rows


def sweep(spec: Mapping, scheduler: Optional[str] = None, n_workers: int = 2, client=None,
          progress=None) -> SweepResult:
    """Run scenarios x rule parameters x parameter draws.

    ``spec``: {"model": {"table": "us", "sectors": 15, "theta": 0.75, "target": "cpi", ...model
    parameters} (or "calibration": Calibration.to_dict()), "scenarios": {name: {shock: stderr}},
    "rules": {"phi_pi": [...], "phi_y": [...], "rho_i": [...]} (grid), "draws": {"n": 4, "seed":
    1, "theta": [0.5, 0.9]} (sector Calvo parameters drawn uniformly; 0 = baseline only),
    "loss": {var: weight}, "chunk": tasks per Dask task}.

    ``scheduler``: None (serial, in this process), "sync", "threads", "local" (LocalCluster
    with ``n_workers`` processes, one thread each) or a scheduler address "tcp://host:8786";
    ``client``: an existing distributed.Client. ``progress``: True (a bar), False, a ProgressBar
    or a callable ``progress(done, total)`` called as chunks finish. The table is the same, bit
    for bit, whatever the scheduler. Ctrl-C during a sweep (any scheduler) returns the
    finished chunks (``info["interrupted"]``, ``info["tasks_done"]``). Draws change the NKPC slopes (kappa_i); the weights of a "sticky" target index stay those of the baseline theta.
    """
    from .._progress import make_progress

    bar = make_progress(progress, "sweep", "chunks")
    try:
        return _sweep(spec, scheduler, n_workers, client, bar)
    finally:
        if bar is not None:
            bar.close()


def _sweep(spec, scheduler, n_workers, client, progress) -> SweepResult:
    import time

    s = normalize_sweep_spec(spec)
    tasks = _tasks(s)
    ch = s["chunk"]
    chunks = [tasks[k:k + ch] for k in range(0, len(tasks), ch)]
    spec_json = json.dumps(s, sort_keys=True)
    t0 = time.perf_counter()
    info = {"tasks": len(tasks), "chunks": len(chunks)}
    results = [None] * len(chunks)
    if scheduler is None and client is None:
        before = _build_count()
        try:
            for k, c in enumerate(chunks):
                results[k] = _evaluate_chunk(spec_json, c)
                if progress:
                    progress.update(k + 1, len(chunks))
        except KeyboardInterrupt:  # Ctrl-C: return the chunks done so far
            info["interrupted"] = True
        info.update(scheduler="serial", builds=_build_count() - before)
    elif scheduler in ("sync", "threads") and client is None:
        import dask
        from dask.callbacks import Callback

        before = _build_count()
        parts = [dask.delayed(_evaluate_chunk, pure=False)(spec_json, c) for c in chunks]
        position = {p.key: k for k, p in enumerate(parts)}
        finished = [0]

        class _Collect(Callback):
            # runs in the calling thread as each chunk finishes: keeps its rows (so that Ctrl-C
            # can return them) and reports progress
            def _posttask(self, key, result, dsk, state, worker_id):
                k = position.get(key)
                if k is None:
                    return
                results[k] = result
                finished[0] += 1
                if progress:
                    progress.update(finished[0], len(chunks))

        from .._threads import blas_single_thread

        try:
            with blas_single_thread() if scheduler != "sync" else contextlib.nullcontext(), _Collect():
                results = list(dask.compute(*parts, scheduler="synchronous" if scheduler == "sync" else "threads"))
        except KeyboardInterrupt:  # Ctrl-C: the chunks still running are abandoned, the finished ones returned
            info["interrupted"] = True
        info.update(scheduler=scheduler, builds=_build_count() - before)
    else:
        from distributed import Client, LocalCluster, as_completed

        own = []
        try:
            if client is None:
                if scheduler == "local":
                    cluster = LocalCluster(n_workers=int(n_workers), threads_per_worker=1, processes=True,
                                           dashboard_address=None)
                    own.append(cluster)
                    client = Client(cluster)
                else:
                    client = Client(scheduler)
                own.insert(0, client)
            before = client.run(_build_count)
            futs = client.map(_evaluate_chunk, [spec_json] * len(chunks), chunks, pure=False)
            pos = {f.key: k for k, f in enumerate(futs)}
            done = 0
            try:
                for f in as_completed(futs):
                    results[pos[f.key]] = f.result()
                    done += 1
                    if progress:
                        progress.update(done, len(chunks))
            except KeyboardInterrupt:  # Ctrl-C: cancel the rest, return the chunks done so far
                info["interrupted"] = True
                client.cancel(futs)
            after = client.run(_build_count)
            info.update(scheduler=str(scheduler or client.scheduler.address),
                        workers=len(after), builds_per_worker={w: after[w] - before.get(w, 0) for w in after})
            info["builds"] = sum(info["builds_per_worker"].values())
        finally:
            for o in own:
                o.close()
    info["seconds"] = time.perf_counter() - t0
    rows = [r for part in results if part is not None for r in part]
    info["tasks_done"] = len(rows)
    table = pd.DataFrame(rows).set_index("task") if rows else pd.DataFrame(index=pd.Index([], name="task"))
    return SweepResult(table, info)
