"""The Pareto front of 2 or 3 metrics over sampled designs, with constraints.

A design dominates another when it is at least as good in every objective and better in
one ("max" metrics larger, "min" metrics smaller). The front is the set of feasible designs
(every constraint met, every objective defined) that no other feasible design dominates.
`non_dominated` finds it by repeated selection: the best remaining design by the sum of
its objectives' ranks is never dominated by a remaining one, so it joins the
front, and every design it dominates is dropped, all in vectorized comparisons; the loop
runs once per front point, not per design.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from . import params
from .sweep import FLAG


def non_dominated(objectives: np.ndarray) -> np.ndarray:
    """Mask of the rows of `objectives` (n x k, every column to be maximised) that no other
    row dominates. Rows holding NaN are never on the front."""
    x = np.asarray(objectives, dtype=float)
    n = x.shape[0]
    on_front = np.zeros(n, dtype=bool)
    alive = np.all(np.isfinite(x), axis=1)
    # a score strictly increasing in every objective (the sum of dense ranks: equal values
    # share a rank), so a row that dominates another scores higher, and the best-scoring
    # live row is dominated by no live row
    finite = np.where(np.isfinite(x), x, -np.inf)
    score = sum(np.unique(finite[:, j], return_inverse=True)[1].ravel()
                for j in range(x.shape[1])).astype(float) if n else np.zeros(0)
    while alive.any():
        candidates = np.flatnonzero(alive)
        best = candidates[np.argmax(score[candidates])]
        on_front[best] = True
        alive[best] = False
        rest = np.flatnonzero(alive)
        dominated = np.all(x[best] >= x[rest], axis=1) & np.any(x[best] > x[rest], axis=1)
        alive[rest[dominated]] = False
    return on_front


@dataclass
class Front:
    """The front's rows (all output columns) and where the current design stands."""

    columns: list[str]
    rows: dict                  # column -> array, front rows only, best first objective first
    objectives: list[tuple[str, str]]
    current: dict               # metric -> value of the design as it is
    current_dominated_by: int   # front points that dominate the current design
    current_feasible: bool
    feasible: int
    total: int

    def write(self, path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(self.columns)
            w.writerows(zip(*(np.asarray(self.rows[c]).tolist() for c in self.columns)))


def front_of_study(study, table: dict) -> Front:
    """The front of a study's rows (table: output columns) for its objectives."""
    from ..evaluation import evaluate
    names = [m for _, m in study.objectives]
    signs = np.array([1.0 if sense == "max" else -1.0 for sense, _ in study.objectives])
    x = np.column_stack([table[params.metric_column(m)] for m in names]) * signs
    feasible = np.asarray(table[FLAG], dtype=bool) if FLAG in table else np.ones(len(x), bool)
    x_feasible = np.where(feasible[:, None], x, np.nan)
    mask = non_dominated(x_feasible)
    order = np.argsort(-x[mask][:, 0], kind="stable")
    rows = {c: np.asarray(v)[mask][order] for c, v in table.items()}
    base = evaluate(study.design, study.library)
    current = {m: float(base.metrics[m]) for m in names}
    cx = np.array([current[m] for m in names]) * signs
    fx = x[mask]
    dominated_by = int(np.sum(np.all(fx >= cx, axis=1) & np.any(fx > cx, axis=1)))
    meets = all(bool(np.all(c.met(base.metrics))) for c in study.constraints)
    return Front(list(table), rows, list(study.objectives), current, dominated_by, meets,
                 int(feasible.sum()), len(x))


def front_text(front: Front) -> str:
    names = [m for _, m in front.objectives]
    cols = [params.metric_column(m) for m in names]
    lines = [f"Pareto front ({', '.join(f'{s} {m}' for s, m in front.objectives)}): "
             f"{len(front.rows[cols[0]])} designs of {front.feasible:,} feasible "
             f"({front.total:,} evaluated)"]
    shown = [c for c in front.columns if c not in cols and c != FLAG] + cols
    lines.append("  ".join(shown))
    n = len(front.rows[cols[0]])
    step = max(1, n // 20)
    for i in range(0, n, step):
        lines.append("  ".join(f"{front.rows[c][i]:.5g}" for c in shown))
    where = ("not dominated by any front design" if front.current_dominated_by == 0 else
             f"dominated by {front.current_dominated_by} front design(s)")
    if not front.current_feasible:
        where += "; it does not meet the constraints"
    lines.append("current design: " + ", ".join(f"{m} = {front.current[m]:.5g}" for m in names)
                 + f"; {where}")
    return "\n".join(lines)
