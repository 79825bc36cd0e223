"""The frame of a study panel: a plot view (export PNG, SVG, CSV) with Run, Cancel, a
progress bar, and the shared StudyRunner. Subclasses implement `prepare()` (on the GUI
thread: read the controls, return `work(job)` for the worker thread, or raise InputError)
and `show_result(result)`."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtWidgets import (QCheckBox, QComboBox, QLabel, QLineEdit, QProgressBar,
                               QPushButton)

from asslb_designer.errors import InputError
from asslb_designer.metrics import BY_NAME
from asslb_designer.studies import params
from asslb_designer.studies.study_file import value_of
from asslb_designer.studies.sweep import available_metrics, run
from asslb_designer.units import UnitProblem

from ..base import PlotView, theme_colours
from ..sweep import display_unit, pretty_unit, to_display
from .runner import StudyRunner


def metric_label(metric: str) -> str:
    m = BY_NAME[metric]
    unit = pretty_unit(m.unit)
    return f"{m.label} ({unit})" if unit and unit != "1" else m.label


def key_label(key: str, kind: str) -> str:
    unit = pretty_unit(display_unit(kind))
    return key + (f" ({unit})" if unit else "")


def run_collecting(study, job) -> dict:
    """Run a study in its chunks on the worker thread, reporting progress and stopping
    between chunks when the job is cancelled; every column of every row done."""
    parts = []

    def on_chunk(table):
        parts.append(table)
        job.progress(sum(len(next(iter(p.values()))) for p in parts), study.plan.size)

    run(study, on_chunk=on_chunk, progress=False, stop=job.stop)
    if not parts:
        return {}
    return {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}


STALE = "The design has changed since this run (Run updates it). "


def progress_chunk(n: int) -> int:
    """Rows per chunk: about 20 progress steps, never fewer than 200 rows."""
    return max(200, -(-n // 20))


class InputPicker:
    """One input a panel varies over a range: a key box (the keys of `asslb-designer
    params`, role names where they exist), "from" and "to" fields with units, and a "log"
    box (a log-spaced grid, or a log-uniform draw: for conductivities that span decades).
    Choosing another key puts its default range in the fields and runs the panel."""

    def __init__(self, panel: "StudyPanel", name: str, tip: str, preferred: str):
        self.panel, self.preferred = panel, preferred
        self.key = panel.metric_box(name)
        self.key.setToolTip(tip)
        self.low, self.high = panel.line(f"{name}_from"), panel.line(f"{name}_to")
        self.log = QCheckBox("log")
        self.log.setObjectName(f"{name}_log")
        self.log.setToolTip("Space this range in log (both ends positive), e.g. a "
                            "conductivity from 1e-5 to 1e-2 S/cm")
        self.key.currentIndexChanged.connect(lambda _: self.reset_range())
        self.log.toggled.connect(lambda _: panel.run())

    def controls(self, label: str) -> tuple:
        return ((label, self.key), ("from", self.low), ("to", self.high), (None, self.log))

    def update(self) -> None:
        """After a new design: the key list, and a default range if none was typed."""
        self.panel.fill_keys(self.key, self.preferred)
        if not self.low.text():
            self._set_default()

    def _set_default(self) -> None:
        lo, hi = self.panel.default_range(self.key.currentData())
        self.low.setText(lo)
        self.high.setText(hi)

    def reset_range(self) -> None:
        if self.panel.design is None or self.key.currentData() is None:
            return
        self._set_default()
        self.panel.run()

    def range(self, where: str) -> tuple[str, float, float, bool]:
        """(key, start, stop, log) in internal units; an InputError naming `where`."""
        key, design = self.key.currentData(), self.panel.design
        start = value_of(self.low.text(), design, key, None, f"{where} from")
        stop = value_of(self.high.text(), design, key, None, f"{where} to")
        if start == stop:
            raise InputError(None, where, f"{key}: the range is empty")
        if self.log.isChecked() and not (start > 0 and stop > 0):
            raise InputError(None, where, f"{key}: a log range needs both ends above zero")
        return key, start, stop, self.log.isChecked()

    def spec(self) -> dict:
        """The [[parameter]] fields of the study file, as the user typed them."""
        return {"key": self.key.currentData(), "low": self.low.text().strip(),
                "high": self.high.text().strip()}


class StudyPanel(PlotView):
    title = "Study"
    stale = False                     # the results shown are of an earlier design
    _said = ("", False)               # the message, without the stale note
    default_metric = "specific_energy_cell"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.design = None
        self.result = None
        self.outcome = None
        self.runner = StudyRunner(self)
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("study:run")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("study:cancel")
        self.cancel_button.setEnabled(False)
        self.bar = QProgressBar()
        self.bar.setObjectName("study:progress")
        self.bar.setMaximumWidth(200)
        self.bar.setFormat("%p%")
        self.toolbar.insertWidget(0, self.run_button)
        self.toolbar.insertWidget(1, self.cancel_button)
        self.toolbar.insertWidget(2, self.bar)
        self.save_button = QPushButton("Save study…")
        self.save_button.setObjectName("study:save")
        self.save_button.setToolTip("Save this set-up as a study file for "
                                    "`asslb-designer study`")
        self.save_button.clicked.connect(self._ask_save)
        self.toolbar.addWidget(self.save_button)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.parameters: dict = {}
        self._run_design = None       # the design of the run in hand or last shown
        self._controls_of = None      # the design the key and metric lists are of

    # ---- controls shared by the panels
    def input_pair(self, names: tuple[str, str], tip: str) -> None:
        """The two inputs of a panel that varies two (the 2-D map, the Pareto front):
        `x_input`, `y_input` (separator thickness and cathode loading by default), their
        widgets also as x_key, x_from, x_to, x_log and y_key, ... (the tests and automation
        use those names)."""
        self.x_input = InputPicker(self, names[0], tip, "separator.thickness")
        self.y_input = InputPicker(self, names[1], tip, "cathode.loading")
        for axis, picker in (("x", self.x_input), ("y", self.y_input)):
            for part, widget in (("key", picker.key), ("from", picker.low),
                                 ("to", picker.high), ("log", picker.log)):
                setattr(self, f"{axis}_{part}", widget)

    def metric_box(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.setToolTip("The metric of the study")
        box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(22)
        # a choice the user made survives a new design; until then the panel's default
        box.activated.connect(lambda _: box.setProperty("chosen", box.currentData()))
        return box

    def fill_metrics(self, box: QComboBox, preferred: str) -> None:
        items = [(metric_label(m), m, None)
                 for m in available_metrics(self.design, self.result.library)]
        self._fill(box, items, box.property("chosen") or preferred)

    def fill_keys(self, box: QComboBox, preferred: str) -> None:
        items = []
        for p in self.parameters.values():
            name = p.aliases[0] if p.aliases else p.key
            items.append((key_label(name, p.kind), name, p.description))
        self._fill(box, items, box.property("chosen") or preferred)

    def _fill(self, box: QComboBox, items: list, old) -> None:
        """The box lists `items` (text, data, tooltip) with `old` chosen (else the first);
        refilled only when the list changed (an edit of a value keeps it)."""
        box.blockSignals(True)
        filled = self.__dict__.setdefault("_filled", {})
        if filled.get(box.objectName()) != items:
            box.clear()
            for text, data, tip in items:
                box.addItem(text, data)
                if tip is not None:
                    box.setItemData(box.count() - 1, tip, 3)   # Qt.ToolTipRole
            filled[box.objectName()] = items
        i = box.findData(old)
        i = i if i >= 0 else 0
        if box.currentIndex() != i:
            box.setCurrentIndex(i)
        box.blockSignals(False)

    def add_controls(self, *pairs, row=None) -> None:
        row = self.controls if row is None else row
        for label, widget in pairs:
            if label:
                row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)

    def second_row(self, *pairs) -> None:
        """A second row of controls, between the first and the Run/Export row."""
        from PySide6.QtWidgets import QHBoxLayout
        row = QHBoxLayout()
        self.layout().insertLayout(1, row)
        self.add_controls(*pairs, row=row)

    def line(self, name: str, text: str = "", width: int = 90, tip: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setMinimumWidth(width)
        edit.setMaximumWidth(max(width, 90) + 60)
        edit.setToolTip(tip or "A value with its unit, e.g. '10 um' or '1e-3 S/cm'")
        edit.returnPressed.connect(self.run)
        return edit

    def current(self, key: str) -> float:
        """The design's value of `key` (internal unit)."""
        return float(self.parameters[params.resolve(self.design, key)].value)

    def default_range(self, key: str) -> tuple[str, str]:
        """Half to one and a half times the design's value, as text in the display unit."""
        p = self.parameters[params.resolve(self.design, key)]
        shown = float(to_display(p.value, p.kind))
        unit = display_unit(p.kind)
        if p.kind == "temperature":
            low, high = shown - 25.0, shown + 35.0
        elif p.kind == "dimensionless" and 0 < p.value < 1:
            low, high = p.value * 0.5, min(0.99, p.value * 1.5)
        elif p.value == 0:
            low, high = 0.0, 1.0
        else:
            low, high = shown * 0.5, shown * 1.5
        # the screen's spelling ("mg/cm²", "µm"), which the fields read back as typed
        suffix = f" {pretty_unit(unit)}" if unit and p.kind not in ("dimensionless", "c_rate") \
            else ""
        return f"{low:.4g}{suffix}", f"{high:.4g}{suffix}"

    # ---- the view contract
    def show_state(self, design, result) -> None:
        """As a plot view, but a panel inside a window starts no study while it is hidden
        (the window not shown yet, or another tab): it runs when shown. A panel on its own
        (a test, a script) draws at once."""
        if self.window() is not self and not self.isVisible():
            self._pending = (design, result)
            return
        super().show_state(design, result)

    def draw(self, design, result) -> None:
        """A new state of the design. A panel's results belong to the design they were run
        on: the first design, and another design file, run the panel at once; an edit of
        the design marks the results shown stale (Run, or changing a control, runs it
        again) instead of starting a study on every keystroke, which would take the GUI
        thread's time while the user types."""
        fresh = self.design is None or design.file != self.design.file
        self.design, self.result = design, result
        if fresh or (self.outcome is None and not self.busy):
            self.run()
        else:
            self.set_stale(self._run_design is not design)

    def refresh_controls(self) -> None:
        """The keys and metrics of the current design in the controls (done when a run
        starts, not on every edit)."""
        if self._controls_of is self.design:
            return
        self.parameters = {p.key: p for p in params.parameters(self.design,
                                                                self.result.library)}
        self.update_controls()
        self._controls_of = self.design

    def set_stale(self, stale: bool) -> None:
        """Mark the results shown as those of an earlier design (the message says so and
        the Run button is bold), or not; nothing is redrawn when the mark does not change."""
        if stale == self.stale:
            return
        self.stale = stale
        self.run_button.setStyleSheet("font-weight: bold" if stale else "")
        self.run_button.setToolTip("The design has changed since the results shown: run "
                                   "the study again" if stale else "Run the study")
        self.say(*self._said)

    def say(self, text: str, error: bool = False) -> None:
        self._said = (text, error)
        if self.stale and not error:
            super().say(STALE + text)
            self.message.setStyleSheet(f"color: {theme_colours()['stale']}")
        else:
            super().say(text, error)

    def apply_theme(self) -> None:
        super().apply_theme()
        self.say(*self._said)          # the stale note keeps its colour

    def update_controls(self) -> None:
        pass

    # ---- the study file
    def study_spec(self) -> dict:
        """The keyword arguments of study_writer.save_study for this set-up."""
        raise NotImplementedError

    def save_study(self, path):
        from .study_writer import save_study
        return save_study(path, design_file=self.design.file if self.design else None,
                          **self.study_spec())

    def _ask_save(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox
        path, _ = QFileDialog.getSaveFileName(self, "Save study", f"{self.export_name}-study"
                                              ".toml", "Study file (*.toml)")
        if not path:
            return
        try:
            self.save_study(path)
            self.say(f"study saved: {path} (run it with `asslb-designer study {path} -o "
                     "out.csv`)")
        except InputError as exc:
            self.say(f"study not saved: {exc}", error=True)
        except OSError as exc:
            QMessageBox.warning(self, "Save failed", f"{path}: {exc.strerror or exc}")

    # ---- running
    def prepare(self):
        raise NotImplementedError

    def show_result(self, outcome) -> None:
        raise NotImplementedError

    def run(self) -> None:
        if self.design is None:
            return
        self.refresh_controls()
        try:
            work = self.prepare()
        except (InputError, UnitProblem, ValueError) as exc:
            self.say(f"{self.title} not run: {exc}", error=True)
            return
        self._run_design = self.design
        self.set_stale(False)
        self.bar.setRange(0, 0)
        self._bar_shown = time.monotonic()      # the busy bar shows first
        self.cancel_button.setEnabled(True)
        self.say(f"{self.title}: running…")
        self.runner.start(work)

    def cancel(self) -> None:
        self.runner.cancel()

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def _progress(self, done, total):
        # QProgressBar.setValue/setRange repaint at once: a short study (most edits) ends
        # before the bar would show a step; change it at most every 0.1 s, and at the end
        total = max(total, 1)
        now = time.monotonic()
        if done < total and now - getattr(self, "_bar_shown", 0.0) < 0.1:
            return
        self._bar_shown = now
        if self.bar.maximum() != total:
            self.bar.setRange(0, total)
        if self.bar.value() != done:
            self.bar.setValue(done)

    def _finished(self, outcome):
        self.cancel_button.setEnabled(False)
        if self.bar.maximum() != 1:
            self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.outcome = outcome
        try:
            self.show_result(outcome)
        except (InputError, ValueError) as exc:
            self.say(f"{self.title}: {exc}", error=True)
        self.set_stale(self._run_design is not self.design)   # edited while it ran

    def _failed(self, reason):
        self.cancel_button.setEnabled(False)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.say(f"{self.title} not run: {reason}", error=True)

    def _cancelled(self):
        if not self.runner.busy:
            self.cancel_button.setEnabled(False)
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.say(f"{self.title} cancelled.")
