"""How numbers and units are shown: significant digits, unit spelling, display units.

No formulas: conversions go through the engine's pint registry.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from asslb_designer.units import Quantity

#: Display-unit choices of the preferences, each a pint unit string; the first is the default.
THICKNESS_UNITS = ("um", "nm", "mm")
LOADING_UNITS = ("mg/cm^2", "g/m^2")
#: energy choices: (specific energy unit, energy density unit)
ENERGY_UNITS = {
    "Wh/kg, Wh/L": ("W*h/kg", "W*h/l"),
    "mWh/g, mWh/cm³": ("mW*h/g", "mW*h/cm^3"),
    "J/g, J/cm³": ("J/g", "J/cm^3"),
}


class DisplayUnits:
    """The user's display units (preferences) for thickness, loading and energy."""

    def __init__(self, thickness: str = "um", loading: str = "mg/cm^2",
                 energy: str = "Wh/kg, Wh/L"):
        self.thickness = thickness if thickness in THICKNESS_UNITS else THICKNESS_UNITS[0]
        self.loading = loading if loading in LOADING_UNITS else LOADING_UNITS[0]
        self.energy = energy if energy in ENERGY_UNITS else next(iter(ENERGY_UNITS))

    def for_kind(self, kind: str) -> str | None:
        """The display unit of a design value of this quantity kind, or None (as written)."""
        return {"length": self.thickness, "areal_mass": self.loading}.get(kind)

    def for_metric(self, unit: str) -> str:
        """The display unit of a metric whose engine unit is `unit`."""
        specific, density = ENERGY_UNITS[self.energy]
        compact = unit.replace(" ", "")
        return {"W*h/kg": specific, "W*h/l": density, "um": self.thickness,
                "mg/cm**2": self.loading}.get(compact, unit)


def convert(value: float, unit: str, to: str) -> float:
    """`value` in `unit` expressed in `to` (pint, once per pair of units)."""
    if unit == to:
        return value
    a, b = _factor(unit, to)
    return a * value + b


@lru_cache(maxsize=None)
def _factor(unit: str, to: str) -> tuple[float, float]:
    b = float(Quantity(0.0, unit).m_as(to))
    return float(Quantity(1.0, unit).m_as(to)) - b, b


def sig(x: float, digits: int = 4) -> str:
    """At least `digits` significant digits, without exponent where it reads naturally:
    3.8 -> '3.800', 0.02867 -> '0.02867', 372.2 -> '372.2', 12345.6 -> '12346'."""
    if x is None or not math.isfinite(x):
        return "—"
    if x == 0:
        return f"{0:.{digits - 1}f}"
    mag = math.floor(math.log10(abs(x)))
    if -4 <= mag < digits:
        return f"{x:.{max(0, digits - 1 - mag)}f}"
    if digits <= mag < 7:
        return f"{x:.0f}"
    return f"{x:.{digits - 1}e}"


def short(x: float) -> str:
    """A field's number: up to six significant digits, trailing zeros dropped."""
    return f"{x:.6g}"


_WORDS = [(r"\bmA\*h\b", "mAh"), (r"\bmW\*h\b", "mWh"), (r"\bW\*h\b", "Wh"),
          (r"\bA\*h\b", "Ah"), (r"\bkW\*h\b", "kWh"), (r"\bohm\b", "Ω"), (r"\bum\b", "µm"),
          (r"\buS\b", "µS"), (r"\buA\b", "µA"), (r"/l\b", "/L"), (r"\bdegC\b", "°C"),
          (r"\bpercent\b", "%"), (r"/\(Ah\)", "/Ah")]


@lru_cache(maxsize=None)
def pretty_unit(unit: str) -> str:
    """A unit as the app shows it on every tab, from pint's or a data file's spelling:
    'mA * h / cm ** 2', 'mA*h/cm^2' -> 'mAh/cm²'; 'ohm*cm**2' -> 'Ω·cm²'; 'g/cm^3' -> 'g/cm³';
    'W*h/l' -> 'Wh/L'; 'um' -> 'µm'; 'degC' -> '°C'; 'dimensionless' -> ''.
    The one spelling of the screen (metrics, tables, plots, the materials browser, the
    report); files (CSV headers, JSON) keep pint's ASCII spelling."""
    if unit in ("dimensionless", ""):
        return ""
    s = unit.replace(" ", "").replace("**2", "²").replace("**3", "³").replace("^2", "²") \
        .replace("^3", "³")
    for pattern, repl in _WORDS:
        s = re.sub(pattern, repl, s)
    return s.replace("*", "·")


_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def pretty_quantity(text: str) -> str:
    """A value as written in a file, '3.4 g/cm^3' or '200 mA*h/g', with its unit in the
    screen spelling: '3.4 g/cm³', '200 mAh/g'. Text that is not a number and a unit is
    returned as it is."""
    m = _NUMBER.match(text)
    if not m or not m.group(2):
        return text
    return f"{m.group(1)} {pretty_unit(m.group(2))}".rstrip()


def with_unit(x: float, unit: str) -> str:
    u = pretty_unit(unit)
    return f"{sig(x)} {u}".rstrip() if u else sig(x)
