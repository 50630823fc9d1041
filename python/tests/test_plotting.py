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


# ------------------------------------------------------------------------ readable sector labels
LONG = ["Manufacturing: metals, machinery, electronics, vehicles", "Manufacturing: food, beverages, textiles",
        "Agriculture, forestry, fishing and hunting", "Electricity, gas, steam and air conditioning (D35)", "Mining"]


def test_abbreviate_unique_and_key_maps_back():
    m = plotting.abbreviate(LONG, max_len=24)
    assert m["Mining"] == "Mining" and m[LONG[3]] == "Electricity, gas\u2026 (D35)"
    assert m[LONG[0]] == "Manufacturing: metals\u2026" and m[LONG[2]] == "Agriculture, forestry\u2026"
    assert len(set(m.values())) == len(LONG)
    # labels sharing their first words keep as many words as it takes to tell them apart
    clash = plotting.abbreviate(["Manufacturing: wood, paper", "Manufacturing: metals, machinery"], max_len=12)
    assert clash == {"Manufacturing: wood, paper": "Manufacturing: wood\u2026",
                     "Manufacturing: metals, machinery": "Manufacturing: metals\u2026"}
    same = plotting.abbreviate(["Services of kind A", "Services of kind B"], max_len=10)
    assert same == {"Services of kind A": "Services of kind A", "Services of kind B": "Services of kind B"}
    assert plotting.abbreviate([("DEU", "Motor vehicles, trailers and semi-trailers")], 20) == {
        "DEU/Motor vehicles, trailers and semi-trailers": "DEU/Motor vehicles\u2026"}


def test_long_sector_names_abbreviated_with_key(tmp_path):
    s = pd.Series([3.0, 2.0, 1.5, 1.2, 1.1], index=LONG)
    fig = plotting.plot_multipliers(s, top=None, path=tmp_path / "m.png")
    ticks = bar_labels(fig)
    assert max(len(t) for t in ticks) <= 28 and "Electricity, gas\u2026 (D35)" in ticks
    key = fig.axes[0].get_legend()
    assert key is not None and key.get_title().get_text() == "full names"
    entries = [t.get_text() for t in key.get_texts()]
    assert f"{plotting.abbreviate(LONG, 28)[LONG[0]]} = {LONG[0]}" in entries
    assert "output per unit of final demand" == fig.axes[0].get_xlabel()
    full = plotting.plot_output_change(s, labels="full")
    assert set(bar_labels(full)) == set(LONG) and full.axes[0].get_legend() is None
    assert "table units" in full.axes[0].get_xlabel()
    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    plotting.plot_output_change(s, ax=given)   # no room for a key beside given axes: names cut at 45
    assert given.get_legend() is None
    assert [t.get_text() for t in given.get_yticklabels()][-1] == LONG[0][:44] + "\u2026"


# ------------------------------------------------------------------------ impulse responses
def _irfs():
    t = pd.RangeIndex(1, 11, name="period")
    cols = pd.MultiIndex.from_product([["eps_d", "eps_m"], ["y", "pi"]], names=["shock", "variable"])
    data = np.outer(0.8 ** np.arange(10), [1.0, 0.5, -0.3, -0.1])
    return pd.DataFrame(data, index=t, columns=cols)


def test_plot_irf_titles_and_axes():
    irf = _irfs()
    fig = plotting.plot_irf(irf, title="One-std shocks")
    axes = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in axes] == ["y", "pi"]
    assert axes[0].get_ylabel() == "deviation from steady state" and "period" in axes[0].get_xlabel()
    assert fig.legends[0].get_title().get_text() == "shock"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["eps_d", "eps_m"]
    grid = plotting.plot_irf(irf, by="shock", unit="percent")
    titles = [a.get_title() for a in grid.axes if a.get_visible()]
    assert titles == ["y to eps_d", "pi to eps_d", "y to eps_m", "pi to eps_m"]
    assert grid.axes[0].get_ylabel() == "percent" and grid.axes[2].get_ylabel() == "percent"
    one = irf["eps_m"].copy()
    one.attrs["shock"] = "eps_m"
    f1 = plotting.plot_irf(one[["y"]])
    assert f1._suptitle.get_text() == "Responses to eps_m"
    f2 = plotting.plot_irf(irf["eps_d"], shock="eps_d", title="Demand")
    assert f2._suptitle.get_text() == "Demand: responses to eps_d"
    with pytest.raises(ValueError):
        plotting.plot_irf(irf, by="period")


def test_plot_irf_of_a_solution_names_the_shock():
    import govsim as gs

    m = gs.dsge.Model.from_string("""
var y u; varexo e; parameters rho; rho = 0.5;
model(linear); y = 0.5*y(+1) + u; u = rho*u(-1) + e; end;
shocks; var e; stderr 1; end;
""", name="toy")
    fig = plotting.plot_irf(m.solve().irf(shock="e", periods=8)[["y"]])
    assert "e" in fig._suptitle.get_text() and fig.axes[0].get_title() == "y"


# ------------------------------------------------------------------------ estimation charts
def _draws(rng, chains=2, n=600):
    idx = pd.MultiIndex.from_product([range(chains), range(n)], names=["chain", "draw"])
    return pd.DataFrame({"a": rng.normal(1.0, 0.1, chains * n), "b": rng.gamma(4.0, 0.05, chains * n)}, index=idx)


def test_plot_trace(tmp_path):
    d = _draws(np.random.default_rng(0))
    fig = plotting.plot_trace(d, burnin=0.5, path=tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    axes = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in axes] == ["a", "b"]
    assert axes[0].get_xlabel() == "draw" and len(axes[0].lines) == 2
    assert np.allclose(axes[0].lines[1].get_ydata(), d.loc[1, "a"].to_numpy())
    assert "burn-in" in [t.get_text() for t in fig.legends[0].get_texts()]
    with pytest.raises(KeyError):
        plotting.plot_trace(d, param_names=["c"])


def test_plot_posterior_with_prior_and_mode():
    from scipy import stats

    from govsim import estimation

    d = _draws(np.random.default_rng(1))
    prior_a = estimation.Prior.make("normal_pdf", 1.0, 0.5)
    fig = plotting.plot_posterior(d, priors={"a": prior_a}, mode=pd.Series({"a": 1.02, "b": 0.2}), burnin=0.5)
    ax_a, ax_b = [a for a in fig.axes if a.get_visible()]
    assert ax_a.get_title() == "a" and ax_a.get_ylabel() == "density"
    prior_line = [ln for ln in ax_a.lines if ln.get_label() == "prior"][0]
    x = prior_line.get_xdata()
    assert np.allclose(prior_line.get_ydata(), stats.norm.pdf(x, 1.0, 0.5))
    assert x.min() <= 1.0 - 1.2 and x.max() >= 1.0 + 1.2   # the x range covers the prior's bulk
    callable_prior = plotting.plot_posterior(d, priors={"b": lambda v: stats.gamma.pdf(v, 4.0, scale=0.05)})
    ln = [ln for ln in callable_prior.axes[1].lines if ln.get_label() == "prior"][0]
    assert np.allclose(ln.get_ydata(), stats.gamma.pdf(ln.get_xdata(), 4.0, scale=0.05))
    assert not [ln for ln in ax_b.lines if ln.get_label() == "prior"]
    kde = [ln for ln in ax_b.lines if "kernel" in ln.get_label()][0]
    area = np.trapz(kde.get_ydata(), kde.get_xdata())
    assert area == pytest.approx(1.0, abs=0.02)
    assert any(np.allclose(ln.get_xdata(), 0.2) for ln in ax_b.lines)   # mode line
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"prior", "mode", "posterior (kernel density)"} <= set(labels)


def test_plot_shock_decomposition():
    rng = np.random.default_rng(2)
    d = pd.DataFrame(rng.normal(size=(30, 3)), columns=["eps_d", "eps_m", "initial"],
                     index=pd.RangeIndex(1, 31, name="quarter"))
    d.attrs["variable"] = "y"
    fig = plotting.plot_shock_decomposition(d, last=20)
    ax = fig.axes[0]
    assert ax.get_title() == "Historical shock decomposition of y"
    assert ax.get_xlabel() == "quarter" and ax.get_ylabel().startswith("y: deviation")
    line = [ln for ln in ax.lines if ln.get_label() == "y (sum)"][0]
    assert np.allclose(line.get_ydata(), d.iloc[-20:].sum(axis=1).to_numpy())
    # bars: tops of the positive stacks = sum of the positive contributions
    tops = np.zeros(20)
    for p in ax.patches:
        if p.get_height() > 0:
            k = int(round(p.get_x() + p.get_width() / 2))
            tops[k] = max(tops[k], p.get_y() + p.get_height())
    assert np.allclose(tops, d.iloc[-20:].clip(lower=0).sum(axis=1).to_numpy())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["y (sum)", "eps_d", "eps_m", "initial values"]


def test_diim_chart_labels():
    from govsim import dynamic_io as dio

    idx = pd.MultiIndex.from_product([["NOR", "SOU"], ["agr", "man"]], names=["region", "sector"])
    rng = np.random.default_rng(4)
    t = gio.IOTable(pd.DataFrame(rng.uniform(0, 5, (4, 4)), index=idx, columns=idx),
                    pd.DataFrame(rng.uniform(50, 80, (4, 1)), index=idx, columns=["hh"]))
    p = dio.diim(t, q0={"NOR/agr": 0.2}, resilience=0.1, times=range(0, 40))
    ax = p.plot(top=3)
    assert ax.get_xlabel() == "time (days)" and ax.get_ylabel().startswith("inoperability")
    names = [x.get_text() for x in ax.get_legend().get_texts()]
    assert names[0] == "NOR/agr" and len(names) == 3 and all("/" in n for n in names)


def test_linkage_labels_abbreviated_with_key():
    rng = np.random.default_rng(5)
    n = len(LONG)
    t = gio.IOTable(rng.uniform(1, 10, (n, n)), rng.uniform(50, 100, (n, 1)), sectors=LONG)
    fig = plotting.plot_linkages(t.linkages(), label="all")
    ax = fig.axes[0]
    notes = [x.get_text() for x in ax.texts if x.get_text() not in ("key sectors", "weak")]
    mapping = plotting.abbreviate(LONG, 20)
    assert sorted(notes) == sorted(mapping.values())
    key = [x.get_text() for x in ax.get_legend().get_texts()]
    assert f"{mapping[LONG[0]]} = {LONG[0]}" in key and not any(k.startswith("Mining") for k in key)
