"""The unit registry and the boundary between quantities and plain numbers.

One pint registry serves the whole application. Data enters as strings such as "30 um",
"0.03 mm" or "25 degC" (or as `{value, unit}` tables, or pint Quantities from Python); it
is read here, checked for its dimension and its physical range, and converted to the
engine's fixed internal unit for that quantity, after which the engine computes on plain
float arrays. Results get their units back on the way out. `read` is the one checked path
every input takes: design files, library files, the user library, inline records and
`Design.with_values`.

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

Units as datasheets write them are read too: "mAh/cm2", "cm2", "mAh g-1", "S cm-1",
"ohm cm2", "ohm·cm²" (a pint preprocessor turns a trailing digit into a power). A C-rate
may be written "C/3", "0.5C" or "2C". A temperature must be absolute ("25 degC", "298 K"):
a difference ("25 delta_degC") or a scaled unit ("degC*percent") is refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pint

#: Longest value string and unit string read; longer input is refused at once (pint's
#: parser is slow on very long expressions, and no real unit is this long).
MAX_VALUE_CHARS = 200
MAX_UNIT_CHARS = 64

_SUPERSCRIPTS = str.maketrans({"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                               "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "·": "*",
                               "⋅": "*", "×": "*"})
# a unit name directly followed by a small power, as datasheets write them: cm2, g-1, cm-3
_DATASHEET_POWER = re.compile(r"(?<![\w.])([A-Za-zΩµμ]+)(-?[1-9])(?![\w.])")


def datasheet_units(text: str) -> str:
    """Rewrite datasheet unit spellings for pint: "mAh g-1" -> "mAh g**-1", "cm²" -> "cm**2"."""
    return _DATASHEET_POWER.sub(r"\1**\2", text.translate(_SUPERSCRIPTS))


ureg = pint.UnitRegistry(preprocessors=[datasheet_units])
ureg.formatter.default_format = "~"
pint.set_application_registry(ureg)
Quantity = ureg.Quantity

#: Boltzmann constant in eV/K (CODATA 2018, exact).
BOLTZMANN_EV_PER_K = 8.617333262e-5
#: Avogadro constant x elementary charge, to read molar activation energies: 1 eV = 96.485 kJ/mol.
KJ_PER_MOL_PER_EV = 96.48533212


@dataclass(frozen=True)
class Kind:
    """A physical quantity the engine reads: its internal unit, an example, and the range of
    magnitudes (internal unit) outside which a value is physically impossible here.
    `low` bounds non-zero magnitudes (whether zero is allowed is the key's rule);
    `fixes` are units to suggest when a value is out of range ("did you mean ...?")."""

    name: str
    internal: str
    example: str
    low: float = 0.0
    high: float = math.inf
    fixes: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        return self.internal.replace("**", "^")


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        # 0.1 nm (below one atomic layer nothing is a layer) to 10 m
        Kind("length", "um", "30 um", 1e-4, 1e7, ("um", "nm")),
        Kind("area", "cm**2", "100 cm^2", 1e-6, 1e8, ("cm^2", "mm^2")),
        Kind("mass", "g", "10 g", 1e-9, 1e9, ("g", "mg")),
        Kind("volume", "cm**3", "1 mL", 1e-9, 1e9),
        Kind("areal_mass", "mg/cm**2", "20 mg/cm^2", 1e-6, 1e4, ("mg/cm^2",)),
        # the lightest foams and aerogels to the densest element (osmium, 22.6 g/cm^3)
        Kind("density", "g/cm**3", "4.75 g/cm^3", 0.05, 25.0, ("g/cm^3", "kg/m^3")),
        # lithium metal holds 3861 mA*h/g, the most of any electrode material
        Kind("specific_capacity", "mA*h/g", "200 mA*h/g", 1e-3, 5000.0, ("mA*h/g",)),
        Kind("areal_capacity", "mA*h/cm**2", "4 mA*h/cm^2", 1e-6, 1e3, ("mA*h/cm^2",)),
        # vs Li/Li+: no electrode chemistry lies outside 0-6 V
        Kind("potential", "V", "3.8 V", 0.0, 6.0, ("mV", "V")),
        Kind("conductivity", "S/cm", "1e-3 S/cm", 1e-30, 1e7, ("mS/cm", "S/m", "uS/cm")),
        Kind("asr", "ohm*cm**2", "9 ohm*cm^2", 0.0, 1e9, ("ohm*cm^2",)),
        # the model's range: -173 to 727 degC
        Kind("temperature", "K", "25 degC", 100.0, 1000.0, ("degC", "K")),
        # activation energies of ion transport: 0-2 eV
        Kind("energy", "eV", "0.35 eV", 0.0, 2.0, ("meV",)),
        Kind("current_density", "mA/cm**2", "1 mA/cm^2", 1e-9, 1e5, ("mA/cm^2", "uA/cm^2")),
        Kind("pressure", "MPa", "5 MPa", 1e-9, 1e7, ("MPa", "kPa", "GPa")),
        Kind("specific_area", "m**2/g", "60 m^2/g", 1e-6, 1e4, ("m^2/g",)),
        Kind("fill_per_capacity", "mL/(A*h)", "1.6 mL/(A*h)", 1e-6, 1e4, ("mL/(A*h)",)),
        Kind("c_rate", "1/h", "0.5 (or \"C/2\")", 1e-6, 1e4),
        Kind("dimensionless", "", "0.5"),
    ]
}

#: Absolute temperature units: a temperature is one of these, alone, to the first power.
_ABSOLUTE_TEMPERATURE = re.compile(r"^(\w*kelvin|degree_Celsius|degree_Fahrenheit|"
                                   r"degree_Rankine|degree_Reaumur)$")
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)"
                     r"\s*(.*?)\s*$", re.I)
_C_RATE = re.compile(r"^\s*(?:C\s*/\s*(?P<div>\d+\.?\d*|\.\d+)|(?P<mul>\d+\.?\d*|\.\d+"
                     r"(?:[eE][-+]?\d+)?)?\s*C)\s*$")
#: Where a temperature was written without "deg": "25 C" is coulombs, "77 F" farads.
_TEMPERATURE_SLIPS = {"C": "degC", "F": "degF"}


class UnitProblem(ValueError):
    """A value that could not be read as the quantity expected; the message says why.
    `subkey` names the part of a value table at fault (e.g. "unit"), if any."""

    def __init__(self, reason: str, subkey: str | None = None):
        super().__init__(reason)
        self.subkey = subkey


def shown(value: object, limit: int = 40) -> str:
    """repr() of an input, shortened: an error quotes what it refuses, not all of it."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 5] + "...'" + f" ({len(text)} chars)"


@dataclass(frozen=True)
class Rule:
    """What a value must satisfy besides its dimension: sign, zero, fractions, integers,
    and the physical range of its kind (`low`/`high` override the kind's)."""

    kind: str
    zero_ok: bool = False        # zero allowed (a margin, a fraction of an absent part)
    below_one: bool = False      # a porosity, a formation loss: [0, 1)
    at_most_one: bool = False    # a mass fraction, a transference number: [0, 1]
    integer: bool = False        # a count
    low: float | None = None
    high: float | None = None

    @property
    def low_(self) -> float:
        return KINDS[self.kind].low if self.low is None else self.low

    @property
    def high_(self) -> float:
        return KINDS[self.kind].high if self.high is None else self.high


@lru_cache(maxsize=4096)
def _conversion(unit_text: str, kind_name: str) -> tuple[float, float]:
    """(a, b) such that value_internal = a * value + b, for a unit string and a quantity kind.

    Every pint unit is affine in its magnitude (degC included), so two points define it.
    Cached: the pint work is done once per distinct unit string.
    """
    kind = KINDS[kind_name]
    if len(unit_text) > MAX_UNIT_CHARS:
        raise UnitProblem(f"the unit {shown(unit_text)} is too long to be a unit "
                          f"(at most {MAX_UNIT_CHARS} characters)")
    try:
        unit = ureg.parse_units(unit_text) if unit_text else ureg.dimensionless
    except Exception as exc:  # pint raises several types for unreadable units
        hint = ""
        if kind_name == "c_rate":
            hint = ' (a C-rate is written 0.5, "C/2", "2C" or "0.5 1/h")'
        raise UnitProblem(f"cannot read the unit {shown(unit_text)}: "
                          f"{str(exc)[:120]}{hint}") from None
    if kind_name == "energy" and unit.dimensionality == ureg.parse_units("kJ/mol").dimensionality:
        # molar activation energies: per particle = per mole / Avogadro
        per_mol_in_kj = Quantity(1.0, unit).m_as("kJ/mol")
        return per_mol_in_kj / KJ_PER_MOL_PER_EV, 0.0
    target = ureg.parse_units(kind.internal) if kind.internal else ureg.dimensionless
    if unit.dimensionality != target.dimensionality:
        got = "no unit" if unit.dimensionless else f"{shown(unit_text)} ({unit.dimensionality})"
        name = kind_name.replace("_", " ")
        article = "an" if name[0] in "aeiou" else "a"
        raise UnitProblem(f"expected {article} {name} such as {kind.example!r}, got {got}")
    if kind_name == "temperature":
        units = list(unit._units.items())
        name = units[0][0] if len(units) == 1 and units[0][1] == 1 else ""
        if not _ABSOLUTE_TEMPERATURE.match(name):
            what = ("a temperature difference" if "delta" in unit_text + str(unit)
                    else "not a plain temperature unit")
            raise UnitProblem(f"a temperature is absolute, e.g. '25 degC' or '298.15 K'; "
                              f"{shown(unit_text)} is {what}")
    b = Quantity(0.0, unit).m_as(target)
    a = Quantity(1.0, unit).m_as(target) - b
    return a, b


def split_number(text: str) -> tuple[float, str]:
    """Split "30 um" into (30.0, "um"); raise UnitProblem if it does not start with a number."""
    if len(text) > MAX_VALUE_CHARS:
        raise UnitProblem(f"{shown(text)} is too long for a value "
                          f"(at most {MAX_VALUE_CHARS} characters)")
    match = _NUMBER.match(text)
    if not match:
        raise UnitProblem(f"{shown(text)} is not a number followed by a unit")
    number = float(match.group(1))
    if number == 0 and re.search(r"[1-9]", match.group(1).split("e")[0].split("E")[0]):
        raise UnitProblem(f"{shown(text)} is too small: it underflows to zero")
    return number, match.group(2)


def _c_rate(text: str) -> float | None:
    """ "C/3" -> 1/3, "0.5C" -> 0.5, "2C" -> 2 (per hour); None if not written so."""
    match = _C_RATE.match(text) if len(text) <= MAX_VALUE_CHARS else None
    if not match:
        return None
    if match.group("div") is not None:
        div = float(match.group("div"))
        if div == 0:
            raise UnitProblem(f"{shown(text)}: a C-rate of C/0 is not a rate")
        return 1.0 / div
    return float(match.group("mul")) if match.group("mul") else 1.0


def _plain_number(value: object) -> float | None:
    """A Python or numpy real scalar as a float (None if `value` is not one)."""
    if isinstance(value, (bool, np.bool_)):
        raise UnitProblem(f"expected a number, got {value!r}")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise UnitProblem(f"the integer {shown(value)} is too large for a number") from None
    if isinstance(value, (float, np.floating, np.integer)):
        return float(value)
    return None


def _magnitudes(value: object, arrays: bool):
    """A float, or (when `arrays`) a float array, from a number or an array-like of numbers."""
    x = _plain_number(value)
    if x is not None:
        return x
    if isinstance(value, (list, tuple, np.ndarray)):
        if not arrays:
            raise UnitProblem("expected one value, got an array (arrays of designs go "
                              "through Design.with_values)")
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError) as exc:
            raise UnitProblem(f"not an array of numbers: {str(exc)[:80]}") from None
        if arr.dtype.kind not in "iuf":
            what = {"b": "true/false values", "c": "complex numbers", "U": "strings",
                    "S": "bytes", "O": "objects (or integers too large)"}.get(arr.dtype.kind,
                                                                              str(arr.dtype))
            raise UnitProblem(f"expected an array of real numbers, got {what}"
                              + (": give a Quantity array, e.g. Quantity(np.array([...]), "
                                 "'um')" if arr.dtype.kind == "U" else ""))
        if arr.size == 0:
            raise UnitProblem("the array is empty")
        return np.asarray(arr, dtype=float)     # no copy for a float64 array
    if isinstance(value, complex):
        raise UnitProblem(f"expected a real number, got {value!r}")
    return None


def to_internal(value: object, kind_name: str, unit: object = None, *, arrays: bool = False):
    """Read one value as a float (or, with `arrays`, a float array) in the internal unit of
    `kind_name`; dimension and type are checked here, the range by `check`.

    `value` may be a string "30 um", a number with `unit` given separately (the
    `{value, unit}` table form), a pint Quantity, or a bare number for dimensionless kinds
    (and C-rates). Raises UnitProblem with a reason a user can act on.
    """
    if unit is not None and not isinstance(unit, str):
        raise UnitProblem(f"the unit is text such as {KINDS[kind_name].example.split(' ')[-1]!r}"
                          f", got {shown(unit)}", "unit")
    if isinstance(value, pint.Quantity):
        if unit is not None:
            raise UnitProblem("give the unit either in the value or in `unit`, not both", "unit")
        magnitude = _magnitudes(value.magnitude, arrays)
        if magnitude is None:
            raise UnitProblem(f"expected a number, got {shown(value.magnitude)}")
        unit_text = f"{value.units:D}"
    elif isinstance(value, str):
        if unit is not None:
            raise UnitProblem("give the unit either in the value string or in `unit`, not "
                              "both", "unit")
        if kind_name == "c_rate":
            rate = _c_rate(value)
            if rate is not None:
                return rate
        magnitude, unit_text = split_number(value)
        if kind_name == "c_rate" and not unit_text:
            return magnitude
    else:
        magnitude = _magnitudes(value, arrays)
        if magnitude is None:
            raise UnitProblem(f"expected a value such as {KINDS[kind_name].example!r}, "
                              f"got {shown(value)}")
        unit_text = unit or ""
        if kind_name == "c_rate" and not unit_text:
            return magnitude                     # a C-rate is a number per hour
        if not unit_text.strip() and kind_name != "dimensionless":
            raise UnitProblem(
                f"a bare number needs a unit: write e.g. {KINDS[kind_name].example!r}"
            )
    if kind_name == "temperature" and unit_text.strip() in _TEMPERATURE_SLIPS:
        slip = unit_text.strip()
        number = f"{magnitude:g}" if np.ndim(magnitude) == 0 else "..."
        meaning = "coulombs" if slip == "C" else "farads"
        raise UnitProblem(f"{_written(value, unit)} is not a temperature ({slip!r} is "
                          f"{meaning}): did you mean '{number} {_TEMPERATURE_SLIPS[slip]}'?")
    a, b = _conversion(unit_text.strip(), kind_name)
    with np.errstate(over="ignore", invalid="ignore"):
        # a new array either way: a design never shares an array its caller may change
        if (a, b) != (1.0, 0.0) or isinstance(magnitude, float):
            x = a * magnitude + b
        else:
            x = np.array(magnitude, dtype=float)
    if not np.isfinite(x).all() and np.any(np.isfinite(magnitude) & ~np.isfinite(x)):
        raise UnitProblem(f"{_written(value, unit)} is too large")
    return x


def _written(value: object, unit: object = None) -> str:
    if isinstance(value, pint.Quantity) and np.ndim(value.magnitude) == 0:
        return shown(f"{value:~}")
    return shown(value if unit is None else f"{value} {unit}")


def _fix(value: object, unit: object, kind_name: str, rule: Rule) -> str:
    """A likely fix for an out-of-range value: the same number in the unit that puts it in
    range, e.g. '35 kJ' -> '35 kJ/mol'."""
    if isinstance(value, str):
        try:
            number, unit_text = split_number(value)
        except UnitProblem:
            return ""
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(unit, str):
        number, unit_text = float(value), unit
    else:
        return ""
    candidates = list(KINDS[kind_name].fixes)
    if kind_name == "energy" and "eV" not in unit_text:
        candidates.insert(0, f"{unit_text}/mol")   # "35 kJ": a molar energy lost its /mol
    for candidate in candidates:
        if candidate == unit_text:
            continue
        try:
            a, b = _conversion(candidate, kind_name)
        except UnitProblem:
            continue
        x = a * number + b
        if rule.low_ <= x <= rule.high_ and x > 0:
            return f" (did you mean '{number:g} {candidate}'?)"
    return ""


def check(x, rule: Rule, value: object = None, unit: object = None) -> None:
    """Raise UnitProblem if `x` (internal unit; a float or an array) breaks `rule`: not
    finite, below absolute zero, negative, zero where not allowed, a fraction out of [0, 1],
    not a whole number, outside the kind's physical range. For an array the message names
    the first offending index."""
    low, high = rule.low_, rule.high_
    if type(x) is float:
        # fast path for one plain number (every design file value): the same tests as below
        # in plain Python, which is ~20x cheaper than numpy on a 0-d array; a value that
        # fails any of them falls through to the full path for the message
        if (math.isfinite(x) and not (rule.kind == "temperature" and x <= 0) and x >= 0
                and (x != 0 or rule.zero_ok) and not (rule.below_one and x >= 1)
                and not (rule.at_most_one and x > 1) and not (rule.integer and x != round(x))
                and not (x != 0 and x < low) and not x > high):
            return
    kind = KINDS[rule.kind]
    arr = np.asarray(x, dtype=float)
    unit_shown = f" {kind.shown}" if kind.shown else ""
    if arr.ndim and not rule.integer:
        # fast path for large arrays: the extremes decide every test but the integer one
        lo, hi = float(arr.min()), float(arr.max())     # NaN propagates into both
        if (math.isfinite(lo) and math.isfinite(hi) and lo >= low and lo > 0 and hi <= high
                and not (rule.below_one and hi >= 1) and not (rule.at_most_one and hi > 1)):
            return
    with np.errstate(invalid="ignore"):
        tests = [(~np.isfinite(arr), "must be a finite number", False)]
        if rule.kind == "temperature":
            tests.append((arr <= 0, "must be above absolute zero", False))
        tests += [
            (arr < 0, "must be zero or positive" if rule.zero_ok else "must be positive", False),
            ((arr == 0) & (not rule.zero_ok), "must be positive", False),
            ((arr >= 1) & rule.below_one, "must be below 1", False),
            ((arr > 1) & rule.at_most_one, "must not exceed 1", False),
            ((arr != np.round(arr)) & rule.integer, "must be a whole number", False),
            ((arr != 0) & (arr < low), f"must be at least {low:g}{unit_shown}", True),
            (arr > high, f"must not exceed {high:g}{unit_shown}", True),
        ]
    bad = np.zeros(arr.shape, dtype=bool)
    for mask, _, _ in tests:
        bad |= mask
    if not bad.any():
        return
    index = np.unravel_index(int(np.argmax(bad)), arr.shape) if arr.ndim else ()
    reason, outside = next((r, o) for mask, r, o in tests if np.asarray(mask)[index])
    if arr.ndim == 0 and value is not None:
        got = f", got {_written(value, unit)}"
    else:
        got = f", got {arr[index]:g}{unit_shown}"
        if arr.ndim:
            got += f" at index {index[0] if len(index) == 1 else index}"
    fix = _fix(value, unit, rule.kind, rule) if outside and arr.ndim == 0 else ""
    raise UnitProblem(f"{reason}{got}{fix}")


def read(value: object, rule: Rule, unit: object = None, *, arrays: bool = False):
    """The one checked path from a raw value (TOML or Python) to an internal float or array:
    read it (`to_internal`) and check it against `rule` (`check`)."""
    x = to_internal(value, rule.kind, unit, arrays=arrays)
    check(x, rule, value, unit)
    return x


def read_table(node: dict, allowed) -> tuple[object, object]:
    """(value, unit) of a `{ value, unit, ... }` table; UnitProblem naming the sub-key at
    fault for an unknown key, a missing value, a unit that is not text or given twice."""
    from .errors import did_you_mean
    for k in node:
        if not isinstance(k, str) or k not in allowed:
            raise UnitProblem("unknown key" + did_you_mean(str(k), allowed), str(k))
    if "value" not in node:
        raise UnitProblem("a value table needs `value` and `unit`")
    unit = node.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise UnitProblem(f"the unit is text such as 'um', got {shown(unit)}", "unit")
    return node["value"], unit


def written_form(value: object, unit: object = None) -> str:
    """How a value was written, for results and reports."""
    if isinstance(value, str):
        return value
    return f"{value} {unit or ''}".strip()
