"""Uncertainty: Monte Carlo over the parameters' distributions.

By default every property of the design whose library record holds several comparable
cited values (params.comparable_spread) varies over that spread, log-uniform between the
lowest and highest value; the summary names each varied key and its range. Output per
metric: P5, P50, P95 (numpy's linear-interpolation percentiles), mean, standard deviation
(n - 1), the number of defined values; and the probability of meeting each constraint (and
all of them): the fraction of samples that meet it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..design import Design
from ..errors import InputError
from ..materials import Library
from ..units import KINDS
from . import params
from .sampling import Grid, Plan, Varied
from .sweep import FLAG, Study, check_metrics

PERCENTILES = (5, 50, 95)


@dataclass
class MetricSummary:
    name: str
    unit: str
    p5: float
    p50: float
    p95: float
    mean: float
    std: float
    defined: int


@dataclass
class Summary:
    samples: int
    method: str
    seed: int
    varied: list[tuple[str, str, str]]             # key, how, where it was stated
    metrics: list[MetricSummary] = field(default_factory=list)
    constraints: list[tuple[str, float]] = field(default_factory=list)  # text, probability
    all_constraints: float | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "samples": self.samples, "method": self.method, "seed": self.seed,
            "varied": [{"key": k, "distribution": how, "from": origin}
                       for k, how, origin in self.varied],
            "metrics": {m.name: {"unit": m.unit, "p5": _num(m.p5), "p50": _num(m.p50),
                                 "p95": _num(m.p95), "mean": _num(m.mean), "std": _num(m.std),
                                 "defined": m.defined} for m in self.metrics},
            "constraints": [{"constraint": t, "probability": p} for t, p in self.constraints],
            "probability_all_constraints": self.all_constraints,
        }


def _num(x: float):
    return x if math.isfinite(x) else None


def describe(v: Varied, design: Design) -> str:
    """How a parameter varies, in words and its internal unit."""
    unit = params.unit_label(KINDS[params.kind_of(design, v.key)].internal)
    how = v.how
    if isinstance(how, Grid):
        return f"{'log ' if how.log else ''}grid {how.start:g} to {how.stop:g} {unit}, " \
               f"{how.count} values"
    if how.name == "library":
        return (f"library spread ({len(how.values)} cited values), {how.shape} "
                f"{how.low:g} to {how.high:g} {unit}")
    if how.name in ("uniform", "log-uniform"):
        return f"{how.name} {how.low:g} to {how.high:g} {unit}"
    if how.name == "triangular":
        return f"triangular {how.low:g} / {how.mode:g} / {how.high:g} {unit}"
    text = f"normal, mean {how.mean:g}, std {how.std:g} {unit}"
    if math.isfinite(how.low) or math.isfinite(how.high):
        text += f", truncated to [{how.low:g}, {how.high:g}]"
    return text


def summarize(study: Study, table: dict) -> Summary:
    """Percentiles, mean, std of every kept metric, and constraint probabilities."""
    n = len(next(iter(table.values()))) if table else 0
    summary = Summary(n, study.plan.method, study.plan.seed,
                      [(v.key, describe(v, study.design), v.origin) for v in study.plan.varied])
    by_metric = {}
    for name in study.metrics:
        column = params.metric_column(name)
        x = np.asarray(table[column], dtype=float)
        by_metric[name] = x
        finite = x[np.isfinite(x)]
        if finite.size:
            p5, p50, p95 = np.percentile(finite, PERCENTILES)
            mean = float(finite.mean())
            std = float(finite.std(ddof=1)) if finite.size > 1 else math.nan
        else:
            p5 = p50 = p95 = mean = std = math.nan
        unit = column.split(" [", 1)[1][:-1]
        summary.metrics.append(MetricSummary(name, unit, float(p5), float(p50), float(p95),
                                             mean, std, int(finite.size)))
    for c in study.constraints:
        summary.constraints.append((c.text, float(np.mean(c.met(by_metric))) if n else math.nan))
    if study.constraints and n:
        summary.all_constraints = float(np.mean(table[FLAG]))
    return summary


def summary_text(s: Summary) -> str:
    lines = [f"{s.samples:,} designs ({s.method}, seed {s.seed}); varied:"]
    width = max((len(k) for k, _, _ in s.varied), default=0)
    for key, how, origin in s.varied:
        lines.append(f"  {key.ljust(width)}  {how}" + (f"  [{origin}]" if origin else ""))
    rows = [("metric", "unit", "P5", "P50", "P95", "mean", "std")]
    for m in s.metrics:
        rows.append((m.name, m.unit, *(f"{v:.4g}" for v in (m.p5, m.p50, m.p95, m.mean, m.std))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join([r[0].ljust(widths[0]), r[1].ljust(widths[1])]
                               + [c.rjust(w) for c, w in zip(r[2:], widths[2:])]))
    for text, p in s.constraints:
        lines.append(f"P({text}) = {p:.3f}" if s.method != "grid" else
                     f"designs meeting {text}: {100 * p:.1f} %")
    if s.all_constraints is not None and len(s.constraints) > 1:
        lines.append(f"P(all constraints) = {s.all_constraints:.3f}" if s.method != "grid"
                     else f"designs meeting all constraints: {100 * s.all_constraints:.1f} %")
    return "\n".join(lines)


def monte_carlo_study(design: Design, library: Library, varied=(), n: int = 10_000,
                      seed: int = 0, method: str = "lhs", metrics=(), constraints=(),
                      library_spread: bool = True, chunk: int | None = None) -> Study:
    """A sampled study: the given distributions, plus (by default) every library spread
    of this design not already given."""
    from .study_file import library_spread as spread_of
    library = design.library(library)
    varied = list(varied)
    if library_spread:
        varied += spread_of(design, library, exclude=[v.key for v in varied])
    if not varied:
        raise InputError(design.file, None, "nothing to vary: this design's library values "
                         "hold no spread of cited values; give distributions (--dist)")
    for v in varied:
        if isinstance(v.how, Grid):
            raise InputError(None, v.origin or v.key, "Monte Carlo draws from distributions, "
                             "not grids")
    metrics = check_metrics(list(metrics), design, library, None, "--metrics")
    for c in constraints:
        if c.metric not in metrics:
            metrics.append(c.metric)
    study = Study(design, library, Plan(tuple(varied), method, n, seed), metrics,
                  list(constraints))
    if chunk:
        study.chunk = chunk
    return study


def run_monte_carlo(study: Study, samples_out=None, workers=None, scheduler=None,
                    progress=None) -> tuple[Summary, bool]:
    """Run a Monte Carlo study; (summary, interrupted). `samples_out`: also write every
    sample (CSV or Parquet)."""
    from .cluster import executor_for
    from .sweep import check_ranges, run
    from .writers import open_writer
    check_ranges(study)
    parts = []
    writer = open_writer(samples_out, study.columns(), study.column_types()) \
        if samples_out else None
    executor = executor_for(workers, scheduler)
    try:
        report = run(study, writer, executor, parts.append, progress)
    finally:
        if executor is not None:
            executor.close()
    table = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]} if parts else {}
    summary = summarize(study, table)
    summary.warnings = list(report.warnings)
    return summary, report.interrupted

