"""The views inside the main window (ui/views.py install): tabs, the cross-section on the
Stack tab selecting layers in the editor, views following edits, the report action."""

import pytest

pytest.importorskip("PySide6")
main_window = pytest.importorskip("asslb_designer.ui.main_window")

from PySide6.QtCore import Qt  # noqa: E402

from .conftest import ROOT  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


@pytest.fixture
def window(qtbot):
    from asslb_designer.ui import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_design(str(EXAMPLE), ask=False)
    w.flush_views()
    return w


def tab_titles(window):
    return [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]


def test_every_view_is_a_tab(window):
    for title in ("Breakdowns", "Arrhenius", "Sweep", "Ragone", "Compare", "Materials"):
        assert title in tab_titles(window)
    assert window.cross_section is window.app_views["cross_section"]


def test_views_show_the_windows_evaluation_and_follow_edits(qtbot, window):
    result = window.document.result
    bands = window.app_views["cross_section"].bands
    assert sum(b.thickness_um for b in bands) == pytest.approx(
        result["stack_thickness"].m_as("um"))
    field = window.findChild(type(window.findChild(object, "field:layer[4].thickness")),
                             "field:layer[4].thickness")
    field.selectAll()
    qtbot.keyClicks(field, "60 um")
    qtbot.keyClick(field, Qt.Key_Return)
    window.flush_views()
    # the separator doubled: 30 um more in the charged repeat unit
    new = window.document.result
    assert new["stack_thickness"].m_as("um") == pytest.approx(
        result["stack_thickness"].m_as("um") + 30.0)
    bands = window.app_views["cross_section"].bands
    assert [b.thickness_um for b in bands if b.index == 4] == pytest.approx([60.0])
    window.show_tab("Breakdowns")
    view = window.app_views["breakdowns"]
    assert sum(view.bars["thickness"].opts["width"]) == pytest.approx(
        new["stack_thickness"].m_as("um"))


def test_click_on_the_cross_section_selects_the_layer_in_the_editor(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    cross = window.app_views["cross_section"]
    with qtbot.waitSignal(cross.layer_selected):
        qtbot.mouseClick(cross.canvas, Qt.LeftButton, pos=cross.band_centre(5).toPoint())
    assert window.editor.selected_index() == 5


def test_report_action_writes_a_pdf(qtbot, window, tmp_path):
    from asslb_designer.ui.views import export_report
    assert window.findChild(object, "action:report") is not None
    out = tmp_path / "out"
    out.mkdir()
    export_report(window, out / "r.pdf")
    qtbot.waitUntil(lambda: "report written" in window.statusBar().currentMessage(),
                    timeout=20000)
    assert (out / "r.pdf").read_bytes()[:5] == b"%PDF-"
    assert [p.name for p in out.iterdir()] == ["r.pdf"]           # no temporary file left
