"""Help > About: what a user reads there (version, LGPL and where Qt's source is, the
materials sources), and the one place the version comes from."""

import tomllib
from importlib import metadata

import pytest

from .conftest import ROOT

pytest.importorskip("PySide6")

from asslb_designer import __version__  # noqa: E402
from asslb_designer.ui.about import AboutDialog, add_to_help_menu, license_folder  # noqa: E402


def test_version_has_one_place():
    # pyproject.toml holds it; the package and the installed metadata both report that one
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert __version__ == metadata.version("asslb-designer") == declared
    assert f'"{declared}"' not in (ROOT / "asslb_designer" / "__init__.py").read_text()


def test_about_shows_version_licenses_and_sources(qtbot):
    from PySide6.QtWidgets import QLabel
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.text.toPlainText()
    assert __version__ in dialog.findChild(QLabel, "about:version").text()
    assert f"ASSLB Designer {__version__}" in text
    # Qt and PySide6 under the LGPL, with where their source is
    assert text.count("LGPL-3.0-only") >= 2
    assert "https://download.qt.io/official_releases/qt/" in text
    assert "https://download.qt.io/official_releases/QtForPython/" in text
    # and the archive that keeps the source of exactly this Qt, e.g. 6.12.0 ->
    # https://download.qt.io/archive/qt/6.12/6.12.0/single/
    from PySide6.QtCore import qVersion
    major, minor, _ = qVersion().split(".")
    assert f"https://download.qt.io/archive/qt/{major}.{minor}/{qVersion()}/single/" in text
    for name in ("NumPy", "Pint", "pyqtgraph", "platformdirs"):
        assert name in text
    # the materials sources: the review first, with its DOI, then every reference
    assert "2D Materials for All-Solid-State Lithium Batteries" in text
    assert "10.1002/adma.202108079" in text
    assert text.index("[Ma2022]") < text.index("[Haynes2016]")


def test_license_texts_ship_with_the_app():
    folder = license_folder()
    assert (folder / "LGPL-3.0.txt").read_text().lstrip().startswith(
        "GNU LESSER GENERAL PUBLIC LICENSE")
    # the LGPL is a set of permissions on top of the GPL: both texts must be there
    assert "GNU GENERAL PUBLIC LICENSE" in (folder / "GPL-3.0.txt").read_text()


def test_main_window_has_help_about(qtbot, monkeypatch):
    from PySide6.QtGui import QAction
    from asslb_designer.ui import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu()}
    about = window.findChild(QAction, "action:about")
    assert about is not None and about in menus["Help"].actions()
    opened = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: opened.append(self) or 0)
    about.trigger()
    assert opened and opened[0].parent() is window
    window.document.undo_stack.setClean()


def test_help_menu_opens_about(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMainWindow
    window = QMainWindow()
    qtbot.addWidget(window)
    help_menu = window.menuBar().addMenu("&Help")
    opened = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: opened.append(self) or 0)
    action = add_to_help_menu(window)
    assert window.findChild(type(action), "action:about") is action
    assert action in help_menu.actions()          # the existing Help menu, not a second one
    action.trigger()
    assert len(opened) == 1 and opened[0].windowTitle() == "About ASSLB Designer"
