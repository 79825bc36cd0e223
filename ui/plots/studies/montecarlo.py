"""Monte Carlo histogram: a metric over the library's spread of cited values (by default
every property of the design whose record holds several comparable values varies,
log-uniform between the lowest and highest: `studies.montecarlo.monte_carlo_study`), with
the P5, P50 and P95 lines and the probability of meeting a constraint. "Also vary" adds one
input drawn from a distribution (uniform, normal, log-uniform, triangular; it replaces
that input's library spread, if it has one), read as a study file's [[parameter]] table is.
The samples run through the engine's chunked study on the runner's worker thread."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel

from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME
from asslb_designer.studies import params
from asslb_designer.units import KINDS
from asslb_designer.studies.constraints import parse_constraint
from asslb_designer.studies.montecarlo import monte_carlo_study, summarize
from asslb_designer.studies.study_file import DIST_FIELDS, parameter_of

from ..base import PALETTE, style_plot
from ..sweep import display_unit, pretty_unit, to_display
from .panel import StudyPanel, metric_label, progress_chunk, run_collecting

MAX_SAMPLES = 1_000_000
SHAPES = ("uniform", "normal", "log-uniform", "triangular")


class MonteCarloPanel(StudyPanel):
    title = "Monte Carlo"
    export_name = "montecarlo"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("study:montecarlo")
        self.metric_choice = self.metric_box("mc:metric")
        self.samples = self.line("mc:samples", "4000", 70, "number of designs (Latin "
                                 "hypercube sample)")
        self.seed = self.line("mc:seed", "0", 50, "seed: the same seed gives the same samples")
        self.constraint = self.line("mc:constraint", "", 220, "a constraint, e.g. "
                                    "'voltage_loss <= 50 mV'; its probability is shown")
        self.add_controls(("metric", self.metric_choice), ("samples", self.samples),
                          ("seed", self.seed), ("constraint", self.constraint))
        self.metric_choice.currentIndexChanged.connect(lambda _: self.run())
        # one more input, from a distribution of the user's
        self.extra = QCheckBox("also vary")
        self.extra.setObjectName("mc:extra")
        self.extra.setToolTip("Also draw this input from a distribution (it replaces its "
                              "library spread, if it has one)")
        self.extra_key = self.metric_box("mc:key")
        self.extra_key.setToolTip("The input (a key of `asslb-designer params`)")
        self.shape = QComboBox()
        self.shape.setObjectName("mc:distribution")
        for name in SHAPES:
            self.shape.addItem(name, name)
        self.fields = [self.line(f"mc:field{i + 1}", width=80) for i in range(3)]
        self.field_labels = [QLabel() for _ in self.fields]
        pairs = [(None, self.extra), (None, self.extra_key), (None, self.shape)]
        for label, field in zip(self.field_labels, self.fields):
            pairs += [(None, label), (None, field)]
        self.second_row(*pairs)
        self.extra.toggled.connect(lambda _: self.run())
        self.extra_key.currentIndexChanged.connect(lambda _: self._default_fields(run=True))
        self.shape.currentIndexChanged.connect(lambda _: self._default_fields(run=True))
        self._show_fields()
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
        self.fill_metrics(self.metric_choice, self.default_metric)
        self.fill_keys(self.extra_key, "cell.temperature")
        if not self.fields[0].text():
            self._default_fields()

    def _show_fields(self) -> None:
        names = DIST_FIELDS[self.shape.currentData()]
        for i, (label, field) in enumerate(zip(self.field_labels, self.fields)):
            label.setText(names[i] if i < len(names) else "")
            label.setVisible(i < len(names))
            field.setVisible(i < len(names))

    def _default_fields(self, run: bool = False) -> None:
        """The chosen distribution's fields about the design's value: low, high half to one
        and a half times it (a decade about it for log-uniform); the mode or mean at it; a
        standard deviation of a tenth of it (5 K for a temperature)."""
        self._show_fields()
        key = self.extra_key.currentData()
        if self.design is None or key is None:
            return
        low, high = self.default_range(key)
        p = self.parameters[params.resolve(self.design, key)]
        shown = float(to_display(p.value, p.kind))
        unit = display_unit(p.kind)
        unit = f" {pretty_unit(unit)}" if unit and p.kind not in ("dimensionless", "c_rate") \
            else ""
        at = f"{shown:.4g}{unit}"
        name = self.shape.currentData()
        if name == "log-uniform" and shown > 0:
            low, high = f"{shown / 10 ** 0.5:.4g}{unit}", f"{shown * 10 ** 0.5:.4g}{unit}"
        if p.kind == "temperature":
            spread = "5 K"
        elif p.kind in ("dimensionless", "c_rate"):
            spread = f"{abs(p.value) * 0.1:.4g}"
        else:
            spread = f"{abs(p.value) * 0.1:.4g} {pretty_unit(KINDS[p.kind].internal)}"
        values = {"uniform": (low, high), "log-uniform": (low, high), "normal": (at, spread),
                  "triangular": (low, at, high)}[name]
        for field, text in zip(self.fields, values):
            field.setText(text)
        if run:
            self.run()

    def extra_table(self) -> dict | None:
        """The added input as a study file's [[parameter]] table (None when not ticked)."""
        if not self.extra.isChecked():
            return None
        name = self.shape.currentData()
        table = {"key": self.extra_key.currentData(), "distribution": name}
        for field_name, field in zip(DIST_FIELDS[name], self.fields):
            table[field_name] = field.text().strip()
        return table

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
        metric = self.metric_choice.currentData()
        table = self.extra_table()
        varied = [parameter_of(table, self.design, self.result.library, "lhs", None,
                               "also vary")] if table else []
        study = monte_carlo_study(self.design, self.result.library, varied, n=n, seed=seed,
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
        spread = ", ".join(k for k, _, origin in summary.varied if origin == "library spread")
        own = "; ".join(f"{k}: {how}" for k, how, origin in summary.varied
                        if origin != "library spread")
        unit = pretty_unit(BY_NAME[metric].unit)
        self.say(f"P5 {s.p5:.4g}, P50 {s.p50:.4g}, P95 {s.p95:.4g} {unit}; mean {s.mean:.4g}, "
                 f"std {s.std:.4g}. " + (f"Also varied: {own}. " if own else "")
                 + f"Varied over the library's spread of cited values (log-uniform): {spread}. "
                 f"Latin hypercube, seed {summary.seed}.")

    def data_table(self):
        if not self.table:
            return [], []
        cols = list(self.table)
        return cols, [[float(v) for v in row] for row in zip(*(self.table[c] for c in cols))]

    def study_spec(self) -> dict:
        metric = self.metric_choice.currentData()
        return {"name": f"Monte Carlo of {metric}", "method": "lhs",
                "n": int(self.samples.text()), "seed": int(self.seed.text()),
                "library_spread": True, "metrics": [metric],
                "parameters": [self.extra_table()] if self.extra.isChecked() else [],
                "constraints": [self.constraint.text().strip()]
                if self.constraint.text().strip() else []}
