"""Long work off the GUI thread: one `Runner` per kind of work, each run a `Job` on a worker
thread, in steps it reports.

The owner hands `Runner.start` a function `work(job)`; it runs on a thread of the runner's
own QThreadPool and reports through `job.progress(done, total)` (and `job.say(text)`, the
step in hand); between steps it looks at `job.stop.requested` (the engine's
`studies.sweep.run` does so itself between chunks when given `stop=job.stop`). `cancel()`
sets that flag; a newer `start` cancels the run in hand, and the result of a cancelled
(stale) run is never shown: it goes to the `discard(result)` given to `start`, if any (on
the GUI thread; the report removes its temporary file there). The signals are queued to
the GUI thread, so the window stays responsive while a job runs. The study panels, the
sweep and the report use it; `ui/progress.py` shows a runner's progress with a Cancel
button in the main window's status bar.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from asslb_designer.errors import InputError
from asslb_designer.studies.sweep import StopOnInterrupt


class _Signals(QObject):
    progress = Signal(object, int, int)      # job, done, total
    message = Signal(object, str)            # job, the step in hand
    finished = Signal(object, object)        # job, result
    failed = Signal(object, str)             # job, reason
    cancelled = Signal(object)               # job


class Job(QRunnable):
    """One run. `stop.requested` is the cancel flag."""

    def __init__(self, work, signals: _Signals, discard=None):
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = signals
        self.discard = discard
        self.stop = StopOnInterrupt()         # off the main thread: a plain flag
        self.done = False
        self.result = None

    def progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(self, int(done), int(total))

    def say(self, text: str) -> None:
        self.signals.message.emit(self, str(text))

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
        self.result = result
        self.done = True
        if self.stop.requested:
            self.signals.cancelled.emit(self)
        else:
            self.signals.finished.emit(self, result)


_ALIVE: list[Job] = []    # every job until well after it has ended, whatever becomes of its
                          # owner: a QRunnable freed while a pool thread runs it would crash


class Runner(QObject):
    """Runs one job at a time for its owner: a newer run cancels the one in hand."""

    started = Signal()
    progress = Signal(int, int)
    message = Signal(str)
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
        self._signals.message.connect(self._message)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._cancelled)

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(self, work, discard=None) -> Job:
        """Run `work(job)` on a worker thread; `discard(result)` receives the result of this
        run if it is cancelled or overtaken by a newer one (on the GUI thread)."""
        if self.current is not None:          # stale: stopped, its result never shown
            self.current.stop.requested = True
        job = Job(work, self._signals, discard)
        self.current = job
        self.jobs = [j for j in self.jobs if not j.done] + [job]
        # a job sets `done` just before it returns: the last few stay whatever they say
        _ALIVE[:] = [j for j in _ALIVE[:-8] if not j.done] + _ALIVE[-8:] + [job]
        self.started.emit()
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

    def _message(self, job, text):
        if job is self.current:
            self.message.emit(text)

    def _finished(self, job, result):
        if job is self.current:
            self.current = None
            self.finished.emit(result)
        else:
            self._discard(job, result)

    def _failed(self, job, reason):
        if job is self.current:
            self.current = None
            self.failed.emit(reason)

    def _cancelled(self, job):
        # said when cancel() was called; a newer start() overtook it otherwise
        self._discard(job, job.result)

    @staticmethod
    def _discard(job, result):
        if job.discard is not None and result is not None:
            job.discard(result)


StudyRunner = Runner          # the name the study panels know it by
