"""The Studies tab: the shared runner (worker thread, progress, cancel, stale runs) and
the study panels, whose numbers are the engine's own study functions, called here."""

import csv
import threading
import xml.etree.ElementTree as ET

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from asslb_designer import evaluate, load_design  # noqa: E402
from asslb_designer.studies.sensitivity import elasticities  # noqa: E402
from asslb_designer.ui.plots.studies import StudiesView  # noqa: E402
from asslb_designer.ui.plots.studies.runner import StudyRunner  # noqa: E402
from asslb_designer.ui.plots.studies.tornado import TornadoPanel  # noqa: E402

from .conftest import ROOT  # noqa: E402

EXAMPLE = ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml"


@pytest.fixture
def cell():
    design = load_design(EXAMPLE)
    return design, evaluate(design)


def shown(qtbot, panel, state):
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show_state(*state)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    return panel


def exports(panel, tmp_path):
    png = panel.export_png(tmp_path / "p.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    root = ET.parse(panel.export_svg(tmp_path / "p.svg")).getroot()
    assert root.tag.endswith("svg")
    with open(panel.export_csv(tmp_path / "p.csv"), newline="") as f:
        return list(csv.reader(f))


# ---- the runner
def test_runner_reports_progress_and_result_off_the_gui_thread(qtbot):
    runner = StudyRunner()
    seen, results, threads = [], [], []
    runner.progress.connect(lambda d, t: seen.append((d, t)))
    runner.finished.connect(results.append)

    def work(job):
        threads.append(threading.current_thread())
        for i in range(3):
            job.progress(i + 1, 3)
        return "done"
    runner.start(work)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert results == ["done"]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert threads[0] is not threading.main_thread()
    assert not runner.busy


def test_a_cancelled_run_stops_between_chunks_and_shows_nothing(qtbot):
    runner = StudyRunner()
    results, cancelled = [], []
    runner.finished.connect(results.append)
    runner.cancelled.connect(lambda: cancelled.append(True))
    chunks = []
    started = threading.Event()

    def work(job):
        while not job.stop.requested:       # one "chunk" per pass
            chunks.append(1)
            started.set()
            threading.Event().wait(0.01)
        return "too late"
    job = runner.start(work)
    assert started.wait(10)
    qtbot.wait(20)                          # the GUI thread stays free meanwhile
    runner.cancel()
    assert runner.wait(10000)
    qtbot.wait(50)
    assert job.done and cancelled == [True] and results == []


def test_a_newer_run_cancels_the_stale_one(qtbot):
    runner = StudyRunner()
    results = []
    runner.finished.connect(results.append)
    gate = threading.Event()

    def slow(job):
        gate.wait(10)
        return "stale"
    stale = runner.start(slow)
    runner.start(lambda job: "fresh")
    gate.set()
    assert runner.wait(10000)
    qtbot.wait(50)
    assert stale.stop.requested
    assert results == ["fresh"]


# ---- tornado
def test_tornado_ranks_the_engines_elasticities(qtbot, cell, tmp_path):
    panel = TornadoPanel()
    panel.show_state(*cell)          # runs the default metric at once
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    panel.metric.setCurrentIndex(panel.metric.findData("areal_capacity"))
    qtbot.waitUntil(lambda: not panel.busy and panel.outcome[0] == "areal_capacity",
                    timeout=60000)
    design, result = cell
    expected = elasticities(design, result.library, metrics=["areal_capacity"])
    ranked = {k: e for k, e, *_ in panel.ranked}
    # areal capacity = active loading x specific capacity x (1 - formation loss f):
    # elasticity 1 in the loading and the capacity, -f / (1 - f) = -0.1 / 0.9 in f
    for key in ("layer[5].loading", "material.NMC811.specific_capacity"):
        assert ranked[key] == pytest.approx(1.0, rel=1e-6)
    assert ranked["cell.formation_loss"] == pytest.approx(-0.1 / 0.9, rel=1e-3)
    # a separator does not store charge: elasticity 0
    assert ranked["layer[4].thickness"] == pytest.approx(0.0, abs=1e-9)
    assert [k for k, *_ in panel.ranked] == [k for k, e, *_ in expected.ranked("areal_capacity")
                                            if np.isfinite(e)]
    size = [abs(e) for _, e, *_ in panel.ranked]
    assert size == sorted(size, reverse=True)
    ticks = panel.plot.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks][:3] == [k for k, *_ in panel.ranked][:3]
    rows = exports(panel, tmp_path)
    assert rows[0][1] == "elasticity of areal_capacity [1]"
    assert {r[0]: float(r[1]) for r in rows[1:]}["layer[5].loading"] == pytest.approx(1.0)


def test_the_studies_tab_is_in_the_window(qtbot):
    from asslb_designer.ui import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Studies" in titles
    assert isinstance(window.app_views["studies"], StudiesView)
