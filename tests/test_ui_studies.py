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
    panel.metric_choice.setCurrentIndex(panel.metric_choice.findData("areal_capacity"))
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
    # the bars are labelled by role name where the design has one layer of the role, the
    # numbered key in the axis tooltip
    ticks = [t[1] for t in panel.plot.getAxis("left")._tickLevels[0]]
    names = {"layer[5].loading": "cathode.loading", "layer[4].thickness": "separator.thickness"}
    assert ticks[:3] == [names.get(k, k) for k, *_ in panel.ranked][:3]
    assert "cathode.loading" in ticks and "layer[5].loading" not in ticks
    row = ticks.index("cathode.loading")
    assert panel.axis.tip_at(row).startswith("layer[5].loading: cathode")
    assert panel.axis.tip_at(row + 0.3) == panel.axis.tip_at(row)
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


# ---- 2-D map
def test_map2d_grid_equals_point_by_point_evaluation(qtbot, cell, tmp_path):
    from asslb_designer.studies import params
    from asslb_designer.ui.plots.studies.map2d import Map2DPanel
    design, result = cell
    panel = Map2DPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show_state(*cell)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    panel.x_from.setText("10 um")
    panel.x_to.setText("0.1 mm")          # 100 um, written in another unit
    panel.y_from.setText("10 mg/cm**2")
    panel.y_to.setText("40 mg/cm**2")
    panel.points.setText("7")
    panel.target.setText("250 W*h/kg")
    panel.run()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert panel.z.shape == (7, 7)
    # the grid: 10, 25, ..., 100 um (step 90/6 = 15) and 10, 15, ..., 40 mg/cm2 (step 5)
    assert panel.x == pytest.approx([10, 25, 40, 55, 70, 85, 100])
    assert panel.y == pytest.approx([10, 15, 20, 25, 30, 35, 40])
    for i, j in ((0, 0), (3, 5), (6, 2)):
        one = evaluate(params.with_values(design, {"separator.thickness": np.array([panel.x[i]]),
                                                   "cathode.loading": np.array([panel.y[j]])}),
                       result.library)
        assert panel.z[i, j] == pytest.approx(float(one.metrics["specific_energy_cell"][0]),
                                              rel=1e-12)
    # the contour: where the grid crosses 250 Wh/kg, the engine gives about 250 Wh/kg
    # (the line interpolates linearly between grid points: a finer grid for it)
    panel.points.setText("31")
    panel.run()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert np.nanmin(panel.z) < 250 < np.nanmax(panel.z)
    panel.iso.generatePath()          # (pyqtgraph builds it when first painted)
    path = panel.iso.path
    assert path is not None and path.elementCount() > 2
    points = [panel.iso.mapToParent(path.elementAt(k).x, path.elementAt(k).y)
              for k in range(0, path.elementCount(), max(1, path.elementCount() // 5))]
    xs = np.array([p.x() for p in points])
    ys = np.array([p.y() for p in points])
    on = evaluate(params.with_values(design, {"separator.thickness": xs, "cathode.loading": ys}),
                  result.library).metrics["specific_energy_cell"]
    assert np.asarray(on) == pytest.approx(250, rel=0.01)   # linear interpolation on the grid
    assert "µm" in panel.plot.getAxis("bottom").labelText
    assert "mg/cm²" in panel.plot.getAxis("left").labelText
    rows = exports(panel, tmp_path)
    assert rows[0] == ["separator.thickness [um]", "cathode.loading [mg/cm**2]",
                       "specific_energy_cell [W*h/kg]"]
    assert len(rows) == 1 + 31 * 31


def test_map2d_saves_a_study_file_the_cli_reads(qtbot, cell, tmp_path):
    from asslb_designer.studies.study_file import load_study
    from asslb_designer.studies.sweep import run
    from asslb_designer.studies.writers import read_table, open_writer
    from asslb_designer.ui.plots.studies.map2d import Map2DPanel
    design, result = cell
    panel = Map2DPanel()
    qtbot.addWidget(panel)
    panel.show_state(*cell)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    panel.x_from.setText("10 um")
    panel.x_to.setText("100 um")
    panel.points.setText("5")
    panel.run()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    path = panel.save_study(tmp_path / "map.toml")
    study = load_study(path)
    assert study.plan.method == "grid" and study.plan.size == 25
    assert study.keys == ["separator.thickness", "cathode.loading"]
    assert study.metrics == ["specific_energy_cell"]
    out = tmp_path / "out.csv"
    run(study, open_writer(out, study.columns()), progress=False)
    table = read_table(out)
    assert table["specific_energy_cell [W*h/kg]"] == pytest.approx(panel.z.ravel(), rel=1e-12)
    # and the command line runs it: the same 25 rows
    from asslb_designer.cli import main
    assert main(["study", str(path), "-o", str(tmp_path / "cli.csv")]) == 0
    assert read_table(tmp_path / "cli.csv")["specific_energy_cell [W*h/kg]"] == \
        pytest.approx(panel.z.ravel(), rel=1e-12)


# ---- Monte Carlo
def test_montecarlo_histogram_percentiles_are_the_engines(qtbot, cell, tmp_path):
    from asslb_designer.studies.constraints import parse_constraint
    from asslb_designer.studies.montecarlo import monte_carlo_study, run_monte_carlo
    from asslb_designer.studies.study_file import load_study
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    design, result = cell
    panel = MonteCarloPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.samples.setText("3000")
    panel.seed.setText("7")
    panel.constraint.setText("specific_energy_cell >= 220 W*h/kg")
    panel.show_state(*cell)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    engine, _ = run_monte_carlo(monte_carlo_study(
        design, result.library, n=3000, seed=7, metrics=["specific_energy_cell"],
        constraints=[parse_constraint("specific_energy_cell >= 220 W*h/kg", None, "c")]),
        progress=False)
    e = next(m for m in engine.metrics if m.name == "specific_energy_cell")
    s = next(m for m in panel.summary.metrics if m.name == "specific_energy_cell")
    assert (s.p5, s.p50, s.p95) == (e.p5, e.p50, e.p95)
    assert [line.value() for line in panel.lines] == [e.p5, e.p50, e.p95]
    # P5 < P50 < P95 of the samples themselves (numpy's linear percentiles)
    y = panel.table["specific_energy_cell [W*h/kg]"]
    assert s.p50 == pytest.approx(np.percentile(y[np.isfinite(y)], 50))
    # the probability of the constraint: the fraction of samples that meet it
    p = float(np.mean(y >= 220))
    assert panel.summary.constraints[0][1] == pytest.approx(p)
    assert f"{p:.1%}" in panel.plot.titleLabel.text
    assert {k for k, *_ in panel.summary.varied} == {k for k, *_ in engine.varied}
    assert "material.Li6PS5Cl.ionic_conductivity" in {k for k, *_ in engine.varied}
    rows = exports(panel, tmp_path)
    assert "specific_energy_cell [W*h/kg]" in rows[0] and len(rows) == 1 + 3000
    study = load_study(panel.save_study(tmp_path / "mc.toml"))
    assert study.plan.method == "lhs" and study.plan.n == 3000 and study.plan.seed == 7
    assert set(study.keys) == {k for k, *_ in engine.varied}
    assert [(c.metric, c.op, c.value) for c in study.constraints] == \
        [("specific_energy_cell", ">=", 220.0)]


# ---- Pareto
def test_pareto_front_is_non_dominated_and_marks_the_design(qtbot, cell, tmp_path):
    from asslb_designer.studies.study_file import load_study
    from asslb_designer.ui.plots.studies.pareto import ParetoPanel
    design, result = cell
    panel = ParetoPanel()
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.samples.setText("1500")
    panel.constraint.setText("np_ratio >= 1.1")
    panel.show_state(*cell)
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    front = panel.front
    table = panel.outcome[1]
    se, vl = table["specific_energy_cell [W*h/kg]"], table["voltage_loss [V]"]
    feasible = (table["np_ratio [1]"] >= 1.1) & np.isfinite(se) & np.isfinite(vl)
    fs, fv = front.rows["specific_energy_cell [W*h/kg]"], front.rows["voltage_loss [V]"]
    assert len(fs) >= 2
    # no feasible sample is at least as good in both (max energy, min loss) and better in one
    for a, b in zip(fs, fv):
        dominating = feasible & (se >= a) & (vl <= b) & ((se > a) | (vl < b))
        assert not dominating.any()
    # every feasible sample off the front is dominated by a front point
    on = {(a, b) for a, b in zip(fs, fv)}
    for a, b in zip(se[feasible], vl[feasible]):
        if (a, b) not in on:
            assert np.any((fs >= a) & (fv <= b) & ((fs > a) | (fv < b)))
    star = panel.marker.getData()
    assert star[0][0] == pytest.approx(float(result.metrics["specific_energy_cell"]))
    assert star[1][0] == pytest.approx(float(result.metrics["voltage_loss"]))
    assert list(panel.front_line.getData()[0]) == list(fs)
    rows = exports(panel, tmp_path)
    assert len(rows) == 1 + len(fs)
    study = load_study(panel.save_study(tmp_path / "pareto.toml"))
    assert study.objectives == [("max", "specific_energy_cell"), ("min", "voltage_loss")]
    assert study.plan.method == "lhs" and study.plan.n == 1500
    assert study.keys == ["separator.thickness", "cathode.loading"]


def test_the_cancel_button_stops_a_long_monte_carlo_between_chunks(qtbot, cell):
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    panel = MonteCarloPanel()
    qtbot.addWidget(panel)
    panel.samples.setText("1000000")          # 20 chunks of 50 000 designs
    panel.show_state(*cell)
    assert panel.busy and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.bar.value() > 0, timeout=60000)   # the first chunk is in
    done = panel.bar.value()
    assert 0 < done < 1_000_000 and panel.bar.maximum() == 1_000_000
    panel.cancel_button.click()
    assert not panel.busy and "cancelled" in panel.message.text()
    assert panel.runner.wait(60000)
    qtbot.wait(50)
    assert panel.outcome is None            # the stopped run never reaches the plot
    assert not panel.cancel_button.isEnabled()


def test_a_screenshot_of_the_studies_tab_shows_a_finished_map(qtbot, tmp_path):
    from asslb_designer.ui import MainWindow
    from asslb_designer.ui.app import save_screenshot
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_design(str(EXAMPLE))
    window.resize(1280, 800)
    window.show()
    out = save_screenshot(window, tmp_path / "s.png", "Studies")
    assert out.read_bytes()[:4] == b"\x89PNG"
    panel = window.app_views["studies"].panels["map2d"]
    assert not panel.busy and panel.z is not None and panel.z.shape == (40, 40)
    assert "designs" in panel.message.text()


# ---- results belong to the design they were run on
def test_an_edit_marks_the_results_stale_instead_of_running_again(qtbot, cell):
    from asslb_designer.edits import SetValues
    from asslb_designer.ui.plots.studies.panel import STALE
    design, result = cell
    panel = shown(qtbot, TornadoPanel(), cell)
    first = panel.outcome
    assert not panel.stale and not panel.message.text().startswith(STALE)
    runs = []
    panel.runner.start = (lambda real: lambda work: runs.append(1) or real(work))(
        panel.runner.start)
    # an edit of the design (the same file): no study starts, the shown results are marked
    edited = SetValues({"layer[4].thickness": "60 um"}).apply(design)
    assert edited.file == design.file
    panel.show_state(edited, evaluate(edited))
    assert runs == [] and not panel.busy and panel.outcome is first
    assert panel.stale and panel.message.text().startswith(STALE)
    assert "bold" in panel.run_button.styleSheet()
    # Run: the study of the edited design; the mark goes
    panel.run_button.click()
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert runs == [1] and panel.outcome is not first and not panel.stale
    assert not panel.message.text().startswith(STALE)
    assert panel.run_button.styleSheet() == ""
    # the separator at 60 um: the tornado's base value is the edited design's
    e = elasticities(edited, result.library, metrics=[panel.outcome[0]])
    assert panel.outcome[1].base == e.base
    # another design file runs at once
    other = load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch.toml")
    panel.show_state(other, evaluate(other))
    assert runs == [1, 1]
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert not panel.stale


def test_an_edit_while_a_study_runs_leaves_its_results_marked_stale(qtbot, cell):
    from asslb_designer.edits import SetValues
    from asslb_designer.ui.plots.studies.montecarlo import MonteCarloPanel
    design, _ = cell
    panel = MonteCarloPanel()
    qtbot.addWidget(panel)
    panel.samples.setText("200000")
    panel.show_state(*cell)
    assert panel.busy
    edited = SetValues({"layer[4].thickness": "60 um"}).apply(design)
    panel.show_state(edited, evaluate(edited))
    qtbot.waitUntil(lambda: not panel.busy, timeout=60000)
    assert panel.outcome is not None and panel.stale
    assert "P50" in panel.message.text()          # the results, with the note before them


QT_VIRTUALS = ("metric", "event", "sizeHint", "minimumSizeHint", "paintEngine", "devType",
               "heightForWidth", "hasHeightForWidth", "setVisible", "initPainter",
               "redirected", "sharedPainter", "inputMethodQuery", "focusNextPrevChild",
               "nativeEvent", "eventFilter", "timerEvent", "childEvent", "customEvent")


def test_no_panel_attribute_hides_a_method_qt_calls(qtbot):
    # Qt calls these C++ virtuals on the widget; PySide looks the name up on the Python
    # object, so an attribute such as `self.metric = QComboBox()` made every paint of a
    # shown panel fail ("QComboBox object is not callable") and then crash
    from asslb_designer.ui.plots.studies import PANELS
    for _, cls in PANELS:
        panel = cls()
        qtbot.addWidget(panel)
        shadowed = [n for n in vars(panel) if n in QT_VIRTUALS or n.endswith("Event")]
        assert not shadowed, (cls.__name__, shadowed)


def test_a_shown_panel_paints_while_its_study_runs(tmp_path):
    # a panel on screen, its progress bar repainting as chunks come in: no crash
    import subprocess
    import sys
    script = tmp_path / "paint.py"
    script.write_text(f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from asslb_designer import evaluate, load_design
from asslb_designer.ui.plots.studies import PANELS
design = load_design({str(EXAMPLE)!r})
result = evaluate(design)
for _, cls in PANELS:
    panel = cls()
    panel.resize(1000, 700)
    panel.show()
    panel.show_state(design, result)
    while panel.busy:
        app.processEvents()
        panel.repaint()
    panel.grab()
    print(cls.__name__, "painted")
    panel.close()
    panel.deleteLater()       # (a top-level pyqtgraph widget alive at exit crashes PySide)
    app.processEvents()
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("painted") == 4
    assert "not callable" not in done.stderr


def test_a_panel_in_a_hidden_window_starts_no_study_until_shown(qtbot):
    from asslb_designer.ui import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_design(str(EXAMPLE))
    window.flush_views()
    panels = window.app_views["studies"].panels
    assert not any(p.busy for p in panels.values())      # nobody sees them yet
    assert all(p.outcome is None for p in panels.values())
    window.show()
    window.show_tab("Studies")
    qtbot.waitUntil(lambda: panels["map2d"].outcome is not None, timeout=60000)
    assert panels["montecarlo"].outcome is None and not panels["montecarlo"].busy
    window.document.undo_stack.setClean()
