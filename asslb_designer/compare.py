"""Two designs side by side, and where the difference in cell Wh/kg comes from.

The cell-level difference is explained as a waterfall from design A to design B: first the
change of energy at A's mass, then each mass component changed one at a time (in the order
of the breakdown); the steps add up exactly to the total difference in Wh/kg.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .metrics import METRICS
from .report import text_table
from .result import Result


@dataclass
class Step:
    what: str
    grams_a: float | None
    grams_b: float | None
    wh_per_kg_change: float


def _scalar(x) -> float:
    return float(np.asarray(x, dtype=float))


def cell_waterfall(a: Result, b: Result) -> list[Step]:
    """Steps from A's cell Wh/kg to B's; empty if either lacks cell-level figures."""
    if a.metrics.get("cell_mass") is None or b.metrics.get("cell_mass") is None:
        return []
    e_a, e_b = _scalar(a.metrics["cell_energy"]), _scalar(b.metrics["cell_energy"])
    mass = _scalar(a.metrics["cell_mass"])
    steps = []
    current = e_a / mass * 1e3
    nxt = e_b / mass * 1e3
    steps.append(Step("cell energy (Wh)", e_a, e_b, nxt - current))
    current = nxt
    parts_a = {k: _scalar(v) for k, v in a.extra.get("cell_mass_breakdown", {}).items()}
    parts_b = {k: _scalar(v) for k, v in b.extra.get("cell_mass_breakdown", {}).items()}
    for label in list(parts_a) + [k for k in parts_b if k not in parts_a]:
        ga, gb = parts_a.get(label), parts_b.get(label)
        delta = (gb or 0.0) - (ga or 0.0)
        if delta == 0:
            continue
        mass += delta
        nxt = e_b / mass * 1e3
        steps.append(Step(label, ga, gb, nxt - current))
        current = nxt
    return steps


def comparison_text(a: Result, b: Result, label_a: str = "A", label_b: str = "B") -> str:
    lines = [f"A: {a.design}", f"B: {b.design}", "", "Metrics"]
    rows = [["metric", "A", "B", "B - A", "unit"]]
    for m in METRICS:
        va, vb = a.metrics.get(m.name), b.metrics.get(m.name)
        if va is None and vb is None:
            continue
        fa = "n/a" if va is None else f"{_scalar(va):.4g}"
        fb = "n/a" if vb is None else f"{_scalar(vb):.4g}"
        diff = "" if va is None or vb is None else f"{_scalar(vb) - _scalar(va):+.4g}"
        rows.append([m.name, fa, fb, diff, m.unit])
    lines += text_table(rows, {1, 2, 3})
    steps = cell_waterfall(a, b)
    if steps:
        lines += ["", "Cell Wh/kg from A to B, one change at a time"]
        rows = [["change", "A", "B", "Wh/kg"]]
        for s in steps:
            unit = " Wh" if s.what.startswith("cell energy") else " g"
            rows.append([s.what, "-" if s.grams_a is None else f"{s.grams_a:.2f}{unit}",
                         "-" if s.grams_b is None else f"{s.grams_b:.2f}{unit}",
                         f"{s.wh_per_kg_change:+.2f}"])
        total = sum(s.wh_per_kg_change for s in steps)
        rows.append(["total", f"{_scalar(a.metrics['specific_energy_cell']):.2f}",
                     f"{_scalar(b.metrics['specific_energy_cell']):.2f}", f"{total:+.2f}"])
        lines += text_table(rows, {1, 2, 3})
    return "\n".join(lines) + "\n"

