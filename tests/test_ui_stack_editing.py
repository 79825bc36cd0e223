"""The stack editor driven as a user drives it: fields applied by leaving them, the layer
buttons clicked with the mouse, an unknown material typed into a picker. Every expected
number comes from the engine in the test."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QToolButton  # noqa: E402

from asslb_designer import InputError, evaluate, load_design  # noqa: E402
from asslb_designer.edits import (LAYER_TEMPLATES, AddLayer, MoveLayer, RemoveLayer,  # noqa: E402
                                  set_value)
from asslb_designer.materials import default_library  # noqa: E402

from .test_app import EXAMPLE, base, field, metric  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)


# offscreen, a popup menu cannot raise itself or grab the keyboard: Qt says so, harmlessly
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


@pytest.fixture
def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def shown(result, name, unit_text, digits=1):
    return f"{result.metrics[name]:.{digits}f} {unit_text}"


def labels(window):
    return [ly.label for ly in window.document.design.layers]


@pytest.mark.parametrize("leave", ["tab", "click"])
def test_a_field_applies_when_the_focus_leaves_it(qtbot, active, leave):
    f = field(active, "layer[4].thickness")
    active.editor.select_layer(4)
    f.setFocus()
    f.selectAll()
    qtbot.keyClicks(f, "0.045 mm")
    before = metric(active, "stack_thickness")
    assert before == f"{base('stack_thickness'):.1f} µm"     # typing alone applies nothing
    if leave == "tab":
        qtbot.keyClick(f, Qt.Key.Key_Tab)
    else:
        qtbot.mouseClick(active.editor.table.viewport(), Qt.MouseButton.LeftButton,
                         pos=active.editor.table.visualItemRect(
                             active.editor.table.item(3, 0)).center())
    assert not f.hasFocus()
    expected = evaluate(load_design(EXAMPLE).with_values({"layer[4].thickness": "0.045 mm"}))
    # 30 um -> 45 um of separator: 15 um more stack
    assert expected.metrics["stack_thickness"] == pytest.approx(base("stack_thickness") + 15)
    assert metric(active, "stack_thickness") == shown(expected, "stack_thickness", "µm")
    assert metric(active, "specific_energy_stack") == \
        shown(expected, "specific_energy_stack", "Wh/kg")
    assert active.document.design.written["layer[4].thickness"] == "0.045 mm"
    assert f.text() == "45 um"                       # shown again in the display unit


def click_menu_entry(object_name):
    """Inside the popup's own event loop: click the entry named `object_name`."""
    def click():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, click)
            return
        act = menu.findChild(QAction, object_name) or next(
            a for a in menu.actions() if a.objectName() == object_name)
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         menu.actionGeometry(act).center())
    QTimer.singleShot(0, click)


@OFFSCREEN_POPUP
def test_the_add_layer_button_inserts_the_chosen_role(qtbot, active):
    active.editor.select_layer(3)                    # after the h-BN interlayer
    button = active.findChild(QToolButton, "button:add_layer")
    click_menu_entry("action:add_separator")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert labels(active) == ["Cu", "Li", "h-BN", "Li6PS5Cl", "Li6PS5Cl", "NMC811", "Al"]
    expected = evaluate(AddLayer(4, "separator", LAYER_TEMPLATES["separator"])
                        .apply(load_design(EXAMPLE)))
    # the template is a 30 um Li6PS5Cl separator: 30 um more stack
    assert expected.metrics["stack_thickness"] == pytest.approx(base("stack_thickness") + 30)
    assert metric(active, "stack_thickness") == shown(expected, "stack_thickness", "µm")
    assert active.editor.selected_index() == 4       # the new layer, ready to edit


def test_remove_and_move_buttons(qtbot, active):
    def click(name):
        qtbot.mouseClick(active.findChild(QPushButton, f"button:{name}_layer"),
                         Qt.MouseButton.LeftButton)
    design = load_design(EXAMPLE)
    active.editor.select_layer(3)
    click("down")
    assert labels(active) == ["Cu", "Li", "Li6PS5Cl", "h-BN", "NMC811", "Al"]
    assert active.editor.selected_index() == 4
    moved = evaluate(MoveLayer(3, 4).apply(design))
    assert metric(active, "asr_total") == f"{moved.metrics['asr_total']:.2f} Ω·cm²"
    click("up")
    assert labels(active) == ["Cu", "Li", "h-BN", "Li6PS5Cl", "NMC811", "Al"]
    assert metric(active, "asr_total") == f"{base('asr_total'):.2f} Ω·cm²"
    click("remove")
    assert labels(active) == ["Cu", "Li", "Li6PS5Cl", "NMC811", "Al"]
    removed = evaluate(RemoveLayer(3).apply(design))
    # without the 500 nm interlayer: 0.5 um less stack
    assert removed.metrics["stack_thickness"] == pytest.approx(base("stack_thickness") - 0.5)
    assert metric(active, "stack_thickness") == shown(removed, "stack_thickness", "µm")


@OFFSCREEN_POPUP                 # the completer's popup of matches
def test_an_unknown_material_typed_into_a_picker(qtbot, active):
    picker = active.findChild(QComboBox, "picker:layer[3].material")
    active.editor.select_layer(3)
    before = {name: metric(active, name) for name in ("stack_thickness", "asr_total")}
    design = active.document.design
    with pytest.raises(InputError) as engine:        # what the engine says about it
        evaluate(set_value(load_design(EXAMPLE), "layer[3].material", "unobtainium"),
                 default_library())
    from asslb_designer.ui.document import reason_of
    reason = reason_of(engine.value)
    assert "unobtainium" in reason and "\n" not in reason
    picker.setFocus()
    picker.lineEdit().selectAll()
    qtbot.keyClicks(picker.lineEdit(), "unobtainium")
    qtbot.keyClick(picker.lineEdit(), Qt.Key.Key_Return)
    assert picker.error == reason
    assert active.statusBar().currentMessage() == reason
    assert "#d00000" in picker.styleSheet()          # red
    assert picker.toolTip() == reason
    assert picker.lineEdit().text() == "unobtainium"  # the typed text stays
    assert active.document.design is design           # the last valid design stays ...
    assert {name: metric(active, name) for name in before} == before   # ... and its numbers
    assert not active.isWindowModified()
