"""The library validator: what every library file must satisfy, beyond being readable.

Errors (the file is not usable): unreadable TOML, unknown fields, missing required fields
for the kind (a cathode_active must state `lithiated`), wrong dimensions, non-positive values, a conductivity table that does not
rise with temperature, several values without exactly one preferred, sources that name no
reference, ids defined twice, interfaces or tabs naming unknown materials.

Warnings (worth a look, not fatal): a practical capacity above the theoretical one, values
outside physically plausible ranges, a measured conductivity that falls with temperature
across values of one source, references no record uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import InputError, did_you_mean
from .materials import (Library, LibraryFile, Material, builtin_files, check_sources, duplicate_pairs,
                        read_library_file, user_library_path, _sources_of)

PLAUSIBLE = {
    "density": (0.05, 25.0, "g/cm^3"),
    "ionic_conductivity": (1e-12, 1.0, "S/cm"),
    "activation_energy": (0.0, 1.0, "eV"),
    "average_potential": (0.0, 5.5, "V"),
    "specific_capacity": (1.0, 4000.0, "mA*h/g"),
}


@dataclass
class Report:
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    materials: int = 0
    interfaces: int = 0
    references: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_files(files: Iterable[Path], base: Library | None = None,
                require_reference_ids: bool = True) -> Report:
    """Validate library files together (ids and references resolve across them, and
    against `base` when checking a user file that extends the built-in library)."""
    parsed = [read_library_file(f) for f in files]
    report = Report()
    library = base.copy() if base is not None else Library()
    origin_of_ref: dict[str, str] = {}
    origin_of_id: dict[str, str] = {}
    for p in parsed:
        report.errors += p.problems.errors
        report.warnings += p.problems.warnings
        for rid, ref in p.references.items():
            if rid in origin_of_ref:
                report.errors.append(InputError(p.problems.file, f"references.{rid}",
                                                f"defined twice (also in {origin_of_ref[rid]})"))
            origin_of_ref[rid] = p.problems.file
            library.references[rid] = ref
        for m in p.materials:
            if m.id.lower() in origin_of_id:
                report.errors.append(InputError(m.origin, m.id, "id defined twice (also in "
                                                f"{origin_of_id[m.id.lower()]})"))
            origin_of_id[m.id.lower()] = m.origin
            library.add(m)
        for i in p.interfaces:
            library.add_interface(i)
    report.errors += duplicate_pairs(parsed)
    report.materials = sum(len(p.materials) for p in parsed)
    report.interfaces = sum(len(p.interfaces) for p in parsed)
    report.references = len(origin_of_ref)
    source_problems = check_sources(library, parsed)
    if require_reference_ids:
        report.errors += source_problems
    else:
        report.warnings += [InputError(e.file, e.key, e.reason + " (free text is allowed in a "
                                       "user library, but a reference id lets results cite it)")
                            for e in source_problems]
    for p in parsed:
        _check_names(p, library, report)
        _check_zero_asr(p, report)
        for m in p.materials:
            _check_physics(m, report, strict=require_reference_ids)
    _check_unused_references(parsed, origin_of_ref, report)
    return report


def _check_names(p: LibraryFile, library: Library, report: Report) -> None:
    for i in p.interfaces:
        for name in i.between:
            if library.find(name) is None:
                report.errors.append(InputError(i.origin, "|".join(i.between),
                                                f"unknown material {name!r}"
                                                + did_you_mean(name, [m.id for m in library])))
    for m in p.materials:
        for tab in m.tab_materials:
            if library.find(tab) is None:
                report.errors.append(InputError(m.origin, f"{m.id}.tab_materials",
                                                f"unknown material {tab!r}"))


def _check_zero_asr(p: LibraryFile, report: Report) -> None:
    """A sourced ASR of exactly 0 is a resolution limit ("no interface arc resolved"), not a
    measurement: counted as data it hides the missing-data warning and the lower bound."""
    for i in p.interfaces:
        if any(v.value == 0 for v in i.asr):
            report.warnings.append(InputError(
                i.origin, f"{'|'.join(i.between)}.asr", "a zero ASR is not a measurement (no "
                "interface arc resolved is a bound, not a value): record a measured value with "
                "its conditions, or none (then the pair counts as missing data)"))


def _check_physics(m: Material, report: Report, strict: bool = True) -> None:
    def warn(prop: str, reason: str) -> None:
        report.warnings.append(InputError(m.origin, f"{m.id}.{prop}", reason))

    if m.kind == "cathode_active" and m.lithiated is None:
        # required in library files; a user library keeps working (taken as lithiated)
        problem = InputError(m.origin, f"{m.id}.lithiated", "a cathode_active record states "
                             "whether it holds its lithium as made: lithiated = true (NMC, LFP, "
                             "LCO, Li2S) or false (S, MoS2, V2O5, ...)"
                             + ("" if strict else "; taken as lithiated until it does"))
        (report.errors if strict else report.warnings).append(problem)
    for prop, (low, high, unit) in PLAUSIBLE.items():
        for v in m.values(prop):
            if not low <= v.value <= high:
                warn(prop, f"{v.written} is outside the plausible range {low:g}-{high:g} {unit}")
    if m.kind == "solid_electrolyte" and not m.conducts_ions:
        warn("ionic_conductivity", "no ionic conductivity: as a separator or interlayer it "
             "counts no bulk resistance")
    theoretical = m.get("theoretical_capacity")
    if theoretical is not None:
        for v in m.values("specific_capacity"):
            if v.value > theoretical * 1.001:
                warn("specific_capacity", f"{v.written} exceeds the theoretical capacity "
                     f"{theoretical:g} mA*h/g")
    # conductivities of one source at several temperatures must rise with temperature
    by_source: dict[tuple, list] = {}
    for v in m.values("ionic_conductivity"):
        if v.temperature_K is not None:
            by_source.setdefault(v.source, []).append(v)
    for source, values in by_source.items():
        values.sort(key=lambda v: v.temperature_K)
        for a, b in zip(values, values[1:]):
            if b.temperature_K > a.temperature_K and b.value <= a.value:
                report.errors.append(InputError(
                    m.origin, f"{m.id}.ionic_conductivity",
                    f"conductivity must rise with temperature: {a.written} at "
                    f"{a.temperature_K - 273.15:g} degC, {b.written} at "
                    f"{b.temperature_K - 273.15:g} degC ({', '.join(source)})"))


def _check_unused_references(parsed: list[LibraryFile], origins: dict[str, str],
                             report: Report) -> None:
    used: set[str] = set()
    for p in parsed:
        for m in p.materials:
            used |= _sources_of(m)
        for i in p.interfaces:
            for v in (*i.asr, *i.critical_current_density):
                used |= set(v.source)
            if i.activation_energy:
                used |= set(i.activation_energy.source)
    for rid, origin in origins.items():
        if rid not in used and not origin.endswith("engine.toml"):
            report.warnings.append(InputError(origin, f"references.{rid}",
                                              "not used by any record in these files"))


def check_builtin(include_user: bool = True) -> Report:
    """The whole built-in library, and the user's library file over it if there is one."""
    report = check_files(builtin_files())
    user = user_library_path() if include_user else None
    if report.ok and user is not None and user.is_file():
        from .materials import builtin_library
        user_report = check_files([user], builtin_library(), require_reference_ids=False)
        report.errors += user_report.errors
        report.warnings += user_report.warnings
        report.materials += user_report.materials
        report.interfaces += user_report.interfaces
    return report
