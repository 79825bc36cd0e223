"""Published cells, the reference points of a Ragone plot: `materials_db/reported/cells.toml`.

Each cell states the `basis` of its figures ("cell": the whole packaged cell), what its mass
includes, its full source, an optional energy density (Wh/L), and its measured points: a
specific energy (Wh/kg) at one discharge rate, with the specific power (W/kg) and C-rate
(1/h) of that discharge where they are known. Every number has a `read` flag (false: derived
here, the note says how and says ESTIMATE).

Physics check at load: the mean power of a constant-current discharge that lasts 1/C-rate
hours is P = E x C-rate, so a point giving all three must satisfy P / (E x C) within 25 %
(the delivered capacity at a high rate is below the nominal one the C-rate refers to).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, did_you_mean
from .units import Quantity

SCHEMA = "asslb-designer/reported-cells@2"
POINT_FIGURES = {"specific_energy": "W*h/kg", "specific_power": "W/kg", "c_rate": "1/h"}
CELL_FIGURES = {"energy_density": "W*h/l"}
CELL_TEXT = {"id", "name", "kind", "basis", "mass_includes", "source", "doi", "url",
             "read_from_source", "note"}
POINT_TEXT = {"conditions"}
#: how far P / (E x C-rate) may stray from 1
RATE_TOLERANCE = 0.25


@dataclass(frozen=True)
class Figure:
    value: float            # in the unit of POINT_FIGURES / CELL_FIGURES
    read: bool              # read from the source (False: derived here, an ESTIMATE)
    note: str | None = None


@dataclass(frozen=True)
class Point:
    """One measurement: energy delivered at one rate (W*h/kg), its mean power (W/kg, or None
    when the rate was not stated) and C-rate (1/h, or None)."""
    specific_energy: Figure
    specific_power: Figure | None = None
    c_rate: Figure | None = None
    conditions: str | None = None

    @property
    def figures(self) -> list[Figure]:
        return [f for f in (self.specific_energy, self.specific_power, self.c_rate) if f]

    @property
    def estimate(self) -> bool:
        return any(not f.read for f in self.figures)


@dataclass(frozen=True)
class ReportedCell:
    id: str
    name: str
    kind: str
    basis: str
    source: str
    points: tuple = ()      # Point, in the file's order
    energy_density: Figure | None = None
    mass_includes: str | None = None
    doi: str | None = None
    url: str | None = None
    read_from_source: str | None = None
    note: str | None = None

    @property
    def citation(self) -> str:
        link = f" doi:{self.doi}" if self.doi else (f" {self.url}" if self.url else "")
        return self.source + link

    @property
    def rated(self) -> list[Point]:
        """The points with a stated power: drawn as points on a Ragone plot."""
        return [p for p in self.points if p.specific_power is not None]

    @property
    def unrated(self) -> list[Point]:
        """The points whose rate was not stated: drawn as lines of constant energy."""
        return [p for p in self.points if p.specific_power is None]


def default_path() -> Path:
    return Path(str(resources.files("asslb_designer.materials_db") / "reported" / "cells.toml"))


def _figure(file: str, key: str, node, unit: str) -> Figure:
    if not isinstance(node, dict) or "value" not in node or "unit" not in node \
            or not isinstance(node.get("read"), bool):
        raise InputError(file, key, "give { value, unit, read = true|false }")
    try:
        value = Quantity(float(node["value"]), node["unit"]).m_as(unit)
    except Exception as exc:  # pint raises several types
        raise InputError(file, key, f"expected {unit}: {exc}") from None
    if not value > 0:
        raise InputError(file, key, "must be positive")
    if not node["read"] and "ESTIMATE" not in (node.get("note") or ""):
        raise InputError(file, key, "a value not read from the source says ESTIMATE in its "
                         "note, with the arithmetic")
    return Figure(value, node["read"], node.get("note"))


def _check_keys(file: str, key: str, node: dict, allowed: set) -> None:
    for k in node:
        if k not in allowed:
            raise InputError(file, f"{key}.{k}", "unknown key" + did_you_mean(k, sorted(allowed)))


def _point(file: str, key: str, node) -> Point:
    if not isinstance(node, dict):
        raise InputError(file, key, "a point is a table")
    _check_keys(file, key, node, POINT_TEXT | set(POINT_FIGURES))
    if "specific_energy" not in node:
        raise InputError(file, f"{key}.specific_energy", "required: the energy of this point")
    figures = {name: _figure(file, f"{key}.{name}", node[name], unit)
               for name, unit in POINT_FIGURES.items() if name in node}
    e, p, c = (figures.get(n) for n in ("specific_energy", "specific_power", "c_rate"))
    if e and p and c:
        ratio = p.value / (e.value * c.value)
        if abs(ratio - 1.0) > RATE_TOLERANCE:
            raise InputError(file, f"{key}.specific_power",
                             f"{p.value:g} W/kg disagrees with specific_energy x c_rate = "
                             f"{e.value:g} x {c.value:g} = {e.value * c.value:g} W/kg "
                             "(the mean power of a discharge lasting 1/C-rate hours)")
    conditions = node.get("conditions")
    if conditions is not None and not isinstance(conditions, str):
        raise InputError(file, f"{key}.conditions", "text")
    return Point(e, p, c, conditions)


def load_reported_cells(path: Path | str | None = None) -> list[ReportedCell]:
    """Read the reported cells; an InputError names the file, the key and the reason."""
    path = Path(path) if path is not None else default_path()
    file = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(file, "", f"cannot read: {exc}") from None
    if data.get("schema") != SCHEMA:
        raise InputError(file, "schema", f"expected {SCHEMA!r}")
    cells = []
    for i, node in enumerate(data.get("cell", [])):
        key = f"cell[{i}]"
        _check_keys(file, key, node, CELL_TEXT | set(CELL_FIGURES) | {"point"})
        for required in ("id", "name", "kind", "basis", "source"):
            if not isinstance(node.get(required), str):
                raise InputError(file, f"{key}.{required}", "required (text)")
        for text in CELL_TEXT:
            if text in node and not isinstance(node[text], str):
                raise InputError(file, f"{key}.{text}", "text")
        points = node.get("point", [])
        if not isinstance(points, list):
            raise InputError(file, f"{key}.point", "give [[cell.point]] tables")
        density = (_figure(file, f"{key}.energy_density", node["energy_density"],
                           CELL_FIGURES["energy_density"]) if "energy_density" in node else None)
        if not points and density is None:
            raise InputError(file, key, "give at least one [[cell.point]] or an energy_density")
        cells.append(ReportedCell(
            node["id"], node["name"], node["kind"], node["basis"], node["source"],
            tuple(_point(file, f"{key}.point[{j}]", p) for j, p in enumerate(points)),
            density, node.get("mass_includes"), node.get("doi"), node.get("url"),
            node.get("read_from_source"), node.get("note")))
    return cells
