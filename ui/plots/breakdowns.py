"""Mass, thickness and ASR of the repeat unit, bar by bar, from the engine's result.

Mass: each layer's areal mass times the share the cell format counts (collectors half in a
stacked cell), plus any electrolyte fill; the bars add up to the `areal_mass` metric.
Thickness: the repeat unit in its thickest state, as in the cross-section (plated lithium its own bar);
the bars add up to `stack_thickness`. ASR: the bulk and electrode terms, then, set apart,
the interface terms; they add up to `asr_total`. An interface without data is shown at 0
and marked "no data".
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ..cross_section import bands_from_result
from .base import BULK_COLOUR, INTERFACE_COLOUR, PlotView, scalar, style_plot

ROLE_SHORT = {"current_collector": "collector", "anode": "negative", "interlayer": "interlayer",
              "separator": "separator", "cathode": "positive", "plated": "plated at charge"}
LAYER_COLOUR = "#6b8fb8"


def _name(role: str, material: str, counted: float = 1.0) -> str:
    share = "" if counted == 1.0 else (", half" if counted == 0.5 else f", x{counted:g}")
    return f"{material} ({ROLE_SHORT.get(role, role)}{share})"


def mass_items(result) -> list[tuple[str, float]]:
    """(label, mg/cm^2 counted in the repeat unit) per layer, then the electrolyte fill."""
    items = []
    for i, layer in enumerate(result.layers, 1):
        if layer["role"] == "anode" and layer["material"] == "none":
            continue
        counted = scalar(layer.get("counted_fraction", 1.0))
        items.append((f"{i} " + _name(layer["role"], layer["material"], counted),
                      scalar(layer["areal_mass"]) * counted))
    fill = scalar(result.extra.get("electrolyte_fill", 0.0))
    if fill > 0:
        items.append(("electrolyte fill", fill))
    return items


def thickness_items(result) -> list[tuple[str, float]]:
    """(label, um in the thickest state) per band of the cross-section."""
    return [(f"{b.index} " + _name(b.role, b.material, b.counted), b.thickness_um)
            for b in bands_from_result(result)]


def asr_items(result) -> list[tuple[str, float, str, bool]]:
    """(label, ohm*cm^2, term, has data) — bulk and electrode terms first, then interfaces.
    Terms the engine lists as missing data (`result.asr_missing`) appear at 0, marked."""
    missing = list(getattr(result, "asr_missing", ()))
    missing_interfaces = {m.split(" ", 1)[1] for m in missing if m.startswith("interface ")}
    bulk = [(f"{t['where']} ({t['term']})", scalar(t["value"]), t["term"], True)
            for t in result.asr if t["term"] != "interface"]
    bulk += [(f"{m.split(' ', 1)[1].split(' (')[0]} ({m.split(' ', 1)[0]})", 0.0,
              m.split(" ", 1)[0], False)
             for m in missing if not m.startswith("interface ")]
    interfaces = [(f"{t['where']}", scalar(t["value"]), "interface",
                   t["where"] not in missing_interfaces)
                  for t in result.asr if t["term"] == "interface"]
    return bulk + interfaces


class BreakdownView(PlotView):
    """Three bar charts of the repeat unit: mass, thickness, ASR."""

    export_name = "breakdowns"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("view:breakdowns")
        self.plots = {}
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.labels: dict[str, list] = {}
        self.items: dict[str, list] = {"mass": [], "thickness": [], "asr": []}
        for (row, col, span), (key, title, unit) in zip(((0, 0, 1), (0, 1, 1), (1, 0, 2)), (
                ("mass", "Areal mass", "areal mass (mg/cm²)"),
                ("thickness", "Thickness, thickest state", "thickness (µm)"),
                ("asr", "ASR at the design temperature", "ASR (Ω·cm²)"))):
            plot = self.graphics.addPlot(row=row, col=col, colspan=span)
            style_plot(plot, title, unit, "")
            plot.invertY(True)
            plot.showGrid(x=True, y=False, alpha=0.2)
            plot.getAxis("left").setWidth(190)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            self.plots[key] = plot

    def draw(self, design, result) -> None:
        self.items["mass"] = mass_items(result)
        self.items["thickness"] = thickness_items(result)
        self.items["asr"] = asr_items(result)
        total_mass = sum(v for _, v in self.items["mass"])
        total_t = sum(v for _, v in self.items["thickness"])
        self._bars("mass", [(l, v, LAYER_COLOUR) for l, v in self.items["mass"]], "mg/cm²")
        self._bars("thickness", [(l, v, "#e6c15a" if "plated" in l else LAYER_COLOUR)
                                 for l, v in self.items["thickness"]], "µm")
        asr = self.items["asr"]
        rows = [(l + ("" if ok else "  (no data)"), v, BULK_COLOUR)
                for l, v, term, ok in asr if term != "interface"]
        gap = len(rows)
        rows += [(l + ("" if ok else "  (no data)"), v, INTERFACE_COLOUR)
                 for l, v, term, ok in asr if term == "interface"]
        self._bars("asr", rows, "Ω·cm²", gap_after=gap)
        incomplete = any(not ok for *_, ok in asr)
        total_asr = scalar(result.metrics["asr_total"])
        self.plots["mass"].setTitle(f"Areal mass: {total_mass:.4g} mg/cm² (repeat unit)",
                                    size="11pt")
        self.plots["thickness"].setTitle(f"Thickness, thickest state: {total_t:.4g} µm", size="11pt")
        self.plots["asr"].setTitle(
            f"ASR: {total_asr:.4g} Ω·cm²" + (" (lower bound)" if incomplete else "")
            + f" at {design.value('cell.temperature') - 273.15:.4g} °C" if design is not None
            else f"ASR: {total_asr:.4g} Ω·cm²", size="11pt")
        self.say("Blue: layers (bulk and electrode ionic terms); orange: interface terms, set "
                 "apart below. Collectors count half in a stacked repeat unit."
                 + (" Interfaces marked 'no data' count 0: the total is a lower bound."
                    if incomplete else ""))

    def _bars(self, key: str, rows, unit: str, gap_after: int | None = None) -> None:
        """Update the plot's bars and value labels (items are reused: redraws stay cheap)."""
        plot = self.plots[key]
        ys = np.array([i + (1 if gap_after is not None and i >= gap_after else 0)
                       for i in range(len(rows))], dtype=float)
        widths = np.array([v for _, v, _ in rows], dtype=float)
        brushes = [pg.mkBrush(c) for _, _, c in rows]
        bar = self.bars.get(key)
        if bar is None:
            bar = pg.BarGraphItem(x0=np.zeros(len(rows)), y=ys, height=0.7, width=widths,
                                  brushes=brushes, pen=pg.mkPen("#303030", width=0.5))
            plot.addItem(bar)
            self.bars[key] = bar
            self.labels[key] = []
        else:
            bar.setOpts(x0=np.zeros(len(rows)), y=ys, width=widths, brushes=brushes)
        labels = self.labels[key]
        while len(labels) < len(rows):
            text = pg.TextItem("", color="#202020", anchor=(0, 0.5))
            plot.addItem(text)
            labels.append(text)
        top = float(widths.max()) if len(widths) else 1.0
        for i, text in enumerate(labels):
            if i < len(rows):
                text.setText(f"{widths[i]:.3g}")
                text.setPos(widths[i] + 0.02 * top, ys[i])
                text.show()
            else:
                text.hide()
        ticks = [(y, label) for y, (label, _, _) in zip(ys, rows)]
        if gap_after is not None and gap_after < len(rows):
            ticks.append((gap_after, "— interfaces —"))
        plot.getAxis("left").setTicks([ticks, []])
        plot.setXRange(0, top * 1.25 if top > 0 else 1.0, padding=0)
        plot.setYRange(-0.6, (ys[-1] if len(ys) else 0) + 0.6, padding=0)

    def data_table(self):
        header = ["breakdown", "item", "value", "unit", "term"]
        rows = [["mass", l, v, "mg/cm^2", ""] for l, v in self.items["mass"]]
        rows += [["thickness (thickest state)", l, v, "um", ""] for l, v in self.items["thickness"]]
        rows += [["asr", l, v, "ohm*cm^2", term + ("" if ok else " (no data)")]
                 for l, v, term, ok in self.items["asr"]]
        return header, rows
