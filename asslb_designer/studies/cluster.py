"""The same chunked study, evaluated elsewhere: local processes or a Dask cluster.

An executor evaluates chunks (sweep.evaluate_rows) on workers and hands the tables back in
row order, keeping a few chunks in flight per worker, so the writer (in this process) sees
exactly the rows a single-process run would and memory stays flat.

- `DaskExecutor(address)`: an existing Dask cluster (`--scheduler tcp://host:8786`); the
  workers need asslb-designer installed (the same version) and nothing else: the design
  and its materials library travel with the study.
- `DaskExecutor(workers=N)`: a local Dask cluster of N worker processes.
- `ProcessExecutor(N)`: N local processes of the standard library (no dask needed).
dask[distributed] is an optional extra, imported only here.
"""

from __future__ import annotations

import logging
from collections import deque
from itertools import islice

from ..errors import InputError
from .sweep import evaluate_rows

IN_FLIGHT_PER_WORKER = 2


class _Ordered:
    """Submit chunks a window at a time; yield results in submission order."""

    workers = 1

    def _submit(self, study_ref, start, stop):
        raise NotImplementedError

    def _prepare(self, study):
        return study

    def map_in_order(self, study, chunks):
        ref = self._prepare(study)
        todo = iter(chunks)
        self._pending = deque(self._submit(ref, *c)
                              for c in islice(todo, IN_FLIGHT_PER_WORKER * self.workers))
        while self._pending:
            future = self._pending.popleft()
            nxt = next(todo, None)
            if nxt is not None:
                self._pending.append(self._submit(ref, *nxt))
            yield future.result()

    def cancel_pending(self):
        for future in getattr(self, "_pending", ()):
            future.cancel()
        self._pending = deque()


_STUDY = None


def _install(study):
    global _STUDY
    _STUDY = study


def _rows_of_installed(start, stop):
    return evaluate_rows(_STUDY, start, stop)


class ProcessExecutor(_Ordered):
    """N local worker processes (concurrent.futures); the study is sent once to each."""

    def __init__(self, workers: int):
        self.workers = workers
        self._pool = None

    def _prepare(self, study):
        from concurrent.futures import ProcessPoolExecutor
        self._pool = ProcessPoolExecutor(self.workers, initializer=_install, initargs=(study,))
        return None

    def _submit(self, ref, start, stop):
        return self._pool.submit(_rows_of_installed, start, stop)

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def describe(self) -> str:
        return f"{self.workers} local processes"


class DaskExecutor(_Ordered):
    """A Dask cluster: an existing one at `address`, or a local one of `workers` processes."""

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(None, "--scheduler" if address else "--workers",
                             "a Dask cluster needs dask[distributed] (pip install "
                             "'asslb-designer[studies]')") from None
        self.cluster = None
        try:
            if address:
                self.client = Client(address, timeout="10s")
            else:
                import dask
                # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which stops glibc
                # from raising its mmap threshold, so every temporary array of a chunk is
                # mapped and unmapped afresh: about 5x slower evaluation. Leave malloc be.
                environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
                environ.pop("MALLOC_TRIM_THRESHOLD_", None)
                dask.config.set({"distributed.nanny.pre-spawn-environ": environ})
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=":0",
                                            scheduler_kwargs={"dashboard": False},
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except OSError as exc:
            raise InputError(None, "--scheduler", f"cannot reach the Dask scheduler "
                             f"{address!r}: {exc}") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or
                           (workers or 1))
        self.address = address

    def _prepare(self, study):
        # a key of its own per run (hash=False): a second run of the same study must not
        # share the key of the first one's data while the cluster is releasing it
        return self.client.scatter(study, broadcast=True, hash=False)

    def _submit(self, ref, start, stop):
        return self.client.submit(evaluate_rows, ref, start, stop, pure=False)

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        where = f"the Dask cluster at {self.address}" if self.address else "a local Dask cluster"
        return f"{where} ({self.workers} workers)"


def executor_for(workers: int | None, scheduler: str | None):
    """The executor the command line asks for: None (this process), a Dask cluster, or,
    with --workers and no dask installed, the standard library's process pool."""
    if scheduler:
        return DaskExecutor(address=scheduler)
    if not workers or workers <= 1:
        return None
    try:
        import distributed  # noqa: F401
    except ImportError:
        return ProcessExecutor(workers)
    return DaskExecutor(workers=workers)
