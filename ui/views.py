"""The views of the main window: `install(window)` is called by every MainWindow().

It puts the cross-section on the Stack tab (a click on a band selects the layer in the
editor, a selection in the editor highlights the band), adds the plot tabs (Breakdowns,
Arrhenius, Sweep, Ragone, Compare, Studies) and the Materials browser, and the File menu's
"Export report…" (HTML or PDF, written on a worker thread with a progress bar and Cancel
in the status bar, as is a long sweep: ui/progress.py). Each view follows the
contract of ui/README.md: `show_state(design, result)` after each valid evaluation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from .cross_section import CrossSection
from .materials_browser import MaterialsBrowser
from .plots.arrhenius import ArrheniusView
from .plots.breakdowns import BreakdownView
from .plots.comparison import ComparisonView
from .plots.ragone import RagoneView
from .plots.studies import StudiesView
from .plots.sweep import SweepView
from . import report

TABS = (("Breakdowns", BreakdownView), ("Arrhenius", ArrheniusView), ("Sweep", SweepView),
        ("Ragone", RagoneView), ("Compare", ComparisonView), ("Studies", StudiesView),
        ("Materials", MaterialsBrowser))


def install(window) -> None:
    cross = CrossSection()
    window.set_cross_section(cross)
    editor = getattr(window, "editor", None)
    if editor is not None and hasattr(editor, "layer_selected"):
        editor.layer_selected.connect(cross.select_layer)
    window.app_views = {"cross_section": cross}
    for title, cls in TABS:
        window.app_views[title.lower()] = window.add_view(title, cls())
    sweep = window.app_views["sweep"]
    window.progress.watch(sweep.runner, "sweep", "Sweep", "designs")
    window.progress.watch(sweep.export_runner, "sweep-csv", "CSV export", "rows")
    window.report_runner = _report_runner(window)
    window.app_views["materials"].material_saved.connect(
        lambda material_id: _status(window, f"custom material {material_id} saved to your "
                                            "library"))
    action = QAction("Export &report…", window)
    action.setObjectName("action:report")
    action.setShortcut(QKeySequence("Ctrl+Shift+R"))
    action.setStatusTip("The evaluation as HTML or PDF: metrics, breakdowns, warnings, sources")
    action.triggered.connect(lambda: ask_report(window))
    window.addAction(action)
    menu = _file_menu(window)
    if menu is not None:
        quit_action = next((a for a in menu.actions() if a.objectName() == "action:quit"), None)
        menu.insertAction(quit_action, action) if quit_action else menu.addAction(action)


def _file_menu(window):
    for act in window.menuBar().actions():
        if act.menu() is not None and act.text().replace("&", "") == "File":
            return act.menu()
    return None


def _status(window, text: str, ms: int = 5000) -> None:
    window.statusBar().showMessage(text, ms)


def ask_report(window) -> None:
    document = window.document
    if document.result is None:
        _status(window, "nothing to report: no valid design")
        return
    stem = Path(document.design.file).stem if document.design.file else "report"
    path, chosen = QFileDialog.getSaveFileName(window, "Export report", f"{stem}.pdf",
                                               "PDF (*.pdf);;HTML (*.html)")
    if path:
        export_report(window, path)


def _report_runner(window):
    """The window's report runner (its row in the status bar: `progress:report`); the
    files of a finished report are moved into place here, on the GUI thread."""
    runner = window.progress.runner("report", "Report")

    def finished(written):
        try:
            paths = report.commit(written)
        except OSError as exc:
            _status(window, f"report not written: {exc}", 10000)
            return
        _status(window, "report written: " + ", ".join(str(p) for p in paths))
    runner.finished.connect(finished)
    runner.failed.connect(lambda reason: _status(window, f"report not written: {reason}",
                                                 10000))
    runner.cancelled.connect(lambda: _status(window, "Report cancelled", 10000))
    return runner


def export_report(window, path):
    """Write the report of the window's design (PDF or HTML by the file's suffix) on a
    worker thread, with its progress and Cancel in the status bar; the status bar says
    when it is written, cancelled or why not. A cancelled report leaves no file (each is
    written beside its target, then moved into place). Returns the job."""
    path = Path(path)
    pdf = path.suffix.lower() == ".pdf"
    document = window.document
    work = report.report_work(document.design, document.result,
                              html_path=None if pdf else path, pdf_path=path if pdf else None)
    _status(window, f"writing the report {path.name}…", 0)
    return window.report_runner.start(work, discard=report.discard)
