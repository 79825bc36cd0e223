"""Ragone plot: the design's specific energy at rate against its specific power over a
C-rate sweep (ONE vectorized evaluate, an ohmic estimate), with published cells
(`materials_db/reported/cells.toml`) as cited reference points.

Basis: the published cells are per whole cell, so a design with cell data (electrode area
and unit cells) is drawn per cell mass (`specific_energy_at_rate_cell`,
`specific_power_cell`), with its repeat-unit curve (`specific_energy_at_rate`,
`specific_power`, no packaging) dashed beside it; a design without cell data is drawn per
repeat unit only, and the legend and axis labels say which."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from asslb_designer import evaluate
from asslb_designer.reported_cells import load_reported_cells
from asslb_designer.units import Quantity

from .base import PALETTE, PlotView, log_axes, scalar, style_plot

C_RATES = np.geomspace(0.02, 50.0, 160)
LABELLED = {0.1: "C/10", 1 / 3: "C/3", 1.0: "1C", 3.0: "3C", 10.0: "10C"}
#: (energy at rate, power) metric of each basis
BASES = {"cell": ("specific_energy_at_rate_cell", "specific_power_cell"),
         "stack": ("specific_energy_at_rate", "specific_power")}
BASIS_WORDS = {"cell": "per cell mass, packaging included",
               "stack": "per repeat-unit mass, no packaging"}
DESIGN_COLOUR = "#4d79a8"


def ragone_curves(design, result, c_rates=C_RATES, library=None) -> dict:
    """{basis: (C-rates 1/h, specific power W/kg, specific energy at rate Wh/kg)} from ONE
    evaluation over the C-rates: "stack" always, "cell" when the design has cell data. A
    design that states a current density is swept in current density at the same C-rates
    (j = C-rate x delivered areal capacity). Each curve is its upper branch: beyond the
    power maximum more current gives less power."""
    c = np.asarray(c_rates, dtype=float)
    if design.has("cell.current_density"):
        q = scalar(result.metrics["areal_capacity"])
        swept = design.with_values({"cell.current_density": Quantity(c * q, "mA/cm^2")})
    else:
        swept = design.with_values({"cell.c_rate": c})
    r = evaluate(swept, library)
    curves = {}
    for basis, (energy_key, power_key) in BASES.items():
        if r.metrics.get(energy_key) is None:
            continue
        power = np.asarray(r.metrics[power_key], dtype=float)
        energy = np.asarray(r.metrics[energy_key], dtype=float)
        ok = np.isfinite(power) & np.isfinite(energy) & (power > 0) & (energy > 0)
        cb, power, energy = c[ok], power[ok], energy[ok]
        if len(power):
            top = int(np.argmax(power)) + 1
            cb, power, energy = cb[:top], power[:top], energy[:top]
        curves[basis] = (cb, power, energy)
    return curves


def ragone(design, result, c_rates=C_RATES, library=None, basis="stack"):
    """(C-rates, specific power W/kg, specific energy at rate Wh/kg) of one basis
    ("stack" or "cell"; empty arrays for "cell" without cell data)."""
    empty = (np.array([]),) * 3
    return ragone_curves(design, result, c_rates, library).get(basis, empty)


def _snap(lo: float, hi: float, step: float = 0.25) -> tuple[float, float]:
    """A log10 range widened to whole quarter decades: it stays put while the design's
    curve moves a little, so an edit does not rescale (and re-tick) the axes."""
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


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
        # the view range is set by draw() only when it must change: no auto-range pass
        # (which repainted the log axes a second time after every edit)
        self.plot.disableAutoRange()
        self.plot.setMouseEnabled(x=True, y=True)
        for name in ("bottom", "left"):
            # an unchanged axis is a cached pixmap, not its ticks and labels drawn again
            self.plot.getAxis(name).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        # the legend sits below the plot, in two columns: inside it hid a curve or a label
        self.legend = pg.LegendItem(labelTextSize="9pt", colCount=2)
        self.graphics.nextRow()
        self.graphics.addItem(self.legend)
        self.basis = None
        self.curves: dict = {}
        self.c = self.power = self.energy = np.array([])
        self.curve = self.plot.plot([], [], pen=pg.mkPen(DESIGN_COLOUR, width=2.5))
        self.legend.addItem(self.curve, "this design")
        self.stack_curve = self.plot.plot(     # in the legend only on the cell basis
            [], [], pen=pg.mkPen(DESIGN_COLOUR, width=1.5, style=pg.QtCore.Qt.DashLine))
        self.rate_marks = pg.ScatterPlotItem(size=6, brush=pg.mkBrush(DESIGN_COLOUR), pen=None)
        self.plot.addItem(self.rate_marks)
        self.rate_labels = {}
        for rate, text in LABELLED.items():
            label = pg.TextItem(text, color="#2a4a70", anchor=(0.5, 1.3))
            self.plot.addItem(label)
            self.rate_labels[rate] = label
        self.reference = {}          # cell id -> its scatter item (rated points)
        self.reference_lines = {}    # cell id -> [InfiniteLine] (rate not stated)
        self.not_plotted = []        # (cell, reason)
        self._reference_bounds = []  # (log10 x or None, log10 y) of every reference mark
        self._add_reference_cells()
        self._range = None
        self._texts = {}

    # ---- the published cells, drawn once: they do not change with the design
    def _add_reference_cells(self) -> None:
        for i, cell in enumerate(self.cells):
            colour = PALETTE[(i + 2) % len(PALETTE)]
            if not cell.points:
                density = cell.energy_density
                self.not_plotted.append((cell, "volumetric only"
                                         + (f" ({density.value:.4g} Wh/L)" if density else "")
                                         + ": no cell mass reported, so no Wh/kg"))
                continue
            rated = cell.rated
            if rated:
                estimate = any(p.estimate for p in rated)
                tag = (f"{cell.name} [{cell.basis} basis"
                       f"{', ESTIMATE' if estimate else ''}]")
                xs = [math.log10(p.specific_power.value) for p in rated]
                ys = [math.log10(p.specific_energy.value) for p in rated]
                if len(rated) > 1:    # one cell at several rates: its own Ragone line
                    self.plot.addItem(pg.PlotCurveItem(xs, ys, pen=pg.mkPen(colour, width=1)))
                item = pg.ScatterPlotItem(
                    x=xs, y=ys, symbol="s", size=11, brush=pg.mkBrush(colour),
                    pen=pg.mkPen("#202020"), name=tag, hoverable=True,
                    data=[self._tip(cell, p) for p in rated],
                    tip=lambda x, y, data: data)
                self.plot.addItem(item)
                self.legend.addItem(item, tag)
                self.reference[cell.id] = item
                self._reference_bounds += list(zip(xs, ys))
            for p in cell.unrated:
                e = p.specific_energy.value
                line = pg.InfiniteLine(
                    pos=math.log10(e), angle=0,
                    pen=pg.mkPen(colour, width=1.5, style=pg.QtCore.Qt.DashLine),
                    label=f"{cell.name}: {e:.4g} Wh/kg, {cell.basis} basis, rate not stated",
                    labelOpts={"position": 0.02, "color": colour,
                               "anchors": [(0, 1), (0, 1)]})
                line.setToolTip(self._tip(cell, p))
                self.plot.addItem(line)
                self.reference_lines.setdefault(cell.id, []).append(line)
                self._reference_bounds.append((None, math.log10(e)))

    @staticmethod
    def _tip(cell, point) -> str:
        """A reference point's tooltip: the numbers, how they were measured, the source."""
        lines = [cell.name, f"{point.specific_energy.value:.4g} Wh/kg"
                 + (f" at {point.specific_power.value:.4g} W/kg" if point.specific_power
                    else ", rate not stated")
                 + (f", {point.c_rate.value:g}C" if point.c_rate else ""),
                 f"{cell.basis} basis: {cell.mass_includes or 'mass breakdown not stated'}"]
        if point.conditions:
            lines.append(point.conditions)
        if point.estimate:
            lines.append("ESTIMATE: " + "; ".join(f.note.replace("ESTIMATE: ", "")
                                                  for f in point.figures
                                                  if not f.read and f.note))
        lines.append("Source: " + cell.citation)
        return "\n".join(lines)

    # ---- the design
    def draw(self, design, result) -> None:
        self.curves = ragone_curves(design, result, library=result.library)
        basis = "cell" if "cell" in self.curves else "stack"
        self.c, self.power, self.energy = self.curves[basis]
        self.curve.setData(self.power, self.energy)
        if basis == "cell":
            self.stack_curve.setData(*self.curves["stack"][1:])
        else:
            self.stack_curve.setData([], [])
        self.stack_curve.setVisible(basis == "cell")
        self._set_basis(basis, design.name)
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
        self._fit_range()
        self._say_once(
            f"Solid curve: this design from C/50 up to its maximum power, {BASIS_WORDS[basis]}"
            + (" (dashed: the same per repeat unit, no packaging)" if basis == "cell" else
               " (the design has no cell data: give cell.electrode_area and cell.unit_cells "
               "for the cell basis of the published cells)")
            + ", ohmic estimate (energy = Q (V − j·ASR)). Squares: published cells, on the basis "
            "their legend names (cell: the whole packaged cell; stack: without pouch film "
            "and tabs; hover for conditions and source; ESTIMATE where derived); dashed lines: "
            "published cells whose rate is not stated."
            + (" Not plotted: " + "; ".join(f"{c.name} ({why})" for c, why in self.not_plotted)
               + "." if self.not_plotted else ""))

    def _set_basis(self, basis: str, name: str) -> None:
        """Legend and axis labels say the basis; set only when it changed (each sets a
        layout in motion)."""
        legend = f"{name} ({BASIS_WORDS[basis]}, ohmic estimate)"
        if (basis, legend) == (self.basis, self._texts.get("legend")):
            return
        for sample, label in self.legend.items:
            if sample.item is self.curve:
                label.setText(legend)
        self._texts["legend"] = legend
        if basis != self.basis:
            self.legend.removeItem(self.stack_curve)
            if basis == "cell":
                self.legend.addItem(self.stack_curve, "the same design per repeat unit "
                                    "(no packaging)")
            words = "per cell mass" if basis == "cell" else "per repeat-unit mass"
            self.plot.setLabel("bottom", f"specific power, {words} (W/kg)",
                               **{"font-size": "10pt"})
            self.plot.setLabel("left", f"specific energy at rate, {words} (Wh/kg)",
                               **{"font-size": "10pt"})
            self.basis = basis

    def _fit_range(self) -> None:
        xs = [x for x, _ in self._reference_bounds if x is not None]
        ys = [y for _, y in self._reference_bounds]
        for _, power, energy in self.curves.values():
            if len(power):
                xs += [math.log10(power.min()), math.log10(power.max())]
                ys += [math.log10(energy.min()), math.log10(energy.max())]
        if not xs or not ys:
            return
        rng = (_snap(min(xs) - 0.1, max(xs) + 0.1), _snap(min(ys) - 0.05, max(ys) + 0.12))
        if rng != self._range:
            self.plot.setRange(xRange=rng[0], yRange=rng[1], padding=0)
            self._range = rng

    def _say_once(self, text: str) -> None:
        if text != self._texts.get("message"):
            self.say(text)
            self._texts["message"] = text

    def data_table(self):
        header = ["series", "basis", "c_rate [1/h]", "specific_power [W/kg]",
                  "specific_energy_at_rate [W*h/kg]", "read_from_source", "conditions",
                  "source"]
        rows = []
        for basis, (cs, ps, es) in self.curves.items():
            rows += [["design", BASIS_WORDS[basis], float(c), float(p), float(e), "", "",
                      "engine (ohmic estimate)"] for c, p, e in zip(cs, ps, es)]
        for cell in self.cells:
            for p in cell.points:
                rows.append([cell.id, cell.basis, p.c_rate.value if p.c_rate else "",
                             p.specific_power.value if p.specific_power else "",
                             p.specific_energy.value,
                             "partly (ESTIMATE)" if p.estimate else "yes",
                             p.conditions or "", cell.citation])
            if not cell.points:
                rows.append([cell.id, cell.basis, "", "", "", "not plotted: no Wh/kg", "",
                             cell.citation])
        return header, rows
