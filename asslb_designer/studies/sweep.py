"""Run a study: its designs in chunks through the one vectorized path, streamed to a file.

    rows start..stop --(Plan.rows)--> arrays of the varied keys (internal units)
         --(Design.with_values, evaluate)--> metric arrays --(writer)--> CSV / Parquet

Memory holds a few chunks (the one evaluated, up to two waiting for the writer thread and
the one it writes; on a cluster, the few in flight), whatever the number of designs.
Chunks are evaluated here, in a pool of local processes, or on a Dask cluster
(cluster.py), and written in row order, so every path writes the same rows.

Output columns: each varied key as the user wrote it, with its internal unit
(`separator.thickness [um]`); each metric with its unit (`specific_energy_cell [W*h/kg]`);
with constraints, `meets_constraints` (1 when every constraint holds, else 0).
Ctrl-C stops after the chunk being written: the file holds a valid table of the rows done.
"""

from __future__ import annotations

import signal
import sys
import threading
from dataclasses import dataclass, field

import numpy as np

from ..design import Design
from ..errors import InputError
from ..materials import Library
from ..metrics import BY_NAME, METRICS
from . import params
from .constraints import Constraint
from .sampling import Plan

DEFAULT_CHUNK = 50_000
FLAG = "meets_constraints"


@dataclass
class Study:
    """A design, how its parameters vary (plan), what to keep (metrics) and the
    constraints. `library` is the materials library the design resolves against."""

    design: Design
    library: Library
    plan: Plan
    metrics: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    chunk: int = DEFAULT_CHUNK
    name: str = ""
    file: str | None = None
    objectives: list[tuple[str, str]] = field(default_factory=list)   # (max|min, metric)
    sensitivity: object = None    # a sensitivity.Sensitivity: a study of [sensitivity]

    @property
    def keys(self) -> list[str]:
        return [v.key for v in self.plan.varied]

    def columns(self) -> list[str]:
        cols = [params.key_column(k, self.design) for k in self.keys]
        cols += [params.metric_column(m) for m in self.metrics]
        return cols + ([FLAG] if self.constraints else [])

    def column_types(self) -> dict[str, str]:
        return {FLAG: "flag"}

    def chunks(self) -> list[tuple[int, int]]:
        n = self.plan.size
        return [(s, min(s + self.chunk, n)) for s in range(0, n, self.chunk)]


def available_metrics(design: Design, library: Library) -> list[str]:
    """The metrics this design gives (cell-level ones only with area and unit cells)."""
    from ..evaluation import evaluate
    result = evaluate(design, library)
    return [m.name for m in METRICS if result.metrics.get(m.name) is not None]


def check_metrics(names, design: Design, library: Library, file: str | None,
                  key: str) -> list[str]:
    """The metrics to keep: all the design gives when `names` is empty."""
    have = available_metrics(design, library)
    if not names:
        return have
    from ..errors import did_you_mean
    for name in names:
        if name not in BY_NAME:
            raise InputError(file, key, f"unknown metric {name!r}" + did_you_mean(name, BY_NAME))
        if name not in have:
            raise InputError(file, key, f"{name} needs the cell's electrode area and unit_cells, "
                             "which this design does not give")
    return list(dict.fromkeys(names))


def evaluate_rows(study: Study, start: int, stop: int) -> tuple[dict, list[str]]:
    """The output columns of rows start..stop-1 and the evaluation's warnings."""
    from ..evaluation import evaluate
    values = study.plan.rows(start, stop)
    design = params.with_values(study.design, values)
    result = evaluate(design, study.library)
    n = stop - start
    table = {params.key_column(k, study.design): np.asarray(values[k], dtype=float)
             for k in study.keys}
    for m in study.metrics:
        table[params.metric_column(m)] = np.broadcast_to(
            np.asarray(result.metrics[m], dtype=float), (n,)).copy()
    if study.constraints:
        ok = np.ones(n, dtype=bool)
        for c in study.constraints:
            ok &= np.broadcast_to(c.met(result.metrics), (n,))
        table[FLAG] = ok.astype(np.uint8)
    return table, list(result.warnings)


def check_ranges(study: Study) -> None:
    """Refuse, before the first chunk, a parameter whose range leaves the values its key
    allows (a porosity reaching 1, a negative thickness): each key's extreme values
    (a grid's ends; a distribution's quantiles at 0 and just below 1, the most its draws
    can reach) go through with_values."""
    from .sampling import Grid
    for v in study.plan.varied:
        if isinstance(v.how, Grid):
            ends = v.how.values()[[0, -1]]
        else:
            ends = v.how.ppf(np.array([0.0, np.nextafter(1.0, 0.0)]))
        try:
            params.with_values(study.design, {v.key: ends})
        except InputError as exc:
            reason = exc.reason.split(" at index ")[0]
            hint = ("; truncate it (normal:MEAN:STD:LOW:HIGH, or low and high in a study)"
                    if getattr(v.how, "name", "") == "normal" else "")
            raise InputError(study.file, v.origin or v.key, f"{v.key}: its range reaches "
                             f"{ends[0]:g} to {ends[1]:g}, but {reason}{hint}") from None


@dataclass
class RunReport:
    rows: int = 0                 # rows written
    total: int = 0
    interrupted: bool = False
    warnings: list[str] = field(default_factory=list)


class StopOnInterrupt:
    """While active (main thread only), the first Ctrl-C (SIGINT) asks the run to stop after
    the chunk in hand; a second one interrupts at once."""

    def __init__(self):
        self.requested = False
        self._old = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._old = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)
        return False


class Progress:
    """A progress bar on a terminal: tqdm if installed, else one line rewritten on stderr;
    nothing when stderr is not a terminal (or `enabled` is False)."""

    def __init__(self, total: int, enabled: bool | None = None, what: str = "designs"):
        self.total, self.done, self.what = total, 0, what
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        if self.enabled:
            try:
                from tqdm import tqdm
                self._bar = tqdm(total=total, unit=" designs", unit_scale=True, file=sys.stderr)
            except ImportError:
                pass

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(n)
        else:
            pct = 100.0 * self.done / self.total if self.total else 100.0
            sys.stderr.write(f"\r{self.done:,} / {self.total:,} {self.what} ({pct:.0f} %)")
            sys.stderr.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.close()
        else:
            sys.stderr.write("\n")


class BackgroundWriter:
    """Writes tables in a thread of its own, so the next chunk is evaluated while this one
    is written (pyarrow's writers release the GIL). At most `depth` tables wait in line;
    an error in the thread is raised again in the caller's next `write` or in `close`."""

    def __init__(self, writer, depth: int = 2):
        import queue
        self.writer = writer
        self._queue = queue.Queue(maxsize=depth)
        self._error = None
        self._thread = threading.Thread(target=self._work, name="study-writer", daemon=True)
        self._thread.start()

    def _work(self):
        while True:
            table = self._queue.get()
            if table is None:
                return
            if self._error is None:
                try:
                    self.writer.write(table)
                except BaseException as exc:   # re-raised in the caller's thread
                    self._error = exc

    def _raise(self):
        if self._error is not None:
            raise self._error

    def write(self, table) -> None:
        self._raise()
        self._queue.put(table)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self.writer.close()
        self._raise()


def run(study: Study, writer=None, executor=None, on_chunk=None, progress: bool | None = None,
        stop: StopOnInterrupt | None = None) -> RunReport:
    """Evaluate every chunk of the study in row order; hand each table to `writer.write`
    (in a background thread) and to `on_chunk(table)`. `executor` (cluster.py) evaluates
    chunks elsewhere, a few in flight at a time. The writer is closed at the end, also
    after Ctrl-C or an error, holding every chunk handed to it."""
    check_ranges(study)
    report = RunReport(total=study.plan.size)
    bar = Progress(report.total, progress)
    stop = stop or StopOnInterrupt()
    background = BackgroundWriter(writer) if writer is not None else None
    failed = True
    try:
        with stop:
            for table, warnings in _tables(study, executor):
                if background is not None:
                    background.write(table)
                if on_chunk is not None:
                    on_chunk(table)
                n = len(next(iter(table.values()))) if table else 0
                report.rows += n
                for w in warnings:
                    if w not in report.warnings:
                        report.warnings.append(w)
                bar.update(n)
                if stop.requested:
                    report.interrupted = True
                    break
        failed = False
    except KeyboardInterrupt:
        report.interrupted = True
        failed = False
    finally:
        bar.close()
        if executor is not None:
            executor.cancel_pending()
        if background is not None:
            if failed:              # an error is on its way up: close, but do not mask it
                try:
                    background.close()
                except Exception:
                    pass
            else:
                background.close()
    return report


def _tables(study: Study, executor):
    chunks = study.chunks()
    if executor is None:
        for start, stop in chunks:
            yield evaluate_rows(study, start, stop)
        return
    yield from executor.map_in_order(study, chunks)
