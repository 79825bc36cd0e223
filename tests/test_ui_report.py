"""The report: HTML and PDF with the engine's numbers, the breakdowns, the warnings and
the citations; written on a worker thread."""

import shutil
import subprocess

import pytest

pytest.importorskip("PySide6")

from asslb_designer import evaluate, load_design  # noqa: E402
import threading  # noqa: E402

from asslb_designer.ui.report import commit, report_work, write_report  # noqa: E402
from asslb_designer.ui.worker import Runner  # noqa: E402

from .conftest import DATA, ROOT  # noqa: E402


@pytest.fixture
def basic(lib):
    design = load_design(DATA / "basic.toml")
    return design, evaluate(design, lib)


def test_html_report_holds_the_engine_numbers_breakdowns_warnings_sources(qapp, tmp_path):
    design = load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml")
    result = evaluate(design)
    (path,) = write_report(design, result, html_path=tmp_path / "r.html")
    text = path.read_text()
    for name in ("specific_energy_stack", "energy_density_cell", "asr_total", "areal_capacity"):
        assert f"{float(result.metrics[name]):.4g}" in text, name
    assert "Wh/kg" in text and "Wh/L" in text
    assert "data:image/png;base64," in text                        # the cross-section
    assert "Areal mass" in text and "ASR at the design temperature" in text
    for warning in result.warnings:
        assert warning.replace("'", "&#x27;") in text or warning in text
    for source in result.sources():
        assert source["citation"][:40].replace("'", "&#x27;") in text


def test_html_report_of_the_hand_worked_design(qapp, basic, tmp_path):
    (path,) = write_report(*basic, html_path=tmp_path / "r.html")
    text = path.read_text()
    # areal mass 47.268 mg/cm2 and ASR 50 ohm*cm2 (see test_ui_plots for the arithmetic);
    # a cell metric without cell data is a dash
    assert "47.27" in text and ">50<" in text
    assert "—" in text


def test_pdf_report_is_a_pdf_with_the_numbers(qapp, tmp_path):
    design = load_design(ROOT / "examples" / "nmc811-lpscl-li-pouch-hbn.toml")
    result = evaluate(design)
    (path,) = write_report(design, result, pdf_path=tmp_path / "r.pdf")
    data = path.read_bytes()
    assert data[:5] == b"%PDF-" and b"%%EOF" in data[-64:]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert f"{float(result.metrics['specific_energy_stack']):.4g}" in text
        assert "Sources of every material value used" in text


def test_report_runs_on_a_worker_thread_in_steps(qtbot, basic, tmp_path, monkeypatch):
    from asslb_designer.ui import report
    threads = []
    real = report.print_pdf
    monkeypatch.setattr(report, "print_pdf",
                        lambda *a: threads.append(threading.get_ident()) or real(*a))
    out = tmp_path / "out"
    out.mkdir()
    runner = Runner()
    steps, counts = [], []
    runner.message.connect(steps.append)
    runner.progress.connect(lambda done, total: counts.append((done, total)))
    with qtbot.waitSignal(runner.finished, timeout=20000) as blocker:
        runner.start(report_work(*basic, html_path=out / "r.html", pdf_path=out / "r.pdf"))
    assert threads and threads[0] != threading.get_ident()     # printed off the GUI thread
    assert steps == ["rendering the figures", "writing the HTML", "printing the PDF"]
    assert counts == [(1, 3), (2, 3), (3, 3)]
    # until the GUI thread moves them into place, only temporary files exist
    assert not (out / "r.html").exists() and not (out / "r.pdf").exists()
    assert sorted(p.name for p in commit(blocker.args[0])) == ["r.html", "r.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["r.html", "r.pdf"]


def test_report_failure_is_reported_not_raised(qtbot, basic, tmp_path):
    runner = Runner()
    with qtbot.waitSignal(runner.failed, timeout=20000) as blocker:
        runner.start(report_work(*basic, html_path=tmp_path / "no-such-folder" / "r.html"))
    assert "No such file" in blocker.args[0]
