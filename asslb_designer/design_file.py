"""The design file format: TOML text <-> `Design`.

Documented in design-format.md. Reading is strict: an unknown key is an error naming the
closest known key, and every number is checked and converted to the engine's internal
unit (units.py) on the way in.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from . import toml_input
from .design import (CELL_NUMBERS, CELL_TEXT, COMPOSITE_NUMBERS, COMPOSITE_TEXT, END_ELECTRODES,
                     FOIL_NUMBERS, FORMATS, FRACTION_KEYS, HARDWARE_KINDS, HARDWARE_NUMBERS,
                     HARDWARE_TEXT, PACKAGING_NUMBERS, PACKAGING_OPTIONAL, PACKAGING_TEXT,
                     PLATING, ROLES, SCHEMA, SHEET_NUMBERS, SHEET_TEXT, Design, Hardware, Layer,
                     Packaging, rule)
from .errors import InputError, did_you_mean
from .materials import Problems, parse_interface, parse_material
from .units import UnitProblem, read, read_table, shown, written_form


# ------------------------------------------------------------------------------ reading

class _Reader:
    """Reads one design file's data, collecting values in internal units."""

    def __init__(self, file: str | None):
        self.file = file
        self.values: dict[str, Any] = {}
        self.written: dict[str, str] = {}

    def fail(self, key: str, reason: str):
        raise InputError(self.file, key, reason)

    def check_keys(self, table: Mapping, allowed, where: str) -> None:
        prefix = f"{where}." if where else ""
        for k in table:
            if not isinstance(k, str):
                self.fail(f"{prefix}{shown(k)}", "a key is text")
            if k not in allowed:
                self.fail(f"{prefix}{k}", "unknown key" + did_you_mean(k, allowed))

    def number(self, node, kind: str, key: str, section: str, name: str) -> float:
        """Read one number through the checked path (units.read) with its rule
        (design.RULE_OPTIONS): a string "30 um", a `{value, unit}` table, a bare number
        for a dimensionless key."""
        try:
            if isinstance(node, dict):
                node, unit = read_table(node, ("value", "unit", "source", "note"))
            else:
                unit = None
            x = read(node, rule(section, name, kind), unit)
        except UnitProblem as exc:
            self.fail(key + (f".{exc.subkey}" if exc.subkey else ""), str(exc))
        self.values[key] = x
        self.written[key] = written_form(node, unit)
        return x

    def source(self, node: Mapping, where: str):
        """An optional `source` (text or a list of texts) and `note` (text) of a table."""
        for k in ("source", "note"):
            v = node.get(k)
            if v is not None and not (isinstance(v, str) or (
                    k == "source" and isinstance(v, list) and all(isinstance(x, str) for x in v))):
                self.fail(f"{where}.{k}", f"is text (a reference id or a citation), got {shown(v)}")
        src = node.get("source")
        return ", ".join(src) if isinstance(src, list) else src

    def optional_text(self, node: Mapping, name: str, where: str) -> str | None:
        value = node.get(name)
        if value is not None and not isinstance(value, str):
            self.fail(f"{where}.{name}", f"is text, got {shown(value)}")
        return value

    def text(self, node, key: str) -> str:
        if not isinstance(node, str) or not node.strip():
            self.fail(key, f"expected a name (text), got {shown(node)}")
        return node.strip()

    # -- cell
    def cell(self, cell: Mapping) -> dict:
        if not isinstance(cell, dict):
            self.fail("cell", "[cell] must be a table")
        self.check_keys(cell, set(CELL_NUMBERS) | CELL_TEXT, "cell")
        fmt = cell.get("format", "stacked")
        if fmt not in FORMATS:
            self.fail("cell.format", f"unknown format {fmt!r}; one of {', '.join(FORMATS)}"
                      + (did_you_mean(fmt, FORMATS) if isinstance(fmt, str) else ""))
        if "c_rate" in cell and "current_density" in cell:
            self.fail("cell.current_density", "give c_rate or current_density, not both")
        if "charge_c_rate" in cell and "charge_current_density" in cell:
            self.fail("cell.charge_current_density", "give charge_c_rate or "
                                                     "charge_current_density, not both")
        if "electrode_area" in cell and ("electrode_width" in cell or "electrode_height" in cell):
            self.fail("cell.electrode_area", "give electrode_area or electrode_width and "
                                             "electrode_height, not both")
        if ("electrode_width" in cell) != ("electrode_height" in cell):
            missing = "electrode_height" if "electrode_width" in cell else "electrode_width"
            self.fail(f"cell.{missing}", "electrode_width and electrode_height go together")
        out = {"format": fmt, "electrolyte": None, "fill_pores": False}
        for key, options, default in (("end_electrode", END_ELECTRODES, "none"),
                                      ("plated_lithium", PLATING, PLATING[0])):
            value = cell.get(key, default)
            if value not in options:
                self.fail(f"cell.{key}", f"unknown option {value!r}; one of {', '.join(options)}"
                          + (did_you_mean(value, options) if isinstance(value, str) else ""))
            out[key] = value
        if out["end_electrode"] != "none" and fmt != "stacked":
            self.fail("cell.end_electrode", "an end electrode closes a stacked cell; this cell "
                                            f"is {fmt}")
        for k, kind in CELL_NUMBERS.items():
            if k not in cell or k == "electrolyte_fill":
                continue
            self.number(cell[k], kind, f"cell.{k}", "cell", k)
        if "electrolyte" in cell:
            out["electrolyte"] = self.text(cell["electrolyte"], "cell.electrolyte")
        if "electrolyte_fill" in cell:
            fill = cell["electrolyte_fill"]
            if out["electrolyte"] is None:
                self.fail("cell.electrolyte_fill", "give the electrolyte too (cell.electrolyte)")
            if isinstance(fill, str) and fill.strip().lower() == "pores":
                out["fill_pores"] = True
            else:
                self.number(fill, "fill_per_capacity", "cell.electrolyte_fill", "cell",
                            "electrolyte_fill")
        elif out["electrolyte"] is not None:
            out["fill_pores"] = True
        out["packaging"] = self.packaging(cell["packaging"]) if "packaging" in cell else None
        out["hardware"] = self.hardware(cell["hardware"]) if "hardware" in cell else None
        return out

    def packaging(self, node) -> Packaging:
        if isinstance(node, str):
            return Packaging(tab_materials=("", ""), record=self.text(node, "cell.packaging"))
        if not isinstance(node, dict):
            self.fail("cell.packaging", "give a packaging record's id or a [cell.packaging] table")
        self.check_keys(node, set(PACKAGING_NUMBERS) | PACKAGING_TEXT, "cell.packaging")
        kind = node.get("kind", "pouch")
        if kind != "pouch":
            self.fail("cell.packaging.kind", f"only 'pouch' packaging is modelled, got {kind!r}")
        for k, kind_name in PACKAGING_NUMBERS.items():
            if k in PACKAGING_OPTIONAL and k not in node:
                continue
            if k not in node:
                self.fail(f"cell.packaging.{k}", "missing: a pouch needs "
                          + ", ".join(PACKAGING_NUMBERS) + " and tab_materials")
            self.number(node[k], kind_name, f"cell.packaging.{k}", "packaging", k)
        tabs = node.get("tab_materials")
        if not (isinstance(tabs, list) and len(tabs) == 2
                and all(isinstance(t, str) and t.strip() for t in tabs)):
            self.fail("cell.packaging.tab_materials", 'give [positive, negative], e.g. ["Al", "Ni"]')
        return Packaging(tab_materials=(tabs[0].strip(), tabs[1].strip()),
                         source=self.source(node, "cell.packaging"))

    def hardware(self, node) -> Hardware:
        if not isinstance(node, dict):
            self.fail("cell.hardware", "[cell.hardware] must be a table")
        self.check_keys(node, set(HARDWARE_NUMBERS) | HARDWARE_TEXT, "cell.hardware")
        kind = node.get("kind", "end_plates")
        if kind not in HARDWARE_KINDS:
            self.fail("cell.hardware.kind", f"unknown kind {kind!r}; one of "
                      + ", ".join(HARDWARE_KINDS) + did_you_mean(str(kind), HARDWARE_KINDS))
        needed = {"end_plates": ("stack_pressure", "material"), "custom": ("mass", "thickness")}
        for k in needed[kind]:
            if node.get(k) is None:
                self.fail(f"cell.hardware.{k}", f"missing: {kind} hardware needs "
                          + " and ".join(needed[kind]))
        for k, kind_name in HARDWARE_NUMBERS.items():
            if k in node:
                self.number(node[k], kind_name, f"cell.hardware.{k}", "hardware", k)
        material = node.get("material")
        if material is not None:
            material = self.text(material, "cell.hardware.material")
        return Hardware(kind, material, self.source(node, "cell.hardware"))

    # -- layers
    def layer(self, node, index: int) -> Layer:
        key = f"layer[{index}]"
        if not isinstance(node, dict):
            self.fail(key, "each [[layer]] must be a table")
        role = node.get("role")
        if role not in ROLES:
            self.fail(f"{key}.role", f"unknown role {role!r}; one of {', '.join(ROLES)}"
                      + (did_you_mean(role, ROLES) if isinstance(role, str) else ""))
        composite = "active" in node
        if composite and role not in ("anode", "cathode"):
            self.fail(f"{key}.active", f"only electrodes are composites, this layer is a {role}")
        if role == "cathode" and not composite:
            self.fail(f"{key}.active", "a cathode is a composite: give its `active` material")
        if composite:
            return self.composite(node, index, role)
        return self.sheet(node, index, role)

    def sheet(self, node, index: int, role: str) -> Layer:
        key = f"layer[{index}]"
        numbers = FOIL_NUMBERS if role == "anode" else SHEET_NUMBERS
        self.check_keys(node, set(numbers) | SHEET_TEXT, key)
        if "material" not in node:
            self.fail(f"{key}.material", f"a {role} layer needs a material")
        material = self.text(node["material"], f"{key}.material")
        sizing = None
        if role == "anode" and material.lower() == "none":
            for k in numbers:
                if k in node and k != "swelling":
                    self.fail(f"{key}.{k}", "an anode-free negative (material = \"none\") "
                                            "has no thickness or capacity of its own")
        elif role == "anode":
            given = [k for k in ("thickness", "np_ratio", "areal_capacity") if k in node]
            if len(given) != 1:
                self.fail(f"{key}.thickness", "give exactly one of thickness, np_ratio, "
                          f"areal_capacity for a foil anode (got {', '.join(given) or 'none'})")
            sizing = given[0]
        elif "thickness" not in node:
            self.fail(f"{key}.thickness", f"a {role} layer needs a thickness")
        else:
            sizing = "thickness"
        for k, kind in numbers.items():
            if k in node:
                self.number(node[k], kind, f"{key}.{k}", "layer", k)
        return Layer(index, role, material=material, sizing=sizing,
                     name=self.optional_text(node, "name", key))

    def composite(self, node, index: int, role: str) -> Layer:
        key = f"layer[{index}]"
        self.check_keys(node, set(COMPOSITE_NUMBERS) | COMPOSITE_TEXT, key)
        sizes = ("loading", "thickness", "areal_capacity") + (("np_ratio",) if role == "anode" else ())
        given = [k for k in sizes if k in node]
        if len(given) != 1:
            self.fail(f"{key}.loading", f"give exactly one of {', '.join(sizes)} "
                                        f"(got {', '.join(given) or 'none'})")
        pores = [k for k in ("porosity", "density") if k in node]
        if len(pores) != 1:
            self.fail(f"{key}.porosity", "give exactly one of porosity or (coating) density"
                      f" (got {', '.join(pores) or 'none'})")
        for k, kind in COMPOSITE_NUMBERS.items():
            if k in node:
                self.number(node[k], kind, f"{key}.{k}", "layer", k)
        fractions = node.get("fractions", {"active": 1.0})
        if not isinstance(fractions, dict):
            self.fail(f"{key}.fractions", "give mass fractions as a table, e.g. "
                      "{ active = 0.8, electrolyte = 0.15, carbon = 0.03, binder = 0.02 }")
        self.check_keys(fractions, FRACTION_KEYS, f"{key}.fractions")
        total = 0.0
        for k in FRACTION_KEYS:
            w = self.number(fractions.get(k, 0.0), "dimensionless", f"{key}.fractions.{k}",
                            "fractions", k)
            total += w
        if abs(total - 1.0) > 1e-6:
            self.fail(f"{key}.fractions", f"mass fractions must sum to 1, they sum to {total:.6g}")
        names = {}
        for part in ("electrolyte", "carbon", "binder"):
            w = self.values[f"{key}.fractions.{part}"]
            if part in node:
                names[part] = self.text(node[part], f"{key}.{part}")
            elif w > 0:
                self.fail(f"{key}.{part}", f"fractions.{part} is {w:g}: name the {part} material")
        return Layer(index, role, active=self.text(node["active"], f"{key}.active"),
                     sizing=given[0], pores=pores[0], name=self.optional_text(node, "name", key),
                     **names)

    def stack_order(self, layers: list[Layer]) -> None:
        roles = [layer.role for layer in layers]
        if roles.count("cathode") != 1:
            self.fail("layer", f"a design has exactly one cathode layer, found {roles.count('cathode')}")
        if roles.count("anode") != 1:
            self.fail("layer", f"a design has exactly one anode layer, found "
                      f"{roles.count('anode')} (an anode-free cell has one with material = \"none\")")
        if "separator" not in roles:
            self.fail("layer", "a design needs a separator (the electrolyte layer between the electrodes)")
        inner = [layer for layer in layers if layer.role != "current_collector"]
        if roles.count("current_collector") > 2:
            self.fail("layer", "at most two current collectors (the ends of the stack)")
        for layer in layers:
            if layer.role == "current_collector" and layer not in (layers[0], layers[-1]):
                self.fail(f"{layer.key}.role", "current collectors belong at the ends of the stack")
        if inner[-1].role != "cathode":
            self.fail(f"{inner[-1].key}.role", "list layers from the negative to the positive: "
                      "the cathode comes last (before its current collector)")
        anode = [layer for layer in inner if layer.role == "anode"]
        if anode and inner[0] is not anode[0]:
            self.fail(f"{anode[0].key}.role", "the anode comes first (after its current collector)")
        for layer in inner[1:-1]:
            if layer.role in ("anode", "cathode"):
                self.fail(f"{layer.key}.role", "electrodes are at the ends of the stack")


TOP_KEYS = ("schema", "name", "description", "cell", "layer", "material", "interface")


def design_from_dict(data: Mapping, file: str | None = None) -> Design:
    """Build a Design from parsed TOML data, checking every key and value."""
    r = _Reader(file)
    if not isinstance(data, Mapping):
        r.fail("", "a design is a TOML table")
    r.check_keys(data, TOP_KEYS, "")
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        r.fail("schema", f"unsupported schema {schema!r}; this version reads {SCHEMA!r}")
    cell = r.cell(data.get("cell", {}))
    layer_nodes = data.get("layer")
    if not isinstance(layer_nodes, list) or not layer_nodes:
        r.fail("layer", "a design needs its layers: [[layer]] tables from the negative "
                        "current collector to the positive one")
    layers = [r.layer(node, i + 1) for i, node in enumerate(layer_nodes)]
    r.stack_order(layers)
    problems = Problems(file or "<design>")
    materials, ids = [], {}
    for i, node in enumerate(_as_list(data.get("material", []))):
        m = parse_material(node, f"material[{i + 1}]", problems, file or "<design>")
        problems.raise_first()
        if m is None:
            continue
        if m.id.lower() in ids:      # ids are case-insensitive, as lookups are
            r.fail(f"material[{i + 1}].id", f"{m.id!r} is defined twice (also {ids[m.id.lower()]})")
        ids[m.id.lower()] = f"material[{i + 1}]"
        materials.append(m)
    interfaces, pairs = [], {}
    for i, node in enumerate(_as_list(data.get("interface", []))):
        it = parse_interface(node, f"interface[{i + 1}]", problems, file or "<design>")
        problems.raise_first()
        if it is None:
            continue
        pair = frozenset(b.lower() for b in it.between)
        if pair in pairs:            # either order
            r.fail(f"interface[{i + 1}].between", f"{'|'.join(it.between)} is given twice (also "
                   f"{pairs[pair]}): one record per pair, several values inside it")
        pairs[pair] = f"interface[{i + 1}]"
        interfaces.append(it)
    name = data.get("name", Path(file).stem if file else "design")
    if not isinstance(name, str):
        r.fail("name", "the design's name is text")
    r.optional_text(data, "description", "")
    return Design(name=name, layers=tuple(layers), values=r.values, format=cell["format"],
                  electrolyte=cell["electrolyte"], fill_pores=cell["fill_pores"],
                  packaging=cell["packaging"], hardware=cell["hardware"],
                  end_electrode=cell["end_electrode"], plated_lithium=cell["plated_lithium"],
                  materials=tuple(materials), interfaces=tuple(interfaces), file=file,
                  written=r.written, data=plain_data(data))


def plain_data(node):
    """A deep copy of TOML data as plain dicts, lists, str, int, float, bool (tomlkit's
    items are subclasses of these), so a design never shares its data with a caller."""
    if isinstance(node, Mapping):
        return {str(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [plain_data(v) for v in node]
    for t in (bool, int, float, str):
        if isinstance(node, t):
            return t(node)
    return node          # dates and times: immutable


def _as_list(node) -> list:
    return node if isinstance(node, list) else [node]


def loads_design(text: str, file: str | None = None) -> Design:
    """Read and check a design from TOML text."""
    return design_from_dict(toml_input.loads(text, file), file)


def load_design(path: str | Path) -> Design:
    """Read and check a design file."""
    return loads_design(toml_input.read_text(path), str(path))


# ------------------------------------------------------------------------------ writing
#
# The writer keeps what the user typed (it writes Design.data, the strings as read or as
# edited) and, when the design came from a file, that file's comments, order and layout:
# the file is re-read with tomlkit (a style-preserving TOML library) and only what changed
# is rewritten. A save is atomic (a temporary file beside the target, then os.replace) and
# checked: the text is read back and must give exactly the design's data.

_DOC_ORDER = ("schema", "name", "description", "cell", "layer", "material", "interface")
_TABLES_IN_CELL = ("packaging", "hardware")


def design_text(design: Design) -> str:
    """The TOML text of a design: its file's text with the changes applied (comments and
    order kept), or a fresh document for a design that has no file."""
    import tomlkit

    if design.data is None:
        raise InputError(design.file, None, "this design has no file data to write (it was "
                         "changed with with_values); save the design it came from")
    data = plain_data(design.data)
    doc = _source_document(design.file)
    if doc is None:
        doc = tomlkit.document()
        for key in sorted(data, key=lambda k: (_DOC_ORDER.index(k) if k in _DOC_ORDER else 99)):
            doc.add(key, _fresh(data[key], (key,)))
    else:
        _update_table(doc, data, ())
    return tomlkit.dumps(doc)


def save_design(design: Design, path: str | Path) -> Path:
    """Write `design` to `path` as a design file that `load_design` reads back to the same
    values (see design_text). Atomic: a crash mid-save leaves the old file as it was.
    Raises InputError if the design cannot be written, OSError if the disk refuses."""
    path = Path(path)
    text = design_text(design)
    if plain_data(tomllib.loads(text)) != plain_data(design.data):   # a writer bug, never data
        raise RuntimeError(f"{path}: the written TOML would not read back to this design")
    loads_design(text, str(path))
    tmp = None
    try:
        fd, tmp = _temp_beside(path)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _temp_beside(path: Path):
    import tempfile
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")


def _source_document(file: str | None):
    """The design's file as a tomlkit document, or None if it has none or cannot be read."""
    if not file:
        return None
    import tomlkit
    try:
        return tomlkit.parse(Path(file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError, ValueError):
        return None


def _inline_here(where: tuple) -> bool:
    """Tables at the top, [cell.packaging] and [cell.hardware] stay tables; any table
    deeper (fractions, value tables) is written inline."""
    return not (len(where) == 1 or (len(where) == 2 and where[0] == "cell"
                                    and where[1] in _TABLES_IN_CELL))


def _fresh(value, where: tuple):
    """A new tomlkit item for plain data at `where` (the key path)."""
    import tomlkit
    if isinstance(value, dict):
        if _inline_here(where):
            table = tomlkit.inline_table()
            for k, v in value.items():
                table.append(k, _fresh(v, where + (k,)))
            return table
        table = tomlkit.table()
        for k, v in value.items():
            table.add(k, _fresh(v, where + (k,)))
        return table
    if isinstance(value, list):
        if len(where) == 1 and value and all(isinstance(v, dict) for v in value):
            aot = tomlkit.aot()
            for v in value:
                aot.append(_fresh_row(v, where))
            return aot
        array = tomlkit.array()
        for v in value:
            array.append(_fresh(v, where + ("inline",)))
        return array
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    return tomlkit.item(value)


def _fresh_row(value: dict, where: tuple):
    import tomlkit
    table = tomlkit.table()
    for k, v in value.items():
        table.add(k, _fresh(v, where + ("row", k)))
    return table


def _update_table(table, new: dict, where: tuple) -> None:
    """Make the tomlkit `table` hold `new`, touching only what differs."""
    from tomlkit.items import AoT
    for k in [k for k in table if k not in new]:
        del table[k]
    for k, v in new.items():
        if k not in table:
            table[k] = _fresh(v, where + (k,))
            continue
        old = table[k]
        if plain_data(old) == v and type(plain_data(old)) is type(v):
            continue
        if isinstance(v, dict) and isinstance(old, dict):
            _update_table(old, v, where + (k,))
        elif isinstance(old, AoT) and isinstance(v, list) and all(isinstance(x, dict) for x in v):
            rows = _update_rows(old, v, (k,))
            if rows is not old:
                table[k] = rows
        else:
            table[k] = _fresh(v, where + (k,))


def _identity(row: dict) -> tuple:
    """What makes a [[layer]], [[material]] or [[interface]] the same one after an edit."""
    between = row.get("between")
    return (row.get("role"), row.get("material", row.get("active")), row.get("id"),
            tuple(sorted(map(str, between))) if isinstance(between, list) else None)


def _update_rows(old, new: list, where: tuple):
    """An array of tables matched row by row, so a moved, edited or kept layer keeps its
    own comments: first the same identity (role and material, id, pair), then the same
    role, in order; a row with no match is written fresh."""
    import tomlkit
    olds = list(old)
    plain = [plain_data(t) for t in olds]
    used: set[int] = set()
    match: list[int | None] = [None] * len(new)
    for test in (lambda a, b: _identity(a) == _identity(b),
                 lambda a, b: a.get("role") is not None and a.get("role") == b.get("role")):
        for j, row in enumerate(new):
            if match[j] is not None:
                continue
            for i, p in enumerate(plain):
                if i not in used and test(p, row):
                    match[j] = i
                    used.add(i)
                    break
    if match == list(range(len(olds))):             # same rows in the same order
        for table, row in zip(olds, new):
            _update_table(table, row, ("row",))
        return old
    from tomlkit.items import Whitespace
    aot = tomlkit.aot()
    for j, row in enumerate(new):
        if match[j] is None:
            aot.append(_fresh_row(row, where))
            continue
        table = olds[match[j]]
        _update_table(table, row, ("row",))
        body = table.value.body      # blank lines after a table: tomlkit adds its own between
        while j < len(new) - 1 and body and isinstance(body[-1][1], Whitespace):
            body.pop()
        aot.append(table)
    return aot
