"""The result of an evaluation: metrics as pint quantities, the layer and ASR breakdowns,
warnings and the sources of every library value used; exported as JSON or CSV.

The JSON shape is the public interface of design-format.md (schema asslb-designer/result@1).
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field

import numpy as np

from .metrics import BY_NAME, METRICS
from .units import Quantity

RESULT_SCHEMA = "asslb-designer/result@1"
LAYER_UNITS = {
    "thickness": "um", "swelling": "um", "areal_mass": "mg / cm ** 2", "loading": "mg / cm ** 2",
    "areal_capacity": "mA * h / cm ** 2",
}
ASR_UNIT = "ohm * cm ** 2"


def _plain(x):
    """A float (or nested list of floats) for JSON; NaN and infinities become None."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        return v if math.isfinite(v) else None
    return [_plain(v) for v in arr]


@dataclass
class Result:
    design: str
    metrics: dict                   # name -> float/array in the metric's unit, or None
    layers: list[dict]
    asr: list[dict]
    warnings: list[str]
    cited: dict                     # source -> what it was used for
    library: object = None
    extra: dict = field(default_factory=dict)

    # ---- access
    def __getitem__(self, name: str):
        """A metric as a pint Quantity (None for a cell-level metric the design cannot give)."""
        if name not in BY_NAME:
            raise KeyError(f"no metric {name!r}; metrics: {', '.join(BY_NAME)}")
        value = self.metrics.get(name)
        return None if value is None else Quantity(value, BY_NAME[name].unit)

    @property
    def limited_by(self):
        """What sets the capacity: "positive", "negative" or "lithium inventory" (an array of
        them for a batch)."""
        code = self.extra.get("capacity_limited_by")
        if code is None:
            return None
        from .capacity import LIMITING_SIDES
        if np.ndim(code) == 0:
            return LIMITING_SIDES[int(code)]
        return np.asarray(LIMITING_SIDES, dtype=object)[np.asarray(code)]

    @property
    def asr_missing(self) -> list[str]:
        """The ASR terms without data, each named ("interface Li|LiPON", "bulk h-BN
        (layer[3])", "electrode LixMnO2 (layer[4])"); counted as 0 in asr_total."""
        return list(self.extra.get("asr_missing", ()))

    @property
    def asr_complete(self) -> bool:
        """False when asr_total is a lower bound (some terms have no data)."""
        return not self.asr_missing

    @property
    def quantities(self) -> dict:
        return {m.name: self[m.name] for m in METRICS}

    @property
    def shape(self) -> tuple:
        return np.shape(self.metrics["specific_energy_stack"])

    def sources(self) -> list[dict]:
        refs = getattr(self.library, "references", {}) or {}
        out = []
        for src, used in self.cited.items():
            ref = refs.get(src)
            entry = {"id": src, "citation": ref.citation if ref else src, "used_for": list(used)}
            if ref and ref.doi:
                entry["doi"] = ref.doi
            elif ref and ref.url:
                entry["url"] = ref.url
            out.append(entry)
        return out

    # ---- export
    def to_dict(self) -> dict:
        metrics = {}
        for m in METRICS:
            value = self.metrics.get(m.name)
            metrics[m.name] = None if value is None else {"value": _plain(value), "unit": m.unit}
        layers = []
        for layer in self.layers:
            entry = {}
            for k, v in layer.items():
                if isinstance(v, str):
                    entry[k] = v
                elif k in LAYER_UNITS:
                    entry[k] = {"value": _plain(v), "unit": LAYER_UNITS[k]}
                else:
                    entry[k] = _plain(v)
            layers.append(entry)
        asr = []
        for term in self.asr:
            entry = {"term": term["term"], "where": term["where"]}
            if "layer" in term:
                entry["layer"] = term["layer"]
            entry.update({"value": _plain(term["value"]), "unit": ASR_UNIT})
            if term.get("source"):
                entry["source"] = term["source"]
            asr.append(entry)
        limited = self.limited_by
        if limited is not None and not isinstance(limited, str):
            limited = np.asarray(limited).tolist()
        return {"schema": RESULT_SCHEMA, "design": self.design, "metrics": metrics,
                "capacity_limited_by": limited, "asr_complete": self.asr_complete,
                "asr_missing": self.asr_missing, "layers": layers, "asr": asr, "warnings": list(self.warnings),
                "sources": self.sources()}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_csv(self) -> str:
        """One row per design, one column per metric (its unit in the header)."""
        names = [m.name for m in METRICS if self.metrics.get(m.name) is not None]
        shape = self.shape
        columns = [np.broadcast_to(np.asarray(self.metrics[n], dtype=float), shape).ravel()
                   for n in names]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["design"] + [f"{n} [{BY_NAME[n].unit}]" for n in names])
        for i in range(int(np.prod(shape, dtype=int))):
            writer.writerow([self.design] + [repr(float(c[i])) for c in columns])
        return out.getvalue()
