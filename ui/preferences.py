"""Preferences: display units for thickness, loading and energy; light or dark theme."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel)

from .display import ENERGY_UNITS, LOADING_UNITS, THICKNESS_UNITS, DisplayUnits, pretty_unit

THEMES = ("light", "dark")
current = "light"          # the theme applied last; plots read it when they are made
# red text legible on each theme's window colour (#b02020 on the dark grey was not)
ERROR_TEXT = {"light": "#b02020", "dark": "#ff8080"}


def error_text_colour() -> str:
    """The colour of an error message in the current theme (read it when setting one)."""
    return ERROR_TEXT[current]


def apply_theme(name: str, app: QApplication | None = None) -> None:
    """The application's palette (Fusion style) and, once the plotting module is loaded,
    every plot's colours (ui/plots/base.py: canvas, axes, titles, labels)."""
    global current
    app = app or QApplication.instance()
    if app is None:
        return
    current = "dark" if name == "dark" else "light"
    app.setStyle("Fusion")
    if name != "dark":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(dark_palette())
    plots = sys.modules.get(f"{__package__}.plots.base")   # pyqtgraph stays off the start path
    if plots is not None:
        plots.set_theme(current)


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 30, 32), QColor(45, 45, 48), QColor(230, 230, 230)
    for role, color in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, window),
                        (QPalette.ColorRole.ToolTipBase, window), (QPalette.ColorRole.ToolTipText, text),
                        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, window),
                        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.BrightText, QColor("red")),
                        (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
                        (QPalette.ColorRole.HighlightedText, QColor("black")),
                        (QPalette.ColorRole.PlaceholderText, QColor(140, 140, 140)),
                        (QPalette.ColorRole.Mid, QColor(150, 150, 150))):
        p.setColor(role, color)
    # Disabled controls: grey text on the same dark ground, so a greyed-out button reads
    # as unavailable (without this group they look exactly like enabled ones).
    disabled, grey = QPalette.ColorGroup.Disabled, QColor(120, 120, 124)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.HighlightedText):
        p.setColor(disabled, role, grey)
    p.setColor(disabled, QPalette.ColorRole.Button, QColor(40, 40, 43))
    # links (the Materials browser's DOIs): Qt's default dark blue is unreadable on dark
    p.setColor(QPalette.ColorRole.Link, QColor(110, 180, 255))
    p.setColor(QPalette.ColorRole.LinkVisited, QColor(190, 150, 255))
    p.setColor(disabled, QPalette.ColorRole.Base, QColor(38, 38, 40))
    return p


class PreferencesDialog(QDialog):
    def __init__(self, units: DisplayUnits, theme: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferences")
        form = QFormLayout(self)
        form.addRow(QLabel("Display units (fields accept any compatible unit):"))
        self.thickness = self._combo("pref:thickness", THICKNESS_UNITS, units.thickness)
        self.loading = self._combo("pref:loading", LOADING_UNITS, units.loading)
        self.energy = self._combo("pref:energy", tuple(ENERGY_UNITS), units.energy, pretty=False)
        self.theme = self._combo("pref:theme", THEMES, theme, pretty=False)
        form.addRow("thickness", self.thickness)
        form.addRow("loading (areal mass)", self.loading)
        form.addRow("energy", self.energy)
        form.addRow("theme", self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _combo(self, name, options, current, pretty=True):
        box = QComboBox(self)
        box.setObjectName(name)
        for o in options:
            box.addItem(pretty_unit(o) if pretty else o, o)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def chosen(self) -> tuple[DisplayUnits, str]:
        return (DisplayUnits(self.thickness.currentData(), self.loading.currentData(),
                             self.energy.currentData()), self.theme.currentData())
