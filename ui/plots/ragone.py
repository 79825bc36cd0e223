"""Ragone plot: the design's specific energy at rate against its specific power over a
C-rate sweep (ONE vectorized evaluate), per repeat-unit mass (the engine's
`specific_energy_at_rate` and `specific_power`, an ohmic estimate), with published cells
(`materials_db/reported/cells.toml`) as cited reference points on their own basis."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from asslb_designer import evaluate
from asslb_designer.reported_cells import load_reported_cells
from asslb_designer.units import Quantity

from .base import PALETTE, PlotView, log_axes, scalar, style_plot

C_RATES = np.geomspace(0.02, 50.0, 160)
LABELLED = {0.1: "C/10", 1 / 3: "C/3", 1.0: "1C", 3.0: "3C", 10.0: "10C"}


def ragone(design, result, c_rates=C_RATES, library=None):
    """(C-rates, specific power W/kg, specific energy at rate Wh/kg) in one evaluation.
    A design that states a current density is swept in current density at the same C-rates
    (j = C-rate x delivered areal capacity)."""
    c = np.asarray(c_rates, dtype=float)
    if design.has("cell.current_density"):
        q = scalar(result.metrics["areal_capacity"])
        swept = design.with_values({"cell.current_density": Quantity(c * q, "mA/cm^2")})
    else:
        swept = design.with_values({"cell.c_rate": c})
    r = evaluate(swept, library)
    power = np.asarray(r.metrics["specific_power"], dtype=float)
    energy = np.asarray(r.metrics["specific_energy_at_rate"], dtype=float)
    ok = np.isfinite(power) & np.isfinite(energy) & (power > 0) & (energy > 0)
    c, power, energy = c[ok], power[ok], energy[ok]
    if len(power):   # the upper branch: beyond the power maximum more current gives less
        top = int(np.argmax(power)) + 1
        c, power, energy = c[:top], power[:top], energy[:top]
    return c, power, energy


class RagoneView(PlotView):
    export_name = "ragone"

    def __init__(self, parent=None, cells=None):
        super().__init__(parent)
        self.setObjectName("view:ragone")
        self.cells = load_reported_cells() if cells is None else cells
        self.plot = self.graphics.addPlot(axisItems=log_axes("bottom", "left"))
        style_plot(self.plot, "Ragone: energy at rate vs power", "specific power (W/kg)",
                   "specific energy at rate (Wh/kg)")
        self.plot.setLogMode(x=True, y=True)
        self.legend = self.plot.addLegend(offset=(10, -10), labelTextSize="9pt")
        self.c = self.power = self.energy = np.array([])
        self.curve = self.plot.plot([], [], pen=pg.mkPen("#4d79a8", width=2.5),
                                    name="this design (per repeat unit, ohmic estimate)")
        self.rate_marks = pg.ScatterPlotItem(size=6, brush=pg.mkBrush("#4d79a8"), pen=None)
        self.plot.addItem(self.rate_marks)
        self.rate_labels = {}
        for rate, text in LABELLED.items():
            label = pg.TextItem(text, color="#2a4a70", anchor=(0.5, 1.3))
            self.plot.addItem(label)
            self.rate_labels[rate] = label
        self.reference = {}
        self.not_plotted = []
        self._add_reference_cells()

    def _add_reference_cells(self) -> None:
        """The published cells, drawn once: they do not change with the design."""
        for i, cell in enumerate(self.cells):
            e, p = cell.get("specific_energy"), cell.get("specific_power")
            colour = PALETTE[(i + 1) % len(PALETTE)]
            estimate = any(not f.read for f in cell.figures.values())
            tag = f"{cell.name} [{cell.basis} basis{', ESTIMATE' if estimate else ''}]"
            if e is None:
                self.not_plotted.append(f"{cell.name} (volumetric only: "
                                        f"{cell.get('energy_density'):.4g} Wh/L)")
                continue
            if p is not None:
                item = self.plot.plot([p], [e], pen=None, symbol="s", symbolSize=11,
                                      symbolBrush=colour, symbolPen="#202020", name=tag)
            else:
                item = pg.InfiniteLine(pos=math.log10(e), angle=0,
                                       pen=pg.mkPen(colour, width=1.5, style=pg.QtCore.Qt.DashLine),
                                       label=f"{cell.name}: {e:.4g} Wh/kg, {cell.basis} basis, "
                                             "rate not stated",
                                       labelOpts={"position": 0.02, "color": colour,
                                                  "anchors": [(0, 1), (0, 1)]})
                self.plot.addItem(item)
            self.reference[cell.id] = item

    def draw(self, design, result) -> None:
        self.c, self.power, self.energy = ragone(design, result, library=result.library)
        self.curve.setData(self.power, self.energy)
        for sample, label in self.legend.items:
            if sample.item is self.curve:
                label.setText(f"{design.name} (per repeat unit, ohmic estimate)")
        marks = []
        for rate, label in self.rate_labels.items():
            i = int(np.argmin(abs(np.log(self.c / rate)))) if len(self.c) else None
            if i is None or abs(math.log(self.c[i] / rate)) > 0.05:
                label.hide()
                continue
            x, y = math.log10(self.power[i]), math.log10(self.energy[i])
            label.setPos(x, y)
            label.show()
            marks.append((x, y))
        self.rate_marks.setData([m[0] for m in marks], [m[1] for m in marks])
        self.say("Curve: this design over C-rates from C/50 up to its maximum power, per "
                 "repeat-unit mass (stack basis: no packaging), ohmic estimate (energy = "
                 "Q (V − j·ASR)). Squares and dashed lines: published cells, per whole cell "
                 "(sources in the CSV and in materials_db/reported/cells.toml)."
                 + (" Not plotted: " + "; ".join(self.not_plotted) + "."
                    if self.not_plotted else ""))

    def data_table(self):
        header = ["series", "c_rate [1/h]", "specific_power [W/kg]",
                  "specific_energy_at_rate [W*h/kg]", "basis", "read_from_source", "source"]
        rows = [["design", float(c), float(p), float(e), "repeat unit", "", "engine"]
                for c, p, e in zip(self.c, self.power, self.energy)]
        for cell in self.cells:
            rows.append([cell.id, "", cell.get("specific_power") or "",
                         cell.get("specific_energy") or "", cell.basis,
                         "yes" if all(f.read for f in cell.figures.values()) else
                         "partly (ESTIMATE)", cell.citation])
        return header, rows
