"""The Studies tab: trade-off study panels over the engine's `asslb_designer.studies`.

Each panel (tornado.py, map2d.py, montecarlo.py, pareto.py) runs its study on a worker
thread through the shared runner (runner.py) with progress and Cancel, and exports PNG,
SVG and CSV; each saves its set-up as a study file (study_writer.py) that
`asslb-designer study` reads and runs to the same numbers.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from .map2d import Map2DPanel
from .montecarlo import MonteCarloPanel
from .pareto import ParetoPanel
from .tornado import TornadoPanel

PANELS = (("2-D map", Map2DPanel), ("Tornado", TornadoPanel), ("Monte Carlo", MonteCarloPanel),
          ("Pareto", ParetoPanel))


class StudiesView(QWidget):
    """A tab of study panels; `show_state` reaches each (a hidden one draws when shown)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("view:studies")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("studies:tabs")
        self.panels = {}
        for title, cls in PANELS:
            panel = cls()
            self.panels[cls.export_name] = panel
            self.tabs.addTab(panel, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def settle(self, ms: int = 60000) -> None:
        """Wait for the studies running now and show their results (for screenshots)."""
        from PySide6.QtWidgets import QApplication
        for panel in self.panels.values():
            if panel.busy:
                panel.runner.wait(ms)
        QApplication.processEvents()

    def show_state(self, design, result) -> None:
        for panel in self.panels.values():
            panel.show_state(design, result)
