"""Long work off the GUI thread (issue 12): a long sweep and the report run on a worker
thread with a progress bar and a Cancel button in the status bar; Cancel (a real click)
or a newer run stops them, and a cancelled run's result is never shown or written."""

import threading
import time

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from PySide6.QtCore import Qt, QTimer  # noqa: E402

from asslb_designer import evaluate  # noqa: E402
from asslb_designer.edits import SetValues  # noqa: E402
from asslb_designer.studies import sweep as engine_sweep  # noqa: E402

from .conftest import ROOT  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"
LONG = 1_000_000


@pytest.fixture
def window(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent
    from asslb_designer.ui import MainWindow
    # the windows of earlier tests are deleted now, not in the middle of this one (their
    # deletion can hold the GUI thread for seconds and would pass for a blocked window)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_design(str(EXAMPLE), ask=False)
    w.show()
    qtbot.waitExposed(w)
    w.show_tab("Sweep")
    w.flush_views()
    yield w
    for runner in (w.app_views["sweep"].runner, w.report_runner):
        runner.cancel()
        runner.wait(60000)


@pytest.fixture
def evaluated_rows(monkeypatch):
    """(thread id, rows) of every chunk of a LONG study the engine's study path evaluates
    (the Studies tab's panels run small studies of their own meanwhile). Each chunk takes
    10 ms longer, as on a slower machine, so the sweep lasts well over 0.4 s (40 chunks)
    however fast this one is."""
    seen = []
    real = engine_sweep.evaluate_rows

    def recording(study, start, stop):
        if study.plan.size == LONG:
            seen.append((threading.get_ident(), stop - start))
            time.sleep(0.01)
        return real(study, start, stop)
    monkeypatch.setattr(engine_sweep, "evaluate_rows", recording)
    return seen


def ticking(qtbot, while_busy):
    """A 10 ms timer on the GUI thread, counting its ticks while `while_busy()`."""
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1) if while_busy() else None)
    timer.start()
    return timer, ticks


def test_a_long_sweep_runs_on_a_worker_with_a_progress_bar_to_its_maximum(
        qtbot, window, evaluated_rows):
    view = window.app_views["sweep"]
    row = window.progress.rows["sweep"]
    assert row.isHidden()                    # the 200-point sweep of the start showed no bar
    timer, ticks = ticking(qtbot, lambda: view.runner.busy)
    view.points.setText(str(LONG))
    with qtbot.waitSignal(view.runner.finished, timeout=120000):
        view.run()
        qtbot.waitUntil(row.isVisible, timeout=5000)
        assert row.cancel_button.isVisible() and row.cancel_button.isEnabled()
    timer.stop()
    assert row.isVisible()                   # stays full for a moment after the end
    assert row.bar.maximum() == LONG and row.bar.value() == LONG
    # every design evaluated, in several chunks, none on the GUI thread
    assert sum(n for _, n in evaluated_rows) == LONG and len(evaluated_rows) > 1
    assert threading.get_ident() not in {t for t, _ in evaluated_rows}
    # the GUI thread kept serving its event loop while the sweep ran (> 0.4 s, a tick due
    # every 10 ms): with the sweep on the GUI thread, the timer could not tick before it ended
    assert len(ticks) >= 5
    # the data are the engine's output: the first, middle and last designs one by one
    key, kind, metric = view._plotted
    assert kind == "length"                  # internal and display unit um: the text below
    assert len(view.x) == len(view.y) == LONG
    design, library = window.document.design, window.document.result.library
    for i in (0, LONG // 2, LONG - 1):
        single = evaluate(design.with_values({key: f"{float(view.x[i])!r} um"}), library)
        assert view.y[i] == pytest.approx(float(single.metrics[metric]), rel=1e-12)
    # the curve draws the envelope, every drawn point one of the sweep's
    x, y = view.curve.getOriginalDataset()
    assert 2 < len(x) <= 10_002
    index = np.searchsorted(view.x, x)
    assert np.array_equal(view.x[index], x) and np.array_equal(view.y[index], y)
    qtbot.waitUntil(row.isHidden, timeout=5000)


def test_the_cancel_button_stops_a_long_sweep_and_the_plot_stays(qtbot, window,
                                                                 evaluated_rows):
    view = window.app_views["sweep"]
    row = window.progress.rows["sweep"]
    before = [a.copy() for a in view.curve.getOriginalDataset()]
    assert len(before[0]) == 200
    view.points.setText(str(LONG))
    with qtbot.waitSignal(view.runner.progress, timeout=60000):
        view.run()
    qtbot.waitUntil(row.isVisible, timeout=5000)
    job = view.runner.current
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert job.stop.requested and not view.runner.busy
    assert view.runner.wait(60000)
    qtbot.wait(50)                           # any signal still queued from the worker
    assert sum(n for _, n in evaluated_rows) < LONG     # stopped between chunks
    after = view.curve.getOriginalDataset()
    assert np.array_equal(after[0], before[0]) and np.array_equal(after[1], before[1])
    assert row.isHidden()
    assert "cancelled" in view.message.text()


def test_a_new_edit_cancels_the_stale_sweep_and_draws_the_fresh_one(qtbot, window,
                                                                    evaluated_rows):
    # evaluated_rows: each chunk 10 ms longer, so the stale sweep cannot end before the edit
    view = window.app_views["sweep"]
    view.points.setText(str(LONG))
    finished = []
    view.runner.finished.connect(finished.append)
    with qtbot.waitSignal(view.runner.progress, timeout=60000):
        view.run()
    stale = view.runner.current
    # a thinner copper foil: 390.7 instead of 372.2 Wh/kg (stack) at the example's point
    assert window.apply_edit(SetValues({"layer[1].thickness": "6 um"}))
    qtbot.waitUntil(lambda: view.runner.current is not stale, timeout=5000)
    assert stale.stop.requested
    qtbot.waitUntil(lambda: bool(finished), timeout=120000)
    assert view.runner.wait(60000)
    qtbot.wait(50)
    assert len(finished) == 1                # only the fresh sweep reached the plot
    key, kind, metric = view._plotted
    assert kind == "length"                  # internal unit um: the text below
    design, library = window.document.design, window.document.result.library
    assert design.value("layer[1].thickness") == pytest.approx(6.0)
    for i in (0, LONG - 1):
        single = evaluate(design.with_values({key: f"{float(view.x[i])!r} um"}), library)
        assert view.y[i] == pytest.approx(float(single.metrics[metric]), rel=1e-12)


@pytest.fixture
def slow_pdf(monkeypatch):
    """The PDF step waits until the test lets it go (so a click lands while it runs)."""
    from asslb_designer.ui import report
    gate = threading.Event()
    real = report.print_pdf

    def waiting(*args):
        assert gate.wait(60)
        return real(*args)
    monkeypatch.setattr(report, "print_pdf", waiting)
    yield gate
    gate.set()


def test_the_report_shows_its_steps_and_fills_its_bar(qtbot, window, tmp_path, slow_pdf):
    from asslb_designer.ui.views import export_report
    out = tmp_path / "out"
    out.mkdir()
    row = window.progress.rows["report"]
    export_report(window, out / "r.pdf")
    qtbot.waitUntil(lambda: row.isVisible() and "printing the PDF" in row.label.text(),
                    timeout=10000)
    # the bar follows within its 0.1 s redraw interval: figures and HTML done, of 3 steps
    qtbot.waitUntil(lambda: (row.bar.value(), row.bar.maximum()) == (2, 3), timeout=2000)
    slow_pdf.set()
    qtbot.waitUntil(lambda: "report written" in window.statusBar().currentMessage(),
                    timeout=30000)
    assert row.bar.value() == row.bar.maximum() == 3
    assert [p.name for p in out.iterdir()] == ["r.pdf"]
    assert (out / "r.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_cancelled_report_writes_no_file(qtbot, window, tmp_path, slow_pdf):
    from asslb_designer.ui.views import export_report
    out = tmp_path / "out"
    out.mkdir()
    row = window.progress.rows["report"]
    export_report(window, out / "r.pdf")
    qtbot.waitUntil(lambda: row.isVisible() and "printing the PDF" in row.label.text(),
                    timeout=10000)
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Report cancelled"
    slow_pdf.set()                           # the PDF finishes printing; it is thrown away
    assert window.report_runner.wait(30000)
    qtbot.wait(50)
    assert list(out.iterdir()) == []         # neither the report nor a temporary file
    assert window.statusBar().currentMessage() == "Report cancelled"
    assert row.isHidden()


def test_a_report_cancelled_after_it_was_printed_is_not_moved_into_place(qtbot, window,
                                                                          tmp_path):
    from asslb_designer.ui.views import export_report
    out = tmp_path / "out"
    out.mkdir()
    job = export_report(window, out / "r.html")
    assert window.report_runner.wait(30000)  # done; its result still queued to this thread
    assert job.done and len(list(out.iterdir())) == 1      # the temporary file only
    window.progress.rows["report"].cancel_button.click()
    qtbot.wait(50)                           # the stale result arrives and is discarded
    assert list(out.iterdir()) == []
    assert window.statusBar().currentMessage() == "Report cancelled"


def test_a_long_sweep_draws_an_envelope_that_keeps_a_narrow_peak_and_a_gap():
    from asslb_designer.ui.plots.sweep import drawn_points
    y = np.linspace(0.0, 1.0, LONG)
    y[123_457] = 5.0                         # one design far above its neighbours
    y[700_001] = np.nan                      # one with no value: the line must break there
    drawn = drawn_points(y, limit=3000)      # 1000 bins of 1000 designs each
    assert drawn[0] == 0 and drawn[-1] == LONG - 1
    assert 123_457 in drawn and 700_001 in drawn
    # per bin its lowest and highest point (on a rising line: its first and last) and,
    # in the one bin with a gap, the gap: 2 x 1000 + 1
    assert len(drawn) == 2001
    assert list(drawn_points(y[:2999], limit=3000)) == list(range(2999))   # few: all


def test_the_csv_of_a_long_sweep_is_written_on_a_worker_with_every_point(qtbot, window,
                                                                          tmp_path):
    view = window.app_views["sweep"]
    view.points.setText(str(LONG))
    with qtbot.waitSignal(view.runner.finished, timeout=120000):
        view.run()
    out = tmp_path / "out"
    out.mkdir()
    assert view.export_csv(out / "sweep.csv") is None    # handed to the worker thread
    assert not (out / "sweep.csv").exists()
    row = window.progress.rows["sweep-csv"]
    qtbot.waitUntil(lambda: "CSV written" in view.message.text(), timeout=120000)
    assert row.bar.value() == row.bar.maximum() == LONG
    lines = (out / "sweep.csv").read_text().splitlines()
    assert [p.name for p in out.iterdir()] == ["sweep.csv"]
    assert len(lines) == LONG + 1
    assert lines[0].startswith("layer[4].thickness [um],specific_energy_stack [")
    for i in (0, 123_456, LONG - 1):                 # every number reads back exactly
        x, y = map(float, lines[i + 1].split(","))
        assert (x, y) == (view.x[i], view.y[i])


def test_closing_the_window_cancels_a_running_sweep(qtbot, window):
    view = window.app_views["sweep"]
    view.points.setText(str(LONG))
    with qtbot.waitSignal(view.runner.progress, timeout=60000):
        view.run()
    job = view.runner.current
    window.document.undo_stack.setClean()
    assert window.close()
    assert job.stop.requested and not view.runner.busy
    assert view.runner.wait(60000)

