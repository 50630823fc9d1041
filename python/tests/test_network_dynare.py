"""Exported network .mod files run in Dynare 5.3 (Octave) give govsim's IRFs to 1e-8.

Skips when Octave or Dynare are not installed (CI does not install them)."""
import os
import shutil

import numpy as np
import pytest

from govsim import io, network

DYNARE = "/usr/lib/dynare/matlab"
pytestmark = pytest.mark.skipif(shutil.which("octave") is None or not os.path.isdir(DYNARE),
                                reason="octave and Dynare (/usr/lib/dynare/matlab) are needed for this check")


@pytest.mark.parametrize("n", [5, 15])
def test_dynare_irfs_agree(n, tmp_path):
    table = network.aggregate_to(io.load_us_bea_2017(aggregate=True), n)
    theta = np.linspace(0.0, 0.9, n)  # includes a flexible sector
    ces = {"epsilon": 0.6, "eta": 1.5} if n == 15 else {}
    nm = network.build(table, theta=theta, rho_i=0.6, sigma=1.5, phi=2.0, target="sticky", irf=24, **ces)
    cmp = network.compare_with_dynare(nm, str(tmp_path / f"dyn{n}"))
    assert len(cmp) == 2 * n + 1
    assert cmp["max_abs_diff"].max() < 1e-8, cmp
