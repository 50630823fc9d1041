"""Run a generated network model in Dynare (under Octave) and compare its IRFs with govsim's."""
from __future__ import annotations

from typing import Dict

import numpy as np
import pandas as pd

from .generator import NetworkModel

def dynare_irfs(nm: NetworkModel, workdir: str, octave: str = "octave", dynare_path: str = "/usr/lib/dynare/matlab",
                timeout: float = 600.0) -> Dict[str, pd.DataFrame]:
    """Write the model's .mod file into ``workdir``, run it in Dynare under Octave and read
    ``oo_.irfs`` back: {shock: DataFrame periods x variables}. Dynare leaves out responses whose
    largest absolute value is below 1e-10; they are returned as zeros. Raises RuntimeError
    when Octave/Dynare fail (the message has the end of their output)."""
    import os
    import subprocess

    os.makedirs(workdir, exist_ok=True)
    name = "network_nk"
    nm.write_mod(os.path.join(workdir, name + ".mod"))
    out_csv = os.path.join(workdir, "irfs.csv")
    script = (f"addpath('{dynare_path}'); cd('{workdir}'); dynare {name}.mod noclearall; "
              "fn = fieldnames(oo_.irfs); fid = fopen('irfs.csv', 'w'); "
              "for k = 1:numel(fn), fprintf(fid, '%s', fn{k}); fprintf(fid, ',%.17g', oo_.irfs.(fn{k})); "
              "fprintf(fid, '\\n'); end; fclose(fid);")
    proc = subprocess.run([octave, "--no-gui", "--quiet", "--eval", script], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0 or not os.path.exists(out_csv):
        raise RuntimeError("Dynare run failed: " + (proc.stdout + proc.stderr)[-2000:])
    endo = nm.model.endo_names
    shocks = sorted(nm.model.exo_names, key=len, reverse=True)
    series: Dict[str, Dict[str, np.ndarray]] = {s: {} for s in nm.model.exo_names}
    with open(out_csv) as f:
        for line in f:
            parts = line.strip().split(",")
            key = parts[0]
            shock = next((s for s in shocks if key.endswith("_" + s)), None)
            if shock is None:
                continue
            var = key[: -len(shock) - 1]
            series[shock][var] = np.array([float(v) for v in parts[1:]])
    periods = max((len(v) for d in series.values() for v in d.values()), default=0)
    out = {}
    for s, d in series.items():
        df = pd.DataFrame({v: d.get(v, np.zeros(periods)) for v in endo},
                          index=pd.RangeIndex(1, periods + 1, name="period"))
        out[s] = df
    return out


def compare_with_dynare(nm: NetworkModel, workdir: str, **kw) -> pd.DataFrame:
    """Largest absolute IRF difference govsim vs Dynare per shock (Dynare's horizon)."""
    dyn = dynare_irfs(nm, workdir, **kw)
    rows = []
    for s, d in dyn.items():
        mine = nm.solve().irf(periods=len(d), shock=s)
        diff = (mine.reindex(columns=d.columns).to_numpy() - d.to_numpy())
        rows.append({"shock": s, "max_abs_diff": float(np.max(np.abs(diff))),
                     "max_abs_irf": float(np.max(np.abs(d.to_numpy())))})
    return pd.DataFrame(rows).set_index("shock")
