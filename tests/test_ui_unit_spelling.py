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


def test_studies_fields_spell_units_as_the_other_tabs_and_read_back(qtbot, pouch):
    """The Studies panels fill their "from", "to" and target fields with the screen's
    spelling (mg/cm², µm, Wh/kg, not pint's mg/cm**2, W*h/kg), and what they show is
    what they read: the study runs on exactly those values."""
    from asslb_designer.ui.plots.studies.map2d import Map2DPanel
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    from asslb_designer.ui.plots.studies.pareto import ParetoPanel
    panel = Map2DPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.points.setText("5")
    panel.show_state(*pouch)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    texts = {f.objectName(): f.text() for f in (panel.x_from, panel.x_to, panel.y_from,
                                                 panel.y_to, panel.target)}
    for name, text in texts.items():
        for raw in RAW:
            assert raw not in text, (name, text)
    # the defaults: half to one and a half times the design's 30 um separator and its
    # 20 mg/cm² cathode loading; the contour at the cell's 219.8 Wh/kg to two digits
    assert (panel.x_from.text(), panel.x_to.text()) == ("15 µm", "45 µm")
    assert (panel.y_from.text(), panel.y_to.text()) == ("10 mg/cm²", "30 mg/cm²")
    assert panel.target.text() == "220 Wh/kg"
    # read back: the grid spans 15..45 um and 10..30 mg/cm² (5 points: steps 7.5 and 5)
    assert list(panel.x) == pytest.approx([15, 22.5, 30, 37.5, 45])
    assert list(panel.y) == pytest.approx([10, 15, 20, 25, 30])
    assert "= 220 Wh/kg" in panel.message.text()
    assert not panel._message_error

    pareto = ParetoPanel()
    qtbot.addWidget(pareto)
    pareto.samples.setText("200")
    pareto.show_state(*pouch)
    qtbot.waitUntil(lambda: not pareto.busy, timeout=60000)
    for f in (pareto.x_from, pareto.x_to, pareto.y_from, pareto.y_to):
        assert not any(raw in f.text() for raw in RAW), f.text()
    assert pareto.y_from.text() == "10 mg/cm²" and not pareto._message_error

    mc = MonteCarloPanel()
    qtbot.addWidget(mc)
    mc.samples.setText("200")
    mc.show_state(*pouch)
    qtbot.waitUntil(lambda: not mc.busy, timeout=60000)
    mc.extra_key.setCurrentIndex(mc.extra_key.findData("cathode.loading"))
    qtbot.waitUntil(lambda: not mc.busy, timeout=60000)
    shown = [f.text() for f in mc.fields if f.isVisibleTo(mc)]
    assert shown and all(t.endswith("mg/cm²") for t in shown), shown
    assert not mc._message_error, mc.message.text()


def test_every_screen_spelling_reads_back_as_typed():
    """A user may type back what a field shows: each unit the app spells on screen
    (pretty_unit of every internal unit and display unit) reads as the same quantity as
    pint's spelling of it through the engine's one reader (units.read)."""
    from asslb_designer.units import KINDS, Rule, read
    from asslb_designer.ui.display import (ENERGY_UNITS, LOADING_UNITS, THICKNESS_UNITS,
                                           pretty_unit)
    pairs = [(kind, info.internal) for kind, info in KINDS.items() if info.internal]
    pairs += [("length", u) for u in THICKNESS_UNITS] + [("areal_mass", u) for u in LOADING_UNITS]
    for kind, unit in pairs:
        screen = pretty_unit(unit)
        value = {"temperature": 300, "energy": 0.5}.get(kind, 2.5)   # within their rules
        rule = Rule(kind, zero_ok=True)
        assert read(f"{value} {screen}", rule) == pytest.approx(read(f"{value} {unit}", rule)), \
            (unit, screen)
    # energies are metrics, not design values: the same quantity through pint
    from asslb_designer.units import Quantity
    for specific, density in ENERGY_UNITS.values():
        for unit in (specific, density):
            assert Quantity(f"2.5 {pretty_unit(unit)}").m_as(unit) == pytest.approx(2.5), unit
    # by hand: 10 mg/cm² is 10 mg/cm^2 (the internal unit); 9 Ω·cm² is 9 ohm*cm**2
    assert read("10 mg/cm²", Rule("areal_mass")) == pytest.approx(10.0)
    assert read("9 Ω·cm²", Rule("asr")) == pytest.approx(9.0)
    assert read("1 mAh/cm²", Rule("areal_capacity")) == pytest.approx(1.0)
