"""Tornado chart: the local elasticities d ln(metric) / d ln(parameter) of one metric to
every numeric input of the design, ranked by size (the engine's
`studies.sensitivity.elasticities`: central differences at x e^±h, h = 0.01, all inputs in
ONE vectorized evaluation). A bar of +1 means 1 % more of that input gives 1 % more of the
metric. Bars are labelled by role name where the design has one layer of that role
(`separator.thickness`); the numbered key (`layer[4].thickness`) is in the label's tooltip."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLineEdit

from asslb_designer.metrics import BY_NAME
from asslb_designer.studies.sensitivity import elasticities

from ..base import PALETTE, style_plot
from .panel import StudyPanel, metric_label

POSITIVE, NEGATIVE = PALETTE[0], PALETTE[1]
STEP = 0.01          # h of the central differences in ln(input), as the CLI's default


class KeyAxis(pg.AxisItem):
    """The tornado's input axis: its tooltip names the input under the pointer (the numbered
    key and what it is), as the tick shows its role name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tips: list[str] = []
        self.setAcceptHoverEvents(True)

    def tip_at(self, y: float) -> str:
        i = int(round(y))
        return self.tips[i] if 0 <= i < len(self.tips) else ""

    def hoverMoveEvent(self, event):
        view = self.linkedView()
        if view is not None:
            self.setToolTip(self.tip_at(view.mapSceneToView(event.scenePos()).y()))
        super().hoverMoveEvent(event)


class TornadoPanel(StudyPanel):
    title = "Tornado"
    export_name = "tornado"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("study:tornado")
        self.metric_choice = self.metric_box("tornado:metric")
        self.top = QLineEdit("15")
        self.top.setObjectName("tornado:top")
        self.top.setMaximumWidth(50)
        self.top.setToolTip("How many inputs to show, largest elasticity first")
        self.top.returnPressed.connect(self.run)
        self.add_controls(("metric", self.metric_choice), ("show top", self.top))
        self.metric_choice.currentIndexChanged.connect(lambda _: self.run())
        self.axis = KeyAxis("left")
        self.plot = self.graphics.addPlot(axisItems={"left": self.axis})
        self.plot.invertY(True)
        style_plot(self.plot, "Tornado", "elasticity d ln(metric) / d ln(input)", "")
        self.plot.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen("#202020")))
        self.bars = []
        self.ranked = []

    def update_controls(self) -> None:
        self.fill_metrics(self.metric_choice, self.default_metric)

    def prepare(self):
        design, library = self.design, self.result.library
        metric = self.metric_choice.currentData()
        if metric is None:
            raise ValueError("no metric")

        def work(job):
            job.progress(0, 1)
            found = elasticities(design, library, metrics=[metric], step=STEP)
            job.progress(1, 1)
            return metric, found
        return work

    def show_result(self, outcome) -> None:
        metric, found = outcome
        try:
            top = max(1, int(self.top.text()))
        except ValueError:
            top = 15
        ranked = [r for r in found.ranked(metric) if np.isfinite(r[1])]
        self.ranked = ranked
        shown = ranked[:top]
        for item in self.bars:
            self.plot.removeItem(item)
        self.bars = []
        e = np.array([r[1] for r in shown])
        y = np.arange(len(shown))
        for mask, colour in ((e >= 0, POSITIVE), (e < 0, NEGATIVE)):
            if mask.any():
                bar = pg.BarGraphItem(x0=np.zeros(mask.sum()), width=e[mask], y=y[mask],
                                      height=0.7, brush=colour, pen=pg.mkPen(colour))
                self.plot.addItem(bar)
                self.bars.append(bar)
        self.axis.setTicks([[(int(i), found.name(r[0])) for i, r in zip(y, shown)]])
        self.axis.tips = [self._tip(found, r[0]) for r in shown]
        self.plot.setTitle(f"Elasticities of {metric_label(metric)}", size="11pt")
        self.plot.setYRange(-0.6, max(len(shown), 1) - 0.4, padding=0.02)
        self.plot.enableAutoRange(x=True)
        self.say(f"{len(ranked)} inputs with a defined elasticity ({len(found.skipped)} zero or "
                 f"counted inputs not perturbed); top {len(shown)} shown. Blue: more of the "
                 "input raises the metric; orange: lowers it. One vectorized evaluation, "
                 f"central differences at ±{found.step:g} in ln(input).")

    def _tip(self, found, key: str) -> str:
        p = self.parameters.get(key)
        return key + (f": {p.description}" if p is not None else "")

    def data_table(self):
        if not self.ranked:
            return [], []
        metric, found = self.outcome
        unit = BY_NAME[metric].unit
        header = ["key", f"elasticity of {metric} [1]", f"{metric} at input x e^-h [{unit}]",
                  f"{metric} at input x e^+h [{unit}]", "role name"]
        return header, [[k, e, lo, hi, found.name(k) if found.name(k) != k else ""]
                        for k, e, lo, hi in self.ranked]

    def study_spec(self) -> dict:
        """A [sensitivity] study of this metric over every input: `asslb-designer study`
        prints the same ranked elasticities (and -o writes them)."""
        metric = self.metric_choice.currentData()
        try:
            top = max(1, int(self.top.text()))
        except ValueError:
            top = 15
        return {"name": f"elasticities of {metric}", "metrics": [metric],
                "sensitivity": {"keys": "all", "step": STEP, "top": top}}
