"""The common frame of every plot view: a toolbar (export PNG, SVG, CSV) above the plot."""

from __future__ import annotations

import weakref
from pathlib import Path

import numpy as np

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .. import export, preferences

# Plot colours of each theme: canvas, axes and text ("foreground"), the note under a plot
THEME_COLOURS = {
    "light": {"background": "#ffffff", "foreground": "#000000", "message": "#505050",
              "error": preferences.ERROR_TEXT["light"], "stale": "#9a5b00"},
    "dark": {"background": "#1e1e20", "foreground": "#e6e6e6", "message": "#b8b8b8",
             "error": preferences.ERROR_TEXT["dark"], "stale": "#f0b050"},
}
DARK_INK_BELOW = 110      # dark theme: text darker than this lightness (0-255) is relit
_theme = {"name": preferences.current}
_views: "weakref.WeakSet[PlotView]" = weakref.WeakSet()


def theme_colours() -> dict:
    return THEME_COLOURS[_theme["name"]]


def set_theme(name: str) -> None:
    """Colour every plot for `name` ("light" or "dark"): those made from now on (pyqtgraph's
    defaults) and those on screen (`PlotView.apply_theme`)."""
    _theme["name"] = name if name in THEME_COLOURS else "light"
    c = theme_colours()
    pg.setConfigOptions(background=c["background"], foreground=c["foreground"])
    from shiboken6 import isValid
    for view in list(_views):
        if isValid(view) and isValid(view.graphics):      # not a closed window's
            view.apply_theme()


pg.setConfigOptions(antialias=True)
set_theme(preferences.current)

BULK_COLOUR = "#4d79a8"
INTERFACE_COLOUR = "#d1743b"
PALETTE = ["#4d79a8", "#d1743b", "#5a9e5a", "#b6493f", "#8a6bb0", "#8c6d52", "#c86fae",
           "#7a7a7a", "#b3a52f", "#3fa5b6"]


def style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str) -> None:
    """Title and axis labels (with units) in a legible size."""
    plot.setTitle(title, size="11pt")
    for axis, text in (("bottom", x_label), ("left", y_label)):
        plot.setLabel(axis, text, **{"font-size": "10pt"})
        plot.getAxis(axis).setStyle(tickFont=_font(9))
        plot.getAxis(axis).enableAutoSIPrefix(False)   # units are in the label, never scaled
        # major and one level of minor ticks: the finest grid cost most of a redraw
        plot.getAxis(axis).setStyle(maxTickLevel=1)
    plot.showGrid(x=True, y=True, alpha=0.25)


def _font(size: int):
    from PySide6.QtGui import QFont
    f = QFont()
    f.setPointSize(size)
    return f


class PlotView(QWidget):
    """Base of the plot views. Subclasses fill `self.graphics` and implement
    `data_table() -> (header, rows)`; a header names each column with its unit."""

    export_name = "plot"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.message = QLabel("")
        self.message.setObjectName("plot:message")
        self.message.setWordWrap(True)
        self._message_error = False
        self.toolbar = QHBoxLayout()
        self.controls = QHBoxLayout()     # a view's own controls, on the row above
        self.toolbar.addStretch(1)
        for label, kind in (("Export PNG…", "png"), ("Export SVG…", "svg"),
                            ("Export CSV…", "csv")):
            button = QPushButton(label)
            button.setObjectName(f"export:{kind}")
            button.clicked.connect(lambda _=False, k=kind: self._ask_export(k))
            self.toolbar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.controls)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.message)
        self._restyling = False
        _views.add(self)
        # what a view draws later (bars' value labels, a legend, a study's result) is
        # coloured for the theme as soon as it is in the scene
        self.graphics.scene().changed.connect(self._scene_changed)
        self.apply_theme()

    # ---- the theme
    def apply_theme(self) -> None:
        """The canvas, axes, titles and text of this plot in the current theme's colours."""
        c = theme_colours()
        self.graphics.setBackground(c["background"])
        self.message.setStyleSheet(f"color: {c['error' if self._message_error else 'message']}")
        self._restyle()

    def _scene_changed(self, _regions=None) -> None:
        if _theme["name"] != "light" and not self._restyling:
            self._restyle()

    def _restyle(self) -> None:
        """Items' colours for the theme. In the dark theme, text and lines drawn in a dark
        ink (labels written for a white canvas) take the light foreground; back in the
        light theme they take their own colour again. Only what differs is set, so a pass
        after a pass changes nothing (no endless scene updates)."""
        from PySide6.QtGui import QColor
        self._restyling = True
        try:
            dark = _theme["name"] == "dark"
            fg = QColor(theme_colours()["foreground"])
            for item in self.graphics.scene().items():
                if isinstance(item, pg.AxisItem):
                    if item.pen().color() != fg:
                        item.setPen(fg)
                    if item.textPen().color() != fg:
                        item.setTextPen(fg)
                elif isinstance(item, pg.LabelItem):
                    _relight(item, lambda i: QColor(i.opts.get("color") or "#000000"),
                             lambda i, col: i.setText(i.text, color=col.name()), dark, fg)
                elif isinstance(item, pg.TextItem):
                    _relight(item, lambda i: QColor(i.color), lambda i, col: i.setColor(col),
                             dark, fg)
                elif isinstance(item, pg.InfiniteLine):
                    _relight(item, lambda i: i.pen.color(),
                             lambda i, col: i.setPen(pg.mkPen(col, width=i.pen.widthF(),
                                                              style=i.pen.style())), dark, fg)
        finally:
            self._restyling = False

    # ---- the view contract
    _pending = None

    def show_state(self, design, result) -> None:
        """Draw the state now, or, on a hidden tab of a shown window, when the tab is next
        shown: only the plot a user looks at redraws on each edit."""
        if self.window().isVisible() and not self.isVisible():
            self._pending = (design, result)
            return
        self._pending = None
        self.draw(design, result)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending is not None:
            design, result = self._pending
            self._pending = None
            self.draw(design, result)

    # ---- to override
    def draw(self, design, result) -> None:
        raise NotImplementedError

    def data_table(self) -> tuple[list[str], list[list]]:
        return [], []

    # ---- export
    def export_png(self, path) -> Path:
        return export.export_png(self.graphics, path)

    def export_svg(self, path) -> Path:
        return export.export_svg(self.graphics, path, self.export_name)

    def export_csv(self, path) -> Path:
        header, rows = self.data_table()
        return export.export_csv(header, rows, path)

    def _ask_export(self, kind: str) -> None:
        export.ask_and_export(self, kind, self.export_name)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self._message_error = error
        self.message.setStyleSheet(
            f"color: {theme_colours()['error' if error else 'message']}")


def _relight(item, colour_of, set_colour, dark: bool, fg) -> None:
    """Dark theme: a dark-inked item takes `fg`, remembering its own colour; light theme:
    an item relit before takes its own colour back."""
    own = getattr(item, "_own_colour", None)
    if dark:
        colour = colour_of(item)
        if own is None and colour.lightness() < DARK_INK_BELOW:
            item._own_colour = colour
            set_colour(item, fg)
    elif own is not None:
        item._own_colour = None
        set_colour(item, own)


def scalar(x) -> float:
    import numpy as np
    arr = np.asarray(x, dtype=float)
    return float(arr.ravel()[0]) if arr.ndim else float(arr)


ALIGN_LEFT = Qt.AlignLeft


class LogAxis(pg.AxisItem):
    """A log-mode axis that labels 1, 2 and 5 of each decade as plain numbers ("20", "500",
    "1e-05"), leaving the other minor ticks unlabelled so labels never run together."""

    def tickStrings(self, values, scale, spacing):
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        out = []
        span = abs(self.range[1] - self.range[0])
        shown = range(1, 10) if span < 1.3 else (1.0, 2.0, 5.0)   # a narrow range: all
        for v in values:
            x = 10.0 ** v
            mantissa = x / 10.0 ** np.floor(np.log10(x) + 1e-9)
            if min(abs(mantissa - m) for m in shown) > 0.02:
                out.append("")
            elif 1e-3 <= x < 1e5:
                out.append(f"{x:g}")
            else:
                out.append(f"{x:.0e}".replace("e-0", "e-").replace("e+0", "e"))
        return out


def log_axes(*names: str) -> dict:
    return {name: LogAxis(name) for name in names}
