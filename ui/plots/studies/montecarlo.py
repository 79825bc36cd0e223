"""Monte Carlo histogram: a metric over the library's spread of cited values (by default
every property of the design whose record holds several comparable values varies,
log-uniform between the lowest and highest: `studies.montecarlo.monte_carlo_study`), with
the P5, P50 and P95 lines and the probability of meeting a constraint. The samples run
through the engine's chunked study on the runner's worker thread."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME
from asslb_designer.studies import params
from asslb_designer.studies.constraints import parse_constraint
from asslb_designer.studies.montecarlo import monte_carlo_study, summarize

from ..base import PALETTE, style_plot
from ..sweep import pretty_unit
from .panel import StudyPanel, metric_label, progress_chunk, run_collecting

MAX_SAMPLES = 1_000_000


class MonteCarloPanel(StudyPanel):
    title = "Monte Carlo"
    export_name = "montecarlo"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("study:montecarlo")
        self.metric = self.metric_box("mc:metric")
        self.samples = self.line("mc:samples", "4000", 70, "number of designs (Latin "
                                 "hypercube sample)")
        self.seed = self.line("mc:seed", "0", 50, "seed: the same seed gives the same samples")
        self.constraint = self.line("mc:constraint", "", 220, "a constraint, e.g. "
                                    "'voltage_loss <= 50 mV'; its probability is shown")
        self.add_controls(("metric", self.metric), ("samples", self.samples),
                          ("seed", self.seed), ("constraint", self.constraint))
        self.metric.currentIndexChanged.connect(lambda _: self.run())
        self.plot = self.graphics.addPlot()
        style_plot(self.plot, "Monte Carlo", "", "designs")
        self.histogram = pg.PlotCurveItem(fillLevel=0,
                                          brush=pg.mkBrush(PALETTE[0] + "b0"),
                                          pen=pg.mkPen(PALETTE[0]))
        self.plot.addItem(self.histogram)
        self.lines = []
        self.summary = None
        self.table = {}

    def update_controls(self) -> None:
        self.fill_metrics(self.metric, self.default_metric)

    def _constraints(self):
        text = self.constraint.text().strip()
        return [parse_constraint(text, None, "constraint")] if text else []

    def prepare(self):
        try:
            n = int(self.samples.text())
            seed = int(self.seed.text())
        except ValueError:
            raise InputError(None, "samples", "samples and seed are whole numbers") from None
        if not 2 <= n <= MAX_SAMPLES:
            raise InputError(None, "samples", f"between 2 and {MAX_SAMPLES}")
        metric = self.metric.currentData()
        study = monte_carlo_study(self.design, self.result.library, n=n, seed=seed,
                                  metrics=[metric], constraints=self._constraints(),
                                  chunk=progress_chunk(n))

        def work(job):
            table = run_collecting(study, job)
            return study, table, summarize(study, table) if table else None
        return work

    def show_result(self, outcome) -> None:
        study, table, summary = outcome
        self.summary, self.table = summary, table
        metric = study.metrics[0]
        y = table[params.metric_column(metric)]
        y = y[np.isfinite(y)]
        for line in self.lines:
            self.plot.removeItem(line)
        self.lines = []
        if not len(y):
            self.histogram.setData([], [], stepMode=None)
            self.say("no sample gives a finite value", error=True)
            return
        counts, edges = np.histogram(y, bins=min(60, max(10, int(np.sqrt(len(y))))))
        self.histogram.setData(edges, counts, stepMode="center")
        s = next(m for m in summary.metrics if m.name == metric)
        for label, value, style in (("P5", s.p5, pg.QtCore.Qt.DashLine),
                                    ("P50", s.p50, pg.QtCore.Qt.SolidLine),
                                    ("P95", s.p95, pg.QtCore.Qt.DashLine)):
            line = pg.InfiniteLine(value, angle=90, pen=pg.mkPen(PALETTE[1], width=2,
                                                                  style=style),
                                   label=f"{label} {value:.4g}",
                                   labelOpts={"position": 0.92, "color": "#202020",
                                              "fill": (255, 255, 255, 200)})
            self.plot.addItem(line)
            self.lines.append(line)
        self.plot.setLabel("bottom", metric_label(metric))
        title = f"{metric_label(metric)}: {summary.samples} samples"
        if summary.constraints:
            text, p = summary.constraints[0]
            title += f", P({text}) = {p:.1%}"
        self.plot.setTitle(title, size="11pt")
        varied = ", ".join(k for k, *_ in summary.varied)
        unit = pretty_unit(BY_NAME[metric].unit)
        self.say(f"P5 {s.p5:.4g}, P50 {s.p50:.4g}, P95 {s.p95:.4g} {unit}; mean {s.mean:.4g}, "
                 f"std {s.std:.4g}. Varied over the library's spread of cited values "
                 f"(log-uniform): {varied}. Latin hypercube, seed {summary.seed}.")

    def data_table(self):
        if not self.table:
            return [], []
        cols = list(self.table)
        return cols, [[float(v) for v in row] for row in zip(*(self.table[c] for c in cols))]

    def study_spec(self) -> dict:
        metric = self.metric.currentData()
        return {"name": f"Monte Carlo of {metric}", "method": "lhs",
                "n": int(self.samples.text()), "seed": int(self.seed.text()),
                "library_spread": True, "parameters": [], "metrics": [metric],
                "constraints": [self.constraint.text().strip()]
                if self.constraint.text().strip() else []}
