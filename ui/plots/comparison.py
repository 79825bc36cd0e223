"""Two or more designs side by side: every metric in a table (value and unit) and one
chosen metric as bars. The current design follows the editor; others are added from files
or pinned snapshots of the current one. Numbers are the engine's results, nothing else."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QLabel, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem)

from asslb_designer import evaluate, load_design
from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME, METRICS

from ..display import sig
from .base import PALETTE, PlotView, scalar, style_plot
from .sweep import pretty_unit


def format_value(value) -> str:
    if value is None:
        return "—"
    v = scalar(value)
    if not np.isfinite(v):
        return "n/a"
    return sig(v)          # the metrics panel's digits: at least four significant


class ComparisonView(PlotView):
    export_name = "comparison"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("view:comparison")
        self.entries: list[dict] = []      # {"label", "design", "result", "current"}
        self.metric_box = QComboBox()
        self.metric_box.setObjectName("comparison:metric")
        for m in METRICS:
            self.metric_box.addItem(f"{m.label} ({pretty_unit(m.unit)})", m.name)
        self.metric_box.setCurrentIndex(self.metric_box.findData("specific_energy_stack"))
        self.metric_box.currentIndexChanged.connect(lambda _: self.refresh())
        add = QPushButton("Add design file…")
        add.setObjectName("comparison:add")
        add.clicked.connect(self._ask_add)
        pin = QPushButton("Pin current design")
        pin.setObjectName("comparison:pin")
        pin.setToolTip("Keep a snapshot of the current design to compare later edits with")
        pin.clicked.connect(self.pin_current)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_selected)
        for w in (add, pin, remove, QLabel("bars:"), self.metric_box):
            self.controls.addWidget(w)
        self.controls.addStretch(1)
        self.table = QTableWidget()
        self.table.setObjectName("comparison:table")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        layout = self.layout()
        layout.removeWidget(self.graphics)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.graphics)
        splitter.setSizes([760, 500])
        layout.insertWidget(2, splitter, 1)
        self.plot = self.graphics.addPlot()
        style_plot(self.plot, "", "", "")
        self.plot.getAxis("bottom").setHeight(72)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.bars = None
        self._value_texts: list = []
        self._plot_labels = None

    # ---- the designs compared
    def draw(self, design, result) -> None:
        current = next((e for e in self.entries if e["current"]), None)
        if current is None:
            self.entries.insert(0, {"label": "current", "design": design, "result": result,
                                    "current": True})
        else:
            current.update(design=design, result=result)
        self.refresh()

    def add_design(self, design, result=None, label: str | None = None) -> None:
        result = evaluate(design) if result is None else result
        self.entries.append({"label": label or design.name, "design": design,
                             "result": result, "current": False})
        self.refresh()

    def add_file(self, path) -> None:
        try:
            design = load_design(path)
            self.add_design(design, label=design.name)
        except InputError as exc:
            self.say(f"Not added: {exc}", error=True)

    def pin_current(self) -> None:
        current = next((e for e in self.entries if e["current"]), None)
        if current is not None:
            n = sum(1 for e in self.entries if not e["current"]) + 1
            self.add_design(current["design"], current["result"], f"pinned {n}: "
                            f"{current['design'].name}")

    def _ask_add(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add designs to compare", "",
                                                "Design files (*.toml)")
        for path in paths:
            self.add_file(path)

    def _remove_selected(self) -> None:
        cols = sorted({i.column() for i in self.table.selectedIndexes()}, reverse=True)
        for col in cols:
            if 0 < col <= len(self.entries) and not self.entries[col - 1]["current"]:
                del self.entries[col - 1]
        self.refresh()

    # ---- drawing
    def labels(self) -> list[str]:
        return [e["label"] if not e["current"] else f"current: {e['design'].name}"
                for e in self.entries]

    def refresh(self) -> None:
        labels = self.labels()
        texts = [[format_value(e["result"].metrics.get(m.name)) for e in self.entries]
                 for m in METRICS]
        if labels != getattr(self, "_table_labels", None):
            self._fill_table(labels, texts)
        elif texts != self._table_texts:
            # the same designs: only values changed, set them in their cells
            for row, line in enumerate(texts):
                for col, text in enumerate(line, 1):
                    if text != self._table_texts[row][col - 1]:
                        self.table.item(row, col).setText(text)
            self.table.resizeColumnsToContents()
        self._table_texts = texts
        metric = self.metric_box.currentData()
        m = BY_NAME[metric]
        values = [e["result"].metrics.get(metric) for e in self.entries]
        heights = np.array([np.nan if v is None else scalar(v) for v in values])
        xs = np.arange(len(values), dtype=float)
        if self.bars is None or len(self._value_texts) != len(values):
            self.plot.clear()
            self.bars = pg.BarGraphItem(x=xs, height=np.nan_to_num(heights), width=0.6,
                                        brushes=[pg.mkBrush(PALETTE[i % len(PALETTE)])
                                                 for i in range(len(values))],
                                        pen=pg.mkPen("#303030", width=0.5))
            self.plot.addItem(self.bars)
            self._value_texts = []
            for x in xs:
                text = pg.TextItem("", color="#202020", anchor=(0.5, 1.0))
                self.plot.addItem(text)
                self._value_texts.append(text)
            self._plot_labels = None
        else:       # as many bars as before: new heights, no new items
            self.bars.setOpts(height=np.nan_to_num(heights))
        for text, x, h in zip(self._value_texts, xs, heights):
            text.setText("—" if np.isnan(h) else sig(h))
            text.setPos(x, 0 if np.isnan(h) else h)
        plot_labels = (tuple(labels), metric)
        if plot_labels != self._plot_labels:     # each relays the plot out
            self.plot.getAxis("bottom").setTicks(
                [[(x, _wrap(l, 16)) for x, l in zip(xs, labels)], []])
            self.plot.setLabel("left", f"{m.label} ({pretty_unit(m.unit)})")
            self.plot.setTitle(m.label, size="11pt")
            self._plot_labels = plot_labels
        top = np.nanmax(heights) if np.any(np.isfinite(heights)) else 1.0
        self.plot.setYRange(0, top * 1.15 if top > 0 else 1.0, padding=0)
        self.plot.setXRange(-0.6, len(values) - 0.4, padding=0)
        missing = [l for l, v in zip(labels, values) if v is None]
        n = len(self.entries)
        self.say(f"{n} design{'' if n == 1 else 's'}. " + (
            "— : needs cell data (electrode area and unit_cells): " + ", ".join(missing)
            if missing else "Add a design file or pin the current design to compare."))

    def _fill_table(self, labels, texts) -> None:
        self.table.clear()
        self.table.setColumnCount(len(labels) + 1)
        self.table.setRowCount(len(METRICS))
        self.table.setHorizontalHeaderLabels(["unit"] + [_wrap(l, 18) for l in labels])
        self.table.setVerticalHeaderLabels([m.label for m in METRICS])
        for row, m in enumerate(METRICS):
            unit = QTableWidgetItem(pretty_unit(m.unit))
            unit.setToolTip(m.description)
            self.table.setItem(row, 0, unit)
            for col, text in enumerate(texts[row], 1):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._table_labels = labels

    def data_table(self):
        header = ["metric", "unit"] + self.labels()
        rows = []
        for m in METRICS:
            row = [m.name, m.unit]
            for e in self.entries:
                v = e["result"].metrics.get(m.name)
                row.append("" if v is None else scalar(v))
            rows.append(row)
        return header, rows


def _wrap(label: str, width: int = 22) -> str:
    words, lines, line = label.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines[:4])
