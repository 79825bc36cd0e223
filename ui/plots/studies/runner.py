"""The shared runner of the study panels: each study runs on a worker thread, in chunks.

A panel hands `StudyRunner.start` a function `work(job)`; it runs on a thread of the
runner's own QThreadPool and reports through `job.progress(done, total)`; between chunks it
looks at `job.stop.requested` (the engine's `sweep.run` does so itself when given
`stop=job.stop`). `cancel()` sets that flag; a newer `start` cancels the run in hand, and
the result of a cancelled (stale) run is never shown. The signals are queued to the GUI
thread, so the window stays responsive while a study runs.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from asslb_designer.errors import InputError
from asslb_designer.studies.sweep import StopOnInterrupt


class _Signals(QObject):
    progress = Signal(object, int, int)      # job, done, total
    finished = Signal(object, object)        # job, result
    failed = Signal(object, str)             # job, reason
    cancelled = Signal(object)               # job


class Job(QRunnable):
    """One run of a study. `stop.requested` is the cancel flag."""

    def __init__(self, work, signals: _Signals):
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = signals
        self.stop = StopOnInterrupt()         # off the main thread: a plain flag
        self.done = False

    def progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(self, int(done), int(total))

    def run(self) -> None:
        try:
            result = self.work(self)
        except (InputError, ValueError) as exc:
            self.done = True
            self.signals.failed.emit(self, str(exc))
            return
        except Exception as exc:              # a bug: say it, never kill the app
            self.done = True
            traceback.print_exc()
            self.signals.failed.emit(self, f"{type(exc).__name__}: {exc}")
            return
        self.done = True
        if self.stop.requested:
            self.signals.cancelled.emit(self)
        else:
            self.signals.finished.emit(self, result)


_ALIVE: list[Job] = []    # every job until well after it has ended, whatever becomes of its
                          # panel: a QRunnable freed while a pool thread runs it would crash


class StudyRunner(QObject):
    """Runs one study at a time for a panel: a newer run cancels the one in hand."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.current: Job | None = None
        self.jobs: list[Job] = []             # kept alive until they end
        self._signals = _Signals(self)
        self._signals.progress.connect(self._progress)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(self, work) -> Job:
        if self.current is not None:          # stale: stopped, its result never shown
            self.current.stop.requested = True
        job = Job(work, self._signals)
        self.current = job
        self.jobs = [j for j in self.jobs if not j.done] + [job]
        # a job sets `done` just before it returns: the last few stay whatever they say
        _ALIVE[:] = [j for j in _ALIVE[:-8] if not j.done] + _ALIVE[-8:] + [job]
        self.pool.start(job)
        return job

    def cancel(self) -> None:
        if self.current is not None:
            self.current.stop.requested = True
            self.current = None
            self.cancelled.emit()

    def wait(self, ms: int = 30000) -> bool:
        return self.pool.waitForDone(ms)

    # ---- slots, on the GUI thread; a stale job is ignored
    def _progress(self, job, done, total):
        if job is self.current:
            self.progress.emit(done, total)

    def _finished(self, job, result):
        if job is self.current:
            self.current = None
            self.finished.emit(result)

    def _failed(self, job, reason):
        if job is self.current:
            self.current = None
            self.failed.emit(reason)

    def _cancelled(self, job):
        pass                                   # said when cancel() was called
