"""A cell design: the stack of layers and the cell around it.

A `Design` keeps the structure (which layers, which materials) apart from the numbers.
The numbers live in one flat mapping, `Design.values`, keyed by the path a user sees in an
error message (``layer[3].thickness``, ``cell.temperature``, ``material.LLZO.density``,
``interface[Li|LLZO].asr``),
each in the engine's internal unit (units.py) and each either a float or a numpy array.
Replacing a value by an array of N values turns the design into N designs evaluated at
once by the same code (`Design.with_values`). Layers are numbered from 1 in file order,
from the negative current collector to the positive one.

The TOML file format (reading and writing) lives in design_file.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np

from .errors import InputError, did_you_mean
from .materials import Interface, Library, Material, PROPERTIES, property_rule
from .units import Rule, UnitProblem, read, read_table, shown

SCHEMA = "asslb-designer/design@1"
ROLES = ("current_collector", "anode", "interlayer", "separator", "cathode")
FORMATS = ("stacked", "single", "bipolar")
FRACTION_KEYS = ("active", "electrolyte", "carbon", "binder")
DEFAULTS = {
    "cell.temperature": 298.15,  # K (25 degC)
    "cell.c_rate": 1 / 3,         # C/3, the rate at which EV cell energy is usually stated
    "cell.formation_loss": 0.0,
    "cell.extra_mass": 0.0,
    "cell.bruggeman_exponent": 1.5,
}

# key -> quantity kind (units.KINDS) for every numeric key of [cell]
CELL_NUMBERS = {
    "temperature": "temperature",
    "c_rate": "c_rate",
    "current_density": "current_density",
    "electrode_area": "area",
    "electrode_width": "length",
    "electrode_height": "length",
    "unit_cells": "dimensionless",
    "formation_loss": "dimensionless",
    "extra_mass": "mass",
    "electrolyte_fill": "fill_per_capacity",
    "bruggeman_exponent": "dimensionless",
    "prelithiation": "areal_capacity",
    "charge_c_rate": "c_rate",
    "charge_current_density": "current_density",
}
CELL_TEXT = {"format", "electrolyte", "packaging", "hardware", "end_electrode",
             "plated_lithium"}
END_ELECTRODES = ("none", "negative")
PLATING = ("built", "delivered", "none")   # the first is the default: the thickest state
PACKAGING_NUMBERS = {
    "foil_thickness": "length", "foil_density": "density", "sealing_margin": "length",
    "tab_length": "length", "tab_width": "length", "tab_thickness": "length",
    "tab_protrusion": "length",
}
PACKAGING_OPTIONAL = {"tab_protrusion"}
PACKAGING_TEXT = {"kind", "tab_materials", "source", "note"}
HARDWARE_NUMBERS = {
    "stack_pressure": "pressure", "safety_factor": "dimensionless", "plate_margin": "length",
    "cells_per_frame": "dimensionless", "mass": "mass",
    "thickness": "length", "plate_thickness": "length",
}
HARDWARE_TEXT = {"kind", "material", "source", "note"}
HARDWARE_KINDS = ("end_plates", "custom")

# per role: numeric keys (kind) and text keys
FOIL_NUMBERS = {"thickness": "length", "np_ratio": "dimensionless",
                "areal_capacity": "areal_capacity", "swelling": "dimensionless"}
COMPOSITE_NUMBERS = {"loading": "areal_mass", "thickness": "length",
                     "areal_capacity": "areal_capacity", "np_ratio": "dimensionless",
                     "porosity": "dimensionless", "density": "density",
                     "swelling": "dimensionless"}
COMPOSITE_TEXT = {"role", "name", "active", "fractions", "electrolyte", "carbon", "binder"}
SHEET_NUMBERS = {"thickness": "length", "porosity": "dimensionless"}
SHEET_TEXT = {"role", "name", "material"}

#: How each number is checked beyond its kind's dimension and physical range (units.Rule),
#: by section and key: what may be zero, what is a fraction, what counts, narrower ranges.
#: The file reader and Design.with_values both check by these, so a value refused in a file
#: is refused from Python too.
RULE_OPTIONS: dict[tuple[str, str], dict] = {
    ("cell", "c_rate"): {"zero_ok": True},
    ("cell", "current_density"): {"zero_ok": True},
    ("cell", "formation_loss"): {"zero_ok": True, "below_one": True},
    ("cell", "extra_mass"): {"zero_ok": True},
    ("cell", "prelithiation"): {"zero_ok": True},
    ("cell", "charge_c_rate"): {"zero_ok": True},
    ("cell", "charge_current_density"): {"zero_ok": True},
    ("cell", "unit_cells"): {"integer": True, "low": 1.0, "high": 1e6},
    ("cell", "bruggeman_exponent"): {"low": 0.1, "high": 10.0},
    ("packaging", "sealing_margin"): {"zero_ok": True},
    ("packaging", "tab_length"): {"zero_ok": True},
    ("packaging", "tab_width"): {"zero_ok": True},
    ("packaging", "tab_thickness"): {"zero_ok": True},
    ("packaging", "tab_protrusion"): {"zero_ok": True},
    ("hardware", "plate_margin"): {"zero_ok": True},
    ("hardware", "mass"): {"zero_ok": True},
    ("hardware", "thickness"): {"zero_ok": True},
    ("hardware", "safety_factor"): {"low": 1.0, "high": 1e3},
    ("hardware", "cells_per_frame"): {"integer": True, "low": 1.0, "high": 1e4},
    ("layer", "porosity"): {"zero_ok": True, "below_one": True},
    ("layer", "swelling"): {"zero_ok": True, "high": 10.0},
    ("layer", "np_ratio"): {"low": 1e-3, "high": 100.0},
    ("fractions", "active"): {"at_most_one": True},
    ("fractions", "electrolyte"): {"zero_ok": True, "at_most_one": True},
    ("fractions", "carbon"): {"zero_ok": True, "at_most_one": True},
    ("fractions", "binder"): {"zero_ok": True, "at_most_one": True},
}
#: Hardware keys each kind of hardware reads.
HARDWARE_USES = {"end_plates": {"stack_pressure", "safety_factor", "plate_margin",
                                "cells_per_frame", "plate_thickness"},
                 "custom": {"mass", "thickness"}}


def rule(section: str, name: str, kind: str) -> Rule:
    """The check for number `name` of a section ("cell", "packaging", "hardware", "layer",
    "fractions") whose quantity kind is `kind`."""
    return Rule(kind, **RULE_OPTIONS.get((section, name), {}))


@dataclass(frozen=True)
class Layer:
    """One layer of the stack. Numbers are in Design.values under ``layer[N].<key>``."""

    index: int                   # 1-based, file order
    role: str
    material: str | None = None  # sheets and foils; "none" for an anode-free negative
    active: str | None = None    # composite electrodes
    electrolyte: str | None = None
    carbon: str | None = None
    binder: str | None = None
    sizing: str | None = None    # loading | thickness | areal_capacity | np_ratio
    pores: str | None = None     # porosity | density (composites)
    name: str | None = None

    @property
    def key(self) -> str:
        return f"layer[{self.index}]"

    @property
    def composite(self) -> bool:
        return self.active is not None

    @property
    def anode_free(self) -> bool:
        return self.role == "anode" and (self.material or "").lower() == "none"

    @property
    def label(self) -> str:
        """How the layer is named in results and interface pairs."""
        return self.active if self.composite else (self.material or "")


@dataclass(frozen=True)
class Packaging:
    """Pouch packaging; its numbers are in Design.values under ``cell.packaging.<key>``."""

    tab_materials: tuple[str, str]
    record: str | None = None    # library id, when taken from the library
    source: str | None = None


@dataclass(frozen=True)
class Hardware:
    """Stack-pressure hardware; numbers in Design.values under ``cell.hardware.<key>``."""

    kind: str
    material: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Design:
    name: str
    layers: tuple[Layer, ...]
    values: Mapping[str, Any]
    format: str = "stacked"
    electrolyte: str | None = None   # liquid (or other) electrolyte filling the pores
    fill_pores: bool = False         # electrolyte_fill = "pores"
    packaging: Packaging | None = None
    hardware: Hardware | None = None
    end_electrode: str = "none"      # "negative": one more double-sided negative closes the stack
    plated_lithium: str = "built"    # lithium plated at full charge: built | delivered | none
    materials: tuple[Material, ...] = ()    # inline [[material]]
    interfaces: tuple[Interface, ...] = ()  # inline [[interface]]
    file: str | None = None
    written: Mapping[str, str] = field(default_factory=dict)
    #: the plain data (dicts, lists, strings as typed) this design was read from; the design
    #: model (edits.py) edits it and the writer (design_file.save_design) writes it.
    #: None once `with_values` has changed numbers the data does not hold.
    data: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    def value(self, key: str, default=None):
        return self.values.get(key, DEFAULTS.get(key, default))

    def has(self, key: str) -> bool:
        return key in self.values

    def with_values(self, updates: Mapping[str, Any]) -> "Design":
        """A copy with some numbers replaced, checked as a design file's are.

        Keys are the paths errors name (``layer[4].thickness``, ``cell.temperature``,
        ``material.LLZO.ionic_conductivity``). A dimensional value is a pint Quantity (any
        compatible unit; its magnitude may be an array), a string such as "25 degC", or a
        `{value, unit}` table; a bare number only for dimensionless keys (porosity,
        fractions, unit_cells, c_rate, ...), as in a file. Arrays broadcast: N values make
        N designs evaluated at once. A value the design would ignore is refused."""
        if not isinstance(updates, Mapping):
            raise InputError(self.file, None, "with_values takes a mapping {key: value}")
        values = dict(self.values)
        written = dict(self.written)
        for key, value in updates.items():
            if not isinstance(key, str):
                raise InputError(self.file, shown(key), "a value's key is text such as "
                                                        "'layer[4].thickness'")
            try:
                if isinstance(value, dict):
                    value, unit = read_table(value, ("value", "unit", "source", "note"))
                else:
                    unit = None
                values[key] = read(value, value_rule(self, key), unit, arrays=True)
            except UnitProblem as exc:
                raise InputError(self.file, key + (f".{exc.subkey}" if exc.subkey else ""),
                                 str(exc)) from None
            written.pop(key, None)
        new = replace(self, values=values, written=written, data=None)
        new.check_together(updates)
        return new

    def check_together(self, changed=()) -> None:
        """What no single value shows: arrays that do not broadcast (naming both keys and
        shapes), and mass fractions of a changed electrode that no longer sum to 1."""
        shape, arrays = (), []
        for key, value in self.values.items():
            if np.ndim(value) == 0:
                continue
            try:
                shape = np.broadcast_shapes(shape, np.shape(value))
            except ValueError:
                other = next((k for k in arrays if not _broadcasts(self.values[k], value)),
                             arrays[0])
                raise InputError(self.file, key, f"an array of shape {np.shape(value)} does "
                                 f"not broadcast with {other} of shape "
                                 f"{np.shape(self.values[other])} (give arrays of one length, "
                                 "or shapes that broadcast)") from None
            arrays.append(key)
        cell_level = ((self.has("cell.electrode_area") or self.has("cell.electrode_width"))
                      and self.has("cell.unit_cells"))
        if "cell.extra_mass" in changed and not cell_level:
            raise InputError(self.file, "cell.extra_mass", "a cell's extra mass counts only in "
                             "cell-level figures: give cell.electrode_area (or width and "
                             "height) and cell.unit_cells too")
        for layer in self.layers:
            if not layer.composite or not any(str(k).startswith(f"{layer.key}.fractions.")
                                              for k in changed):
                continue
            total = sum(self.value(f"{layer.key}.fractions.{part}", 0.0) for part in FRACTION_KEYS)
            bad = np.abs(np.asarray(total) - 1.0) > 1e-6
            if np.any(bad):
                i = np.unravel_index(int(np.argmax(bad)), np.shape(bad))   # () for a scalar
                at = f" at index {i[0] if len(i) == 1 else i}" if i else ""
                raise InputError(self.file, f"{layer.key}.fractions", "mass fractions must sum "
                                 f"to 1, they sum to {float(np.asarray(total)[i]):.6g}{at}")
            for part in ("electrolyte", "carbon", "binder"):
                w = self.value(f"{layer.key}.fractions.{part}", 0.0)
                if getattr(layer, part) is None and np.any(np.asarray(w) > 0):
                    raise InputError(self.file, f"{layer.key}.fractions.{part}",
                                     f"{layer.key} names no {part} material: its fraction "
                                     "stays 0")

    def with_material_ids(self, library: Library) -> "Design":
        """Material overrides (`material.<name>.<property>`) keyed by the record's id, the
        name resolved as a design file resolves it (an alias, any case); an unknown name
        is an InputError listing the closest ids."""
        renamed, given_as = {}, {}
        for key, value in self.values.items():
            parts = key.split(".")
            if parts[0] != "material" or len(parts) != 3:
                renamed[key] = value
                continue
            material = library.get(parts[1], self.file, key)
            canonical = f"material.{material.id}.{parts[2]}"
            if canonical in given_as:
                raise InputError(self.file, key, f"the same value as {given_as[canonical]} "
                                 f"(both name {material.id}'s {parts[2]})")
            given_as[canonical] = key
            renamed[canonical] = value
        return replace(self, values=renamed) if renamed.keys() != self.values.keys() else self

    def check_overrides_read(self, read_keys) -> None:
        """Refuse material overrides the evaluation never read (a property this design does
        not use, or a material it does not contain): they would be silently ignored."""
        for key in self.values:
            if key.startswith("material.") and key not in read_keys:
                _, mid, prop = key.split(".")
                raise InputError(self.file, key, f"this design does not use the {prop} of "
                                 f"{mid}: the value would be ignored")

    def layers_with_role(self, role: str) -> list[Layer]:
        return [layer for layer in self.layers if layer.role == role]

    @property
    def cathode(self) -> Layer:
        return self.layers_with_role("cathode")[0]

    @property
    def anode(self) -> Layer | None:
        found = self.layers_with_role("anode")
        return found[0] if found else None

    def library(self, base: Library) -> Library:
        """`base` with this design's inline materials and interfaces shadowing it."""
        if not self.materials and not self.interfaces:
            return base
        lib = base.copy()
        for m in self.materials:
            lib.add(m)
        for i in self.interfaces:
            for name in i.between:
                if lib.find(name) is None:   # lib.get raises the error naming the closest ids
                    lib.get(name, self.file, f"{i.key}.between")
            lib.add_interface(i)
        return lib


def _broadcasts(a, b) -> bool:
    try:
        np.broadcast_shapes(np.shape(a), np.shape(b))
        return True
    except ValueError:
        return False


def value_kind(design: Design, key: str) -> str:
    """The quantity kind of a value path (units.KINDS)."""
    return value_rule(design, key).kind


def value_rule(design: Design, key: str) -> Rule:
    """How the value at a path is checked (units.Rule); an InputError for a path that is
    not a value of this design, or one the design would ignore."""
    def refuse(reason: str):
        raise InputError(design.file, key, reason)

    parts = key.split(".")
    if parts[0] == "material" and len(parts) == 3 and parts[2] in PROPERTIES:
        return property_rule(parts[2])
    if (len(parts) == 2 and parts[1] == "asr" and parts[0].startswith("interface[")
            and parts[0].endswith("]") and parts[0].count("|") == 1):
        return property_rule("asr")   # interface[A|B].asr; evaluation checks the pair
    if parts[0] == "cell" and len(parts) == 2:
        # a value the design's choice would ignore is refused rather than silently unused
        for this, other in (("c_rate", "current_density"), ("current_density", "c_rate"),
                            ("electrode_area", "electrode_width"),
                            ("electrode_width", "electrode_area"),
                            ("electrode_height", "electrode_area"),
                            ("charge_c_rate", "charge_current_density"),
                            ("charge_current_density", "charge_c_rate")):
            if parts[1] == this and design.has(f"cell.{other}"):
                refuse(f"this design gives cell.{other}; cell.{this} would be ignored")
        if parts[1] == "electrolyte_fill":
            if design.electrolyte is None:
                refuse("this design has no cell.electrolyte to fill with")
            if design.fill_pores:
                refuse("this design fills every pore (electrolyte_fill = \"pores\"): a fill "
                       "per capacity would be ignored")
        if parts[1] in CELL_NUMBERS:
            return rule("cell", parts[1], CELL_NUMBERS[parts[1]])
    if parts[0] == "cell" and len(parts) == 3 and parts[1] == "packaging" \
            and parts[2] in PACKAGING_NUMBERS:
        if design.packaging is None:
            refuse("this design has no [cell.packaging]")
        if design.packaging.record:
            refuse(f"the packaging is the library record {design.packaging.record!r}: vary "
                   f"material.{design.packaging.record}.{parts[2]} instead")
        return rule("packaging", parts[2], PACKAGING_NUMBERS[parts[2]])
    if parts[0] == "cell" and len(parts) == 3 and parts[1] == "hardware" \
            and parts[2] in HARDWARE_NUMBERS:
        if design.hardware is None:
            refuse("this design has no [cell.hardware]")
        if parts[2] not in HARDWARE_USES[design.hardware.kind]:
            refuse(f"{design.hardware.kind} hardware does not use {parts[2]} (it reads "
                   + ", ".join(sorted(HARDWARE_USES[design.hardware.kind])) + ")")
        return rule("hardware", parts[2], HARDWARE_NUMBERS[parts[2]])
    layer = next((layer for layer in design.layers if parts[0] == layer.key), None)
    if layer is not None and len(parts) >= 2:
        if parts[1] == "fractions" and layer.composite and len(parts) == 3 \
                and parts[2] in FRACTION_KEYS:
            return rule("fractions", parts[2], "dimensionless")
        kinds = COMPOSITE_NUMBERS if layer.composite else (
            FOIL_NUMBERS if layer.role == "anode" else SHEET_NUMBERS)
        if layer.anode_free:
            kinds = {"swelling": "dimensionless"}
        if len(parts) == 2 and parts[1] in kinds:
            sizes = ("loading", "thickness", "areal_capacity", "np_ratio")
            if layer.sizing in sizes and parts[1] in sizes and parts[1] != layer.sizing:
                refuse(f"{layer.key} is sized by {layer.sizing}: vary "
                       f"{layer.key}.{layer.sizing} instead")
            if layer.composite and parts[1] in ("porosity", "density") and parts[1] != layer.pores:
                refuse(f"{layer.key} gives its {layer.pores}: vary {layer.key}.{layer.pores} "
                       "instead")
            return rule("layer", parts[1], kinds[parts[1]])
        if len(parts) == 2:
            refuse(f"not a value of {layer.key} ({layer.role})"
                   + did_you_mean(parts[1], list(kinds)))
    refuse("not a value of this design")
