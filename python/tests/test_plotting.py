"""govsim.plotting: figures are returned, axes reused, PNGs written, labels and order right."""
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from govsim import io as gio
from govsim import plotting


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(2)
    n = 8
    Z = rng.uniform(0, 10, (n, n))
    Y = rng.uniform(50, 100, (n, 2))
    return gio.IOTable(Z, Y, sectors=[f"sector {i}" for i in range(n)])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def bar_labels(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_plot_multipliers(table, tmp_path):
    from matplotlib.figure import Figure

    path = tmp_path / "m.png"
    fig = plotting.plot_multipliers(table, top=3, path=path)
    assert isinstance(fig, Figure)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    m = table.multipliers()["output"]
    assert bar_labels(fig)[::-1] == list(m.sort_values(ascending=False).index[:3])  # largest on top
    fig2 = plotting.plot_multipliers(table.multipliers(), column="output", top=None)
    assert len(bar_labels(fig2)) == table.n
    with pytest.raises(KeyError):
        plotting.plot_multipliers(table.multipliers(), column="jobs")


def test_plot_output_and_price_change_use_given_axes(table):
    import matplotlib.pyplot as plt

    dx = table.output_change({"sector 2": -10.0, "sector 5": 4.0})
    fig, (a1, a2) = plt.subplots(1, 2)
    out = plotting.plot_output_change(dx, top=4, ax=a1, unit="EUR m")
    assert out is fig
    labels = [t.get_text() for t in a1.get_yticklabels()]
    assert labels[-1] == dx.abs().idxmax() and len(labels) == 4
    assert "EUR m" in a1.get_xlabel()
    dp = table.price_change_from_sector_prices({"sector 1": 0.2})
    plotting.plot_price_change(dp, top=3, ax=a2)
    widths = sorted(abs(p.get_width()) for p in a2.patches)
    assert widths[-1] == pytest.approx(20.0)  # in percent
    with pytest.raises(ValueError, match="column"):
        plotting.plot_output_change(table.output_change(np.eye(table.n)[:, :2]))
    with pytest.raises(TypeError):
        plotting.plot_output_change([1, 2, 3])


def test_plot_linkages(table, tmp_path):
    k = table.linkages()
    fig = plotting.plot_linkages(k, label="all", path=tmp_path / "k.png")
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert set(k.index) <= texts
    assert any(np.allclose(line.get_xdata(), 1.0) for line in ax.lines)
    assert any(np.allclose(line.get_ydata(), 1.0) for line in ax.lines)
    key = plotting.plot_linkages(k)
    shown = {t.get_text() for t in key.axes[0].texts} & set(k.index)
    assert shown == set(k.index[k["classification"] == "key"])
    with pytest.raises(KeyError):
        plotting.plot_linkages(k.drop(columns="forward_normalized"))


def test_multiindex_labels():
    idx = pd.MultiIndex.from_tuples([("NOR", "agr"), ("SOU", "man")], names=["region", "sector"])
    fig = plotting.plot_output_change(pd.Series([1.0, -2.0], index=idx, name="dx"))
    assert bar_labels(fig) == ["NOR/agr", "SOU/man"]
