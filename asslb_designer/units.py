"""The unit registry and the boundary between quantities and plain numbers.

One pint registry serves the whole application. Data enters as strings such as "30 um",
"0.03 mm" or "25 degC" (or as `{value, unit}` tables); it is checked for its dimension here
and converted to the engine's fixed internal unit for that quantity, after which the engine
computes on plain float arrays. Results get their units back on the way out.

Internal units (names inside the engine carry them where not obvious):

=====================  ===============
quantity               internal unit
=====================  ===============
length (thicknesses)   um
area                   cm^2
areal mass             mg/cm^2
density                g/cm^3
specific capacity      mA*h/g
areal capacity         mA*h/cm^2
potential              V
conductivity           S/cm
area-specific resist.  ohm*cm^2
temperature            K
activation energy      eV
current density        mA/cm^2
pressure               MPa
mass                   g
=====================  ===============
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pint

ureg = pint.UnitRegistry()
ureg.formatter.default_format = "~"
pint.set_application_registry(ureg)
Quantity = ureg.Quantity

#: Boltzmann constant in eV/K (CODATA 2018, exact).
BOLTZMANN_EV_PER_K = 8.617333262e-5
#: Avogadro constant x elementary charge, to read molar activation energies: 1 eV = 96.485 kJ/mol.
KJ_PER_MOL_PER_EV = 96.48533212


@dataclass(frozen=True)
class Kind:
    """A physical quantity the engine reads: its internal unit and what it is called."""

    name: str
    internal: str
    example: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("length", "um", "30 um"),
        Kind("area", "cm**2", "100 cm^2"),
        Kind("mass", "g", "10 g"),
        Kind("volume", "cm**3", "1 mL"),
        Kind("areal_mass", "mg/cm**2", "20 mg/cm^2"),
        Kind("density", "g/cm**3", "4.75 g/cm^3"),
        Kind("specific_capacity", "mA*h/g", "200 mA*h/g"),
        Kind("areal_capacity", "mA*h/cm**2", "4 mA*h/cm^2"),
        Kind("potential", "V", "3.8 V"),
        Kind("conductivity", "S/cm", "1e-3 S/cm"),
        Kind("asr", "ohm*cm**2", "9 ohm*cm^2"),
        Kind("temperature", "K", "25 degC"),
        Kind("energy", "eV", "0.35 eV"),
        Kind("current_density", "mA/cm**2", "1 mA/cm^2"),
        Kind("pressure", "MPa", "5 MPa"),
        Kind("specific_area", "m**2/g", "60 m^2/g"),
        Kind("fill_per_capacity", "mL/(A*h)", "1.6 mL/(A*h)"),
        Kind("c_rate", "1/h", "0.5 (per hour)"),
        Kind("dimensionless", "", "0.5"),
    ]
}

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)\s*(.*?)\s*$", re.I)


class UnitProblem(ValueError):
    """A value that could not be read as the quantity expected; the message says why."""


@lru_cache(maxsize=None)
def _conversion(unit_text: str, kind_name: str) -> tuple[float, float]:
    """(a, b) such that value_internal = a * value + b, for a unit string and a quantity kind.

    Every pint unit is affine in its magnitude (degC included), so two points define it.
    Cached: the pint work is done once per distinct unit string.
    """
    kind = KINDS[kind_name]
    try:
        unit = ureg.parse_units(unit_text) if unit_text else ureg.dimensionless
    except Exception as exc:  # pint raises several types for unreadable units
        raise UnitProblem(f"cannot read the unit {unit_text!r}: {exc}") from None
    if kind_name == "energy" and unit.dimensionality == ureg.parse_units("kJ/mol").dimensionality:
        # molar activation energies: per particle = per mole / Avogadro
        per_mol_in_kj = Quantity(1.0, unit).m_as("kJ/mol")
        return per_mol_in_kj / KJ_PER_MOL_PER_EV, 0.0
    target = ureg.parse_units(kind.internal) if kind.internal else ureg.dimensionless
    if unit.dimensionality != target.dimensionality:
        got = "no unit" if unit.dimensionless else f"{unit_text!r} ({unit.dimensionality})"
        name = kind_name.replace("_", " ")
        article = "an" if name[0] in "aeiou" else "a"
        raise UnitProblem(f"expected {article} {name} such as {kind.example!r}, got {got}")
    b = Quantity(0.0, unit).m_as(target)
    a = Quantity(1.0, unit).m_as(target) - b
    return a, b


def split_number(text: str) -> tuple[float, str]:
    """Split "30 um" into (30.0, "um"); raise UnitProblem if it does not start with a number."""
    match = _NUMBER.match(text)
    if not match:
        raise UnitProblem(f"{text!r} is not a number followed by a unit")
    return float(match.group(1)), match.group(2)


def to_internal(value: object, kind_name: str, unit: str | None = None) -> float:
    """Read one value as a float in the internal unit of `kind_name`.

    `value` may be a string "30 um", a number with `unit` given separately (the
    `{value, unit}` table form), a pint Quantity, or a bare number for dimensionless kinds.
    Raises UnitProblem with a reason a user can act on.
    """
    if isinstance(value, bool):
        raise UnitProblem(f"expected a number, got {value!r}")
    if isinstance(value, pint.Quantity):
        magnitude, unit_text = float(value.magnitude), f"{value.units:D}"
    elif isinstance(value, str):
        if unit is not None:
            raise UnitProblem("give the unit either in the value string or in `unit`, not both")
        magnitude, unit_text = split_number(value)
        if kind_name == "c_rate" and not unit_text:
            return magnitude
    elif isinstance(value, (int, float)):
        magnitude, unit_text = float(value), unit or ""
        if kind_name == "c_rate" and not unit_text:
            return magnitude                     # a C-rate is a number per hour
        if not unit_text and kind_name != "dimensionless":
            raise UnitProblem(
                f"a bare number needs a unit: write e.g. {KINDS[kind_name].example!r}"
            )
    else:
        raise UnitProblem(f"expected a value such as {KINDS[kind_name].example!r}, got {value!r}")
    a, b = _conversion(unit_text.strip(), kind_name)
    return a * magnitude + b


def array_to_internal(value, kind_name: str):
    """Like to_internal for numbers or arrays: a pint Quantity (any compatible unit) is
    converted; a bare float or array is taken to be in the internal unit already."""
    if isinstance(value, pint.Quantity):
        a, b = _conversion(f"{value.units:D}", kind_name)
        return a * np.asarray(value.magnitude, dtype=float) + b
    return value if isinstance(value, float) else np.asarray(value, dtype=float)
