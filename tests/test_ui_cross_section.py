"""The cross-section view: bands from the engine's result, to scale or in log mode, and
clicks that select a layer."""

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import Qt  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.ui.cross_section import CrossSection, bands_from_result  # noqa: E402

from .conftest import DATA  # noqa: E402


@pytest.fixture
def basic(lib):
    design = load_design(DATA / "basic.toml")
    return design, evaluate(design, lib)


def test_bands_are_the_charged_repeat_unit(basic):
    design, result = basic
    bands = bands_from_result(result)
    # stacked format: half of each 10 um collector; plated Li after the foil:
    # 4 mAh/cm2 / (3861 mAh/g * 0.534 g/cm3) = 19.40077 um; cathode
    # 25 mg/cm2 * 0.27 cm3/g / 0.9 = 75 um
    assert [(b.index, b.role) for b in bands] == [
        (1, "current_collector"), (2, "anode"), (2, "plated"), (3, "interlayer"),
        (4, "separator"), (5, "cathode"), (6, "current_collector")]
    expected = [5.0, 20.0, 19.40077, 1.0, 30.0, 75.0, 5.0]
    assert [b.thickness_um for b in bands] == pytest.approx(expected, rel=1e-5)
    assert sum(b.thickness_um for b in bands) == pytest.approx(
        result["stack_thickness"].m_as("um"))
    assert "half of the 10 µm foil" in bands[0].label
    assert "1 µm" in bands[3].label and "IL" in bands[3].label


def test_swelling_is_drawn_in_its_layer(lib):
    design = load_design(DATA / "basic.toml")
    text = (DATA / "basic.toml").read_text().replace("porosity = 0.1", "porosity = 0.1\nswelling = 0.1")
    from asslb_designer import loads_design
    swollen = loads_design(text)
    bands = bands_from_result(evaluate(swollen, lib))
    cathode = [b for b in bands if b.role == "cathode"][0]
    assert cathode.thickness_um == pytest.approx(75.0 * 1.1)   # 75 um + 10 %
    assert "7.5 µm swelling" in cathode.label


def _heights(view):
    return {(b.index, b.role): rect.height() for rect, b in view.band_rects()}


def test_log_toggle_keeps_the_interlayer_visible(qtbot, basic):
    view = CrossSection()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show_state(*basic)
    view.show()
    qtbot.waitExposed(view)
    linear = _heights(view)
    # to scale: interlayer / separator = 1 um / 30 um
    assert linear[(3, "interlayer")] / linear[(4, "separator")] == pytest.approx(1 / 30, rel=0.02)
    view.log_toggle.setChecked(True)
    log = _heights(view)
    # log mode: log10(1 + 1/0.1) / log10(1 + 30/0.1) = 1.0414 / 2.4786
    assert log[(3, "interlayer")] / log[(4, "separator")] == pytest.approx(1.0414 / 2.4786,
                                                                         rel=0.01)
    assert log[(3, "interlayer")] > 20 > linear[(3, "interlayer")]


def test_click_on_a_band_selects_its_layer(qtbot, basic):
    view = CrossSection()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show_state(*basic)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.layer_selected) as blocker:
        qtbot.mouseClick(view.canvas, Qt.LeftButton, pos=view.band_centre(4).toPoint())
    assert blocker.args == [4]                      # the separator, 1-based
    assert view.selected == 4
    with qtbot.waitSignal(view.layer_selected) as blocker:
        qtbot.mouseClick(view.canvas, Qt.LeftButton, pos=view.band_centre(5).toPoint())
    assert blocker.args == [5]


@pytest.mark.parametrize("path", sorted((DATA.parent.parent / "examples").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_bands_add_up_to_stack_thickness_for_every_example(path):
    # whatever the chemistry (lithium-free positives, alloy negatives, liquid fill),
    # the drawing is the engine's stack_thickness, band by band
    result = evaluate(load_design(path))
    bands = bands_from_result(result)
    assert sum(b.thickness_um for b in bands) == pytest.approx(
        result["stack_thickness"].m_as("um"), rel=1e-9)


def test_cross_section_exports_png_svg_csv(qtbot, basic, tmp_path):
    import csv
    import xml.etree.ElementTree as ET
    view = CrossSection()
    qtbot.addWidget(view)
    view.show_state(*basic)
    png = view.export_png(tmp_path / "x.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = view.export_svg(tmp_path / "x.svg")
    root = ET.parse(svg).getroot()                     # the SVG parses
    assert root.tag.endswith("svg")
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "plated" in texts and "separator" in texts and "depth (µm)" in texts
    rows = list(csv.reader(view.export_csv(tmp_path / "x.csv").open()))
    assert rows[0][3] == "thickness [um]"
    # the bands of test_bands_are_the_charged_repeat_unit: 5 + 20 + 19.40077 + 1 + 30 + 75 + 5
    assert sum(float(r[3]) for r in rows[1:]) == pytest.approx(155.40077, rel=1e-6)
    from PySide6.QtWidgets import QPushButton
    assert [b.objectName() for b in view.findChildren(QPushButton)
            if b.objectName().startswith("cross_section:export:")] == [
        "cross_section:export:png", "cross_section:export:svg", "cross_section:export:csv"]
    assert not list(tmp_path.glob(".*.tmp"))
