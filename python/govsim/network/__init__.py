"""Multi-sector New Keynesian models generated from input-output tables (production networks).

The generator turns an :class:`govsim.io.IOTable` into a log-linear New Keynesian model with a
production network, in the spirit of Pasten, Schoenle and Weber (2020), La'O and Tahbaz-Salehi
(2022) and Rubbo (2023), builds it with :class:`govsim.dsge.ModelBuilder` and returns a
:class:`govsim.dsge.Model`; ``NetworkModel.mod_text()`` is a .mod file that Dynare runs.

>>> from govsim import io, network
>>> table = network.aggregate_to(io.load_us_bea_2017(aggregate=True), 15)
>>> nm = network.build(table, theta=0.75)          # NetworkModel
>>> sol = nm.model.solve()
>>> nm.irf("e_z_MFC", periods=20)[["gdp", "pic"]]   # labelled DataFrame

The package has one module per concern:

* :mod:`govsim.network.calibration`: shares (cost, labor, consumption) and Domar weights from a
  table, aggregation to fewer sectors, inflation-target weights;
* :mod:`govsim.network.generator`: the log-linear model (equations documented there) and
  :class:`NetworkModel`;
* :mod:`govsim.network.analysis`: Hulten check, sector contributions, flexible-price comparison
  with the Leontief and Ghosh models, welfare weights, rules for several inflation targets;
* :mod:`govsim.network.dynare`: run the generated .mod file in Dynare and compare IRFs;
* :mod:`govsim.network.sweep`: scenarios x rules x parameter draws, serial or on Dask.
"""
from __future__ import annotations

from .analysis import compare_targets, contributions, flexible_price_comparison, hulten_check, welfare_weights
from .calibration import Calibration, aggregate_to, calibrate, kappa, target_weights
from .dynare import compare_with_dynare, dynare_irfs
from .generator import NetworkModel, build, build_from_calibration
from .sweep import SweepResult, normalize_sweep_spec, sweep

__all__ = ["Calibration", "NetworkModel", "calibrate", "aggregate_to", "build", "build_from_calibration",
           "target_weights", "kappa", "welfare_weights", "dynare_irfs", "compare_with_dynare", "hulten_check",
           "flexible_price_comparison", "contributions", "compare_targets", "sweep", "SweepResult",
           "normalize_sweep_spec"]
