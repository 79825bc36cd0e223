"""Inverse design: the value of one input at which a metric meets a target.

    solve(design, "cathode.loading", "specific_energy_cell", 400 Wh/kg, 5..60 mg/cm^2)

1. Scan: the metric at `points` evenly spaced values of the input over the allowed range,
   in one vectorized evaluation; every sign change of (metric - target) brackets a root.
   No sign change: the target is out of reach in that range, and the error says how far
   the metric gets (its lowest and highest value, and where).
2. Refine each bracket: scipy's brentq when scipy is installed (an optional extra), else
   a vectorized bisection (each step evaluates 32 points of the bracket in one call and
   keeps the sub-interval where the sign changes), both to a relative tolerance of 1e-12.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..design import Design
from ..errors import InputError, did_you_mean
from ..materials import Library
from ..metrics import BY_NAME
from ..units import KINDS, Quantity, split_number
from . import params

XTOL = 1e-12
SECTIONS = 32


class OutOfReach(InputError):
    """The target is not met anywhere in the allowed range."""


@dataclass
class Solution:
    key: str
    metric: str
    target: float
    roots: list[float]          # in the key's internal unit, rising
    unit: str
    method: str
    achieved: list[float]       # the metric at each root

    def text(self) -> str:
        metric_unit = params.unit_label(BY_NAME[self.metric].unit)
        first = (f"{self.key} = {self.roots[0]:.6g} {self.unit} gives {self.metric} = "
                 f"{self.achieved[0]:.6g} {metric_unit} (target {self.target:g}; {self.method})")
        if len(self.roots) > 1:
            others = ", ".join(f"{r:.6g}" for r in self.roots[1:])
            first += f"\nthe metric meets the target {len(self.roots)} times in the range; " \
                     f"also at {self.key} = {others} {self.unit}"
        return first + "\n"


def parse_target(text: str, where: str = "--target") -> tuple[str, float]:
    """"specific_energy_cell=400 W*h/kg" -> (metric, value in the metric's unit)."""
    match = re.match(r"^\s*([A-Za-z_]\w*)\s*=\s*(.+?)\s*$", text or "")
    if not match:
        raise InputError(None, where, f"{text!r}: write METRIC=VALUE UNIT, e.g. "
                         "'specific_energy_cell=400 W*h/kg'")
    name, value_text = match.groups()
    if name not in BY_NAME:
        raise InputError(None, where, f"unknown metric {name!r}" + did_you_mean(name, BY_NAME))
    try:
        number, unit = split_number(value_text)
        return name, float(Quantity(number, unit or "dimensionless").m_as(BY_NAME[name].unit))
    except Exception:
        raise InputError(None, where, f"{value_text!r} is not a value of {name} "
                         f"({BY_NAME[name].unit})") from None


def _metric(design, library, key, metric, x):
    from ..evaluation import evaluate
    r = evaluate(params.with_values(design, {key: np.asarray(x, dtype=float)}), library)
    if r.metrics.get(metric) is None:
        raise InputError(design.file, metric, "this design does not give it (cell-level "
                         "metrics need the electrode area and unit_cells)")
    return np.broadcast_to(np.asarray(r.metrics[metric], dtype=float), np.shape(x))


def solve(design: Design, library: Library, key: str, metric: str, target: float,
          low: float, high: float, points: int = 64, method: str | None = None) -> Solution:
    """Every value of `key` in [low, high] (internal unit) where `metric` equals `target`
    (the metric's unit). `method`: "brentq", "bisection", or None (brentq if scipy is
    installed). Raises OutOfReach when the target is not met in the range."""
    library = design.library(library)
    kind = params.kind_of(design, key)
    unit = params.unit_label(KINDS[kind].internal)
    if not low < high:
        raise InputError(None, "--vary", f"{key}: the range must rise, got {low:g} to {high:g}")
    xs = np.linspace(low, high, points)
    f = _metric(design, library, key, metric, xs) - target
    finite = np.isfinite(f)
    brackets = [i for i in range(points - 1)
                if finite[i] and finite[i + 1] and (f[i] == 0 or f[i] * f[i + 1] < 0)]
    if finite[-1] and f[-1] == 0:
        brackets.append(points - 1)
    if not brackets:
        y = f + target
        if not finite.any():
            raise OutOfReach(None, metric, f"undefined everywhere for {key} in {low:g} to "
                             f"{high:g} {unit}")
        lo_i, hi_i = np.nanargmin(y), np.nanargmax(y)
        munit = params.unit_label(BY_NAME[metric].unit)
        raise OutOfReach(None, metric, f"target {target:g} {munit} is out of reach for {key} in "
                         f"{low:g} to {high:g} {unit}: {metric} ranges from {y[lo_i]:.5g} (at "
                         f"{xs[lo_i]:.5g}) to {y[hi_i]:.5g} {munit} (at {xs[hi_i]:.5g} {unit})")
    try:
        import scipy.optimize  # noqa: F401
        have_scipy = True
    except ImportError:
        have_scipy = False
    if method is None:
        method = "brentq" if have_scipy else "bisection"
    elif method == "brentq" and not have_scipy:
        raise InputError(None, "--method", "brentq needs scipy (pip install "
                         "'asslb-designer[studies]'); --method bisection needs nothing")
    roots = []
    for i in brackets:
        if f[i] == 0 or i == points - 1:
            roots.append(float(xs[i]))
        elif method == "brentq":
            from scipy.optimize import brentq
            g = lambda x: float(_metric(design, library, key, metric, np.array([x]))[0]) - target  # noqa: E731
            roots.append(float(brentq(g, xs[i], xs[i + 1], xtol=XTOL * abs(xs[i + 1]),
                                      rtol=4 * np.finfo(float).eps)))
        else:
            roots.append(_bisect(design, library, key, metric, target, xs[i], xs[i + 1],
                                 f[i]))
    roots = sorted(dict.fromkeys(roots))
    achieved = [float(v) for v in _metric(design, library, key, metric, np.array(roots))]
    return Solution(key, metric, target, roots, unit, method, achieved)


def _bisect(design, library, key, metric, target, a, b, fa) -> float:
    """Vectorized bisection: SECTIONS points per step, one evaluation each."""
    while b - a > XTOL * max(abs(a), abs(b)):
        xs = np.linspace(a, b, SECTIONS + 1)
        f = _metric(design, library, key, metric, xs) - target
        same = np.sign(f) == np.sign(fa)
        j = int(np.argmin(same[1:])) + 1 if not same[1:].all() else SECTIONS
        if f[j] == 0:
            return float(xs[j])
        a, b, fa = xs[j - 1], xs[j], f[j - 1]
        if len(np.unique(xs)) < 3:     # no more resolution in floating point
            break
    return float(0.5 * (a + b))
