"""A 1-D sweep: any numeric value of the design against any metric, through the engine's
one vectorized path: the sweep is a one-key grid study (`asslb_designer.studies.sweep.run`),
each chunk of designs one `Design.with_values` with an array and one `evaluate`.

Up to `INLINE_POINTS` designs (a few ms) evaluate on the GUI thread at once; a longer sweep
(up to `MAX_POINTS`) runs on the view's `worker.Runner`, in about 40 chunks, with its
progress and a Cancel button in the main window's status bar (ui/progress.py). A new edit
or a new range cancels the sweep in hand and starts afresh; a cancelled or stale sweep's
result is never drawn, the plot keeps the last one finished.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPushButton

from asslb_designer.design import DEFAULTS, value_kind
from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME, METRICS
from asslb_designer.studies import params
from asslb_designer.studies.sampling import Grid, Plan, Varied
from asslb_designer.studies.sweep import Study, check_ranges, run as run_study
from asslb_designer.units import KINDS, Quantity, UnitProblem, to_internal

from .. import export
from ..display import pretty_unit  # noqa: F401  (the app's one unit spelling; re-exported)
from ..worker import Runner
from .base import PlotView, style_plot

MAX_POINTS = 1_000_000
INLINE_POINTS = 10_000         # on the GUI thread: about 5 ms of evaluation (bench_views.py)
PROGRESS_STEPS = 40            # a worker sweep reports this many times
MIN_CHUNK = INLINE_POINTS      # designs per chunk, at least (each chunk one evaluate)
DRAWN_POINTS = 10_000          # a longer sweep draws its envelope (drawn_points)
DISPLAY_UNITS = {"temperature": "degC"}      # otherwise the engine's internal unit


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u2009")          # 1 000 000, thin spaces


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


def sweep_study(design, key: str, start: float, stop: float, points: int, metric: str,
                library=None, log: bool = False) -> Study:
    """The sweep as the engine's study: `points` values of `key` from start to stop
    (internal unit; log-spaced if `log`), the one metric, in chunks of about
    points / PROGRESS_STEPS designs. A range the key does not allow (a negative thickness)
    is an InputError naming the key, before anything is evaluated."""
    if not 2 <= points <= MAX_POINTS:
        raise ValueError(f"points: between 2 and {_count(MAX_POINTS)}")
    if log and (start <= 0 or stop <= 0):
        raise ValueError("a log-spaced range needs positive bounds")
    plan = Plan((Varied(key, Grid(start, stop, points, log), "from/to"),), "grid")
    chunk = max(MIN_CHUNK, -(-points // PROGRESS_STEPS))
    study = Study(design, library, plan, [metric], chunk=chunk)
    check_ranges(study)
    return study


def sweep_values(study: Study, stop=None, progress=None):
    """x (the key's internal unit) and the metric (its unit) over the study's grid, chunk by
    chunk; `progress(done, total)` after each chunk. Stops between chunks when
    `stop.requested` (then None: a part of a sweep is never shown)."""
    (key,) = study.keys
    x_column = params.key_column(key, study.design)
    y_column = params.metric_column(study.metrics[0])
    xs, ys = [], []

    def on_chunk(table):
        xs.append(table[x_column])
        ys.append(table[y_column])
        if progress is not None:
            progress(sum(len(x) for x in xs), study.plan.size)

    report = run_study(study, on_chunk=on_chunk, progress=False, stop=stop)
    if report.interrupted or report.rows < study.plan.size:
        return None
    return np.concatenate(xs), np.concatenate(ys)


def drawn_points(y, limit: int = DRAWN_POINTS) -> np.ndarray:
    """Indices of the points the curve of `y` draws: all of them up to `limit`; beyond,
    in each of limit/3 bins of consecutive points, its lowest and highest finite point and
    its first non-finite one (where the line breaks): the envelope a screen can show, every
    drawn point one the engine computed. (Drawing 10^6 points took the GUI thread ~100 ms
    per repaint; the envelope is found on the worker thread.)"""
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n <= limit:
        return np.arange(n)
    bins = limit // 3
    k = -(-n // bins)
    pad = bins * k - n
    finite = np.isfinite(y)
    low = np.pad(np.where(finite, y, np.inf), (0, pad), constant_values=np.inf)
    high = np.pad(np.where(finite, y, -np.inf), (0, pad), constant_values=-np.inf)
    bad = np.pad(~finite, (0, pad), constant_values=False).reshape(bins, k)
    start = np.arange(bins) * k
    some = np.pad(finite, (0, pad), constant_values=False).reshape(bins, k).any(axis=1)
    picks = [np.array([0, n - 1]),
             (start + low.reshape(bins, k).argmin(axis=1))[some],
             (start + high.reshape(bins, k).argmax(axis=1))[some],
             (start + bad.argmax(axis=1))[bad.any(axis=1)]]
    return np.unique(np.concatenate(picks))


def with_envelope(values):
    """(x, y, the indices drawn) of a finished sweep's (x, y); None stays None."""
    if values is None:
        return None
    x, y = values
    return x, y, drawn_points(y)


def sweep(design, key: str, start: float, stop: float, points: int, metric: str,
          library=None, log: bool = False):
    """x (internal unit) and the metric (its unit) over the range, on this thread."""
    return sweep_values(sweep_study(design, key, start, stop, points, metric, library, log))


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
            edit.setMinimumWidth(96)
            edit.setToolTip("A value with its unit, e.g. '10 um' or '0.01 mm'; a bare number "
                            "is read in the unit shown")
        self.key_box.setMinimumWidth(260)
        self.points = QLineEdit("200")
        self.points.setObjectName("sweep:points")
        self.points.setMaximumWidth(88)
        self.points.setToolTip(f"2 to {MAX_POINTS:,}".replace(",", "\u2009") + "; more than "
                               f"{INLINE_POINTS:,}".replace(",", "\u2009") + " run on a worker "
                               "thread, with progress and Cancel in the status bar")
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
        self.runner = Runner(self)            # the long sweeps; its progress: ui/progress.py
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.export_runner = Runner(self)     # the CSV of a long sweep
        self.export_runner.finished.connect(self._csv_written)
        self.export_runner.failed.connect(
            lambda reason: self.say(f"CSV not written: {reason}", error=True))
        self.export_runner.cancelled.connect(
            lambda: self.say("CSV export cancelled; no file written."))
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
        """Sweep with the controls as they stand: at once up to INLINE_POINTS designs,
        else on the worker thread. Either way the sweep in hand, if any, is cancelled."""
        key = self.key_box.currentData()
        metric = self.metric_box.currentData()
        if self.design is None or key is None:
            return
        kind = self.kinds[key]
        log = self.log_box.isChecked()
        try:
            start = parse_bound(self.start.text(), kind)
            stop = parse_bound(self.stop.text(), kind)
            try:
                points = int(self.points.text())
            except ValueError:
                raise ValueError("points: a whole number") from None
            if self.result.metrics.get(metric) is None:
                raise ValueError(f"{metric} needs cell data (electrode area and unit_cells)")
            study = sweep_study(self.design, key, start, stop, points, metric,
                                self.result.library, log)
        except (InputError, UnitProblem, ValueError) as exc:
            self.runner.cancel()
            self.say(f"Sweep not run: {exc}", error=True)
            return
        context = (key, kind, metric, log, self.design, self.result, len(study.chunks()))
        if points <= INLINE_POINTS:
            self.runner.cancel()
            self._draw(with_envelope(sweep_values(study)), context)
            return
        self.say(f"Sweeping {_count(points)} designs on a worker thread (progress and Cancel "
                 "in the status bar); the plot shows the last sweep until it is done…")
        self.runner.start(lambda job: (with_envelope(sweep_values(study, job.stop,
                                                                  job.progress)), context))

    def _finished(self, outcome) -> None:
        values, context = outcome
        if values is not None:
            self._draw(values, context)

    def _failed(self, reason: str) -> None:
        self.say(f"Sweep not run: {reason}", error=True)

    def _cancelled(self) -> None:
        self.say("Sweep cancelled; the plot shows the last sweep finished.")

    def _draw(self, values, context) -> None:
        x, y, drawn = values
        key, kind, metric, log, design, result, chunks = context
        self.x, self.y = x, y                 # every point: the CSV
        self.curve.setData(to_display(x[drawn], kind), y[drawn], connect="finite")
        current = result.metrics.get(metric)
        v = float(np.asarray(design.value(key)).ravel()[0])
        if current is not None:
            self.marker.setData([float(to_display(v, kind))],
                                [float(np.asarray(current).ravel()[0])])
        else:
            self.marker.setData([], [])
        m = BY_NAME[metric]
        unit = pretty_unit(display_unit(kind))
        labels = (key + (f" ({unit})" if unit else ""), f"{m.label} ({pretty_unit(m.unit)})",
                  f"{m.label} against {key}", log)
        if labels != getattr(self, "_labels", None):   # each relays the plot out
            self.plot.setLabel("bottom", labels[0])
            self.plot.setLabel("left", labels[1])
            self.plot.setTitle(labels[2], size="11pt")
            self.plot.setLogMode(x=labels[3], y=False)
            self._labels = labels
        self._plotted = (key, kind, metric)
        bad = int(np.sum(~np.isfinite(y)))
        how = "in one evaluation" if chunks == 1 else f"in {chunks} vectorized evaluations"
        self.say(f"{_count(len(x))} designs {how}. Orange point: the current design."
                 + (f" {bad} points have no finite value (e.g. the ohmic loss exceeds the "
                    "voltage) and are left out." if bad else ""))

    def _csv_header(self) -> list[str]:
        key, kind, metric = self._plotted       # what the plot shows, not the boxes
        unit = display_unit(kind)
        return [f"{key} [{unit or 'dimensionless'}]", f"{metric} [{BY_NAME[metric].unit}]"]

    def data_table(self):
        if not len(self.x):
            return [], []
        kind = self._plotted[1]
        return self._csv_header(), [[float(a), float(b)]
                                    for a, b in zip(to_display(self.x, kind), self.y)]

    def export_csv(self, path):
        """Every point of the sweep as CSV: at once up to INLINE_POINTS rows (returns the
        path); a longer sweep's rows on a worker thread, with progress and Cancel in the
        status bar (returns None; the message under the plot says when it is written)."""
        if len(self.x) <= INLINE_POINTS:
            return super().export_csv(path)
        work = export.csv_work(self._csv_header(), (to_display(self.x, self._plotted[1]),
                                                    self.y), path)
        self.say(f"Writing {_count(len(self.x))} rows to {Path(path).name} on a worker "
                 "thread…")
        self.export_runner.start(work, discard=export.discard_all)
        return None

    def _csv_written(self, written) -> None:
        try:
            (path,) = export.commit(written)
        except OSError as exc:
            self.say(f"CSV not written: {exc}", error=True)
            return
        self.say(f"CSV written: {path}")
