"""The dark theme, chosen in File > Preferences as a user chooses it: the window's palette
turns dark with light text, and so do the plots (canvas, axes, the bars' value labels),
in the pixels of a screenshot too; back to light, everything is as before."""

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (QApplication, QComboBox, QDialogButtonBox,  # noqa: E402
                               QLabel)

from .test_app import window  # noqa: E402,F401  (the fixture)


@pytest.fixture
def themed(window):
    from asslb_designer.ui.preferences import apply_theme
    window.set_preferences(window.units, "light")   # whatever an earlier test chose
    yield window
    apply_theme("light")                      # the next test starts in the light theme


def choose_theme(qtbot, window, theme):
    """File > Preferences, theme `theme`, OK: clicked inside the dialog's own loop."""
    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        box = dialog.findChild(QComboBox, "pref:theme")
        box.setCurrentIndex(box.findData(theme))
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, answer)
    window.findChild(type(window.actions_by_name["preferences"]),
                     "action:preferences").trigger()


def lightness(colour) -> int:
    return QColor(colour).lightness()


def canvas_colour(view) -> QColor:
    return view.graphics.backgroundBrush().color()


def value_labels(view):
    import pyqtgraph as pg
    return [i for i in view.graphics.scene().items()
            if isinstance(i, pg.TextItem) and i.toPlainText()]


def test_dark_theme_from_preferences(qtbot, themed, tmp_path):
    import pyqtgraph as pg
    window = themed
    breakdowns = window.app_views["breakdowns"]
    window.show_tab("Breakdowns")
    qtbot.waitUntil(lambda: len(value_labels(breakdowns)) > 0)
    assert lightness(canvas_colour(breakdowns)) == 255            # white in the light theme

    choose_theme(qtbot, window, "dark")
    assert window.theme == "dark"
    palette = QApplication.palette()
    assert lightness(palette.color(QPalette.ColorRole.Window)) < 80
    assert lightness(palette.color(QPalette.ColorRole.WindowText)) > 200
    assert lightness(palette.color(QPalette.ColorRole.Base)) < 80
    assert lightness(palette.color(QPalette.ColorRole.Text)) > 200
    # the plots follow: a dark canvas, light axes and value labels
    assert lightness(canvas_colour(breakdowns)) < 60
    axes = [i for i in breakdowns.graphics.scene().items() if isinstance(i, pg.AxisItem)]
    assert axes and all(lightness(a.textPen().color()) > 200 for a in axes)
    labels = value_labels(breakdowns)
    assert labels and all(lightness(t.color) > 150 for t in labels)
    # a note under a plot stays legible: light grey on the dark window
    note = breakdowns.findChild(QLabel, "plot:message")
    assert "#b8b8b8" in note.styleSheet()
    # a redraw after an edit keeps the labels light
    from asslb_designer.edits import SetValues
    assert window.apply_edit(SetValues({"layer[4].thickness": "45 um"}))
    window.flush_views()
    qtbot.wait(10)
    assert all(lightness(t.color) > 150 for t in value_labels(breakdowns))
    # the pixels: the plot canvas of a screenshot is dark
    from asslb_designer.ui.app import save_screenshot
    shot = save_screenshot(window, tmp_path / "dark.png", "Breakdowns")
    from PySide6.QtGui import QImage
    image = QImage(str(shot))
    corner = breakdowns.graphics.mapTo(window, breakdowns.graphics.rect().topLeft())
    assert lightness(image.pixelColor(corner.x() + 4, corner.y() + 4)) < 60
    from asslb_designer.ui import settings
    assert settings.theme() == "dark"                              # kept for the next start

    choose_theme(qtbot, window, "light")
    assert lightness(QApplication.palette().color(QPalette.ColorRole.Window)) > 200
    assert lightness(canvas_colour(breakdowns)) == 255
    assert all(lightness(t.color) < 60 for t in value_labels(breakdowns))   # their own ink
    window.document.undo_stack.setClean()


def test_error_text_is_legible_in_the_dark_theme(qtbot, themed):
    from .test_app import type_into
    choose_theme(qtbot, themed, "dark")
    type_into(qtbot, themed, "layer[5].fractions.active", "0.7")     # the sum is 0.9
    total = themed.findChild(QLabel, "sum:layer[5].fractions")
    colour = total.styleSheet().split("color:")[1].split(";")[0].strip()
    # a light red on the dark window (#2d2d30), not the light theme's dark red
    assert lightness(colour) > 150
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    assert lightness(colour) - lightness(window_colour) > 100
    themed.document.undo_stack.setClean()


def test_a_plot_made_in_the_dark_theme_is_dark(qtbot, themed):
    from asslb_designer.ui.preferences import apply_theme
    apply_theme("dark")
    from asslb_designer.ui.plots.breakdowns import BreakdownView
    view = BreakdownView()
    qtbot.addWidget(view)
    view.show_state(themed.document.design, themed.document.result)
    assert lightness(canvas_colour(view)) < 60
    # its labels are relit on the next pass of the event loop, before anything is painted
    qtbot.waitUntil(lambda: value_labels(view) and
                    all(lightness(t.color) > 150 for t in value_labels(view)), timeout=2000)
