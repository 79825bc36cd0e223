"""A 1-D sweep: any numeric value of the design against any metric, in ONE vectorized
evaluation (`Design.with_values` with an array, then `evaluate`). 100 000 points evaluate
in about 15 ms on the project's 2-core machine, so the sweep runs on the GUI thread; more
points than that are refused."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton

from asslb_designer import evaluate
from asslb_designer.design import DEFAULTS, value_kind
from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME, METRICS
from asslb_designer.units import KINDS, Quantity, UnitProblem, to_internal

from ..display import pretty_unit  # noqa: F401  (the app's one unit spelling; re-exported)
from .base import PlotView, style_plot

MAX_POINTS = 100_000
DISPLAY_UNITS = {"temperature": "degC"}      # otherwise the engine's internal unit


def numeric_keys(design) -> list[tuple[str, str]]:
    """(key, quantity kind) of every number of the design that a sweep may vary."""
    keys = list(design.values) + [k for k in DEFAULTS if k not in design.values]
    out = []
    for key in keys:
        value = design.values.get(key)
        if value is not None and np.ndim(value) != 0:
            continue
        try:
            out.append((key, value_kind(design, key)))
        except InputError:
            continue
    return out


def display_unit(kind: str) -> str:
    return DISPLAY_UNITS.get(kind, KINDS[kind].internal)


def to_display(values, kind: str):
    unit = display_unit(kind)
    internal = KINDS[kind].internal
    if not internal or unit == internal:
        return np.asarray(values, dtype=float)
    return Quantity(np.asarray(values, dtype=float), internal).m_as(unit)


def parse_bound(text: str, kind: str) -> float:
    """A range bound typed by the user ("10 um", "0.01 mm", or a bare number in the display
    unit), in the engine's internal unit."""
    text = text.strip()
    try:
        float(text)
        bare = True
    except ValueError:
        bare = False
    unit = display_unit(kind)
    if bare and unit and kind not in ("dimensionless", "c_rate"):
        text = f"{text} {unit}"
    return to_internal(text, kind)


def sweep(design, key: str, start: float, stop: float, points: int, metric: str,
          library=None, log: bool = False):
    """x (internal unit) and the metric (its unit) over the range: one evaluate call."""
    if not 2 <= points <= MAX_POINTS:
        raise ValueError(f"points: between 2 and {MAX_POINTS}")
    if log:
        if start <= 0 or stop <= 0:
            raise ValueError("a log-spaced range needs positive bounds")
        x = np.geomspace(start, stop, points)
    else:
        x = np.linspace(start, stop, points)
    kind = value_kind(design, key)
    unit = KINDS[kind].internal
    value = x if not unit or kind == "c_rate" else Quantity(x, unit)
    result = evaluate(design.with_values({key: value}), library)
    y = result.metrics.get(metric)
    if y is None:
        raise ValueError(f"{metric} needs cell data (electrode area and unit_cells)")
    return x, np.asarray(y, dtype=float), result


class SweepView(PlotView):
    export_name = "sweep"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("view:sweep")
        self.design = None
        self.result = None
        self.key_box = QComboBox()
        self.key_box.setObjectName("sweep:key")
        self.key_box.setToolTip("The value of the design to vary (its design key)")
        self.metric_box = QComboBox()
        self.metric_box.setObjectName("sweep:metric")
        for m in METRICS:
            self.metric_box.addItem(f"{m.label} ({pretty_unit(m.unit)})", m.name)
            self.metric_box.setItemData(self.metric_box.count() - 1, m.description,
                                        pg.QtCore.Qt.ToolTipRole)
        self.start = QLineEdit()
        self.start.setObjectName("sweep:from")
        self.stop = QLineEdit()
        self.stop.setObjectName("sweep:to")
        for edit in (self.start, self.stop):
            edit.setMinimumWidth(110)
            edit.setToolTip("A value with its unit, e.g. '10 um' or '0.01 mm'; a bare number "
                            "is read in the unit shown")
        self.key_box.setMinimumWidth(260)
        self.points = QLineEdit("200")
        self.points.setObjectName("sweep:points")
        self.points.setMaximumWidth(70)
        self.log_box = QCheckBox("log spacing")
        self.run_button = QPushButton("Sweep")
        self.run_button.setObjectName("sweep:run")
        for label, widget in (("vary", self.key_box), ("from", self.start), ("to", self.stop),
                              ("points", self.points), (None, self.log_box),
                              ("metric", self.metric_box), (None, self.run_button)):
            if label:
                self.controls.addWidget(QLabel(label))
            self.controls.addWidget(widget)
        self.controls.addStretch(1)
        self.metric_box.setCurrentIndex(self.metric_box.findData("specific_energy_stack"))
        self.key_box.currentIndexChanged.connect(self._default_range)
        self.run_button.clicked.connect(self.run)
        for edit in (self.start, self.stop, self.points):
            edit.returnPressed.connect(self.run)
        self.metric_box.currentIndexChanged.connect(lambda _: self.run())
        self.plot = self.graphics.addPlot()
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#4d79a8", width=2))
        self.marker = pg.ScatterPlotItem(size=11, brush=pg.mkBrush("#d1743b"),
                                         pen=pg.mkPen("#202020"))
        self.plot.addItem(self.marker)
        style_plot(self.plot, "Sweep", "", "")
        self.x = np.array([])
        self.y = np.array([])
        self.kinds: dict[str, str] = {}
        self._structure = None

    def draw(self, design, result) -> None:
        # the same stack keeps the user's key and range; another stack starts afresh
        structure = tuple((layer.role, layer.label) for layer in design.layers)
        old_key = self.key_box.currentData() if structure == self._structure else None
        self._structure = structure
        self.design, self.result = design, result
        keys = numeric_keys(design)
        self.kinds = dict(keys)
        layers = {layer.key: f"{layer.role.replace('_', ' ')} {layer.label}"
                  for layer in design.layers}
        items = []
        for key, kind in keys:
            unit = pretty_unit(display_unit(kind))
            where = layers.get(key.split(".")[0])
            items.append((f"{key}" + (f" [{where}]" if where else "")
                          + (f" ({unit})" if unit else ""), key))
        self.key_box.blockSignals(True)
        # an edit of a value keeps the same list: refill the box only when it changed
        if items != getattr(self, "_items", None) or old_key is None:
            self.key_box.clear()
            for text, key in items:
                self.key_box.addItem(text, key)
            self._items = items
        index = self.key_box.findData(old_key) if old_key else -1
        if index < 0:
            index = max(0, self.key_box.findData("layer[1].thickness"))
            for preferred in ("separator", "cathode"):
                for layer in design.layers:
                    if layer.role == preferred:
                        k = f"{layer.key}.{layer.sizing or 'thickness'}"
                        if self.key_box.findData(k) >= 0:
                            index = self.key_box.findData(k)
                            break
                else:
                    continue
                break
        self.key_box.setCurrentIndex(index)
        self.key_box.blockSignals(False)
        if old_key is None or old_key != self.key_box.currentData() or not self.start.text():
            self._default_range()
        else:
            self.run()

    def set_key(self, key: str) -> None:
        self.key_box.setCurrentIndex(self.key_box.findData(key))

    def set_metric(self, metric: str) -> None:
        self.metric_box.setCurrentIndex(self.metric_box.findData(metric))

    def _default_range(self, *_):
        key = self.key_box.currentData()
        if key is None or self.design is None:
            return
        kind = self.kinds[key]
        value = float(np.asarray(self.design.value(key)).ravel()[0])
        shown = float(to_display(value, kind))
        unit = display_unit(kind)
        if kind == "temperature":
            low, high = shown - 25.0, shown + 35.0
        elif kind == "dimensionless" and 0 < value < 1:
            low, high = value * 0.5, min(0.99, value * 1.5)
        elif value == 0:
            low, high = 0.0, 1.0
        else:
            low, high = shown * 0.5, shown * 1.5
        suffix = f" {unit}" if unit and kind not in ("dimensionless", "c_rate") else ""
        self.start.setText(f"{low:.4g}{suffix}")
        self.stop.setText(f"{high:.4g}{suffix}")
        self.run()

    def run(self) -> None:
        key = self.key_box.currentData()
        metric = self.metric_box.currentData()
        if self.design is None or key is None:
            return
        kind = self.kinds[key]
        try:
            start = parse_bound(self.start.text(), kind)
            stop = parse_bound(self.stop.text(), kind)
            points = int(self.points.text())
            x, y, _ = sweep(self.design, key, start, stop, points, metric, self.result.library,
                            self.log_box.isChecked())
        except (InputError, UnitProblem, ValueError) as exc:
            self.say(f"Sweep not run: {exc}", error=True)
            return
        self.x, self.y = x, y
        xs = to_display(x, kind)
        self.curve.setData(xs, y, connect="finite")
        current = self.result.metrics.get(metric)
        v = float(np.asarray(self.design.value(key)).ravel()[0])
        if current is not None:
            self.marker.setData([float(to_display(v, kind))],
                                [float(np.asarray(current).ravel()[0])])
        else:
            self.marker.setData([], [])
        m = BY_NAME[metric]
        unit = pretty_unit(display_unit(kind))
        labels = (key + (f" ({unit})" if unit else ""), f"{m.label} ({pretty_unit(m.unit)})",
                  f"{m.label} against {key}", self.log_box.isChecked())
        if labels != getattr(self, "_labels", None):   # each relays the plot out
            self.plot.setLabel("bottom", labels[0])
            self.plot.setLabel("left", labels[1])
            self.plot.setTitle(labels[2], size="11pt")
            self.plot.setLogMode(x=labels[3], y=False)
            self._labels = labels
        bad = int(np.sum(~np.isfinite(y)))
        self.say(f"{points} designs in one evaluation. Orange point: the current design."
                 + (f" {bad} points have no finite value (e.g. the ohmic loss exceeds the "
                    "voltage) and are left out." if bad else ""))

    def data_table(self):
        key = self.key_box.currentData()
        metric = self.metric_box.currentData()
        if key is None or not len(self.x):
            return [], []
        kind = self.kinds[key]
        unit = display_unit(kind)
        header = [f"{key} [{unit or 'dimensionless'}]", f"{metric} [{BY_NAME[metric].unit}]"]
        return header, [[float(a), float(b)] for a, b in zip(to_display(self.x, kind), self.y)]
