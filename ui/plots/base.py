"""The common frame of every plot view: a toolbar (export PNG, SVG, CSV) above the plot."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from .. import export

pg.setConfigOptions(background="w", foreground="k", antialias=True)

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
        self.message.setStyleSheet("color: #505050")
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
        filters = {"png": "PNG image (*.png)", "svg": "SVG image (*.svg)",
                   "csv": "CSV data (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self, f"Export {kind.upper()}",
                                              f"{self.export_name}.{kind}", filters[kind])
        if not path:
            return
        try:
            getattr(self, f"export_{kind}")(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"{path}: {exc.strerror or exc}")

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b02020" if error else "color: #505050")


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
