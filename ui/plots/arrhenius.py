"""Arrhenius plot: log10 of the ionic conductivity against 1000/T for the stack's ion
conductors (separators, interlayers, catholytes, a liquid fill), as the engine computes
them (`asslb_designer.evaluation.ionic_conductivity`: the record's table or Arrhenius
parameters, and the design's overrides), with the library's measured values as points
for reference and the design temperature marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from asslb_designer.evaluation import ionic_conductivity

from .base import PALETTE, PlotView, log_axes, style_plot

T_RANGE_C = (-30.0, 150.0)


def ion_conductors(design, library) -> list[str]:
    """Ids of the design's materials that conduct ions, in stack order, each once."""
    names = []
    for layer in design.layers:
        for name in (layer.material if layer.role in ("separator", "interlayer") else None,
                     layer.electrolyte):
            if name:
                names.append(name)
    if design.electrolyte:
        names.append(design.electrolyte)
    out = []
    for name in names:
        material = library.find(name)
        if material is not None and material.conducts_ions and material.id not in out:
            out.append(material.id)
    return out


def _without_data(design, library) -> list[str]:
    """Separators, interlayers and catholytes of the design with no conductivity data."""
    out = []
    for layer in design.layers:
        for name in (layer.material if layer.role in ("separator", "interlayer") else None,
                     layer.electrolyte):
            m = library.find(name) if name else None
            if m is not None and not m.conducts_ions and m.id not in out:
                out.append(m.id)
    return out


def measured_points(material) -> list[tuple[float, float, str]]:
    """(T in K, sigma in S/cm, source ids) of every measured value of a record."""
    points = []
    reference = material.get("reference_temperature")
    for v in material.values("ionic_conductivity"):
        t = v.temperature_K or reference
        if t:
            points.append((t, v.value, ", ".join(v.source)))
    table = material.conductivity_table
    if table is not None:
        points += [(t, s, ", ".join(table.source))
                   for t, s in zip(table.temperatures_K, table.sigmas_S_cm)]
    return points


class ArrheniusView(PlotView):
    export_name = "arrhenius"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("view:arrhenius")
        self.plot = self.graphics.addPlot(axisItems=log_axes("left"))
        style_plot(self.plot, "Ionic conductivity of the stack's ion conductors",
                   "1000 / T (1/K)", "σ (S/cm)")
        self.plot.setLogMode(x=False, y=True)
        self.legend = self.plot.addLegend(offset=(-10, 10), labelTextSize="9pt")
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.points: dict[str, pg.ScatterPlotItem] = {}
        self.temperatures_K = 273.15 + np.linspace(*T_RANGE_C, 91)
        self.table: list[list] = []

    def draw(self, design, result) -> None:
        library = result.library
        T = self.temperatures_K
        names = ion_conductors(design, library)
        sigmas = {}
        for name in names:
            sigma = ionic_conductivity(design, name, T, library)
            if sigma is not None:
                sigmas[name] = np.broadcast_to(np.asarray(sigma, dtype=float), T.shape)
        t_design = float(np.asarray(design.value("cell.temperature")).ravel()[0])
        without = _without_data(design, library)
        # most edits (a thickness, a loading) leave every σ(T) as it was: then the plot,
        # its legend and its table are already right, and rebuilding them is the cost
        key = (tuple(names), tuple((n, s.tobytes()) for n, s in sigmas.items()),
               tuple((n, tuple(measured_points(library.find(n)))) for n in sigmas),
               t_design, tuple(without))
        if key == getattr(self, "_drawn", None):
            self.say(self._said)        # unchanged (QLabel skips the same text)
            return
        self._drawn = None
        self.plot.clear()
        self.legend.clear()
        self.curves, self.points, self.table = {}, {}, []
        x = 1000.0 / T
        for i, name in enumerate(names):
            if name not in sigmas:
                continue
            sigma = sigmas[name]
            colour = PALETTE[i % len(PALETTE)]
            constant = np.allclose(sigma, sigma[0])
            label = name + (" (no activation energy: held constant)" if constant else "")
            pen = pg.mkPen(colour, width=2, style=pg.QtCore.Qt.DashLine if constant
                           else pg.QtCore.Qt.SolidLine)
            curve = self.plot.plot(x, sigma, pen=pen, name=label)
            self.curves[name] = curve
            self.table += [[name, "engine", float(t), float(s), ""] for t, s in zip(T, sigma)]
            pts = measured_points(library.find(name))
            if pts:
                scatter = pg.ScatterPlotItem(
                    x=[1000.0 / t for t, _, _ in pts], y=[np.log10(s) for _, s, _ in pts],
                    symbol="o", size=9, pen=pg.mkPen("#202020"), brush=pg.mkBrush(colour))
                self.plot.addItem(scatter)
                self.legend.addItem(scatter, f"{name}: library values ({len(pts)} measured)")
                self.points[name] = scatter
                self.table += [[name, "library value", t, s, src] for t, s, src in pts]
        line = pg.InfiniteLine(pos=1000.0 / t_design, angle=90,
                               pen=pg.mkPen("#808080", style=pg.QtCore.Qt.DashLine),
                               label=f"design {t_design - 273.15:.4g} °C",
                               labelOpts={"position": 0.08, "color": "#404040"})
        self.plot.addItem(line)
        self._temperature_axis()
        note = (" No conductivity data (not plotted): " + ", ".join(without) + "."
                if without else "")
        if not self.curves:
            self.say("No layer of this design has ionic-conductivity data." + note)
        else:
            self.say("Lines: the engine's σ(T) (Arrhenius parameters or the interpolated table "
                     "of each record, and the design's overrides). Points: the library's "
                     "values at the temperature they were measured. Top axis: °C." + note)
        self._said, self._drawn = self.message.text(), key

    def _temperature_axis(self) -> None:
        self.plot.showAxis("top")
        top = self.plot.getAxis("top")
        ticks = [(1000.0 / (c + 273.15), f"{c:g} °C") for c in (-20, 0, 25, 50, 80, 100, 150)]
        top.setTicks([ticks, []])

    def data_table(self):
        return (["material", "kind", "temperature [K]", "ionic conductivity [S/cm]", "source"],
                self.table)
