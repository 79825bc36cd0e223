"""Files as a user meets them: Save as (to a new path), File > Open recent. The file
dialogs are answered by monkeypatching QFileDialog's static methods."""

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QFileDialog, QMenu  # noqa: E402

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.metrics import METRICS  # noqa: E402

from .test_app import EXAMPLE, action, metric, type_into  # noqa: E402
from .test_app import window  # noqa: E402,F401  (the fixture)


def answer_save(monkeypatch, path, asked):
    def dialog(parent, caption, start, filters, *args, **kwargs):
        asked.append((caption, start))
        return str(path), filters.split(";;")[0]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)


def recent_entries(window) -> list[str]:
    menu = window.findChild(QMenu, "menu:recent")
    return [a.text() for a in menu.actions()]


def test_save_as_a_new_file(qtbot, window, monkeypatch, tmp_path):
    original = tmp_path / "original.toml"
    shutil.copy(EXAMPLE, original)
    assert window.open_design(original)
    type_into(qtbot, window, "layer[4].thickness", "0.05 mm")
    shown = {m.name: metric(window, m.name) for m in METRICS}
    assert "original.toml" in window.windowTitle() and window.isWindowModified()
    new = tmp_path / "copy.toml"
    asked = []
    answer_save(monkeypatch, new, asked)
    action(window, "save_as").trigger()
    assert asked == [("Save design as", str(original))]     # starts from the current file
    assert new.exists()
    assert "copy.toml" in window.windowTitle() and "original.toml" not in window.windowTitle()
    assert not window.isWindowModified()
    assert window.document.path == str(new)
    # the original file is as it was; the copy holds the edit as typed
    assert load_design(original).value("layer[4].thickness") == pytest.approx(30.0)
    assert 'thickness = "0.05 mm"' in new.read_text(encoding="utf-8")
    expected = evaluate(load_design(new))
    assert expected.metrics["stack_thickness"] == pytest.approx(
        evaluate(load_design(EXAMPLE)).metrics["stack_thickness"] + 20)   # 30 -> 50 um
    from asslb_designer.ui import MainWindow
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_design(new)
    assert {m.name: metric(other, m.name) for m in METRICS} == shown
    # a later Save goes to the new file, without asking
    type_into(qtbot, window, "layer[4].thickness", "0.06 mm")
    action(window, "save").trigger()
    assert len(asked) == 1
    assert 'thickness = "0.06 mm"' in new.read_text(encoding="utf-8")


def test_save_as_cancelled_changes_nothing(qtbot, window, monkeypatch, tmp_path):
    type_into(qtbot, window, "layer[4].thickness", "40 um")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    title = window.windowTitle()
    action(window, "save_as").trigger()
    assert window.windowTitle() == title and window.isWindowModified()
    assert window.document.path == str(EXAMPLE)


def test_open_recent(qtbot, window, monkeypatch, tmp_path):
    first = tmp_path / "first.toml"
    second = tmp_path / "second.toml"
    shutil.copy(EXAMPLE, first)
    # opened through File > Open: the file is the first entry of Open recent
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(first), ""))
    action(window, "open").trigger()
    assert recent_entries(window)[0] == str(first.resolve())
    # edited and saved under a new name: that one comes first
    type_into(qtbot, window, "layer[4].thickness", "45 um")
    answer_save(monkeypatch, second, [])
    action(window, "save_as").trigger()
    assert recent_entries(window)[:2] == [str(second.resolve()), str(first.resolve())]
    assert recent_entries(window).count(str(first.resolve())) == 1
    # triggering an entry opens that file
    menu = window.findChild(QMenu, "menu:recent")
    entry = next(a for a in menu.actions() if a.text() == str(first.resolve()))
    entry.trigger()
    assert window.document.path == str(first.resolve())
    assert "first.toml" in window.windowTitle()
    # the first file's numbers (30 um separator), not the second's (45 um)
    assert metric(window, "stack_thickness") == \
        f"{evaluate(load_design(first)).metrics['stack_thickness']:.1f} µm"
    assert metric(window, "stack_thickness") != \
        f"{evaluate(load_design(second)).metrics['stack_thickness']:.1f} µm"
    # a new window lists them too (kept in the settings)
    from asslb_designer.ui import MainWindow
    other = MainWindow()
    qtbot.addWidget(other)
    assert recent_entries(other)[:2] == [str(first.resolve()), str(second.resolve())]


def test_a_recent_file_that_is_gone_opens_an_error(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox
    gone = tmp_path / "gone.toml"
    shutil.copy(EXAMPLE, gone)
    assert window.open_design(gone)
    gone.unlink()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    before = window.document.design
    menu = window.findChild(QMenu, "menu:recent")
    next(a for a in menu.actions() if a.text() == str(gone.resolve())).trigger()
    assert shown and "cannot read" in shown[0]
    assert window.document.design is before

