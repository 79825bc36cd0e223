"""Constraints on metrics, written as a designer says them:

    "specific_energy_cell >= 400 W*h/kg"     "voltage_loss <= 50 mV"     "np_ratio > 1.05"

The value carries a unit that pint converts to the metric's unit (a dimensionless metric
takes a bare number). A design meets a constraint when the comparison holds; an undefined
metric (NaN) never meets it.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np

from ..errors import InputError, did_you_mean
from ..metrics import BY_NAME
from ..units import Quantity, UnitProblem, split_number

OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_FORM = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Constraint:
    metric: str
    op: str
    value: float          # in the metric's unit (metrics.py)
    text: str

    def met(self, metrics: dict) -> np.ndarray:
        x = np.asarray(metrics[self.metric], dtype=float)
        with np.errstate(invalid="ignore"):
            return OPERATORS[self.op](x, self.value) & ~np.isnan(x)

    def slack(self, x: np.ndarray) -> np.ndarray:
        """How far a metric value is inside the constraint (positive: met)."""
        return x - self.value if self.op in (">=", ">") else self.value - x


def parse_constraint(text, file: str | None, key: str) -> Constraint:
    """A Constraint from "METRIC OP VALUE UNIT"; an InputError naming file and key if not."""
    if not isinstance(text, str):
        raise InputError(file, key, f"a constraint is a string such as "
                         f"'specific_energy_cell >= 400 W*h/kg', got {text!r}")
    match = _FORM.match(text)
    if not match:
        raise InputError(file, key, f"{text!r}: write METRIC >= VALUE UNIT (or <=, >, <), e.g. "
                         "'voltage_loss <= 50 mV'")
    name, op, value_text = match.groups()
    if name not in BY_NAME:
        raise InputError(file, key, f"unknown metric {name!r}" + did_you_mean(name, BY_NAME))
    unit = BY_NAME[name].unit
    try:
        number, unit_text = split_number(value_text)
        quantity = Quantity(number, unit_text or "dimensionless")
        value = quantity.m_as(unit)
    except UnitProblem as exc:
        raise InputError(file, key, f"{text!r}: {exc}") from None
    except Exception:   # pint's several error types: unknown unit, wrong dimension
        raise InputError(file, key, f"{text!r}: {value_text!r} is not a value in a unit of "
                         f"{name} ({unit})") from None
    return Constraint(name, op, float(value), text)
