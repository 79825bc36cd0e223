"""2-D map: a metric over a full grid of two inputs (colour), with the contour line where
it equals a target. Either axis may be log-spaced (its "log" box): the grid is then even in
log10 of the value, and so is the axis. The grid runs through the engine's chunked study
(`studies.sweep.run`), on the runner's worker thread; each chunk is one vectorized
evaluation."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QLineEdit

from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME
from asslb_designer.studies import params
from asslb_designer.studies.inverse import parse_target
from asslb_designer.studies.sampling import Grid, Plan, Varied
from asslb_designer.studies.study_file import check_grid
from asslb_designer.studies.sweep import Study

from ..base import log_axes, style_plot
from ..sweep import pretty_unit, to_display
from .panel import (InputPicker, StudyPanel, key_label, metric_label, progress_chunk,
                    run_collecting)

MAX_PER_AXIS = 400


class Map2DPanel(StudyPanel):
    title = "2-D map"
    export_name = "map2d"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("study:map2d")
        self.input_pair(("map:x", "map:y"),
                        "The input on this axis (a key of `asslb-designer params`)")
        self.points = self.line("map:points", "40", 50, "grid points per axis")
        self.points.setMaximumWidth(60)
        self.metric_choice = self.metric_box("map:metric")
        self.target = self.line("map:target", "", 120, "contour line of this value of the "
                                "metric, with its unit (e.g. '400 W*h/kg'); empty: none")
        self.add_controls(*self.x_input.controls("x"), *self.y_input.controls("y"))
        self.second_row(("points per axis", self.points), ("colour", self.metric_choice),
                        ("contour at", self.target))
        self.metric_choice.currentIndexChanged.connect(lambda _: self._default_target())
        self.plot = self.graphics.addPlot(axisItems=log_axes("bottom", "left"))
        style_plot(self.plot, "2-D map", "", "")
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.plot.addItem(self.image)
        self.iso = pg.IsocurveItem(level=0, pen=pg.mkPen("w", width=2.5))
        self.plot.addItem(self.iso)
        self.iso.setZValue(10)
        self.marker = pg.ScatterPlotItem(size=12, symbol="star", brush=pg.mkBrush("#d1743b"),
                                         pen=pg.mkPen("#202020"))
        self.marker.setZValue(11)
        self.plot.addItem(self.marker)
        self.colour_bar = pg.ColorBarItem(values=(0, 1), colorMap="viridis", interactive=False,
                                          width=18)
        self.colour_bar.setImageItem(self.image, insert_in=self.plot)
        self.x = self.y = self.z = None
        self._target_metric = None

    # ---- controls
    def update_controls(self) -> None:
        self.x_input.update()
        self.y_input.update()
        self.fill_metrics(self.metric_choice, self.default_metric)
        if not self.target.text() or self.metric_choice.currentData() != self._target_metric:
            self._default_target(run=False)

    def _default_target(self, run: bool = True) -> None:
        metric = self.metric_choice.currentData()
        if metric is None or self.result is None:
            return
        value = float(np.asarray(self.result.metrics[metric]).ravel()[0])
        self._target_metric = metric
        if np.isfinite(value):
            unit = params.unit_label(BY_NAME[metric].unit)
            self.target.setText(f"{float(f'{value:.2g}'):g}"
                                + (f" {pretty_unit(unit)}" if unit != "1" else ""))
        if run:
            self.run()

    @staticmethod
    def grid_of(picker: InputPicker, count: int, where: str) -> Varied:
        key, start, stop, log = picker.range(where)
        return Varied(key, check_grid(Grid(start, stop, count, log), None, where), where)

    def prepare(self):
        try:
            count = int(self.points.text())
        except ValueError:
            raise InputError(None, "points", "a whole number") from None
        if not 2 <= count <= MAX_PER_AXIS:
            raise InputError(None, "points", f"between 2 and {MAX_PER_AXIS} per axis")
        vx = self.grid_of(self.x_input, count, "x")
        vy = self.grid_of(self.y_input, count, "y")
        if params.resolve(self.design, vx.key) == params.resolve(self.design, vy.key):
            raise InputError(None, "y", "choose two different inputs")
        metric = self.metric_choice.currentData()
        target = None
        if self.target.text().strip():
            target = parse_target(f"{metric}={self.target.text()}", "contour at")[1]
        study = Study(self.design, self.result.library, Plan((vx, vy), "grid"), [metric])
        study.chunk = progress_chunk(study.plan.size)

        def work(job):
            return study, run_collecting(study, job), target
        return work

    # ---- drawing
    def show_result(self, outcome) -> None:
        study, table, target = outcome
        vx, vy = study.plan.varied
        nx, ny = study.plan.counts
        metric = study.metrics[0]
        z = table[params.metric_column(metric)]
        if len(z) < nx * ny:
            return
        self.z = z.reshape(nx, ny)           # row-major grid: x varies slowest -> z[ix, iy]
        kx, ky = params.kind_of(self.design, vx.key), params.kind_of(self.design, vy.key)
        self.x = to_display(vx.how.values(), kx)
        self.y = to_display(vy.how.values(), ky)
        # the view's coordinates: log10 of the value on a log axis, where the grid is even
        ux, uy = (np.log10(v) if g.how.log else v for v, g in ((self.x, vx), (self.y, vy)))
        x0, y0 = ux[0], uy[0]
        dx = (ux[-1] - x0) / (nx - 1)
        dy = (uy[-1] - y0) / (ny - 1)
        finite = np.isfinite(self.z)
        self.image.setImage(self.z, autoLevels=False)
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, dx * nx, dy * ny))
        if finite.any():
            lo, hi = float(np.nanmin(self.z)), float(np.nanmax(self.z))
            self.colour_bar.setLevels((lo, hi if hi > lo else lo + 1))
        labels = (metric_label(metric), key_label(vx.key, kx), key_label(vy.key, ky),
                  f"{metric_label(metric)} over {vx.key} and {vy.key}", vx.how.log, vy.how.log)
        if labels != getattr(self, "_labels", None):     # each relays the plot out
            self.colour_bar.setLabel("right", labels[0])
            self.plot.setLabel("bottom", labels[1])
            self.plot.setLabel("left", labels[2])
            self.plot.setTitle(labels[3], size="11pt")
            # the axes only: the items are placed in log10 coordinates here
            self.plot.getAxis("bottom").setLogMode(vx.how.log)
            self.plot.getAxis("left").setLogMode(vy.how.log)
            self._labels = labels
        # pyqtgraph's isocurve puts sample i at i + 0.5 (a pixel's centre): map that onto
        # the axes' values, as the image's pixels are
        self.iso.setTransform(QTransform(dx, 0, 0, dy, x0 - dx / 2, y0 - dy / 2))
        if target is not None and finite.any():
            fill = float(np.nanmin(self.z)) - abs(float(np.nanmax(self.z))) - 1.0
            self.iso.setData(np.where(finite, self.z, fill), level=target)
        else:
            self.iso.setData(None)
        self.target_value = target
        cx = float(to_display(self.current(vx.key), kx))
        cy = float(to_display(self.current(vy.key), ky))
        with np.errstate(all="ignore"):
            cx, cy = (float(np.log10(c)) if g.how.log else c for c, g in ((cx, vx), (cy, vy)))
        self.marker.setData([cx], [cy])
        self.plot.setRange(xRange=(ux[0] - dx / 2, ux[-1] + dx / 2),
                           yRange=(uy[0] - dy / 2, uy[-1] + dy / 2), padding=0)
        bad = int((~finite).sum())
        unit = pretty_unit(BY_NAME[metric].unit)
        self.say(f"{nx} x {ny} designs (full grid, the engine's chunked study). "
                 + (f"White line: {metric} = {target:g} {unit}. " if target is not None else "")
                 + "Orange star: the current design."
                 + (f" {bad} designs have no finite value (blank)." if bad else ""))

    def data_table(self):
        if self.z is None:
            return [], []
        study = self.outcome[0]
        vx, vy = study.plan.varied
        kx, ky = params.kind_of(self.design, vx.key), params.kind_of(self.design, vy.key)
        from ..sweep import display_unit
        metric = study.metrics[0]
        header = [f"{vx.key} [{display_unit(kx) or '1'}]", f"{vy.key} [{display_unit(ky) or '1'}]",
                  params.metric_column(metric)]
        return header, [[float(self.x[i]), float(self.y[j]), float(self.z[i, j])]
                        for i in range(len(self.x)) for j in range(len(self.y))]

    def study_spec(self) -> dict:
        study = self.outcome[0] if self.outcome else None
        count = int(self.points.text())
        parameters = []
        for picker in (self.x_input, self.y_input):
            p = picker.spec()
            parameters.append({"key": p["key"], "start": p["low"], "stop": p["high"],
                               "count": count, **({"scale": "log"} if picker.log.isChecked()
                                                  else {})})
        metric = self.metric_choice.currentData()
        return {"name": f"2-D map of {metric}", "method": "grid", "parameters": parameters,
                "metrics": [metric] if study is None else study.metrics}
