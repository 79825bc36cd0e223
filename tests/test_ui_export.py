"""The one atomic writer every view exports through."""

import os

import pytest

pytest.importorskip("PySide6")
from asslb_designer.ui import export  # noqa: E402


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    export.atomic_write(target, "a,b\n1,2\n")
    assert target.read_text() == "a,b\n1,2\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.svg"
    target.write_text("<svg/>")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        export.atomic_write(target, b"<svg>half")
    assert target.read_text() == "<svg/>"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]


def test_csv_text_quotes_and_keeps_full_precision():
    text = export.csv_text(["item", "value [um]"], [["Li|h-BN, interface", 0.1 + 0.2]])
    assert text == 'item,value [um]\n"Li|h-BN, interface",0.30000000000000004\n'


def test_an_export_button_asks_for_a_path_and_a_failed_write_names_the_file(
        qtbot, monkeypatch, tmp_path):
    """The plots' and the cross-section's export buttons share one ask-and-write path: the
    chosen file is written (an SVG that parses); a folder that does not exist gives a
    warning naming the file, not an exception."""
    import xml.etree.ElementTree as ET
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
    from asslb_designer.ui import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    from pathlib import Path
    example = Path(__file__).resolve().parents[1] / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
    assert w.open_design(str(example), ask=False)
    button = w.findChild(QPushButton, "cross_section:export:svg")
    target = tmp_path / "section.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert ET.parse(target).getroot().tag.endswith("svg")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    missing = tmp_path / "no-such-folder" / "section.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(warned) == 1 and str(missing) in warned[0]
