"""The main window's view of its long work: one row per kind of work (the sweep, the report)
in the status bar, each a label, a progress bar and a Cancel button.

A row watches one `worker.Runner`. It shows only for work still running after
`SHOW_AFTER_MS` (a 200-point sweep never flickers a bar), fills as the job reports,
stays full for a moment when the job ends and hides; Cancel (or a new run) stops the job
between its steps and its result is never shown. Object names for tests and scripts:
`progress:NAME` (the row), `progress:NAME:bar`, `progress:NAME:cancel`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy,
                               QWidget)

SHOW_AFTER_MS = 100      # the threshold: shorter work shows no bar
HIDE_AFTER_MS = 1500     # a finished bar stays full this long
REDRAW_S = 0.1           # the bar changes at most this often (and at the end)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u2009")          # 1 000 000, thin spaces


class TaskRow(QWidget):
    """Label, bar and Cancel of one runner."""

    def __init__(self, name: str, title: str, runner, unit: str = "", parent=None):
        super().__init__(parent)
        self.name, self.title, self.runner, self.unit = name, title, runner, unit
        self.setObjectName(f"progress:{name}")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.label = QLabel(title)
        self.label.setObjectName(f"progress:{name}:label")
        self.bar = QProgressBar()
        self.bar.setObjectName(f"progress:{name}:bar")
        self.bar.setFixedWidth(180)
        self.bar.setFormat("%p%")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName(f"progress:{name}:cancel")
        self.cancel_button.setToolTip(f"Stop the {title.lower()}; what is shown stays")
        for widget in (self.label, self.cancel_button):
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(runner.cancel)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._show_if_busy)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(HIDE_AFTER_MS)
        self._hide_timer.timeout.connect(self.hide)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._draw_latest)
        self._drawn = 0.0
        self._latest = None
        self._step = ""
        runner.started.connect(self._started)
        runner.progress.connect(self._progress)
        runner.message.connect(self._message)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._stopped)
        runner.cancelled.connect(self._stopped)
        self.hide()

    def _started(self) -> None:
        self._hide_timer.stop()
        self._step = ""
        self.label.setText(f"{self.title}…")
        self.label.adjustSize()
        self.bar.setRange(0, 0)               # busy until the first step is reported
        self.cancel_button.setEnabled(True)
        self._redraw_timer.stop()
        self._latest = None
        self._drawn = 0.0
        if self.isHidden():
            self._show_timer.start()

    def _show_if_busy(self) -> None:
        if self.runner.busy:
            self.show()

    def _progress(self, done: int, total: int) -> None:
        # setValue repaints at once: the bar changes at most every REDRAW_S (the latest
        # step is drawn when that time is up), and at once at the end
        self._latest = (int(done), max(int(total), 1))
        wait = REDRAW_S - (time.monotonic() - self._drawn)
        if done >= total or wait <= 0:
            self._draw_latest()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start(max(1, int(wait * 1000)))

    def _draw_latest(self) -> None:
        self._redraw_timer.stop()
        if self._latest is None or not self.runner.busy:
            return
        done, total = self._latest
        self._drawn = time.monotonic()
        if self.bar.maximum() != total:
            self.bar.setRange(0, total)
        self.bar.setValue(done)
        if self.unit and not self._step:
            self._set_label(f"{_count(done)} / {_count(total)} {self.unit}")

    def _message(self, text: str) -> None:
        self._step = text
        self._set_label(text)

    def _set_label(self, text: str) -> None:
        self.label.setText(f"{self.title}: {text}")
        self.label.adjustSize()

    def _finished(self, _result) -> None:
        self._show_timer.stop()
        self._redraw_timer.stop()
        if self._latest is not None and self.bar.maximum() != self._latest[1]:
            self.bar.setRange(0, self._latest[1])
        if self.bar.maximum() == 0:
            self.bar.setRange(0, 1)
        self.bar.setValue(self.bar.maximum())
        self._set_label("done")
        self.cancel_button.setEnabled(False)
        if not self.isHidden():
            self._hide_timer.start()

    def _stopped(self, *_):
        if self.runner.busy:                  # a newer run of the same kind goes on
            return
        self._show_timer.stop()
        self._redraw_timer.stop()
        self.hide()


class ProgressPanel(QWidget):
    """The rows of the window's long work, side by side (a permanent status-bar widget)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("progress")
        self.rows: dict[str, TaskRow] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def watch(self, runner, name: str, title: str, unit: str = "") -> TaskRow:
        """Show `runner`'s jobs as the row `progress:NAME`, labelled `title` and the step
        the job says, or else its count (`done / total unit`) when a unit is given."""
        row = TaskRow(name, title, runner, unit, self)
        self.rows[name] = row
        self._layout.addWidget(row)
        return row

    def cancel_all(self) -> None:
        """Stop every run in hand (the window closes): none of their results is shown."""
        for row in self.rows.values():
            row.runner.cancel()

    def runner(self, name: str, title: str):
        """The runner of the row `name`, made (and watched) on first use."""
        if name not in self.rows:
            from .worker import Runner
            self.watch(Runner(self), name, title)
        return self.rows[name].runner
