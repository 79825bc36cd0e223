"""Readable text reports: an evaluation as tables with units, and material records."""

from __future__ import annotations

import numpy as np

from .design import Design
from .materials import Material, PROPERTIES
from .metrics import METRICS
from .result import Result

PRETTY_UNITS = {
    "mA * h / cm ** 2": "mAh/cm2", "mW * h / cm ** 2": "mWh/cm2", "mg / cm ** 2": "mg/cm2",
    "W * h / kg": "Wh/kg", "W * h / l": "Wh/L", "ohm * cm ** 2": "ohm cm2",
    "mA / cm ** 2": "mA/cm2", "W / kg": "W/kg", "A * h": "Ah", "W * h": "Wh",
    "dimensionless": "", "um": "um",
}


def _fmt(x) -> str:
    arr = np.asarray(x, dtype=float)
    if arr.ndim > 0:
        return f"{arr.min():.4g} .. {arr.max():.4g} ({arr.size} designs)"
    v = float(arr)
    if not np.isfinite(v):
        return "n/a"
    if v == 0:
        return "0"
    return f"{v:.4g}" if abs(v) < 1e5 else f"{v:.4e}"


def text_table(rows: list[list[str]], align_right=frozenset()) -> list[str]:
    """Rows of cells as aligned, indented lines; columns in `align_right` right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [c.rjust(w) if i in align_right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def describe_conditions(design: Design) -> str:
    t = design.value("cell.temperature") - 273.15
    if design.has("cell.current_density"):
        rate = f"{design.value('cell.current_density'):g} mA/cm2"
    else:
        c = design.value("cell.c_rate")
        if 0 < c < 1 and abs(1 / c - round(1 / c)) < 0.05:
            rate = f"C/{round(1 / c)}"
        else:
            rate = f"{c:g}C"
    counted = {"stacked": "repeat unit with half of each current collector",
               "single": "single cell, both current collectors whole",
               "bipolar": "bipolar repeat unit, the collector whole"}[design.format]
    return f"format {design.format} ({counted}); {_fmt(t)} degC; {rate}"


def evaluation_text(result: Result, design: Design | None = None) -> str:
    lines = [f"{result.design}" + (f"  ({design.file})" if design and design.file else "")]
    if design is not None:
        lines.append(f"  {describe_conditions(design)}")
    lines += ["", "Metrics"]
    rows = []
    for m in METRICS:
        value = result.metrics.get(m.name)
        if value is None:
            continue
        rows.append([m.label, _fmt(value), PRETTY_UNITS.get(m.unit, m.unit)])
    lines += text_table(rows, {1})
    limited = result.limited_by
    if limited is not None:
        if isinstance(limited, str):
            lines.append(f"  capacity limited by: {limited}")
        else:
            sides, counts = np.unique(np.asarray(limited), return_counts=True)
            lines.append("  capacity limited by: " + ", ".join(
                f"{side} ({count} designs)" for side, count in zip(sides, counts)))
    lines += ["", "Layers (negative to positive)"]
    rows = [["#", "role", "material", "thickness um", "areal mass mg/cm2", "counted", "porosity"]]
    for i, layer in enumerate(result.layers, 1):
        rows.append([str(i), layer["role"], layer["material"], _fmt(layer["thickness"]),
                     _fmt(layer["areal_mass"]), _fmt(layer["counted_fraction"]),
                     _fmt(layer["porosity"]) if "porosity" in layer else ""])
    lines += text_table(rows, {3, 4, 5, 6})
    extra = result.extra
    if np.any(np.asarray(extra.get("plated_lithium", 0)) > 0):
        lines.append(f"  plated lithium at full charge: {_fmt(extra['plated_lithium'])} um "
                     "(thickness only, no mass)")
    if np.any(np.asarray(extra.get("electrolyte_fill", 0)) > 0):
        lines.append(f"  electrolyte fill: {_fmt(extra['electrolyte_fill'])} mg/cm2")
    breakdown = extra.get("cell_mass_breakdown") or {}
    if breakdown and np.ndim(result.metrics["cell_mass"]) == 0:
        total = float(result.metrics["cell_mass"])
        lines += ["", "Cell mass by component"]
        rows = [[label, f"{float(g):.4g} g", f"{float(g) / total * 100:.1f} %"]
                for label, g in breakdown.items()]
        lines += text_table(rows, {1, 2})
    lines += ["", "ASR budget (ohm cm2)"]
    rows = [["term", "where", "ASR", "source"]]
    for term in result.asr:
        rows.append([term["term"], term["where"], _fmt(term["value"]), term.get("source") or ""])
    rows.append(["total", "", _fmt(result.metrics["asr_total"]), ""])
    lines += text_table(rows, {2})
    missing = result.asr_missing
    if missing:
        lines.append(f"  the total is a lower bound: {len(missing)} "
                     f"term{'s' if len(missing) > 1 else ''} without data "
                     f"({'; '.join(missing)})")
    if result.warnings:
        lines += ["", "Warnings"] + [f"  - {w}" for w in result.warnings]
    sources = result.sources()
    if sources:
        lines += ["", "Sources"]
        for s in sources:
            lines.append(f"  [{s['id']}] {s['citation']}")
            lines.append(f"      used for: {', '.join(s['used_for'])}")
    return "\n".join(lines) + "\n"


def material_text(m: Material, references: dict) -> str:
    lines = [f"{m.id}: {m.name}" if m.name else m.id,
             f"  kind: {m.kind}" + (f"   class: {m.family}" if m.family else "")]
    if m.aliases:
        lines.append(f"  aliases: {', '.join(m.aliases)}")
    if m.composition:
        lines.append(f"  composition: {m.composition}")
    if m.lithium_metal:
        lines.append("  lithium metal: plates and strips lithium")
    if m.kind == "cathode_active":
        lines.append("  lithiated as made: " + {True: "yes (holds the lithium it cycles)",
                                                False: "no (lithium-free: the cell must supply "
                                                       "its lithium)",
                                                None: "not stated (taken as yes)"}[m.lithiated])
    for prop, values in m.properties.items():
        for v in values:
            mark = "*" if v.preferred and len(values) > 1 else " "
            cond = f" at {v.temperature_K - 273.15:g} degC" if v.temperature_K else ""
            src = ", ".join(v.source)
            lines.append(f" {mark}{prop}: {v.written}{cond}   [{src}]")
            for label, text in (("method", v.method), ("printed", v.printed), ("note", v.note)):
                if text:
                    lines.append(f"      {label}: {text}")
    if m.conductivity_table:
        t = m.conductivity_table
        points = ", ".join(f"{T - 273.15:g} degC: {s:.3g} S/cm"
                           for T, s in zip(t.temperatures_K, t.sigmas_S_cm))
        lines.append(f"  conductivity table: {points}   [{', '.join(t.source)}]")
        if t.note:
            lines.append(f"      note: {t.note}")
    if m.tab_materials:
        lines.append(f"  tab materials (positive, negative): {', '.join(m.tab_materials)}")
    if m.note:
        lines.append(f"  note: {m.note}")
    cited = sorted({s for vals in m.properties.values() for v in vals for s in v.source}
                   | set(m.source) | set(m.conductivity_table.source if m.conductivity_table else ()))
    if cited:
        lines.append("  references:")
        for rid in cited:
            ref = references.get(rid)
            lines.append(f"    [{rid}] {ref.citation if ref else '(free text)'}"
                         + (f"  {ref.link}" if ref and ref.link else ""))
    if m.origin:
        lines.append(f"  defined in: {m.origin}")
    return "\n".join(lines) + "\n"


def material_dict(m: Material) -> dict:
    out = {"id": m.id, "name": m.name, "kind": m.kind, "class": m.family,
           "aliases": list(m.aliases), "lithium_metal": m.lithium_metal,
           "lithiated": m.lithiated,
           "composition": m.composition, "note": m.note, "source": list(m.source),
           "properties": {}}
    for prop, values in m.properties.items():
        from .units import KINDS
        unit = KINDS[PROPERTIES.get(prop, "asr")].internal or "dimensionless"
        out["properties"][prop] = [
            {"value": v.value, "unit": unit, "written": v.written, "source": list(v.source),
             "temperature_K": v.temperature_K, "method": v.method, "note": v.note,
             "printed": v.printed, "preferred": v.preferred or len(values) == 1}
            for v in values]
    if m.conductivity_table:
        out["conductivity_table"] = {
            "temperature_K": list(m.conductivity_table.temperatures_K),
            "sigma_S_per_cm": list(m.conductivity_table.sigmas_S_cm),
            "source": list(m.conductivity_table.source)}
    if m.tab_materials:
        out["tab_materials"] = list(m.tab_materials)
    return out
