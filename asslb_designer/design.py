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


from .errors import InputError
from .materials import Interface, Library, Material, PROPERTIES
from .units import UnitProblem, array_to_internal

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
}
CELL_TEXT = {"format", "electrolyte", "packaging", "hardware", "end_electrode",
             "plated_lithium"}
END_ELECTRODES = ("none", "negative")
PLATING = ("delivered", "built", "none")
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
    plated_lithium: str = "delivered"  # lithium plated at full charge: delivered | built | none
    materials: tuple[Material, ...] = ()    # inline [[material]]
    interfaces: tuple[Interface, ...] = ()  # inline [[interface]]
    file: str | None = None
    written: Mapping[str, str] = field(default_factory=dict)

    def value(self, key: str, default=None):
        return self.values.get(key, DEFAULTS.get(key, default))

    def has(self, key: str) -> bool:
        return key in self.values

    def with_values(self, updates: Mapping[str, Any]) -> "Design":
        """A copy with some numbers replaced; each may be a pint Quantity (any compatible
        unit), or a float/array already in the internal unit. Arrays broadcast."""
        values = dict(self.values)
        for key, value in updates.items():
            try:
                values[key] = array_to_internal(value, value_kind(self, key))
            except UnitProblem as exc:
                raise InputError(self.file, key, str(exc)) from None
        return replace(self, values=values)

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
            lib.add_interface(i)
        return lib


def value_kind(design: Design, key: str) -> str:
    """The quantity kind of a value path, for checking overrides."""
    parts = key.split(".")
    if parts[0] == "material" and len(parts) == 3 and parts[2] in PROPERTIES:
        return PROPERTIES[parts[2]]
    if (len(parts) == 2 and parts[1] == "asr" and parts[0].startswith("interface[")
            and parts[0].endswith("]") and parts[0].count("|") == 1):
        return "asr"   # interface[A|B].asr; evaluation checks that A|B is a pair of the stack
    if parts[0] == "cell" and len(parts) == 2:
        # a value the design's choice would ignore is refused rather than silently unused
        for this, other in (("c_rate", "current_density"), ("current_density", "c_rate"),
                            ("electrode_area", "electrode_width"),
                            ("electrode_width", "electrode_area"),
                            ("electrode_height", "electrode_area")):
            if parts[1] == this and design.has(f"cell.{other}"):
                raise InputError(design.file, key, f"this design gives cell.{other}; "
                                                   f"cell.{this} would be ignored")
    if parts[0] == "cell":
        if len(parts) == 2 and parts[1] in CELL_NUMBERS:
            return CELL_NUMBERS[parts[1]]
        if len(parts) == 3 and parts[1] == "packaging" and parts[2] in PACKAGING_NUMBERS:
            return PACKAGING_NUMBERS[parts[2]]
        if len(parts) == 3 and parts[1] == "hardware" and parts[2] in HARDWARE_NUMBERS:
            return HARDWARE_NUMBERS[parts[2]]
    layer = next((layer for layer in design.layers if parts[0] == layer.key), None)
    if layer is not None and len(parts) >= 2:
        if parts[1] == "fractions" and layer.composite and len(parts) == 3 \
                and parts[2] in FRACTION_KEYS:
            return "dimensionless"
        kinds = COMPOSITE_NUMBERS if layer.composite else (
            FOIL_NUMBERS if layer.role == "anode" else SHEET_NUMBERS)
        if len(parts) == 2 and parts[1] in kinds:
            sizes = ("loading", "thickness", "areal_capacity", "np_ratio")
            if layer.sizing in sizes and parts[1] in sizes and parts[1] != layer.sizing:
                raise InputError(design.file, key, f"{layer.key} is sized by {layer.sizing}: "
                                 f"vary {layer.key}.{layer.sizing} instead")
            if layer.composite and parts[1] in ("porosity", "density") and parts[1] != layer.pores:
                raise InputError(design.file, key, f"{layer.key} gives its {layer.pores}: "
                                 f"vary {layer.key}.{layer.pores} instead")
            return kinds[parts[1]]
    raise InputError(design.file, key, "not a value of this design")
