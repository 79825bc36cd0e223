"""Custom materials in the user's library file (`materials.user_library_path()`: the
platform's config folder, or $ASSLB_DESIGNER_USER_LIBRARY).

`save_material(record)` adds a material record (or replaces the one with `replace_id`),
keeping the file's other records and comments (tomlkit), and writes the file only if the
library validator (library_check.check_files, against the built-in library, free-text
sources allowed) finds no error in the result: the new file is written to a temporary file
beside the target, validated there, then moved over it (os.replace), so a refused or
interrupted save never changes the library. `material_record(material)` gives a record's
data (values as written, with their sources and notes) for duplicating or editing it.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path

import tomlkit

from .errors import InputError
from .library_check import check_files
from .materials import Material, builtin_library, user_library_path

HEADER = ("ASSLB Designer user materials library: records here extend or shadow the built-in "
          "library.\nSame format as materials_db/*.toml; written by the app, comments kept.")


def _value_entry(v, material: Material):
    plain = (not v.method and not v.note and not v.printed and not v.temperature_K
             and tuple(v.source) == tuple(material.source))
    if plain:
        return v.written
    entry = tomlkit.inline_table()
    entry["value"] = v.written
    if v.temperature_K:
        entry["temperature"] = f"{v.temperature_K - 273.15:.6g} degC"
    if v.source:
        entry["source"] = list(v.source) if len(v.source) > 1 else v.source[0]
    for name in ("method", "note", "printed"):
        if getattr(v, name):
            entry[name] = getattr(v, name)
    if v.preferred:
        entry["preferred"] = True
    return entry


def material_record(material: Material, new_id: str | None = None) -> dict:
    """The data of a material record, as a library file would hold it."""
    m = material
    record: dict = {"id": new_id or m.id, "kind": m.kind}
    if m.name:
        record["name"] = m.name
    if m.family:
        record["class"] = m.family
    if m.aliases and new_id is None:
        record["aliases"] = list(m.aliases)
    if m.composition:
        record["composition"] = m.composition
    if m.lithium_metal:
        record["lithium_metal"] = True
    if m.source:
        record["source"] = list(m.source) if len(m.source) > 1 else m.source[0]
    for prop, values in m.properties.items():
        entries = [_value_entry(v, m) for v in values]
        record[prop] = entries[0] if len(entries) == 1 else entries
    if m.conductivity_table is not None:
        t = m.conductivity_table
        table = tomlkit.inline_table()
        table["points"] = [[f"{T - 273.15:.6g} degC", f"{s:.6g} S/cm"]
                           for T, s in zip(t.temperatures_K, t.sigmas_S_cm)]
        if t.source:
            table["source"] = list(t.source)
        if t.note:
            table["note"] = t.note
        record["conductivity_table"] = table
    if m.tab_materials:
        record["tab_materials"] = list(m.tab_materials)
    if m.note:
        record["note"] = m.note
    return record


def record_toml(record: dict) -> str:
    """One record as a `[[material]]` TOML table."""
    doc = tomlkit.document()
    aot = tomlkit.aot()
    aot.append(_table(record))
    doc["material"] = aot
    return tomlkit.dumps(doc)


def parse_record_text(text: str, file: str = "custom material") -> dict:
    """The one `[[material]]` table of a TOML text (what the app's editor holds)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, "", f"not valid TOML: {exc}") from None
    materials = data.get("material")
    if not isinstance(materials, list) or len(materials) != 1 or set(data) - {"material"}:
        raise InputError(file, "material", "give exactly one [[material]] table and nothing else")
    return materials[0]


def _table(record: dict):
    table = tomlkit.table()
    for k, v in record.items():
        table[k] = v
    return table


def save_material(record: dict, replace_id: str | None = None, path: Path | None = None) -> Path:
    """Add `record` to the user library (replacing the record `replace_id`), validated first.
    Raises InputError (file, key, the validator's reason) and leaves the file untouched."""
    path = Path(path) if path is not None else user_library_path()
    if path is None:
        raise InputError(None, "user library", "no user library file: "
                         "ASSLB_DESIGNER_USER_LIBRARY is set empty")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # tomlkit raises its own parse errors
        raise InputError(str(path), "", f"the user library is not valid TOML: {exc}") from None
    if not text.strip():
        for line in HEADER.splitlines():
            doc.add(tomlkit.comment(line))
    aot = doc.get("material")
    if aot is None:
        aot = tomlkit.aot()
        doc["material"] = aot
    target = next((i for i, t in enumerate(aot) if replace_id is not None
                   and str(t.get("id", "")).lower() == replace_id.lower()), None)
    if target is None:
        aot.append(_table(record))
    else:
        aot[target] = _table(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".toml", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)     # mkstemp makes 0600; a normal file follows the umask
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(tomlkit.dumps(doc))
            f.flush()
            os.fsync(f.fileno())
        report = check_files([Path(tmp)], builtin_library(), require_reference_ids=False)
        if report.errors:
            first = report.errors[0]
            raise InputError(str(path), first.key, first.reason)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
