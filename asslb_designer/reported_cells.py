"""Published cells, the reference points of a Ragone plot: `materials_db/reported/cells.toml`.

Each cell gives some of specific energy (Wh/kg), specific power (W/kg) and energy density
(Wh/L), each with a `read` flag (false: derived, the note says how: an ESTIMATE), the basis
of its figures ("cell": the whole packaged cell) and its full source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError, did_you_mean
from .units import Quantity

SCHEMA = "asslb-designer/reported-cells@1"
FIGURES = {"specific_energy": "W*h/kg", "specific_power": "W/kg", "energy_density": "W*h/l"}
TEXT = {"id", "name", "kind", "basis", "source", "doi", "url", "read_from_source", "note"}


@dataclass(frozen=True)
class Figure:
    value: float            # in the unit of FIGURES
    read: bool              # read from the source (False: derived here, an ESTIMATE)
    note: str | None = None


@dataclass(frozen=True)
class ReportedCell:
    id: str
    name: str
    kind: str
    basis: str
    source: str
    figures: dict           # name -> Figure
    doi: str | None = None
    url: str | None = None
    read_from_source: str | None = None
    note: str | None = None

    def get(self, name: str) -> float | None:
        f = self.figures.get(name)
        return None if f is None else f.value

    @property
    def citation(self) -> str:
        link = f" doi:{self.doi}" if self.doi else (f" {self.url}" if self.url else "")
        return self.source + link


def default_path() -> Path:
    return Path(str(resources.files("asslb_designer.materials_db") / "reported" / "cells.toml"))


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
        for k in node:
            if k not in TEXT and k not in FIGURES:
                raise InputError(file, f"{key}.{k}", "unknown key"
                                 + did_you_mean(k, list(TEXT) + list(FIGURES)))
        for required in ("id", "name", "kind", "basis", "source"):
            if not isinstance(node.get(required), str):
                raise InputError(file, f"{key}.{required}", "required (text)")
        figures = {}
        for name, unit in FIGURES.items():
            if name not in node:
                continue
            f = node[name]
            if not isinstance(f, dict) or "value" not in f or "unit" not in f \
                    or not isinstance(f.get("read"), bool):
                raise InputError(file, f"{key}.{name}", "give { value, unit, read = true|false }")
            try:
                value = Quantity(float(f["value"]), f["unit"]).m_as(unit)
            except Exception as exc:  # pint raises several types
                raise InputError(file, f"{key}.{name}", f"expected {unit}: {exc}") from None
            if not value > 0:
                raise InputError(file, f"{key}.{name}", "must be positive")
            if not f["read"] and "ESTIMATE" not in (f.get("note") or ""):
                raise InputError(file, f"{key}.{name}", "a value not read from the source "
                                 "says ESTIMATE in its note, with the arithmetic")
            figures[name] = Figure(value, f["read"], f.get("note"))
        cells.append(ReportedCell(node["id"], node["name"], node["kind"], node["basis"],
                                  node["source"], figures, node.get("doi"), node.get("url"),
                                  node.get("read_from_source"), node.get("note")))
    return cells
