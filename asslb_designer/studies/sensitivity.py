"""Sensitivity: local elasticities of every metric to every numeric input, and global
variance-based (Sobol) indices for the top inputs.

Local: the elasticity of metric m to input x is d ln m / d ln x, estimated by central
differences in ln x: E = (ln m(x e^h) - ln m(x e^-h)) / 2h (h = `step`, default 0.01; exact
for any h when m is a power law of x). Every input's two perturbed designs are stacked into
one batch of 2P designs, evaluated in ONE vectorized call (the other inputs at their
values). Inputs at zero (no logarithm) and counts (unit cells) are skipped and named; an elasticity is undefined
(NaN) where the metric is not positive. Each input moves alone, but a mass fraction
moves with the other fractions of its composite rescaled in proportion, so they still
sum to 1 (params.with_values).

Global: first-order (S1) and total (ST) Sobol indices by Saltelli's estimators, with SALib
(an optional extra), over each input's library spread where it has one, else a range of
+-`spread` (default 10 %) about its value.

`Sensitivity` holds what one analysis computes (a study file's `[sensitivity]` table, the
options of `asslb-designer sensitivity`, the app's tornado panel); `run_sensitivity` runs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..design import Design
from ..errors import InputError
from ..materials import Library
from . import params
from .sweep import check_metrics


@dataclass
class Elasticities:
    keys: list[str]
    metrics: list[str]
    values: np.ndarray            # (keys, metrics)
    low: np.ndarray               # metric at x e^-h, (keys, metrics)
    high: np.ndarray              # metric at x e^+h
    base: dict                    # metric -> value of the design as it is
    step: float
    skipped: list[str] = field(default_factory=list)
    names: dict = field(default_factory=dict)   # key -> its role name, where unambiguous

    def name(self, key: str) -> str:
        """`separator.thickness` for `layer[4].thickness` when the design has one separator;
        the key itself otherwise."""
        return self.names.get(key, key)

    def ranked(self, metric: str) -> list[tuple[str, float, float, float]]:
        """(key, elasticity, metric low, metric high) by falling |elasticity|: tornado data."""
        j = self.metrics.index(metric)
        e = self.values[:, j]
        order = np.argsort(-np.nan_to_num(np.abs(e), nan=-1.0), kind="stable")
        return [(self.keys[i], float(e[i]), float(self.low[i, j]), float(self.high[i, j]))
                for i in order]

    def top_keys(self, n: int) -> list[str]:
        """The n inputs with the largest |elasticity| over all kept metrics."""
        score = np.nanmax(np.where(np.isfinite(self.values), np.abs(self.values), np.nan),
                          axis=1, initial=0.0)
        order = np.argsort(-score, kind="stable")
        return [self.keys[i] for i in order[:n] if score[i] > 0]

    def to_dict(self, top: int | None = None) -> dict:
        return {"step": self.step, "skipped": self.skipped,
                "metrics": {m: [{"key": k, "elasticity": _num(e), "low": _num(lo),
                                 "high": _num(hi)} for k, e, lo, hi in self.ranked(m)[:top]]
                            for m in self.metrics}}


@dataclass(frozen=True)
class Sensitivity:
    """One sensitivity analysis: the elasticities of `metrics` (empty: every metric the
    design gives) to `keys` (None: every input `params` lists) with step h in ln(input),
    `top` inputs shown per metric; with `sobol_n` > 0 also the Sobol indices of the
    `sobol_top` inputs of largest elasticity from `sobol_n` base samples (`sobol_seed`),
    each uniform over its library spread, else value x (1 -+ `sobol_range`)."""

    metrics: tuple[str, ...] = ()
    keys: tuple[str, ...] | None = None
    step: float = 0.01
    top: int = 15
    sobol_n: int = 0
    sobol_top: int = 6
    sobol_seed: int = 0
    sobol_range: float = 0.1


def run_sensitivity(design: Design, library: Library, spec: Sensitivity,
                    file: str | None = None, sobol_key: str = "--sobol"):
    """(Elasticities, Sobol indices or None) of `spec`. Without SALib a Sobol analysis is
    refused before anything is computed (one InputError naming `file` and `sobol_key`)."""
    if spec.sobol_n:
        need_salib(file, sobol_key)
    el = elasticities(design, library, spec.keys, spec.metrics, spec.step)
    found = None
    if spec.sobol_n:
        keys = el.top_keys(spec.sobol_top)
        if not keys:
            raise InputError(file, sobol_key, "no input moves these metrics: nothing to split "
                             "their variance over")
        found = sobol_of_design(design, library, keys, el.metrics, spec.sobol_n,
                                spec.sobol_range, spec.sobol_seed)
    return el, found


def elasticity_rows(el: Elasticities) -> tuple[list[str], list[list]]:
    """The ranked elasticities as a table (header, rows): one row per metric and input,
    largest |elasticity| first within each metric; an undefined value is None."""
    header = ["metric", "key", "elasticity [1]", "metric at input x e^-h",
              "metric at input x e^+h", "metric unit"]
    rows = []
    for m in el.metrics:
        unit = params.metric_column(m).split(" [", 1)[1][:-1]
        rows += [[m, k, _num(e), _num(lo), _num(hi), unit] for k, e, lo, hi in el.ranked(m)]
    return header, rows


def write_elasticities(el: Elasticities, path) -> None:
    """The ranked table as CSV (floats in their shortest form that reads back exactly;
    an undefined elasticity is an empty cell)."""
    import csv
    header, rows = elasticity_rows(el)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(["" if v is None else v for v in row] for row in rows)


def _num(x: float):
    return x if math.isfinite(x) else None


def elasticities(design: Design, library: Library, keys=None, metrics=None,
                 step: float = 0.01) -> Elasticities:
    """Elasticities of `metrics` (default: all the design gives) to `keys` (default: every
    numeric input of params.parameters), in one vectorized evaluation."""
    from ..evaluation import evaluate
    library = design.library(library)
    if not step > 0:
        raise InputError(None, "--step", f"must be positive, got {step}")
    listed = {p.key: p for p in params.parameters(design, library)}
    if keys is None:
        keys = list(listed)
    values, skipped, use = {}, [], []
    for key in keys:
        canonical = params.resolve(design, key)
        if canonical in listed:
            value = listed[canonical].value
        else:
            params.kind_of(design, key)
            value = float(design.value(canonical))
        if value == 0 or not math.isfinite(value) or _whole_number(design, key):
            skipped.append(key)
            continue
        use.append(key)
        values[key] = value
    metrics = check_metrics(list(metrics or ()), design, library, None, "--metrics")
    p = len(use)
    if not p:
        raise InputError(None, "--keys", "no input with a non-zero value to perturb")
    batch = {}
    factor = math.exp(step)
    canonical = {key: params.resolve(design, key) for key in use}
    for key in use:
        batch[canonical[key]] = np.full(2 * p, values[key])
    for i, key in enumerate(use):
        batch[canonical[key]][2 * i] = values[key] * factor
        batch[canonical[key]][2 * i + 1] = values[key] / factor
        prefix = canonical[key].rpartition(".")[0]
        if prefix.endswith(".fractions"):
            # the other parts of the composite keep their proportions, so the sum stays 1
            for sibling in (k for k in design.values
                            if k.startswith(prefix + ".") and k != canonical[key]):
                if sibling not in batch:
                    batch[sibling] = np.full(2 * p, float(design.values[sibling]))
                for row in (2 * i, 2 * i + 1):
                    batch[sibling][row] = float(design.values[sibling]) * \
                        (1 - batch[canonical[key]][row]) / (1 - values[key])
    result = evaluate(params.with_values(design, batch), library)
    base = evaluate(design, library)
    e = np.empty((p, len(metrics)))
    lo = np.empty_like(e)
    hi = np.empty_like(e)
    with np.errstate(all="ignore"):
        for j, m in enumerate(metrics):
            y = np.broadcast_to(np.asarray(result.metrics[m], dtype=float), (2 * p,))
            up, down = y[0::2], y[1::2]
            ok = (up > 0) & (down > 0)
            e[:, j] = np.where(ok, (np.log(np.where(ok, up, 1)) - np.log(np.where(ok, down, 1)))
                               / (2 * step), np.nan)
            lo[:, j], hi[:, j] = down, up
    names = {key: alias for alias, key in params.role_aliases(design).items()}
    return Elasticities(use, metrics, e, lo, hi, {m: float(base.metrics[m]) for m in metrics},
                        step, skipped, {k: names[k] for k in use if k in names})


def _whole_number(design: Design, key: str) -> bool:
    """A count (unit cells, cells per frame) has no derivative: it is not perturbed."""
    from ..design import value_rule
    return value_rule(design, params.resolve(design, key)).integer


def elasticities_text(el: Elasticities, top: int = 15) -> str:
    lines = [f"elasticities d ln(metric) / d ln(input), central differences of +-{el.step:g} "
             f"in ln(input), {2 * len(el.keys)} designs in one evaluation"]
    if el.skipped:
        lines.append(f"skipped (value 0: no logarithm; or a whole number): "
                     f"{', '.join(el.skipped)}")
    for m in el.metrics:
        unit = params.metric_column(m).split(" [", 1)[1][:-1]
        lines.append("")
        lines.append(f"{m} = {el.base[m]:.5g} {unit}")
        ranked = [r for r in el.ranked(m) if math.isfinite(r[1]) and r[1] != 0][:top]
        if not ranked:
            lines.append("  (no input moves it)")
        shown = [el.name(k) + (f" ({k})" if el.name(k) != k else "") for k, *_ in ranked]
        width = max((len(k) for k in shown), default=0)
        for key, (_, e, _, _) in zip(shown, ranked):
            bar = "#" * min(40, max(1, round(abs(e) * 20)))
            lines.append(f"  {key.ljust(width)}  {e:+.4f}  {bar}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- global

def need_salib(file: str | None, key: str) -> None:
    """An InputError naming the extra when SALib is not installed."""
    try:
        import SALib.analyze.sobol  # noqa: F401
        import SALib.sample.sobol  # noqa: F401
    except ImportError:
        raise InputError(file, key, "global (Sobol) sensitivity needs SALib (pip install "
                         "'asslb-designer[studies]'); the local elasticities need nothing") \
            from None


def sobol_analysis(function, names: list[str], bounds: list[tuple[float, float]],
                   n: int = 1024, seed: int = 0) -> dict:
    """First-order and total Sobol indices of `function` (rows of inputs (N, d) -> outputs
    (N,) or a dict of them) over independent uniform inputs within `bounds`, with SALib's
    Saltelli sampling and estimators. Returns {output: {"S1": [...], "ST": [...],
    "S1_conf": [...], "ST_conf": [...]}}."""
    need_salib(None, "--sobol")
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample
    problem = {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}
    x = sample.sample(problem, n, calc_second_order=False, seed=seed)
    y = function(x)
    outputs = y if isinstance(y, dict) else {"y": y}
    out = {}
    import warnings
    for name, values in outputs.items():
        values = np.asarray(values, dtype=float)
        if not np.all(np.isfinite(values)) or np.ptp(values) == 0:
            out[name] = None          # undefined somewhere, or constant: no variance to split
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = analyze.analyze(problem, values, calc_second_order=False, seed=seed)
        out[name] = {k: [float(v) for v in s[k]] for k in ("S1", "ST", "S1_conf", "ST_conf")}
    return out


def sobol_of_design(design: Design, library: Library, keys: list[str], metrics: list[str],
                    n: int = 1024, spread: float = 0.1, seed: int = 0) -> dict:
    """Sobol indices of the design's metrics over `keys`: each uniform over its library
    spread (min..max of the cited values) if it has one, else value x (1 -+ spread)."""
    library = design.library(library)
    listed = {p.key: p for p in params.parameters(design, library)}
    bounds = []
    for key in keys:
        p = listed.get(params.resolve(design, key))
        value = p.value if p else float(design.value(params.resolve(design, key)))
        if p and p.spread and min(p.spread) < max(p.spread):
            bounds.append((min(p.spread), max(p.spread)))
        else:
            bounds.append(tuple(sorted((value * (1 - spread), value * (1 + spread)))))

    def function(x):
        from ..evaluation import evaluate
        r = evaluate(params.with_values(design, {k: x[:, i] for i, k in enumerate(keys)}),
                     library)
        return {m: np.broadcast_to(np.asarray(r.metrics[m], dtype=float), (len(x),))
                for m in metrics}

    indices = sobol_analysis(function, keys, bounds, n, seed)
    from ..units import KINDS
    aliases = {key: alias for alias, key in params.role_aliases(design).items()}
    return {"keys": keys, "bounds": bounds, "n": n, "indices": indices,
            "units": [params.unit_label(KINDS[params.kind_of(design, k)].internal)
                      for k in keys],
            "names": [aliases.get(params.resolve(design, k), k) for k in keys]}


def sobol_text(found: dict) -> str:
    lines = [f"global sensitivity (Sobol, SALib, N = {found['n']}: "
             f"{found['n'] * (len(found['keys']) + 2):,} designs); inputs uniform over:"]
    names = found.get("names", found["keys"])
    units = found.get("units", [""] * len(names))
    width = max(len(k) for k in names)
    for k, (lo, hi), unit in zip(names, found["bounds"], units):
        lines.append(f"  {k.ljust(width)}  {lo:.4g} to {hi:.4g} {'' if unit == '1' else unit}"
                     .rstrip())
    for metric, s in found["indices"].items():
        lines.append("")
        if s is None:
            lines.append(f"{metric}: constant or undefined over these ranges")
            continue
        lines.append(f"{metric}:  {'input'.ljust(width)}     S1     ST")
        order = np.argsort(-np.asarray(s["ST"]))
        for i in order:
            lines.append(f"  {' ' * len(metric)}{names[i].ljust(width)}  "
                         f"{s['S1'][i]:5.3f}  {s['ST'][i]:5.3f}")
    return "\n".join(lines) + "\n"

