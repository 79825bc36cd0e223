"""A study set up in any of the four Studies panels saves as a study file that
`study_file` loads back and `asslb-designer study` runs to the numbers the panel showed,
bit for bit (the same seed where sampled)."""

import csv

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.cli import main  # noqa: E402
from asslb_designer.studies import params  # noqa: E402
from asslb_designer.studies.study_file import load_study  # noqa: E402
from asslb_designer.studies.writers import read_table  # noqa: E402

from .conftest import ROOT  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
SIGMA = "material.Li6PS5Cl.ionic_conductivity"


@pytest.fixture
def cell(monkeypatch):
    monkeypatch.setenv("ASSLB_DESIGNER_USER_LIBRARY", "")
    design = load_design(EXAMPLE)
    return design, evaluate(design)


def settled(qtbot, panel):
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    return panel


def opened(qtbot, cls, cell):
    panel = cls()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show_state(*cell)
    return settled(qtbot, panel)


def choose(box, data):
    i = box.findData(data)
    assert i >= 0, data
    box.setCurrentIndex(i)


def test_the_tornado_saves_a_sensitivity_study_the_cli_runs_to_the_same_elasticities(
        qtbot, cell, tmp_path, capsys):
    from asslb_designer.ui.plots.studies.tornado import TornadoPanel
    panel = opened(qtbot, TornadoPanel, cell)
    panel.top.setText("8")
    choose(panel.metric_choice, "voltage_loss")
    settled(qtbot, panel)
    assert panel.outcome[0] == "voltage_loss"
    path = panel.save_study(tmp_path / "tornado.toml")
    study = load_study(path)
    spec = study.sensitivity
    assert spec is not None and study.plan.varied == ()
    assert spec.metrics == ("voltage_loss",) and spec.keys is None   # keys = "all"
    assert spec.step == 0.01 and spec.top == 8 and spec.sobol_n == 0
    assert main(["study", str(path), "-o", str(tmp_path / "el.csv")]) == 0
    out = capsys.readouterr().out
    with open(tmp_path / "el.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    cli = [(r["key"], float(r["elasticity [1]"])) for r in rows if r["elasticity [1]"]]
    # the same inputs in the same order, the same elasticities to the last bit
    assert cli == [(k, e) for k, e, *_ in panel.ranked]
    # the printed table shows the top 8, by role name where there is one
    first = panel.ranked[0]
    assert f"{first[1]:+.4f}" in out
    assert "cathode.loading (layer[5].loading)" in out


def test_the_map_saves_a_log_axis_and_the_cli_gives_the_same_grid(qtbot, cell, tmp_path):
    from asslb_designer.ui.plots.studies.map2d import Map2DPanel
    design, result = cell
    panel = opened(qtbot, Map2DPanel, cell)
    choose(panel.x_key, SIGMA)
    settled(qtbot, panel)
    panel.x_from.setText("1e-4 S/cm")
    panel.x_to.setText("1e-2 S/cm")
    panel.x_log.setChecked(True)       # runs the map
    settled(qtbot, panel)
    panel.points.setText("5")
    panel.run()
    settled(qtbot, panel)
    # 5 log-spaced points over two decades: 10^-4, 10^-3.5, ..., 10^-2 S/cm
    assert panel.x == pytest.approx(10 ** np.linspace(-4, -2, 5), rel=1e-12)
    assert panel.plot.getAxis("bottom").logMode and not panel.plot.getAxis("left").logMode
    # the star sits at log10 of the design's conductivity (the view is in log10 there)
    sigma = float(panel.current(SIGMA))
    assert panel.marker.getData()[0][0] == pytest.approx(np.log10(sigma))
    # the image spans the decades: centres of the pixels at -4, -3.5, ..., -2
    rect = panel.image.mapRectToParent(panel.image.boundingRect())
    assert (rect.left(), rect.right()) == pytest.approx((-4.25, -1.75))
    # and each pixel is the engine's value there
    one = evaluate(params.with_values(design, {SIGMA: np.array([panel.x[1]]),
                                               "cathode.loading": np.array([panel.y[2]])}),
                   result.library)
    assert panel.z[1, 2] == pytest.approx(float(one.metrics["specific_energy_cell"][0]),
                                          rel=1e-12)
    path = panel.save_study(tmp_path / "map.toml")
    study = load_study(path)
    grid = study.plan.varied[0].how
    assert study.keys == [SIGMA, "cathode.loading"] and grid.log and grid.count == 5
    assert main(["study", str(path), "-o", str(tmp_path / "map.csv")]) == 0
    z = read_table(tmp_path / "map.csv")["specific_energy_cell [W*h/kg]"]
    assert np.array_equal(z, panel.z.ravel())


def test_a_log_range_needs_positive_ends(qtbot, cell):
    from asslb_designer.ui.plots.studies.map2d import Map2DPanel
    panel = opened(qtbot, Map2DPanel, cell)
    panel.x_from.setText("0 um")
    panel.x_log.setChecked(True)
    assert "log range needs both ends above zero" in panel.message.text()


def test_the_monte_carlo_saves_a_study_the_cli_samples_bit_for_bit(qtbot, cell, tmp_path):
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    panel = MonteCarloPanel()
    qtbot.addWidget(panel)
    panel.samples.setText("2000")
    panel.seed.setText("5")
    panel.constraint.setText("voltage_loss <= 30 mV")
    panel.show_state(*cell)
    settled(qtbot, panel)
    # also vary the catholyte's conductivity over a decade, log-uniform (in place of its
    # library spread)
    choose(panel.extra_key, SIGMA)
    choose(panel.shape, "log-uniform")
    assert [label.text() for label in panel.field_labels[:2]] == ["low", "high"]
    assert not panel.fields[2].isVisibleTo(panel)
    panel.fields[0].setText("5e-4 S/cm")
    panel.fields[1].setText("5e-3 S/cm")
    panel.extra.setChecked(True)          # runs the study
    settled(qtbot, panel)
    varied = {k: (how, origin) for k, how, origin in panel.summary.varied}
    assert varied[SIGMA] == ("log-uniform 0.0005 to 0.005 S/cm", "also vary")
    sigma = panel.table[f"{SIGMA} [S/cm]"]
    # one draw in each of the 2000 strata of log10(sigma) over [log10 5e-4, log10 5e-3]
    assert sorted(np.floor((np.log10(sigma) - np.log10(5e-4)) * 2000)) == list(range(2000))
    assert "Also varied: material.Li6PS5Cl.ionic_conductivity" in panel.message.text()
    path = panel.save_study(tmp_path / "mc.toml")
    study = load_study(path)
    assert (study.plan.method, study.plan.n, study.plan.seed) == ("lhs", 2000, 5)
    assert study.plan.varied[0].key == SIGMA and study.plan.varied[0].how.name == "log-uniform"
    assert main(["study", str(path), "-o", str(tmp_path / "mc.csv")]) == 0
    table = read_table(tmp_path / "mc.csv")
    assert set(table) == set(panel.table)
    for column, values in panel.table.items():
        assert np.array_equal(table[column], values), column


def test_the_pareto_panel_saves_a_study_whose_front_is_the_panels(qtbot, cell, tmp_path):
    from asslb_designer.ui.plots.studies.pareto import ParetoPanel
    panel = ParetoPanel()
    qtbot.addWidget(panel)
    panel.samples.setText("800")
    panel.seed.setText("3")
    panel.show_state(*cell)
    settled(qtbot, panel)
    choose(panel.y_key, SIGMA)
    settled(qtbot, panel)
    panel.y_from.setText("1e-4 S/cm")
    panel.y_to.setText("1e-2 S/cm")
    panel.y_log.setChecked(True)
    settled(qtbot, panel)
    sigma = panel.outcome[1][f"{SIGMA} [S/cm]"]
    # log-uniform over two decades, one draw in each of 800 strata of log10(sigma)
    assert sorted(np.floor((np.log10(sigma) + 4) / 2 * 800)) == list(range(800))
    path = panel.save_study(tmp_path / "pareto.toml")
    study = load_study(path)
    assert study.plan.varied[1].how.name == "log-uniform"
    assert main(["study", str(path), "--front", str(tmp_path / "front.csv")]) == 0
    front = read_table(tmp_path / "front.csv")
    assert list(front) == panel.front.columns
    for column in panel.front.columns:
        assert np.array_equal(front[column], panel.front.rows[column]), column


def test_the_monte_carlo_distribution_fields_follow_the_shape(qtbot, cell):
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    panel = opened(qtbot, MonteCarloPanel, cell)
    choose(panel.extra_key, "cell.temperature")
    choose(panel.shape, "normal")
    # the design's 25 °C (the screen spelling of degC) as the mean, 5 K as the standard deviation
    assert [label.text() for label in panel.field_labels[:2]] == ["mean", "std"]
    assert [f.text() for f in panel.fields[:2]] == ["25 °C", "5 K"]
    choose(panel.shape, "triangular")
    assert [label.text() for label in panel.field_labels] == ["low", "mode", "high"]
    assert panel.fields[1].text() == "25 °C"
    panel.fields[0].setText("40 degC")         # low above the mode: refused, named
    panel.extra.setChecked(True)
    assert "the mode must lie between low and high" in panel.message.text()
