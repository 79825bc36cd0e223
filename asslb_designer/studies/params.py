"""The numbers a study may vary: every numeric key of a design, by the path its errors name.

    layer[4].thickness            a layer's number (layers numbered from 1, file order)
    separator.thickness           the same, by role, where the design has one layer of that role
    cell.temperature              a [cell] number (defaults included: temperature, C-rate, ...)
    material.LLZO.ionic_conductivity
                                  a material property the evaluation reads (library or inline)
    interface[Li|LLZO].asr        an interface's ASR at its record's temperature (ohm*cm^2)

`parameters(design)` lists them with the current value in the engine's internal unit
(units.py), what each is, and, for library values, every cited value of the property (the
literature spread that Monte Carlo draws from by default). `resolve(design, key)` turns a
role name into the numbered key. Study code always hands values to `Design.with_values` as
pint Quantities (`quantity(design, key, array)`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..design import CELL_NUMBERS, DEFAULTS, ROLES, Design, value_kind
from ..errors import InputError, did_you_mean
from ..materials import PROPERTIES, Library, default_library
from ..metrics import BY_NAME
from ..units import KINDS, Quantity

CELL_DESCRIPTIONS = {
    "temperature": "operating temperature",
    "c_rate": "discharge C-rate (per hour)",
    "current_density": "discharge current density",
    "electrode_area": "electrode area",
    "electrode_width": "electrode width",
    "electrode_height": "electrode height",
    "unit_cells": "repeat units in the cell",
    "formation_loss": "fraction of the built capacity lost in formation",
    "extra_mass": "extra mass per cell",
    "electrolyte_fill": "liquid electrolyte per Ah delivered",
    "bruggeman_exponent": "Bruggeman (tortuosity) exponent",
}
LAYER_WORDS = {
    "thickness": "thickness", "loading": "active loading", "porosity": "porosity",
    "areal_capacity": "areal capacity", "np_ratio": "N/P ratio",
    "density": "coating density", "swelling": "swelling at full charge (fraction)",
}


@dataclass(frozen=True)
class Parameter:
    """One number a study may vary. `value` is in `unit` (the engine's internal unit)."""

    key: str                       # the numbered key, e.g. layer[4].thickness
    kind: str                      # units.KINDS name
    value: float
    description: str
    aliases: tuple[str, ...] = ()  # role names, e.g. separator.thickness
    written: str = ""              # as the design (or library) wrote it
    spread: tuple[float, ...] = () # every cited value of a library property (internal unit)
    sources: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        return KINDS[self.kind].internal

    def to_dict(self) -> dict:
        out = {"key": self.key, "aliases": list(self.aliases), "value": self.value,
               "unit": unit_label(self.unit), "written": self.written,
               "description": self.description}
        if self.spread:
            out["spread"] = {"values": list(self.spread), "sources": list(self.sources)}
        return out


def unit_label(unit: str) -> str:
    """A unit string for a column header: pint's spelling without spaces, '1' if none."""
    text = unit.replace(" ", "")
    return "1" if text in ("", "dimensionless") else text


def metric_column(name: str) -> str:
    """`specific_energy_cell [W*h/kg]`: a metric's column header."""
    return f"{name} [{unit_label(BY_NAME[name].unit)}]"


def key_column(key: str, design: Design) -> str:
    """`separator.thickness [um]`: a varied key's column header, the key as given."""
    return f"{key} [{unit_label(KINDS[kind_of(design, key)].internal)}]"


# ----------------------------------------------------------------------- role names

def role_aliases(design: Design) -> dict[str, str]:
    """Role name -> numbered key, for each role held by exactly one layer
    (`separator.thickness` -> `layer[4].thickness`)."""
    out = {}
    for role in ROLES:
        layers = design.layers_with_role(role)
        if len(layers) != 1:
            continue
        prefix = layers[0].key + "."
        for key in design.values:
            if key.startswith(prefix):
                out[f"{role}.{key[len(prefix):]}"] = key
    return out


def resolve(design: Design, key: str) -> str:
    """The numbered key for a key as a user wrote it (role names resolved)."""
    aliases = role_aliases(design)
    if key in aliases:
        return aliases[key]
    role, _, rest = key.partition(".")
    if role in ROLES and rest:
        layers = design.layers_with_role(role)
        if len(layers) > 1:
            options = " or ".join(f"{layer.key}.{rest}" for layer in layers)
            raise InputError(design.file, key, f"{len(layers)} layers are {role}s: name one, "
                                               f"{options}")
        if not layers:
            raise InputError(design.file, key, f"this design has no {role} layer")
        return f"{layers[0].key}.{rest}"
    return key


def kind_of(design: Design, key: str) -> str:
    """The quantity kind of a key as a user wrote it; an InputError naming the closest keys
    if the design has no such value."""
    canonical = resolve(design, key)
    try:
        return value_kind(design, canonical)
    except InputError as exc:
        if exc.key != canonical:
            raise
        reason = exc.reason
        if reason.startswith("not a value"):
            known = [k for k in (*design.values, *role_aliases(design), *DEFAULTS)]
            hint = did_you_mean(key, known)
            reason = ("not a value of this design" + hint if hint else reason) + \
                "; `asslb-designer params DESIGN` lists them"
        raise InputError(design.file, key, reason) from None


def quantity(design: Design, key: str, values) -> Quantity:
    """Values in the internal unit of `key` as a Quantity, the form with_values takes."""
    return Quantity(np.asarray(values, dtype=float), KINDS[kind_of(design, key)].internal)


def with_values(design: Design, values: dict) -> Design:
    """`design` with keys as a user wrote them (role names too) set to internal-unit arrays.

    A varied mass fraction takes the composite's other fractions along: those not varied
    are rescaled in proportion, so the fractions still sum to 1."""
    canonical = {resolve(design, k): v for k, v in values.items()}
    canonical.update(rescaled_fractions(design, canonical))
    return design.with_values({k: quantity(design, k, v) for k, v in canonical.items()})


def rescaled_fractions(design: Design, values: dict) -> dict:
    """For each composite with some (not all) mass fractions in `values` (numbered keys),
    its other fractions scaled by (1 - sum of the varied) / (1 - their sum as designed)."""
    out = {}
    prefixes = {k.rsplit(".", 1)[0] for k in values if k.rsplit(".", 1)[0].endswith(".fractions")}
    for prefix in prefixes:
        parts = [k for k in design.values if k.startswith(prefix + ".")]
        varied = [k for k in parts if k in values]
        fixed = [k for k in parts if k not in values]
        if not fixed:
            continue
        base_fixed = sum(float(design.values[k]) for k in fixed)
        if base_fixed == 0:
            continue
        scale = (1.0 - sum(np.asarray(values[k], dtype=float) for k in varied)) / base_fixed
        for k in fixed:
            out[k] = float(design.values[k]) * scale
    return out


# ------------------------------------------------------------------------ listing

def _fmt(value: float, unit: str) -> str:
    return f"{value:g} {unit}".strip()


def parameters(design: Design, library: Library | None = None) -> list[Parameter]:
    """Every numeric key a study may vary, in the order: cell, layers, materials, interfaces.

    Material properties and interfaces are those the evaluation of this design reads (so a
    property the design never uses is not offered)."""
    from ..evaluation import evaluate
    library = design.library(library if library is not None else default_library())
    out: list[Parameter] = []
    by_key = {}
    for key, alias in ((v, k) for k, v in role_aliases(design).items()):
        by_key.setdefault(key, []).append(alias)

    def allowed(key: str) -> str | None:
        try:
            return value_kind(design, key)
        except InputError:
            return None

    for name in CELL_NUMBERS:
        key = f"cell.{name}"
        if not (design.has(key) or key in DEFAULTS):
            continue
        kind = allowed(key)
        if kind is None:
            continue
        value = float(design.value(key))
        out.append(Parameter(key, kind, value, CELL_DESCRIPTIONS.get(name, name),
                             written=design.written.get(key, _fmt(value, KINDS[kind].internal)
                                                        + " (default)")))
    for key in design.values:
        if key.startswith("cell.") and key.count(".") == 2:
            kind = allowed(key)
            if kind is not None:
                part, name = key.split(".")[1:]
                out.append(Parameter(key, kind, float(design.values[key]),
                                     f"{part}: {name.replace('_', ' ')}",
                                     written=design.written.get(key, "")))
    layers = {layer.key: layer for layer in design.layers}
    for key in design.values:
        if not key.startswith("layer["):
            continue
        kind = allowed(key)
        if kind is None:
            continue
        layer = layers[key.split(".")[0]]
        rest = key.split(".", 1)[1]
        what = (f"mass fraction of {rest.split('.')[1]}" if rest.startswith("fractions.")
                else LAYER_WORDS.get(rest, rest))
        out.append(Parameter(key, kind, float(design.values[key]),
                             f"{layer.role.replace('_', ' ')} ({layer.label}): {what}",
                             tuple(by_key.get(key, ())), design.written.get(key, "")))

    result = evaluate(design, library)
    used = sorted({what.rpartition(" ")[::2] for whats in result.cited.values()
                   for what in whats}, key=lambda pair: (pair[0].lower(), pair[1]))
    for mid, prop in used:
        material = library.find(mid)
        if prop not in PROPERTIES or material is None:
            continue
        key = f"material.{material.id}.{prop}"
        chosen = material.value(prop)
        current = design.values.get(key, chosen.value if chosen else None)
        if current is None:
            continue
        kind = PROPERTIES[prop]
        spread, sources, left_out = comparable_spread(material.values(prop), chosen)
        what = f"{material.id} ({material.kind.replace('_', ' ')}): {prop.replace('_', ' ')}"
        if spread:
            what += f"; {len(spread)} cited values, {min(spread):g} to {max(spread):g} " \
                    f"{unit_label(KINDS[kind].internal)}"
        if left_out:
            what += f" ({left_out} more at other temperatures, not comparable)"
        out.append(Parameter(key, kind, float(current), what,
                             written=chosen.written if chosen else "",
                             spread=spread, sources=sources))
    for term in result.asr:
        if term["term"] != "interface":
            continue
        where = term["where"]
        key = f"interface[{where}].asr"
        a, b = where.split("|")
        record = library.interface(a, b)
        if record is not None and not record.asr:   # a record of a CCD only
            record = None
        if key in design.values:
            current = float(design.values[key])
        else:
            current = record.preferred_asr().value if record else 0.0
        spread, sources, left_out = (comparable_spread(record.asr, record.preferred_asr())
                                     if record else ((), (), 0))
        what = f"interface {where}: area-specific resistance" + (
            "" if record else " (no data: counted as 0)")
        if record and record.activation_energy is not None:
            what += " at its record's temperature (scaled by its activation energy)"
        if spread:
            what += f"; {len(spread)} cited values, {min(spread):g} to {max(spread):g} ohm*cm**2"
        out.append(Parameter(key, "asr", current, what,
                             written=record.preferred_asr().written if record else "",
                             spread=spread, sources=sources))
    return out


def comparable_spread(values, chosen) -> tuple[tuple, tuple, int]:
    """(values, their sources, how many were left out) of a property's cited values that
    can stand in for the preferred one: those measured at its temperature (within 0.5 K;
    values without a temperature count as at it). One value alone is no spread."""
    if chosen is None:
        return (), (), 0
    same = [v for v in values if v.temperature_K is None or chosen.temperature_K is None
            or abs(v.temperature_K - chosen.temperature_K) <= 0.5]
    if len(same) < 2:
        return (), (), 0
    sources = tuple(dict.fromkeys(s for v in same for s in v.source))
    return tuple(v.value for v in same), sources, len(values) - len(same)


def parameters_text(params: list[Parameter]) -> str:
    """The parameter list as an aligned table: key (role name), value, unit, what it is."""
    rows = [("key", "value", "unit", "what it is")]
    for p in params:
        name = p.key + (f"  ({', '.join(p.aliases)})" if p.aliases else "")
        rows.append((name, f"{p.value:.6g}", unit_label(p.unit), p.description))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "".join(f"{r[0].ljust(widths[0])}  {r[1].rjust(widths[1])}  "
                   f"{r[2].ljust(widths[2])}  {r[3]}\n" for r in rows)
