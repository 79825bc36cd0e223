"""Edits of a design, as data: what the app's stack editor and undo stack are made of.

An edit is a small frozen object (`SetValues`, `AddLayer`, `RemoveLayer`, `DuplicateLayer`,
`MoveLayer`, `SetMaterial`, `RemoveMaterial`, `SetInterface`, `RemoveInterface`) whose
`apply(design)` returns a new `Design` or raises an `InputError` naming the key; the design
it was given is never changed. Every edit works on the plain data of the design's file
(`Design.data`: the strings as the user typed them, "0.03 mm" stays "0.03 mm") and reads the
edited data back with `design_from_dict`, so an edited design is checked exactly as a file
is. Keys are the ones errors name: ``layer[4].thickness``, ``layer[5].fractions.active``,
``layer[5].active``, ``cell.temperature``, ``cell.hardware.stack_pressure``,
``material[1].density`` (the first inline ``[[material]]``), ``name``.

No Qt here: the app wraps these objects in undo commands, and tests drive them headless.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .design import ROLES, Design
from .design_file import design_from_dict
from .errors import InputError
from .evaluation import COMPOSITE_PART_KINDS, SHEET_KINDS
from .materials import Library

_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")
#: the name keys of each layer that name a library material
MATERIAL_KEYS = ("material", "active", "electrolyte", "carbon", "binder")
#: list-valued top-level tables a key may index: layer[N], material[N], interface[N]
LISTS = ("layer", "material", "interface")

#: A small valid design to start from (File > New): Cu | Li | Li6PS5Cl | NMC811 | Al.
NEW_DESIGN: dict = {
    "schema": "asslb-designer/design@1",
    "name": "New design",
    "cell": {"format": "stacked", "temperature": "25 degC", "c_rate": 0.33},
    "layer": [
        {"role": "current_collector", "material": "Cu", "thickness": "10 um"},
        {"role": "anode", "material": "Li", "thickness": "20 um"},
        {"role": "separator", "material": "Li6PS5Cl", "thickness": "30 um"},
        {"role": "cathode", "active": "NMC811", "loading": "20 mg/cm^2",
         "fractions": {"active": 0.80, "electrolyte": 0.15, "carbon": 0.03, "binder": 0.02},
         "electrolyte": "Li6PS5Cl", "carbon": "VGCF", "binder": "PVDF", "porosity": 0.10},
        {"role": "current_collector", "material": "Al", "thickness": "12 um"},
    ],
}

#: What a new layer of each role starts as (AddLayer without a table).
LAYER_TEMPLATES: dict[str, dict] = {
    "interlayer": {"role": "interlayer", "material": "h-BN", "thickness": "500 nm"},
    "separator": {"role": "separator", "material": "Li6PS5Cl", "thickness": "30 um"},
    "current_collector": {"role": "current_collector", "material": "Al", "thickness": "12 um"},
    "anode": {"role": "anode", "material": "Li", "thickness": "20 um"},
    "cathode": NEW_DESIGN["layer"][3],
}


def new_design(file: str | None = None) -> Design:
    """The starting design of File > New."""
    return design_from_dict(copy.deepcopy(NEW_DESIGN), file)


def data_of(design: Design) -> dict:
    """A deep copy of the design's plain data, to edit."""
    if design.data is None:
        raise InputError(design.file, None, "this design has no file data to edit (it was "
                         "changed with with_values); edit the design it came from")
    return copy.deepcopy(dict(design.data))


def _rebuild(design: Design, data: dict, key: str | None) -> Design:
    """Read edited data back; an error that names no key is given the edited one."""
    try:
        return design_from_dict(data, design.file)
    except InputError as exc:
        if exc.key is None and key is not None:
            raise InputError(exc.file, key, exc.reason) from None
        raise


def split_key(key: str) -> list[str | int]:
    """``layer[4].fractions.active`` -> ["layer", 3, "fractions", "active"] (0-based)."""
    if not isinstance(key, str) or not key:
        raise InputError(None, str(key), "a key such as 'layer[4].thickness'")
    path: list[str | int] = []
    for step in key.split("."):
        m = _STEP.match(step)
        if not m:
            raise InputError(None, key, f"cannot read the key step {step!r}")
        path.append(m.group(1))
        if m.group(2) is not None:
            if m.group(1) not in LISTS:
                raise InputError(None, key, f"only {', '.join(LISTS)} are numbered")
            n = int(m.group(2))
            if n < 1:
                raise InputError(None, key, "numbering starts at 1")
            path.append(n - 1)
    return path


def _container(data: dict, path: list, key: str, create: bool):
    """The table holding the last step of `path`, or None when it does not exist."""
    node: Any = data
    for i, step in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise InputError(None, key, f"there is no {_where(path[:i + 1])} "
                                            f"(the design has {len(node) if isinstance(node, list) else 0})")
            node = node[step]
            continue
        if not isinstance(node, dict):
            raise InputError(None, key, f"{_where(path[:i])} is not a table")
        if step not in node:
            if not create:
                return None
            node[step] = [] if isinstance(nxt, int) else {}
        node = node[step]
        if not isinstance(node, (dict, list)):
            raise InputError(None, key, f"{_where(path[:i + 1])} is a value, not a table")
    return node


def _where(path: list) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def get_written(design: Design, key: str):
    """What the design's data holds at `key` as written ("0.03 mm", 0.8, "NMC811"), or None."""
    if design.data is None:
        return design.written.get(key)
    path = split_key(key)
    node = _container(design.data, path, key, create=False)     # reads, never changes
    if node is None or not isinstance(node, dict):
        return None
    value = node.get(path[-1])
    if isinstance(value, dict) and "value" in value:
        return value["value"] if isinstance(value["value"], str) else \
            f"{value['value']} {value.get('unit', '')}".strip()
    return value


@dataclass(frozen=True)
class SetValues:
    """Set (or, with None, remove) values by key, all at once: ``{"layer[4].thickness":
    "30 um"}``; ``{"layer[5].loading": None, "layer[5].thickness": "70 um"}`` switches how
    the cathode is sized in one edit. A value is the text as typed, a number, or a table."""

    updates: Mapping[str, Any]
    library: Library | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        keys = list(self.updates)
        return f"set {keys[0]}" + (f" (+{len(keys) - 1})" if len(keys) > 1 else "")

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        for key, value in self.updates.items():
            path = split_key(key)
            node = _container(data, path, key, create=value is not None)
            if value is None:
                if isinstance(node, dict):
                    node.pop(path[-1], None)
                continue
            if not isinstance(node, dict):
                raise InputError(design.file, key, f"{_where(path[:-1])} is not a table")
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    raise InputError(design.file, key, "empty: type a value such as '30 um'")
            node[path[-1]] = copy.deepcopy(value)
        new = _rebuild(design, data, next(iter(self.updates), None))
        if self.library is not None:
            self._check_names(new)
        return new

    def _check_names(self, new: Design) -> None:
        """A material name must be known and of a kind its place accepts."""
        lib = new.library(self.library)
        for key, value in self.updates.items():
            path = split_key(key)
            if not (isinstance(value, str) and len(path) == 3 and path[0] == "layer"
                    and path[2] in MATERIAL_KEYS and value.lower() != "none"):
                continue
            layer = new.layers[path[1]]
            lib.get(value, new.file, key, accepted_kinds(layer.role, path[2]))


def set_value(design: Design, key: str, value, library: Library | None = None) -> Design:
    """One value by key; see `SetValues`."""
    return SetValues({key: value}, library).apply(design)


def _layers(data: dict, design: Design, index: int, key: str) -> list:
    layers = data.get("layer")
    if not isinstance(layers, list) or not 1 <= index <= len(layers):
        raise InputError(design.file, key, f"there is no layer {index} "
                         f"(the design has {len(layers) if isinstance(layers, list) else 0})")
    return layers


@dataclass(frozen=True)
class AddLayer:
    """Insert a layer so that it becomes layer[index] (1-based; len+1 appends).
    `table` is its data ({"role": ..., "material": ..., "thickness": ...}); without it the
    role's template (LAYER_TEMPLATES)."""

    index: int
    role: str = "interlayer"
    table: Mapping | None = None

    @property
    def label(self) -> str:
        return f"add {self.role} as layer {self.index}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        layers = data.setdefault("layer", [])
        key = f"layer[{self.index}]"
        if not 1 <= self.index <= len(layers) + 1:
            raise InputError(design.file, key, f"a new layer goes at 1 to {len(layers) + 1}")
        if self.table is None and self.role not in LAYER_TEMPLATES:
            raise InputError(design.file, f"{key}.role", f"unknown role {self.role!r}; one of "
                             + ", ".join(ROLES))
        table = copy.deepcopy(dict(self.table if self.table is not None
                                   else LAYER_TEMPLATES[self.role]))
        layers.insert(self.index - 1, table)
        return _rebuild(design, data, key)


@dataclass(frozen=True)
class RemoveLayer:
    index: int

    @property
    def label(self) -> str:
        return f"remove layer {self.index}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        key = f"layer[{self.index}]"
        layers = _layers(data, design, self.index, key)
        del layers[self.index - 1]
        if not layers:
            raise InputError(design.file, key, "a design needs its layers")
        return _rebuild(design, data, key)


@dataclass(frozen=True)
class DuplicateLayer:
    """A copy of layer[index] right after it (e.g. a second interlayer)."""

    index: int

    @property
    def label(self) -> str:
        return f"duplicate layer {self.index}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        key = f"layer[{self.index}]"
        layers = _layers(data, design, self.index, key)
        layers.insert(self.index, copy.deepcopy(layers[self.index - 1]))
        return _rebuild(design, data, key)


@dataclass(frozen=True)
class MoveLayer:
    """Move layer[index] so that it becomes layer[to] (both 1-based)."""

    index: int
    to: int

    @property
    def label(self) -> str:
        return f"move layer {self.index} to {self.to}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        key = f"layer[{self.index}]"
        layers = _layers(data, design, self.index, key)
        if not 1 <= self.to <= len(layers):
            raise InputError(design.file, key, f"cannot move to position {self.to}: the "
                                               f"design has {len(layers)} layers")
        layers.insert(self.to - 1, layers.pop(self.index - 1))
        return _rebuild(design, data, key)


def _find_record(records: list, field_name: str, wanted) -> int | None:
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            continue
        have = rec.get(field_name)
        if field_name == "between" and isinstance(have, list) and isinstance(wanted, (list, tuple)):
            if sorted(str(x).lower() for x in have) == sorted(str(x).lower() for x in wanted):
                return i
        elif isinstance(have, str) and isinstance(wanted, str) and have.lower() == wanted.lower():
            return i
    return None


@dataclass(frozen=True)
class SetMaterial:
    """Add an inline ``[[material]]`` record, or replace the one with the same id. It is
    checked like a library record (kind, units, sources) and shadows a library entry."""

    record: Mapping

    @property
    def label(self) -> str:
        return f"set material {self.record.get('id', '?')}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        records = data.get("material", [])
        records = records if isinstance(records, list) else [records]
        rec_id = self.record.get("id")
        if not isinstance(rec_id, str) or not rec_id.strip():
            raise InputError(design.file, f"material[{len(records) + 1}].id",
                             "an inline material needs an id")
        i = _find_record(records, "id", rec_id)
        if i is None:
            records.append(copy.deepcopy(dict(self.record)))
            i = len(records) - 1
        else:
            records[i] = copy.deepcopy(dict(self.record))
        data["material"] = records
        return _rebuild(design, data, f"material[{i + 1}]")


@dataclass(frozen=True)
class RemoveMaterial:
    id: str

    @property
    def label(self) -> str:
        return f"remove material {self.id}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        records = data.get("material", [])
        records = records if isinstance(records, list) else [records]
        i = _find_record(records, "id", self.id)
        if i is None:
            raise InputError(design.file, "material", f"no inline material {self.id!r}")
        del records[i]
        if records:
            data["material"] = records
        else:
            data.pop("material", None)
        return _rebuild(design, data, f"material[{i + 1}]")


@dataclass(frozen=True)
class SetInterface:
    """Add an inline ``[[interface]]`` record (between = [a, b], asr, source, ...) or
    replace the one for the same pair (either order)."""

    record: Mapping

    @property
    def label(self) -> str:
        return f"set interface {'|'.join(map(str, self.record.get('between', ['?'])))}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        records = data.get("interface", [])
        records = records if isinstance(records, list) else [records]
        i = _find_record(records, "between", self.record.get("between"))
        if i is None:
            records.append(copy.deepcopy(dict(self.record)))
            i = len(records) - 1
        else:
            records[i] = copy.deepcopy(dict(self.record))
        data["interface"] = records
        return _rebuild(design, data, f"interface[{i + 1}]")


@dataclass(frozen=True)
class RemoveInterface:
    between: tuple[str, str]

    @property
    def label(self) -> str:
        return f"remove interface {'|'.join(self.between)}"

    def apply(self, design: Design) -> Design:
        data = data_of(design)
        records = data.get("interface", [])
        records = records if isinstance(records, list) else [records]
        i = _find_record(records, "between", list(self.between))
        if i is None:
            raise InputError(design.file, "interface", f"no inline interface "
                                                       f"{'|'.join(self.between)}")
        del records[i]
        if records:
            data["interface"] = records
        else:
            data.pop("interface", None)
        return _rebuild(design, data, f"interface[{i + 1}]")


def accepted_kinds(role: str, part: str) -> frozenset[str]:
    """The material kinds a layer of `role` accepts for its name key `part` (material,
    active, electrolyte, carbon, binder): what a material picker offers."""
    if part == "active":
        return frozenset({"cathode_active" if role == "cathode" else "anode_active"})
    if part in COMPOSITE_PART_KINDS:
        return frozenset(COMPOSITE_PART_KINDS[part])
    if role == "anode":
        return frozenset({"anode_active"})
    return frozenset(SHEET_KINDS.get(role, ()))


#: keys that say how a layer is sized, and how its pores are given: one of each at a time
SIZINGS = ("loading", "thickness", "areal_capacity", "np_ratio")
PORES = ("porosity", "density")


def equivalent(design: Design, result, key: str) -> str | None:
    """The value `key` would need to describe the evaluated design as it is, as text: the
    new value when a user switches how a layer is sized (loading -> thickness) or how the
    rate is given (C-rate -> current density). Taken from the engine's result; None when
    the result has no such number."""
    path = split_key(key)
    m = result.metrics
    if path == ["cell", "current_density"]:
        return f"{float(m['current_density']):.6g} mA/cm^2"
    if path == ["cell", "c_rate"]:
        # C-rate = current density / delivered areal capacity (per hour)
        return f"{float(m['current_density'] / m['areal_capacity']):.6g}"
    if len(path) == 3 and path[0] == "layer" and path[1] < len(result.layers):
        row = result.layers[path[1]]
        name = path[2]
        if name == "np_ratio":
            return f"{float(m['np_ratio']):.6g}"
        if name == "density" and "thickness" in row and row.get("thickness"):
            # coating density = solid areal mass / thickness; mg/cm^2 / um x 10 = g/cm^3
            return f"{float(row['areal_mass']) / float(row['thickness']) * 10:.6g} g/cm^3"
        units = {"thickness": "um", "loading": "mg/cm^2", "areal_capacity": "mA*h/cm^2",
                 "porosity": ""}
        if name in units and row.get(name) is not None:
            return f"{float(row[name]):.6g} {units[name]}".strip()
    return None


def switch(design: Design, result, old_key: str, new_key: str) -> SetValues:
    """The edit that replaces `old_key` by `new_key` with the equivalent value, so the
    evaluated design stays the same: e.g. layer[5].loading -> layer[5].thickness."""
    value = equivalent(design, result, new_key)
    if value is None:
        raise InputError(design.file, new_key, "no value to start from; type one")
    text = value
    try:
        text = float(value) if " " not in value else value
    except ValueError:
        pass
    return SetValues({old_key: None, new_key: text})
