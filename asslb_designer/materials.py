"""The materials library: records with values, units and sources, read from TOML.

A record (`Material`) holds each property as one or more `Value`s; a property with several
values (the literature spread) marks one `preferred`, which the engine uses. Interface
records (`Interface`) give the area-specific resistance of a pair of materials. References
(`Reference`) hold full citations; every library value names one.

The built-in library is the package data `asslb_designer.materials_db` (the repository's
`materials_db/` folder). A user library file in the platform's config folder (or the file
named by ``ASSLB_DESIGNER_USER_LIBRARY``) is merged over it; a design's inline
``[[material]]`` and ``[[interface]]`` tables shadow both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from . import toml_input
from .errors import InputError, did_you_mean
from .units import Rule, UnitProblem, read, read_table, shown, written_form

#: Property name -> quantity kind (see units.KINDS), for every numeric property the library knows.
PROPERTIES: dict[str, str] = {
    "density": "density",
    "specific_capacity": "specific_capacity",
    "theoretical_capacity": "specific_capacity",
    "average_potential": "potential",
    "ionic_conductivity": "conductivity",
    "electronic_conductivity": "conductivity",
    "reference_temperature": "temperature",
    "activation_energy": "energy",
    "transference_number": "dimensionless",
    "filler_fraction": "dimensionless",
    "porosity": "dimensionless",
    "volume_change": "dimensionless",
    "specific_surface_area": "specific_area",
    "youngs_modulus": "pressure",
    "tensile_modulus": "pressure",
    "compressive_strength": "pressure",
    "hardness": "pressure",
    "yield_strength": "pressure",
    "critical_current_density": "current_density",
    "typical_thickness": "length",
    "foil_thickness": "length",
    "foil_density": "density",
    "sealing_margin": "length",
    "tab_length": "length",
    "tab_width": "length",
    "tab_thickness": "length",
    "tab_protrusion": "length",
}
TEXT_FIELDS = {"id", "name", "aliases", "kind", "class", "source", "note", "composition",
               "tab_materials", "lithium_metal", "lithiated", "conductivity_table"}
VALUE_KEYS = {"value", "unit", "source", "temperature", "method", "note", "printed", "preferred",
              "stack_pressure"}

#: What each kind must give. A tuple inside means "one of these".
REQUIRED: dict[str, tuple] = {
    "cathode_active": ("density", "specific_capacity", "average_potential"),
    "anode_active": ("density", "specific_capacity", "average_potential"),
    "solid_electrolyte": ("density",),   # a conductivity is expected: the validator warns
    "liquid_electrolyte": ("density", ("ionic_conductivity", "conductivity_table")),
    "interlayer": ("density",),
    "conductive_additive": ("density",),
    "binder": ("density",),
    "current_collector": ("density",),
    "separator": ("density",),
    "structural": ("density", "yield_strength"),
    "packaging": ("foil_thickness", "foil_density", "sealing_margin", "tab_length",
                  "tab_width", "tab_thickness", "tab_materials"),
}
KINDS = tuple(REQUIRED)
ION_CONDUCTORS = {"solid_electrolyte", "liquid_electrolyte", "interlayer"}
#: Values that may be zero (a potential vs Li/Li+ of plated lithium is 0 V).
MAY_BE_ZERO = {"average_potential", "porosity", "volume_change", "filler_fraction",
               "activation_energy", "electronic_conductivity", "asr"}
FRACTIONS = {"transference_number", "filler_fraction", "porosity"}
#: Narrower ranges than the kind's (units.KINDS): an ion conductor, solid or liquid, stays
#: below 1 S/cm (the best superionic solids reach about 0.03 S/cm).
PROPERTY_RANGES = {"ionic_conductivity": {"high": 1.0}, "porosity": {"below_one": True},
                   "volume_change": {"high": 10.0}}


def property_rule(prop: str) -> Rule:
    """How a material or interface property is checked (units.Rule)."""
    kind = "asr" if prop == "asr" else PROPERTIES[prop]
    return Rule(kind, zero_ok=prop in MAY_BE_ZERO, at_most_one=prop in FRACTIONS,
                **PROPERTY_RANGES.get(prop, {}))


TEMPERATURE = Rule("temperature")
TEXT_OF_VALUE = ("method", "note", "printed")


@dataclass(frozen=True)
class Value:
    """One value of a property, in the engine's internal unit for its kind (units.KINDS)."""

    value: float
    kind: str
    written: str
    source: tuple[str, ...] = ()
    temperature_K: float | None = None
    method: str | None = None
    note: str | None = None
    printed: str | None = None
    preferred: bool = False
    stack_pressure_MPa: float | None = None


@dataclass(frozen=True)
class ConductivityTable:
    """Tabulated conductivity: temperatures (K, rising) and conductivities (S/cm)."""

    temperatures_K: tuple[float, ...]
    sigmas_S_cm: tuple[float, ...]
    source: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Material:
    id: str
    kind: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    family: str = ""
    source: tuple[str, ...] = ()
    note: str | None = None
    composition: str | None = None
    lithium_metal: bool = False
    lithiated: bool | None = None    # cathode_active: holds its lithium as made (None: not stated)
    properties: dict[str, tuple[Value, ...]] = field(default_factory=dict)
    conductivity_table: ConductivityTable | None = None
    tab_materials: tuple[str, ...] = ()
    origin: str = ""

    def values(self, prop: str) -> tuple[Value, ...]:
        return self.properties.get(prop, ())

    def value(self, prop: str) -> Value | None:
        """The preferred value of a property, or None if the record does not give it."""
        values = self.properties.get(prop, ())
        for v in values:
            if v.preferred:
                return v
        return values[0] if values else None

    def get(self, prop: str) -> float | None:
        v = self.value(prop)
        return None if v is None else v.value

    @property
    def conducts_ions(self) -> bool:
        return self.conductivity_table is not None or "ionic_conductivity" in self.properties


@dataclass(frozen=True)
class Interface:
    between: tuple[str, str]
    asr: tuple[Value, ...]
    activation_energy: Value | None = None
    note: str | None = None
    origin: str = ""
    critical_current_density: tuple[Value, ...] = ()
    key: str = ""                    # where it was read, e.g. "interface[2]"

    def preferred_ccd(self) -> Value | None:
        ccd = self.critical_current_density
        return next((v for v in ccd if v.preferred), ccd[0]) if ccd else None

    def preferred_asr(self) -> Value | None:
        """The ASR value the engine uses; None for a record that gives only a CCD."""
        return next((v for v in self.asr if v.preferred), self.asr[0]) if self.asr else None


@dataclass(frozen=True)
class Reference:
    id: str
    citation: str
    doi: str | None = None
    via: str | None = None
    note: str | None = None
    url: str | None = None

    @property
    def link(self) -> str:
        """'doi:10....' or the URL, for display."""
        if self.doi:
            return self.doi if self.doi.startswith("http") else f"doi:{self.doi}"
        return self.url or ""


@dataclass
class Problems:
    """Collects what is wrong with a file; the loader raises the first, the validator lists all."""

    file: str
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    def error(self, key: str, reason: str) -> None:
        self.errors.append(InputError(self.file, key, reason))

    def warn(self, key: str, reason: str) -> None:
        self.warnings.append(InputError(self.file, key, reason))

    def raise_first(self) -> None:
        if self.errors:
            raise self.errors[0]


# ---------------------------------------------------------------------------- parsing

def _as_sources(node, key: str, problems: Problems) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, str):
        return (node,)
    if isinstance(node, list) and all(isinstance(s, str) for s in node):
        return tuple(node)
    problems.error(key, "a source is a reference id or a list of them")
    return ()


def parse_value(node, prop: str, kind: str, default_source: tuple[str, ...], key: str,
                problems: Problems) -> Value | None:
    """Read one value (string "5.35 g/cm^3" or table {value, unit, source, ...}) through
    the checked path of units.read: dimension, sign, finiteness and physical range."""
    rule = property_rule(prop) if prop in PROPERTIES or prop == "asr" else Rule(kind)
    try:
        if isinstance(node, dict):
            number, unit = read_table(node, VALUE_KEYS)
            internal = read(number, rule, unit)
            written = written_form(number, unit)
        else:
            internal = read(node, rule)
            written = written_form(node)
    except UnitProblem as exc:
        problems.error(key + (f".{exc.subkey}" if exc.subkey else ""), str(exc))
        return None
    if not isinstance(node, dict):
        return Value(internal, kind, written, default_source)
    temperature_K = None
    if node.get("temperature") is not None:
        try:
            temperature_K = read(node["temperature"], TEMPERATURE)
        except UnitProblem as exc:
            problems.error(f"{key}.temperature", str(exc))
    stack_pressure = None
    if node.get("stack_pressure") is not None:
        try:
            stack_pressure = read(node["stack_pressure"], Rule("pressure"))
        except UnitProblem as exc:
            problems.error(f"{key}.stack_pressure", str(exc))
    preferred = node.get("preferred", False)
    if not isinstance(preferred, bool):
        problems.error(f"{key}.preferred", "must be true or false")
        preferred = False
    texts = {}
    for k in TEXT_OF_VALUE:
        texts[k] = node.get(k)
        if texts[k] is not None and not isinstance(texts[k], str):
            problems.error(f"{key}.{k}", f"is text, got {shown(texts[k])}")
            texts[k] = None
    source = _as_sources(node.get("source"), f"{key}.source", problems) or default_source
    return Value(internal, kind, written, source, temperature_K, texts["method"],
                 texts["note"], texts["printed"], preferred, stack_pressure)


def parse_property(node, prop: str, default_source: tuple[str, ...], key: str,
                   problems: Problems) -> tuple[Value, ...]:
    kind = "asr" if prop == "asr" else PROPERTIES[prop]
    nodes = node if isinstance(node, list) else [node]
    if not nodes:
        problems.error(key, "holds no values (an empty list)")
    values = []
    for i, item in enumerate(nodes):
        item_key = f"{key}[{i + 1}]" if isinstance(node, list) else key
        v = parse_value(item, prop, kind, default_source, item_key, problems)
        if v is not None:
            values.append(v)
    if isinstance(node, list):
        n_preferred = sum(v.preferred for v in values)
        if len(values) > 1 and n_preferred != 1:
            problems.error(key, f"holds {len(values)} values: mark exactly one `preferred = true`"
                           f" (found {n_preferred})")
    return tuple(values)


SIGMA_TABLE = Rule("conductivity", high=1.0)


def _parse_table(node, default_source, key: str, problems: Problems) -> ConductivityTable | None:
    source, note, points = default_source, None, node
    if isinstance(node, dict):
        for k in sorted(set(node) - {"points", "source", "note"}):
            problems.error(f"{key}.{k}", "unknown key" + did_you_mean(k, ["points", "source", "note"]))
        points = node.get("points")
        source = _as_sources(node.get("source"), f"{key}.source", problems) or default_source
        note = node.get("note")
        if note is not None and not isinstance(note, str):
            problems.error(f"{key}.note", f"is text, got {shown(note)}")
            note = None
    if not isinstance(points, list) or len(points) < 2:
        problems.error(key, 'needs at least two points [["25 degC", "1e-4 S/cm"], ...]')
        return None
    temps, sigmas = [], []
    for i, point in enumerate(points):
        if not (isinstance(point, list) and len(point) == 2):
            problems.error(f"{key}[{i + 1}]", 'each point is ["temperature", "conductivity"]')
            return None
        try:
            temps.append(read(point[0], TEMPERATURE))
            sigmas.append(read(point[1], SIGMA_TABLE))
        except UnitProblem as exc:
            problems.error(f"{key}[{i + 1}]", str(exc))
            return None
    order = sorted(range(len(temps)), key=temps.__getitem__)
    temps = [temps[i] for i in order]
    sigmas = [sigmas[i] for i in order]
    if len(set(temps)) != len(temps):
        problems.error(key, "two points at the same temperature")
        return None
    for (t0, s0), (t1, s1) in zip(zip(temps, sigmas), zip(temps[1:], sigmas[1:])):
        if s1 <= s0:
            problems.error(key, f"conductivity must rise with temperature: {s0:g} S/cm at "
                                f"{t0 - 273.15:g} degC but {s1:g} S/cm at {t1 - 273.15:g} degC")
    return ConductivityTable(tuple(temps), tuple(sigmas), source, note)


#: Text fields of a record and the types they hold (checked before the record is read).
TEXT_TYPES = {"id": str, "name": str, "kind": str, "class": str, "note": str,
              "composition": str, "aliases": (str, list), "tab_materials": list}


def check_text_fields(node: dict, key: str, problems: Problems) -> bool:
    """Text fields of the type they must be (an alias list of names, a kind a name, ...);
    False (and a problem) if one is not."""
    for name, types in TEXT_TYPES.items():
        if name not in node:
            continue
        value = node[name]
        ok = isinstance(value, types)
        if ok and isinstance(value, list):
            ok = all(isinstance(v, str) and v.strip() for v in value)
        if not ok:
            what = "a list of names" if types is list or name == "aliases" else "text"
            problems.error(f"{key}.{name}", f"is {what}, got {shown(value)}")
            return False
    return True


def parse_material(node: dict, key: str, problems: Problems, origin: str) -> Material | None:
    if not isinstance(node, dict):
        problems.error(key, "a material is a table")
        return None
    if not check_text_fields(node, key, problems):
        return None
    mid = node.get("id")
    if not isinstance(mid, str) or not mid.strip():
        problems.error(f"{key}.id", "every material needs an `id`")
        return None
    if any(c in mid for c in ".|") or mid.strip() != mid or mid.lower() == "none":
        problems.error(f"{key}.id", f"{mid!r}: an id has no '.' or '|' (they separate value "
                                    "paths and interface pairs), no edge spaces, and is not 'none'")
        return None
    kind = node.get("kind")
    if kind not in REQUIRED:
        problems.error(f"{key}.kind", f"unknown kind {kind!r}; one of {', '.join(KINDS)}"
                       + (did_you_mean(kind, KINDS) if isinstance(kind, str) else ""))
        return None
    source = _as_sources(node.get("source"), f"{key}.source", problems)
    properties: dict[str, tuple[Value, ...]] = {}
    for name, sub in node.items():
        if name in PROPERTIES:
            values = parse_property(sub, name, source, f"{key}.{name}", problems)
            if values:
                properties[name] = values
        elif name not in TEXT_FIELDS:
            problems.error(f"{key}.{name}", "unknown field"
                           + did_you_mean(name, list(PROPERTIES) + list(TEXT_FIELDS)))
    table = None
    if "conductivity_table" in node:
        table = _parse_table(node["conductivity_table"], source, f"{key}.conductivity_table",
                             problems)
    aliases = node.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    tabs = node.get("tab_materials", [])
    if kind == "packaging" and (not isinstance(tabs, list) or len(tabs) != 2):
        problems.error(f"{key}.tab_materials", "give two materials: [positive, negative]")
    lithium_metal = node.get("lithium_metal")
    if lithium_metal is not None and not isinstance(lithium_metal, bool):
        problems.error(f"{key}.lithium_metal", "must be true or false")
        lithium_metal = None
    if lithium_metal is None:
        # an anode_active foil at 0 V vs Li/Li+ is lithium metal unless the record says not
        potential = properties.get("average_potential", ())
        preferred = next((v for v in potential if v.preferred), potential[0] if potential else None)
        lithium_metal = kind == "anode_active" and preferred is not None and preferred.value == 0
    lithiated = node.get("lithiated")
    if lithiated is not None and not isinstance(lithiated, bool):
        problems.error(f"{key}.lithiated", "must be true or false (does the positive hold its "
                                           "lithium as made?)")
        lithiated = None
    if lithiated is not None and kind != "cathode_active":
        problems.error(f"{key}.lithiated", "only a cathode_active record states `lithiated`")
    for required in REQUIRED[kind]:
        options = required if isinstance(required, tuple) else (required,)
        if not any(o in node for o in options):   # present but unreadable: already reported
            problems.error(f"{key}", f"material {mid!r} ({kind}) needs {' or '.join(options)}")
    sigma = properties.get("ionic_conductivity", ())
    for i, v in enumerate(sigma):
        if v.temperature_K is None and "reference_temperature" not in properties:
            problems.error(f"{key}.ionic_conductivity", "give the temperature of the "
                           "measurement (`temperature` in the value, or `reference_temperature`)")
            break
    return Material(
        id=mid, kind=kind, name=node.get("name", ""), aliases=tuple(aliases),
        family=node.get("class", ""), source=source, note=node.get("note"),
        composition=node.get("composition"), lithium_metal=lithium_metal,
        lithiated=lithiated, properties=properties, conductivity_table=table,
        tab_materials=tuple(tabs) if isinstance(tabs, list) else (), origin=origin)


def parse_interface(node: dict, key: str, problems: Problems, origin: str) -> Interface | None:
    allowed = {"between", "asr", "activation_energy", "temperature", "source", "note",
               "critical_current_density"}
    if not isinstance(node, dict):
        problems.error(key, "an interface is a table")
        return None
    for k in sorted(set(node) - allowed):
        problems.error(f"{key}.{k}", "unknown key" + did_you_mean(k, allowed))
    between = node.get("between")
    if not (isinstance(between, list) and len(between) == 2 and
            all(isinstance(b, str) for b in between)):
        problems.error(f"{key}.between", 'give the pair of materials: between = ["Li", "LLZO"]')
        return None
    source = _as_sources(node.get("source"), f"{key}.source", problems)
    if "asr" not in node and "critical_current_density" not in node:
        problems.error(f"{key}.asr", "an interface needs `asr` (ohm*cm^2) or a "
                                     "`critical_current_density`")
        return None
    values = ()
    if "asr" in node:    # a record may give only a critical current density
        asr_node = node["asr"]
        if "temperature" in node and isinstance(asr_node, str):
            asr_node = {"value": asr_node, "temperature": node["temperature"]}
        elif "temperature" in node and isinstance(asr_node, dict):
            asr_node = {"temperature": node["temperature"], **asr_node}
        values = parse_property(asr_node, "asr", source, f"{key}.asr", problems)
        if not values:
            return None
    ea = None
    if "activation_energy" in node:
        found = parse_property(node["activation_energy"], "activation_energy", source,
                               f"{key}.activation_energy", problems)
        ea = found[0] if found else None
    ccd = ()
    if "critical_current_density" in node:
        ccd = parse_property(node["critical_current_density"], "critical_current_density",
                             source, f"{key}.critical_current_density", problems)
    return Interface((between[0], between[1]), values, ea, node.get("note"), origin, ccd, key)


def parse_references(node, key: str, problems: Problems) -> dict[str, Reference]:
    refs = {}
    if not isinstance(node, dict):
        problems.error(key, "references is a table of [references.ID] tables")
        return refs
    allowed = {"citation", "doi", "via", "note", "url"}
    for rid, body in node.items():
        if not isinstance(body, dict) or not isinstance(body.get("citation"), str):
            problems.error(f"{key}.{rid}", "a reference needs a `citation`")
            continue
        for k in sorted(set(body) - allowed):
            problems.error(f"{key}.{rid}.{k}", "unknown key" + did_you_mean(k, allowed))
        wrong = [k for k in sorted(allowed) if body.get(k) is not None
                 and not isinstance(body[k], str)]
        if wrong:
            problems.error(f"{key}.{rid}.{wrong[0]}", f"is text, got {shown(body[wrong[0]])}")
            continue
        refs[rid] = Reference(rid, body["citation"], body.get("doi"), body.get("via"),
                              body.get("note"), body.get("url"))
    return refs


@dataclass
class LibraryFile:
    materials: list[Material]
    interfaces: list[Interface]
    references: dict[str, Reference]
    problems: Problems


def read_library_text(text: str, origin: str) -> LibraryFile:
    """Parse one library file's text; nothing is raised, problems are collected. Records are
    numbered from 1, as a design's are: ``material[1] (LLZO)``."""
    problems = Problems(origin)
    try:
        data = toml_input.loads(text, origin)
    except InputError as exc:
        problems.error("", exc.reason)
        return LibraryFile([], [], {}, problems)
    materials, interfaces, references = [], [], {}
    for key, node in data.items():
        if key == "material":
            for i, m in enumerate(node if isinstance(node, list) else [node]):
                named = isinstance(m, dict) and isinstance(m.get("id"), str)
                parsed = parse_material(m, f"material[{i + 1}]" + (f" ({m['id']})" if named
                                                                   else ""), problems, origin)
                if parsed:
                    materials.append(parsed)
        elif key == "interface":
            for i, n in enumerate(node if isinstance(node, list) else [node]):
                parsed = parse_interface(n, f"interface[{i + 1}]", problems, origin)
                if parsed:
                    interfaces.append(parsed)
        elif key == "references":
            references.update(parse_references(node, key, problems))
        elif key in ("schema", "description"):
            continue
        else:
            problems.error(key, "unknown table" + did_you_mean(
                key, ["material", "interface", "references"]))
    return LibraryFile(materials, interfaces, references, problems)


def read_library_file(path: Path | str) -> LibraryFile:
    path = Path(path)
    try:
        text = toml_input.read_text(path)
    except InputError as exc:
        problems = Problems(str(path))
        problems.error("", exc.reason)
        return LibraryFile([], [], {}, problems)
    return read_library_text(text, str(path))


# ---------------------------------------------------------------------------- the library

def _pair_key(a: str, b: str) -> frozenset:
    return frozenset((a.lower(), b.lower()))


class Library:
    """Materials, interfaces and references, looked up by id or alias (case-insensitive)."""

    def __init__(self, materials: Iterable[Material] = (), interfaces: Iterable[Interface] = (),
                 references: dict[str, Reference] | None = None):
        self._materials: dict[str, Material] = {}
        self._names: dict[str, str] = {}
        self._interfaces: dict[frozenset, Interface] = {}
        self.references: dict[str, Reference] = dict(references or {})
        for m in materials:
            self.add(m)
        for i in interfaces:
            self.add_interface(i)

    def add(self, material: Material) -> None:
        """Add a material; one with the same id replaces (shadows) the earlier one."""
        key = material.id.lower()
        old = self._materials.get(key)
        if old is not None:
            for alias in old.aliases:
                if self._names.get(alias.lower()) == key:
                    del self._names[alias.lower()]
        self._materials[key] = material
        for alias in material.aliases:
            self._names.setdefault(alias.lower(), key)
        self._names[key] = key

    def add_interface(self, interface: Interface) -> None:
        self._interfaces[_pair_key(*interface.between)] = interface

    def copy(self) -> "Library":
        new = Library(references=self.references)
        new._materials = dict(self._materials)
        new._names = dict(self._names)
        new._interfaces = dict(self._interfaces)
        return new

    def __iter__(self) -> Iterator[Material]:
        return iter(self._materials.values())

    def __len__(self) -> int:
        return len(self._materials)

    @property
    def interfaces(self) -> list[Interface]:
        return list(self._interfaces.values())

    def find(self, name: str) -> Material | None:
        key = self._names.get(name.lower())
        return self._materials[key] if key else None

    def get(self, name: str, file: str | None = None, key: str | None = None,
            kinds: Iterable[str] | None = None) -> Material:
        """The material called `name`; an InputError naming the closest ids if there is none."""
        material = self.find(name)
        if material is None:
            known = {n: None for m in self for n in (m.id, *m.aliases)}
            raise InputError(file, key, f"unknown material {name!r}" + did_you_mean(name, known))
        if kinds is not None and material.kind not in kinds:
            raise InputError(file, key, f"material {material.id!r} is a {material.kind}, but "
                                        f"this place needs a {' or '.join(sorted(kinds))}")
        return material

    def interface(self, a: str, b: str) -> Interface | None:
        return self._interfaces.get(_pair_key(a, b))

    def by_kind(self, kind: str | None = None) -> list[Material]:
        return sorted((m for m in self if kind is None or m.kind == kind),
                      key=lambda m: (m.kind, m.id.lower()))


def builtin_files() -> list[Path]:
    root = resources.files("asslb_designer.materials_db")
    files = [Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml")]
    refs = root / "references"
    if refs.is_dir():
        files += [Path(str(p)) for p in refs.iterdir() if p.name.endswith(".toml")]
    return sorted(files)


USER_LIBRARY_ENV = "ASSLB_DESIGNER_USER_LIBRARY"


def user_library_path() -> Path | None:
    """The user's own library file: $ASSLB_DESIGNER_USER_LIBRARY, or materials.toml in the
    platform's config folder (e.g. ~/.config/asslb-designer/ on Linux). Empty env: none."""
    env = os.environ.get(USER_LIBRARY_ENV)
    if env is not None:
        return Path(env) if env else None
    from platformdirs import user_config_dir
    return Path(user_config_dir("asslb-designer", appauthor=False)) / "materials.toml"


def user_library_problem() -> InputError | None:
    """Why the user library cannot be read, or None: a path named by
    $ASSLB_DESIGNER_USER_LIBRARY that is missing, or a path (named or the default one) that
    is a directory, a symlink loop or unreadable. A default path with no file is no problem:
    there is simply no user library. `materials validate` reports this as an error, every
    other command as a warning (and goes on with the built-in library)."""
    path = user_library_path()
    if path is None:
        return None
    named = os.environ.get(USER_LIBRARY_ENV) is not None
    try:
        path.stat()
    except FileNotFoundError:
        if not named:
            return None
        return InputError(str(path), None, f"no such file (named by {USER_LIBRARY_ENV}); "
                          "the user library is not used")
    except OSError as exc:
        return InputError(str(path), None, f"cannot read the user library: "
                          f"{exc.strerror or exc}")
    if not path.is_file():
        return InputError(str(path), None, "the user library is not a file (a directory?)")
    return None


def load_files(files: Iterable[Path], library: Library | None = None,
               require_known_sources: bool = True) -> Library:
    """Read library files into `library` (a new one by default); raise the first problem."""
    library = library.copy() if library is not None else Library()
    parsed = [read_library_file(f) for f in files]
    for p in parsed:
        p.problems.raise_first()
        library.references.update(p.references)
    seen: dict[str, str] = {}
    for p in parsed:
        for m in p.materials:
            if m.id.lower() in seen:
                raise InputError(m.origin, m.id, f"id defined twice (also in {seen[m.id.lower()]})")
            seen[m.id.lower()] = m.origin
            library.add(m)
    for problem in duplicate_pairs(parsed):
        raise problem
    for p in parsed:
        for i in p.interfaces:
            library.add_interface(i)
    if require_known_sources:
        for problem in check_sources(library, parsed):
            raise problem
    return library


def duplicate_pairs(parsed: Iterable[LibraryFile]) -> list[InputError]:
    """One interface record per pair (either order, case-insensitive) across these files:
    several values of a pair go inside its one record."""
    seen: dict[frozenset, Interface] = {}
    problems = []
    for p in parsed:
        for i in p.interfaces:
            pair = _pair_key(*i.between)
            if pair in seen:
                first = seen[pair]
                problems.append(InputError(i.origin, f"{i.key}.between", f"{'|'.join(i.between)}"
                                f" has a record already ({first.key} in {first.origin}): put "
                                "several values of a pair inside its one record, one preferred"))
            else:
                seen[pair] = i
    return problems


def check_sources(library: Library, parsed: Iterable[LibraryFile]) -> list[InputError]:
    """Every source named in these files must be a reference id of the library."""
    problems = []
    for p in parsed:
        for m in p.materials:
            for src in _sources_of(m):
                if src not in library.references:
                    problems.append(InputError(m.origin, m.id, f"source {src!r} is not a "
                                               "reference id" + did_you_mean(src, library.references)))
        for i in p.interfaces:
            for v in (*i.asr, *i.critical_current_density):
                for src in v.source:
                    if src not in library.references:
                        problems.append(InputError(i.origin, "|".join(i.between),
                                                   f"source {src!r} is not a reference id"
                                                   + did_you_mean(src, library.references)))
    return problems


def _sources_of(m: Material) -> set[str]:
    out = set(m.source)
    for values in m.properties.values():
        for v in values:
            out.update(v.source)
    if m.conductivity_table:
        out.update(m.conductivity_table.source)
    return out


@lru_cache(maxsize=1)
def builtin_library() -> Library:
    return load_files(builtin_files())


def default_library() -> Library:
    """The built-in library with the user's library file merged over it (if it exists)."""
    path = user_library_path()
    if path is None or user_library_problem() is not None or not path.is_file():
        return builtin_library()
    return _with_user(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _with_user(path: str, mtime_ns: int) -> Library:
    return load_files([Path(path)], builtin_library(), require_known_sources=False)
