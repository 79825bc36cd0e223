"""Keyboard shortcuts of the common actions, pressed as a user presses them (QTest key
clicks to the widget that has the focus), each checked by its effect on the design, the
metrics or the files, not only by the key an action holds."""

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QAction, QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.edits import LAYER_TEMPLATES, AddLayer  # noqa: E402

from .test_app import EXAMPLE, action, base, field, metric, type_into  # noqa: E402,F401
from .test_app import window  # noqa: E402,F401  (the fixture)

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    """A key pressed where the user is: the focused widget of the window."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


@pytest.fixture
def active(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.editor.table.setFocus()
    return window


def keys(act: QAction) -> list[str]:
    return [s.toString(QKeySequence.SequenceFormat.PortableText) for s in act.shortcuts()]


def test_every_common_action_has_a_key_and_no_two_share_one(active):
    for name in ("undo", "redo", "save", "save_as", "open", "new", "add_interlayer",
                 "remove_layer", "duplicate_layer", "move_up", "move_down", "report",
                 "preferences", "quit"):
        assert keys(action(active, name)), name
    owner: dict[str, str] = {}
    for act in active.findChildren(QAction):
        for key in keys(act):
            assert key not in owner, f"{key}: {owner.get(key)} and {act.objectName()}"
            owner[key] = act.objectName()
    # the menu says which key: Delete removes the selected layer
    assert "Del" in keys(action(active, "remove_layer"))


def test_new_open_save_and_save_as_by_keyboard(qtbot, active, monkeypatch, tmp_path):
    copy = tmp_path / "cell.toml"
    shutil.copy(EXAMPLE, copy)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), ""))
    press(qtbot, active, Qt.Key.Key_O, CTRL)
    assert active.document.path == str(copy)
    type_into(qtbot, active, "layer[4].thickness", "45 um")
    active.editor.table.setFocus()
    press(qtbot, active, Qt.Key.Key_S, CTRL)
    assert not active.isWindowModified()
    assert load_design(copy).value("layer[4].thickness") == pytest.approx(45.0)
    other = tmp_path / "other.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    press(qtbot, active, Qt.Key.Key_S, CTRL | SHIFT)
    assert active.document.path == str(other) and other.exists()
    press(qtbot, active, Qt.Key.Key_N, CTRL)
    assert active.document.design.name == "New design" and active.document.path is None


def test_undo_and_redo_by_keyboard(qtbot, active):
    original = metric(active, "stack_thickness")
    type_into(qtbot, active, "layer[4].thickness", "60 um")
    # a 30 um separator made 60 um: 30 um more stack
    assert metric(active, "stack_thickness") == f"{base('stack_thickness') + 30:.1f} µm"
    active.editor.table.setFocus()
    press(qtbot, active, Qt.Key.Key_Z, CTRL)
    assert metric(active, "stack_thickness") == original
    press(qtbot, active, Qt.Key.Key_Z, CTRL | SHIFT)
    assert metric(active, "stack_thickness") == f"{base('stack_thickness') + 30:.1f} µm"
    press(qtbot, active, Qt.Key.Key_Z, CTRL)
    press(qtbot, active, Qt.Key.Key_Y, CTRL)          # the other redo key
    assert active.document.design.value("layer[4].thickness") == pytest.approx(60.0)


def labels(window):
    return [ly.label for ly in window.document.design.layers]


def test_layer_keys_add_duplicate_move_and_remove(qtbot, active):
    table = active.editor.table
    active.editor.select_layer(3)                      # the h-BN interlayer
    press(qtbot, active, Qt.Key.Key_I, CTRL)           # a new interlayer after it
    assert labels(active) == ["Cu", "Li", "h-BN", "h-BN", "Li6PS5Cl", "NMC811", "Al"]
    expected = evaluate(AddLayer(4, "interlayer", LAYER_TEMPLATES["interlayer"])
                        .apply(load_design(EXAMPLE)))
    # a second 500 nm h-BN: 0.5 um more stack
    assert expected.metrics["stack_thickness"] == pytest.approx(base("stack_thickness") + 0.5)
    assert metric(active, "stack_thickness") == f"{expected.metrics['stack_thickness']:.1f} µm"
    assert active.editor.selected_index() == 4
    # Ctrl+D in the layer list (it was an ambiguous key there: two actions held it)
    assert QApplication.focusWidget() is table
    press(qtbot, active, Qt.Key.Key_D, CTRL)
    assert table.rowCount() == 8 and active.editor.selected_index() == 5
    press(qtbot, active, Qt.Key.Key_Down, ALT)
    assert labels(active)[4:6] == ["Li6PS5Cl", "h-BN"]
    press(qtbot, active, Qt.Key.Key_Up, ALT)
    assert labels(active)[4:6] == ["h-BN", "Li6PS5Cl"]
    press(qtbot, active, Qt.Key.Key_Delete)
    press(qtbot, active, Qt.Key.Key_Delete)
    assert labels(active) == ["Cu", "Li", "h-BN", "Li6PS5Cl", "NMC811", "Al"]
    assert metric(active, "stack_thickness") == f"{base('stack_thickness'):.1f} µm"


def test_delete_in_a_field_deletes_a_character_not_a_layer(qtbot, active):
    f = field(active, "layer[4].thickness")
    active.editor.select_layer(4)
    f.setFocus()
    f.setCursorPosition(0)
    before = f.text()
    press(qtbot, active, Qt.Key.Key_Delete)
    assert f.text() == before[1:]
    assert active.editor.table.rowCount() == 6


def answer_modal(qtbot, seen, button=None):
    """Close the next modal dialog from inside its event loop, noting what it was."""
    def close():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, close)
            return
        seen.append(dialog)
        dialog.reject()
    QTimer.singleShot(0, close)


def test_preferences_report_and_quit_by_keyboard(qtbot, active, monkeypatch, tmp_path):
    seen = []
    answer_modal(qtbot, seen)
    press(qtbot, active, Qt.Key.Key_Comma, CTRL)
    assert [d.objectName() for d in seen] == ["preferences"]
    active.activateWindow()               # offscreen, a closed dialog does not give it back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is active)

    out = tmp_path / "report.html"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked.append(a[1]) or (str(out), ""))
    press(qtbot, active, Qt.Key.Key_R, CTRL | SHIFT)
    assert len(asked) == 1 and "report" in asked[0].lower()     # where to write it
    qtbot.waitUntil(lambda: out.exists() and "</html>" in out.read_text(encoding="utf-8"),
                    timeout=20000)
    assert "Specific energy, repeat unit" in out.read_text(encoding="utf-8")

    press(qtbot, active, Qt.Key.Key_Q, CTRL)
    assert not active.isVisible()
