"""What the user reads on screen spells a unit one way on every tab: the metrics panel, the
Compare table and the Materials browser (ui/display.pretty_unit), whatever spelling the
engine (pint: 'ohm * cm ** 2') or a data file ('g/cm^3', 'mA*h/g') uses."""

import pytest

pytest.importorskip("PySide6")

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402
from asslb_designer.ui.display import DisplayUnits  # noqa: E402
from asslb_designer.ui.materials_browser import MaterialsBrowser  # noqa: E402
from asslb_designer.ui.metrics_panel import MetricsPanel  # noqa: E402
from asslb_designer.ui.plots.comparison import ComparisonView  # noqa: E402

from .conftest import ROOT  # noqa: E402

# the spellings a cell designer writes, by hand
EXPECTED = {"areal_capacity": "mAh/cm²", "areal_energy": "mWh/cm²", "areal_mass": "mg/cm²",
            "stack_thickness": "µm", "asr_total": "Ω·cm²", "current_density": "mA/cm²",
            "specific_energy_stack": "Wh/kg", "energy_density_stack": "Wh/L",
            "specific_power": "W/kg", "cell_capacity": "Ah", "cell_volume": "mL",
            "np_ratio": ""}
RAW = ("cm2", "cm^", "**", "*", "ohm", "mA*h", " um", "W*h", "Wh/l")


@pytest.fixture
def pouch():
    design = load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml")
    return design, evaluate(design)


def test_compare_table_and_metrics_panel_spell_each_unit_alike(qtbot, pouch):
    panel = MetricsPanel(DisplayUnits())          # the default display units: the engine's
    qtbot.addWidget(panel)
    panel.show_state(*pouch)
    compare = ComparisonView()
    qtbot.addWidget(compare)
    compare.show_state(*pouch)
    for row, m in enumerate(METRICS):
        table_unit = compare.table.item(row, 0).text()
        shown = panel.labels[m.name].text()
        if shown != "—":                           # "3.654 mAh/cm²": the unit after the number
            assert shown.partition(" ")[2] == table_unit, m.name
        for raw in RAW:
            assert raw not in table_unit, (m.name, table_unit)
        if m.name in EXPECTED:
            assert table_unit == EXPECTED[m.name], m.name


def test_materials_browser_spells_units_as_the_other_tabs(qtbot, pouch):
    browser = MaterialsBrowser()
    qtbot.addWidget(browser)
    browser.search.setText("NMC811")
    text = browser.detail.toPlainText()
    # the file writes "g/cm^3" and "mA*h/g"; the screen shows g/cm³ and mAh/g
    assert "g/cm³" in text and "mAh/g" in text
    assert "g/cm^3" not in text and "mA*h" not in text and "**" not in text
    browser.search.setText("PE")
    browser.select("PE")
    text = browser.detail.toPlainText()
    assert "12 µm" in text and " um" not in text     # typical_thickness = 12 "um"
    # a thickness reads µm here as in the Compare table and the metrics panel
    compare = ComparisonView()
    qtbot.addWidget(compare)
    compare.show_state(*pouch)
    row = [m.name for m in METRICS].index("stack_thickness")
    assert compare.table.item(row, 0).text() == "µm"
