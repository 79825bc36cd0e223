"""Pareto front of two metrics over a sampled space of two inputs (uniform, or log-uniform
with an input's "log" box; Latin hypercube), with an optional constraint: the engine's
`studies.pareto.front_of_study` on the rows of the chunked study (run on the runner's worker thread). Grey: every sampled
design that meets the constraint; blue: the front; orange star: the current design."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox

from asslb_designer.errors import InputError
from asslb_designer.studies import params
from asslb_designer.studies.constraints import parse_constraint
from asslb_designer.studies.pareto import front_of_study
from asslb_designer.studies.sampling import Distribution, Plan, Varied
from asslb_designer.studies.study_file import check_distribution
from asslb_designer.studies.sweep import FLAG, Study

from ..base import PALETTE, style_plot
from .panel import InputPicker, StudyPanel, metric_label, progress_chunk, run_collecting

MAX_SAMPLES = 200_000


def sense_box(name: str, sense: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.addItem("max", "max")
    box.addItem("min", "min")
    box.setCurrentIndex(box.findData(sense))
    return box


class ParetoPanel(StudyPanel):
    title = "Pareto front"
    export_name = "pareto"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("study:pareto")
        self.input_pair(("pareto:key1", "pareto:key2"),
                        "An input varied uniformly over its range (log-uniform with \"log\")")
        self.sense1, self.sense2 = sense_box("pareto:sense1", "max"), sense_box("pareto:sense2",
                                                                                "min")
        self.metric1, self.metric2 = self.metric_box("pareto:metric1"), \
            self.metric_box("pareto:metric2")
        self.samples = self.line("pareto:samples", "3000", 60, "designs (Latin hypercube)")
        self.seed = self.line("pareto:seed", "0", 40, "seed: the same seed, the same samples")
        self.constraint = self.line("pareto:constraint", "", 160, "a constraint every front "
                                    "point meets, e.g. 'np_ratio >= 1.1'; empty: none")
        self.add_controls(*self.x_input.controls("vary"), *self.y_input.controls("and"))
        self.second_row(("objectives", self.sense1), (None, self.metric1), ("and", self.sense2),
                        (None, self.metric2), ("designs", self.samples), ("seed", self.seed),
                        ("constraint", self.constraint))
        for box in (self.sense1, self.sense2, self.metric1, self.metric2):
            box.currentIndexChanged.connect(lambda _: self.run())
        self.plot = self.graphics.addPlot()
        style_plot(self.plot, "Pareto front", "", "")
        self.cloud = pg.ScatterPlotItem(size=4, brush=pg.mkBrush(150, 150, 150, 110), pen=None)
        self.front_line = pg.PlotDataItem([], [], pen=pg.mkPen(PALETTE[0], width=2),
                                          symbol="o", symbolSize=7,
                                          symbolBrush=PALETTE[0], symbolPen=None)
        self.marker = pg.ScatterPlotItem(size=16, symbol="star", brush=pg.mkBrush(PALETTE[1]),
                                         pen=pg.mkPen("#202020"))
        for item in (self.cloud, self.front_line, self.marker):
            self.plot.addItem(item)
        self.front = None

    def update_controls(self) -> None:
        self.x_input.update()
        self.y_input.update()
        self.fill_metrics(self.metric1, "specific_energy_cell")
        self.fill_metrics(self.metric2, "voltage_loss")

    @staticmethod
    def uniform(picker: InputPicker, where: str) -> Varied:
        """Uniform over the range, or log-uniform when its "log" box is ticked."""
        key, lo, hi, log = picker.range(where)
        if not lo < hi:
            raise InputError(None, where, f"{key}: the range must rise")
        name = "log-uniform" if log else "uniform"
        return Varied(key, check_distribution(Distribution(name, low=lo, high=hi), None,
                                              where), where)

    def prepare(self):
        try:
            n, seed = int(self.samples.text()), int(self.seed.text())
        except ValueError:
            raise InputError(None, "n", "samples and seed are whole numbers") from None
        if not 2 <= n <= MAX_SAMPLES:
            raise InputError(None, "n", f"between 2 and {MAX_SAMPLES} designs")
        v1 = self.uniform(self.x_input, "vary")
        v2 = self.uniform(self.y_input, "and")
        if params.resolve(self.design, v1.key) == params.resolve(self.design, v2.key):
            raise InputError(None, "and", "choose two different inputs")
        m1, m2 = self.metric1.currentData(), self.metric2.currentData()
        if m1 == m2:
            raise InputError(None, "metric", "choose two different metrics")
        objectives = [(self.sense1.currentData(), m1), (self.sense2.currentData(), m2)]
        text = self.constraint.text().strip()
        constraints = [parse_constraint(text, None, "s.t.")] if text else []
        metrics = list(dict.fromkeys([m1, m2] + [c.metric for c in constraints]))
        study = Study(self.design, self.result.library, Plan((v1, v2), "lhs", n, seed),
                      metrics, constraints, objectives=objectives)
        study.chunk = progress_chunk(n)

        def work(job):
            table = run_collecting(study, job)
            return study, table, front_of_study(study, table) if table else None
        return work

    def show_result(self, outcome) -> None:
        study, table, front = outcome
        self.front = front
        (_, m1), (_, m2) = study.objectives
        c1, c2 = params.metric_column(m1), params.metric_column(m2)
        ok = np.asarray(table[FLAG], bool) if FLAG in table else np.ones(len(table[c1]), bool)
        self.cloud.setData(table[c1][ok], table[c2][ok])
        self.front_line.setData(front.rows[c1], front.rows[c2])
        self.marker.setData([front.current[m1]], [front.current[m2]])
        s1, s2 = (s for s, _ in study.objectives)
        self.plot.setLabel("bottom", f"{metric_label(m1)}, {s1}")
        self.plot.setLabel("left", f"{metric_label(m2)}, {s2}")
        self.plot.setTitle(f"Pareto front: {s1} {m1}, {s2} {m2}", size="11pt")
        n_front = len(front.rows[c1])
        where = ("on or behind the front" if front.current_dominated_by == 0 else
                 f"dominated by {front.current_dominated_by} front designs")
        self.say(f"{n_front} designs on the front of {front.feasible} feasible of "
                 f"{front.total} sampled (Latin hypercube, seed {study.plan.seed}). Orange "
                 f"star: the current design, {where}"
                 + ("" if front.current_feasible else ", and it misses the constraint") + ".")

    def data_table(self):
        if self.front is None:
            return [], []
        cols = self.front.columns
        return cols, [[float(v) for v in row]
                      for row in zip(*(self.front.rows[c] for c in cols))]

    def study_spec(self) -> dict:
        params_ = [{"key": p.key.currentData(),
                    "distribution": "log-uniform" if p.log.isChecked() else "uniform",
                    "low": p.low.text().strip(), "high": p.high.text().strip()}
                   for p in (self.x_input, self.y_input)]
        text = self.constraint.text().strip()
        return {"name": "Pareto front", "method": "lhs", "n": int(self.samples.text()),
                "seed": int(self.seed.text()), "parameters": params_,
                "metrics": [self.metric1.currentData(), self.metric2.currentData()],
                "constraints": [text] if text else [],
                "objectives": [(self.sense1.currentData(), self.metric1.currentData()),
                               (self.sense2.currentData(), self.metric2.currentData())]}
