"""The Cell settings (ui/cell_settings.py) edited through their widgets, as a user does:
choices picked from the combo box's popup with the mouse, quantities typed and entered.
Each edit must change the design's value and show the engine's numbers for that design
(computed here with `evaluate`), and cell metrics show "—" when the design has no cell."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QLabel  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.edits import SetValues  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402

from .test_app import EXAMPLE, field  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)

OFFSCREEN_POPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
pytestmark = OFFSCREEN_POPUP          # every test here opens combo-box popups


@pytest.fixture
def cell(qtbot, window):
    window.editor_tabs.setCurrentIndex(1)           # the "Cell" tab
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def choose(qtbot, window, name, value):
    """Open the combo box `choice:<name>` and click the entry whose data is `value`."""
    box = window.findChild(QComboBox, f"choice:{name}")
    assert box is not None, name
    box.showPopup()
    view = box.view()
    qtbot.waitUntil(view.isVisible)
    row = box.findData(value)
    assert row >= 0, (name, value)
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseMove(view.viewport(), rect.center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def enter(qtbot, window, key, text):
    f = field(window, key)
    f.setFocus()
    f.selectAll()
    qtbot.keyClicks(f, text)
    qtbot.keyClick(f, Qt.Key.Key_Return)
    assert f.error is None, f.error


def shown_number(window, name):
    text = window.findChild(QLabel, f"metric:{name}").text()
    return None if text == "—" else float(text.split()[0])


def assert_shows(window, expected, names):
    """The window shows the engine's number for each metric (4 significant digits)."""
    for name in names:
        value = expected.metrics[name]
        assert shown_number(window, name) == pytest.approx(value, rel=6e-4), name


def example():
    return load_design(EXAMPLE)


def test_format(qtbot, cell):
    choose(qtbot, cell, "cell.format", "single")
    assert cell.document.design.format == "single"
    expected = evaluate(SetValues({"cell.format": "single"}).apply(example()))
    # single counts both collectors whole, stacked half of each: 8.96 mg/cm2 of Cu and
    # 3.24 of Al, half of them (6.10 mg/cm2) more areal mass
    assert expected.metrics["areal_mass"] == pytest.approx(
        evaluate(example()).metrics["areal_mass"] + (8.96 + 3.24) / 2, rel=1e-3)
    assert_shows(cell, expected, ("areal_mass", "specific_energy_stack", "cell_mass"))


def test_temperature(qtbot, cell):
    enter(qtbot, cell, "cell.temperature", "60 degC")
    assert cell.document.design.value("cell.temperature") == pytest.approx(333.15)  # K
    expected = evaluate(example().with_values({"cell.temperature": "60 degC"}))
    assert expected.metrics["asr_total"] < evaluate(example()).metrics["asr_total"]
    assert_shows(cell, expected, ("asr_total", "voltage_loss", "specific_power"))


def test_c_rate_then_current_density(qtbot, cell):
    enter(qtbot, cell, "cell.c_rate", "1")
    expected = evaluate(example().with_values({"cell.c_rate": 1}))
    # 1C: the current density is the delivered areal capacity per hour, 3.654 mA/cm2
    assert expected.metrics["current_density"] == pytest.approx(
        expected.metrics["areal_capacity"])
    assert_shows(cell, expected, ("current_density", "voltage_loss", "specific_power"))
    choose(qtbot, cell, "cell.rate", "current_density")
    assert cell.document.design.has("cell.current_density")
    assert not cell.document.design.has("cell.c_rate")
    assert_shows(cell, expected, ("current_density",))      # the switch keeps the number
    enter(qtbot, cell, "cell.current_density", "2 mA/cm^2")
    assert shown_number(cell, "current_density") == pytest.approx(2.0)
    design = SetValues({"cell.c_rate": None,
                        "cell.current_density": "2 mA/cm^2"}).apply(example())
    assert_shows(cell, evaluate(design), ("voltage_loss", "specific_power"))


def test_electrode_size_and_unit_cells(qtbot, cell):
    enter(qtbot, cell, "cell.electrode_width", "20 cm")
    expected = evaluate(example().with_values({"cell.electrode_width": "20 cm"}))
    # twice the electrode area, twice the capacity: 2 x 7.308 Ah
    assert expected.metrics["cell_capacity"] == pytest.approx(
        2 * evaluate(example()).metrics["cell_capacity"])
    assert_shows(cell, expected, ("cell_capacity", "cell_mass", "specific_energy_cell"))
    choose(qtbot, cell, "cell.electrode_size", "area")
    assert cell.document.design.has("cell.electrode_area")
    assert not cell.document.design.has("cell.electrode_width")
    enter(qtbot, cell, "cell.electrode_area", "50 cm^2")
    enter(qtbot, cell, "cell.unit_cells", "4")
    design = SetValues({"cell.electrode_width": None, "cell.electrode_height": None,
                        "cell.electrode_area": "50 cm^2", "cell.unit_cells": 4}).apply(example())
    expected = evaluate(design)
    # the capacity scales with area x unit cells: 7.308 Ah at 100 cm2 and 20 unit cells
    # gives 7.308 x 50/100 x 4/20 = 0.7308 Ah
    assert expected.metrics["cell_capacity"] == pytest.approx(
        evaluate(example()).metrics["cell_capacity"] * 50 / 100 * 4 / 20)
    assert_shows(cell, expected, ("cell_capacity", "cell_energy", "cell_mass",
                                  "specific_energy_cell", "energy_density_cell"))


def test_no_electrode_size_shows_a_dash_for_every_cell_metric(qtbot, cell):
    choose(qtbot, cell, "cell.electrode_size", "none")
    design = cell.document.design
    assert not design.has("cell.electrode_width") and not design.has("cell.electrode_area")
    for m in METRICS:
        text = cell.findChild(QLabel, f"metric:{m.name}").text()
        if m.cell_level:
            assert text == "—", m.name
        elif evaluate(design).metrics.get(m.name) is not None:
            assert text != "—", m.name                 # the stack's numbers stay
    choose(qtbot, cell, "cell.electrode_size", "width_height")
    assert shown_number(cell, "cell_capacity") is not None


def test_packaging(qtbot, cell):
    choose(qtbot, cell, "cell.packaging", "none")
    assert cell.document.design.packaging is None
    expected = evaluate(SetValues({"cell.packaging": None}).apply(example()))
    assert expected.metrics["cell_mass"] < evaluate(example()).metrics["cell_mass"]
    assert_shows(cell, expected, ("cell_mass", "specific_energy_cell", "cell_thickness"))
    choose(qtbot, cell, "cell.packaging", "pouch-default")
    assert_shows(cell, evaluate(example()), ("cell_mass", "specific_energy_cell"))


def test_hardware(qtbot, cell):
    enter(qtbot, cell, "cell.hardware.stack_pressure", "5 MPa")
    expected = evaluate(example().with_values({"cell.hardware.stack_pressure": "5 MPa"}))
    # a higher pressure needs thicker plates: more mass than at 1 MPa (39.36 g)
    assert expected.metrics["hardware_mass"] > evaluate(example()).metrics["hardware_mass"]
    assert_shows(cell, expected, ("hardware_mass", "cell_mass", "specific_energy_cell"))
    choose(qtbot, cell, "cell.hardware", "none")
    assert cell.document.design.hardware is None
    expected = evaluate(SetValues({"cell.hardware": None}).apply(example()))
    assert_shows(cell, expected, ("cell_mass", "specific_energy_cell"))
    assert expected.metrics["hardware_mass"] in (None, 0.0)
    choose(qtbot, cell, "cell.hardware", "custom")
    enter(qtbot, cell, "cell.hardware.mass", "50 g")
    assert cell.document.design.hardware.kind == "custom"
    # 50 g of custom hardware per cell, all of it counted
    assert shown_number(cell, "hardware_mass") == pytest.approx(50.0)


def test_formation_loss(qtbot, cell):
    enter(qtbot, cell, "cell.formation_loss", "0.2")
    assert cell.document.design.value("cell.formation_loss") == pytest.approx(0.2)
    expected = evaluate(example().with_values({"cell.formation_loss": 0.2}))
    # delivered = built x (1 - loss): 3.654 / 0.9 x 0.8 = 3.248 mAh/cm2
    assert expected.metrics["areal_capacity"] == pytest.approx(
        evaluate(example()).metrics["areal_capacity"] / 0.9 * 0.8)
    assert_shows(cell, expected, ("areal_capacity", "areal_energy", "specific_energy_stack",
                                  "cell_capacity"))
