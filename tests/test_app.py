"""The desktop app, driven as a user would (pytest-qt, offscreen). Every expected number
comes from the engine in the test, or from hand arithmetic in a comment."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.edits import set_value  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402

from .conftest import ROOT  # noqa: E402
from .test_design_writer import COMMENTED  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


@pytest.fixture
def window(qtbot):
    from asslb_designer.ui import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.open_design(EXAMPLE)
    yield w
    w.document.undo_stack.setClean()      # no unsaved-changes prompt at teardown


def field(window, key) -> QLineEdit:
    f = window.findChild(QLineEdit, f"field:{key}")
    assert f is not None, key
    return f


def metric(window, name) -> str:
    label = window.findChild(QLabel, f"metric:{name}")
    assert label is not None, name
    return label.text()


def action(window, name) -> QAction:
    act = window.findChild(QAction, f"action:{name}")
    assert act is not None, name
    return act


def type_into(qtbot, window, key, text):
    f = field(window, key)
    window.editor.select_layer(int(key[6]) if key.startswith("layer[") else 1)
    f.setFocus()
    f.selectAll()
    qtbot.keyClicks(f, text)
    qtbot.keyClick(f, Qt.Key.Key_Return)
    return f


def base(name):
    """The engine's number for the example, the reference every shown text is checked on."""
    return evaluate(load_design(EXAMPLE)).metrics[name]


def test_edit_updates_the_metrics(qtbot, window):
    assert metric(window, "stack_thickness") == f"{base('stack_thickness'):.1f} µm"
    type_into(qtbot, window, "layer[4].thickness", "0.06 mm")
    expected = evaluate(set_value(load_design(EXAMPLE), "layer[4].thickness", "0.06 mm"))
    # 30 um more separator is 30 um more stack
    assert expected.metrics["stack_thickness"] == pytest.approx(base("stack_thickness") + 30)
    assert metric(window, "stack_thickness") == f"{expected.metrics['stack_thickness']:.1f} µm"
    assert metric(window, "specific_energy_stack") == \
        f"{expected.metrics['specific_energy_stack']:.1f} Wh/kg"
    assert window.document.design.written["layer[4].thickness"] == "0.06 mm"
    assert field(window, "layer[4].thickness").text() == "60 um"    # shown in the display unit
    assert window.isWindowModified()


def test_every_metric_is_shown_with_unit_and_tooltip(window):
    for m in METRICS:
        label = window.findChild(QLabel, f"metric:{m.name}")
        assert label is not None, m.name
        from PySide6.QtGui import QTextDocument
        shown = QTextDocument()
        shown.setHtml(label.toolTip())              # rich text: what the reader sees
        assert m.description in shown.toPlainText()
    # at least four significant digits, trailing zeros kept: 3.86 V shows as "3.860 V"
    assert base("nominal_voltage") == pytest.approx(3.86)   # NMC811 3.86 V vs Li metal 0 V
    assert metric(window, "nominal_voltage") == "3.860 V"
    assert metric(window, "voltage_loss") == f"{base('voltage_loss'):.4g} V"   # 0.0287: 0.02867
    assert metric(window, "asr_total") == f"{base('asr_total'):.2f} Ω·cm²"
    window.new_design(ask=False)           # no electrode size, no unit cells
    assert metric(window, "cell_mass") == "—"
    assert metric(window, "specific_energy_cell") == "—"


@pytest.mark.parametrize("text, reason", [
    ("30 kg", "expected a length"),
    ("-3 um", "must be positive"),
    ("nan um", "finite"),
])
def test_invalid_input_keeps_the_last_valid_result_and_the_text(qtbot, window, text, reason):
    before = metric(window, "stack_thickness")
    design = window.document.design
    f = type_into(qtbot, window, "layer[4].thickness", text)
    assert f.text() == text
    assert f.error is not None and reason in f.toolTip()
    assert "#d00000" in f.styleSheet()
    assert reason in window.statusBar().currentMessage()
    assert metric(window, "stack_thickness") == before
    assert window.document.design is design
    assert not window.isWindowModified()
    # a good value clears the red
    type_into(qtbot, window, "layer[4].thickness", "40 um")
    assert f.error is None and metric(window, "stack_thickness") != before


def test_unknown_material_is_refused_in_the_picker(qtbot, window):
    from PySide6.QtWidgets import QComboBox
    picker = window.findChild(QComboBox, "picker:layer[3].material")
    window.editor.select_layer(3)
    picker.lineEdit().setText("unobtainium")
    picker.lineEdit().editingFinished.emit()
    assert picker.error is not None and "unknown material" in picker.error
    assert window.document.design.layers[2].material == "h-BN"
    # searchable by id, alias and name (case-insensitive, any part)
    assert {"GO", "rGO"} <= set(picker.matches("graphene oxide"))
    assert "h-BN" in picker.matches("boron nitride")
    assert picker.resolve("lithium metal") == "Li"       # an alias of Li
    picker.lineEdit().setText("reduced graphene oxide")
    picker.lineEdit().editingFinished.emit()
    assert window.document.design.layers[2].material == "rGO"


def test_fractions_show_their_sum_and_apply_together(qtbot, window):
    type_into(qtbot, window, "layer[5].fractions.active", "0.7")
    total = window.findChild(QLabel, "sum:layer[5].fractions")
    assert total.text() == "0.900"                  # 0.7 + 0.15 + 0.03 + 0.02
    assert field(window, "layer[5].fractions.active").error is not None
    assert window.document.design.value("layer[5].fractions.active") == pytest.approx(0.8)
    type_into(qtbot, window, "layer[5].fractions.electrolyte", "0.25")
    assert total.text() == "1.000"
    assert window.document.design.value("layer[5].fractions.active") == pytest.approx(0.7)
    assert field(window, "layer[5].fractions.active").error is None


def test_undo_redo_restore_the_numbers(qtbot, window):
    original = metric(window, "specific_energy_stack")
    type_into(qtbot, window, "layer[5].loading", "25 mg/cm^2")
    type_into(qtbot, window, "layer[5].loading", "30 mg/cm^2")   # merges with the first
    edited = metric(window, "specific_energy_stack")
    assert edited != original
    action(window, "undo").trigger()               # one step: both loading edits
    assert metric(window, "specific_energy_stack") == original
    assert field(window, "layer[5].loading").text() == "20 mg/cm^2"
    assert not window.isWindowModified()
    action(window, "redo").trigger()
    assert metric(window, "specific_energy_stack") == edited
    expected = evaluate(set_value(load_design(EXAMPLE), "layer[5].loading", "30 mg/cm^2"))
    assert edited == f"{expected.metrics['specific_energy_stack']:.1f} Wh/kg"


def test_layer_buttons_keyboard_and_undo(qtbot, window):
    table = window.editor.table
    window.editor.select_layer(3)
    qtbot.mouseClick(window.findChild(type(window.editor.buttons["duplicate"]),
                                      "button:duplicate_layer"), Qt.MouseButton.LeftButton)
    assert table.rowCount() == 7
    # a second 500 nm interlayer: 0.5 um more
    assert metric(window, "stack_thickness") == f"{base('stack_thickness') + 0.5:.1f} µm"
    table.setFocus()
    window.editor.select_layer(4)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [ly.label for ly in window.document.design.layers][3:5] == ["Li6PS5Cl", "h-BN"]
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert table.rowCount() == 6
    action(window, "undo").trigger()
    action(window, "undo").trigger()
    action(window, "undo").trigger()
    assert [ly.label for ly in window.document.design.layers] == \
        ["Cu", "Li", "h-BN", "Li6PS5Cl", "NMC811", "Al"]
    window.editor.select_layer(5)                  # the cathode cannot go first
    window.editor.move_layer(5, 1)
    assert "layer[" in window.statusBar().currentMessage()
    assert table.rowCount() == 6


def test_save_and_reopen_keep_metrics_and_comments(qtbot, window, tmp_path):
    path = tmp_path / "cell.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    assert window.open_design(path)
    type_into(qtbot, window, "layer[4].thickness", "0.2 mm")
    shown = {m.name: metric(window, m.name) for m in METRICS}
    action(window, "save").trigger()
    assert not window.isWindowModified()
    text = path.read_text(encoding="utf-8")
    assert "# the 2D interlayer under test" in text and 'thickness = "0.2 mm"' in text
    from asslb_designer.ui import MainWindow
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_design(path)
    assert {m.name: metric(other, m.name) for m in METRICS} == shown
    from asslb_designer.ui import settings
    assert str(path.resolve()) in settings.recent_files()


def test_unsaved_changes_prompt(qtbot, window, monkeypatch, tmp_path):
    type_into(qtbot, window, "layer[4].thickness", "50 um")
    asked = []

    def answer(button):
        def question(*args, **kwargs):
            asked.append(args[2])
            return button
        return question
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    other = ROOT / "examples" / "nmc811-lpscl-li-pouch.toml"
    assert not window.open_design(other)
    assert asked and "Save the changes" in asked[0]
    assert window.document.design.value("layer[4].thickness") == pytest.approx(50.0)
    window.close()                                  # Cancel keeps the window open
    assert window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    assert window.open_design(other)
    assert len(window.document.design.layers) == 5
    assert len(asked) == 3


def test_corrupt_file_opens_an_error_and_changes_nothing(window, monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    before = window.document.design
    bad = tmp_path / "bad.toml"
    bad.write_text("[[layer]\nrole = ", encoding="utf-8")
    assert not window.open_design(bad)
    assert "not valid TOML" in shown[0]
    invalid = tmp_path / "invalid.toml"
    invalid.write_text(COMMENTED.replace('"500 nm"', '"500 kg"'), encoding="utf-8")
    assert not window.open_design(invalid)
    assert "layer[3].thickness" in shown[1] and "expected a length" in shown[1]
    assert window.document.design is before
    assert metric(window, "stack_thickness") == f"{base('stack_thickness'):.1f} µm"


CRASH = textwrap.dedent('''
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from asslb_designer.edits import SetValues
    from asslb_designer.ui import MainWindow
    w = MainWindow()
    w.open_design(sys.argv[1])
    assert w.apply_edit(SetValues({"layer[4].thickness": "45 um"}))
    w.autosave()
    os._exit(3)                      # a crash: no close, no cleanup
''')


def test_recovery_after_a_crash(qtbot, monkeypatch, app_dir):
    done = subprocess.run([sys.executable, "-c", CRASH, str(EXAMPLE)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    recovered = list((app_dir / "recovery").glob("*.toml"))
    assert len(recovered) == 1
    assert 'thickness = "45 um"' in recovered[0].read_text(encoding="utf-8")
    from asslb_designer.ui import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    assert w.offer_recovery()
    assert str(EXAMPLE) in asked[0]
    assert w.document.design.value("layer[4].thickness") == pytest.approx(45.0)
    assert w.document.path == str(EXAMPLE) and w.isWindowModified()
    # offered once: the crashed window's file is gone, this window's own is not offered
    assert not w.offer_recovery()
    w.document.undo_stack.setClean()


def test_clean_close_leaves_no_recovery_file(qtbot, window, app_dir):
    window.apply_edit(__import__("asslb_designer.edits", fromlist=["SetValues"]).SetValues(
        {"layer[4].thickness": "45 um"}))
    assert window.autosave().exists()
    window.document.undo_stack.setClean()
    window.close()
    assert list((app_dir / "recovery").glob("*.toml")) == []


def test_preferences_change_display_units(qtbot, window):
    from asslb_designer.ui.display import DisplayUnits
    window.set_preferences(DisplayUnits("nm", "g/m^2", "J/g, J/cm³"), "dark")
    assert field(window, "layer[4].thickness").text() == "30000 nm"
    assert field(window, "layer[5].loading").text() == "200 g/m^2"     # 20 mg/cm^2 = 200 g/m^2
    # 372.2 Wh/kg x 3.6 kJ/Wh / 1000 g/kg = 1340 J/g
    expected = evaluate(load_design(EXAMPLE)).metrics["specific_energy_stack"] * 3.6
    assert metric(window, "specific_energy_stack") == f"{expected:.0f} J/g"
    from asslb_designer.ui import MainWindow
    again = MainWindow()                           # preferences persist
    qtbot.addWidget(again)
    assert again.units.thickness == "nm" and again.theme == "dark"
    from asslb_designer.ui.preferences import apply_theme
    apply_theme("light")                           # the palette is the application's


def test_title_shows_name_and_unsaved_marker(qtbot, window):
    assert "NMC811 | Li6PS5Cl | h-BN | Li pouch" in window.windowTitle()
    assert EXAMPLE.name in window.windowTitle() and not window.isWindowModified()
    type_into(qtbot, window, "cell.temperature", "60 degC")
    assert window.isWindowModified()


def test_cell_settings_switch_rate_keeps_the_numbers(qtbot, window):
    from PySide6.QtWidgets import QComboBox
    before = metric(window, "current_density")
    box = window.findChild(QComboBox, "choice:cell.rate")
    box.chosen.emit("current_density")
    assert window.document.design.has("cell.current_density")
    assert metric(window, "current_density") == before
    assert field(window, "cell.current_density") is not None


def test_engine_imports_without_qt():
    code = textwrap.dedent('''
        import sys
        import asslb_designer, asslb_designer.cli, asslb_designer.edits
        from asslb_designer import evaluate, load_design
        from asslb_designer.design_file import design_text
        d = load_design(sys.argv[1])
        evaluate(d); design_text(d)
        qt = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")]
        assert not qt, qt
        assert "asslb_designer.ui" not in sys.modules
    ''')
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_gui_screenshot_command(tmp_path):
    exe = shutil.which("asslb-designer", path=str(ROOT / ".venv" / "bin")) or "asslb-designer"
    out = tmp_path / "stack.png"
    done = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", "--screenshot",
                           str(out), "--tab", "Stack", "--size", "1280x800", str(EXAMPLE)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    bad = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", "--screenshot",
                          str(out), "--tab", "Nope", str(EXAMPLE)], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "no tab 'Nope'" in bad.stderr
    assert exe


def test_drag_a_row_to_reorder(qtbot, window):
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent
    table = window.editor.table
    window.editor.select_layer(3)                       # the h-BN interlayer ...
    target = table.visualItemRect(table.item(3, 0)).center()    # ... dropped on row 4
    event = QDropEvent(QPointF(target), Qt.DropAction.MoveAction, QMimeData(),
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    table.dropEvent(event)
    assert [ly.label for ly in window.document.design.layers][2:4] == ["Li6PS5Cl", "h-BN"]
    assert window.editor.selected_index() == 4          # the moved layer stays selected


def test_metrics_are_grouped(window):
    from PySide6.QtWidgets import QGroupBox
    titles = [b.title() for b in window.metrics.findChildren(QGroupBox)]
    assert titles == ["Capacity", "Energy by basis", "Resistance and rate", "Cell"]
    cell = next(b for b in window.metrics.findChildren(QGroupBox) if b.title() == "Cell")
    assert cell.findChild(QLabel, "metric:cell_mass") is not None


def test_start_with_a_file_or_fall_back_to_a_new_design(qtbot, monkeypatch, tmp_path):
    from asslb_designer.ui import MainWindow
    started = MainWindow(path=EXAMPLE)
    qtbot.addWidget(started)
    assert started.document.path == str(EXAMPLE)
    assert metric(started, "stack_thickness") == f"{base('stack_thickness'):.1f} µm"
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    missing = MainWindow(path=tmp_path / "nope.toml")
    qtbot.addWidget(missing)
    assert "cannot read" in shown[0]
    assert missing.document.design.name == "New design" and missing.document.path is None


def test_open_an_example_as_an_unsaved_copy(qtbot, window):
    names = [a.text() for a in window.examples_menu.actions()]
    assert "nmc811-lpscl-anodefree-pouch" in names
    act = next(a for a in window.examples_menu.actions() if a.text() == "li-peo-vr-lfp")
    act.trigger()
    assert window.document.design.file.endswith("li-peo-vr-lfp.toml")
    assert window.document.path is None          # Save asks where: the example stays as shipped
    assert "(unsaved)" in window.windowTitle()


def test_pickers_offer_only_the_kinds_the_role_accepts(window):
    from PySide6.QtWidgets import QComboBox
    from asslb_designer.edits import accepted_kinds
    lib = window.library
    separator = window.findChild(QComboBox, "picker:layer[4].material")
    offered = [separator.itemData(i) for i in range(separator.count())]
    assert "LLZTO" in offered and "PVDF" not in offered and "NMC811" not in offered
    assert {lib.find(m).kind for m in offered} <= accepted_kinds("separator", "material")
    binder = window.findChild(QComboBox, "picker:layer[5].binder")
    assert {lib.find(binder.itemData(i)).kind for i in range(binder.count())} == {"binder"}
    anode = window.findChild(QComboBox, "picker:layer[2].material")
    assert anode.itemData(0) == "none"            # anode-free is a choice of the anode only


def test_an_engine_failure_leaves_the_design_and_says_so(window, monkeypatch):
    import asslb_designer.ui.document as document
    before = window.document.design

    def broken(design, library=None):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(document, "evaluate", broken)
    from asslb_designer.edits import SetValues
    assert not window.apply_edit(SetValues({"layer[4].thickness": "40 um"}))
    assert window.document.design is before
    assert "internal error: ZeroDivisionError" in window.statusBar().currentMessage()


def test_gui_command_shows_a_window_or_says_there_is_no_display(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ASSLB_DESIGNER_EXIT_WHEN_SHOWN="1")
    done = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", str(EXAMPLE)],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and "window shown" in done.stdout, done.stderr
    bare = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", str(EXAMPLE)],
                          capture_output=True, text=True, timeout=60, env=bare)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr
    bad = subprocess.run([sys.executable, "-m", "asslb_designer", "gui", str(tmp_path / "x.toml")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and "cannot read" in bad.stderr


def test_no_metric_is_clipped_at_1280x800(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitExposed(window)
    qtbot.wait(50)
    area = window.metrics.parentWidget()            # the scroll area's viewport
    for m in METRICS:
        label = window.findChild(QLabel, f"metric:{m.name}")
        right = label.mapTo(area, label.rect().topRight()).x()
        assert right <= area.width(), m.name        # inside the visible column
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text()), m.name
