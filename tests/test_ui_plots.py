"""Plot views: their data equal the engine's output (and the hand arithmetic of the test
library), and every plot exports a PNG, an SVG that parses and a CSV."""

import csv
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from asslb_designer import evaluate, load_design, loads_design  # noqa: E402
from asslb_designer.ui.plots.arrhenius import ArrheniusView  # noqa: E402
from asslb_designer.ui.plots.breakdowns import BreakdownView  # noqa: E402
from asslb_designer.ui.plots.sweep import SweepView  # noqa: E402
from asslb_designer.ui.plots.ragone import RagoneView  # noqa: E402
from asslb_designer.ui.plots.comparison import ComparisonView  # noqa: E402

from .conftest import DATA  # noqa: E402

K_B = 8.617333262e-5   # eV/K


@pytest.fixture
def basic(lib):
    design = load_design(DATA / "basic.toml")
    return design, evaluate(design, lib)


def shown(qtbot, view, state):
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show_state(*state)
    return view


def test_breakdowns_are_the_engine_numbers(qtbot, basic):
    view = shown(qtbot, BreakdownView(), basic)
    mass = view.bars["mass"].opts["width"]
    # Cu 10 um x 9 g/cm3 = 9 mg/cm2, half counted; Li 20 x 0.534; IL 1 x 2; SEP 30 x 5;
    # cathode 20 / 0.8 = 25; Al 10 x 3 = 3, half counted
    assert list(mass) == pytest.approx([4.5, 1.068, 0.2, 15.0, 25.0, 1.5])
    assert sum(mass) == pytest.approx(basic[1]["areal_mass"].m_as("mg/cm^2"))
    thickness = view.bars["thickness"].opts["width"]
    assert list(thickness) == pytest.approx([5, 20, 19.40077, 1, 30, 75, 5], rel=1e-5)
    asr = view.bars["asr"].opts["width"]
    # bulk IL 1e-4 cm / 1e-5 S/cm = 10; SEP 3e-3 / 1e-3 = 3; cathode: phi_SE =
    # 25e-3 * 0.15 / 2.0 / 7.5e-3 = 0.25, sigma_eff = 1e-3 * 0.25^1.5 = 1.25e-4,
    # 7.5e-3 / (3 * 1.25e-4) = 20; then the interfaces Li|IL 10, IL|SEP 5, SEP|CAM 2
    assert list(asr) == pytest.approx([10, 3, 20, 10, 5, 2])
    assert [t["value"] for t in basic[1].asr] == pytest.approx(list(asr))
    # interface bars sit apart from the bulk ones: a gap of one row after the bulk terms
    assert list(view.bars["asr"].opts["y"]) == [0, 1, 2, 4, 5, 6]


def test_arrhenius_curves_follow_the_engine_and_show_library_points(qtbot, basic):
    view = shown(qtbot, ArrheniusView(), basic)
    assert set(view.curves) == {"IL", "SEP", "SE"}
    x, y = view.curves["SE"].getOriginalDataset()
    T = 1000.0 / x
    i = int(np.argmin(abs(T - 333.15)))
    assert T[i] == pytest.approx(333.15)
    # SE: 1e-3 S/cm at 25 degC, Ea 0.3 eV: at 60 degC
    # 1e-3 * exp(-0.3/k_B * (1/333.15 - 1/298.15)) = 3.410e-3 S/cm
    expected = 1e-3 * math.exp(-0.3 / K_B * (1 / 333.15 - 1 / 298.15))
    assert y[i] == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(3.410e-3, rel=1e-3)
    # no activation energy: held at its 25 degC value
    assert np.allclose(view.curves["IL"].getOriginalDataset()[1], 1e-5)
    px, py = view.points["SE"].getData()
    assert list(px) == pytest.approx([1000 / 298.15])
    assert list(py) == pytest.approx([-3.0])          # log10(1e-3): the plot is log-y
    # the legend names the measured points as well as the lines
    legend = {sample.item: label.text for sample, label in view.legend.items}
    for name, scatter in view.points.items():
        assert legend[scatter] == f"{name}: library values (1 measured)"
    assert len(legend) == len(view.curves) + len(view.points)


def test_sweep_is_one_vectorized_evaluate_equal_to_single_ones(qtbot, basic, lib):
    design, result = basic
    view = shown(qtbot, SweepView(), basic)
    view.set_key("layer[4].thickness")
    view.set_metric("areal_mass")
    view.start.setText("10 um")
    view.stop.setText("0.05 mm")                      # any unit of length
    view.points.setText("5")
    view.run()
    x, y = view.curve.getOriginalDataset()
    assert list(x) == pytest.approx([10, 20, 30, 40, 50])
    # separator 5 g/cm3: 0.5 mg/cm2 per um; the rest 47.268 - 15 = 32.268 mg/cm2
    assert list(y) == pytest.approx([32.268 + 0.5 * t for t in (10, 20, 30, 40, 50)])
    single = evaluate(design.with_values({"layer[4].thickness": "20 um"}), lib)
    assert y[1] == pytest.approx(single["areal_mass"].m_as("mg/cm^2"))


def test_sweep_of_temperature_in_celsius(qtbot, basic):
    view = shown(qtbot, SweepView(), basic)
    view.set_key("cell.temperature")
    view.set_metric("asr_total")
    view.start.setText("25")                          # a bare number: the unit shown, degC
    view.stop.setText("60 degC")
    view.points.setText("2")
    view.run()
    x, y = view.curve.getOriginalDataset()
    assert list(x) == pytest.approx([25, 60])
    # at 25 degC the total is 50 ohm*cm2; at 60 degC only SE (cathode term 20) and the
    # SEP|CAM interface (2, Ea 0.3 eV) change, both by the factor 1/3.410
    f = math.exp(-0.3 / K_B * (1 / 333.15 - 1 / 298.15))
    assert list(y) == pytest.approx([50.0, 28 + 22 / f])


def test_sweep_bad_range_says_why_and_keeps_the_plot(qtbot, basic):
    view = shown(qtbot, SweepView(), basic)
    view.set_key("layer[4].thickness")
    view.run()
    before = view.curve.getOriginalDataset()[1].copy()
    view.start.setText("10 kg")
    view.run()
    assert "Sweep not run" in view.message.text() and "length" in view.message.text()
    assert np.array_equal(view.curve.getOriginalDataset()[1], before)


@pytest.mark.parametrize("cls", [BreakdownView, ArrheniusView, SweepView, RagoneView,
                                 ComparisonView])
def test_every_plot_exports_png_svg_csv(qtbot, basic, tmp_path, cls):
    view = shown(qtbot, cls(), basic)
    view.show()
    png = view.export_png(tmp_path / "p.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = view.export_svg(tmp_path / "p.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert any(el.tag.endswith("text") for el in root.iter())     # axis labels are there
    out = view.export_csv(tmp_path / "p.csv")
    rows = list(csv.reader(out.open()))
    header, data = rows[0], rows[1:]
    assert data and all(len(r) == len(header) for r in data)
    assert any("[" in h or h == "unit" for h in header)            # units in the header
    assert not list(tmp_path.glob(".*.tmp"))                        # no temporary left over


def test_ragone_curve_is_the_engine_at_each_rate(qtbot, basic, lib):
    from asslb_designer.ui.plots.ragone import RagoneView, ragone
    design, result = basic
    c, power, energy = ragone(design, result, [0.5, 1.0, 2.0], lib)
    # 1C: j = 4 mA/cm2, loss = 4e-3 A/cm2 x 50 ohm cm2 = 0.2 V, V = 3.8 - 0.2 = 3.6 V;
    # energy 4 mAh/cm2 x 3.6 V / 47.268 mg/cm2 = 304.65 Wh/kg; power 4 mA x 3.6 V / 47.268 mg
    assert energy[1] == pytest.approx(4 * 3.6 / 47.268 * 1e3)
    assert power[1] == pytest.approx(4 * 3.6 / 47.268 * 1e3)
    for rate, p, e in zip(c, power, energy):
        single = evaluate(design.with_values({"cell.c_rate": rate}), lib)
        assert p == pytest.approx(single["specific_power"].m_as("W/kg"))
        assert e == pytest.approx(single["specific_energy_at_rate"].m_as("W*h/kg"))
    # basic.toml has no cell data: the curve is on the repeat-unit basis, and says so
    view = shown(qtbot, RagoneView(), basic)
    assert view.basis == "stack"
    x, y = view.curve.getOriginalDataset()
    assert np.all(np.diff(x) > 0)                        # the upper branch, power rising
    assert "per repeat-unit mass" in view.plot.getAxis("bottom").labelText
    assert not view.stack_curve.isVisible()
    assert any("no packaging" in label.text for _, label in view.legend.items)
    header, rows = view.data_table()
    assert any("Batemo" in str(r[-1]) for r in rows)     # the CSV carries the sources


def test_ragone_curve_is_on_the_cell_basis_when_the_design_has_cell_data(qtbot, lib):
    from asslb_designer.ui.plots.ragone import RagoneView
    basic = (DATA / "basic.toml").read_text()
    design = loads_design(basic.replace("c_rate = 1\n", 'c_rate = 1\nelectrode_width = "10 cm"\n'
                                        'electrode_height = "10 cm"\nunit_cells = 10\n'
                                        'packaging = "pouch"\nextra_mass = "1 g"\n'), "pouch.toml")
    view = shown(qtbot, RagoneView(), (design, evaluate(design, lib)))
    assert view.basis == "cell"
    assert "per cell mass" in view.plot.getAxis("bottom").labelText
    assert "per cell mass" in view.plot.getAxis("left").labelText
    # the cell (tests/test_cell.py): 47.268 g of stack + 4.84 g foils + 0.24 g tabs + 1 g
    # = 53.348 g; at 1C 4 Ah x 3.6 V = 14.4 Wh and 4 A x 3.6 V = 14.4 W:
    # 269.93 Wh/kg at 269.93 W/kg on the cell curve, 304.65 on the dashed repeat-unit one
    x, y = (10.0 ** np.asarray(a) for a in view.curve.getData())
    at_1c = int(np.argmin(abs(np.log(view.c))))
    assert view.c[at_1c] == pytest.approx(1.0, rel=0.05)
    single = evaluate(design.with_values({"cell.c_rate": view.c[at_1c]}), lib)
    assert x[at_1c] == pytest.approx(single["specific_power_cell"].m_as("W/kg"))
    assert y[at_1c] == pytest.approx(single["specific_energy_at_rate_cell"].m_as("W*h/kg"))
    exact = evaluate(design, lib)
    assert exact["specific_energy_at_rate_cell"].m_as("W*h/kg") == pytest.approx(14400 / 53.348)
    assert view.stack_curve.isVisible()
    sx, sy = (10.0 ** np.asarray(a) for a in view.stack_curve.getData())
    assert sy[at_1c] == pytest.approx(single["specific_energy_at_rate"].m_as("W*h/kg"))
    assert sy[at_1c] > y[at_1c]                          # packaging weighs
    legend = [label.text for _, label in view.legend.items]
    assert any("per cell mass, packaging included" in t for t in legend)
    assert any("per repeat unit (no packaging)" in t for t in legend)


def test_ragone_reference_points_are_the_data_file(qtbot, basic):
    """Each plotted published point is the value in materials_db/reported/cells.toml (read
    here with tomllib, not the app's loader), with its source in its tooltip; a cell given
    in Wh/L only is listed under the plot as not plotted, with the reason."""
    import tomllib
    from asslb_designer.ui.plots.ragone import RagoneView
    from .conftest import ROOT
    data = tomllib.loads((ROOT / "materials_db" / "reported" / "cells.toml").read_text())
    view = shown(qtbot, RagoneView(), basic)
    rated = unrated = 0
    for cell in data["cell"]:
        points = cell.get("point", [])
        with_power = [p for p in points if "specific_power" in p]
        if with_power:
            item = view.reference[cell["id"]]
            xs, ys = item.getData()
            assert list(10.0 ** xs) == pytest.approx([p["specific_power"]["value"]
                                                      for p in with_power])
            assert list(10.0 ** ys) == pytest.approx([p["specific_energy"]["value"]
                                                      for p in with_power])
            for spot in item.points():
                assert cell["source"] in spot.data() and "Source: " in spot.data()
            rated += len(with_power)
        lines = view.reference_lines.get(cell["id"], [])
        assert [10.0 ** line.value() for line in lines] == pytest.approx(
            [p["specific_energy"]["value"] for p in points if "specific_power" not in p])
        for line in lines:
            assert "rate not stated" in line.label.textItem.toPlainText()
            assert cell["source"] in line.toolTip()
        unrated += len(lines)
        if not points:                                    # Wh/L only
            assert cell["id"] not in view.reference and not lines
            message = view.message.text()
            assert "Not plotted: " + cell["name"] in message
            assert "no cell mass reported" in message
    # the shipped file: a commercial 18650 (1 rate), a commercial 21700 (2 rates), an
    # anode-free solid-state cell (1 rate), a sulfide all-solid-state pouch per stack mass
    # (1 rate); two Li-metal pouches without a stated rate
    assert (rated, unrated) == (5, 2)
    # the sulfide pouch: 5.33 Ah x 3.396 V / 44.8 g = 404.03 Wh/kg at 404.0 x 0.05 /h =
    # 20.2 W/kg, and its legend entry says it is per stack and derived
    xs, ys = view.reference["Luan2026-AFM-404Whkg"].getData()
    assert (10.0 ** xs[0], 10.0 ** ys[0]) == pytest.approx((404.0 * 0.05, 5.33 * 3.396 / 0.0448),
                                                           rel=1e-3)
    legend = [label.text for _, label in view.legend.items]
    assert any("Luan" in t and "[stack basis, ESTIMATE]" in t for t in legend)
    assert "stack: without pouch film and tabs" in view.message.text()
    # the 21700's 2C point: 10 A x 3.6 V / 72.0 g = 500 W/kg, 4.8 Ah x 3.6 V / 72.0 g = 240 Wh/kg
    xs, ys = view.reference["Samsung-INR21700-50S"].getData()
    assert (10.0 ** xs[1], 10.0 ** ys[1]) == pytest.approx((10 * 3.6 / 0.072, 4.8 * 3.6 / 0.072))


def test_comparison_table_and_bars_hold_each_designs_engine_numbers(qtbot, basic, lib, tmp_path):
    from asslb_designer.ui.plots.comparison import ComparisonView
    from asslb_designer.metrics import METRICS
    design, result = basic
    thin = design.with_values({"layer[4].thickness": "10 um"})
    thin_result = evaluate(thin, lib)
    view = shown(qtbot, ComparisonView(), basic)
    view.add_design(thin, thin_result, "thin separator")
    view.metric_box.setCurrentIndex(view.metric_box.findData("areal_mass"))
    # 47.268 mg/cm2, and 20 um less of a 5 g/cm3 separator: 47.268 - 10 = 37.268
    assert list(view.bars.opts["height"]) == pytest.approx([47.268, 37.268])
    row = [m.name for m in METRICS].index("areal_mass")
    assert view.table.item(row, 1).text() == "47.27"
    assert view.table.item(row, 2).text() == "37.27"
    cell_row = [m.name for m in METRICS].index("specific_energy_cell")
    assert view.table.item(cell_row, 1).text() == "—"          # no cell data in basic.toml
    # the current design follows edits; the added one stays
    view.show_state(thin, thin_result)
    assert list(view.bars.opts["height"]) == pytest.approx([37.268, 37.268])
    header, rows = view.data_table()
    assert header == ["metric", "unit", "current: basic", "thin separator"]
    view.add_file(tmp_path / "missing.toml")
    assert "Not added" in view.message.text() and len(view.entries) == 2


def test_a_plot_on_a_hidden_tab_draws_when_shown(qtbot, basic):
    from PySide6.QtWidgets import QTabWidget
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    first, second = BreakdownView(), BreakdownView()
    tabs.addTab(first, "one")
    tabs.addTab(second, "two")
    tabs.show()
    qtbot.waitExposed(tabs)
    first.show_state(*basic)
    second.show_state(*basic)
    assert "mass" in first.bars and "mass" not in second.bars     # not looked at: deferred
    tabs.setCurrentWidget(second)
    assert list(second.bars["mass"].opts["width"]) == pytest.approx(
        list(first.bars["mass"].opts["width"]))


def test_sweep_starts_afresh_for_another_stack(qtbot, basic, lib):
    from asslb_designer import loads_design
    view = shown(qtbot, SweepView(), basic)
    view.set_key("layer[3].thickness")
    view.start.setText("0.5 um")
    view.run()
    view.show_state(*basic)                       # the same stack: the user's choice stays
    assert view.key_box.currentData() == "layer[3].thickness"
    assert view.start.text() == "0.5 um"
    text = (DATA / "basic.toml").read_text().replace(
        '[[layer]]\nrole = "interlayer"\nmaterial = "IL"\nthickness = "1 um"\n\n', "")
    other = loads_design(text)                    # no interlayer: layer[3] is the separator
    view.show_state(other, evaluate(other, lib))
    # the separator is the default key, its range around its 30 um: 15 to 45 um
    assert view.key_box.currentData() == "layer[3].thickness"
    assert (view.start.text(), view.stop.text()) == ("15 um", "45 um")


def test_ragone_keeps_its_axes_through_a_small_edit(qtbot, basic, lib):
    """An edit moves the curve, not the axes: no auto-range pass (which repainted the log
    axes a second time per edit); the range changes only when the data leave it."""
    from PySide6.QtWidgets import QGraphicsItem
    from asslb_designer.ui.plots.ragone import RagoneView
    design, result = basic
    view = shown(qtbot, RagoneView(), basic)
    assert view.plot.getViewBox().state["autoRange"] == [False, False]
    for name in ("bottom", "left"):
        assert view.plot.getAxis(name).cacheMode() == QGraphicsItem.DeviceCoordinateCache
    before = view.plot.getViewBox().viewRange()
    thinner = design.with_values({"layer[4].thickness": "29 um"})
    view.show_state(thinner, evaluate(thinner, lib))
    assert view.plot.getViewBox().viewRange() == before
    # a 100x thicker separator drops the energy a decade: the range follows
    thick = design.with_values({"layer[4].thickness": "3 mm"})
    view.show_state(thick, evaluate(thick, lib))
    low = view.plot.getViewBox().viewRange()[1][0]
    assert low < before[1][0] and low <= math.log10(view.energy.min())
